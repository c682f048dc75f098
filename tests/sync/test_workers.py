"""``[sync] workers``: calls that do not depend on each other go to Odoo side by side, and Odoo
ends exactly as with one call at a time; a call without an answer among them stops the run, and
the rerun finds what was applied (none twice)."""

from __future__ import annotations

import pytest

from mops.errors import OdooTransientError
from mops.syncing.run import sync_paths

from .conftest import Odoo, provisioned
from .helpers import count_by_key, owned, sales_for
from odoo_server.fixture import odoo_any_server  # noqa: F401
from odoo_server.server import OdooTestServer

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _sync(odoo: Odoo, books, state, workers: int, **kwargs):
    config = odoo.config().updated("sync", workers=workers)
    return sync_paths(books.paths, config, client=odoo.client(), state_path=state, **kwargs)


def _edit(books) -> None:
    """Different new phones (a write each) and a tier moved (one write for the group)."""
    for i, row in enumerate(books.rows["customers"]):
        row["phone"] = f"02-8888-{1000 + i}"
        row["tier"] = "D"
    books.write()


def test_parallel_calls_leave_odoo_as_calls_one_at_a_time(
    odoo_any_server,  # noqa: F811
    demo,
    make_books,
    tmp_path,
):
    books = make_books(6)
    assert len(books.rows["followup_log"]) >= 8  # enough chatter notes to send side by side
    with OdooTestServer(version=odoo_any_server.version) as other:
        results = {}
        for workers, server in ((1, other), (4, odoo_any_server)):
            odoo = provisioned(server, demo)
            # Each answer of the calls that go side by side takes a moment, as a real server's
            # does (the chatter posts of the first run, the writes of the second).
            server.latency, server.latency_methods = 0.01, {"message_post", "write"}
            state = tmp_path / f"state-{workers}.sqlite"
            first = _sync(odoo, books, state, workers)
            assert first.result is not None and not first.result.refusals
            posts = server.most_in_flight
            server.reset_calls()
            _edit(books)
            second = _sync(odoo, books, state, workers)
            assert sum(second.result.updated.values()) == len(books.rows["customers"])
            writes = server.most_in_flight
            results[workers] = (owned(odoo.client()), posts, writes, first.result.created)
            assert set(count_by_key(odoo.client()).values()) == {1}
            books = make_books(6)  # the same first workbooks again for the other server
    serial, parallel = results[1], results[4]
    assert serial[1] == serial[2] == 1  # one call at a time
    assert 2 <= parallel[1] <= 4 and 2 <= parallel[2] <= 4  # side by side, never more than 4
    assert parallel[3] == serial[3]
    assert parallel[0] == serial[0]  # every record mops owns, as one-at-a-time left it


def test_a_call_without_an_answer_amid_parallel_posts_stops_the_run_and_a_rerun_converges(
    odoo_any_server,  # noqa: F811
    demo,
    make_books,
    tmp_path,
):
    books = make_books(6)
    odoo = provisioned(odoo_any_server, demo)
    odoo_any_server.latency, odoo_any_server.latency_methods = 0.01, {"message_post"}
    state = tmp_path / "state.sqlite"
    # Learn where the chatter notes are posted in a clean run's call order.
    with OdooTestServer(version=odoo_any_server.version) as clean:
        reference = provisioned(clean, demo)
        _sync(reference, books, tmp_path / "clean.sqlite", 4)
        posts = [c.number for c in clean.calls_to(method="message_post")]
        expected = owned(reference.client())
    assert len(posts) >= 8
    # From the third post on, every connection drops: the run dies, some posts applied.
    odoo_any_server.reset_calls()
    odoo_any_server.drop_connection_on_call = range(posts[2], 10**6)
    with pytest.raises(OdooTransientError):
        _sync(odoo, books, state, 4)
    odoo_any_server.drop_connection_on_call = None
    rerun = _sync(odoo, books, state, 4)
    assert not rerun.result.refusals
    assert set(count_by_key(odoo.client()).values()) == {1}
    assert owned(odoo.client()) == expected


def test_invoices_of_different_orders_go_side_by_side_those_of_one_order_in_turn(
    odoo_any_server,  # noqa: F811
    demo,
    make_books,
    tmp_path,
):
    books = make_books(12)
    sales = sales_for(demo, books.rows)
    schedule = sales["payment_schedule"]
    books.others["sales"] = dict(sales, payment_schedule=[])
    books.write()
    with OdooTestServer(version=odoo_any_server.version) as other:
        results = {}
        for workers, server in ((1, other), (4, odoo_any_server)):
            odoo = provisioned(server, demo)
            state = tmp_path / f"state-{workers}.sqlite"
            books.others["sales"]["payment_schedule"] = []
            books.write()
            assert not _sync(odoo, books, state, workers).result.refusals  # the orders
            books.others["sales"]["payment_schedule"] = schedule
            books.write()
            server.latency, server.latency_methods = 0.01, {"create_invoices"}
            server.reset_calls()
            run = _sync(odoo, books, state, workers)
            assert not run.result.refusals
            results[workers] = (owned(odoo.client()), server.most_in_flight)
            # Each order's invoices were made in the schedule's order: their ids follow it.
            client = odoo.client()
            invoices = client.call(
                "account.move", "search_read", [["x_mops_key", "=like", "instalment:%"]],
                fields=["x_mops_key", "invoice_origin"], order="id",
            )  # fmt: skip
            by_order: dict[str, list[str]] = {}
            for inv in invoices:
                by_order.setdefault(inv["invoice_origin"], []).append(inv["x_mops_key"])
            plan_order = [f"instalment:{r['instalment_id']}" for r in schedule]
            for keys in by_order.values():
                assert keys == sorted(keys, key=plan_order.index)
            assert set(count_by_key(client).values()) == {1}
    serial, parallel = results[1], results[4]
    assert len(schedule) > 4 and len({r["contract_id"] for r in schedule}) > 2
    assert serial[1] == 1 and 2 <= parallel[1] <= 4
    assert serial[0] == parallel[0]  # Odoo ends the same
