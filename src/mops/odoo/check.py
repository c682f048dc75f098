"""``mops odoo check``: can mops work with this Odoo server, as this user, right now?

Reads only: the server version, the user, the modules mops needs, the access rights of the user
on every model mops reads or writes, and whether provisioning is complete (an empty setup plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mops.errors import OdooServerError
from mops.odoo.client import OdooClient
from mops.odoo.provision import SetupPlan, Spec, load_spec, plan_setup

REQUIRED_MODULES = ("crm", "sale_management", "account", "hr_expense", "project", "survey", "utm")
# States of ir.module.module in which the module's models are there.
INSTALLED_STATES = frozenset({"installed", "to upgrade", "to remove"})
READ_WRITE_CREATE = ("read", "write", "create")
# The models mops touches and what it does with them; ir.model.fields, ir.model.data and
# ir.model are what `mops odoo setup` needs, the others what the sync needs.
ACCESS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("res.partner", READ_WRITE_CREATE),
    ("crm.lead", READ_WRITE_CREATE),
    ("crm.stage", READ_WRITE_CREATE),
    ("crm.team", READ_WRITE_CREATE),
    ("utm.source", READ_WRITE_CREATE),
    ("utm.campaign", READ_WRITE_CREATE),
    ("mail.activity", READ_WRITE_CREATE),
    ("mail.message", READ_WRITE_CREATE),
    ("project.project", READ_WRITE_CREATE),
    ("project.task", READ_WRITE_CREATE),
    ("ir.model.fields", READ_WRITE_CREATE),
    ("ir.model.data", READ_WRITE_CREATE),
    ("ir.model", ("read",)),
)
# Planning reads these; without read access the provisioning state cannot be known.
PLAN_READS = ("ir.model", "ir.model.fields", "ir.model.data")


@dataclass
class CheckReport:
    """What ``check_server`` found; ``ok`` when mops has everything it needs."""

    url: str
    database: str
    server_version: str
    user_name: str
    user_login: str
    modules: dict[str, str] = field(default_factory=dict)  # module -> state ("" when absent)
    missing_models: list[str] = field(default_factory=list)
    missing_access: list[tuple[str, str]] = field(default_factory=list)  # (model, operation)
    plan: SetupPlan | None = None  # None when the user may not read what planning reads
    protocol: str = "jsonrpc"  # how mops talks to this server: "json2" or "jsonrpc"
    warnings: list[str] = field(default_factory=list)  # e.g. /jsonrpc on a 19 server

    @property
    def missing_modules(self) -> list[str]:
        """Required modules that are not installed."""
        return [m for m, state in self.modules.items() if state not in INSTALLED_STATES]

    @property
    def provisioned(self) -> bool | None:
        """Whether setup has nothing left to do; None when that could not be read."""
        return None if self.plan is None else self.plan.empty

    @property
    def ok(self) -> bool:
        """Whether nothing is missing."""
        return not (self.missing_modules or self.missing_models or self.missing_access) and bool(
            self.provisioned
        )


def check_server(client: OdooClient, spec: Spec | None = None) -> CheckReport:
    """Check the server, the user's rights and the provisioning; reads only."""
    user = client.call("res.users", "read", [client.uid], ["name", "login"])[0]
    report = CheckReport(
        url=client.settings.url,
        database=client.settings.database,
        server_version=client.server_version,
        user_name=user["name"],
        user_login=user["login"],
        protocol=client.protocol,
        warnings=list(getattr(client, "warnings", [])),
    )
    rows = client.call(
        "ir.module.module",
        "search_read",
        [["name", "in", list(REQUIRED_MODULES)]],
        fields=["name", "state"],
    )
    states = {row["name"]: row["state"] for row in rows}
    report.modules = {name: states.get(name, "") for name in REQUIRED_MODULES}
    for model, operations in ACCESS:
        for operation in operations:
            try:
                allowed = client.has_access(model, operation)
            except OdooServerError as exc:
                # Odoo answers "Object x doesn't exist" as a UserError when its module is absent.
                if exc.kind != "UserError":
                    raise
                report.missing_models.append(model)
                break
            if not allowed:
                report.missing_access.append((model, operation))
    denied = {model for model, operation in report.missing_access if operation == "read"}
    if denied.isdisjoint(PLAN_READS):
        report.plan = plan_setup(client, spec or load_spec())
    return report
