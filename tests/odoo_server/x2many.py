"""x2many fields: the command lists create/write accept, and one2many lookups by inverse."""

from __future__ import annotations

from .errors import fk_violation
from .ordering import sort_ids
from .schema import ModelSchema

# one2many fields that mirror a (model name, res_id) pair instead of a many2one.
REFERENCE_INVERSES = {"mail.message": "model", "mail.activity": "res_model"}


def apply(store, schema: ModelSchema, rid: int, fname: str, commands) -> None:
    """Apply x2many commands (0 create, 1 update, 2 delete, 3 unlink, 4 link, 5 clear, 6 set)."""
    field = schema.fields[fname]
    if commands is False or commands is None:
        commands = [[5]]
    if not isinstance(commands, (list, tuple)):
        raise ValueError(f"Wrong value for {schema.name}.{fname}: {commands!r}")
    if all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
        commands = [[6, 0, list(commands)]]
    if field.type == "many2many":
        _apply_many2many(store, schema, rid, field, commands)
    else:
        _apply_one2many(store, schema, rid, field, commands)


def _check_links(store, schema, field, ids) -> None:
    missing = store.missing(field.relation, ids)
    if missing:
        # A link row to a missing id breaks the relation table's foreign key.
        tables = sorted([schema.table, field.relation.replace(".", "_")])
        column = field.relation.replace(".", "_") + "_id"
        raise fk_violation("unknown", "Unknown", f"{tables[0]}_{tables[1]}_rel_{column}_fkey")


def _apply_many2many(store, schema, rid, field, commands) -> None:
    current = list(store.tables[schema.name][rid].get(field.name) or [])
    for command in commands:
        code, arg = _command_parts(command)
        if code == 0:
            current.append(store.create(field.relation, [arg[1]])[0])
        elif code == 1:
            store.write(field.relation, [arg[0]], arg[1])
        elif code in (2, 3):
            current = [i for i in current if i != arg[0]]
            if code == 2:
                store.unlink(field.relation, [arg[0]])
        elif code == 4:
            _check_links(store, schema, field, [arg[0]])
            if arg[0] not in current:
                current.append(arg[0])
        elif code == 5:
            current = []
        elif code == 6:
            ids = list(dict.fromkeys(arg[1] or []))
            _check_links(store, schema, field, ids)
            current = ids
    store.set_values(schema.name, rid, {field.name: current})


def _apply_one2many(store, schema, rid, field, commands) -> None:
    comodel = field.relation
    link = _one2many_link(store, schema, field.name, rid)
    if link is None:
        return  # The inverse field is unknown: the captured metadata cannot say where to link.
    inverse_name = next(iter(link))
    inverse = store.schemas[comodel].fields[inverse_name]
    unset = {inverse_name: None}
    for command in commands:
        code, arg = _command_parts(command)
        if code == 0:
            store.create(comodel, [{**arg[1], **link}])
        elif code == 1:
            store.write(comodel, [arg[0]], arg[1])
        elif code == 2 or (code == 3 and inverse.required):
            store.unlink(comodel, [arg[0]])
        elif code == 3:
            store.write(comodel, [arg[0]], unset)
        elif code == 4:
            store.write(comodel, [arg[0]], link)
        elif code in (5, 6):
            keep = set(arg[1] or []) if code == 6 else set()
            current = one2many_map(store, schema.name, field.name).get(rid, [])
            drop = [i for i in current if i not in keep]
            if drop:
                if inverse.required:
                    store.unlink(comodel, drop)
                else:
                    store.write(comodel, drop, unset)
            if keep:
                store.write(comodel, sorted(keep), link)


def _one2many_link(store, schema: ModelSchema, fname: str, rid: int) -> dict | None:
    comodel = schema.fields[fname].relation
    if comodel in REFERENCE_INVERSES:
        return {"res_id": rid, REFERENCE_INVERSES[comodel]: schema.name}
    inverse = schema.inverse_of(fname, store.schemas)
    return {inverse: rid} if inverse else None


def one2many_map(store, model: str, fname: str) -> dict[int, list[int]]:
    """Parent id -> child ids of a one2many, built in one pass over the comodel.

    Like any search, a one2many leaves out archived children unless active_test is off.
    """
    schema = store.schemas[model]
    comodel = schema.fields[fname].relation
    result: dict[int, list[int]] = {}
    hide_archived = store.schemas[comodel].has_active and store.context.get("active_test", True)
    if comodel in REFERENCE_INVERSES:
        model_field = REFERENCE_INVERSES[comodel]
        for cid, rec in store.tables[comodel].items():
            if rec.get(model_field) == model and rec.get("res_id"):
                if hide_archived and rec.get("active") is False:
                    continue
                result.setdefault(rec["res_id"], []).append(cid)
        order = store.schemas[comodel].order
        if order.startswith("id desc"):
            for ids in result.values():
                ids.reverse()
        elif order != "id":
            for parent, ids in result.items():
                result[parent] = sort_ids(store, comodel, ids, None)
        return result
    inverse = schema.inverse_of(fname, store.schemas)
    if inverse:
        for cid, rec in store.tables[comodel].items():
            parent = rec.get(inverse)
            if parent and not (hide_archived and rec.get("active") is False):
                result.setdefault(parent, []).append(cid)
    return result


def _command_parts(command) -> tuple[int, tuple]:
    if not isinstance(command, (list, tuple)) or not command:
        raise ValueError(f"Invalid x2many command {command!r}")
    code = command[0]
    arg = (*command[1:], None, None)
    if code in (0, 1) and not isinstance(arg[1], dict):
        raise ValueError(f"Invalid x2many command {command!r}")
    if code not in range(7):
        raise ValueError(f"Invalid x2many command {command!r}")
    return code, arg
