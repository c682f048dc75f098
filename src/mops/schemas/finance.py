"""財務 The finance workbook: finance's own sheets of other workbooks, gathered in one .xlsm.

Finance works in Excel with buttons (``workbooks/finance.xlsm``, ``integrations/excel/``). Its
workbook holds the sheets finance answers for under policy §6.3 and §8: the contracts and their
payment schedule (declared in ``sales``), the expense budget and the expense claims (declared in
``expenses``). The sheets are the same declarations, not copies: a column added to the contracts
is in both workbooks. What they refer to (customers, the roster, campaigns) stays in the other
workbooks of the folder, which validation reads beside it.
"""

from mops.schemas.expenses import CLAIMS, EXPENSE_BUDGET
from mops.schemas.model import WorkbookDef
from mops.schemas.sales import CONTRACTS, PAYMENT_SCHEDULE

FINANCE = WorkbookDef(
    "finance", "finance.xlsm", "財務", "Finance",
    "財務部", "Finance",
    (CONTRACTS, PAYMENT_SCHEDULE, EXPENSE_BUDGET, CLAIMS),
    help_zh="財務的活頁簿：合同與收款計劃、費用預算與費用申請；控制台的按鈕在 Excel 中驗證本活頁簿、從 Odoo 拉取資料。",
    help_en="Finance's workbook: contracts and their payment schedule, the expense budget and expense claims; the buttons on the Control sheet validate it and pull from Odoo, in Excel.",
)  # fmt: skip
