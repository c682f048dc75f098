"""Compute a sync plan from the workbook rows, the state store and Odoo's records: pure, no I/O.

For every pushed field of a record, three values meet: the workbook's (W), Odoo's (O) and the
value both held at the last sync (S, from the state store), all in normal form:

- W = O: nothing to do (the state store catches up if it lagged, e.g. after a crash);
- no S (a new field, or a record adopted after a crash): the workbook's value is written;
- O = S: only the workbook changed: write W;
- W = S: only Odoo changed: Odoo's value stays and is offered back to the workbook;
- all three differ: a conflict, settled by the field's policy (workbook, odoo, report).

S stays as it was for a field whose Odoo value is kept, until the workbook holds that value too;
recording O instead would make the next run see a workbook change and overwrite Odoo.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from mops.i18n import pair
from mops.records import ROW, Finding, Severity, show
from mops.syncing.converters import KEEP, Lookups, NotAllowed, OrderOf, Unresolved, linked
from mops.syncing.mapping import FieldMap, RecordType, SyncMapping, among, ref, ref_key
from mops.syncing.plan import (
    Change,
    Conflict,
    Issue,
    LinkedStep,
    Plan,
    PlanItem,
    Source,
    StateRecord,
    cell_value,
)
from mops.validation.context import SRC, Dataset
from mops.validation.results import Report


def issue(code: str, column: str | None = None, odoo_field: str | None = None, **params) -> Issue:
    """An Issue with its message in both languages."""
    zh, en = pair(f"sync.planner.{code}")
    shown = {k: "" if v is None else v for k, v in params.items()}
    return Issue(code, column, odoo_field, zh.format(**shown), en.format(**shown))


# -- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One workbook row of a synced sheet: its key, where it is, its typed values, its errors."""

    key: str
    source: Source
    values: dict[str, Any]
    errors: tuple[Issue, ...] = ()


@dataclass
class Desired:
    """What the workbooks say: rows per record type (only for sheets given), and the roster."""

    rows: dict[str, list[SourceRow]]
    roster: dict[str, str] = field(default_factory=dict)  # name → lower-case e-mail
    staff: dict[str, str] = field(default_factory=dict)  # name → employee id
    files: list[str] = field(default_factory=list)


@dataclass
class OdooSnapshot:
    """What Odoo holds: the records mops owns per type (by key), and the lookups."""

    records: dict[str, dict[str, dict[str, Any]]]  # type → key → record read with load=""
    lookups: Lookups
    duplicates: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    url: str = ""
    database: str = ""


@dataclass(frozen=True)
class SyncSettings:
    """The mapping and the conflict policy of every pushed field."""

    mapping: SyncMapping
    policies: Mapping[tuple[str, str], str] = field(default_factory=dict)
    state_run: int | None = None

    def policy(self, record_type: str, odoo_field: str) -> str:
        """The policy of one field (report unless configured)."""
        return self.policies.get((record_type, odoo_field), "report")


def _finding_issue(finding: Finding) -> Issue:
    return Issue(finding.rule_id, finding.column, None, finding.message_zh, finding.message_en)


def rows_from_dataset(report: Report, dataset: Dataset, mapping: SyncMapping) -> Desired:
    """The rows of every synced sheet, with the error findings validation made on them."""
    errors: dict[tuple[str, str, int | None], list[Issue]] = {}
    for f in report.findings:
        if f.severity is Severity.ERROR:
            errors.setdefault((f.file, f.sheet, f.row), []).append(_finding_issue(f))
    rows: dict[str, list[SourceRow]] = {}
    for rtype in mapping.types:
        frame = dataset.frame(rtype.sheet.key)
        if frame is None:
            continue
        columns = rtype.row_columns()
        keep = [c for c in frame.columns if c in columns or c in (ROW, SRC)]
        out: list[SourceRow] = []
        if rtype.when is not None:
            if rtype.when not in frame.columns:
                rows[rtype.name] = out
                continue
            frame = frame.filter(pl.col(rtype.when).is_not_null())
        for values in frame.select(keep).iter_rows(named=True):
            part = dataset.source(rtype.sheet.key, values.pop(SRC))
            row = values.pop(ROW)
            file = str(part.path)
            source = Source(file, rtype.sheet.key, part.tab, row)
            found = errors.get((file, rtype.sheet.key, row), [])
            # A finding about the whole sheet (a required column missing) stops every row of it.
            found = found + errors.get((file, rtype.sheet.key, None), [])
            key = values.get(rtype.key_column)
            out.append(SourceRow(str(key or ""), source, values, tuple(found)))
        rows[rtype.name] = out
    roster: dict[str, str] = {}
    staff = dataset.frame("roster")
    if staff is not None and {"name", "email"} <= set(staff.columns):
        for name, email in (
            staff.select("name", "email").filter(pl.col("name").is_not_null()).rows()
        ):
            if email:
                roster.setdefault(str(name), str(email).strip().lower())
    people: dict[str, str] = {}
    if staff is not None and {"name", "employee_id"} <= set(staff.columns):
        for name, employee_id in (
            staff.select("name", "employee_id").filter(pl.col("name").is_not_null()).rows()
        ):
            if employee_id:
                people.setdefault(str(name), str(employee_id))
    return Desired(rows=rows, roster=roster, staff=people, files=list(report.files))


# -- planning ----------------------------------------------------------------------------------


def _hash(values: Mapping[str, Any]) -> str:
    # repr of sorted items: deterministic for the JSON values involved, and cheaper than json.
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=8).hexdigest()


def record_hash(record: Mapping[str, Any]) -> str:
    """A hash of an Odoo record as read, to tell whether it moved."""
    return _hash(record)


def plan_digest(
    snapshot: OdooSnapshot, state_run: int | None, hashes: Mapping[tuple[str, str], str]
) -> str:
    """A digest of what the plan saw in Odoo: every owned record, write_date included."""
    seen = sorted(
        (name, key, rec["id"], hashes[(name, key)])
        for name, records in snapshot.records.items()
        for key, rec in records.items()
    )
    text = json.dumps([snapshot.url, snapshot.database, state_run, seen], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _push(fm: FieldMap, row: SourceRow, lookups: Lookups, problems: list[Issue], model: str) -> Any:
    if fm.convert.columns:
        value: Any = row.values
    else:
        value = row.values.get(fm.column) if fm.column else None
    try:
        return fm.convert.push(value, lookups)
    except Unresolved as exc:
        problems.append(issue(exc.code, fm.column, f"{model}.{fm.field}", **exc.params))
        return None


class _Planner:
    def __init__(self, desired, state, snapshot, settings) -> None:
        self.desired: Desired = desired
        self.state: Mapping[tuple[str, str], StateRecord] = state
        self.snapshot: OdooSnapshot = snapshot
        self.settings: SyncSettings = settings
        self.lookups = Lookups(
            **{
                **vars(snapshot.lookups),
                "roster": dict(desired.roster),
                "staff": dict(desired.staff),
            }
        )
        # Every record mops owns in Odoo can be referred to, whether or not its row is given.
        self.lookups.ids = {
            key: rec["id"] for records in snapshot.records.values() for key, rec in records.items()
        }
        self.hashes = {
            (name, key): record_hash(rec)
            for name, records in snapshot.records.items()
            for key, rec in records.items()
        }
        # What steps planned on linked records change of them: (model, id) → values.
        self.after: dict[tuple[str, int], dict[str, Any]] = {}
        # Records cancelled in Odoo, or by a step this plan takes (a terminated contract's
        # order): (type, Odoo id), or (type, key) when made in this run.
        self.cancelled: set[tuple[str, object]] = {
            (name, rec["id"])
            for name, records in snapshot.records.items()
            for rec in records.values()
            if rec.get("state") == "cancel"
        }

    def plan(self) -> Plan:
        items: list[PlanItem] = []
        notes: list[Issue] = []
        for name, dupes in self.snapshot.duplicates.items():
            for key, ids in sorted(dupes.items()):
                used = self.snapshot.records[name][key]["id"]
                notes.append(
                    issue(
                        "duplicate_in_odoo", key=key, count=len(ids), used=used,
                        ids=", ".join(map(str, ids)),
                    )
                )  # fmt: skip
        for rtype in self.settings.mapping.types:
            rows = self.desired.rows.get(rtype.name)
            if rows is not None and rtype.on(self.lookups.series):
                items.extend(self._type(rtype, rows))
        mapping = self.settings.mapping
        return Plan(
            items=items,
            types=[t.name for t in mapping.types],
            models={t.name: t.model for t in mapping.types},
            digest=plan_digest(self.snapshot, self.settings.state_run, self.hashes),
            url=self.snapshot.url,
            database=self.snapshot.database,
            state_run=self.settings.state_run,
            files=list(self.desired.files),
            notes=notes,
            columns={
                t.name: {f.field: f.column for f in t.created if f.column} for t in mapping.types
            },
            read_fields={t.name: t.read_fields() for t in mapping.types},
            kinds={t.name: t.kind for t in mapping.types},
        )

    def _type(self, rtype: RecordType, rows: list[SourceRow]) -> Iterable[PlanItem]:
        if rtype.match:
            yield from self._match(rtype, rows)
            return
        records = self.snapshot.records.get(rtype.name, {})
        first: dict[str, Source] = {}
        for row in rows:
            key = rtype.key(row.key)
            record = records.get(key)
            if record is not None and (rtype.model, record["id"]) in self.after:
                # As Odoo will hold it once the steps planned before it are taken.
                record = {**record, **self.after[(rtype.model, record["id"])]}
            item = PlanItem(rtype.name, key, rtype.model, "skipped", source=row.source)
            if record is not None:
                item.odoo_id, item.write_date = record["id"], record.get("write_date")
                item.odoo_hash = self.hashes[(rtype.name, key)]
            if key in first:
                where = first[key]
                item.issues.append(
                    issue("duplicate_key", rtype.key_column, value=row.key,
                          first=f"{where.tab}!{where.row}")
                )  # fmt: skip
                yield item
                continue
            first[key] = row.source
            if row.errors or not row.key:
                item.issues.extend(row.errors)
                yield self._skip(item, record)
                continue
            problems: list[Issue] = []
            wanted = {
                fm.field: _push(fm, row, self.lookups, problems, rtype.model)
                for fm in rtype.created
            }
            if problems:
                item.issues.extend(problems)
                yield self._skip(item, record)
                continue
            item.workbook_hash = _hash(wanted)
            state = self.state.get((rtype.name, key))
            if record is None and state is not None:
                item.action = "conflict"
                item.conflicts.append(
                    Conflict("", None, None, None, None, "report", "deleted_in_odoo")
                )
                item.issues.append(issue("deleted_in_odoo", odoo_id=state.odoo_id))
                yield item
            elif record is None and self._of_cancelled(rtype, wanted):
                # An instalment not invoiced when its contract ended is not owed (policy 6.3),
                # and Odoo would still invoice a cancelled order: nothing is made.
                item.action = "unchanged"
                yield item
            elif record is None:
                yield self._steps(rtype, self._create(rtype, item, wanted, row), row, None)
            else:
                item = self._compare(rtype, item, row, wanted, record, state)
                yield self._steps(rtype, item, row, record)

    def _steps(
        self, rtype: RecordType, item: PlanItem, row: SourceRow, record: dict | None
    ) -> PlanItem:
        """The workflow steps the row asks for that Odoo's record has not taken yet.

        A record in conflict waits: its steps follow once the conflict is settled.
        """
        if item.action != "conflict":
            series = self.lookups.series
            item.actions = [
                a.method
                for a in rtype.actions
                if (not a.series or series in a.series)
                and (record is not None or a.on_create)
                and a.wanted(row.values)
                and not a.done(record)
            ]
            if rtype.terminated is not None and record is not None:
                self._terminated(rtype, item, row, record)
            if any(a.method in item.actions and a.done_value == "cancel" for a in rtype.actions):
                made = item.odoo_id if item.odoo_id is not None else item.key
                self.cancelled.add((rtype.name, made))
        return item

    def _of_cancelled(self, rtype: RecordType, wanted: dict[str, Any]) -> bool:
        """Whether a record would be made from a cancelled one (an invoice of its order)."""
        for fm in rtype.created:
            if isinstance(fm.convert, OrderOf):
                made_from = wanted.get(fm.field)
                key = ref_key(made_from)
                held = (fm.convert.references, key if key is not None else made_from)
                if held in self.cancelled:
                    return True
        return False

    def _terminated(self, rtype: RecordType, item: PlanItem, row: SourceRow, record: dict) -> None:
        """A terminated contract's invoices: Odoo's own cancel of the order leaves posted ones.

        Draft invoices are cancelled (button_cancel) before the order is; posted invoices not
        paid are reported on the row every run until finance settles them in Odoo (a credit
        note makes them "reversed"). Paid ones stand: the work was done and paid for.
        """
        column, value, link = rtype.terminated  # type: ignore[misc]
        if not among(row.values.get(column), value):
            return
        moves = [
            m
            for m in linked(record, link, INVOICE, self.lookups)
            if m.get("move_type") == "out_invoice"
        ]
        drafts = [m for m in moves if m.get("state") == "draft"]
        for move in drafts:
            self.after[(INVOICE, move["id"])] = {"state": "cancel"}
        if drafts:
            item.linked.append(
                LinkedStep(
                    INVOICE, "button_cancel", [m["id"] for m in drafts],
                    [_move_name(m) for m in drafts], "state", "cancel",
                )
            )  # fmt: skip
        open_ = [
            m
            for m in moves
            if m.get("state") == "posted" and m.get("payment_state") in ("not_paid", "partial")
        ]
        if open_:
            shown = ", ".join(
                f"{_move_name(m)} ({show(_money(m.get('amount_residual')))})" for m in open_
            )
            item.refusals.append(
                issue("terminated_open_invoices", column, f"{INVOICE}.state", invoices=shown,
                      count=len(open_))
            )  # fmt: skip

    def _match(self, rtype: RecordType, rows: list[SourceRow]) -> Iterable[PlanItem]:
        """People on the roster matched with Odoo users by e-mail; nothing is written to Odoo.

        A person in employment without a user is reported; the user's id goes to the roster.
        """
        for row in rows:
            key = rtype.key(row.key)
            item = PlanItem(rtype.name, key, rtype.model, "unchanged", source=row.source)
            email = str(row.values.get("email") or "").strip().lower()
            uid = self.lookups.users.get(email) if email else None
            if uid is None:
                if row.values.get("active") is not False and email and not row.errors:
                    item.action = "skipped"
                    item.issues.append(
                        issue("staff_no_user", "email", "res.users.login",
                              person=row.values.get("name") or row.key, email=email)
                    )  # fmt: skip
                yield item
                continue
            item.odoo_id = uid
            for fm in rtype.pulled:
                cell = fm.convert.pull({"id": uid}, fm.field, self.lookups)
                if cell is not KEEP and cell != row.values.get(fm.column):
                    item.pull.append(cell_value(row.source, fm.column, cell, row.key))
            yield item

    def _skip(self, item: PlanItem, record: dict | None) -> PlanItem:
        if record is None:
            # Dependent rows cannot point at a record that will not exist.
            self.lookups.ids.pop(item.key, None)
        return item

    def _create(
        self, rtype: RecordType, item: PlanItem, wanted: dict[str, Any], row: SourceRow
    ) -> PlanItem:
        item.action = "create"
        item.vals = {
            fm.field: fm.convert.create_value(wanted[fm.field], row.values, self.lookups)
            for fm in rtype.created
        }
        # A value Odoo derives itself (an employee's work e-mail from its user) is not sent.
        item.vals = {name: value for name, value in item.vals.items() if value is not KEEP}
        item.vals[rtype.key_field] = rtype.key_value(item.key)
        item.synced = {fm.field: wanted[fm.field] for fm in rtype.pushed}
        self.lookups.ids[item.key] = ref(item.key)
        for fm in rtype.pulled:
            if fm.field == "id" and item.source is not None:
                item.pull.append(cell_value(item.source, fm.column, ref(item.key), _bare(item.key)))
        return item

    def _compare(
        self,
        rtype: RecordType,
        item: PlanItem,
        row: SourceRow,
        wanted: dict[str, Any],
        record: dict[str, Any],
        state: StateRecord | None,
    ) -> PlanItem:
        lookups = self.lookups
        synced_before = state.synced_values if state is not None else {}
        item.adopted = state is None
        kept: dict[str, Any] = {}  # field → Odoo's value, kept and offered to the workbook
        for fm in rtype.pushed:
            w = wanted[fm.field]
            o = fm.convert.read(record, fm.field, lookups)
            if w == o:
                item.synced[fm.field] = w
                continue
            s_known = fm.field in synced_before
            s = synced_before.get(fm.field)
            if not s_known or o == s:
                self._change(item, fm, o, w, row, record, synced_before)
            elif w == s:
                item.synced[fm.field] = s
                kept[fm.field] = o
            else:
                policy = self.settings.policy(rtype.name, fm.field)
                if policy == "workbook":
                    self._change(item, fm, o, w, row, record, synced_before)
                elif policy == "odoo":
                    item.synced[fm.field] = s
                    kept[fm.field] = o
                else:
                    item.synced[fm.field] = s
                    item.conflicts.append(
                        Conflict(
                            fm.field, fm.column, w, o, s, policy,
                            shown_workbook=show(row.values.get(fm.column) if fm.column else w),
                            shown_odoo=self._shown(fm, o),
                        )
                    )  # fmt: skip
        for fm in rtype.pushed:
            if fm.field not in kept or fm.column is None or item.source is None:
                continue
            cell = fm.convert.to_cell(kept[fm.field], lookups)
            if cell is KEEP:
                o = kept[fm.field]
                w, s = wanted[fm.field], item.synced.get(fm.field)
                item.conflicts.append(
                    Conflict(
                        fm.field, fm.column, w, o, s, "report", "no_cell",
                        shown_workbook=show(row.values.get(fm.column)), shown_odoo=show(o),
                    )
                )  # fmt: skip
            elif cell != row.values.get(fm.column):
                item.pull.append(cell_value(item.source, fm.column, cell, row.key))
        for fm in rtype.pulled:
            if item.source is None:
                continue
            cell = fm.convert.pull(record, fm.field, lookups)
            if cell is not KEEP and cell != row.values.get(fm.column):
                item.pull.append(cell_value(item.source, fm.column, cell, row.key))
        if rtype.archived is not None and record.get("active") is False:
            self._archived(rtype, item, row)
        if item.conflicts:
            item.action = "conflict"
        elif item.changes:
            item.action = "update"
        else:
            item.action = "unchanged"
        item.refresh = (
            state is None
            or state.odoo_id != record["id"]
            or state.synced_values != item.synced
            or state.workbook_hash != item.workbook_hash
        )
        return item

    def _archived(self, rtype: RecordType, item: PlanItem, row: SourceRow) -> None:
        """Archived in Odoo: say so, and bring the workbook's status along (never unarchive)."""
        column, value = rtype.archived  # type: ignore[misc]
        option = rtype.sheet.column(column).enum.option(value)  # type: ignore[union-attr]
        zh, en = pair("sync.planner.archived")
        item.issues.append(
            Issue("archived", column, "active", zh.format(status=option.zh),
                  en.format(status=option.en))
        )  # fmt: skip
        if item.source is not None and row.values.get(column) != value:
            item.pull.append(cell_value(item.source, column, value, row.key))

    def _change(
        self,
        item: PlanItem,
        fm: FieldMap,
        old: Any,
        new: Any,
        row: SourceRow,
        record: dict,
        before: Mapping[str, Any],
    ) -> None:
        shown_new = show(row.values.get(fm.column) if fm.column else self._shown(fm, new))
        try:
            value = fm.convert.write_value(new, record, self.lookups, row.values)
        except NotAllowed as exc:
            # Not written: the last synced value stays, so every run reports it until the
            # workbook or Odoo is settled.
            if fm.field in before:
                item.synced[fm.field] = before[fm.field]
            params = {"workbook": shown_new, "odoo": self._shown(fm, old), **exc.params}
            item.refusals.append(issue(exc.code, fm.column, f"{item.model}.{fm.field}", **params))
            return
        if value is KEEP:
            # Nothing to write: Odoo derives it (an employee's work e-mail from the user linked
            # in the same write), or it no longer matters (a cancelled invoice's amount).
            if fm.field in before:
                item.synced[fm.field] = before[fm.field]
            return
        item.synced[fm.field] = new
        item.vals[fm.convert.write_field(fm.field)] = value
        item.changes.append(Change(fm.field, fm.column, old, new, self._shown(fm, old), shown_new))

    def _shown(self, fm: FieldMap, normal: Any) -> str:
        cell = fm.convert.to_cell(normal, self.lookups)
        return show(normal if cell is KEEP else cell)


INVOICE = "account.move"


def _move_name(move: Mapping[str, Any]) -> str:
    name = move.get("name")
    return str(name) if name and name != "/" else f"#{move['id']}"


def _money(value: Any) -> Decimal:
    return Decimal(repr(float(value or 0)))


def _bare(key: str) -> str:
    return key.split(":", 1)[1]


def plan_sync(
    desired_rows: Desired,
    state_records: Mapping[tuple[str, str], StateRecord],
    odoo_records: OdooSnapshot,
    settings: SyncSettings,
) -> Plan:
    """The plan that brings Odoo and the workbooks into agreement (pure: no I/O)."""
    return _Planner(desired_rows, state_records, odoo_records, settings).plan()
