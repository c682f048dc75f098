"""費用 Marketing expenses (policy §8): edited by every claimant, approved by managers, audited by finance."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

EXPENSE_BUDGET = SheetDef(
    "expense_budget", "費用預算", "Expense budget",
    (
        col("budget_id", "預算編號", "Budget ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("month", "月份", "Month", T.INTEGER, ("", ""), required=True, minimum=1, maximum=12),
        col("category", "費用類別", "Category", T.ENUM, ("推廣、銷售、客戶服務（政策 8.1）。", "Promotion, sales, customer service (policy 8.1)."), required=True, enum=E.EXPENSE_CATEGORY),
        col("item", "費用項目", "Item", T.ENUM, ("", ""), required=True, enum=E.EXPENSE_ITEM),
        col("amount", "預算金額", "Amount", T.MONEY, ("", ""), required=True, minimum=0),
        col("approved_by", "核准人", "Approved by", T.PERSON, ("年度預算由管理層核准。", "Management approves the budget."), roles=("executive",)),
        col("approval_date", "核准日期", "Approval date", T.DATE, ("", "")),
        col("notes", "備註", "Notes", T.TEXT, ("", ""), width=30),
        col("odoo_actual", "帳上實際", "Actual (books)", T.MONEY, ("mops reconcile 由 Odoo 已過帳的費用填入；有值時超支比較以帳上數字為準（政策 8.3）。", "Filled by mops reconcile from the expenses posted in Odoo; when filled, overspend is judged on the books (policy 8.3)."), owner=Owner.ODOO),
        col("reconcile_status", "對帳狀態", "Reconciliation", T.TEXT, ("mops reconcile 填入：該類別與月份的預算執行情形。", "Filled by mops reconcile: how the category's month stands against the budget."), owner=Owner.ODOO, width=16),
    ),
    primary_key="budget_id",
    help_zh="年度營銷費用預算，按類別、項目與月份（政策 8.1）。",
    help_en="The annual marketing expense budget by category, item and month (policy 8.1).",
    policy=("§8.1",),
)  # fmt: skip

CLAIMS = SheetDef(
    "claims", "費用申請", "Expense claims",
    (
        col("claim_id", "申請編號", "Claim ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("claimant", "申請人", "Claimant", T.PERSON, ("", ""), required=True),
        col("expense_date", "費用發生日", "Expense date", T.DATE, ("", ""), required=True),
        col("claim_date", "申請日", "Claim date", T.DATE, ("費用發生後應於期限內申請（預設 30 天）。", "File within the set days of the expense (default 30)."), required=True),
        col("category", "費用類別", "Category", T.ENUM, ("", ""), required=True, enum=E.EXPENSE_CATEGORY),
        col("item", "費用項目", "Item", T.ENUM, ("", ""), required=True, enum=E.EXPENSE_ITEM),
        col("campaign_id", "活動編號", "Campaign ID", T.REF, ("屬於某個營銷活動時填寫；活動須已核准。", "When it belongs to a campaign, which must be approved."), ref="campaigns.campaign_id"),
        col("amount", "金額", "Amount", T.MONEY, ("含稅。", "Tax included."), required=True, minimum=0),
        col("reason", "事由", "Reason", T.TEXT, ("", ""), required=True, max_length=300, width=28),
        col("attachment_ref", "附件編號", "Attachment ref.", T.TEXT, ("發票或收據的編號或檔名。", "Receipt or invoice number or file name."), required=True, max_length=60),
        col("approver", "核准人", "Approver", T.PERSON, ("不可為申請人本人（政策 8.2）。", "Not the claimant (policy 8.2)."), roles=("executive", "head", "lead")),
        col("approval", "核准結果", "Approval", T.ENUM, ("", ""), required=True, enum=E.APPROVAL),
        col("approval_date", "核准日期", "Approval date", T.DATE, ("", "")),
        col("auditor", "財務稽核人", "Auditor", T.PERSON, ("", ""), groups=("finance",)),
        col("audit", "稽核結果", "Audit", T.ENUM, ("核准並經財務稽核後才可報銷（政策 8.2）。", "Reimbursed only after approval and audit (policy 8.2)."), required=True, enum=E.AUDIT),
        col("audit_date", "稽核日期", "Audit date", T.DATE, ("", "")),
        col("reimbursed", "已報銷", "Reimbursed", T.BOOLEAN, ("", ""), required=True),
        col("reimbursed_date", "報銷日期", "Reimbursed on", T.DATE, ("", "")),
        col("odoo_expense_id", "Odoo 費用 ID", "Odoo expense ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
        col("odoo_expense_state", "Odoo 費用狀態", "Odoo expense state", T.ENUM, ("「已付款」（17 版為「已完成」）即已報銷。", "Paid (done on version 17) means reimbursed."), owner=Owner.ODOO, enum=E.ODOO_EXPENSE_STATE),
        col("odoo_report_state", "Odoo 報告狀態", "Odoo report state", T.ENUM, ("17 版的費用報告狀態；19 版沒有費用報告。", "The expense report's state on version 17; version 19 has no reports."), owner=Owner.ODOO, enum=E.ODOO_REPORT_STATE),
        col("odoo_paid_date", "Odoo 報銷付款日", "Odoo reimbursed on", T.DATE, ("報銷付款的日期。", "The date of the reimbursement payment."), owner=Owner.ODOO),
        col("reconcile_status", "對帳狀態", "Reconciliation", T.TEXT, ("mops reconcile 填入：與 Odoo 帳上是否相符。", "Filled by mops reconcile: whether the claim agrees with Odoo's books."), owner=Owner.ODOO, width=16),
    ),
    primary_key="claim_id",
    date_order=(("expense_date", "claim_date"), ("claim_date", "approval_date"), ("approval_date", "audit_date"), ("approval_date", "reimbursed_date"), ("audit_date", "reimbursed_date")),
    help_zh="費用報銷申請、核准、財務稽核與報銷（政策 8.2）。",
    help_en="Expense claims: approval, finance audit and reimbursement (policy 8.2).",
    policy=("§8.2", "§8.3"),
)  # fmt: skip

EXPENSES = WorkbookDef(
    "expenses", "expenses.xlsx", "營銷費用", "Marketing expenses",
    "全體營銷人員、核准主管、財務", "All marketing staff, approvers, finance",
    (EXPENSE_BUDGET, CLAIMS),
    help_zh="年度費用預算與費用報銷申請；費用與預算的比較與超支警示由 mops 產生（政策 8.3）。",
    help_en="The annual expense budget and expense claims; mops compares spend with budget and warns on overspend (policy 8.3).",
)  # fmt: skip
