"""The Odoo figures a report may use: what the last sync or reconciliation pulled, as plain data.

Reports work offline. When finance figures were pulled from Odoo they are passed in as an
``OdooFigures`` value (how old they are is shown on the report); when none were, the report says
so and shows what the workbooks hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class BudgetActual:
    """Spend booked in Odoo for one month, category and item (and campaign, when analytic)."""

    year: int
    month: int
    category: str
    item: str
    amount: Decimal
    campaign_id: str | None = None


@dataclass(frozen=True)
class Invoice:
    """A customer invoice for one instalment, as Odoo holds it."""

    instalment_id: str
    state: str  # draft, posted, cancel
    payment_state: str  # not_paid, partial, paid, in_payment, reversed
    amount_total: Decimal
    amount_residual: Decimal
    paid_date: dt.date | None = None


@dataclass(frozen=True)
class OdooFigures:
    """Finance figures last pulled from Odoo, with where from and when."""

    pulled_at: dt.datetime
    url: str
    database: str
    version: str
    budget_actuals: tuple[BudgetActual, ...] = ()
    invoices: tuple[Invoice, ...] = field(default=())
    # The same spend split by campaign (from the analytic lines; campaign_id None: no campaign).
    campaign_actuals: tuple[BudgetActual, ...] = ()

    def invoice_of(self) -> dict[str, Invoice]:
        """Invoices by instalment id."""
        return {i.instalment_id: i for i in self.invoices}


def from_snapshot(data: dict, pulled_at: dt.datetime, source: dict) -> OdooFigures:
    """The figures a finance snapshot holds (the shape docs/reconcile.md describes: records as
    Odoo gave them, amounts and dates as text; invoices keyed ``instalment:<id>``)."""
    actuals = tuple(
        BudgetActual(
            int(a["year"]), int(a["month"]), a["category"], a["item"], Decimal(str(a["amount"]))
        )
        for a in data.get("actuals", ())
    )
    by_campaign = tuple(
        BudgetActual(
            int(a["year"]), int(a["month"]), a["category"], a["item"],
            Decimal(str(a["amount"])), a.get("campaign") or None,
        )
        for a in data.get("campaign_actuals", ())
    )  # fmt: skip
    prefix = "instalment:"
    invoices = tuple(
        Invoice(
            instalment_id=i["x_mops_key"][len(prefix) :],
            state=i.get("state") or "",
            payment_state=i.get("payment_state") or "",
            amount_total=Decimal(str(i.get("amount_total") or 0)),
            amount_residual=Decimal(str(i.get("amount_residual") or 0)),
        )
        for i in data.get("invoices", ())
        if (i.get("x_mops_key") or "").startswith(prefix)
        and i.get("move_type", "out_invoice") == "out_invoice"
    )
    return OdooFigures(
        pulled_at=pulled_at,
        url=str(source.get("url", "")),
        database=str(source.get("database", "")),
        version=str(source.get("version", "")),
        budget_actuals=actuals,
        invoices=invoices,
        campaign_actuals=by_campaign,
    )
