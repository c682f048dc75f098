"""The registry of every declared workbook, and the version stamped into generated files.

Bump ``SCHEMA_VERSION`` whenever a declaration changes in a way that needs an upgrade of
workbooks staff have already filled (a renamed or removed column, a changed enum key). The
per-workbook ``fingerprint`` changes with any edit and is stamped beside it, so mops can tell
exactly which declaration made a file.
"""

from __future__ import annotations

from mops.schemas.customers import CUSTOMER_BOOK
from mops.schemas.expenses import EXPENSES
from mops.schemas.finance import FINANCE
from mops.schemas.model import ColType, SheetDef, WorkbookDef
from mops.schemas.plan import MARKETING_PLAN
from mops.schemas.sales import SALES
from mops.schemas.service import SERVICE
from mops.schemas.staff import STAFF

SCHEMA_VERSION = 1

WORKBOOKS: tuple[WorkbookDef, ...] = (
    MARKETING_PLAN,
    CUSTOMER_BOOK,
    SALES,
    SERVICE,
    EXPENSES,
    STAFF,
)

# Workbooks made of sheets declared above (each sheet keeps its own workbook): recognised when
# read, written by ``mops workbooks new``, but not part of the suite every firm fills.
COMPOSITES: tuple[WorkbookDef, ...] = (FINANCE,)

ROSTER_SHEET = "roster"
ROSTER_NAME_COLUMN = "name"


def workbook(key: str) -> WorkbookDef:
    """The declared workbook with this key."""
    for wb in (*WORKBOOKS, *COMPOSITES):
        if wb.key == key:
            return wb
    raise KeyError(f"no workbook {key!r}")


def all_sheets() -> list[SheetDef]:
    """Every declared sheet, in workbook order."""
    return [s for wb in WORKBOOKS for s in wb.sheets]


def sheet(key: str) -> SheetDef:
    """The declared sheet with this key; sheet keys are unique across workbooks."""
    for s in all_sheets():
        if s.key == key:
            return s
    raise KeyError(f"no sheet {key!r}")


def check_registry() -> None:
    """Raise ValueError when the declarations contradict each other (run by the tests)."""
    keys = [s.key for s in all_sheets()]
    if len(keys) != len(set(keys)):
        raise ValueError("sheet keys must be unique across workbooks")
    files = [wb.filename for wb in WORKBOOKS]
    if len(files) != len(set(files)):
        raise ValueError("workbook file names must be unique")
    for s in all_sheets():
        for c in s.columns:
            if c.type is ColType.REF:
                target_sheet, _, target_col = (c.ref or "").partition(".")
                target = sheet(target_sheet)
                if target.primary_key != target_col:
                    raise ValueError(f"{s.key}.{c.key}: ref {c.ref} is not a primary key")
    for composite in COMPOSITES:
        for s in composite.sheets:
            if sheet(s.key) is not s or s.workbook == composite.key:
                raise ValueError(f"{composite.key}: {s.key} is not a sheet of a declared workbook")
    roster = sheet(ROSTER_SHEET)
    if roster.column(ROSTER_NAME_COLUMN).type is not ColType.TEXT:
        raise ValueError("the roster's name column must be text")
