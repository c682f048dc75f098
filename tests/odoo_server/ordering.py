"""ORDER BY: Odoo order specifications applied to lists of ids, NULLs placed as Postgres does."""

from __future__ import annotations

import re

_TERM = re.compile(r"^\s*(\w+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I)


def parse_order(model: str, spec: str, fields) -> list[tuple[str, bool]]:
    """``"name desc, id"`` -> [("name", True), ("id", False)]; unknown fields are refused."""
    terms = []
    for part in str(spec).split(","):
        match = _TERM.match(part)
        if not match:
            raise ValueError(
                f'Invalid "order" specified ({spec}). A valid "order" specification is a'
                " comma-separated list of valid field names (optionally followed by asc/desc"
                " for the direction)"
            )
        fname, direction = match.group(1), (match.group(2) or "asc").lower()
        if fname not in fields:
            raise ValueError(f"Invalid field {fname!r} on model {model!r}")
        terms.append((fname, direction == "desc"))
    return terms


def rank_of(store, comodel: str, depth: int) -> dict[int, int]:
    """Position of every comodel record in the comodel's own default order."""
    ids = sort_ids(store, comodel, list(store.tables[comodel]), None, depth + 1)
    return {rid: position for position, rid in enumerate(ids)}


def _key(store, model: str, fname: str, depth: int):
    field = store.schemas[model].fields[fname]
    getter = store.getter(model, fname)
    if getter is None or field.type in ("one2many", "many2many"):
        return None
    if field.type == "many2one":
        # Odoo orders a many2one by the comodel's _order, not by the id it holds.
        if depth > 0 or field.relation == model:
            return lambda rec: ((v := getter(rec)) is None, v or 0)
        rank = rank_of(store, field.relation, depth)
        return lambda rec: ((v := getter(rec)) is None, rank.get(v, 0))
    if field.type in ("char", "text", "html", "selection"):
        return lambda rec: ((v := getter(rec)) is None, v.casefold() if v else "", v or "")
    return lambda rec: ((v := getter(rec)) is None, v if v is not None else 0)


def sort_ids(store, model: str, ids: list[int], order: str | None, depth: int = 0) -> list[int]:
    """``ids`` sorted by ``order`` (or the model's default); ASC puts NULLs last, DESC first."""
    schema = store.schemas[model]
    explicit = bool(order)
    if not explicit:
        # A default _order may name fields a reduced (synthetic) model does not have.
        parts = [p for p in schema.order.split(",") if p.split() and p.split()[0] in schema.fields]
        order = ", ".join(parts) or "id"
    terms = parse_order(model, order, schema.fields)
    ids = sorted(ids)
    if terms == [("id", False)]:
        return ids
    table = store.tables[model]
    for fname, descending in reversed(terms):
        if fname == "id":
            ids.sort(reverse=descending)
            continue
        key = _key(store, model, fname, depth)
        if key is None:
            if explicit:
                raise ValueError(f"Cannot order {model} by non-stored field {fname!r}")
            continue
        ids.sort(key=lambda rid, key=key: key(table[rid]), reverse=descending)
    return ids
