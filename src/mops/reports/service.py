"""Report 6, Customer service quality (policy §7): response time, SLA breaches, resolution
rate and satisfaction, per person and per month; top root causes; improvement actions and
whether they worked.

A ticket's reply deadline is the one rule P7.1-response-sla applies (complaints: calendar hours,
inquiries: working hours, from ``[service]``); its reply is the first response, or the
resolution when no response was recorded. A breach is a reply after the deadline, or none by
the start of the as-of date with the deadline passed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from mops.reports.common import Inputs, day, mean, ratio
from mops.reports.model import Chart, Kpi, Notes, ReportView, Section, Series, Table
from mops.schemas.enums import EFFECTIVENESS, PROGRESS
from mops.validation.rules.service import sla_deadline

RESOLVED = ("resolved", "closed")
TOP_CAUSES = 10


def breached(inp: Inputs, ticket: dict) -> bool | None:
    """Whether the ticket missed its reply deadline (None: the policy sets it none)."""
    received = ticket.get("received_at")
    if received is None:
        return None
    due = sla_deadline(inp.config.service, ticket.get("type") or "", received)
    if due is None:
        return None
    reply = ticket.get("first_response_at") or ticket.get("resolved_at")
    if reply is not None:
        return reply > due
    return due < dt.datetime.combine(inp.as_of, dt.time())


def _hours(ticket: dict) -> Decimal | None:
    reply, received = (
        ticket.get("first_response_at") or ticket.get("resolved_at"),
        ticket.get("received_at"),
    )
    if reply is None or received is None:
        return None
    return Decimal(int((reply - received).total_seconds())) / 3600


def build(inp: Inputs) -> ReportView:
    """The customer service quality report for the period."""
    t = inp.t
    tickets = [x for x in inp.rows("tickets") if inp.period.contains(day(x.get("received_at")))]
    judged = [(x, breached(inp, x)) for x in tickets]

    def figures(group: list[tuple[dict, bool | None]]) -> tuple:
        rows = [x for x, _ in group]
        with_sla = [b for _, b in group if b is not None]
        resolved = sum(1 for x in rows if x.get("status") in RESOLVED)
        return (
            len(rows),
            mean(_hours(x) for x in rows),
            sum(1 for b in with_sla if b),
            ratio(sum(1 for b in with_sla if b), len(with_sla)),
            ratio(resolved, len(rows)),
            mean(x.get("satisfaction") for x in rows),
        )

    people: dict[str, list] = defaultdict(list)
    months: dict[tuple[int, int], list] = defaultdict(list)
    for x, b in judged:
        people[x.get("owner") or t("rpt.unknown")].append((x, b))
        received = x["received_at"]
        months[(received.year, received.month)].append((x, b))
    columns = (
        inp.col("tickets", "int"),
        inp.col("response_hours", "num1"),
        inp.col("sla_breaches", "int"),
        inp.col("breach_rate", "pct"),
        inp.col("resolution_rate", "pct"),
        inp.col("satisfaction_actual", "num1"),
    )
    overall = figures(judged)
    person_rows = sorted(
        ((name, *figures(g)) for name, g in people.items()), key=lambda r: (-r[3], r[0])
    )
    per_person = Table(
        columns=(inp.col("person"), *columns),
        rows=tuple(person_rows),
        flags=tuple("alert" if r[3] else "" for r in person_rows),
        total=(t("rpt.total"), *overall),
        caption=t("rpt.svc.per_person"),
    )
    month_keys = sorted(months)
    month_rows = tuple((f"{y}-{m:02d}", *figures(months[(y, m)])) for y, m in month_keys)
    per_month = Table(
        columns=(inp.col("month"), *columns), rows=month_rows, caption=t("rpt.svc.per_month")
    )
    month_chart = Chart(
        "lines",
        t("rpt.svc.chart_month"),
        tuple(t("rpt.month_short", month=m) for _, m in month_keys),
        (
            Series(t("rpt.col.tickets"), tuple(r[1] for r in month_rows)),
            Series(t("rpt.col.sla_breaches"), tuple(r[3] for r in month_rows)),
        ),
        kind="int",
        x_label=t("rpt.axis_month"),
        y_label=t("rpt.col.count"),
    )
    causes = Counter(x.get("root_cause") for x in tickets if x.get("root_cause"))
    top = causes.most_common(TOP_CAUSES)
    cause_table = Table(
        columns=(inp.col("root_cause", "long"), inp.col("tickets", "int"), inp.col("share", "pct")),
        rows=tuple((cause, n, ratio(n, len(tickets))) for cause, n in top),
        empty=t("rpt.svc.no_causes"),
    )
    cause_chart = Chart(
        "bars",
        t("rpt.svc.chart_causes"),
        tuple(c for c, _ in top),
        (Series(t("rpt.col.tickets"), tuple(n for _, n in top)),),
        kind="int",
        x_label=t("rpt.col.tickets"),
    )
    actions = inp.rows("improvements")
    effect = Counter(a.get("effectiveness") or "pending" for a in actions)
    effect_table = Table(
        columns=(inp.col("effectiveness"), inp.col("actions", "int")),
        rows=tuple((o.label(inp.lang), effect[o.key]) for o in EFFECTIVENESS.options),
        total=(t("rpt.total"), len(actions)),
    )
    latest_first = sorted(actions, key=lambda a: a.get("due_date") or dt.date.min, reverse=True)
    action_rows = tuple(
        (
            a.get("action_id"),
            a.get("problem"),
            a.get("measure"),
            a.get("owner"),
            a.get("due_date"),
            inp.label(PROGRESS, a.get("status")),
            inp.label(EFFECTIVENESS, a.get("effectiveness")),
        )
        for a in latest_first
    )
    action_table = Table(
        columns=(
            inp.col("action"),
            inp.col("problem_short", "long"),
            inp.col("measure", "long"),
            inp.col("owner"),
            inp.col("due_date", "date"),
            inp.col("status"),
            inp.col("effectiveness"),
        ),
        rows=action_rows,
        flags=tuple(
            "alert" if a.get("effectiveness") == "ineffective" else "" for a in latest_first
        ),
        empty=t("rpt.svc.no_actions"),
    )
    resolutions = Notes(
        tuple(
            (f"{x.get('ticket_id')} · {x.get('subject') or ''}", x.get("resolution") or "")
            for x, b in judged
            if b and x.get("resolution")
        )[:12],
        empty=t("rpt.svc.no_breaches"),
    )
    kpis = (
        Kpi(t("rpt.col.tickets"), overall[0], "int"),
        Kpi(t("rpt.col.response_hours"), overall[1], "num1", t("rpt.svc.kpi_hours")),
        Kpi(
            t("rpt.col.sla_breaches"),
            overall[2],
            "int",
            t("rpt.svc.kpi_breach_rate", rate=_pct(inp, overall[3])),
            alert=bool(overall[2]),
        ),
        Kpi(t("rpt.col.resolution_rate"), overall[4], "pct"),
        Kpi(t("rpt.col.satisfaction_actual"), overall[5], "num1", t("rpt.svc.kpi_scale")),
    )
    return ReportView(
        name="service",
        title=t("rpt.svc.title"),
        policy="§7",
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=(
            Section(
                t("rpt.svc.s_quality"),
                (per_person, per_month, month_chart),
                t(
                    "rpt.svc.s_quality_intro",
                    complaint=inp.config.service.complaint_response_hours,
                    inquiry=inp.config.service.inquiry_response_working_hours,
                ),
            ),
            Section(t("rpt.svc.s_breaches"), (resolutions,), t("rpt.svc.s_breaches_intro")),
            Section(t("rpt.svc.s_causes"), (cause_table, cause_chart)),
            Section(
                t("rpt.svc.s_actions"), (effect_table, action_table), t("rpt.svc.s_actions_intro")
            ),
        ),
        sources=("customer-service.xlsx",),
    )


def _pct(inp: Inputs, value) -> str:
    from mops.reports.fmt import Formatter

    return Formatter(inp.lang).percent(value, 0)
