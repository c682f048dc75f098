"""Report 4, Market research (policy §3): the research plan and its status, the competitor
comparison, and the findings reported to management with the recommendations they carry.

Policy §3.3 asks for an analysis report to management at least every
``[research] report_every_months`` months: the report says when the last one was made and
whether the next is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from mops.reports.common import Inputs
from mops.reports.model import Chart, Kpi, Notes, ReportView, Section, Series, Table
from mops.schemas.enums import PRICE_LEVEL, PROGRESS, RESEARCH_METHOD


def _months_between(earlier, later) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def build(inp: Inputs) -> ReportView:
    """The market research report for the period's year."""
    t = inp.t
    year = inp.period.year
    plans = sorted(
        (r for r in inp.rows("research_plan") if r.get("year") == year),
        key=lambda r: (r.get("start_date") or dt.date.min, r.get("research_id") or ""),
    )
    status = Counter(r.get("status") for r in plans)
    plan_table = Table(
        columns=(
            inp.col("research"),
            inp.col("purpose", "long"),
            inp.col("method"),
            inp.col("owner"),
            inp.col("end_date", "date"),
            inp.col("status"),
            inp.col("report_date", "date"),
        ),
        rows=tuple(
            (
                r.get("research_id"),
                r.get("purpose"),
                inp.label(RESEARCH_METHOD, r.get("method")),
                r.get("owner"),
                r.get("end_date"),
                inp.label(PROGRESS, r.get("status")),
                r.get("report_date"),
            )
            for r in plans
        ),
        flags=tuple(
            "alert" if r.get("status") == "done" and r.get("report_date") is None else ""
            for r in plans
        ),
        empty=t("rpt.res.no_plans"),
    )
    status_chart = Chart(
        "bars", t("rpt.res.chart_status"), tuple(o.label(inp.lang) for o in PROGRESS.options),
        (Series(t("rpt.col.research_count"), tuple(status[o.key] for o in PROGRESS.options)),),
        kind="int", x_label=t("rpt.col.research_count"),
    )  # fmt: skip
    competitors = sorted(inp.rows("competitors"), key=lambda c: c.get("competitor_id") or "")
    comparison = Table(
        columns=(
            inp.col("competitor", "long"),
            inp.col("segment", "long"),
            inp.col("offer", "long"),
            inp.col("price_level"),
            inp.col("strengths", "long"),
            inp.col("weaknesses", "long"),
            inp.col("recorded", "date"),
        ),
        rows=tuple(
            (
                c.get("name"),
                c.get("segment"),
                c.get("offer"),
                inp.label(PRICE_LEVEL, c.get("price_level")),
                c.get("strengths"),
                c.get("weaknesses"),
                c.get("recorded_date"),
            )
            for c in competitors
        ),
        empty=t("rpt.res.no_competitors"),
    )
    levels = Counter(c.get("price_level") for c in competitors)
    price_chart = Chart(
        "bars", t("rpt.res.chart_price"), tuple(o.label(inp.lang) for o in PRICE_LEVEL.options),
        (Series(t("rpt.col.competitors"), tuple(levels[o.key] for o in PRICE_LEVEL.options)),),
        kind="int", x_label=t("rpt.col.competitors"),
    )  # fmt: skip
    reported = [
        r
        for r in inp.rows("research_plan")
        if r.get("report_date") and r["report_date"] <= inp.as_of
    ]
    findings = Notes(
        tuple(
            (
                f"{r.get('research_id')} · {r.get('purpose') or ''} ({_date(inp, r.get('report_date'))})",
                r["findings"],
            )
            for r in sorted(reported, key=lambda r: r["report_date"], reverse=True)
            if r.get("findings")
        ),
        empty=t("rpt.res.no_findings"),
    )
    every = inp.config.research.report_every_months
    last = max((r["report_date"] for r in reported), default=None)
    overdue = last is None or _months_between(last, inp.as_of) > every
    kpis = (
        Kpi(t("rpt.res.kpi_plans"), len(plans), "int", t("rpt.res.kpi_done", n=status["done"])),
        Kpi(
            t("rpt.res.kpi_last"), last, "date", t("rpt.res.kpi_every", months=every), alert=overdue
        ),
        Kpi(t("rpt.col.competitors"), len(competitors), "int"),
    )
    return ReportView(
        name="research",
        title=t("rpt.res.title"),
        policy="§3",
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.res.s_plan"),
                (plan_table, status_chart),
                t("rpt.res.s_plan_intro", year=year),
            ),
            Section(t("rpt.res.s_competitors"), (comparison, price_chart)),
            Section(
                t("rpt.res.s_findings"), (findings,), t("rpt.res.s_findings_intro", months=every)
            ),
        ),
        sources=("marketing-plan.xlsx",),
    )


def _date(inp: Inputs, value) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang, minguo=inp.config.reports.minguo_dates).date(value)
