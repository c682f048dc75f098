"""Render a validation report for people: a summary by rule and severity, then the findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mops.i18n import text
from mops.records import Severity, severity_label
from mops.schemas.model import Lang
from mops.validation.registry import RULES
from mops.validation.results import Report

if TYPE_CHECKING:  # rich is imported by the functions that print: JSON output needs none of it
    from rich.console import Console

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, console: Console, lang: Lang | str, limit: int = 50) -> None:
    """Print the summary by rule and severity, then the findings (at most ``limit``; 0 = all)."""
    from rich.table import Table
    from rich.text import Text

    lang = Lang(lang)
    for problem in report.input_problems:
        console.print(Text.assemble((text("report.unreadable", lang), "bold red"), problem.message))
    counts = report.counts()
    if counts:
        table = Table(
            text("report.rule", lang),
            text("report.what", lang),
            text("report.severity", lang),
            text("report.count", lang),
            title=text("report.title", lang),
        )
        for (rule_id, level), n in sorted(
            counts.items(), key=lambda kv: (Severity(kv[0][1]).rank, kv[0][0])
        ):
            rule = RULES.get(rule_id)
            title = (rule.title_en if lang is Lang.EN else rule.title_zh) if rule else ""
            severity = Severity(level)
            table.add_row(
                rule_id,
                title,
                f"[{STYLES[severity]}]{severity_label(severity, lang)}[/]",
                f"{n:,}",
            )
        console.print(table)
        shown = report.findings if limit == 0 else report.findings[:limit]
        for f in shown:
            where = f"{_short(f.file)} [{f.tab}]"
            if f.cell or f.row:
                where += f" {f.cell or f.row}"
            # One line a finding (greppable, no wrapped table cells); Text, not markup, because
            # the line holds "[tab]" brackets and the user's own data.
            console.print(
                Text.assemble(
                    (f"{severity_label(f.severity, lang)} ", STYLES[f.severity]),
                    (where, "bold"),
                    f"  {f.rule_id}  ",
                    f.message(lang),
                ),
                soft_wrap=True,
            )
        if len(report.findings) > len(shown):
            console.print(text("report.more", lang, n=len(report.findings) - len(shown)))
    elif not report.input_problems:
        console.print(f"[green]{text('report.clean', lang)}[/]")
    t = report.totals
    console.print(text("report.totals", lang, e=t["error"], w=t["warning"], i=t["info"]))
    console.print(
        text(
            "report.files" if len(report.files) != 1 else "report.file",
            lang,
            n=len(report.files),
            rows=f"{sum(report.rows.values()):,}",
            s=report.seconds,
            as_of=report.as_of,
        )
    )


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def render_written(results: list, console: Console, lang: Lang | str) -> None:
    """One line a workbook written back: where, how many cells marked and rows, the backup."""
    for done in results:
        if done.backup is None:
            line = text("report.written_unchanged", lang, file=done.path)
        else:
            line = text(
                "report.written",
                lang,
                file=done.path,
                cells=done.cells_marked,
                rows=done.findings_rows,
                sheet=done.findings_sheet or "",
                backup=done.backup,
            )
        console.print(line, soft_wrap=True)
