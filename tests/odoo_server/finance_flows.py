"""The finance flows of the test server, built from what the real Odoo 17 and 19 do.

Facts captured on the real servers of /work/odoo-live (l10n_tw, TWD) with random names:

hr.employee (17 and 19)
- ``action_archive`` on one active employee archives it and answers the "Register Departure"
  wizard action (``hr.departure.wizard``, context ``{"active_id": id}``); on several, or on one
  already archived, it answers ``None``. Nothing is deleted.
- Archiving empties ``parent_id`` and ``coach_id`` of every employee that pointed at the
  archived one (``_get_employee_m2o_to_empty_on_archived_employees``).
- ``action_unarchive`` answers ``None`` and clears ``departure_date`` (and the departure reason
  and description).
- 19 keeps ``department_id`` and ``departure_date`` on the employee's current ``hr.version``
  (fields_get says ``store: False``); they are written and read through the employee all the
  same.
"""

from __future__ import annotations

from . import methods
from .hooks import AFTER_CREATE, AFTER_WRITE, computed, on

EMPLOYEE = "hr.employee"
# Odoo 19 stores these on hr.version; the employee reads and writes them through.
VERSION_FIELDS = ("department_id", "departure_date")
DEPARTURE = {
    "type": "ir.actions.act_window",
    "name": "Register Departure",
    "res_model": "hr.departure.wizard",
    "view_mode": "form",
    "target": "new",
    "views": [[False, "form"]],
}


def _version_values(store, rid, vals) -> None:
    if store.version == "17.0":
        return
    rec = store.tables[EMPLOYEE][rid]
    for fname in VERSION_FIELDS:
        if fname in vals:
            old = rec.get(fname)
            value = vals[fname]
            rec[fname] = None if value is False else value
            store.log_undo(lambda rec=rec, fname=fname, old=old: rec.__setitem__(fname, old))


@on(AFTER_CREATE, EMPLOYEE)
def _employee_created(store, rid, vals, model):
    _version_values(store, rid, vals)


@on(AFTER_WRITE, EMPLOYEE)
def _employee_written(store, ids, vals, model):
    for rid in ids:
        _version_values(store, rid, vals)


for _fname in VERSION_FIELDS:
    computed(EMPLOYEE, _fname)(lambda store, rec, fname=_fname: rec.get(fname))

_base_archive = methods.action_archive
_base_unarchive = methods.action_unarchive


@methods.rpc("multi", "BaseModel.action_archive")
def action_archive(self):
    """Archive; an employee also leaves the teams that named them manager or coach."""
    if self.model != EMPLOYEE:
        return _base_archive(self)
    store = self.store
    archived = [rid for rid in methods.exists(self) if store.record(EMPLOYEE, rid).get("active")]
    _base_archive(self)
    if not archived:
        return None
    for fname in ("parent_id", "coach_id"):
        if fname in self.schema.fields:
            linked = store.search(EMPLOYEE, [[fname, "in", archived]])
            if linked:
                store.write(EMPLOYEE, linked, {fname: False})
    if len(archived) == 1:
        return {**DEPARTURE, "context": {"active_id": archived[0]}}
    return None


@methods.rpc("multi", "BaseModel.action_unarchive")
def action_unarchive(self):
    """Unarchive; an employee back at work has no departure date any more."""
    inactive = [
        rid for rid in methods.exists(self) if not self.store.record(self.model, rid).get("active")
    ]
    _base_unarchive(self)
    if self.model == EMPLOYEE and inactive:
        self.store.write(EMPLOYEE, inactive, {"departure_date": False})
    return None
