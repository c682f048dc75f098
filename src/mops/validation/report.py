"""Render a validation report for people: a summary by rule and severity, then the findings."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mops.records import Severity, severity_label
from mops.schemas.model import Lang
from mops.validation.registry import RULES
from mops.validation.results import Report

WORDS = {
    Lang.ZH_TW: {
        "title": "檢核結果",
        "rule": "規則",
        "what": "說明",
        "count": "筆數",
        "where": "位置",
        "message": "訊息",
        "files": "檢核 {n} 個檔案、{rows} 列資料，用時 {s:.1f} 秒（基準日 {as_of}）。",
        "clean": "沒有發現問題。",
        "totals": "錯誤 {e} 筆、警告 {w} 筆、提示 {i} 筆。",
        "more": "……另有 {n} 筆未列出；完整清單請用 --format json 或 --write-back。",
        "unreadable": "無法讀取：",
    },
    Lang.EN: {
        "title": "Findings",
        "rule": "Rule",
        "what": "What",
        "count": "Count",
        "where": "Where",
        "message": "Message",
        "files": "Checked {n} files, {rows} rows in {s:.1f} s (as of {as_of}).",
        "clean": "No problems found.",
        "totals": "{e} errors, {w} warnings, {i} info.",
        "more": "… {n} more not shown; use --format json or --write-back for all of them.",
        "unreadable": "Could not read: ",
    },
}

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, console: Console, lang: Lang | str, limit: int = 50) -> None:
    """Print the summary by rule and severity, then the findings (at most ``limit``; 0 = all)."""
    lang = Lang(lang)
    words = WORDS[lang]
    for problem in report.input_problems:
        console.print(Text.assemble((words["unreadable"], "bold red"), problem.message))
    counts = report.counts()
    if counts:
        table = Table(words["rule"], words["what"], "", words["count"], title=words["title"])
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
            console.print(words["more"].format(n=len(report.findings) - len(shown)))
    elif not report.input_problems:
        console.print(f"[green]{words['clean']}[/]")
    t = report.totals
    console.print(words["totals"].format(e=t["error"], w=t["warning"], i=t["info"]))
    console.print(
        words["files"].format(
            n=len(report.files),
            rows=f"{sum(report.rows.values()):,}",
            s=report.seconds,
            as_of=report.as_of,
        )
    )


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]
