"""Converters of chatter entries: the record a message or activity is on, its author, done."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mops.syncing.converters.base import KEEP, Converter, Unresolved
from mops.syncing.converters.references import UserByEmail


class ThreadOf(Converter):
    """The record a chatter entry belongs to: the first of several reference columns filled.

    ``thread_model:opportunity_id=opportunity,customer_id=customer`` gives the model of that
    record type, ``thread_model_id:…`` the id of that model in ir.model (what an activity
    needs), ``thread_id:…`` the record's Odoo id (or a reference to a record of the same run).
    """

    name = "thread"

    def __init__(self, spec: str, part: str) -> None:
        pairs = [item.split("=", 1) for item in spec.split(",")]
        self.targets = tuple((column.strip(), rtype.strip()) for column, rtype in pairs)
        self.columns = tuple(column for column, _t in self.targets)
        self.part = part
        self.models: dict[str, str] = {}  # record type → model, filled when the mapping is read

    def depends(self) -> set[str]:
        return {rtype for _c, rtype in self.targets}

    def _target(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        for column, rtype in self.targets:
            if values.get(column) not in (None, ""):
                return rtype, f"{rtype}:{values[column]}"
        return None

    def push(self, value, lookups):
        target = self._target(value or {})
        if target is None:
            raise Unresolved("no_thread", columns=", ".join(self.columns))
        rtype, key = target
        if self.part == "model":
            return self.models[rtype]
        if self.part == "model_id":
            found = lookups.model_ids.get(self.models[rtype])
            if found is None:
                raise Unresolved("no_model", model=self.models[rtype])
            return found
        found = lookups.ids.get(key)
        if found is None:
            raise Unresolved("no_record", key=key, value=key.split(":", 1)[1])
        return found

    def to_cell(self, normal, lookups):
        return KEEP


class AuthorByEmail(UserByEmail):
    """A person → the partner of their Odoo user (a message's author)."""

    name = "author_by_email"

    def push(self, value, lookups):
        uid = super().push(value, lookups)
        return None if uid is None else lookups.user_partners.get(int(uid))

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        users = [uid for uid, partner in lookups.user_partners.items() if partner == normal]
        return super().to_cell(users[0], lookups) if len(users) == 1 else KEEP


class ActivityDone(Converter):
    """Whether an activity is done: Odoo archives it (types provisioned with keep_done)."""

    name = "activity_done"

    def reads(self, odoo_field):
        return ("active",)

    def pull(self, record, odoo_field, lookups):
        return True if record.get("active") is False else KEEP
