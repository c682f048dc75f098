"""Generating, writing and checking the demo: the areas in order, six workbooks, planted.json."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path

from mops.demodata import (
    campaigns,
    customers,
    expenses,
    organisation,
    research,
    sales,
    service,
    staff,
)
from mops.demodata.builder import Builder
from mops.demodata.model import DemoData, DemoResult, Planted, PlantedCheck
from mops.schemas.registry import WORKBOOKS

PLANTED_FILE = "planted.json"
# The finance mistakes mops reconcile finds, and how Odoo's books differ for the Odoo-side ones.
FINANCE_PLANTED_FILE = "planted-finance.json"
MANIFEST_FILE = ".mops-demo.json"  # what mops demo wrote: the day, the seed, each file's hash
DEFAULT_SEED = 2026
DEFAULT_AS_OF = date(2026, 11, 26)

# Every sheet in dependency order. All draws come from one seeded random source, so this order
# (and the order of the draws inside each step) is part of what a seed produces.
STEPS: tuple[Callable[[Builder], None], ...] = (
    organisation.roster,
    staff.recruitment,
    staff.training,
    staff.kpis,
    staff.commission_tiers,
    campaigns.campaigns,
    campaigns.campaign_tasks,
    campaigns.progress_reviews,
    campaigns.campaign_budget,
    research.research_plan,
    research.competitors,
    customers.customers,
    customers.opportunities,
    customers.followups,
    sales.targets,
    sales.contracts,
    service.tickets,
    service.improvements,
    expenses.expenses,
    staff.appraisals,
)


def check_planted(data: DemoData, findings) -> list[PlantedCheck]:
    """Match the planted mistakes with validation findings, kind by kind.

    A planted mistake counts as found when a finding of its rule sits on its row (rows are
    written in order below a one-row header). A mistake about a group of rows (a category and
    month of the budget) counts as found when its rule reports anything on that sheet.
    """
    rows: dict[str, dict[str, int]] = {}
    for wb in WORKBOOKS:
        for sheet in wb.sheets:
            pk = sheet.primary_key
            sheet_rows = data.rows[wb.key].get(sheet.key, [])
            rows[sheet.key] = {str(r[pk]): i + 2 for i, r in enumerate(sheet_rows)}
    hits = {(f.rule_id, f.sheet, f.row) for f in findings}
    by_rule_sheet = {(f.rule_id, f.sheet) for f in findings}
    tally: dict[tuple[str, str], list[int]] = {}
    for p in data.planted:
        row = rows.get(p.sheet, {}).get(p.key)
        found = (
            (p.rule_id, p.sheet, row) in hits
            if row is not None
            else (p.rule_id, p.sheet) in by_rule_sheet
        )
        counts = tally.setdefault((p.kind, p.rule_id), [0, 0])
        counts[0] += 1
        counts[1] += int(found)
    return [PlantedCheck(k, r, n, f) for (k, r), (n, f) in sorted(tally.items())]


def check_finance(data: DemoData, lines) -> list[PlantedCheck]:
    """Match the finance mistakes planted in the workbooks with a reconciliation's lines."""
    found = {(line.cls.value, line.ref.sheet if line.ref else None, line.key) for line in lines}
    tally: dict[str, list[int]] = {}
    for p in data.finance:
        if p.odoo is None:
            counts = tally.setdefault(p.cls, [0, 0])
            counts[0] += 1
            counts[1] += int((p.cls, p.sheet, p.key) in found)
    return [PlantedCheck(c, "mops reconcile", n, f) for c, (n, f) in sorted(tally.items())]


def generate_demo(seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF) -> DemoData:
    """Generate a deterministic demo year ending at ``as_of``, with planted mistakes."""
    b = Builder(seed, as_of)
    for step in STEPS:
        step(b)
    rows = {wb.key: {s.key: b.sheets[s.key] for s in wb.sheets} for wb in WORKBOOKS}
    return DemoData(rows=rows, planted=sorted(b.planted, key=Planted.sort_key), finance=b.finance)


def write_demo(
    directory: Path,
    *,
    lang: str = "zh-TW",
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
) -> DemoResult:
    """Generate the demo and write every workbook plus ``planted.json`` into ``directory``."""
    from mops.workbook.writer import write_workbook  # keeps xlsxwriter out of generate_demo

    started = time.perf_counter()
    data = generate_demo(seed, as_of)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    people = data.people()
    files = []
    for wb in WORKBOOKS:
        path = directory / wb.filename
        files.append(
            Path(write_workbook(wb, path, lang=lang, rows=data.rows[wb.key], people=people))
        )
    planted_path = directory / PLANTED_FILE
    planted = [asdict(p) for p in sorted(data.planted, key=Planted.sort_key)]
    text = json.dumps(planted, ensure_ascii=False, indent=1)
    planted_path.write_text(text + "\n", encoding="utf-8")
    files.append(planted_path)
    finance_path = directory / FINANCE_PLANTED_FILE
    finance = [asdict(p) for p in data.finance]
    finance_path.write_text(
        json.dumps(finance, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    files.append(finance_path)
    manifest = {
        "as_of": as_of.isoformat(),
        "seed": seed,
        "lang": str(lang),
        "files": {f.name: _digest(f) for f in files},
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return DemoResult(
        directory=directory,
        files=files,
        counts=data.counts(),
        planted=data.planted_counts(),
        seconds=round(time.perf_counter() - started, 3),
        data=data,
    )


def remember_files(directory: Path, files: list[Path]) -> None:
    """Record ``files`` as they are now as written by mops demo (a rerun may overwrite them)."""
    path = Path(directory) / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"].update({f.name: _digest(f) for f in files})
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edited_since(directory: Path) -> list[Path]:
    """The workbooks in ``directory`` that mops demo did not write as they are now.

    A workbook someone annotated, filled or replaced since (or one of a folder mops demo never
    wrote) is listed; an untouched demo workbook is not, so a rerun may overwrite it.
    """
    directory = Path(directory)
    existing = [directory / wb.filename for wb in WORKBOOKS if (directory / wb.filename).exists()]
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        written = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return existing
    return [p for p in existing if written.get(p.name) != _digest(p)]
