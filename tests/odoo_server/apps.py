"""Rules of the installed apps: CRM, UTM, sales, products, HR, accounting, projects, surveys."""

from __future__ import annotations

import uuid

from .business import company_currency, first_id, new_stub, today, uid, when_exists
from .hooks import AFTER_CREATE, AFTER_WRITE, PREPARE_CREATE, defaults, display_name, on

# -- CRM -----------------------------------------------------------------------------------

defaults(
    "crm.lead",
    type="opportunity",
    priority="0",
    user_id=uid,
    team_id=when_exists("crm.team", 1),
    company_id=1,
    stage_id=lambda store, vals: _first_open_stage(store),
)


def _first_open_stage(store) -> int | None:
    # Called for every new lead: a direct scan of the few stages beats a full search.
    stages = [s for s in store.tables["crm.stage"].values() if not s.get("fold")]
    stages.sort(key=lambda s: (s.get("sequence") or 0, s.get("name") or "", s["id"]))
    return stages[0]["id"] if stages else None


defaults("crm.stage", sequence=1, is_won=False, fold=False)
defaults(
    "crm.team",
    sequence=10,
    use_opportunities=True,
    company_id=1,
    alias_id=new_stub("mail.alias"),
)


def _refresh_lead(store, rid: int, vals) -> None:
    rec = store.tables["crm.lead"][rid]
    values = {}
    stage = store.tables["crm.stage"].get(rec.get("stage_id"))
    if "stage_id" in vals and stage and stage.get("is_won"):
        values.update(probability=100.0, date_closed=store.now)
    partner = store.tables["res.partner"].get(rec.get("partner_id"))
    if "partner_id" in vals and partner:
        # The lead takes the contact's email and phone when it has none of its own.
        for own, theirs in (("email_from", "email"), ("phone", "phone")):
            if not rec.get(own) and partner.get(theirs):
                values[own] = partner[theirs]
    if values:
        store.set_values("crm.lead", rid, values)


@on(AFTER_CREATE, "crm.lead")
def _lead_created(store, rid, vals, model):
    _refresh_lead(store, rid, {"stage_id", "partner_id"})


@on(AFTER_WRITE, "crm.lead")
def _lead_written(store, ids, vals, model):
    if {"stage_id", "partner_id"} & vals.keys():
        for rid in ids:
            _refresh_lead(store, rid, vals)


defaults(
    "mail.activity.type",
    chaining_type="suggest",
    delay_from="previous_activity",
    delay_unit="days",
    delay_count=0,
    category="default",
    sequence=10,
    keep_done=False,
)

# -- UTM: names are made unique with a " [n]" suffix instead of being refused ---------------


@on(PREPARE_CREATE, "utm.source", "utm.medium", "utm.campaign")
def _unique_utm_name(store, vals, model):
    if model == "utm.campaign":
        if vals.get("name") and not vals.get("title"):
            vals["title"] = vals["name"]
        vals.setdefault("name", vals.get("title"))
    name = vals.get("name")
    if name and store.indexes.lookup(model, ("name",), (name,)):
        counter = 2
        while store.indexes.lookup(model, ("name",), (f"{name} [{counter}]",)):
            counter += 1
        vals["name"] = f"{name} [{counter}]"


defaults(
    "utm.campaign",
    user_id=uid,
    stage_id=lambda store, vals: first_id(store, "utm.stage", [], order="sequence"),
)

# -- sales and products --------------------------------------------------------------------

defaults(
    "sale.order",
    state="draft",
    date_order=lambda store, vals: store.now,
    company_id=1,
    user_id=uid,
    team_id=when_exists("crm.team", 1),
    currency_id=lambda store, vals: company_currency(store),
)
defaults(
    "sale.order.line",
    product_uom_qty=1.0,
    customer_lead=0.0,
    discount=0.0,
    sequence=10,
)


@on(PREPARE_CREATE, "sale.order")
def _order_name(store, vals, model):
    if not vals.get("name") or vals["name"] == "New":
        vals["name"] = f"S{store.next_sequence('sale.order'):05d}"
    for address in ("partner_invoice_id", "partner_shipping_id"):
        vals.setdefault(address, vals.get("partner_id"))


@on(PREPARE_CREATE, "sale.order.line")
def _line_from_product(store, vals, model):
    product = store.tables["product.product"].get(vals.get("product_id"))
    if product:
        template = store.tables["product.template"].get(product.get("product_tmpl_id"), {})
        vals.setdefault("name", store.name_of("product.product", product["id"]))
        vals.setdefault("price_unit", template.get("list_price") or 0.0)
        vals.setdefault("product_uom", template.get("uom_id"))
    vals.setdefault("price_unit", 0.0)


def _refresh_order_totals(store, line_ids) -> None:
    lines = store.tables["sale.order.line"]
    orders = set()
    for rid in line_ids:
        line = lines.get(rid)
        if line is None:
            continue
        subtotal = (line.get("product_uom_qty") or 0.0) * (line.get("price_unit") or 0.0)
        subtotal *= 1 - (line.get("discount") or 0.0) / 100
        store.set_values(
            "sale.order.line", rid, {"price_subtotal": subtotal, "price_total": subtotal}
        )
        orders.add(line.get("order_id"))
    for order_id in orders - {None}:
        total = sum(
            line.get("price_subtotal") or 0.0
            for line in lines.values()
            if line.get("order_id") == order_id
        )
        store.set_values(
            "sale.order",
            order_id,
            {"amount_untaxed": total, "amount_tax": 0.0, "amount_total": total},
        )


@on(AFTER_CREATE, "sale.order.line")
def _line_created(store, rid, vals, model):
    _refresh_order_totals(store, [rid])


@on(AFTER_WRITE, "sale.order.line")
def _line_written(store, ids, vals, model):
    _refresh_order_totals(store, ids)


defaults(
    "product.template",
    detailed_type="consu",
    categ_id=when_exists("product.category", 1),
    uom_id=when_exists("uom.uom", 1),
    uom_po_id=when_exists("uom.uom", 1),
    sale_line_warn="no-message",
    sale_ok=True,
    purchase_ok=True,
    list_price=1.0,
)


@on(AFTER_CREATE, "product.template")
def _template_variant(store, rid, vals, model):
    if store.context.get("create_product_product", True):
        store.create("product.product", [{"product_tmpl_id": rid}])


@display_name("product.product")
def _product_display_name(store, rec):
    template = store.tables["product.template"].get(rec.get("product_tmpl_id"), {})
    name = template.get("name") or ""
    return f"[{rec['default_code']}] {name}" if rec.get("default_code") else name


# -- HR, accounting, projects, surveys -----------------------------------------------------


def _user_employee(store, vals):
    return first_id(store, "hr.employee", [["user_id", "=", store.uid]])


defaults(
    "hr.employee",
    company_id=1,
    employee_type="employee",
    resource_id=new_stub("resource.resource"),
)
defaults(
    "hr.expense",
    company_id=1,
    currency_id=lambda store, vals: company_currency(store),
    quantity=1.0,
    price_unit=0.0,
    date=lambda store, vals: today(store),
    payment_mode="own_account",
    state="draft",
    employee_id=_user_employee,
)
defaults("hr.expense.sheet", state="draft", company_id=1, employee_id=_user_employee)
defaults(
    "account.journal",
    invoice_reference_model="odoo",
    invoice_reference_type="invoice",
    company_id=1,
    sequence=10,
)
defaults("account.account", company_id=1)


def _default_journal(store, vals):
    move_type = vals.get("move_type") or "entry"
    kind = "sale" if move_type.startswith("out_") else "general"
    kind = "purchase" if move_type.startswith("in_") else kind
    return first_id(store, "account.journal", [["type", "=", kind]], order="sequence, id")


defaults(
    "account.move",
    move_type="entry",
    state="draft",
    auto_post="no",
    date=lambda store, vals: today(store),
    currency_id=lambda store, vals: company_currency(store),
    company_id=1,
    journal_id=_default_journal,
)
defaults(
    "account.move.line",
    display_type="product",
    currency_id=lambda store, vals: company_currency(store),
)
defaults(
    "project.project",
    privacy_visibility="portal",
    last_update_status="to_define",
    rating_status="stage",
    rating_status_period="monthly",
    alias_id=new_stub("mail.alias"),
    sequence=10,
)
defaults("project.task", state="01_in_progress", priority="0", sequence=10)


def _stage_owner(store, vals):
    # Odoo 17: a stage made outside a project is a personal (to-do) stage of the user.
    return None if store.context.get("default_project_id") else store.uid


defaults("project.task.type", sequence=1, user_id=_stage_owner)


def _release_stages(store, stage_ids) -> None:
    # user_id is computed from project_ids: a stage used by a project belongs to nobody.
    for rid in stage_ids:
        if (store.tables["project.task.type"].get(rid) or {}).get("user_id"):
            store.set_values("project.task.type", rid, {"user_id": None})


@on(AFTER_CREATE, "project.task.type", "project.project")
def _stages_linked_on_create(store, rid, vals, model):
    _stages_linked(store, [rid], vals, model)


@on(AFTER_WRITE, "project.task.type", "project.project")
def _stages_linked(store, ids, vals, model):
    link = "project_ids" if model == "project.task.type" else "type_ids"
    if link not in vals:
        return
    for rid in ids:
        linked = store.tables[model][rid].get(link) or []
        if model == "project.task.type":
            _release_stages(store, [rid] if linked else [])
        else:
            _release_stages(store, linked)


defaults(
    "survey.survey",
    access_mode="public",
    questions_layout="page_per_question",
    questions_selection="all",
    scoring_type="no_scoring",
    survey_type="custom",
    user_id=uid,
    access_token=lambda store, vals: str(uuid.uuid4()),
)
defaults(
    "survey.user_input",
    access_token=lambda store, vals: str(uuid.uuid4()),
    state="new",
)
