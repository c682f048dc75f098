"""Words that generated workbooks show to people, in zh-TW and English."""

from __future__ import annotations

from mops.i18n import text
from mops.schemas.model import ColType, Lang

BOOLEAN_LABELS: dict[Lang, tuple[str, str]] = {
    Lang.ZH_TW: ("是", "否"),
    Lang.EN: ("Yes", "No"),
}


def type_label(col_type: ColType, lang: Lang | str) -> str:
    """The name of a column type, as the Guide sheet shows it."""
    return text(f"coltype.{ColType(col_type).value}", lang)
