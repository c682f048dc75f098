"""Report 5, Contracts and receivables (policy §6.3): contracts by status, the legal review
queue, instalments coming due, and receivables aging.

An instalment is outstanding while it is not paid in full: its amount less what was paid, or,
once its invoice is posted in Odoo, what Odoo has still to receive on it: the invoice's residual
amount in the Odoo figures a reconciliation pulled, else the "Odoo amount due" the last sync
wrote beside the instalment (so a report made offline, from workbooks the nightly job synced,
shows Odoo's receivables too). Its age is the days from its due date to the as-of date: not yet
due, 0–30, 31–60, 61–90 and over 90 days past due.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, odoo_note, ratio, total
from mops.reports.model import Chart, Kpi, ReportView, Section, Series, Table
from mops.schemas.enums import CONTRACT_STATUS, PAYMENT_STATUS, REVIEW_RESULT

BUCKETS = ("not_due", "0_30", "31_60", "61_90", "over_90")
DUE_SOON_DAYS = 30


def bucket(due: dt.date | None, as_of: dt.date) -> str:
    """The aging bucket of an amount due on ``due``, seen on ``as_of``."""
    if due is None or due > as_of:
        return "not_due"
    days = (as_of - due).days
    return "0_30" if days <= 30 else "31_60" if days <= 60 else "61_90" if days <= 90 else "over_90"


def outstanding(inp: Inputs) -> list[tuple[dict, Decimal]]:
    """Every instalment with something left to collect, and how much."""
    invoices = inp.odoo.invoice_of() if inp.odoo is not None else {}
    out = []
    for row in inp.rows("payment_schedule"):
        invoice = invoices.get(row.get("instalment_id"))
        if invoice is not None and invoice.state == "posted":
            left = invoice.amount_residual
        elif row.get("odoo_invoice_state") == "posted" and row.get("odoo_amount_due") is not None:
            left = Decimal(row["odoo_amount_due"])  # pulled by the last sync
        elif row.get("status") == "paid":
            left = Decimal(0)
        else:
            left = Decimal(row.get("amount") or 0) - Decimal(row.get("paid_amount") or 0)
        if left > 0:
            out.append((row, left))
    return out


def build(inp: Inputs) -> ReportView:
    """The contracts and receivables report, as of the as-of date."""
    t = inp.t
    as_of = inp.as_of
    contracts = inp.rows("contracts")
    by_id = {c["contract_id"]: c for c in contracts if c.get("contract_id")}
    customers = {
        c["customer_id"]: c.get("name") or "" for c in inp.rows("customers") if c.get("customer_id")
    }

    status_rows = []
    for option in CONTRACT_STATUS.options:
        here = [c for c in contracts if c.get("status") == option.key]
        status_rows.append(
            (
                option.label(inp.lang),
                len(here),
                total(c.get("amount") for c in here),
                sum(1 for c in here if inp.period.contains(c.get("signed_date"))),
            )
        )
    by_status = Table(
        columns=(
            inp.col("status"),
            inp.col("contracts", "int"),
            inp.col("amount", "money"),
            inp.col("signed_in_period", "int"),
        ),
        rows=tuple(status_rows),
        total=(
            t("rpt.total"),
            len(contracts),
            total(c.get("amount") for c in contracts),
            sum(r[3] for r in status_rows),
        ),
    )

    queue = [
        c for c in contracts
        if c.get("signed_date") is None
        and c.get("status") not in ("terminated", "completed")
        and (c.get("status") in ("drafting", "legal_review") or c.get("legal_review_result") in (None, "pending", "changes_requested"))
    ]  # fmt: skip
    queue.sort(
        key=lambda c: (c.get("legal_review_date") or dt.date.min, c.get("contract_id") or "")
    )
    legal = Table(
        columns=(
            inp.col("contract"),
            inp.col("title", "long"),
            inp.col("customer"),
            inp.col("owner"),
            inp.col("legal_reviewer"),
            inp.col("review_result"),
            inp.col("amount", "money"),
        ),
        rows=tuple(
            (
                c.get("contract_id"),
                c.get("title"),
                customers.get(c.get("customer_id"), c.get("customer_id")),
                c.get("owner"),
                c.get("legal_reviewer"),
                inp.label(REVIEW_RESULT, c.get("legal_review_result")) or t("rpt.ctr.not_reviewed"),
                c.get("amount"),
            )
            for c in queue
        ),
        empty=t("rpt.ctr.no_queue"),
    )

    open_items = outstanding(inp)
    soon = [
        (row, left) for row, left in open_items
        if row.get("due_date") is not None and as_of <= row["due_date"] <= as_of + dt.timedelta(days=DUE_SOON_DAYS)
    ]  # fmt: skip
    soon.sort(key=lambda x: x[0]["due_date"])

    def who(row: dict) -> tuple[str, str]:
        contract = by_id.get(row.get("contract_id"), {})
        return customers.get(
            contract.get("customer_id"), contract.get("customer_id") or ""
        ), contract.get("owner") or ""

    due_table = Table(
        columns=(
            inp.col("instalment"),
            inp.col("customer"),
            inp.col("owner"),
            inp.col("due_date", "date"),
            inp.col("outstanding", "money"),
            inp.col("payment_status"),
        ),
        rows=tuple(
            (
                row.get("instalment_id"),
                *who(row),
                row.get("due_date"),
                left,
                inp.label(PAYMENT_STATUS, row.get("status")),
            )
            for row, left in soon
        ),
        empty=t("rpt.ctr.none_due"),
    )

    aging: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    per_customer: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row, left in open_items:
        b = bucket(row.get("due_date"), as_of)
        aging[b] += left
        counts[b] += 1
        per_customer[who(row)[0]][b] += left
    outstanding_total = total(aging.values())
    aging_table = Table(
        columns=(
            inp.col("age"),
            inp.col("instalments", "int"),
            inp.col("outstanding", "money"),
            inp.col("share", "pct"),
        ),
        rows=tuple(
            (t(f"rpt.ctr.bucket_{b}"), counts[b], aging[b], ratio(aging[b], outstanding_total))
            for b in BUCKETS
        ),
        total=(
            t("rpt.total"),
            len(open_items),
            outstanding_total,
            Decimal(1) if open_items else None,
        ),
        flags=tuple("alert" if b in ("61_90", "over_90") and aging[b] else "" for b in BUCKETS),
    )
    aging_chart = Chart(
        "bars",
        t("rpt.ctr.chart_aging"),
        tuple(t(f"rpt.ctr.bucket_{b}") for b in BUCKETS),
        (Series(t("rpt.col.outstanding"), tuple(aging[b] for b in BUCKETS)),),
        kind="money",
        x_label=t("rpt.axis_twd"),
    )
    overdue_customers = sorted(
        (
            (name, buckets)
            for name, buckets in per_customer.items()
            if any(buckets[b] for b in BUCKETS[1:])
        ),
        key=lambda x: -total(x[1][b] for b in BUCKETS[1:]),
    )
    by_customer = Table(
        columns=(
            inp.col("customer"),
            *(inp.col(f"bucket_{b}", "money") for b in BUCKETS[1:]),
            inp.col("overdue_total", "money"),
        ),
        rows=tuple(
            (name, *(b_[b] or None for b in BUCKETS[1:]), total(b_[b] for b in BUCKETS[1:]))
            for name, b_ in overdue_customers
        ),
        caption=t("rpt.ctr.by_customer"),
        empty=t("rpt.ctr.none_overdue"),
    )
    overdue_total = total(aging[b] for b in BUCKETS[1:])
    kpis = (
        Kpi(
            t("rpt.ctr.kpi_active"),
            sum(1 for c in contracts if c.get("status") in ("signed", "executing", "changed")),
            "int",
        ),
        Kpi(t("rpt.ctr.kpi_queue"), len(queue), "int", alert=bool(queue)),
        Kpi(t("rpt.col.outstanding"), outstanding_total, "money"),
        Kpi(
            t("rpt.col.overdue_total"),
            overdue_total,
            "money",
            t("rpt.ctr.kpi_over_90", amount=_money(inp, aging["over_90"])),
            alert=bool(aging["over_90"]),
        ),
        Kpi(
            t("rpt.ctr.kpi_due_soon"),
            total(left for _, left in soon),
            "money",
            t("rpt.ctr.kpi_due_soon_note", n=len(soon), days=DUE_SOON_DAYS),
        ),
    )
    return ReportView(
        name="contracts",
        title=t("rpt.ctr.title"),
        policy="§6.3",
        period=inp.period,
        as_of=as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(t("rpt.ctr.s_status"), (by_status,)),
            Section(t("rpt.ctr.s_legal"), (legal,), t("rpt.ctr.s_legal_intro")),
            Section(t("rpt.ctr.s_due"), (due_table,), t("rpt.ctr.s_due_intro", days=DUE_SOON_DAYS)),
            Section(
                t("rpt.ctr.s_aging"),
                (aging_table, aging_chart, by_customer),
                t("rpt.ctr.s_aging_intro"),
            ),
        ),
        sources=("sales.xlsx", "customers.xlsx"),
        odoo_note=odoo_note(inp),
    )


def _money(inp: Inputs, amount) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang).money(amount)
