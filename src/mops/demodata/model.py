"""The demo's result types: generated rows, the mistakes planted in them, what was written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mops.validation.results import Report

Row = dict[str, Any]


@dataclass(frozen=True)
class Planted:
    """One deliberate mistake: what kind, which rule should report it, and where it sits.

    ``key`` is the primary key of the row; for a finding about a group of rows it names the group
    (``"2026-07/promotion"``: a category and month of the expense budget). ``column`` is None when
    the finding is about the row as a whole.
    """

    kind: str
    rule_id: str
    sheet: str
    key: str
    column: str | None

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Order by place, then rule and kind."""
        return (self.sheet, self.key, self.column or "", self.rule_id, self.kind)


@dataclass(frozen=True)
class FinancePlant:
    """A finance mistake for ``mops reconcile`` to find: the class it should land in, where.

    ``odoo`` says how Odoo's books differ from the workbook for this row, for a test (or a
    person) mirroring the demo into Odoo: None (the mistake is in the workbook itself),
    ``amount`` (Odoo's amount 100 higher), ``missing`` (no Odoo record), ``paid`` (paid in Odoo
    only), ``extra`` (an Odoo record with this key, not in the workbook), ``extra_invoice`` (an
    invoice of this contract on no instalment) or ``campaign_spend`` (claims of the key's month
    and category filed on no campaign, which Odoo books on the key's campaign: in claim order,
    until its spend passes its budget of the month by 10 %).
    """

    cls: str
    sheet: str
    key: str
    odoo: str | None = None


@dataclass
class DemoData:
    """Generated rows per workbook and sheet, and the mistakes planted in them."""

    rows: dict[str, dict[str, list[Row]]]
    planted: list[Planted]
    finance: list[FinancePlant] = field(default_factory=list)

    def sheet_rows(self, sheet_key: str) -> list[Row]:
        """The rows of one sheet (sheet keys are unique across workbooks)."""
        for sheets in self.rows.values():
            if sheet_key in sheets:
                return sheets[sheet_key]
        raise KeyError(f"no sheet {sheet_key!r}")

    def counts(self) -> dict[str, int]:
        """Rows per sheet key, in declared order."""
        return {key: len(rows) for sheets in self.rows.values() for key, rows in sheets.items()}

    def planted_counts(self) -> dict[str, int]:
        """Planted mistakes per kind, sorted by kind."""
        counts: dict[str, int] = defaultdict(int)
        for p in self.planted:
            counts[p.kind] += 1
        return dict(sorted(counts.items()))

    def people(self) -> list[str]:
        """The names on the staff roster."""
        return [r["name"] for r in self.sheet_rows("roster")]


@dataclass(frozen=True)
class DemoResult:
    """What ``write_demo`` wrote, for the CLI to summarise."""

    directory: Path
    files: list[Path]
    counts: dict[str, int]
    planted: dict[str, int]
    seconds: float
    data: DemoData


@dataclass(frozen=True)
class PlantedCheck:
    """How many mistakes of one kind were planted, and how many validation found."""

    kind: str
    rule_id: str
    planted: int
    found: int


@dataclass
class DemoRun:
    """What ``mops.demo`` made and found: the workbooks, the report, the planted checks."""

    folder: Path
    files: list[Path]
    counts: dict[str, int]  # sheet key → rows written
    seconds: float
    report: Report
    checks: list[PlantedCheck]
    as_of: dt.date | None = None  # the demo's "today": validate with --as-of this day
    # The finance mistakes mops reconcile finds in the workbooks alone (the Odoo-side ones
    # need the books), class by class; and how many Odoo-side ones planted-finance.json lists.
    finance: list[PlantedCheck] = field(default_factory=list)
    finance_odoo_side: int = 0
    reports: list[Path] = field(default_factory=list)  # the demo year's reports, beside it
    steps: list = field(default_factory=list)  # the nightly pipeline's steps (StepRecord)

    @property
    def found(self) -> int:
        """Planted mistakes found."""
        return sum(c.found for c in self.checks)

    @property
    def planted(self) -> int:
        """Mistakes planted."""
        return sum(c.planted for c in self.checks)

    @property
    def exit_code(self) -> int:
        """0 when every planted mistake was found and every file was read, else 1."""
        missed = any(c.found < c.planted for c in [*self.checks, *self.finance])
        return 1 if missed or self.report.input_problems else 0
