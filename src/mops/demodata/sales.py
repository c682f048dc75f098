"""§6 Sales: targets, contracts and their payment schedules, with planted mistakes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from mops.demodata.builder import Builder, Person
from mops.demodata.helpers import to_workday, year_earlier
from mops.demodata.model import Row
from mops.demodata.policy import F_DATE_ORDER, R_LEGAL, R_OVERDUE, R_TARGETS
from mops.demodata.vocabulary import SEASON

CONTRACT_WINDOW = 480  # days back from as-of: the won deals contracts are drawn from
CONTRACTS_SIGNED = 275  # of those, the ones with a signed contract


def targets(b: Builder) -> None:
    """Sales targets by year, quarter and month, then months planted out of step."""
    rng = b.rng
    people = [p for p in b.staff(("sales",)) if p.role in ("lead", "sales_rep")]
    b.quarter_targets = {}
    month_rows: list[Row] = []
    pipeline = won_this_year(b)
    for p in people:
        # Set from what the person's won deals promise (contracts are signed from them), a
        # little above or below: attainment then lands between about 70 % and 130 %.
        stretch = 1 if p.role == "lead" else 0.9 + (rng.randint(90, 140) - 90) / 250
        first_month = 1 if p.hire.year < b.year else p.hire.month + 1
        season = sum(SEASON[first_month - 1 : b.as_of.month]) or 1
        base = max(pipeline.get(p.name, 0) / season / 10_000 * stretch, 30)  # NT$10,000 a month
        months = []
        for m in range(1, 13):
            if m < first_month:
                months.append((0, 0, 0))
                continue
            revenue = round(base * SEASON[m - 1] * rng.uniform(0.9, 1.1)) * 10_000
            profit = round(revenue * rng.uniform(0.28, 0.35) / 10_000) * 10_000
            months.append((revenue, profit, rng.randint(1, 3)))
        target(b, p, "Y", "year", months)
        for q in range(1, 5):
            b.quarter_targets[(p.name, q)] = sum(x[0] for x in months[3 * q - 3 : 3 * q])
            target(b, p, f"Q{q}", "quarter", months[3 * q - 3 : 3 * q], quarter=q)
        for m in range(1, 13):
            part = [months[m - 1]]
            month_rows.append(
                target(b, p, f"M{m:02d}", "month", part, quarter=(m + 2) // 3, month=m)
            )
    # A month revised after its quarter was agreed, without revising the quarter.
    by_person: dict[str, Row] = {}
    for r in rng.sample(month_rows, len(month_rows)):
        if r["revenue"] > 0:
            by_person.setdefault(r["salesperson"], r)
    candidates = sorted(by_person.values(), key=lambda r: r["target_id"])
    for r in b.pick("targets", candidates, 2, "target_id"):
        r["revenue"] += Decimal(rng.randint(5, 15) * 10_000)
        # The quarter is where the sum no longer matches.
        quarter = r["target_id"][:-3] + f"Q{r['quarter']}"
        b.plant("targets-not-adding-up", R_TARGETS, "targets", quarter, "revenue")


def won_this_year(b: Builder) -> dict[str, float]:
    """Each salesperson's expected contract value this year: won deals closing this year, in
    the share of won deals that become contracts (``contracts`` signs CONTRACTS_SIGNED)."""
    a = b.as_of
    won = [
        o
        for o in b.sheets["opportunities"]
        if o["stage"] == "won" and o["expected_close"] >= a - timedelta(days=CONTRACT_WINDOW)
    ]
    share = min(1.0, CONTRACTS_SIGNED / len(won)) if won else 0.0
    out: dict[str, float] = defaultdict(float)
    for o in won:
        if o["expected_close"].year == b.year and o["expected_close"] <= a:
            out[o["salesperson"]] += float(o["expected_revenue"]) * share
    return out


def target(
    b: Builder, p: Person, suffix: str, period: str, part: list[tuple[int, int, int]], **more: Any
) -> Row:
    """One target row: the sums of the months in ``part``."""
    return b.add(
        "targets", target_id=f"T{b.year}-{p.emp_id}-{suffix}", salesperson=p.name,
        year=b.year, period_type=period, revenue=Decimal(sum(x[0] for x in part)),
        profit=Decimal(sum(x[1] for x in part)), new_customers=sum(x[2] for x in part),
        satisfaction=Decimal("4.5"), **more,
    )  # fmt: skip


def contracts(b: Builder) -> None:
    """Contracts of won and negotiating deals, their payment schedules, then planted mistakes."""
    a, rng = b.as_of, b.rng
    opps = b.sheets["opportunities"]
    won = [
        o
        for o in opps
        if o["stage"] == "won" and o["expected_close"] >= a - timedelta(days=CONTRACT_WINDOW)
    ]
    negotiating = [o for o in opps if o["stage"] == "negotiation"]
    legal = [p for p in b.people if p.group == "legal"]
    drafts: list[tuple[date, str, dict[str, Any]]] = []
    for o in rng.sample(won, CONTRACTS_SIGNED):
        signed = o["expected_close"]
        # Legal review comes before signing (policy 6.3).
        review = max(to_workday(signed - timedelta(days=rng.randint(2, 10))), o["created_date"])
        review = min(review, signed - timedelta(days=1))
        start = to_workday(signed + timedelta(days=rng.randint(0, 14)), forward=True)
        end = start + timedelta(days=rng.randint(60, 365))
        status = "signed" if start > a else ("completed" if end < a else "executing")
        d = {
            "o": o,
            "signed": signed,
            "review": review,
            "start": start,
            "end": end,
            "status": status,
        }
        drafts.append((review, o["opportunity_id"], d))
    for i, o in enumerate(rng.sample(negotiating, 25)):
        review = None
        if i >= 10:
            review = max(to_workday(a - timedelta(days=rng.randint(1, 12))), o["created_date"])
        status = "legal_review" if review else "drafting"
        d = {
            "o": o,
            "signed": None,
            "review": review,
            "start": None,
            "end": None,
            "status": status,
        }
        drafts.append((review or o["created_date"], o["opportunity_id"], d))
    drafts.sort(key=lambda d: (d[0], d[1]))
    seq: dict[int, int] = defaultdict(int)
    executing: list[Row] = []
    for day, _, d in drafts:
        o, status = d["o"], d["status"]
        cust = b.customer_by_id[o["customer_id"]]
        seq[day.year] += 1
        amount = int(o["expected_revenue"])
        if amount < 300_000:
            shares: tuple[int, ...] = (100,)
        elif amount < 1_000_000:
            shares = rng.choice([(50, 50), (30, 40, 30)])
        else:
            shares = rng.choice([(30, 40, 30), (25, 25, 25, 25)])
        if len(shares) == 1:
            terms = "簽約後 30 日內一次付清"
        else:
            parts = "、".join(f"第 {k} 期 {s}%" for k, s in enumerate(shares, 1))
            terms = f"分 {len(shares)} 期支付：{parts}"
        reviewer = result = None
        if d["review"] is not None:
            reviewer = rng.choice([p for p in legal if p.employed(d["review"])]).name
            result = "approved"
            if status == "legal_review":
                result = rng.choice(["pending", "changes_requested"])
        offer = o["name"].split(" ", 1)[1]
        sessions = rng.randint(4, 16)
        row = b.add(
            "contracts", contract_id=f"SC{day.year}-{seq[day.year]:04d}",
            customer_id=o["customer_id"], opportunity_id=o["opportunity_id"],
            title=f"{cust.short}{offer}委任契約", service_line=o["service_line"],
            scope=f"提供{offer}，含現況訪談、診斷報告與改善方案，共 {sessions} 次顧問會議。",
            rights_duties="甲方提供必要資料與指定窗口；乙方負保密義務，並依約定時程交付成果。",
            amount=Decimal(amount), payment_terms=terms,
            delivery_date=d["end"] - timedelta(days=rng.randint(0, 14)) if d["end"] else None,
            breach_liability="任一方違約時，應賠償他方所受損害，上限為合約總金額之 20%。",
            owner=o["salesperson"], legal_reviewer=reviewer, legal_review_date=d["review"],
            legal_review_result=result, signed_date=d["signed"], start_date=d["start"],
            end_date=d["end"], status=status,
        )  # fmt: skip
        if d["signed"] is not None:
            payment_schedule(b, row, shares)
        if status == "executing":
            executing.append(row)
    amend_contracts(b, executing)
    plant_contracts(b)


def payment_schedule(b: Builder, contract: Row, shares: tuple[int, ...]) -> None:
    a, rng = b.as_of, b.rng
    amount = int(contract["amount"])
    signed, end = contract["signed_date"], contract["end_date"]
    parts = [amount * s // 100 for s in shares[:-1]]
    parts.append(amount - sum(parts))  # the instalments add up to the amount exactly
    first = signed + timedelta(days=30)
    n = len(parts)
    for k, part in enumerate(parts):
        due = first if n == 1 else first + (end - first) * k / (n - 1)
        due = to_workday(due, forward=True)
        invoiced = max(signed, due - timedelta(days=30))
        status, inv, paid_day, paid = "scheduled", None, None, None
        if due <= a:  # every instalment due so far has been paid on time
            status, inv, paid = "paid", invoiced, Decimal(part)
            paid_day = max(invoiced, due - timedelta(days=rng.randint(0, 10)))
        elif invoiced <= a:
            status, inv = "invoiced", invoiced
        b.add(
            "payment_schedule", instalment_id=f"{contract['contract_id']}-{k + 1}",
            contract_id=contract["contract_id"], seq=k + 1, due_date=due,
            amount=Decimal(part),
            invoice_no=f"{b.letters()}-{b.digits(8)}" if inv else None,
            invoiced_date=inv, paid_date=paid_day, paid_amount=paid, status=status,
        )  # fmt: skip


def amend_contracts(b: Builder, executing: list[Row]) -> None:
    """Amend and terminate some executing contracts, each with its date and reason."""
    a, rng = b.as_of, b.rng
    schedule: dict[str, list[Row]] = defaultdict(list)
    for r in b.sheets["payment_schedule"]:
        schedule[r["contract_id"]].append(r)
    pool = rng.sample(executing, len(executing))
    reasons = (
        "客戶要求增加訓練場次，交付時程順延", "服務範圍調整：新增子公司導入",
        "客戶窗口異動，調整期中報告時程",
    )  # fmt: skip
    amended = [c for c in pool if c["start_date"] + timedelta(days=14) < a][:20]
    for c in amended:
        day = b.between(c["start_date"] + timedelta(days=14), a - timedelta(days=1))
        c.update(status="changed", change_date=day, change_reason=rng.choice(reasons))
    terminated = 0
    for c in pool:
        if c in amended or terminated == 8:
            continue
        paid = [i for i in schedule[c["contract_id"]] if i["status"] == "paid"]
        rest = [i for i in schedule[c["contract_id"]] if i["status"] != "paid"]
        # Terminated between two instalments, so nothing due so far is left unpaid.
        if not paid or not rest or any(i["due_date"] <= a for i in rest):
            continue
        last_paid = max(i["due_date"] for i in paid)
        if last_paid >= a - timedelta(days=10):
            continue
        day = b.between(last_paid + timedelta(days=1), a - timedelta(days=3))
        c.update(
            status="terminated", termination_date=day,
            termination_reason=rng.choice(
                ("客戶組織重整，雙方合意提前終止", "客戶預算凍結，依約提前終止")
            ),
        )  # fmt: skip
        for i in rest:
            i.update(status="scheduled", invoice_no=None, invoiced_date=None)
        terminated += 1


def plant_contracts(b: Builder) -> None:
    a, rng = b.as_of, b.rng
    rows = b.sheets["contracts"]
    signed = [r for r in rows if r["status"] in ("signed", "executing", "completed")]
    earlier = [r for r in signed if r["signed_date"] < a - timedelta(days=15)]
    for r in b.pick("contracts", earlier, 2, "contract_id"):
        r["legal_review_date"] = r["signed_date"] + timedelta(days=rng.randint(2, 10))
        b.plant(
            "legal-review-after-signing",
            R_LEGAL,
            "contracts",
            r["contract_id"],
            "legal_review_date",
        )
    for r in b.pick("contracts", signed, 2, "contract_id"):
        r.update(legal_reviewer=None, legal_review_date=None, legal_review_result=None)
        b.plant("no-legal-review", R_LEGAL, "contracts", r["contract_id"], "legal_review_date")
    typo = [
        r
        for r in signed
        if r["status"] == "executing" and year_earlier(r["end_date"]) < r["start_date"]
    ]
    b.plant_changed(
        "end-before-start", F_DATE_ORDER, "contracts", typo, 2, "end_date", year_earlier
    )
    plant_receivables(b)


def plant_receivables(b: Builder) -> None:
    """Finance mistakes for ``mops reconcile``: unpaid instalments here, differences in Odoo."""
    a = b.as_of
    contracts = {r["contract_id"]: r for r in b.sheets["contracts"]}
    live = {k for k, r in contracts.items() if r["status"] in ("executing", "completed", "changed")}
    schedule = [
        i
        for i in b.sheets["payment_schedule"]
        if i["contract_id"] in live and i["contract_id"] not in b.tainted["contracts"]
    ]
    # Overdue instalments, one in each age bucket past 30 days: invoiced, never paid.
    for low, high in ((35, 60), (61, 90), (91, 300)):
        due = [
            i for i in schedule if i["status"] == "paid" and low <= (a - i["due_date"]).days <= high
        ]
        for i in b.pick("payment_schedule", due, 1, "instalment_id"):
            i.update(status="invoiced", paid_date=None, paid_amount=None)
            b.plant(
                "overdue-receivable", R_OVERDUE, "payment_schedule", i["instalment_id"], "due_date"
            )
            b.plant_finance("overdue_receivable", "payment_schedule", i["instalment_id"])
    # What Odoo's books say differently (see FinancePlant).
    paid = [i for i in schedule if i["status"] == "paid"]
    invoiced = [i for i in schedule if i["status"] == "invoiced" and i["due_date"] > a]
    for i in b.pick("payment_schedule", paid, 2, "instalment_id"):
        b.plant_finance("amount_differs", "payment_schedule", i["instalment_id"], "amount")
    for i in b.pick("payment_schedule", paid + invoiced, 2, "instalment_id"):
        b.plant_finance("workbook_only", "payment_schedule", i["instalment_id"], "missing")
    for i in b.pick("payment_schedule", invoiced, 2, "instalment_id"):
        b.plant_finance("paid_not_recorded", "payment_schedule", i["instalment_id"], "paid")
    signed = sorted(live - b.tainted["contracts"])
    for c in b.pick("contracts", [contracts[k] for k in signed], 2, "contract_id"):
        b.plant_finance("amount_differs", "contracts", c["contract_id"], "amount")
    for c in b.pick("contracts", [contracts[k] for k in signed], 2, "contract_id"):
        b.plant_finance("invoiced_not_in_schedule", "contracts", c["contract_id"], "extra_invoice")
    for n in (1, 2):
        b.plant_finance("odoo_only", "contracts", f"SC{b.year}-{9000 + n}", "extra")
