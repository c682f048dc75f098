"""mops.odoo.currency: money rounded as Odoo rounds the company's currency."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from mops.odoo.connect import connect
from mops.odoo.currency import Rounding, company_rounding
from mops.odoo.settings import OdooSettings

from odoo_server import OdooTestServer
from odoo_server.fixture import LIVE19_ENV, LIVE_ENV

TWD = Rounding.of("TWD", 0, 1.0)
USD = Rounding.of("USD", 2, 0.01)


@pytest.mark.parametrize(
    ("rounding", "amount", "expected"),
    [
        (TWD, "1234.5", "1235"),  # half away from zero, as Odoo's float_round
        (TWD, "1234.49", "1234"),
        (TWD, "-1234.5", "-1235"),
        (TWD, "52.38", "52"),  # 5 % of 1,047.62 TWD
        (USD, "0.125", "0.13"),
        (USD, "2.675", "2.68"),  # a float would give 2.67
        (USD, "-0.005", "-0.01"),
        (Rounding.of("CHF", 2, 0.05), "1.024", "1.00"),
        (Rounding.of("CHF", 2, 0.05), "1.025", "1.05"),
    ],
)
def test_rounds_half_away_from_zero_to_the_currency_step(rounding, amount, expected):
    assert str(rounding.round(Decimal(amount))) == expected


def test_whole_dollars_have_no_decimals_and_small_amounts_are_zero():
    assert str(TWD.round(Decimal("1000"))) == "1000"
    assert TWD.is_zero(Decimal("0.49")) and not TWD.is_zero(Decimal("0.5"))
    assert str(USD.round(7)) == "7.00"
    with pytest.raises(ValueError):
        Rounding.of("XXX", 2, 0)


@pytest.mark.parametrize("version", ["17.0", "19.0"])
def test_reads_the_company_currency_of_the_test_server(version):
    with OdooTestServer(version=version) as server:
        settings = OdooSettings(url=server.url, database=server.database, login="admin")
        client = connect(settings, server.api_key if server.json2 else "admin")
        assert company_rounding(client) == Rounding("TWD", 0, Decimal(1))
    with OdooTestServer(version=version, company_currency="USD") as server:
        settings = OdooSettings(url=server.url, database=server.database, login="admin")
        client = connect(settings, server.api_key if server.json2 else "admin")
        rounding = company_rounding(client, 1)
        assert (rounding.currency, rounding.decimal_places) == ("USD", 2)
        assert str(rounding.round(Decimal("10.005"))) == "10.01"


@pytest.mark.odoo_live
@pytest.mark.parametrize("names", [LIVE_ENV, LIVE19_ENV], ids=["odoo17", "odoo19"])
def test_reads_the_company_currency_of_the_real_odoo(names):
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo needs {', '.join(missing)}")
    url, database, login, secret = (os.environ[name] for name in names)
    client = connect(OdooSettings(url=url.rstrip("/"), database=database, login=login), secret)
    assert company_rounding(client) == Rounding("TWD", 0, Decimal(1))
