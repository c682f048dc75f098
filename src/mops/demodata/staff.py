"""§9 Staff: recruitment, training, KPIs, commission and appraisals, with planted mistakes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mops.demodata.builder import Builder, Person
from mops.demodata.helpers import month_end, pct, to_workday
from mops.demodata.model import Row
from mops.demodata.policy import R_ONBOARDING, R_WEIGHTS
from mops.demodata.vocabulary import (
    KPI_CODES,
    KPI_SETS,
    TRAINING_BY_GROUP,
    TRAINING_ONBOARDING,
    TRAINING_SESSIONS,
)


def recruitment(b: Builder) -> None:
    """The recruitment plan: the positions filled this year and those still open."""
    a, rng = b.as_of, b.rng
    titles = {
        "service_rep": "客服專員", "specialist": "行銷專員（數位）", "sales_rep": "業務代表",
        "counsel": "法務專員",
    }  # fmt: skip
    filled = []
    for p in sorted(b.recent_hires, key=lambda p: p.hire):
        title = titles[p.role]
        if p.role == "sales_rep":
            # The first sales hire replaced the leaver; the second is a new headcount.
            title += "（遞補）" if p.hire < a - timedelta(days=100) else "（新增）"
        owner = b.by_name[p.manager] if p.manager else b.head
        planned = p.hire - timedelta(days=rng.randint(0, 14))
        filled.append((title, p.group, p.role, 1, planned, owner, "done"))
    opening = [
        ("行銷專員（內容）", "promotion", "specialist", 1, 40, b.promo_lead, "in_progress"),
        ("資深業務代表", "sales", "sales_rep", 2, 70, b.sales_lead, "in_progress"),
        ("客服專員（擴編）", "service", "service_rep", 1, 120, b.service_lead, "todo"),
    ]
    for title, group, role, count, days, owner, status in opening:
        planned = to_workday(a + timedelta(days=days), forward=True)
        filled.append((title, group, role, count, planned, owner, status))
    for n, (title, group, role, count, planned, owner, status) in enumerate(filled, 1):
        b.add(
            "recruitment", position_id=f"R{planned.year}-{n:02d}", title=title, group=group,
            role=role, headcount=count, planned_date=planned, owner=owner.name, status=status,
        )  # fmt: skip


def training(b: Builder) -> None:
    """Onboarding and training sessions; two recent hires planted without timely onboarding."""
    a, rng = b.as_of, b.rng
    rows: list[tuple[date, str, Row]] = []

    def log(p: Person, kind: str, topic: str, course: str, day: date, hours: int, by: str):
        values = {
            "employee": p.name, "training_type": kind, "topic": topic, "course": course,
            "date": day, "hours": Decimal(hours), "provider": by, "completed": day <= a,
        }  # fmt: skip
        rows.append((day, p.emp_id, values))

    # Two of the hires of the last year never got onboarding within 30 days.
    late, missing = rng.sample(b.recent_hires[:4], 2)
    for p in (late, missing):
        b.plant("no-onboarding-in-30-days", R_ONBOARDING, "roster", p.emp_id, "hire_date")
    day = late.hire + timedelta(days=rng.randint(40, 55))
    for topic, course, hours in TRAINING_ONBOARDING:
        day = to_workday(day + timedelta(days=1), forward=True)
        log(late, "onboarding", topic, course, day, hours, "人資部")
    recent = {p.name for p in b.recent_hires}
    for p in b.people:
        if p in (late, missing) or p.leave is not None:
            continue
        if p.name in recent:
            # The full programme within about three weeks, well inside the 30 days.
            day = p.hire
            extra = [TRAINING_BY_GROUP[p.group]] if p.group in TRAINING_BY_GROUP else []
            for topic, course, hours in [*TRAINING_ONBOARDING, *extra]:
                day = to_workday(day + timedelta(days=rng.randint(1, 4)), forward=True)
                trainer = "人資部" if topic in ("company", "culture") else "營銷部"
                log(p, "onboarding", topic, course, day, hours, trainer)
        else:
            day = to_workday(p.hire + timedelta(days=rng.randint(1, 10)), forward=True)
            log(p, "onboarding", "company", "新進人員訓練：公司簡介與制度", day, 3, "人資部")
    for quarter in range(4):
        for kind, topic, course, groups, hours, trainer in TRAINING_SESSIONS:
            if rng.random() < 0.45:
                continue
            first = b.start + timedelta(days=90 * quarter)
            day = to_workday(b.between(first, first + timedelta(days=80)))
            if day > a:  # planned, not yet held
                day = to_workday(a + timedelta(days=rng.randint(5, 20)), forward=True)
            # Keep the planted new hires out of their first weeks' sessions, so no other
            # training can be mistaken for their missing onboarding.
            attendees = [
                p
                for p in b.staff(groups, day=day)
                if p not in (late, missing) or p.hire + timedelta(days=60) < day
            ]
            for p in rng.sample(attendees, min(len(attendees), rng.randint(2, 5))):
                log(p, kind, topic, course, day, hours, trainer)
    rows.sort(key=lambda r: (r[0], r[1]))
    for n, (_, _, values) in enumerate(rows, 1):
        b.add("training", training_id=f"T{n:04d}", **values)


def kpis(b: Builder) -> None:
    """KPIs of each group for last year and this; one planted weight set not adding up."""
    b.kpi_ids = {}
    planted_group = b.rng.choice(["promotion", "sales", "service"])
    for year in (b.year - 1, b.year):
        for group, items in KPI_SETS.items():
            ids = []
            for i, (indicator, weight, standard, period) in enumerate(items, 1):
                kpi_id = f"K{year}-{KPI_CODES[group]}-{i:02d}"
                if year == b.year and group == planted_group and i == 1:
                    weight += 5  # the main indicator raised without lowering another
                    b.plant("kpi-weights", R_WEIGHTS, "kpis", kpi_id, "weight")
                b.add(
                    "kpis", kpi_id=kpi_id, year=year, group=group, indicator=indicator,
                    weight=Decimal(weight) / 100, standard=standard, period_type=period,
                )  # fmt: skip
                ids.append((kpi_id, indicator))
            b.kpi_ids[(year, group)] = ids


def commission_tiers(b: Builder) -> None:
    """The commission rate by attainment of the sales target."""
    tiers = (("0", "0.8", "0.01"), ("0.8", "1", "0.02"), ("1", "1.2", "0.03"))
    for i, (lo, hi, rate) in enumerate([*tiers, ("1.2", None, "0.04")], 1):
        b.add(
            "commission_tiers", tier_id=f"CT{i}", from_attainment=Decimal(lo),
            to_attainment=Decimal(hi) if hi else None, rate=Decimal(rate),
        )  # fmt: skip


def appraisals(b: Builder) -> None:
    """Appraisal results per person, KPI and finished period."""
    a = b.as_of
    periods: list[tuple[int, int | None, date, date]] = [
        (b.year - 1, None, date(b.year - 1, 1, 1), date(b.year - 1, 12, 31))
    ]
    for q in range(1, 5):
        if month_end(b.year, 3 * q) < a:
            periods.append((b.year, q, date(b.year, 3 * q - 2, 1), month_end(b.year, 3 * q)))
    n = 0
    for year, quarter, first, _last in periods:
        for p in b.people:
            if p.group not in KPI_SETS or p.leave is not None:
                continue
            if p.hire > first + timedelta(days=45):
                continue  # too new to be appraised for this period
            reviewer = b.by_name[p.manager] if p.manager else b.gm
            for kpi_id, indicator in b.kpi_ids[(year, p.group)]:
                n += 1
                target, actual, score = appraisal_numbers(b, p, indicator, quarter)
                incentive = "none"
                if score >= 100:
                    sales = p.group == "sales" and indicator == "revenue"
                    incentive = "commission" if sales else "bonus"
                elif score >= 90 and indicator in ("satisfaction", "promotion_effect"):
                    incentive = "honour"
                b.add(
                    "appraisals", appraisal_id=f"AP{year}-{n:04d}", employee=p.name,
                    year=year, quarter=quarter, kpi_id=kpi_id, target=target, actual=actual,
                    score=score, reviewer=reviewer.name, incentive=incentive,
                )  # fmt: skip


def appraisal_numbers(
    b: Builder, p: Person, indicator: str, quarter: int | None
) -> tuple[Decimal, Decimal, Decimal]:
    """Target, actual and a 0–100 score of one indicator for one person and period."""
    rng = b.rng
    periods = 4 if quarter is None else 1
    if indicator in ("revenue", "profit"):
        base = b.quarter_targets.get((p.name, quarter or 0))
        if base is None:
            base = rng.randint(300, 500) * 10_000 * periods * (8 if p.group == "department" else 1)
        if indicator == "profit":
            base = int(round(base * 0.3, -4))
        target = Decimal(base)
        actual = Decimal(int(round(base * rng.uniform(0.7, 1.25), -4)))
    elif indicator == "satisfaction":
        target, actual = Decimal("4.5"), pct(rng.uniform(3.8, 4.8), 1)
    elif indicator == "response_time":  # hours to first response: lower is better
        target, actual = Decimal(4), pct(rng.uniform(2.5, 5.5), 1)
    elif indicator == "other":  # resolution rate in %
        target, actual = Decimal(95), Decimal(rng.randint(82, 99))
    else:  # leads or new customers, counted
        target = Decimal((120 if indicator == "promotion_effect" else 6) * periods)
        actual = Decimal(round(float(target) * rng.uniform(0.7, 1.2)))
    if indicator == "response_time":
        ratio = float(target) / float(actual)
    else:
        ratio = float(actual) / float(target) if target else 1.0
    return target, actual, pct(min(100.0, ratio * 100), 1)
