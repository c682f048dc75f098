"""The in-memory database: records of every model and the ORM primitives over them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from . import behaviours, hooks, x2many
from .domain import Compiler, mentions_active, normalize
from .errors import NotNullViolation, fk_violation, invalid_field, missing_error
from .indexes import Indexes
from .ordering import sort_ids
from .schema import MAGIC_FIELDS, X2MANY, ModelSchema, build_schemas
from .values import converter, empty_value, reader

SUPERUSER_ID = 1
_MISSING = object()


def utcnow() -> datetime:
    """The current UTC time without tzinfo, as Odoo keeps datetimes."""
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """Every table of one database, with transactions that roll back on error."""

    def __init__(self, clock=utcnow, installed: set[str] | None = None, version: str = "17.0"):
        self.version = version  # the Odoo series whose models and behaviour the store follows
        self.schemas: dict[str, ModelSchema] = build_schemas(installed, version)
        self.tables: dict[str, dict[int, dict]] = {name: {} for name in self.schemas}
        self.next_ids: dict[str, int] = dict.fromkeys(self.schemas, 1)
        self.clock = clock
        self.uid = SUPERUSER_ID
        self.context: dict = {}
        self.now = self.clock().strftime("%Y-%m-%d %H:%M:%S")
        self.journal: list | None = None
        self.lock = threading.RLock()
        self._references: dict[str, list] | None = None
        self._converters: dict[tuple, object] = {}
        self.indexes = Indexes(hooks.INDEXED)
        self.passwords: dict[str, str] = {}
        self.api_keys: dict[str, int] = {}  # key -> uid (res.users.apikeys, global scope)
        self.sequences: dict[str, int] = {}

    def __getstate__(self) -> dict:
        """Everything but the lock and the caches: a copy (pickle, deepcopy) is a database of its
        own, with the same records and ids."""
        state = dict(vars(self))
        state.update(lock=None, _references=None, _converters={})
        return state

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self.lock = threading.RLock()

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def transaction(self, uid: int, context: dict | None = None) -> Iterator[Store]:
        """One RPC call: all its changes stay, or none do."""
        with self.lock:
            self.uid, self.context = uid, dict(context or {})
            # Odoo stamps every record of a transaction with the same now().
            self.now = self.clock().strftime("%Y-%m-%d %H:%M:%S")
            self.journal = []
            try:
                yield self
            except BaseException:
                self._undo(0)
                raise
            finally:
                self.journal = None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo only what happens inside the block if it raises."""
        mark = len(self.journal) if self.journal is not None else 0
        try:
            yield
        except BaseException:
            self._undo(mark)
            raise

    def _undo(self, mark: int) -> None:
        while self.journal is not None and len(self.journal) > mark:
            self.journal.pop()()

    def log_undo(self, undo) -> None:
        """Remember how to revert a change made outside the primitives below."""
        if self.journal is not None:
            self.journal.append(undo)

    def set_password(self, login: str, password: str) -> None:
        """Set a user's password (rolled back with the transaction)."""
        old = self.passwords.get(login)
        self.passwords[login] = password
        self.log_undo(lambda: self.passwords.__setitem__(login, old))

    def next_sequence(self, code: str) -> int:
        """The next number of an ``ir.sequence`` (never rolled back, like Postgres sequences)."""
        self.sequences[code] = self.sequences.get(code, 0) + 1
        return self.sequences[code]

    @property
    def groups_field(self) -> str:
        """The field of a user's groups: ``groups_id`` on Odoo 17, ``group_ids`` on 19."""
        return "groups_id" if "groups_id" in self.schemas["res.users"].fields else "group_ids"

    def schema_changed(self) -> None:
        """Forget caches derived from the field sets (a custom field came or went)."""
        self._references = None
        self._converters.clear()

    # -- low-level access --------------------------------------------------------------------

    def record(self, model: str, rid) -> dict | None:
        """The stored dict of one record, or None."""
        return self.tables[model].get(rid)

    def set_values(self, model: str, rid: int, values: dict) -> None:
        """Store already-converted values on one record, journaled, without side effects."""
        rec = self.tables[model][rid]
        old = {key: rec.get(key, _MISSING) for key in values}
        indexed = self.indexes.touches(model, values)
        if indexed:
            self.indexes.remove(model, rec)
        rec.update(values)
        if indexed:
            self.indexes.add(model, rec)

        def undo():
            if indexed:
                self.indexes.remove(model, rec)
            for key, value in old.items():
                if value is _MISSING:
                    rec.pop(key, None)
                else:
                    rec[key] = value
            if indexed:
                self.indexes.add(model, rec)

        self.log_undo(undo)

    def insert(self, model: str, values: dict) -> int:
        """Insert a record with converted values and a fresh id (sequences never roll back)."""
        rid = self.next_ids[model]
        self.next_ids[model] = rid + 1
        rec = {
            "id": rid,
            "create_uid": self.uid,
            "create_date": self.now,
            "write_uid": self.uid,
            "write_date": self.now,
        }
        if self.schemas[model].has_active:
            rec["active"] = True
        rec.update(values)
        table = self.tables[model]
        table[rid] = rec
        self.indexes.add(model, rec)

        def undo():
            self.indexes.remove(model, rec)
            table.pop(rid, None)

        self.log_undo(undo)
        return rid

    def _restore(self, model: str, rec: dict) -> None:
        self.tables[model][rec["id"]] = rec
        self.indexes.add(model, rec)

    def _convert(self, schema: ModelSchema, fname: str, value, pending_fk: list):
        field = schema.fields[fname]
        if field.type == "many2one":
            return self._convert_many2one(schema, field, value, pending_fk)
        key = (schema.name, fname)
        if key not in self._converters:
            self._converters[key] = converter(field, schema.name)
        return self._converters[key](value)

    def _convert_many2one(self, schema, field, value, pending_fk: list):
        if value is False or value is None or value == 0:
            return None
        if isinstance(value, (list, tuple)) and len(value) == 1:
            value = value[0]
        if isinstance(value, (str, list, tuple)):
            # Odoo browses whatever it is given; a string becomes a recordset of its characters.
            raise ValueError(f"Expected singleton: {field.relation}{tuple(value)!r}")
        if not isinstance(value, int):
            raise ValueError(f"Wrong value for {schema.name}.{field.name}: {value!r}")
        if value not in self.tables[field.relation]:
            if (schema.name, field.name) in hooks.READ_DURING_CREATE:
                raise missing_error(field.relation, [value], self.uid)
            pending_fk.append(field.name)
        return value

    def check_field_names(self, schema: ModelSchema, vals) -> None:
        """Refuse values for fields the model does not have (sample 42)."""
        if not isinstance(vals, dict):
            raise ValueError(f"Invalid values {vals!r} for model {schema.name!r}")
        for fname in vals:
            if fname not in schema.fields:
                raise invalid_field(self.version, "write", schema.name, fname)

    def _check_constraints(self, schema: ModelSchema, rec: dict, pending_fk: list) -> None:
        # Postgres order: NOT NULL, then CHECK constraints, then foreign keys at statement end.
        for field in schema.required_fields():
            if rec.get(field.name) is None:
                raise NotNullViolation(schema.name, schema.description, field.name, field.string)
        behaviours.sql_checks(self, schema.name, rec)
        if pending_fk:
            raise fk_violation(
                schema.name, schema.description, f"{schema.table}_{pending_fk[0]}_fkey"
            )

    # -- ORM primitives ----------------------------------------------------------------------

    def create(self, model: str, vals_list: list) -> list[int]:
        """Create one record per dict of values; returns the new ids."""
        schema = self.schemas[model]
        for vals in vals_list:
            self.check_field_names(schema, vals)
        return [self._create_one(schema, dict(vals)) for vals in vals_list]

    def _create_one(self, schema: ModelSchema, vals: dict) -> int:
        model = schema.name
        for key, value in self.context.items():
            fname = key[8:] if key.startswith("default_") else None
            if fname in schema.fields and fname not in vals:
                vals[fname] = value
        behaviours.apply_defaults(self, model, vals)
        behaviours.prepare_create(self, model, vals)
        pending_fk: list = []
        values, x2many = self._split(schema, vals, pending_fk)
        probe = {"active": True, **values} if schema.has_active else values
        try:
            self._check_constraints(schema, probe, pending_fk)
        except Exception:
            # Postgres refuses the INSERT after taking the id from the sequence: it is lost.
            self.next_ids[model] += 1
            raise
        rid = self.insert(model, values)
        for fname, commands in x2many.items():
            self.apply_x2many(schema, rid, fname, commands)
        behaviours.after_create(self, model, rid, vals)
        behaviours.python_checks(self, model, [rid])
        return rid

    def _split(self, schema, vals: dict, pending_fk: list) -> tuple[dict, dict]:
        """Stored values converted for the table, and x2many commands, of create/write vals."""
        values, x2many = {}, {}
        for fname, value in vals.items():
            field = schema.fields[fname]
            if fname in MAGIC_FIELDS:
                continue
            if field.type in X2MANY:
                x2many[fname] = value
            elif field.store:
                values[fname] = self._convert(schema, fname, value, pending_fk)
        return values, x2many

    def missing(self, model: str, ids) -> list[int]:
        """The ids among ``ids`` that have no record."""
        table = self.tables[model]
        return [rid for rid in ids if rid not in table]

    def _existing(self, model: str, ids, operation: str) -> list[int]:
        """The ids to write or unlink: MissingError for deleted ones, or they are skipped."""
        ids = list(dict.fromkeys(ids))
        missing = self.missing(model, ids)
        if missing and model not in hooks.SKIPS_MISSING[operation]:
            raise missing_error(model, missing, self.uid)
        return [rid for rid in ids if rid not in missing] if missing else ids

    def write(self, model: str, ids: list[int], vals: dict) -> bool:
        """Write the same values on every record of ``ids``."""
        schema = self.schemas[model]
        self.check_field_names(schema, vals)
        ids = self._existing(model, ids, "write")
        if not ids:
            return True
        vals = dict(vals)
        behaviours.prepare_write(self, model, ids, vals)
        pending_fk: list = []
        values, x2many = self._split(schema, vals, pending_fk)
        stamp = {"write_uid": self.uid, "write_date": self.now}
        for rid in ids:
            rec = self.tables[model][rid]
            self._check_constraints(schema, {**rec, **values}, pending_fk)
            self.set_values(model, rid, {**values, **stamp})
        for rid in ids:
            for fname, commands in x2many.items():
                self.apply_x2many(schema, rid, fname, commands)
        behaviours.after_write(self, model, ids, vals)
        behaviours.python_checks(self, model, ids)
        return True

    def references_to(self, model: str) -> list[tuple[str, str, str, bool]]:
        """Stored many2one/many2many fields pointing at ``model`` as (model, field, type, req)."""
        if self._references is None:
            refs: dict[str, list] = {}
            for name, schema in self.schemas.items():
                for f in schema.fields.values():
                    if f.relation and f.store and f.type in ("many2one", "many2many"):
                        refs.setdefault(f.relation, []).append((name, f.name, f.type, f.required))
            self._references = refs
        return self._references.get(model, [])

    def unlink(self, model: str, ids: list[int]) -> bool:
        """Delete records, applying ON DELETE rules to whatever points at them."""
        ids = self._existing(model, ids, "unlink")
        if not ids:
            return True
        behaviours.before_unlink(self, model, ids)
        doomed = set(ids)
        table = self.tables[model]
        for rid in ids:
            rec = table.pop(rid)
            self.indexes.remove(model, rec)
            self.log_undo(lambda rec=rec: self._restore(model, rec))
        for rmodel, fname, ftype, required in self.references_to(model):
            rtable = self.tables[rmodel]
            if ftype == "many2many":
                for rid, rec in list(rtable.items()):
                    linked = rec.get(fname)
                    if linked and not doomed.isdisjoint(linked):
                        kept = [i for i in linked if i not in doomed]
                        self.set_values(rmodel, rid, {fname: kept})
                continue
            hits = [rid for rid, rec in rtable.items() if rec.get(fname) in doomed]
            if not hits:
                continue
            if (rmodel, fname) in hooks.CASCADE:
                self.unlink(rmodel, hits)
            elif required:
                rschema = self.schemas[rmodel]
                raise fk_violation(rmodel, rschema.description, f"{rschema.table}_{fname}_fkey")
            else:
                for rid in hits:
                    self.set_values(rmodel, rid, {fname: None})
        return True

    def apply_x2many(self, schema: ModelSchema, rid: int, fname: str, commands) -> None:
        """Apply x2many commands to one record's field."""
        x2many.apply(self, schema, rid, fname, commands)

    def one2many_map(self, model: str, fname: str) -> dict[int, list[int]]:
        """Parent id -> child ids of a one2many."""
        return x2many.one2many_map(self, model, fname)

    # -- reading -----------------------------------------------------------------------------

    def getter(self, model: str, fname: str):
        """A function from a stored record to the (cache-form) value of a field, or None."""
        schema = self.schemas[model]
        field = schema.fields[fname]
        if fname == "display_name":
            return lambda rec: self.display_name(model, rec)
        if field.type == "one2many":
            mapping = self.one2many_map(model, fname)
            return lambda rec: mapping.get(rec["id"], [])
        computed = hooks.COMPUTED.get((model, fname))
        if computed is not None:
            return lambda rec: computed(self, rec)
        if field.store:
            return lambda rec: rec.get(fname)
        return None

    def display_name(self, model: str, rec: dict):
        """What Odoo shows for a record: its ``display_name``."""
        custom = hooks.DISPLAY_NAMES.get(model)
        if custom is not None:
            return custom(self, rec)
        rec_name = self.schemas[model].rec_name
        if rec_name is None:
            return f"{model},{rec['id']}"
        value = rec.get(rec_name)
        return value if value is not None else False

    def name_of(self, model: str, rid: int):
        """The display name of a record by id (False if it does not exist)."""
        rec = self.tables[model].get(rid)
        return self.display_name(model, rec) if rec is not None else False

    def read(self, model: str, ids, fields=None, load="_classic_read") -> list[dict]:
        """Read fields of existing records; missing ids are silently left out (sample 51)."""
        schema = self.schemas[model]
        fields = list(fields or [n for n in schema.fields if n != "id"])
        plan = []
        for fname in fields:
            if fname not in schema.fields:
                raise invalid_field(self.version, "read", model, fname)
            if fname != "id":
                plan.append((fname, self._read_function(model, fname, load)))
        table = self.tables[model]
        rows = []
        for rid in ids:
            rec = table.get(rid)
            if rec is None:
                continue
            row = {"id": rid}
            for fname, function in plan:
                row[fname] = function(rec)
            rows.append(row)
        return rows

    def _read_function(self, model: str, fname: str, load: str):
        field = self.schemas[model].fields[fname]
        getter = self.getter(model, fname)
        if getter is None:
            empty = empty_value(field)
            return lambda rec: empty
        if field.type == "many2one":
            if load != "_classic_read":
                return lambda rec: getter(rec) or False
            names: dict[int, object] = {}
            comodel = field.relation

            def read_many2one(rec):
                target = getter(rec)
                if not target:
                    return False
                if target not in names:
                    names[target] = self.name_of(comodel, target)
                return [target, names[target]]

            return read_many2one
        convert = reader(field)
        return lambda rec: convert(getter(rec))

    # -- searching ---------------------------------------------------------------------------

    def search(self, model, domain=None, offset=0, limit=None, order=None, active_test=None):
        """Ids matching ``domain`` in ``order``, with archived records hidden by default."""
        schema = self.schemas[model]
        if active_test is None:
            active_test = self.context.get("active_test", True)
        tokens = normalize(domain)
        if schema.has_active and active_test and not mentions_active(tokens):
            tokens = (["&"] if tokens else []) + [["active", "=", True], *tokens]
        predicate = Compiler(self, model).compile(tokens)
        ids = [rid for rid, rec in self.tables[model].items() if predicate(rec)]
        ids = sort_ids(self, model, ids, order)
        if offset:
            ids = ids[offset:]
        if limit:
            ids = ids[:limit]
        return ids

    def search_ids(self, model: str, domain) -> list[int]:
        """Sub-search used by dotted paths and name matching inside domains."""
        return self.search(model, domain, order="id")
