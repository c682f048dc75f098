"""Model methods callable over RPC, with Odoo 17's signatures so bad arguments fail the same way."""

from __future__ import annotations

from dataclasses import dataclass

from . import business, grouping, importer, mail
from .domain import name_domain, normalize
from .errors import AccessError, UserError
from .hooks import ACCESS, DEFAULTS, FIELD_GROUPS
from .schema import MAGIC_FIELDS
from .store import SUPERUSER_ID


@dataclass
class Records:
    """``self`` of a method: a model, the ids it was called on, and the database."""

    store: object
    model: str
    ids: list

    @property
    def schema(self):
        """The model's live schema."""
        return self.store.schemas[self.model]


# name -> (kind, function, models or None for every model); kind is how call_kw passes ids.
METHODS: dict[str, tuple[str, object, object]] = {}


def rpc(kind: str, qualname: str, applies=None):
    """Register a method; ``qualname`` is what Python names it in TypeError messages."""

    def register(function):
        function.__qualname__ = qualname
        METHODS[function.__name__] = (kind, function, applies)
        return function

    return register


def _to_ids(ids) -> list:
    if isinstance(ids, bool) or not isinstance(ids, (int, list, tuple)):
        raise ValueError(f"Invalid record ids {ids!r}")
    ids = [ids] if isinstance(ids, int) else list(ids)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValueError(f"Invalid record ids {ids!r}")
    return ids


# The model access each RPC method needs (ir.model.access), checked before it runs.
OPERATIONS = {
    "read": "read", "search": "read", "search_read": "read", "search_count": "read",
    "name_search": "read", "read_group": "read", "exists": "read", "copy": "create",
    "create": "create", "name_create": "create", "load": "create", "write": "write",
    "action_archive": "write", "action_unarchive": "write", "unlink": "unlink",
}  # fmt: skip
_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}


def _user_groups(store) -> set:
    user = store.record("res.users", store.uid) or {}
    return set(user.get("groups_id") or [])


def _has_group(store, xmlid: str) -> bool:
    return store.uid == SUPERUSER_ID or business.xmlid_to_res_id(store, xmlid) in _user_groups(
        store
    )


def access_error(store, model: str, operation: str, by_method=True) -> AccessError | None:
    """The AccessError of an operation the user's groups do not allow, or None."""
    rule = ACCESS.get(model)
    if rule is None or store.uid == SUPERUSER_ID:
        return None
    groups, reported = rule
    if any(_has_group(store, xmlid) for xmlid, _label in groups):
        return None
    kind = reported[operation] if by_method else operation
    description = store.schemas[model].description
    listed = "\n".join(f"\t- {label}" for _xmlid, label in groups)
    return AccessError(
        f"You are not allowed to {_VERBS[kind]} '{description}' ({model}) records.\n\n"
        f"This operation is allowed for the following groups:\n{listed}\n\n"
        "Contact your administrator to request access if necessary."
    )


def check_field_groups(store, model: str, fields) -> None:
    """Refuse to read fields restricted to groups the user is not in."""
    refused = sorted(
        (fname, label)
        for fname in fields or ()
        for xmlid, label in [FIELD_GROUPS.get((model, fname), (None, None))]
        if xmlid and not _has_group(store, xmlid)
    )
    if refused:
        description = store.schemas[model].description
        listed = "\n".join(f"- {fname} (allowed for groups '{label}')" for fname, label in refused)
        raise AccessError(
            "The requested operation can not be completed due to security restrictions.\n\n"
            f"Document type: {description} ({model})\nOperation: read\nUser: {store.uid}\n"
            f"Fields:\n{listed}"
        )


def call(store, model: str, name: str, args: list, kwargs: dict):
    """Run ``model.name(*args, **kwargs)`` as Odoo's call_kw does."""
    entry = METHODS.get(name)
    applies = entry[2] if entry else None
    if (
        entry is None
        or name.startswith("_")
        or (callable(applies) and not applies(store, model))
        or (isinstance(applies, tuple) and model not in applies)
    ):
        raise AttributeError(f"The method '{model}.{name}' does not exist")
    kind, function, _ = entry
    refused = access_error(store, model, OPERATIONS[name]) if name in OPERATIONS else None
    if refused is not None:
        raise refused
    if kind == "create":
        vals = args[0] if args else kwargs.pop("vals_list", None)
        single = isinstance(vals, dict)
        ids = function(Records(store, model, []), [vals] if single else vals, *args[1:], **kwargs)
        return ids[0] if single else ids
    if kind == "model":
        return function(Records(store, model, []), *args, **kwargs)
    # Record methods take the ids as their first argument (IndexError when it is missing).
    return function(Records(store, model, _to_ids(args[0])), *args[1:], **kwargs)


# -- CRUD --------------------------------------------------------------------------------


@rpc("create", "BaseModel.create")
def create(self, vals_list):
    """Create records from one dict or a list of dicts."""
    if not isinstance(vals_list, (list, tuple)):
        raise ValueError(f"Invalid values {vals_list!r} for model {self.model!r}")
    return self.store.create(self.model, list(vals_list))


@rpc("multi", "BaseModel.write")
def write(self, vals):
    """Write the same values on the records."""
    return self.store.write(self.model, self.ids, vals)


@rpc("multi", "BaseModel.unlink")
def unlink(self):
    """Delete the records."""
    return self.store.unlink(self.model, self.ids)


@rpc("multi", "BaseModel.read")
def read(self, fields=None, load="_classic_read"):
    """Read fields of the records that still exist."""
    check_field_groups(self.store, self.model, fields)
    return self.store.read(self.model, self.ids, fields, load)


@rpc("model", "BaseModel.search")
def search(self, domain, offset=0, limit=None, order=None):
    """Ids matching a domain."""
    return self.store.search(self.model, domain, offset, limit, order)


@rpc("model", "BaseModel.search_count")
def search_count(self, domain, limit=None):
    """How many records match a domain."""
    return len(self.store.search(self.model, domain, limit=limit, order="id"))


@rpc("model", "BaseModel.search_read")
def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
    """search() then read() in one call."""
    check_field_groups(self.store, self.model, fields)
    ids = self.store.search(self.model, domain or [], offset, limit, order)
    return read(Records(self.store, self.model, ids), fields, **read_kwargs)


@rpc("model", "BaseModel.name_search")
def name_search(self, name="", args=None, operator="ilike", limit=100):
    """[id, display_name] pairs whose name matches."""
    domain = normalize(args or [])
    if name or operator not in ("ilike", "like", "=ilike", "=like"):
        extra = name_domain(self.store, self.model, operator, name)
        domain = ["&", *extra, *domain] if domain else extra
    ids = self.store.search(self.model, domain, limit=limit)
    return [[rid, self.store.name_of(self.model, rid)] for rid in ids]


@rpc("model", "BaseModel.name_create")
def name_create(self, name):
    """Create a record from its name only."""
    rec_name = self.schema.rec_name
    if not rec_name:
        raise UserError(f"Cannot execute name_create, no _rec_name defined on {self.model}")
    rid = self.store.create(self.model, [{rec_name: name}])[0]
    return [rid, self.store.name_of(self.model, rid)]


@rpc("multi", "BaseModel.copy")
def copy(self, default=None):
    """Duplicate one record; returns the new id."""
    rid = mail.ensure_one(self.model, self.ids)
    rec = self.store.record(self.model, rid)
    if rec is None:
        return False
    vals = {
        name: rec[name]
        for name, field in self.schema.fields.items()
        if name in rec and field.store and name not in MAGIC_FIELDS and field.type != "one2many"
    }
    for name, field in self.schema.fields.items():
        if field.type == "many2many" and name in vals:
            vals[name] = [[6, 0, list(vals[name])]]
    vals.pop("complete_name", None)  # recomputed from name
    label = "name" if "name" in vals else self.schema.rec_name
    if label in vals and self.schema.fields[label].type == "char" and vals[label]:
        vals[label] = f"{vals[label]} (copy)"
    vals.update(default or {})
    return self.store.create(self.model, [vals])[0]


@rpc("multi", "BaseModel.exists")
def exists(self):
    """The ids that still exist."""
    table = self.store.tables[self.model]
    return [rid for rid in self.ids if rid in table]


@rpc("multi", "BaseModel.action_archive")
def action_archive(self):
    """Set active to False."""
    active = [rid for rid in exists(self) if self.store.record(self.model, rid).get("active")]
    if active:
        self.store.write(self.model, active, {"active": False})


@rpc("multi", "BaseModel.action_unarchive")
def action_unarchive(self):
    """Set active to True."""
    inactive = [rid for rid in exists(self) if not self.store.record(self.model, rid).get("active")]
    if inactive:
        self.store.write(self.model, inactive, {"active": True})


# -- metadata and access -------------------------------------------------------------------


@rpc("model", "BaseModel.fields_get")
def fields_get(self, allfields=None, attributes=None):
    """The model's field definitions."""
    result = {}
    for name in allfields or self.schema.fields:
        field = self.schema.fields.get(name)
        if field is None:
            continue
        description = field.describe()
        if attributes:
            description = {key: description[key] for key in attributes if key in description}
        result[name] = description
    return result


@rpc("model", "BaseModel.default_get")
def default_get(self, fields_list):
    """Default values of the given fields."""
    result = {}
    defaults = DEFAULTS.get(self.model, {})
    context = self.store.context
    for name in fields_list:
        if f"default_{name}" in context:
            result[name] = context[f"default_{name}"]
        elif name == "active" and self.schema.has_active:
            result[name] = True
        elif name in defaults:
            default = defaults[name]
            if callable(default):
                if getattr(default, "creates_records", False):
                    continue
                default = default(self.store, dict(result))
            if default is not None:
                result[name] = default
    return result


@rpc("model", "BaseModel.check_access_rights")
def check_access_rights(self, operation, raise_exception=True):
    """Model access check (see ACCESS for the models some users may not touch)."""
    refused = access_error(self.store, self.model, operation, by_method=False)
    if refused is None:
        return True
    if raise_exception:
        raise refused
    return False


@rpc("multi", "BaseModel.check_access_rule")
def check_access_rule(self, operation):
    """Record rule check (no rules here)."""
    return None


@rpc("model", "BaseModel.read_group")
def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
    """Aggregates per group."""
    return grouping.read_group(self.store, self.model, domain, fields, groupby, offset, limit,
                               orderby, lazy)  # fmt: skip


@rpc("model", "BaseModel.load")
def load(self, fields, data):
    """Import rows of strings with external ids."""
    return importer.load(self.store, self.model, fields, data)


# -- model-specific ------------------------------------------------------------------------


def _is_thread(store, model: str) -> bool:
    return store.schemas[model].is_thread


@rpc("multi", "MailThread.message_post", _is_thread)
def message_post(
    self, *, body="", subject=None, message_type="notification", email_from=None,
    author_id=None, parent_id=False, subtype_xmlid=None, subtype_id=False, partner_ids=None,
    attachments=None, attachment_ids=None, body_is_html=False, **kwargs,
):  # fmt: skip
    """Post a message in the record's chatter."""
    named = {
        "subject": subject, "email_from": email_from, "author_id": author_id,
        "parent_id": parent_id, "subtype_xmlid": subtype_xmlid, "subtype_id": subtype_id,
        "partner_ids": partner_ids, "attachments": attachments, "attachment_ids": attachment_ids,
    }  # fmt: skip
    named = {key: value for key, value in named.items() if value is not None}
    return mail.message_post(
        self.store, self.model, self.ids, body=body, message_type=message_type,
        body_is_html=body_is_html, **named, **kwargs,
    )  # fmt: skip


@rpc("multi", "MailActivity.action_feedback", ("mail.activity",))
def action_feedback(self, feedback=False, attachment_ids=None):
    """Mark activities done with a feedback note."""
    return mail.activity_done(self.store, self.ids, feedback, attachment_ids)


@rpc("multi", "MailActivity.action_done", ("mail.activity",))
def action_done(self):
    """Mark activities done."""
    return mail.activity_done(self.store, self.ids)


@rpc("model", "Users.context_get", ("res.users",))
def context_get(self):
    """The calling user's context (lang, tz)."""
    user = self.store.record("res.users", self.store.uid) or {}
    partner = self.store.record("res.partner", user.get("partner_id")) or {}
    return {"lang": partner.get("lang") or "en_US", "tz": partner.get("tz") or False}


@rpc("model", "Users.has_group", ("res.users",))
def has_group(self, group_ext_id):
    """Whether the calling user belongs to a group given by external id (an api.model method
    in Odoo 17: passing ids as well fails with Python's TypeError, as on the real server)."""
    if "." not in str(group_ext_id):
        raise AssertionError(f"External ID {group_ext_id!r} must be fully qualified")
    group = business.xmlid_to_res_id(self.store, group_ext_id)
    return bool(group) and group in _user_groups(self.store)


@rpc("multi", "ResConfigSettings.execute", ("res.config.settings",))
def execute(self):
    """Apply settings: a ticked group_* box gives its group to every internal user."""
    business.apply_settings(self.store, self.ids)
    return {"type": "ir.actions.client", "tag": "reload"}


@rpc("model", "IrModelData.check_object_reference", ("ir.model.data",))
def check_object_reference(self, module, xml_id, raise_on_access_error=False):
    """[model, id] of an external id."""
    ids = self.store.indexes.lookup("ir.model.data", ("module", "name"), (module, xml_id))
    if not ids:
        raise ValueError(f"External ID not found in the system: {module}.{xml_id}")
    row = self.store.tables["ir.model.data"][min(ids)]
    return [row["model"], row["res_id"]]


@rpc("multi", "Lead.action_set_won", ("crm.lead",))
def action_set_won(self):
    """Move leads to the won stage."""
    won = business.first_id(self.store, "crm.stage", [["is_won", "=", True]], order="sequence")
    self.store.write(self.model, self.ids, {"stage_id": won, "probability": 100.0})
    return True


@rpc("multi", "Lead.action_set_lost", ("crm.lead",))
def action_set_lost(self, **additional_values):
    """Archive leads as lost."""
    self.store.write(self.model, self.ids, {"active": False, "probability": 0.0})
    if additional_values:
        self.store.write(self.model, self.ids, dict(additional_values))


@rpc("multi", "AccountMove.action_post", ("account.move",))
def action_post(self):
    """Post journal entries."""
    lines = self.store.one2many_map("account.move", "line_ids")
    for rid in self.ids:
        if not lines.get(rid):
            raise UserError("You need to add a line before posting.")
    for rid in self.ids:
        move = self.store.record(self.model, rid)
        name = move.get("name") or f"MISC/{self.store.next_sequence('account.move'):04d}"
        self.store.write(self.model, [rid], {"state": "posted", "name": name})
    return False


@rpc("multi", "SaleOrder.action_confirm", ("sale.order",))
def action_confirm(self):
    """Confirm quotations into sales orders."""
    self.store.write(self.model, self.ids, {"state": "sale"})
    return True
