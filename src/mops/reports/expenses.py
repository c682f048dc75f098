"""Report 7, Marketing expenses (policy §8): budget against actual by category and month,
overspend alerts, the expense-to-sales ratio, ROI by category and by campaign.

Actual spend is what Odoo booked when finance figures were pulled (a campaign's: what its
analytic account holds); otherwise the claims the workbooks hold that were not rejected, by the
month of the expense. ROI of a campaign is
(its actual revenue − the spend claimed on it) ÷ that spend; a category's ROI shares each
campaign's revenue among the categories in proportion to what was spent in each.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, odoo_note, ratio, total
from mops.reports.model import Chart, Kpi, ReportView, Section, Series, Table
from mops.reports.sales import signed_contracts
from mops.schemas.enums import EXPENSE_CATEGORY, EXPENSE_ITEM

Key = tuple[int, int, str]  # (year, month, category)


def spend(
    inp: Inputs,
) -> tuple[dict[tuple[int, int, str, str], Decimal], dict[tuple[str, str], Decimal]]:
    """Actual spend by (year, month, category, item) in the period, and by (campaign, category)."""
    by_month: dict[tuple[int, int, str, str], Decimal] = defaultdict(Decimal)
    by_campaign: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    months = set(inp.period.months)
    if inp.odoo is not None:
        for a in inp.odoo.budget_actuals:
            if (a.year, a.month) in months:
                by_month[(a.year, a.month, a.category, a.item)] += a.amount
        split = inp.odoo.campaign_actuals or inp.odoo.budget_actuals
        for a in split:
            if (a.year, a.month) in months and a.campaign_id:
                by_campaign[(a.campaign_id, a.category)] += a.amount
        return by_month, by_campaign
    for c in inp.rows("claims"):
        when = c.get("expense_date")
        if when is None or c.get("approval") == "rejected" or (when.year, when.month) not in months:
            continue
        amount = Decimal(c.get("amount") or 0)
        by_month[(when.year, when.month, c.get("category") or "", c.get("item") or "")] += amount
        if c.get("campaign_id"):
            by_campaign[(c["campaign_id"], c.get("category") or "")] += amount
    return by_month, by_campaign


def budget(inp: Inputs) -> dict[tuple[int, int, str, str], Decimal]:
    """The approved budget by (year, month, category, item) in the period."""
    months = set(inp.period.months)
    out: dict[tuple[int, int, str, str], Decimal] = defaultdict(Decimal)
    for b in inp.rows("expense_budget"):
        key = (b.get("year"), b.get("month"))
        if key in months:
            out[(*key, b.get("category") or "", b.get("item") or "")] += Decimal(
                b.get("amount") or 0
            )
    return out


def build(inp: Inputs) -> ReportView:
    """The marketing expenses report for the period."""
    t = inp.t
    warn, error = inp.config.expenses.overspend_warn, inp.config.expenses.overspend_error
    actual, by_campaign = spend(inp)
    planned = budget(inp)
    categories = [o.key for o in EXPENSE_CATEGORY.options]

    def cat_sum(table, category, month=None):
        return total(
            v for k, v in table.items() if k[2] == category and (month is None or k[:2] == month)
        )

    cat_rows, cat_flags = [], []
    for category in categories:
        b, a = cat_sum(planned, category), cat_sum(actual, category)
        share = ratio(a, b)
        cat_rows.append((inp.label(EXPENSE_CATEGORY, category), b, a, a - b, share))
        cat_flags.append("alert" if share is not None and share > error else "")
    budget_total, actual_total = total(planned.values()), total(actual.values())
    by_category = Table(
        columns=(
            inp.col("category"),
            inp.col("budget", "money"),
            inp.col("actual", "money"),
            inp.col("variance", "money"),
            inp.col("used", "pct"),
        ),
        rows=tuple(cat_rows),
        flags=tuple(cat_flags),
        total=(
            t("rpt.total"),
            budget_total,
            actual_total,
            actual_total - budget_total,
            ratio(actual_total, budget_total),
        ),
        caption=t("rpt.exp.by_category"),
    )
    item_keys = sorted(
        {k[2:] for k in planned} | {k[2:] for k in actual},
        key=lambda ci: (categories.index(ci[0]) if ci[0] in categories else 9, ci[1]),
    )
    item_rows = []
    for category, item in item_keys:
        b = total(v for k, v in planned.items() if k[2:] == (category, item))
        a = total(v for k, v in actual.items() if k[2:] == (category, item))
        item_rows.append(
            (
                inp.label(EXPENSE_CATEGORY, category),
                inp.label(EXPENSE_ITEM, item),
                b,
                a,
                ratio(a, b),
            )
        )
    by_item = Table(
        columns=(
            inp.col("category"),
            inp.col("item"),
            inp.col("budget", "money"),
            inp.col("actual", "money"),
            inp.col("used", "pct"),
        ),
        rows=tuple(item_rows),
        caption=t("rpt.exp.by_item"),
    )

    months = inp.period.months
    # Months after the as-of date have a budget but no spend yet: shown blank, not as 0 %.
    past = [ym for ym in months if ym <= (inp.as_of.year, inp.as_of.month)]
    month_labels = tuple(t("rpt.month_short", month=m) for _, m in months)
    heat = Chart(
        "heatmap",
        t("rpt.exp.chart_heat"),
        month_labels,
        tuple(
            Series(
                inp.label(EXPENSE_CATEGORY, c),
                tuple(
                    ratio(cat_sum(actual, c, ym), cat_sum(planned, c, ym)) if ym in past else None
                    for ym in months
                ),
            )
            for c in categories
        ),
        kind="pct",
        note=t("rpt.exp.heat_note"),
    )
    monthly = Chart(
        "lines",
        t("rpt.exp.chart_monthly"),
        month_labels,
        (
            Series(
                t("rpt.col.budget"),
                tuple(total(v for k, v in planned.items() if k[:2] == ym) for ym in months),
            ),
            Series(
                t("rpt.col.actual"),
                tuple(
                    total(v for k, v in actual.items() if k[:2] == ym) if ym in past else None
                    for ym in months
                ),
            ),
        ),
        kind="money",
        x_label=t("rpt.axis_month"),
        y_label=t("rpt.axis_twd"),
    )
    alerts, alert_flags = [], []
    for ym in months:
        for category in categories:
            b, a = cat_sum(planned, category, ym), cat_sum(actual, category, ym)
            used = ratio(a, b)
            if (used is not None and used >= warn) or (not b and a):
                level = t("rpt.exp.over") if used is None or used > error else t("rpt.exp.near")
                alerts.append(
                    (
                        f"{ym[0]}-{ym[1]:02d}",
                        inp.label(EXPENSE_CATEGORY, category),
                        b,
                        a,
                        used,
                        level,
                    )
                )
                alert_flags.append("alert" if used is None or used > error else "")
    alert_table = Table(
        columns=(
            inp.col("month"),
            inp.col("category"),
            inp.col("budget", "money"),
            inp.col("actual", "money"),
            inp.col("used", "pct"),
            inp.col("level"),
        ),
        rows=tuple(alerts),
        flags=tuple(alert_flags),
        empty=t("rpt.exp.no_alerts"),
    )

    revenue = total(c.get("amount") for c in signed_contracts(inp))
    expense_ratio = ratio(actual_total, revenue)

    campaigns = {c["campaign_id"]: c for c in inp.rows("campaigns") if c.get("campaign_id")}
    spent_on: dict[str, Decimal] = defaultdict(Decimal)
    for (campaign, _), amount in by_campaign.items():
        spent_on[campaign] += amount
    camp_rows, camp_flags = [], []
    category_revenue: dict[str, Decimal] = defaultdict(Decimal)
    category_spend: dict[str, Decimal] = defaultdict(Decimal)
    for campaign, cost in sorted(spent_on.items()):
        row = campaigns.get(campaign, {})
        revenue_c = row.get("actual_revenue")
        roi = ratio(Decimal(revenue_c) - cost, cost) if revenue_c is not None else None
        camp_rows.append((campaign, row.get("name") or "", row.get("budget"), cost, revenue_c, roi))
        camp_flags.append("alert" if roi is not None and roi < 0 else "")
        if revenue_c is not None and cost:
            for (c_id, category), amount in by_campaign.items():
                if c_id == campaign:
                    category_spend[category] += amount
                    category_revenue[category] += Decimal(revenue_c) * amount / cost
    camp_table = Table(
        columns=(
            inp.col("campaign"),
            inp.col("name", "long"),
            inp.col("budget", "money"),
            inp.col("spend", "money"),
            inp.col("campaign_revenue", "money"),
            inp.col("roi", "pct"),
        ),
        rows=tuple(camp_rows),
        flags=tuple(camp_flags),
        caption=t("rpt.exp.roi_campaign"),
        empty=t("rpt.exp.no_campaign_spend"),
    )
    roi_rows = tuple(
        (
            inp.label(EXPENSE_CATEGORY, c),
            category_spend[c],
            category_revenue[c],
            ratio(category_revenue[c] - category_spend[c], category_spend[c]),
        )
        for c in categories
        if category_spend.get(c)
    )
    roi_category = Table(
        columns=(
            inp.col("category"),
            inp.col("spend", "money"),
            inp.col("campaign_revenue", "money"),
            inp.col("roi", "pct"),
        ),
        rows=roi_rows,
        caption=t("rpt.exp.roi_category"),
        empty=t("rpt.exp.no_campaign_spend"),
    )
    used_total = ratio(actual_total, budget_total)
    kpis = (
        Kpi(t("rpt.col.budget"), budget_total, "money"),
        Kpi(
            t("rpt.col.actual"),
            actual_total,
            "money",
            t("rpt.exp.kpi_used", used=_pct(inp, used_total)),
            alert=used_total is not None and used_total > error,
        ),
        Kpi(
            t("rpt.exp.kpi_alerts"),
            len(alerts),
            "int",
            alert=bool(alert_flags and any(alert_flags)),
        ),
        Kpi(t("rpt.exp.kpi_ratio"), expense_ratio, "pct", t("rpt.exp.kpi_ratio_note")),
    )
    return ReportView(
        name="expenses",
        title=t("rpt.exp.title"),
        policy="§8",
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.exp.s_budget"),
                (by_category, heat, monthly, by_item),
                t("rpt.exp.s_budget_intro"),
            ),
            Section(
                t("rpt.exp.s_alerts"),
                (alert_table,),
                t("rpt.exp.s_alerts_intro", warn=_pct(inp, warn), error=_pct(inp, error)),
            ),
            Section(t("rpt.exp.s_roi"), (roi_category, camp_table), t("rpt.exp.s_roi_intro")),
        ),
        sources=("expenses.xlsx", "marketing-plan.xlsx", "sales.xlsx"),
        odoo_note=odoo_note(inp),
    )


def _pct(inp: Inputs, value) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang).percent(value, 0)
