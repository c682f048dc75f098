"""Odoo domains: normalisation to prefix form and compilation into record predicates."""

from __future__ import annotations

import re
from collections.abc import Callable

from .schema import RELATIONAL, X2MANY

OPERATORS = frozenset(
    {
        "=", "!=", "<>", "<", "<=", ">", ">=", "in", "not in", "like", "not like",
        "ilike", "not ilike", "=like", "=ilike", "child_of", "parent_of", "any", "not any",
    }
)  # fmt: skip
NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike", "not any": "any"}
TRUE_LEAF, FALSE_LEAF = (1, "=", 1), (0, "=", 1)
TEXT_TYPES = frozenset({"char", "text", "html"})

# ``_rec_names_search``: extra fields name_search and many2one name matching look at.
NAME_SEARCH_FIELDS = {"res.partner": ("complete_name", "email", "ref", "vat")}

Predicate = Callable[[dict], bool]


def _leaf_repr(leaf) -> str:
    return repr(tuple(leaf))


def is_leaf(token) -> bool:
    """Whether a domain token is a (field, operator, value) term."""
    return isinstance(token, (list, tuple)) and len(token) == 3


def normalize(domain) -> list:
    """Prefix-notation domain with the implicit '&' made explicit."""
    if not domain:
        return []
    if not isinstance(domain, (list, tuple)):
        raise ValueError(f"Invalid domain: {domain!r}")
    result: list = []
    expected = 1
    for token in domain:
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if token in ("&", "|"):
            expected += 1
        elif token == "!":
            pass
        elif is_leaf(token):
            expected -= 1
        else:
            raise ValueError(f"Invalid domain term {token!r}")
        result.append(token)
    if expected != 0:
        raise ValueError(f"Invalid domain: {domain!r}")
    return result


def mentions_active(domain) -> bool:
    """Whether a domain filters on ``active`` itself (then active_test adds nothing)."""
    return any(is_leaf(t) and t[0] == "active" for t in domain or ())


def like_regex(pattern: str, anywhere: bool, ignore_case: bool) -> re.Pattern:
    """A regex matching like SQL LIKE: ``%`` any run, ``_`` any one character."""
    body = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in str(pattern)
    )
    if anywhere:
        body = f".*{body}.*"
    return re.compile(f"^{body}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def name_domain(store, model: str, operator: str, value) -> list:
    """The domain a name search with ``operator`` and ``value`` applies on ``model``."""
    schema = store.schemas[model]
    names = NAME_SEARCH_FIELDS.get(model) or ((schema.rec_name,) if schema.rec_name else ())
    names = names or ("display_name",)
    leaves = [[name, operator, value] for name in names]
    return ["|"] * (len(leaves) - 1) + leaves


class Compiler:
    """Compiles a domain on one model into a predicate over stored record dicts."""

    def __init__(self, store, model: str, active_test: bool = True):
        self.store = store
        self.schema = store.schemas[model]
        self.active_test = active_test

    def compile(self, domain) -> Predicate:
        """The predicate for ``domain`` (already filtered on active by the caller)."""
        tokens = normalize(domain)
        if not tokens:
            return lambda rec: True
        predicate, rest = self._parse(tokens)
        assert not rest
        return predicate

    def _parse(self, tokens: list) -> tuple[Predicate, list]:
        head, rest = tokens[0], tokens[1:]
        if head == "!":
            inner, rest = self._parse(rest)
            return (lambda rec: not inner(rec)), rest
        if head in ("&", "|"):
            left, rest = self._parse(rest)
            right, rest = self._parse(rest)
            if head == "&":
                return (lambda rec: left(rec) and right(rec)), rest
            return (lambda rec: left(rec) or right(rec)), rest
        return self._leaf(head), rest

    def _leaf(self, leaf) -> Predicate:
        left, operator, right = leaf
        if tuple(leaf) == TRUE_LEAF:
            return lambda rec: True
        if tuple(leaf) == FALSE_LEAF:
            return lambda rec: False
        if not isinstance(operator, str) or operator.lower() not in OPERATORS:
            raise ValueError(f"Invalid operator {operator!r} in domain term {_leaf_repr(leaf)}")
        operator = "!=" if operator == "<>" else operator.lower()
        if not isinstance(left, str):
            raise ValueError(f"Invalid leaf {_leaf_repr(leaf)}")
        fname, _, subpath = left.partition(".")
        field = self.schema.fields.get(fname)
        if field is None:
            # Odoo 19 words it "in condition" (odoo/orm/domains.py), Odoo 17 "in leaf".
            where = "leaf" if self.store.version == "17.0" else "condition"
            raise ValueError(
                f"Invalid field {self.schema.name}.{fname} in {where} {_leaf_repr(leaf)}"
            )
        if subpath:
            if field.type not in RELATIONAL:
                raise ValueError(
                    f"Invalid field {self.schema.name}.{left} in leaf {_leaf_repr(leaf)}"
                )
            ids = self.store.search_ids(field.relation, [[subpath, operator, right]])
            return self._relational_in(field, set(ids))
        getter = self.store.getter(self.schema.name, fname)
        if getter is None:
            raise ValueError(f"Non-stored field {self.schema.name}.{fname} cannot be searched.")
        if field.type in RELATIONAL or fname == "id":
            return self._relational(field, fname, operator, right, getter)
        return self._scalar(field, operator, right, getter)

    # -- relational fields and ``id`` --------------------------------------------------------

    def _relational_in(self, field, ids: set) -> Predicate:
        getter = self.store.getter(self.schema.name, field.name)
        if field.type in X2MANY:
            return lambda rec: any(i in ids for i in getter(rec) or ())
        return lambda rec: getter(rec) in ids

    def _relational(self, field, fname, operator, right, getter) -> Predicate:
        comodel = self.schema.name if fname == "id" else field.relation
        many = field.type in X2MANY
        if operator in ("any", "not any"):
            ids = set(self.store.search_ids(comodel, right))
            if fname == "id":
                matched = lambda rec: rec["id"] in ids  # noqa: E731
            else:
                matched = self._relational_in(field, ids)
            return matched if operator == "any" else (lambda rec: not matched(rec))
        if operator in ("child_of", "parent_of"):
            ids = self._hierarchy(comodel, right, operator)
            return self._match_ids(getter, ids, many, negate=False)
        values = right if isinstance(right, (list, tuple)) else [right]
        textual = any(isinstance(v, str) for v in values)
        if textual or operator in ("like", "ilike", "=like", "=ilike", "not like", "not ilike"):
            positive = NEGATIVE.get(operator, operator)
            positive = "=" if positive == "in" else positive
            ids = set()
            for value in values:
                ids.update(
                    self.store.search_ids(
                        comodel, name_domain(self.store, comodel, positive, value)
                    )
                )
            return self._match_ids(getter, ids, many, negate=operator in NEGATIVE)
        if operator in ("<", "<=", ">", ">="):
            compare = _COMPARE[operator]
            return lambda rec: (v := getter(rec)) is not None and not many and compare(v, right)
        ids = {v for v in values if v is not False and v is not None}
        with_null = len(ids) < len(values)
        negate = operator in ("!=", "not in")
        if many:

            def match_many(rec) -> bool:
                linked = getter(rec) or ()
                hit = (with_null and not linked) or any(i in ids for i in linked)
                return hit != negate

            return match_many

        def match_one(rec) -> bool:
            value = getter(rec)
            hit = value in ids if value is not None else with_null
            return hit != negate

        return match_one

    @staticmethod
    def _match_ids(getter, ids: set, many: bool, negate: bool) -> Predicate:
        if many:
            return lambda rec: any(i in ids for i in getter(rec) or ()) != negate
        return lambda rec: (getter(rec) in ids) != negate

    def _hierarchy(self, model: str, right, operator: str) -> set:
        schema = self.store.schemas[model]
        if isinstance(right, str):
            roots = set(
                self.store.search_ids(model, name_domain(self.store, model, "ilike", right))
            )
        else:
            roots = set(right if isinstance(right, (list, tuple)) else [right]) - {False, None}
        parent = schema.parent_field
        if not parent:
            return roots
        table = self.store.tables[model]
        if operator == "parent_of":
            found, todo = set(), list(roots)
            while todo:
                rid = todo.pop()
                if rid in found or rid not in table:
                    continue
                found.add(rid)
                if table[rid].get(parent):
                    todo.append(table[rid][parent])
            return found
        children: dict[int, list[int]] = {}
        for rid, rec in table.items():
            if rec.get(parent):
                children.setdefault(rec[parent], []).append(rid)
        found, todo = set(), list(roots)
        while todo:
            rid = todo.pop()
            if rid not in found:
                found.add(rid)
                todo.extend(children.get(rid, ()))
        return found

    # -- scalar fields -----------------------------------------------------------------------

    def _scalar(self, field, operator, right, getter) -> Predicate:
        ftype = field.type
        if operator in ("child_of", "parent_of", "any", "not any"):
            raise ValueError(f"Invalid operator {operator!r} for field {field.name}")
        if ftype == "datetime" and isinstance(right, str) and len(right) == 10:
            # A bare date compared with a datetime means the start (or end) of that day.
            right += " 23:59:59" if operator in (">", "<=") else " 00:00:00"
        if ftype == "boolean" and operator in ("=", "!="):
            wanted = bool(right)
            if operator == "=":
                return lambda rec: bool(getter(rec)) == wanted
            return lambda rec: bool(getter(rec)) != wanted
        empty = (None, "") if ftype in TEXT_TYPES else (None,)
        if operator in ("=", "!=") and (right is False or right is None):
            if operator == "=":
                return lambda rec: getter(rec) in empty
            return lambda rec: getter(rec) not in empty
        if operator == "=":
            return lambda rec: getter(rec) == right
        if operator == "!=":
            return lambda rec: getter(rec) != right
        if operator in ("in", "not in"):
            values = right if isinstance(right, (list, tuple)) else [right]
            wanted = {v for v in values if v is not False and v is not None}
            with_null = len(wanted) < len(values)
            negate = operator == "not in"

            def match_in(rec) -> bool:
                value = getter(rec)
                hit = value in wanted or (with_null and value in empty)
                return hit != negate

            return match_in
        if operator in _COMPARE:
            compare = _COMPARE[operator]
            return lambda rec: (v := getter(rec)) is not None and compare(v, right)
        positive = NEGATIVE.get(operator, operator)
        if right is False or right is None:
            right = ""
        regex = like_regex(right, positive in ("like", "ilike"), positive.endswith("ilike"))
        if operator in NEGATIVE:
            return lambda rec: (v := getter(rec)) is None or not regex.match(str(v))
        return lambda rec: (v := getter(rec)) is not None and bool(regex.match(str(v)))


_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
