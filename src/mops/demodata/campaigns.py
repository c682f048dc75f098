"""§4 Campaigns: campaigns with their tasks, reviews and budget lines, and the mistakes in them."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from mops.demodata.builder import Builder
from mops.demodata.helpers import minguo, pct, split, to_workday, year_earlier
from mops.demodata.model import Row
from mops.demodata.policy import (
    EVALUATION_DUE_DAYS,
    F_DATE_ORDER,
    F_LENIENT_DATE,
    R_APPROVAL,
    R_EVALUATION,
    R_OWNER_KNOWN,
    R_TASK_OWNER,
    REVIEW_EVERY_DAYS,
)
from mops.demodata.vocabulary import (
    CAMPAIGN_LINES,
    CAMPAIGN_SUFFIXES,
    CAMPAIGN_THEMES,
    CONTENT_4P,
    DIGITAL_TASKS,
    EVENT_FORMATS,
    EVENT_TASKS,
    FORMAT_BUDGET,
    FORMAT_REACH,
    LESSONS,
    PLACE_4P,
    PRICE_4P,
    PRODUCT_4P,
    PROMOTION_4P,
    REVIEW_NOTES,
)


def campaigns(b: Builder) -> None:
    """The campaigns with their 4P, targets and approvals, then mistakes planted in some."""
    a, rng = b.as_of, b.rng
    statuses = (
        ["closed"] * 14 + ["executing"] * 8 + ["approved"] * 5 + ["reviewed"] * 3
        + ["submitted"] * 3 + ["draft"] * 4 + ["rejected"] * 3
    )  # fmt: skip
    themes = list(CAMPAIGN_THEMES) * 2
    rng.shuffle(themes)
    drafts = []
    for status, theme in zip(statuses, themes, strict=True):
        if status == "closed":
            end = a - timedelta(days=rng.randint(8, 330))
            start = end - timedelta(days=rng.randint(21, 100))
        elif status == "executing":
            start = a - timedelta(days=rng.randint(10, 80))
            end = a + timedelta(days=rng.randint(5, 70))
        else:
            start = a + timedelta(
                days=rng.randint(7, 60) if status == "approved" else rng.randint(20, 150)
            )
            end = start + timedelta(days=rng.randint(21, 90))
        drafts.append((to_workday(start, True), to_workday(end, True), status, theme))
    drafts.sort(key=lambda d: (d[0], d[3][0]))
    seq: dict[int, int] = defaultdict(int)
    used_names: set[str] = set()
    b.campaign_digital = {}
    for start, end, status, theme in drafts:
        name, fmt, objective, line, venue, theme_line, audience = theme
        seq[start.year] += 1
        cid = f"MC{start.year}-{seq[start.year]:03d}"
        full = next(
            f"{start.year} {name}{s}" for s in CAMPAIGN_SUFFIXES
            if f"{start.year} {name}{s}" not in used_names
        )  # fmt: skip
        used_names.add(full)
        event = fmt in EVENT_FORMATS
        budget = rng.randint(*FORMAT_BUDGET[fmt]) * 10_000
        reach = rng.randint(*FORMAT_REACH[fmt])
        leads = max(10, reach // (rng.randint(4, 12) if event else rng.randint(40, 120)))
        target_revenue = int(round(budget * rng.uniform(3, 8), -4))
        reviewer = approver = review_date = approval_date = None
        if status in ("approved", "executing", "closed"):
            # Approved before it starts (policy 4.1), reviewed before that.
            approval_date = min(
                start - timedelta(days=rng.randint(5, 25)),
                a - timedelta(days=rng.randint(0, 10)),
            )
            review_date = approval_date - timedelta(days=rng.randint(2, 10))
            reviewer = b.head.name
            approver = (b.gm if rng.random() < 0.7 else b.deputy).name
        elif status in ("reviewed", "rejected"):
            review_date = a - timedelta(days=rng.randint(1, 20 if status == "reviewed" else 60))
            reviewer = b.head.name
        owners = b.staff(("promotion",), day=min(review_date or a, start))
        owner = rng.choice(owners) if rng.random() < 0.9 else b.head
        row = b.add(
            "campaigns", campaign_id=cid, name=full, theme=theme_line, objective=objective,
            target_participants=reach, target_leads=leads,
            target_revenue=Decimal(target_revenue),
            target_awareness_lift=pct(rng.uniform(0.03, 0.10)),
            target_satisfaction=pct(rng.uniform(4.0, 4.6), 1),
            product=PRODUCT_4P[line], price=rng.choice(PRICE_4P), place=rng.choice(PLACE_4P),
            promotion=rng.choice(PROMOTION_4P), format=fmt,
            content=f"{theme_line}；{CONTENT_4P[event]}", start_date=start, end_date=end,
            venue=venue, audience=audience, budget=Decimal(budget), owner=owner.name,
            status=status, reviewer=reviewer, review_date=review_date, approver=approver,
            approval_date=approval_date,
        )  # fmt: skip
        if status == "closed":
            lift = float(row["target_awareness_lift"]) * rng.uniform(0.3, 1.4)
            row.update(
                evaluation_date=end + timedelta(days=rng.randint(3, min(25, (a - end).days))),
                actual_participants=round(reach * rng.uniform(0.6, 1.3)),
                actual_leads=round(leads * rng.uniform(0.5, 1.4)),
                actual_revenue=Decimal(int(round(target_revenue * rng.uniform(0.4, 1.5), -4))),
                actual_awareness_lift=pct(lift),
                actual_satisfaction=pct(rng.uniform(3.6, 4.8), 1),
                lessons=rng.choice(LESSONS),
            )
        b.campaign_digital[cid] = not event
    plant_campaigns(b)


def plant_campaigns(b: Builder) -> None:
    rows, a, rng = b.sheets["campaigns"], b.as_of, b.rng
    running = [r for r in rows if r["status"] in ("executing", "closed")]
    for r in b.pick("campaigns", running, 2, "campaign_id"):
        # Started first; the approval was signed afterwards.
        r["approval_date"] = r["start_date"] + timedelta(days=rng.randint(2, 7))
        r["review_date"] = r["start_date"] - timedelta(days=rng.randint(1, 5))
        b.plant(
            "started-before-approval",
            R_APPROVAL,
            "campaigns",
            r["campaign_id"],
            "approval_date",
        )
    approved = [r for r in rows if r["status"] in ("approved", "executing")]
    for r in b.pick("campaigns", approved, 2, "campaign_id"):
        r["approver"] = None
        b.plant("approved-without-approver", R_APPROVAL, "campaigns", r["campaign_id"], "approver")
    due = a - timedelta(days=EVALUATION_DUE_DAYS + 10)
    ended = [r for r in rows if r["status"] == "closed" and r["end_date"] < due]
    for r in b.pick("campaigns", ended, 2, "campaign_id"):
        for col in b.columns["campaigns"]:
            if col == "evaluation_date" or col.startswith("actual_") or col == "lessons":
                r[col] = None
        b.plant(
            "evaluation-overdue", R_EVALUATION, "campaigns", r["campaign_id"], "evaluation_date"
        )
    drafts = [r for r in rows if r["status"] in ("draft", "submitted")]
    b.plant_changed(
        "end-before-start", F_DATE_ORDER, "campaigns", drafts, 2, "end_date", year_earlier
    )


def clean_campaigns(b: Builder, *statuses: str) -> list[Row]:
    """Campaigns of these statuses that carry no planted mistake."""
    return [
        r
        for r in b.sheets["campaigns"]
        if r["status"] in statuses and r["campaign_id"] not in b.tainted["campaigns"]
    ]


def campaign_tasks(b: Builder) -> None:
    """The tasks of each approved campaign, then the planted mistakes among them."""
    a, rng = b.as_of, b.rng
    n = 0
    for c in b.sheets["campaigns"]:
        if c["status"] not in ("approved", "executing", "closed"):
            continue
        names = DIGITAL_TASKS if b.campaign_digital[c["campaign_id"]] else EVENT_TASKS
        k = rng.randint(6, min(9, len(names)))
        chosen = sorted(rng.sample(range(len(names)), k))
        # Work starts after the approval (policy 4.1) and runs to a week after the end.
        first = max(c["approval_date"], c["review_date"]) + timedelta(days=1)
        span = max(1, (c["end_date"] + timedelta(days=7) - first).days)
        for j, idx in enumerate(chosen):
            n += 1
            task = names[idx]
            start = first + timedelta(days=span * j // k)
            due = start + timedelta(days=rng.randint(3, 14))
            owner = rng.choice(b.staff(("promotion",), day=start) or [b.promo_lead])
            if "移交業務" in task:
                owner = b.sales_lead
            elif "問卷" in task and rng.random() < 0.5:
                owner = rng.choice(b.staff(("service",), day=start))
            done = None
            if due < a:  # everything past its due date is finished: nothing overdue
                status = "done" if rng.random() < 0.94 else "cancelled"
                if status == "done":
                    done = min(due, start + timedelta(days=rng.randint(1, 10)))
            elif start <= a:
                status = "in_progress"
                if rng.random() < 0.25:
                    status, done = "done", b.between(start, a)
            else:
                status = "todo"
            b.add(
                "campaign_tasks", task_id=f"TK{n:04d}", campaign_id=c["campaign_id"],
                task=task, owner=owner.name, start_date=start, due_date=due, status=status,
                done_date=done, notes="改線上進行，取消" if status == "cancelled" else None,
            )  # fmt: skip
    rows = b.sheets["campaign_tasks"]
    for r in b.pick("campaign_tasks", rows, 3, "task_id"):
        r["owner"] = None
        b.plant("task-without-owner", R_TASK_OWNER, "campaign_tasks", r["task_id"], "owner")
    promo = [r for r in rows if r["owner"] != b.sales_lead.name]
    b.plant_changed("unknown-owner", R_OWNER_KNOWN, "campaign_tasks", promo, 2, "owner", b.typo_of)
    future = [r for r in rows if r["start_date"] > a + timedelta(days=10)]
    for r in b.pick("campaign_tasks", future, 2, "task_id"):
        r["due_date"] = r["start_date"] - timedelta(days=rng.randint(2, 6))
        b.plant("end-before-start", F_DATE_ORDER, "campaign_tasks", r["task_id"], "due_date")
    finished = [r for r in rows if r["status"] == "done"]
    b.plant_changed(
        "minguo-date", F_LENIENT_DATE, "campaign_tasks", finished, 2, "done_date", minguo
    )


def progress_reviews(b: Builder) -> None:
    """Progress meetings of each running or closed campaign, at the policy interval."""
    a, rng = b.as_of, b.rng
    n = 0
    for c in b.sheets["campaigns"]:
        if c["status"] not in ("executing", "closed"):
            continue
        start, end = c["start_date"], c["end_date"]
        # A meeting at least every REVIEW_EVERY_DAYS while it runs (policy 4.2 default).
        day = start + timedelta(days=rng.randint(4, 10))
        while day <= min(end, a):
            n += 1
            issue, action = rng.choice(REVIEW_NOTES)
            progress = min(1.0, (day - start).days / max(1, (end - start).days))
            b.add(
                "progress_reviews", review_id=f"PR{n:04d}", campaign_id=c["campaign_id"],
                date=day, host=c["owner"] if rng.random() < 0.8 else b.head.name,
                progress=pct(progress), issues=issue, actions=action,
            )  # fmt: skip
            day += timedelta(days=rng.randint(7, REVIEW_EVERY_DAYS))


def campaign_budget(b: Builder) -> None:
    """Budget lines of each campaign by month, adding up to its budget."""
    n = 0
    for c in b.sheets["campaigns"]:
        items = CAMPAIGN_LINES[not b.campaign_digital[c["campaign_id"]]]
        start = min(c["start_date"], c["end_date"])  # a planted end may come first
        end = max(c["start_date"], c["end_date"])
        months = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        lines = [(ym, it) for ym in months for it in items if b.rng.random() < 0.6]
        lines = lines or [(months[0], items[0])]
        amounts = split(b.rng, int(c["budget"]), len(lines), 1000)
        for ((year, month), (category, item)), amount in zip(lines, amounts, strict=True):
            n += 1
            b.add(
                "campaign_budget", line_id=f"CB{n:04d}", campaign_id=c["campaign_id"],
                year=year, month=month, category=category, item=item, amount=Decimal(amount),
            )  # fmt: skip
