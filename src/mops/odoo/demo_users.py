"""Create the demo roster's people as Odoo users, so a newcomer sees the demo sync end to end.

Demo only, on purpose: it reads the roster of a folder ``mops demo`` wrote (its manifest must be
there), and it refuses a database where anybody but Odoo's own users and earlier demo users has
an account, so it can never add people to a firm's real Odoo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mops.errors import InputError, MopsError
from mops.i18n import text
from mops.odoo.client import OdooClient

# Odoo's own users, present in every database (the superuser, admin, the templates, OdooBot).
BUILT_IN = (
    "base.user_root",
    "base.user_admin",
    "base.default_user",
    "base.public_user",
    "base.template_portal_user_id",
)


class NotADemoDatabase(MopsError):
    """The Odoo database holds users who are not Odoo's own or the demo's."""

    exit_code = 1


@dataclass
class DemoUsers:
    """What ``create_demo_users`` did."""

    created: list[str] = field(default_factory=list)  # logins
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # roster names without an e-mail, or left


def roster_people(folder: Path) -> list[tuple[str, str, bool]]:
    """(name, e-mail, in employment) of everyone on the demo folder's roster."""
    from mops.demodata import MANIFEST_FILE
    from mops.workbook.frames import read_book

    folder = Path(folder)
    if not (folder / MANIFEST_FILE).is_file():
        raise InputError(
            text("demo_users_not_demo", folder=folder),
            hint=text("demo_users_not_demo_hint", folder=folder),
        )
    book = read_book(folder / "staff.xlsx")
    roster = book.sheets.get("roster")
    if roster is None:
        raise InputError(text("demo_users_no_roster", file=folder / "staff.xlsx"))
    people = []
    for _row, values in roster.rows():
        name, email = (values.get("name") or "").strip(), (values.get("email") or "").strip()
        left = (values.get("leave_date") or "").strip()
        people.append((name, email, not left))
    return people


def _ids_of(client: OdooClient, xmlids: tuple[str, ...]) -> set[int]:
    rows = client.call(
        "ir.model.data",
        "search_read",
        [["module", "=", "base"], ["name", "in", [x.split(".", 1)[1] for x in xmlids]]],
        fields=["model", "res_id"],
    )
    return {r["res_id"] for r in rows if r["model"] == "res.users"}


def create_demo_users(client: OdooClient, people: list[tuple[str, str, bool]]) -> DemoUsers:
    """Create a user (login = e-mail) for each person in employment who has none.

    Refused when the database has an internal user who is neither Odoo's own nor on the
    demo roster (someone who left included: an earlier run may have made them).
    """
    emails = {email.lower() for _, email, _ in people if email}
    own = _ids_of(client, BUILT_IN)
    users = client.call(
        "res.users",
        "search_read",
        [["active", "in", [True, False]]],
        fields=["id", "login", "email", "share"],
    )
    strangers = [
        u["login"]
        for u in users
        if u["id"] not in own and not u["share"] and (u["login"] or "").lower() not in emails
    ]
    if strangers:
        raise NotADemoDatabase(
            text("demo_users_real_database", n=len(strangers), logins=", ".join(strangers[:5])),
            hint=text("demo_users_real_database_hint"),
        )
    done = DemoUsers()
    have = {(u["login"] or "").lower() for u in users}
    new = []
    for name, email, employed in people:
        if not email or not employed:
            done.skipped.append(name)
        elif email.lower() in have:
            done.existing.append(email)
        else:
            new.append({"name": name, "login": email, "email": email})
            have.add(email.lower())
    if new:
        client.call("res.users", "create", new, context={"no_reset_password": True})
        done.created = [v["login"] for v in new]
    return done
