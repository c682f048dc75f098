"""Chatter: mail.message and mail.activity, message_post and marking activities done."""

from __future__ import annotations

import calendar
import html
import re
import textwrap
from datetime import date, timedelta

from .business import today, xmlid_to_res_id
from .errors import SqlCheckViolation, UserError, missing_error
from .hooks import (
    BEFORE_UNLINK,
    PREPARE_CREATE,
    PREPARE_WRITE,
    SQL_CHECKS,
    computed,
    defaults,
    display_name,
    on,
)
from .schema import VERSIONS, captured_fields
from .values import plaintext_to_html

SUPERUSER_ID = 1
# Threads whose messages are not attached to the first message (``_mail_flat_thread = False``).
UNFLAT_THREADS = frozenset({"res.partner"})
NO_SENDER = "Unable to send message, please configure the sender's email address."

# mail.message fields message_post accepts as extra keyword arguments.
POST_EXTRA_FIELDS = frozenset(
    {
        "author_guest_id", "create_date", "date", "email_add_signature", "email_layout_xmlid",
        "is_internal", "mail_activity_type_id", "mail_server_id", "message_id",
        "record_alias_domain_id", "record_company_id", "record_name", "reply_to",
        "reply_to_force_new", "tracking_value_ids",
    }
)  # fmt: skip


NEWER_POST_FIELDS = frozenset({"outgoing_email_to", "incoming_email_to", "incoming_email_cc"})


def user_partner(store) -> int | None:
    """The partner of the calling user."""
    user = store.record("res.users", store.uid)
    return user.get("partner_id") if user else None


def ensure_one(model: str, ids) -> int:
    """The single id of a singleton, or the ValueError Odoo raises."""
    if len(ids) != 1:
        raise ValueError(f"Expected singleton: {model}{tuple(ids)!r}")
    return ids[0]


def email_formatted(partner: dict | None):
    """res.partner.email_formatted: '"Name" <email>', or False without an email."""
    if not partner or not partner.get("email"):
        return False
    name = str(partner.get("name") or "False").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{partner["email"]}>'


def _default_from(store, vals):
    # mail.message._get_default_from: the user's address, required.
    user = store.record("res.users", store.uid) or {}
    sender = email_formatted(store.record("res.partner", user.get("partner_id")))
    if not sender:
        raise UserError("Unable to post message, please configure the sender's email address.")
    return sender


defaults(
    "mail.message",
    message_type="comment",
    date=lambda store, vals: store.now,
    author_id=lambda store, vals: user_partner(store),
    email_from=_default_from,
)


@on(PREPARE_CREATE, "mail.message")
def _message_record_name(store, vals, model):
    target = vals.get("model")
    if target in store.schemas and vals.get("res_id") and not vals.get("record_name"):
        vals["record_name"] = store.name_of(target, vals["res_id"]) or False
    if not vals.get("reply_to"):
        # Without a catchall alias a reply goes back to the author.
        vals["reply_to"] = vals.get("email_from") or False


_HTML_NEWLINES = re.compile(r"<(div|p|br|tr)[^>]*>|\n")
_HTML_TAGS = re.compile(r"<.*?>")
_EMPTY_TAGS = re.compile(
    r"<\s*\/?(?:p|div|section|span|br|b|i|font)\b"
    r"(?:(\s+[A-Za-z_-][A-Za-z0-9-_]*(\s*=\s*[\'\"][^\"\']*[\'\"]))*)(?:\s*>|\s*\/\s*>)"
)
_ICON = re.compile(
    r"<\s*(i|span)\b(\s+[A-Za-z_-][A-Za-z0-9-_]*(\s*=\s*[\'\"][^\"\']*[\'\"])?)*\s*"
    r"\bclass\s*=\s*[\"\'][^\"\']*\b(fa|fab|fad|far|oi)\b"
)


def inner_text(body) -> str:
    """odoo.tools.html_to_inner_content: the text of a stored html value, spaces collapsed."""
    if not body or (not _EMPTY_TAGS.sub("", body).strip() and not _ICON.search(body)):
        return ""
    text = _HTML_TAGS.sub("", _HTML_NEWLINES.sub(" ", body))
    return html.unescape(re.sub(r" {2,}|\t", " ", text)).strip()


@computed("mail.message", "preview")
def _message_preview(store, rec):
    return textwrap.shorten(inner_text(rec.get("body")), 190)


@computed("mail.message", "description")
def _message_description(store, rec):
    return rec.get("subject") or textwrap.shorten(inner_text(rec.get("body")), 30)


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


def _author(store, author_id, email_from, sudo=False):
    """MailThread._message_compute_author: (author id, email_from), or UserError."""
    if author_id is None:
        if email_from:
            found = re.search(r"<([^<>]+)>", email_from)
            address = (found.group(1) if found else email_from).strip().lower()
            partners = store.search("res.partner", [["email", "=ilike", address]], order="id")
            author_id = partners[0] if partners else False
        else:
            author_id = user_partner(store) or False
            email_from = email_formatted(store.record("res.partner", author_id))
    if email_from is None and author_id:
        email_from = email_formatted(store.record("res.partner", author_id))
    if not email_from and not sudo and store.uid != SUPERUSER_ID:
        raise UserError(NO_SENDER)
    return author_id, email_from or False


def _thread_parent(store, model: str, rid: int, parent_id) -> int | bool:
    """MailThread._message_compute_parent_id: threads are flat but for partners."""
    messages = store.tables["mail.message"]
    if model not in UNFLAT_THREADS and not parent_id:
        first = [
            mid
            for mid, msg in messages.items()
            if msg.get("model") == model
            and msg.get("res_id") == rid
            and msg.get("message_type") != "user_notification"
        ]
        return min(first) if first else False
    if parent_id:
        seen = set()
        parent = messages.get(parent_id)
        while parent and parent.get("parent_id") and parent["id"] not in seen:
            seen.add(parent["id"])
            if model in UNFLAT_THREADS:
                return parent["parent_id"]
            parent = messages.get(parent["parent_id"])
        return parent["id"] if parent else parent_id
    return False


def message_post(store, model: str, ids, sudo=False, **kwargs) -> int:
    """Post a message on one record of a mail.thread model; returns the message id."""
    rid = ensure_one(model, ids)
    body = kwargs.pop("body", "") or ""
    body_is_html = kwargs.pop("body_is_html", False)
    if body and not body_is_html:
        body = plaintext_to_html(body)
    for forbidden in ("model", "res_id", "subtype"):
        kwargs.pop(forbidden, None)
    # Odoo 19's message_post names three more mail.message fields.
    newer = NEWER_POST_FIELDS & store.schemas["mail.message"].fields.keys()
    unknown = set(kwargs) - POST_EXTRA_FIELDS - newer - {
        "subject", "message_type", "email_from", "author_id", "parent_id", "subtype_xmlid",
        "subtype_id", "partner_ids", "attachments", "attachment_ids",
    }  # fmt: skip
    if unknown:
        raise ValueError(
            "Those values are not supported when posting or notifying: "
            + ", ".join(sorted(unknown))
        )
    message_type = kwargs.pop("message_type", "notification")
    if message_type == "user_notification":
        raise ValueError("Use message_notify to send a notification to an user.")
    author_id, email_from = _author(
        store, kwargs.pop("author_id", None), kwargs.pop("email_from", None), sudo
    )
    if store.record(model, rid) is None:
        raise missing_error(model, [rid], store.uid)
    subtype_id = kwargs.pop("subtype_id", False) or xmlid_to_res_id(
        store, kwargs.pop("subtype_xmlid", None) or "mail.mt_note"
    )
    kwargs.pop("subtype_xmlid", None)
    kwargs.pop("attachments", None)
    vals = {
        "model": model,
        "res_id": rid,
        "body": body,
        "message_type": message_type,
        "subtype_id": subtype_id,
        "author_id": author_id,
        "email_from": email_from,
        "email_add_signature": True,
        "partner_ids": [[6, 0, kwargs.pop("partner_ids", None) or []]],
        "attachment_ids": [[6, 0, kwargs.pop("attachment_ids", None) or []]],
        **kwargs,
        "parent_id": _thread_parent(store, model, rid, kwargs.get("parent_id")),
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


def _related_res_model(store, vals) -> None:
    # res_model is related to res_model_id (stored, read-only): a res_model of its own is
    # ignored, and without res_model_id the activity cannot be created at all.
    if "res_model_id" in vals or "res_model" in vals:
        target = store.record("ir.model", vals.get("res_model_id")) or {}
        vals["res_model"] = target.get("model") or False


@on(PREPARE_CREATE, "mail.activity")
def _activity_target(store, vals, model):
    _related_res_model(store, vals)
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


@on(PREPARE_WRITE, "mail.activity")
def _activity_retarget(store, ids, vals, model):
    if "res_model" in vals and "res_model_id" not in vals:
        vals.pop("res_model")
    elif "res_model_id" in vals:
        _related_res_model(store, vals)


@on(SQL_CHECKS, "mail.activity")
def _activity_needs_res_id(store, rec, model):
    if not rec.get("res_id"):
        raise SqlCheckViolation("Activities have to be linked to records with a not null res_id.")


def _type_field(fname: str, default=False):
    def get(store, rec):
        kind = store.record("mail.activity.type", rec.get("activity_type_id")) or {}
        return kind.get(fname) or default

    return get


# Related to the activity type.
computed("mail.activity", "activity_category")(_type_field("category"))
computed("mail.activity", "chaining_type")(_type_field("chaining_type", "suggest"))
computed("mail.activity", "icon")(_type_field("icon"))
computed("mail.activity", "activity_decoration")(_type_field("decoration_type"))
computed("mail.activity", "can_write")(lambda store, rec: True)


def record_activities(store, model: str, rid: int) -> list[dict]:
    """A record's open (active) activities in mail.activity's order."""
    found = [
        rec
        for rec in store.tables["mail.activity"].values()
        if rec.get("res_model") == model and rec.get("res_id") == rid and rec.get("active", True)
    ]
    found.sort(key=lambda rec: (rec.get("date_deadline") or "", rec["id"]))
    return found


def _worst_state(store, activities):
    states = {_activity_state(store, rec) for rec in activities}
    return next((state for state in ("overdue", "today", "planned") if state in states), None)


# mail.activity.mixin: the record's next activity, as the chatter shows it.
MIXIN_FIELDS = {
    "activity_state": _worst_state,
    "activity_date_deadline": lambda store, acts: acts[0].get("date_deadline"),
    "activity_summary": lambda store, acts: acts[0].get("summary"),
    "activity_type_id": lambda store, acts: acts[0].get("activity_type_id"),
    "activity_user_id": lambda store, acts: acts[0].get("user_id"),
}
for _model, _fields in [
    (model, fields) for version in VERSIONS for model, fields in captured_fields(version).items()
]:
    if "activity_ids" in _fields:
        for _fname, _pick in MIXIN_FIELDS.items():
            if _fname in _fields:

                def _mixin(store, rec, _model=_model, _pick=_pick):
                    activities = record_activities(store, _model, rec["id"])
                    return _pick(store, activities) if activities else None

                computed(_model, _fname)(_mixin)


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
    """The mail.message_activity_done template, rendered as Odoo 17 renders it."""
    kind = store.record("mail.activity.type", rec.get("activity_type_id")) or {}
    esc = lambda value: html.escape(str(value), quote=False)  # noqa: E731
    parts = [
        f'<div>\n    <p>\n        <span class="fa {kind.get("icon") or ""} fa-fw"></span>'
        f"<span>{esc(kind.get('name') or '')}</span> done"
    ]
    if rec.get("user_id") != store.uid:
        user = store.name_of("res.users", rec.get("user_id")) or ""
        parts.append(f"\n         (originally assigned to <span>{esc(user)}</span>)")
    if rec.get("summary"):
        parts.append(f"\n        <span>: </span><span>{esc(rec['summary'])}</span>")
    parts.append("\n    </p>")
    if feedback:
        lines = "\n            <br>".join(
            f"\n            {esc(line)}" for line in str(feedback).split("\n")
        )
        parts.append(f"\n    <div>{lines}\n    </div>")
    if rec.get("note") and rec["note"] != "<p><br></p>":
        parts.append(
            '\n    \n        <div class="o_mail_note_title"><strong>Original note:</strong></div>'
            f"\n        <div>{rec['note']}</div>"
        )
    parts.append("\n</div>")
    return "".join(parts)


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
                sudo=True,
                author_id=user_partner(store) or False,
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
