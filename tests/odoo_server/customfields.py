"""ir.model and ir.model.fields: rows describing the schema, and custom ``x_`` fields and models."""

from __future__ import annotations

import ast

from .errors import UserError, ValidationError
from .hooks import (
    AFTER_CREATE,
    AFTER_WRITE,
    BEFORE_UNLINK,
    PREPARE_CREATE,
    PREPARE_WRITE,
    defaults,
    on,
)
from .schema import ModelSchema, magic_fields, make_field

RELATIONAL_TTYPES = ("many2one", "one2many", "many2many")
SCHEMA_KEYS = {"name", "ttype", "field_description", "required", "readonly", "help", "relation"}

defaults(
    "ir.model.fields",
    state="manual",
    store=True,
    readonly=False,
    required=False,
    index=False,
    # Odoo 17 computes it: every field but a one2many is copied with its record.
    copied=lambda store, vals: vals.get("ttype") != "one2many",
)
defaults("ir.model", state="manual", transient=False)


def register_model(store, model: str, state: str = "base") -> int:
    """Insert the ir.model row of a model and one ir.model.fields row per field (no hooks)."""
    schema = store.schemas[model]
    model_id = store.insert(
        "ir.model", {"model": model, "name": schema.description, "state": state}
    )
    for field in schema.fields.values():
        row = {
            "name": field.name,
            "model": model,
            "model_id": model_id,
            "field_description": field.string,
            "ttype": field.type,
            "relation": field.relation,
            "required": field.required,
            "readonly": field.readonly,
            "store": field.store,
            "state": "base",
        }
        store.insert("ir.model.fields", row)
    return model_id


def _model_of(store, vals) -> None:
    if vals.get("model_id") and not vals.get("model"):
        vals["model"] = (store.tables["ir.model"].get(vals["model_id"]) or {}).get("model")
    elif vals.get("model") and not vals.get("model_id"):
        found = store.indexes.lookup("ir.model", ("model",), (vals["model"],))
        vals["model_id"] = min(found) if found else False


def _selection_commands(selection) -> list:
    if isinstance(selection, str):
        try:
            selection = ast.literal_eval(selection)
        except (ValueError, SyntaxError):
            selection = None
    if not isinstance(selection, (list, tuple)) or not all(
        isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in selection
    ):
        raise UserError(
            "The Selection Options expression is not a valid Pythonic expression."
            " Please provide an expression in the [('key','Label'), ...] format."
        )
    return [
        [0, 0, {"value": value, "name": label, "sequence": position}]
        for position, (value, label) in enumerate(selection)
    ]


@on(PREPARE_CREATE, "ir.model.fields")
def _check_new_field(store, vals, model):
    _model_of(store, vals)
    if vals.get("state", "manual") == "manual" and not str(vals.get("name") or "").startswith("x_"):
        raise ValidationError("Custom fields must have a name that starts with 'x_' !")
    ttype = vals.get("ttype")
    if ttype in RELATIONAL_TTYPES and vals.get("relation") not in store.schemas:
        raise UserError(f"Model {vals.get('relation')} does not exist!")
    if ttype == "one2many":
        inverse = store.schemas[vals["relation"]].fields.get(vals.get("relation_field") or "")
        if inverse is None or inverse.type != "many2one" or inverse.relation != vals.get("model"):
            raise UserError(
                f"Many2one {vals.get('relation_field')} on model {vals['relation']} does not exist!"
            )
    selection = vals.pop("selection", None)
    if ttype == "selection" and selection:
        vals["selection_ids"] = _selection_commands(selection) + list(vals.get("selection_ids", []))


def _field_of_row(store, rid: int):
    rec = store.tables["ir.model.fields"][rid]
    attrs = {
        "type": rec["ttype"],
        "string": rec["field_description"],
        "required": bool(rec.get("required")),
        "readonly": bool(rec.get("readonly")),
        "store": rec.get("store") is not False,
    }
    if rec.get("help"):
        attrs["help"] = rec["help"]
    if rec["ttype"] in RELATIONAL_TTYPES:
        attrs["relation"] = rec["relation"]
    if rec["ttype"] == "selection":
        options = [
            row
            for row in store.tables["ir.model.fields.selection"].values()
            if row.get("field_id") == rid
        ]
        options.sort(key=lambda row: (row.get("sequence") or 0, row["id"]))
        attrs["selection"] = [[row["value"], row["name"]] for row in options]
    return make_field(rec["name"], attrs)


def _swap_field(store, model: str, old_name: str | None, new) -> None:
    """Replace a field in a live schema, journaled so a failed call leaves the schema alone."""
    schema = store.schemas[model]
    previous = schema.fields.get(old_name) if old_name else None
    if old_name:
        schema.remove_field(old_name)
    if new is not None:
        schema.add_field(new)
    store.schema_changed()

    def undo():
        if new is not None:
            schema.remove_field(new.name)
        if previous is not None:
            schema.add_field(previous)
        store.schema_changed()

    store.log_undo(undo)


@on(AFTER_CREATE, "ir.model.fields")
def _add_custom_field(store, rid, vals, model):
    rec = store.tables["ir.model.fields"][rid]
    if rec.get("state") == "manual" and rec.get("model") in store.schemas:
        _swap_field(store, rec["model"], None, _field_of_row(store, rid))


@on(PREPARE_WRITE, "ir.model.fields")
def _check_field_change(store, ids, vals, model):
    if not SCHEMA_KEYS & vals.keys() and "selection_ids" not in vals:
        return
    for rid in ids:
        rec = store.tables["ir.model.fields"][rid]
        if rec.get("state") != "manual":
            raise UserError("Properties of base fields cannot be altered in this manner!")
        if vals.get("name", rec["name"]) != rec["name"]:
            # Odoo migrates the column on rename; this server does not pretend to.
            raise UserError("Renaming custom fields is not supported by the test server.")
    selection = vals.pop("selection", None)
    if selection:
        vals["selection_ids"] = [[5], *_selection_commands(selection)]


@on(AFTER_WRITE, "ir.model.fields")
def _change_custom_field(store, ids, vals, model):
    if not SCHEMA_KEYS & vals.keys() and "selection_ids" not in vals:
        return
    for rid in ids:
        rec = store.tables["ir.model.fields"][rid]
        _swap_field(store, rec["model"], rec["name"], _field_of_row(store, rid))


@on(BEFORE_UNLINK, "ir.model.fields")
def _drop_custom_field(store, ids, model):
    rows = [store.tables["ir.model.fields"][rid] for rid in ids]
    if any(rec.get("state") != "manual" for rec in rows):
        raise UserError("This column contains module data and cannot be removed!")
    for rec in rows:
        if rec.get("model") in store.schemas:
            _swap_field(store, rec["model"], rec["name"], None)


@on(PREPARE_CREATE, "ir.model")
def _check_new_model(store, vals, model):
    if vals.get("state", "manual") == "manual" and not str(vals.get("model") or "").startswith(
        "x_"
    ):
        raise ValidationError("The model name must start with 'x_'.")


@on(AFTER_CREATE, "ir.model")
def _add_custom_model(store, rid, vals, model):
    name = store.tables["ir.model"][rid]["model"]
    if name in store.schemas:
        return
    fields = {fname: make_field(fname, attrs) for fname, attrs in magic_fields().items()}
    schema = ModelSchema(name, fields)
    schema.description = store.tables["ir.model"][rid].get("name") or name
    store.schemas[name], store.tables[name], store.next_ids[name] = schema, {}, 1
    for field in fields.values():
        row = {"name": field.name, "model": name, "model_id": rid, "state": "base"}
        row.update(field_description=field.string, ttype=field.type, relation=field.relation)
        store.insert("ir.model.fields", row)
    store.schema_changed()

    def undo():
        for registry in (store.schemas, store.tables, store.next_ids):
            registry.pop(name, None)
        store.schema_changed()

    store.log_undo(undo)


@on(BEFORE_UNLINK, "ir.model")
def _drop_custom_model(store, ids, model):
    for rid in ids:
        rec = store.tables["ir.model"][rid]
        if rec.get("state") != "manual":
            raise UserError(f"Model '{rec['name']}' contains module data and cannot be removed.")
