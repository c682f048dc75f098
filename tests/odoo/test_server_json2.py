"""The test Odoo as Odoo 19: the JSON-2 API answers as the real 19.0 did (every capture in
tests/odoo_server/samples19 replayed), odoorpc still works over /jsonrpc and leaves a
deprecation warning per call, and the methods and models that changed between 17 and 19 behave
as each version's source says."""

# The fixtures are imported by name and then named again as test parameters, as pytest wants.
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path

import httpx
import odoorpc
import pytest

from odoo_server.fixture import (  # noqa: F401
    odoo19_client,
    odoo19_server,
    odoo_any_server,
    odoo_client,
    odoo_server,
)
from odoo_server.server import OdooTestServer

SAMPLES = sorted((Path(__file__).parents[1] / "odoo_server" / "samples19").glob("*.json"))
SAMPLE_DATABASE = "o19_try"  # the database the captures were made on
DEPRECATED_RPC = "The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19"


class Json2:
    """A bare JSON-2 caller: POST /json/2/<model>/<method> with the admin's key."""

    def __init__(self, server: OdooTestServer, key: str | None = None) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=5)
        self.headers = {
            "Authorization": f"bearer {key or server.api_key}",
            "X-Odoo-Database": server.database,
        }

    def post(self, model: str, method: str, body: dict | None = None, **headers) -> httpx.Response:
        sent = {**self.headers, **headers}
        sent = {name: value for name, value in sent.items() if value is not None}
        return self.http.post(f"/json/2/{model}/{method}", json=body or {}, headers=sent)

    def __call__(self, model: str, method: str, **body):
        """The result of a call that must succeed."""
        answer = self.post(model, method, body)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def error(self, model: str, method: str, **body) -> tuple[int, str, str]:
        """(status, exception name, message) of a call that must fail, shape checked."""
        answer = self.post(model, method, body)
        assert answer.status_code != 200
        error = answer.json()
        assert list(error) == ["name", "message", "arguments", "context", "debug"]
        assert error["arguments"][0] == error["message"] and error["context"] == {}
        assert error["debug"].startswith("Traceback (most recent call last):\n")
        return answer.status_code, error["name"], error["message"]


@pytest.fixture
def json2(odoo19_server) -> Json2:
    return Json2(odoo19_server)


def rpc(client, model: str, method: str, *args, **kwargs):
    """execute_kw through odoorpc."""
    return client.execute_kw(model, method, list(args), kwargs)


def rpc_refused(client, model: str, method: str, *args) -> tuple[str, str]:
    with pytest.raises(odoorpc.error.RPCError) as excinfo:
        rpc(client, model, method, *args)
    data = excinfo.value.info["data"]
    return data["name"], data["message"]


# -- the captures of a real Odoo 19, replayed ----------------------------------------------


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _replay(server: OdooTestServer, http: httpx.Client, sample: dict) -> httpx.Response:
    request = sample["request"]
    headers = dict(request["headers"])
    if "Authorization" in headers:
        key = server.api_key if "bad API key" not in sample["title"] else "0" * 40
        headers["Authorization"] = headers["Authorization"].replace("<redacted>", key)
    return http.request(request["method"], request["url"], json=request["body"], headers=headers)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_each_capture_of_odoo_19_is_answered_as_the_real_server_did(path):
    """The captures were made one after the other on one database: the ones before this one are
    replayed first, so that ids (the two partners made by 03, then written, read, unlinked)
    match."""
    with (
        OdooTestServer(database=SAMPLE_DATABASE, version="19.0") as server,
        httpx.Client(base_url=server.url, timeout=5) as http,
    ):
        for earlier in SAMPLES[: SAMPLES.index(path)]:
            _replay(server, http, _load(earlier))
        sample = _load(path)
        answer = _replay(server, http, sample)
    expected = sample["response"]
    assert answer.status_code == expected["status"]
    assert answer.headers["Content-Type"] == expected["headers"]["Content-Type"]
    for header in ("WWW-Authenticate", "X-Content-Type-Options"):
        # (HTTP parsers drop a value's trailing space: "Bearer " arrives as "Bearer".)
        sent, captured = answer.headers.get(header), expected["headers"].get(header)
        assert (sent or "").strip() == (captured or "").strip() and (sent is None) == (
            captured is None
        )
    if "json" not in expected["headers"]["Content-Type"]:
        assert answer.text == expected["body"]
        assert answer.headers["Content-Length"] == expected["headers"]["Content-Length"]
        return
    body = answer.json()
    if expected["status"] == 200:
        assert body == expected["body"]
        # Same bytes on the wire: compact UTF-8, not \\u escapes.
        assert answer.headers["Content-Length"] == expected["headers"]["Content-Length"]
        return
    wanted = expected["body"]
    assert sorted(body) == sorted(wanted)
    for key in ("name", "message", "arguments", "context"):
        assert body[key] == wanted[key], key
    # The captured tracebacks are trimmed; both start alike and the server's ends with the error.
    assert body["debug"].startswith("Traceback (most recent call last):\n")
    assert wanted["debug"].startswith("Traceback (most recent call last):\n")
    assert body["debug"].rstrip("\n").endswith(wanted["message"].splitlines()[-1])


def test_every_capture_is_replayed():
    assert len(SAMPLES) == 19
    titles = {_load(p)["title"] for p in SAMPLES}
    assert "has_group in 19 (named group_ext_id)" in titles


# -- version info, and JSON-2 only on 19 ---------------------------------------------------


def test_version_info_is_each_versions_own(odoo_any_server):
    server = odoo_any_server
    answer = httpx.post(f"{server.url}/web/webclient/version_info", json={}, timeout=5)
    series = server.version
    assert answer.json()["result"] == {
        "server_version": series,
        "server_version_info": [int(series[:2]), 0, 0, "final", 0, ""],
        "server_serie": series,
        "protocol_version": 1,
    }
    common = httpx.post(
        f"{server.url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": "common", "method": "version", "args": []},
            "id": 1,
        },
        timeout=5,
    )
    assert common.json()["result"] == answer.json()["result"]


def test_odoo_17_has_no_json2_and_19_has_its_version_route(odoo_server, odoo19_server):
    answer = Json2(odoo_server).post("res.partner", "search_count", {"domain": []})
    assert answer.status_code == 404 and answer.headers["Content-Type"].startswith("text/html")
    assert odoo_server.calls == []  # an unknown route is not an RPC call
    version = httpx.get(f"{odoo19_server.url}/json/version", timeout=5).json()
    assert version == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}


# -- models and fields of 19 ---------------------------------------------------------------


def test_models_and_fields_come_from_the_19_captures(json2, odoo_client):
    partner = json2("res.partner", "fields_get", attributes=["type"])
    assert "mobile" not in partner and partner["phone"] == {"type": "char"}
    assert "mobile" in rpc(odoo_client, "res.partner", "fields_get", attributes=["type"])
    line = json2("sale.order.line", "fields_get", allfields=["tax_ids", "tax_id", "product_uom_id"])
    assert sorted(line) == ["product_uom_id", "tax_ids"]
    users = json2("res.users", "fields_get", allfields=["group_ids", "groups_id"])
    assert list(users) == ["group_ids"]
    assert json2.error("hr.expense.sheet", "search_read", domain=[]) == (
        404,
        "werkzeug.exceptions.NotFound",
        "the model 'hr.expense.sheet' does not exist",
    )
    # Models captured on 17 only keep their 17 fields (models19/INDEX.md).
    assert "group_analytic_accounting" in json2(
        "res.config.settings", "fields_get", allfields=["group_analytic_accounting"]
    )


def test_unknown_fields_are_refused_with_each_versions_words(json2, odoo_client):
    rid = json2("res.partner", "create", vals_list=[{"name": "有手機的客戶"}])[0]
    assert json2.error("res.partner", "write", ids=[rid], vals={"mobile": "0912"}) == (
        500,
        "builtins.ValueError",
        "Invalid field 'mobile' in 'res.partner'",
    )
    assert json2.error("res.partner", "create", vals_list=[{"name": "x", "mobile": "1"}]) == (
        500,
        "builtins.ValueError",
        "Invalid field 'mobile' in 'res.partner'",
    )
    assert json2.error("res.partner", "read", ids=[rid], fields=["mobile"]) == (
        500,
        "builtins.ValueError",
        "Invalid field 'mobile' on 'res.partner'",
    )
    assert json2.error("res.partner", "search", domain=[["mobile", "=", "1"]]) == (
        500,
        "builtins.ValueError",
        "Invalid field res.partner.mobile in condition ('mobile', '=', '1')",
    )
    # Odoo 17 has the field, and words an unknown one "on model".
    pid = rpc(odoo_client, "res.partner", "create", {"name": "x", "mobile": "0912"})
    assert rpc(odoo_client, "res.partner", "read", [pid], ["mobile"])[0]["mobile"] == "0912"
    assert rpc_refused(odoo_client, "res.partner", "write", [pid], {"x_none": 1}) == (
        "builtins.ValueError",
        "Invalid field 'x_none' on model 'res.partner'",
    )


def test_a_fresh_19_database_has_19s_activity_types(json2):
    kinds = json2("mail.activity.type", "search_read", domain=[], fields=["name", "res_model"])
    assert [k["name"] for k in kinds] == [
        "To-Do",
        "Email",
        "Call",
        "Meeting",
        "Expense Approval",
        "Document",
    ]
    assert {k["name"]: k["res_model"] for k in kinds}["Expense Approval"] == "hr.expense"


# -- has_group: a model method on 17, a method on one user on 19 ---------------------------


def test_has_group_on_17_takes_the_group_only(odoo_client):
    assert rpc(odoo_client, "res.users", "has_group", "base.group_system") is True
    assert rpc_refused(odoo_client, "res.users", "has_group", [2], "base.group_system") == (
        "builtins.TypeError",
        "Users.has_group() takes 2 positional arguments but 3 were given",
    )


def test_has_group_on_19_runs_on_the_user_record(odoo19_client, json2):
    # The 17 call shape, as mops made it before issue 10.
    assert rpc_refused(odoo19_client, "res.users", "has_group", "base.group_system") == (
        "builtins.TypeError",
        "ResUsers.has_group() missing 1 required positional argument: 'group_ext_id'",
    )
    assert rpc(odoo19_client, "res.users", "has_group", [2], "base.group_system") is True
    assert rpc(odoo19_client, "res.users", "has_group", [2], "crm.group_use_lead") is False
    assert json2("res.users", "has_group", ids=[2], group_ext_id="base.group_system") is True
    assert json2.error("res.users", "has_group", ids=[2]) == (
        422,
        "werkzeug.exceptions.UnprocessableEntity",
        "missing a required argument: 'group_ext_id'",
    )
    assert json2.error("res.users", "has_group", group_ext_id="base.group_system") == (
        500,
        "builtins.ValueError",
        "Expected singleton: res.users()",
    )
    # It answers for the user it runs on, not for the caller.
    portal = json2(
        "res.users",
        "search",
        domain=[["login", "=", "portaltemplate"]],
        context={"active_test": False},  # the portal template user is archived
    )
    assert json2("res.users", "has_group", ids=portal, group_ext_id="base.group_portal") is True
    assert json2("res.users", "has_groups", ids=[2], group_spec="base.group_user,!x.y") is True
    assert json2("res.users", "has_groups", ids=[2], group_spec="!base.group_user") is False


# -- the JSON-2 methods and their named arguments ------------------------------------------


def test_crud_and_search_methods_take_named_arguments(json2, odoo19_server):
    ids = json2("res.partner", "create", vals_list=[{"name": f"客戶 {i}"} for i in range(3)])
    assert json2("res.partner", "create", vals_list={"name": "one dict"}) == [ids[-1] + 1]
    assert json2("res.partner", "write", ids=ids[:2], vals={"phone": "02-1234"}) is True
    rows = json2("res.partner", "read", ids=ids, fields=["name", "phone"])
    assert [r["phone"] for r in rows] == ["02-1234", "02-1234", False]
    domain = [["name", "like", "客戶"]]
    assert json2("res.partner", "search_count", domain=domain) == 3
    assert json2("res.partner", "search", domain=domain, order="id desc", limit=2) == [
        ids[2],
        ids[1],
    ]
    found = json2(
        "res.partner", "search_read", domain=domain, fields=["name"], offset=1, order="id"
    )
    assert [r["id"] for r in found] == ids[1:]
    assert json2("res.partner", "name_search", name="客戶 1", domain=[], limit=5) == [
        [ids[1], "客戶 1"]
    ]
    copied = json2("res.partner", "copy", ids=[ids[0]], default={"name": "副本"})
    assert len(copied) == 1 and copied[0] > ids[-1]  # a list of ids on 19, not an id
    assert json2("res.partner", "name_create", name="名字") == [copied[0] + 1, "名字"]
    assert json2("res.partner", "action_archive", ids=[ids[0]]) is None
    assert json2("res.partner", "search_count", domain=domain) == 2
    assert json2("res.partner", "unlink", ids=ids) is True
    assert json2("res.partner", "default_get", fields=["type", "active"]) == {
        "type": "contact",
        "active": True,
    }
    # Odoo 17's argument names are refused before the method runs.
    assert json2.error("res.partner", "default_get", fields_list=["type"])[:2] == (
        422,
        "werkzeug.exceptions.UnprocessableEntity",
    )
    assert json2.error("res.partner", "name_search", name="x", args=[]) == (
        422,
        "werkzeug.exceptions.UnprocessableEntity",
        "got an unexpected keyword argument 'args'",
    )
    assert json2.error("res.partner", "search", ids=[1], domain=[]) == (
        422,
        "werkzeug.exceptions.UnprocessableEntity",
        "cannot call res.partner.search with ids",
    )
    assert odoo19_server.deprecation_warnings == []


def test_metadata_access_and_loading_methods(json2, odoo19_server):
    assert json2("res.partner", "has_access", operation="write") is True
    assert json2("res.partner", "check_access_rights", operation="read") is True
    assert [w.method for w in odoo19_server.deprecation_warnings] == ["check_access_rights"]
    assert json2("res.users", "context_get") == {"lang": "en_US", "tz": False}
    assert json2("ir.model.data", "check_object_reference", module="base", xml_id="user_admin") == [
        "res.users",
        2,
    ]
    loaded = json2(
        "res.partner.category", "load", fields=["id", "name"], data=[["__import__.t1", "VIP"]]
    )
    assert loaded["messages"] == [] and len(loaded["ids"]) == 1
    assert json2.error("res.partner", "exists", ids=[1]) == (
        403,
        "odoo.exceptions.AccessError",
        "Private methods (such as 'res.partner.exists') cannot be called remotely.",
    )


def test_grouping_methods(json2, odoo19_server):
    stages = json2("crm.stage", "search", domain=[], order="sequence")
    json2(
        "crm.lead",
        "create",
        vals_list=[
            {"name": "a", "stage_id": stages[0], "expected_revenue": 100},
            {"name": "b", "stage_id": stages[0], "expected_revenue": 50},
            {"name": "c", "stage_id": stages[1], "expected_revenue": 7},
        ],
    )
    groups = json2(
        "crm.lead",
        "formatted_read_group",
        domain=[],
        groupby=["stage_id"],
        aggregates=["__count", "expected_revenue:sum"],
    )
    assert groups == [
        {
            "stage_id": [stages[0], "New"],
            "__count": 2,
            "expected_revenue:sum": 150.0,
            "__extra_domain": [["stage_id", "=", stages[0]]],
        },
        {
            "stage_id": [stages[1], "Qualified"],
            "__count": 1,
            "expected_revenue:sum": 7.0,
            "__extra_domain": [["stage_id", "=", stages[1]]],
        },
    ]
    big = json2(
        "crm.lead",
        "formatted_read_group",
        domain=[],
        groupby=["stage_id"],
        aggregates=["__count"],
        having=[["__count", ">", 1]],
    )
    assert [g["stage_id"][0] for g in big] == [stages[0]]
    assert odoo19_server.deprecation_warnings == []
    old = json2(
        "crm.lead", "read_group", domain=[], fields=["expected_revenue"], groupby=["stage_id"]
    )
    assert [g["stage_id_count"] for g in old] == [2, 1]
    assert [w.method for w in odoo19_server.deprecation_warnings] == ["read_group"]


def test_chatter_settings_and_module_methods(json2):
    lead = json2("crm.lead", "create", vals_list=[{"name": "chatter"}])[0]
    posted = json2("crm.lead", "message_post", ids=[lead], body="你好", message_type="comment")
    assert isinstance(posted, list) and len(posted) == 1  # the new message, as a list of ids
    model = json2("ir.model", "search", domain=[["model", "=", "crm.lead"]])[0]
    activity = json2(
        "mail.activity",
        "create",
        vals_list=[{"res_model_id": model, "res_id": lead, "summary": "打電話"}],
    )
    done = json2("mail.activity", "action_feedback", ids=activity, feedback="談好了")
    assert isinstance(done, int) and done > posted[0]
    assert json2("mail.activity", "search_count", domain=[["res_id", "=", lead]]) == 0
    won = json2("crm.lead", "action_set_won", ids=[lead])
    assert won is True
    settings = json2("res.config.settings", "create", vals_list=[{"group_use_lead": True}])
    assert json2("res.config.settings", "execute", ids=settings)["tag"] == "reload"
    assert json2("res.users", "has_group", ids=[2], group_ext_id="crm.group_use_lead") is True
    module = json2("ir.module.module", "search", domain=[["name", "=", "website"]])
    json2("ir.module.module", "button_immediate_install", ids=module)
    state = json2("ir.module.module", "read", ids=module, fields=["state"])
    assert state == [{"id": module[0], "state": "installed"}]


def test_a_failed_request_changes_nothing(json2):
    before = json2("res.partner", "search_count", domain=[])
    status, name, _message = json2.error(
        "res.partner", "create", vals_list=[{"name": "ok"}, {"email": "no name"}]
    )
    assert (status, name) == (422, "odoo.exceptions.ValidationError")
    assert json2("res.partner", "search_count", domain=[]) == before


# -- authentication and routing ------------------------------------------------------------


def test_an_api_key_authenticates_as_its_user(odoo19_server, json2):
    uid = json2("res.users", "create", vals_list=[{"name": "業務", "login": "sales"}])[0]
    key = odoo19_server.add_api_key("sales")
    as_sales = Json2(odoo19_server, key)
    rid = as_sales("res.partner", "create", vals_list=[{"name": "業務的客戶"}])[0]
    [row] = as_sales("res.partner", "read", ids=[rid], fields=["create_uid"])
    assert row["create_uid"][0] == uid
    odoo19_server.revoke_api_key(key)
    assert as_sales.error("res.partner", "search_count", domain=[])[:2] == (
        401,
        "werkzeug.exceptions.Unauthorized",
    )
    # An archived user's key no longer works.
    key = odoo19_server.add_api_key("sales")
    json2("res.users", "write", ids=[uid], vals={"active": False})
    assert Json2(odoo19_server, key).post("res.partner", "search_count").status_code == 401


def test_an_api_key_stands_in_for_the_password_over_jsonrpc(odoo_any_server):
    client = odoorpc.ODOO("127.0.0.1", port=odoo_any_server.port, timeout=5)
    client.login(odoo_any_server.database, "admin", odoo_any_server.api_key)
    assert client.env.uid == 2
    with pytest.raises(odoorpc.error.RPCError):
        client.login(odoo_any_server.database, "admin", "0" * 40)


def test_routing_errors(odoo19_server, json2):
    http = json2.http
    assert json2.error("res.partner", "no_such_method") == (
        404,
        "werkzeug.exceptions.NotFound",
        "The method 'res.partner.no_such_method' does not exist",
    )
    wrong_verb = http.get("/json/2/res.partner/search", headers=json2.headers)
    assert (wrong_verb.status_code, wrong_verb.json()["message"]) == (
        404,
        "Did you mean POST /json/2/<model>/<method>?",
    )
    not_json = http.post(
        "/json/2/res.partner/search",
        content=b"{oops",
        headers={**json2.headers, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 400
    assert not_json.json()["message"].startswith("could not parse the body as json")
    text = http.post(
        "/json/2/res.partner/search",
        content=b"x",
        headers={**json2.headers, "Content-Type": "text/plain"},
    )
    assert text.status_code == 415
    # Without the database header a one-database server picks its own …
    no_header = json2.post(
        "res.partner", "search_count", {"domain": []}, **{"X-Odoo-Database": None}
    )
    assert (no_header.status_code, no_header.json()) == (200, 2)


@pytest.mark.parametrize("odoo19_server", [{"database_header_required": True}], indirect=True)
def test_a_server_of_several_databases_wants_the_header(odoo19_server):
    json2 = Json2(odoo19_server)
    assert json2.post("res.partner", "search_count", {"domain": []}).status_code == 200
    answer = json2.post("res.partner", "search_count", {"domain": []}, **{"X-Odoo-Database": None})
    assert answer.status_code == 404 and "X-Odoo-Database" in answer.text


# -- odoorpc over /jsonrpc on 19: works, and is logged as deprecated -----------------------


def test_odoorpc_still_works_on_19_and_each_call_is_a_deprecation_warning(
    odoo19_client, odoo19_server
):
    assert odoo19_client.version == "19.0"
    pid = rpc(odoo19_client, "res.partner", "create", {"name": "舊協定"})
    assert rpc(odoo19_client, "res.partner", "read", [pid], ["name"]) == [
        {"id": pid, "name": "舊協定"}
    ]
    warnings = odoo19_server.deprecation_warnings
    assert [(w.route, w.method) for w in warnings] == [("/jsonrpc", "create"), ("/jsonrpc", "read")]
    assert all(w.message.startswith(DEPRECATED_RPC) for w in warnings)
    # The same calls over JSON-2 leave no warning.
    odoo19_server.reset_calls()
    json2 = Json2(odoo19_server)
    assert json2("res.partner", "read", ids=[pid], fields=["name"])[0]["name"] == "舊協定"
    assert odoo19_server.deprecation_warnings == []
    assert [c.service for c in odoo19_server.calls] == ["json2"]


def test_odoo_17_logs_no_deprecation(odoo_client, odoo_server):
    rpc(odoo_client, "res.partner", "search_count", [])
    rpc(odoo_client, "res.partner", "check_access_rights", "read")
    assert odoo_server.deprecation_warnings == []


# -- faults apply to JSON-2 as to JSON-RPC -------------------------------------------------


@pytest.mark.parametrize("odoo19_server", [{"drop_connection_on_call": 1}], indirect=True)
def test_a_dropped_connection(odoo19_server):
    json2 = Json2(odoo19_server)
    with pytest.raises(httpx.TransportError):
        json2.post("res.partner", "create", {"vals_list": [{"name": "lost"}]})
    assert json2("res.partner", "search_count", domain=[["name", "=", "lost"]]) == 0
    assert [(c.error, c.records) for c in odoo19_server.calls] == [("dropped", 1), (None, 0)]


@pytest.mark.parametrize("odoo19_server", [{"http_502_on_call": 1}], indirect=True)
def test_a_502_from_the_proxy(odoo19_server):
    answer = Json2(odoo19_server).post("res.partner", "create", {"vals_list": [{"name": "gw"}]})
    assert answer.status_code == 502 and "Bad Gateway" in answer.text
    assert odoo19_server.search_read("res.partner", [["name", "=", "gw"]]) == []


@pytest.mark.parametrize("odoo19_server", [{"lose_reply_on_call": 1}], indirect=True)
def test_a_reply_lost_after_commit(odoo19_server):
    json2 = Json2(odoo19_server)
    with pytest.raises(httpx.TransportError):
        json2.post("res.partner", "create", {"vals_list": [{"name": "已存"}, {"name": "已存"}]})
    assert json2("res.partner", "search_count", domain=[["name", "=", "已存"]]) == 2
    first = odoo19_server.calls[0]
    assert (first.service, first.model, first.method, first.records) == (
        "json2",
        "res.partner",
        "create",
        2,
    )


@pytest.mark.parametrize("odoo19_server", [{"latency": 0.3}], indirect=True)
def test_latency(odoo19_server):
    json2 = Json2(odoo19_server)
    with pytest.raises(httpx.ReadTimeout):
        json2.http.post(
            "/json/2/res.partner/search_count",
            json={"domain": []},
            headers=json2.headers,
            timeout=0.05,
        )


# -- JSON-RPC on 19: the same call_kw, with 19's methods -----------------------------------


def test_private_methods_are_refused_per_version(odoo_client, odoo19_client):
    assert rpc_refused(odoo_client, "res.partner", "_read", [1]) == (
        "builtins.AttributeError",
        "The method 'res.partner._read' does not exist",
    )
    assert rpc_refused(odoo19_client, "res.partner", "_read", [1]) == (
        "odoo.exceptions.AccessError",
        "Private methods (such as 'res.partner._read') cannot be called remotely.",
    )
    assert rpc(odoo_client, "res.partner", "exists", [1, 999]) == [1]
    assert rpc_refused(odoo19_client, "res.partner", "exists", [1]) == (
        "odoo.exceptions.AccessError",
        "Private methods (such as 'res.partner.exists') cannot be called remotely.",
    )


def test_message_post_answers_an_id_on_17_and_a_list_on_19(odoo_client, odoo19_client):
    for client, shape in ((odoo_client, int), (odoo19_client, list)):
        lead = rpc(client, "crm.lead", "create", {"name": "post"})
        posted = rpc(client, "crm.lead", "message_post", [lead], body="x")
        assert isinstance(posted, shape)
