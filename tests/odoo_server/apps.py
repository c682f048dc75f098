"""Rules of the installed apps: CRM, UTM, sales, products, HR, accounting, projects, surveys."""

from __future__ import annotations

import itertools
import re
import uuid

from .business import company_currency, first_id, new_stub, today, uid, when_exists
from .errors import UserError
from .hooks import (
    AFTER_CREATE,
    AFTER_WRITE,
    PREPARE_CREATE,
    PREPARE_WRITE,
    computed,
    defaults,
    display_name,
    on,
)

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

_COUNTED = re.compile(r"(.*)\s+\[([0-9]+)\]")


def _split_counter(name) -> tuple[str, int]:
    match = _COUNTED.match(name or "")
    return (match.group(1), int(match.group(2) or "1")) if match else (name or "", 1)


def unique_names(store, model: str, names: list, skip_ids=()) -> list:
    """utm.mixin._get_unique_names: each name, or "name [n]" with the first free n."""
    bases = {_split_counter(name)[0] for name in names}
    domain = []
    for base in bases:
        domain = ["|", *domain, ["name", "ilike", base]] if domain else [["name", "ilike", base]]
    if skip_ids:
        domain = ["&", ["id", "not in", list(skip_ids)], *domain]
    table = store.tables[model]
    existing = {table[rid]["name"] for rid in store.search(model, domain)}
    used = {
        base: {
            _split_counter(name)[1]
            for name in existing
            if name == base or name.startswith(f"{base} [")
        }
        for base in bases
    }
    counters = {base: itertools.count(1) for base in bases}
    result = []
    for name in names:
        if not name:
            result.append(False)
            continue
        base, asked = _split_counter(name)
        taken = used.setdefault(base, set())
        if asked and asked not in taken:
            count = asked
        else:
            count = next(n for n in counters.setdefault(base, itertools.count(1)) if n not in taken)
        taken.add(count)
        result.append(f"{base} [{count}]" if count > 1 else base)
    return result


@on(PREPARE_CREATE, "utm.source", "utm.medium", "utm.campaign")
def _unique_utm_name(store, vals, model):
    if model == "utm.campaign":
        if vals.get("name") and not vals.get("title"):
            vals["title"] = vals["name"]
        # name is computed from title (stored, writable): a name given wins, made unique too.
        if not vals.get("name"):
            vals["name"] = vals.get("title")
    name = unique_names(store, model, [vals.get("name")])[0]
    if name:
        vals["name"] = name


@on(AFTER_WRITE, "utm.campaign")
def _campaign_renamed(store, ids, vals, model):
    if vals.get("title") and "name" not in vals:
        names = unique_names(store, model, [vals["title"]] * len(ids), skip_ids=ids)
        for rid, name in zip(ids, names, strict=True):
            store.set_values(model, rid, {"name": name})


defaults(
    "utm.campaign",
    user_id=uid,
    company_id=when_exists("res.company", 1),
    stage_id=lambda store, vals: first_id(store, "utm.stage", [], order="sequence"),
)
defaults("utm.stage", sequence=1)

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
        # product_uom on Odoo 17, product_uom_id on 19.
        uom = "product_uom" if "product_uom" in store.schemas[model].fields else "product_uom_id"
        vals.setdefault(uom, template.get("uom_id"))
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


# Fields required on Odoo 19 only get Odoo 19's defaults (a field the version lacks is skipped).
defaults("product.template", type="consu", service_tracking="no")
defaults(
    "account.payment",
    state="draft",
    date=lambda store, vals: today(store),
    company_id=1,
    journal_id=lambda store, vals: first_id(
        store, "account.journal", [["type", "in", ["bank", "cash"]]], order="sequence, id"
    ),
)
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
# company_id on Odoo 17; company_ids (required) on 19.
defaults("account.account", company_id=1, company_ids=[[6, 0, [1]]])


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


class _DefaultUsers(list):
    """user_ids filled in by default_get, which create() does not count as an assignment."""


def _task_users(store, vals):
    # project.task.default_get: the current user, unless the project comes from the context.
    if store.context.get("default_project_id") or "default_user_ids" in store.context:
        return None
    return _DefaultUsers([[6, 0, [store.uid]]])


defaults(
    "project.task",
    state="01_in_progress",
    priority="0",
    sequence=10,
    user_ids=_task_users,
)


def _command_ids(commands, current=()) -> list[int]:
    """The ids an x2many ends up with after ``commands`` (links only, as tasks use them)."""
    ids = list(current)
    if not isinstance(commands, (list, tuple)):
        return ids
    if all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
        return list(commands)
    for command in commands:
        code = command[0] if isinstance(command, (list, tuple)) and command else None
        if code == 6:
            ids = list(command[2] or [])
        elif code == 5:
            ids = []
        elif code == 4 and command[1] not in ids:
            ids.append(command[1])
        elif code in (2, 3):
            ids = [i for i in ids if i != command[1]]
    return ids


def _project_stage(store, project_id):
    # stage_find(project, order="fold, sequence, id"): the project's first stage.
    return first_id(
        store, "project.task.type", [["project_ids", "=", project_id]], order="fold, sequence, id"
    )


@on(PREPARE_CREATE, "project.task")
def _task_defaults(store, vals, model):
    project = vals.get("project_id")
    users = _command_ids(vals.get("user_ids") or [])
    if users and not isinstance(vals["user_ids"], _DefaultUsers):
        vals["date_assign"] = store.now
        if not (vals.get("parent_id") or project) and store.uid not in [*users, 1]:
            vals["user_ids"] = [[6, 0, [*users, store.uid]]]
    if project and "company_id" not in vals:
        owner = store.record("project.project", project) or {}
        vals["company_id"] = owner.get("company_id")
    if not project and "stage_id" in vals:
        vals["stage_id"] = False  # a private task has personal stages only
    if project and "stage_id" not in vals:
        vals["stage_id"] = _project_stage(store, project)
    if vals.get("stage_id"):
        vals["date_last_stage_update"] = store.now


@on(AFTER_CREATE, "project.task")
def _task_stage_joins_project(store, rid, vals, model):
    # _set_stage_on_project_from_task: a task's stage becomes one of its project's stages.
    task = store.tables[model][rid]
    project = store.record("project.project", task.get("project_id"))
    stage = task.get("stage_id")
    if project and stage and stage not in (project.get("type_ids") or []):
        store.write("project.project", [project["id"]], {"type_ids": [[4, stage]]})


@on(PREPARE_WRITE, "project.task")
def _task_stage_written(store, ids, vals, model):
    if "stage_id" in vals:
        if "project_id" not in vals and any(
            not store.tables[model][rid].get("project_id") for rid in ids
        ):
            raise UserError("You can only set a personal stage on a private task.")
        vals["date_last_stage_update"] = store.now


@on(AFTER_WRITE, "project.task")
def _task_moved(store, ids, vals, model):
    # stage_id is computed from project_id: a stage the new project lacks is replaced.
    if "project_id" not in vals or "stage_id" in vals:
        return
    for rid in ids:
        task = store.tables[model][rid]
        values = (
            {}
            if "state" in vals or task.get("state") == "04_waiting_normal"
            else {"state": "01_in_progress"}
        )
        project = store.record("project.project", task.get("project_id"))
        if project is None:
            values["stage_id"] = None
        elif task.get("stage_id") not in (project.get("type_ids") or []):
            values["stage_id"] = first_id(
                store,
                "project.task.type",
                [["project_ids", "=", project["id"]], ["fold", "=", False]],
                order="sequence, id",
            )
        store.set_values(model, rid, values)


@on(AFTER_WRITE, "project.task")
def _task_assigned(store, ids, vals, model):
    if "user_ids" not in vals:
        return
    for rid in ids:
        task = store.tables[model][rid]
        if not task.get("user_ids") and task.get("date_assign"):
            store.set_values(model, rid, {"date_assign": None})
        elif task.get("user_ids") and not task.get("date_assign") and "date_assign" not in vals:
            store.set_values(model, rid, {"date_assign": store.now})


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


# project.task.type.project_ids and project.project.type_ids share one relation table.
_STAGE_LINKS = {
    "project.task.type": ("project_ids", "project.project", "type_ids"),
    "project.project": ("type_ids", "project.task.type", "project_ids"),
}


def _mirror_links(store, model: str, ids) -> None:
    link, other, back = _STAGE_LINKS[model]
    for rid in ids:
        linked = set(store.tables[model][rid].get(link) or [])
        for oid, orec in store.tables[other].items():
            current = list(orec.get(back) or [])
            if (oid in linked) != (rid in current):
                mirrored = [*current, rid] if oid in linked else [i for i in current if i != rid]
                store.set_values(other, oid, {back: mirrored})


@on(AFTER_WRITE, "project.task.type", "project.project")
def _stages_linked(store, ids, vals, model):
    link = _STAGE_LINKS[model][0]
    if link not in vals:
        return
    _mirror_links(store, model, ids)
    for rid in ids:
        linked = store.tables[model][rid].get(link) or []
        if model == "project.task.type":
            _release_stages(store, [rid] if linked else [])
        else:
            _release_stages(store, linked)


# -- analytic accounts ----------------------------------------------------------------------

defaults("account.analytic.plan", sequence=10, default_applicability="optional")
# Company-dependent in Odoo 17 (stored per company elsewhere): "optional" unless configured.
computed("account.analytic.plan", "default_applicability")(lambda store, rec: "optional")


@on(PREPARE_CREATE, "account.analytic.plan")
def _plan_complete_name(store, vals, model):
    parent = store.record(model, vals.get("parent_id")) or {}
    name = vals.get("name") or ""
    vals["complete_name"] = f"{parent['complete_name']} / {name}" if parent else name


defaults("account.analytic.account", company_id=when_exists("res.company", 1))


def _root_plan(store, vals) -> None:
    plans = store.tables["account.analytic.plan"]
    plan, seen = plans.get(vals.get("plan_id")), set()
    while plan and plan.get("parent_id") in plans and plan["id"] not in seen:
        seen.add(plan["id"])
        plan = plans[plan["parent_id"]]
    vals["root_plan_id"] = plan["id"] if plan else None


@on(PREPARE_CREATE, "account.analytic.account")
def _account_root_plan(store, vals, model):
    _root_plan(store, vals)


@on(PREPARE_WRITE, "account.analytic.account")
def _account_root_plan_written(store, ids, vals, model):
    if "plan_id" in vals:
        _root_plan(store, vals)


@computed("account.analytic.account", "currency_id")
def _account_currency(store, rec):
    company = store.record("res.company", rec.get("company_id")) or {}
    return company.get("currency_id")


@computed("res.users", "currency_id")
def _user_currency(store, rec):
    # Odoo: related partner_id.currency_id, which res.partner computes as env.company's
    # currency; over RPC that is the user's company (store: False, readonly).
    company = store.record("res.company", rec.get("company_id")) or {}
    return company.get("currency_id")


@display_name("account.analytic.account")
def _account_display_name(store, rec):
    name = rec.get("name") or ""
    if rec.get("code"):
        name = f"[{rec['code']}] {name}"
    partner = store.record("res.partner", rec.get("partner_id")) or {}
    commercial = store.record("res.partner", partner.get("commercial_partner_id")) or {}
    if commercial.get("name"):
        name = f"{name} - {commercial['name']}"
    return name


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
