"""Report 1, Sales (policy §6): targets against actuals, pipeline, win rate, the monthly trend.

Revenue is the amount of the contracts signed in the period, credited to the contract's owner;
a new customer is one whose first signed contract falls in the period; satisfaction is the mean
score of the service tickets resolved in the period for the salesperson's customers. Profit
targets are shown, but the workbooks hold no costs, so profit actuals are not computed here.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, day, mean, ratio, total
from mops.reports.model import Chart, Column, Kpi, ReportView, Section, Series, Table
from mops.schemas.enums import COMPANY_SIZE, OPPORTUNITY_STAGE, REGION, SERVICE_LINE, STAFF_GROUP

OPEN_STAGES = ("new", "qualified", "proposal", "negotiation")
FUNNEL = ("new", "qualified", "proposal", "negotiation", "won")
LOW_ATTAINMENT = Decimal("0.8")


def signed_contracts(inp: Inputs) -> list[dict]:
    """Contracts signed in the period (the period's revenue)."""
    return [c for c in inp.rows("contracts") if inp.period.contains(c.get("signed_date"))]


def targets_for(inp: Inputs) -> dict[str, dict[str, Decimal]]:
    """Each salesperson's targets for the period: the rows of its kind, else the finer rows in it."""
    period = inp.period
    kinds = {"year": ("year", "quarter", "month"), "quarter": ("quarter", "month")}
    out: dict[str, dict[str, Decimal]] = {}
    rows = [r for r in inp.rows("targets") if r.get("year") == period.year and r.get("salesperson")]
    for kind in kinds.get(period.kind, ("month",)):
        found: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for r in rows:
            if r.get("period_type") != kind:
                continue
            if kind == "quarter" and period.kind != "year" and r.get("quarter") != period.quarter:
                continue
            if kind == "month":
                month = r.get("month")
                if month is None or not period.contains(period.start.replace(month=month)):
                    continue
            entry = found[r["salesperson"]]
            for field in ("revenue", "profit", "new_customers"):
                entry[field] += Decimal(r.get(field) or 0)
            if r.get("satisfaction") is not None:
                entry["satisfaction"] = Decimal(r["satisfaction"])
        for person, entry in found.items():
            out.setdefault(person, dict(entry))
    return out


def new_customers(inp: Inputs) -> dict[str, set[str]]:
    """Customers whose first signed contract is in the period, by the salesperson who signed it."""
    first: dict[str, dict] = {}
    for c in inp.rows("contracts"):
        signed, customer = c.get("signed_date"), c.get("customer_id")
        if signed is None or customer is None:
            continue
        if customer not in first or signed < first[customer]["signed_date"]:
            first[customer] = c
    out: dict[str, set[str]] = defaultdict(set)
    for customer, c in first.items():
        if inp.period.contains(c["signed_date"]) and c.get("owner"):
            out[c["owner"]].add(customer)
    return out


def team_of(roster: dict[str, dict], person: str | None, t) -> str | None:
    """A salesperson's team: named after its lead (the person, if a lead; else their manager)."""
    row = roster.get(person or "")
    if row is None:
        return None
    lead = person if row.get("role") == "lead" or not row.get("manager") else row["manager"]
    return t("rpt.sales.team_of", lead=lead)


def build(inp: Inputs) -> ReportView:
    """The sales report for the period."""
    t = inp.t
    contracts = signed_contracts(inp)
    customers = {c["customer_id"]: c for c in inp.rows("customers") if c.get("customer_id")}
    roster = {r["name"]: r for r in inp.rows("roster") if r.get("name")}
    targets = targets_for(inp)
    fresh = new_customers(inp)

    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for c in contracts:
        revenue[c.get("owner") or "—"] += Decimal(c.get("amount") or 0)
    managed: dict[str, list[int]] = defaultdict(list)
    for ticket in inp.rows("tickets"):
        customer = customers.get(ticket.get("customer_id"))
        resolved = day(ticket.get("resolved_at"))
        if customer and ticket.get("satisfaction") is not None and inp.period.contains(resolved):
            managed[customer.get("account_manager") or "—"].append(ticket["satisfaction"])

    people = sorted(set(targets) | set(revenue), key=lambda p: (-revenue.get(p, 0), p))
    rows, flags, other_rows = [], [], []
    for person in people:
        target = targets.get(person, {})
        attainment = ratio(revenue.get(person, Decimal(0)), target.get("revenue"))
        rows.append(
            (
                person,
                target.get("revenue"),
                revenue.get(person, Decimal(0)),
                attainment,
                target.get("profit"),
            )
        )
        flags.append("alert" if attainment is not None and attainment < LOW_ATTAINMENT else "")
        other_rows.append(
            (
                person,
                inp.label(STAFF_GROUP, roster.get(person, {}).get("group")),
                target.get("new_customers"),
                len(fresh.get(person, ())),
                target.get("satisfaction"),
                mean(managed.get(person, ())),
            )
        )
    revenue_target = total(t_.get("revenue") for t_ in targets.values())
    revenue_actual = total(revenue.values())
    new_target = total(t_.get("new_customers") for t_ in targets.values())
    new_actual = sum(len(v) for v in fresh.values())
    by_person = Table(
        columns=(
            inp.col("salesperson"),
            inp.col("revenue_target", "money"),
            inp.col("revenue_actual", "money"),
            inp.col("attainment", "pct"),
            inp.col("profit_target", "money"),
        ),
        rows=tuple(rows),
        flags=tuple(flags),
        total=(
            t("rpt.total"),
            revenue_target,
            revenue_actual,
            ratio(revenue_actual, revenue_target),
            total(t_.get("profit") for t_ in targets.values()),
        ),
        caption=t("rpt.sales.revenue_by_person"),
        empty=t("rpt.sales.no_targets"),
    )
    customers_by_person = Table(
        columns=(
            inp.col("salesperson"),
            inp.col("group"),
            inp.col("new_customers_target", "int"),
            inp.col("new_customers_actual", "int"),
            inp.col("satisfaction_target", "num1"),
            inp.col("satisfaction_actual", "num1"),
        ),
        rows=tuple(other_rows),
        total=(
            t("rpt.total"),
            "",
            new_target,
            new_actual,
            None,
            mean(s for v in managed.values() for s in v),
        ),
        caption=t("rpt.sales.customers_by_person"),
        empty=t("rpt.sales.no_targets"),
    )
    attainment_chart = Chart(
        "bars",
        t("rpt.sales.chart_attainment"),
        tuple(p for p in people if p in targets),
        (
            Series(t("rpt.col.revenue_target"), tuple(targets[p].get("revenue") for p in people if p in targets)),
            Series(t("rpt.col.revenue_actual"), tuple(revenue.get(p, Decimal(0)) for p in people if p in targets)),
        ),
        kind="money",
        x_label=t("rpt.axis_twd"),
    )  # fmt: skip

    def breakdown(title: str, key_of, caption_key: str) -> Table:
        sums: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
        for c in contracts:
            key = key_of(c) or t("rpt.unknown")
            sums[key][0] += 1
            sums[key][1] += Decimal(c.get("amount") or 0)
        ordered = sorted(sums.items(), key=lambda kv: -kv[1][1])
        return Table(
            columns=(Column(title), inp.col("contracts", "int"), inp.col("revenue", "money"), inp.col("share", "pct")),
            rows=tuple((k, n, amount, ratio(amount, revenue_actual)) for k, (n, amount) in ordered),
            caption=t(caption_key),
            total=(t("rpt.total"), len(contracts), revenue_actual, Decimal(1) if contracts else None),
        )  # fmt: skip

    def customer_of(c: dict) -> dict:
        return customers.get(c.get("customer_id"), {})

    breakdowns = (
        breakdown(t("rpt.col.team"), lambda c: team_of(roster, c.get("owner"), t), "rpt.sales.by_team"),
        breakdown(t("rpt.col.region"), lambda c: inp.label(REGION, customer_of(c).get("region")), "rpt.sales.by_region"),
        breakdown(t("rpt.col.company_size"), lambda c: inp.label(COMPANY_SIZE, customer_of(c).get("company_size")), "rpt.sales.by_customer_type"),
        breakdown(t("rpt.col.service_line"), lambda c: inp.label(SERVICE_LINE, c.get("service_line")), "rpt.sales.by_service_line"),
    )  # fmt: skip

    # Pipeline: the opportunities open on the as-of date.
    opportunities = [
        o for o in inp.rows("opportunities")
        if o.get("created_date") is None or o["created_date"] <= inp.as_of
    ]  # fmt: skip
    open_ops = [o for o in opportunities if o.get("stage") in OPEN_STAGES]
    stage_rows = []
    for stage in OPEN_STAGES:
        here = [o for o in open_ops if o["stage"] == stage]
        expected = total(o.get("expected_revenue") for o in here)
        weighted = total(
            Decimal(o.get("expected_revenue") or 0) * Decimal(o.get("probability") or 0)
            for o in here
        )
        stage_rows.append((inp.label(OPPORTUNITY_STAGE, stage), len(here), expected, weighted))
    pipeline = Table(
        columns=(inp.col("stage"), inp.col("opportunities", "int"), inp.col("expected_revenue", "money"), inp.col("weighted_revenue", "money")),
        rows=tuple(stage_rows),
        total=(t("rpt.total"), len(open_ops), total(r[2] for r in stage_rows), total(r[3] for r in stage_rows)),
        caption=t("rpt.sales.pipeline_by_stage"),
    )  # fmt: skip
    closing: dict[tuple[int, int], list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    overdue_close = 0
    for o in open_ops:
        close = o.get("expected_close")
        if close is None:
            continue
        if close < inp.as_of:
            overdue_close += 1
        key = (close.year, close.month) if close >= inp.as_of.replace(day=1) else (0, 0)
        amount = Decimal(o.get("expected_revenue") or 0)
        closing[key][0] += 1
        closing[key][1] += amount
        closing[key][2] += amount * Decimal(o.get("probability") or 0)
    close_rows = tuple(
        (t("rpt.sales.close_past") if key == (0, 0) else f"{key[0]}-{key[1]:02d}", *vals)
        for key, vals in sorted(closing.items())
    )
    by_close = Table(
        columns=(inp.col("expected_close"), inp.col("opportunities", "int"), inp.col("expected_revenue", "money"), inp.col("weighted_revenue", "money")),
        rows=close_rows,
        caption=t("rpt.sales.pipeline_by_close"),
        flags=tuple("alert" if r[0] == t("rpt.sales.close_past") else "" for r in close_rows),
    )  # fmt: skip

    # Win rate: opportunities decided (won or lost) with their expected close in the period.
    decided = [
        o for o in opportunities
        if o.get("stage") in ("won", "lost") and inp.period.contains(o.get("expected_close"))
    ]  # fmt: skip
    won = [o for o in decided if o["stage"] == "won"]
    win_rows = []
    for person in sorted({o.get("salesperson") or "—" for o in decided}):
        mine = [o for o in decided if (o.get("salesperson") or "—") == person]
        mine_won = sum(1 for o in mine if o["stage"] == "won")
        win_rows.append((person, len(mine), mine_won, ratio(mine_won, len(mine))))
    win_table = Table(
        columns=(inp.col("salesperson"), inp.col("decided", "int"), inp.col("won", "int"), inp.col("win_rate", "pct")),
        rows=tuple(win_rows),
        total=(t("rpt.total"), len(decided), len(won), ratio(len(won), len(decided))),
        caption=t("rpt.sales.win_rate"),
    )  # fmt: skip
    funnel_counts = []
    created = [o for o in opportunities if inp.period.contains(o.get("created_date"))]
    for i, _stage in enumerate(FUNNEL):
        funnel_counts.append(
            sum(1 for o in created if o.get("stage") in FUNNEL[i:]) if i else len(created)
        )
    funnel = Chart(
        "funnel",
        t("rpt.sales.chart_funnel"),
        tuple(inp.label(OPPORTUNITY_STAGE, s) for s in FUNNEL),
        (Series(t("rpt.col.opportunities"), tuple(funnel_counts)),),
        note=t("rpt.sales.funnel_note"),
    )

    # Trend: revenue signed month by month in the period's year, up to the as-of month.
    year = inp.period.year
    last = 12 if inp.as_of.year > year else inp.as_of.month if inp.as_of.year == year else 0
    monthly = [Decimal(0)] * last
    for c in inp.rows("contracts"):
        signed = c.get("signed_date")
        if signed is not None and signed.year == year and signed.month <= last:
            monthly[signed.month - 1] += Decimal(c.get("amount") or 0)
    month_targets: dict[int, Decimal] = defaultdict(Decimal)
    for r in inp.rows("targets"):
        if r.get("year") == year and r.get("period_type") == "month" and r.get("month"):
            month_targets[r["month"]] += Decimal(r.get("revenue") or 0)
    months = tuple(t("rpt.month_short", month=m) for m in range(1, last + 1))
    series = [Series(t("rpt.col.revenue_actual"), tuple(monthly))]
    if month_targets:
        series.append(Series(t("rpt.col.revenue_target"), tuple(month_targets.get(m) for m in range(1, last + 1))))  # fmt: skip
    trend = Chart(
        "lines", t("rpt.sales.chart_trend", year=year), months, tuple(series), kind="money",
        x_label=t("rpt.axis_month"), y_label=t("rpt.axis_twd"),
    )  # fmt: skip
    trend_rows = tuple(
        (months[i], monthly[i], month_targets.get(i + 1), ratio(monthly[i] - monthly[i - 1], monthly[i - 1]) if i else None)
        for i in range(last)
    )  # fmt: skip
    trend_table = Table(
        columns=(inp.col("month"), inp.col("revenue_actual", "money"), inp.col("revenue_target", "money"), inp.col("mom_change", "pct")),
        rows=trend_rows,
    )  # fmt: skip

    pipeline_total = total(r[2] for r in stage_rows)
    attainment = ratio(revenue_actual, revenue_target)
    kpis = (
        Kpi(t("rpt.col.revenue_actual"), revenue_actual, "money", t("rpt.kpi_of_target", target=_money_word(inp, revenue_target))),
        Kpi(t("rpt.col.attainment"), attainment, "pct", alert=attainment is not None and attainment < LOW_ATTAINMENT),
        Kpi(t("rpt.col.new_customers_actual"), new_actual, "int", t("rpt.kpi_of_target", target=int(new_target))),
        Kpi(t("rpt.col.win_rate"), ratio(len(won), len(decided)), "pct", t("rpt.sales.kpi_decided", n=len(decided))),
        Kpi(t("rpt.sales.kpi_pipeline"), pipeline_total, "money", t("rpt.sales.kpi_open", n=len(open_ops))),
    )  # fmt: skip
    return ReportView(
        name="sales",
        title=t("rpt.sales.title"),
        policy="§6",
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.sales.s_attainment"),
                (by_person, attainment_chart, customers_by_person),
                t("rpt.sales.s_attainment_intro"),
            ),
            Section(t("rpt.sales.s_breakdown"), breakdowns),
            Section(
                t("rpt.sales.s_pipeline"),
                (pipeline, by_close, funnel),
                t("rpt.sales.s_pipeline_intro", overdue=overdue_close),
            ),
            Section(t("rpt.sales.s_win"), (win_table,)),
            Section(t("rpt.sales.s_trend"), (trend, trend_table)),
        ),
        sources=("sales.xlsx", "customers.xlsx", "customer-service.xlsx", "staff.xlsx"),
    )


def _money_word(inp: Inputs, amount: Decimal) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang, currency_decimals=inp.config.general.currency_decimals).money(amount)
