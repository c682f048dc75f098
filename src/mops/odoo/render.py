"""Render what ``mops odoo check`` found and what ``mops odoo setup`` plans or did, for people."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mops.i18n import text
from mops.odoo.check import CheckReport, CompanyBooks
from mops.odoo.provision import SetupPlan, SetupResult

# Conflicts about the chart's records are finance setup's own messages.
CONFLICT_MESSAGES = {
    "alias_missing": "finance_setup.conflict_alias_missing",
    "alias_mismatch": "finance_setup.conflict_alias_mismatch",
}


def render_check(report: CheckReport, out: Console) -> None:
    """The server, the modules, the access rights and the setup, each with what is missing."""
    for key, value in (
        ("odoo_server", report.url),
        ("odoo_database", report.database),
        ("odoo_version", report.server_version),
        ("odoo_user", f"{report.user_name} ({report.user_login})"),
        ("odoo_protocol", "JSON-2" if report.protocol == "json2" else "JSON-RPC (/jsonrpc)"),
    ):
        out.print(Text(f"{text(key)}: {value}"))
    for warning in report.warnings:
        out.print(Text(warning, style="yellow"), soft_wrap=True)
    modules = Table(text("odoo_module"), text("odoo_state"))
    for name, state in report.modules.items():
        if name in report.missing_modules:
            word = text("odoo_not_installed") if state else text("odoo_not_found")
            modules.add_row(name, Text(word, style="bold red"))
        else:
            modules.add_row(name, Text(text("odoo_installed"), style="green"))
    out.print(modules)
    if report.books is not None:
        render_books(report.books, out)
    for model in report.missing_models:
        out.print(Text(text("odoo_model_missing", model=model), style="bold red"))
    if report.missing_access:
        access = Table(
            text("odoo_model"), text("odoo_operation"), title=text("odoo_access_missing")
        )
        for model, operation in report.missing_access:
            access.add_row(model, operation)
        out.print(access)
    else:
        out.print(text("odoo_access_ok"))
    plan = report.plan
    if plan is None:
        out.print(Text(text("odoo_plan_unknown"), style="bold red"))
    elif plan.empty:
        out.print(text("odoo_provisioned"))
    else:
        pending = text("odoo_setup_pending", n=plan.changes, c=len(plan.conflicts))
        out.print(Text(pending, style="bold red"))
    if report.ok:
        out.print(text("odoo_check_ok"))
    else:
        out.print(Text(text("odoo_check_failed"), style="bold red"))


def render_books(books: CompanyBooks, out: Console) -> None:
    """The company's currency, country and chart, and plainly what finance needs otherwise."""
    none = text("finance_setup.none")
    out.print(Text(text("finance_setup.title"), style="bold"))
    out.print(Text(f"{text('finance_setup.company')}: {books.company}"))
    out.print(
        Text(
            text(
                "finance_setup.currency",
                currency=books.currency,
                decimals=books.decimal_places,
                rounding=f"{books.rounding:g}",
            )
        )
    )
    country = f"{books.country_name} ({books.country})" if books.country else none
    fiscal = (
        f"{books.fiscal_country_name} ({books.fiscal_country})" if books.fiscal_country else none
    )
    out.print(Text(text("finance_setup.country", country=country, fiscal=fiscal)))
    out.print(Text(text("finance_setup.chart", chart=books.chart or none)))
    for message, params in books.problems:
        out.print(Text(text(message, **params), style="bold red"), soft_wrap=True)
    if books.ok:
        expected = books.expected
        out.print(
            Text(
                text(
                    "finance_setup.ok",
                    currency=expected.currency,
                    country=expected.country,
                    chart=expected.chart,
                ),
                style="green",
            )
        )


def plan_rows(plan: SetupPlan) -> list[tuple[str, str, str, str]]:
    """(action, model, item, detail) of every change and conflict of a setup plan."""
    rows = []
    for feature in plan.features:
        detail = text("odoo_enable_detail", label=feature.label, models=", ".join(feature.models))
        rows.append((text("odoo_enable"), "res.config.settings", feature.setting, detail))
    for change in plan.fields:
        spec = change.spec
        if change.action == "create":
            detail = text("odoo_field", label=spec.label, type=spec.type)
        else:
            parts = []
            if change.new_options:
                parts.append(text("odoo_options", keys=", ".join(change.new_options)))
            if change.changes.get("index"):
                parts.append(text("odoo_index"))
            if change.changes.get("copied") is False:
                parts.append(text("odoo_no_copy"))
            detail = "; ".join(parts)
        rows.append((text(f"odoo_{change.action}"), spec.model, spec.name, detail))
    module = plan.spec.module
    for alias in plan.aliases:
        detail = text(
            "finance_setup.alias_detail",
            label=alias.spec.label,
            id=alias.res_id,
            found_by=alias.found_by,
        )
        item = f"{module}.{alias.spec.xmlid}"
        rows.append((text("finance_setup.alias"), alias.spec.model, item, detail))
    for change in plan.records:
        spec = change.spec
        parts = [spec.name] if change.action == "create" else []
        if change.action == "adopt" and change.adopted_from:
            parts.append(
                text(
                    "finance_setup.adopt_xmlid_detail", xmlid=change.adopted_from, id=change.res_id
                )
            )
        elif change.action == "adopt":
            parts.append(text("odoo_adopt_detail", id=change.res_id))
        parts += [text("odoo_set", field=k, value=v) for k, v in change.changes.items()]
        parts += [text("odoo_link", field=k, targets=", ".join(v)) for k, v in change.links.items()]
        item = f"{module}.{spec.xmlid}"
        rows.append((text(f"odoo_{change.action}"), spec.model, item, "; ".join(parts)))
    for conflict in plan.conflicts:
        message = CONFLICT_MESSAGES.get(conflict.kind, f"odoo_conflict_{conflict.kind}")
        detail = text(message, expected=conflict.expected, found=conflict.found)
        rows.append((text("odoo_conflict"), conflict.model, conflict.name, detail))
    return rows


def render_setup(
    plan: SetupPlan, result: SetupResult | None, out: Console, *, dry_run: bool
) -> None:
    """The plan as a table, then what was done (or that nothing was, on a dry run)."""
    rows = plan_rows(plan)
    if rows:
        table = Table(
            text("odoo_action"), text("odoo_model"), text("odoo_item"), text("odoo_detail")
        )
        conflict = text("odoo_conflict")
        for action, model, item, detail in rows:
            style = "bold red" if action == conflict else ""
            table.add_row(Text(action, style=style), model, item, Text(detail))
        out.print(table)
    if plan.unavailable:
        fields = ", ".join(f"{model}.{name}" for model, name in plan.unavailable)
        out.print(Text(text("odoo_unavailable", fields=fields), style="yellow"), soft_wrap=True)
    if plan.empty:
        out.print(text("odoo_nothing"))
    elif plan.changes and dry_run:
        out.print(text("odoo_dry_run", n=plan.changes))
    elif result is not None:
        if plan.features:
            names = ", ".join(f.label for f in plan.features)
            out.print(text("odoo_features_done", names=names))
        if result.aliases_created:
            out.print(text("finance_setup.aliases_done", n=result.aliases_created))
        out.print(
            text(
                "odoo_setup_done",
                fc=result.fields_created,
                fu=result.fields_updated,
                rc=result.records_created,
                ra=result.records_adopted,
                ru=result.records_updated,
                calls=result.calls,
                s=result.seconds,
            )
        )
    if plan.blocked:
        names = ", ".join(f"{plan.spec.module}.{x}" for x in plan.blocked)
        out.print(
            Text(text("finance_setup.blocked", n=len(plan.blocked), names=names)), soft_wrap=True
        )
    if plan.conflicts:
        out.print(Text(text("odoo_setup_conflicts", n=len(plan.conflicts)), style="bold red"))
