"""Model and field definitions, read from the captured ``fields_get`` JSON of Odoo 17 and 19."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

MODELS_DIR = Path(__file__).parent / "models"  # Odoo 17.0
# The captures of each version the server speaks (see INDEX.md in each folder).
MODELS_DIRS = {"17.0": MODELS_DIR, "19.0": Path(__file__).parent / "models19"}
VERSIONS = tuple(MODELS_DIRS)
# Models a version no longer has: never captured, never stubbed, fields pointing at them gone.
REMOVED_MODELS = {"17.0": frozenset(), "19.0": frozenset({"hr.expense.sheet"})}

MAGIC_FIELDS = ("id", "display_name", "create_uid", "create_date", "write_uid", "write_date")
RELATIONAL = frozenset({"many2one", "one2many", "many2many"})
X2MANY = frozenset({"one2many", "many2many"})

# ``_description`` of each model: fields_get does not carry it, error messages quote it.
DESCRIPTIONS = {
    "account.account": "Account",
    "account.analytic.account": "Analytic Account",
    "account.analytic.plan": "Analytic Plans",
    "account.journal": "Journal",
    "account.move": "Journal Entry",
    "account.move.line": "Journal Item",
    "account.payment": "Payments",
    "account.payment.term": "Payment Terms",
    "account.payment.term.line": "Payment Terms Line",
    "account.tax": "Tax",
    "account.tax.group": "Tax Group",
    "account.tax.repartition.line": "Tax Repartition Line",
    "crm.lead": "Lead/Opportunity",
    "crm.lost.reason": "Opp. Lost Reason",
    "crm.stage": "CRM Stages",
    "crm.tag": "CRM Tag",
    "crm.team": "Sales Team",
    "hr.employee": "Employee",
    "hr.expense": "Expense",
    "hr.expense.sheet": "Expense Report",
    "ir.model": "Models",
    "ir.model.data": "Model Data",
    "ir.model.fields": "Fields",
    "ir.model.fields.selection": "Fields Selection",
    "ir.module.module": "Module",
    "mail.activity": "Activity",
    "mail.activity.type": "Activity Type",
    "mail.message": "Message",
    "product.category": "Product Category",
    "product.product": "Product Variant",
    "product.template": "Product",
    "project.project": "Project",
    "project.tags": "Project Tags",
    "project.task": "Task",
    "project.task.type": "Task Stage",
    "res.company": "Companies",
    "res.config.settings": "Config Settings",
    "res.country": "Country",
    "res.currency": "Currency",
    "res.groups": "Access Groups",
    "res.partner": "Contact",
    "res.partner.category": "Partner Tags",
    "res.partner.industry": "Industry",
    "res.users": "User",
    "sale.order": "Sales Order",
    "sale.order.line": "Sales Order Line",
    "survey.survey": "Survey",
    "survey.user_input": "Survey User Input",
    "utm.campaign": "UTM Campaign",
    "utm.medium": "UTM Medium",
    "utm.source": "UTM Source",
    "utm.stage": "Campaign Stage",
}

# ``_rec_name`` where it is not ``name``.
REC_NAMES = {
    "survey.survey": "title",
    "ir.model.fields": "field_description",
    "res.partner": "complete_name",
    "mail.activity": "summary",
    "mail.message": "subject",
    "hr.expense.sheet": "name",
    "utm.campaign": "title",
}

# ``_order`` of the models whose default order is not ``id``.
ORDERS = {
    "res.partner": "complete_name asc, id desc",
    "res.users": "name, login",
    "crm.lead": "priority desc, id desc",
    "crm.stage": "sequence, name, id",
    "crm.team": "sequence asc, create_date desc, id desc",
    "crm.tag": "name",
    "crm.lost.reason": "name",
    "mail.message": "id desc",
    "mail.activity": "date_deadline asc, id asc",
    "mail.activity.type": "sequence, id",
    "res.currency": "active desc, name",
    "res.country": "name",
    "res.company": "sequence, name",
    "ir.model": "model",
    "ir.model.fields": "name",
    "ir.module.module": "application desc, sequence, name",
    "sale.order": "date_order desc, id desc",
    "sale.order.line": "order_id, sequence, id",
    "account.move": "date desc, name desc, id desc",
    "account.move.line": "date desc, move_id desc, id",
    "project.project": "sequence, name, id",
    "project.task": "priority desc, sequence, id desc",
    "project.task.type": "sequence, id",
    "res.partner.category": "name",
    "res.partner.industry": "name",
    "hr.employee": "name",
    "hr.expense": "date desc, id desc",
    "product.template": "priority desc, name",
    "utm.medium": "name",
    "utm.source": "name",
    "utm.stage": "sequence",
    "account.analytic.account": "plan_id, name asc",
    "account.analytic.plan": "sequence asc, id",
    "account.tax": "sequence,id",
    "account.tax.group": "sequence asc, id",
    "account.tax.repartition.line": "document_type, repartition_type, sequence, id",
    "account.payment.term": "sequence, id",
    "account.journal": "sequence, type, code",
    "product.category": "complete_name",
}

# The inverse many2one of a one2many, where one candidate is not obvious from the comodel.
INVERSES = {
    ("res.partner", "child_ids"): "parent_id",
    ("res.users", "employee_ids"): "user_id",
    ("ir.model", "field_id"): "model_id",
    ("account.move", "line_ids"): "move_id",
    ("account.move", "invoice_line_ids"): "move_id",
    ("hr.expense.sheet", "expense_line_ids"): "sheet_id",
    ("crm.team", "crm_team_member_ids"): "crm_team_id",
    ("project.project", "task_ids"): "project_id",
    ("project.task", "child_ids"): "parent_id",
}


def _char(string, required=False, store=True):
    return {"type": "char", "string": string, "required": required, "store": store}


def _m2o(string, relation, required=False):
    return {"type": "many2one", "string": string, "relation": relation, "required": required}


# Comodels the captures did not include, defined with the handful of fields tests touch.
SYNTHETIC = {
    "ir.model": {
        "model": _char("Model", True),
        "name": _char("Model Description", True),
        "state": {
            "type": "selection",
            "string": "Type",
            "selection": [["manual", "Custom Object"], ["base", "Base Object"]],
        },
        "transient": {"type": "boolean", "string": "Transient Model"},
        "modules": _char("In Apps", store=False),
        "field_id": {
            "type": "one2many",
            "string": "Fields",
            "relation": "ir.model.fields",
            "required": True,
        },
    },
    "ir.model.fields.selection": {
        "field_id": _m2o("Field", "ir.model.fields", True),
        "value": _char("Value", True),
        "name": _char("Name", True),
        "sequence": {"type": "integer", "string": "Sequence"},
    },
    "res.groups": {
        "name": _char("Name", True),
        "full_name": _char("Group Name", store=False),
        "users": {"type": "many2many", "string": "Users", "relation": "res.users"},
    },
    "mail.message.subtype": {
        "name": _char("Message Type", True),
        "internal": {"type": "boolean", "string": "Internal Only"},
        "default": {"type": "boolean", "string": "Default"},
    },
    "uom.uom": {"name": _char("Unit of Measure", True)},
}


@dataclass(frozen=True, slots=True)
class Field:
    """One field as ``fields_get`` describes it."""

    name: str
    type: str
    string: str
    required: bool = False
    readonly: bool = False
    store: bool = True
    relation: str | None = None
    selection: tuple = ()
    attrs: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def selection_keys(self) -> frozenset:
        """The accepted values of a selection field."""
        return frozenset(key for key, _label in self.selection)

    def describe(self) -> dict:
        """The ``fields_get`` entry of this field."""
        return dict(self.attrs)


def make_field(name: str, attrs: dict) -> Field:
    """Build a Field from a ``fields_get`` entry, keeping the entry for ``fields_get``."""
    full = {"string": name, "required": False, "readonly": False, "store": True, **attrs}
    selection = full.get("selection")
    return Field(
        name=name,
        type=full["type"],
        string=full["string"],
        required=bool(full["required"]),
        readonly=bool(full["readonly"]),
        store=bool(full["store"]),
        relation=full.get("relation"),
        selection=tuple(tuple(pair) for pair in selection) if isinstance(selection, list) else (),
        # fields_get answers with what was captured, not with the defaults filled in above.
        attrs=dict(attrs) if "required" in attrs else full,
    )


def magic_fields() -> dict:
    """``fields_get`` entries of the fields every model has."""
    return {
        "id": {"type": "integer", "string": "ID", "readonly": True},
        "display_name": {
            "type": "char",
            "string": "Display Name",
            "readonly": True,
            "store": False,
        },
        "create_uid": {**_m2o("Created by", "res.users"), "readonly": True},
        "create_date": {"type": "datetime", "string": "Created on", "readonly": True},
        "write_uid": {**_m2o("Last Updated by", "res.users"), "readonly": True},
        "write_date": {"type": "datetime", "string": "Last Updated on", "readonly": True},
    }


def _read_captures(folder: Path) -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def captured_fields(version: str = "17.0") -> dict[str, dict[str, Field]]:
    """Every captured model's fields on ``version``, parsed once per process (Field objects are
    immutable). A model captured on 17 only (the ones captured later for provisioning) keeps its
    17 fields on 19, unless 19 removed it; models19/INDEX.md lists them."""
    return _captured_fields(version)


@functools.cache
def _captured_fields(version: str) -> dict[str, dict[str, Field]]:
    if version not in MODELS_DIRS:
        raise ValueError(f"the test server speaks Odoo {', '.join(VERSIONS)}, not {version!r}")
    removed = REMOVED_MODELS[version]
    raw = {
        name: fields for name, fields in _read_captures(MODELS_DIR).items() if name not in removed
    }
    if version != "17.0":
        raw.update(_read_captures(MODELS_DIRS[version]))
    models = {
        model: {name: make_field(name, attrs) for name, attrs in fields.items()}
        for model, fields in raw.items()
    }
    for name, extra in SYNTHETIC.items():
        attrs = {**magic_fields(), **extra}
        models[name] = {fname: make_field(fname, a) for fname, a in attrs.items()}
    comodels = {
        f.relation for fields in list(models.values()) for f in fields.values() if f.relation
    }
    for name in sorted(comodels - models.keys() - removed):
        # Any other comodel gets a bare named model so that many2one values can point at it.
        attrs = {**magic_fields(), "name": _char("Name")}
        models[name] = {fname: make_field(fname, a) for fname, a in attrs.items()}
    return models


def fallback_models(version: str) -> list[str]:
    """Models whose 17 capture stands in on ``version`` (captured on 17 only)."""
    if version == "17.0":
        return []
    own = {path.stem for path in MODELS_DIRS[version].glob("*.json")}
    return sorted(
        path.stem
        for path in MODELS_DIR.glob("*.json")
        if path.stem not in own and path.stem not in REMOVED_MODELS[version]
    )


class ModelSchema:
    """A model's live field set: the captured fields plus custom ``x_`` fields added at run time."""

    def __init__(self, name: str, fields: dict[str, Field]):
        self.name = name
        self.fields = dict(fields)
        self.description = DESCRIPTIONS.get(name, name)
        rec_name = REC_NAMES.get(name, "name")
        self.rec_name = rec_name if rec_name in self.fields else None
        self.order = ORDERS.get(name, "id")
        self.has_active = "active" in self.fields
        self.is_thread = "message_ids" in self.fields
        self.parent_field = (
            "parent_id" if getattr(self.fields.get("parent_id"), "relation", None) == name else None
        )
        self._inverses: dict[str, str | None] = {}
        self._required: list[Field] | None = None

    def add_field(self, new: Field) -> None:
        """Add (or replace) a field, as creating an ``ir.model.fields`` row does."""
        self.fields[new.name] = new
        self._inverses.clear()
        self._required = None
        if new.name == "x_name" and self.rec_name is None:
            self.rec_name = "x_name"
        self.has_active = "active" in self.fields

    def remove_field(self, fname: str) -> None:
        """Drop a custom field."""
        self.fields.pop(fname, None)
        self._inverses.clear()
        self._required = None

    @property
    def table(self) -> str:
        """The Postgres table name, as constraint names quote it."""
        return self.name.replace(".", "_")

    def required_fields(self) -> list[Field]:
        """Stored required fields: those Postgres would refuse to leave NULL (a required
        many2many, such as 19's account.account.company_ids, is a table of its own: none)."""
        if self._required is None:
            self._required = [
                f
                for f in self.fields.values()
                if f.required and f.store and f.type not in X2MANY and f.name not in MAGIC_FIELDS
            ]
        return self._required

    def inverse_of(self, fname: str, schemas: dict[str, ModelSchema]) -> str | None:
        """The many2one on the comodel that a one2many mirrors, or None when unknown."""
        if fname not in self._inverses:
            known = INVERSES.get((self.name, fname))
            comodel = schemas.get(self.fields[fname].relation)
            candidates = [
                f.name
                for f in (comodel.fields.values() if comodel else ())
                if f.type == "many2one"
                and f.relation == self.name
                and f.store
                and f.name not in MAGIC_FIELDS
            ]
            self._inverses[fname] = known or (candidates[0] if len(candidates) == 1 else None)
        return self._inverses[fname]


# Dependencies between the modules that own the captured models (a simplified manifest graph).
MODULE_DEPENDS = {
    "contacts": {"mail"},
    "crm": {"sales_team", "mail", "utm"},
    "sale_management": {"sale"},
    "sale": {"sales_team", "account", "utm"},
    "sales_team": {"mail"},
    "account": {"product", "analytic", "mail"},
    "hr_expense": {"hr", "account"},
    "l10n_tw": {"account"},
    "hr": {"mail"},
    "project": {"analytic", "mail"},
    "survey": {"mail", "utm"},
    "product": {"mail"},
    "analytic": {"mail"},
    "utm": {"mail"},
    "mail": {"base"},
}
# Which module brings a model, by longest matching name prefix; anything else is in base.
MODEL_MODULES = (
    ("crm.team", "sales_team"),
    ("crm.", "crm"),
    ("sale.", "sale"),
    ("account.analytic", "analytic"),
    ("account.", "account"),
    ("hr.expense", "hr_expense"),
    ("hr.", "hr"),
    ("project.", "project"),
    ("survey.", "survey"),
    ("product.", "product"),
    ("uom.", "product"),
    ("utm.", "utm"),
    ("mail.", "mail"),
)


def module_closure(modules) -> set[str]:
    """The modules installed along with ``modules``: they and everything they depend on."""
    installed, todo = {"base"}, list(modules)
    while todo:
        module = todo.pop()
        if module not in installed:
            installed.add(module)
            todo.extend(MODULE_DEPENDS.get(module, ()))
    return installed


def model_module(model: str) -> str:
    """The module a model belongs to."""
    return next((module for prefix, module in MODEL_MODULES if model.startswith(prefix)), "base")


def build_schemas(installed=None, version: str = "17.0") -> dict[str, ModelSchema]:
    """Fresh, mutable schemas for a new database of ``version`` with the given modules (None: all
    captured)."""
    models = captured_fields(version)
    if installed is not None:
        models = {name: f for name, f in models.items() if model_module(name) in installed}
    schemas = {}
    for name, fields in models.items():
        # Fields pointing into a module that is not installed do not exist either.
        kept = {n: f for n, f in fields.items() if not f.relation or f.relation in models}
        schemas[name] = ModelSchema(name, kept)
    return schemas
