"""The stamp a generated workbook carries: which declaration, version and language made it.

The stamp is written twice: as custom document properties (visible in Excel's File > Info) and
on a hidden sheet, which python-calamine can read without parsing the package by hand. A later
version of mops reads it to recognise, and upgrade, workbooks that staff have already filled.
"""

from __future__ import annotations

from mops import __version__
from mops.i18n import pair
from mops.schemas.model import Lang, WorkbookDef, fingerprint
from mops.schemas.registry import SCHEMA_VERSION

META_SHEET = "_mops"
LISTS_SHEET = "_lists"
HIDDEN_SHEETS = (META_SHEET, LISTS_SHEET)
FINDINGS_SHEETS = pair("findings_sheet.name")  # written by mops validate --write-back
RECONCILE_SHEETS = pair("reconcile.sheet")  # written by mops reconcile --write-back
RESULTS_SHEETS = FINDINGS_SHEETS + RECONCILE_SHEETS


def stamp(wb: WorkbookDef, lang: Lang | str) -> dict[str, str]:
    """The key/value pairs stamped into a generated workbook."""
    values = {
        "mops_workbook": wb.key,
        "mops_schema_version": str(SCHEMA_VERSION),
        "mops_fingerprint": fingerprint(wb),
        "mops_lang": str(Lang(lang)),
        "mops_generator": f"mops {__version__}",
    }
    for sheet in wb.sheets:
        values[f"mops_sheet:{sheet.key}"] = sheet.name(lang)
    return values
