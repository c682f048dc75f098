"""Report 8, Staff appraisal (policy §9): the KPI scorecard per person with weights and scores,
commission from the configured tiers, onboarding and training.

A person's score for the period is Σ weight × score over their KPIs (a KPI appraised in several
quarters of the period counts with its mean score). Commission = revenue × the rate of the tier
the salesperson's attainment falls in (from ≤ attainment < to; a tier with no upper bound takes
everything above), with revenue and attainment as in the sales report. Onboarding is on time
when a completed onboarding training is dated within ``[staff] onboarding_within_days`` of hiring.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, mean, ratio, total
from mops.reports.model import Chart, Kpi, ReportView, Section, Series, Table
from mops.reports.sales import signed_contracts, targets_for
from mops.schemas.enums import INCENTIVE, INDICATOR, PERIOD_TYPE, STAFF_GROUP


def tier_rate(tiers: list[dict], attainment: Decimal | None) -> tuple[str | None, Decimal | None]:
    """The commission tier (id, rate) an attainment falls in."""
    if attainment is None:
        return None, None
    for tier in sorted(tiers, key=lambda x: x.get("from_attainment") or 0):
        low, high = tier.get("from_attainment") or Decimal(0), tier.get("to_attainment")
        if attainment >= low and (high is None or attainment < high):
            return tier.get("tier_id"), tier.get("rate")
    return None, None


def build(inp: Inputs) -> ReportView:
    """The staff appraisal report for the period."""
    t = inp.t
    period = inp.period
    roster = {r["name"]: r for r in inp.rows("roster") if r.get("name")}
    kpis = {k["kpi_id"]: k for k in inp.rows("kpis") if k.get("kpi_id")}
    scores: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    incentives: dict[str, set[str]] = defaultdict(set)
    for a in inp.rows("appraisals"):
        if a.get("year") != period.year or (
            period.quarter and a.get("quarter") not in (period.quarter, None)
        ):
            continue
        if period.month and a.get("quarter") not in ((period.month + 2) // 3, None):
            continue
        person = a.get("employee") or t("rpt.unknown")
        scores[person][a.get("kpi_id")].append(a.get("score"))
        if a.get("incentive") and a["incentive"] != "none":
            incentives[person].add(inp.label(INCENTIVE, a["incentive"]))
    card_rows = []
    for person, by_kpi in scores.items():
        weights = total(kpis.get(k, {}).get("weight") for k in by_kpi)
        weighted = total(
            Decimal(kpis.get(k, {}).get("weight") or 0) * (mean(v) or 0) for k, v in by_kpi.items()
        )
        indicators = [inp.label(INDICATOR, kpis.get(k, {}).get("indicator")) for k in by_kpi]
        sep = "、" if inp.lang.value == "zh-TW" else ", "
        card_rows.append(
            (
                person,
                inp.label(STAFF_GROUP, roster.get(person, {}).get("group")),
                sep.join(i for i in indicators if i),
                weights,
                weighted,
                sep.join(sorted(incentives[person])),
            )
        )
    card_rows.sort(key=lambda r: -r[4])
    scorecard = Table(
        columns=(
            inp.col("person"),
            inp.col("group"),
            inp.col("indicators", "long"),
            inp.col("weights", "pct"),
            inp.col("weighted_score", "num1"),
            inp.col("incentive"),
        ),
        rows=tuple(card_rows),
        flags=tuple("alert" if r[3] != 1 else "" for r in card_rows),
        empty=t("rpt.stf.no_appraisals"),
    )
    score_chart = Chart(
        "bars", t("rpt.stf.chart_scores"), tuple(r[0] for r in card_rows),
        (Series(t("rpt.col.weighted_score"), tuple(r[4] for r in card_rows)),), kind="num1",
        x_label=t("rpt.col.weighted_score"),
    )  # fmt: skip
    definitions = Table(
        columns=(
            inp.col("group"),
            inp.col("indicator"),
            inp.col("weight", "pct"),
            inp.col("standard", "long"),
            inp.col("period_type"),
        ),
        rows=tuple(
            (
                inp.label(STAFF_GROUP, k.get("group")),
                inp.label(INDICATOR, k.get("indicator")),
                k.get("weight"),
                k.get("standard"),
                inp.label(PERIOD_TYPE, k.get("period_type")),
            )
            for k in sorted(
                kpis.values(), key=lambda k: (k.get("group") or "", k.get("kpi_id") or "")
            )
            if k.get("year") == period.year
        ),
        caption=t("rpt.stf.definitions", year=period.year),
    )

    targets = targets_for(inp)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for c in signed_contracts(inp):
        revenue[c.get("owner") or "—"] += Decimal(c.get("amount") or 0)
    tiers = inp.rows("commission_tiers")
    commission_rows = []
    for person in sorted(set(targets) | set(revenue)):
        attainment = ratio(revenue.get(person, Decimal(0)), targets.get(person, {}).get("revenue"))
        tier, rate = tier_rate(tiers, attainment)
        amount = revenue.get(person, Decimal(0)) * rate if rate is not None else None
        commission_rows.append(
            (person, revenue.get(person, Decimal(0)), attainment, tier, rate, amount)
        )
    commission = Table(
        columns=(
            inp.col("salesperson"),
            inp.col("revenue_actual", "money"),
            inp.col("attainment", "pct"),
            inp.col("tier_id"),
            inp.col("rate", "pct"),
            inp.col("commission", "money"),
        ),
        rows=tuple(commission_rows),
        total=(
            t("rpt.total"),
            total(r[1] for r in commission_rows),
            None,
            "",
            None,
            total(r[5] for r in commission_rows),
        ),
        empty=t("rpt.stf.no_commission"),
    )
    tier_table = Table(
        columns=(
            inp.col("tier_id"),
            inp.col("from", "pct"),
            inp.col("to", "pct"),
            inp.col("rate", "pct"),
        ),
        rows=tuple(
            (x.get("tier_id"), x.get("from_attainment"), x.get("to_attainment"), x.get("rate"))
            for x in tiers
        ),
        caption=t("rpt.stf.tiers"),
    )

    within = inp.config.staff.onboarding_within_days
    training = inp.rows("training")
    onboarding_rows = []
    for person, r in sorted(
        roster.items(), key=lambda kv: kv[1].get("hire_date") or dt.date.min, reverse=True
    ):
        if r.get("active") is False:
            continue
        hired = r.get("hire_date")
        done = sorted(
            x["date"]
            for x in training
            if x.get("employee") == person
            and x.get("training_type") == "onboarding"
            and x.get("completed")
            and x.get("date")
        )
        first = done[0] if done else None
        on_time = first is not None and hired is not None and (first - hired).days <= within
        hours = total(
            x.get("hours")
            for x in training
            if x.get("employee") == person and period.contains(x.get("date")) and x.get("completed")
        )
        state = (
            t("rpt.stf.on_time")
            if on_time
            else t("rpt.stf.late")
            if first
            else t("rpt.stf.missing")
        )
        onboarding_rows.append(
            (person, inp.label(STAFF_GROUP, r.get("group")), hired, first, state, hours)
        )
    onboarding = Table(
        columns=(
            inp.col("person"),
            inp.col("group"),
            inp.col("hire_date", "date"),
            inp.col("onboarded", "date"),
            inp.col("onboarding"),
            inp.col("training_hours", "num1"),
        ),
        rows=tuple(onboarding_rows),
        flags=tuple("" if r[4] == t("rpt.stf.on_time") else "alert" for r in onboarding_rows),
    )
    view_kpis = (
        Kpi(t("rpt.stf.kpi_appraised"), len(card_rows), "int"),
        Kpi(t("rpt.stf.kpi_mean"), mean(r[4] for r in card_rows), "num1"),
        Kpi(t("rpt.col.commission"), total(r[5] for r in commission_rows), "money"),
        Kpi(
            t("rpt.stf.kpi_onboarding"),
            sum(1 for r in onboarding_rows if r[4] != t("rpt.stf.on_time")),
            "int",
            t("rpt.stf.kpi_onboarding_note", days=within),
        ),
        Kpi(t("rpt.col.training_hours"), total(r[5] for r in onboarding_rows), "num1"),
    )
    return ReportView(
        name="staff",
        title=t("rpt.stf.title"),
        policy="§9",
        period=period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=view_kpis,
        sections=(
            Section(
                t("rpt.stf.s_scorecard"),
                (scorecard, score_chart, definitions),
                t("rpt.stf.s_scorecard_intro"),
            ),
            Section(
                t("rpt.stf.s_commission"), (commission, tier_table), t("rpt.stf.s_commission_intro")
            ),
            Section(
                t("rpt.stf.s_training"), (onboarding,), t("rpt.stf.s_training_intro", days=within)
            ),
        ),
        sources=("staff.xlsx", "sales.xlsx"),
    )
