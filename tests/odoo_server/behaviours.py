"""Runs the per-model rules registered in ``hooks`` at the points where the store calls them."""

from __future__ import annotations

import copy

# Imported for their registrations into the hooks tables.
from . import apps, business, customfields, mail  # noqa: F401
from .errors import SqlCheckViolation
from .hooks import (
    AFTER_CREATE,
    AFTER_WRITE,
    BEFORE_UNLINK,
    DEFAULTS,
    PREPARE_CREATE,
    PREPARE_WRITE,
    PY_CHECKS,
    SQL_CHECKS,
    UNIQUE,
)


def _hooks(registry: dict, model: str) -> list:
    return registry.get(model, []) + registry.get("*", [])


def apply_defaults(store, model: str, vals: dict) -> None:
    """Fill in the default of every field the values leave out."""
    fields = store.schemas[model].fields
    for fname, default in DEFAULTS.get(model, {}).items():
        if fname not in vals and fname in fields:
            vals[fname] = default(store, vals) if callable(default) else copy.deepcopy(default)


def prepare_create(store, model: str, vals: dict) -> None:
    """Adjust the values of a record about to be created."""
    for hook in _hooks(PREPARE_CREATE, model):
        hook(store, vals, model)


def after_create(store, model: str, rid: int, vals: dict) -> None:
    """Compute what depends on a newly created record."""
    for hook in _hooks(AFTER_CREATE, model):
        hook(store, rid, vals, model)


def prepare_write(store, model: str, ids: list[int], vals: dict) -> None:
    """Adjust the values about to be written."""
    for hook in _hooks(PREPARE_WRITE, model):
        hook(store, ids, vals, model)


def after_write(store, model: str, ids: list[int], vals: dict) -> None:
    """Compute what depends on written records."""
    for hook in _hooks(AFTER_WRITE, model):
        hook(store, ids, vals, model)


def before_unlink(store, model: str, ids: list[int]) -> None:
    """Refuse or prepare a deletion."""
    for hook in _hooks(BEFORE_UNLINK, model):
        hook(store, ids, model)


def sql_checks(store, model: str, rec: dict) -> None:
    """UNIQUE and CHECK constraints on the row about to be stored."""
    for fields, message in UNIQUE.get(model, ()):
        key = tuple(rec.get(f) for f in fields)
        if None in key:
            continue
        if store.indexes.lookup(model, fields, key) - {rec.get("id")}:
            if message is None:
                table = store.schemas[model].table
                shown = ", ".join(fields)
                message = (
                    f'duplicate key value violates unique constraint "{table}_{"_".join(fields)}'
                    f'_uniq"\nDETAIL:  Key ({shown})=({", ".join(map(str, key))}) already exists.\n'
                )
            raise SqlCheckViolation(message)
    for hook in _hooks(SQL_CHECKS, model):
        hook(store, rec, model)


def python_checks(store, model: str, ids: list[int]) -> None:
    """Python constraints (@api.constrains) on stored records."""
    for hook in _hooks(PY_CHECKS, model):
        hook(store, ids, model)
