Attribute VB_Name = "mops"
' The buttons of the mops finance workbook (workbooks/finance.xlsm).
' Each button runs one Sub below; each Sub runs one Python function of the package mops.excel
' through xlwings' RunPython (the xlwings module of this workbook). The Python side reads this
' workbook as Excel holds it, unsaved edits included, and writes its results into it.
' The Odoo password or API key never goes here: mops reads it from the environment
' (MOPS_ODOO_PASSWORD) or the system keyring.
Option Explicit

Sub MopsValidate()
    RunPython "import mops.excel; mops.excel.validate_book()"
End Sub

Sub MopsPullFromOdoo()
    RunPython "import mops.excel; mops.excel.pull_from_odoo()"
End Sub

Sub MopsReconcile()
    RunPython "import mops.excel; mops.excel.reconcile_book()"
End Sub

Sub MopsOpenReport()
    RunPython "import mops.excel; mops.excel.open_report()"
End Sub
