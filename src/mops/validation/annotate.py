"""Write a validation report back into the workbooks it came from (see mops.workbook.annotate).

Each workbook gets its own findings: errors and warnings marked on their cells (a fill and a
comment), and every finding, info included, on the Findings sheet. The workbook opens on that
sheet, placed right after the Guide: a summary on top (as-of date, counts by severity, by rule
and by owner, how to use the sheet), then a row per finding with its owner, the rule in words,
the message, the policy clause in words and the rule id, under a header with filters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from mops.errors import WorkbookError
from mops.i18n import pair, text
from mops.records import Finding, Severity, jsonable, severity_label
from mops.schemas.model import Lang
from mops.validation.registry import RULES
from mops.validation.results import MISSING_SHEET, Report
from mops.workbook.annotate import (
    CellNote,
    FindingLine,
    FindingsLayout,
    WriteBackResult,
    write_back,
)

# The columns of the Findings sheet, by message id; the first links to the cell.
COLUMNS = (
    "findings_sheet.where",
    "findings_sheet.severity",
    "findings.col.owner",
    "findings_sheet.rule",
    "findings_sheet.message",
    "findings_sheet.column",
    "findings_sheet.value",
    "findings.col.clause",
    "findings_sheet.sheet",
    "findings.col.rule_id",
)
MESSAGE, VALUE = COLUMNS.index("findings_sheet.message"), COLUMNS.index("findings_sheet.value")
WIDTHS = {1: 9.0, MESSAGE: 60.0, VALUE: 24.0}  # the others fit their content
WRAP = frozenset({MESSAGE, VALUE})
GUIDE = pair("guide.guide_sheet")  # the Findings sheet goes right after the Guide


def rule_title(rule_id: str, lang: Lang | str) -> str:
    """A rule's name as a person reads it (``enum`` → 不在選項清單中)."""
    rule = RULES.get(rule_id)
    if rule is not None:
        return rule.title_en if Lang(lang) is Lang.EN else rule.title_zh
    if rule_id == MISSING_SHEET:
        return text("findings.missing_sheet_title", lang)
    return rule_id


def clause_words(rule_id: str, lang: Lang | str) -> str:
    """The policy clause behind a rule, in words (``§5.3 客戶跟進與維護``)."""
    rule = RULES.get(rule_id)
    if rule is not None and rule.policy:
        return text(f"clause.{rule.policy}", lang)
    return text("clause.sync" if rule_id.startswith("sync-") else "clause.none", lang)


def _note_text(findings: list[Finding], lang: Lang) -> str:
    return "\n".join(f"[{rule_title(f.rule_id, lang)}] {f.message(lang)}" for f in findings)


def _line(f: Finding, lang: Lang) -> FindingLine:
    target = f.cell or (f"A{f.row}" if f.row else None)
    value = jsonable(f.value)
    values = {
        "findings_sheet.where": f"{f.tab}!{target}" if target else f.tab,
        "findings_sheet.severity": severity_label(f.severity, lang),
        "findings.col.owner": f.owner or "",
        "findings_sheet.rule": rule_title(f.rule_id, lang),
        "findings_sheet.message": f.message(lang),
        "findings_sheet.column": f.label or "",
        "findings_sheet.value": "" if value is None else str(value),
        "findings.col.clause": clause_words(f.rule_id, lang),
        "findings_sheet.sheet": f.tab,
        "findings.col.rule_id": f.rule_id,
    }
    return FindingLine(
        values=tuple(values[c] for c in COLUMNS),
        link_sheet=f.tab if target else None,
        link_cell=target,
        severity=str(f.severity),
    )


def _counted(counts: Counter, lang: Lang) -> str:
    """``name n``, most first (then by name), in one line."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return text("findings.separator", lang).join(
        text("findings.count_item", lang, name=name, n=n) for name, n in items
    )


def layout(
    file: str, findings: list[Finding], report: Report, lang: Lang, *, paint_info: bool
) -> FindingsLayout:
    """The Findings sheet of one workbook: its title and summary, widths, place."""
    by_severity = Counter(str(f.severity) for f in findings)
    no_owner = text("findings.no_owner", lang)
    summary = []
    if report.as_of is not None:
        summary.append(
            (
                text("findings.as_of_label", lang),
                text("findings.as_of", lang, as_of=report.as_of.isoformat()),
            )
        )
    summary += [
        (
            text("findings.counts_label", lang),
            text(
                "findings.counts",
                lang,
                e=by_severity[Severity.ERROR.value],
                w=by_severity[Severity.WARNING.value],
                i=by_severity[Severity.INFO.value],
                n=len(findings),
            ),
        ),
        (
            text("findings.by_rule_label", lang),
            _counted(Counter(rule_title(f.rule_id, lang) for f in findings), lang),
        ),
        (
            text("findings.by_owner_label", lang),
            _counted(Counter(f.owner or no_owner for f in findings), lang),
        ),
        (
            text("findings.how_label", lang),
            text("findings.how_info_painted" if paint_info else "findings.how", lang),
        ),
    ]
    return FindingsLayout(
        title=text("findings.title", lang, file=Path(file).name),
        summary=tuple(summary),
        widths=tuple(WIDTHS.get(i) for i in range(len(COLUMNS))),
        wrap=WRAP,
        after=GUIDE,
        yield_to=frozenset(pair("reconcile.sheet")),
    )


@dataclass(frozen=True)
class BookAnnotations:
    """What a workbook gets from a report: marked cells, the Findings sheet's lines and layout."""

    notes: list[CellNote]
    lines: list[FindingLine]
    header: list[str]
    layout: FindingsLayout
    sheet_name: str


def book_annotations(
    report: Report, file: str, lang: Lang | str, *, paint_info: bool = False
) -> BookAnnotations:
    """The marks and the Findings sheet of one workbook of the report, in ``lang``.

    The same whether they are patched into the file (``annotate_files``) or written through
    Excel by the finance workbook's buttons (``mops.excel``).
    """
    lang = Lang(lang)
    findings = [f for f in report.findings if f.file == file]
    per_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.cell and (paint_info or f.severity is not Severity.INFO):
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
    return BookAnnotations(
        notes=notes,
        lines=[_line(f, lang) for f in findings],
        header=[text(c, lang) for c in COLUMNS],
        layout=layout(file, findings, report, lang, paint_info=paint_info),
        sheet_name=text("findings_sheet.name", lang),
    )


def annotate_files(
    report: Report,
    lang: Lang | str,
    *,
    paint_info: bool = False,
    failed: list[tuple[str, WorkbookError]] | None = None,
) -> list[WriteBackResult]:
    """Annotate every readable workbook of the report with its own findings (none: cleaned).

    Errors and warnings are marked on their cells; infos (values read with an assumption) only
    with ``paint_info``, else they are on the Findings sheet alone. A workbook that cannot be
    written (open in Excel, damaged) raises ``WorkbookError``; when a ``failed`` list is given,
    it is noted there instead and the other workbooks are still done.
    """
    lang = Lang(lang)
    unreadable = {p.file for p in report.input_problems}
    results = []
    for file in report.files:
        if file in unreadable:
            continue
        marks = book_annotations(report, file, lang, paint_info=paint_info)
        try:
            results.append(
                write_back(
                    Path(file),
                    marks.notes,
                    marks.lines,
                    header=marks.header,
                    findings_sheet=marks.sheet_name,
                    layout=marks.layout,
                    owner="validate",
                    sheet_names=pair("findings_sheet.name"),
                )
            )
        except WorkbookError as exc:
            if failed is None:
                raise
            failed.append((file, exc))
    return results
