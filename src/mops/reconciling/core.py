"""Classify every workbook line against the Odoo side: pure, no file and no server.

Claims (expense claims ↔ hr.expense ``claim:<id>``), contracts (contracts ↔ sale.order
``contract:<id>``, payment schedule ↔ customer invoices ``instalment:<id>`` or the uniform
invoice number in the invoice's reference) and the budget (per category and month, the books'
spend against the budget, P8.3 thresholds; per campaign, category and month, the campaign budget
against the spend the books put on the campaign's analytic account, and the spend they put on
no campaign as such). Without an Odoo side (``odoo=None``) only what the
workbooks show by themselves is classified: duplicate claims, claims approved by their claimant,
claims reimbursed before approval or audit, overdue instalments, the budget against the claims.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from mops.parsing.keys import normal_key
from mops.reconciling.model import (
    Actual,
    Line,
    LineClass,
    OdooSide,
    WbRow,
    WorkbookSide,
    age_bucket,
    money,
)

C = LineClass
EXPENSE = "hr.expense"
ORDER = "sale.order"
INVOICE = "account.move"
# Odoo's states of a claim that has been paid out: 17 "done", 19 "in_payment" and "paid".
EXPENSE_PAID = frozenset({"done", "in_payment", "paid"})
INVOICE_PAID = frozenset({"paid", "in_payment"})
# Contracts that exist in Odoo as confirmed orders; drafts and contracts in review do not.
CONTRACT_IN_ODOO = frozenset({"signed", "executing", "completed", "changed", "terminated"})


def reconcile(
    kind: str,
    wb: WorkbookSide,
    odoo: OdooSide | None,
    *,
    as_of: dt.date,
    warn: Decimal,
    limit: Decimal,
) -> tuple[list[Line], list[Actual]]:
    """The lines of ``kind`` (claims, contracts, budget or all) and the books' budget actuals."""
    lines: list[Line] = []
    actuals: list[Actual] = []
    if kind in ("claims", "all"):
        lines += claims(wb.claims, odoo)
    if kind in ("contracts", "all"):
        lines += contracts(wb.contracts, wb.payment_schedule, odoo, as_of)
    if kind in ("budget", "all"):
        budget_lines, actuals = budget(wb.expense_budget, wb.claims, odoo, warn, limit)
        lines += budget_lines
        campaign_lines, campaign_actuals = campaign_budget(
            wb.campaign_budget, wb.claims, odoo, warn, limit
        )
        lines += campaign_lines
        actuals += campaign_actuals
    return lines, actuals


def _key(value: object) -> str:
    return normal_key(str(value)) if value not in (None, "") else ""


def _line(kind: str, cls: LineClass, row: WbRow | None, column: str | None, **more: Any) -> Line:
    rows = more.pop("rows", [row] if row else [])
    status = tuple(s for s in (r.status_cell for r in rows) if s is not None)
    return Line(
        status=status,
        kind=kind,
        cls=cls,
        key=more.pop("key", row.key if row else ""),
        ref=row.ref(column) if row else None,
        odoo_model=more.pop("odoo_model", None),
        odoo_id=more.pop("odoo_id", None),
        workbook_amount=more.pop("workbook_amount", None),
        odoo_amount=more.pop("odoo_amount", None),
        detail=more,
    )


def _by_key(records: Iterable[dict], prefix: str) -> dict[str, dict]:
    """Odoo records by the workbook key their ``x_mops_key`` carries (``claim:EX…`` → ``EX…``)."""
    out: dict[str, dict] = {}
    for rec in records:
        key = rec.get("x_mops_key")
        if isinstance(key, str) and key.startswith(prefix + ":"):
            out.setdefault(_key(key[len(prefix) + 1 :]), rec)
    return out


# ---------------------------------------------------------------------------------------------
# Claims


def claims(rows: list[WbRow], odoo: OdooSide | None) -> list[Line]:
    """Duplicates, self-approval, early reimbursement, then each claim against its hr.expense."""
    decimals = odoo.decimals if odoo else 0
    lines: list[Line] = []
    flagged: set[str] = set()
    lines += _duplicates(rows, flagged, decimals)
    for row in rows:
        approver, claimant = _key(row.get("approver")), _key(row.get("claimant"))
        if approver and approver == claimant:
            lines.append(
                _line("claims", C.SELF_APPROVED, row, "approver", approver=row.get("approver"))
            )
            flagged.add(row.key)
        if row.get("reimbursed") is True and _paid_early(row):
            lines.append(
                _line(
                    "claims", C.REIMBURSED_EARLY, row, "reimbursed",
                    approval=row.get("approval") or "", audit=row.get("audit") or "",
                )
            )  # fmt: skip
            flagged.add(row.key)
    if odoo is None:
        # Offline without a snapshot: the expense state the last sync wrote beside the claim.
        for row in rows:
            state = row.get("odoo_expense_state")
            if state in EXPENSE_PAID and row.get("reimbursed") is not True:
                lines.append(
                    _line(
                        "claims", C.PAID_NOT_RECORDED, row, "reimbursed", odoo_model=EXPENSE,
                        odoo_id=row.get("odoo_expense_id"),
                        workbook_amount=money(row.get("amount"), decimals), state=state,
                        basis="sync",
                    )
                )  # fmt: skip
        return lines
    expenses = _by_key(odoo.expenses, "claim")
    by_id = {rec["id"]: rec for rec in odoo.expenses}
    seen: set[int] = set()
    for row in rows:
        rec = expenses.get(_key(row.key)) or by_id.get(row.get("odoo_expense_id"))
        amount = money(row.get("amount"), decimals)
        if rec is None:
            if row.get("approval") != "rejected":
                lines.append(
                    _line("claims", C.WORKBOOK_ONLY, row, "claim_id", workbook_amount=amount)
                )
            continue
        seen.add(rec["id"])
        theirs = money(rec.get("total_amount"), decimals)
        found = dict(
            odoo_model=EXPENSE, odoo_id=rec["id"], workbook_amount=amount, odoo_amount=theirs
        )
        issue = False
        if theirs != amount:
            lines.append(_line("claims", C.AMOUNT_DIFFERS, row, "amount", **found))
            issue = True
        if rec.get("state") in EXPENSE_PAID and row.get("reimbursed") is not True:
            lines.append(
                _line("claims", C.PAID_NOT_RECORDED, row, "reimbursed", **found, state=rec["state"])
            )
            issue = True
        if not issue and row.key not in flagged:
            lines.append(_line("claims", C.MATCHED, row, "claim_id", **found))
    for rec in odoo.expenses:
        if rec["id"] not in seen:
            key = str(rec.get("x_mops_key") or "").partition(":")[2]
            lines.append(
                _line(
                    "claims", C.ODOO_ONLY, None, None, key=key, odoo_model=EXPENSE,
                    odoo_id=rec["id"], odoo_amount=money(rec.get("total_amount"), decimals),
                )
            )  # fmt: skip
    return lines


def _paid_early(row: WbRow) -> bool:
    """Reimbursed without approval and audit, or on a day before either of them."""
    if row.get("approval") != "approved" or row.get("audit") != "passed":
        return True
    paid = row.get("reimbursed_date")
    if not isinstance(paid, dt.date):
        return False
    return any(
        isinstance(row.get(c), dt.date) and paid < row.get(c)
        for c in ("approval_date", "audit_date")
    )


def _duplicates(rows: list[WbRow], flagged: set[str], decimals: int) -> list[Line]:
    """Every claim after the first with the same claimant, amount and date, or receipt number."""
    lines: list[Line] = []
    same_claim: dict[tuple, WbRow] = {}
    same_receipt: dict[str, WbRow] = {}
    for row in sorted(rows, key=lambda r: (r.file, r.row)):
        who, amount, day = _key(row.get("claimant")), row.get("amount"), row.get("expense_date")
        receipt = _key(row.get("attachment_ref"))
        first, basis, column = None, "", ""
        if who and amount is not None and day is not None:
            first = same_claim.setdefault((who, money(amount, 2), day), row)
            basis, column = "same_claim", "amount"
        if (first is None or first is row) and receipt:
            first = same_receipt.setdefault(receipt, row)
            basis, column = "same_receipt", "attachment_ref"
        elif receipt:
            same_receipt.setdefault(receipt, row)
        if first is not None and first is not row:
            lines.append(
                _line(
                    "claims", C.DUPLICATE_CLAIM, row, column, basis=basis, first=first.key,
                    first_row=first.row, workbook_amount=money(amount, decimals),
                )
            )  # fmt: skip
            flagged.add(row.key)
    return lines


# ---------------------------------------------------------------------------------------------
# Contracts and the payment schedule


def contracts(
    contract_rows: list[WbRow], schedule: list[WbRow], odoo: OdooSide | None, as_of: dt.date
) -> list[Line]:
    """Contracts against sale orders; instalments against invoices, paid and overdue."""
    decimals = odoo.decimals if odoo else 0
    lines: list[Line] = []
    known = {_key(r.key): r for r in contract_rows}
    if odoo is not None:
        orders = _by_key(odoo.orders, "contract")
        seen: set[int] = set()
        for row in contract_rows:
            if row.get("status") not in CONTRACT_IN_ODOO:
                continue
            rec = orders.get(_key(row.key))
            amount = money(row.get("amount"), decimals)
            if rec is None:
                lines.append(
                    _line("contracts", C.WORKBOOK_ONLY, row, "contract_id", workbook_amount=amount)
                )
                continue
            seen.add(rec["id"])
            theirs = money(rec.get("amount_untaxed"), decimals)
            cls = C.MATCHED if theirs == amount else C.AMOUNT_DIFFERS
            lines.append(
                _line(
                    "contracts", cls, row, "amount" if cls is C.AMOUNT_DIFFERS else "contract_id",
                    odoo_model=ORDER, odoo_id=rec["id"], workbook_amount=amount, odoo_amount=theirs,
                )
            )  # fmt: skip
        for rec in odoo.orders:
            if (
                rec["id"] not in seen
                and _key(str(rec.get("x_mops_key")).partition(":")[2]) not in known
            ):
                lines.append(
                    _line(
                        "contracts", C.ODOO_ONLY, None, None,
                        key=str(rec.get("x_mops_key")).partition(":")[2], odoo_model=ORDER,
                        odoo_id=rec["id"], odoo_amount=money(rec.get("amount_untaxed"), decimals),
                    )
                )  # fmt: skip
    lines += _instalments(schedule, known, odoo, as_of, decimals)
    return lines


def _instalments(
    rows: list[WbRow],
    contracts_by_key: dict[str, WbRow],
    odoo: OdooSide | None,
    as_of: dt.date,
    decimals: int,
) -> list[Line]:
    lines: list[Line] = []
    invoices = [i for i in (odoo.invoices if odoo else []) if i.get("state") != "cancel"]
    by_key = _by_key(invoices, "instalment")
    by_ref = {_key(i.get("ref")): i for i in invoices if i.get("ref")}
    by_id = {i["id"]: i for i in invoices}
    seen: set[int] = set()
    for row in rows:
        amount = money(row.get("amount"), decimals)
        rec = None
        if odoo is not None:
            rec = (
                by_key.get(_key(row.key))
                or by_id.get(row.get("odoo_invoice_id"))
                or by_ref.get(_key(row.get("invoice_no")))
            )
        if rec is None:
            recorded = row.get("invoice_no") or row.get("status") in ("invoiced", "paid")
            synced = _last_synced(row, as_of, amount, decimals) if odoo is None else None
            if synced is not None:
                lines.append(synced)
            elif odoo is not None and recorded:
                lines.append(
                    _line("contracts", C.WORKBOOK_ONLY, row, "invoice_no", workbook_amount=amount)
                )
            elif row.get("status") != "paid" and _past(row.get("due_date"), as_of):
                lines.append(_overdue(row, row.get("due_date"), as_of, amount, None, "workbook"))
            elif odoo is not None:
                lines.append(
                    _line("contracts", C.MATCHED, row, "instalment_id", workbook_amount=amount)
                )
            continue
        seen.add(rec["id"])
        theirs = money(rec.get("amount_untaxed"), decimals)
        found = dict(
            odoo_model=INVOICE, odoo_id=rec["id"], workbook_amount=amount, odoo_amount=theirs
        )
        issue = False
        if theirs != amount:
            lines.append(_line("contracts", C.AMOUNT_DIFFERS, row, "amount", **found))
            issue = True
        paid_in_odoo = rec.get("payment_state") in INVOICE_PAID
        paid_in_wb = _paid_in_workbook(row)
        if paid_in_odoo and not paid_in_wb:
            lines.append(_line("contracts", C.PAID_NOT_RECORDED, row, "paid_date", **found))
            issue = True
        elif not paid_in_odoo and paid_in_wb and rec.get("state") == "posted":
            paid = money(row.get("paid_amount"), decimals)
            residual = money(rec.get("amount_residual"), decimals) or Decimal(0)
            total = money(rec.get("amount_total"), decimals) or Decimal(0)
            lines.append(
                _line(
                    "contracts", C.AMOUNT_DIFFERS, row, "paid_amount", odoo_model=INVOICE,
                    odoo_id=rec["id"], workbook_amount=paid, odoo_amount=total - residual,
                    what="paid",
                )
            )  # fmt: skip
            issue = True
        elif not paid_in_odoo and rec.get("state") == "posted":
            due = _date(rec.get("invoice_date_due")) or row.get("due_date")
            if _past(due, as_of):
                residual = money(rec.get("amount_residual"), decimals)
                lines.append(_overdue(row, due, as_of, amount, residual, "odoo", rec["id"]))
                issue = True
        if not issue:
            lines.append(_line("contracts", C.MATCHED, row, "instalment_id", **found))
    if odoo is None:
        return lines
    order_contract = {
        o.get("name"): str(o.get("x_mops_key")).partition(":")[2]
        for o in odoo.orders
        if o.get("x_mops_key")
    }
    for rec in invoices:
        if rec["id"] in seen or rec.get("move_type", "out_invoice") != "out_invoice":
            continue
        key = str(rec.get("x_mops_key") or "")
        contract = ""
        if key.startswith("instalment:"):
            contract = key.partition(":")[2].rsplit("-", 1)[0]
        elif rec.get("invoice_origin") in order_contract:
            contract = order_contract[rec["invoice_origin"]]
        owner = contracts_by_key.get(_key(contract)) if contract else None
        name = key.partition(":")[2] or str(rec.get("name") or rec["id"])
        found = dict(
            odoo_model=INVOICE, odoo_id=rec["id"], invoice=name, invoice_no=rec.get("ref") or "",
            odoo_amount=money(rec.get("amount_untaxed"), decimals),
        )  # fmt: skip
        if owner is not None:
            lines.append(_line("contracts", C.NOT_IN_SCHEDULE, owner, "contract_id", **found))
        else:
            lines.append(_line("contracts", C.ODOO_ONLY, None, None, key=name, **found))
    return lines


def _paid_in_workbook(row: WbRow) -> bool:
    """Whether the payment schedule says the instalment was paid."""
    return row.get("status") == "paid" or row.get("paid_date") is not None


def _last_synced(row: WbRow, as_of: dt.date, amount, decimals: int) -> Line | None:
    """Offline without a snapshot: the posted invoice as the last sync wrote it beside the
    instalment (its grey columns: payment state, amount due), paid or overdue; else None."""
    if row.get("odoo_invoice_state") != "posted":
        return None
    found = dict(odoo_model=INVOICE, odoo_id=row.get("odoo_invoice_id"), workbook_amount=amount)
    paid_in_odoo = row.get("odoo_payment_state") in INVOICE_PAID
    paid_in_wb = _paid_in_workbook(row)
    if paid_in_odoo and not paid_in_wb:
        return _line("contracts", C.PAID_NOT_RECORDED, row, "paid_date", **found, basis="sync")
    if not paid_in_odoo and not paid_in_wb and _past(row.get("due_date"), as_of):
        residual = money(row.get("odoo_amount_due"), decimals)
        return _overdue(row, row.get("due_date"), as_of, amount, residual, "sync", found["odoo_id"])
    return None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def _past(day: object, as_of: dt.date) -> bool:
    day = _date(day)
    return day is not None and day < as_of


def _overdue(row, due, as_of, amount, residual, basis, odoo_id=None) -> Line:
    days = (as_of - _date(due)).days
    return _line(
        "contracts", C.OVERDUE, row, "due_date", workbook_amount=amount, odoo_amount=residual,
        odoo_model=INVOICE if odoo_id else None, odoo_id=odoo_id, days=days,
        bucket=age_bucket(days), due=_date(due), basis=basis,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Budget


def _percent(ratio: Decimal | None) -> str:
    return "" if ratio is None else f"{(ratio * 100).quantize(Decimal(1))}%"


def budget(
    rows: list[WbRow],
    claim_rows: list[WbRow],
    odoo: OdooSide | None,
    warn: Decimal,
    limit: Decimal,
) -> tuple[list[Line], list[Actual]]:
    """Spend per category and month against the budget: the books when Odoo's actuals are
    known, else the ``odoo_actual`` column when filled, else the claims (not rejected)."""
    decimals = odoo.decimals if odoo else 0
    period = lambda r: (r.get("category"), r.get("year"), r.get("month"))  # noqa: E731
    planned: dict[tuple, Decimal] = defaultdict(Decimal)
    members: dict[tuple, list[WbRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.file, r.row)):
        if None in period(row):
            continue
        planned[period(row)] += money(row.get("amount"), decimals) or Decimal(0)
        members[period(row)].append(row)
    actuals: list[Actual] = []
    spend: dict[tuple, Decimal] = defaultdict(Decimal)
    if odoo is not None:
        books: dict[tuple, Decimal] = defaultdict(Decimal)
        for a in odoo.actuals:
            item_key = (a["category"], a["item"], int(a["year"]), int(a["month"]))
            amount = money(a["amount"], decimals) or Decimal(0)
            books[item_key] += amount
            spend[(a["category"], int(a["year"]), int(a["month"]))] += amount
        for row in rows:
            if None in period(row) or row.get("item") is None:
                continue
            item_key = (row.get("category"), row.get("item"), row.get("year"), row.get("month"))
            amount = books.get(item_key, Decimal(0))
            key_cell = row.cells.get(row.key_column)
            actuals.append(
                Actual(row.ref("odoo_actual"), row.key, amount, key_cell, row.get("odoo_actual"))
            )
        basis = {p: "books" for p in set(planned) | set(spend)}
    else:
        column: dict[tuple, Decimal] = defaultdict(Decimal)
        filled: set[tuple] = set()
        for row in rows:
            if row.get("odoo_actual") is not None and None not in period(row):
                column[period(row)] += money(row.get("odoo_actual"), decimals) or Decimal(0)
                filled.add(period(row))
        claimed: dict[tuple, Decimal] = defaultdict(Decimal)
        for c in claim_rows:
            day = c.get("expense_date")
            if (
                c.get("approval") == "rejected"
                or not isinstance(day, dt.date)
                or not c.get("category")
            ):
                continue
            claimed[(c.get("category"), day.year, day.month)] += (
                money(c.get("amount"), decimals) or 0
            )
        basis = {}
        for p in set(planned) | set(claimed) | filled:
            if p in filled:
                spend[p], basis[p] = column[p], "column"
            else:
                spend[p], basis[p] = claimed.get(p, Decimal(0)), "claims"
    lines: list[Line] = []
    for p in sorted(set(planned) | set(spend), key=lambda p: (p[1], p[2], str(p[0]))):
        category, year, month = p
        plan, actual = planned.get(p, Decimal(0)), spend.get(p, Decimal(0))
        ratio = actual / plan if plan > 0 else None
        if (plan <= 0 and actual > 0) or (plan > 0 and actual > plan * limit):
            cls = C.OVERSPEND
        elif plan > 0 and actual >= plan * warn:
            cls = C.NEAR_BUDGET
        else:
            cls = C.WITHIN_BUDGET
        group = members.get(p, [])
        lines.append(
            _line(
                "budget", cls, group[0] if group else None, "amount", rows=group,
                key=f"{year}-{month:02d}/{category}",
                workbook_amount=plan, odoo_amount=actual, category=category,
                period=f"{year}-{month:02d}", ratio=_percent(ratio), variance=actual - plan,
                basis=basis.get(p, "claims"),
            )
        )  # fmt: skip
    return lines, actuals


def _budget_class(plan: Decimal, actual: Decimal, warn: Decimal, limit: Decimal) -> LineClass:
    if (plan <= 0 and actual > 0) or (plan > 0 and actual > plan * limit):
        return C.OVERSPEND
    if plan > 0 and actual >= plan * warn:
        return C.NEAR_BUDGET
    return C.WITHIN_BUDGET


def campaign_budget(
    rows: list[WbRow],
    claim_rows: list[WbRow],
    odoo: OdooSide | None,
    warn: Decimal,
    limit: Decimal,
) -> tuple[list[Line], list[Actual]]:
    """Each campaign's spend per category and month against its campaign budget: the books'
    (the campaign's analytic account) when Odoo was read, else the ``odoo_actual`` column when
    filled, else the claims on the campaign (not rejected); the books' spend on no campaign is
    one ``unassigned`` line a category and month. Without campaign budget rows (the marketing
    plan not among the workbooks) campaigns are not judged."""
    if not rows:
        return [], []
    decimals = odoo.decimals if odoo else 0
    group = lambda r: (_key(r.get("campaign_id")), r.get("category"), r.get("year"), r.get("month"))  # noqa: E731
    planned: dict[tuple, Decimal] = defaultdict(Decimal)
    members: dict[tuple, list[WbRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r.file, r.row)):
        g = group(row)
        if "" in g or None in g:
            continue
        names.setdefault(g[0], str(row.get("campaign_id")))
        planned[g] += money(row.get("amount"), decimals) or Decimal(0)
        members[g].append(row)
    spend: dict[tuple, Decimal] = defaultdict(Decimal)
    basis: dict[tuple, str] = {}
    actuals: list[Actual] = []
    unassigned: dict[tuple, Decimal] = defaultdict(Decimal)
    if odoo is not None:
        books: dict[tuple, Decimal] = defaultdict(Decimal)
        for a in odoo.campaign_actuals:
            amount = money(a["amount"], decimals) or Decimal(0)
            year, month = int(a["year"]), int(a["month"])
            if not a.get("campaign"):
                unassigned[(a["category"], year, month)] += amount
                continue
            campaign = _key(a["campaign"])
            names.setdefault(campaign, str(a["campaign"]))
            books[(campaign, a["category"], a["item"], year, month)] += amount
            spend[(campaign, a["category"], year, month)] += amount
        for row in rows:
            g = group(row)
            if "" in g or None in g or row.get("item") is None:
                continue
            amount = books.get((g[0], g[1], row.get("item"), g[2], g[3]), Decimal(0))
            actuals.append(
                Actual(
                    row.ref("odoo_actual"),
                    row.key,
                    amount,
                    row.cells.get(row.key_column),
                    row.get("odoo_actual"),
                )
            )
        basis = {g: "analytic" for g in set(planned) | set(spend)}
    else:
        column: dict[tuple, Decimal] = defaultdict(Decimal)
        filled: set[tuple] = set()
        for row in rows:
            g = group(row)
            if row.get("odoo_actual") is not None and "" not in g and None not in g:
                column[g] += money(row.get("odoo_actual"), decimals) or Decimal(0)
                filled.add(g)
        claimed: dict[tuple, Decimal] = defaultdict(Decimal)
        for c in claim_rows:
            day, campaign = c.get("expense_date"), _key(c.get("campaign_id"))
            if (
                c.get("approval") == "rejected"
                or not campaign
                or not isinstance(day, dt.date)
                or not c.get("category")
            ):
                continue
            names.setdefault(campaign, str(c.get("campaign_id")))
            claimed[(campaign, c.get("category"), day.year, day.month)] += (
                money(c.get("amount"), decimals) or 0
            )
        for g in set(planned) | set(claimed) | filled:
            if g in filled:
                spend[g], basis[g] = column[g], "column"
            else:
                spend[g], basis[g] = claimed.get(g, Decimal(0)), "claims"
    lines: list[Line] = []
    for g in sorted(set(planned) | set(spend), key=lambda g: (g[2], g[3], g[0], str(g[1]))):
        campaign, category, year, month = g
        plan, actual = planned.get(g, Decimal(0)), spend.get(g, Decimal(0))
        ratio = actual / plan if plan > 0 else None
        group_rows = members.get(g, [])
        lines.append(
            _line(
                "budget", _budget_class(plan, actual, warn, limit),
                group_rows[0] if group_rows else None, "amount", rows=group_rows,
                key=f"{year}-{month:02d}/{names[campaign]}/{category}",
                workbook_amount=plan, odoo_amount=actual, campaign=names[campaign],
                category=category, period=f"{year}-{month:02d}", ratio=_percent(ratio),
                variance=actual - plan, basis=basis.get(g, "claims"), what="campaign",
            )
        )  # fmt: skip
    for (category, year, month), amount in sorted(
        unassigned.items(), key=lambda kv: (kv[0][1], kv[0][2], str(kv[0][0]))
    ):
        lines.append(
            _line(
                "budget", C.UNASSIGNED, None, None, key=f"{year}-{month:02d}/-/{category}",
                odoo_amount=amount, campaign=None, category=category,
                period=f"{year}-{month:02d}", basis="analytic",
            )
        )  # fmt: skip
    return lines, actuals
