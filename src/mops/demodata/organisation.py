"""§2 Organisation: the staff roster, its leads and managers, and who left during the year."""

from __future__ import annotations

from datetime import date, timedelta

from mops.demodata.builder import Builder, Person
from mops.demodata.helpers import to_workday
from mops.demodata.names import COMPANY_DOMAIN


def roster(b: Builder) -> None:
    """The staff roster: 26 people hired over the years, one of whom left during the year."""
    a, rng = b.as_of, b.rng

    def ago(lo: int, hi: int | None = None) -> date:
        days = lo if hi is None else rng.randint(lo, hi)
        return to_workday(a - timedelta(days=days), forward=True)

    # (group, role, manager slot, hired, left); the slots are positions in this list.
    spec: list[tuple[str, str, int | None, date, date | None]] = [
        ("management", "executive", None, ago(4500, 5500), None),
        ("management", "executive", 0, ago(3000, 4200), None),
        ("department", "head", 0, ago(2500, 3800), None),
        ("department", "assistant", 2, ago(500, 2000), None),
        ("promotion", "lead", 2, ago(1500, 3000), None),
        ("promotion", "specialist", 4, ago(600, 2200), None),
        ("promotion", "specialist", 4, ago(400, 1500), None),
        ("promotion", "specialist", 4, ago(700, 2400), None),
        ("promotion", "specialist", 4, ago(265), None),
        ("sales", "lead", 2, ago(1800, 3200), None),
        ("sales", "sales_rep", 9, ago(900, 2500), None),
        ("sales", "sales_rep", 9, ago(700, 2000), None),
        ("sales", "sales_rep", 9, ago(500, 1600), None),
        ("sales", "sales_rep", 9, ago(400, 1200), None),
        ("sales", "sales_rep", 9, ago(900, 1500), to_workday(a - timedelta(days=210))),
        ("sales", "sales_rep", 9, ago(160), None),
        ("sales", "sales_rep", 9, ago(45), None),
        ("service", "lead", 2, ago(1500, 3000), None),
        ("service", "service_rep", 17, ago(500, 2000), None),
        ("service", "service_rep", 17, ago(400, 1400), None),
        ("service", "service_rep", 17, ago(600, 1800), None),
        ("service", "service_rep", 17, ago(320), None),
        ("finance", "accountant", 1, ago(1000, 3000), None),
        ("finance", "accountant", 1, ago(400, 1500), None),
        ("legal", "counsel", 1, ago(1200, 3000), None),
        ("legal", "counsel", 1, ago(86), None),
    ]
    names: list[tuple[str, str]] = []
    while len(names) < len(spec):
        name, local = b.person_name()
        email = f"{local}@{COMPANY_DOMAIN}"
        if name not in {n for n, _ in names} and email not in b.used_emails:
            b.used_emails.add(email)
            names.append((name, email))
    # Employee numbers follow the order of hiring.
    order = sorted(range(len(spec)), key=lambda i: (spec[i][3], i))
    people = {}
    for number, slot in enumerate(order, 1):
        group, role, mgr, hire, leave = spec[slot]
        manager = names[mgr][0] if mgr is not None else None
        name, email = names[slot]
        people[slot] = Person(f"E{number:03d}", name, email, group, role, manager, hire, leave)
    b.people = [people[slot] for slot in order]
    b.by_name = {p.name: p for p in b.people}
    b.gm, b.deputy, b.head = people[0], people[1], people[2]
    b.promo_lead, b.sales_lead, b.service_lead = people[4], people[9], people[17]
    b.leaver = people[14]
    b.recent_hires = [people[s] for s in (21, 8, 15, 25, 16)]
    for p in b.people:
        b.add(
            "roster", employee_id=p.emp_id, name=p.name, group=p.group, role=p.role,
            manager=p.manager, email=p.email, phone=b.mobile(), hire_date=p.hire,
            leave_date=p.leave, active=p.leave is None,
        )  # fmt: skip
