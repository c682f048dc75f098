"""What every converter shares: the base class, the Odoo lookups it reads, and its outcomes.

A converter moves one value between three forms: the typed workbook value (``Decimal``,
``date``, an enum key, a person's name …), the *normal form* the planner compares and the state
store keeps (JSON: text, integers, ISO dates, Decimals as text), and the value Odoo reads and
writes. Comparing normal forms, not raw values, is what makes "nothing changed" exact: a
``Decimal("1500000.0000000000")`` budget and Odoo's ``1500000.0`` are both ``"1500000"``.

Everything here is pure: lookups Odoo provides (external ids, users, names) come in a
``Lookups`` value read beforehand, and the firm's time zone and currency rounding in a ``Locale``
given to the converters that need them when the mapping is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mops.config import General


class Keep:
    """A pull that has nothing to say: the workbook cell stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


class Unresolved(Exception):
    """A workbook value that has no counterpart in Odoo (unknown person, missing record …)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotAllowed(Exception):
    """A change the record cannot take as Odoo holds it (a posted invoice, an invoiced line):
    never written, reported on the row for a person to settle in Odoo."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Locale:
    """The firm's time zone and currency rounding (``[general]`` in mops.toml)."""

    tz: dt.tzinfo  # the zone whose wall time the workbooks' date-times are
    currency_decimals: int  # money is rounded to this many decimals (0 for TWD)

    @classmethod
    def of(cls, general: General) -> Locale:
        """The locale of a configuration's ``[general]`` table (``config.general``)."""
        return cls(general.tz, general.currency_decimals)

    @property
    def money_quantum(self) -> Decimal:
        """The smallest amount of money kept: 1 with no decimals, 0.01 with two."""
        return Decimal(1).scaleb(-self.currency_decimals)

    def to_utc(self, wall: dt.datetime) -> dt.datetime:
        """A naive wall time of the firm as a naive UTC time, at that instant's offset.

        An ambiguous time (the hour repeated when clocks go back) is its first occurrence; a
        time that does not exist (skipped when they go forward) is read at the offset before.
        """
        aware = wall.replace(tzinfo=self.tz).astimezone(dt.UTC)
        return aware.replace(tzinfo=None)

    def from_utc(self, utc: dt.datetime) -> dt.datetime:
        """A naive UTC time as the firm's naive wall time."""
        return utc.replace(tzinfo=dt.UTC).astimezone(self.tz).replace(tzinfo=None)


@dataclass
class Lookups:
    """What the converters need to know about Odoo and the roster, read before planning."""

    xmlids: dict[str, tuple[str, int]] = field(default_factory=dict)  # "mops.x" → (model, id)
    users: dict[str, int] = field(default_factory=dict)  # lower-case login or e-mail → uid
    user_emails: dict[int, str] = field(default_factory=dict)  # uid → lower-case e-mail
    user_partners: dict[int, int] = field(default_factory=dict)  # uid → the user's partner
    model_ids: dict[str, int] = field(default_factory=dict)  # model → its ir.model id
    roster: dict[str, str] = field(default_factory=dict)  # person's name → lower-case e-mail
    staff: dict[str, str] = field(default_factory=dict)  # person's name → roster employee id
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # model → id → name
    ids: dict[str, object] = field(default_factory=dict)  # key → Odoo id, a ref, or None
    series: int = 17  # the Odoo major version: some field names differ (tax_id → tax_ids)
    paid_dates: dict[int, str | None] = field(default_factory=dict)  # move id → latest payment
    # Records of other models read through a link of the records synced (an order's lines, its
    # invoices): model → id → record, as read with load="".
    related: dict[str, dict[int, dict]] = field(default_factory=dict)
    _families: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def family(self, prefix: str) -> list[int]:
        """The ids of the records whose external ids start with ``prefix``, sorted."""
        if prefix not in self._families:
            self._families[prefix] = sorted(
                rid for name, (_m, rid) in self.xmlids.items() if name.startswith(prefix)
            )
        return self._families[prefix]

    def xmlid(self, name: str) -> int | None:
        """The record id behind an external id, or None."""
        found = self.xmlids.get(name)
        return found[1] if found else None

    def xmlid_of(self, record_id: int, prefix: str) -> str | None:
        """The external id starting with ``prefix`` that names this record, or None."""
        for name, (_model, rid) in self.xmlids.items():
            if rid == record_id and name.startswith(prefix):
                return name
        return None

    def key_of(self, record_id: int, prefix: str) -> str | None:
        """The sync key of a record of some type (``customer:…``) by its Odoo id."""
        for key, rid in self.ids.items():
            if rid == record_id and key.startswith(prefix + ":"):
                return key
        return None


def linked(record: Mapping[str, Any], link: str, model: str, lookups: Lookups) -> list[dict]:
    """The records of ``model`` that ``record`` links through ``link`` and that were read (a
    converter's ``related``), in the link's order."""
    held = lookups.related.get(model, {})
    return [held[i] for i in record.get(link) or [] if i in held]


class Converter:
    """How the values of one mapped field cross between workbook, normal form and Odoo."""

    name = ""
    references: str | None = None  # the record type whose ids this converter needs
    # A converter that reads several columns of the row (not the one of its entry) names them;
    # ``push`` then receives the row's values as a dict.
    columns: tuple[str, ...] = ()

    def related(self, odoo_field: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Linked records this converter looks into: link field → (model, fields to read)."""
        return {}

    def write_field(self, odoo_field: str) -> str:
        """The field a change is written to (an invoice's amount goes through its lines)."""
        return odoo_field

    def depends(self) -> set[str]:
        """The record types whose Odoo ids this converter needs."""
        return {self.references} if self.references else set()

    def reads(self, odoo_field: str) -> tuple[str, ...]:
        """The Odoo fields to read for this field."""
        return (odoo_field,) if odoo_field != "id" else ()

    def push(self, value: object, lookups: Lookups) -> object:
        """The normal form of a workbook value (raises Unresolved)."""
        return value

    def read(self, record: Mapping[str, Any], odoo_field: str, lookups: Lookups) -> object:
        """The normal form of what Odoo holds."""
        value = record.get(odoo_field)
        return None if value is False or value == "" else value

    def to_odoo(self, normal: object, lookups: Lookups, *, create: bool) -> object:
        """The value to send to Odoo in create or write."""
        return False if normal is None else normal

    def to_cell(self, normal: object, lookups: Lookups) -> object:
        """The workbook value of a normal form; KEEP when the workbook cannot hold it."""
        return normal

    def create_value(self, normal: object, row: Mapping[str, Any], lookups: Lookups) -> object:
        """The value sent when mops creates the record (a line may need more of the row)."""
        return self.to_odoo(normal, lookups, create=True)

    def write_value(
        self,
        normal: object,
        record: Mapping[str, Any],
        lookups: Lookups,
        row: Mapping[str, Any] | None = None,
    ) -> object:
        """The value written to the record as Odoo holds it (a line is written in place);
        raises NotAllowed when the record, as it stands, cannot take the change."""
        return self.to_odoo(normal, lookups, create=False)

    def pull(self, record: Mapping[str, Any], odoo_field: str, lookups: Lookups) -> object:
        """The workbook value of an Odoo-owned column, or KEEP."""
        return self.to_cell(self.read(record, odoo_field, lookups), lookups)


class Localised(Converter):
    """A converter that applies the firm's ``Locale``; ``converter()`` builds it with one."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
