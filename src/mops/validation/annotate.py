"""Write a validation report back into the workbooks it came from (see mops.workbook.annotate)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from mops.errors import WorkbookError
from mops.i18n import text
from mops.records import Finding, Severity, jsonable, severity_label
from mops.schemas.model import Lang
from mops.validation.registry import RULES
from mops.validation.results import Report
from mops.workbook.annotate import CellNote, FindingLine, WriteBackResult, write_back

HEADER = ("where", "severity", "rule", "what", "sheet", "column", "value", "message")


def _note_text(findings: list[Finding], lang: Lang) -> str:
    return "\n".join(f"[{f.rule_id}] {f.message(lang)}" for f in findings)


def _line(f: Finding, lang: Lang) -> FindingLine:
    rule = RULES.get(f.rule_id)
    title = (rule.title_en if lang is Lang.EN else rule.title_zh) if rule else ""
    target = f.cell or (f"A{f.row}" if f.row else None)
    value = jsonable(f.value)
    return FindingLine(
        values=(
            f"{f.tab}!{target}" if target else f.tab,
            severity_label(f.severity, lang),
            f.rule_id,
            title,
            f.tab,
            f.label or "",
            "" if value is None else str(value),
            f.message(lang),
        ),
        link_sheet=f.tab if target else None,
        link_cell=target,
        severity=str(f.severity),
    )


def annotate_files(
    report: Report,
    lang: Lang | str,
    *,
    failed: list[tuple[str, WorkbookError]] | None = None,
) -> list[WriteBackResult]:
    """Annotate every readable workbook of the report with its own findings (none: cleaned).

    A workbook that cannot be written (open in Excel, damaged) raises ``WorkbookError``; when a
    ``failed`` list is given, it is noted there instead and the other workbooks are still done.
    """
    lang = Lang(lang)
    unreadable = {p.file for p in report.input_problems}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_file[f.file].append(f)
    results = []
    for file in report.files:
        if file in unreadable:
            continue
        findings = by_file.get(file, [])
        per_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in findings:
            if f.cell:
                per_cell[(f.tab, f.cell)].append(f)
        notes = [
            CellNote(
                sheet=tab,
                cell=cell,
                severity=str(min((f.severity for f in group), key=lambda s: Severity(s).rank)),
                text=_note_text(group, lang),
            )
            for (tab, cell), group in per_cell.items()
        ]
        lines = [_line(f, lang) for f in findings]
        try:
            results.append(
                write_back(
                    Path(file),
                    notes,
                    lines,
                    header=[text(f"findings_sheet.{h}", lang) for h in HEADER],
                    findings_sheet=text("findings_sheet.name", lang),
                )
            )
        except WorkbookError as exc:
            if failed is None:
                raise
            failed.append((file, exc))
    return results
