"""The workbook rows a reconciliation reads, from the typed sheets validation made (pure)."""

from __future__ import annotations

from mops.reconciling.model import WbRow, WorkbookSide
from mops.records import ROW, column_letter
from mops.validation.context import Dataset

SHEETS = ("claims", "contracts", "payment_schedule", "expense_budget", "campaign_budget")


def workbook_side(dataset: Dataset) -> WorkbookSide:
    """Every row of the finance sheets found, typed, with the address of each of its cells."""
    side = WorkbookSide()
    for key in SHEETS:
        rows: list[WbRow] = getattr(side, key)
        for part in dataset.parts(key):
            source = part.source
            pk = source.definition.primary_key
            letters = {c: column_letter(i) for c, i in source.columns.items()}
            for values in part.frame.iter_rows(named=True):
                row = int(values.pop(ROW))
                if not values.get(pk):
                    continue
                rows.append(
                    WbRow(
                        sheet=key,
                        key=str(values[pk]),
                        values=values,
                        file=str(source.path),
                        tab=source.tab,
                        row=row,
                        cells={c: f"{letter}{row}" for c, letter in letters.items()},
                        key_column=pk,
                    )
                )
    return side
