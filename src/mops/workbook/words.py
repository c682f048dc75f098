"""What a generated workbook tells people about a column: what goes in it, in their words.

The Guide sheet, the header comments and the tips and warnings of the cells all describe a
column from the same few pieces (what it refers to, its range, an example, its help, the policy
clause behind it), so each piece is written once, here.
"""

from __future__ import annotations

from decimal import Decimal

from mops.i18n import catalogue, text
from mops.schemas.clauses import clause
from mops.schemas.labels import BOOLEAN_LABELS, type_label
from mops.schemas.model import ColType, Column, Lang, Owner, WorkbookDef
from mops.schemas.registry import sheet as declared_sheet
from mops.schemas.registry import workbook as declared_workbook

NUMERIC = (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT)


def joined(items: list[str], lang: Lang) -> str:
    """A list as a person writes it: 甲、乙、丙 in Chinese, a, b, c in English."""
    return text("guide.separator", lang).join(items)


def _number(value: Decimal | int, column: Column) -> str:
    """A bound as people write it: ``30%`` for a percent (stored 0.3), ``1,000,000`` for money."""
    d = Decimal(value) * (100 if column.type is ColType.PERCENT else 1)
    shown = f"{d.normalize():,f}" if column.type is ColType.MONEY else f"{d.normalize():f}"
    return shown + ("%" if column.type is ColType.PERCENT else "")


def range_text(column: Column, lang: Lang) -> str:
    """The allowed range of a number (``1 至 12``, ``0% or more``), or ""."""
    lo, hi = column.minimum, column.maximum
    if lo is not None and hi is not None:
        return text("guide.range_between", lang, lo=_number(lo, column), hi=_number(hi, column))
    if lo is not None:
        return text("guide.range_min", lang, lo=_number(lo, column))
    if hi is not None:
        return text("guide.range_max", lang, hi=_number(hi, column))
    return ""


def number_message(column: Column, lang: Lang) -> str:
    """What to type in a number cell, range included: the message of its validation."""
    span = range_text(column, lang)
    kind = column.type.value
    return (
        text(f"guide.expect.{kind}", lang, range=span)
        if span
        else text(f"guide.expect_any.{kind}", lang)
    )


def in_running_text(label: str, lang: Lang) -> str:
    """A header label inside a sentence: "the customer ID", but "the KPI ID"."""
    if lang is Lang.EN and not label[1:2].isupper():
        return label[:1].lower() + label[1:]
    return label


def ref_target(column: Column, wb: WorkbookDef, lang: Lang) -> str:
    """Where a referenced ID comes from: 「客戶」工作表的客戶編號, or that of another file."""
    assert column.ref is not None
    sheet_key, _, column_key = column.ref.partition(".")
    target = declared_sheet(sheet_key)
    label = in_running_text(target.column(column_key).label(lang), lang)
    if wb.holds(target):
        return text("guide.ref_to", lang, sheet=target.name(lang), column=label)
    return text(
        "guide.ref_to_other",
        lang,
        file=declared_workbook(target.workbook).filename,
        sheet=target.name(lang),
        column=label,
    )


def clauses(column: Column, lang: Lang) -> str:
    """``政策條款：§5.2`` for a column a policy rule requires, else ""."""
    if not column.policy:
        return ""
    return text("guide.policy", lang) + joined([clause(r) for r in column.policy], lang)


def allowed(column: Column, wb: WorkbookDef, lang: Lang) -> str:
    """What may go in a column, for the Guide sheet and the cells' tips."""
    if column.enum is not None:
        return joined(column.enum.labels(lang), lang)
    if column.type is ColType.BOOLEAN:
        return joined(list(BOOLEAN_LABELS[lang]), lang)
    if column.type is ColType.REF:
        return ref_target(column, wb, lang)
    parts = []
    if column.type in NUMERIC:
        parts.append(range_text(column, lang))
    if column.max_length:
        parts.append(text("guide.max_chars", lang, n=column.max_length))
    example = f"guide.examples.{column.type.value}"
    if example in catalogue():
        parts.append(text(example, lang))
    return text("guide.part_separator", lang).join(p for p in parts if p)


def sentence(s: str, lang: Lang) -> str:
    """``s`` as a sentence of its own: capitalised and closed with a full stop."""
    if not s:
        return s
    if lang is Lang.EN:
        s = s[:1].upper() + s[1:]
        return s if s.endswith((".", "?", "!")) else s + "."
    return s if s.endswith(("。", "？", "！")) else s + "。"


def help_comment(column: Column, wb: WorkbookDef, lang: Lang) -> str:
    """The header comment: the column's name, its type, what goes in it, its help and clause."""
    lines = [column.label(lang), text("guide.type_line", lang, type=type_label(column.type, lang))]
    if column.owner is Owner.ODOO:
        lines.append(text("guide.odoo_owned", lang))
    elif column.required:
        lines.append(text("guide.required", lang))
    if column.enum is not None:
        lines.append(text("guide.choose", lang) + allowed(column, wb, lang))
    elif column.owner is not Owner.ODOO and column.type is not ColType.BOOLEAN:
        lines.append(sentence(allowed(column, wb, lang), lang))
    lines += [column.help(lang), clauses(column, lang)]
    return "\n".join(line for line in lines if line)


def tip(column: Column, wb: WorkbookDef, lang: Lang) -> str:
    """The tip a cell shows when selected, where the rule is not obvious from the column; or ""

    Not obvious: an ID from another sheet, a name from the roster, a number with a range, a
    column with its own help, a grey column mops fills from Odoo.
    """
    if column.owner is Owner.ODOO:
        return text("guide.odoo_owned", lang)
    parts = []
    if column.type in (ColType.REF, ColType.PERSON) or (
        column.type in NUMERIC and (column.minimum is not None or column.maximum is not None)
    ):
        parts.append(sentence(allowed(column, wb, lang), lang))
    if column.help(lang):
        parts.append(column.help(lang))
    if not parts:
        return ""
    return "\n".join(p for p in [*parts, clauses(column, lang)] if p)
