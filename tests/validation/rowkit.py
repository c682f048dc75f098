"""Rows for rule tests: every declared key present, defaults that break no rule, real .xlsx files.

``row("claims", approver="林小華")`` is a claim that is clean in every respect except what the
test sets. Defaults are consistent with each other (the claim's campaign, the ticket's customer,
the people on ``roster_rows()``) and with ``AS_OF``, so a test changes only what it is about.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from mops.config import FILENAME, Config, load_config
from mops.schemas.registry import sheet, workbook
from mops.validation.engine import validate_paths
from mops.validation.results import Report
from mops.workbook.writer import write_workbook

AS_OF = dt.date(2026, 6, 15)  # a Monday
# The shipped file, named explicitly: $MOPS_CONFIG or a ./mops.toml must not change a rule test.
SHIPPED_CONFIG = Path(str(resources.files("mops").joinpath(FILENAME)))
D = Decimal
date = dt.date
at = dt.datetime

# The roster the defaults name: (name, group, role).
PEOPLE = (
    ("王大明", "management", "executive"),
    ("陳主任", "department", "head"),
    ("林小華", "promotion", "specialist"),
    ("李業務", "sales", "sales_rep"),
    ("吳客服", "service", "service_rep"),
    ("趙會計", "finance", "accountant"),
    ("周法務", "legal", "counsel"),
)

DEFAULTS: dict[str, dict[str, Any]] = {
    "roster": {
        "employee_id": "E001", "name": "王大明", "group": "management", "role": "executive",
        "email": "daming.wang@example.com.tw", "phone": "02-2345-6789",
        "hire_date": date(2020, 1, 6), "active": True,
    },
    "training": {
        "training_id": "T0001", "employee": "王大明", "training_type": "onboarding",
        "topic": "company", "course": "新進人員訓練：公司簡介", "date": date(2020, 1, 10),
        "hours": D("3"), "provider": "人資部", "completed": True,
    },
    "kpis": {
        "kpi_id": "K2026-S-01", "year": 2026, "group": "sales", "indicator": "revenue",
        "weight": D("1"), "standard": "營收達成率", "period_type": "quarter",
    },
    "research_plan": {
        "research_id": "RS001", "year": 2026, "purpose": "了解中小企業數位轉型需求",
        "subject": "中小企業主", "content": "需求、預算與決策流程", "method": "questionnaire",
        "start_date": date(2026, 5, 1), "end_date": date(2026, 7, 31), "owner": "林小華",
        "status": "in_progress", "report_date": date(2026, 5, 20),
    },
    "campaigns": {
        "campaign_id": "MC2026-001", "name": "數位轉型研討會", "theme": "中小企業數位轉型",
        "objective": "leads", "target_participants": 100, "target_leads": 30,
        "target_revenue": D("1000000"), "target_awareness_lift": D("0.05"),
        "target_satisfaction": D("4.5"), "product": "數位轉型顧問", "price": "早鳥優惠",
        "place": "實體研討會", "promotion": "電子報與社群", "format": "seminar",
        "content": "專題演講與案例分享", "start_date": date(2026, 7, 1),
        "end_date": date(2026, 7, 31), "venue": "台北", "audience": "中小企業主",
        "budget": D("200000"), "owner": "林小華", "status": "approved", "reviewer": "陳主任",
        "review_date": date(2026, 6, 1), "approver": "王大明", "approval_date": date(2026, 6, 5),
    },
    "campaign_tasks": {
        "task_id": "TK001", "campaign_id": "MC2026-001", "task": "場地預訂", "owner": "林小華",
        "start_date": date(2026, 6, 1), "due_date": date(2026, 6, 30), "status": "in_progress",
    },
    "progress_reviews": {
        "review_id": "PR001", "campaign_id": "MC2026-001", "date": date(2026, 6, 10),
        "host": "林小華", "progress": D("0.3"), "issues": "無", "actions": "依計畫進行",
    },
    "customers": {
        "customer_id": "CU0001", "name": "祥茂顧問股份有限公司", "tax_id": "12345678",
        "contact_name": "張志明", "phone": "02-2345-6789", "email": "contact@xiangmao.com.tw",
        "industry": "services", "company_size": "medium", "business_needs": "數位轉型",
        "budget": D("500000"), "channel": "website", "tier": "B", "status": "active",
        "region": "north", "account_manager": "李業務", "first_contact_date": date(2026, 1, 10),
    },
    "followup_log": {
        "log_id": "FL00001", "date": date(2026, 6, 10), "customer_id": "CU0001",
        "contact": "張志明", "method": "phone", "owner": "李業務", "content": "電話確認需求",
        "outcome": "progress", "next_step": "提案", "next_date": date(2026, 6, 20),
        "care_visit": False,
    },
    "targets": {
        "target_id": "T2026-Y", "salesperson": "李業務", "year": 2026, "period_type": "year",
        "revenue": D("1200000"), "profit": D("360000"), "new_customers": 12,
        "satisfaction": D("4.5"),
    },
    "contracts": {
        "contract_id": "SC2026-0001", "customer_id": "CU0001", "title": "數位轉型委任契約",
        "service_line": "digital", "scope": "現況診斷與導入輔導", "rights_duties": "雙方保密",
        "amount": D("300000"), "payment_terms": "簽約後 30 日內一次付清",
        "delivery_date": date(2026, 12, 31), "breach_liability": "賠償上限為合約金額 20%",
        "owner": "李業務", "legal_reviewer": "周法務", "legal_review_date": date(2026, 3, 1),
        "legal_review_result": "approved", "signed_date": date(2026, 3, 5),
        "start_date": date(2026, 3, 10), "end_date": date(2026, 12, 31), "status": "executing",
    },
    "payment_schedule": {
        "instalment_id": "SC2026-0001-1", "contract_id": "SC2026-0001", "seq": 1,
        "due_date": date(2026, 4, 5), "amount": D("300000"), "invoice_no": "AB-12345678",
        "invoiced_date": date(2026, 3, 20), "paid_date": date(2026, 4, 1),
        "paid_amount": D("300000"), "status": "paid",
    },
    "tickets": {
        "ticket_id": "CS2026-0001", "type": "complaint", "channel": "phone",
        "customer_id": "CU0001", "contact": "張志明", "subject": "報告交付延遲",
        "priority": "high", "received_at": at(2026, 6, 10, 10, 0), "owner": "吳客服",
        "deadline": at(2026, 6, 11, 10, 0), "first_response_at": at(2026, 6, 10, 11, 0),
        "resolved_at": at(2026, 6, 11, 9, 0), "status": "closed", "satisfaction": 4,
    },
    "improvements": {
        "action_id": "IM001", "ticket_id": "CS2026-0001", "problem": "報告交付延遲",
        "root_cause": "排程未預留審稿時間", "measure": "交付前三天完成內審", "owner": "吳客服",
        "due_date": date(2026, 7, 15), "status": "in_progress",
    },
    "expense_budget": {
        "budget_id": "EB001", "year": 2026, "month": 6, "category": "promotion",
        "item": "advertising", "amount": D("100000"), "approved_by": "王大明",
        "approval_date": date(2025, 12, 18),
    },
    "claims": {
        "claim_id": "EX001", "claimant": "林小華", "expense_date": date(2026, 6, 1),
        "claim_date": date(2026, 6, 3), "category": "promotion", "item": "advertising",
        "amount": D("50000"), "reason": "網路廣告", "attachment_ref": "AB-12345678",
        "approver": "陳主任", "approval": "approved", "approval_date": date(2026, 6, 4),
        "auditor": "趙會計", "audit": "passed", "audit_date": date(2026, 6, 5),
        "reimbursed": True, "reimbursed_date": date(2026, 6, 8),
    },
}  # fmt: skip


def row(sheet_key: str, **values: Any) -> dict[str, Any]:
    """A row of the sheet with every declared key: defaults, then ``values`` (names checked)."""
    keys = [c.key for c in sheet(sheet_key).columns]
    unknown = set(values) - set(keys)
    if unknown:
        raise KeyError(f"{sheet_key}: no columns {sorted(unknown)}")
    base = copy.deepcopy(DEFAULTS.get(sheet_key, {}))
    return {k: values.get(k, base.get(k)) for k in keys}


def roster_rows() -> list[dict[str, Any]]:
    """Everyone ``PEOPLE`` names, on the roster, employed, hired long ago."""
    return [
        row(
            "roster",
            employee_id=f"E{i:03d}",
            name=name,
            group=group,
            role=role,
            email=f"e{i:03d}@example.com.tw",
        )
        for i, (name, group, role) in enumerate(PEOPLE, 1)
    ]


def write(folder: Path, workbook_key: str, **rows: Sequence[dict[str, Any]]) -> Path:
    """Write the declared workbook with these rows per sheet (other sheets blank) into folder."""
    wb = workbook(workbook_key)
    return write_workbook(wb, folder / wb.filename, rows=rows)


def config(overrides: dict[str, Any] | None = None, **rules: dict[str, Any]) -> Config:
    """The shipped configuration, with ``overrides`` and ``[rules."<id>"]`` settings."""
    return load_config(SHIPPED_CONFIG, overrides={**(overrides or {}), "rules": rules}, environ={})


def validate(*paths: Path, as_of: dt.date = AS_OF, settings: Config | None = None) -> Report:
    """Validate the files as ``mops validate`` does."""
    return validate_paths(list(paths), settings or config(), as_of=as_of)


def hits(report: Report, rule_ids: str | Iterable[str]) -> set[tuple]:
    """(sheet, Excel row, column, rule id) of the findings of these rules."""
    wanted = {rule_ids} if isinstance(rule_ids, str) else set(rule_ids)
    return {(f.sheet, f.row, f.column, f.rule_id) for f in report.findings if f.rule_id in wanted}


def levels(report: Report, rule_id: str) -> set[tuple]:
    """(sheet, Excel row, column, severity) of the findings of this rule."""
    return {
        (f.sheet, f.row, f.column, str(f.severity)) for f in report.findings if f.rule_id == rule_id
    }


def messages(report: Report, rule_id: str) -> list[str]:
    """The zh-TW messages of this rule's findings."""
    return [f.message_zh for f in report.findings if f.rule_id == rule_id]


def xrow(index: int) -> int:
    """The Excel row of the ``index``-th data row (0-based) the writer wrote."""
    return index + 2
