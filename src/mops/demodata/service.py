"""§7 Customer service: tickets and their response times, improvement measures, planted mistakes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from datetime import time as dtime

from mops.demodata.builder import Builder
from mops.demodata.helpers import add_working_hours, to_workday
from mops.demodata.policy import (
    COMPLAINT_SLA,
    F_ENUM,
    INQUIRY_SLA_WORKING_HOURS,
    R_ROLE_FITS,
    R_SLA,
)
from mops.demodata.vocabulary import (
    IMPROVEMENTS,
    RESOLUTIONS,
    ROOT_CAUSES,
    SERVICE_LABEL,
    TICKET_CHANNELS,
    TICKET_PRIORITY,
    TICKET_SUBJECTS,
    TICKET_TYPES,
    TICKET_VERBS,
)


def tickets(b: Builder) -> None:
    """The 600 service tickets of the year, then the planted late or misowned ones."""
    a, rng = b.as_of, b.rng
    # Datetimes before this moment are history on any reading of as_of (midnight or later).
    now = datetime.combine(a, dtime(0))
    weights = [3 if c.row["status"] == "active" else 1 for c in b.customer_list]
    drafts = []
    for _ in range(600):
        kind = b.weighted(TICKET_TYPES)
        if kind == "feedback" and rng.random() < 0.03:
            day = a - timedelta(days=1)  # just in, not yet answered: feedback has no SLA
        else:
            day = b.between(b.start, a - timedelta(days=2))
        if rng.random() < 0.85:
            hour = rng.randint(9, 17)
            day = to_workday(day)
        else:
            hour = rng.choice([7, 8, 19, 20, 21, 22])
        drafts.append((datetime.combine(day, dtime(hour, rng.randrange(0, 60, 5))), kind))
    drafts.sort()
    seq: dict[int, int] = defaultdict(int)
    for received, kind in drafts:
        cust = rng.choices(b.customer_list, weights=weights)[0]
        seq[received.year] += 1
        deadline = None
        if kind == "complaint":
            deadline = received + COMPLAINT_SLA
            first = received + timedelta(minutes=rng.randint(20, 18 * 60))
        elif kind == "inquiry":
            deadline = add_working_hours(received, INQUIRY_SLA_WORKING_HOURS)
            # Within five working hours: inside the SLA however lunch or holidays count.
            first = add_working_hours(received, rng.uniform(0.2, 5))
        elif kind == "problem":
            first = add_working_hours(received, rng.uniform(0.2, 5))
        else:
            first = add_working_hours(received, rng.uniform(1, 16))
        first = first.replace(second=0, microsecond=0)
        resolved, status = None, "new"
        if first >= now or received.date() >= a - timedelta(days=1):
            first = None  # only inquiries, problems and feedback wait into as_of
        else:
            resolved = first + timedelta(hours=rng.randint(1, 120))
            recent = received.date() > a - timedelta(days=8) and rng.random() < 0.5
            if resolved >= now - timedelta(days=1) or recent:
                status, resolved = rng.choice(["in_progress", "waiting"]), None
            else:
                status = "closed" if rng.random() < 0.6 else "resolved"
        satisfaction = None
        if status == "closed" and rng.random() < 0.85:
            scores = [1, 3, 4, 3, 2] if kind == "complaint" else [0, 1, 2, 5, 6]
            satisfaction = rng.choices([1, 2, 3, 4, 5], scores)[0]
        subject = rng.choice(TICKET_SUBJECTS[kind]).format(svc=SERVICE_LABEL[cust.service_line])
        contact = rng.choice(cust.contacts)
        channel = rng.choice(TICKET_CHANNELS[kind])
        cause = rng.choice(ROOT_CAUSES) if kind in ("complaint", "problem") and resolved else None
        b.add(
            "tickets", ticket_id=f"CS{received.year}-{seq[received.year]:04d}", type=kind,
            channel=channel, customer_id=cust.row["customer_id"], contact=contact,
            subject=subject, description=f"{contact}{TICKET_VERBS[channel]}反映：{subject}。",
            priority=rng.choice(TICKET_PRIORITY[kind]), received_at=received,
            owner=rng.choice(b.staff(("service",), day=received.date())).name,
            deadline=deadline, first_response_at=first, resolved_at=resolved, status=status,
            satisfaction=satisfaction, root_cause=cause,
            resolution=rng.choice(RESOLUTIONS[kind]) if resolved else None,
        )  # fmt: skip
    plant_tickets(b, now)


def plant_tickets(b: Builder, now: datetime) -> None:
    rows, rng = b.sheets["tickets"], b.rng
    old = [r for r in rows if r["resolved_at"] and r["received_at"] < now - timedelta(days=7)]
    for r in b.pick("tickets", [r for r in old if r["type"] == "complaint"], 4, "ticket_id"):
        first = r["received_at"] + timedelta(hours=rng.randint(28, 60))
        r["first_response_at"] = first
        r["resolved_at"] = max(r["resolved_at"], first + timedelta(hours=rng.randint(2, 24)))
        b.plant("late-complaint-response", R_SLA, "tickets", r["ticket_id"], "first_response_at")
    for r in b.pick("tickets", [r for r in old if r["type"] == "inquiry"], 2, "ticket_id"):
        first = add_working_hours(r["received_at"], rng.uniform(14, 24))
        r["first_response_at"] = first.replace(second=0, microsecond=0)
        r["resolved_at"] = max(r["resolved_at"], r["first_response_at"] + timedelta(hours=2))
        b.plant("late-inquiry-response", R_SLA, "tickets", r["ticket_id"], "first_response_at")
    sales = b.staff(("sales",), day=b.start)
    for r in b.pick("tickets", [r for r in rows if r["type"] == "complaint"], 3, "ticket_id"):
        r["owner"] = rng.choice([p for p in sales if p.employed(r["received_at"].date())]).name
        b.plant("complaint-owned-by-sales", R_ROLE_FITS, "tickets", r["ticket_id"], "owner")
    typed = {"chat": "LINE 官方帳號", "review": "Google 評論"}
    for r in b.pick("tickets", [r for r in rows if r["channel"] in typed], 2, "ticket_id"):
        r["channel"] = typed[r["channel"]]
        b.plant("enum-free-text", F_ENUM, "tickets", r["ticket_id"], "channel")


def improvements(b: Builder) -> None:
    """Improvement measures answering the root causes of resolved tickets."""
    a, rng = b.as_of, b.rng
    sources = [
        r
        for r in b.sheets["tickets"]
        if r["root_cause"] and r["ticket_id"] not in b.tainted["tickets"]
    ]
    chosen = sorted(rng.sample(sources, 30), key=lambda r: (r["resolved_at"], r["ticket_id"]))
    owners = b.staff(("service",))
    for i, t in enumerate(chosen, 1):
        due = to_workday(t["resolved_at"].date() + timedelta(days=rng.randint(14, 60)), True)
        check = effect = None
        if due < a:  # finished by its due date, then checked for effect some weeks later
            status = "done"
            check = due + timedelta(days=rng.randint(14, 45))
            if check <= a:
                effect = rng.choices(["effective", "partial", "ineffective"], [6, 3, 1])[0]
            else:
                check, effect = None, "pending"
        else:
            status = "in_progress" if rng.random() < 0.7 else "todo"
        owner = (
            rng.choice(owners) if rng.random() < 0.8 else rng.choice([b.sales_lead, b.promo_lead])
        )
        b.add(
            "improvements", action_id=f"IM{i:03d}", ticket_id=t["ticket_id"],
            problem=f"{t['subject']}，近期重複發生", root_cause=t["root_cause"],
            measure=IMPROVEMENTS[t["root_cause"]], owner=owner.name, due_date=due,
            status=status, check_date=check, effectiveness=effect,
        )  # fmt: skip
