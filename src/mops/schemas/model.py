"""The vocabulary of workbook declarations: column types, enums, columns, sheets, workbooks.

Every sheet layout in mops is declared once with these classes (see ``mops.schemas.registry``).
Template generation, reading, validation, the Odoo mapping and reports all read the declarations;
no sheet layout or cell address is written anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from enum import StrEnum


class ColType(StrEnum):
    """The type of the values a column holds."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # a Decimal that is not money: hours, scores
    MONEY = "money"  # Decimal, New Taiwan dollars unless the sheet says otherwise
    PERCENT = "percent"  # stored as a fraction: 0.3 is 30 %
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"
    BOOLEAN = "boolean"  # shown as a 是/否 (Yes/No) drop-down
    EMAIL = "email"
    PHONE = "phone"
    PERSON = "person"  # a name on the staff roster
    REF = "ref"  # the key of a record in another sheet


class Owner(StrEnum):
    """Which side owns a column: staff edit workbook columns; mops fills Odoo columns."""

    WORKBOOK = "workbook"
    ODOO = "odoo"


class Lang(StrEnum):
    """Languages of labels, messages and reports."""

    ZH_TW = "zh-TW"
    EN = "en"


def normalize_label(text: str) -> str:
    """Fold a header or enum label for lenient matching: NFKC, no spaces or underscores, casefold.

    NFKC turns full-width letters, digits and brackets into their ASCII forms, so
    ``Ｅｍａｉｌ`` matches ``email`` and ``（元）`` matches ``(元)``.
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-*")


@dataclass(frozen=True)
class Option:
    """One allowed value of an enum: a stable key and its labels."""

    key: str
    zh: str
    en: str

    def label(self, lang: Lang | str) -> str:
        """The label shown in a workbook of this language."""
        return self.en if Lang(lang) is Lang.EN else self.zh


@dataclass(frozen=True)
class EnumDef:
    """A closed list of values, shown as a drop-down in every column that uses it."""

    key: str
    zh: str
    en: str
    options: tuple[Option, ...]

    def labels(self, lang: Lang | str) -> list[str]:
        """The drop-down entries in this language, in declared order."""
        return [o.label(lang) for o in self.options]

    def keys(self) -> list[str]:
        """The stable keys, in declared order."""
        return [o.key for o in self.options]

    def lookup(self) -> dict[str, str]:
        """Map every accepted spelling (key, zh label, en label; folded) to the option key."""
        table: dict[str, str] = {}
        for o in self.options:
            for spelling in (o.key, o.zh, o.en):
                table.setdefault(normalize_label(spelling), o.key)
        return table

    def option(self, key: str) -> Option:
        """The option with this key."""
        for o in self.options:
            if o.key == key:
                return o
        raise KeyError(f"{self.key}: no option {key!r}")


def enum(key: str, zh: str, en: str, *options: tuple[str, str, str]) -> EnumDef:
    """Declare an enum from (key, zh, en) triples."""
    return EnumDef(key, zh, en, tuple(Option(*o) for o in options))


# The width of what a column of each type typically holds, in Excel's character units: an
# e-mail address, a date, an amount in the millions, a short ID. (The writer refines text and
# enum columns by their longest value.)
DEFAULT_WIDTHS: dict[ColType, float] = {
    ColType.TEXT: 18,
    ColType.INTEGER: 10,
    ColType.NUMBER: 10,
    ColType.MONEY: 14,
    ColType.PERCENT: 9,
    ColType.DATE: 12,
    ColType.DATETIME: 17,
    ColType.ENUM: 14,
    ColType.BOOLEAN: 8,
    ColType.EMAIL: 28,
    ColType.PHONE: 15,
    ColType.PERSON: 11,
    ColType.REF: 12,
}


@dataclass(frozen=True)
class Column:
    """One declared column of a sheet.

    ``ref`` names the target as ``"sheet_key.column_key"`` for REF columns.
    ``minimum``/``maximum`` bound numbers, money, percents and dates (as ISO text for dates).
    ``roles`` and ``groups`` restrict a PERSON column to roster roles or groups that fit the
    duty (policy §2, ``P2-role-fits``); a person fits when either matches.
    """

    key: str
    zh: str
    en: str
    type: ColType
    required: bool = False
    enum: EnumDef | None = None
    ref: str | None = None
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    max_length: int | None = None
    pattern: str | None = None  # a regular expression a TEXT value must match in full
    unique: bool = False
    help_zh: str = ""
    help_en: str = ""
    width: float | None = None
    owner: Owner = Owner.WORKBOOK
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    policy: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.roles or self.groups) and self.type is not ColType.PERSON:
            raise ValueError(f"column {self.key}: only a person column restricts roles")
        if (self.type is ColType.ENUM) != (self.enum is not None):
            raise ValueError(f"column {self.key}: an enum column needs an enum, and only it")
        if self.pattern is not None and self.type is not ColType.TEXT:
            raise ValueError(f"column {self.key}: only a text column has a pattern")
        if (self.type is ColType.REF) != (self.ref is not None):
            raise ValueError(f"column {self.key}: a ref column needs a ref target, and only it")

    def label(self, lang: Lang | str) -> str:
        """The header label in this language."""
        return self.en if Lang(lang) is Lang.EN else self.zh

    def help(self, lang: Lang | str) -> str:
        """The help text in this language."""
        return self.help_en if Lang(lang) is Lang.EN else self.help_zh

    @property
    def col_width(self) -> float:
        """The width of the column in Excel character units."""
        return self.width if self.width is not None else DEFAULT_WIDTHS[self.type]


@dataclass(frozen=True)
class SheetDef:
    """One declared sheet: its names, columns, and the column that keys its records.

    ``responsible`` names the column that says who answers for a row (see ``owner_column``).
    """

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    primary_key: str | None = None
    help_zh: str = ""
    help_en: str = ""
    policy: tuple[str, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()  # (earlier, later) column pairs in each row
    workbook: str = field(default="", compare=False)
    # Who answers for a row: not part of the layout, so not in the fingerprint.
    responsible: str | None = field(default=None, metadata={"layout": False})

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"sheet {self.key}: duplicate column keys")
        for labels in ([c.zh for c in self.columns], [c.en for c in self.columns]):
            folded = [normalize_label(x) for x in labels]
            if len(folded) != len(set(folded)):
                raise ValueError(f"sheet {self.key}: two columns share a label")
        if self.primary_key is not None and self.primary_key not in keys:
            raise ValueError(f"sheet {self.key}: primary key {self.primary_key} is not a column")
        for pair in self.date_order:
            if not set(pair) <= set(keys):
                raise ValueError(f"sheet {self.key}: date order {pair} names unknown columns")
        if self.responsible is not None and (
            self.responsible not in keys
            or self.column(self.responsible).type not in (ColType.PERSON, ColType.REF)
        ):
            raise ValueError(f"sheet {self.key}: responsible names no person or ref column")

    def name(self, lang: Lang | str) -> str:
        """The sheet (tab) name in this language."""
        return self.en if Lang(lang) is Lang.EN else self.zh

    def help(self, lang: Lang | str) -> str:
        """What the sheet is for, in this language."""
        return self.help_en if Lang(lang) is Lang.EN else self.help_zh

    def column(self, key: str) -> Column:
        """The column with this key."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"sheet {self.key}: no column {key!r}")

    @property
    def owner_column(self) -> str | None:
        """The column naming who answers for a row: a person, or a reference to a record whose
        own sheet names one (a contact's customer → its account manager).

        Declared with ``responsible``; else the first required person column, else the first
        person column, else the first reference. None when the sheet has none of them.
        """
        if self.responsible is not None:
            return self.responsible
        people = [c for c in self.columns if c.type is ColType.PERSON]
        for c in [c for c in people if c.required] + people:
            return c.key
        return next((c.key for c in self.columns if c.type is ColType.REF), None)

    @property
    def table_name(self) -> str:
        """The Excel table (ListObject) name of this sheet's data."""
        return "tbl_" + self.key


@dataclass(frozen=True)
class WorkbookDef:
    """One declared workbook: a file staff edit, with its sheets."""

    key: str
    filename: str
    zh: str
    en: str
    editors_zh: str
    editors_en: str
    sheets: tuple[SheetDef, ...]
    help_zh: str = ""
    help_en: str = ""

    def __post_init__(self) -> None:
        for sheet in self.sheets:
            # A sheet belongs to exactly one declared workbook, the first that names it; a
            # composite workbook (mops.schemas.finance) gathers sheets of others, owning none.
            if not sheet.workbook:
                object.__setattr__(sheet, "workbook", self.key)

    def title(self, lang: Lang | str) -> str:
        """The workbook's title in this language."""
        return self.en if Lang(lang) is Lang.EN else self.zh

    def holds(self, sheet: SheetDef) -> bool:
        """Whether this workbook has this sheet (its own, or gathered from another)."""
        return any(s.key == sheet.key for s in self.sheets)

    def sheet(self, key: str) -> SheetDef:
        """The sheet with this key."""
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(f"workbook {self.key}: no sheet {key!r}")

    def enums(self) -> list[EnumDef]:
        """Every enum used by this workbook, each once, in first-use order."""
        seen: dict[str, EnumDef] = {}
        for s in self.sheets:
            for c in s.columns:
                if c.enum is not None:
                    seen.setdefault(c.enum.key, c.enum)
        return list(seen.values())


def _jsonable(obj: object) -> object:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


def _layout(sheet: dict) -> dict:
    """A sheet's declaration without what is not its layout (fields marked ``layout=False``)."""
    skip = {f.name for f in fields(SheetDef) if f.metadata.get("layout") is False}
    return {k: v for k, v in sheet.items() if k not in skip}


def fingerprint(workbook: WorkbookDef) -> str:
    """A short hash of everything declared about a workbook; it changes when the layout does."""
    declared = asdict(workbook)
    declared["sheets"] = [_layout(s) for s in declared["sheets"]]
    text = json.dumps(_jsonable(declared), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def col(
    key: str,
    zh: str,
    en: str,
    type: ColType,
    help: tuple[str, str] = ("", ""),
    **kwargs: object,
) -> Column:
    """Declare a column with its help text as a (zh-TW, English) pair."""
    return Column(key, zh, en, type, help_zh=help[0], help_en=help[1], **kwargs)  # type: ignore[arg-type]
