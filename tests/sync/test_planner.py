"""The planner is pure: workbook rows, state and Odoo records in, a plan out. No server needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mops.config import load_config
from mops.errors import ConfigError
from mops.syncing.converters import Lookups
from mops.syncing.mapping import KEY_FIELD, conflict_policies, load_mapping, ref
from mops.syncing.plan import Issue, Plan, Source, StateRecord
from mops.syncing.planner import Desired, OdooSnapshot, SourceRow, SyncSettings, plan_sync

MAPPING = load_mapping()
XMLIDS = {
    **{f"mops.tier_{k}": ("res.partner.category", 10 + i) for i, k in enumerate("ABCD")},
    "mops.industry_it": ("res.partner.industry", 20),
    "mops.industry_finance": ("res.partner.industry", 21),
    **{
        f"mops.stage_{k}": ("crm.stage", 30 + i)
        for i, k in enumerate(["new", "qualified", "proposal", "negotiation", "won"])
    },
    "mops.team_sales": ("crm.team", 40),
    "mops.source_website": ("utm.source", 50),
    "mops.source_seo": ("utm.source", 51),
    "mops.project_service": ("project.project", 60),
    "mops.task_stage_new": ("project.task.type", 61),
}
ROSTER = {"王小明": "ming@example.com.tw", "李大華": "hua@example.com.tw"}
USERS = {"ming@example.com.tw": 7, "hua@example.com.tw": 8}


def customer(cid="CU0001", row=2, **values) -> SourceRow:
    base = {
        "customer_id": cid, "name": "祥福股份有限公司", "tax_id": "89488509",
        "phone": "02-2345-6789", "email": "info@xiangfu.com.tw", "address": "台北市信義路 1 號",
        "industry": "it", "company_size": "small", "channel": "website", "status": "active",
        "region": "north", "business_needs": "數位轉型", "budget": Decimal("1500000.0000000000"),
        "account_manager": "王小明", "tier": "A", "odoo_partner_id": None,
    }  # fmt: skip
    base.update(values)
    return SourceRow(cid, Source("customers.xlsx", "customers", "客戶", row), base)


def opportunity(oid="OP00001", cid="CU0001", row=2, **values) -> SourceRow:
    base = {
        "opportunity_id": oid, "customer_id": cid, "name": "數位轉型顧問案",
        "service_line": "digital", "salesperson": "李大華", "expected_revenue": Decimal("820000.5"),
        "probability": Decimal("0.3"), "expected_close": dt.date(2026, 12, 31),
        "channel": "seo", "stage": None, "lost_reason": None, "odoo_lead_id": None,
    }  # fmt: skip
    base.update(values)
    return SourceRow(oid, Source("customers.xlsx", "opportunities", "商機", row), base)


def ticket(tid="TK0001", row=2, **values) -> SourceRow:
    base = {
        "ticket_id": tid, "type": "complaint", "channel": "phone", "customer_id": "CU0001",
        "subject": "發票寄錯", "description": None, "priority": "high",
        "received_at": dt.datetime(2026, 6, 30, 10, 0), "owner": "王小明",
        "deadline": dt.datetime(2026, 7, 1, 10, 0), "status": "new", "satisfaction": None,
        "odoo_task_id": None,
    }  # fmt: skip
    base.update(values)
    return SourceRow(tid, Source("service.xlsx", "tickets", "服務紀錄", row), base)


def odoo_partner(rid=101, key="customer:CU0001", **values) -> dict:
    base = {
        "id": rid, KEY_FIELD: key, "write_date": "2026-11-26 10:00:00", "name": "祥福股份有限公司",
        "vat": "89488509", "phone": "02-2345-6789", "email": "info@xiangfu.com.tw",
        "street": "台北市信義路 1 號", "industry_id": 20, "x_mops_company_size": "small",
        "x_mops_channel": "website", "x_mops_status": "active", "x_mops_region": "north",
        "x_mops_business_needs": "數位轉型", "x_mops_budget": 1500000.0, "user_id": 7,
        "category_id": [10, 99], "is_company": True,
    }  # fmt: skip
    base.update(values)
    return base


def odoo_task(rid=301, key="ticket:TK0001", **values) -> dict:
    base = {
        "id": rid, KEY_FIELD: key, "write_date": "2026-11-26 10:00:00", "name": "發票寄錯",
        "partner_id": 101, "user_ids": [7], "date_deadline": "2026-07-01 02:00:00",
        "stage_id": 61, "description": False, "x_mops_ticket_type": "complaint",
        "x_mops_channel": "phone", "x_mops_priority": "high", "x_mops_satisfaction": 0,
        "project_id": 60,
    }  # fmt: skip
    base.update(values)
    return base


def snapshot(customers=(), leads=(), tasks=()) -> OdooSnapshot:
    return OdooSnapshot(
        records={
            "customer": {r[KEY_FIELD]: r for r in customers},
            "contact": {},
            "opportunity": {r[KEY_FIELD]: r for r in leads},
            "ticket": {r[KEY_FIELD]: r for r in tasks},
        },
        lookups=Lookups(
            xmlids=dict(XMLIDS),
            users=dict(USERS),
            user_emails={7: "ming@example.com.tw", 8: "hua@example.com.tw"},
        ),
        url="http://odoo.test",
        database="mops",
    )


def plan(rows, odoo=None, state=None, policies=None, mapping=MAPPING) -> Plan:
    by_type: dict[str, list] = {}
    types = {"customers": "customer", "opportunities": "opportunity", "tickets": "ticket"}
    for row in rows:
        by_type.setdefault(types[row.source.sheet], []).append(row)
    settings = SyncSettings(mapping, dict(policies or {}))
    desired = Desired(by_type, roster=dict(ROSTER))
    return plan_sync(desired, state or {}, odoo or snapshot(), settings)


def synced_of(row: SourceRow, odoo: OdooSnapshot, mapping=MAPPING) -> dict:
    """The state a clean sync leaves: the planner's own view of an unchanged record."""
    done = plan([row], odoo, mapping=mapping)
    return done.items[0].synced


def test_a_new_row_is_created_with_its_key_constants_and_references():
    p = plan([customer(), opportunity()])
    cust, lead = p.items
    assert (cust.action, lead.action) == ("create", "create")
    assert cust.vals[KEY_FIELD] == "customer:CU0001"
    assert cust.vals["is_company"] is True
    assert cust.vals["x_mops_budget"] == 1500000.0
    assert cust.vals["industry_id"] == 20 and cust.vals["user_id"] == 7
    assert cust.vals["category_id"] == [[4, 10]]
    # The lead refers to a customer created in the same run: resolved when applied.
    assert lead.vals["partner_id"] == ref("customer:CU0001")
    assert lead.vals["probability"] == 30.0
    assert lead.vals["expected_revenue"] == 820001.0  # rounded as TWD, half up
    assert lead.vals["date_deadline"] == "2026-12-31"
    assert lead.vals["stage_id"] == 30 and lead.vals["active"] is True  # blank stage: new
    assert lead.vals["team_id"] == 40 and lead.vals["type"] == "opportunity"
    assert [c.column for c in cust.pull] == ["odoo_partner_id"]


def test_a_lost_opportunity_is_created_archived():
    lead = plan([customer(), opportunity(stage="lost", lost_reason="預算不足")]).items[1]
    assert lead.vals["active"] is False and lead.vals["stage_id"] == 30


def test_nothing_changed_means_unchanged_and_no_values_to_send():
    odoo = snapshot([odoo_partner()])
    row = customer()
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, synced_of(row, odoo)
        )
    }
    item = plan([row], odoo, state).items[0]
    assert item.action == "unchanged" and not item.vals and not item.writes
    assert item.refresh  # the state record lacks the workbook hash: written, without Odoo


def test_a_workbook_change_is_an_update_with_old_and_new():
    odoo = snapshot([odoo_partner()])
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, synced_of(customer(), odoo)
        )
    }
    item = plan([customer(phone="02-8765-4321", tier="B")], odoo, state).items[0]
    assert item.action == "update"
    assert item.vals["phone"] == "02-8765-4321"
    # Only mops's tier tags move; the staff's own tag 99 is not named.
    assert item.vals["category_id"] == [[3, 10], [3, 12], [3, 13], [4, 11]]
    changes = {c.field: (c.old, c.new) for c in item.changes}
    assert changes == {"phone": ("02-2345-6789", "02-8765-4321"), "category_id": (10, 11)}


def test_an_odoo_change_is_kept_and_offered_back_to_the_workbook():
    before = snapshot([odoo_partner()])
    synced = synced_of(customer(), before)
    after = snapshot([odoo_partner(phone="=HYPERLINK(1)", x_mops_budget=1800000.0)])
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, synced
        )
    }
    item = plan([customer()], after, state).items[0]
    assert item.action == "unchanged" and not item.vals
    assert item.synced["phone"] == synced["phone"]  # stays until the workbook holds Odoo's value
    pulled = {c.column: c for c in item.pull}
    assert pulled["budget"].value == Decimal("1800000")
    assert pulled["phone"].value == "=HYPERLINK(1)" and pulled["phone"].as_text
    assert pulled["budget"].row == 2 and pulled["budget"].key == "CU0001"


@pytest.mark.parametrize("policy", ["report", "workbook", "odoo"])
def test_a_field_changed_on_both_sides_follows_its_policy(policy):
    before = snapshot([odoo_partner()])
    synced = synced_of(customer(), before)
    after = snapshot([odoo_partner(phone="02-1111-1111")])
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, synced
        )
    }
    item = plan(
        [customer(phone="02-2222-2222")], after, state, {("customer", "phone"): policy}
    ).items[0]
    if policy == "report":
        assert item.action == "conflict" and not item.vals
        (conflict,) = item.conflicts
        assert (conflict.workbook, conflict.odoo, conflict.synced) == (
            "02-2222-2222",
            "02-1111-1111",
            "02-2345-6789",
        )
        assert item.synced["phone"] == "02-2345-6789"
    elif policy == "workbook":
        assert item.action == "update" and item.vals == {"phone": "02-2222-2222"}
    else:
        assert item.action == "unchanged" and not item.vals
        assert [(c.column, c.value) for c in item.pull if c.column == "phone"] == [
            ("phone", "02-1111-1111")
        ]


def test_a_record_in_odoo_but_not_in_the_state_is_adopted_never_created():
    odoo = snapshot([odoo_partner(phone="02-0000-0000")])
    item = plan([customer()], odoo).items[0]
    assert item.action == "update" and item.adopted
    assert item.vals == {"phone": "02-2345-6789"}  # no second create, no x_mops_key
    assert item.odoo_id == 101


def test_rows_with_errors_and_unresolved_references_are_skipped_with_a_finding():
    error = Issue("email-format", "email", None, "格式不符", "bad e-mail")
    bad = SourceRow(
        "CU0002",
        Source("customers.xlsx", "customers", "客戶", 3),
        customer("CU0002").values,
        (error,),
    )
    p = plan([
        customer(), bad, opportunity(salesperson="不在名冊"),
        opportunity("OP00002", cid="CU0002", row=3),
    ])  # fmt: skip
    items = {i.key: i for i in p.items}
    assert items["customer:CU0002"].action == "skipped"
    assert items["customer:CU0002"].issues == [error]
    unknown = items["opportunity:OP00001"]
    assert unknown.action == "skipped"
    (finding,) = unknown.issues
    assert (finding.code, finding.column, finding.field) == (
        "not_on_roster",
        "salesperson",
        "crm.lead.user_id",
    )
    assert "不在名冊" in finding.message_en and unknown.source.row == 2
    orphan = items["opportunity:OP00002"]
    assert orphan.action == "skipped" and orphan.issues[0].code == "no_record"
    assert p.has_problems


def test_a_record_deleted_in_odoo_is_reported_not_recreated():
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, {}
        )
    }
    item = plan([customer()], snapshot(), state).items[0]
    assert item.action == "conflict" and item.conflicts[0].reason == "deleted_in_odoo"
    assert not item.vals


def test_pulled_columns_follow_odoo_stage_won_and_lost():
    leads = [
        {"id": 201, KEY_FIELD: "opportunity:OP00001", "stage_id": 34, "active": True, "name": "x"},
        {
            "id": 202,
            KEY_FIELD: "opportunity:OP00002",
            "stage_id": 31,
            "active": False,
            "lost_reason_id": 5,
        },
    ]
    odoo = snapshot([odoo_partner()], leads)
    odoo.lookups.names["crm.lost.reason"] = {5: "=價格因素"}
    p = plan(
        [customer(), opportunity(stage="proposal"), opportunity("OP00002", row=3, stage="new")],
        odoo,
    )
    pulled = {(c.key, c.column): c for item in p.items for c in item.pull}
    assert pulled[("OP00001", "stage")].value == "won"
    assert pulled[("OP00002", "stage")].value == "lost"
    assert pulled[("OP00002", "lost_reason")].value == "=價格因素"
    assert pulled[("OP00002", "lost_reason")].as_text
    assert pulled[("OP00001", "odoo_lead_id")].value == 201


def test_normal_forms_make_equal_values_equal():
    odoo = snapshot([odoo_partner(x_mops_budget=1500000.0000001, phone="02-2345-6789 ")])
    item = plan([customer(budget=Decimal("1500000.4"))], odoo).items[0]
    assert item.action == "unchanged"


def test_the_plan_survives_json_with_decimals_dates_and_references():
    odoo = snapshot([odoo_partner(x_mops_budget=99.0)])
    state = {
        ("customer", "customer:CU0001"): StateRecord(
            "customer", "customer:CU0001", "res.partner", 101, {"x_mops_budget": "1500000"}
        )
    }
    original = plan([customer(), opportunity()], odoo, state)
    again = Plan.from_json(original.to_json())
    assert again == original
    assert any(isinstance(c.value, Decimal) for c in again.pull_back())


def test_conflict_policies_come_from_the_mapping_and_mops_toml():
    def config_with(**conflicts):
        return load_config(overrides={"sync": {"conflicts": conflicts}})

    config = config_with(customer="workbook", **{"customer.phone": "odoo"})
    policies = conflict_policies(MAPPING, config)
    assert policies[("customer", "phone")] == "odoo"
    assert policies[("customer", "email")] == "workbook"
    assert policies[("opportunity", "probability")] == "report"
    config = config_with(**{"customer.fax": "odoo"})
    with pytest.raises(ConfigError, match=r"customer\.fax"):
        conflict_policies(MAPPING, config)
    config = config_with(customer="mine")
    with pytest.raises(ConfigError, match="one of"):
        conflict_policies(MAPPING, config)


def test_sync_conflicts_is_an_open_table_of_mops_toml(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[sync.conflicts]\ncustomer = "workbook"\n"customer.phone" = "odoo"\n')
    assert load_config(good).sync.conflicts["customer.phone"] == "odoo"
    typo = tmp_path / "typo.toml"
    typo.write_text('[sync.conflict]\ncustomer = "workbook"\n')
    with pytest.raises(ConfigError, match=r"sync\.conflict"):
        load_config(typo)


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        ("Europe/Berlin", dt.datetime(2026, 7, 1, 10, 0), "2026-07-01 08:00:00"),  # summer, +2
        ("Europe/Berlin", dt.datetime(2026, 1, 15, 10, 0), "2026-01-15 09:00:00"),  # winter, +1
        ("Asia/Taipei", dt.datetime(2026, 7, 1, 10, 0), "2026-07-01 02:00:00"),  # +8 all year
    ],
)
def test_date_times_cross_at_the_offset_of_the_firms_zone_on_that_day(zone, local, utc):
    mapping = load_mapping(config=load_config(overrides={"general": {"timezone": zone}}))
    row = ticket(deadline=local)
    created = plan([row], snapshot([odoo_partner()]), mapping=mapping).items[0]
    assert created.action == "create" and created.vals["date_deadline"] == utc
    # Read back from Odoo, the same instant is the same wall time: nothing to do.
    odoo = snapshot([odoo_partner()], tasks=[odoo_task(date_deadline=utc)])
    key = ("ticket", "ticket:TK0001")
    state = {key: StateRecord(*key, "project.task", 301, synced_of(row, odoo, mapping))}
    item = plan([row], odoo, state, mapping=mapping).items[0]
    assert item.action == "unchanged" and not item.vals
    assert [c.column for c in item.pull] == ["odoo_task_id"]
    # Moved an hour later in Odoo: offered back to the workbook on the firm's clock.
    later = (dt.datetime.fromisoformat(utc) + dt.timedelta(hours=1)).isoformat(" ")
    moved = snapshot([odoo_partner()], tasks=[odoo_task(date_deadline=later)])
    pulled = {c.column: c.value for c in plan([row], moved, state, mapping=mapping).items[0].pull}
    assert pulled["deadline"] == local + dt.timedelta(hours=1)


def test_money_keeps_cents_with_two_currency_decimals():
    mapping = load_mapping(config=load_config(overrides={"general": {"currency_decimals": 2}}))
    rows = [
        customer(budget=Decimal("1500000.25")),
        opportunity(expected_revenue=Decimal("820000.505")),
    ]
    cust, lead = plan(rows, mapping=mapping).items
    assert cust.vals["x_mops_budget"] == 1500000.25
    assert lead.vals["expected_revenue"] == 820000.51  # half up, to the cent
    # Cents changed in Odoo are a change, and come back as cents.
    before = snapshot([odoo_partner(x_mops_budget=1500000.25)])
    key = ("customer", "customer:CU0001")
    state = {key: StateRecord(*key, "res.partner", 101, synced_of(rows[0], before, mapping))}
    after = snapshot([odoo_partner(x_mops_budget=1500000.45)])
    item = plan([rows[0]], after, state, mapping=mapping).items[0]
    assert {c.column: c.value for c in item.pull}["budget"] == Decimal("1500000.45")
    # In whole TWD, as shipped, the same cents are no change at all.
    state = {key: StateRecord(*key, "res.partner", 101, synced_of(rows[0], before))}
    assert [c.column for c in plan([rows[0]], after, state).items[0].pull] == ["odoo_partner_id"]
