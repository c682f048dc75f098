"""The test Odoo answers the calls the sync engine makes as the real Odoo 17 does.

Every expected value below was taken from a real Odoo 17.0 Community server (the database of
`mops odoo setup`, logged in as admin) by making the same call; only ids of records the test
creates are left symbolic. The server's clock is fixed to when those answers were captured,
so that dates, defaults and activity states come out the same.
"""

# The fixtures are imported by name and then named again as test parameters, as pytest wants.
# ruff: noqa: F811

from __future__ import annotations

from datetime import datetime

import odoorpc
import pytest

from odoo_server.fixture import odoo_client, odoo_server  # noqa: F401

NOW = "2026-11-26 19:30:00"
pytestmark = pytest.mark.parametrize(
    "odoo_server", [{"clock": lambda: datetime.fromisoformat(NOW)}], indirect=True
)

BODY = "plain text with <b> & 中文"
ADMIN_FROM = '"Administrator" <admin@example.com>'
ATTRIBUTES = ["readonly", "required", "store", "string", "type"]
NO_SENDER = "Unable to send message, please configure the sender's email address."
NOT_SET = (
    "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
    "- Delete: another model requires the record being deleted. If possible, archive it"
    " instead.\n\nModel: {model}\nField: {field}\n"
)


def call(client, model: str, method: str, *args, **kwargs):
    """execute_kw through odoorpc, as the sync engine calls it."""
    return client.execute_kw(model, method, list(args), kwargs)


def refused(client, model: str, method: str, *args, **kwargs) -> tuple[str, str]:
    """(exception name, message) of a call that must fail, after checking the envelope."""
    with pytest.raises(odoorpc.error.RPCError) as excinfo:
        call(client, model, method, *args, **kwargs)
    info = excinfo.value.info
    assert (info["code"], info["message"]) == (200, "Odoo Server Error")
    assert info["data"]["arguments"] == [info["data"]["message"]]
    return info["data"]["name"], info["data"]["message"]


def model_id(client, model: str) -> int:
    return call(client, "ir.model", "search", [["model", "=", model]])[0]


# -- mail.message: message_post, then search_read / write / unlink -------------------------


def test_message_post_takes_date_and_message_id_and_escapes_plain_text(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead 1"}])[0]
    message = call(
        odoo_client,
        "crm.lead",
        "message_post",
        [lead],
        body=BODY,
        message_type="comment",
        subtype_xmlid="mail.mt_note",
        author_id=3,
        date="2026-03-05 00:00:00",
        message_id="<followup:L0001@mops>",
    )
    assert isinstance(message, int)
    rows = call(
        odoo_client,
        "mail.message",
        "search_read",
        [["message_id", "in", ["<followup:L0001@mops>", "<followup:none@mops>"]]],
        ["message_id", "model", "res_id", "body", "date", "author_id"],
        load="",
    )
    assert rows == [
        {
            "id": message,
            "message_id": "<followup:L0001@mops>",
            "model": "crm.lead",
            "res_id": lead,
            "body": "<p>plain text with &lt;b&gt; &amp; 中文</p>",
            "date": "2026-03-05 00:00:00",
            "author_id": 3,
        }
    ]
    fields = ["is_internal", "subtype_id", "message_type", "record_name", "email_from"]
    fields += ["reply_to", "partner_ids", "subject", "preview", "description"]
    assert call(odoo_client, "mail.message", "read", [message], fields) == [
        {
            "id": message,
            "is_internal": False,  # a note's subtype is internal, the message field is not set
            "subtype_id": [2, "Note"],
            "message_type": "comment",
            "record_name": "fidelity-probe lead 1",
            "email_from": ADMIN_FROM,
            "reply_to": ADMIN_FROM,
            "partner_ids": [],
            "subject": False,
            "preview": BODY,
            "description": BODY,
        }
    ]
    # A second message with the same message_id is accepted: Odoo does not make it unique.
    again = call(
        odoo_client,
        "crm.lead",
        "message_post",
        [lead],
        body="x",
        message_id="<followup:L0001@mops>",
    )
    assert again != message


def test_message_post_on_a_partner_takes_the_authors_address(odoo_client):
    partner = call(odoo_client, "res.partner", "create", [{"name": "fidelity-probe partner 1"}])[0]
    author = call(
        odoo_client,
        "res.partner",
        "create",
        [{"name": "fidelity-probe partner email", "email": "probe@example.com"}],
    )[0]
    message = call(
        odoo_client,
        "res.partner",
        "message_post",
        [partner],
        body=BODY,
        message_type="comment",
        subtype_xmlid="mail.mt_note",
        author_id=author,
        date="2026-03-05 00:00:00",
        message_id="<followup:P0001@mops>",
    )
    fields = ["body", "author_id", "email_from", "reply_to", "parent_id", "date", "model"]
    assert call(odoo_client, "mail.message", "read", [message], fields, load="") == [
        {
            "id": message,
            "body": "<p>plain text with &lt;b&gt; &amp; 中文</p>",
            "author_id": author,
            "email_from": '"fidelity-probe partner email" <probe@example.com>',
            "reply_to": '"fidelity-probe partner email" <probe@example.com>',
            "parent_id": False,  # partners' threads are not flat
            "date": "2026-03-05 00:00:00",
            "model": "res.partner",
        }
    ]
    lines = call(
        odoo_client,
        "res.partner",
        "message_post",
        [partner],
        body="a\nb\n\nc  d",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    fields = ["body", "is_internal", "subtype_id", "author_id", "email_from", "date"]
    assert call(odoo_client, "mail.message", "read", [lines], fields) == [
        {
            "id": lines,
            "body": "<p>a\nb\n\nc  d</p>",  # newlines are kept as they are, no <br>
            "is_internal": False,
            "subtype_id": [1, "Discussions"],
            "author_id": [3, "Administrator"],
            "email_from": ADMIN_FROM,
            "date": NOW,
        }
    ]
    quoted = call(
        odoo_client, "res.partner", "message_post", [partner], body="hello\n> quoted\n-- \nsig"
    )
    assert call(odoo_client, "mail.message", "read", [quoted], ["body", "preview"]) == [
        {
            "id": quoted,
            "body": '<p>hello<span data-o-mail-quote="1">\n&gt; quoted</span>'
            '<span data-o-mail-quote="1">\n-- \nsig</span></p>',
            "preview": "hello > quoted -- sig",
        }
    ]


def test_message_post_html_bodies_are_sanitized_once(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead html"}])[0]
    bodies = {
        "<div>d</div>": "d",
        '<p style="color:red;position:fixed" onclick="x">s</p>': '<p style="color:red">s</p>',
    }
    for body, stored in bodies.items():
        message = call(
            odoo_client, "crm.lead", "message_post", [lead], body=body, body_is_html=True
        )
        assert call(odoo_client, "mail.message", "read", [message], ["body"])[0]["body"] == stored


def test_message_post_refusals(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead 2"}])[0]
    assert refused(odoo_client, "crm.lead", "message_post", [lead], body="x", bogus=1) == (
        "builtins.ValueError",
        "Those values are not supported when posting or notifying: bogus",
    )
    assert refused(odoo_client, "crm.lead", "message_post", [lead], body="x", other=2, bogus=1) == (
        "builtins.ValueError",
        "Those values are not supported when posting or notifying: bogus, other",
    )
    for model in ("crm.lead", "res.partner"):
        assert refused(odoo_client, model, "message_post", [999999], body="x") == (
            "odoo.exceptions.MissingError",
            f"Record does not exist or has been deleted.\n(Record: {model}(999999,), User: 2)",
        )
    assert refused(odoo_client, "crm.lead", "message_post", [], body="x") == (
        "builtins.ValueError",
        "Expected singleton: crm.lead()",
    )
    assert refused(odoo_client, "crm.lead", "message_post", [lead, lead], body="x") == (
        "builtins.ValueError",
        f"Expected singleton: crm.lead({lead}, {lead})",
    )
    # An author without an address cannot post (unless email_from is given); it is checked
    # before the record, and author_id=False counts as such an author.
    nobody = call(odoo_client, "res.partner", "create", [{"name": "fidelity-probe no email"}])[0]
    assert refused(
        odoo_client, "res.partner", "message_post", [nobody], body="x", author_id=nobody
    ) == ("odoo.exceptions.UserError", NO_SENDER)
    assert refused(
        odoo_client, "res.partner", "message_post", [999999], body="x", author_id=False
    ) == ("odoo.exceptions.UserError", NO_SENDER)
    assert isinstance(
        call(
            odoo_client,
            "res.partner",
            "message_post",
            [nobody],
            body="x",
            author_id=nobody,
            email_from="a@b.c",
        ),
        int,
    )
    assert refused(
        odoo_client, "crm.lead", "message_post", [lead], body="x", date="2026-03-05T00:00:00"
    ) == (
        "builtins.ValueError",
        "time data '2026-03-05T00:00:00' does not match format '%Y-%m-%d %H:%M:%S'",
    )
    day = call(odoo_client, "crm.lead", "message_post", [lead], body="x", date="2026-03-05")
    assert call(odoo_client, "mail.message", "read", [day], ["date"]) == [
        {"id": day, "date": "2026-03-05 00:00:00"}
    ]


def test_messages_are_rewritten_and_deleted_without_missing_errors(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead 3"}])[0]
    message = call(odoo_client, "crm.lead", "message_post", [lead], body=BODY)
    assert call(odoo_client, "mail.message", "write", [message], {"body": "<p>new</p>"}) is True
    assert call(odoo_client, "mail.message", "read", [message], ["body"]) == [
        {"id": message, "body": "<p>new</p>"}
    ]
    assert call(odoo_client, "mail.message", "write", [message], {"body": "a < b"}) is True
    assert call(odoo_client, "mail.message", "read", [message], ["body"]) == [
        {"id": message, "body": "<p>a &lt; b</p>"}
    ]
    assert call(odoo_client, "mail.message", "unlink", [message]) is True
    # No record rule guards messages, so deleted ids are skipped rather than refused.
    assert call(odoo_client, "mail.message", "unlink", [message]) is True
    assert call(odoo_client, "mail.message", "write", [message], {"body": "x"}) is True
    assert call(odoo_client, "mail.message", "read", [message], ["body"]) == []


# -- mail.activity -------------------------------------------------------------------------


def test_a_custom_field_on_activities_and_an_activity_with_it(odoo_client):
    field = call(
        odoo_client,
        "ir.model.fields",
        "create",
        [
            {
                "name": "x_probe_key",
                "model_id": model_id(odoo_client, "mail.activity"),
                "ttype": "char",
                "state": "manual",
                "field_description": "Probe Key",
            }
        ],
    )
    described = call(
        odoo_client, "mail.activity", "fields_get", ["x_probe_key"], attributes=ATTRIBUTES
    )
    assert described == {
        "x_probe_key": {
            "readonly": False,
            "required": False,
            "store": True,
            "string": "Probe Key",
            "type": "char",
        }
    }
    fields = ["name", "model", "state", "ttype", "store", "copied", "index", "required"]
    row = call(odoo_client, "ir.model.fields", "read", field, [*fields, "readonly"], load="")[0]
    assert {k: v for k, v in row.items() if k != "id"} == {
        "name": "x_probe_key",
        "model": "mail.activity",
        "state": "manual",
        "ttype": "char",
        "store": True,
        "copied": True,
        "index": False,
        "required": False,
        "readonly": False,
    }
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead act"}])[0]
    phone = call(odoo_client, "mail.activity.type", "create", [{"name": "fidelity-probe call"}])[0]
    values = {
        "res_id": lead,
        "activity_type_id": phone,
        "date_deadline": "2026-03-10",
        "user_id": 2,
        "summary": "fidelity-probe call",
        "x_probe_key": "act:probe-1",
    }
    # res_model is related to res_model_id: it cannot stand in for it.
    not_set = NOT_SET.format(
        model="Activity (mail.activity)", field="Document Model (res_model_id)"
    )
    for extra in ({"res_model": "crm.lead"}, {"res_model": "no.such"}, {}):
        assert refused(odoo_client, "mail.activity", "create", [{**values, **extra}]) == (
            "odoo.exceptions.ValidationError",
            not_set,
        )
    lead_model = model_id(odoo_client, "crm.lead")
    activity = call(
        odoo_client, "mail.activity", "create", [{**values, "res_model_id": lead_model}]
    )
    fields = ["res_model", "res_model_id", "res_id", "res_name", "activity_type_id"]
    fields += ["date_deadline", "user_id", "summary", "note", "state", "active", "date_done"]
    fields += ["x_probe_key", "display_name", "activity_category", "chaining_type", "can_write"]
    row = call(
        odoo_client, "mail.activity", "read", activity, fields, load="", context={"active_test": 0}
    )
    assert row == [
        {
            "id": activity[0],
            "res_model": "crm.lead",
            "res_model_id": lead_model,
            "res_id": lead,
            "res_name": "fidelity-probe lead act",
            "activity_type_id": phone,
            "date_deadline": "2026-03-10",
            "user_id": 2,
            "summary": "fidelity-probe call",
            "note": False,
            "state": "overdue",
            "active": True,
            "date_done": False,
            "x_probe_key": "act:probe-1",
            "display_name": "fidelity-probe call",
            "activity_category": "default",
            "chaining_type": "suggest",
            "can_write": True,
        }
    ]
    # A res_model of its own is ignored; res_id is required, and its record must exist.
    mismatched = call(
        odoo_client,
        "mail.activity",
        "create",
        [{**values, "res_model_id": lead_model, "res_model": "res.partner"}],
    )
    assert call(odoo_client, "mail.activity", "read", mismatched, ["res_model"]) == [
        {"id": mismatched[0], "res_model": "crm.lead"}
    ]
    assert refused(
        odoo_client,
        "mail.activity",
        "create",
        [{"res_model_id": lead_model, "activity_type_id": phone, "summary": "x"}],
    ) == (
        "odoo.exceptions.ValidationError",
        "The operation cannot be completed: Activities have to be linked to records with a"
        " not null res_id.",
    )
    assert refused(
        odoo_client,
        "mail.activity",
        "create",
        [{"res_model_id": lead_model, "res_id": 99999999, "activity_type_id": phone}],
    ) == (
        "odoo.exceptions.MissingError",
        "Record does not exist or has been deleted.\n(Record: crm.lead(99999999,), User: 2)",
    )
    undated = call(
        odoo_client,
        "mail.activity",
        "create",
        [{"res_model_id": lead_model, "res_id": lead, "activity_type_id": phone}],
    )
    assert call(odoo_client, "mail.activity", "read", undated, ["date_deadline", "user_id"]) == [
        {"id": undated[0], "date_deadline": NOW[:10], "user_id": [2, "Administrator"]}
    ]
    assert call(odoo_client, "mail.activity", "write", activity, {"x_probe_key": "act:probe-2"})
    assert (
        call(odoo_client, "mail.activity", "search", [["x_probe_key", "=", "act:probe-2"]])
        == activity
    )
    fields = ["activity_ids", "activity_state", "activity_date_deadline", "activity_summary"]
    assert call(odoo_client, "crm.lead", "read", [lead], [*fields, "activity_user_id"]) == [
        {
            "id": lead,
            "activity_ids": [activity[0], mismatched[0], undated[0]],  # by deadline, then id
            "activity_state": "overdue",
            "activity_date_deadline": "2026-03-10",
            "activity_summary": "fidelity-probe call",
            "activity_user_id": [2, "Administrator"],
        }
    ]
    call(odoo_client, "ir.model.fields", "unlink", field)
    assert call(odoo_client, "mail.activity", "fields_get", ["x_probe_key"]) == {}


def test_activity_types_default_to_unlinking_done_activities(odoo_client):
    kind = call(odoo_client, "mail.activity.type", "create", [{"name": "fidelity-probe kind"}])
    fields = ["keep_done", "category", "delay_count", "delay_unit", "delay_from"]
    fields += ["chaining_type", "res_model", "sequence", "active", "default_user_id", "summary"]
    fields += ["icon", "decoration_type", "triggered_next_type_id", "mail_template_ids"]
    row = call(odoo_client, "mail.activity.type", "read", kind, fields, load="")[0]
    assert {k: v for k, v in row.items() if k != "id"} == {
        "keep_done": False,
        "category": "default",
        "delay_count": 0,
        "delay_unit": "days",
        "delay_from": "previous_activity",
        "chaining_type": "suggest",
        "res_model": False,
        "sequence": 10,
        "active": True,
        "default_user_id": False,
        "summary": False,
        "icon": False,
        "decoration_type": False,
        "triggered_next_type_id": False,
        "mail_template_ids": [],
    }


def _activity(client, lead: int, kind: int, **values) -> int:
    vals = {"res_model_id": model_id(client, "crm.lead"), "res_id": lead, "activity_type_id": kind}
    return call(client, "mail.activity", "create", [{**vals, **values}])[0]


def test_done_activities_are_archived_when_their_type_keeps_them(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead done"}])[0]
    keep = call(
        odoo_client,
        "mail.activity.type",
        "create",
        [{"name": "fidelity-probe keep", "keep_done": True}],
    )[0]
    kept = _activity(
        odoo_client,
        lead,
        keep,
        date_deadline="2026-03-10",
        user_id=2,
        summary="fidelity-probe keep",
        note="<p>n</p>",
    )
    message = call(odoo_client, "mail.activity", "action_feedback", [kept], feedback="ok")
    assert isinstance(message, int)
    assert call(odoo_client, "mail.activity", "search", [["id", "=", kept]]) == []
    assert call(
        odoo_client, "mail.activity", "search", [["id", "=", kept]], context={"active_test": False}
    ) == [kept]
    assert call(
        odoo_client, "mail.activity", "read", [kept], ["active", "date_done", "state"], load=""
    ) == [{"id": kept, "active": False, "date_done": NOW[:10], "state": "done"}]
    assert call(odoo_client, "crm.lead", "read", [lead], ["activity_ids", "activity_state"]) == [
        {"id": lead, "activity_ids": [], "activity_state": False}
    ]
    fields = ["body", "message_type", "subtype_id", "mail_activity_type_id", "model", "res_id"]
    fields += ["author_id", "is_internal"]
    assert call(odoo_client, "mail.message", "read", [message], fields, load="") == [
        {
            "id": message,
            "body": '\n    <p>\n        <span class="fa  fa-fw"></span><span>fidelity-probe keep'
            "</span> done\n        <span>: </span><span>fidelity-probe keep</span>\n    </p>\n"
            "    <div>\n            ok\n    </div>\n    \n"
            '        <div class="o_mail_note_title"><strong>Original note:</strong></div>\n'
            "        <div><p>n</p></div>\n",
            "message_type": "notification",
            "subtype_id": 3,
            "mail_activity_type_id": keep,
            "model": "crm.lead",
            "res_id": lead,
            "author_id": 3,
            "is_internal": False,
        }
    ]
    # An archived activity can be marked done again; action_done answers the same way.
    assert isinstance(
        call(odoo_client, "mail.activity", "action_feedback", [kept], feedback="again"), int
    )
    other = _activity(odoo_client, lead, keep, summary="fidelity-probe done keep")
    assert isinstance(call(odoo_client, "mail.activity", "action_done", [other]), int)
    assert call(
        odoo_client, "mail.activity", "read", [other], ["active", "date_done", "state"], load=""
    ) == [{"id": other, "active": False, "date_done": NOW[:10], "state": "done"}]


def test_done_activities_are_unlinked_otherwise(odoo_client):
    lead = call(odoo_client, "crm.lead", "create", [{"name": "fidelity-probe lead gone"}])[0]
    kind = call(odoo_client, "mail.activity.type", "create", [{"name": "fidelity-probe kind"}])[0]
    icon = call(
        odoo_client,
        "mail.activity.type",
        "create",
        [{"name": "fidelity-probe icon", "icon": "fa-phone"}],
    )[0]
    other_user = call(
        odoo_client, "res.users", "create", [{"name": "劉思妤", "login": "fidelity-probe@mops"}]
    )[0]
    bodies = {}
    cases = {
        "bare": ({}, {}),
        "multi-line": (
            {"summary": "S <x>", "note": "<p>n</p>"},
            {"feedback": "l1\nl2 <b>"},
        ),
        "empty note": ({"summary": "S", "note": "<p><br></p>"}, {"feedback": False}),
        "assignee": ({"summary": "S", "user_id": other_user}, {"feedback": "f"}),
        "plain note": ({"note": "plain note"}, {"feedback": ""}),
    }
    for name, (values, feedback) in cases.items():
        activity = _activity(odoo_client, lead, kind, **values)
        message = call(odoo_client, "mail.activity", "action_feedback", [activity], **feedback)
        assert (
            call(
                odoo_client,
                "mail.activity",
                "search",
                [["id", "=", activity]],
                context={"active_test": 0},
            )
            == []
        )
        bodies[name] = call(odoo_client, "mail.message", "read", [message], ["body", "preview"])[0]
    head = '\n    <p>\n        <span class="fa  fa-fw"></span><span>fidelity-probe kind</span> done'
    assert {name: row["body"] for name, row in bodies.items()} == {
        "bare": f"{head}\n    </p>\n",
        "multi-line": f"{head}\n        <span>: </span><span>S &lt;x&gt;</span>\n    </p>\n"
        "    <div>\n            l1\n            <br>\n            l2 &lt;b&gt;\n    </div>\n"
        '    \n        <div class="o_mail_note_title"><strong>Original note:</strong></div>\n'
        "        <div><p>n</p></div>\n",
        "empty note": f"{head}\n        <span>: </span><span>S</span>\n    </p>\n",
        "assignee": f"{head}\n         (originally assigned to <span>劉思妤</span>)\n"
        "        <span>: </span><span>S</span>\n    </p>\n    <div>\n            f\n    </div>\n",
        "plain note": f"{head}\n    </p>\n    \n"
        '        <div class="o_mail_note_title"><strong>Original note:</strong></div>\n'
        "        <div><p>plain note</p></div>\n",
    }
    assert bodies["multi-line"]["preview"] == (
        "fidelity-probe kind done : S <x> l1 l2 <b> Original note: n"
    )
    assert bodies["assignee"]["preview"] == (
        "fidelity-probe kind done (originally assigned to 劉思妤) : S f"
    )
    with_icon = _activity(odoo_client, lead, icon, summary="S")
    message = call(odoo_client, "mail.activity", "action_done", [with_icon])
    assert call(odoo_client, "mail.message", "read", [message], ["body"])[0]["body"] == (
        '\n    <p>\n        <span class="fa fa-phone fa-fw"></span><span>fidelity-probe icon</span>'
        " done\n        <span>: </span><span>S</span>\n    </p>\n"
    )
    first, second = (_activity(odoo_client, lead, kind, summary=s) for s in ("m1", "m2"))
    message = call(odoo_client, "mail.activity", "action_feedback", [first, second], feedback="m")
    assert call(odoo_client, "mail.message", "read", [message], ["body"])[0]["body"].count(
        "<span>m1</span>"
    )
    for method, kwargs in (("action_feedback", {"feedback": "m"}), ("action_done", {})):
        assert refused(odoo_client, "mail.activity", method, [99999999], **kwargs) == (
            "odoo.exceptions.MissingError",
            "Record does not exist or has been deleted.\n"
            "(Record: mail.activity(99999999,), User: 2)",
        )
    assert call(odoo_client, "mail.activity", "action_feedback", [], feedback="m") is False


# -- project.task --------------------------------------------------------------------------


def _service_project(client) -> tuple[int, list[int]]:
    """A project with five stages, as `mops odoo setup` makes mops.project_service."""
    project = call(client, "project.project", "create", [{"name": "fidelity-probe service"}])[0]
    stages = call(
        client,
        "project.task.type",
        "create",
        [
            {"name": name, "sequence": n, "project_ids": [[6, 0, [project]]]}
            for n, name in enumerate(["新建", "處理中", "等待客戶", "已解決", "已結案"], start=1)
        ],
    )
    return project, stages


def test_a_task_is_created_in_its_projects_stage_and_read_back(odoo_client):
    project, stages = _service_project(odoo_client)
    partner = call(odoo_client, "res.partner", "create", [{"name": "fidelity-probe customer"}])[0]
    values = {
        "name": "fidelity-probe task 1",
        "project_id": project,
        "partner_id": partner,
        "user_ids": [[6, 0, [2]]],
        "date_deadline": "2026-03-10 09:30:00",
        "stage_id": stages[0],
        "description": "<p>x</p>",
    }
    task = call(odoo_client, "project.task", "create", [values])
    fields = ["name", "project_id", "partner_id", "user_ids", "date_deadline", "stage_id"]
    fields += ["description", "state", "priority", "sequence", "active", "company_id"]
    fields += ["date_assign", "date_last_stage_update", "tag_ids", "parent_id"]
    fields += ["allocated_hours", "display_name", "email_cc", "milestone_id"]
    assert call(odoo_client, "project.task", "read", task, fields, load="") == [
        {
            "id": task[0],
            "name": "fidelity-probe task 1",
            "project_id": project,
            "partner_id": partner,
            "user_ids": [2],
            "date_deadline": "2026-03-10 09:30:00",
            "stage_id": stages[0],
            "description": "<p>x</p>",
            "state": "01_in_progress",
            "priority": "0",
            "sequence": 10,
            "active": True,
            "company_id": False,  # the project's, and the project has none
            "date_assign": NOW,
            "date_last_stage_update": NOW,
            "tag_ids": [],
            "parent_id": False,
            "allocated_hours": 0.0,
            "display_name": "fidelity-probe task 1",
            "email_cc": False,
            "milestone_id": False,
        }
    ]
    # Without a stage a task gets its project's first one, and the current user.
    plain = call(
        odoo_client,
        "project.task",
        "create",
        [{"name": "fidelity-probe task 2", "project_id": project, "description": "a < b & c"}],
    )
    fields = ["description", "stage_id", "state", "user_ids", "date_deadline", "date_assign"]
    assert call(odoo_client, "project.task", "read", plain, fields, load="") == [
        {
            "id": plain[0],
            "description": "<p>a &lt; b &amp; c</p>",
            "stage_id": stages[0],
            "state": "01_in_progress",
            "user_ids": [2],
            "date_deadline": False,
            "date_assign": False,  # the default assignee is no assignment
        }
    ]
    assert call(odoo_client, "project.task", "write", task, {"stage_id": stages[1]}) is True
    assert call(odoo_client, "project.task", "read", task, ["stage_id", "state"]) == [
        {"id": task[0], "stage_id": [stages[1], "處理中"], "state": "01_in_progress"}
    ]
    dated = call(
        odoo_client,
        "project.task",
        "create",
        [{"name": "fidelity-probe task 6", "project_id": project, "date_deadline": "2026-03-10"}],
    )
    assert call(odoo_client, "project.task", "read", dated, ["date_deadline"]) == [
        {"id": dated[0], "date_deadline": "2026-03-10 00:00:00"}
    ]
    assert refused(
        odoo_client,
        "project.task",
        "create",
        [{"name": "x", "project_id": project, "date_deadline": "2026-03-10T09:30:00"}],
    ) == (
        "builtins.ValueError",
        "time data '2026-03-10T09:30:00' does not match format '%Y-%m-%d %H:%M:%S'",
    )


def test_task_stages_follow_the_project(odoo_client):
    project, stages = _service_project(odoo_client)
    lone = call(odoo_client, "project.task.type", "create", [{"name": "fidelity-probe lone"}])
    assert call(odoo_client, "project.task.type", "read", lone, ["project_ids", "user_id"]) == [
        {"id": lone[0], "project_ids": [], "user_id": [2, "Administrator"]}  # a personal stage
    ]
    # A task put in a stage its project lacks adds the stage to the project.
    task = call(
        odoo_client,
        "project.task",
        "create",
        [{"name": "fidelity-probe task 3", "project_id": project, "stage_id": lone[0]}],
    )
    assert call(odoo_client, "project.task", "read", task, ["stage_id", "project_id"]) == [
        {
            "id": task[0],
            "stage_id": [lone[0], "fidelity-probe lone"],
            "project_id": [project, "fidelity-probe service"],
        }
    ]
    assert call(odoo_client, "project.task.type", "read", lone, ["project_ids", "user_id"]) == [
        {"id": lone[0], "project_ids": [project], "user_id": False}
    ]
    assert (
        lone[0]
        in call(odoo_client, "project.project", "read", [project], ["type_ids"])[0]["type_ids"]
    )
    # A private task (no project) has no stage and is assigned to its creator.
    private = call(
        odoo_client,
        "project.task",
        "create",
        [{"name": "fidelity-probe private", "stage_id": stages[0]}],
    )
    fields = ["stage_id", "project_id", "user_ids", "date_assign"]
    assert call(odoo_client, "project.task", "read", private, fields, load="") == [
        {
            "id": private[0],
            "stage_id": False,
            "project_id": False,
            "user_ids": [2],
            "date_assign": False,
        }
    ]
    assert refused(odoo_client, "project.task", "write", private, {"stage_id": stages[0]}) == (
        "odoo.exceptions.UserError",
        "You can only set a personal stage on a private task.",
    )
    assert call(odoo_client, "project.task", "write", task, {"user_ids": [[6, 0, []]]})
    assert call(odoo_client, "project.task", "read", task, ["user_ids", "date_assign"]) == [
        {"id": task[0], "user_ids": [], "date_assign": False}
    ]
    assert call(odoo_client, "project.task", "write", task, {"user_ids": [[4, 2]]})
    assert call(odoo_client, "project.task", "read", task, ["user_ids", "date_assign"]) == [
        {"id": task[0], "user_ids": [2], "date_assign": NOW}
    ]
    assert call(odoo_client, "project.task", "write", task, {"project_id": False})
    assert call(odoo_client, "project.task", "read", task, ["stage_id", "project_id"]) == [
        {"id": task[0], "stage_id": False, "project_id": False}
    ]


# What the real server stored for each description written on a task (write() sanitizes
# twice: "<div>d</div>" loses its wrapper the first time and gets a <p> the second).
DESCRIPTIONS = [
    ("a < b & c", "<p>a &lt; b &amp; c</p>"),
    ("plain", "<p>plain</p>"),
    ("x\ny", "<p>x\ny</p>"),
    ("<b>bold</b> tail", "<span><b>bold</b> tail</span>"),
    ("text <b>bold</b>", "<p>text <b>bold</b></p>"),
    ("<p>x</p><p>y</p>", "<p>x</p><p>y</p>"),
    ("<div>d</div>", "<p>d</p>"),
    ("<script>alert(1)</script><p>s</p>", "<p>s</p>"),
    ("a &amp; b", "<p>a &amp; b</p>"),
    ("a &lt; b", "<p>a &lt; b</p>"),
    ("<p>a & b</p>", "<p>a &amp; b</p>"),
    ('<p class="c" style="color:red" onclick="x()">z</p>', '<p class="c" style="color:red">z</p>'),
    ("<br>", "<br>"),
    ("  spaced  ", "<p>spaced  </p>"),
    ("<p>unclosed", "<p>unclosed</p>"),
    ("1 > 0", "<p>1 &gt; 0</p>"),
    ("<h1>t</h1>", "<h1>t</h1>"),
    ('<img src="x.png">', '<img src="x.png">'),
    ("<p>a<br>b</p>", "<p>a<br>b</p>"),
    ("a\n\nb", "<p>a\n\nb</p>"),
    ("<span>s</span>", "<span>s</span>"),
    ("<o:p></o:p>", ""),
    ("<!-- c --><p>y</p>", "<p>y</p>"),
    ("&nbsp;", "<p>&nbsp;</p>"),
    ("<p>&nbsp;</p>", "<p>&nbsp;</p>"),
    ("中文 <i>x</i>", "<p>中文 <i>x</i></p>"),
    ("<table><tr><td>1</td></tr></table>", "<table><tr><td>1</td></tr></table>"),
    ('<a href="javascript:alert(1)">l</a>', '<a href="">l</a>'),
    ('<a href="http://x">l</a>', '<a href="http://x">l</a>'),
    ('<p style="position:fixed">s</p>', '<p style="position:fixed">s</p>'),
]
# ... and for each one given to create(), which sanitizes once.
CREATED_DESCRIPTIONS = [
    ("<div>d</div>", "d"),
    ("<b>bold</b> tail", "<span><b>bold</b> tail</span>"),
    ("  <p>x</p>", "<p>x</p>"),
    ("<div>\n  <p>a</p>\n</div>", "\n  <p>a</p>\n"),
]


def test_task_descriptions_are_stored_as_odoos_sanitizer_rewrites_them(odoo_client):
    project = call(odoo_client, "project.project", "create", [{"name": "fidelity-probe html"}])[0]
    task = call(
        odoo_client, "project.task", "create", [{"name": "fidelity-probe", "project_id": project}]
    )
    written = []
    for description, _stored in DESCRIPTIONS:
        call(odoo_client, "project.task", "write", task, {"description": description})
        written.append(call(odoo_client, "project.task", "read", task, ["description"]))
    assert [row[0]["description"] for row in written] == [s for _d, s in DESCRIPTIONS]
    created = call(
        odoo_client,
        "project.task",
        "create",
        [{"name": "x", "project_id": project, "description": d} for d, _s in CREATED_DESCRIPTIONS],
    )
    rows = call(odoo_client, "project.task", "read", created, ["description"])
    assert [row["description"] for row in rows] == [s for _d, s in CREATED_DESCRIPTIONS]
    lead = call(odoo_client, "crm.lead", "create", [{"name": "x", "description": "<div>d</div>"}])
    assert call(odoo_client, "crm.lead", "read", lead, ["description"])[0]["description"] == "d"


# -- utm.campaign --------------------------------------------------------------------------


def test_campaign_names_come_from_titles_and_are_made_unique(odoo_client):
    fields = ["name", "title", "user_id", "stage_id", "active", "color", "tag_ids"]
    fields += ["is_auto_campaign", "display_name", "company_id"]
    first = call(
        odoo_client, "utm.campaign", "create", [{"title": "fidelity-probe campaign", "user_id": 2}]
    )
    assert call(odoo_client, "utm.campaign", "read", first, fields, load="") == [
        {
            "id": first[0],
            "name": "fidelity-probe campaign",
            "title": "fidelity-probe campaign",
            "user_id": 2,
            "stage_id": 1,  # utm.default_utm_stage, "New"
            "active": True,
            "color": 0,
            "tag_ids": [],
            "is_auto_campaign": False,
            "display_name": "fidelity-probe campaign",  # _rec_name is the title
            "company_id": 1,
        }
    ]
    same = call(odoo_client, "utm.campaign", "create", [{"title": "fidelity-probe campaign"}])
    named = call(odoo_client, "utm.campaign", "create", [{"name": "fidelity-probe campaign"}])
    both = call(
        odoo_client,
        "utm.campaign",
        "create",
        [{"name": "fidelity-probe named", "title": "fidelity-probe titled"}],
    )
    fields = ["name", "title", "display_name"]
    assert call(odoo_client, "utm.campaign", "read", same + named + both, fields) == [
        {
            "id": same[0],
            "name": "fidelity-probe campaign [2]",
            "title": "fidelity-probe campaign",
            "display_name": "fidelity-probe campaign",
        },
        {
            "id": named[0],
            "name": "fidelity-probe campaign [3]",
            "title": "fidelity-probe campaign",
            "display_name": "fidelity-probe campaign",
        },
        {
            "id": both[0],
            "name": "fidelity-probe named",
            "title": "fidelity-probe titled",
            "display_name": "fidelity-probe titled",
        },
    ]
    assert refused(odoo_client, "utm.campaign", "create", [{"user_id": 2}]) == (
        "odoo.exceptions.ValidationError",
        NOT_SET.format(model="UTM Campaign (utm.campaign)", field="Campaign Identifier (name)"),
    )
    batch = call(
        odoo_client,
        "utm.campaign",
        "create",
        [{"title": "fidelity-probe batch"}, {"title": "fidelity-probe batch"}],
    )
    assert [r["name"] for r in call(odoo_client, "utm.campaign", "read", batch, ["name"])] == [
        "fidelity-probe batch",
        "fidelity-probe batch [2]",
    ]
    # A new title renames the campaign (uniquely); a name written as such is kept.
    for title, name in (
        ("fidelity-probe campaign renamed", "fidelity-probe campaign renamed"),
        ("fidelity-probe batch", "fidelity-probe batch [3]"),
    ):
        assert call(odoo_client, "utm.campaign", "write", first, {"title": title}) is True
        assert call(odoo_client, "utm.campaign", "read", first, ["name", "title"]) == [
            {"id": first[0], "name": name, "title": title}
        ]
    call(odoo_client, "utm.campaign", "write", first, {"name": "fidelity-probe campaign"})
    assert call(odoo_client, "utm.campaign", "read", first, ["name", "title"]) == [
        {"id": first[0], "name": "fidelity-probe campaign", "title": "fidelity-probe batch"}
    ]
    # Deleted campaigns are skipped by write and unlink: no record rule guards them.
    call(odoo_client, "utm.campaign", "unlink", both)
    assert call(odoo_client, "utm.campaign", "unlink", both) is True
    assert call(odoo_client, "utm.campaign", "write", both, {"title": "x"}) is True


def test_campaign_stages(odoo_client):
    assert call(odoo_client, "utm.stage", "search_read", [], ["name", "sequence"]) == [
        {"id": 1, "name": "New", "sequence": 10}
    ]
    described = call(
        odoo_client, "utm.stage", "fields_get", ["name", "sequence"], attributes=ATTRIBUTES
    )
    assert described == {
        "name": {
            "readonly": False,
            "required": True,
            "store": True,
            "string": "Name",
            "type": "char",
        },
        "sequence": {
            "readonly": False,
            "required": False,
            "store": True,
            "string": "Sequence",
            "type": "integer",
        },
    }
    stage = call(odoo_client, "utm.stage", "create", [{"name": "fidelity-probe stage"}])
    assert call(odoo_client, "utm.stage", "read", stage, ["name", "sequence", "display_name"]) == [
        {
            "id": stage[0],
            "name": "fidelity-probe stage",
            "sequence": 1,
            "display_name": "fidelity-probe stage",
        }
    ]
    campaign = call(
        odoo_client,
        "utm.campaign",
        "create",
        [{"title": "fidelity-probe staged", "stage_id": stage[0]}],
    )
    assert call(odoo_client, "utm.campaign", "read", campaign, ["stage_id"]) == [
        {"id": campaign[0], "stage_id": [stage[0], "fidelity-probe stage"]}
    ]


# -- analytic accounting -------------------------------------------------------------------

PLAN_REFUSED = (
    "You are not allowed to {verb} 'Analytic Plans' (account.analytic.plan) records.\n\n"
    "This operation is allowed for the following groups:\n"
    "\t- Technical/Analytic Accounting\n"
    "\t- Technical/Show Full Accounting Features\n\n"
    "Contact your administrator to request access if necessary."
)


def test_analytic_plans_need_the_analytic_accounting_setting(odoo_client):
    error = ("odoo.exceptions.AccessError", PLAN_REFUSED.format(verb="create"))
    plan = [{"name": "fidelity-probe plan"}]
    assert refused(odoo_client, "account.analytic.plan", "create", plan) == error
    assert refused(odoo_client, "account.analytic.plan", "name_create", "x") == error
    read_error = ("odoo.exceptions.AccessError", PLAN_REFUSED.format(verb="access"))
    for method, args in (("search", [[]]), ("search_count", [[]]), ("read", [[1], ["name"]])):
        assert refused(odoo_client, "account.analytic.plan", method, *args) == read_error
    # write() reads the plans first, so it is refused as a read.
    assert refused(odoo_client, "account.analytic.plan", "write", [1], {"name": "x"}) == read_error
    assert refused(odoo_client, "account.analytic.plan", "unlink", [999]) == (
        "odoo.exceptions.AccessError",
        PLAN_REFUSED.format(verb="delete"),
    )
    assert refused(odoo_client, "account.analytic.plan", "check_access_rights", "read") == (
        read_error
    )
    for operation in ("read", "write", "create", "unlink"):
        assert (
            call(
                odoo_client,
                "account.analytic.plan",
                "check_access_rights",
                operation,
                raise_exception=False,
            )
            is False
        )
        assert call(
            odoo_client,
            "account.analytic.account",
            "check_access_rights",
            operation,
            raise_exception=False,
        )
    # default_get is not guarded.
    assert call(
        odoo_client, "account.analytic.plan", "default_get", ["default_applicability", "sequence"]
    ) == {"default_applicability": "optional", "sequence": 10}
    assert (
        call(odoo_client, "res.users", "has_group", "analytic.group_analytic_accounting") is False
    )
    # What ticking the box in Settings does: every internal user gets the group.
    settings = call(
        odoo_client, "res.config.settings", "create", [{"group_analytic_accounting": True}]
    )
    call(odoo_client, "res.config.settings", "execute", settings)
    assert call(odoo_client, "res.users", "has_group", "analytic.group_analytic_accounting")
    fields = ["name", "complete_name", "default_applicability", "sequence", "parent_id"]
    assert call(odoo_client, "account.analytic.plan", "read", [1], fields, load="") == [
        {
            "id": 1,
            "name": "Projects",
            "complete_name": "Projects",
            "default_applicability": "optional",
            "sequence": 10,
            "parent_id": False,
        }
    ]
    created = call(odoo_client, "account.analytic.plan", "create", plan)
    assert call(odoo_client, "account.analytic.plan", "read", created, ["name"]) == [
        {"id": created[0], "name": "fidelity-probe plan"}
    ]


ACCOUNT_FIELDS_REFUSED = (
    "The requested operation can not be completed due to security restrictions.\n\n"
    "Document type: Analytic Account (account.analytic.account)\nOperation: read\nUser: 2\n"
    "Fields:\n{fields}"
)
GROUP = "(allowed for groups 'Technical / Show Accounting Features - Readonly')"


def test_analytic_accounts_need_a_plan_and_hide_debit_and_credit(odoo_client):
    fields = call(
        odoo_client,
        "ir.model.fields",
        "create",
        [
            {
                "name": "x_probe_budget",
                "model_id": model_id(odoo_client, "account.analytic.account"),
                "ttype": "float",
                "state": "manual",
                "field_description": "Probe Budget",
            },
            {
                "name": "x_probe_key",
                "model_id": model_id(odoo_client, "account.analytic.account"),
                "ttype": "char",
                "field_description": "Probe Key",
            },
        ],
    )
    rows = call(odoo_client, "ir.model.fields", "read", fields, ["state", "ttype", "copied"])
    assert [(r["state"], r["ttype"], r["copied"]) for r in rows] == [
        ("manual", "float", True),
        ("manual", "char", True),
    ]
    assert call(
        odoo_client,
        "account.analytic.account",
        "fields_get",
        ["x_probe_budget", "debit"],
        attributes=ATTRIBUTES,
    ) == {
        "x_probe_budget": {
            "readonly": False,
            "required": False,
            "store": True,
            "string": "Probe Budget",
            "type": "float",
        }
    }
    account = {"name": "fidelity-probe acc", "code": "FPX", "x_probe_budget": 12.5}
    assert refused(odoo_client, "account.analytic.account", "create", [account]) == (
        "odoo.exceptions.ValidationError",
        NOT_SET.format(model="Analytic Account (account.analytic.account)", field="Plan (plan_id)"),
    )
    assert refused(
        odoo_client, "account.analytic.account", "create", [{**account, "plan_id": 99}]
    ) == (
        "odoo.exceptions.ValidationError",
        "The operation cannot be completed: another model requires the record being deleted."
        " If possible, archive it instead.\n\nModel: Analytic Account"
        " (account.analytic.account)\nConstraint: account_analytic_account_plan_id_fkey\n",
    )
    created = call(odoo_client, "account.analytic.account", "create", [{**account, "plan_id": 1}])
    wanted = ["name", "code", "plan_id", "balance", "x_probe_budget", "x_probe_key"]
    wanted += ["company_id", "currency_id", "root_plan_id", "active", "partner_id"]
    assert call(
        odoo_client,
        "account.analytic.account",
        "search_read",
        [["id", "in", created]],
        [*wanted, "display_name"],
        load="",
    ) == [
        {
            "id": created[0],
            "name": "fidelity-probe acc",
            "code": "FPX",
            "plan_id": 1,
            "balance": 0.0,
            "x_probe_budget": 12.5,
            "x_probe_key": False,
            "company_id": 1,
            "currency_id": 137,  # the company's TWD, as on the real Taiwanese database
            "root_plan_id": 1,
            "active": True,
            "partner_id": False,
            "display_name": "[FPX] fidelity-probe acc",
        }
    ]
    assert call(
        odoo_client, "account.analytic.account", "read", created, ["plan_id", "currency_id"]
    ) == [{"id": created[0], "plan_id": [1, "Projects"], "currency_id": [137, "TWD"]}]
    call(odoo_client, "account.analytic.account", "write", created, {"x_probe_budget": "3.25"})
    assert call(odoo_client, "account.analytic.account", "read", created, ["x_probe_budget"]) == [
        {"id": created[0], "x_probe_budget": 3.25}
    ]
    assert refused(
        odoo_client, "account.analytic.account", "write", created, {"x_probe_budget": "abc"}
    ) == ("builtins.ValueError", "could not convert string to float: 'abc'")
    assert refused(
        odoo_client, "account.analytic.account", "write", created, {"plan_id": False}
    ) == (
        "odoo.exceptions.ValidationError",
        NOT_SET.format(model="Analytic Account (account.analytic.account)", field="Plan (plan_id)"),
    )
    assert refused(odoo_client, "account.analytic.account", "read", created, ["debit"]) == (
        "odoo.exceptions.AccessError",
        ACCOUNT_FIELDS_REFUSED.format(fields=f"- debit {GROUP}"),
    )
    assert refused(
        odoo_client,
        "account.analytic.account",
        "search_read",
        [["id", "in", created]],
        ["balance", "debit", "credit"],
    ) == (
        "odoo.exceptions.AccessError",
        ACCOUNT_FIELDS_REFUSED.format(fields=f"- credit {GROUP}\n- debit {GROUP}"),
    )
    everything = call(odoo_client, "account.analytic.account", "read", created)[0]
    assert "balance" in everything and "debit" not in everything and "credit" not in everything
    assert call(odoo_client, "account.analytic.account", "unlink", created) is True
    assert refused(odoo_client, "account.analytic.account", "unlink", created)[0] == (
        "odoo.exceptions.MissingError"
    )


# -- users and employees -------------------------------------------------------------------

USER_FIELDS = ["login", "email", "partner_id", "active"]


def test_users_are_read_active_only_unless_active_test_is_off(odoo_client):
    assert call(odoo_client, "res.users", "search_read", [], USER_FIELDS, load="") == [
        {"id": 2, "login": "admin", "email": "admin@example.com", "partner_id": 3, "active": True}
    ]
    everyone = call(
        odoo_client,
        "res.users",
        "search_read",
        [],
        USER_FIELDS,
        load="",
        context={"active_test": False},
    )
    assert everyone == [  # ordered by name: Administrator, Default User Template, OdooBot, ...
        {"id": 2, "login": "admin", "email": "admin@example.com", "partner_id": 3, "active": True},
        {"id": 3, "login": "default", "email": False, "partner_id": 5, "active": False},
        {
            "id": 1,
            "login": "__system__",
            "email": "odoobot@example.com",
            "partner_id": 2,
            "active": False,
        },
        {"id": 5, "login": "portaltemplate", "email": False, "partner_id": 6, "active": False},
        {"id": 4, "login": "public", "email": False, "partner_id": 4, "active": False},
    ]
    assert call(odoo_client, "res.users", "search_read", [], ["name", "share"], limit=1) == [
        {"id": 2, "name": "Administrator", "share": False}
    ]


def test_the_administrator_has_an_employee(odoo_client):
    fields = ["work_email", "user_id", "name", "active", "work_contact_id", "company_id"]
    assert call(odoo_client, "hr.employee", "search_read", [], fields, load="") == [
        {
            "id": 1,
            "work_email": "admin@example.com",
            "user_id": 2,
            "name": "Administrator",
            "active": True,
            "work_contact_id": 3,
            "company_id": 1,
        }
    ]
    assert call(odoo_client, "hr.employee", "search_read", [], ["work_email", "user_id"]) == [
        {"id": 1, "work_email": "admin@example.com", "user_id": [2, "Administrator"]}
    ]


def test_has_group_is_a_model_method(odoo_client):
    assert call(odoo_client, "res.users", "has_group", "sales_team.group_sale_manager") is True
    assert call(odoo_client, "res.users", "has_group", "x.nogroup") is False
    assert refused(odoo_client, "res.users", "has_group", [2], "base.group_user") == (
        "builtins.TypeError",
        "Users.has_group() takes 2 positional arguments but 3 were given",
    )
    assert refused(odoo_client, "res.users", "has_group", "nogroup") == (
        "builtins.AssertionError",
        "External ID 'nogroup' must be fully qualified",
    )


# -- deleted ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "values", "skipped"),
    [
        ("utm.campaign", {"name": "x"}, True),
        ("utm.source", {"name": "x"}, True),
        ("crm.tag", {"name": "x"}, True),
        ("mail.message", {"body": "x"}, True),
        ("mail.activity", {"summary": "x"}, False),
        ("project.task", {"name": "x"}, False),
        ("crm.lead", {"name": "x"}, False),
        ("res.partner", {"name": "x"}, False),
        ("account.analytic.account", {"name": "x"}, False),
    ],
)
def test_deleted_ids_are_refused_only_where_a_record_rule_applies(
    odoo_client, model, values, skipped
):
    missing = (
        "odoo.exceptions.MissingError",
        f"Record does not exist or has been deleted.\n(Record: {model}(99999999,), User: 2)",
    )
    for method, args in (("write", ([99999999], values)), ("unlink", ([99999999],))):
        if skipped:
            assert call(odoo_client, model, method, *args) is True
        else:
            assert refused(odoo_client, model, method, *args) == missing
