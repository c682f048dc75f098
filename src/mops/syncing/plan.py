"""The plan: what one sync run will do, record by record, as a value that can be saved and shown.

A plan is made by ``mops.syncing.planner.plan_sync`` (pure) and carried out by
``mops.syncing.applier.apply_plan``. It serialises to JSON (``mops.plan/1``) so that ``mops sync
--save-plan`` can be reviewed and applied later; the digest of what it saw in Odoo lets the
applier refuse a plan that Odoo has moved past.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from mops import i18n
from mops.errors import InputError
from mops.records import FORMULA_START, Bilingual

FORMAT = "mops.plan/1"


@dataclass(frozen=True)
class Source:
    """Where a record's row is: workbook file, declared sheet, tab as found, Excel row."""

    file: str
    sheet: str
    tab: str
    row: int


@dataclass(frozen=True)
class Issue(Bilingual):
    """Why a row is not synced, or what Odoo refused: a rule or code, where, in both languages."""

    code: str
    column: str | None
    field: str | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class Change:
    """One field written to Odoo: the value Odoo holds now and the workbook's (normal forms)."""

    field: str
    column: str | None
    old: Any
    new: Any
    shown_old: str = ""  # the values as the workbook would show them, for people
    shown_new: str = ""


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed since the last sync (or a value one side cannot hold)."""

    field: str
    column: str | None
    workbook: Any
    odoo: Any
    synced: Any
    policy: str
    reason: str = "both_changed"  # both_changed | deleted_in_odoo | no_cell
    shown_workbook: str = ""  # the values as the workbook would show them, for people
    shown_odoo: str = ""


@dataclass(frozen=True)
class CellValue:
    """A value to write into a workbook cell (a pull-back from Odoo).

    ``key`` is the row's primary key, so the write-back can check the row still holds the same
    record; ``as_text`` says the value must be stored as text, never read as a formula.
    """

    file: str
    sheet: str
    row: int
    column: str
    value: Any
    key: str
    as_text: bool = False


def cell_value(source: Source, column: str, value: Any, key: str) -> CellValue:
    """A pull-back for this row; text that Excel would take for a formula is marked as text."""
    as_text = isinstance(value, str) and value.startswith(FORMULA_START)
    return CellValue(source.file, source.sheet, source.row, column, value, key, as_text)


@dataclass(frozen=True)
class StateRecord:
    """What the state store knows of one synced record."""

    record_type: str
    key: str
    model: str
    odoo_id: int
    synced_values: dict[str, Any]
    workbook_hash: str = ""
    odoo_write_date: str | None = None
    run_id: int | None = None


@dataclass(frozen=True)
class LinkedStep:
    """An Odoo method called on records linked to a planned one (a terminated contract's draft
    invoices cancelled), planned from their state; done once ``done_field`` is ``done_value``."""

    model: str
    method: str
    ids: list[int]
    names: list[str]
    done_field: str
    done_value: Any


@dataclass
class PlanItem:
    """What happens to one record: create, update, unchanged, conflict or skipped."""

    record_type: str
    key: str
    model: str
    action: str
    source: Source | None = None
    odoo_id: int | None = None
    write_date: str | None = None  # Odoo's write_date when the plan was made
    odoo_hash: str = ""  # a hash of the Odoo record as read then (write_date has 1 s steps)
    vals: dict[str, Any] = field(default_factory=dict)  # sent to Odoo; {"$ref": key} resolved
    synced: dict[str, Any] = field(default_factory=dict)  # normal forms recorded after success
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    pull: list[CellValue] = field(default_factory=list)
    adopted: bool = False  # found in Odoo by key but missing from the state store
    refresh: bool = False  # the state store needs this record written, Odoo does not
    workbook_hash: str = ""
    actions: list[str] = field(default_factory=list)  # Odoo methods called after the writes
    linked: list[LinkedStep] = field(default_factory=list)  # steps on linked records, before
    # Changes Odoo's record cannot take as it stands (a posted invoice): never written, reported.
    refusals: list[Issue] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """Whether applying the item calls Odoo."""
        return (
            self.action == "create" or bool(self.changes) or bool(self.actions) or bool(self.linked)
        )


@dataclass
class Plan:
    """Every item of one sync run, in dependency order, with the digest of what it saw."""

    items: list[PlanItem]
    types: list[str]
    models: dict[str, str]
    digest: str
    url: str = ""
    database: str = ""
    state_run: int | None = None
    made: str = ""
    files: list[str] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # type → Odoo field → column
    read_fields: dict[str, list[str]] = field(default_factory=dict)  # type → fields read
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)  # type → RecordType.kind

    def counts(self) -> dict[str, Counter]:
        """Items per record type and action, plus pull-backs under "pull"."""
        counts: dict[str, Counter] = {t: Counter() for t in self.types}
        for item in self.items:
            counts.setdefault(item.record_type, Counter())[item.action] += 1
            counts[item.record_type]["pull"] += len(item.pull)
            counts[item.record_type]["actions"] += len(item.actions) + len(item.linked)
        return counts

    def pull_back(self) -> list[CellValue]:
        """Every pull-back value of the plan, in item order."""
        return [cell for item in self.items for cell in item.pull]

    @property
    def has_problems(self) -> bool:
        """Conflicts, rows skipped, or changes Odoo cannot take: worth exit code 1."""
        return any(item.action in ("conflict", "skipped") or item.refusals for item in self.items)

    def to_json(self) -> str:
        """The plan as JSON (format mops.plan/1)."""
        data = asdict(self)
        data["format"] = FORMAT
        return json.dumps(data, ensure_ascii=False, default=_encode, indent=None)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """A plan saved by ``to_json``; InputError when the text is not one."""
        try:
            data = json.loads(text, object_hook=_decode)
            if data.pop("format", None) != FORMAT:
                raise ValueError(f"not a {FORMAT} plan")
            data["items"] = [_item(i) for i in data["items"]]
            data["notes"] = [Issue(**n) for n in data["notes"]]
            return cls(**data)
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(
                i18n.text("plan_unreadable", error=exc), hint=i18n.text("plan_unreadable_hint")
            ) from exc


def _item(data: dict) -> PlanItem:
    data["source"] = Source(**data["source"]) if data.get("source") else None
    data["changes"] = [Change(**c) for c in data["changes"]]
    data["conflicts"] = [Conflict(**c) for c in data["conflicts"]]
    data["issues"] = [Issue(**i) for i in data["issues"]]
    data["pull"] = [CellValue(**c) for c in data["pull"]]
    data["linked"] = [LinkedStep(**s) for s in data.get("linked", [])]
    data["refusals"] = [Issue(**i) for i in data.get("refusals", [])]
    return PlanItem(**data)


def _encode(value: object) -> object:
    # Workbook values in pull-backs keep their type through JSON.
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot save {type(value).__name__} in a plan")


def _decode(obj: dict) -> object:
    if set(obj) == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if set(obj) == {"$date"}:
        return dt.date.fromisoformat(obj["$date"])
    if set(obj) == {"$datetime"}:
        return dt.datetime.fromisoformat(obj["$datetime"])
    return obj
