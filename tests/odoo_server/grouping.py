"""read_group: aggregates per group, in the shape Odoo 17 returns (sample 13); and Odoo 19's
formatted_read_group."""

from __future__ import annotations

import operator
from datetime import date, timedelta

from .domain import normalize
from .ordering import rank_of

NUMERIC = frozenset({"integer", "float", "monetary"})
AGGREGATES = frozenset(
    {"sum", "avg", "min", "max", "count", "count_distinct", "array_agg", "bool_and", "bool_or"}
)
GRANULARITIES = ("day", "week", "month", "quarter", "year")


def _aggregates(schema, fields, grouped: set) -> list[tuple[str, str, str]]:
    specs = []
    for spec in fields or []:
        if spec == "__count":
            continue
        name, _, function = str(spec).partition(":")
        fname = name
        if "(" in function:
            function, _, fname = function.rstrip(")").partition("(")
        field = schema.fields.get(fname)
        if field is None:
            raise ValueError(f"Invalid field {fname!r} on model {schema.name!r}")
        if name in grouped:
            continue
        if not function:
            if field.type not in NUMERIC:
                continue  # Odoo 17 silently skips fields it cannot aggregate.
            function = "sum"
        if function not in AGGREGATES:
            raise ValueError(f"Invalid aggregation function {function!r}.")
        specs.append((name, fname, function))
    return specs


def _aggregate(function: str, values: list):
    present = [v for v in values if v is not None]
    if function == "count":
        return len(present)
    if function == "count_distinct":
        return len(set(present))
    if function == "array_agg":
        return values
    if not present:
        return False
    if function == "sum":
        return sum(present)
    if function == "avg":
        return sum(present) / len(present)
    if function == "bool_and":
        return all(present)
    if function == "bool_or":
        return any(present)
    return min(present) if function == "min" else max(present)


def _bucket(value: str, granularity: str) -> tuple[str, str, str]:
    """(start, end, label) of the date period holding ``value``."""
    day = date.fromisoformat(value[:10])
    if granularity == "day":
        start, end, label = day, day + timedelta(days=1), day.strftime("%d %b %Y")
    elif granularity == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        end, label = start + timedelta(weeks=1), f"W{week} {year}"
    elif granularity == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = day.replace(month=first_month, day=1)
        end = _add_months(start, 3)
        label = f"Q{(day.month - 1) // 3 + 1} {day.year}"
    elif granularity == "year":
        start, label = day.replace(month=1, day=1), str(day.year)
        end = start.replace(year=day.year + 1)
    else:
        start = day.replace(day=1)
        end, label = _add_months(start, 1), day.strftime("%B %Y")
    return start.isoformat(), end.isoformat(), label


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def read_group(store, model, domain, fields, groupby, offset=0, limit=None, orderby=False,
               lazy=True):  # fmt: skip
    """Group the records matching ``domain``; one dict per group."""
    schema = store.schemas[model]
    groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
    specs = []
    for spec in groupby[:1] if lazy else groupby:
        fname, _, granularity = spec.partition(":")
        field = schema.fields.get(fname)
        if field is None:
            raise ValueError(f"Invalid field {fname!r} on model {model!r}")
        if field.type in ("date", "datetime"):
            granularity = granularity or "month"
            if granularity not in GRANULARITIES:
                raise ValueError(f"Invalid granularity {granularity!r} for {fname}")
        specs.append((spec, fname, field, granularity, store.getter(model, fname)))
    aggregates = _aggregates(schema, fields, {s[1] for s in specs} | {s[0] for s in specs})
    ids = store.search(model, domain, order="id")
    table = store.tables[model]
    groups: dict[tuple, list[dict]] = {}
    for rid in ids:
        rec = table[rid]
        key = []
        for _spec, _fname, _field, granularity, getter in specs:
            value = getter(rec)
            if granularity and value:
                value = _bucket(value, granularity)
            key.append(value if value is not None else None)
        groups.setdefault(tuple(key), []).append(rec)
    if not specs and not groups:
        groups[()] = []
    keys = _sorted_keys(store, specs, list(groups), orderby)
    keys = keys[offset or 0 :]
    if limit:
        keys = keys[:limit]
    base = normalize(domain)
    rows = []
    for key in keys:
        rows.append(_row(store, model, specs, key, groups[key], aggregates, base, lazy, groupby))
    return rows


def _sorted_keys(store, specs, keys: list, orderby) -> list:
    terms = [term.split() for term in str(orderby or "").split(",") if term.strip()]
    descending = {term[0]: term[-1].lower() == "desc" for term in terms}
    for position in reversed(range(len(specs))):
        spec, _fname, field, _granularity, _getter = specs[position]
        rank = rank_of(store, field.relation, 0) if field.type == "many2one" else None

        def sort_key(key, position=position, rank=rank):
            value = key[position]
            if value is None:
                return (True, 0)
            return (False, rank.get(value, 0) if rank is not None else value)

        keys.sort(key=sort_key, reverse=descending.get(spec, descending.get(_fname, False)))
    return keys


def _row(store, model, specs, key, records, aggregates, base, lazy, groupby) -> dict:
    row: dict = {}
    leaves = []
    for (spec, fname, field, granularity, _getter), value in zip(specs, key, strict=True):
        if granularity:
            row[spec] = value[2] if value else False
            if value:
                suffix = " 00:00:00" if field.type == "datetime" else ""
                start, end = value[0] + suffix, value[1] + suffix
                leaves += [[fname, ">=", start], [fname, "<", end]]
                row.setdefault("__range", {})[spec] = {"from": start, "to": end}
            else:
                leaves.append([fname, "=", False])
            continue
        if field.type == "many2one":
            row[spec] = [value, store.name_of(field.relation, value)] if value else False
        else:
            row[spec] = value if value is not None else False
        leaves.append([fname, "=", value if value is not None else False])
    count_key = f"{specs[0][1]}_count" if lazy and specs else "__count"
    row[count_key] = len(records)
    for name, fname, function in aggregates:
        values = [rec.get(fname) for rec in records]
        row[name] = _aggregate(function, values)
    terms = len(leaves) + (1 if base else 0)
    row["__domain"] = ["&"] * max(terms - 1, 0) + leaves + base
    if lazy and len(groupby) > 1:
        row["__context"] = {"group_by": groupby[1:]}
    return row


def formatted_read_group(store, model, domain, groupby=(), aggregates=(), having=(), offset=0,
                         limit=None, order=None) -> list[dict]:  # fmt: skip
    """Odoo 19's formatted_read_group (addons/web/models/models.py), for plain, many2one and
    date fields: one dict per group holding each groupby value (a many2one as [id, name], a date
    period as [start, label]), each aggregate ("__count" or "field:function") and the group's
    ``__extra_domain``. ``having`` is a list of (aggregate, operator, value) leaves, ANDed."""
    schema = store.schemas[model]
    groupby, aggregates = tuple(groupby), tuple(aggregates)
    specs = []
    for spec in groupby:
        fname, _, granularity = spec.partition(":")
        field = schema.fields.get(fname)
        if field is None:
            raise ValueError(f"Invalid field {fname!r} on model {model!r}")
        if field.type in ("date", "datetime"):
            if not granularity:
                raise AssertionError("Granularity is missing")
            if granularity not in GRANULARITIES:
                raise ValueError(f"{granularity!r} isn't a valid granularity")
        specs.append((spec, fname, field, granularity, store.getter(model, fname)))
    functions = []
    for spec in aggregates:
        if spec == "__count":
            functions.append((spec, None, "count_all"))
            continue
        fname, _, function = spec.partition(":")
        if fname not in schema.fields:
            raise ValueError(f"Invalid field {fname!r} on model {model!r} for {spec!r}.")
        if not function:
            raise ValueError(f"Aggregate method is mandatory for {fname!r}")
        if function not in AGGREGATES:
            raise ValueError(f"Invalid aggregation function {function!r}.")
        functions.append((spec, fname, function))
    groups: dict[tuple, list[dict]] = {}
    table = store.tables[model]
    for rid in store.search(model, domain, order="id"):
        rec = table[rid]
        key = []
        for _spec, _fname, _field, granularity, getter in specs:
            value = getter(rec)
            key.append(_bucket(value, granularity) if granularity and value else value)
        groups.setdefault(tuple(key), []).append(rec)
    if not specs:
        groups.setdefault((), [])
    rows = []
    for key in _sorted_keys(store, specs, list(groups), order):
        row, extra = {}, []
        for (spec, fname, field, granularity, _getter), value in zip(specs, key, strict=True):
            if granularity and value:
                suffix = " 00:00:00" if field.type == "datetime" else ""
                row[spec] = [value[0] + suffix, value[2]]
                extra += ["&", [fname, ">=", value[0] + suffix], [fname, "<", value[1] + suffix]]
            elif field.type == "many2one":
                row[spec] = [value, store.name_of(field.relation, value)] if value else False
                extra.append([fname, "=", value or False])
            else:
                row[spec] = value if value is not None else False
                extra.append([fname, "=", row[spec]])
        for spec, fname, function in functions:
            records = groups[key]
            if function == "count_all":
                row[spec] = len(records)
            else:
                row[spec] = _aggregate(function, [rec.get(fname) for rec in records])
        row["__extra_domain"] = ["&"] * (len(specs) - 1) + extra if specs else []
        rows.append(row)
    rows = [row for row in rows if all(_having(row, leaf) for leaf in having or ())]
    rows = rows[offset or 0 :]
    return rows[:limit] if limit else rows


_HAVING = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge,
}  # fmt: skip


def _having(row: dict, leaf) -> bool:
    name, op, value = leaf
    if name not in row:
        raise ValueError(f"Invalid having clause {leaf!r}: {name!r} is not an aggregate")
    if op not in _HAVING:
        raise ValueError(f"Invalid operator {op!r} in having clause {leaf!r}")
    return _HAVING[op](row[name], value)
