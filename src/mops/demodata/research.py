"""§3 Market research: the research plan and the competitor register, with planted mistakes."""

from __future__ import annotations

from datetime import date, timedelta

from mops.demodata.builder import Builder
from mops.demodata.helpers import to_workday, year_earlier
from mops.demodata.policy import F_DATE_ORDER, R_PLAN_OVERDUE
from mops.demodata.vocabulary import (
    COMPETITOR_SOURCES,
    COMPETITORS,
    RESEARCH_FINDINGS,
    RESEARCH_ITEMS,
)


def research_plan(b: Builder) -> None:
    """The research plan of the year, then the planted overdue and mistyped items."""
    a, rng = b.as_of, b.rng
    team = [*b.staff(("promotion",)), b.head]
    for i, (purpose, subject, content, method) in enumerate(RESEARCH_ITEMS, 1):
        start = date(b.year, 1, 5) + timedelta(days=28 * (i - 1) + rng.randint(0, 10))
        start = to_workday(start, forward=True)
        end = to_workday(start + timedelta(days=rng.randint(30, 75)))
        report = findings = None
        if end < a - timedelta(days=3):
            status = "done"
            report = min(a, end + timedelta(days=rng.randint(3, 14)))
            findings = rng.choice(RESEARCH_FINDINGS)
        elif start <= a:
            status = "in_progress"
            end = max(end, a + timedelta(days=rng.randint(5, 30)))
        else:
            status = "todo"
        owners = [p for p in team if p.employed(start)] or [b.promo_lead]
        b.add(
            "research_plan", research_id=f"RS{b.year}-{i:02d}", year=b.year,
            purpose=purpose, subject=subject, content=content, method=method,
            start_date=start, end_date=end, owner=rng.choice(owners).name, status=status,
            report_date=report, findings=findings,
        )  # fmt: skip
    rows = b.sheets["research_plan"]
    late = [r for r in rows if r["status"] == "done" and r["end_date"] < a - timedelta(days=20)]
    for r in b.pick("research_plan", late, 2, "research_id"):
        r.update(status="in_progress", report_date=None, findings=None)
        b.plant("research-overdue", R_PLAN_OVERDUE, "research_plan", r["research_id"], "end_date")
    # On a finished item, so the typo does not also make it look overdue.
    finished = [r for r in rows if r["status"] == "done"]
    b.plant_changed(
        "end-before-start", F_DATE_ORDER, "research_plan", finished, 1, "end_date", year_earlier
    )


def competitors(b: Builder) -> None:
    """The competitor register."""
    items = list(COMPETITORS)
    b.rng.shuffle(items)
    team = b.staff(("promotion",))
    last = b.as_of - timedelta(days=3)
    for i, (name, segment, offer, price, strengths, weaknesses) in enumerate(items, 1):
        b.add(
            "competitors", competitor_id=f"CP{i:02d}", name=name, segment=segment,
            offer=offer, price_level=price, strengths=strengths, weaknesses=weaknesses,
            source=b.rng.choice(COMPETITOR_SOURCES),
            recorded_date=to_workday(b.between(b.start, last)),
            recorded_by=b.rng.choice(team).name,
        )  # fmt: skip
