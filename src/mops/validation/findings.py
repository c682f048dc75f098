"""Findings are values, not exceptions: what is wrong, where, which rule says so, how to fix it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from mops.schemas.model import Lang


class Severity(StrEnum):
    """How serious a finding is; errors make ``mops validate`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: the order findings are listed in."""
        return ("error", "warning", "info").index(self.value)


SEVERITY_LABELS = {
    Severity.ERROR: ("錯誤", "error"),
    Severity.WARNING: ("警告", "warning"),
    Severity.INFO: ("提示", "info"),
}


def severity_label(severity: Severity, lang: Lang | str) -> str:
    """The severity as a word in this language."""
    zh, en = SEVERITY_LABELS[Severity(severity)]
    return en if Lang(lang) is Lang.EN else zh


def jsonable(value: object) -> object:
    """A value as JSON can hold it: dates in ISO form, Decimals as strings."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong, at one place: a cell, a row, a sheet or a file.

    ``row`` is the Excel row number and ``cell`` the A1 address when the finding is about a
    cell; ``column`` is the declared column key and ``label`` the header as written in the file.
    Messages are rendered in both languages when the finding is made, so a finding can be shown
    in either without knowing the rule that made it.
    """

    rule_id: str
    severity: Severity
    file: str
    sheet: str
    tab: str
    row: int | None
    column: str | None
    cell: str | None
    label: str | None
    value: object
    message_zh: str
    message_en: str

    def message(self, lang: Lang | str = Lang.ZH_TW) -> str:
        """The message in this language."""
        return self.message_en if Lang(lang) is Lang.EN else self.message_zh

    def sort_key(self) -> tuple:
        """Findings sort by file, sheet, row, column, then rule."""
        return (self.file, self.tab, self.row or 0, self.cell or "", self.rule_id)

    def as_dict(self, lang: Lang | str = Lang.ZH_TW) -> dict[str, object]:
        """The finding in the documented JSON form (see docs/findings-json.md)."""
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "file": self.file,
            "sheet": self.sheet,
            "tab": self.tab,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "label": self.label,
            "value": jsonable(self.value),
            "message": self.message(lang),
        }


def show(value: object) -> str:
    """A value as a person would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
