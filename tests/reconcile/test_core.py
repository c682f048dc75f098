"""The pure classification, one rule at a time, on hand-made rows and Odoo records."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from mops.reconciling import core
from mops.reconciling.model import LineClass as C
from mops.reconciling.model import OdooSide, ReconcileResult, WbRow, age_bucket, money
from mops.syncing import snapshots

D = dt.date
WARN, LIMIT = Decimal("0.90"), Decimal("1.00")


def row(sheet: str, key: str, n: int, **values) -> WbRow:
    cells = {c: f"{chr(65 + i)}{n}" for i, c in enumerate(["key", *values, "reconcile_status"])}
    return WbRow(sheet, key, values, "f.xlsx", sheet, n, cells, "key")


def claim(key: str, n: int, **more) -> WbRow:
    values = dict(
        claimant="王小明", expense_date=D(2026, 3, 2), amount=Decimal("1200"),
        attachment_ref=f"AB-{n:08d}", approver="陳主管", approval="approved", audit="passed",
        reimbursed=True, approval_date=D(2026, 3, 3), audit_date=D(2026, 3, 5),
        reimbursed_date=D(2026, 3, 9),
    )  # fmt: skip
    values.update(more)
    return row("claims", key, n, **values)


def classes(lines) -> set[tuple[str, str]]:
    return {(line.cls.value, line.key) for line in lines}


@pytest.mark.parametrize(
    ("days", "bucket"), [(0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"),
                         (90, "61-90"), (91, "90+"), (400, "90+")],
)  # fmt: skip
def test_age_buckets(days, bucket):
    assert age_bucket(days) == bucket


def test_money_rounds_half_up_to_the_currency():
    assert money(1049.5) == Decimal("1050") and money("1049.49") == Decimal("1049")
    assert money(Decimal("10.005"), 2) == Decimal("10.01") and money(False) is None


def test_claims_found_by_the_workbook_alone():
    rows = [
        claim("EX-1", 2),
        claim("EX-2", 3, attachment_ref="AB-9"),  # same claimant, amount and day as EX-1
        claim("EX-3", 4, amount=Decimal("50"), attachment_ref="AB-00000002"),  # EX-1's receipt
        claim("EX-4", 5, approver="王小明", amount=Decimal("4")),
        claim("EX-5", 6, audit="pending", amount=Decimal("5")),
        claim("EX-6", 7, reimbursed_date=D(2026, 3, 4), amount=Decimal("7")),  # before the audit
    ]
    lines = core.claims(rows, None)
    assert classes(lines) == {
        ("duplicate_claim", "EX-2"), ("duplicate_claim", "EX-3"),
        ("approved_by_claimant", "EX-4"), ("reimbursed_before_approval", "EX-5"),
        ("reimbursed_before_approval", "EX-6"),
    }  # fmt: skip
    dup = next(x for x in lines if x.key == "EX-3")
    assert dup.detail == {"basis": "same_receipt", "first": "EX-1", "first_row": 2}
    assert dup.ref.cell == "E4"  # the receipt number's cell


def test_claims_against_odoo():
    unpaid = {"reimbursed": False, "reimbursed_date": None}
    rows = [claim("EX-1", 2), claim("EX-2", 3, amount=Decimal("99")),
            claim("EX-3", 4, amount=Decimal("3")), claim("EX-4", 5, amount=Decimal("5"), **unpaid),
            claim("EX-5", 6, approval="rejected", amount=Decimal("6"), **unpaid)]  # fmt: skip
    odoo = OdooSide(
        expenses=[
            {"id": 1, "x_mops_key": "claim:EX-1", "total_amount": 1200.0, "state": "done"},
            {"id": 2, "x_mops_key": "claim:ex-2", "total_amount": 100.0, "state": "approved"},
            {"id": 4, "x_mops_key": "claim:EX-4", "total_amount": 5.0, "state": "paid"},
            {"id": 9, "x_mops_key": "claim:EX-9", "total_amount": 10.0, "state": "draft"},
        ]
    )
    lines = core.claims(rows, odoo)
    assert classes(lines) == {
        ("matched", "EX-1"), ("amount_differs", "EX-2"), ("workbook_only", "EX-3"),
        ("paid_not_recorded", "EX-4"), ("odoo_only", "EX-9"),
    }  # fmt: skip
    differs = next(x for x in lines if x.cls is C.AMOUNT_DIFFERS)
    assert (differs.workbook_amount, differs.odoo_amount, differs.difference) == (99, 100, 1)


def instalment(key: str, n: int, **more) -> WbRow:
    values = dict(contract_id="SC-1", due_date=D(2026, 5, 1), amount=Decimal("1000"),
                  invoice_no=None, paid_date=None, paid_amount=None,
                  status="scheduled")  # fmt: skip
    values.update(more)
    return row("payment_schedule", key, n, **values)


def invoice(i: int, **more) -> dict:
    values = dict(id=i, move_type="out_invoice", state="posted", amount_untaxed=1000.0,
                  amount_total=1050.0, amount_residual=1050.0, payment_state="not_paid",
                  invoice_date_due="2026-05-01")  # fmt: skip
    values.update(more)
    return values


def test_contracts_and_instalments_against_odoo():
    contracts = [row("contracts", "SC-1", 2, amount=Decimal("4000"), status="executing"),
                 row("contracts", "SC-2", 3, amount=Decimal("10"), status="drafting")]  # fmt: skip
    schedule = [
        instalment("SC-1-1", 2, status="paid", invoice_no="AB-1", paid_date=D(2026, 4, 30)),
        instalment("SC-1-2", 3, status="invoiced", invoice_no="AB-2", due_date=D(2026, 9, 1)),
        instalment("SC-1-3", 4, status="invoiced", invoice_no="AB-3", due_date=D(2026, 12, 1)),
        instalment("SC-1-4", 5, status="scheduled", due_date=D(2027, 1, 1)),
    ]
    odoo = OdooSide(
        orders=[
            {"id": 5, "x_mops_key": "contract:SC-1", "name": "S00005", "amount_untaxed": 4000.0},
            {"id": 6, "x_mops_key": "contract:SC-7", "name": "S00006", "amount_untaxed": 1.0},
        ],
        invoices=[
            invoice(1, ref="AB-1", payment_state="paid", amount_residual=0.0),  # by its number
            invoice(2, x_mops_key="instalment:SC-1-2", invoice_date_due="2026-09-01"),
            invoice(3, x_mops_key="instalment:SC-1-3", payment_state="in_payment"),
            invoice(4, invoice_origin="S00005", ref="ZZ-1"),
            invoice(7, invoice_origin="S00099"),
            invoice(8, state="cancel", x_mops_key="instalment:SC-1-4"),
        ],
    )  # fmt: skip
    lines = core.contracts(contracts, schedule, odoo, D(2026, 11, 26))
    assert classes(lines) == {
        ("matched", "SC-1"), ("odoo_only", "SC-7"), ("matched", "SC-1-1"),
        ("overdue_receivable", "SC-1-2"), ("paid_not_recorded", "SC-1-3"),
        ("matched", "SC-1-4"), ("invoiced_not_in_schedule", "SC-1"), ("odoo_only", "7"),
    }  # fmt: skip
    overdue = next(x for x in lines if x.cls is C.OVERDUE)
    assert overdue.detail["days"] == 86 and overdue.detail["bucket"] == "61-90"
    assert overdue.odoo_amount == 1050 and overdue.ref.cell == "C3"  # the due date


def test_offline_without_a_snapshot_odoo_is_what_the_last_sync_wrote_beside_each_row():
    def pulled(state, payment, due, odoo_id):
        return dict(odoo_invoice_state=state, odoo_payment_state=payment, odoo_amount_due=due,
                    odoo_invoice_id=odoo_id)  # fmt: skip

    schedule = [
        # Paid in Odoo, not in the workbook.
        instalment("SC-1-1", 2, status="invoiced", **pulled("posted", "paid", Decimal(0), 11)),
        # Posted, partly paid, past due: overdue by what Odoo has still to receive.
        instalment("SC-1-2", 3, status="invoiced", **pulled("posted", "partial", Decimal(300), 12)),
        # A draft is not Odoo's receivable yet: the workbook's overdue amount.
        instalment("SC-1-3", 4, status="invoiced", **pulled("draft", "not_paid", Decimal(999), 13)),
        # Paid on both sides; and one never synced, not yet due.
        instalment("SC-1-4", 5, status="paid", paid_date=D(2026, 5, 2),
                   **pulled("posted", "paid", Decimal(0), 14)),
        instalment("SC-1-5", 6, due_date=D(2027, 1, 1), **pulled(None, None, None, None)),
    ]  # fmt: skip
    lines = core.contracts([], schedule, None, D(2026, 11, 26))
    assert classes(lines) == {
        ("paid_not_recorded", "SC-1-1"), ("overdue_receivable", "SC-1-2"),
        ("overdue_receivable", "SC-1-3"),
    }  # fmt: skip
    by_key = {x.key: x for x in lines}
    paid, overdue, draft = by_key["SC-1-1"], by_key["SC-1-2"], by_key["SC-1-3"]
    assert (paid.odoo_id, paid.detail["basis"], paid.ref.column) == (11, "sync", "paid_date")
    assert (overdue.odoo_amount, overdue.odoo_id, overdue.detail["basis"]) == (300, 12, "sync")
    assert (draft.odoo_amount, draft.detail["basis"]) == (None, "workbook")
    assert paid.message("en").endswith("as the last sync wrote Odoo's columns)")
    assert not draft.message("en").endswith(")")
    claims = [
        claim("EX-1", 2, reimbursed=False, odoo_expense_state="paid", odoo_expense_id=21),
        claim("EX-2", 3, reimbursed=False, odoo_expense_state="approved", odoo_expense_id=22,
              amount=Decimal(9)),
        claim("EX-3", 4, odoo_expense_state="done", odoo_expense_id=23, amount=Decimal(8)),
    ]  # fmt: skip
    lines = core.claims(claims, None)
    assert classes(lines) == {("paid_not_recorded", "EX-1")}
    assert (lines[0].odoo_id, lines[0].detail["state"], lines[0].detail["basis"]) == (
        21, "paid", "sync"
    )  # fmt: skip


def budget_row(key: str, n: int, category: str, month: int, amount: int, **more) -> WbRow:
    return row("expense_budget", key, n, year=2026, month=month, category=category,
               item="travel", amount=Decimal(amount), **more)  # fmt: skip


@pytest.mark.parametrize(
    ("spent", "cls"),
    [(899, C.WITHIN_BUDGET), (900, C.NEAR_BUDGET), (1000, C.NEAR_BUDGET), (1001, C.OVERSPEND)],
)
def test_budget_thresholds_on_the_books(spent, cls):
    rows = [budget_row("EB-1", 2, "sales", 3, 600), budget_row("EB-2", 3, "sales", 3, 400)]
    odoo = OdooSide(actuals=[{"category": "sales", "item": "travel", "year": 2026, "month": 3,
                              "amount": str(spent)}])  # fmt: skip
    lines, actuals = core.budget(rows, [], odoo, WARN, LIMIT)
    assert [(x.cls, x.key) for x in lines] == [(cls, "2026-03/sales")]
    assert lines[0].detail["basis"] == "books" and len(lines[0].status) == 2
    assert [(a.budget_id, a.amount) for a in actuals] == [("EB-1", spent), ("EB-2", spent)]


def test_budget_without_odoo_uses_the_column_when_filled_else_the_claims():
    rows = [budget_row("EB-1", 2, "sales", 3, 1000, odoo_actual=Decimal(1500)),
            budget_row("EB-2", 3, "service", 3, 1000)]  # fmt: skip
    claims = [claim("EX-1", 2, category="sales", amount=Decimal(10)),
              claim("EX-2", 3, category="service", amount=Decimal(950)),
              claim("EX-3", 4, category="service", amount=Decimal(500),
                    approval="rejected")]  # fmt: skip
    lines, actuals = core.budget(rows, claims, None, WARN, LIMIT)
    assert [(x.cls, x.key, x.detail["basis"]) for x in lines] == [
        (C.OVERSPEND, "2026-03/sales", "column"), (C.NEAR_BUDGET, "2026-03/service", "claims")
    ]  # fmt: skip
    assert actuals == []


def test_result_json_and_exit_code():
    lines = core.claims(
        [claim("EX-1", 2), claim("EX-2", 3, approver="王小明", amount=Decimal(2))], None
    )
    result = ReconcileResult("claims", D(2026, 11, 26), lines, ["f.xlsx"], {"offline": True})
    document = json.loads(result.to_json("en"))
    assert document["schema"] == "mops.reconcile/1" and result.exit_code == 1
    assert document["lines"][0]["class"] == "approved_by_claimant"
    assert document["lines"][0]["cell"] == "F3" and document["totals"] == {
        "approved_by_claimant": 1
    }
    assert ReconcileResult("claims", D(2026, 11, 26), [], [], {}).exit_code == 0


def test_snapshots_keep_decimals_and_replace_the_last(tmp_path):
    state = tmp_path / ".mops-sync.sqlite"
    assert snapshots.load(state, "finance") is None
    pulled = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    snapshots.save(state, "finance", {"a": Decimal("0.10"), "d": D(2026, 1, 2)}, pulled,
                   source={"url": "http://odoo", "version": "17.0"})  # fmt: skip
    snapshots.save(state, "other", [1], pulled)
    snap = snapshots.load(state, "finance")
    assert snap.data == {"a": "0.10", "d": "2026-01-02"}
    assert snap.pulled_at == dt.datetime(2026, 11, 26, 1, 30, tzinfo=dt.UTC)
    assert snap.source == {"url": "http://odoo", "version": "17.0"}
    snapshots.save(state, "finance", {"a": "1"}, pulled)
    assert snapshots.load(state, "finance").data == {"a": "1"}
    assert snapshots.load(state, "other").data == [1]
