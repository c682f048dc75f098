"""Converters of references: external ids, tags, stages, Odoo users and records of other types."""

from __future__ import annotations

import re

from mops.syncing.converters.base import KEEP, Converter, Lookups, Unresolved


def ref_key(value: object) -> str | None:
    """The key of a reference to a record made in the same run ({"$ref": key}), or None."""
    if isinstance(value, dict) and set(value) == {"$ref"}:
        return str(value["$ref"])
    return None


class XmlId(Converter):
    """A value → the record with the external id ``template.format(value=…)`` (many2one)."""

    name = "xmlid"

    def __init__(self, template: str) -> None:
        self.template = template
        self.constant = "{value}" not in template
        self.prefix = template.split("{value}", 1)[0]

    def push(self, value, lookups):
        if not self.constant and value is None:
            return None
        name = self.template.format(value=value)
        found = lookups.xmlid(name)
        if found is None:
            raise Unresolved("xmlid", xmlid=name)
        return found

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        name = lookups.xmlid_of(int(normal), self.prefix)
        if self.constant or name is None:
            return KEEP
        return name[len(self.prefix) :]


class UserByEmail(Converter):
    """A person's name → their roster e-mail → the Odoo user whose login or e-mail it is."""

    name = "user_by_email"

    def push(self, value, lookups):
        if value is None:
            return None
        email = lookups.roster.get(str(value))
        if not email:
            raise Unresolved("not_on_roster", person=value)
        uid = lookups.users.get(email)
        if uid is None:
            raise Unresolved("no_user", person=value, email=email)
        return uid

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        email = lookups.user_emails.get(int(normal))
        names = [name for name, address in lookups.roster.items() if address == email]
        return names[0] if email and len(names) == 1 else KEEP


class PartnerOf(Converter):
    """The key of a row of another record type → that record's Odoo id (or a ref to it)."""

    name = "partner_of"

    def __init__(self, record_type: str) -> None:
        self.references = record_type

    def push(self, value, lookups):
        if value is None:
            return None
        key = f"{self.references}:{value}"
        found = lookups.ids.get(key)
        if found is None:
            raise Unresolved("no_record", key=key, value=value)
        return found

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        key = lookups.key_of(int(normal), self.references or "")
        return key.split(":", 1)[1] if key else KEEP


class RecordOf(PartnerOf):
    """Like partner_of, for an optional link: a key with no record in Odoo leaves it empty.

    A campaign not synced (yet) must not hold back the opportunities it produced; the link is
    made by the first sync that finds the campaign in Odoo.
    """

    name = "record_of"

    def push(self, value, lookups):
        if value is None:
            return None
        return lookups.ids.get(f"{self.references}:{value}")


class Tag(Converter):
    """One tag of a family (``mops.tier_*``) on a many2many; other tags are left alone."""

    name = "tag"

    def __init__(self, template: str) -> None:
        self.template = template
        self.prefix = template.split("{value}", 1)[0]

    def family(self, lookups: Lookups) -> list[int]:
        """The ids of every tag of the family, in a stable order."""
        return lookups.family(self.prefix)

    def push(self, value, lookups):
        if value is None:
            return None
        name = self.template.format(value=value)
        found = lookups.xmlid(name)
        if found is None:
            raise Unresolved("xmlid", xmlid=name)
        return found

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or []
        present = sorted(rid for rid in self.family(lookups) if rid in held)
        if not present:
            return None
        return present[0] if len(present) == 1 else present

    def to_odoo(self, normal, lookups, *, create):
        if create:
            return [[4, normal]] if normal is not None else []
        commands: list[list[int]] = [[3, rid] for rid in self.family(lookups) if rid != normal]
        if normal is not None:
            commands.append([4, normal])
        return commands

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        if isinstance(normal, list):
            return KEEP  # two tiers on one partner: the workbook holds one
        name = lookups.xmlid_of(int(normal), self.prefix)
        return name[len(self.prefix) :] if name else KEEP


class LeadStage(Converter):
    """The pipeline stage: created where the workbook says; pulled back, with "lost" archived."""

    name = "lead_stage"
    prefix = "mops.stage_"

    def reads(self, odoo_field):
        return (odoo_field, "active")

    def push(self, value, lookups):
        # Odoo has no lost stage: a lost lead is an archived lead in the first stage.
        stage = "new" if value in (None, "lost") else str(value)
        found = lookups.xmlid(self.prefix + stage)
        if found is None:
            raise Unresolved("xmlid", xmlid=self.prefix + stage)
        return found

    def pull(self, record, odoo_field, lookups):
        if record.get("active") is False:
            return "lost"
        stage = record.get(odoo_field)
        name = lookups.xmlid_of(int(stage), self.prefix) if stage else None
        return name[len(self.prefix) :] if name else KEEP


class NameOf(Converter):
    """The name of the linked record (pull only); an empty link leaves the cell alone."""

    name = "name_of"

    def __init__(self, model: str) -> None:
        self.model = model

    def pull(self, record, odoo_field, lookups):
        linked = record.get(odoo_field)
        if not linked:
            return KEEP
        return lookups.names.get(self.model, {}).get(int(linked), KEEP)


class UsersByEmail(UserByEmail):
    """A person → the one Odoo user of a many2many (``user_ids`` of a task); others are kept."""

    name = "users_by_email"

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or []
        if not held:
            return None
        return held[0] if len(held) == 1 else sorted(held)

    def to_odoo(self, normal, lookups, *, create):
        return [[6, 0, [] if normal is None else [int(normal)]]]

    def to_cell(self, normal, lookups):
        if isinstance(normal, list):
            return KEEP
        return super().to_cell(normal, lookups)


class UserOfEmail(Converter):
    """An e-mail address → the Odoo user whose login or e-mail it is, or no user (optional link).

    An employee is linked to the user of the same e-mail when one exists; the link follows once
    the user is made. The e-mail column belongs to the roster: a link changed in Odoo is kept.
    """

    name = "user_of_email"

    def push(self, value, lookups):
        if not value:
            return None
        return lookups.users.get(str(value).strip().lower())

    def to_cell(self, normal, lookups):
        return KEEP


class EmployeeByName(Converter):
    """A person's name → their employee id on the roster → that employee's Odoo id (or a ref)."""

    name = "employee_by_name"
    references = "employee"

    def push(self, value, lookups):
        if value is None:
            return None
        employee_id = lookups.staff.get(str(value))
        if employee_id is None:
            raise Unresolved("not_on_roster", person=value)
        key = f"{self.references}:{employee_id}"
        found = lookups.ids.get(key)
        if found is None:
            raise Unresolved("no_record", key=key, value=value)
        return found

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        key = lookups.key_of(int(normal), self.references or "")
        names = [n for n, e in lookups.staff.items() if key and f"{self.references}:{e}" == key]
        return names[0] if len(names) == 1 else KEEP


class OrderOf(PartnerOf):
    """The sales order an invoice is made from (a contract's key → its order), given to Odoo's
    invoicing wizard; the invoice has no such field, so nothing is read or compared."""

    name = "order_of"

    def reads(self, odoo_field):
        return ()


class XmlIdOf(Converter):
    """Several columns → the record with the external id the template makes of them:
    ``xmlid_of:mops.expense_{category}_{item}`` (many2one); a blank column leaves it empty."""

    name = "xmlid_of"

    def __init__(self, template: str) -> None:
        self.template = template
        self.columns = tuple(re.findall(r"\{(\w+)\}", template))
        self.prefix = template.split("{", 1)[0]

    def push(self, value, lookups):
        if any(value.get(c) is None for c in self.columns):
            return None
        name = self.template.format(**{c: value[c] for c in self.columns})
        found = lookups.xmlid(name)
        if found is None:
            raise Unresolved("xmlid", xmlid=name)
        return found

    def to_cell(self, normal, lookups):
        return KEEP


class AnalyticOf(PartnerOf):
    """The key of a row of another type → all of an analytic distribution on that record's
    analytic account: ``{"<id>": 100}`` (a campaign's account takes the whole cost)."""

    name = "analytic_of"

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or {}
        if not held:
            return None
        if len(held) == 1 and float(next(iter(held.values()))) == 100.0:
            return int(next(iter(held)))
        return {str(k): float(v) for k, v in sorted(held.items())}

    def to_odoo(self, normal, lookups, *, create):
        if normal is None:
            return False
        key = ref_key(normal)
        # An account made in the same run is named by its key until the applier knows its id.
        return {f"$ref:{key}" if key else str(normal): 100.0}

    def to_cell(self, normal, lookups):
        return KEEP if isinstance(normal, dict) else super().to_cell(normal, lookups)


class LinesOf(PartnerOf):
    """The key of a row of another type → the one record of a one2many (an expense report's
    expense): ``[[6, 0, [id]]]``."""

    name = "lines_of"

    def read(self, record, odoo_field, lookups):
        held = record.get(odoo_field) or []
        if not held:
            return None
        return held[0] if len(held) == 1 else sorted(held)

    def to_odoo(self, normal, lookups, *, create):
        return [[6, 0, [] if normal is None else [normal]]]

    def to_cell(self, normal, lookups):
        return KEEP if isinstance(normal, list) else super().to_cell(normal, lookups)


class WorkEmail(Converter):
    """The roster's e-mail as the work e-mail of an employee without an Odoo user.

    Odoo 17 posts no expense report of an employee without a work e-mail, and an employee
    without a user has none. An employee with a user takes its work contact, and so its work
    e-mail, from the user: mops never writes it there (it would rewrite the user's own contact),
    and both sides read as ``USER``; one whose user is linked in the same run is left alone too.
    """

    name = "work_email"
    USER = "<user>"

    def reads(self, odoo_field):
        return (odoo_field, "user_id")

    def push(self, value, lookups):
        email = str(value or "").strip()
        if email and lookups.users.get(email.lower()) is not None:
            return self.USER
        return email or None

    def read(self, record, odoo_field, lookups):
        if record.get("user_id"):
            return self.USER
        value = record.get(odoo_field)
        return (value.strip() or None) if isinstance(value, str) else None

    def to_cell(self, normal, lookups):
        return KEEP  # the roster's e-mail is HR's, and also finds the person's user

    def to_odoo(self, normal, lookups, *, create):
        return KEEP if normal == self.USER else (normal or False)
