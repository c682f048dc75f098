"""load(fields, data): Odoo's CSV-style import with external ids (samples 30-33)."""

from __future__ import annotations

from datetime import datetime

from .domain import name_domain
from .errors import NotNullViolation, OdooError, SqlCheckViolation

TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes"}, {"0", "false", "no", ""}
IMPORT_MODULE = "__import__"


class _Problem(Exception):
    """A cell that cannot be converted; becomes one entry of ``messages``."""

    def __init__(self, message: str, moreinfo=None):
        super().__init__(message)
        self.message, self.moreinfo = message, moreinfo


class _Rollback(Exception):
    """Unwinds the load's savepoint once every row has been tried."""


def _possible_values(comodel: str) -> dict:
    return {
        "name": "Possible Values",
        "type": "ir.actions.act_window",
        "target": "new",
        "view_mode": "tree,form",
        "views": [[False, "list"], [False, "form"]],
        "context": {"create": False},
        "help": "See all possible values",
        "res_model": comodel,
    }


def _split_xmlid(xmlid: str) -> tuple[str, str]:
    module, _, name = xmlid.rpartition(".")
    return module or IMPORT_MODULE, name


class Loader:
    """One load() call: converts rows, creates or updates records, collects messages."""

    def __init__(self, store, model: str):
        self.store, self.model = store, model
        self.schema = store.schemas[model]
        self._names: dict[tuple, list[int]] = {}

    def xmlid_target(self, xmlid: str, model: str) -> int | None:
        """The record an external id points to, if it still exists."""
        rows = self.store.indexes.lookup("ir.model.data", ("module", "name"), _split_xmlid(xmlid))
        for row_id in sorted(rows):
            row = self.store.tables["ir.model.data"][row_id]
            if row["model"] == model and self.store.record(model, row["res_id"]) is not None:
                return row["res_id"]
        return None

    def _by_name(self, comodel: str, name: str) -> list[int]:
        key = (comodel, name)
        if key not in self._names:
            domain = name_domain(self.store, comodel, "=", name)
            self._names[key] = self.store.search(comodel, domain)
        return self._names[key]

    def _reference(self, field, suffix: str | None, cell: str, warnings: list) -> int:
        comodel, label = field.relation, field.string
        if suffix == "id":
            found = self.xmlid_target(cell, comodel)
            kind = "external id"
        elif suffix == ".id":
            found = int(cell) if cell.isdigit() and self.store.record(comodel, int(cell)) else None
            kind = "database id"
        else:
            matches = self._by_name(comodel, cell)
            if len(matches) > 1:
                warnings.append(
                    f"Found multiple matches for value '{cell}' in field '{label}'"
                    f" ({len(matches)} matches)"
                )
            found = matches[0] if matches else None
            kind = "name"
        if found is None:
            raise _Problem(
                f"No matching record found for {kind} '{cell}' in field '{label}'",
                _possible_values(comodel),
            )
        return found

    def convert(self, field, suffix: str | None, cell, warnings: list):
        """The write value of one cell."""
        cell = "" if cell is None else str(cell)
        label, ftype = field.string, field.type
        if ftype in ("many2one", "many2many", "one2many") and suffix not in (None, "id", ".id"):
            raise _Problem(f"Importing sub-fields of '{label}' is not supported by the test server")
        if ftype == "many2one":
            return self._reference(field, suffix, cell, warnings) if cell else False
        if ftype in ("many2many", "one2many"):
            items = [item.strip() for item in cell.split(",") if item.strip()]
            return [[6, 0, [self._reference(field, suffix, item, warnings) for item in items]]]
        if ftype == "boolean":
            if cell.strip().lower() in TRUE_WORDS | FALSE_WORDS:
                return cell.strip().lower() in TRUE_WORDS
            raise _Problem(
                f"Unknown value '{cell}' for boolean field '{label}'",
                "Use '1' for yes and '0' for no",
            )
        if not cell:
            return False
        if ftype == "integer":
            try:
                return int(cell)
            except ValueError:
                raise _Problem(
                    f"'{cell}' does not seem to be an integer for field '{label}'"
                ) from None
        if ftype in ("float", "monetary"):
            try:
                return float(cell)
            except ValueError:
                raise _Problem(
                    f"'{cell}' does not seem to be a number for field '{label}'"
                ) from None
        if ftype in ("date", "datetime"):
            pattern = "%Y-%m-%d" if ftype == "date" else "%Y-%m-%d %H:%M:%S"
            try:
                datetime.strptime(cell, pattern)
            except ValueError:
                example = "2012-12-31" if ftype == "date" else "2012-12-31 23:59:59"
                raise _Problem(
                    f"'{cell}' does not seem to be a valid {ftype} for field '{label}'",
                    f"Use the format '{example}'",
                ) from None
            return cell
        if ftype == "selection":
            for value, option in field.selection:
                if cell.lower() in (str(value).lower(), str(option).lower()):
                    return value
            raise _Problem(f"Value '{cell}' not found in selection field '{label}'")
        return cell

    def save(self, vals: dict, xmlid: str | None, dbid: int | None) -> int:
        """Create or update one record, recording its external id."""
        target = dbid or (self.xmlid_target(xmlid, self.model) if xmlid else None)
        if target:
            self.store.write(self.model, [target], vals)
            return target
        target = self.store.create(self.model, [vals])[0]
        if xmlid:
            module, name = _split_xmlid(xmlid)
            existing = self.store.indexes.lookup(
                "ir.model.data", ("module", "name"), (module, name)
            )
            if existing:
                self.store.write("ir.model.data", sorted(existing), {"res_id": target})
            else:
                row = {"module": module, "name": name, "model": self.model, "res_id": target}
                self.store.create("ir.model.data", [row])
        return target


def _columns(schema, fields) -> list[tuple]:
    columns = []
    for name in fields:
        if name in ("id", ".id"):
            columns.append((name, None, None))
            continue
        fname, _, suffix = name.partition("/")
        field = schema.fields.get(fname)
        if field is None:
            raise ValueError(f"Invalid field {fname!r} on model {schema.name!r}")
        columns.append((fname, suffix or None, field))
    return columns


def _row_message(info: dict, error: BaseException) -> dict:
    if isinstance(error, NotNullViolation):
        return {
            **info,
            "type": "error",
            "message": f"Missing required value for the field '{error.label}' ({error.field_name})",
            "field": error.field_name,
        }
    if isinstance(error, SqlCheckViolation):
        # Odoo quotes the constraint's own message here (sample 32).
        return {**info, "type": "error", "message": f"'{error.constraint_message}'"}
    text = error.message if isinstance(error, OdooError) else str(error)
    return {**info, "type": "error", "message": text}


def load(store, model: str, fields, data) -> dict:
    """Import rows of strings; all-or-nothing, problems reported in ``messages``."""
    loader = Loader(store, model)
    columns = _columns(loader.schema, fields)
    messages: list[dict] = []
    ids: list[int] = []
    try:
        with store.savepoint():
            for index, row in enumerate(data):
                info = {"rows": {"from": index, "to": index}, "record": index}
                vals, xmlid, dbid, warnings = {}, None, None, []
                for (fname, suffix, field), cell in zip(columns, row, strict=False):
                    if fname == "id":
                        xmlid = str(cell).strip() or None if cell else None
                    elif fname == ".id":
                        dbid = int(cell) if cell else None
                    else:
                        try:
                            vals[fname] = loader.convert(field, suffix, cell, warnings)
                        except _Problem as problem:
                            message = {**info, "type": "error", "field": fname}
                            message["message"] = problem.message
                            if problem.moreinfo is not None:
                                message["moreinfo"] = problem.moreinfo
                            messages.append({**message, "field_name": field.string})
                messages += [{**info, "type": "warning", "message": text} for text in warnings]
                try:
                    with store.savepoint():
                        ids.append(loader.save(vals, xmlid, dbid))
                except (OdooError, ValueError, TypeError) as error:
                    messages.append(_row_message(info, error))
            if any(message["type"] == "error" for message in messages):
                raise _Rollback
    except _Rollback:
        return {"ids": False, "messages": messages, "nextrow": 0}
    return {"ids": ids, "messages": messages, "nextrow": 0}
