"""A crash at any point, then a rerun, leaves Odoo exactly as one clean run would: no duplicates.

Faults come from the test server (a dropped connection on the Nth call, a reply lost after the
server committed a create) or from the state store (the process dies after Odoo said yes and
before the state was written). Every scenario ends by comparing all the records mops owns, by
key, with a clean run on a fresh server.

Every call of a small scenario (two customers with every record type, in batches of two; the
people those rows name) is a crash point from the run's first change on: the run dies there, a
rerun converges. Every call is also dropped once (a lost connection the client retries), several
calls per run, spaced so that the run has recovered from one drop before the next. One case
crashes in the middle of the full scenario (five customers, batches of five), and so does the
state store, at several commits.

Cost: every run gets a copy of one test Odoo provisioned once (for the second run's scenario, a
copy of one synced once with the first run's workbooks, and of its state file); each scenario's
workbooks are written once and copied into the same folder for every run, and validating them,
most of a sync's time, happens once per workbook content (the syncs here do not write into the
workbooks, and validation is not what these tests are about). A crash before the run's first
change (the run had only read) is tried at a few calls, not at each.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import pickle
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from mops.errors import OdooTransientError
from mops.syncing import run as sync_run
from mops.syncing.applier import apply_plan
from mops.syncing.mapping import load_mapping
from mops.syncing.run import make_plan
from mops.syncing.state import StateStore

from .conftest import Odoo, provisioned, provisioned_as
from .helpers import OWNED, Books, claims_for, count_by_key, others_for, owned, sales_for, subset
from odoo_server.schema import Field
from odoo_server.server import OdooTestServer

FOREVER = 10**6
# Calls between two dropped calls of one run: the longest recovery (an invoice: the keys looked
# up, the order's invoices searched, the wizard made again and run) is over before the next drop.
DROP_SPACING = 6
# Calls that change nothing in Odoo.
READS = {
    "version_info", "version", "login", "authenticate", "context_get", "fields_get", "search",
    "search_read", "read", "search_count", "read_group", "formatted_read_group", "has_group",
}  # fmt: skip
# Odoo's own workflow actions the scenario calls (17 moves expense reports, 19 expenses).
STEPS = (
    "action_archive", "action_confirm", "action_post", "create_invoices", "action_submit",
    "action_approve", "action_submit_sheet", "action_approve_expense_sheets",
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """A sync to crash: the first one of some demo customers, or the second run's edits."""

    name: str  # "initial" or "update"
    size: str
    customers: int
    campaigns: int
    batch: int
    moved: tuple[int, int]  # the customers (a slice) moved to tier D by the second run
    rephoned: tuple[int, int]  # the customers given new phones by the second run

    @property
    def id(self) -> str:
        return f"{self.size}-{self.name}"


def _scenarios(size: str, **kwargs) -> dict[str, Scenario]:
    return {name: Scenario(name, size, **kwargs) for name in ("initial", "update")}


SMALL = _scenarios("small", customers=2, campaigns=1, batch=2, moved=(1, 2), rephoned=(0, 1))
FULL = _scenarios("full", customers=5, campaigns=2, batch=5, moved=(0, 3), rephoned=(3, 5))
_validated: dict[tuple, tuple] = {}


@pytest.fixture(autouse=True)
def _validated_once(monkeypatch):
    """Syncs here validate each workbook content once (by path, bytes, settings and date)."""
    validate = sync_run.validate_dataset

    def once(paths, config, **kwargs):
        paths = [Path(p) for p in paths]
        key = (
            tuple(paths),
            tuple(hashlib.sha256(p.read_bytes()).digest() for p in paths),
            # Configurations differ only in the URL of their test server, which validation
            # does not read.
            re.sub(r"http://127\.0\.0\.1:\d+", "odoo", repr(config)),
            tuple(sorted(kwargs.items())),
            dt.date.today(),
        )
        if key not in _validated:
            _validated[key] = validate(paths, config, **kwargs)
        return _validated[key]

    monkeypatch.setattr(sync_run, "validate_dataset", once)


def _change(books: Books, scenario: Scenario) -> None:
    """The second run's edits: a tier moved (grouped writes), phones, two new customers, a
    ticket's status and owner, a follow-up's text and next date."""
    customers = books.rows["customers"]
    for row in customers[slice(*scenario.moved)]:
        row["tier"] = "D"
    for i, row in enumerate(customers[slice(*scenario.rephoned)]):
        row["phone"] = f"02-7777-{1000 + i}"
    for i in range(2):
        new = dict(
            customers[0], customer_id=f"CN{i:04d}", name=f"新客戶{i}股份有限公司",
            tax_id=f"1234567{i}", email=f"info{i}@new-customer.com.tw", phone=f"02-6666-100{i}",
        )  # fmt: skip
        customers.append(new)
    ticket = books.others["service"]["tickets"][0]
    service = [p["name"] for p in books.staff["roster"] if p["group"] == "service"]
    ticket.update(status="closed", owner=next(n for n in service if n != ticket["owner"]))
    log = books.rows["followup_log"][0]
    log.update(content=log["content"] + "（補充）", next_step="改為視訊說明")
    # Someone who manages nobody leaves: archived through Odoo's action_archive.
    roster = books.staff["roster"]
    managers = {p.get("manager") for p in roster}
    leaver = next(p for p in roster if p["active"] and p["name"] not in managers)
    leaver.update(active=False, leave_date=dt.date(2026, 6, 30))
    # A contract amended (its line rewritten), the one in review signed (confirmed) and
    # invoiced in full (an invoice made and posted).
    sales = books.others["sales"]
    signed = next(r for r in sales["contracts"] if r["status"] == "executing")
    signed.update(
        amount=signed["amount"] + 10000, status="changed", change_date=signed["signed_date"],
        change_reason="追加工作坊",
    )  # fmt: skip
    review = next(r for r in sales["contracts"] if r["status"] == "legal_review")
    review.update(
        legal_reviewer=signed["legal_reviewer"], legal_review_date=signed["legal_review_date"],
        legal_review_result="approved", signed_date=signed["signed_date"], status="signed",
    )  # fmt: skip
    # A claim pending approval approved (submitted in Odoo), one approved audited (approved).
    claims = books.others["expenses"]["claims"]
    claims[2].update(approval="approved", approver=claims[0]["approver"],
                     approval_date=claims[2]["claim_date"])  # fmt: skip
    claims[1].update(
        audit="passed", auditor=claims[0]["auditor"], audit_date=claims[0]["audit_date"]
    )
    sales["payment_schedule"].append(
        {"instalment_id": f"{review['contract_id']}-1", "contract_id": review["contract_id"],
         "seq": 1, "due_date": review["signed_date"], "amount": review["amount"],
         "invoice_no": "ZZ-00000001", "invoiced_date": review["signed_date"], "paid_date": None,
         "paid_amount": None, "status": "invoiced"}
    )  # fmt: skip
    books.write()


def _named(books: Books) -> list[dict]:
    """The roster cut to the people the other workbooks name (by name or e-mail) and their
    managers: every employee call of the scenario is a crash point, so each one costs a run."""
    said: set[str] = set()

    def collect(value) -> None:
        if isinstance(value, str):
            said.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(books.rows)
    collect(books.others)
    roster = books.staff["roster"]
    by_name = {p["name"]: p for p in roster}
    keep = {p["name"] for p in roster if p["name"] in said or p.get("email") in said}
    todo = list(keep)
    while todo:  # each one's line manager, up to the top
        manager = by_name[todo.pop()].get("manager")
        if manager in by_name and manager not in keep:
            keep.add(manager)
            todo.append(manager)
    return [p for p in roster if p["name"] in keep]


def _copy(source: Path, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)


class _Snapshot:
    """A test Odoo's store, pickled once and copied for every run.

    The field descriptions (frozen) are kept aside and shared by every copy: unpickling their
    thousands of slotted dataclasses was most of a copy's cost, and a run never changes them.
    """

    def __init__(self, store) -> None:
        self.fields: list[Field] = []
        index: dict[int, int] = {}

        def persistent_id(obj):
            if type(obj) is not Field:
                return None
            if id(obj) not in index:
                index[id(obj)] = len(self.fields)
                self.fields.append(obj)
            return index[id(obj)]

        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = persistent_id
        pickler.dump(store)
        self.data = buffer.getvalue()

    def copy(self):
        """A store of its own, with the same records and ids."""
        unpickler = pickle.Unpickler(io.BytesIO(self.data))
        unpickler.persistent_load = self.fields.__getitem__
        return unpickler.load()


class Scenarios:
    """The scenarios' workbooks, written once, and the outcome of a clean run of each."""

    def __init__(self, demo, root: Path, version: str = "17.0") -> None:
        self.demo = demo
        self.root = root
        self.version = version  # the test server speaks Odoo 17 (JSON-RPC) or 19 (JSON-2)
        self.folder = root / "books"  # where every run finds its workbooks
        self._books: dict[str, tuple[Books, Books]] = {}
        self._references: dict[Scenario, dict] = {}
        self._provisioned: _Snapshot | None = None
        self._synced: dict[str, tuple[_Snapshot, bytes]] = {}

    @contextmanager
    def fresh(self, store: _Snapshot | None = None) -> Iterator[Odoo]:
        """A started test Odoo as `mops odoo setup` leaves it (a copy of one provisioned once),
        or a copy of ``store``."""
        if self._provisioned is None:
            with OdooTestServer(version=self.version) as server:
                provisioned(server, self.demo)
                self._provisioned = _Snapshot(server.store)
        store = store or self._provisioned
        with OdooTestServer(store=store.copy(), version=self.version) as server:
            yield provisioned_as(server)

    def _templates(self, scenario: Scenario) -> tuple[Books, Books]:
        """The workbooks of the first run and of the second (with ``_change``'s edits)."""
        if scenario.size not in self._books:
            demo = self.demo
            rows = subset(demo.rows["customers"], scenario.customers)
            first = Books(
                self.root / f"{scenario.size}-initial", rows,
                {"roster": [dict(r) for r in demo.rows["staff"]["roster"]]}, demo.people(),
                {**others_for(demo, rows, campaigns=scenario.campaigns),
                 "sales": sales_for(demo, rows)},
            )  # fmt: skip
            first.others["expenses"] = claims_for(demo, first.others["marketing_plan"]["campaigns"])
            if scenario.size == "small":
                first.staff["roster"] = _named(first)
            first.write()
            second = replace(copy.deepcopy(first), folder=self.root / f"{scenario.size}-update")
            _change(second, scenario)
            self._books[scenario.size] = (first, second)
        return self._books[scenario.size]

    def start(self, odoo, scenario: Scenario, state: Path) -> Books:
        """The workbooks and state as the scenario's run finds them; for "update", after one
        clean sync of the first run's workbooks to ``odoo``."""
        first, second = self._templates(scenario)
        _copy(first.folder, self.folder)
        books = replace(first, folder=self.folder)
        if scenario.name == "update":
            odoo.sync(books, state, batch=scenario.batch)
            _copy(second.folder, self.folder)
            books = replace(second, folder=self.folder)
        return books

    def _first_synced(self, scenario: Scenario) -> tuple[_Snapshot, bytes]:
        """Odoo and the state file after one clean sync of the first run's workbooks, made once
        for all the runs of an "update" scenario."""
        if scenario.size not in self._synced:
            state = self.root / f"first-{scenario.size}.sqlite"
            with self.fresh() as odoo:
                self.start(odoo, scenario, state)
                self._synced[scenario.size] = (_Snapshot(odoo.server.store), state.read_bytes())
        return self._synced[scenario.size]

    @contextmanager
    def run(self, scenario: Scenario, state: Path) -> Iterator[tuple[Odoo, Books]]:
        """A fresh test Odoo and the workbooks as the scenario's run finds them; the server
        counts calls (and so fault numbers) from there."""
        if scenario.name == "initial":
            with self.fresh() as odoo:
                books = self.start(odoo, scenario, state)
                odoo.server.reset_calls()
                yield odoo, books
            return
        synced, state_file = self._first_synced(scenario)
        with self.fresh(synced) as odoo:
            # The same database, served at another port: the state file follows it there.
            state.write_bytes(state_file)
            with closing(sqlite3.connect(state)) as db, db:
                db.execute("UPDATE meta SET value = ? WHERE key = 'odoo_url'", (odoo.settings.url,))
            _copy(self._templates(scenario)[1].folder, self.folder)
            books = replace(self._templates(scenario)[1], folder=self.folder)
            odoo.server.reset_calls()
            yield odoo, books

    def reference(self, scenario: Scenario) -> dict:
        """The calls of a clean run and what mops owns in Odoo after it."""
        if scenario not in self._references:
            state = self.root / f"clean-{scenario.id}.sqlite"
            with self.run(scenario, state) as (odoo, books):
                server = odoo.server
                odoo.sync(books, state, batch=scenario.batch)
                # The records' creates; the lease (ir.model.data) has its own test_lease.py.
                creates = [
                    c for c in server.calls_to(method="create") if c.model != "ir.model.data"
                ]
                self._references[scenario] = {
                    "calls": server.call_count,
                    "creates": [c.number for c in creates],
                    "created": [c.model for c in creates],
                    "posts": [c.number for c in server.calls_to(method="message_post")],
                    # An invoice made by the wizard: a lost reply leaves it without its key.
                    "invoiced": [c.number for c in server.calls_to(method="create_invoices")],
                    "writes": [c.number for c in server.calls_to(method="write")],
                    "steps": [
                        c.number
                        for c in server.calls
                        if c.method
                        in ("action_archive", "action_confirm", "action_post", "create_invoices")
                    ],
                    "owned": owned(odoo.client()),
                    # Before this call the run only reads.
                    "first_change": next(c.number for c in server.calls if c.method not in READS),
                }
        return self._references[scenario]


# The test server as Odoo 17 here; test_crash19.py runs the same tests as 19, a file of its own so
# that the two run side by side (the suite runs a file per worker).
@pytest.fixture(scope="module", params=["17.0"], ids=["odoo17"])
def scenarios(demo, tmp_path_factory, request) -> Scenarios:
    return Scenarios(demo, tmp_path_factory.mktemp("crash"), request.param)


def _converged(odoo: Odoo, ref: dict, label: object = None) -> None:
    """Odoo holds what one clean run leaves: each key once, each record as that run made it."""
    client = odoo.client()
    assert set(count_by_key(client).values()) == {1}, label
    assert owned(client) == ref["owned"], label


def _crash_then_rerun(scenarios: Scenarios, scenario: Scenario, n: int, state: Path) -> None:
    """From call n on every connection drops, so the run dies; a rerun converges."""
    ref = scenarios.reference(scenario)
    with scenarios.run(scenario, state) as (odoo, books):
        server = odoo.server
        # From call n on, every connection drops: the client's retries run out, the run dies.
        server.drop_connection_on_call = range(n, FOREVER)
        died = True
        try:
            out = odoo.sync(books, state, batch=scenario.batch)
            died = False
        except OdooTransientError:
            pass
        if not died:
            # Only giving the lease back or reading Odoo again after the run failed: the sync
            # itself was done (the lease lapses, or the next run from this folder takes it back
            # at once; the columns not read again come back at the next sync, as a note says).
            late = [c for c in server.calls_to() if c.number >= n]
            reread = [c for c in late if c.method in ("search_read", "read")]
            assert late and {(c.model, c.method) for c in late if c not in reread} <= {
                ("ir.model.data", "unlink")
            }
            assert not reread or "repull_unread" in {i.code for i in out.plan.notes}, n
        server.drop_connection_on_call = None
        rerun = odoo.sync(books, state, batch=scenario.batch)
        assert not rerun.result.refusals, n
        _converged(odoo, ref, n)
        with StateStore(state) as store:
            runs = store.runs()
            assert runs[0].status in ("ok", "problems") and not runs[0].dry_run, n
            # Once logged in (calls 1-3 are the login), the failed run is on record.
            assert any(r.status == "failed" for r in runs[1:]) or n <= 3 or not died, n
            actions = {e.action for e in store.journal(limit=0)}
            assert actions <= {"create", "update", "adopt", "action"}
        # A further run has nothing left to do.
        server.reset_calls()
        odoo.sync(books, state, batch=scenario.batch)
        assert not server.calls_to(method="create") and not server.calls_to(method="write"), n
        assert not [c for c in server.calls if c.method in STEPS], n


def _drop_one(scenarios: Scenarios, scenario: Scenario, n: int, state: Path) -> None:
    """Only call n loses its connection: the client retries it and the run completes."""
    ref = scenarios.reference(scenario)
    with scenarios.run(scenario, state) as (odoo, books):
        odoo.server.drop_connection_on_call = n
        odoo.sync(books, state, batch=scenario.batch)
        odoo.server.drop_connection_on_call = None
        _converged(odoo, ref, n)


def _lose_reply(scenarios: Scenarios, scenario: Scenario, number: int, state: Path) -> None:
    """The server commits call ``number`` (a create or a post), then the reply is lost."""
    ref = scenarios.reference(scenario)
    with scenarios.run(scenario, state) as (fresh, books):
        # The server commits the create, then the connection drops before the reply.
        fresh.server.lose_reply_on_call = number
        out = fresh.sync(books, state, batch=scenario.batch)
        fresh.server.lose_reply_on_call = None
        assert sum(out.result.adopted.values()) >= 1, number
        _converged(fresh, ref, number)
        with StateStore(state) as store:
            assert "adopt" in {e.action for e in store.journal(run_id=out.result.run_id, limit=0)}


@pytest.mark.parametrize("scenario", [*SMALL.values(), *FULL.values()], ids=lambda s: s.id)
def test_the_fault_points_cover_reads_creates_and_writes(scenarios, scenario):
    ref = scenarios.reference(scenario)
    assert ref["creates"] and (ref["posts"] or scenario.name == "update")
    assert ref["calls"] > len(ref["creates"]) + len(ref["writes"]) + len(ref["posts"])
    # A workflow step (a leaver archived) is a crash point of both runs.
    assert ref["steps"]
    if scenario.name == "update":
        assert ref["writes"]
    else:
        # Some model's records take several batches of creates.
        assert max(Counter(ref["created"]).values()) > 1
    # Every record type is in the scenario, so every kind of call is a crash point.
    assert [rtype for rtype, *_ in OWNED if not ref["owned"][rtype]] == []


def _crash_points(ref: dict) -> list[int]:
    """Every call from the run's first change on. Before it the run only reads Odoo, and every
    call after a crash point fails too, so a crash there cannot leave anything half done: the
    login's calls, the first, middle and last read stand for the rest."""
    first = ref["first_change"]
    reads = range(1, first)
    early = {*reads[:4], reads[len(reads) // 2], reads[-1]} if reads else set()
    return sorted(early | set(range(first, ref["calls"] + 1)))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SMALL.values(), ids=lambda s: s.id)
def test_a_crash_at_every_call_then_a_rerun_converges(scenarios, tmp_path, scenario):
    points = _crash_points(scenarios.reference(scenario))
    assert len(points) > 20
    for n in points:
        _crash_then_rerun(scenarios, scenario, n, tmp_path / f"crash{n}.sqlite")


@pytest.mark.parametrize("scenario", SMALL.values(), ids=lambda s: s.id)
def test_one_dropped_call_anywhere_is_recovered_within_the_run(scenarios, tmp_path, scenario):
    # Runs drop calls until every call of a run has been dropped in one of them: a dropped call
    # changes nothing on the server, so one run can drop several, each after the run recovered
    # from the one before (spaced), where a run per dropped call would cost a run per call.
    ref = scenarios.reference(scenario)
    dropped: set[tuple] = set()
    for run in range(1, 40):
        state = tmp_path / f"drop{run}.sqlite"
        with scenarios.run(scenario, state) as (odoo, books):
            odoo.server.dropped, odoo.server.drop_spacing = dropped, DROP_SPACING
            before = set(dropped)
            odoo.sync(books, state, batch=scenario.batch)
            odoo.server.drop_spacing = None
            _converged(odoo, ref, sorted(dropped - before, key=repr))
            if dropped == before:  # a whole run without a call not dropped before
                break
    else:
        pytest.fail("some calls were never dropped")
    assert len(dropped) >= ref["calls"]


def test_a_crash_a_dropped_call_or_a_lost_reply_amid_the_full_scenario_converges(
    scenarios, tmp_path
):
    scenario = FULL["initial"]
    creates = scenarios.reference(scenario)["creates"]
    middle = creates[len(creates) // 2]  # some batches of creates are in, others not yet
    _crash_then_rerun(scenarios, scenario, middle, tmp_path / "crash.sqlite")
    _drop_one(scenarios, scenario, middle, tmp_path / "drop.sqlite")
    _lose_reply(scenarios, scenario, middle, tmp_path / "lost.sqlite")


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SMALL.values(), ids=lambda s: s.id)
def test_a_create_whose_reply_is_lost_is_adopted_not_duplicated(scenarios, tmp_path, scenario):
    ref = scenarios.reference(scenario)
    # Every create call (but the invoicing wizard's own, a transient record), every chatter
    # post (one call per message) and every invoice the wizard made.
    creates = [n for n, m in zip(ref["creates"], ref["created"], strict=True)
               if m != "sale.advance.payment.inv"]  # fmt: skip
    for index, number in enumerate(creates + ref["posts"] + ref["invoiced"]):
        _lose_reply(scenarios, scenario, number, tmp_path / f"lost{index}.sqlite")


class Crash(BaseException):
    """The process dies (not an error anything would catch)."""


class DyingStore(StateStore):
    """A state store whose process dies just before its Nth commit of records."""

    def __init__(self, path, die_at: int) -> None:
        super().__init__(path)
        self.die_at = die_at
        self.commits = 0

    def commit(self, pending) -> None:
        if pending.records:
            self.commits += 1
            if self.commits == self.die_at:
                raise Crash
        super().commit(pending)


@pytest.mark.parametrize("scenario", FULL.values(), ids=lambda s: s.id)
@pytest.mark.parametrize("die_at", [1, 2, 4, 7])
def test_a_crash_after_odoo_said_yes_and_before_the_state_was_written(
    scenarios, tmp_path, scenario, die_at
):
    # The Odoo of the scenario's version: 17 and 19 leave different records (expense reports).
    with scenarios.fresh() as odoo:
        _die_then_rerun(odoo, scenarios, tmp_path, scenario, die_at)


def _die_then_rerun(odoo, scenarios, tmp_path, scenario, die_at) -> None:
    ref = scenarios.reference(scenario)
    state = tmp_path / "state.sqlite"
    books = scenarios.start(odoo, scenario, state)
    config = odoo.config()
    report, dataset = sync_run.validate_dataset(books.paths, config)
    client = odoo.client()
    store = DyingStore(state, die_at)
    store.bind(odoo.settings.url, odoo.settings.database)
    plan = make_plan(
        client, report, dataset, store, load_mapping(), config,
        url=odoo.settings.url, database=odoo.settings.database,
    )  # fmt: skip
    try:
        apply_plan(client, plan, store, batch=scenario.batch)
        crashed = False
    except Crash:
        crashed = True
    store.close()
    rerun = odoo.sync(books, state, batch=scenario.batch)
    assert crashed or die_at > 2
    _converged(odoo, ref)
    if die_at == 1 and scenario.name == "initial":
        # The first batch of creates reached Odoo but not the state: found by key, adopted.
        first = next(i for i in plan.items if i.action == "create")
        made = sum(1 for i in plan.items if i.action == "create" and i.model == first.model)
        assert rerun.result.adopted[first.record_type] == min(scenario.batch, made)
    with StateStore(state) as store:
        statuses = [r.status for r in store.runs()]
    assert statuses[0] in ("ok", "problems")
    if crashed:
        assert "failed" in statuses[1:]
