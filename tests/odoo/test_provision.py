"""mops odoo setup: the contract of integrations/odoo/README.md provisioned over real HTTP.

Each test runs against the test Odoo server and, marked odoo_live, against the real Odoo 17
named by ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD (skipped when they are not set).
"""

# The fixtures are imported by name and then named again as test parameters, as pytest wants.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from mops.odoo.client import JsonRpcClient
from mops.odoo.provision import apply_setup, load_spec, parse_spec, plan_setup
from mops.odoo.settings import OdooSettings
from mops.schemas import enums as E

from odoo_server.fixture import OdooTarget, odoo_target  # noqa: F401

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

CHANGES = frozenset({"create", "write", "unlink"})
# The contract's custom fields: (model, field, type, enum of a selection).
CONTRACT_FIELDS = [
    ("res.partner", "x_mops_key", "char", None),
    ("res.partner", "x_mops_company_size", "selection", E.COMPANY_SIZE),
    ("res.partner", "x_mops_channel", "selection", E.CHANNEL),
    ("res.partner", "x_mops_status", "selection", E.CUSTOMER_STATUS),
    ("res.partner", "x_mops_region", "selection", E.REGION),
    ("res.partner", "x_mops_business_needs", "text", None),
    ("res.partner", "x_mops_budget", "float", None),
    ("crm.lead", "x_mops_key", "char", None),
    ("crm.lead", "x_mops_service_line", "selection", E.SERVICE_LINE),
    ("project.task", "x_mops_key", "char", None),
    ("project.task", "x_mops_ticket_type", "selection", E.TICKET_TYPE),
    ("project.task", "x_mops_channel", "selection", E.TICKET_CHANNEL),
    ("project.task", "x_mops_satisfaction", "integer", None),
    ("utm.campaign", "x_mops_key", "char", None),
]


def keys(enum) -> list[str]:
    """The option keys of an enum, in order."""
    return [o.key for o in enum.options]


def contract_xmlids() -> dict[str, str]:
    """The contract's external ids (module mops) and the model of each."""
    ids = {f"tier_{k}": "res.partner.category" for k in keys(E.TIER)}
    stages = [k for k in keys(E.OPPORTUNITY_STAGE) if k != "lost"]
    ids |= {f"stage_{k}": "crm.stage" for k in stages}
    ids |= {"team_sales": "crm.team", "project_service": "project.project"}
    ids |= {f"source_{k}": "utm.source" for k in keys(E.CHANNEL)}
    ids |= {f"industry_{k}": "res.partner.industry" for k in keys(E.INDUSTRY)}
    ids |= {f"activity_{k}": "mail.activity.type" for k in keys(E.CONTACT_METHOD)}
    ids |= {f"task_stage_{k}": "project.task.type" for k in keys(E.TICKET_STATUS)}
    return ids


class RecordingClient(JsonRpcClient):
    """The real client, remembering the (model, method) of every call it sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent: list[tuple[str, str]] = []

    def call(self, model, method, *args, **kwargs):
        """Send the call, and remember it."""
        self.sent.append((model, method))
        return super().call(model, method, *args, **kwargs)

    def changes_sent(self) -> list[tuple[str, str]]:
        """The calls that create, write or delete."""
        return [(model, method) for model, method in self.sent if method in CHANGES]


def connect(target: OdooTarget) -> RecordingClient:
    """A logged-in client for the target."""
    settings = OdooSettings(
        url=target.url, database=target.database, login=target.login, timeout_seconds=60
    )
    return RecordingClient(settings, target.password, sleep=lambda s: None)


def read(client, model, domain, fields, **kwargs):
    """search_read with every record, archived ones included."""
    context = {"active_test": False}
    return client.call(model, "search_read", domain, fields=fields, context=context, **kwargs)


def mops_ids(client) -> dict[str, dict]:
    """The ir.model.data rows of module mops, by name."""
    rows = read(client, "ir.model.data", [["module", "=", "mops"]], ["name", "model", "res_id"])
    return {row["name"]: row for row in rows}


def write_config(path, target: OdooTarget):
    """A mops.toml pointing at the target; the password stays out of it."""
    path.write_text(
        f'[odoo]\nurl = "{target.url}"\ndatabase = "{target.database}"\n'
        f'login = "{target.login}"\ntimeout_seconds = 60\n',
        encoding="utf-8",
    )
    return path


def test_setup_creates_everything_in_the_contract(odoo_target):
    client = connect(odoo_target)
    plan = plan_setup(client, load_spec())
    assert plan.conflicts == []
    assert not any(sent[1] in CHANGES for sent in client.sent)  # planning only reads
    apply_setup(client, plan)

    for model in {m for m, *_ in CONTRACT_FIELDS}:
        described = client.call(model, "fields_get", attributes=["type", "selection", "string"])
        for fmodel, name, ftype, enum in CONTRACT_FIELDS:
            if fmodel != model:
                continue
            assert described[name]["type"] == ftype, (model, name)
            if enum is not None:
                # Values are the enum keys in order, labelled in zh-TW.
                assert described[name]["selection"] == [[o.key, o.zh] for o in enum.options]
    key_fields = read(
        client,
        "ir.model.fields",
        [["name", "=", "x_mops_key"], ["model", "in", ["res.partner", "crm.lead"]]],
        ["model", "index", "copied", "state"],
    )
    assert len(key_fields) == 2
    assert all(k["index"] and not k["copied"] and k["state"] == "manual" for k in key_fields)

    xmlids = mops_ids(client)
    expected = contract_xmlids()
    assert {name: xmlids[name]["model"] for name in expected if name in xmlids} == expected

    def record(xmlid, fields):
        row = xmlids[xmlid]
        return read(client, row["model"], [["id", "=", row["res_id"]]], fields)[0]

    assert record("tier_A", ["name"])["name"] == "客戶分級 A"
    assert record("team_sales", ["name"])["name"] == "銷售團隊"
    assert record("source_website", ["name"])["name"] == "官方網站"
    assert record("industry_semiconductor", ["name"])["name"] == "半導體與電子"
    won_and_before = keys(E.OPPORTUNITY_STAGE)[:5]
    stages = [record(f"stage_{k}", ["name", "sequence", "is_won"]) for k in won_and_before]
    assert [s["name"] for s in stages] == ["新商機", "需求確認", "提案報價", "議約中", "成交"]
    assert [s["sequence"] for s in stages] == sorted(s["sequence"] for s in stages)
    assert [s["is_won"] for s in stages] == [False, False, False, False, True]
    activities = [record(f"activity_{k}", ["name", "res_model"]) for k in keys(E.CONTACT_METHOD)]
    assert [a["name"] for a in activities] == [
        "跟進：電話", "跟進：電子郵件", "跟進：拜訪", "跟進：會議", "跟進：線上會議",
    ]  # fmt: skip
    assert all(a["res_model"] is False for a in activities)
    project = record("project_service", ["name", "type_ids"])
    task_stages = [xmlids[f"task_stage_{k}"]["res_id"] for k in keys(E.TICKET_STATUS)]
    assert project["name"] == "客戶服務"
    assert set(task_stages) <= set(project["type_ids"])
    owners = read(client, "project.task.type", [["id", "in", task_stages]], ["user_id"])
    assert [o["user_id"] for o in owners] == [False] * len(task_stages)

    assert plan_setup(client, load_spec()).empty


def test_a_second_run_plans_nothing_and_sends_no_create_or_write(odoo_target):
    spec = load_spec()
    client = connect(odoo_target)
    apply_setup(client, plan_setup(client, spec))
    if odoo_target.server is not None:
        odoo_target.server.reset_calls()
    client.sent.clear()

    plan = plan_setup(client, spec)
    result = apply_setup(client, plan)

    assert plan.empty and plan.changes == 0
    assert (result.fields_created, result.records_created, result.xmlids_created) == (0, 0, 0)
    assert result.calls == 0
    assert client.changes_sent() == []
    # A handful of reads (one of them: which of the spec's fields this server has, one the user's
    # company), plus one per model of records and of aliases, however many records and aliases
    # the spec names.
    models = {r.model for r in spec.records}
    aliased = {a.model for a in spec.aliases}
    assert plan.calls == len(client.sent) <= 7 + len(models) + len(aliased)
    if odoo_target.server is not None:
        server = odoo_target.server
        assert [c for c in server.calls if c.method in CHANGES] == []
        assert server.calls_to(method="search_read") and not server.calls_to(method="create")


def test_setup_creates_in_batches(odoo_server):
    client = connect(OdooTarget(odoo_server.url, odoo_server.database, "admin", "admin"))
    odoo_server.reset_calls()
    apply_setup(client, plan_setup(client, load_spec()))
    creates = [c.model for c in odoo_server.calls_to(method="create")]
    # The setting first (a fresh Odoo has analytic accounting off), then one create per model:
    # the custom fields first, the external ids last.
    assert creates[:2] == ["res.config.settings", "ir.model.fields"]
    assert creates[-1] == "ir.model.data"
    # Odoo's own 30-day payment term is adopted: no payment term is created.
    models = {r.model for r in load_spec().records} - {"account.payment.term"}
    assert len(creates) == len(set(creates)) == 3 + len(models)
    assert odoo_server.calls_to(method="write") == []


def test_a_record_renamed_in_odoo_is_still_found(odoo_target):
    spec = load_spec()
    client = connect(odoo_target)
    apply_setup(client, plan_setup(client, spec))
    row = mops_ids(client)["stage_qualified"]
    old = read(client, "crm.stage", [["id", "=", row["res_id"]]], ["name"])[0]["name"]
    client.call("crm.stage", "write", [row["res_id"]], {"name": "Qualified (renamed)"})
    try:
        assert plan_setup(client, spec).empty
    finally:
        client.call("crm.stage", "write", [row["res_id"]], {"name": old})


def test_existing_records_are_adopted_and_enforced_values_put_back(odoo_server):
    client = connect(OdooTarget(odoo_server.url, odoo_server.database, "admin", "admin"))
    source = client.call("utm.source", "create", {"name": "官方網站"})
    spec = load_spec()
    apply_setup(client, plan_setup(client, spec))
    assert mops_ids(client)["source_website"]["res_id"] == source
    assert read(client, "utm.source", [["name", "=like", "官方網站%"]], ["name"]) == [
        {"id": source, "name": "官方網站"}
    ]  # adopted, not duplicated as "官方網站 [2]"

    won = mops_ids(client)["stage_won"]["res_id"]
    client.call("crm.stage", "write", [won], {"is_won": False})
    plan = plan_setup(client, spec)
    assert [(c.action, c.spec.xmlid, c.changes) for c in plan.records] == [
        ("update", "stage_won", {"is_won": True})
    ]
    apply_setup(client, plan)
    assert read(client, "crm.stage", [["id", "=", won]], ["is_won"])[0]["is_won"] is True
    assert plan_setup(client, spec).empty


def test_a_conflicting_field_is_reported_and_left_alone(odoo_target):
    spec = parse_spec(
        {
            "fields": {
                "res.partner": {
                    "x_mops_probe_tier": {"type": "selection", "selection_enum": "tier"},
                }
            }
        }
    )
    client = connect(odoo_target)
    model_id = read(client, "ir.model", [["model", "=", "res.partner"]], ["model"])[0]["id"]
    field_id = client.call(
        "ir.model.fields",
        "create",
        {
            "model_id": model_id,
            "name": "x_mops_probe_tier",
            "field_description": "Tier (typed by hand)",
            "ttype": "char",
            "state": "manual",
        },
    )
    try:
        plan = plan_setup(client, spec)
        assert [(c.kind, c.model, c.name, c.expected, c.found) for c in plan.conflicts] == [
            ("field_type", "res.partner", "x_mops_probe_tier", "selection", "char")
        ]
        assert plan.fields == [] and not plan.empty
        client.sent.clear()
        result = apply_setup(client, plan)
        assert result.conflicts == 1 and client.changes_sent() == []
        assert (
            client.call("res.partner", "fields_get", ["x_mops_probe_tier"])["x_mops_probe_tier"][
                "type"
            ]
            == "char"
        )
    finally:
        client.call("ir.model.fields", "unlink", [field_id])


def test_missing_selection_options_are_added(odoo_server):
    client = connect(OdooTarget(odoo_server.url, odoo_server.database, "admin", "admin"))
    model_id = read(client, "ir.model", [["model", "=", "crm.lead"]], ["model"])[0]["id"]
    client.call(
        "ir.model.fields",
        "create",
        {
            "model_id": model_id,
            "name": "x_mops_service_line",
            "field_description": "服務項目",
            "ttype": "selection",
            "state": "manual",
            "selection_ids": [[0, 0, {"value": "strategy", "name": "策略顧問", "sequence": 0}]],
        },
    )
    plan = plan_setup(client, load_spec())
    (change,) = [c for c in plan.fields if c.spec.name == "x_mops_service_line"]
    assert change.action == "update"
    assert change.new_options == tuple(k for k in keys(E.SERVICE_LINE) if k != "strategy")
    apply_setup(client, plan)
    described = client.call("crm.lead", "fields_get", ["x_mops_service_line"])
    assert [k for k, _ in described["x_mops_service_line"]["selection"]] == keys(E.SERVICE_LINE)


# -- the command line, in a subprocess ------------------------------------------------------------


def test_cli_setup_dry_run_changes_nothing_then_setup_provisions(odoo_target, tmp_path, mops):
    config = write_config(tmp_path / "mops.toml", odoo_target)
    env = {"MOPS_ODOO_PASSWORD": odoo_target.password}
    client = connect(odoo_target)
    before = plan_setup(client, load_spec())
    if odoo_target.server is not None:
        odoo_target.server.reset_calls()

    dry = mops("--config", str(config), "--lang", "en", "odoo", "setup", "--dry-run", env=env)

    assert dry.returncode == 0, dry.stderr
    after = plan_setup(client, load_spec())
    assert [(c.action, c.spec.xmlid) for c in after.records] == [
        (c.action, c.spec.xmlid) for c in before.records
    ]
    assert [(c.action, c.spec.name) for c in after.fields] == [
        (c.action, c.spec.name) for c in before.fields
    ]
    if before.empty:
        assert "Everything is set up" in dry.stdout
    else:
        assert "Dry run" in dry.stdout and "mops.stage_won" in dry.stdout
    if odoo_target.server is not None:
        assert [c for c in odoo_target.server.calls if c.method in CHANGES] == []

    run = mops("--config", str(config), "odoo", "setup", env=env)
    assert run.returncode == 0, run.stderr
    assert ("設定完成" in run.stdout) or ("已全部設定完成" in run.stdout)
    assert plan_setup(client, load_spec()).empty
    again = mops("--config", str(config), "--lang", "en", "odoo", "setup", env=env)
    assert again.returncode == 0 and "Everything is set up" in again.stdout


@pytest.mark.parametrize("odoo_server", [{"users": {"admin": "Pw-not-shown-7Qx"}}], indirect=True)
def test_cli_setup_reports_a_conflict_and_exits_non_zero(odoo_server, tmp_path, mops):
    target = OdooTarget(odoo_server.url, odoo_server.database, "admin", "Pw-not-shown-7Qx")
    client = connect(target)
    model_id = read(client, "ir.model", [["model", "=", "res.partner"]], ["model"])[0]["id"]
    typed_by_hand = {"name": "x_mops_budget", "field_description": "預算", "ttype": "char"}
    client.call("ir.model.fields", "create", {"model_id": model_id, **typed_by_hand})
    config = write_config(tmp_path / "mops.toml", target)
    env = {"MOPS_ODOO_PASSWORD": target.password}

    run = mops("--config", str(config), "--lang", "en", "odoo", "setup", env=env)

    assert run.returncode == 1, run.stderr
    assert "conflict" in run.stdout and "x_mops_budget" in run.stdout
    assert "Pw-not-shown-7Qx" not in run.stdout + run.stderr
    plan = plan_setup(client, load_spec())
    assert plan.changes == 0 and len(plan.conflicts) == 1  # everything else was provisioned
    described = client.call("res.partner", "fields_get", ["x_mops_budget"], attributes=["type"])
    assert described["x_mops_budget"]["type"] == "char"
