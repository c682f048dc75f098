"""Time the policy-rule phase alone, rule by rule, on the data set of bench_validate.py.

    python benchmarks/bench_rules.py [--rows 100000] [--keep DIR]

Reading and the cell pass run once, as ``mops validate`` runs them; then every registered rule
runs on the typed frames ``--rounds`` times and the fastest round is printed, per rule and in
total. This is the part of validation the rule modules own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import build  # noqa: E402

from mops.config import load_config  # noqa: E402
from mops.validation.cells import type_sheet  # noqa: E402
from mops.validation.context import Context, Dataset  # noqa: E402
from mops.validation.registry import load_rules  # noqa: E402
from mops.workbook.frames import read_frames  # noqa: E402

AS_OF = dt.date(2026, 11, 26)


def main() -> int:
    """Build the data if needed, type it once, time each rule, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "mops-bench")
    args = parser.parse_args()
    folder = args.keep / f"validate-{args.rows}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "customers.xlsx", folder / "staff.xlsx"]
    if not all(p.exists() for p in paths):
        print(f"building {args.rows:,} rows in {folder} …", flush=True)
        build(folder, args.rows)
    rules = load_rules()
    config = load_config()
    findings: list = []
    sheets: dict = {}
    started = time.perf_counter()
    for path in paths:
        for key, frame in read_frames(path).sheets.items():
            typed = type_sheet(
                frame,
                lambda _: True,
                lambda r: rules[r].severity,
                findings.append,
                rules.__contains__,
            )
            sheets.setdefault(key, []).append(typed)
    print(f"read and cell pass: {time.perf_counter() - started:.3f} s")
    checks = [r for r in rules.values() if r.check is not None and set(r.needs) <= set(sheets)]
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        ctx = Context(Dataset(sheets), config, AS_OF, {}, [])
        for rule in checks:
            ctx.rule = rule
            t = time.perf_counter()
            rule.check(ctx)
            best[rule.id] = min(best.get(rule.id, float("inf")), time.perf_counter() - t)
    for rule_id, seconds in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {rule_id:<28} {seconds * 1000:8.1f} ms")
    print(f"rule phase ({len(checks)} rules, fastest of {args.rounds}): {sum(best.values()):.3f} s")
    print(f"findings in the last round: {len(ctx.findings)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
