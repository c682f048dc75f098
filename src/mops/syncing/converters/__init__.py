"""The converters a mapping entry names (``"money"``, ``"xmlid:mops.team_sales"`` …), by name.

``base`` holds what they share (``Converter``, ``Lookups``, ``KEEP``, ``Unresolved``); ``values``
the plain values, ``references`` the links to other records and users, ``chatter`` messages and
activities. Nothing here reads files or talks to Odoo.
"""

from __future__ import annotations

from mops.syncing.converters.base import (
    KEEP,
    Converter,
    Keep,
    Locale,
    Localised,
    Lookups,
    NotAllowed,
    Unresolved,
    linked,
)
from mops.syncing.converters.chatter import ActivityDone, AuthorByEmail, ThreadOf
from mops.syncing.converters.references import (
    AnalyticOf,
    EmployeeByName,
    LeadStage,
    LinesOf,
    NameOf,
    OrderOf,
    PartnerOf,
    RecordOf,
    Tag,
    UserByEmail,
    UserOfEmail,
    UsersByEmail,
    WorkEmail,
    XmlId,
    XmlIdOf,
)
from mops.syncing.converters.values import (
    Constant,
    Date,
    Day,
    EnumKey,
    Html,
    Integer,
    InvoiceAmount,
    LeadActive,
    LinkedPaidDate,
    LocalDatetime,
    Money,
    OdooId,
    PaidDate,
    Percent100,
    ServiceLine,
    Text,
    html_to_text,
)

__all__ = [
    "KEEP",
    "PARAMETRIC",
    "SIMPLE",
    "ActivityDone",
    "AnalyticOf",
    "AuthorByEmail",
    "Constant",
    "Converter",
    "Date",
    "Day",
    "EmployeeByName",
    "EnumKey",
    "Html",
    "Integer",
    "InvoiceAmount",
    "Keep",
    "LeadActive",
    "LeadStage",
    "LinesOf",
    "LinkedPaidDate",
    "LocalDatetime",
    "Locale",
    "Localised",
    "Lookups",
    "Money",
    "NameOf",
    "NotAllowed",
    "OdooId",
    "OrderOf",
    "PaidDate",
    "PartnerOf",
    "Percent100",
    "RecordOf",
    "ServiceLine",
    "Tag",
    "Text",
    "ThreadOf",
    "Unresolved",
    "UserByEmail",
    "UserOfEmail",
    "UsersByEmail",
    "WorkEmail",
    "XmlId",
    "XmlIdOf",
    "converter",
    "html_to_text",
    "linked",
]

SIMPLE = {
    c.name: c
    for c in (
        Text, Money, Percent100, Date, EnumKey, UserByEmail, LeadStage, LeadActive, OdooId,
        Integer, Html, Day, LocalDatetime, UsersByEmail, AuthorByEmail, ActivityDone,
        UserOfEmail, EmployeeByName, PaidDate, LinkedPaidDate, InvoiceAmount, WorkEmail,
    )
}  # fmt: skip
PARAMETRIC = {
    "xmlid": XmlId,
    "partner_of": PartnerOf,
    "order_of": OrderOf,
    "xmlid_of": XmlIdOf,
    "analytic_of": AnalyticOf,
    "lines_of": LinesOf,
    "record_of": RecordOf,
    "tag": Tag,
    "name_of": NameOf,
    "thread_model": lambda spec: ThreadOf(spec, "model"),
    "thread_id": lambda spec: ThreadOf(spec, "id"),
    "thread_model_id": lambda spec: ThreadOf(spec, "model_id"),
    "service_line": ServiceLine,
}


def converter(spec: str, locale: Locale) -> Converter:
    """The converter a mapping entry names, e.g. ``"money"`` or ``"xmlid:mops.team_sales"``.

    ``locale`` is the firm's time zone and currency rounding, for the converters that use them.
    """
    name, _, argument = spec.partition(":")
    if name in SIMPLE and not argument:
        kind = SIMPLE[name]
        return kind(locale) if issubclass(kind, Localised) else kind()
    if name in PARAMETRIC and argument:
        kind = PARAMETRIC[name]
        if isinstance(kind, type) and issubclass(kind, Localised):
            return kind(argument, locale)
        return kind(argument)
    raise ValueError(f"unknown converter {spec!r}")
