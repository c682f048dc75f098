"""Two-way sync of workbook records with Odoo 17: mapping, planner (pure), applier, state store.

::

    workbooks ──validate──▶ rows ─┐
    state store (SQLite) ─────────┼──▶ plan_sync() ──Plan──▶ apply_plan() ──JSON-RPC──▶ Odoo
    Odoo (search_read, paged) ────┘        (pure)              │ journal + state, per batch
                                                               └──▶ pull-back cell values
"""
