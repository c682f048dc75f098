"""The ``mops`` console entry point: starts reading workbooks before the CLI is even imported.

For ``mops validate`` the longest step is parsing the workbooks, which runs in Rust without
Python's GIL. Importing the CLI, polars and the rules takes a few tenths of a second of pure
Python. This entry point picks the paths out of the arguments with a cheap scan and starts the
parse first (``mops.workbook.prefetch``), so both run at once. Argument parsing proper, and every
error message, still belong to ``mops.cli.main``; if this scan guesses wrong, nothing is lost:
files that were not prefetched are simply parsed in the foreground.
"""

from __future__ import annotations

import sys

# Options of mops and of mops validate that take a value (the value is not a path).
VALUE_OPTIONS = {"--as-of", "--format", "--lang", "--limit", "--config"}


def _validate_paths(argv: list[str]) -> tuple[list[str], str | None] | None:
    """The paths given to ``mops validate``, and the --config value, or None."""
    if "validate" not in argv:
        return None
    config = None
    paths: list[str] = []
    after = False
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg in VALUE_OPTIONS:
            skip = True
            if arg == "--config" and i + 1 < len(argv):
                config = argv[i + 1]
            continue
        if arg.startswith("-"):
            continue
        if after:
            paths.append(arg)
        elif arg == "validate":
            after = True
    return paths, config


def _prefetch(argv: list[str]) -> None:
    found = _validate_paths(argv)
    if not found or not found[0]:
        return
    from mops.config import load_config
    from mops.errors import MopsError
    from mops.workbook import prefetch

    try:
        limits = load_config(found[1]).limits
    except MopsError:
        return  # the CLI reports the configuration error itself
    prefetch.start(prefetch.expand_paths(found[0]), limits)


def main() -> int:
    """Run ``mops`` with the process arguments."""
    argv = sys.argv[1:]
    _prefetch(argv)
    from mops.cli.main import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
