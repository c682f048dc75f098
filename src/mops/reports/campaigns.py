"""Report 3, Campaign evaluation (policy §4): per campaign, every target against its actual,
cost per lead and ROI, the approval trail and the lessons; the campaigns due for evaluation.

A campaign belongs to the period when it runs during it. Its cost is the spend on it: what Odoo
booked on its analytic account when finance figures with the campaign split were pulled, else
the expense claims with its ID (rejected ones left out); its budget when nothing was spent;
cost per lead = cost ÷ actual leads; ROI = (actual revenue − cost) ÷ cost. A campaign is due
for evaluation ``[campaigns] evaluation_due_days`` after it ends.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, ratio
from mops.reports.model import Chart, Kpi, Notes, ReportView, Section, Series, Table
from mops.schemas.enums import CAMPAIGN_STATUS

CHART_LIMIT = 15


def in_period(inp: Inputs, c: dict) -> bool:
    """Whether the campaign runs at some time in the period."""
    start, end = c.get("start_date"), c.get("end_date")
    return (start is None or start <= inp.period.end) and (end is None or end >= inp.period.start)


def costs(inp: Inputs) -> dict[str, Decimal]:
    """Spend on each campaign: its analytic account's when Odoo's campaign split was pulled,
    else the claims on it (rejected claims left out)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    if inp.odoo is not None and inp.odoo.campaign_actuals:
        for a in inp.odoo.campaign_actuals:
            if a.campaign_id:
                out[a.campaign_id] += a.amount
        return out
    for claim in inp.rows("claims"):
        if claim.get("campaign_id") and claim.get("approval") != "rejected":
            out[claim["campaign_id"]] += Decimal(claim.get("amount") or 0)
    return out


def build(inp: Inputs) -> ReportView:
    """The campaign evaluation report for the period."""
    t = inp.t
    campaigns = sorted(
        (c for c in inp.rows("campaigns") if in_period(inp, c)),
        key=lambda c: c.get("campaign_id") or "",
    )
    spent = costs(inp)
    targets = Table(
        columns=(
            inp.col("campaign"),
            inp.col("participants_ta", "text"),
            inp.col("leads_ta", "text"),
            inp.col("revenue_target", "money"),
            inp.col("revenue_actual", "money"),
            inp.col("attainment", "pct"),
        ),
        rows=tuple(
            (
                c.get("campaign_id"),
                _pair(inp, c.get("actual_participants"), c.get("target_participants")),
                _pair(inp, c.get("actual_leads"), c.get("target_leads")),
                c.get("target_revenue"),
                c.get("actual_revenue"),
                ratio(c.get("actual_revenue"), c.get("target_revenue")),
            )
            for c in campaigns
        ),
        caption=t("rpt.cmp.targets"),
    )
    quality = Table(
        columns=(
            inp.col("campaign"),
            inp.col("name", "long"),
            inp.col("awareness_target", "pct"),
            inp.col("awareness_actual", "pct"),
            inp.col("satisfaction_target", "num1"),
            inp.col("satisfaction_actual", "num1"),
        ),
        rows=tuple(
            (
                c.get("campaign_id"),
                c.get("name"),
                c.get("target_awareness_lift"),
                c.get("actual_awareness_lift"),
                c.get("target_satisfaction"),
                c.get("actual_satisfaction"),
            )
            for c in campaigns
        ),
        caption=t("rpt.cmp.quality"),
    )
    cost_rows, flags = [], []
    for c in campaigns:
        cid = c.get("campaign_id")
        cost = spent.get(cid) or (Decimal(c["budget"]) if c.get("budget") is not None else None)
        roi = (
            ratio(Decimal(c["actual_revenue"]) - cost, cost)
            if c.get("actual_revenue") is not None and cost
            else None
        )
        cost_rows.append(
            (cid, c.get("budget"), spent.get(cid), ratio(cost, c.get("actual_leads")), roi)
        )
        flags.append("alert" if roi is not None and roi < 0 else "")
    cost_table = Table(
        columns=(
            inp.col("campaign"),
            inp.col("budget", "money"),
            inp.col("spend", "money"),
            inp.col("cost_per_lead", "money"),
            inp.col("roi", "pct"),
        ),
        rows=tuple(cost_rows),
        flags=tuple(flags),
        caption=t("rpt.cmp.cost"),
    )
    charted = [c for c in campaigns if c.get("target_leads") is not None][:CHART_LIMIT]
    leads_chart = Chart(
        "bars", t("rpt.cmp.chart_leads"), tuple(c.get("campaign_id") or "" for c in charted),
        (Series(t("rpt.col.target"), tuple(c.get("target_leads") for c in charted)),
         Series(t("rpt.col.actual_value"), tuple(c.get("actual_leads") for c in charted))),
        kind="int", x_label=t("rpt.col.leads"),
    )  # fmt: skip
    trail = Table(
        columns=(
            inp.col("campaign"),
            inp.col("status"),
            inp.col("owner"),
            inp.col("reviewer"),
            inp.col("review_date", "date"),
            inp.col("approver"),
            inp.col("approval_date", "date"),
        ),
        rows=tuple(
            (
                c.get("campaign_id"),
                inp.label(CAMPAIGN_STATUS, c.get("status")),
                c.get("owner"),
                c.get("reviewer"),
                c.get("review_date"),
                c.get("approver"),
                c.get("approval_date"),
            )
            for c in campaigns
        ),
        flags=tuple(
            "alert"
            if c.get("status") in ("executing", "closed") and c.get("approval_date") is None
            else ""
            for c in campaigns
        ),
    )
    lessons = Notes(
        tuple(
            (f"{c.get('campaign_id')} · {c.get('name') or ''}", c["lessons"])
            for c in campaigns
            if c.get("lessons")
        ),
        empty=t("rpt.cmp.no_lessons"),
    )
    due_days = inp.config.campaigns.evaluation_due_days
    due = []
    for c in inp.rows("campaigns"):
        end = c.get("end_date")
        if (
            end is None
            or c.get("evaluation_date") is not None
            or end >= inp.as_of
            or c.get("status") in ("draft", "rejected")
        ):
            continue
        deadline = end + dt.timedelta(days=due_days)
        due.append(
            (
                c.get("campaign_id"),
                c.get("name"),
                c.get("owner"),
                end,
                deadline,
                max((inp.as_of - deadline).days, 0),
            )
        )
    due.sort(key=lambda r: r[4])
    due_table = Table(
        columns=(
            inp.col("campaign"),
            inp.col("name", "long"),
            inp.col("owner"),
            inp.col("end_date", "date"),
            inp.col("evaluation_due", "date"),
            inp.col("days_late", "int"),
        ),
        rows=tuple(due),
        flags=tuple("alert" if r[5] else "" for r in due),
        empty=t("rpt.cmp.none_due"),
    )
    total_leads = sum(c.get("actual_leads") or 0 for c in campaigns)
    total_cost = sum(
        (spent.get(c.get("campaign_id")) or Decimal(c.get("budget") or 0) for c in campaigns),
        Decimal(0),
    )
    total_revenue = sum((Decimal(c.get("actual_revenue") or 0) for c in campaigns), Decimal(0))
    kpis = (
        Kpi(t("rpt.cmp.kpi_campaigns"), len(campaigns), "int"),
        Kpi(
            t("rpt.col.leads"),
            total_leads,
            "int",
            t("rpt.kpi_of_target", target=sum(c.get("target_leads") or 0 for c in campaigns)),
        ),
        Kpi(t("rpt.col.cost_per_lead"), ratio(total_cost, total_leads), "money"),
        Kpi(t("rpt.col.roi"), ratio(total_revenue - total_cost, total_cost), "pct"),
        Kpi(t("rpt.cmp.kpi_due"), len(due), "int", alert=any(r[5] for r in due)),
    )
    return ReportView(
        name="campaigns",
        title=t("rpt.cmp.title"),
        policy="§4",
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.cmp.s_targets"),
                (targets, leads_chart, quality),
                t("rpt.cmp.s_targets_intro"),
            ),
            Section(t("rpt.cmp.s_cost"), (cost_table,), t("rpt.cmp.s_cost_intro")),
            Section(t("rpt.cmp.s_trail"), (trail,), t("rpt.cmp.s_trail_intro")),
            Section(t("rpt.cmp.s_lessons"), (lessons,)),
            Section(t("rpt.cmp.s_due"), (due_table,), t("rpt.cmp.s_due_intro", days=due_days)),
        ),
        sources=("marketing-plan.xlsx", "expenses.xlsx"),
    )


def _pair(inp: Inputs, actual, target) -> str:
    """``actual / target`` as one cell."""
    from mops.reports.fmt import Formatter

    fmt = Formatter(inp.lang)
    return f"{fmt.value(actual, 'int')} / {fmt.value(target, 'int')}"
