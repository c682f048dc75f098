"""Report 2, Customers and follow-up (policy §5): overdue follow-ups by tier cadence and owner,
incomplete customer records, the tier mix, and channel effectiveness.

A customer who is not lost is due a contact ``[customers.cadence_days]`` days (by tier) after
the last one in the follow-up log (or after the first contact, if none), as rule P5.3-cadence
judges it. A record is incomplete when a column policy §5.2 asks for is blank.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from mops.reports.common import Inputs, ratio
from mops.reports.model import Chart, Kpi, ReportView, Section, Series, Table
from mops.schemas.enums import CHANNEL, CUSTOMER_STATUS, PLAN_STATUS, TIER
from mops.schemas.registry import WORKBOOKS

LIST_LIMIT = 40


def required_columns() -> list[tuple[str, object]]:
    """The customers' columns policy §5.2 asks for (key, column), from the declaration."""
    sheet = next(s for wb in WORKBOOKS for s in wb.sheets if s.key == "customers")
    return [(c.key, c) for c in sheet.columns if "P5.2-complete" in (c.policy or ())]


def build(inp: Inputs) -> ReportView:
    """The customers and follow-up report, as of the as-of date."""
    t = inp.t
    as_of = inp.as_of
    cadence = inp.config.customers.cadence_days
    customers = inp.rows("customers")
    last: dict[str, object] = {}
    for log in inp.rows("followup_log"):
        cid, when = log.get("customer_id"), log.get("date")
        if cid and when and (cid not in last or when > last[cid]):
            last[cid] = when

    overdue = []
    per_owner: dict[str, Counter] = defaultdict(Counter)
    for c in customers:
        tier, owner = c.get("tier"), c.get("account_manager") or t("rpt.unknown")
        if c.get("status") == "lost" or tier not in cadence:
            continue
        per_owner[owner]["customers"] += 1
        since = last.get(c.get("customer_id")) or c.get("first_contact_date")
        if since is None:
            continue
        late = (as_of - since).days - cadence[tier]
        if late > 0:
            per_owner[owner][tier] += 1
            per_owner[owner]["overdue"] += 1
            overdue.append(
                (
                    c.get("customer_id"),
                    c.get("name"),
                    inp.label(TIER, tier),
                    owner,
                    last.get(c.get("customer_id")),
                    cadence[tier],
                    late,
                )
            )
    overdue.sort(key=lambda r: (-r[6], r[0] or ""))
    tiers = list(cadence)
    owners = sorted(per_owner.items(), key=lambda kv: (-kv[1]["overdue"], kv[0]))
    by_owner = Table(
        columns=(
            inp.col("owner"),
            inp.col("customers", "int"),
            *(inp.col_text(inp.label(TIER, x), "int") for x in tiers),
            inp.col("overdue", "int"),
            inp.col("overdue_share", "pct"),
        ),
        rows=tuple(
            (
                name,
                c["customers"],
                *(c[x] for x in tiers),
                c["overdue"],
                ratio(c["overdue"], c["customers"]),
            )
            for name, c in owners
        ),
        total=(
            t("rpt.total"),
            sum(c["customers"] for _, c in owners),
            *(sum(c[x] for _, c in owners) for x in tiers),
            len(overdue),
            ratio(len(overdue), sum(c["customers"] for _, c in owners)),
        ),
        caption=t("rpt.cus.by_owner"),
    )
    most_late = Table(
        columns=(
            inp.col("customer_id"),
            inp.col("customer"),
            inp.col("tier"),
            inp.col("owner"),
            inp.col("last_contact", "date"),
            inp.col("cadence_days", "int"),
            inp.col("days_late", "int"),
        ),
        rows=tuple(overdue[:LIST_LIMIT]),
        caption=t("rpt.cus.most_late", n=min(LIST_LIMIT, len(overdue)), total=len(overdue)),
        empty=t("rpt.cus.none_late"),
    )
    missed_plans = [
        p
        for p in inp.rows("followup_plan")
        if p.get("status") == "planned" and p.get("planned_date") and p["planned_date"] < as_of
    ]
    missed_by_owner = Counter(p.get("owner") or t("rpt.unknown") for p in missed_plans)
    plans = Table(
        columns=(inp.col("owner"), inp.col_text(inp.label(PLAN_STATUS, "planned"), "int")),
        rows=tuple(sorted(missed_by_owner.items(), key=lambda kv: -kv[1])),
        caption=t("rpt.cus.plans_past"),
        empty=t("rpt.cus.no_plans_past"),
    )

    needed = required_columns()
    incomplete = []
    for c in customers:
        blank = [col.label(inp.lang) for key, col in needed if c.get(key) in (None, "")]
        if blank:
            incomplete.append(
                (
                    c.get("customer_id"),
                    c.get("name"),
                    c.get("account_manager"),
                    "、".join(blank) if inp.lang.value == "zh-TW" else ", ".join(blank),
                )
            )
    incomplete_table = Table(
        columns=(
            inp.col("customer_id"),
            inp.col("customer"),
            inp.col("owner"),
            inp.col("missing", "long"),
        ),
        rows=tuple(incomplete[:LIST_LIMIT]),
        caption=t("rpt.cus.incomplete", n=min(LIST_LIMIT, len(incomplete)), total=len(incomplete)),
        empty=t("rpt.cus.all_complete"),
    )

    live = [c for c in customers if c.get("status") != "lost"]
    tier_counts = Counter(c.get("tier") for c in customers)
    status_by_tier = {
        x: Counter(c.get("status") for c in customers if c.get("tier") == x) for x in tiers
    }
    statuses = [o.key for o in CUSTOMER_STATUS.options]
    tier_table = Table(
        columns=(
            inp.col("tier"),
            *(inp.col_text(inp.label(CUSTOMER_STATUS, s), "int") for s in statuses),
            inp.col("customers", "int"),
            inp.col("share", "pct"),
        ),
        rows=tuple(
            (
                inp.label(TIER, x),
                *(status_by_tier[x][s] for s in statuses),
                tier_counts[x],
                ratio(tier_counts[x], len(customers)),
            )
            for x in tiers
        ),
        total=(
            t("rpt.total"),
            *(sum(status_by_tier[x][s] for x in tiers) for s in statuses),
            len(customers),
            ratio(len(customers), len(customers)),
        ),
    )
    tier_chart = Chart(
        "bars", t("rpt.cus.chart_tiers"), tuple(inp.label(TIER, x) for x in tiers),
        (Series(t("rpt.col.customers"), tuple(tier_counts[x] for x in tiers)),), kind="int",
        x_label=t("rpt.col.customers"),
    )  # fmt: skip

    # Channel effectiveness: customers a channel brought, their opportunities, and wins.
    opportunities = inp.rows("opportunities")
    channel_rows = []
    for option in CHANNEL.options:
        leads = sum(1 for c in customers if c.get("channel") == option.key)
        ops = [o for o in opportunities if o.get("channel") == option.key]
        won = sum(1 for o in ops if o.get("stage") == "won")
        decided = sum(1 for o in ops if o.get("stage") in ("won", "lost"))
        channel_rows.append(
            (
                option.label(inp.lang),
                leads,
                len(ops),
                won,
                ratio(len(ops), leads),
                ratio(won, decided),
            )
        )
    channel_rows.sort(key=lambda r: -r[3])
    channels = Table(
        columns=(
            inp.col("channel"),
            inp.col("leads", "int"),
            inp.col("opportunities", "int"),
            inp.col("won", "int"),
            inp.col("ops_per_lead", "pct"),
            inp.col("win_rate", "pct"),
        ),
        rows=tuple(channel_rows),
        total=(
            t("rpt.total"),
            len(customers),
            len(opportunities),
            sum(r[3] for r in channel_rows),
            ratio(len(opportunities), len(customers)),
            ratio(
                sum(r[3] for r in channel_rows),
                sum(1 for o in opportunities if o.get("stage") in ("won", "lost")),
            ),
        ),
    )
    channel_chart = Chart(
        "bars", t("rpt.cus.chart_channels"), tuple(r[0] for r in channel_rows),
        (Series(t("rpt.col.leads"), tuple(r[1] for r in channel_rows)),
         Series(t("rpt.col.opportunities"), tuple(r[2] for r in channel_rows)),
         Series(t("rpt.col.won"), tuple(r[3] for r in channel_rows))),
        kind="int", x_label=t("rpt.col.count"),
    )  # fmt: skip
    funnel = Chart(
        "funnel", t("rpt.cus.chart_funnel"),
        (t("rpt.col.leads"), t("rpt.col.opportunities"), t("rpt.col.won")),
        (Series(t("rpt.col.count"), (len(customers), len(opportunities), sum(r[3] for r in channel_rows))),),
    )  # fmt: skip
    kpis = (
        Kpi(t("rpt.col.customers"), len(live), "int", t("rpt.cus.kpi_live")),
        Kpi(
            t("rpt.col.overdue"),
            len(overdue),
            "int",
            t("rpt.cus.kpi_overdue_share", share=_pct(inp, ratio(len(overdue), len(live)))),
            alert=bool(overdue),
        ),
        Kpi(t("rpt.cus.kpi_incomplete"), len(incomplete), "int", alert=bool(incomplete)),
        Kpi(t("rpt.cus.kpi_plans_past"), len(missed_plans), "int"),
    )
    return ReportView(
        name="customers",
        title=t("rpt.cus.title"),
        policy="§5",
        period=inp.period,
        as_of=as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.cus.s_followup"),
                (by_owner, most_late, plans),
                t(
                    "rpt.cus.s_followup_intro",
                    cadence=", ".join(f"{k} {v}" for k, v in cadence.items()),
                ),
            ),
            Section(
                t("rpt.cus.s_incomplete"), (incomplete_table,), t("rpt.cus.s_incomplete_intro")
            ),
            Section(t("rpt.cus.s_tiers"), (tier_table, tier_chart)),
            Section(
                t("rpt.cus.s_channels"),
                (channels, channel_chart, funnel),
                t("rpt.cus.s_channels_intro"),
            ),
        ),
        sources=("customers.xlsx",),
    )


def _pct(inp: Inputs, value) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang).percent(value, 0)
