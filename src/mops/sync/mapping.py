"""The declarative mapping (integrations/odoo/mapping.toml) and the converters it names.

A converter moves one value between three forms: the typed workbook value (``Decimal``,
``date``, an enum key, a person's name …), the *normal form* the planner compares and the state
store keeps (JSON: text, integers, ISO dates, Decimals as text), and the value Odoo reads and
writes. Comparing normal forms, not raw values, is what makes "nothing changed" exact: a
``Decimal("1500000.0000000000")`` budget and Odoo's ``1500000.0`` are both ``"1500000"``.

Everything here is pure: lookups Odoo provides (external ids, users, names) come in a
``Lookups`` value read beforehand.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from mops.errors import ConfigError
from mops.schemas.model import SheetDef
from mops.schemas.registry import sheet as declared_sheet

KEY_FIELD = "x_mops_key"
POLICIES = ("report", "workbook", "odoo")
DIRECTIONS = ("push", "pull", "create_only")
# integrations/ is linked into the package (src/mops/integrations): the same path holds in the
# source tree and in an installed mops.
MAPPING_FILE = Path(__file__).resolve().parents[1] / "integrations" / "odoo" / "mapping.toml"
TWD = Decimal("1")  # TWD is rounded to whole dollars (Odoo's res.currency TWD: rounding 1.00)
PERCENT = Decimal("0.01")
TAIPEI = dt.timedelta(hours=8)  # Taiwan keeps UTC+8 all year


class Keep:
    """A pull that has nothing to say: the workbook cell stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


def ref(key: str) -> dict[str, str]:
    """A reference to the Odoo id of a record created in the same run, resolved when applied."""
    return {"$ref": key}


def ref_key(value: object) -> str | None:
    """The key a reference names, or None when ``value`` is not a reference."""
    if isinstance(value, dict) and set(value) == {"$ref"}:
        return str(value["$ref"])
    return None


def key_from(key_format: str, value: object) -> str | None:
    """The sync key inside a key field's value written with ``key_format``, or None."""
    if not isinstance(value, str) or not value:
        return None
    head, _, tail = key_format.partition("{key}")
    if not (value.startswith(head) and value.endswith(tail)) or len(value) <= len(head + tail):
        return None
    return value[len(head) : len(value) - len(tail)]


class Unresolved(Exception):
    """A workbook value that has no counterpart in Odoo (unknown person, missing record …)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Lookups:
    """What the converters need to know about Odoo and the roster, read before planning."""

    xmlids: dict[str, tuple[str, int]] = field(default_factory=dict)  # "mops.x" → (model, id)
    users: dict[str, int] = field(default_factory=dict)  # lower-case login or e-mail → uid
    user_emails: dict[int, str] = field(default_factory=dict)  # uid → lower-case e-mail
    user_partners: dict[int, int] = field(default_factory=dict)  # uid → the user's partner
    model_ids: dict[str, int] = field(default_factory=dict)  # model → its ir.model id
    roster: dict[str, str] = field(default_factory=dict)  # person's name → lower-case e-mail
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # model → id → name
    ids: dict[str, object] = field(default_factory=dict)  # key → Odoo id, a ref, or None
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


class Converter:
    """How the values of one mapped field cross between workbook, normal form and Odoo."""

    name = ""
    references: str | None = None  # the record type whose ids this converter needs
    # A converter that reads several columns of the row (not the one of its entry) names them;
    # ``push`` then receives the row's values as a dict.
    columns: tuple[str, ...] = ()

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

    def pull(self, record: Mapping[str, Any], odoo_field: str, lookups: Lookups) -> object:
        """The workbook value of an Odoo-owned column, or KEEP."""
        return self.to_cell(self.read(record, odoo_field, lookups), lookups)


class Text(Converter):
    """Text as is; a blank cell clears the field."""

    name = "text"

    def push(self, value, lookups):
        text = "" if value is None else str(value).strip()
        return text or None

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value.strip() or None if isinstance(value, str) else None


class _ScaledFloat(Converter):
    """A Decimal kept by Odoo as a float, times ``factor``, compared rounded to ``quantum``.

    Blank is 0, since Odoo cannot tell them apart.
    """

    factor = Decimal(1)
    quantum = TWD

    def push(self, value, lookups):
        number = Decimal(str(value)) if value is not None else Decimal(0)
        return str((number * self.factor).quantize(self.quantum, ROUND_HALF_UP))

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field) or 0
        # repr() of a float is the shortest text that reads back as the same float.
        return str(Decimal(repr(float(value))).quantize(self.quantum, ROUND_HALF_UP))

    def to_odoo(self, normal, lookups, *, create):
        return float(Decimal(str(normal)))


class Money(_ScaledFloat):
    """Decimal → float, rounded as TWD."""

    name = "money"

    def to_cell(self, normal, lookups):
        return Decimal(str(normal))


class Percent100(_ScaledFloat):
    """A fraction (0.3, shown as 30 %) → 30.0, as Odoo's probability holds it."""

    name = "percent100"
    factor = Decimal(100)
    quantum = PERCENT

    def to_cell(self, normal, lookups):
        return (Decimal(str(normal)) / 100).normalize()


class Date(Converter):
    """A date ↔ "YYYY-MM-DD"."""

    name = "date"

    def push(self, value, lookups):
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value[:10] if isinstance(value, str) and value else None

    def to_cell(self, normal, lookups):
        return dt.date.fromisoformat(normal) if normal else None


class EnumKey(Converter):
    """An enum option key ↔ the selection value of the same key."""

    name = "enum_key"


class XmlId(Converter):
    """A value → the record with the external id ``template.format(value=…)`` (many2one)."""

    name = "xmlid"

    def __init__(self, template: str) -> None:
        self.template = template
        self.constant = "{value}" not in template
        self.prefix = template.split("{value}", 1)[0]

    def push(self, value, lookups):
        if not self.constant and value is None:
            return None
        name = self.template.format(value=value)
        found = lookups.xmlid(name)
        if found is None:
            raise Unresolved("xmlid", xmlid=name)
        return found

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        name = lookups.xmlid_of(int(normal), self.prefix)
        if self.constant or name is None:
            return KEEP
        return name[len(self.prefix) :]


class UserByEmail(Converter):
    """A person's name → their roster e-mail → the Odoo user whose login or e-mail it is."""

    name = "user_by_email"

    def push(self, value, lookups):
        if value is None:
            return None
        email = lookups.roster.get(str(value))
        if not email:
            raise Unresolved("not_on_roster", person=value)
        uid = lookups.users.get(email)
        if uid is None:
            raise Unresolved("no_user", person=value, email=email)
        return uid

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        email = lookups.user_emails.get(int(normal))
        names = [name for name, address in lookups.roster.items() if address == email]
        return names[0] if email and len(names) == 1 else KEEP


class PartnerOf(Converter):
    """The key of a row of another record type → that record's Odoo id (or a ref to it)."""

    name = "partner_of"

    def __init__(self, record_type: str) -> None:
        self.references = record_type

    def push(self, value, lookups):
        if value is None:
            return None
        key = f"{self.references}:{value}"
        found = lookups.ids.get(key)
        if found is None:
            raise Unresolved("no_record", key=key, value=value)
        return found

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        key = lookups.key_of(int(normal), self.references or "")
        return key.split(":", 1)[1] if key else KEEP


class RecordOf(PartnerOf):
    """Like partner_of, for an optional link: a key with no record in Odoo leaves it empty.

    A campaign not synced (yet) must not hold back the opportunities it produced; the link is
    made by the first sync that finds the campaign in Odoo.
    """

    name = "record_of"

    def push(self, value, lookups):
        if value is None:
            return None
        return lookups.ids.get(f"{self.references}:{value}")


class Tag(Converter):
    """One tag of a family (``mops.tier_*``) on a many2many; other tags are left alone."""

    name = "tag"

    def __init__(self, template: str) -> None:
        self.template = template
        self.prefix = template.split("{value}", 1)[0]

    def family(self, lookups: Lookups) -> list[int]:
        """The ids of every tag of the family, in a stable order."""
        return lookups.family(self.prefix)

    def push(self, value, lookups):
        if value is None:
            return None
        name = self.template.format(value=value)
        found = lookups.xmlid(name)
        if found is None:
            raise Unresolved("xmlid", xmlid=name)
        return found

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or []
        present = sorted(rid for rid in self.family(lookups) if rid in held)
        if not present:
            return None
        return present[0] if len(present) == 1 else present

    def to_odoo(self, normal, lookups, *, create):
        if create:
            return [[4, normal]] if normal is not None else []
        commands: list[list[int]] = [[3, rid] for rid in self.family(lookups) if rid != normal]
        if normal is not None:
            commands.append([4, normal])
        return commands

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        if isinstance(normal, list):
            return KEEP  # two tiers on one partner: the workbook holds one
        name = lookups.xmlid_of(int(normal), self.prefix)
        return name[len(self.prefix) :] if name else KEEP


class Constant(Converter):
    """A fixed Odoo value, e.g. ``is_company = true``."""

    name = "value"

    def __init__(self, value: object) -> None:
        self.value = value

    def push(self, value, lookups):
        return self.value

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value if isinstance(value, bool) else (value or None)

    def to_odoo(self, normal, lookups, *, create):
        return normal

    def to_cell(self, normal, lookups):
        return KEEP


class LeadStage(Converter):
    """The pipeline stage: created where the workbook says; pulled back, with "lost" archived."""

    name = "lead_stage"
    prefix = "mops.stage_"

    def reads(self, odoo_field):
        return (odoo_field, "active")

    def push(self, value, lookups):
        # Odoo has no lost stage: a lost lead is an archived lead in the first stage.
        stage = "new" if value in (None, "lost") else str(value)
        found = lookups.xmlid(self.prefix + stage)
        if found is None:
            raise Unresolved("xmlid", xmlid=self.prefix + stage)
        return found

    def pull(self, record, odoo_field, lookups):
        if record.get("active") is False:
            return "lost"
        stage = record.get(odoo_field)
        name = lookups.xmlid_of(int(stage), self.prefix) if stage else None
        return name[len(self.prefix) :] if name else KEEP


class LeadActive(Converter):
    """A lead the workbook already calls lost is created archived."""

    name = "lead_active"

    def push(self, value, lookups):
        return value != "lost"

    def to_odoo(self, normal, lookups, *, create):
        return bool(normal)


class OdooId(Converter):
    """The record's own Odoo id (pull only)."""

    name = "odoo_id"

    def read(self, record, odoo_field, lookups):
        return record.get("id")


class NameOf(Converter):
    """The name of the linked record (pull only); an empty link leaves the cell alone."""

    name = "name_of"

    def __init__(self, model: str) -> None:
        self.model = model

    def pull(self, record, odoo_field, lookups):
        linked = record.get(odoo_field)
        if not linked:
            return KEEP
        return lookups.names.get(self.model, {}).get(int(linked), KEEP)


class Integer(Converter):
    """A whole number; Odoo's 0 is blank (an integer field cannot be empty)."""

    name = "integer"

    def push(self, value, lookups):
        return None if value in (None, "") else int(value)

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return int(value) if value else None

    def to_odoo(self, normal, lookups, *, create):
        return 0 if normal is None else int(normal)


class Html(Converter):
    """Plain text ↔ an html field: each line a paragraph; compared as the text it shows."""

    name = "html"

    def push(self, value, lookups):
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        return "\n".join(line.rstrip() for line in text.split("\n")) or None

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return html_to_text(value) if isinstance(value, str) else None

    def to_odoo(self, normal, lookups, *, create):
        if normal is None:
            return False
        return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in normal.split("\n"))


def html_to_text(value: str) -> str | None:
    """The text an html value shows: paragraphs and line breaks as new lines, no markup."""
    text = re.sub(r"<br\s*/?>|</p>\s*<p[^>]*>|</div>\s*<div[^>]*>", "\n", value, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    return "\n".join(lines) or None


class Day(Date):
    """A date → a datetime at 00:00 UTC (08:00 in Taipei: the same day on either side)."""

    name = "day"

    def to_odoo(self, normal, lookups, *, create):
        return f"{normal} 00:00:00" if normal else False


class LocalDatetime(Converter):
    """A date and time in Taiwan (UTC+8, no daylight saving) ↔ Odoo's UTC datetime."""

    name = "local_datetime"

    def push(self, value, lookups):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        return value.replace(second=0, microsecond=0, tzinfo=None).isoformat(" ")

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        if not isinstance(value, str) or not value:
            return None
        utc = dt.datetime.fromisoformat(value[:19])
        return (utc + TAIPEI).replace(second=0).isoformat(" ")

    def to_odoo(self, normal, lookups, *, create):
        if normal is None:
            return False
        return (dt.datetime.fromisoformat(normal) - TAIPEI).isoformat(" ")

    def to_cell(self, normal, lookups):
        return dt.datetime.fromisoformat(normal) if normal else None


class ThreadOf(Converter):
    """The record a chatter entry belongs to: the first of several reference columns filled.

    ``thread_model:opportunity_id=opportunity,customer_id=customer`` gives the model of that
    record type, ``thread_model_id:…`` the id of that model in ir.model (what an activity
    needs), ``thread_id:…`` the record's Odoo id (or a reference to a record of the same run).
    """

    name = "thread"

    def __init__(self, spec: str, part: str) -> None:
        pairs = [item.split("=", 1) for item in spec.split(",")]
        self.targets = tuple((column.strip(), rtype.strip()) for column, rtype in pairs)
        self.columns = tuple(column for column, _t in self.targets)
        self.part = part
        self.models: dict[str, str] = {}  # record type → model, filled when the mapping is read

    def depends(self) -> set[str]:
        return {rtype for _c, rtype in self.targets}

    def _target(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        for column, rtype in self.targets:
            if values.get(column) not in (None, ""):
                return rtype, f"{rtype}:{values[column]}"
        return None

    def push(self, value, lookups):
        target = self._target(value or {})
        if target is None:
            raise Unresolved("no_thread", columns=", ".join(self.columns))
        rtype, key = target
        if self.part == "model":
            return self.models[rtype]
        if self.part == "model_id":
            found = lookups.model_ids.get(self.models[rtype])
            if found is None:
                raise Unresolved("no_model", model=self.models[rtype])
            return found
        found = lookups.ids.get(key)
        if found is None:
            raise Unresolved("no_record", key=key, value=key.split(":", 1)[1])
        return found

    def to_cell(self, normal, lookups):
        return KEEP


class UsersByEmail(UserByEmail):
    """A person → the one Odoo user of a many2many (``user_ids`` of a task); others are kept."""

    name = "users_by_email"

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or []
        if not held:
            return None
        return held[0] if len(held) == 1 else sorted(held)

    def to_odoo(self, normal, lookups, *, create):
        return [[6, 0, [] if normal is None else [int(normal)]]]

    def to_cell(self, normal, lookups):
        if isinstance(normal, list):
            return KEEP
        return super().to_cell(normal, lookups)


class AuthorByEmail(UserByEmail):
    """A person → the partner of their Odoo user (a message's author)."""

    name = "author_by_email"

    def push(self, value, lookups):
        uid = super().push(value, lookups)
        return None if uid is None else lookups.user_partners.get(int(uid))

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        users = [uid for uid, partner in lookups.user_partners.items() if partner == normal]
        return super().to_cell(users[0], lookups) if len(users) == 1 else KEEP


class ActivityDone(Converter):
    """Whether an activity is done: Odoo archives it (types provisioned with keep_done)."""

    name = "activity_done"

    def reads(self, odoo_field):
        return ("active",)

    def pull(self, record, odoo_field, lookups):
        return True if record.get("active") is False else KEEP


SIMPLE = {
    c.name: c
    for c in (
        Text, Money, Percent100, Date, EnumKey, UserByEmail, LeadStage, LeadActive, OdooId,
        Integer, Html, Day, LocalDatetime, UsersByEmail, AuthorByEmail, ActivityDone,
    )
}  # fmt: skip
PARAMETRIC = {
    "xmlid": XmlId,
    "partner_of": PartnerOf,
    "record_of": RecordOf,
    "tag": Tag,
    "name_of": NameOf,
    "thread_model": lambda spec: ThreadOf(spec, "model"),
    "thread_id": lambda spec: ThreadOf(spec, "id"),
    "thread_model_id": lambda spec: ThreadOf(spec, "model_id"),
}


def converter(spec: str) -> Converter:
    """The converter a mapping entry names, e.g. ``"money"`` or ``"xmlid:mops.team_sales"``."""
    name, _, argument = spec.partition(":")
    if name in SIMPLE and not argument:
        return SIMPLE[name]()
    if name in PARAMETRIC and argument:
        return PARAMETRIC[name](argument)
    raise ValueError(f"unknown converter {spec!r}")


@dataclass(frozen=True)
class FieldMap:
    """One mapped field: a workbook column (or a constant), an Odoo field, how and which way."""

    field: str
    column: str | None
    convert: Converter
    direction: str = "push"
    policy: str = "report"

    @property
    def label(self) -> str:
        """The column key, or the Odoo field for a constant: how people and mops.toml name it."""
        return self.column or self.field


@dataclass(frozen=True)
class RecordType:
    """One record type: a declared sheet synced with an Odoo model."""

    name: str
    sheet: SheetDef
    model: str
    key_prefix: str
    domain: tuple
    fields: tuple[FieldMap, ...]
    key_field: str = KEY_FIELD  # the Odoo field that holds the key
    key_format: str = "{key}"  # how the key is written there (a message_id is "<…@mops>")
    create: str = "create"  # create (a list per call) or message_post (one per call)
    post_args: tuple[tuple[str, Any], ...] = ()  # constant arguments of message_post
    when: str | None = None  # a column that must be filled for a row to be of this type
    match: str | None = None  # "email": only matched with existing records (the roster)
    also_read: tuple[str, ...] = ()  # columns read for values derived before planning

    @property
    def kind(self) -> dict[str, Any]:
        """What the applier needs to know of this type, saved with a plan."""
        return {
            "key_field": self.key_field,
            "key_format": self.key_format,
            "create": self.create,
            "post_args": dict(self.post_args),
            "domain": [list(term) for term in self.domain],
            "match": self.match,
        }

    def key_value(self, key: str) -> str:
        """The value of the key field in Odoo for a sync key."""
        return self.key_format.format(key=key)

    def key_of(self, value: object) -> str | None:
        """The sync key held in a record's key field, or None."""
        return key_from(self.key_format, value)

    def row_columns(self) -> set[str]:
        """Every workbook column this type reads."""
        names = {self.key_column} | {f.column for f in self.fields if f.column}
        names.update(c for f in self.fields for c in f.convert.columns)
        names.update(self.also_read)
        if self.match == "email":
            names |= {"email", "name", "active"}
        return names | ({self.when} if self.when else set())

    @property
    def key_column(self) -> str:
        """The sheet's primary key column."""
        assert self.sheet.primary_key is not None
        return self.sheet.primary_key

    @property
    def pushed(self) -> tuple[FieldMap, ...]:
        """Fields kept in step with the workbook (compared at every sync)."""
        return tuple(f for f in self.fields if f.direction == "push")

    @property
    def created(self) -> tuple[FieldMap, ...]:
        """Fields sent when mops creates the record."""
        return tuple(f for f in self.fields if f.direction in ("push", "create_only"))

    @property
    def pulled(self) -> tuple[FieldMap, ...]:
        """Odoo-owned columns copied back into the workbook."""
        return tuple(f for f in self.fields if f.direction == "pull")

    def read_fields(self) -> list[str]:
        """Every Odoo field to read for comparing and pulling back."""
        names = {self.key_field, "write_date"}
        for fm in self.fields:
            names.update(fm.convert.reads(fm.field))
        return sorted(names)

    def key(self, value: object) -> str:
        """The sync key of a row: ``customer:CU0001``."""
        return f"{self.key_prefix}:{value}"

    def depends_on(self) -> set[str]:
        """Record types this one refers to."""
        return {name for f in self.fields for name in f.convert.depends()}


@dataclass(frozen=True)
class SyncMapping:
    """Every record type, in dependency order."""

    types: tuple[RecordType, ...]

    def type(self, name: str) -> RecordType:
        """The record type with this name."""
        for t in self.types:
            if t.name == name:
                return t
        raise KeyError(name)

    def by_sheet(self, sheet_key: str) -> RecordType | None:
        """The record type of a sheet, if the sheet is synced."""
        return next((t for t in self.types if t.sheet.key == sheet_key), None)


def _order(types: dict[str, RecordType]) -> tuple[RecordType, ...]:
    done: list[RecordType] = []
    todo = dict(types)
    while todo:
        ready = [t for t in todo.values() if t.depends_on() <= {d.name for d in done}]
        if not ready:
            raise ValueError(f"mapping: circular references among {', '.join(todo)}")
        for t in ready:
            done.append(t)
            del todo[t.name]
    return tuple(done)


def _field(type_name: str, sheet: SheetDef, entry: dict) -> FieldMap:
    where = f"mapping [{type_name}] field {entry.get('field')!r}"
    unknown = set(entry) - {"field", "column", "value", "convert", "direction", "policy"}
    if unknown or "field" not in entry:
        raise ValueError(f"{where}: unknown or missing keys {sorted(unknown) or ['field']}")
    column = entry.get("column")
    if column is not None:
        sheet.column(column)  # raises KeyError naming the column
    if "value" in entry:
        convert: Converter = Constant(entry["value"])
    elif "convert" in entry:
        convert = converter(entry["convert"])
    else:
        raise ValueError(f"{where}: needs convert or value")
    direction = entry.get("direction", "push")
    policy = entry.get("policy", "report")
    if direction not in DIRECTIONS or policy not in POLICIES:
        raise ValueError(f"{where}: direction {direction!r} / policy {policy!r}")
    if direction == "pull" and column is None:
        raise ValueError(f"{where}: a pulled field needs a column")
    return FieldMap(entry["field"], column, convert, direction, policy)


def parse_mapping(data: dict[str, Any]) -> SyncMapping:
    """The mapping from the parsed TOML (raises ValueError naming what is wrong)."""
    types: dict[str, RecordType] = {}
    known = {
        "sheet", "model", "key_prefix", "domain", "fields", "key_field", "key_format", "create",
        "post_args", "when", "match", "also_read",
    }  # fmt: skip
    for name, spec in data.items():
        if set(spec) - known:
            raise ValueError(f"mapping [{name}]: unknown keys {sorted(set(spec) - known)}")
        sheet = declared_sheet(spec["sheet"])
        if sheet.primary_key is None:
            raise ValueError(f"mapping [{name}]: sheet {sheet.key} has no primary key")
        fields = tuple(_field(name, sheet, entry) for entry in spec["fields"])
        sent = [f.field for f in fields if f.direction != "pull"]
        if len(sent) != len(set(sent)):
            raise ValueError(f"mapping [{name}]: an Odoo field is written twice")
        types[name] = RecordType(
            name=name,
            sheet=sheet,
            model=spec["model"],
            key_prefix=spec.get("key_prefix", name),
            domain=tuple(tuple(term) for term in spec.get("domain", ())),
            fields=fields,
            key_field=spec.get("key_field", KEY_FIELD),
            key_format=spec.get("key_format", "{key}"),
            create=spec.get("create", "create"),
            post_args=tuple(sorted(spec.get("post_args", {}).items())),
            when=spec.get("when"),
            match=spec.get("match"),
            also_read=tuple(spec.get("also_read", ())),
        )
        if types[name].create not in ("create", "message_post"):
            raise ValueError(f"mapping [{name}]: create must be create or message_post")
        if types[name].match not in (None, "email"):
            raise ValueError(f"mapping [{name}]: match must be email")
        if "{key}" not in types[name].key_format:
            raise ValueError(f"mapping [{name}]: key_format must hold {{key}}")
        read = [types[name].when, *types[name].also_read]
        for column in read + [c for f in fields for c in f.convert.columns]:
            if column is not None:
                sheet.column(column)
    for t in types.values():
        missing = t.depends_on() - set(types)
        if missing:
            raise ValueError(f"mapping [{t.name}]: refers to unknown types {sorted(missing)}")
        for f in t.fields:
            if isinstance(f.convert, ThreadOf):
                f.convert.models.update({n: types[n].model for n in f.convert.depends()})
    return SyncMapping(_order(types))


def load_mapping(path: Path | str | None = None) -> SyncMapping:
    """Read mapping.toml (by default the one in integrations/odoo/)."""
    path = Path(path) if path else MAPPING_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return parse_mapping(data)
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def conflict_policies(mapping: SyncMapping, config: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The policy of every pushed field: mapping default, overridden by mops.toml."""
    overrides = config.get("sync", {}).get("conflicts", {})
    known = {
        t.name: {f.label for f in t.pushed} | {f.field for f in t.pushed} for t in mapping.types
    }
    for name, value in overrides.items():
        type_name, _, column = name.partition(".")
        if type_name not in known or (column and column not in known[type_name]):
            raise ConfigError(
                f"mops.toml: [sync.conflicts] {name!r} names no synced record type or column.",
                hint=f'Record types: {", ".join(known)}; e.g. "customer.phone" = "odoo".',
            )
        if value not in POLICIES:
            raise ConfigError(
                f"mops.toml: sync.conflicts.{name} must be one of {', '.join(POLICIES)}."
            )
    policies = {}
    for t in mapping.types:
        for f in t.pushed:
            policy = overrides.get(t.name, f.policy)
            for name in (f"{t.name}.{f.field}", f"{t.name}.{f.label}"):
                policy = overrides.get(name, policy)
            policies[(t.name, f.field)] = policy
    return policies
