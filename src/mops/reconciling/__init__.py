"""Reconciliation of the finance workbooks with Odoo's books (policy §6.3 and §8).

``model`` holds the values (workbook rows, the Odoo side, lines, the result), ``core`` the pure
classification, ``rows`` the typed workbook rows from a validation's dataset; reading Odoo is
``mops.odoo.finance_reads``, the run end to end ``mops.reconciling.run``, the write-back
``writeback`` and the terminal ``render``. (``reconciling``, not ``reconcile``: ``mops.reconcile``
is the function.)
"""
