"""The cell pass: type every declared column, vectorised, and report what cannot be read.

Each column goes through a fast path (one polars expression over the whole column: a cast, a
date parse, a dictionary lookup, a regular expression). Only the cells the fast path could not
read, usually a handful, go through the lenient parser ``mops.parsing.parse_cell``,
once per distinct value; it reads Minguo dates, NT$ amounts, full-width digits and the like,
and says what it assumed or what is wrong. This keeps 100,000-row sheets close to the speed of
the raw parse while accepting what people really type.

Ids, references and names (key columns: references, people, and unique text such as a primary
key or the roster's names) are read in their normal form (``mops.parsing.keys.normal_text``): a
reference typed full-width (``ＣＵ０００９``) or a name with an invisible zero-width space after it
reads as ``CU0009`` or the plain name, with an ``assumed`` info saying what was dropped, so every
rule compares clean values (``mops.parsing.keys.normal_key``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import tzinfo

import polars as pl

from mops.i18n import both
from mops.parsing import Assumption, Parsed, parse_cell
from mops.parsing.keys import (
    DASHES,
    INVISIBLE,
    MAY_NEED_NORMAL,
    SPACES,
    normal_key_expr,
    normal_text,
)
from mops.parsing.spec import spec_for
from mops.records import ROW, Finding, Severity, SheetFrame, column_index, show
from mops.schemas.labels import BOOLEAN_LABELS
from mops.schemas.model import ColType, Column, Owner
from mops.validation.context import TypedSheet
from mops.validation.registry import (
    ASSUMED,
    DUPLICATE,
    FORMAT,
    FORMULA,
    MISSING_COLUMN,
    RANGE,
    REQUIRED,
    RULES,
    rule_for_problem,
)

DECIMAL = pl.Decimal(38, 10)
DTYPES: dict[ColType, pl.DataType] = {
    ColType.INTEGER: pl.Int64,
    ColType.NUMBER: DECIMAL,
    ColType.MONEY: DECIMAL,
    ColType.PERCENT: DECIMAL,
    ColType.DATE: pl.Date,
    ColType.DATETIME: pl.Datetime("us"),
    ColType.BOOLEAN: pl.Boolean,
}
EXCEL_DATETIME = "%Y-%m-%d %H:%M:%S"  # how fastexcel renders a date cell as text
# The fast paths accept only plainly valid values (a strict subset of what the lenient parser
# accepts, tests/validation/test_cells.py checks it); anything else goes to the parser.
EMAIL_RE = (
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}$"
)
PHONE_RE = (
    r"^(?:02-\d{4}-\d{4}|0[3-8]-\d{3,4}-\d{4}|0[3-8]\d-\d{3}-\d{4}"
    r"|09\d{2}-\d{3}-\d{3}|0[29]\d{8})$"
)
BOOLEAN_FAST = {
    **{
        label: flag
        for labels in BOOLEAN_LABELS.values()
        for label, flag in zip(labels, (True, False), strict=True)
    },
    "true": True,
    "false": False,
    "TRUE": True,
    "FALSE": False,
}

Emit = Callable[[Finding], None]
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_ODD_SPACE_RE = re.compile(f"[{SPACES.replace(' ', '')}]|  ")
_DASH_RE = re.compile(f"[{DASHES}]")


def is_key(column: Column) -> bool:
    """Whether a column holds ids, references or names, read and compared in normal form."""
    return column.type in (ColType.REF, ColType.PERSON) or (
        column.type is ColType.TEXT and column.unique
    )


def _fast(column: Column, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(typed value, readable) expressions for the fast path of one column."""
    value, ok = _fast_value(column, raw)
    if is_key(column):
        # Values that may differ from their normal form (a few) go to the slow path.
        ok = ok & ~raw.str.contains(MAY_NEED_NORMAL)
    return value, ok


def _fast_value(column: Column, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    text = raw  # the reader has stripped every cell already
    t = column.type
    if t is ColType.INTEGER:
        value = text.cast(pl.Int64, strict=False)
        return value, value.is_not_null()
    if t in (ColType.NUMBER, ColType.MONEY, ColType.PERCENT):
        # Only plain numbers (what a number cell renders to) are fast; "30%" or "NT$1,200" are
        # text a person typed and go to the lenient parser, which says what it assumed.
        plain = text.str.contains(r"^-?\d+(?:\.\d{1,10})?$")
        value = pl.when(plain).then(text).cast(DECIMAL, strict=False)
        if t is ColType.PERCENT:
            # A number the parser keeps as a fraction (0.3 from a % cell; up to 10 in a column
            # without a maximum) is fast; one it reads as percent points (a bare 30 meaning
            # 30 %) goes to the parser, which says so.
            spec = spec_for(column)
            fraction = value.is_between(spec.frac_lo, spec.frac_hi) & (value.abs() != 10)
            return value, value.is_not_null() & fraction
        return value, value.is_not_null()
    if t in (ColType.DATE, ColType.DATETIME):
        stamp = text.str.to_datetime(EXCEL_DATETIME, strict=False, time_unit="us")
        if t is ColType.DATETIME:
            return stamp, stamp.is_not_null()
        midnight = stamp.dt.time() == pl.time(0, 0, 0)
        return stamp.dt.date(), stamp.is_not_null() & midnight
    if t is ColType.ENUM:
        assert column.enum is not None
        table = {}
        for o in column.enum.options:
            for spelling in (o.key, o.zh, o.en):
                table.setdefault(spelling, o.key)
        value = text.replace_strict(table, default=None, return_dtype=pl.String)
        return value, value.is_not_null()
    if t is ColType.BOOLEAN:
        value = text.replace_strict(BOOLEAN_FAST, default=None, return_dtype=pl.Boolean)
        return value, value.is_not_null()
    if t is ColType.EMAIL:
        return text, text.str.contains(EMAIL_RE)
    if t is ColType.PHONE:
        return text, text.str.contains(PHONE_RE)
    if t is ColType.TEXT and column.max_length:
        return text, text.str.len_chars() <= column.max_length
    # Text, person and reference columns: a value is a value; rules check the rest.
    return text, pl.lit(True)


def _finding(
    source: SheetFrame,
    column: Column,
    row: int,
    rule_id: str,
    severity: Severity,
    value: object,
    zh: str,
    en: str,
) -> Finding:
    return Finding(
        rule_id=rule_id,
        severity=severity,
        file=str(source.path),
        sheet=source.definition.key,
        tab=source.tab,
        row=row,
        column=column.key,
        cell=source.cell(column.key, row),
        label=source.labels.get(column.key, column.key),
        value=value,
        message_zh=zh,
        message_en=en,
    )


def _msg(code: str, **params: object) -> tuple[str, str]:
    shown = {k: show(v) for k, v in params.items()}
    return both(f"cells.{code}", **shown)


def type_sheet(
    source: SheetFrame,
    enabled: Callable[[str], bool],
    severity: Callable[[str], Severity],
    emit: Emit,
    known: Callable[[str], bool] = lambda rule_id: False,
    *,
    tz: tzinfo | None = None,
) -> TypedSheet:
    """Type every column of a sheet as declared, emitting field findings as it goes.

    ``known`` tells whether a rule id is registered, so a column's policy rule can take over
    its required check. ``tz`` is the firm's time zone: a date-time that carries a zone is
    read as the firm's wall time.
    """
    sheet = source.definition
    raw = source.frame
    present = [c for c in sheet.columns if c.key in raw.columns]
    if enabled(MISSING_COLUMN.id):
        for column in sheet.columns:
            if column.key in source.missing_columns and column.owner is Owner.WORKBOOK:
                # A missing required column makes the sheet unreadable as declared (an error);
                # a missing optional one is worth a warning.
                level = severity(MISSING_COLUMN.id) if column.required else Severity.WARNING
                zh, _ = _msg("missing_column", label=column.label("zh-TW"))
                _, en = _msg("missing_column", label=column.label("en"))
                emit(
                    Finding(
                        MISSING_COLUMN.id, level, str(source.path), sheet.key, source.tab,
                        source.header_row, column.key, None, column.label("zh-TW"), None, zh, en,
                    )
                )  # fmt: skip
    exprs = []
    checks = []
    for column in present:
        value, ok = _fast(column, pl.col(column.key))
        blank = pl.col(column.key).fill_null("").str.len_bytes() == 0
        exprs.append(value.alias(column.key))
        checks.append((~blank & ~ok.fill_null(False)).alias(f"_slow_{column.key}"))
        if column.required:  # blank cells matter where a value is required
            checks.append(blank.alias(f"_blank_{column.key}"))
    typed = raw.select([*exprs, pl.col(ROW)])
    flags = raw.select(checks)
    rows = raw.get_column(ROW)
    replacements: dict[str, pl.Series] = {}
    formula_rows = _formula_rows(source)
    for column in present:
        key = column.key
        blank_rows = []
        if column.required:
            blank_rows = rows.filter(flags.get_column(f"_blank_{key}")).to_list()
        slow = flags.get_column(f"_slow_{key}")
        if slow.any():
            idx = slow.arg_true()
            fixed, blank = _read_slow(source, column, idx, enabled, severity, emit, tz)
            blank_rows = sorted(blank_rows + blank)
            series = typed.get_column(key)
            # Only the few slow cells are replaced; the column stays a typed polars column.
            replacements[key] = series.scatter(
                idx, pl.Series(fixed, dtype=series.dtype, strict=False)
            )
        if column.required:
            _check_required(
                source, column, blank_rows, formula_rows, enabled, severity, emit, known
            )
    if replacements:
        typed = typed.with_columns(list(replacements.values()))
    _report_merged(source, typed, enabled, severity, emit)
    _check_formulas(source, enabled, severity, emit)
    _check_patterns(source, typed, present, enabled, severity, emit)
    _check_ranges(source, typed, present, flags, enabled, severity, emit)
    _check_unique(source, typed, present, enabled, severity, emit)
    return TypedSheet(source=source, frame=typed)


def _read_slow(
    source: SheetFrame,
    column: Column,
    idx: pl.Series,
    enabled: Callable[[str], bool],
    severity: Callable[[str], Severity],
    emit: Emit,
    tz: tzinfo | None,
) -> tuple[list[object], list[int]]:
    """Read the cells the fast path could not, once per distinct value, and report them.

    Returns the typed values (in the order of ``idx``) and the rows whose cell holds nothing
    but invisible characters (blank to the eye).
    """
    rows = source.frame.get_column(ROW).gather(idx).to_list()
    raw_values = source.frame.get_column(column.key).gather(idx).to_list()
    read = _read_key if is_key(column) else parse_cell
    cache: dict[object, Parsed] = {}
    fixed: list[object] = []
    blank: list[int] = []
    for row, cell in zip(rows, raw_values, strict=True):
        parsed = cache.get(cell)
        if parsed is None:
            parsed = cache[cell] = read(column, cell, tz=tz)
        fixed.append(parsed.value)
        if parsed.problem is not None:
            rule_id = rule_for_problem(parsed.problem.code)
            if enabled(rule_id):
                emit(
                    _finding(
                        source, column, row, rule_id, severity(rule_id), cell,
                        parsed.problem.message("zh-TW"), parsed.problem.message("en"),
                    )
                )  # fmt: skip
        elif parsed.assumed is not None:
            if enabled(ASSUMED.id):
                emit(
                    _finding(
                        source, column, row, ASSUMED.id, severity(ASSUMED.id), cell,
                        parsed.assumed.message("zh-TW"), parsed.assumed.message("en"),
                    )
                )  # fmt: skip
        elif parsed.value is None:
            blank.append(row)
    return fixed, blank


def _check_required(
    source: SheetFrame,
    column: Column,
    blank_rows: list[int],
    formula_rows: set[tuple[str, int]],
    enabled: Callable[[str], bool],
    severity: Callable[[str], Severity],
    emit: Emit,
    known: Callable[[str], bool],
) -> None:
    """Blank cells of a required column; one the policy itself requires under that rule's id."""
    required_by = next((r for r in column.policy if known(r)), REQUIRED.id)
    if not enabled(required_by):
        return
    label = source.labels.get(column.key, column.key)
    code = "required" if required_by == REQUIRED.id else "policy_required"
    clause = RULES[required_by].policy if required_by in RULES else ""
    zh, en = _msg(code, label=label, clause=clause or required_by)
    level = severity(required_by)
    for row in blank_rows:
        if (column.key, row) in formula_rows:
            continue  # reported as a formula without value instead
        emit(_finding(source, column, row, required_by, level, None, zh, en))


def _read_key(column: Column, cell: object, *, tz: tzinfo | None = None) -> Parsed:
    """An id, reference or name in its normal form, saying what was dropped to get there."""
    if not isinstance(cell, str):
        return parse_cell(column, cell, tz=tz)
    clean = normal_text(cell)
    parsed = parse_cell(column, clean, tz=tz)
    if clean == cell or parsed.value is None or not parsed.ok or parsed.assumed is not None:
        return parsed
    return Parsed(parsed.value, _key_assumption(cell, clean))


def _key_assumption(seen: str, clean: str) -> Assumption:
    """What reading ``seen`` as ``clean`` assumed, in words: full-width, invisible, spaces …"""
    how = []
    invisible = sorted({f"U+{ord(c):04X}" for c in _INVISIBLE_RE.findall(seen)})
    if invisible:
        how.append(both("reading.how_invisible", chars=" ".join(invisible)))
    bare = _ODD_SPACE_RE.sub("", _INVISIBLE_RE.sub("", seen)).replace(" ", "")
    if unicodedata.normalize("NFKC", bare) != bare:
        how.append(both("reading.how_fullwidth"))
    if _DASH_RE.search(unicodedata.normalize("NFKC", bare)):  # a full-width "－" is told above
        how.append(both("reading.how_dash"))
    if _ODD_SPACE_RE.search(seen):
        how.append(both("reading.how_spaces"))
    how_zh, how_en = "、".join(h[0] for h in how), ", ".join(h[1] for h in how)
    return Assumption(
        "key_cleaned", {"value": seen, "read": clean, "how_zh": how_zh, "how_en": how_en}
    )


def _report_merged(source: SheetFrame, typed: pl.DataFrame, enabled, severity, emit) -> None:
    """Cells the reader filled from a cell merged down over them: an assumption to tell."""
    if not source.merged_cells or not enabled(ASSUMED.id):
        return
    keys = [key for key, _ in source.merged_cells]
    found = typed.filter(pl.col(ROW).is_in([row for _, row in source.merged_cells]))
    for record in found.select(ROW, *dict.fromkeys(keys)).iter_rows(named=True):
        for key in dict.fromkeys(keys):
            where = source.merged_cells.get((key, record[ROW]))
            if where is None:
                continue
            value = record[key]
            zh, en = both("reading.merged", range=where, value=show(value))
            column = source.definition.column(key)
            emit(
                _finding(
                    source, column, record[ROW], ASSUMED.id, severity(ASSUMED.id), value, zh, en
                )
            )


def _formula_rows(source: SheetFrame) -> set[tuple[str, int]]:
    """(column key, row) of the declared cells holding a formula without a cached value."""
    by_index = {index: key for key, index in source.columns.items()}
    found = set()
    for address in source.formula_cells:
        letters = address.rstrip("0123456789")
        row = int(address[len(letters) :])
        key = by_index.get(column_index(letters))
        if key is not None and row > source.header_row:
            found.add((key, row))
    return found


def _check_formulas(source: SheetFrame, enabled, severity, emit) -> None:
    """Formula cells without a cached value read as blank: report them, not the blank."""
    if not enabled(FORMULA.id):
        return
    for key, row in sorted(_formula_rows(source)):
        address = source.cell(key, row)
        column = source.definition.column(key)
        label = source.labels.get(key, key)
        zh, en = _msg("formula", label=label, cell=address)
        emit(_finding(source, column, row, FORMULA.id, severity(FORMULA.id), None, zh, en))


def _check_patterns(source, typed, present, enabled, severity, emit) -> None:
    """Text columns with a declared pattern (a tax ID is eight digits …)."""
    if not enabled(FORMAT.id):
        return
    for column in present:
        if column.pattern is None:
            continue
        values = typed.get_column(column.key)
        bad = values.is_not_null() & ~values.str.contains(f"^(?:{column.pattern})$")
        label = source.labels.get(column.key, column.key)
        for value, row in zip(values.filter(bad), typed.get_column(ROW).filter(bad), strict=True):
            zh, _ = _msg("format", label=label, value=value, hint=column.help_zh)
            _, en = _msg("format", label=label, value=value, hint=column.help_en)
            emit(_finding(source, column, row, FORMAT.id, severity(FORMAT.id), value, zh, en))


def _check_ranges(source, typed, present, flags, enabled, severity, emit) -> None:
    """Declared minimum/maximum of numbers and dates, on cells the fast path read."""
    if not enabled(RANGE.id):
        return
    for column in present:
        if column.minimum is None and column.maximum is None:
            continue
        if column.type not in DTYPES or column.type is ColType.BOOLEAN:
            continue
        fast_ok = ~flags.get_column(f"_slow_{column.key}")
        for bound, code, op in (
            (column.minimum, "below", "lt"),
            (column.maximum, "above", "gt"),
        ):
            if bound is None:
                continue
            values = typed.get_column(column.key)
            bad = getattr(values, op)(bound).fill_null(False) & fast_ok
            for value, row in zip(
                values.filter(bad), typed.get_column(ROW).filter(bad), strict=True
            ):
                label = source.labels.get(column.key, column.key)
                zh, en = _msg(code, label=label, value=value, bound=bound)
                emit(_finding(source, column, row, RANGE.id, severity(RANGE.id), value, zh, en))


def _check_unique(source, typed, present, enabled, severity, emit) -> None:
    """Declared unique columns: every repeat after the first occurrence is a finding."""
    if not enabled(DUPLICATE.id):
        return
    for column in present:
        if not column.unique:
            continue
        values = typed.select(pl.col(column.key), pl.col(ROW)).filter(
            pl.col(column.key).is_not_null()
        )
        if column.type in (ColType.TEXT, ColType.EMAIL):
            # "CU0001", "cu 0001" and "ＣＵ０００１" are the same key to a person; key columns
            # are in normal form already (see _read_key).
            values = values.with_columns(
                normal_key_expr(pl.col(column.key), normalised=is_key(column)).alias("_k")
            )
        else:
            values = values.with_columns(pl.col(column.key).alias("_k"))
        dup = values.filter(pl.col("_k").is_duplicated())
        if dup.is_empty():
            continue
        first = dup.group_by("_k").agg(pl.col(ROW).min().alias("_first"))
        later = dup.join(first, on="_k").filter(pl.col(ROW) != pl.col("_first"))
        label = source.labels.get(column.key, column.key)
        for value, row, first_row in later.select(column.key, ROW, "_first").iter_rows():
            zh, en = _msg("duplicate", label=label, value=value, first=first_row)
            emit(_finding(source, column, row, DUPLICATE.id, severity(DUPLICATE.id), value, zh, en))
