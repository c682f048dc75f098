"""The values of a reconciliation: workbook rows, the Odoo side, classified lines, the result.

Everything here is plain data: the workbook rows as typed values with the cell each came from,
the Odoo side as the dictionaries ``mops.odoo.finance_reads`` pulls (and the state store keeps as
a snapshot), and the ``ReconcileResult`` the command prints, writes into the workbooks and turns
into JSON (schema ``mops.reconcile/1``, docs/reconcile.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from mops.i18n import text
from mops.records import CellRef, jsonable
from mops.schemas.model import Lang

SCHEMA = "mops.reconcile/1"
KINDS = ("claims", "contracts", "budget")


class LineClass(StrEnum):
    """What a reconciled line is; every class but the two "ok" ones needs a person."""

    MATCHED = "matched"
    AMOUNT_DIFFERS = "amount_differs"
    WORKBOOK_ONLY = "workbook_only"
    ODOO_ONLY = "odoo_only"
    DUPLICATE_CLAIM = "duplicate_claim"
    REIMBURSED_EARLY = "reimbursed_before_approval"
    SELF_APPROVED = "approved_by_claimant"
    NOT_IN_SCHEDULE = "invoiced_not_in_schedule"
    PAID_NOT_RECORDED = "paid_not_recorded"
    OVERDUE = "overdue_receivable"
    WITHIN_BUDGET = "within_budget"
    NEAR_BUDGET = "near_budget"
    OVERSPEND = "overspend"
    # Spend the books put on no campaign: shown so that the campaigns add up to the books.
    UNASSIGNED = "unassigned"

    @property
    def ok(self) -> bool:
        """Whether the line agrees (nothing for a person to do)."""
        return self in (LineClass.MATCHED, LineClass.WITHIN_BUDGET, LineClass.UNASSIGNED)

    def label(self, lang: Lang | str | None = None) -> str:
        """The class in words."""
        return text(f"reconcile.class.{self.value}", lang)


AGE_BUCKETS = ("0-30", "31-60", "61-90", "90+")


def age_bucket(days: int) -> str:
    """The age bucket of a receivable ``days`` past due: 0–30, 31–60, 61–90, over 90."""
    if days <= 30:
        return AGE_BUCKETS[0]
    if days <= 60:
        return AGE_BUCKETS[1]
    if days <= 90:
        return AGE_BUCKETS[2]
    return AGE_BUCKETS[3]


def money(value: object, decimals: int = 0) -> Decimal | None:
    """An amount as a Decimal rounded as Odoo rounds the currency (half up); None stays None."""
    if value is None or value is False or value == "":
        return None
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


STATUS = "reconcile_status"  # the Odoo-owned column each reconciled sheet has


@dataclass(frozen=True)
class StatusCell:
    """A row's status cell, and its key cell that must still hold the row's key when written."""

    file: str
    tab: str
    cell: str
    key_cell: str | None
    key: str
    # What the cell holds now (as read): a write that would not change it is left out.
    current: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class WbRow:
    """One workbook row: its sheet, primary key, typed values and where its cells are."""

    sheet: str
    key: str
    values: dict[str, Any]
    file: str
    tab: str
    row: int
    cells: dict[str, str]  # column key → A1 address
    key_column: str = ""

    @property
    def status_cell(self) -> StatusCell | None:
        """Where this row's reconciliation status goes (None: the file lacks the column)."""
        cell = self.cells.get(STATUS)
        if cell is None:
            return None
        return StatusCell(
            self.file, self.tab, cell, self.cells.get(self.key_column), self.key,
            self.values.get(STATUS),
        )  # fmt: skip

    def ref(self, column: str | None = None) -> CellRef:
        """The row, or one of its cells."""
        cell = self.cells.get(column) if column else None
        return CellRef(self.file, self.sheet, self.tab, self.row, column if cell else None, cell)

    def get(self, column: str) -> Any:
        """The typed value of a column (None when blank or absent)."""
        return self.values.get(column)


@dataclass
class WorkbookSide:
    """The workbook rows a reconciliation reads, by sheet key."""

    claims: list[WbRow] = field(default_factory=list)
    contracts: list[WbRow] = field(default_factory=list)
    payment_schedule: list[WbRow] = field(default_factory=list)
    expense_budget: list[WbRow] = field(default_factory=list)
    campaign_budget: list[WbRow] = field(default_factory=list)


@dataclass
class OdooSide:
    """What was pulled from Odoo, as plain dictionaries (the snapshot's ``data``).

    ``orders``: sale orders with a ``contract:`` key; ``invoices``: customer invoices;
    ``expenses``: hr.expense with a ``claim:`` key; ``actuals``: posted spend per category,
    item and month (``{"category", "item", "year", "month", "amount"}``); ``campaign_actuals``:
    the same split by campaign, from the analytic lines of the campaigns plan
    (``{"campaign", "account", "category", "item", "year", "month", "booked", "amount"}``,
    ``campaign`` None for spend on no mops campaign; ``booked`` as Odoo booked it, before the
    recoverable tax; ``amount`` tax included as ``actuals``). ``decimals`` is the
    company currency's (TWD: 0). ``source`` names the Odoo (url, database, version) and
    ``pulled_at`` when; ``None`` for a reconciliation of the workbooks alone.
    """

    orders: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    expenses: list[dict[str, Any]] = field(default_factory=list)
    actuals: list[dict[str, Any]] = field(default_factory=list)
    campaign_actuals: list[dict[str, Any]] = field(default_factory=list)
    currency: str = "TWD"
    decimals: int = 0
    source: dict[str, Any] = field(default_factory=dict)
    pulled_at: str | None = None

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready form kept in the state store (Decimals as strings)."""
        return _plain(
            {
                "orders": self.orders,
                "invoices": self.invoices,
                "expenses": self.expenses,
                "actuals": self.actuals,
                "campaign_actuals": self.campaign_actuals,
                "currency": self.currency,
                "decimals": self.decimals,
            }
        )

    @classmethod
    def from_data(
        cls, data: dict[str, Any], *, source: dict | None = None, pulled_at: str | None = None
    ) -> OdooSide:
        """The Odoo side from its stored form."""
        return cls(
            orders=list(data.get("orders", [])),
            invoices=list(data.get("invoices", [])),
            expenses=list(data.get("expenses", [])),
            actuals=list(data.get("actuals", [])),
            campaign_actuals=list(data.get("campaign_actuals", [])),
            currency=str(data.get("currency", "TWD")),
            decimals=int(data.get("decimals", 0)),
            source=dict(source or {}),
            pulled_at=pulled_at,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return jsonable(value)


@dataclass(frozen=True)
class Line:
    """One reconciled line: its class, where it is in the workbook and in Odoo, both amounts.

    ``ref`` is the workbook cell the line is about (None for a record only Odoo has);
    ``odoo_model``/``odoo_id`` the Odoo record (None when Odoo has none); ``detail`` holds the
    class's particulars (the age bucket, the duplicate's first row, the budget ratio …).
    """

    kind: str  # claims, contracts or budget
    cls: LineClass
    key: str  # the workbook key (claim, instalment, contract id; "2026-03/promotion" for budget)
    ref: CellRef | None
    odoo_model: str | None
    odoo_id: int | None
    workbook_amount: Decimal | None
    odoo_amount: Decimal | None
    detail: dict[str, Any] = field(default_factory=dict)
    # The status cells this line speaks for: its row's, or every budget row of its month.
    status: tuple[StatusCell, ...] = field(default=(), compare=False)

    @property
    def difference(self) -> Decimal | None:
        """Odoo's amount minus the workbook's, when both are known."""
        if self.workbook_amount is None or self.odoo_amount is None:
            return None
        return self.odoo_amount - self.workbook_amount

    def message(self, lang: Lang | str | None = None) -> str:
        """What the line means, in words."""
        params = {k: _shown(v) for k, v in self.detail.items()}
        message = f"reconcile.says.{self.cls.value}"
        if self.cls is LineClass.DUPLICATE_CLAIM:
            message += f".{self.detail.get('basis', 'same_claim')}"
        elif self.detail.get("what"):
            message += f".{self.detail['what']}"
        if self.kind == "budget":
            params["basis"] = text(f"reconcile.basis.{self.detail.get('basis', 'claims')}", lang)
        said = text(
            message,
            lang,
            record=self.key,
            workbook=_shown(self.workbook_amount),
            odoo=_shown(self.odoo_amount),
            odoo_id=self.odoo_id or "",
            **params,
        )
        if self.detail.get("basis") == "sync":  # Odoo's side from the last sync's grey columns
            said += text("reconcile.from_last_sync", lang)
        return said

    def as_dict(self, lang: Lang | str | None = None) -> dict[str, Any]:
        """The line in the documented JSON form."""
        ref = self.ref
        return {
            "kind": self.kind,
            "class": self.cls.value,
            "ok": self.cls.ok,
            "key": self.key,
            "file": ref.file if ref else None,
            "sheet": ref.sheet if ref else None,
            "tab": ref.tab if ref else None,
            "row": ref.row if ref else None,
            "cell": ref.cell if ref else None,
            "odoo_model": self.odoo_model,
            "odoo_id": self.odoo_id,
            "workbook_amount": jsonable(self.workbook_amount),
            "odoo_amount": jsonable(self.odoo_amount),
            "difference": jsonable(self.difference),
            "detail": _plain(self.detail),
            "message": self.message(lang),
        }


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


@dataclass(frozen=True)
class Actual:
    """The books' spend of one budget row (category, item, month), for its ``odoo_actual``."""

    ref: CellRef
    budget_id: str
    amount: Decimal
    key_cell: str | None = None  # must still hold budget_id when the amount is written
    current: Any = field(default=None, compare=False)  # what the cell holds now (as read)


@dataclass
class ReconcileResult:
    """Every line of a reconciliation, with totals per class and the exit code."""

    kind: str  # claims, contracts, budget or all
    as_of: dt.date
    lines: list[Line]
    files: list[str]
    odoo: dict[str, Any]  # url, database, version, pulled_at, offline (the snapshot's age)
    currency: str = "TWD"
    actuals: list[Actual] = field(default_factory=list)
    input_problems: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    rpc_calls: int = 0
    written: list = field(default_factory=list)  # ReconcileWritten a workbook, after write-back

    @property
    def totals(self) -> dict[str, int]:
        """Lines per class, in the classes' order, classes with none left out."""
        counts = Counter(line.cls for line in self.lines)
        return {c.value: counts[c] for c in LineClass if counts[c]}

    @property
    def amounts(self) -> dict[str, dict[str, str]]:
        """Per class: the workbook's and Odoo's amounts added up (as text, exact)."""
        out: dict[str, dict[str, str]] = {}
        for c in LineClass:
            lines = [line for line in self.lines if line.cls is c]
            if not lines:
                continue
            wb = sum((x.workbook_amount or Decimal(0) for x in lines), Decimal(0))
            od = sum((x.odoo_amount or Decimal(0) for x in lines), Decimal(0))
            out[c.value] = {"workbook": str(wb), "odoo": str(od)}
        return out

    @property
    def unmatched(self) -> int:
        """Lines that need a person."""
        return sum(1 for line in self.lines if not line.cls.ok)

    @property
    def exit_code(self) -> int:
        """0 when every line agrees, 1 when anything is unmatched, 2 when a file was unreadable."""
        if self.input_problems:
            return 2
        return 1 if self.unmatched else 0

    def to_json(self, lang: Lang | str | None = None) -> str:
        """The documented JSON document (schema ``mops.reconcile/1``)."""
        document = {
            "schema": SCHEMA,
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "odoo": _plain(self.odoo),
            "files": self.files,
            "input_problems": [{"file": f, "problem": p} for f, p in self.input_problems],
            "totals": self.totals,
            "amounts": self.amounts,
            "unmatched": self.unmatched,
            "exit_code": self.exit_code,
            "lines": [line.as_dict(lang) for line in self.lines],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
