"""Registries of per-model behaviour (defaults, computes, constraints) and static rule data."""

from __future__ import annotations

from collections.abc import Callable

# Many2one fields that Odoo's computes read while creating: a dangling id raises MissingError
# (sample 46) instead of the foreign-key ValidationError other fields get (sample 46b).
READ_DURING_CREATE = frozenset(
    {
        ("res.partner", "parent_id"),
        ("crm.lead", "partner_id"),
        ("crm.lead", "stage_id"),
        ("crm.lead", "team_id"),
        ("crm.lead", "user_id"),
        ("sale.order", "partner_id"),
        ("sale.order.line", "order_id"),
        ("sale.order.line", "product_id"),
        ("mail.activity", "activity_type_id"),
        ("res.users", "partner_id"),
    }
)

# Many2one fields declared ondelete='cascade': deleting the target deletes the referrer.
CASCADE = frozenset(
    {
        ("sale.order.line", "order_id"),
        ("account.move.line", "move_id"),
        ("ir.model.fields", "model_id"),
        ("ir.model.fields.selection", "field_id"),
        ("product.product", "product_tmpl_id"),
        ("hr.expense", "sheet_id"),
        ("project.task", "project_id"),
        ("crm.team.member", "crm_team_id"),
        ("mail.message", "parent_id"),
    }
)

# UNIQUE constraints: (fields, message Odoo shows after "The operation cannot be completed: ").
UNIQUE = {
    "ir.model.data": [(("module", "name"), None)],
    "ir.model.fields": [(("model", "name"), "Field names must be unique per model.")],
    "ir.model": [(("model",), "Each model must have a unique name.")],
    "ir.module.module": [(("name",), "The name of the module must be unique!")],
    "res.users": [(("login",), "You can not have two users with the same login !")],
    "crm.tag": [(("name",), "Tag name already exists!")],
    "res.currency": [(("name",), "The currency code must be unique!")],
    "utm.campaign": [(("name",), "The name must be unique")],
    "utm.medium": [(("name",), "The name must be unique")],
    "utm.source": [(("name",), "The name must be unique")],
}

# write() and unlink() raise MissingError for deleted ids only where a record rule applies to the
# user (Odoo checks the ids while filtering them by the rules); on the other models the missing ids
# are skipped and the call returns True (checked on Odoo 17 as admin, the test server's user).
_UNRULED = frozenset(
    {
        "crm.lost.reason", "crm.stage", "crm.tag", "ir.model.data", "mail.activity.type",
        "mail.message", "project.tags", "res.currency", "res.partner.category",
        "res.partner.industry", "utm.campaign", "utm.medium", "utm.source", "utm.stage",
    }
)  # fmt: skip
SKIPS_MISSING = {
    "write": _UNRULED | {"ir.model.fields"},
    "unlink": _UNRULED | {"product.product"},
}

# Model access (ir.model.access) narrower than "every internal user may do everything":
# model -> (groups, as (external id, label in the AccessError), the operation each method is
# refused as). account.analytic.plan's write() reads the plans first, so it fails as a read.
ACCESS = {
    "account.analytic.plan": (
        (
            ("analytic.group_analytic_accounting", "Technical/Analytic Accounting"),
            ("account.group_account_user", "Technical/Show Full Accounting Features"),
        ),
        {"read": "read", "write": "read", "create": "create", "unlink": "unlink"},
    ),
}
# Fields restricted to groups (``groups=`` on the field): (model, field) -> (external id, label).
# fields_get leaves them out for users outside the group; reading them raises AccessError.
FIELD_GROUPS = {
    ("account.analytic.account", "debit"): (
        "account.group_account_readonly",
        "Technical / Show Accounting Features - Readonly",
    ),
    ("account.analytic.account", "credit"): (
        "account.group_account_readonly",
        "Technical / Show Accounting Features - Readonly",
    ),
}

# Fields looked up by value often enough to keep a hash index on them.
INDEXED = {model: [fields for fields, _msg in specs] for model, specs in UNIQUE.items()}
INDEXED.update({"utm.source": [("name",)], "utm.medium": [("name",)], "utm.campaign": [("name",)]})
INDEXED["res.partner"] = [("parent_id",)]

Hook = Callable[..., object]
DEFAULTS: dict[str, dict[str, object]] = {}
PREPARE_CREATE: dict[str, list[Hook]] = {}
AFTER_CREATE: dict[str, list[Hook]] = {}
PREPARE_WRITE: dict[str, list[Hook]] = {}
AFTER_WRITE: dict[str, list[Hook]] = {}
BEFORE_UNLINK: dict[str, list[Hook]] = {}
SQL_CHECKS: dict[str, list[Hook]] = {}
PY_CHECKS: dict[str, list[Hook]] = {}
COMPUTED: dict[tuple[str, str], Hook] = {}
DISPLAY_NAMES: dict[str, Hook] = {}


def on(registry: dict, *models: str):
    """Decorator registering a hook for some models."""

    def register(function):
        for model in models:
            registry.setdefault(model, []).append(function)
        return function

    return register


def computed(model: str, fname: str):
    """Decorator registering the value of a non-stored field, from (store, record)."""

    def register(function):
        COMPUTED[(model, fname)] = function
        return function

    return register


def display_name(*models: str):
    """Decorator registering how a model computes ``display_name``."""

    def register(function):
        for model in models:
            DISPLAY_NAMES[model] = function
        return function

    return register


def defaults(model: str, **values) -> None:
    """Declare default values; a callable default is called with (store, vals)."""
    DEFAULTS.setdefault(model, {}).update(values)
