"""Model methods callable over RPC, with Odoo's signatures so bad arguments fail the same way.

Each method is registered for every version, or for one (``version="19.0"``) where Odoo 19
changed it: ``res.users.has_group`` runs on the user record, ``name_search`` takes ``domain``,
``default_get`` takes ``fields``, ``copy`` and ``message_post`` return a list of ids, ``exists``
is private, ``has_access`` and ``formatted_read_group`` are new. ``call`` runs a method the way
``execute_kw``/``call_kw`` does (positional arguments, ids first); ``call_named`` the way JSON-2
does (named arguments, ``ids`` apart, the signature checked before the call).
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass

from . import business, grouping, importer, mail
from .domain import name_domain, normalize
from .errors import AccessError, NotFound, UnprocessableEntity, UserError, missing_error
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


# (name, version or None for every version) -> (kind, function, models or None for every
# model); kind is how call_kw passes ids: "model" (none), "multi" (first argument), "create".
METHODS: dict[tuple[str, str | None], tuple[str, object, object]] = {}
# Classes Odoo 19 renamed: TypeError messages name the method by its class.
RENAMED_CLASSES = {"19.0": {"Users": "ResUsers", "Lead": "CrmLead", "Module": "IrModuleModule"}}
# Methods Odoo 19 marks @api.private: refused over RPC like an underscore name.
PRIVATE = {"19.0": frozenset({"exists", "check_access"})}
# Methods decorated @api.deprecated: each call logs a DeprecationWarning on the server.
DEPRECATED = {
    "19.0": {
        "read_group": "Since 19.0, read_group is deprecated. Please use _read_group in the"
        " backend code or formatted_read_group for a complete formatted result",
        "check_access_rights": "check_access_rights() is deprecated since 18.0;"
        " use check_access() instead.",
        "check_access_rule": "check_access_rule() is deprecated since 18.0;"
        " use check_access() instead.",
    }
}


def _renamed(function, qualname: str):
    """A copy of ``function`` that Python names ``qualname`` in its TypeErrors."""
    clone = types.FunctionType(
        function.__code__, function.__globals__, function.__name__, function.__defaults__,
        function.__closure__,
    )  # fmt: skip
    clone.__kwdefaults__ = function.__kwdefaults__
    clone.__qualname__ = qualname
    return clone


def rpc(kind: str, qualname: str, applies=None, *, version: str | None = None):
    """Register a method; ``qualname`` is what Python names it in TypeError messages, and a
    function named ``<method>_<series>`` (e.g. ``has_group_19``) is that method on one version."""

    def register(function):
        name = function.__name__.removesuffix(f"_{version.split('.')[0]}") if version else None
        function.__qualname__ = qualname
        METHODS[(name or function.__name__, version)] = (kind, function, applies)
        owner, _, method = qualname.partition(".")
        for series, renames in RENAMED_CLASSES.items():
            if version is None and owner in renames:
                clone = _renamed(function, f"{renames[owner]}.{method}")
                METHODS.setdefault((function.__name__, series), (kind, clone, applies))
        return function

    return register


def deprecation(version: str, name: str) -> str | None:
    """The DeprecationWarning a call of ``name`` logs on ``version``, if any."""
    return DEPRECATED.get(version, {}).get(name)


def lookup(store, model: str, name: str) -> tuple[str, object]:
    """(kind, function) of a public method of ``model``, or the error Odoo raises.

    An unknown method is an AttributeError; a private one (underscore, or @api.private on 19) is
    an AttributeError on Odoo 17 (sample 48) and an AccessError on Odoo 19 (sample 10 of 19).
    """
    version = store.version
    if name.startswith("_") or name in PRIVATE.get(version, ()):
        if version != "17.0":
            raise AccessError(
                f"Private methods (such as '{model}.{name}') cannot be called remotely."
            )
        raise AttributeError(f"The method '{model}.{name}' does not exist")
    entry = METHODS.get((name, version)) or METHODS.get((name, None))
    applies = entry[2] if entry else None
    if (
        entry is None
        or (callable(applies) and not applies(store, model))
        or (isinstance(applies, tuple) and model not in applies)
    ):
        raise AttributeError(f"The method '{model}.{name}' does not exist")
    return entry[0], entry[1]


def _to_ids(ids, version: str = "17.0") -> list:
    if isinstance(ids, str) and version != "17.0":
        # browse() takes any iterable: a string is a recordset of its characters, and the
        # method then fails on its own arguments (has_group's TypeError of issue 10).
        return list(ids)
    if isinstance(ids, bool) or not isinstance(ids, (int, list, tuple)):
        raise ValueError(f"Invalid record ids {ids!r}")
    ids = [ids] if isinstance(ids, int) else list(ids)
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValueError(f"Invalid record ids {ids!r}")
    return ids


# The model access each RPC method needs (ir.model.access), checked before it runs.
OPERATIONS = {
    "read": "read", "search": "read", "search_read": "read", "search_count": "read",
    "name_search": "read", "read_group": "read", "formatted_read_group": "read",
    "exists": "read", "copy": "create", "create": "create", "name_create": "create",
    "load": "create", "write": "write", "action_archive": "write", "action_unarchive": "write",
    "unlink": "unlink",
}  # fmt: skip
_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}


def _user_groups(store, uid: int | None = None) -> set:
    user = store.record("res.users", store.uid if uid is None else uid) or {}
    return set(user.get(store.groups_field) or [])


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


def _check_access(store, model: str, name: str) -> None:
    refused = access_error(store, model, OPERATIONS[name]) if name in OPERATIONS else None
    if refused is not None:
        raise refused


def call(store, model: str, name: str, args: list, kwargs: dict):
    """Run ``model.name(*args, **kwargs)`` as Odoo's call_kw does (JSON-RPC, XML-RPC)."""
    kind, function = lookup(store, model, name)
    _check_access(store, model, name)
    if kind == "create":
        vals = args[0] if args else kwargs.pop("vals_list", None)
        single = isinstance(vals, dict)
        ids = function(Records(store, model, []), [vals] if single else vals, *args[1:], **kwargs)
        return ids[0] if single else ids
    if kind == "model":
        return function(Records(store, model, []), *args, **kwargs)
    # Record methods take the ids as their first argument (IndexError when it is missing).
    ids = _to_ids(args[0], store.version)
    return function(Records(store, model, ids), *args[1:], **kwargs)


def call_named(store, model: str, name: str, ids, kwargs: dict):
    """Run ``model.browse(ids).name(**kwargs)`` as Odoo 19's JSON-2 route does.

    An unknown method is NotFound; ids given to a model method, or arguments the signature does
    not take, are UnprocessableEntity (checked before the method runs, addons/rpc/json2.py); a
    create returns the list of new ids whether it got one dict or a list.
    """
    try:
        kind, function = lookup(store, model, name)
    except AttributeError as exc:
        raise NotFound(exc.args[0]) from None
    if kind != "multi" and ids:
        raise UnprocessableEntity(f"cannot call {model}.{name} with ids")
    records = Records(store, model, _to_ids(ids or [], store.version))
    try:
        inspect.signature(function).bind(records, **kwargs)
    except TypeError as exc:
        raise UnprocessableEntity(exc.args[0]) from None
    _check_access(store, model, name)
    if kind == "create":
        vals = kwargs["vals_list"]
        return function(records, [vals] if isinstance(vals, dict) else vals)
    return function(records, **kwargs)


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


def _read_format(self, fnames, load="_classic_read"):
    """What search_read hands its extra keyword arguments to on Odoo 19 (sample 15 of 19)."""
    return self.store.read(self.model, self.ids, fnames, load)


_read_format.__qualname__ = "BaseModel._read_format"


@rpc("model", "BaseModel.search_read")
def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
    """search() then read() in one call."""
    check_field_groups(self.store, self.model, fields)
    ids = self.store.search(self.model, domain or [], offset, limit, order)
    found = Records(self.store, self.model, ids)
    if self.store.version == "17.0":
        return read(found, fields, **read_kwargs)
    return _read_format(found, fields, **read_kwargs)


def _name_search(self, name, domain, operator, limit) -> list:
    domain = normalize(domain or [])
    if name or operator not in ("ilike", "like", "=ilike", "=like"):
        extra = name_domain(self.store, self.model, operator, name)
        domain = ["&", *extra, *domain] if domain else extra
    ids = self.store.search(self.model, domain, limit=limit)
    return [[rid, self.store.name_of(self.model, rid)] for rid in ids]


@rpc("model", "BaseModel.name_search", version="17.0")
def name_search(self, name="", args=None, operator="ilike", limit=100):
    """[id, display_name] pairs whose name matches."""
    return _name_search(self, name, args, operator, limit)


@rpc("model", "BaseModel.name_search", version="19.0")
def name_search_19(self, name="", domain=None, operator="ilike", limit=100):
    """Odoo 19 calls the extra domain ``domain`` (``args`` on 17)."""
    return _name_search(self, name, domain, operator, limit)


@rpc("model", "BaseModel.name_create")
def name_create(self, name):
    """Create a record from its name only."""
    # A partner shows its complete_name but its _rec_name is name (res.partner.name_create).
    rec_name = "name" if self.model == "res.partner" else self.schema.rec_name
    if not rec_name:
        raise UserError(f"Cannot execute name_create, no _rec_name defined on {self.model}")
    rid = self.store.create(self.model, [{rec_name: name}])[0]
    return [rid, self.store.name_of(self.model, rid)]


@rpc("multi", "BaseModel.copy", version="17.0")
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


@rpc("multi", "BaseModel.copy", version="19.0")
def copy_19(self, default=None):
    """Odoo 19 returns the new record, which RPC sends as a list of ids."""
    new = copy(self, default)
    return [new] if new else []


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


@rpc("model", "BaseModel.default_get", version="17.0")
def default_get(self, fields_list):
    """Default values of the given fields."""
    return _default_get(self, fields_list)


@rpc("model", "BaseModel.default_get", version="19.0")
def default_get_19(self, fields):
    """Odoo 19 names the argument ``fields`` (``fields_list`` on 17)."""
    return _default_get(self, fields)


def _default_get(self, fields_list) -> dict:
    result = {}
    defaults = DEFAULTS.get(self.model, {})
    context = self.store.context
    for name in fields_list:
        if f"default_{name}" in context:
            result[name] = context[f"default_{name}"]
        elif name == "active" and self.schema.has_active:
            result[name] = True
        elif name in defaults and name in self.schema.fields:
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


@rpc("multi", "BaseModel.has_access", version="19.0")
def has_access_19(self, operation):
    """Whether the user may ``operation`` the records (the model when there are none)."""
    return access_error(self.store, self.model, operation, by_method=False) is None


@rpc("multi", "BaseModel.check_access_rule")
def check_access_rule(self, operation):
    """Record rule check (no rules here)."""
    return None


@rpc("model", "BaseModel.read_group")
def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
    """Aggregates per group."""
    return grouping.read_group(self.store, self.model, domain, fields, groupby, offset, limit,
                               orderby, lazy)  # fmt: skip


@rpc("model", "BaseModel.formatted_read_group", version="19.0")
def formatted_read_group_19(
    self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
):
    """Odoo 19's read_group for clients: groupby values, aggregates and __extra_domain."""
    return grouping.formatted_read_group(
        self.store, self.model, domain, groupby, aggregates, having, offset, limit, order
    )


@rpc("model", "BaseModel.load")
def load(self, fields, data):
    """Import rows of strings with external ids."""
    return importer.load(self.store, self.model, fields, data)


# -- model-specific ------------------------------------------------------------------------


def _is_thread(store, model: str) -> bool:
    return store.schemas[model].is_thread


@rpc("multi", "MailThread.message_post", _is_thread, version="17.0")
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


@rpc("multi", "MailThread.message_post", _is_thread, version="19.0")
def message_post_19(
    self, *, body="", subject=None, message_type="notification", email_from=None,
    author_id=None, parent_id=False, subtype_xmlid=None, subtype_id=False, partner_ids=None,
    outgoing_email_to=False, incoming_email_to=False, incoming_email_cc=False,
    attachments=None, attachment_ids=None, body_is_html=False, **kwargs,
):  # fmt: skip
    """Odoo 19's message_post: three more named arguments, and the new message comes back as a
    record, which RPC sends as a list of one id (Odoo 17 sent the id)."""
    extra = {
        "outgoing_email_to": outgoing_email_to, "incoming_email_to": incoming_email_to,
        "incoming_email_cc": incoming_email_cc,
    }  # fmt: skip
    posted = message_post(
        self, body=body, subject=subject, message_type=message_type, email_from=email_from,
        author_id=author_id, parent_id=parent_id, subtype_xmlid=subtype_xmlid,
        subtype_id=subtype_id, partner_ids=partner_ids, attachments=attachments,
        attachment_ids=attachment_ids, body_is_html=body_is_html,
        **{key: value for key, value in extra.items() if value}, **kwargs,
    )  # fmt: skip
    return [posted]


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


@rpc("model", "Users.has_group", ("res.users",), version="17.0")
def has_group(self, group_ext_id):
    """Whether the calling user belongs to a group given by external id (an api.model method
    in Odoo 17: passing ids as well fails with Python's TypeError, as on the real server)."""
    if "." not in str(group_ext_id):
        raise AssertionError(f"External ID {group_ext_id!r} must be fully qualified")
    group = business.xmlid_to_res_id(self.store, group_ext_id)
    return bool(group) and group in _user_groups(self.store)


@rpc("multi", "ResUsers.has_group", ("res.users",), version="19.0")
def has_group_19(self, group_ext_id):
    """Whether the user record belongs to a group given by external id: a method on one user
    in Odoo 19, so the 17 call ``has_group('base.group_x')`` fails with TypeError (issue 10)."""
    user = mail.ensure_one(self.model, self.ids)
    store = self.store
    if user not in store.tables["res.users"]:
        raise missing_error("res.users", [user], store.uid)
    if not (store.uid in (SUPERUSER_ID, user) or _has_group(store, "base.group_user")):
        # sic: Odoo's own wording.
        raise AccessError("You can ony call user.has_group() with your current user.")
    group = business.xmlid_to_res_id(store, str(group_ext_id))
    return bool(group) and group in _user_groups(store, user)


@rpc("multi", "ResUsers.has_groups", ("res.users",), version="19.0")
def has_groups_19(self, group_spec):
    """has_group over a comma-separated spec; a group preceded by ``!`` must be absent."""
    if group_spec == ".":
        return False
    wanted = [part.strip() for part in group_spec.split(",")]
    negatives = [part[1:] for part in wanted if part.startswith("!")]
    positives = [part for part in wanted if not part.startswith("!")]
    if any(has_group_19(self, ext_id) for ext_id in negatives):
        return False
    return any(has_group_19(self, ext_id) for ext_id in positives) or not positives


@rpc("multi", "ResConfigSettings.execute", ("res.config.settings",))
def execute(self):
    """Apply settings: a ticked group_* box gives its group to every internal user."""
    business.apply_settings(self.store, self.ids)
    return {"type": "ir.actions.client", "tag": "reload"}


@rpc("multi", "Module.button_immediate_install", ("ir.module.module",))
def button_immediate_install(self):
    """Install modules now: they and the modules they depend on are marked installed. (The
    models of a module installed at run time do not appear: the test server's models are fixed
    when its database is made.)"""
    business.install_modules(self.store, self.ids)
    # Odoo then reloads the web client on its first root menu; the test server has no menus.
    return {"type": "ir.actions.client", "tag": "reload", "params": {"menu_id": False}}


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
