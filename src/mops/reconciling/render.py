"""Print a reconciliation for people: lines per class with both sides' totals, then the lines."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mops.i18n import text
from mops.reconciling.model import LineClass, ReconcileResult
from mops.reconciling.writeback import ReconcileWritten, source_text
from mops.schemas.model import Lang


def render(result: ReconcileResult, console: Console, lang: Lang | str, limit: int = 50) -> None:
    """The totals by class, then the lines that need a person (at most ``limit``; 0 = all)."""
    lang = Lang(lang)
    for file, problem in result.input_problems:
        console.print(
            Text.assemble((text("report.unreadable", lang), "bold red"), f"{file}: {problem}")
        )
    source = source_text(result, lang)
    counts = Counter(line.cls for line in result.lines)
    amounts = result.amounts
    table = Table(
        text("reconcile.col.class", lang),
        text("report.count", lang),
        text("reconcile.col.workbook", lang),
        text("reconcile.col.odoo", lang),
        title=text("reconcile.printed.title", lang, kind=result.kind, as_of=result.as_of),
        caption=source,
    )
    for c in LineClass:
        if counts[c]:
            style = "green" if c.ok else ("yellow" if c in (LineClass.NEAR_BUDGET,) else "red")
            table.add_row(
                f"[{style}]{c.label(lang)}[/]",
                f"{counts[c]:,}",
                _amount(amounts[c.value]["workbook"]),
                _amount(amounts[c.value]["odoo"]),
            )
    console.print(table)
    todo = [line for line in result.lines if not line.cls.ok]
    if not todo:
        console.print(text("reconcile.printed.all_ok", lang), style="green")
        return
    shown = todo if limit == 0 else todo[:limit]
    for line in shown:
        where = (
            f"[{line.ref.tab}] {line.ref.cell or line.ref.row}"
            if line.ref
            else (line.odoo_model or "")
        )
        console.print(
            Text.assemble(
                (
                    f"{line.cls.label(lang)} ",
                    "red" if line.cls is not LineClass.NEAR_BUDGET else "yellow",
                ),
                (where, "bold"),
                "  ",
                line.message(lang),
            ),
            soft_wrap=True,
        )
    if len(shown) < len(todo):
        console.print(text("reconcile.printed.shown", lang, n=len(shown)), style="dim")


def _amount(value: str) -> str:
    return f"{Decimal(value):,}"


def render_written(written: list[ReconcileWritten], console: Console, lang: Lang | str) -> None:
    """Which workbooks the write-back changed, and the backups."""
    for w in written:
        if not w.backups:
            if w.lines or w.statuses:
                console.print(text("reconcile.printed.unchanged", lang, path=w.path))
            continue
        console.print(
            text(
                "reconcile.printed.wrote", lang, path=w.path, lines=w.lines, statuses=w.statuses,
                actuals=w.actuals, backup=", ".join(str(b) for b in w.backups),
            )
        )  # fmt: skip
