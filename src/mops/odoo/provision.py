"""What mops provisions in Odoo 17 (custom fields and records), planned by reading, then applied.

The spec is data, ``provisioning.toml`` shipped in mops (``SPEC_PATH``; its contract is
integrations/odoo/README.md of the source tree); ``load_spec`` reads it and resolves the enum
and column names it refers to, so selection values and record names always come from
``mops.schemas``. ``plan_setup`` only reads the server:
records are found by their external id in ``ir.model.data`` (module ``mops``), custom fields by
``ir.model.fields`` (model, name). ``apply_setup`` carries a plan out in batches: one ``create``
per model, then one ``create`` of the ``ir.model.data`` rows of the new records. A second run
plans nothing, so it sends no create or write at all.
"""

from __future__ import annotations

import fnmatch
import itertools
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from mops.errors import ConfigError, OdooError
from mops.i18n import text
from mops.odoo.client import OdooClient
from mops.schemas import enums as enums_module
from mops.schemas.model import Column, EnumDef

# Package data (src/mops/data/odoo/), read through importlib.resources as all of mops's data is.
SPEC_PATH: Traversable = resources.files("mops") / "data" / "odoo" / "provisioning.toml"
FIELD_TYPES = frozenset({"char", "text", "integer", "float", "selection"})
FIELD_KEYS = frozenset(
    {"type", "label", "help", "column", "selection_enum", "index", "copy", "optional_model"}
)
RECORD_KEYS = frozenset(
    {
        "model", "xmlid", "for_each", "skip", "name", "position", "values", "option_values",
        "enforce", "links", "find_by", "refs", "adopt",
    }
)  # fmt: skip
ALIAS_KEYS = frozenset({"xmlid", "model", "label", "targets", "domain", "expect"})
FINANCE_KEYS = frozenset({"currency", "country", "chart", "modules"})
NO_ARCHIVED = {"active_test": False}
RECORD_ACTIONS = ("create", "adopt", "update")


# -- the spec -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """A custom field mops needs: an ``ir.model.fields`` row of state ``manual``."""

    model: str
    name: str
    type: str
    label: str
    help: str = ""
    index: bool = False
    copy: bool = True
    selection: tuple[tuple[str, str], ...] = ()
    # The model is gone in some Odoo versions (hr.expense.sheet in 19): without it the field is
    # left out and said so, instead of being a conflict.
    optional_model: bool = False

    def options(self, keys: Iterable[str] | None = None) -> list[list]:
        """``selection_ids`` commands creating the options (all, or those with these keys)."""
        wanted = None if keys is None else set(keys)
        return [
            [0, 0, {"value": key, "name": label, "sequence": position}]
            for position, (key, label) in enumerate(self.selection)
            if wanted is None or key in wanted
        ]

    def create_values(self, model_id: int) -> dict[str, Any]:
        """The ``ir.model.fields`` values that create this field on the model ``model_id``."""
        values: dict[str, Any] = {
            "model_id": model_id,
            "name": self.name,
            "field_description": self.label,
            "ttype": self.type,
            "state": "manual",
            "index": self.index,
            "copied": self.copy,
        }
        if self.help:
            values["help"] = self.help
        if self.type == "selection":
            values["selection_ids"] = self.options()
        return values


@dataclass(frozen=True)
class RecordSpec:
    """A record mops needs, known by its external id ``<module>.<xmlid>``."""

    model: str
    xmlid: str
    values: dict[str, Any]
    find_by: tuple[str, ...] = ()
    enforce: tuple[str, ...] = ()
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # many2one -> external id in the module
    adopt: tuple[str, ...] = ()  # external ids (module.name) of records to adopt, in order

    @property
    def name(self) -> str:
        """The record's name as created."""
        return str(self.values.get("name", ""))


@dataclass(frozen=True)
class AliasSpec:
    """An external id mops gives a record Odoo or its chart owns (a tax, a journal …).

    Setup never creates or changes such a record: it finds it by the first of ``targets`` (full
    external ids, ``{company}`` is the user's company id) that exists, else by ``domain``, checks
    the ``expect`` values, and names it ``<module>.<xmlid>``.
    """

    model: str
    xmlid: str
    label: str
    targets: tuple[str, ...] = ()
    domain: tuple = ()
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FinanceSpec:
    """What the finance sync expects of the company: currency, country, chart, modules."""

    currency: str = "TWD"
    country: str = "TW"
    chart: str = "tw"
    modules: tuple[str, ...] = ("account", "sale_management", "hr_expense", "l10n_tw")


@dataclass(frozen=True)
class FeatureSpec:
    """An Odoo setting mops needs switched on, known by the group it gives every user."""

    setting: str  # the res.config.settings field, e.g. group_analytic_accounting
    group: str  # the group it implies, e.g. analytic.group_analytic_accounting
    label: str
    models: tuple[str, ...] = ()  # models that cannot be read before it is on

    @property
    def name(self) -> str:
        """How people and plans name it."""
        return self.setting


@dataclass(frozen=True)
class Spec:
    """Everything mops provisions: settings, custom fields, then records in creation order."""

    module: str
    fields: tuple[FieldSpec, ...]
    records: tuple[RecordSpec, ...]
    features: tuple[FeatureSpec, ...] = ()
    aliases: tuple[AliasSpec, ...] = ()
    finance: FinanceSpec = field(default_factory=FinanceSpec)

    def models(self) -> list[str]:
        """Every model the spec touches, in order of first mention."""
        names = [f.model for f in self.fields] + [a.model for a in self.aliases]
        names += [r.model for r in self.records]
        return list(dict.fromkeys(names))

    def optional_models(self) -> set[str]:
        """Models only optional fields are on: their absence is no conflict."""
        needed = {a.model for a in self.aliases} | {r.model for r in self.records}
        needed |= {f.model for f in self.fields if not f.optional_model}
        return {f.model for f in self.fields if f.optional_model} - needed


def enums_by_key() -> dict[str, EnumDef]:
    """Every declared enum by its key."""
    return {e.key: e for e in vars(enums_module).values() if isinstance(e, EnumDef)}


def load_spec(path: Path | str | None = None) -> Spec:
    """Read and resolve the provisioning spec (by default the one in mops, ``SPEC_PATH``)."""
    source: Path | Traversable = Path(path) if path else SPEC_PATH
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{source}: cannot read the Odoo provisioning spec ({exc.strerror}).",
            hint="It ships inside mops (mops/data/odoo/); reinstall mops to restore it.",
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
    return parse_spec(data, source=str(source))


def parse_spec(data: dict[str, Any], source: str = "provisioning.toml") -> Spec:
    """A Spec from the parsed TOML; a wrong or unknown entry is a ConfigError naming it."""
    enums = enums_by_key()
    module = str(data.get("module") or "mops")
    fields: list[FieldSpec] = []
    for model, table in (data.get("fields") or {}).items():
        for name, raw in table.items():
            fields.append(_field_spec(model, name, raw, enums, f"{source}: fields.{model}.{name}"))
    aliases = _alias_specs(data.get("aliases") or [], source)
    records = _record_specs(data.get("records") or [], enums, source, aliases)
    features = []
    for number, raw in enumerate(data.get("features") or [], start=1):
        unknown = set(raw) - {"setting", "group", "label", "models"}
        if unknown or not {"setting", "group", "label"} <= set(raw):
            raise ConfigError(f"{source}: features #{number}: needs setting, group and label.")
        features.append(
            FeatureSpec(raw["setting"], raw["group"], raw["label"], tuple(raw.get("models", ())))
        )
    raw_finance = data.get("finance") or {}
    unknown = sorted(set(raw_finance) - FINANCE_KEYS)
    if unknown:
        raise ConfigError(f"{source}: finance: unknown key(s) {', '.join(unknown)}.")
    finance = FinanceSpec(
        **{k: tuple(v) if k == "modules" else str(v) for k, v in raw_finance.items()}
    )
    return Spec(
        module=module,
        fields=tuple(fields),
        records=records,
        features=tuple(features),
        aliases=aliases,
        finance=finance,
    )


def _alias_specs(entries: list[dict], source: str) -> tuple[AliasSpec, ...]:
    aliases: list[AliasSpec] = []
    for number, raw in enumerate(entries, start=1):
        where = f"{source}: aliases #{number} ({raw.get('xmlid')})"
        unknown = sorted(set(raw) - ALIAS_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}.")
        if not (raw.get("xmlid") and raw.get("model") and raw.get("label")):
            raise ConfigError(f"{where}: needs xmlid, model and label.")
        if not (raw.get("targets") or raw.get("domain")):
            raise ConfigError(f"{where}: needs targets (external ids) or a domain.")
        bad = [t for t in raw.get("targets") or () if "." not in t]
        if bad:
            raise ConfigError(f"{where}: targets are full external ids (module.name): {bad}.")
        if any(a.xmlid == raw["xmlid"] for a in aliases):
            raise ConfigError(f"{where}: external id {raw['xmlid']} is given twice.")
        aliases.append(
            AliasSpec(
                model=str(raw["model"]),
                xmlid=str(raw["xmlid"]),
                label=str(raw["label"]),
                targets=tuple(raw.get("targets") or ()),
                domain=tuple(tuple(term) for term in raw.get("domain") or ()),
                expect=dict(raw.get("expect") or {}),
            )
        )
    return tuple(aliases)


def _enum(enums: dict[str, EnumDef], key: object, where: str) -> EnumDef:
    if key not in enums:
        raise ConfigError(f"{where}: no enum {key!r} is declared in mops.schemas.enums.")
    return enums[str(key)]


def _column(ref: str, where: str) -> Column:
    from mops.schemas.registry import sheet

    sheet_key, _, column_key = str(ref).partition(".")
    try:
        return sheet(sheet_key).column(column_key)
    except KeyError as exc:
        raise ConfigError(f"{where}: no declared column {ref!r} ({exc.args[0]}).") from exc


def _field_spec(model: str, name: str, raw: dict, enums: dict, where: str) -> FieldSpec:
    unknown = sorted(set(raw) - FIELD_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}.")
    if not name.startswith("x_"):
        raise ConfigError(f"{where}: Odoo requires custom field names to start with 'x_'.")
    ftype = raw.get("type")
    if ftype not in FIELD_TYPES:
        raise ConfigError(f"{where}: type must be one of {', '.join(sorted(FIELD_TYPES))}.")
    column = _column(raw["column"], where) if "column" in raw else None
    label = raw.get("label")
    selection: tuple[tuple[str, str], ...] = ()
    if ftype == "selection":
        enum = _enum(enums, raw.get("selection_enum"), where)
        if column is not None and (column.enum is None or column.enum.key != enum.key):
            raise ConfigError(f"{where}: column {raw['column']} does not hold enum {enum.key}.")
        selection = tuple((o.key, o.zh) for o in enum.options)
        label = label or enum.zh
    elif "selection_enum" in raw:
        raise ConfigError(f"{where}: only a selection field takes selection_enum.")
    label = label or (column.zh if column else "")
    if not label:
        raise ConfigError(f"{where}: give a label or the column the field holds.")
    return FieldSpec(
        model=model,
        name=name,
        type=ftype,
        label=label,
        help=raw.get("help") or (column.help_zh if column else ""),
        index=bool(raw.get("index", False)),
        copy=bool(raw.get("copy", True)),
        selection=selection,
        optional_model=bool(raw.get("optional_model", False)),
    )


def _name(template: object, params: dict[str, str], enums: dict, where: str) -> str:
    if isinstance(template, dict):
        enum = _enum(enums, template.get("enum"), where)
        try:
            return enum.option(str(template.get("option"))).zh
        except KeyError as exc:
            raise ConfigError(f"{where}: {exc.args[0]}.") from exc
    try:
        return str(template).format(**params)
    except (KeyError, IndexError) as exc:
        raise ConfigError(f"{where}: unknown placeholder in {template!r}.") from exc


def _options(enums: dict, for_each: object, where: str) -> list[tuple[int, dict, list[str]]]:
    """(position, template parameters, option keys) of every option (combination) of for_each.

    One enum gives {key}, {label} and {enum}; a list of enums gives every combination, with
    {<enum>_key} and {<enum>_label} of each (e.g. {expense_category_key}_{expense_item_key}).
    """
    names = [for_each] if isinstance(for_each, str) else list(for_each or ())
    if not names:
        raise ConfigError(f"{where}: for_each names no enum.")
    chosen = [_enum(enums, name, where) for name in names]
    combos: list[tuple[int, dict, list[str]]] = []
    for position, options in enumerate(itertools.product(*(e.options for e in chosen)), 1):
        params: dict[str, str] = {}
        for enum, option in zip(chosen, options, strict=True):
            params[f"{enum.key}_key"], params[f"{enum.key}_label"] = option.key, option.zh
        if len(chosen) == 1:
            params.update(key=options[0].key, label=options[0].zh, enum=chosen[0].zh)
        combos.append((position, params, [o.key for o in options]))
    return combos


def _record_specs(
    entries: list[dict], enums: dict, source: str, aliases: tuple[AliasSpec, ...] = ()
) -> tuple[RecordSpec, ...]:
    records: list[RecordSpec] = []
    for number, raw in enumerate(entries, start=1):
        where = f"{source}: records #{number} ({raw.get('model')})"
        unknown = sorted(set(raw) - RECORD_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}.")
        for key in ("model", "xmlid", "name"):
            if not raw.get(key):
                raise ConfigError(f"{where}: {key} is missing.")
        base = dict(raw.get("values") or {})
        if "for_each" not in raw:
            values = {"name": _name(raw["name"], {}, enums, where), **base}
            records.append(_record(raw, raw["xmlid"], values, records, aliases, {}, where))
            continue
        combos = _options(enums, raw["for_each"], where)
        skip = set(raw.get("skip") or ())
        option_values = dict(raw.get("option_values") or {})
        if (skip or option_values) and not isinstance(raw["for_each"], str):
            raise ConfigError(f"{where}: skip and option_values need a single enum in for_each.")
        strays = sorted((skip | set(option_values)) - {keys[0] for _p, _params, keys in combos})
        if strays:
            raise ConfigError(f"{where}: enum {raw['for_each']} has no option {', '.join(strays)}.")
        for position, params, keys in combos:
            if keys[0] in skip:
                continue
            values = {"name": _name(raw["name"], params, enums, where), **base}
            if raw.get("position"):
                values[raw["position"]] = position
            values.update(option_values.get(keys[0]) or {})
            xmlid = _name(raw["xmlid"], params, enums, where)
            records.append(_record(raw, xmlid, values, records, aliases, params, where))
    return tuple(records)


def _record(
    raw: dict,
    xmlid: str,
    values: dict,
    before: list[RecordSpec],
    aliases: tuple[AliasSpec, ...],
    params: dict,
    where: str,
):
    if any(r.xmlid == xmlid for r in before) or any(a.xmlid == xmlid for a in aliases):
        raise ConfigError(f"{where}: external id {xmlid} is given twice.")
    model = str(raw["model"])
    refs: dict[str, str] = {}
    for fname, template in (raw.get("refs") or {}).items():
        target = _name(template, params, {}, where)
        known = [r for r in before if r.xmlid == target] + [a for a in aliases if a.xmlid == target]
        if not known:
            raise ConfigError(
                f"{where}: refs.{fname}: no alias or record listed before is {target}."
            )
        if isinstance(known[0], RecordSpec) and known[0].model == model:
            # Records of a model are created in one call: one cannot point at another.
            raise ConfigError(f"{where}: refs.{fname}: {target} is a record of the same model.")
        refs[fname] = target
    find_by, enforce = tuple(raw.get("find_by") or ()), tuple(raw.get("enforce") or ())
    absent = [f for f in (*find_by, *enforce) if f not in values and f not in refs]
    if absent:
        raise ConfigError(f"{where}: find_by/enforce name fields without a value: {absent}.")
    links: dict[str, tuple[str, ...]] = {}
    names = [r.xmlid for r in before] + [a.xmlid for a in aliases]
    for fname, patterns in (raw.get("links") or {}).items():
        targets: list[str] = []
        for pattern in patterns:
            hits = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
            if not hits:
                raise ConfigError(f"{where}: links.{fname}: no record listed before is {pattern}.")
            targets.extend(hits)
        links[fname] = tuple(dict.fromkeys(targets))
    # {company} is the user's company id, known once setup reads the server.
    adopt = tuple(
        _name(x, {**params, "company": "{company}"}, {}, where) for x in raw.get("adopt") or ()
    )
    if any("." not in x for x in adopt):
        raise ConfigError(f"{where}: adopt lists full external ids (module.name).")
    return RecordSpec(
        model, xmlid, values, find_by=find_by, enforce=enforce, links=links, refs=refs, adopt=adopt
    )


# -- the plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """A custom field to create, or one to complete (index, copy, missing selection options)."""

    spec: FieldSpec
    action: str  # "create" or "update"
    model_id: int | None = None
    field_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    new_options: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordChange:
    """A record to create, to adopt (give the external id), or to update."""

    spec: RecordSpec
    action: str  # "create", "adopt" or "update"
    res_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)  # enforced values that differ
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # external ids to link
    xmlid_row: int | None = None  # an ir.model.data row whose record no longer exists
    adopted_from: str = ""  # the external id of the record adopted (else found by find_by)


@dataclass(frozen=True)
class AliasChange:
    """An external id to give a record Odoo owns (``found_by``: its external id or the domain)."""

    spec: AliasSpec
    res_id: int
    found_by: str
    xmlid_row: int | None = None  # an ir.model.data row of mops whose record no longer exists


@dataclass(frozen=True)
class Conflict:
    """Something setup must not change and cannot work around; a person has to decide."""

    # "model_missing", "field_type", "xmlid_model", "alias_missing" or "alias_mismatch"
    kind: str
    model: str
    name: str  # the field, or the external id
    expected: str = ""
    found: str = ""


@dataclass
class SetupPlan:
    """What setup would do on this server; empty when everything is provisioned."""

    spec: Spec
    model_ids: dict[str, int]
    ids: dict[str, int]  # external id name -> id of the records that exist
    fields: list[FieldChange] = field(default_factory=list)
    records: list[RecordChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    calls: int = 0  # RPC calls the planning made
    features: list[FeatureSpec] = field(default_factory=list)  # settings to switch on
    deferred: list[str] = field(default_factory=list)  # models planned once those are on
    # (model, field) the spec sets but this server's version does not have (e.g. keep_done,
    # gone in Odoo 19, which keeps done activities anyway): left out, and said so.
    unavailable: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[AliasChange] = field(default_factory=list)  # external ids to give
    # Records left out because what they point at is a conflict (an alias not found): external
    # ids; setup makes them once the conflict is settled.
    blocked: list[str] = field(default_factory=list)
    company_id: int = 1  # the user's company, {company} in external ids

    @property
    def empty(self) -> bool:
        """Whether nothing is left to create, change or decide."""
        return not (self.fields or self.records or self.conflicts or self.features or self.aliases)

    @property
    def changes(self) -> int:
        """How many settings, fields, aliases and records setup would switch on, create or
        change."""
        return len(self.features) + len(self.fields) + len(self.aliases) + len(self.records)


def _read(client: OdooClient, model: str, domain: list, fields: list[str], **kwargs) -> list[dict]:
    return client.call(model, "search_read", domain, fields=fields, **kwargs)


def _plain(value: Any) -> Any:
    """A read value in the form it is written: a many2one's id instead of [id, name]."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        return value[0]
    return value


def plan_setup(client: OdooClient, spec: Spec) -> SetupPlan:
    """Read the server and work out what setup would create or update; changes nothing."""
    before = getattr(client, "calls", 0)
    models = spec.models()
    found = _read(client, "ir.model", [["model", "in", models]], ["model"])
    model_ids = {row["model"]: row["id"] for row in found}
    plan = SetupPlan(spec=spec, model_ids=model_ids, ids={})
    optional = spec.optional_models()
    for model in models:
        if model in model_ids:
            continue
        if model in optional:
            plan.unavailable.extend((f.model, f.name) for f in spec.fields if f.model == model)
        else:
            plan.conflicts.append(Conflict("model_missing", model, model))
    for feature in spec.features:
        if not client.has_group(feature.group):
            plan.features.append(feature)
            plan.deferred.extend(m for m in feature.models if m not in plan.deferred)
    if spec.aliases or any(r.adopt for r in spec.records):
        user = client.call("res.users", "read", [client.uid], ["company_id"])[0]
        plan.company_id = _plain(user["company_id"])
    _plan_fields(client, plan)
    _plan_records(client, plan)
    plan.calls = getattr(client, "calls", 0) - before
    return plan


def _plan_fields(client: OdooClient, plan: SetupPlan) -> None:
    wanted = [f for f in plan.spec.fields if f.model in plan.model_ids]
    if not wanted:
        return
    rows = _read(
        client,
        "ir.model.fields",
        [
            ["model", "in", sorted({f.model for f in wanted})],
            ["name", "in", sorted({f.name for f in wanted})],
        ],
        ["model", "name", "ttype", "index", "copied"],
    )
    existing = {(row["model"], row["name"]): row for row in rows}
    selections = [row["id"] for row in rows if row["ttype"] == "selection"]
    options: dict[int, set[str]] = {}
    if selections:
        for row in _read(
            client,
            "ir.model.fields.selection",
            [["field_id", "in", selections]],
            ["field_id", "value"],
        ):
            options.setdefault(_plain(row["field_id"]), set()).add(row["value"])
    for spec in wanted:
        row = existing.get((spec.model, spec.name))
        if row is None:
            plan.fields.append(FieldChange(spec, "create", model_id=plan.model_ids[spec.model]))
            continue
        if row["ttype"] != spec.type:
            # Changing a column's type would convert or drop the data people put in it.
            plan.conflicts.append(
                Conflict("field_type", spec.model, spec.name, spec.type, row["ttype"])
            )
            continue
        changes: dict[str, Any] = {}
        if spec.index and not row["index"]:
            changes["index"] = True
        if not spec.copy and row["copied"]:
            changes["copied"] = False
        have = options.get(row["id"], set())
        new_options = tuple(key for key, _label in spec.selection if key not in have)
        if changes or new_options:
            plan.fields.append(
                FieldChange(
                    spec, "update", field_id=row["id"], changes=changes, new_options=new_options
                )
            )


def _plan_records(client: OdooClient, plan: SetupPlan) -> None:
    spec = plan.spec
    names = [a.xmlid for a in spec.aliases] + [r.xmlid for r in spec.records]
    rows = _read(
        client,
        "ir.model.data",
        [["module", "=", spec.module], ["name", "in", names]],
        ["name", "model", "res_id"],
    )
    xmlids = {row["name"]: row for row in rows}
    _plan_aliases(client, plan, xmlids)
    unresolved = {a.xmlid for a in spec.aliases} - set(plan.ids)
    by_model: dict[str, list[RecordSpec]] = {}
    for record in spec.records:
        targets = {*record.refs.values(), *(x for xs in record.links.values() for x in xs)}
        if targets & unresolved:
            unresolved.add(record.xmlid)  # and so are the records pointing at it
            plan.blocked.append(record.xmlid)
            continue
        by_model.setdefault(record.model, []).append(record)
    planned = {m: r for m, r in by_model.items() if m in plan.model_ids and m not in plan.deferred}
    have = _server_fields(client, planned)
    unnamed = [r for records in planned.values() for r in records if r.xmlid not in xmlids]
    adoptable = _external_ids(client, [x for r in unnamed for x in r.adopt], plan)
    for model, records in planned.items():
        records = _fitted(plan, model, records, have)
        _plan_model_records(client, plan, model, records, xmlids, adoptable)


def _external_ids(client: OdooClient, names: Iterable[str], plan: SetupPlan) -> dict[str, dict]:
    """The ir.model.data rows of these external ids ({company} filled in), by the id as given."""
    wanted = {name: name.format(company=plan.company_id) for name in names}
    if not wanted:
        return {}
    pairs = {full: tuple(full.split(".", 1)) for full in wanted.values()}
    rows = _read(
        client,
        "ir.model.data",
        [
            ["module", "in", sorted({m for m, _n in pairs.values()})],
            ["name", "in", sorted({n for _m, n in pairs.values()})],
        ],
        ["module", "name", "model", "res_id"],
    )
    found = {(row["module"], row["name"]): row for row in rows}
    return {name: found[pairs[full]] for name, full in wanted.items() if pairs[full] in found}


def _plan_aliases(client: OdooClient, plan: SetupPlan, xmlids: dict[str, dict]) -> None:
    """Find the record of every alias; an alias already given is checked, not searched again.

    One read per model for the aliases given, one for their targets: a steady state costs a
    read per model, however many aliases there are.
    """
    aliases = [a for a in plan.spec.aliases if a.model in plan.model_ids]
    given: dict[str, dict] = {}
    for alias in aliases:
        row = xmlids.get(alias.xmlid)
        if row is not None and row["model"] != alias.model:
            plan.conflicts.append(
                Conflict("xmlid_model", alias.model, alias.xmlid, alias.model, row["model"])
            )
        elif row is not None:
            given[alias.xmlid] = row
    aliases = [a for a in aliases if a.xmlid in given or a.xmlid not in xmlids]
    current = _alias_rows(
        client, aliases, {a.xmlid: [given[a.xmlid]["res_id"]] for a in aliases if a.xmlid in given}
    )
    missing = [a for a in aliases if not current.get(a.xmlid)]
    targets = _external_ids(client, [t for a in missing for t in a.targets], plan)
    offered = {
        a.xmlid: [
            targets[t]["res_id"] for t in a.targets if targets.get(t, {}).get("model") == a.model
        ]
        for a in missing
    }
    found = _alias_rows(client, missing, offered)
    for alias in aliases:
        if current.get(alias.xmlid):
            row = current[alias.xmlid][0]
            plan.ids[alias.xmlid] = row["id"]
            _check_alias(plan, alias, row)
            continue
        row, how = None, ""
        rows = {r["id"]: r for r in found.get(alias.xmlid, [])}
        for target in alias.targets:
            target_row = targets.get(target)
            if target_row is not None and target_row["res_id"] in rows:
                row, how = rows[target_row["res_id"]], target.format(company=plan.company_id)
                break
        if row is None and alias.domain:
            domain = [list(term) for term in alias.domain]
            hits = _read(client, alias.model, domain, _alias_fields([alias]), order="id", limit=1)
            if hits:
                row, how = hits[0], str(domain)
        if row is None:
            tried = ", ".join(t.format(company=plan.company_id) for t in alias.targets)
            tried = "; ".join(filter(None, [tried, str([list(t) for t in alias.domain] or "")]))
            plan.conflicts.append(Conflict("alias_missing", alias.model, alias.xmlid, tried))
            continue
        if _check_alias(plan, alias, row):
            plan.ids[alias.xmlid] = row["id"]
            dangling = given[alias.xmlid]["id"] if alias.xmlid in given else None
            plan.aliases.append(AliasChange(alias, row["id"], how, xmlid_row=dangling))


def _alias_fields(aliases: Iterable[AliasSpec]) -> list[str]:
    return sorted({"id", *(k for a in aliases for k in a.expect)})


def _alias_rows(
    client: OdooClient, aliases: list[AliasSpec], ids: dict[str, list[int]]
) -> dict[str, list[dict]]:
    """The active records among ``ids`` of each alias, read in one call per model."""
    by_model: dict[str, list[AliasSpec]] = {}
    for alias in aliases:
        if ids.get(alias.xmlid):
            by_model.setdefault(alias.model, []).append(alias)
    rows: dict[str, list[dict]] = {}
    for model, group in by_model.items():
        wanted = sorted({rid for a in group for rid in ids[a.xmlid]})
        # Archived records do not count: the chart keeps the taxes it does not use archived.
        read = {
            r["id"]: r for r in _read(client, model, [["id", "in", wanted]], _alias_fields(group))
        }
        for alias in group:
            rows[alias.xmlid] = [read[rid] for rid in ids[alias.xmlid] if rid in read]
    return rows


def _check_alias(plan: SetupPlan, alias: AliasSpec, row: dict) -> bool:
    """Whether the record is what the alias expects; a conflict names what differs."""
    differ = {k: _plain(row.get(k)) for k, v in alias.expect.items() if _plain(row.get(k)) != v}
    if not differ:
        return True
    expected = ", ".join(f"{k}={alias.expect[k]!r}" for k in differ)
    found = ", ".join(f"{k}={v!r}" for k, v in differ.items())
    plan.conflicts.append(
        Conflict("alias_mismatch", alias.model, f"{alias.xmlid} (id {row['id']})", expected, found)
    )
    return False


def _named_fields(records: list[RecordSpec]) -> set[str]:
    return {f for r in records for f in (*r.values, *r.enforce, *r.find_by, *r.links, *r.refs)}


def _server_fields(client: OdooClient, by_model: dict[str, list[RecordSpec]]) -> set[tuple]:
    """(model, field) of the fields the specs name that this server has, in one read."""
    names = sorted({f for records in by_model.values() for f in _named_fields(records)})
    rows = _read(
        client, "ir.model.fields", [["model", "in", sorted(by_model)], ["name", "in", names]],
        ["model", "name"],
    )  # fmt: skip
    return {(row["model"], row["name"]) for row in rows}


def _fitted(
    plan: SetupPlan, model: str, records: list[RecordSpec], have: set[tuple]
) -> list[RecordSpec]:
    """The records with only the fields this server has (what it says, not a version check)."""
    named = _named_fields(records)
    missing = sorted(n for n in named if (model, n) not in have)
    if not missing:
        return records
    plan.unavailable.extend((model, name) for name in missing)

    def keep(name: str) -> bool:
        return (model, name) in have

    return [
        replace(
            r,
            values={k: v for k, v in r.values.items() if keep(k)},
            find_by=tuple(filter(keep, r.find_by)),
            enforce=tuple(filter(keep, r.enforce)),
            links={k: v for k, v in r.links.items() if keep(k)},
            refs={k: v for k, v in r.refs.items() if keep(k)},
        )
        for r in records
    ]


def _plan_model_records(
    client: OdooClient,
    plan: SetupPlan,
    model: str,
    records: list[RecordSpec],
    xmlids: dict,
    adoptable: dict[str, dict],
) -> None:
    wanted = sorted({f for r in records for f in (*r.enforce, *r.links, *r.find_by)})
    pointed = {
        r.xmlid: xmlids[r.xmlid]["res_id"]
        for r in records
        if r.xmlid in xmlids and xmlids[r.xmlid]["model"] == model
    }
    offered = {
        r.xmlid: [
            adoptable[x]["res_id"] for x in r.adopt if adoptable.get(x, {}).get("model") == model
        ]
        for r in records
    }
    current: dict[int, dict] = {}
    known = set(pointed.values()) | {rid for ids in offered.values() for rid in ids}
    if known:
        # Archived records count as found: archiving is a choice made in Odoo, not a deletion.
        rows = _read(
            client, model, [["id", "in", sorted(known)]], wanted or ["id"], context=NO_ARCHIVED
        )
        current = {row["id"]: row for row in rows}
    orphans = [r for r in records if pointed.get(r.xmlid) not in current]
    candidates = _candidates(client, model, orphans, wanted)
    taken = {pointed[x] for x in pointed if pointed[x] in current}
    for record in records:
        row_imd = xmlids.get(record.xmlid)
        if row_imd is not None and row_imd["model"] != model:
            plan.conflicts.append(
                Conflict("xmlid_model", model, record.xmlid, model, row_imd["model"])
            )
            continue
        row = current.get(pointed.get(record.xmlid, 0))
        if row is not None:
            plan.ids[record.xmlid] = row["id"]
            changes, links = _differences(record, row, plan.ids)
            if changes or links:
                plan.records.append(RecordChange(record, "update", row["id"], changes, links))
            continue
        dangling = row_imd["id"] if row_imd is not None else None
        # A record Odoo made (the chart's 30-day term) is named before any search by values.
        offer = [rid for rid in offered[record.xmlid] if rid in current and rid not in taken]
        match = current[offer[0]] if offer else None
        source = ""
        if match is not None:
            source = next(x for x in record.adopt if adoptable.get(x, {}).get("res_id") == offer[0])
        else:
            match = next(
                (c for c in candidates if _matches(record, c) and c["id"] not in taken), None
            )
        if match is not None:
            taken.add(match["id"])
            plan.ids[record.xmlid] = match["id"]
            changes, links = _differences(record, match, plan.ids)
            plan.records.append(
                RecordChange(
                    record,
                    "adopt",
                    match["id"],
                    changes,
                    links,
                    xmlid_row=dangling,
                    adopted_from=source.format(company=plan.company_id),
                )
            )
            continue
        plan.records.append(
            RecordChange(record, "create", links=dict(record.links), xmlid_row=dangling)
        )


def _candidates(
    client: OdooClient, model: str, records: list[RecordSpec], wanted: list[str]
) -> list[dict]:
    """Active records that may be adopted: those with the find_by values of some record."""
    searchable = [r for r in records if r.find_by]
    if not searchable:
        return []
    domain = []
    for fname in sorted({f for r in searchable for f in r.find_by}):
        values = list(dict.fromkeys(r.values[fname] for r in searchable if fname in r.find_by))
        domain.append([fname, "=", values[0]] if len(values) == 1 else [fname, "in", values])
    return _read(client, model, domain, wanted or ["id"], order="id")


def _matches(record: RecordSpec, row: dict) -> bool:
    return bool(record.find_by) and all(
        _plain(row.get(f)) == record.values[f] for f in record.find_by
    )


def _differences(
    record: RecordSpec, row: dict, ids: dict[str, int]
) -> tuple[dict[str, Any], dict[str, tuple[str, ...]]]:
    changes = {
        f: record.values[f]
        for f in record.enforce
        if f in record.values and _plain(row.get(f)) != record.values[f]
    }
    for f in record.enforce:
        target = ids.get(record.refs.get(f, ""))
        if f in record.refs and target is not None and _plain(row.get(f)) != target:
            changes[f] = target
    links = {}
    for fname, targets in record.links.items():
        linked = set(row.get(fname) or ())
        missing = tuple(x for x in targets if ids.get(x) not in linked)
        if missing:
            links[fname] = missing
    return changes, links


# -- applying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetupResult:
    """What setup did."""

    features_enabled: int = 0
    aliases_created: int = 0
    fields_created: int = 0
    fields_updated: int = 0
    records_created: int = 0
    records_adopted: int = 0
    records_updated: int = 0
    xmlids_created: int = 0
    conflicts: int = 0
    calls: int = 0
    seconds: float = 0.0


def apply_setup(client: OdooClient, plan: SetupPlan) -> SetupResult:
    """Carry out a plan: fields first, then records model by model, then their external ids."""
    start, before = time.perf_counter(), getattr(client, "calls", 0)
    if plan.features:
        for feature in plan.features:
            # What ticking the box in Settings does: every internal user gets the group.
            ids = client.call("res.config.settings", "create", [{feature.setting: True}])
            client.call("res.config.settings", "execute", ids)
        # The records of models that could not be read before are planned now.
        again = plan_setup(client, plan.spec)
        if again.features:
            features = ", ".join(f"{f.label} ({f.setting})" for f in again.features)
            raise OdooError(
                text("odoo_features_off", features=features), hint=text("odoo_features_off_hint")
            )
        return replace(
            apply_setup(client, again),
            features_enabled=len(plan.features),
            calls=getattr(client, "calls", 0) - before,
            seconds=time.perf_counter() - start,
        )
    creates = [c for c in plan.fields if c.action == "create"]
    if creates:
        client.call(
            "ir.model.fields", "create", [c.spec.create_values(c.model_id) for c in creates]
        )
    for change in plan.fields:
        if change.action == "update":
            values = dict(change.changes)
            if change.new_options:
                values["selection_ids"] = change.spec.options(change.new_options)
            client.call("ir.model.fields", "write", [change.field_id], values)
    ids = dict(plan.ids)
    named = _create_records(client, plan, ids)
    _update_records(client, plan, ids)
    counts = {action: sum(c.action == action for c in plan.records) for action in RECORD_ACTIONS}
    return SetupResult(
        aliases_created=len(plan.aliases),
        fields_created=len(creates),
        fields_updated=len(plan.fields) - len(creates),
        records_created=counts["create"],
        records_adopted=counts["adopt"],
        records_updated=counts["update"],
        xmlids_created=named,
        conflicts=len(plan.conflicts),
        calls=getattr(client, "calls", 0) - before,
        seconds=time.perf_counter() - start,
    )


def _create_records(client: OdooClient, plan: SetupPlan, ids: dict[str, int]) -> int:
    """Create the new records, one call per model; return how many external ids were made."""
    by_model: dict[str, list[RecordChange]] = {}
    for change in plan.records:
        if change.action == "create":
            by_model.setdefault(change.spec.model, []).append(change)
    named = [c for c in plan.records if c.action == "adopt"]
    try:
        for model, changes in by_model.items():
            values = [_create_values(c, ids) for c in changes]
            for change, rid in zip(changes, client.call(model, "create", values), strict=True):
                ids[change.spec.xmlid] = rid
                named.append(change)
    finally:
        # Even when a later model fails, the records made so far get their external ids, so
        # the next run finds them instead of making them again.
        count = _name_records(client, plan.spec.module, named, ids, plan.aliases)
    return count


def _create_values(change: RecordChange, ids: dict[str, int]) -> dict[str, Any]:
    values = dict(change.spec.values)
    for fname, targets in change.spec.links.items():
        values[fname] = [[6, 0, [ids[x] for x in targets if x in ids]]]
    for fname, target in change.spec.refs.items():
        values[fname] = ids.get(target, False)
    return values


def _name_records(
    client: OdooClient,
    module: str,
    changes: list[RecordChange],
    ids: dict[str, int],
    aliases: list[AliasChange] | tuple[AliasChange, ...] = (),
) -> int:
    """Create the external ids of new and adopted records and of aliases, in one create."""
    rows, repoint = [], []
    for alias in aliases:
        if alias.xmlid_row is not None:
            repoint.append((alias.xmlid_row, alias.res_id))
            continue
        rows.append(
            {
                "module": module,
                "name": alias.spec.xmlid,
                "model": alias.spec.model,
                "res_id": alias.res_id,
                "noupdate": True,
            }
        )
    for change in changes:
        rid = ids.get(change.spec.xmlid)
        if rid is None:
            continue
        if change.xmlid_row is not None:
            repoint.append((change.xmlid_row, rid))
            continue
        rows.append(
            {
                "module": module,
                "name": change.spec.xmlid,
                "model": change.spec.model,
                "res_id": rid,
                "noupdate": True,
            }
        )
    if rows:
        client.call("ir.model.data", "create", rows)
    for row_id, rid in repoint:
        client.call("ir.model.data", "write", [row_id], {"res_id": rid})
    return len(rows) + len(repoint) - len(aliases)


def _update_records(client: OdooClient, plan: SetupPlan, ids: dict[str, int]) -> None:
    """Put enforced values back and add missing links, grouping equal writes into one call."""
    groups: dict[tuple[str, tuple], list[int]] = {}
    for change in plan.records:
        if change.action == "create" or change.res_id is None:
            continue
        if change.changes:
            key = (change.spec.model, tuple(sorted(change.changes.items())))
            groups.setdefault(key, []).append(change.res_id)
        if change.links:
            commands = {
                fname: [[4, ids[x]] for x in targets if x in ids]
                for fname, targets in change.links.items()
            }
            client.call(change.spec.model, "write", [change.res_id], commands)
    for (model, items), res_ids in groups.items():
        client.call(model, "write", res_ids, dict(items))
