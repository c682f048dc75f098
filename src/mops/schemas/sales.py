"""銷售目標與合同 Sales targets and contracts (policy §6): edited by sales leads, legal and finance."""

from mops.schemas import enums as E
from mops.schemas.model import ColType as T
from mops.schemas.model import Owner, SheetDef, WorkbookDef, col

TARGETS = SheetDef(
    "targets", "銷售目標", "Sales targets",
    (
        col("target_id", "目標編號", "Target ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("salesperson", "業務", "Salesperson", T.PERSON, ("", ""), required=True, groups=("sales", "department", "management")),
        col("year", "年度", "Year", T.INTEGER, ("", ""), required=True, minimum=2000, maximum=2100),
        col("period_type", "期間類型", "Period type", T.ENUM, ("年度、季度或月度；月加總須等於季，季加總須等於年（政策 6.1）。", "Year, quarter or month; months add up to quarters and quarters to the year (policy 6.1)."), required=True, enum=E.PERIOD_TYPE),
        col("quarter", "季度", "Quarter", T.INTEGER, ("季度目標填寫；年度目標留空。", "For a quarterly target; blank for a yearly one."), minimum=1, maximum=4),
        col("month", "月份", "Month", T.INTEGER, ("只有月度目標才填。", "For a monthly target only."), minimum=1, maximum=12),
        col("revenue", "營收目標", "Revenue", T.MONEY, ("", ""), required=True, minimum=0),
        col("profit", "利潤目標", "Profit", T.MONEY, ("", ""), required=True),
        col("new_customers", "新客戶數", "New customers", T.INTEGER, ("", ""), required=True, minimum=0),
        col("satisfaction", "滿意度目標", "Satisfaction", T.NUMBER, ("", ""), minimum=1, maximum=5),
    ),
    primary_key="target_id",
    help_zh="每位業務的年度、季度、月度目標（政策 6.1）。",
    help_en="Yearly, quarterly and monthly targets per salesperson (policy 6.1).",
    policy=("§6.1",),
)  # fmt: skip

CONTRACTS = SheetDef(
    "contracts", "合同", "Contracts",
    (
        col("contract_id", "合同編號", "Contract ID", T.TEXT, ("", ""), required=True, unique=True, max_length=20),
        col("customer_id", "客戶編號", "Customer ID", T.REF, ("", ""), required=True, ref="customers.customer_id"),
        col("opportunity_id", "商機編號", "Opportunity ID", T.REF, ("", ""), ref="opportunities.opportunity_id"),
        col("title", "合同名稱", "Title", T.TEXT, ("", ""), required=True, max_length=120, width=26),
        col("service_line", "服務項目", "Service line", T.ENUM, ("", ""), required=True, enum=E.SERVICE_LINE),
        col("scope", "服務內容", "Service content", T.TEXT, ("", ""), required=True, max_length=1000, width=30),
        col("rights_duties", "權利義務", "Rights and duties", T.TEXT, ("", ""), max_length=1000, width=24),
        col("amount", "合同金額", "Amount", T.MONEY, ("未稅。", "Before tax."), required=True, minimum=0),
        col("payment_terms", "付款條件", "Payment terms", T.TEXT, ("期數與時點見「付款期程」。", "Instalments are on the payment schedule sheet."), required=True, max_length=200, width=24),
        col("delivery_date", "交付日期", "Delivery date", T.DATE, ("", "")),
        col("breach_liability", "違約責任", "Liability for breach", T.TEXT, ("", ""), max_length=500, width=24),
        col("owner", "負責業務", "Owner", T.PERSON, ("", ""), required=True),
        col("legal_reviewer", "法務審閱人", "Legal reviewer", T.PERSON, ("簽署前須經法務審閱（政策 6.3）。", "Legal review comes before signing (policy 6.3)."), groups=("legal",)),
        col("legal_review_date", "法務審閱日", "Legal review date", T.DATE, ("須早於簽署日。", "Before the signing date.")),
        col("legal_review_result", "審閱結果", "Review result", T.ENUM, ("", ""), enum=E.REVIEW_RESULT),
        col("signed_date", "簽署日", "Signed", T.DATE, ("", "")),
        col("start_date", "開始日", "Start", T.DATE, ("", "")),
        col("end_date", "結束日", "End", T.DATE, ("", "")),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.CONTRACT_STATUS),
        col("change_date", "變更日", "Amended on", T.DATE, ("變更須記錄日期與原因。", "An amendment records its date and reason.")),
        col("change_reason", "變更原因", "Amendment reason", T.TEXT, ("", ""), max_length=300, width=24),
        col("termination_date", "終止日", "Terminated on", T.DATE, ("", "")),
        col("termination_reason", "終止原因", "Termination reason", T.TEXT, ("", ""), max_length=300, width=24),
        col("odoo_order_id", "Odoo 訂單 ID", "Odoo order ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
        col("reconcile_status", "對帳狀態", "Reconciliation", T.TEXT, ("mops reconcile 填入：與 Odoo 帳上是否相符。", "Filled by mops reconcile: whether the row agrees with Odoo's books."), owner=Owner.ODOO, width=16),
    ),
    primary_key="contract_id",
    date_order=(("start_date", "end_date"), ("signed_date", "termination_date"), ("signed_date", "change_date")),
    help_zh="合同條款、法務審閱、簽署、履約、變更與終止（政策 6.3）。",
    help_en="Contract terms, legal review, signing, execution, amendment and termination (policy 6.3).",
    policy=("§6.3",),
)  # fmt: skip

PAYMENT_SCHEDULE = SheetDef(
    "payment_schedule", "付款期程", "Payment schedule",
    (
        col("instalment_id", "期款編號", "Instalment ID", T.TEXT, ("", ""), required=True, unique=True, max_length=24),
        col("contract_id", "合同編號", "Contract ID", T.REF, ("", ""), required=True, ref="contracts.contract_id"),
        col("seq", "期數", "No.", T.INTEGER, ("", ""), required=True, minimum=1),
        col("due_date", "應收日", "Due date", T.DATE, ("", ""), required=True),
        col("amount", "應收金額", "Amount", T.MONEY, ("各期合計應等於合同金額。", "Instalments add up to the contract amount."), required=True, minimum=0),
        col("invoice_no", "發票號碼", "Invoice no.", T.TEXT, ("例：AB-12345678。", "e.g. AB-12345678."), max_length=20),
        col("invoiced_date", "開票日", "Invoiced", T.DATE, ("", "")),
        col("paid_date", "收款日", "Paid", T.DATE, ("", "")),
        col("paid_amount", "收款金額", "Paid amount", T.MONEY, ("", ""), minimum=0),
        col("status", "狀態", "Status", T.ENUM, ("", ""), required=True, enum=E.PAYMENT_STATUS),
        col("odoo_invoice_id", "Odoo 發票 ID", "Odoo invoice ID", T.INTEGER, ("", ""), owner=Owner.ODOO),
        col("odoo_invoice_state", "Odoo 發票狀態", "Odoo invoice state", T.ENUM, ("", ""), owner=Owner.ODOO, enum=E.ODOO_INVOICE_STATE),
        col("odoo_payment_state", "Odoo 收款狀態", "Odoo payment state", T.ENUM, ("「已付款」即已全額收款。", "Paid means received in full."), owner=Owner.ODOO, enum=E.ODOO_PAYMENT_STATE),
        col("odoo_amount_due", "Odoo 未收金額", "Odoo amount due", T.MONEY, ("該發票尚未收到的金額（含稅）。", "What is still to be received on the invoice (tax included)."), owner=Owner.ODOO),
        col("odoo_paid_date", "Odoo 最近收款日", "Odoo last payment", T.DATE, ("與發票沖銷的最近一筆收款的日期。", "The date of the latest payment reconciled with the invoice."), owner=Owner.ODOO),
        col("reconcile_status", "對帳狀態", "Reconciliation", T.TEXT, ("mops reconcile 填入：與 Odoo 帳上是否相符。", "Filled by mops reconcile: whether the row agrees with Odoo's books."), owner=Owner.ODOO, width=16),
    ),
    primary_key="instalment_id",
    date_order=(("invoiced_date", "paid_date"),),
    help_zh="合同各期應收款與收款情形；逾期應收會被標示（政策 6.3）。",
    help_en="Instalments of each contract and their payment; overdue receivables are flagged (policy 6.3).",
    policy=("§6.3",),
)  # fmt: skip

SALES = WorkbookDef(
    "sales", "sales.xlsx", "銷售目標與合同", "Sales targets and contracts",
    "銷售主管、法務、財務", "Sales leads, legal, finance",
    (TARGETS, CONTRACTS, PAYMENT_SCHEDULE),
    help_zh="銷售目標的分解，以及合同從審閱、簽署到收款的全程紀錄。",
    help_en="Sales targets broken down per person and period, and contracts from review and signing to payment.",
)  # fmt: skip
