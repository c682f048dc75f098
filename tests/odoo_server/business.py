"""Base rules: helpers, delegated fields, partners, users, companies, technical models."""

from __future__ import annotations

from .errors import SqlCheckViolation, UserError, ValidationError
from .hooks import (
    AFTER_CREATE,
    AFTER_WRITE,
    BEFORE_UNLINK,
    PREPARE_CREATE,
    PREPARE_WRITE,
    PY_CHECKS,
    SQL_CHECKS,
    computed,
    defaults,
    display_name,
    on,
)
from .sanitize import field_sanitize
from .schema import MAGIC_FIELDS, MODULE_DEPENDS, VERSIONS, captured_fields


def today(store) -> str:
    """The transaction's date."""
    return store.now[:10]


def xmlid_to_res_id(store, xmlid: str) -> int | None:
    """The record id behind ``module.name``, or None."""
    module, _, name = xmlid.partition(".")
    ids = store.indexes.lookup("ir.model.data", ("module", "name"), (module, name))
    return store.tables["ir.model.data"][min(ids)]["res_id"] if ids else None


def company_currency(store) -> int | None:
    """The main company's currency id."""
    company = store.record("res.company", 1)
    return company.get("currency_id") if company else None


def first_id(store, model: str, domain, order=None) -> int | None:
    """The first id a search returns, or None."""
    ids = store.search(model, domain, limit=1, order=order)
    return ids[0] if ids else None


def uid(store, vals) -> int:
    """Default: the calling user."""
    return store.uid


def when_exists(model: str, rid: int):
    """Default: a fixed record id, if that record exists."""
    return lambda store, vals: rid if rid in store.tables[model] else None


def new_stub(model: str):
    """Default: a new record of a stub model (what _inherits or a mixin would create)."""

    # Records Odoo creates through _inherits/mixins (mail aliases, resources) are stubs here.
    def create_stub(store, vals):
        return store.create(model, [{"name": vals.get("name")}])[0]

    create_stub.creates_records = True  # default_get must not run it
    return create_stub


@on(PREPARE_WRITE, "*")
def _html_sanitized_twice(store, ids, vals, model):
    # write() sanitizes an html value into the cache, then again into the column; create()
    # only once, so "<div>x</div>" is stored as "x" by create and as "<p>x</p>" by write.
    fields = store.schemas[model].fields
    for fname, value in vals.items():
        field = fields.get(fname)
        if field is not None and field.type == "html" and isinstance(value, str) and value:
            vals[fname] = field_sanitize(model, fname, value)


# -- delegation: res.users -> res.partner, res.company -> res.partner, product -> template --

DELEGATES = {
    "res.users": ("partner_id", "res.partner"),
    "res.company": ("partner_id", "res.partner"),
    "product.product": ("product_tmpl_id", "product.template"),
}


def _delegated_fields(version: str, model: str, target: str) -> frozenset:
    fields, target_fields = captured_fields(version)[model], captured_fields(version)[target]
    return frozenset(
        name
        for name, f in fields.items()
        if not f.store
        and name not in MAGIC_FIELDS
        and name in target_fields
        and target_fields[name].store
        and target_fields[name].type == f.type
    )


# version -> model -> the fields it reads and writes on its delegate. (No field is delegated on
# one version and stored on the other, so the getters below serve both.)
DELEGATED = {
    version: {model: _delegated_fields(version, model, target) for model, (_l, target) in
              DELEGATES.items()}
    for version in VERSIONS
}  # fmt: skip


def _delegate_getter(link: str, target: str, fname: str):
    def get(store, rec):
        parent = store.tables[target].get(rec.get(link))
        return parent.get(fname) if parent else None

    return get


for _model, (_link, _target) in DELEGATES.items():
    for _fname in set().union(*(DELEGATED[version][_model] for version in VERSIONS)):
        computed(_model, _fname)(_delegate_getter(_link, _target, _fname))


def _split_delegated(store, model: str, vals: dict) -> dict:
    delegated = DELEGATED[store.version][model]
    return {name: vals.pop(name) for name in list(vals) if name in delegated}


@on(PREPARE_CREATE, *DELEGATES)
def _create_delegated(store, vals, model):
    link, target = DELEGATES[model]
    parent_vals = _split_delegated(store, model, vals)
    if vals.get(link):
        if parent_vals:
            store.write(target, [vals[link]], parent_vals)
        return
    if model == "res.company":
        parent_vals.update(is_company=True, name=vals.get("name"))
    if model == "res.users":
        parent_vals.setdefault("company_id", vals.get("company_id"))
    saved = store.context
    # A template made for a new variant must not make a variant of its own.
    store.context = {**saved, "create_product_product": False}
    try:
        vals[link] = store.create(target, [parent_vals])[0]
    finally:
        store.context = saved


@on(PREPARE_WRITE, *DELEGATES)
def _write_delegated(store, ids, vals, model):
    link, target = DELEGATES[model]
    parent_vals = _split_delegated(store, model, vals)
    if parent_vals:
        parents = {store.tables[model][rid].get(link) for rid in ids} - {None}
        store.write(target, sorted(parents), parent_vals)


# -- res.partner ---------------------------------------------------------------------------

defaults(
    "res.partner",
    type="contact",
    is_company=False,
    color=0,
    customer_rank=0,
    supplier_rank=0,
    # Odoo's default is env.lang: the context language, or nothing.
    lang=lambda store, vals: (
        store.context.get("lang") if store.context.get("lang") in ("en_US", "zh_TW") else None
    ),
)
_ADDRESS_TYPES = {"invoice": "Invoice Address", "delivery": "Delivery Address", "other": "Other"}


def _commercial(store, rid: int) -> dict | None:
    table = store.tables["res.partner"]
    rec, hops = table.get(rid), 0
    while rec and not rec.get("is_company") and rec.get("parent_id") and hops < 64:
        rec, hops = table.get(rec["parent_id"]), hops + 1
    return rec


def _refresh_partner(store, rid: int) -> None:
    table = store.tables["res.partner"]
    rec = table[rid]
    name = rec.get("name") or ""
    parent = table.get(rec.get("parent_id"))
    if parent and not rec.get("is_company"):
        name = name or _ADDRESS_TYPES.get(rec.get("type"), "")
        commercial = _commercial(store, parent["id"]) or parent
        company = commercial.get("name") if commercial.get("is_company") else parent.get("name")
        name = f"{company or parent.get('name')}, {name}"
    commercial = _commercial(store, rid) or rec
    store.set_values(
        "res.partner",
        rid,
        {"complete_name": name.strip(), "commercial_partner_id": commercial["id"]},
    )


@on(AFTER_CREATE, "res.partner")
def _partner_created(store, rid, vals, model):
    _refresh_partner(store, rid)


@on(AFTER_WRITE, "res.partner")
def _partner_written(store, ids, vals, model):
    if not {"name", "parent_id", "is_company", "type"} & vals.keys():
        return
    todo, seen = list(ids), set()
    while todo:
        rid = todo.pop(0)
        if rid not in seen:
            seen.add(rid)
            _refresh_partner(store, rid)
            todo.extend(sorted(store.indexes.lookup("res.partner", ("parent_id",), (rid,))))


@computed("res.partner", "company_type")
def _company_type(store, rec):
    return "company" if rec.get("is_company") else "person"


def _company_type_to_flag(vals: dict) -> None:
    # company_type is computed from is_company, and writing it writes is_company (its inverse).
    if "company_type" in vals:
        value = vals.pop("company_type")
        if value not in ("person", "company"):
            raise ValueError(f"Wrong value for res.partner.company_type: {value!r}")
        vals["is_company"] = value == "company"


@on(PREPARE_CREATE, "res.partner")
def _partner_company_type_create(store, vals, model):
    _company_type_to_flag(vals)


@on(PREPARE_WRITE, "res.partner")
def _partner_company_type_write(store, ids, vals, model):
    _company_type_to_flag(vals)


@on(SQL_CHECKS, "res.partner")
def _partner_needs_name(store, rec, model):
    if rec.get("type") == "contact" and rec.get("name") is None:
        raise SqlCheckViolation("Contacts require a name")


@on(PY_CHECKS, "res.partner")
def _partner_not_recursive(store, ids, model):
    table = store.tables["res.partner"]
    for rid in ids:
        seen, rec = {rid}, table.get(rid)
        while rec and rec.get("parent_id"):
            if rec["parent_id"] in seen:
                raise ValidationError("You cannot create recursive Partner hierarchies.")
            seen.add(rec["parent_id"])
            rec = table.get(rec["parent_id"])


@display_name("res.partner")
def _partner_display_name(store, rec):
    return rec.get("complete_name") or rec.get("name") or ""


# -- res.users and res.company -------------------------------------------------------------

defaults(
    "res.users",
    company_id=1,
    company_ids=lambda store, vals: [[6, 0, [vals.get("company_id") or 1]]],
    notification_type="email",
    share=False,
)


@on(PREPARE_CREATE, "res.users")
def _user_password(store, vals, model):
    password = vals.pop("password", None) or vals.pop("new_password", None)
    if password and vals.get("login"):
        store.set_password(vals["login"], password)


@on(PREPARE_WRITE, "res.users")
def _user_password_change(store, ids, vals, model):
    password = vals.pop("password", None) or vals.pop("new_password", None)
    for rid in ids:
        old_login = store.tables["res.users"][rid].get("login")
        login = vals.get("login") or old_login
        password = password or store.passwords.get(old_login)
        if password:
            store.set_password(login, password)


@on(BEFORE_UNLINK, "res.users")
def _keep_admin(store, ids, model):
    if {1, 2} & set(ids):
        raise UserError(
            "You can not remove the admin user as it is used internally for resources"
            " created by Odoo (updates, module installation, ...)"
        )


@display_name("res.users", "res.company")
def _via_partner_name(store, rec):
    partner = store.tables["res.partner"].get(rec.get("partner_id"))
    return (partner.get("name") if partner else None) or rec.get("name") or ""


defaults(
    "res.company",
    currency_id=lambda store, vals: company_currency(store) or 1,
    fiscalyear_last_day=31,
    fiscalyear_last_month="12",
    layout_background="Blank",
    account_opening_date=lambda store, vals: today(store)[:4] + "-01-01",
)
defaults("res.company", account_price_include="tax_excluded")  # required on Odoo 19
defaults("res.partner", autopost_bills="ask")  # required on Odoo 19
defaults("res.currency", rounding=0.01, decimal_places=2, position="after")

# -- settings ------------------------------------------------------------------------------

# res.config.settings group_* fields and their implied_group (fields_get does not show it); the
# group they are implied by is base.group_user, so ticking one gives it to every internal user.
SETTING_GROUPS = {
    "group_analytic_accounting": "analytic.group_analytic_accounting",
    "group_use_lead": "crm.group_use_lead",
    "group_multi_currency": "base.group_multi_currency",
}
defaults("res.config.settings", company_id=when_exists("res.company", 1))


def apply_settings(store, ids) -> None:
    """res.config.settings.execute for the group_* fields a record sets (True or False)."""
    employee = xmlid_to_res_id(store, "base.group_user")
    groups_field = store.groups_field
    users = [
        rid
        for rid, rec in store.tables["res.users"].items()
        if employee in (rec.get(groups_field) or [])
    ]
    for rid in ids:
        settings = store.tables["res.config.settings"][rid]
        for fname, xmlid in SETTING_GROUPS.items():
            group = xmlid_to_res_id(store, xmlid)
            if group is None or settings.get(fname) is None:
                continue
            for uid_ in users:
                current = list(store.tables["res.users"][uid_].get(groups_field) or [])
                if settings[fname] and group not in current:
                    store.set_values("res.users", uid_, {groups_field: [*current, group]})
                elif not settings[fname] and group in current:
                    kept = [g for g in current if g != group]
                    store.set_values("res.users", uid_, {groups_field: kept})


def install_modules(store, ids) -> None:
    """ir.module.module.button_immediate_install: the modules and their dependencies."""
    table = store.tables["ir.module.module"]
    names = {table[rid]["name"] for rid in ids if rid in table}
    todo, wanted = list(names), set()
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(MODULE_DEPENDS.get(name, ()))
    for rid, rec in table.items():
        if rec.get("name") in wanted and rec.get("state") != "installed":
            store.write("ir.module.module", [rid], {"state": "installed"})


# -- technical models ----------------------------------------------------------------------

defaults("ir.model.data", noupdate=False)
computed("ir.model.data", "complete_name")(lambda store, rec: f"{rec['module']}.{rec['name']}")
computed("ir.model.data", "reference")(lambda store, rec: f"{rec['model']},{rec.get('res_id')}")
computed("res.groups", "full_name")(lambda store, rec: rec.get("name"))
computed("ir.model", "modules")(lambda store, rec: "base" if rec.get("state") == "base" else "")
