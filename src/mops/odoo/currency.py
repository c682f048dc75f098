"""How the company's currency rounds money, read from Odoo, so mops rounds as Odoo does.

Odoo keeps a currency's precision as ``res.currency.rounding`` (TWD 1.0, USD 0.01, a Swiss
franc cash rounding could be 0.05) and ``decimal_places`` (derived from it). Its
``float_round`` rounds half away from zero to a multiple of ``rounding``; ``Rounding.round``
does the same on ``Decimal``, so a total mops computes equals the one Odoo shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mops.odoo.client import OdooClient


@dataclass(frozen=True)
class Rounding:
    """A currency's precision: its code, decimal places and rounding step."""

    currency: str
    decimal_places: int
    rounding: Decimal

    @classmethod
    def of(cls, currency: str, decimal_places: int, rounding: float | str | Decimal) -> Rounding:
        """From the values Odoo reads (``rounding`` comes as a float, e.g. 0.01)."""
        # repr of the float keeps what Odoo stored (0.01, not 0.01000000000000000020816…).
        step = Decimal(repr(rounding)) if isinstance(rounding, float) else Decimal(rounding)
        if step <= 0:
            raise ValueError(f"{currency}: rounding must be positive, not {rounding!r}")
        return cls(currency, int(decimal_places), step.normalize())

    def round(self, amount: Decimal | int | str) -> Decimal:
        """``amount`` rounded half away from zero to a multiple of the rounding step."""
        steps = (Decimal(amount) / self.rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return (steps * self.rounding).quantize(Decimal(1).scaleb(-self.decimal_places))

    def is_zero(self, amount: Decimal | int | str) -> bool:
        """Whether ``amount`` rounds to zero, as Odoo's ``currency.is_zero``."""
        return self.round(amount) == 0


def company_rounding(client: OdooClient, company_id: int | None = None) -> Rounding:
    """The rounding of a company's currency (the user's company when not given)."""
    if company_id is None:
        user = client.call("res.users", "read", [client.uid], ["company_id"])[0]
        company_id = user["company_id"][0]
    company = client.call("res.company", "read", [company_id], ["currency_id"])[0]
    currency = client.call(
        "res.currency", "read", [company["currency_id"][0]], ["name", "decimal_places", "rounding"]
    )[0]
    return Rounding.of(currency["name"], currency["decimal_places"], currency["rounding"])
