"""Time and memory of mops's write-back against a plain openpyxl load and save.

Builds a 100,000-row × 14-column workbook with xlsxwriter (constant_memory, like the Excel
baseline in /work/shared/notes/excel-baseline.md), picks 1,000 offending cells spread through
it (one in ten of them blank), and runs, each in its own process under ``/usr/bin/time -v`` and
on a fresh copy of the file:

* ``write_back``: 1,000 fills and comments and a 1,000-row findings sheet;
* ``openpyxl``: ``load_workbook`` then ``save``, nothing else.

Each child reports the time of the operation itself (imports excluded); ``/usr/bin/time``
gives the whole process's wall time and peak RSS. Rounds are interleaved; the minimum and
median are printed. Targets: write-back ≤ 0.3 × openpyxl, and ≤ 300 MB peak.

    python benchmarks/bench_writeback.py [--rows 100000] [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHEET = "Followups"
HEADER = [
    "日期",
    "客戶名稱",
    "聯絡人",
    "電話",
    "Email",
    "產業",
    "公司規模",
    "來源管道",
    "聯繫方式",
    "階段",
    "預估營收",
    "成交機率",
    "下次行動日",
    "備註",
]
INDUSTRIES = ["製造", "金融", "零售", "科技", "醫療", "教育", "物流", "餐飲", "營建", "政府"]
SIZES = ["1-10", "11-50", "51-200", "200+"]
SOURCES = ["展覽", "官網", "轉介", "電話", "LinkedIn", "EDM", "研討會", "其他"]
WAYS = ["phone", "email", "visit", "meeting"]
STAGES = ["潛在", "接洽", "提案", "議價", "成交", "失敗", "暫停"]
BLANK_COLUMN = 2  # 聯絡人: every 37th row leaves it empty, so some notes land on blank cells


def build(path: Path, rows: int) -> None:
    """The test workbook: typed values, date and money formats, some blank cells."""
    import xlsxwriter

    rng = random.Random(20260101)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0"})
    bold = book.add_format({"bold": True})
    ws = book.add_worksheet(SHEET)
    ws.write_row(0, 0, HEADER, bold)
    start = dt.date(2024, 1, 1)
    for r in range(1, rows + 1):
        day = start + dt.timedelta(days=rng.randrange(700))
        ws.write_datetime(r, 0, dt.datetime.combine(day, dt.time()), date)
        ws.write_string(r, 1, f"客戶{rng.randrange(5000):04d}股份有限公司")
        if r % 37:
            ws.write_string(r, 2, f"王{rng.choice('小大中')}明")
        ws.write_string(r, 3, f"09{rng.randrange(10**8):08d}")
        ws.write_string(r, 4, f"user{r}@example.com.tw")
        ws.write_string(r, 5, rng.choice(INDUSTRIES))
        ws.write_string(r, 6, rng.choice(SIZES))
        ws.write_string(r, 7, rng.choice(SOURCES))
        ws.write_string(r, 8, rng.choice(WAYS))
        ws.write_string(r, 9, rng.choice(STAGES))
        ws.write_number(r, 10, round(rng.uniform(1e4, 5e6), 2), money)
        ws.write_number(r, 11, rng.randrange(0, 101))
        ws.write_datetime(r, 12, dt.datetime.combine(day + dt.timedelta(days=14), dt.time()), date)
        ws.write_string(r, 13, "下次拜訪請帶報價單與型錄 bring the quote and catalogue")
    book.close()


def targets(rows: int, n: int = 1000, shift: int = 0) -> list[tuple[str, str]]:
    """``n`` (cell, severity) pairs spread evenly through the sheet; one in ten is blank."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    out = []
    step = max(rows // n, 1)
    for i in range(n):
        row = min(1 + i * step + shift, rows)  # 0-based data row
        if i % 10 == 0:
            row = min((row // 37 + 1) * 37, rows // 37 * 37)  # a row whose 聯絡人 is blank
            col = BLANK_COLUMN
        else:
            col = (i * 5) % len(HEADER)
        out.append((xl_rowcol_to_cell(row, col), ("error", "warning", "info")[i % 3]))
    return out


def annotate(path: Path, rows: int, shift: int) -> float:
    """Write 1,000 findings back into ``path``; returns the seconds it took."""
    from mops.workbook.annotate import CellNote, FindingLine, write_back

    cells = targets(rows, shift=shift)
    text = "第 {} 項檢核：格式不符"
    notes = [CellNote(SHEET, c, s, text.format(i)) for i, (c, s) in enumerate(cells)]
    lines = [
        FindingLine((f"{SHEET}!{c}", s, text.format(i)), SHEET, c, s)
        for i, (c, s) in enumerate(cells)
    ]
    t0 = time.perf_counter()
    result = write_back(path, notes, lines, header=["位置", "嚴重度", "說明"])
    seconds = time.perf_counter() - t0
    assert result.cells_marked == len({c for c, _ in cells})
    return seconds


def child(kind: str, path: Path, rows: int, shift: int) -> None:
    """Run one measured operation and print its own duration as JSON."""
    if kind in ("writeback", "rerun"):
        seconds = annotate(path, rows, shift)
    else:
        import openpyxl

        t0 = time.perf_counter()
        book = openpyxl.load_workbook(path)
        book.save(path)
        seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds}))


def _child_cmd(kind: str, path: Path, rows: int, shift: int = 0) -> list[str]:
    return [
        sys.executable,
        __file__,
        "--child",
        kind,
        str(path),
        "--rows",
        str(rows),
        "--shift",
        str(shift),
    ]


def measure(kind: str, source: Path, work: Path, rows: int) -> dict:
    copy = work / f"run-{kind}.xlsx"
    shutil.copyfile(source, copy)
    if kind == "rerun":
        # An earlier run marked 1,000 other cells (50 rows away): not measured.
        subprocess.run(_child_cmd("writeback", copy, rows, 50), check=True, capture_output=True)
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *_child_cmd(kind, copy, rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", proc.stderr)
    assert rss and wall, proc.stderr
    parts = [float(p) for p in wall.group(1).split(":")]
    result["wall"] = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    result["peak_mb"] = int(rss.group(1)) / 1024
    for leftover in work.glob("run-*"):
        leftover.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the workbook in this folder")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--shift", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.rows, args.shift)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="mops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"followups-{args.rows}.xlsx"
    if not source.exists():
        t0 = time.perf_counter()
        build(source, args.rows)
        print(
            f"built {source} ({source.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
    runs: dict[str, list[dict]] = {"writeback": [], "rerun": [], "openpyxl": []}
    try:
        for i in range(args.rounds):
            for kind in runs:
                r = measure(kind, source, work, args.rows)
                runs[kind].append(r)
                print(
                    f"round {i + 1} {kind:9}: {r['seconds']:6.2f} s operation, "
                    f"{r['wall']:6.2f} s process, {r['peak_mb']:6.0f} MB peak"
                )
    finally:
        if not args.keep:
            shutil.rmtree(work)

    def stat(kind: str, key: str) -> tuple[float, float]:
        values = [r[key] for r in runs[kind]]
        return min(values), statistics.median(values)

    print()
    print(f"{args.rows} rows × {len(HEADER)} columns, 1000 annotated cells, {args.rounds} rounds")
    print(f"{'':30}{'min':>10}{'median':>10}")
    for kind in runs:
        for key, label in (
            ("seconds", "operation s"),
            ("wall", "process s"),
            ("peak_mb", "peak MB"),
        ):
            lo, mid = stat(kind, key)
            print(f"{kind + ' ' + label:30}{lo:10.2f}{mid:10.2f}")
    ok = True
    for kind in ("writeback", "rerun"):
        ratio_op = stat(kind, "seconds")[1] / stat("openpyxl", "seconds")[1]
        ratio_wall = stat(kind, "wall")[1] / stat("openpyxl", "wall")[1]
        peak = max(r["peak_mb"] for r in runs[kind])
        print(
            f"ratio {kind} / openpyxl (median): operation {ratio_op:.3f}, "
            f"process {ratio_wall:.3f}; peak RSS (max of rounds) {peak:.0f} MB"
        )
        ok = ok and ratio_wall <= 0.3 and peak <= 300
    print("targets (≤ 0.3 × openpyxl, ≤ 300 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
