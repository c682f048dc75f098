"""Render a demo run for people: rows written by sheet, planted mistakes found, what to do next."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from mops.demodata.model import DemoRun
from mops.i18n import text
from mops.schemas.model import Lang
from mops.schemas.registry import WORKBOOKS


def render_demo(run: DemoRun, out: Console, lang: Lang) -> None:
    """The rows of each sheet, the planted mistakes kind by kind, the totals and next steps."""
    table = Table(text("workbook"), text("sheets"), text("rows"), title=str(run.folder))
    total = 0
    for wb in WORKBOOKS:
        for sheet in wb.sheets:
            n = run.counts.get(sheet.key, 0)
            total += n
            table.add_row(wb.title(lang), sheet.name(lang), f"{n:,}")
    out.print(table)
    out.print(text("demo_done", n=len(WORKBOOKS), rows=f"{total:,}", s=run.seconds, dir=run.folder))
    planted = Table(text("kind"), text("rule"), text("count"), text("found"), title=text("planted"))
    for check in run.checks:
        style = "green" if check.found == check.planted else "bold red"
        planted.add_row(check.kind, check.rule_id, str(check.planted), f"[{style}]{check.found}[/]")
    out.print(planted)
    if run.finance:
        finance = Table(
            text("kind"), text("count"), text("found"), title=text("reconcile.demo.title"),
            caption=text("reconcile.demo.odoo_side", n=run.finance_odoo_side),
        )  # fmt: skip
        for check in run.finance:
            style = "green" if check.found == check.planted else "bold red"
            finance.add_row(
                text(f"reconcile.class.{check.kind}"), str(check.planted),
                f"[{style}]{check.found}[/]",
            )  # fmt: skip
        out.print(finance)
    t = run.report.totals
    out.print(
        text(
            "demo_validated",
            found=run.found,
            planted=run.planted,
            e=t["error"],
            w=t["warning"],
            i=t["info"],
            s=run.report.seconds,
        )
    )
    if run.reports:
        folder = run.reports[0].parent
        out.print(text("rpt.demo_written", n=len(run.reports), dir=folder), soft_wrap=True)
    out.print(text("demo.next_nightly", dir=run.folder, as_of=run.as_of), soft_wrap=True)
