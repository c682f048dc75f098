"""The data of a fresh Odoo 17 or 19 database created without demo data (ids as the captures
show: 19's fresh database holds the same partners and users in the same order)."""

from __future__ import annotations

from .accounting import seed_chart, seed_currencies
from .customfields import register_model
from .schema import MODULE_DEPENDS

DEFAULT_MODULES = (
    "base", "crm", "sale_management", "account", "hr_expense", "project", "survey", "utm",
    "mail", "contacts", "l10n_tw",
)  # fmt: skip
# A few modules a real database lists as available but not installed.
UNINSTALLED = ("website", "stock", "purchase", "hr_holidays", "point_of_sale", "mrp")

GROUPS = [
    ("base.group_user", "Internal User"),
    ("base.group_portal", "Portal"),
    ("base.group_public", "Public"),
    ("base.group_erp_manager", "Access Rights"),
    ("base.group_system", "Settings"),
    ("base.group_multi_currency", "Multi Currencies"),
    ("base.group_partner_manager", "Contact Creation"),
    ("sales_team.group_sale_salesman", "User: Own Documents Only"),
    ("sales_team.group_sale_salesman_all_leads", "User: All Documents"),
    ("sales_team.group_sale_manager", "Administrator"),
    ("crm.group_use_lead", "Show Lead Menu"),
    ("analytic.group_analytic_accounting", "Analytic Accounting"),
    ("account.group_account_invoice", "Billing"),
    ("account.group_account_manager", "Billing Administrator"),
    ("account.group_account_readonly", "Show Accounting Features - Readonly"),
    ("account.group_account_user", "Show Full Accounting Features"),
    ("hr_expense.group_hr_expense_user", "Team Approver"),
    ("hr_expense.group_hr_expense_manager", "Administrator"),
    ("project.group_project_user", "User"),
    ("project.group_project_manager", "Administrator"),
    ("survey.group_survey_user", "User"),
    ("survey.group_survey_manager", "Administrator"),
]
# The CRM "Leads" setting is off in the captured database, admin is neither portal nor public, and
# the accounting technical groups (analytic accounting, full accounting features) are off.
ADMIN_LACKS = {
    "base.group_portal",
    "base.group_public",
    "crm.group_use_lead",
    "analytic.group_analytic_accounting",
    "account.group_account_readonly",
    "account.group_account_user",
}

ACTIVITY_TYPES = [
    # xml id, name, category, res_model, delay in days, active
    ("mail.mail_activity_data_email", "Email", "default", False, 0, True),
    ("mail.mail_activity_data_call", "Call", "phonecall", False, 2, True),
    ("mail.mail_activity_data_meeting", "Meeting", "meeting", False, 0, True),
    ("mail.mail_activity_data_todo", "To-Do", "reminder", False, 5, True),
    ("mail.mail_activity_data_upload_document", "Upload Document", "upload_file", False, 5, True),
    ("mail.mail_activity_data_warning", "Exception", "default", False, 0, False),
    ("hr_expense.mail_act_expense_approval", "Expense Approval", "default", "hr.expense.sheet", 0,
     True),
    ("mail.mail_activity_data_reminder", "Reminder", "reminder", False, 0, True),
    ("sale.mail_act_sale_upsell", "Order Upsell", "default", "sale.order", 0, True),
]  # fmt: skip
# Odoo 19 (mail, calendar and hr_expense data files): no Reminder or Order Upsell, "Upload
# Document" is "Document", To-Do is no reminder, expense approval is on the expense itself; with
# the sequences the data files give.
ACTIVITY_TYPES_19 = [
    # xml id, name, category, res_model, delay in days, active, sequence
    ("mail.mail_activity_data_email", "Email", "default", False, 0, True, 3),
    ("mail.mail_activity_data_call", "Call", "phonecall", False, 2, True, 6),
    ("mail.mail_activity_data_meeting", "Meeting", "meeting", False, 0, True, 9),
    ("mail.mail_activity_data_todo", "To-Do", "default", False, 5, True, 2),
    ("mail.mail_activity_data_upload_document", "Document", "upload_file", False, 5, True, 25),
    ("mail.mail_activity_data_warning", "Exception", "default", False, 0, False, 99),
    ("hr_expense.mail_act_expense_approval", "Expense Approval", "default", "hr.expense", 0, True,
     10),
]  # fmt: skip
UTM_SOURCES = [
    "Search engine", "Lead Recall", "Newsletter", "Facebook", "Twitter", "LinkedIn", "Monster",
    "Glassdoor", "Craigslist",
]  # fmt: skip
UTM_MEDIUMS = [
    "Banner", "Direct", "Email", "Facebook", "Google Adwords", "LinkedIn", "Phone", "Television",
    "Twitter", "Website",
]  # fmt: skip
# base/data/res_partner_data.xml: (letter of the external id, name, full name).
INDUSTRIES = [
    ("A", "Agriculture", "A - AGRICULTURE, FORESTRY AND FISHING"),
    ("B", "Mining", "B - MINING AND QUARRYING"),
    ("C", "Manufacturing", "C - MANUFACTURING"),
    ("D", "Energy supply", "D - ELECTRICITY, GAS, STEAM AND AIR CONDITIONING SUPPLY"),
    ("E", "Water supply",
     "E - WATER SUPPLY; SEWERAGE, WASTE MANAGEMENT AND REMEDIATION ACTIVITIES"),
    ("F", "Construction", "F - CONSTRUCTION"),
    ("G", "Wholesale/Retail",
     "G - WHOLESALE AND RETAIL TRADE; REPAIR OF MOTOR VEHICLES AND MOTORCYCLES"),
    ("H", "Transportation/Logistics", "H - TRANSPORTATION AND STORAGE"),
    ("I", "Food/Hospitality", "I - ACCOMMODATION AND FOOD SERVICE ACTIVITIES"),
    ("J", "IT/Communication", "J - INFORMATION AND COMMUNICATION"),
    ("K", "Finance/Insurance", "K - FINANCIAL AND INSURANCE ACTIVITIES"),
    ("L", "Real Estate", "L - REAL ESTATE ACTIVITIES"),
    ("M", "Scientific", "M - PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES"),
    ("N", "Administrative/Utilities", "N - ADMINISTRATIVE AND SUPPORT SERVICE ACTIVITIES"),
    ("O", "Public Administration",
     "O - PUBLIC ADMINISTRATION AND DEFENCE; COMPULSORY SOCIAL SECURITY"),
    ("P", "Education", "P - EDUCATION"),
    ("Q", "Health/Social", "Q - HUMAN HEALTH AND SOCIAL WORK ACTIVITIES"),
    ("R", "Entertainment", "R - ARTS, ENTERTAINMENT AND RECREATION"),
    ("S", "Other Services", "S - OTHER SERVICE ACTIVITIES"),
    ("T", "Households",
     "T - ACTIVITIES OF HOUSEHOLDS AS EMPLOYERS; UNDIFFERENTIATED GOODS- AND SERVICES-PRODUCING "
     "ACTIVITIES OF HOUSEHOLDS FOR OWN USE"),
    ("U", "Extraterritorial", "U - ACTIVITIES OF EXTRATERRITORIAL ORGANISATIONS AND BODIES"),
]  # fmt: skip
JOURNALS = [
    ("INV", "Customer Invoices", "sale"),
    ("BILL", "Vendor Bills", "purchase"),
    ("MISC", "Miscellaneous Operations", "general"),
    ("BNK1", "Bank", "bank"),
    ("CSH1", "Cash", "cash"),
]


def _xmlid(store, xmlid: str, model: str, res_id: int) -> None:
    module, name = xmlid.split(".", 1)
    store.insert(
        "ir.model.data",
        {"module": module, "name": name, "model": model, "res_id": res_id, "noupdate": True},
    )


def _create(store, model: str, vals: dict, xmlid: str | None = None) -> int | None:
    if model not in store.schemas:
        return None  # its module is not installed
    vals = {k: v for k, v in vals.items() if k in store.schemas[model].fields}
    rid = store.create(model, [vals])[0]
    if xmlid:
        _xmlid(store, xmlid, model, rid)
    return rid


def seed(store, users: dict[str, str], installed_modules, company_currency=None) -> None:
    """Fill an empty store with the records a new database has: with ``l10n_tw`` installed, the
    company in TWD with the Taiwan chart as the real databases have it (``accounting``);
    without, Odoo's generic chart in USD. ``company_currency`` ("USD", "TWD") overrides the
    company's currency, as a database set up in the wrong currency has it."""
    for model in list(store.schemas):
        register_model(store, model)
    currencies = seed_currencies(store, store.version)
    taiwan = "l10n_tw" in set(installed_modules) and "account.tax" in store.schemas
    company_currency = company_currency or ("TWD" if taiwan else "USD")

    partners = [
        ("base.main_partner", {"name": "My Company", "is_company": True}),
        ("base.partner_root", {"name": "OdooBot", "email": "odoobot@example.com", "active": False}),
        ("base.partner_admin", {"name": "Administrator", "email": "admin@example.com"}),
        ("base.public_partner", {"name": "Public user", "active": False}),
        ("base.default_user_res_partner", {"name": "Default User Template", "active": False}),
        (
            "base.template_portal_user_id_res_partner",
            {"name": "Portal User Template", "active": False},
        ),
    ]
    for xmlid, vals in partners:
        _create(store, "res.partner", vals, xmlid)
    _create(
        store,
        "res.company",
        {"name": "My Company", "partner_id": 1, "currency_id": currencies["USD"]},
        "base.main_company",
    )
    installed = set(installed_modules)
    groups = {
        xmlid: _create(store, "res.groups", {"name": name}, xmlid)
        for xmlid, name in GROUPS
        if xmlid.split(".")[0] in installed
    }
    internal = [groups["base.group_user"]]
    admin_groups = [gid for xmlid, gid in groups.items() if xmlid not in ADMIN_LACKS]
    portal = [groups["base.group_portal"]]
    user_rows = [
        ("base.user_root", "__system__", 2, internal, False),
        ("base.user_admin", "admin", 3, admin_groups, True),
        ("base.default_user", "default", 5, internal, False),
        ("base.public_user", "public", 4, [groups["base.group_public"]], False),
        ("base.template_portal_user_id", "portaltemplate", 6, portal, False),
    ]
    groups_field = store.groups_field  # groups_id on Odoo 17, group_ids on 19
    for xmlid, login, partner_id, group_ids, active in user_rows:
        vals = {"login": login, "partner_id": partner_id, groups_field: [[6, 0, group_ids]]}
        share = login in ("public", "portaltemplate")
        _create(store, "res.users", {**vals, "active": active, "share": share}, xmlid)
    for login, password in users.items():
        if login not in {row[1] for row in user_rows}:
            _create(
                store,
                "res.users",
                {"login": login, "name": login.title(), groups_field: [[6, 0, internal]]},
            )
        store.set_password(login, password)

    _seed_apps(store, set(installed_modules), taiwan)
    if taiwan:
        seed_chart(store, store.version)
    store.write("res.company", [1], {"currency_id": currencies[company_currency]})


def _seed_apps(store, installed: set, taiwan: bool) -> None:
    # A database lists every module it knows, installed or not.
    known = installed | set(UNINSTALLED) | set(DEFAULT_MODULES) | set(MODULE_DEPENDS)
    for sequence, name in enumerate(sorted(known)):
        state = "installed" if name in installed else "uninstalled"
        vals = {"name": name, "shortdesc": name.replace("_", " ").title(), "state": state}
        _create(store, "ir.module.module", {**vals, "sequence": sequence}, f"base.module_{name}")
    for xmlid, name, internal in (
        ("mail.mt_comment", "Discussions", False),
        ("mail.mt_note", "Note", True),
        ("mail.mt_activities", "Activities", True),
    ):
        _create(store, "mail.message.subtype", {"name": name, "internal": internal}, xmlid)
    kinds = ACTIVITY_TYPES if store.version == "17.0" else ACTIVITY_TYPES_19
    for xmlid, name, category, res_model, delay, active, *sequence in kinds:
        vals = {"name": name, "category": category, "res_model": res_model, "delay_count": delay}
        vals.update(active=active, **({"sequence": sequence[0]} if sequence else {}))
        _create(store, "mail.activity.type", vals, xmlid)
    team = {"name": "Sales", "user_id": 2, "use_leads": False, "use_opportunities": True}
    _create(store, "crm.team", team, "sales_team.team_sales_department")
    for index, (name, sequence, is_won) in enumerate(
        [("New", 1, False), ("Qualified", 2, False), ("Proposition", 3, False), ("Won", 70, True)]
    ):
        vals = {"name": name, "sequence": sequence, "is_won": is_won}
        _create(store, "crm.stage", vals, f"crm.stage_lead{index + 1}")
    for name in ("Too expensive", "We don't have people/skills", "Not enough stock"):
        _create(store, "crm.lost.reason", {"name": name})
    for name in UTM_SOURCES:
        _create(store, "utm.source", {"name": name})
    for name in UTM_MEDIUMS:
        _create(store, "utm.medium", {"name": name})
    # utm/data/utm_stage_data.xml (the other stages are demo data).
    _create(store, "utm.stage", {"name": "New", "sequence": 10}, "utm.default_utm_stage")
    _create(store, "uom.uom", {"name": "Units"}, "uom.product_uom_unit")
    if not taiwan:  # else the captured chart brings them (accounting.seed_chart)
        _create(store, "product.category", {"name": "All"}, "product.product_category_all")
        for code, name, kind in JOURNALS:
            _create(store, "account.journal", {"code": code, "name": name, "type": kind})
    # analytic/data/analytic_data.xml: plan 1, the analytic.project_plan parameter.
    plan = {"name": "Projects", "default_applicability": "optional"}
    _create(store, "account.analytic.plan", plan, "analytic.analytic_plan_projects")
    # hr/data/hr_data.xml: the administrator's employee.
    department = _create(
        store, "hr.department", {"name": "Administration"}, "hr.dep_administration"
    )
    employee = {
        "name": "Administrator",
        "user_id": 2,
        "work_contact_id": 3,
        "work_email": "admin@example.com",
        "private_email": "admin@example.com",
        "department_id": department,
    }
    _create(store, "hr.employee", employee, "hr.employee_admin")
