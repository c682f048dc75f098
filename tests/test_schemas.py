"""The declarations: complete for the policy, consistent, and stable."""

from __future__ import annotations

import dataclasses

import pytest

from mops.schemas.model import ColType, Owner, fingerprint, normalize_label
from mops.schemas.registry import WORKBOOKS, all_sheets, check_registry, sheet

# Every record the policy map asks for, and the declared sheet that holds it.
POLICY_RECORDS = {
    "§2 staff roster": "roster",
    "§3.1 research plan": "research_plan",
    "§3.3 competitors": "competitors",
    "§4.1 campaigns with objectives, 4P, plan, budget, approval": "campaigns",
    "§4.1 campaign budget by category and month": "campaign_budget",
    "§4.2 campaign tasks": "campaign_tasks",
    "§4.2 progress reviews": "progress_reviews",
    "§5.2 customers": "customers",
    "§5.2 contacts": "contacts",
    "§6.2 opportunities (pipeline)": "opportunities",
    "§5.3 follow-up plan": "followup_plan",
    "§5.3 follow-up log": "followup_log",
    "§6.1 sales targets": "targets",
    "§6.3 contracts": "contracts",
    "§6.3 payment schedule": "payment_schedule",
    "§7.1 service tickets": "tickets",
    "§7.3 improvement actions": "improvements",
    "§8.1 expense budget": "expense_budget",
    "§8.2 expense claims": "claims",
    "§9.1 recruitment plan": "recruitment",
    "§9.1 training log": "training",
    "§9.2 KPI definitions and weights": "kpis",
    "§9.2 appraisal results": "appraisals",
    "§9.2 commission tiers": "commission_tiers",
}

# Fields the policy names, by sheet: the declaration must hold each of them.
POLICY_FIELDS = {
    "customers": {
        "name", "contact_name", "phone", "email", "company_size", "industry",
        "business_needs", "budget", "channel", "tier", "tax_id",
    },
    "campaigns": {
        "objective", "target_leads", "target_revenue", "product", "price", "place",
        "promotion", "theme", "start_date", "end_date", "venue", "audience", "budget",
        "status", "reviewer", "approver", "approval_date", "actual_leads",
        "actual_revenue", "lessons",
    },
    "targets": {"salesperson", "year", "quarter", "month", "revenue", "profit",
                "new_customers", "satisfaction"},
    "contracts": {"scope", "amount", "payment_terms", "delivery_date", "breach_liability",
                  "legal_review_date", "signed_date", "status", "change_reason",
                  "termination_reason"},
    "tickets": {"type", "channel", "received_at", "owner", "deadline", "first_response_at",
                "resolved_at", "satisfaction", "root_cause"},
    "claims": {"claimant", "expense_date", "category", "campaign_id", "amount", "reason",
               "attachment_ref", "approver", "approval_date", "audit", "reimbursed"},
    "roster": {"name", "group", "role", "manager", "email", "hire_date", "active"},
    "followup_log": {"date", "method", "content", "outcome", "next_step", "next_date"},
}  # fmt: skip


def test_registry_is_consistent():
    check_registry()


@pytest.mark.parametrize(("record", "sheet_key"), POLICY_RECORDS.items())
def test_every_policy_record_has_its_sheet(record, sheet_key):
    assert sheet(sheet_key).columns, record


@pytest.mark.parametrize(("sheet_key", "fields"), POLICY_FIELDS.items())
def test_policy_fields_are_declared(sheet_key, fields):
    declared = {c.key for c in sheet(sheet_key).columns}
    assert fields <= declared, fields - declared


def test_every_declared_sheet_is_a_policy_record():
    assert {s.key for s in all_sheets()} == set(POLICY_RECORDS.values())


def test_six_workbooks_grouped_by_who_edits_them():
    assert [wb.key for wb in WORKBOOKS] == [
        "marketing_plan", "customers", "sales", "service", "expenses", "staff",
    ]  # fmt: skip
    for wb in WORKBOOKS:
        assert wb.editors_zh and wb.editors_en


def test_policy_closed_lists():
    # §3.2 research methods and §5.1 channels are closed lists named by the policy.
    assert sheet("research_plan").column("method").enum.keys() == [
        "desk", "questionnaire", "interview", "observation",
    ]  # fmt: skip
    channels = sheet("customers").column("channel").enum.keys()
    assert len(channels) == 9 and {"seo", "sem", "client_referral"} <= set(channels)
    assert sheet("tickets").column("type").enum.keys() == [
        "inquiry", "complaint", "feedback", "problem",
    ]  # fmt: skip
    assert sheet("campaigns").column("status").enum.keys() == [
        "draft", "submitted", "reviewed", "approved", "executing", "closed", "rejected",
    ]  # fmt: skip


def test_keys_and_labels():
    for s in all_sheets():
        assert s.primary_key, s.key
        assert s.column(s.primary_key).required and s.column(s.primary_key).unique
        for c in s.columns:
            assert c.key.isidentifier() and c.key == c.key.lower(), c.key
            assert c.zh and c.en
            assert len(s.name("zh-TW")) <= 31 and len(s.name("en")) <= 31
            if c.type is ColType.ENUM:
                labels = c.enum.labels("zh-TW")
                assert len(labels) == len({normalize_label(x) for x in labels})


def test_odoo_owned_columns_are_not_required():
    # Staff cannot fill them, so requiring them would make every new row an error.
    for s in all_sheets():
        for c in s.columns:
            if c.owner is Owner.ODOO and c.key.startswith("odoo_"):
                assert not c.required, (s.key, c.key)


def test_fingerprint_changes_with_the_declaration():
    wb = WORKBOOKS[0]
    assert fingerprint(wb) == fingerprint(wb)
    first = wb.sheets[0]
    renamed = dataclasses.replace(
        first, columns=(dataclasses.replace(first.columns[0], zh="改名"), *first.columns[1:])
    )
    changed = dataclasses.replace(wb, sheets=(renamed, *wb.sheets[1:]))
    assert fingerprint(changed) != fingerprint(wb)


def test_normalize_label_folds_width_case_and_spaces():
    assert normalize_label("Ｅ－ｍａｉｌ") == normalize_label("e-mail") == "email"
    assert normalize_label(" 客戶 名稱 ") == normalize_label("客戶名稱")
    assert normalize_label("Customer_ID") == normalize_label("customer id")
