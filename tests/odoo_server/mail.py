"""Chatter: mail.message and mail.activity, message_post and marking activities done."""

from __future__ import annotations

import calendar
import html
from datetime import date, timedelta

from .business import today, xmlid_to_res_id
from .errors import missing_error
from .hooks import BEFORE_UNLINK, PREPARE_CREATE, computed, defaults, display_name, on
from .values import plaintext_to_html

# mail.message fields message_post accepts as extra keyword arguments.
POST_EXTRA_FIELDS = frozenset(
    {
        "author_guest_id", "create_date", "date", "email_add_signature", "email_layout_xmlid",
        "is_internal", "mail_activity_type_id", "mail_server_id", "message_id",
        "record_alias_domain_id", "record_company_id", "record_name", "reply_to",
        "reply_to_force_new", "tracking_value_ids",
    }
)  # fmt: skip


def user_partner(store) -> int | None:
    """The partner of the calling user."""
    user = store.record("res.users", store.uid)
    return user.get("partner_id") if user else None


def ensure_one(model: str, ids) -> int:
    """The single id of a singleton, or the ValueError Odoo raises."""
    if len(ids) != 1:
        raise ValueError(f"Expected singleton: {model}{tuple(ids)!r}")
    return ids[0]


defaults(
    "mail.message",
    message_type="comment",
    date=lambda store, vals: store.now,
    author_id=lambda store, vals: user_partner(store),
)


@on(PREPARE_CREATE, "mail.message")
def _message_record_name(store, vals, model):
    target = vals.get("model")
    if target in store.schemas and vals.get("res_id") and not vals.get("record_name"):
        vals["record_name"] = store.name_of(target, vals["res_id"]) or False


@on(BEFORE_UNLINK, "*")
def _drop_chatter(store, ids, model):
    if not store.schemas[model].is_thread:
        return
    doomed = set(ids)
    for chatter, model_field in (("mail.activity", "res_model"), ("mail.message", "model")):
        hits = [
            rid
            for rid, rec in store.tables[chatter].items()
            if rec.get(model_field) == model and rec.get("res_id") in doomed
        ]
        if hits:
            store.unlink(chatter, hits)


def message_post(store, model: str, ids, **kwargs) -> int:
    """Post a message on one record of a mail.thread model; returns the message id."""
    rid = ensure_one(model, ids)
    body = kwargs.pop("body", "") or ""
    body_is_html = kwargs.pop("body_is_html", False)
    if body and not body_is_html:
        body = plaintext_to_html(body)
    for forbidden in ("model", "res_id", "subtype"):
        kwargs.pop(forbidden, None)
    unknown = set(kwargs) - POST_EXTRA_FIELDS - {
        "subject", "message_type", "email_from", "author_id", "parent_id", "subtype_xmlid",
        "subtype_id", "partner_ids", "attachments", "attachment_ids",
    }  # fmt: skip
    if unknown:
        raise ValueError(
            "Those values are not supported when posting or notifying: "
            + ", ".join(sorted(unknown))
        )
    if store.record(model, rid) is None:
        raise missing_error(model, [rid], store.uid)
    message_type = kwargs.pop("message_type", "notification")
    if message_type == "user_notification":
        raise ValueError("Use message_notify to send a notification to an user.")
    subtype_id = kwargs.pop("subtype_id", False) or xmlid_to_res_id(
        store, kwargs.pop("subtype_xmlid", None) or "mail.mt_note"
    )
    kwargs.pop("subtype_xmlid", None)
    kwargs.pop("attachments", None)
    author_id = kwargs.pop("author_id", None) or user_partner(store)
    author = store.record("res.partner", author_id) or {}
    email_from = kwargs.pop("email_from", None) or (
        f'"{author.get("name")}" <{author["email"]}>' if author.get("email") else False
    )
    vals = {
        "model": model,
        "res_id": rid,
        "body": body,
        "message_type": message_type,
        "subtype_id": subtype_id,
        "author_id": author_id,
        "email_from": email_from,
        "partner_ids": [[6, 0, kwargs.pop("partner_ids", None) or []]],
        "attachment_ids": [[6, 0, kwargs.pop("attachment_ids", None) or []]],
        **kwargs,
    }
    return store.create("mail.message", [vals])[0]


# -- activities ----------------------------------------------------------------------------


def _add_delay(start: str, count: int, unit: str) -> str:
    day = date.fromisoformat(start)
    if unit == "weeks":
        return (day + timedelta(weeks=count)).isoformat()
    if unit == "months":
        month = day.month - 1 + count
        year, month = day.year + month // 12, month % 12 + 1
        return day.replace(
            year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
        ).isoformat()
    return (day + timedelta(days=count)).isoformat()


defaults(
    "mail.activity",
    user_id=lambda store, vals: store.uid,
    activity_type_id=lambda store, vals: xmlid_to_res_id(store, "mail.mail_activity_data_todo"),
)


@on(PREPARE_CREATE, "mail.activity")
def _activity_target(store, vals, model):
    ir_model = store.tables["ir.model"]
    if vals.get("res_model_id") and not vals.get("res_model"):
        vals["res_model"] = (ir_model.get(vals["res_model_id"]) or {}).get("model")
    if vals.get("res_model") and not vals.get("res_model_id"):
        found = store.indexes.lookup("ir.model", ("model",), (vals["res_model"],))
        vals["res_model_id"] = min(found) if found else False
    target = vals.get("res_model")
    if target in store.schemas and vals.get("res_id"):
        if store.record(target, vals["res_id"]) is None:
            raise missing_error(target, [vals["res_id"]], store.uid)
        vals.setdefault("res_name", store.name_of(target, vals["res_id"]))
    if not vals.get("date_deadline"):
        kind = store.record("mail.activity.type", vals.get("activity_type_id")) or {}
        vals["date_deadline"] = _add_delay(
            today(store), kind.get("delay_count") or 0, kind.get("delay_unit") or "days"
        )


@computed("mail.activity", "state")
def _activity_state(store, rec):
    deadline = rec.get("date_deadline")
    if not deadline:
        return None
    if not rec.get("active", True):
        return "done"
    now = today(store)
    return "overdue" if deadline < now else "today" if deadline == now else "planned"


@display_name("mail.activity")
def _activity_display_name(store, rec):
    kind = store.record("mail.activity.type", rec.get("activity_type_id")) or {}
    return rec.get("summary") or kind.get("name") or ""


def _done_body(store, rec, feedback) -> str:
    kind = store.record("mail.activity.type", rec.get("activity_type_id")) or {}
    parts = [
        f'<div class="o_mail_activity_done"><span>{html.escape(kind.get("name") or "")}</span>'
    ]
    parts.append(" done")
    if rec.get("summary"):
        parts.append(f": <span>{html.escape(rec['summary'])}</span>")
    parts.append("</div>")
    if rec.get("note"):
        parts.append(f"<div><strong>Original note:</strong></div><div>{rec['note']}</div>")
    if feedback:
        parts.append(f"<div><strong>Feedback:</strong> {html.escape(str(feedback))}</div>")
    return "<div>" + "".join(parts) + "</div>"


def activity_done(store, ids, feedback=False, attachment_ids=None) -> int | bool:
    """Mark activities done: post a note on each record, then delete (or archive) them."""
    missing = store.missing("mail.activity", ids)
    if missing:
        raise missing_error("mail.activity", missing, store.uid)
    messages, archive, delete = [], [], []
    for rid in ids:
        rec = store.tables["mail.activity"][rid]
        messages.append(
            message_post(
                store,
                rec["res_model"],
                [rec["res_id"]],
                body=_done_body(store, rec, feedback),
                body_is_html=True,
                message_type="notification",
                subtype_xmlid="mail.mt_activities",
                mail_activity_type_id=rec.get("activity_type_id") or False,
                attachment_ids=attachment_ids or [],
            )
        )
        kind = store.record("mail.activity.type", rec.get("activity_type_id")) or {}
        (archive if kind.get("keep_done") else delete).append(rid)
    if archive:
        store.write("mail.activity", archive, {"active": False, "date_done": today(store)})
    if delete:
        store.unlink("mail.activity", delete)
    return messages[0] if messages else False
