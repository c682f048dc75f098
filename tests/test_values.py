"""Tests for mops.parsing: one raw cell value read as its column's type."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from mops.i18n import table
from mops.parsing import (
    DEFAULT_TZ,
    Assumption,
    Parsed,
    Problem,
    is_blank,
    parse_cell,
    parser_for,
)
from mops.schemas.model import ColType, Column, Lang, enum

STATUS = enum(
    "status",
    "狀態",
    "Status",
    ("open", "進行中", "In progress"),
    ("done", "已完成", "Done"),
    ("on_hold", "暫停", "On hold"),
)

PARSE_MESSAGES = table("parse")


def col(ctype: ColType, **kw: object) -> Column:
    """A column of this type with the extras an ENUM or REF column needs."""
    if ctype is ColType.ENUM:
        kw.setdefault("enum", STATUS)
    if ctype is ColType.REF:
        kw.setdefault("ref", "clients.code")
    return Column("c", "欄位", "Field", ctype, **kw)


TEXT = col(ColType.TEXT)
INTEGER = col(ColType.INTEGER)
NUMBER = col(ColType.NUMBER)
MONEY = col(ColType.MONEY)
PERCENT = col(ColType.PERCENT)
DATE = col(ColType.DATE)
DATETIME = col(ColType.DATETIME)
ENUM = col(ColType.ENUM)
BOOLEAN = col(ColType.BOOLEAN)
EMAIL = col(ColType.EMAIL)
PHONE = col(ColType.PHONE)
PERSON = col(ColType.PERSON)
REF = col(ColType.REF)
ALL_COLUMNS = [
    TEXT,
    INTEGER,
    NUMBER,
    MONEY,
    PERCENT,
    DATE,
    DATETIME,
    ENUM,
    BOOLEAN,
    EMAIL,
    PHONE,
    PERSON,
    REF,
]

CJK = re.compile(r"[\u4e00-\u9fff]")


def ok(column: Column, raw: object, value: object, assumed: str | None = None) -> Parsed:
    """Parse and check the value, its type and the assumption code; return the result."""
    p = parse_cell(column, raw)
    assert p.problem is None, p.problem and p.problem.message(Lang.EN)
    assert p.value == value
    assert type(p.value) is type(value)
    assert (p.assumed.code if p.assumed else None) == assumed
    if p.assumed is not None:
        seen = p.assumed.params["value"]
        assert seen in p.assumed.message()
        assert seen in p.assumed.message(Lang.EN)
    return p


def bad(column: Column, raw: object, code: str, seen: str | None = None) -> Problem:
    """Parse, check the problem code and seen value and that both messages name it."""
    p = parse_cell(column, raw)
    assert p.problem is not None, f"{raw!r} read as {p.value!r}"
    assert p.problem.code == code
    expected = seen if seen is not None else str(raw).strip()
    assert p.problem.params["value"] == expected
    zh, en = p.problem.message(), p.problem.message(Lang.EN)
    assert expected in zh
    assert expected in en
    assert CJK.search(zh)
    assert zh != en
    return p.problem


# --------------------------------------------------------------------------- blanks


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u3000 \t\n", "\u200b", "\ufeff "])
@pytest.mark.parametrize("column", ALL_COLUMNS, ids=lambda c: c.type.value)
def test_blank_is_none_without_problem(column: Column, raw: object) -> None:
    p = parse_cell(column, raw)
    assert p == Parsed(None)
    assert p.ok


@pytest.mark.parametrize(
    ("raw", "blank"),
    [
        (None, True),
        ("", True),
        ("  ", True),
        ("\u3000", True),
        ("\u200b", True),
        ("-", False),  # a dash means something to the person; validation decides
        ("0", False),
        (0, False),
        (0.0, False),
        (False, False),
        ("N/A", False),
    ],
)
def test_is_blank(raw: object, blank: bool) -> None:
    assert is_blank(raw) is blank


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "assumed"),
    [
        (dt.date(2026, 11, 26), None),  # calamine
        (dt.datetime(2026, 11, 26), None),  # openpyxl: midnight for a date-only cell
        (46352, "excel_serial"),
        (46352.0, "excel_serial"),
        ("46352", "excel_serial"),
        ("2026/11/26", "text_date"),
        ("2026-11-26", "text_date"),
        ("2026.11.26", "text_date"),
        ("20261126", "text_date"),
        (20261126.0, "text_date"),
        ("  2026/11/26  ", "text_date"),
        ("115/11/26", "minguo_date"),
        ("115-11-26", "minguo_date"),
        ("115.11.26", "minguo_date"),
        ("1151126", "minguo_date"),
        (1151126.0, "minguo_date"),
        ("民國115年11月26日", "minguo_date"),
        ("中華民國115年11月26日", "minguo_date"),
        ("民國 115 年 11 月 26 日", "minguo_date"),
        ("115年11月26日", "minguo_date"),
        ("2026年11月26日", "text_date"),
        ("西元2026年11月26日", "text_date"),
        ("２０２６／１１／２６", "fullwidth_digits"),
        ("１１５／１１／２６", "minguo_date"),
        ("2026/11/26(四)", "text_date"),
        ("2026/11/26（星期四）", "text_date"),
        ("2026/11/26 週四", "text_date"),
        ("26/11/2026", "year_last_date"),
        ("11/26/2026", "year_last_date"),
        ("Nov 26, 2026", "text_date"),
        ("26 Nov 2026", "text_date"),
        ("26-Nov-2026", "text_date"),
    ],
)
def test_date_forms(raw: object, assumed: str | None) -> None:
    ok(DATE, raw, dt.date(2026, 11, 26), assumed)


def test_date_serial_1900_system() -> None:
    ok(DATE, 45658, dt.date(2025, 1, 1), "excel_serial")
    ok(DATE, 7306, dt.date(1920, 1, 1), "excel_serial")


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2026, 11, 26, 14, 30),
        "2026-11-26 14:30",
        "2026/11/26 下午2:30",
        "115/11/26 14:30:00",
    ],
)
def test_date_with_time_keeps_the_date(raw: object) -> None:
    ok(DATE, raw, dt.date(2026, 11, 26), "time_dropped")


def test_date_serial_with_fraction_is_its_day() -> None:
    ok(DATE, 46352.75, dt.date(2026, 11, 26), "excel_serial")


def test_date_reader_float_noise_rounds_to_the_next_day() -> None:
    ok(DATE, dt.datetime(2026, 11, 26, 23, 59, 59, 999000), dt.date(2026, 11, 27))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2026-02-30", "not_a_date"),
        ("2026/13/01", "not_a_date"),
        ("115/02/30", "not_a_date"),
        ("民國115年2月30日", "not_a_date"),
        ("abc", "not_a_date"),
        ("2026", "not_a_date"),
        (2026, "not_a_date"),  # a year, not the serial for 1905-07-18
        (True, "not_a_date"),
        ("11/26", "date_without_year"),
        ("11-26", "date_without_year"),
        ("11月26日", "date_without_year"),
        ("03/04/2026", "ambiguous_date"),
        ("26/11/26", "ambiguous_date"),
        ("99年11月26日", "ambiguous_date"),
        ("2026/11/26(五)", "weekday_mismatch"),
        ("14:30:00", "not_a_date"),
        ("2026-11-26 25:00", "not_a_date"),
    ],
)
def test_date_problems(raw: object, code: str) -> None:
    seen = "TRUE" if raw is True else None
    bad(DATE, raw, code, seen)


def test_date_problem_value_is_none() -> None:
    assert parse_cell(DATE, "2026-02-30").value is None


def test_date_problem_message_matches_the_brief() -> None:
    problem = parse_cell(DATE, "2026/13/01").problem
    assert problem is not None
    assert (
        problem.message() == "無法辨識日期「2026/13/01」，請以 2026-11-26 或 115/11/26 的格式輸入。"
    )
    assert "2026-11-26" in problem.message(Lang.EN)


def test_date_time_value_is_not_a_date() -> None:
    bad(DATE, dt.time(14, 30), "not_a_date", "14:30")


def test_two_digit_minguo_year_with_prefix() -> None:
    ok(DATE, "民國99年11月26日", dt.date(2010, 11, 26), "minguo_date")


def test_weekday_mismatch_names_the_real_weekday() -> None:
    problem = bad(DATE, "2026/11/26(五)", "weekday_mismatch")
    assert "星期四" in problem.message()
    assert "Thursday" in problem.message(Lang.EN)


# --------------------------------------------------------------------------- date-times

AT = dt.datetime(2026, 11, 26, 14, 30)


@pytest.mark.parametrize(
    ("raw", "assumed"),
    [
        (AT, None),
        (46352 + 14.5 / 24, "excel_serial"),
        ("2026-11-26 14:30", "text_date"),
        ("2026-11-26 14:30:00", "text_date"),
        ("2026-11-26T14:30:00", "text_date"),
        ("2026/11/26 下午2:30", "text_date"),
        ("2026/11/26下午2:30", "text_date"),
        ("2026/11/26 下午2點30分", "text_date"),
        ("2026/11/26 下午2點半", "text_date"),
        ("2026/11/26 2:30 PM", "text_date"),
        ("2026/11/26 2:30 p.m.", "text_date"),
        ("115/11/26 14:30", "minguo_date"),
        ("民國115年11月26日 下午2:30", "minguo_date"),
        ("２０２６／１１／２６　１４：３０", "fullwidth_digits"),
    ],
)
def test_datetime_forms(raw: object, assumed: str | None) -> None:
    ok(DATETIME, raw, AT, assumed)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026/11/26 上午12:05", dt.datetime(2026, 11, 26, 0, 5)),
        ("2026/11/26 下午12:05", dt.datetime(2026, 11, 26, 12, 5)),
        ("2026/11/26 中午12點", dt.datetime(2026, 11, 26, 12, 0)),
        ("2026/11/26 上午9:00", dt.datetime(2026, 11, 26, 9, 0)),
        ("2026/11/26 晚上8點", dt.datetime(2026, 11, 26, 20, 0)),
    ],
)
def test_am_pm_markers(raw: str, expected: dt.datetime) -> None:
    ok(DATETIME, raw, expected, "text_date")


def test_datetime_from_a_date_is_midnight() -> None:
    ok(DATETIME, dt.date(2026, 11, 26), dt.datetime(2026, 11, 26))
    ok(DATETIME, "2026-11-26", dt.datetime(2026, 11, 26), "text_date")


def test_datetime_reader_milliseconds_round_to_the_second() -> None:
    ok(DATETIME, dt.datetime(2026, 11, 26, 14, 29, 59, 999000), AT)


def test_datetime_aware_becomes_naive() -> None:
    aware = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)
    p = parse_cell(DATETIME, aware)
    assert isinstance(p.value, dt.datetime)
    assert p.value.tzinfo is None


NEW_YORK = ZoneInfo("America/New_York")
ONE_AM_UTC = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC)


class Stamp(dt.datetime):
    """A datetime subclass, as pandas or another reader might hand back."""


def test_aware_datetime_reads_as_the_firms_wall_time() -> None:
    assert DEFAULT_TZ.key == "Asia/Taipei"
    ok(DATETIME, ONE_AM_UTC, dt.datetime(2026, 11, 26, 9, 0))
    assert parse_cell(DATETIME, ONE_AM_UTC, tz=NEW_YORK).value == dt.datetime(2026, 11, 25, 20, 0)
    assert parser_for(DATETIME, tz=NEW_YORK)(ONE_AM_UTC).value == dt.datetime(2026, 11, 25, 20, 0)
    assert parser_for(DATETIME)(ONE_AM_UTC).value == dt.datetime(2026, 11, 26, 9, 0)
    # a DATE column keeps the day of that wall time
    assert parse_cell(DATE, ONE_AM_UTC).value == dt.date(2026, 11, 26)
    assert parse_cell(DATE, ONE_AM_UTC, tz=NEW_YORK).value == dt.date(2026, 11, 25)
    # so does a datetime of an odd type, which is first made plain
    stamp = Stamp(2026, 11, 26, 1, 0, tzinfo=dt.UTC)
    assert parse_cell(DATETIME, stamp).value == dt.datetime(2026, 11, 26, 9, 0)
    assert parse_cell(DATETIME, stamp, tz=NEW_YORK).value == dt.datetime(2026, 11, 25, 20, 0)


def test_a_zone_is_only_about_aware_values() -> None:
    naive = dt.datetime(2026, 11, 26, 14, 30)
    assert parse_cell(DATETIME, naive, tz=NEW_YORK).value == naive
    assert parse_cell(DATETIME, "2026-11-26 14:30", tz=NEW_YORK).value == naive
    bounded = col(ColType.DATETIME, maximum="2026-11-26")
    assert parse_cell(bounded, ONE_AM_UTC).ok
    assert parse_cell(bounded, dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC)).problem.code == (
        "above_maximum"  # 2026-11-27 07:00 in Taipei
    )
    assert parse_cell(bounded, dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC), tz=NEW_YORK).ok


_ZONE_SCRIPT = """
import datetime as dt
from zoneinfo import ZoneInfo
from mops.parsing import parse_cell
from mops.schemas.model import ColType, Column
column = Column("c", "欄位", "Field", ColType.DATETIME)
aware = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC)
print(parse_cell(column, aware).value.isoformat())
print(parse_cell(column, aware, tz=ZoneInfo("Europe/Berlin")).value.isoformat())
print(dt.datetime.fromtimestamp(0).hour)
"""


@pytest.mark.parametrize("machine_tz", ["America/New_York", "UTC"])
def test_the_machines_time_zone_does_not_matter(machine_tz: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _ZONE_SCRIPT],
        env={**os.environ, "TZ": machine_tz},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    local_hour = {"America/New_York": "19", "UTC": "0"}[machine_tz]
    assert out == ["2026-11-26T09:00:00", "2026-11-26T02:00:00", local_hour]


@pytest.mark.parametrize(
    ("raw", "code", "seen"),
    [
        ("14:30:00", "time_without_date", "14:30:00"),
        (dt.time(14, 30), "time_without_date", "14:30"),
        ("2026/11/26 上午14:30", "not_a_datetime", None),
        ("2026-11-26 14:75", "not_a_datetime", None),
        ("tomorrow", "not_a_datetime", None),
        ("11/26 14:30", "date_without_year", None),
    ],
)
def test_datetime_problems(raw: object, code: str, seen: str | None) -> None:
    bad(DATETIME, raw, code, seen)


# --------------------------------------------------------------------------- date bounds


def test_date_bounds_from_iso_text() -> None:
    column = col(ColType.DATE, minimum="2026-01-01", maximum="2026-12-31")
    ok(column, dt.date(2026, 6, 1), dt.date(2026, 6, 1))
    p = parse_cell(column, dt.date(2025, 12, 31))
    assert p.value == dt.date(2025, 12, 31)  # a bound problem keeps the typed value
    assert p.problem is not None and p.problem.code == "below_minimum"
    assert "2026-01-01" in p.problem.message()
    p = parse_cell(column, "116/01/01")
    assert p.problem is not None and p.problem.code == "above_maximum"
    assert p.problem.params == {"value": "116/01/01", "maximum": "2026-12-31"}
    assert "116/01/01" in p.problem.message() and "2026-12-31" in p.problem.message(Lang.EN)


def test_datetime_date_only_maximum_includes_the_whole_day() -> None:
    column = col(ColType.DATETIME, maximum="2026-11-26")
    ok(column, AT, AT)
    p = parse_cell(column, dt.datetime(2026, 11, 27, 0, 0))
    assert p.problem is not None and p.problem.code == "above_maximum"


# --------------------------------------------------------------------------- numbers and money


@pytest.mark.parametrize("column", [NUMBER, MONEY], ids=["number", "money"])
@pytest.mark.parametrize(
    ("raw", "value", "assumed"),
    [
        (1234567.0, "1234567", None),
        (1234567, "1234567", None),
        ("1,234,567", "1234567", "number_from_text"),
        ("1234567", "1234567", "number_from_text"),
        ("１，２３４", "1234", "fullwidth_digits"),
        ("１２３４．５", "1234.5", "fullwidth_digits"),
        ("NT$ 1,200", "1200", "currency_mark_removed"),
        ("NT＄1200", "1200", "currency_mark_removed"),
        ("$1,200", "1200", "currency_mark_removed"),
        ("1200元", "1200", "currency_mark_removed"),
        ("1,200元整", "1200", "currency_mark_removed"),
        ("TWD 1200", "1200", "currency_mark_removed"),
        ("NTD1200", "1200", "currency_mark_removed"),
        ("新台幣1,200元", "1200", "currency_mark_removed"),
        ("新臺幣 1,200 元", "1200", "currency_mark_removed"),
        ("-1,200", "-1200", "number_from_text"),
        ("−1,200", "-1200", "number_from_text"),
        ("(1,200)", "-1200", "parentheses_negative"),
        ("（1,200）", "-1200", "parentheses_negative"),
        ("-NT$1,200", "-1200", "currency_mark_removed"),
        ("NT$-1,200", "-1200", "currency_mark_removed"),
        ("(NT$1,200)", "-1200", "currency_mark_removed"),
        (" 1 200 ", "1200", "number_from_text"),
        ("1,234.56", "1234.56", "number_from_text"),
        (".5", "0.5", "number_from_text"),
        ("3萬", "30000", "chinese_magnitude"),
        ("1.2萬元", "12000", "chinese_magnitude"),
        ("2億", "200000000", "chinese_magnitude"),
    ],
)
def test_number_forms(column: Column, raw: object, value: str, assumed: str | None) -> None:
    ok(column, raw, Decimal(value), assumed)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (1234.5, "1234.5"),
        (0.1 + 0.2, "0.3"),  # formula noise: Excel keeps and shows 15 significant digits
        (1234.56, "1234.56"),
        (27.0, "27"),
        (-0.07, "-0.07"),
        (12345678.9, "12345678.9"),
        (Decimal("1234.50"), "1234.50"),
        ("1234.50", "1234.50"),
    ],
)
def test_decimal_is_exact(raw: object, text: str) -> None:
    p = parse_cell(MONEY, raw)
    assert type(p.value) is Decimal
    assert str(p.value) == text


def test_money_is_never_rounded() -> None:
    assert parse_cell(MONEY, 0.125).value == Decimal("0.125")
    assert parse_cell(MONEY, "1,999.999").value == Decimal("1999.999")


@pytest.mark.parametrize(
    ("column", "raw", "code", "seen"),
    [
        (MONEY, "abc", "not_a_number", None),
        (MONEY, "1,2345", "not_a_number", None),  # commas must group by three
        (MONEY, "1.234,5", "not_a_number", None),
        (MONEY, "--5", "not_a_number", None),
        (MONEY, "(-5)", "not_a_number", None),
        (MONEY, "NT$", "not_a_number", None),
        (MONEY, "30%", "not_a_number", None),
        (MONEY, "US$100", "foreign_currency", None),
        (MONEY, "USD 100", "foreign_currency", None),
        (MONEY, "100美金", "foreign_currency", None),
        (MONEY, "¥5000", "foreign_currency", None),
        (MONEY, "人民幣100", "foreign_currency", None),
        (NUMBER, True, "not_a_number", "TRUE"),
        (NUMBER, dt.date(2026, 1, 2), "not_a_number", "2026-01-02"),
        (NUMBER, float("nan"), "not_a_number", "nan"),
        (MONEY, dt.time(1, 30), "not_a_number", "01:30"),
    ],
)
def test_number_problems(column: Column, raw: object, code: str, seen: str | None) -> None:
    bad(column, raw, code, seen)


def test_number_problem_message_names_value() -> None:
    problem = bad(NUMBER, "abc", "not_a_number")
    assert problem.message() == "無法將「abc」讀為數字，請只輸入數字，例如 1234.5 或 -1,200。"


@pytest.mark.parametrize(
    ("raw", "hours"),
    [(dt.time(1, 30), "1.5"), (dt.timedelta(hours=36), "36"), (dt.time(1, 20), "1.3333")],
)
def test_duration_in_number_column_is_hours(raw: object, hours: str) -> None:
    ok(NUMBER, raw, Decimal(hours), "duration_as_hours")


# --------------------------------------------------------------------------- integers


@pytest.mark.parametrize(
    ("raw", "value", "assumed"),
    [
        (27.0, 27, None),  # calamine gives integers as float
        (27, 27, None),  # openpyxl gives int
        (Decimal("27"), 27, None),
        ("27", 27, "number_from_text"),
        ("1,234", 1234, "number_from_text"),
        ("１２", 12, "fullwidth_digits"),
        ("3.0", 3, "number_from_text"),
        (-4.0, -4, None),
        (3.0000000000000004, 3, None),
    ],
)
def test_integer_forms(raw: object, value: int, assumed: str | None) -> None:
    ok(INTEGER, raw, value, assumed)


@pytest.mark.parametrize(
    ("raw", "code", "seen"),
    [
        (3.5, "not_integer", "3.5"),
        ("3.5", "not_integer", "3.5"),
        (Decimal("2.5"), "not_integer", "2.5"),
        ("three", "not_a_number", "three"),
        (True, "not_a_number", "TRUE"),
    ],
)
def test_integer_problems(raw: object, code: str, seen: str) -> None:
    assert parse_cell(INTEGER, raw).value is None
    bad(INTEGER, raw, code, seen)


@pytest.mark.parametrize(
    ("column", "raw", "code", "bound"),
    [
        (col(ColType.INTEGER, minimum=0), -1.0, "below_minimum", "0"),
        (col(ColType.INTEGER, maximum=10), 11, "above_maximum", "10"),
        (col(ColType.MONEY, minimum=Decimal("0")), "-1,200", "below_minimum", "0"),
        (col(ColType.NUMBER, maximum=Decimal("24")), 24.5, "above_maximum", "24"),
        (col(ColType.PERCENT, maximum=Decimal("1")), "120%", "above_maximum", "100%"),
    ],
)
def test_number_bounds(column: Column, raw: object, code: str, bound: str) -> None:
    p = parse_cell(column, raw)
    assert p.value is not None  # a bound problem keeps the typed value
    assert p.problem is not None and p.problem.code == code
    assert bound in p.problem.message()
    assert bound in p.problem.message(Lang.EN)


def test_number_inside_bounds() -> None:
    ok(col(ColType.INTEGER, minimum=0, maximum=10), 10.0, 10)


# --------------------------------------------------------------------------- percent


@pytest.mark.parametrize(
    ("raw", "value", "assumed"),
    [
        (0.3, "0.3", None),  # a % cell holds the fraction
        (1, "1", None),
        (0, "0", None),
        (-0.05, "-0.05", None),
        ("30%", "0.3", "percent_from_text"),
        ("30 %", "0.3", "percent_from_text"),
        ("３０％", "0.3", "fullwidth_digits"),
        ("12.5%", "0.125", "percent_from_text"),
        ("150%", "1.5", "percent_from_text"),
        ("-5%", "-0.05", "percent_from_text"),
        ("0.3", "0.3", "number_from_text"),
        (30, "0.3", "percent_over_one_read_as_percent"),
        (30.0, "0.3", "percent_over_one_read_as_percent"),
        ("30", "0.3", "percent_over_one_read_as_percent"),
        (10, "0.1", "percent_over_one_read_as_percent"),
        (100, "1", "percent_over_one_read_as_percent"),
        (-30, "-0.3", "percent_over_one_read_as_percent"),
        (1.2, "1.2", None),  # no maximum: under 10 is a fraction, 120 % as the % cell shows it
        (1.5, "1.5", None),
        ("1.5", "1.5", "number_from_text"),
    ],
)
def test_percent_forms(raw: object, value: str, assumed: str | None) -> None:
    ok(PERCENT, raw, Decimal(value), assumed)


@pytest.mark.parametrize(
    ("raw", "value", "assumed"),
    [
        (0.3, "0.3", None),
        (1, "1", None),
        (30, "0.3", "percent_over_one_read_as_percent"),
        ("30", "0.3", "percent_over_one_read_as_percent"),
        (1.5, "0.015", "percent_over_one_read_as_percent"),  # over the maximum: points
        (5, "0.05", "percent_over_one_read_as_percent"),
    ],
)
def test_percent_with_maximum_one(raw: object, value: str, assumed: str | None) -> None:
    ok(col(ColType.PERCENT, minimum=Decimal(0), maximum=Decimal(1)), raw, Decimal(value), assumed)


def test_percent_over_one_message_shows_the_reading() -> None:
    p = ok(PERCENT, 30, Decimal("0.3"), "percent_over_one_read_as_percent")
    assert p.assumed is not None
    assert "30%" in p.assumed.message()
    assert "30%" in p.assumed.message(Lang.EN)


def test_percent_column_allowing_more_than_100_keeps_fractions() -> None:
    column = col(ColType.PERCENT, maximum=Decimal(2))
    ok(column, 1.5, Decimal("1.5"))
    ok(column, 30, Decimal("0.3"), "percent_over_one_read_as_percent")


@pytest.mark.parametrize("raw", ["abc", "NT$30", "30%%", "%"])
def test_percent_problems(raw: str) -> None:
    bad(PERCENT, raw, "not_a_percent")


# --------------------------------------------------------------------------- text, person, ref


@pytest.mark.parametrize("column", [TEXT, PERSON, REF], ids=["text", "person", "ref"])
@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("  王小明 ", "王小明"),
        ("\u3000王小明\u3000", "王小明"),
        ("\u200b王小明", "王小明"),
        ("Cafe\u0301", "Café"),  # NFC
        ("a  b", "a  b"),  # inner spaces are the person's
        (1001.0, "1001"),  # a key typed into a number cell
        (1001, "1001"),
        (12.5, "12.5"),
        (dt.date(2026, 11, 26), "2026-11-26"),
        (True, "TRUE"),
    ],
)
def test_text_forms(column: Column, raw: object, value: str) -> None:
    ok(column, raw, value)


def test_text_nfc_composes() -> None:
    assert parse_cell(TEXT, "e\u0301").value == "\u00e9"


def test_text_too_long() -> None:
    column = col(ColType.TEXT, max_length=5)
    ok(column, "一二三四五", "一二三四五")
    p = parse_cell(column, "一二三四五六")
    assert p.value == "一二三四五六"
    assert p.problem is not None and p.problem.code == "too_long"
    assert p.problem.params == {"value": "一二三四五六", "length": 6, "max_length": 5}
    assert "一二三四五六" in p.problem.message() and "5" in p.problem.message()
    assert "6" in p.problem.message(Lang.EN)


def test_long_value_is_cut_in_messages_only() -> None:
    long = "長" * 200
    p = parse_cell(col(ColType.TEXT, max_length=10), long)
    assert p.problem is not None
    assert p.problem.params["value"] == long
    assert len(p.problem.message()) < 150


# --------------------------------------------------------------------------- formulas and errors


@pytest.mark.parametrize("column", ALL_COLUMNS, ids=lambda c: c.type.value)
@pytest.mark.parametrize("raw", ["=SUM(A1:A3)", " =TODAY()", "=VLOOKUP(A2,客戶!A:B,2,0)"])
def test_formula_without_value(column: Column, raw: str) -> None:
    bad(column, raw, "formula_without_value", raw.strip())


@pytest.mark.parametrize("column", ALL_COLUMNS, ids=lambda c: c.type.value)
@pytest.mark.parametrize("raw", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#n/a"])
def test_error_value(column: Column, raw: str) -> None:
    bad(column, raw, "error_value", raw)


class CellError:
    """Stands in for an error object some calamine versions return."""

    def __str__(self) -> str:
        return "#DIV/0!"


@pytest.mark.parametrize("column", [TEXT, MONEY, DATE, ENUM, PHONE], ids=lambda c: c.type.value)
def test_error_object(column: Column) -> None:
    bad(column, CellError(), "error_value", "#DIV/0!")


def test_equals_sign_alone_is_text() -> None:
    ok(TEXT, "=", "=")


# --------------------------------------------------------------------------- enums


@pytest.mark.parametrize(
    "raw",
    [
        "open",  # key
        "進行中",  # zh label
        "In progress",  # en label
        "in progress",
        "IN_PROGRESS",
        " In  Progress ",
        "Ｉｎ ｐｒｏｇｒｅｓｓ",
        "進行中 (In progress)",
        "進行中／In progress",
    ],
)
def test_enum_spellings(raw: str) -> None:
    ok(ENUM, raw, "open")


def test_enum_other_options() -> None:
    ok(ENUM, "已完成", "done")
    ok(ENUM, "On hold", "on_hold")
    ok(ENUM, "on_hold", "on_hold")


def test_enum_not_in_list_names_allowed_values_in_each_language() -> None:
    problem = bad(ENUM, "完成了", "not_in_list")
    zh, en = problem.message(), problem.message(Lang.EN)
    assert "進行中、已完成、暫停" in zh
    assert "In progress, Done, On hold" in en


def test_enum_mixed_bilingual_spelling_is_refused() -> None:
    bad(ENUM, "進行中 (Done)", "not_in_list")


# --------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (True, True),
        (False, False),
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("yes", True),
        ("No", False),
        ("true", True),
        ("FALSE", False),
        ("TRUE", True),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
        ("1", True),
        ("0", False),
        ("✓", True),
        ("✔", True),
        ("V", True),
        ("×", False),
        ("有", True),
        ("沒有", False),
        ("Ｙｅｓ", True),
        ("是 (Yes)", True),
    ],
)
def test_boolean_forms(raw: object, value: bool) -> None:
    ok(BOOLEAN, raw, value)


@pytest.mark.parametrize(("raw", "seen"), [("maybe", None), ("x", None), (2, "2"), ("是/No", None)])
def test_boolean_problems(raw: object, seen: str | None) -> None:
    bad(BOOLEAN, raw, "not_a_boolean", seen)


# --------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    ("raw", "value", "assumed"),
    [
        ("wang@example.com", "wang@example.com", None),
        (
            "  Wang.Xiao-Ming+mops@mail.example.com.tw ",
            "Wang.Xiao-Ming+mops@mail.example.com.tw",
            None,
        ),
        ("wang＠example.com", "wang@example.com", "fullwidth_email"),
        ("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "wang@example.com", "fullwidth_email"),
        ("王小明 <wang@example.com>", "wang@example.com", "email_extracted"),
        ("mailto:wang@example.com", "wang@example.com", "email_extracted"),
    ],
)
def test_email_forms(raw: str, value: str, assumed: str | None) -> None:
    ok(EMAIL, raw, value, assumed)


@pytest.mark.parametrize(
    "raw",
    [
        "wang",
        "wang@",
        "@example.com",
        "wang@example",
        "wang@@example.com",
        "wang@exa mple.com",
        "wang xiao@example.com",
        "wang@example..com",
        ".wang@example.com",
        "wang@example.com.",
        "wang@example,com",
        "wang@example.com; lee@example.com",
        "wang@-example.com",
    ],
)
def test_bad_email(raw: str) -> None:
    bad(EMAIL, raw, "bad_email")


def test_bad_email_number() -> None:
    bad(EMAIL, 12.0, "bad_email", "12")


# --------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    "raw",
    [
        "02-2345-6789",
        "(02)2345-6789",
        "(02) 2345-6789",
        "02 2345 6789",
        "0223456789",
        "03-123-4567",
        "037-123-456",
        "049-2345678",
        "0912-345-678",
        "0912345678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "+886-2-2345-6789",
        "+886 (0)2 2345 6789",
        "02-2345-6789 #123",
        "02-2345-6789#123",
        "02-2345-6789分機123",
        "02-2345-6789 分機 123",
        "02-2345-6789 ext. 123",
        "02-2345-6789 Ext 123",
        "02-2345-6789 x123",
        "0800-123-456",
        "+1 415 555 2671",
    ],
)
def test_phone_forms_keep_the_typed_text(raw: str) -> None:
    ok(PHONE, raw, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [(912345678.0, "0912345678"), (912345678, "0912345678"), (223456789.0, "0223456789")],
)
def test_phone_leading_zero_restored(raw: object, value: str) -> None:
    p = ok(PHONE, raw, value, "leading_zero_restored")
    assert p.assumed is not None and value in p.assumed.message()


def test_phone_text_without_leading_zero() -> None:
    ok(PHONE, "912-345-678", "0912-345-678", "leading_zero_restored")


def test_phone_fullwidth() -> None:
    ok(PHONE, "０９１２－３４５－６７８", "0912-345-678", "fullwidth_digits")


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("091234567", None),  # a digit short
        ("09123456789", None),  # a digit too many
        ("02-345-6789", None),  # Taipei numbers have eight digits after 02
        ("2345-6789", None),  # no area code
        ("0912-ABC-678", None),
        ("call me", None),
        ("02-2345-6789 / 0912-345-678", None),
        ("+886 12", None),
        (12.5, "12.5"),
        (1234.0, "1234"),
    ],
)
def test_bad_phone(raw: object, seen: str | None) -> None:
    bad(PHONE, raw, "bad_phone", seen)


# --------------------------------------------------------------------------- results and messages


def test_results_are_frozen() -> None:
    p = parse_cell(MONEY, "NT$1,200")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.value = 1
    assert isinstance(p.assumed, Assumption)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.assumed.code = "x"


def test_parsed_equality_and_ok() -> None:
    assert parse_cell(INTEGER, 27.0) == Parsed(27)
    assert parse_cell(INTEGER, 27.0).ok
    assert not parse_cell(INTEGER, "x").ok


def test_catalogues_cover_the_same_codes() -> None:
    for code, (zh, en) in PARSE_MESSAGES.items():
        assert "{value}" in zh, code
        assert "{value}" in en, code


def test_every_emitted_code_has_messages() -> None:
    samples = [
        (DATE, "2026/11/26(五)"),
        (DATE, "11/26"),
        (DATE, "03/04/2026"),
        (DATETIME, "14:30"),
        (DATETIME, "x"),
        (MONEY, "US$1"),
        (PERCENT, "x"),
        (NUMBER, dt.time(1, 0)),
        (EMAIL, "a＠b.com"),
        (EMAIL, "<a@b.com>"),
        (PHONE, 912345678.0),
    ]
    for column, raw in samples:
        p = parse_cell(column, raw)
        for note in (p.problem, p.assumed):
            if note is not None:
                assert note.code in PARSE_MESSAGES, note.code
                assert "{" not in note.message() and "{" not in note.message(Lang.EN)


@pytest.mark.parametrize("lang", [Lang.EN, "en", "en-US", "EN"])
def test_message_language_spellings(lang: Lang | str) -> None:
    problem = Problem("not_a_number", {"value": "abc"})
    assert problem.message(lang) == PARSE_MESSAGES["not_a_number"][1].format(value="abc")


@pytest.mark.parametrize("lang", [Lang.ZH_TW, "zh-TW"])
def test_message_defaults_to_traditional_chinese(lang: Lang | str) -> None:
    problem = Problem("not_a_number", {"value": "abc"})
    assert problem.message() == problem.message(lang)
    assert problem.message().startswith("無法將「abc」")


def test_unknown_code_still_gives_a_sentence() -> None:
    problem = Problem("something_new", {"value": "v"})
    assert "v" in problem.message() and "something_new" in problem.message(Lang.EN)


def test_parser_for_matches_parse_cell() -> None:
    for column, raw in [(MONEY, "NT$1,200"), (DATE, "115/11/26"), (ENUM, "Done"), (TEXT, "")]:
        assert parser_for(column)(raw) == parse_cell(column, raw)


def test_openpyxl_style_values() -> None:
    ok(INTEGER, 5, 5)
    ok(DATE, dt.datetime(2026, 11, 26, 0, 0), dt.date(2026, 11, 26))
    ok(BOOLEAN, True, True)
    assert parse_cell(TEXT, None) == Parsed(None)
