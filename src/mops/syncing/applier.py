"""Carry out a plan against Odoo, batch by batch, recording each success in the state store.

- Creates go as lists of values, one ``create`` per batch, with tracking off; before a type's
  creates their keys are looked up (one read), so a record another sync made while this one
  planned is adopted, never made twice; after a lost reply the batch's keys are looked up again.
- Updates are grouped by identical values: one ``write(ids, vals)`` per group and batch.
- A batch Odoo refuses is split in halves until the bad record is isolated; it becomes a
  refusal naming its row, model and field, and the rest still apply.
- A transient failure of a create is never retried blindly: the keys are looked up again and
  only the records still missing are created, a bounded number of times.
- State and journal rows of a batch are committed right after its Odoo call succeeded.
- Calls that do not depend on each other (a chatter message each, writes of different values)
  go up to ``workers`` at a time; their results are recorded in the main thread, in plan order,
  each as soon as it and those before it are back. A crash leaves at most ``workers`` calls
  done in Odoo and not in the state: the next run finds them by key, as after a lost reply.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from mops import i18n
from mops.errors import InputError, OdooServerError, OdooTransientError
from mops.i18n import pair
from mops.odoo.client import OdooClient
from mops.syncing.invoicing import Invoicing
from mops.syncing.mapping import KEY_FIELD, among, key_from, ref_key
from mops.syncing.plan import (
    CellValue,
    Issue,
    LinkedStep,
    Plan,
    PlanItem,
    Source,
    StateRecord,
)
from mops.syncing.planner import record_hash
from mops.syncing.remote import find_by_keys, read_all
from mops.syncing.state import Pending, StateStore
from mops.syncing.turns import Turns

# mail_activity_quick_update: an activity assigned to someone else sends them no e-mail each.
CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_activity_quick_update": True,
}
CREATE_ATTEMPTS = 3
DEFAULT_KIND = {"key_field": KEY_FIELD, "key_format": "{key}", "create": "create", "post_args": {}}


@dataclass(frozen=True)
class Refusal:
    """A record Odoo refused, or that could not be sent: where it is and why."""

    record_type: str
    key: str
    model: str
    source: Source | None
    issue: Issue


@dataclass
class ApplyResult:
    """What one apply did."""

    run_id: int
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    adopted: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)  # workflow steps taken, per type
    refusals: list[Refusal] = field(default_factory=list)
    pull: list[CellValue] = field(default_factory=list)
    calls: int = 0
    seconds: float = 0.0
    status: str = "ok"


class _NotSent(Exception):
    """A call left unsent because one before it failed for want of an answer."""


class _Unresolvable(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same(wanted: Any, held: Any) -> bool:
    """Whether Odoo's value (read with load="") already is what ``wanted`` would write."""
    if isinstance(wanted, list):  # many2many commands
        present = set(held or [])
        for command in wanted:
            if command[0] == 4 and command[1] not in present:
                return False
            if command[0] == 3 and command[1] in present:
                return False
            if command[0] == 6 and set(command[2]) != present:
                return False
        return True
    if isinstance(wanted, bool) or isinstance(held, bool):
        return bool(wanted) == bool(held)
    if isinstance(wanted, float) or isinstance(held, float):
        return abs(float(wanted or 0) - float(held or 0)) < 0.005
    return (wanted or False) == (held or False)


def _field_named(exc: OdooServerError, model: str, vals: dict[str, Any]) -> str | None:
    """The field of ``vals`` Odoo's message names, if it names one."""
    text = exc.server_message
    for name in sorted(vals, key=len, reverse=True):
        if re.search(
            rf"{re.escape(model)}\.{re.escape(name)}\b|['\"(]{re.escape(name)}['\")]", text
        ):
            return name
    return None


class Applier(Invoicing):
    """One application of a plan."""

    def __init__(
        self,
        client: OdooClient,
        plan: Plan,
        state: StateStore,
        *,
        batch: int = 500,
        progress: Callable[[str], None] | None = None,
        run_id: int | None = None,
        workers: int = 1,
    ) -> None:
        self.client = client
        self.workers = max(1, workers)
        self.given_run = run_id
        self.plan = plan
        self.state = state
        self.batch = max(1, batch)
        self.progress = progress or (lambda message: None)
        # References only ever name records of this plan: created in it, or already in Odoo.
        self.ids: dict[str, int] = {}
        for item in plan.items:
            if item.odoo_id is not None:
                self.ids[item.key] = item.odoo_id
        self.written: dict[str, dict[str, int]] = {}  # type → key → id, for write_dates
        self.result = ApplyResult(run_id=0)

    # -- references ---------------------------------------------------------------------------

    def _resolve(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: self._deep(value) for name, value in values.items()}

    def _deep(self, value: Any) -> Any:
        """A value with its references to records of this run replaced by their ids: a
        reference itself, one inside x2many commands, or a ``"$ref:<key>"`` key of a json field
        (an analytic distribution)."""
        key = ref_key(value)
        if key is not None:
            if key not in self.ids:
                raise _Unresolvable(key)
            return self.ids[key]
        if isinstance(value, list):
            return [self._deep(v) for v in value]
        if isinstance(value, dict):
            out = {}
            for name, item in value.items():
                if isinstance(name, str) and name.startswith("$ref:"):
                    if name[5:] not in self.ids:
                        raise _Unresolvable(name[5:])
                    name = str(self.ids[name[5:]])
                out[name] = self._deep(item)
            return out
        return value

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> ApplyResult:
        started = time.perf_counter()
        calls_before = getattr(self.client, "calls", 0)
        if self.given_run is None:
            run_id = self.state.begin_run(self.plan.digest)
        else:
            run_id = self.given_run
            self.state.set_digest(run_id, self.plan.digest)
        self.result.run_id = run_id
        self.run_id = run_id
        try:
            for name in self.plan.types:
                items = [i for i in self.plan.items if i.record_type == name]
                if not items:
                    continue
                self.written[name] = {}
                self._create_waves([i for i in items if i.action == "create"])
                self._updates([i for i in items if i.action != "create" and i.changes])
                self._linked([i for i in items if i.linked])
                self._actions([i for i in items if i.actions])
                self._refresh([i for i in items if i.refresh and not i.changes])
                self._conflicts([i for i in items if i.action == "conflict"])
                self._write_dates(name)
        except BaseException as exc:
            self.state.finish_run(run_id, "failed", str(exc)[:500])
            raise
        self.result.pull = self._pull_back()
        problems = self.result.refusals or self.plan.has_problems
        self.result.status = "problems" if problems else "ok"
        self.state.finish_run(run_id, self.result.status)
        self.result.calls = getattr(self.client, "calls", 0) - calls_before
        self.result.seconds = time.perf_counter() - started
        return self.result

    # -- creates ------------------------------------------------------------------------------

    def _create_waves(self, creates: list[PlanItem]) -> None:
        """Create a type's records; one naming another new record of its type (an employee's
        manager) waits for the wave after the one that creates it.

        Their keys are looked up first, in one read for the type: a record already in Odoo
        under its key (made by a sync that held the lease while this one planned) is adopted,
        never made twice. The lease is held from before this run's first write, so no other
        sync makes any of them after the look-up; a lost reply looks its keys up again.
        """
        if not creates:
            return
        keys = {item.key for item in creates}
        found = self._look_up(creates)
        while creates:
            waiting: list[tuple[PlanItem, str]] = []
            for chunk in _batches(creates, self.batch):
                self.progress(f"{chunk[0].record_type}: create {len(chunk)}")
                waiting.extend(self._creates(chunk, keys, found))
            if len(waiting) == len(creates):  # a circle, or a record Odoo refused
                for item, key in waiting:
                    self._refuse_ref(item, key)
                return
            creates = [item for item, _key in waiting]

    def _creates(
        self, chunk: Sequence[PlanItem], wait_for: set[str], found: dict[str, dict]
    ) -> list[tuple[PlanItem, str]]:
        ready: list[tuple[PlanItem, dict, dict]] = []
        waiting: list[tuple[PlanItem, str]] = []
        for item in chunk:
            try:
                ready.append((item, self._resolve(item.vals), self._resolve(item.synced)))
            except _Unresolvable as exc:
                if exc.key in wait_for:
                    waiting.append((item, exc.key))
                else:
                    self._refuse_ref(item, exc.key)
        if ready:
            self._create_batch(ready, found=found, attempts=CREATE_ATTEMPTS)
        return waiting

    def _create_batch(
        self, ready: list[tuple[PlanItem, dict, dict]], *, found: dict | None, attempts: int
    ) -> None:
        """Create ``ready``, but those ``found`` in Odoo under their key, which are adopted
        (``found`` None: their keys are looked up now)."""
        model = ready[0][0].model
        kind = self._kind(ready[0][0])
        if found is None:
            found = self._look_up([item for item, _v, _s in ready])
        if any(entry[0].key in found for entry in ready):
            self._adopt([(i, v, s, found[i.key]) for i, v, s in ready if i.key in found])
            ready = [entry for entry in ready if entry[0].key not in found]
        if not ready:
            return
        if kind["create"] == "message_post":
            self._post(ready, kind, attempts=attempts)
            return
        if kind["create"] == "invoice_wizard":
            self._invoice(ready, attempts=attempts)
            return
        try:
            ids = self.client.call(
                model, "create", [v for _i, v, _s in ready], context=CREATE_CONTEXT
            )
        except OdooServerError as exc:
            # Odoo rolled the whole call back: nothing of this batch exists, no lookup needed.
            if len(ready) == 1:
                self._refuse(ready[0][0], ready[0][1], exc)
                return
            half = len(ready) // 2
            self._create_batch(ready[:half], found={}, attempts=attempts)
            self._create_batch(ready[half:], found={}, attempts=attempts)
            return
        except OdooTransientError as exc:
            # The reply is lost, not necessarily the create: look the keys up, create the rest.
            self._create_again(ready, attempts=attempts, failures=[exc])
            return
        self._created(ready, ids)

    def _look_up(self, items: Sequence[PlanItem]) -> dict[str, dict]:
        """The records already in Odoo under these items' keys (of one type), by key, with the
        fields their creates would sync."""
        kind = self._kind(items[0])
        return find_by_keys(
            self.client, items[0].model, [item.key for item in items],
            sorted({name for item in items for name in item.synced}),
            key_field=kind["key_field"], key_format=kind["key_format"],
        )  # fmt: skip

    def _create_again(
        self, entries: list, *, attempts: int, failures: Sequence[BaseException]
    ) -> None:
        """Creates that got no answer: their keys looked up and the rest sent again while tries
        are left; after the last, its error (the first without an answer) stands."""
        if attempts <= 1:
            raise next(e for e in failures if isinstance(e, OdooTransientError))
        self._create_batch(entries, found=None, attempts=attempts - 1)

    def _created(self, ready: Sequence[tuple[PlanItem, dict, dict]], ids: Sequence[int]) -> None:
        pending = self.state.pending()
        for (item, _vals, synced), odoo_id in zip(ready, ids, strict=True):
            self._kept(pending, item, odoo_id, synced, action="create", new=synced)
        self.state.commit(pending)

    def _kept(
        self, pending, item: PlanItem, odoo_id: int, synced: dict, *, action: str, new
    ) -> None:
        """A record of the plan now in Odoo under its key, made ("create") or found ("adopt"):
        its id, the run's count, and its state and journal entry staged in ``pending``."""
        self.ids[item.key] = odoo_id
        self.written[item.record_type][item.key] = odoo_id
        counts = self.result.created if action == "create" else self.result.adopted
        counts[item.record_type] += 1
        self._stage(pending, item, odoo_id, synced)
        self.state.stage_journal(
            pending, self.run_id, record_type=item.record_type, key=item.key, model=item.model,
            odoo_id=odoo_id, action=action, new=new, source=item.source,
        )  # fmt: skip

    def _post(self, ready: list[tuple[PlanItem, dict, dict]], kind: dict, *, attempts: int) -> None:
        """Post chatter messages (message_post takes one record), each its own commit.

        The key travels in the message's own ``message_id``, so a message whose reply was lost
        is found by the lookup of the next attempt, never posted twice.
        """

        # Notes on one record go one after the other, in plan order: Odoo 17 subscribes the
        # author as a follower on each post, and two posts at once on the same record break
        # its unique follower constraint ("a partner cannot follow twice the same object").
        turns = Turns(ready, lambda entry: (entry[1]["model"], entry[1]["res_id"]))

        def send(entry: tuple[PlanItem, dict, dict]) -> Any:
            with turns.turn(entry):
                vals = entry[1]
                args = dict(kind["post_args"])
                args.update({k: v for k, v in vals.items() if k not in ("model", "res_id")})
                return self.client.call(vals["model"], "message_post", [vals["res_id"]], **args)

        again: list[tuple[PlanItem, dict, dict]] = []
        failures: list[Exception] = []

        def done(entry: tuple[PlanItem, dict, dict], posted: Any, exc: Exception | None) -> bool:
            if isinstance(exc, OdooServerError):
                self._refuse(entry[0], entry[1], exc)
                return False
            if exc is not None:  # no answer, or not sent after one without an answer
                again.append(entry)
                failures.append(exc)
                return True
            # JSON-RPC answers the message's id; JSON-2 a list of ids (a record set).
            message_id = posted[0] if isinstance(posted, list) else posted
            self._created([entry], [int(message_id)])
            return False

        self._each(send, ready, done)
        if again:
            self._create_again(again, attempts=attempts, failures=failures)

    def _each(
        self,
        send: Callable[[Any], Any],
        entries: Sequence[Any],
        done: Callable[[Any, Any, Exception | None], bool],
    ) -> None:
        """``send`` every entry to Odoo, up to ``workers`` at a time; ``done`` records each
        outcome in this thread, in the entries' order. When ``done`` answers True (a call got no
        answer), the calls not yet sent are not sent: ``done`` gets them with ``_NotSent``."""
        if self.workers == 1 or len(entries) <= 1:
            stop = False
            for entry in entries:
                if stop:
                    done(entry, None, _NotSent())
                    continue
                try:
                    result, exc = send(entry), None
                except (OdooServerError, OdooTransientError) as error:
                    result, exc = None, error
                stop = done(entry, result, exc)
            return
        # Leaving the block waits for the calls under way, so none outlives the run.
        with ThreadPoolExecutor(self.workers, thread_name_prefix="mops-sync") as pool:
            futures = [pool.submit(send, entry) for entry in entries]
            try:
                for entry, future in zip(entries, futures, strict=True):
                    if future.cancelled():
                        done(entry, None, _NotSent())
                        continue
                    try:
                        result, exc = future.result(), None
                    except (OdooServerError, OdooTransientError) as error:
                        result, exc = None, error
                    if done(entry, result, exc):
                        for later in futures:
                            later.cancel()
            finally:
                for later in futures:
                    later.cancel()

    def _adopt(self, found: list[tuple[PlanItem, dict, dict, dict]]) -> None:
        """Records already in Odoo under their key: bring them to the plan's values, keep them."""
        groups: dict[str, list[tuple[PlanItem, dict, int]]] = {}
        for item, vals, synced, record in found:
            diff = {
                name: vals[name]
                for name in synced
                if name in vals and not _same(vals[name], record.get(name))
            }
            self.ids[item.key] = record["id"]
            groups.setdefault(json.dumps(diff, sort_keys=True), []).append(
                (item, synced, record["id"])
            )
        pending = self.state.pending()
        for text, members in groups.items():
            diff = json.loads(text)
            ids = [odoo_id for _i, _s, odoo_id in members]
            if diff:
                try:
                    self.client.call(members[0][0].model, "write", ids, diff)
                except OdooServerError as exc:
                    for item, _s, _odoo_id in members:
                        self._refuse(item, diff, exc)
                    continue
            for item, synced, odoo_id in members:
                self._kept(pending, item, odoo_id, synced, action="adopt", new=diff or None)
        self.state.commit(pending)

    # -- updates ------------------------------------------------------------------------------

    def _updates(self, items: list[PlanItem]) -> None:
        groups: dict[str, list[tuple[PlanItem, dict]]] = {}
        for item in items:
            try:
                vals = self._resolve(item.vals)
                synced = self._resolve(item.synced)
            except _Unresolvable as exc:
                self._refuse_ref(item, exc.key)
                continue
            groups.setdefault(json.dumps(vals, sort_keys=True), []).append((item, synced))
        # Each record is in one group only, so the groups' writes do not depend on each other.
        batches = [
            (list(chunk), json.loads(text))
            for text, members in groups.items()
            for chunk in _batches(members, self.batch)
        ]

        def done(batch, outcomes, exc: Exception | None) -> bool:
            if exc is not None:
                raise exc  # Odoo's refusals are in the outcomes: this one got no answer
            for members, vals, refused in outcomes:
                if refused is None:
                    self._wrote(members, vals)
                else:
                    self._refuse(members[0][0], vals, refused)
            return False

        self._each(lambda batch: self._write_batch(*batch), batches, done)

    def _write_batch(self, members: list[tuple[PlanItem, dict]], vals: dict) -> list[tuple]:
        """Write ``vals`` to the members' records; a refused write is split in halves until the
        record Odoo refuses is alone. (members, vals, None) written, (…, refusal) not."""
        model = members[0][0].model
        ids = [item.odoo_id for item, _s in members]
        try:
            self.client.call(model, "write", ids, vals)
        except OdooServerError as exc:
            if len(members) == 1:
                return [(members, vals, exc)]
            half = len(members) // 2
            return self._write_batch(members[:half], vals) + self._write_batch(members[half:], vals)
        return [(members, vals, None)]

    def _wrote(self, members: list[tuple[PlanItem, dict]], vals: dict) -> None:
        """Record the written members in the state and the journal."""
        model = members[0][0].model
        pending = self.state.pending()
        for item, synced in members:
            assert item.odoo_id is not None
            self.written[item.record_type][item.key] = item.odoo_id
            self.result.updated[item.record_type] += 1
            if item.adopted:
                self.result.adopted[item.record_type] += 1
            self._stage(pending, item, item.odoo_id, synced)
            for change in item.changes:
                self.state.stage_journal(
                    pending, self.run_id, record_type=item.record_type, key=item.key,
                    model=model, odoo_id=item.odoo_id, action="update", field=change.field,
                    old=change.old, new=self._resolve({"v": change.new})["v"], source=item.source,
                )  # fmt: skip
        self.state.commit(pending)

    # -- workflow steps -----------------------------------------------------------------------

    def _actions(self, items: list[PlanItem]) -> None:
        """Call each planned Odoo method (action_confirm, action_post …) on its records.

        Steps go in the order the mapping lists them, one call per method and batch. A record
        whose create or write was refused, or that a refused step left behind, takes no further
        step; Odoo's own state tells the next plan what is still to do.
        """
        refused = {r.key for r in self.result.refusals}
        order: list[str] = []
        for item in items:
            order.extend(m for m in item.actions if m not in order)
        for method in order:
            members = []
            for item in items:
                odoo_id = self.ids.get(item.key)
                if method in item.actions and odoo_id is not None and item.key not in refused:
                    members.append((item, odoo_id))
            for chunk in _batches(members, self.batch):
                self.progress(f"{chunk[0][0].record_type}: {method} {len(chunk)}")
                self._action_batch(list(chunk), method)
            refused = {r.key for r in self.result.refusals}

    def _action_batch(
        self, members: list[tuple[PlanItem, int]], method: str, attempts: int = CREATE_ATTEMPTS
    ) -> None:
        model = members[0][0].model
        # The context of a step may differ by version: {"17": {…}} applies on Odoo 17 only.
        by_series = (self._kind(members[0][0]).get("contexts") or {}).get(method) or {}
        series = str((getattr(self.client, "version_info", None) or (17,))[0])
        context = by_series.get(series)
        kwargs = {"context": context} if context else {}
        try:
            self.client.call(model, method, [odoo_id for _i, odoo_id in members], **kwargs)
        except OdooServerError as exc:
            # Odoo rolled the call back: isolate the record it refuses, step the others.
            if len(members) == 1:
                self._refuse(members[0][0], {}, exc)
                return
            half = len(members) // 2
            self._action_batch(members[:half], method, attempts)
            self._action_batch(members[half:], method, attempts)
            return
        except OdooTransientError:
            # The step may have been taken with its reply lost: Odoo's state says which were;
            # those are done, the others are called again (a step is never taken twice).
            if attempts <= 1:
                raise
            done_field, done_value = self._kind(members[0][0])["done"][method]
            ids = [odoo_id for _i, odoo_id in members]
            held = {r["id"]: r for r in self.client.call(model, "read", ids, fields=[done_field])}
            taken = [m for m in members if among(held.get(m[1], {}).get(done_field), done_value)]
            self._stepped(taken, model, method)
            left = [m for m in members if m not in taken]
            if left:
                self._action_batch(left, method, attempts - 1)
            return
        self._stepped(members, model, method)

    def _linked(self, items: list[PlanItem], attempts: int = CREATE_ATTEMPTS) -> None:
        """Steps on records linked to planned ones (a terminated contract's draft invoices
        cancelled), before the record's own steps: one call per item and step.

        After a lost reply the linked records' state says which were taken; only the others
        are called again, so a step is never taken twice.
        """
        for item in items:
            if item.key in {r.key for r in self.result.refusals}:
                continue
            for step in item.linked:
                self.progress(f"{item.record_type}: {step.model}.{step.method} {len(step.ids)}")
                ids = list(step.ids)
                for attempt in range(attempts, 0, -1):
                    try:
                        self.client.call(step.model, step.method, ids)
                    except OdooServerError as exc:
                        self._refuse(item, {}, exc)
                        break
                    except OdooTransientError:
                        if attempt <= 1:
                            raise
                        held = self.client.call(step.model, "read", ids, fields=[step.done_field])
                        ids = [
                            r["id"] for r in held
                            if not among(r.get(step.done_field), step.done_value)
                        ]  # fmt: skip
                        if ids:
                            continue
                    self._linked_done(item, step)
                    break

    def _linked_done(self, item: PlanItem, step: LinkedStep) -> None:
        pending = self.state.pending()
        self.result.actions[item.record_type] += 1
        self.state.stage_journal(
            pending, self.run_id, record_type=item.record_type, key=item.key, model=item.model,
            odoo_id=item.odoo_id, action="action", field=f"{step.model}.{step.method}",
            new=step.names, source=item.source,
        )  # fmt: skip
        self.state.commit(pending)

    def _stepped(self, members: list[tuple[PlanItem, int]], model: str, method: str) -> None:
        pending = self.state.pending()
        for item, odoo_id in members:
            self.written[item.record_type][item.key] = odoo_id
            self.result.actions[item.record_type] += 1
            self.state.stage_journal(
                pending, self.run_id, record_type=item.record_type, key=item.key,
                model=model, odoo_id=odoo_id, action="action", field=method, source=item.source,
            )  # fmt: skip
        self.state.commit(pending)

    def _refresh(self, items: list[PlanItem]) -> None:
        """Records Odoo already agrees with, whose state lagged (e.g. after a crash)."""
        pending = self.state.pending()
        for item in items:
            if item.odoo_id is None:
                continue
            self._stage(pending, item, item.odoo_id, item.synced, item.write_date)
            if item.adopted:
                self.result.adopted[item.record_type] += 1
                self.state.stage_journal(
                    pending, self.run_id, record_type=item.record_type, key=item.key,
                    model=item.model, odoo_id=item.odoo_id, action="adopt", source=item.source,
                )  # fmt: skip
        self.state.commit(pending)

    def _conflicts(self, items: list[PlanItem]) -> None:
        pending = self.state.pending()
        for item in items:
            for conflict in item.conflicts:
                self.state.stage_journal(
                    pending, self.run_id, record_type=item.record_type, key=item.key,
                    model=item.model, odoo_id=item.odoo_id, action="conflict",
                    field=conflict.field or None, old=conflict.odoo, new=conflict.workbook,
                    source=item.source,
                )  # fmt: skip
        self.state.commit(pending)

    def _write_dates(self, name: str) -> None:
        """Record Odoo's write_date of what this run wrote (one read per batch of ids)."""
        written = self.written.get(name) or {}
        if not written:
            return
        model = self.plan.models[name]
        by_id = {odoo_id: key for key, odoo_id in written.items()}
        dates: dict[int, str] = {}
        for chunk in _batches(sorted(by_id), 5000):
            for rec in read_all(self.client, model, [["id", "in", list(chunk)]], ["write_date"]):
                dates[rec["id"]] = rec["write_date"]
        states = self.state.records([name], keys=list(written))
        pending = self.state.pending()
        for odoo_id, key in by_id.items():
            current = states.get((name, key))
            if current is not None and odoo_id in dates:
                self.state.stage_record(pending, replace(current, odoo_write_date=dates[odoo_id]))
        self.state.commit(pending)

    # -- bookkeeping --------------------------------------------------------------------------

    def _kind(self, item: PlanItem) -> dict[str, Any]:
        return self.plan.kinds.get(item.record_type) or DEFAULT_KIND

    def _stage(
        self, pending: Pending, item: PlanItem, odoo_id: int, synced: dict, write_date=None
    ) -> None:
        record = StateRecord(
            item.record_type, item.key, item.model, odoo_id, synced, item.workbook_hash,
            write_date, self.run_id,
        )  # fmt: skip
        self.state.stage_record(pending, record)

    def _refuse(self, item: PlanItem, vals: dict, exc: OdooServerError) -> None:
        odoo_field = _field_named(exc, item.model, vals)
        column = self.plan.columns.get(item.record_type, {}).get(odoo_field or "")
        zh, en = pair("sync.applier.refused")
        params = {"kind": exc.kind, "message": exc.server_message}
        issue = Issue(
            exc.kind, column, f"{item.model}.{odoo_field}" if odoo_field else None,
            zh.format(**params), en.format(**params),
        )  # fmt: skip
        self._record_refusal(item, issue)

    def _refuse_ref(self, item: PlanItem, key: str) -> None:
        zh, en = pair("sync.applier.ref_failed")
        issue = Issue("ref-failed", None, None, zh.format(ref=key), en.format(ref=key))
        self._record_refusal(item, issue)

    def _record_refusal(self, item: PlanItem, issue: Issue) -> None:
        self.result.refusals.append(
            Refusal(item.record_type, item.key, item.model, item.source, issue)
        )
        pending = self.state.pending()
        self.state.stage_journal(
            pending, self.run_id, record_type=item.record_type, key=item.key, model=item.model,
            odoo_id=item.odoo_id, action="refused", field=issue.field, new=issue.message_en,
            source=item.source,
        )  # fmt: skip
        self.state.commit(pending)

    def _pull_back(self) -> list[CellValue]:
        cells = []
        for cell in self.plan.pull_back():
            key = ref_key(cell.value)
            if key is None:
                cells.append(cell)
            elif key in self.ids:
                cells.append(replace(cell, value=self.ids[key]))
        return cells


def apply_plan(
    client: OdooClient,
    plan: Plan,
    state: StateStore,
    *,
    batch: int = 500,
    progress: Callable[[str], None] | None = None,
    run_id: int | None = None,
    workers: int = 1,
) -> ApplyResult:
    """Apply a plan to Odoo, recording every success in the state store as it happens.

    ``run_id`` is a run already begun (``StateStore.begin_run``), e.g. before planning; by
    default a new run is begun here. ``workers`` calls that do not depend on each other go to
    Odoo at a time (``[sync] workers``).
    """
    applier = Applier(
        client, plan, state, batch=batch, progress=progress, run_id=run_id, workers=workers
    )
    return applier.run()


def check_plan_current(client: OdooClient, plan: Plan, state: StateStore) -> None:
    """Refuse a saved plan when Odoo or the state store moved since it was made."""
    last = state.last_applied_run()
    if last != plan.state_run:
        raise PlanOutdatedError(
            i18n.text("plan_outdated_run", last=last, known=plan.state_run),
            hint=i18n.text("plan_outdated_hint"),
        )
    moved: list[str] = []
    for name in plan.types:
        items = [i for i in plan.items if i.record_type == name]
        kind = plan.kinds.get(name) or DEFAULT_KIND
        if not items or kind.get("match"):
            continue
        prefix = items[0].key.split(":", 1)[0]
        domain = kind.get("domain") or [[KEY_FIELD, "=like", f"{prefix}:%"]]
        current: dict[str, dict] = {}
        for rec in read_all(client, plan.models[name], domain, plan.read_fields[name]):
            key = key_from(kind["key_format"], rec.get(kind["key_field"]))
            if key is not None:
                current.setdefault(key, rec)
        for item in items:
            now = current.get(item.key)
            if (now["id"] if now else None) != item.odoo_id or (
                now is not None and record_hash(now) != item.odoo_hash
            ):
                when = now.get("write_date") if now else None
                moved.append(f"{item.key} ({item.write_date or '-'} → {when or '-'})")
    if moved:
        shown = ", ".join(moved[:5]) + (f" … (+{len(moved) - 5})" if len(moved) > 5 else "")
        raise PlanOutdatedError(
            i18n.text("plan_outdated_odoo", count=len(moved), shown=shown),
            hint=i18n.text("plan_outdated_hint"),
        )


class PlanOutdatedError(InputError):
    """A saved plan that Odoo (or another sync) has moved past; nothing was written."""
