"""§8 Expenses: the monthly budget and the claims against it, with planted mistakes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from mops.demodata.builder import Builder, Person
from mops.demodata.campaigns import clean_campaigns
from mops.demodata.helpers import minguo, month_end, split, to_workday
from mops.demodata.model import Row
from mops.demodata.policy import F_LENIENT_DATE, R_APPROVER, R_AUDIT, R_OVERSPEND
from mops.demodata.vocabulary import CLAIM_REASONS, EXPENSE_LINES, SEASON

CAMPAIGN_ROOM = Decimal("0.8")


def expenses(b: Builder) -> None:
    """The monthly expense budget and exactly 2,000 claims, with planted overspending."""
    a, rng = b.as_of, b.rng
    budget: dict[tuple[str, str, int], int] = {}
    approved_on = to_workday(date(b.year - 1, 12, 18))
    for month in range(1, 13):
        for (category, item), (base, _) in EXPENSE_LINES.items():
            amount = int(round(base * SEASON[month - 1] * rng.uniform(0.9, 1.1), -3))
            budget[(category, item, month)] = amount
            b.add(
                "expense_budget", budget_id=f"EB{b.year}-{len(budget):03d}",
                year=b.year, month=month, category=category, item=item,
                amount=Decimal(amount), approved_by=b.gm.name, approval_date=approved_on,
            )  # fmt: skip
    last_month = a.month if a.year == b.year else 12
    months = range(1, last_month + 1)
    categories = ("promotion", "sales", "service")
    # Spend per category and month: most months comfortably inside the budget.
    ratio = {(c, m): rng.uniform(0.55, 0.85) for c in categories for m in months}
    for c in categories:
        ratio[(c, last_month)] = rng.uniform(0.35, 0.6) * min(1, a.day / 30)
    # Three months over and three close to the budget, in whole past months when the year
    # has enough of them.
    cells = [(c, m) for c in categories for m in months if 2 <= m < last_month]
    cells = cells if len(cells) >= 6 else [(c, m) for c in categories for m in months]
    special = rng.sample(cells, min(6, len(cells)))
    for i, (c, m) in enumerate(special):
        over = i < max(1, len(special) // 2)
        ratio[(c, m)] = rng.uniform(1.05, 1.18) if over else rng.uniform(0.92, 0.97)
        kind = "over-budget" if over else "near-budget"
        b.plant(kind, R_OVERSPEND, "expense_budget", f"{b.year}-{m:02d}/{c}", "amount")
    # Exactly 2,000 claims, shared out by the expected number of claims of each line.
    keys = [(c, it, m) for (c, it) in EXPENSE_LINES for m in months]
    expect = {k: budget[k] * ratio[(k[0], k[2])] / EXPENSE_LINES[k[:2]][1] for k in keys}
    scale = 2000 / sum(expect.values())
    alloc = {k: max(1, int(v * scale)) for k, v in expect.items()}
    by_rest = sorted(keys, key=lambda k: int(expect[k] * scale) - expect[k] * scale)
    for i in range(2000 - sum(alloc.values())):
        alloc[by_rest[i % len(by_rest)]] += 1
    while sum(alloc.values()) > 2000:  # the minimum of one claim a line overshot
        alloc[max(keys, key=lambda k: alloc[k])] -= 1
    finance = [p for p in b.people if p.group == "finance"]
    campaigns = clean_campaigns(b, "approved", "executing", "closed")
    # What each campaign may still spend per category and month: claims keep well inside its
    # budget (below the 90 % warning), so the one campaign overspend is the planted one.
    room: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in b.sheets["campaign_budget"]:
        group = (line["campaign_id"], line["category"], line["year"], line["month"])
        room[group] += line["amount"] * CAMPAIGN_ROOM
    claims: list[tuple[date, str, Row]] = []
    for k in keys:
        category, item, month = k
        must_pass = (category, month) in special
        last_day = min(month_end(b.year, month), a - timedelta(days=1))
        for amount in split(rng, round(budget[k] * ratio[(category, month)]), alloc[k], 10):
            day = b.between(date(b.year, month, 1), last_day)
            claimant = rng.choice(b.staff((category,), day=day))
            # Filed in the month of the expense, so either date puts it in the same month.
            filed = min(day + timedelta(days=rng.randint(0, 7)), month_end(b.year, month), a)
            campaign = None
            if category == "promotion" and rng.random() < 0.6:
                # Only approved campaigns may spend, and only once approved (policy 4.2).
                fits = [
                    c
                    for c in campaigns
                    if max(c["start_date"], c["approval_date"]) <= day <= c["end_date"]
                ]
                pick = rng.choice(fits) if fits else None
                campaign = next(
                    (
                        c
                        for c in ([pick, *fits] if pick else [])
                        if room[(c["campaign_id"], category, b.year, month)] >= amount
                    ),
                    None,
                )
                if campaign:
                    room[(campaign["campaign_id"], category, b.year, month)] -= amount
            reason = rng.choice(CLAIM_REASONS[item])
            values = {
                "claimant": claimant.name, "expense_date": day, "claim_date": filed,
                "category": category, "item": item,
                "campaign_id": campaign["campaign_id"] if campaign else None,
                "amount": Decimal(amount),
                "reason": f"{campaign['name']}：{reason}" if campaign else reason,
                "attachment_ref": f"{b.letters()}-{b.digits(8)}",
                # The claimant's line manager approves: a lead, the head or an executive.
                "approver": claimant.manager,
            }  # fmt: skip
            settle_claim(b, values, rng.choice(finance), must_pass)
            claims.append((day, claimant.emp_id, values))
    claims.sort(key=lambda c: (c[0], c[1], c[2]["amount"]))
    for i, (_, _, values) in enumerate(claims, 1):
        b.add("claims", claim_id=f"EX{b.year}-{i:04d}", **values)
    plant_claims(b, set(special))


def settle_claim(b: Builder, claim: Row, auditor: Person, must_pass: bool) -> None:
    """Approval, finance audit and reimbursement, each only after the step before it."""
    a, rng = b.as_of, b.rng
    claim.update(approval="pending", audit="pending", reimbursed=False)
    approved = claim["claim_date"] + timedelta(days=rng.randint(0, 3))
    if approved > a:
        return
    verdict = "approved" if must_pass or rng.random() > 0.03 else "rejected"
    claim.update(approval=verdict, approval_date=approved)
    audited = approved + timedelta(days=rng.randint(1, 7))
    if verdict == "rejected" or audited > a:
        return
    result = "passed" if must_pass or rng.random() > 0.01 else "failed"
    claim.update(auditor=auditor.name, audit=result, audit_date=audited)
    paid = audited + timedelta(days=rng.randint(2, 10))
    if result == "passed" and paid <= a:
        claim.update(reimbursed=True, reimbursed_date=paid)


def plant_claims(b: Builder, special: set[tuple[str, int]]) -> None:
    rows = b.sheets["claims"]
    # Only claims of ordinary months, so the planted months' totals stay as planted.
    ordinary = [r for r in rows if (r["category"], r["expense_date"].month) not in special]
    managers = {p.name for p in b.people if p.role in ("lead", "head")}
    own = [r for r in ordinary if r["claimant"] in managers and r["approval"] == "approved"]
    for r in b.pick("claims", own, 3, "claim_id"):
        r["approver"] = r["claimant"]
        b.plant("self-approved-claim", R_APPROVER, "claims", r["claim_id"], "approver")
    paid = [r for r in ordinary if r["reimbursed"]]
    for r in b.pick("claims", paid, 3, "claim_id"):
        r.update(auditor=None, audit="pending", audit_date=None)
        b.plant("reimbursed-without-audit", R_AUDIT, "claims", r["claim_id"], "reimbursed")
    b.plant_changed("minguo-date", F_LENIENT_DATE, "claims", ordinary, 1, "expense_date", minguo)
    plant_finance(b, ordinary)


def plant_finance(b: Builder, ordinary: list[Row]) -> None:
    """Finance mistakes for ``mops reconcile``: duplicates here, differences in Odoo's books."""
    rows = b.sheets["claims"]
    for p in list(b.planted):
        cls = {
            "self-approved-claim": "approved_by_claimant",
            "reimbursed-without-audit": "reimbursed_before_approval",
            "over-budget": "overspend",
            "near-budget": "near_budget",
        }.get(p.kind)
        if cls:
            b.plant_finance(cls, p.sheet, p.key)
    _no_chance_duplicates(rows)
    order = {id(r): i for i, r in enumerate(rows)}
    free = [
        r
        for r in ordinary
        if r["claim_id"] not in b.tainted["claims"] and isinstance(r["expense_date"], date)
    ]
    # The same claim filed twice: the later of two claims of one person in one month takes
    # the amount and the day of the earlier.
    by_person: dict[tuple, list[Row]] = {}
    for r in free:
        by_person.setdefault((r["claimant"], r["category"], r["expense_date"].month), []).append(r)
    pairs = [
        (a, c)
        for group in by_person.values()
        for a, c in pairwise(group)
        if c["claim_date"] >= a["expense_date"] and c["approval"] == a["approval"]
    ]
    planted = 0
    for first, later in b.rng.sample(pairs, len(pairs)):
        if planted == 2 or {first["claim_id"], later["claim_id"]} & b.tainted["claims"]:
            continue
        planted += 1
        later.update(amount=first["amount"], expense_date=first["expense_date"])
        dup = max((first, later), key=lambda r: order[id(r)])
        b.tainted["claims"].add(min((first, later), key=lambda r: order[id(r)])["claim_id"])
        b.plant_finance("duplicate_claim", "claims", dup["claim_id"])
    # One receipt claimed twice.
    for first, later in zip(*[iter(b.pick("claims", free, 4, "claim_id"))] * 2, strict=True):
        later["attachment_ref"] = first["attachment_ref"]
        dup = max((first, later), key=lambda r: order[id(r)])
        b.plant_finance("duplicate_claim", "claims", dup["claim_id"])
    # What Odoo's books say differently (see FinancePlant).
    settled = [r for r in free if r["approval"] == "approved" and r["audit"] == "passed"]
    for r in b.pick("claims", [r for r in settled if r["reimbursed"]], 2, "claim_id"):
        b.plant_finance("amount_differs", "claims", r["claim_id"], "amount")
    for r in b.pick("claims", settled, 2, "claim_id"):
        b.plant_finance("workbook_only", "claims", r["claim_id"], "missing")
    for r in b.pick("claims", [r for r in settled if not r["reimbursed"]], 2, "claim_id"):
        b.plant_finance("paid_not_recorded", "claims", r["claim_id"], "paid")
    for n in (1, 2):
        b.plant_finance("odoo_only", "claims", f"EX{b.year}-{9000 + n}", "extra")
    plant_campaign_spend(b)


def plant_campaign_spend(b: Builder) -> None:
    """A campaign's month the books overspend: claims filed on no campaign that Odoo books on
    this campaign's analytic account (``odoo = "campaign_spend"``: in claim order, until the
    campaign's spend of the month passes its budget by 10 %). Only a month whose claims on no
    campaign of the category can do that is chosen."""
    a = b.as_of
    budgeted: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in b.sheets["campaign_budget"]:
        if (line["year"], line["month"]) < (a.year, a.month):
            group = (line["year"], line["month"], line["campaign_id"], line["category"])
            budgeted[group] += line["amount"]
    free: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in b.sheets["claims"]:
        day = r["expense_date"]
        if r["approval"] != "rejected" and not r["campaign_id"] and isinstance(day, date):
            free[(day.year, day.month, r["category"])] += r["amount"]
    fits = sorted(g for g, amount in budgeted.items() if free[(g[0], g[1], g[3])] > amount * 2)
    if not fits:
        return
    # The largest such month; chosen without the random stream, so the rest of the demo
    # (drawn after the expenses) stays as it was.
    year, month, campaign, category = max(fits, key=lambda g: (budgeted[g], g))
    b.plant_finance(
        "overspend", "campaign_budget", f"{year}-{month:02d}/{campaign}/{category}",
        "campaign_spend",
    )  # fmt: skip


def _no_chance_duplicates(rows: list[Row]) -> None:
    """Move a claim that happens to repeat another's claimant, amount and day a day earlier."""
    seen: set[tuple] = set()
    for r in rows:
        if not isinstance(r["expense_date"], date):
            continue
        key = (r["claimant"], r["amount"], r["expense_date"])
        while key in seen and r["expense_date"].day > 1:
            r["expense_date"] -= timedelta(days=1)
            key = (r["claimant"], r["amount"], r["expense_date"])
        seen.add(key)
