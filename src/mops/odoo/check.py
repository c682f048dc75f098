"""``mops odoo check``: can mops work with this Odoo server, as this user, right now?

Reads only: the server version, the user, the modules mops needs, the access rights of the user
on every model mops reads or writes, the company's books (currency, country, chart of accounts:
what the finance sync expects, ``[finance]`` of the provisioning spec), and whether provisioning
is complete (an empty setup plan).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mops.errors import OdooServerError
from mops.odoo.client import OdooClient
from mops.odoo.provision import FinanceSpec, SetupPlan, Spec, load_spec, plan_setup

# And the finance modules of the provisioning spec ([finance] modules: l10n_tw …).
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
    ("hr.employee", READ_WRITE_CREATE),
    ("sale.order", READ_WRITE_CREATE),
    ("account.move", READ_WRITE_CREATE),
    ("hr.expense", READ_WRITE_CREATE),
    ("res.company", ("read",)),
    ("res.currency", ("read",)),
    ("account.tax", ("read",)),
    ("account.journal", ("read",)),
    ("ir.model.fields", READ_WRITE_CREATE),
    ("ir.model.data", READ_WRITE_CREATE),
    ("ir.model", ("read",)),
)
# Planning reads these; without read access the provisioning state cannot be known.
PLAN_READS = ("ir.model", "ir.model.fields", "ir.model.data")


@dataclass
class CompanyBooks:
    """How the user's company keeps its books, and what differs from what finance expects."""

    company: str
    currency: str
    decimal_places: int
    rounding: float
    country: str  # ISO code, "" when none
    country_name: str
    fiscal_country: str
    fiscal_country_name: str
    chart: str  # res.company chart_template, "" when none
    expected: FinanceSpec = field(default_factory=FinanceSpec)

    @property
    def problems(self) -> list[tuple[str, dict[str, str]]]:
        """(message id, parameters) of each way the books are not what finance expects."""
        found = []
        if self.currency != self.expected.currency:
            found.append(
                (
                    "finance_setup.wrong_currency",
                    {"found": self.currency, "expected": self.expected.currency},
                )
            )
        countries = {self.country, self.fiscal_country}
        if countries != {self.expected.country}:
            shown = " / ".join(sorted(c or "—" for c in countries))
            found.append(
                ("finance_setup.wrong_country", {"found": shown, "expected": self.expected.country})
            )
        if self.chart != self.expected.chart:
            found.append(
                (
                    "finance_setup.wrong_chart",
                    {"found": self.chart or "—", "expected": self.expected.chart},
                )
            )
        return found

    @property
    def ok(self) -> bool:
        """Whether the books are what the finance sync expects."""
        return not self.problems


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
    books: CompanyBooks | None = None  # None when the user may not read them, or no account

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
        """Whether nothing is missing and the books are what finance expects."""
        missing = self.missing_modules or self.missing_models or self.missing_access
        return not missing and bool(self.provisioned) and bool(self.books and self.books.ok)


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
    spec = spec or load_spec()
    required = list(dict.fromkeys([*REQUIRED_MODULES, *spec.finance.modules]))
    rows = client.call(
        "ir.module.module", "search_read", [["name", "in", required]], fields=["name", "state"]
    )
    states = {row["name"]: row["state"] for row in rows}
    report.modules = {name: states.get(name, "") for name in required}
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
    if denied.isdisjoint({"res.company", "res.currency"}):
        report.books = company_books(client, spec.finance)
    if denied.isdisjoint(PLAN_READS):
        report.plan = plan_setup(client, spec)
    return report


def company_books(client: OdooClient, expected: FinanceSpec) -> CompanyBooks:
    """The user's company's currency, country and chart, against what finance expects."""
    user = client.call("res.users", "read", [client.uid], ["company_id"])[0]
    wanted = ["name", "currency_id", "country_id", "account_fiscal_country_id", "chart_template"]
    have = client.call("res.company", "fields_get", wanted, attributes=["type"])
    company = client.call(
        "res.company", "read", [user["company_id"][0]], [f for f in wanted if f in have]
    )[0]
    currency = client.call(
        "res.currency", "read", [company["currency_id"][0]], ["name", "decimal_places", "rounding"]
    )[0]
    country_ids = {
        company[f][0] for f in ("country_id", "account_fiscal_country_id") if company.get(f)
    }
    codes = {
        row["id"]: row
        for row in client.call("res.country", "read", sorted(country_ids), ["code", "name"])
    } if country_ids else {}  # fmt: skip

    def country(fname: str) -> tuple[str, str]:
        row = codes.get(company[fname][0]) if company.get(fname) else None
        return (row["code"], row["name"]) if row else ("", "")

    return CompanyBooks(
        company=company["name"],
        currency=currency["name"],
        decimal_places=currency["decimal_places"],
        rounding=currency["rounding"],
        country=country("country_id")[0],
        country_name=country("country_id")[1],
        fiscal_country=country("account_fiscal_country_id")[0],
        fiscal_country_name=country("account_fiscal_country_id")[1],
        chart=company.get("chart_template") or "",
        expected=expected,
    )
