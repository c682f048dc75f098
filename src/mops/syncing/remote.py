"""Read what the planner needs from Odoo: owned records per type, external ids, users, names.

Every read names its fields and asks for ``load=""``, so many2one values come back as bare ids
and Odoo skips computing display names; records are read in pages by id (keyset paging), with
``active_test`` off so that archived records (a lost lead, an archived customer) are found and
never created a second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from mops.errors import OdooError, OdooServerError
from mops.i18n import pair, text
from mops.odoo.client import OdooClient
from mops.syncing.converters import (
    LinkedPaidDate,
    Lookups,
    NameOf,
    PaidDate,
    ThreadOf,
    UserByEmail,
    UserOfEmail,
)
from mops.syncing.converters.values import UNPAID, latest_payment
from mops.syncing.mapping import KEY_FIELD, RecordType, SyncMapping, key_from
from mops.syncing.plan import Issue
from mops.syncing.planner import OdooSnapshot

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
    lookups.series = series_of(client)
    for row in read_all(
        client, "ir.model.data", [["module", "=", "mops"]], ["name", "model", "res_id"]
    ):
        lookups.xmlids[f"mops.{row['name']}"] = (row["model"], int(row["res_id"]))
    converters = [f.convert for t in mapping.types for f in t.fields]
    users_needed = any(isinstance(c, (UserByEmail, UserOfEmail)) for c in converters)
    if users_needed or any(t.match for t in mapping.types):
        # Active users only: an archived user cannot own new records.
        users = read_all(client, "res.users", [], ["login", "email", "partner_id"], context={})
        for user in users:
            if user.get("partner_id"):
                lookups.user_partners[user["id"]] = int(user["partner_id"])
            for address in (user.get("email"), user.get("login")):
                if isinstance(address, str) and address.strip():
                    lookups.users.setdefault(address.strip().lower(), user["id"])
            if isinstance(user.get("email"), str):
                lookups.user_emails[user["id"]] = user["email"].strip().lower()
    threads = {m for c in converters if isinstance(c, ThreadOf) for m in c.models.values()}
    if threads:
        for row in read_all(client, "ir.model", [["model", "in", sorted(threads)]], ["model"]):
            lookups.model_ids[row["model"]] = row["id"]
    for model in sorted({c.model for c in converters if isinstance(c, NameOf)}):
        rows = read_all(client, model, [], ["name"])
        lookups.names[model] = {row["id"]: str(row["name"]) for row in rows}
    return lookups


def series_of(client: OdooClient) -> int:
    """The Odoo major version the client talks to (17 when it does not say)."""
    return (getattr(client, "version_info", None) or (17,))[0]


def _needed(mapping: SyncMapping, types: Iterable[str], series: int) -> list[RecordType]:
    """The types whose records a sync of ``types`` reads: those synced and those they refer to,
    of the types this Odoo version has."""
    wanted = set(types)
    return [
        rtype
        for rtype in mapping.types
        if not rtype.match
        and rtype.on(series)
        and (
            rtype.name in wanted or any(rtype.name in mapping.type(w).depends_on() for w in wanted)
        )
    ]


def of_series(mapping: SyncMapping, series: int) -> SyncMapping:
    """The mapping without the fields it marks as another Odoo version's."""
    fitted = {
        rtype.name: replace(
            rtype, fields=tuple(fm for fm in rtype.fields if not fm.series or series in fm.series)
        )
        for rtype in mapping.types
        if any(fm.series and series not in fm.series for fm in rtype.fields)
    }
    if not fitted:
        return mapping
    return replace(mapping, types=tuple(fitted.get(t.name, t) for t in mapping.types))


def fit_mapping(
    client: OdooClient, mapping: SyncMapping, types: Iterable[str]
) -> tuple[SyncMapping, list[Issue]]:
    """The mapping without the fields this Odoo lacks (another version, a module not
    installed), and one note per field left out; asked of ``fields_get``, not of the version.
    A field the mapping marks as another version's (``of_series``) goes without a note.

    mops's own ``x_mops_*`` fields are never left out: without them the server lacks
    ``mops odoo setup``, which reading says.
    """
    mapping = of_series(mapping, series_of(client))
    notes: list[Issue] = []
    fitted: dict[str, RecordType] = {}
    version = getattr(client, "server_version", "") or "?"
    fields_of: dict[str, set[str]] = {}
    for rtype in _needed(mapping, types, series_of(client)):
        if rtype.model not in fields_of:
            # fields_get answers whoever may read the model (ir.model.fields needs an admin).
            answer = client.call(rtype.model, "fields_get", attributes=["type"])
            fields_of[rtype.model] = {"id", *answer}
        have = fields_of[rtype.model]
        kept = []
        for fm in rtype.fields:
            # What a field's converter reads is what it needs of the model (a value handed to
            # a wizard, such as an invoice's order, reads nothing of it).
            lacking = sorted(
                name
                for name in set(fm.convert.reads(fm.field))
                if name not in have and not name.startswith("x_mops_")
            )
            if not lacking:
                kept.append(fm)
                continue
            zh, en = pair("sync.engine.field_unavailable")
            params = {
                "version": version, "model": rtype.model, "field": ", ".join(lacking),
                "column": fm.column or fm.field, "type": rtype.name,
            }  # fmt: skip
            where = f"{rtype.model}.{lacking[0]}"
            message = zh.format(**params), en.format(**params)
            notes.append(Issue("field_unavailable", fm.column, where, *message))
        if len(kept) < len(rtype.fields):
            fitted[rtype.name] = replace(rtype, fields=tuple(kept))
    if not fitted:
        return mapping, notes
    types_now = tuple(fitted.get(t.name, t) for t in mapping.types)
    return replace(mapping, types=types_now), notes


def read_fitted(
    client: OdooClient, mapping: SyncMapping, types: Iterable[str], *, url: str, database: str
) -> tuple[OdooSnapshot, SyncMapping, list[Issue]]:
    """The snapshot, and the mapping it was read with, and the notes of fields left out.

    Read with the mapping for this Odoo version first (without the fields its ``series`` says
    are another version's): Odoo refuses a read naming a field it lacks, and only then is the
    mapping fitted to its ``fields_get`` (``fit_mapping``) and the snapshot read again. A sync
    with every field present asks no ``fields_get`` at all, one call a model fewer on every run.
    """
    mapping = of_series(mapping, series_of(client))
    try:
        return read_snapshot(client, mapping, types, url=url, database=database), mapping, []
    except OdooServerError:
        fitted, notes = fit_mapping(client, mapping, types)
        if fitted is mapping:
            raise  # not a field this Odoo lacks: the refusal stands
    return read_snapshot(client, fitted, types, url=url, database=database), fitted, notes


def read_snapshot(
    client: OdooClient, mapping: SyncMapping, types: Iterable[str], *, url: str, database: str
) -> OdooSnapshot:
    """The records mops owns of each given type, by key, and the lookups."""
    lookups = read_lookups(client, mapping)
    if not lookups.xmlids:
        raise OdooError(
            text("odoo_not_provisioned", url=url, database=database),
            hint=text("odoo_not_provisioned_hint"),
        )
    records: dict[str, dict[str, dict[str, Any]]] = {}
    duplicates: dict[str, dict[str, list[int]]] = {}
    # A type's records are needed when it is synced or when a synced type refers to it.
    for rtype in _needed(mapping, types, lookups.series):
        by_key: dict[str, dict[str, Any]] = {}
        try:
            found = read_all(client, rtype.model, rtype.domain, rtype.read_fields())
        except OdooServerError as exc:
            if "x_mops_" not in exc.server_message:
                raise
            raise OdooError(
                text("odoo_lacks_field", model=rtype.model, message=exc.server_message),
                hint=text("odoo_run_setup_hint"),
            ) from exc
        for rec in found:
            key = rtype.key_of(rec.get(rtype.key_field))
            if not key:
                continue
            if key in by_key:
                # Records are read by id, so the oldest one wins: the one mops made first.
                duplicates.setdefault(rtype.name, {}).setdefault(key, [by_key[key]["id"]])
                duplicates[rtype.name][key].append(rec["id"])
                continue
            by_key[key] = rec
        records[rtype.name] = by_key
        _read_related(client, rtype, by_key.values(), lookups)
    read_paid_dates(client, mapping, records, lookups)
    return OdooSnapshot(records, lookups, duplicates, url=url, database=database)


def read_paid_dates(
    client: OdooClient,
    mapping: SyncMapping,
    records: dict[str, dict[str, dict[str, Any]]],
    lookups: Lookups,
) -> None:
    """The latest payment date of every invoice a ``paid_date`` field reads that has a payment,
    and of every journal entry a ``linked_paid_date`` field links to (an expense's, an expense
    report's), in one paged read of their payments widgets."""
    ids: set[int] = set()
    for rtype in mapping.types:
        for fm in rtype.fields:
            found = records.get(rtype.name, {}).values()
            if isinstance(fm.convert, PaidDate) and rtype.model == "account.move":
                ids.update(r["id"] for r in found if r.get("payment_state") not in UNPAID)
            if not isinstance(fm.convert, LinkedPaidDate):
                continue
            for rec in found:
                linked = rec.get(fm.field)
                ids.update(linked if isinstance(linked, list) else [linked] if linked else [])
    if not ids:
        return
    moves = read_all(
        client, "account.move", [["id", "in", sorted(ids)]], ["invoice_payments_widget"]
    )
    lookups.paid_dates.update(
        {m["id"]: latest_payment(m.get("invoice_payments_widget")) for m in moves}
    )


def _read_related(
    client: OdooClient, rtype: RecordType, records: Iterable[dict[str, Any]], lookups: Lookups
) -> None:
    """The linked records the type's planning looks into (an order's lines, its invoices)."""
    records = list(records)
    for link, (model, fields) in rtype.related_reads().items():
        ids = sorted({i for rec in records for i in rec.get(link) or []})
        held = lookups.related.setdefault(model, {})
        for start in range(0, len(ids), PAGE):
            chunk = ids[start : start + PAGE]
            for row in read_all(client, model, [["id", "in", chunk]], fields):
                held.setdefault(row["id"], {}).update(row)


def find_by_keys(
    client: OdooClient,
    model: str,
    keys: Sequence[str],
    fields: Iterable[str],
    *,
    key_field: str = KEY_FIELD,
    key_format: str = "{key}",
) -> dict[str, dict[str, Any]]:
    """Records carrying these keys (archived ones too), by key; the oldest wins a duplicate."""
    found: dict[str, dict[str, Any]] = {}
    if not keys:
        return found
    names = sorted({key_field, "write_date", *fields})
    values = [key_format.format(key=key) for key in keys]
    for rec in read_all(client, model, [[key_field, "in", values]], names):
        key = key_from(key_format, rec.get(key_field))
        if key is not None:
            found.setdefault(key, rec)
    return found
