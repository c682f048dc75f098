"""The provisioning spec: what ``mops odoo setup`` makes in Odoo, as data read and checked.

``provisioning.toml`` ships in mops (``SPEC_PATH``); ``load_spec`` reads it (or a firm's own copy)
and resolves the enum and column names it refers to, so selection values and record names always
come from ``mops.schemas``. ``mops.odoo.provision`` plans and applies a spec against a server.
"""

from __future__ import annotations

import fnmatch
import itertools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from mops.errors import ConfigError
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
