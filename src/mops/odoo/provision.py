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

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from mops.errors import OdooError
from mops.i18n import text
from mops.odoo.client import OdooClient
from mops.odoo.provision_spec import (
    NO_ARCHIVED,
    RECORD_ACTIONS,
    SPEC_PATH,
    AliasSpec,
    FeatureSpec,
    FieldSpec,
    FinanceSpec,
    RecordSpec,
    Spec,
    load_spec,
    parse_spec,
)

# The spec's names are part of this module's API (setup is planned and applied from here).
__all__ = [
    "SPEC_PATH", "AliasSpec", "FeatureSpec", "FieldSpec", "FinanceSpec", "RecordSpec", "SetupPlan",
    "SetupResult", "Spec", "apply_setup", "load_spec", "parse_spec", "plan_setup",
]  # fmt: skip


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
