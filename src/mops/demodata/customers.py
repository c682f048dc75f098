"""§5 Customers: customers, contacts, deals and follow-ups, with the mistakes planted in them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mops.demodata.builder import Builder, Customer, Person
from mops.demodata.campaigns import clean_campaigns
from mops.demodata.helpers import minguo, to_workday
from mops.demodata.model import Row
from mops.demodata.names import (
    CORE_FIRST,
    CORE_SECOND,
    INDUSTRIES,
    REGIONS,
    ROADS,
    SIZE_BUDGET,
    SIZES,
)
from mops.demodata.policy import (
    CADENCE_DAYS,
    F_DATE_ORDER,
    F_EMAIL,
    F_ENUM,
    F_LENIENT_DATE,
    F_PHONE,
    R_CADENCE,
    R_COMPLETE,
    R_OWNER_KNOWN,
)
from mops.demodata.vocabulary import (
    CARE_CONTENT,
    CHANNELS,
    CONTACT_TITLES,
    CUSTOMER_NOTES,
    CUSTOMER_STATUS,
    FOLLOWUP_DETAILS,
    FOLLOWUP_TOPICS,
    LOST_REASONS,
    METHODS,
    NEEDS,
    NEXT_STEPS,
    OFFERS,
    PLAN_GOALS,
    SERVICE_LABEL,
    SERVICE_LINES,
    SOURCE_CHANNEL,
    TIERS_BY_STATUS,
)


def customers(b: Builder) -> None:
    """The 800 customers and their contacts."""
    a, rng = b.as_of, b.rng
    industries = {k: v[0] for k, v in INDUSTRIES.items()}
    regions = {k: v[0] for k, v in REGIONS.items()}
    names: set[str] = set()
    tax_ids: set[str] = set()
    domains: set[str] = set()
    managers = [p for p in b.staff(("sales",)) if p.role in ("sales_rep", "lead")]
    # The lead keeps few accounts; a hire of the last months is still building a portfolio.
    weights = [
        1 if p.role == "lead" else (2 if p.hire > a - timedelta(days=100) else 4) for p in managers
    ]
    b.customer_list = []
    contacts: list[Row] = []
    while len(b.customer_list) < 800:
        industry = b.weighted(industries)
        pattern, domain_word = rng.choice(INDUSTRIES[industry][1])
        (c1, r1), (c2, r2) = rng.choice(CORE_FIRST), rng.choice(CORE_SECOND)
        size = b.weighted(SIZES)
        small = size in ("micro", "small") and rng.random() < 0.5
        name = pattern.format(c=c1 + c2, s="有限公司" if small else "股份有限公司")
        tld = "" if domain_word.endswith(".org") else ".com"
        domain = f"{r1}{r2}-{domain_word}{tld}.tw"
        tax_id = f"{rng.randint(10_000_000, 99_999_999)}"
        if c1 == c2 or name in names or domain in domains or tax_id in tax_ids:
            continue
        names.add(name)
        domains.add(domain)
        tax_ids.add(tax_id)
        cid = f"CU{len(b.customer_list) + 1:04d}"
        status = b.weighted(CUSTOMER_STATUS)
        region = b.weighted(regions)
        city, districts, code = rng.choice(REGIONS[region][1])
        if industry == "public" and size == "micro":
            size = "medium"
        budget = rng.randint(*SIZE_BUDGET[size]) * 10_000
        line = rng.choice(SERVICE_LINES)
        needs = rng.choice(NEEDS[line])
        if rng.random() < 0.3:
            other = rng.choice([x for x in SERVICE_LINES if x != line])
            needs += "；" + rng.choice(NEEDS[other])
        days_known = rng.randint(15, 540) if status == "prospect" else rng.randint(400, 2600)
        first = to_workday(a - timedelta(days=days_known))
        contact, local = b.person_name()
        email = b.unique_email(local, domain)
        phone = b.mobile() if size == "micro" and rng.random() < 0.5 else b.landline(code)
        short = name
        for word in ("股份有限公司", "有限公司", "財團法人", "社團法人"):
            short = short.replace(word, "")
        district = rng.choice(districts)
        address = (
            f"{city}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}號{rng.randint(2, 20)}樓"
        )
        row = b.add(
            "customers", customer_id=cid, name=name, tax_id=tax_id, contact_name=contact,
            phone=phone, email=email, industry=industry, company_size=size,
            business_needs=needs, budget=Decimal(budget), channel=b.weighted(CHANNELS),
            tier=b.weighted(TIERS_BY_STATUS[status]), status=status, region=region,
            address=address,
            account_manager=rng.choices(managers, weights=weights)[0].name,
            first_contact_date=first,
            notes=rng.choice(CUSTOMER_NOTES) if rng.random() < 0.15 else None,
        )  # fmt: skip
        cust = Customer(row, short, domain, first, line, budget, [contact], [])
        b.customer_list.append(cust)
        contacts.append({
            "customer_id": cid, "name": contact, "title": rng.choice(CONTACT_TITLES),
            "phone": b.mobile() if rng.random() < 0.6 else phone, "email": email,
            "primary": True,
        })  # fmt: skip
        if rng.random() < 0.25:
            other, local = b.person_name()
            if other != contact:
                cust.contacts.append(other)
                contacts.append({
                    "customer_id": cid, "name": other, "title": rng.choice(CONTACT_TITLES),
                    "phone": b.mobile(), "email": b.unique_email(local, domain),
                    "primary": False, "notes": "財務窗口" if rng.random() < 0.3 else None,
                })  # fmt: skip
    for n, values in enumerate(contacts, 1):
        b.add("contacts", contact_id=f"CT{n:05d}", **values)
    b.customer_by_id = {c.row["customer_id"]: c for c in b.customer_list}


def plant_customers(b: Builder) -> None:
    """Plant the customer-sheet mistakes (after follow-ups, so cadence plants are known)."""
    rows = b.sheets["customers"]
    for r in b.pick("customers", rows, 4, "customer_id"):
        r["phone"] = None
        b.plant("missing-phone", R_COMPLETE, "customers", r["customer_id"], "phone")
    for r in b.pick("customers", rows, 3, "customer_id"):
        r["business_needs"] = None
        b.plant(
            "missing-business-needs",
            R_COMPLETE,
            "customers",
            r["customer_id"],
            "business_needs",
        )
    for r in b.pick("customers", rows, 3, "customer_id"):
        r["budget"] = None
        b.plant("missing-budget", R_COMPLETE, "customers", r["customer_id"], "budget")
    # Each fails both the reader's e-mail pattern and the validator's quick check; a full-width
    # ＠ or a comma for the last dot would not fail both.
    bad_emails = (
        lambda e: e.replace("@", "", 1), lambda e: e.replace("@", "@@", 1),
        lambda e: e.rsplit(".", 2)[0], lambda e: e.replace(".", " ", 1),
    )  # fmt: skip
    for i, r in enumerate(b.pick("customers", rows, 4, "customer_id")):
        r["email"] = bad_emails[i % len(bad_emails)](r["email"])
        b.plant("bad-email", F_EMAIL, "customers", r["customer_id"], "email")
    second = [c for c in b.sheets["contacts"] if not c["primary"]]
    for i, r in enumerate(b.pick("contacts", second, 2, "contact_id")):
        r["email"] = bad_emails[(i + 2) % len(bad_emails)](r["email"])
        b.plant("bad-email", F_EMAIL, "contacts", r["contact_id"], "email")
    # A digit count no Taiwan number has, or a letter O for a zero. One digit short, or the
    # area code left off, would not do: numbers of area codes 03 to 08 have nine or ten
    # digits, and the reader restores a lost leading 0.
    bad_phones = (
        lambda p: p[:-1] + "O", lambda p: p[:-2], lambda p: p + "12",
        lambda p: p[:4] + "O" + p[5:],
    )  # fmt: skip
    for i, r in enumerate(b.pick("customers", rows, 4, "customer_id")):
        r["phone"] = bad_phones[i % len(bad_phones)](r["phone"])
        b.plant("bad-phone", F_PHONE, "customers", r["customer_id"], "phone")
    for i, r in enumerate(b.pick("contacts", second, 2, "contact_id")):
        r["phone"] = bad_phones[(i + 1) % len(bad_phones)](r["phone"])
        b.plant("bad-phone", F_PHONE, "contacts", r["contact_id"], "phone")
    # A company keyed in a second time, further down the sheet: under its exact name without
    # a tax id, or under its tax id. Policy 5.2 asks for duplicates to be flagged, so mops
    # reports them under P5.2-complete, on the later row.
    pairs = b.pick("customers", rows, 8, "customer_id")
    for i in range(4):
        first, later = sorted(pairs[2 * i : 2 * i + 2], key=lambda r: r["customer_id"])
        column = "name" if i < 2 else "tax_id"
        later[column] = first[column]
        if column == "name":
            later["tax_id"] = None
        b.plant("duplicate-customer", R_COMPLETE, "customers", later["customer_id"], column)
    # Words typed instead of picked from the list; "A+" goes on a customer of tier A.
    free_text = (
        ("industry", "科技業", "*"),
        ("company_size", "中小企業", "*"),
        ("tier", "A+", "A"),
    )
    for col, value, tier in free_text:
        fits = [r for r in rows if tier in ("*", r["tier"])]
        for r in b.pick("customers", fits, 1, "customer_id"):
            r[col] = value
            b.plant("enum-free-text", F_ENUM, "customers", r["customer_id"], col)
    b.plant_changed(
        "minguo-date", F_LENIENT_DATE, "customers", rows, 2, "first_contact_date", minguo
    )
    b.plant_changed(
        "unknown-owner", R_OWNER_KNOWN, "customers", rows, 2, "account_manager", b.typo_of
    )


def opportunities(b: Builder) -> None:
    """Exactly 1,500 opportunities, then open deals planted on the salesperson who left."""
    a, rng = b.as_of, b.rng
    per_status = {"active": 2.5, "prospect": 1.5, "dormant": 1.0, "lost": 1.0}
    counts = [
        max(1, round(per_status[c.row["status"]] * rng.uniform(0.4, 1.6))) for c in b.customer_list
    ]
    while sum(counts) != 1500:
        i = rng.randrange(len(counts))
        counts[i] += 1 if sum(counts) < 1500 else -1 if counts[i] > 1 else 0
    stages = {
        "prospect": {"new": 18, "qualified": 22, "proposal": 22, "negotiation": 18, "lost": 20},
        "active": {"won": 45, "lost": 13, "new": 8, "qualified": 11, "proposal": 11,
                   "negotiation": 12},
        "dormant": {"won": 50, "lost": 50},
        "lost": {"won": 30, "lost": 70},
    }  # fmt: skip
    probability = {
        "new": (2, 2),
        "qualified": (4, 6),
        "proposal": (8, 12),
        "negotiation": (14, 18),
    }
    sourced = clean_campaigns(b, "executing", "closed")
    drafts: list[tuple[date, str, Customer, Row]] = []
    for cust, k in zip(b.customer_list, counts, strict=True):
        status = cust.row["status"]
        manager = b.by_name[cust.row["account_manager"]]
        lo = max(cust.first_contact, a - timedelta(days=540))
        for _ in range(k):
            stage = b.weighted(stages[status])
            if stage in ("won", "lost"):
                hi = a - timedelta(days=200 if status in ("dormant", "lost") else 20)
                created = to_workday(b.between(lo, max(lo, hi)))
                room = (a - timedelta(days=1) - created).days
                close = created + timedelta(days=rng.randint(min(14, room), min(150, room)))
                close = max(created, to_workday(close))
                person = b.owner_at(manager, close)
                prob = Decimal(1 if stage == "won" else 0)
            else:
                created = to_workday(b.between(max(lo, a - timedelta(days=240)), a))
                close = to_workday(a + timedelta(days=rng.randint(7, 150)), forward=True)
                person = manager
                prob = Decimal(rng.randint(*probability[stage]) * 5) / 100
            line = cust.service_line if rng.random() < 0.6 else rng.choice(SERVICE_LINES)
            revenue = max(5, round(cust.budget * rng.uniform(0.2, 0.9) / 10_000)) * 10_000
            channel = cust.row["channel"] if rng.random() < 0.7 else b.weighted(CHANNELS)
            campaign = None
            if rng.random() < 0.12:
                fits = [
                    c
                    for c in sourced
                    if c["start_date"] <= created <= c["end_date"] + timedelta(days=30)
                ]
                if fits:
                    source = rng.choice(fits)
                    campaign = source["campaign_id"]
                    channel = SOURCE_CHANNEL.get(source["format"], "event")
            values = {
                "customer_id": cust.row["customer_id"],
                "name": f"{cust.short} {rng.choice(OFFERS[line])}",
                "service_line": line, "salesperson": person.name,
                "expected_revenue": Decimal(revenue), "probability": prob,
                "expected_close": close, "channel": channel, "campaign_id": campaign,
                "created_date": created, "stage": stage,
                "lost_reason": rng.choice(LOST_REASONS) if stage == "lost" else None,
            }  # fmt: skip
            drafts.append((created, cust.row["customer_id"], cust, values))
    drafts.sort(key=lambda d: (d[0], d[1]))
    for i, (_, _, cust, values) in enumerate(drafts, 1):
        cust.opps.append(b.add("opportunities", opportunity_id=f"OP{i:05d}", **values))
    # Open deals still assigned to the salesperson who left in spring.
    early = [r for r in b.sheets["opportunities"] if r["stage"] in ("new", "qualified")]
    for r in b.pick("opportunities", early, 2, "opportunity_id"):
        r["salesperson"] = b.leaver.name
        b.plant(
            "owner-has-left", R_OWNER_KNOWN, "opportunities", r["opportunity_id"], "salesperson"
        )


def followups(b: Builder) -> None:
    """The follow-up log and plan: every clean customer was contacted within its cadence."""
    a, rng = b.as_of, b.rng
    custs = b.customer_list
    old = [i for i, c in enumerate(custs) if c.first_contact < a - timedelta(days=160)]
    overdue = set(rng.sample(old, 8))
    latest: list[date] = []
    earlier: list[list[date]] = []
    for i, cust in enumerate(custs):
        cadence = CADENCE_DAYS[cust.row["tier"]]
        if i in overdue:
            lo, hi = a - timedelta(days=cadence + 60), a - timedelta(days=cadence + 5)
        else:
            lo, hi = a - timedelta(days=cadence - 1), a  # a day of margin
        lo = max(lo, cust.first_contact)
        days = [lo + timedelta(days=d) for d in range((hi - lo).days + 1)]
        last = rng.choice([d for d in days if d.weekday() < 5] or days)
        latest.append(last)
        w0 = max(cust.first_contact, a - timedelta(days=400))
        window = (w0 + timedelta(days=d) for d in range((last - w0).days))
        earlier.append([d for d in window if d.weekday() < 5])
    per_tier = {"A": 10, "B": 6, "C": 4, "D": 2}
    counts = [
        max(1, min(per_tier[c.row["tier"]] + rng.randint(-1, 1), len(w) + 1))
        for c, w in zip(custs, earlier, strict=True)
    ]
    while sum(counts) != 3000:
        i = rng.randrange(len(counts))
        if sum(counts) < 3000 and counts[i] <= len(earlier[i]):
            counts[i] += 1
        elif sum(counts) > 3000 and counts[i] > 1:
            counts[i] -= 1
    drafts: list[tuple[date, str, Row]] = []
    for i, cust in enumerate(custs):
        dates = sorted([*rng.sample(earlier[i], counts[i] - 1), latest[i]])
        manager = b.by_name[cust.row["account_manager"]]
        cadence = CADENCE_DAYS[cust.row["tier"]]
        for j, day in enumerate(dates):
            # The next date is the next contact, or the cadence after the latest one.
            nxt = dates[j + 1] if j + 1 < len(dates) else day + timedelta(days=cadence)
            drafts.append((day, cust.row["customer_id"], contact(b, cust, manager, day, nxt)))
    drafts.sort(key=lambda d: (d[0], d[1]))
    last_row: dict[str, Row] = {}
    for n, (_, cid, values) in enumerate(drafts, 1):
        last_row[cid] = b.add("followup_log", log_id=f"FL{n:05d}", **values)
    for i in sorted(overdue):
        # Reported on the date of the customer's latest follow-up, where the lateness shows;
        # the customer is kept clear of other planted mistakes all the same.
        cid = custs[i].row["customer_id"]
        b.plant("cadence-overdue", R_CADENCE, "followup_log", last_row[cid]["log_id"], "date")
        b.tainted["customers"].add(cid)
    followup_plan(b, last_row)
    plant_customers(b)
    plant_followup_log(b, last_row)


def contact(b: Builder, cust: Customer, manager: Person, day: date, nxt: date) -> Row:
    """One follow-up log row."""
    rng = b.rng
    opps = [o for o in cust.opps if o["created_date"] <= day <= o["expected_close"]]
    opp = rng.choice(opps) if opps and rng.random() < 0.6 else None
    care = cust.row["status"] == "active" and rng.random() < 0.08
    svc = SERVICE_LABEL[opp["service_line"] if opp else cust.service_line]
    if care:
        owner = rng.choice(b.staff(("service",), day=day) or [b.service_lead])
        method, outcome = "visit", "progress"
        content = rng.choice(CARE_CONTENT).format(svc=svc)
        next_step = "彙整客戶建議並回覆"
    else:
        owner = b.owner_at(manager, day)
        method = b.weighted(METHODS)
        closing = opp is not None and day >= opp["expected_close"] - timedelta(days=3)
        if closing and opp["stage"] in ("won", "lost"):
            outcome = opp["stage"]
        else:
            outcome = rng.choices(
                ["progress", "neutral", "setback", "no_response"], [40, 30, 12, 18]
            )[0]
        topic = rng.choice(FOLLOWUP_TOPICS).format(svc=svc)
        content = f"{topic}。{rng.choice(FOLLOWUP_DETAILS[outcome])}"
        next_step = rng.choice(NEXT_STEPS[outcome])
    return {
        "date": day, "customer_id": cust.row["customer_id"],
        "opportunity_id": opp["opportunity_id"] if opp else None,
        "contact": rng.choice(cust.contacts), "method": method, "owner": owner.name,
        "content": content, "outcome": outcome, "next_step": next_step, "next_date": nxt,
        "care_visit": care,
    }  # fmt: skip


def followup_plan(b: Builder, last_row: dict[str, Row]) -> None:
    a, rng = b.as_of, b.rng
    plans: list[tuple[date, str, Row]] = []

    def plan(log: Row, day: date, method: str, owner: str, status: str) -> None:
        values = {
            "customer_id": log["customer_id"], "opportunity_id": log["opportunity_id"],
            "method": method, "planned_date": day, "goal": rng.choice(PLAN_GOALS),
            "owner": owner, "status": status,
        }  # fmt: skip
        plans.append((day, log["customer_id"], values))

    # What comes next: the next date of the latest contact; missed when it has passed.
    for cid in rng.sample(sorted(last_row), 430):
        log = last_row[cid]
        owner = b.customer_by_id[cid].row["account_manager"]
        status = "planned" if log["next_date"] > a else "missed"
        plan(log, log["next_date"], b.weighted(METHODS), owner, status)
    latest = {id(r) for r in last_row.values()}
    history = [r for r in b.sheets["followup_log"] if id(r) not in latest]
    for log in rng.sample(history, 660):
        plan(log, log["date"], log["method"], log["owner"], "done")
    for status, k in (("missed", 70), ("cancelled", 40)):
        for log in rng.sample(history, k):
            day = log["date"] + timedelta(days=rng.randint(1, 5))
            if day < a:
                plan(log, day, rng.choice(["phone", "visit", "meeting"]), log["owner"], status)
    plans.sort(key=lambda p: (p[0], p[1]))
    for n, (_, _, values) in enumerate(plans, 1):
        b.add("followup_plan", plan_id=f"FP{n:05d}", **values)


def plant_followup_log(b: Builder, last_row: dict[str, Row]) -> None:
    latest = {id(r) for r in last_row.values()}
    history = [r for r in b.sheets["followup_log"] if id(r) not in latest]
    for r in b.pick("followup_log", history, 3, "log_id"):
        r["next_date"] = r["date"] - timedelta(days=b.rng.randint(1, 20))
        b.plant("next-date-before-date", F_DATE_ORDER, "followup_log", r["log_id"], "next_date")
    for r in b.pick("followup_log", history, 2, "log_id"):
        r["method"] = "LINE"
        b.plant("enum-free-text", F_ENUM, "followup_log", r["log_id"], "method")
    b.plant_changed("minguo-date", F_LENIENT_DATE, "followup_log", history, 2, "date", minguo)
    b.plant_changed("unknown-owner", R_OWNER_KNOWN, "followup_log", history, 2, "owner", b.typo_of)
