"""The declarative mapping (mapping.toml, package data of mops): record types and their fields.

Each mapped field names a converter (``mops.syncing.converters``) that moves its values between the
workbook, the normal form the planner compares, and Odoo. The converters are built for the firm's
time zone and currency rounding (``[general]`` in mops.toml), so a mapping is loaded for a
configuration: ``load_mapping(config=config)``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from mops.config import Config, General, defaults
from mops.errors import ConfigError
from mops.schemas.model import SheetDef
from mops.schemas.registry import sheet as declared_sheet
from mops.syncing.converters import Constant, Converter, Locale, ThreadOf, converter

KEY_FIELD = "x_mops_key"
# What a terminated contract's invoices are judged by.
INVOICE_FIELDS = ("name", "move_type", "state", "payment_state", "amount_residual")
POLICIES = ("report", "workbook", "odoo")
DIRECTIONS = ("push", "pull", "create_only")
# How records are made: create (a list a call), message_post (a chatter message on its thread),
# invoice_wizard (a customer invoice from its order, through sale.advance.payment.inv).
CREATES = ("create", "message_post", "invoice_wizard")
# Package data (src/mops/data/odoo/), read through importlib.resources as all of mops's data is.
MAPPING_FILE: Traversable = resources.files("mops") / "data" / "odoo" / "mapping.toml"


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


@dataclass(frozen=True)
class FieldMap:
    """One mapped field: a workbook column (or a constant), an Odoo field, how and which way."""

    field: str
    column: str | None
    convert: Converter
    direction: str = "push"
    policy: str = "report"
    series: tuple[int, ...] = ()  # the Odoo versions that have the field (all when empty)

    @property
    def label(self) -> str:
        """The column key, or the Odoo field for a constant: how people and mops.toml name it."""
        return self.column or self.field


@dataclass(frozen=True)
class Action:
    """A workflow step Odoo owns (confirm, post, archive …), called through its public method.

    Planned for a row whose ``column`` holds ``value`` (or always, without a column) while the
    record's ``done_field`` is not ``done_value``; Odoo's state, not the state store, says
    whether it was done, so a crash between the call and the journal never repeats it.
    """

    method: str
    done_field: str
    done_value: Any  # one value, or a list of values any of which means done
    column: str | None = None
    value: Any = None  # one value, or a list of values any of which asks for the step
    context: tuple[tuple[str, Any], ...] = ()  # Odoo context of the call, per version "17" …
    series: tuple[int, ...] = ()  # the Odoo versions that have the step (all when empty)
    on_create: bool = True  # False: a record mops creates is already there (active by default)

    def wanted(self, row: dict[str, Any]) -> bool:
        """Whether the workbook row asks for this step."""
        return self.column is None or among(row.get(self.column), self.value)

    def done(self, record: dict[str, Any] | None) -> bool:
        """Whether Odoo's record already is where this step leads."""
        return record is not None and among(record.get(self.done_field), self.done_value)


def among(held: Any, expected: Any) -> bool:
    """Whether Odoo's value is the expected one, or one of an expected list."""
    return held in expected if isinstance(expected, list) else held == expected


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
    create: str = "create"  # one of CREATES
    post_args: tuple[tuple[str, Any], ...] = ()  # constant arguments of message_post
    when: str | None = None  # a column that must be filled for a row to be of this type
    match: str | None = None  # "email": only matched with existing records (the roster)
    also_read: tuple[str, ...] = ()  # columns read for values derived before planning
    # A record archived in Odoo (active = false) is reported, and this (column, enum key) is
    # pulled back into the row: an archived customer reads "lost" in the workbook.
    archived: tuple[str, str] | None = None
    actions: tuple[Action, ...] = ()  # workflow steps, called in this order after the writes
    series: tuple[int, ...] = ()  # the Odoo versions that have the model (all when empty)
    # (column, value, link): a row whose column holds value (a terminated contract) has the
    # customer invoices its record links through ``link`` settled: drafts cancelled, posted
    # ones not paid reported.
    terminated: tuple[str, Any, str] | None = None

    def on(self, series: int) -> bool:
        """Whether this type exists on that Odoo version (hr.expense.sheet is gone in 19)."""
        return not self.series or series in self.series

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
            "contexts": {a.method: dict(a.context) for a in self.actions if a.context},
            "done": {a.method: [a.done_field, a.done_value] for a in self.actions},
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
        names.update(a.column for a in self.actions if a.column)
        if self.terminated is not None:
            names.add(self.terminated[0])
        if self.match == "email":
            names |= {"email", "name", "active"}
        return names | ({self.when} if self.when else set())

    @property
    def key_column(self) -> str:
        """The sheet's primary key column."""
        assert self.sheet.primary_key is not None
        return self.sheet.primary_key

    @cached_property  # asked for every row of every sync
    def pushed(self) -> tuple[FieldMap, ...]:
        """Fields kept in step with the workbook (compared at every sync)."""
        return tuple(f for f in self.fields if f.direction == "push")

    @cached_property
    def created(self) -> tuple[FieldMap, ...]:
        """Fields sent when mops creates the record."""
        return tuple(f for f in self.fields if f.direction in ("push", "create_only"))

    @cached_property
    def pulled(self) -> tuple[FieldMap, ...]:
        """Odoo-owned columns copied back into the workbook."""
        return tuple(f for f in self.fields if f.direction == "pull")

    def read_fields(self) -> list[str]:
        """Every Odoo field to read for comparing and pulling back."""
        names = {self.key_field, "write_date"}
        if self.archived is not None:
            names.add("active")
        names.update(a.done_field for a in self.actions)
        for fm in self.fields:
            names.update(fm.convert.reads(fm.field))
        if self.terminated is not None:
            names.add(self.terminated[2])
        return sorted(names)

    def related_reads(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Records linked to this type's that planning looks into: link → (model, fields)."""
        reads: dict[str, tuple[str, tuple[str, ...]]] = {}
        for fm in self.fields:
            reads.update(fm.convert.related(fm.field))
        if self.terminated is not None:
            reads[self.terminated[2]] = ("account.move", INVOICE_FIELDS)
        return reads

    def key(self, value: object) -> str:
        """The sync key of a row: ``customer:CU0001``."""
        return f"{self.key_prefix}:{value}"

    def depends_on(self) -> set[str]:
        """Record types this one refers to (a manager of the same type is no dependency)."""
        return {name for f in self.fields for name in f.convert.depends()} - {self.name}


@dataclass(frozen=True)
class SyncMapping:
    """Every record type, in dependency order, with the locale its converters were built for."""

    types: tuple[RecordType, ...]
    locale: Locale

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


def _field(type_name: str, sheet: SheetDef, entry: dict, locale: Locale) -> FieldMap:
    where = f"mapping [{type_name}] field {entry.get('field')!r}"
    unknown = set(entry) - {"field", "column", "value", "convert", "direction", "policy", "series"}
    if unknown or "field" not in entry:
        raise ValueError(f"{where}: unknown or missing keys {sorted(unknown) or ['field']}")
    column = entry.get("column")
    if column is not None:
        sheet.column(column)  # raises KeyError naming the column
    if "value" in entry:
        convert: Converter = Constant(entry["value"])
    elif "convert" in entry:
        convert = converter(entry["convert"], locale)
    else:
        raise ValueError(f"{where}: needs convert or value")
    direction = entry.get("direction", "push")
    policy = entry.get("policy", "report")
    if direction not in DIRECTIONS or policy not in POLICIES:
        raise ValueError(f"{where}: direction {direction!r} / policy {policy!r}")
    if direction == "pull" and column is None:
        raise ValueError(f"{where}: a pulled field needs a column")
    series = tuple(int(v) for v in entry.get("series", ()))
    return FieldMap(entry["field"], column, convert, direction, policy, series)


def _action(type_name: str, sheet: SheetDef, entry: dict) -> Action:
    where = f"mapping [{type_name}] action {entry.get('method')!r}"
    unknown = set(entry) - {"method", "column", "value", "done", "context", "series", "on_create"}
    if unknown or not {"method", "done"} <= set(entry):
        missing = sorted(unknown) or ["method", "done"]
        raise ValueError(f"{where}: unknown or missing keys {missing}")
    if entry["method"].startswith("_"):
        raise ValueError(f"{where}: Odoo does not serve private methods over RPC")
    column = entry.get("column")
    if column is not None:
        sheet.column(column)
    (done_field, done_value), *more = entry["done"].items()
    if more:
        raise ValueError(f"{where}: done names one field")
    context = tuple(sorted(entry.get("context", {}).items()))
    series = tuple(int(v) for v in entry.get("series", ()))
    return Action(
        entry["method"], done_field, done_value, column, entry.get("value"), context, series,
        bool(entry.get("on_create", True)),
    )  # fmt: skip


def _terminated(entry: dict | None) -> tuple[str, Any, str] | None:
    if entry is None:
        return None
    return entry["column"], entry["value"], entry["invoices"]


def parse_mapping(data: dict[str, Any], locale: Locale) -> SyncMapping:
    """The mapping from the parsed TOML (raises ValueError naming what is wrong)."""
    types: dict[str, RecordType] = {}
    known = {
        "sheet", "model", "key_prefix", "domain", "fields", "key_field", "key_format", "create",
        "post_args", "when", "match", "also_read", "archived", "actions", "series", "terminated",
    }  # fmt: skip
    for name, spec in data.items():
        if set(spec) - known:
            raise ValueError(f"mapping [{name}]: unknown keys {sorted(set(spec) - known)}")
        sheet = declared_sheet(spec["sheet"])
        if sheet.primary_key is None:
            raise ValueError(f"mapping [{name}]: sheet {sheet.key} has no primary key")
        fields = tuple(_field(name, sheet, entry, locale) for entry in spec["fields"])
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
            archived=(
                (spec["archived"]["column"], spec["archived"]["value"])
                if "archived" in spec
                else None
            ),
            actions=tuple(_action(name, sheet, entry) for entry in spec.get("actions", ())),
            series=tuple(int(v) for v in spec.get("series", ())),
            terminated=_terminated(spec.get("terminated")),
        )
        if types[name].archived is not None:
            column, value = types[name].archived
            enum = sheet.column(column).enum
            options = enum.keys() if enum is not None else []
            if value not in options:
                raise ValueError(f"mapping [{name}]: archived names no option of {column}")
        if types[name].create not in CREATES:
            raise ValueError(f"mapping [{name}]: create must be one of {', '.join(CREATES)}")
        if types[name].match not in (None, "email"):
            raise ValueError(f"mapping [{name}]: match must be email")
        if "{key}" not in types[name].key_format:
            raise ValueError(f"mapping [{name}]: key_format must hold {{key}}")
        read = [types[name].when, *types[name].also_read]
        if types[name].terminated is not None:
            read.append(types[name].terminated[0])
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
    return SyncMapping(_order(types), locale)


def load_mapping(path: Path | str | None = None, *, config: Config | None = None) -> SyncMapping:
    """Read mapping.toml (by default the one shipped in mops, ``MAPPING_FILE``).

    Its converters use the time zone and currency rounding of ``config``; without one, those
    shipped with mops, never the environment's or a firm's file.
    """
    source: Path | Traversable = Path(path) if path else MAPPING_FILE
    general = config.general if config is not None else General(**defaults()["general"])
    try:
        return _parsed(source.read_text(encoding="utf-8"), Locale.of(general))
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        raise ConfigError(f"{source}: {exc}") from exc


@lru_cache(maxsize=8)
def _parsed(text: str, locale: Locale) -> SyncMapping:
    """A mapping's text parsed, once per text and locale (a mapping and its converters are
    frozen: a process that syncs again, the nightly job's, shares them)."""
    return parse_mapping(tomllib.loads(text), locale)


def conflict_policies(mapping: SyncMapping, config: Config) -> dict[tuple[str, str], str]:
    """The policy of every pushed field: mapping default, overridden by mops.toml."""
    overrides = config.sync.conflicts
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
