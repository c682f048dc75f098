"""The ``mops`` console entry point: starts reading workbooks before the CLI is even imported.

For ``mops validate`` the longest step is parsing the workbooks, which runs in Rust without
Python's GIL. Importing the CLI, polars and the rules takes a few tenths of a second of pure
Python. This entry point picks the paths out of the arguments with a cheap scan and starts the
parse first (``mops.workbook.prefetch``), so both run at once. Argument parsing proper, and every
error message, still belong to ``mops.cli.main``; if this scan guesses wrong, nothing is lost:
files that were not prefetched are simply parsed in the foreground.

It also ends the process without the interpreter's teardown (``_end_without_teardown``).
"""

from __future__ import annotations

import atexit
import os
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


_exit_code: int | None = None


def _end_without_teardown() -> None:
    """The last exit handler: flush the output and end the process there.

    Python's teardown after a command frees every module and object one by one (polars, the
    parsed sheets, the rules): 40 to 80 ms of a one-second ``mops validate``, for nothing, as
    the process is ending. By the time this runs, the threads were joined and every other exit
    handler ran (this one was registered first, and they run last-registered first): logging
    flushed its files, temporary folders were removed. Only a command that returned its exit
    code ends here; an uncaught error goes through the usual teardown and its traceback.
    """
    if _exit_code is None:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (mops … | head): nothing more to say
            pass
    os._exit(_exit_code)


def main() -> int:
    """Run ``mops`` with the process arguments."""
    global _exit_code
    # Only when nothing registered an exit handler before (it would run after this one, so
    # never): with ``python -m mops`` and the console script, nothing has.
    if getattr(atexit, "_ncallbacks", lambda: 1)() == 0:
        atexit.register(_end_without_teardown)
    argv = sys.argv[1:]
    _prefetch(argv)
    from mops.cli.main import main as cli_main

    code = cli_main(argv)
    _exit_code = code if isinstance(code, int) else 0
    return code


if __name__ == "__main__":
    sys.exit(main())
