"""The sync against a real Odoo 19 over JSON-2 (ODOO19_URL, ODOO19_DB, ODOO19_USER,
ODOO19_API_KEY; skipped without): the same engine, another protocol and another schema."""

from __future__ import annotations

import os
import secrets

import pytest

from mops.odoo.connect import connect
from mops.odoo.json2 import Json2Client
from mops.syncing.run import sync_paths

from .helpers import Books, config_for, count_by_key, others_for, provision, rename, settings_for
from .helpers import subset as first

pytestmark = pytest.mark.odoo_live
LIVE19 = ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY")
WRITES = {"create", "write", "unlink", "message_post", "action_feedback", "copy"}


class Recording(Json2Client):
    """The JSON-2 client, remembering each method it called."""

    def __init__(self, *args, **kwargs) -> None:
        self.methods: list[str] = []
        super().__init__(*args, **kwargs)

    def call(self, model, method, *args, **kwargs):
        self.methods.append(method)
        return super().call(model, method, *args, **kwargs)


@pytest.fixture(scope="module")
def live19(demo):
    if not all(os.environ.get(v) for v in LIVE19):
        pytest.skip("set ODOO19_URL, ODOO19_DB, ODOO19_USER and ODOO19_API_KEY for a real Odoo 19")
    settings = settings_for(
        os.environ["ODOO19_URL"].rstrip("/"), os.environ["ODOO19_DB"], os.environ["ODOO19_USER"]
    )
    key = os.environ["ODOO19_API_KEY"]
    client = Json2Client(settings, key, sleep=lambda s: None)
    provision(client, demo.sheet_rows("roster"))
    return settings, key


def test_the_version_picks_json2_and_has_group_takes_the_19_shape(live19):
    settings, key = live19
    client = connect(settings, key)
    assert isinstance(client, Json2Client) and client.version_info[:1] == (19,)
    assert client.has_group("base.group_user") is True
    assert client.has_access("res.partner", "read") is True


def test_a_sync_over_json2_creates_once_and_a_resync_writes_nothing(live19, demo, tmp_path):
    settings, key = live19
    books = Books(
        folder=tmp_path / "books",
        rows=rename(first(demo.rows["customers"], 12), secrets.token_hex(3).upper()),
        staff={"roster": [dict(r) for r in demo.rows["staff"]["roster"]]},
        people=demo.people(),
    )
    books.others = others_for(demo, books.rows, campaigns=2)
    books.write()
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first_run = sync_paths(books.paths, config, client=Recording(settings, key), state_path=state)
    assert first_run.result is not None and not first_run.result.refusals
    assert sum(first_run.result.created.values()) > 12
    again = Recording(settings, key)
    second = sync_paths(books.paths, config, client=again, state_path=state)
    assert second.result is not None and not any(second.result.created.values())
    assert not WRITES & set(again.methods), sorted(set(again.methods))
    # Every key of these books is on exactly one record in Odoo.
    mine = {
        k: n for k, n in count_by_key(Json2Client(settings, key)).items() if books_key(k, books)
    }
    assert mine and set(mine.values()) == {1}


def books_key(key: str, books: Books) -> bool:
    ids = {r["customer_id"] for r in books.rows["customers"]}
    return key.startswith("customer:") and key.split(":", 1)[1] in ids
