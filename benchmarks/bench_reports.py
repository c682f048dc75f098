"""Report speed: all nine reports of the demo year against ``mops validate``, in one run.

    python benchmarks/bench_reports.py [--rounds 3] [--pdf] [--keep DIR]

Writes the demo year once (cached under DIR), then runs, each in a fresh process and
``--rounds`` times interleaved, keeping each step's fastest wall time:

- ``mops validate DIR --as-of 2026-11-26`` (JSON to /dev/null);
- ``mops report all DIR --as-of 2026-11-26`` (HTML; it reads and validates the workbooks
  itself, then builds and renders the nine reports);
- with ``--pdf``, ``mops report all … --format pdf`` (the same, then headless Chromium prints
  each report).

and prints the ratio the target is set on: all nine HTML reports ≤ 2 × ``mops validate``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

AS_OF = "2026-11-26"
TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time the PDF reports")
    parser.add_argument(
        "--keep", type=Path, default=Path(tempfile.gettempdir()) / "mops-bench-reports"
    )
    args = parser.parse_args()
    demo = args.keep / "demo"
    if not (demo / "customers.xlsx").is_file():
        from mops.demodata import write_demo

        write_demo(demo, seed=2026)
    mops = [sys.executable, "-m", "mops"]
    steps = {
        "validate": [*mops, "validate", str(demo), "--as-of", AS_OF, "--format", "json"],
        "report_html": [
            *mops,
            "report",
            "all",
            str(demo),
            "--as-of",
            AS_OF,
            "--out",
            str(args.keep / "html"),
        ],
    }
    if args.pdf:
        steps["report_pdf"] = [
            *mops,
            "report",
            "all",
            str(demo),
            "--as-of",
            AS_OF,
            "--format",
            "pdf",
            "--out",
            str(args.keep / "pdf"),
        ]
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, cmd in steps.items():
            seconds = measure(cmd, ok_codes=(0, 1))["seconds"]
            best[name] = min(best.get(name, seconds), seconds)
    for name, seconds in best.items():
        print(f"{name:12} {seconds:6.2f} s")
    ratio = best["report_html"] / best["validate"]
    print(f"all nine HTML reports ÷ mops validate = {ratio:.2f} (target ≤ {TARGET})")
    if "report_pdf" in best:
        print(f"all nine PDF reports ÷ mops validate = {best['report_pdf'] / best['validate']:.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
