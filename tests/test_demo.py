"""The demo generator: deterministic, to size, consistent, and wrong only where it says so."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest

from mops.demodata import DEFAULT_AS_OF, DemoData, generate_demo
from mops.schemas.model import ColType, Owner
from mops.schemas.registry import WORKBOOKS, all_sheets, sheet

AS_OF = DEFAULT_AS_OF
CADENCE = {"A": 7, "B": 14, "C": 30, "D": 90}
PYTHON_TYPES = {
    ColType.TEXT: str,
    ColType.INTEGER: int,
    ColType.NUMBER: Decimal,
    ColType.MONEY: Decimal,
    ColType.PERCENT: Decimal,
    ColType.DATE: date,
    ColType.DATETIME: datetime,
    ColType.ENUM: str,
    ColType.BOOLEAN: bool,
    ColType.EMAIL: str,
    ColType.PHONE: str,
    ColType.PERSON: str,
    ColType.REF: str,
}
# Orders the policy asks for beyond the declared date_order pairs: approval before the start
# (4.1), legal review before signing (6.3), each step of a claim after the one before (8.2).
POLICY_ORDER = {
    "campaigns": [("approval_date", "start_date")],
    "contracts": [("legal_review_date", "signed_date"), ("signed_date", "start_date")],
    "claims": [("audit_date", "reimbursed_date")],
    "tickets": [("first_response_at", "resolved_at")],
    "payment_schedule": [("invoiced_date", "paid_date")],
}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo()


@pytest.fixture(scope="module")
def planted(demo):
    """(sheet, key) -> [(kind, rule id, column)] of every planted mistake."""
    table = defaultdict(list)
    for p in demo.planted:
        table[(p.sheet, p.key)].append((p.kind, p.rule_id, p.column))
    return table


def _rule_rows(demo, *rules: str) -> set[tuple[str, str]]:
    return {(p.sheet, p.key) for p in demo.planted if p.rule_id in rules}


def _cells(demo) -> set[tuple[str, str, str | None]]:
    return {(p.sheet, p.key, p.column) for p in demo.planted}


def _rows(demo, key: str):
    """(primary key, row) pairs of a sheet."""
    pk = sheet(key).primary_key
    return [(r[pk], r) for r in demo.sheet_rows(key)]


def _as_date(value) -> date | None:
    """A date cell as a date; the Minguo text the demo plants reads as the same date."""
    if isinstance(value, str):
        y, m, d = (int(x) for x in value.split("/"))
        return date(y + 1911, m, d)
    return value


def _working_hours(start: datetime, end: datetime) -> float:
    """Hours between two moments counted only 09:00–18:00, Monday to Friday."""
    total, day = 0.0, start.date()
    while day <= end.date():
        if day.weekday() < 5:
            lo = max(start, datetime.combine(day, time(9)))
            hi = min(end, datetime.combine(day, time(18)))
            total += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    return total / 3600


# --- determinism and size ---------------------------------------------------------------------


def test_same_seed_gives_the_same_rows(demo):
    again = generate_demo()
    assert again.rows == demo.rows
    assert again.planted == demo.planted


def test_another_seed_gives_other_rows(demo):
    other = generate_demo(seed=7)
    assert other.sheet_rows("customers") != demo.sheet_rows("customers")
    assert other.planted != demo.planted


def test_sizes_are_as_promised(demo):
    expected = {
        "roster": 25, "customers": 800, "contacts": 1000, "opportunities": 1500,
        "followup_plan": 1200, "followup_log": 3000, "campaigns": 40, "campaign_tasks": 200,
        "research_plan": 12, "competitors": 15, "contracts": 300, "tickets": 600,
        "improvements": 30, "claims": 2000,
    }  # fmt: skip
    counts = demo.counts()
    for key, n in expected.items():
        assert 0.9 * n <= counts[key] <= 1.1 * n, (key, counts[key])
    assert all(counts[s.key] > 0 for s in all_sheets())


def test_rows_are_keyed_by_workbook_and_sheet_in_declared_order(demo):
    assert list(demo.rows) == [wb.key for wb in WORKBOOKS]
    for wb in WORKBOOKS:
        assert list(demo.rows[wb.key]) == [s.key for s in wb.sheets]
        for s in wb.sheets:
            keys = [c.key for c in s.columns]
            assert all(list(row) == keys for row in demo.rows[wb.key][s.key]), s.key


# --- values -----------------------------------------------------------------------------------


def test_values_have_the_declared_types(demo):
    cells = _cells(demo)
    for s in all_sheets():
        for key, row in _rows(demo, s.key):
            for c in s.columns:
                value = row[c.key]
                if value is None or (s.key, key, c.key) in cells:
                    continue
                expected = PYTHON_TYPES[c.type]
                assert isinstance(value, expected), (s.key, key, c.key, value)
                assert not (expected is int and isinstance(value, bool)), (s.key, key, c.key)
                assert not (expected is date and isinstance(value, datetime)), (s.key, key, c.key)
                if c.type is ColType.ENUM:
                    options = c.enum.keys()  # EnumDef.keys(): the option keys, in order
                    assert value in options, (s.key, key, c.key, value)


def test_clean_values_pass_the_field_checks_and_planted_ones_do_not(demo):
    values = pytest.importorskip("mops.parsing")
    cells = _cells(demo)
    for s in all_sheets():
        for key, row in _rows(demo, s.key):
            for c in s.columns:
                parsed = values.parse_cell(c, row[c.key])
                if (s.key, key, c.key) not in cells:
                    assert parsed.ok and parsed.assumed is None, (s.key, key, c.key, row[c.key])
    expected = {"email-format": "bad_email", "phone-format": "bad_phone", "enum": "not_in_list"}
    for p in demo.planted:
        if p.rule_id in expected or p.rule_id == "assumed":
            row = dict(_rows(demo, p.sheet))[p.key]
            parsed = values.parse_cell(sheet(p.sheet).column(p.column), row[p.column])
            if p.rule_id == "assumed":
                assert parsed.ok and isinstance(parsed.value, date), p
                assert parsed.assumed is not None, p
            else:
                assert parsed.problem is not None, p
                assert parsed.problem.code == expected[p.rule_id], p


def test_required_columns_are_filled_and_odoo_columns_left_to_odoo(demo):
    cells = _cells(demo)
    for s in all_sheets():
        for key, row in _rows(demo, s.key):
            for c in s.columns:
                value = row[c.key]
                if c.owner is Owner.ODOO and c.key not in ("stage", "lost_reason"):
                    assert value is None, (s.key, key, c.key)
                elif c.required and (s.key, key, c.key) not in cells:
                    assert value not in (None, ""), (s.key, key, c.key)
    stages = Counter(r["stage"] for r in demo.sheet_rows("opportunities"))
    assert set(stages) == set(sheet("opportunities").column("stage").enum.keys())
    assert all(
        bool(r["lost_reason"]) == (r["stage"] == "lost") for r in demo.sheet_rows("opportunities")
    )


def test_unique_columns_are_unique(demo):
    for s in all_sheets():
        for c in s.columns:
            if c.unique:
                values = [r[c.key] for r in demo.sheet_rows(s.key)]
                assert len(values) == len(set(values)), (s.key, c.key)


def test_customers_are_distinct_except_the_planted_duplicates(demo):
    dup = _rule_rows(demo, "P5.2-complete")
    for column in ("name", "tax_id", "email"):
        seen = {}
        for key, row in _rows(demo, "customers"):
            value = row[column]
            if value is None:
                continue
            if value in seen:
                assert ("customers", key) in dup, (column, value, seen[value], key)
                assert seen[value] < key  # the later row carries the mistake
            seen.setdefault(value, key)


# --- references and people --------------------------------------------------------------------


def test_every_reference_points_at_an_existing_record(demo):
    for s in all_sheets():
        for c in s.columns:
            if c.type is not ColType.REF:
                continue
            target_sheet, _, target_col = c.ref.partition(".")
            keys = {r[target_col] for r in demo.sheet_rows(target_sheet)}
            for row in demo.sheet_rows(s.key):
                assert row[c.key] is None or row[c.key] in keys, (s.key, c.key, row[c.key])


def test_references_agree_with_each_other(demo):
    opps = dict(_rows(demo, "opportunities"))
    for key in ("followup_plan", "followup_log", "contracts"):
        for row in demo.sheet_rows(key):
            if row["opportunity_id"]:
                assert opps[row["opportunity_id"]]["customer_id"] == row["customer_id"], key
    kpis = dict(_rows(demo, "kpis"))
    roster = {r["name"]: r for r in demo.sheet_rows("roster")}
    for row in demo.sheet_rows("appraisals"):
        kpi = kpis[row["kpi_id"]]
        assert (kpi["year"], kpi["group"]) == (row["year"], roster[row["employee"]]["group"])


def test_people_are_on_the_roster_in_a_fitting_role(demo):
    roster = {r["name"]: r for r in demo.sheet_rows("roster")}
    unknown = _rule_rows(demo, "P2-owner-known")
    misfit = _rule_rows(demo, "P2-role-fits")
    leavers = {name for name, r in roster.items() if not r["active"]}
    assert leavers, "the roster shows someone who has left"
    for s in all_sheets():
        for c in s.columns:
            if c.type is not ColType.PERSON:
                continue
            for key, row in _rows(demo, s.key):
                name = row[c.key]
                if name is None:
                    continue
                if name not in roster or (name in leavers and s.key != "roster"):
                    assert (s.key, key) in unknown, (s.key, key, c.key, name)
                    continue
                person = roster[name]
                if c.roles or c.groups:
                    fits = person["role"] in c.roles or person["group"] in c.groups
                    assert fits or (s.key, key) in misfit, (s.key, key, c.key, name)
    for row in demo.sheet_rows("roster"):
        if row["manager"] is not None:
            manager = roster[row["manager"]]
            assert manager["role"] in ("executive", "head", "lead"), row["name"]
    executives = [r for r in roster.values() if r["role"] == "executive"]
    assert sum(r["manager"] is None for r in executives) == 1  # one tree, one root


def test_emails_are_company_addresses_and_names_chinese(demo):
    for row in demo.sheet_rows("roster"):
        assert row["email"].endswith("@mops-consulting.com.tw")
        assert 2 <= len(row["name"]) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in row["name"])
    assert all(len(r["tax_id"] or "12345678") == 8 for r in demo.sheet_rows("customers"))


# --- dates ------------------------------------------------------------------------------------


def test_no_clean_row_has_its_dates_out_of_order(demo):
    wrong = _rule_rows(demo, "date-order", "P4.1-approval", "P6.3-legal-review")
    checked = 0
    for s in all_sheets():
        pairs = [*getattr(s, "date_order", ()), *POLICY_ORDER.get(s.key, [])]
        for key, row in _rows(demo, s.key):
            if (s.key, key) in wrong:
                continue
            for earlier, later in pairs:
                first, second = _as_date(row[earlier]), _as_date(row[later])
                if first is None or second is None:
                    continue
                if isinstance(first, datetime) != isinstance(second, datetime):
                    first = (
                        first if isinstance(first, datetime) else datetime.combine(first, time())
                    )
                    second = (
                        second if isinstance(second, datetime) else datetime.combine(second, time())
                    )
                assert first <= second, (s.key, key, earlier, later, first, second)
                checked += 1
    assert checked > 10_000


def test_planted_date_order_mistakes_are_out_of_order(demo):
    pairs = {
        "campaigns": ("start_date", "end_date"), "campaign_tasks": ("start_date", "due_date"),
        "research_plan": ("start_date", "end_date"), "contracts": ("start_date", "end_date"),
        "followup_log": ("date", "next_date"),
    }  # fmt: skip
    found = Counter()
    for p in demo.planted:
        if p.rule_id == "date-order":
            row = dict(_rows(demo, p.sheet))[p.key]
            earlier, later = pairs[p.sheet]
            assert _as_date(row[later]) < _as_date(row[earlier]), p
            assert p.column == later
            found[p.sheet] += 1
    assert len(found) >= 4


def test_history_is_not_in_the_future(demo):
    for key, column in (("followup_log", "date"), ("claims", "claim_date"), ("training", "date")):
        rows = [r for r in demo.sheet_rows(key) if key != "training" or r["completed"]]
        assert all(_as_date(r[column]) <= AS_OF for r in rows), key
    now = datetime.combine(AS_OF, time())
    for row in demo.sheet_rows("tickets"):
        for column in ("received_at", "first_response_at", "resolved_at"):
            assert row[column] is None or row[column] < now


# --- policy rules on clean rows, and the planted exceptions -----------------------------------


def test_campaigns_are_approved_before_they_start_and_evaluated_after(demo):
    approval = _rule_rows(demo, "P4.1-approval")
    evaluation = _rule_rows(demo, "P4.2-evaluation-due")
    roles = {r["name"]: r["role"] for r in demo.sheet_rows("roster")}
    statuses = Counter()
    for key, c in _rows(demo, "campaigns"):
        statuses[c["status"]] += 1
        if c["status"] in ("approved", "executing", "closed"):
            if ("campaigns", key) not in approval:
                assert c["review_date"] < c["approval_date"] < c["start_date"], key
                assert c["approver"] is not None, key
            assert roles[c["reviewer"]] == "head"
        else:
            assert c["approval_date"] is None and c["approver"] is None, key
            assert c["start_date"] > AS_OF, key  # nothing runs without approval
        if c["status"] == "closed" and ("campaigns", key) not in evaluation:
            assert c["end_date"] < c["evaluation_date"] <= c["end_date"] + timedelta(days=30)
            assert c["actual_participants"] is not None and c["lessons"]
        if ("campaigns", key) in evaluation:
            assert c["evaluation_date"] is None and c["end_date"] < AS_OF - timedelta(days=30)
        if c["status"] == "executing":
            assert c["start_date"] <= AS_OF <= c["end_date"], key
    assert set(statuses) == set(sheet("campaigns").column("status").enum.keys())


def test_executing_campaigns_review_progress_every_14_days(demo):
    reviews = defaultdict(list)
    for r in demo.sheet_rows("progress_reviews"):
        reviews[r["campaign_id"]].append(r["date"])
    for key, c in _rows(demo, "campaigns"):
        if c["status"] not in ("executing", "closed"):
            assert key not in reviews
            continue
        days = sorted([c["start_date"], *reviews[key], min(c["end_date"], AS_OF)])
        assert max(b - a for a, b in pairwise(days)).days <= 14, key


def test_campaign_tasks_have_owners_and_nothing_is_overdue(demo):
    no_owner = _rule_rows(demo, "P4.2-task-owner")
    campaigns = dict(_rows(demo, "campaigns"))
    for key, t in _rows(demo, "campaign_tasks"):
        assert (t["owner"] is None) == (("campaign_tasks", key) in no_owner), key
        if t["due_date"] < AS_OF:
            assert t["status"] in ("done", "cancelled"), key
        campaign = campaigns[t["campaign_id"]]
        assert campaign["status"] in ("approved", "executing", "closed")
        assert t["start_date"] > campaign["review_date"], key


def test_budget_lines_add_up_to_each_campaign_budget(demo):
    totals = defaultdict(Decimal)
    for line in demo.sheet_rows("campaign_budget"):
        totals[line["campaign_id"]] += line["amount"]
    for key, c in _rows(demo, "campaigns"):
        assert totals[key] == c["budget"], key


def test_research_items_past_their_end_are_done_unless_planted(demo):
    overdue = _rule_rows(demo, "P3-plan-overdue")
    for key, r in _rows(demo, "research_plan"):
        late = r["end_date"] < AS_OF and r["status"] not in ("done", "cancelled")
        assert late == (("research_plan", key) in overdue), key
        if r["status"] == "done":
            assert r["report_date"] is not None and r["findings"]


def test_customers_are_followed_up_within_their_cadence(demo):
    # Planted on the customer's latest follow-up, where the finding sits.
    planted = {key for sheet_key, key in _rule_rows(demo, "P5.3-cadence")}
    assert {sheet_key for sheet_key, _ in _rule_rows(demo, "P5.3-cadence")} == {"followup_log"}
    log = dict(_rows(demo, "followup_log"))
    overdue = {log[key]["customer_id"] for key in planted}
    assert len(overdue) == len(planted) >= 2
    last: dict[str, date] = {}
    for r in demo.sheet_rows("followup_log"):
        day = _as_date(r["date"])
        last[r["customer_id"]] = max(day, last.get(r["customer_id"], day))
    for key in planted:
        assert _as_date(log[key]["date"]) == last[log[key]["customer_id"]], key
    for key, c in _rows(demo, "customers"):
        tier = c["tier"].rstrip("+")  # "A+" is a planted enum mistake on an A customer
        days = (AS_OF - last[key]).days
        if key in overdue:
            assert days > CADENCE[tier], key
        else:
            assert days < CADENCE[tier], key


def test_follow_up_plan_is_due_in_the_future_or_settled(demo):
    for r in demo.sheet_rows("followup_plan"):
        assert (r["status"] == "planned") == (r["planned_date"] > AS_OF), r["plan_id"]


def test_targets_add_up_months_to_quarters_to_the_year(demo):
    wrong = {key for _, key in _rule_rows(demo, "P6.1-targets-add-up")}
    assert len(wrong) >= 2
    by_person = defaultdict(dict)
    for r in demo.sheet_rows("targets"):
        period = {"year": "Y", "quarter": f"Q{r['quarter']}", "month": f"M{r['month']}"}
        by_person[r["salesperson"]][period[r["period_type"]]] = r
    assert len(by_person) >= 5
    for person, t in by_person.items():
        assert len(t) == 17, person
        for column in ("revenue", "profit", "new_customers"):
            quarters = []
            for q in range(1, 5):
                months = sum(t[f"M{m}"][column] for m in range(3 * q - 2, 3 * q + 1))
                quarter = t[f"Q{q}"]
                quarters.append(quarter[column])
                mismatch = months != quarter[column]
                assert mismatch == (column == "revenue" and quarter["target_id"] in wrong), (
                    person, q, column,
                )  # fmt: skip
            assert sum(quarters) == t["Y"][column], (person, column)


def test_sales_targets_are_within_reach_of_the_contracts_signed(demo):
    # A target a sixth of what was signed (or six times it) makes the sales report unbelievable.
    signed = defaultdict(Decimal)
    for c in demo.sheet_rows("contracts"):
        if c["signed_date"] is not None and c["signed_date"].year == AS_OF.year:
            signed[c["owner"]] += c["amount"]
    years = {
        r["salesperson"]: r["revenue"]
        for r in demo.sheet_rows("targets")
        if r["period_type"] == "year" and r["year"] == AS_OF.year
    }
    attainment = {person: signed[person] / target for person, target in years.items()}
    assert all(Decimal("0.5") <= a <= Decimal("1.5") for a in attainment.values()), attainment
    assert Decimal("0.8") <= sum(signed.values()) / sum(years.values()) <= Decimal("1.1")


def test_contracts_are_reviewed_by_legal_before_signing(demo):
    planted = _rule_rows(demo, "P6.3-legal-review")
    assert len(planted) >= 2
    legal = {r["name"] for r in demo.sheet_rows("roster") if r["group"] == "legal"}
    for key, c in _rows(demo, "contracts"):
        if c["signed_date"] is None:
            assert c["status"] in ("drafting", "legal_review"), key
            continue
        if ("contracts", key) in planted:
            review = c["legal_review_date"]
            assert review is None or review > c["signed_date"], key
            continue
        assert c["legal_reviewer"] in legal and c["legal_review_result"] == "approved", key
        assert c["legal_review_date"] < c["signed_date"], key


def test_instalments_add_up_to_each_contract_amount(demo):
    totals = defaultdict(Decimal)
    overdue = _rule_rows(demo, "P6.3-receivable-overdue")
    assert len(overdue) == 3
    for r in demo.sheet_rows("payment_schedule"):
        totals[r["contract_id"]] += r["amount"]
        if ("payment_schedule", r["instalment_id"]) in overdue:
            assert r["status"] == "invoiced" and r["paid_date"] is None, r["instalment_id"]
        elif r["due_date"] <= AS_OF:  # nothing else due so far is left unpaid
            assert r["status"] == "paid" and r["paid_amount"] == r["amount"], r["instalment_id"]
    for key, c in _rows(demo, "contracts"):
        if c["signed_date"] is not None:
            assert totals[key] == c["amount"], key
        else:
            assert key not in totals


def test_tickets_are_answered_within_the_sla(demo):
    late = _rule_rows(demo, "P7.1-response-sla")
    assert len(late) >= 2
    for key, t in _rows(demo, "tickets"):
        first = t["first_response_at"]
        if t["type"] == "complaint":
            assert t["deadline"] == t["received_at"] + timedelta(hours=24)
        if t["type"] == "inquiry":
            assert _working_hours(t["received_at"], t["deadline"]) == pytest.approx(8)
        if t["type"] not in ("complaint", "inquiry") or first is None:
            continue
        if ("tickets", key) in late:
            assert first > t["deadline"], key
        else:
            assert first <= t["deadline"], key
            if t["type"] == "inquiry":
                assert _working_hours(t["received_at"], first) <= 8, key


def test_claims_are_approved_by_another_and_audited_before_reimbursement(demo):
    self_approved = _rule_rows(demo, "P8.2-approver")
    unaudited = _rule_rows(demo, "P8.2-audit")
    finance = {r["name"] for r in demo.sheet_rows("roster") if r["group"] == "finance"}
    campaigns = dict(_rows(demo, "campaigns"))
    for key, c in _rows(demo, "claims"):
        assert (c["approver"] == c["claimant"]) == (("claims", key) in self_approved), key
        if c["reimbursed"] and ("claims", key) not in unaudited:
            assert c["approval"] == "approved" and c["audit"] == "passed", key
            assert c["auditor"] in finance
        assert (_as_date(c["claim_date"]) - _as_date(c["expense_date"])).days <= 30
        if c["campaign_id"]:
            campaign = campaigns[c["campaign_id"]]
            assert campaign["status"] in ("approved", "executing", "closed")
            assert _as_date(c["expense_date"]) >= campaign["approval_date"], key


def test_spending_stays_inside_the_budget_except_the_planted_months(demo):
    budget = defaultdict(Decimal)
    for r in demo.sheet_rows("expense_budget"):
        budget[f"{r['year']}-{r['month']:02d}/{r['category']}"] += r["amount"]
    spent = defaultdict(Decimal)
    for r in demo.sheet_rows("claims"):
        day = _as_date(r["expense_date"])
        spent[f"{day.year}-{day.month:02d}/{r['category']}"] += r["amount"]
    kinds = {p.key: p.kind for p in demo.planted if p.rule_id == "P8.3-overspend"}
    assert Counter(kinds.values()) == {"over-budget": 3, "near-budget": 3}
    for key, amount in spent.items():
        ratio = amount / budget[key]
        if kinds.get(key) == "over-budget":
            assert ratio > 1, key
        elif kinds.get(key) == "near-budget":
            assert Decimal("0.9") <= ratio < 1, key
        else:
            assert ratio < Decimal("0.9"), key


def test_new_hires_get_onboarding_within_30_days(demo):
    planted = {key for _, key in _rule_rows(demo, "P9.1-onboarding")}
    first = {}
    for r in demo.sheet_rows("training"):
        if r["training_type"] == "onboarding" and r["completed"]:
            first[r["employee"]] = min(r["date"], first.get(r["employee"], r["date"]))
    hires = [
        r
        for r in demo.sheet_rows("roster")
        if r["active"] and AS_OF - timedelta(days=365) <= r["hire_date"] <= AS_OF
    ]
    assert len(hires) >= 4
    for r in demo.sheet_rows("roster"):
        if not r["active"]:
            continue
        on_time = r["name"] in first and first[r["name"]] <= r["hire_date"] + timedelta(days=30)
        assert on_time != (r["employee_id"] in planted), r["employee_id"]


def test_kpi_weights_add_up_to_100_percent_except_the_planted_group(demo):
    planted = {key for _, key in _rule_rows(demo, "P9.2-weights")}
    weights = defaultdict(Decimal)
    groups = defaultdict(set)
    for key, r in _rows(demo, "kpis"):
        weights[(r["year"], r["group"])] += r["weight"]
        groups[(r["year"], r["group"])].add(key)
    for group, total in weights.items():
        assert (total == 1) != bool(groups[group] & planted), group


# --- the planted mistakes themselves ----------------------------------------------------------


def test_every_planted_kind_appears_at_least_twice(demo):
    kinds = demo.planted_counts()
    required = {
        "missing-phone", "missing-business-needs", "missing-budget", "bad-email", "bad-phone",
        "duplicate-customer", "started-before-approval", "approved-without-approver",
        "task-without-owner", "evaluation-overdue", "research-overdue", "cadence-overdue",
        "targets-not-adding-up", "legal-review-after-signing", "no-legal-review",
        "late-complaint-response", "self-approved-claim", "reimbursed-without-audit",
        "over-budget", "no-onboarding-in-30-days", "unknown-owner", "complaint-owned-by-sales",
        "next-date-before-date", "enum-free-text", "minguo-date", "end-before-start",
    }  # fmt: skip
    assert required <= set(kinds)
    assert kinds.pop("kpi-weights") == 1  # one group of one year is off: a single finding
    assert all(n >= 2 for n in kinds.values()), kinds


def test_planted_mistakes_are_a_sprinkling_and_point_at_real_cells(demo):
    counts = demo.counts()
    for (key, kind), n in Counter((p.sheet, p.kind) for p in demo.planted).items():
        assert n <= max(3, 0.02 * counts[key]), (key, kind)
    for key, n in Counter(p.sheet for p in demo.planted).items():
        if counts[key] >= 500:
            assert n <= 0.06 * counts[key], key
    for p in demo.planted:
        columns = [c.key for c in sheet(p.sheet).columns]
        assert p.column is None or p.column in columns, p
        if p.sheet != "expense_budget":
            assert p.key in dict(_rows(demo, p.sheet)), p
    assert sorted(demo.planted, key=lambda p: p.sort_key()) == demo.planted


def test_a_different_as_of_moves_the_whole_year():
    later = generate_demo(as_of=date(2027, 3, 15))
    assert max(_as_date(r["date"]) for r in later.sheet_rows("followup_log")) <= date(2027, 3, 15)
    assert {r["year"] for r in later.sheet_rows("expense_budget")} == {2027}
    assert later.counts()["claims"] == 2000


# --- writing ----------------------------------------------------------------------------------


def test_write_demo_writes_six_workbooks_and_the_planted_list(tmp_path):
    pytest.importorskip("mops.workbook.writer")
    from mops.demodata import MANIFEST_FILE, write_demo

    result = write_demo(tmp_path, seed=3)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != MANIFEST_FILE)
    assert names == sorted(
        [wb.filename for wb in WORKBOOKS] + ["planted.json", "planted-finance.json"]
    )
    assert sorted(p.name for p in result.files) == names
    # The manifest records what was written, so a rerun knows what it may overwrite.
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == names and manifest["seed"] == 3
    assert all(p.stat().st_size > 0 for p in result.files)
    listed = json.loads((tmp_path / "planted.json").read_text(encoding="utf-8"))
    data = generate_demo(seed=3)
    assert listed == [
        {"kind": p.kind, "rule_id": p.rule_id, "sheet": p.sheet, "key": p.key, "column": p.column}
        for p in data.planted
    ]
    finance = json.loads((tmp_path / "planted-finance.json").read_text(encoding="utf-8"))
    assert finance == [
        {"cls": p.cls, "sheet": p.sheet, "key": p.key, "odoo": p.odoo} for p in data.finance
    ]
    assert result.counts == data.counts()
    assert result.planted == data.planted_counts()
    assert 0 < result.seconds < 60
