"""The converters stay pure: importing them reads no file and loads no Odoo or workbook code.

Those that use the firm's time zone or currency rounding get them as a ``Locale`` value.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

from mops.syncing.converters import PARAMETRIC, SIMPLE, Locale, Lookups, converter
from mops.syncing.converters.values import latest_payment

TAIPEI = Locale(ZoneInfo("Asia/Taipei"), 0)

IMPURE = ("fastexcel", "odoorpc", "mops.workbook", "mops.odoo")  # files, Odoo, the network


def test_importing_the_converters_loads_nothing_that_touches_files_or_odoo():
    probe = (
        "import sys, mops.syncing.converters; "
        f"print(sorted(m for m in sys.modules if m.startswith({IMPURE!r})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert loaded == "[]"


def test_every_registered_name_builds_its_converter():
    for name in SIMPLE:
        assert converter(name, TAIPEI).name == name
    for name in PARAMETRIC:
        spec = f"{name}:a=customer" if name.startswith("thread") else f"{name}:x"
        assert converter(spec, TAIPEI).name in (name, "thread")


def test_a_day_is_the_same_day_in_utc_and_in_the_firms_zone():
    # 00:00 UTC where that is already the day in the firm's zone, else the firm's midnight.
    for zone, sent in [
        ("Asia/Taipei", "2026-03-05 00:00:00"),
        ("Europe/Berlin", "2026-03-05 00:00:00"),
        ("America/New_York", "2026-03-05 05:00:00"),
    ]:
        day = converter("day", Locale(ZoneInfo(zone), 0))
        assert day.to_odoo("2026-03-05", Lookups(), create=True) == sent
        assert day.read({"date": sent}, "date", Lookups()) == "2026-03-05"
    # Read in the firm's zone: 20:00 UTC is already the next day in Taipei.
    day = converter("day", TAIPEI)
    assert day.read({"date": "2026-03-05 20:00:00"}, "date", Lookups()) == "2026-03-06"


def test_a_wall_time_the_clocks_skip_or_repeat_crosses_as_one_instant():
    berlin = converter("local_datetime", Locale(ZoneInfo("Europe/Berlin"), 0))
    # 02:30 on 29 March 2026 does not exist in Berlin: it is 03:30 summer time, 01:30 UTC.
    skipped = berlin.push(dt.datetime(2026, 3, 29, 2, 30), Lookups())
    assert skipped == "2026-03-29 03:30:00"
    assert berlin.to_odoo(skipped, Lookups(), create=True) == "2026-03-29 01:30:00"
    # 02:30 on 25 October 2026 happens twice: the first, still summer time, is meant.
    repeated = berlin.push(dt.datetime(2026, 10, 25, 2, 30), Lookups())
    assert berlin.to_odoo(repeated, Lookups(), create=True) == "2026-10-25 00:30:00"
    record = {"date_deadline": "2026-10-25 00:30:00"}
    assert berlin.read(record, "date_deadline", Lookups()) == repeated


def test_the_paid_date_is_the_latest_payment_of_the_widget_never_an_exchange_entry():
    widget = {
        "title": "Less Payment", "outstanding": False,
        "content": [
            {"date": "2026-11-21", "amount": 12000.0, "is_exchange": False},
            {"date": "2026-12-31", "amount": 3.0, "is_exchange": True},
            {"date": "2026-11-25", "amount": 30000.0, "is_exchange": False},
        ],
    }  # fmt: skip
    assert latest_payment(widget) == "2026-11-25"
    # Without payments Odoo answers False; some transports give the JSON as text.
    assert latest_payment(False) is None
    assert latest_payment('{"content": [{"date": "2026-11-20"}]}') == "2026-11-20"
    # An invoice's own paid date: read with the widgets of the invoices that have a payment.
    paid = converter("paid_date", TAIPEI)
    lookups = Lookups(paid_dates={5: "2026-11-25"})
    field = "invoice_payments_widget"
    assert paid.reads(field) == ("payment_state",)
    assert paid.pull({"id": 5, "payment_state": "partial"}, field, lookups) == dt.date(2026, 11, 25)
    assert paid.pull({"id": 5, "payment_state": "not_paid"}, field, lookups) is None
    assert paid.pull({"id": 6, "payment_state": "paid"}, field, lookups) is None


def test_a_linked_paid_date_is_the_latest_of_the_linked_entries():
    linked = converter("linked_paid_date", TAIPEI)
    lookups = Lookups(paid_dates={7: "2026-11-22", 8: None, 9: "2026-10-01"})
    assert linked.pull({"account_move_ids": [9, 7, 8]}, "account_move_ids", lookups) == dt.date(
        2026, 11, 22
    )
    assert linked.pull({"account_move_id": 8}, "account_move_id", lookups) is None
    assert linked.pull({"account_move_id": False}, "account_move_id", lookups) is None
