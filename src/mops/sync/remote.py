"""Read what the planner needs from Odoo: owned records per type, external ids, users, names.

Every read names its fields and asks for ``load=""``, so many2one values come back as bare ids
and Odoo skips computing display names; records are read in pages by id (keyset paging), with
``active_test`` off so that archived records (a lost lead, an archived customer) are found and
never created a second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mops.errors import OdooError, OdooServerError
from mops.odoo.client import OdooClient
from mops.sync.mapping import KEY_FIELD, Lookups, NameOf, SyncMapping, UserByEmail
from mops.sync.planner import OdooSnapshot

PAGE = 5000
ALL = {"active_test": False}


def read_all(
    client: OdooClient,
    model: str,
    domain: Sequence,
    fields: Iterable[str],
    *,
    page: int = PAGE,
    context: dict | None = None,
) -> list[dict[str, Any]]:
    """Every record matching ``domain``, with ``fields`` (many2one as ids), paged by id."""
    records: list[dict[str, Any]] = []
    last = 0
    while True:
        batch = client.call(
            model,
            "search_read",
            [*[list(term) for term in domain], ["id", ">", last]],
            fields=list(fields),
            limit=page,
            order="id",
            load="",
            context=dict(context if context is not None else ALL),
        )
        records.extend(batch)
        if len(batch) < page:
            return records
        last = batch[-1]["id"]


def read_lookups(client: OdooClient, mapping: SyncMapping) -> Lookups:
    """mops's external ids, the users (by login and e-mail) and the names pulls need."""
    lookups = Lookups()
    for row in read_all(
        client, "ir.model.data", [["module", "=", "mops"]], ["name", "model", "res_id"]
    ):
        lookups.xmlids[f"mops.{row['name']}"] = (row["model"], int(row["res_id"]))
    converters = [f.convert for t in mapping.types for f in t.fields]
    if any(isinstance(c, UserByEmail) for c in converters):
        # Active users only: an archived user cannot own new records.
        users = read_all(client, "res.users", [], ["login", "email"], context={})
        for user in users:
            for address in (user.get("email"), user.get("login")):
                if isinstance(address, str) and address.strip():
                    lookups.users.setdefault(address.strip().lower(), user["id"])
            if isinstance(user.get("email"), str):
                lookups.user_emails[user["id"]] = user["email"].strip().lower()
    for model in sorted({c.model for c in converters if isinstance(c, NameOf)}):
        rows = read_all(client, model, [], ["name"])
        lookups.names[model] = {row["id"]: str(row["name"]) for row in rows}
    return lookups


def read_snapshot(
    client: OdooClient, mapping: SyncMapping, types: Iterable[str], *, url: str, database: str
) -> OdooSnapshot:
    """The records mops owns of each given type, by key, and the lookups."""
    lookups = read_lookups(client, mapping)
    if not lookups.xmlids:
        raise OdooError(
            f"Odoo at {url} (database {database}) has none of the records mops provisions.",
            hint="Run mops odoo setup first (mops odoo check tells what is missing).",
        )
    records: dict[str, dict[str, dict[str, Any]]] = {}
    duplicates: dict[str, dict[str, list[int]]] = {}
    wanted = set(types)
    for rtype in mapping.types:
        # A type's records are needed when it is synced or when a synced type refers to it.
        if rtype.name not in wanted and not any(
            rtype.name in mapping.type(w).depends_on() for w in wanted
        ):
            continue
        by_key: dict[str, dict[str, Any]] = {}
        try:
            found = read_all(client, rtype.model, rtype.domain, rtype.read_fields())
        except OdooServerError as exc:
            if "x_mops_" not in exc.server_message:
                raise
            raise OdooError(
                f"Odoo lacks a field mops needs on {rtype.model}: {exc.server_message}",
                hint="Run mops odoo setup first.",
            ) from exc
        for rec in found:
            key = rec.get(KEY_FIELD)
            if not key:
                continue
            if key in by_key:
                # Records are read by id, so the oldest one wins: the one mops made first.
                duplicates.setdefault(rtype.name, {}).setdefault(key, [by_key[key]["id"]])
                duplicates[rtype.name][key].append(rec["id"])
                continue
            by_key[key] = rec
        records[rtype.name] = by_key
    return OdooSnapshot(records, lookups, duplicates, url=url, database=database)


def find_by_keys(
    client: OdooClient, model: str, keys: Sequence[str], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Records carrying these keys (archived ones too), by key; the oldest wins a duplicate."""
    found: dict[str, dict[str, Any]] = {}
    if not keys:
        return found
    names = sorted({KEY_FIELD, "write_date", *fields})
    for rec in read_all(client, model, [[KEY_FIELD, "in", list(keys)]], names):
        found.setdefault(rec[KEY_FIELD], rec)
    return found
