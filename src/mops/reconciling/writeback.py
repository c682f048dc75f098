"""A reconciliation into the workbooks: status and actuals cells, and a 對帳結果 sheet.

Two safe writes a workbook, each atomic with a backup (``mops.workbook.commit``), refused while
the workbook is open, patching only the parts they change (an .xlsm keeps its VBA project byte
for byte): first the values (``write_values``: each reconciled row's 對帳狀態/Reconciliation
cell, and on the expense budget the 帳上實際/Actual
(books) column from Odoo), written only where the row's key cell still holds the key that was
read; then the 對帳結果/Reconciliation sheet (``mops.workbook.annotate.write_back`` as owner
``reconcile``) with a summary on top (as of, which Odoo was read or the snapshot's age, lines by
class) and a row a line to look at, linked to its cell.

The cell fills and comments belong to ``mops validate --write-back``: the reconciliation
leaves them, and its sheet, alone, and each command replaces only its own previous results, so
a workbook carries the findings and the reconciliation side by side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from mops.errors import WorkbookError
from mops.i18n import text
from mops.reconciling.model import Line, LineClass, ReconcileResult, StatusCell
from mops.schemas.model import Lang
from mops.workbook.annotate import CellNote, FindingLine, FindingsLayout, write_back
from mops.workbook.cell_values import CellWrite, write_values
from mops.workbook.commit import restore
from mops.workbook.meta import FINDINGS_SHEETS, RECONCILE_SHEETS

COLUMNS = (
    "reconcile.col.class", "reconcile.col.key", "reconcile.col.sheet", "reconcile.col.cell",
    "reconcile.col.workbook", "reconcile.col.odoo", "reconcile.col.odoo_id",
    "reconcile.col.message",
)  # fmt: skip
WIDTHS = (22, 18, 14, 8, 16, 16, 10, 90)
GUIDE = ("說明", "Guide")
# Worth a look but not wrong: painted as warnings; everything else not ok as errors.
WARNINGS = frozenset({LineClass.NEAR_BUDGET, LineClass.OVERDUE})


@dataclass(frozen=True)
class ReconcileWritten:
    """What the write-back did to one workbook."""

    path: Path
    backups: tuple[Path, ...]  # one a write that changed the file (values, annotations)
    statuses: int  # status cells written
    actuals: int  # budget actuals written
    lines: int  # rows on the Reconciliation sheet
    refused: int  # cells not written (the row moved, a formula …)


def _severity(line: Line) -> str:
    return "warning" if line.cls in WARNINGS else "error"


def _status_text(classes: list[LineClass], lang: Lang) -> str:
    worst = [c for c in dict.fromkeys(classes) if not c.ok] or list(dict.fromkeys(classes))
    return text("reconcile.summary.separator", lang).join(c.label(lang) for c in worst)


def _holds(current: object, amount: Decimal) -> bool:
    """Whether a cell read as ``current`` already shows ``amount``."""
    if current is None or isinstance(current, bool):
        return False
    try:
        return Decimal(str(current)) == amount
    except ArithmeticError:
        return False


def _files_of(result: ReconcileResult) -> dict[str, str]:
    """kind → the workbook file its lines without a cell (Odoo only) are listed in."""
    out: dict[str, str] = {}
    for line in result.lines:
        if line.ref is not None:
            out.setdefault(line.kind, line.ref.file)
    return out


def source_text(result: ReconcileResult, lang: Lang | str, *, when: bool = True) -> str:
    """Which Odoo was read and when (unless ``when`` is false), the snapshot's age offline, or
    that none was."""
    odoo = result.odoo
    if not odoo.get("offline"):
        keys = ("url", "database", "version", "pulled_at")[: 4 if when else 3]
        message = "reconcile.summary.odoo" if when else "reconcile.summary.odoo_sheet"
        return text(message, lang, **{k: odoo.get(k) or "" for k in keys})
    if odoo.get("snapshot"):
        return text(
            "reconcile.summary.offline",
            lang,
            pulled_at=odoo.get("pulled_at"),
            age_hours=odoo.get("age_hours"),
        )
    return text("reconcile.summary.workbooks_only", lang)


def _summary(result: ReconcileResult, lang: Lang) -> tuple[tuple[str, str], ...]:
    # The sheet stays as it was when the results are the same: a read time would change it.
    source = source_text(result, lang, when=False)
    counts = Counter(line.cls for line in result.lines)
    by_class = text("reconcile.summary.separator", lang).join(
        text("reconcile.summary.item", lang, name=c.label(lang), n=counts[c])
        for c in LineClass
        if counts[c]
    )
    ok = sum(n for c, n in counts.items() if c.ok)
    return (
        (text("reconcile.summary.as_of_label", lang), result.as_of.isoformat()),
        (text("reconcile.summary.odoo_label", lang), source),
        (text("reconcile.summary.counts_label", lang), by_class),
        (
            text("reconcile.summary.unmatched_label", lang),
            text("reconcile.summary.unmatched", lang, n=result.unmatched, ok=ok),
        ),
    )


@dataclass(frozen=True)
class ResultMarks:
    """What one workbook gets from a reconciliation: its values and its Reconciliation sheet."""

    values: list[CellWrite]  # statuses and budget actuals, each guarded by its row's key cell
    lines: list[FindingLine]
    header: list[str]
    layout: FindingsLayout
    sheet_name: str
    # The cells stay unpainted: fills and comments are the validation's.
    notes: tuple[CellNote, ...] = ()


def result_marks(result: ReconcileResult, lang: Lang | str) -> dict[str, ResultMarks]:
    """Per workbook file read: its values and Reconciliation sheet, in ``lang``.

    The same whether they are patched into the file (``write_result``) or written through
    Excel by the finance workbook's Reconcile button (``mops.excel``).
    """
    lang = Lang(lang)
    listed = _files_of(result)
    values: dict[str, list[CellWrite]] = defaultdict(list)
    statuses: dict[tuple[str, str, str], tuple[list[LineClass], StatusCell]] = {}
    for line in result.lines:
        for s in line.status:
            statuses.setdefault((s.file, s.tab, s.cell), ([], s))[0].append(line.cls)
    # A cell that already holds what would be written is left out: a night with nothing
    # changed opens no workbook to write its values (and leaves every byte as it was).
    for (file, tab, cell), (classes, status) in statuses.items():
        label = _status_text(classes, lang)
        if status.current == label:
            continue
        values[file].append(
            CellWrite(
                tab,
                cell,
                label,
                as_text=True,
                check_cell=status.key_cell,
                check_value=status.key,
            )
        )
    for actual in result.actuals:
        if actual.ref.cell is not None and not _holds(actual.current, actual.amount):
            values[actual.ref.file].append(
                CellWrite(
                    actual.ref.tab, actual.ref.cell, actual.amount,
                    check_cell=actual.key_cell, check_value=actual.budget_id,
                )
            )  # fmt: skip
    per_file: dict[str, list[Line]] = defaultdict(list)
    for line in result.lines:
        if line.cls.ok:
            continue
        file = line.ref.file if line.ref else listed.get(line.kind)
        if file:
            per_file[file].append(line)
    summary = _summary(result, lang)
    unreadable = {f for f, _ in result.input_problems}
    return {
        file: ResultMarks(
            values=values.get(file, []),
            lines=[_row(line, lang) for line in per_file.get(file, [])],
            header=[text(c, lang) for c in COLUMNS],
            layout=FindingsLayout(
                title=text("reconcile.title", lang, file=Path(file).name),
                summary=summary,
                widths=WIDTHS,
                wrap=frozenset({7}),
                after=(*FINDINGS_SHEETS, *GUIDE),
                yield_to=frozenset(FINDINGS_SHEETS),
            ),
            sheet_name=text("reconcile.sheet", lang),
        )
        for file in result.files
        if file not in unreadable
    }


def write_result(
    result: ReconcileResult,
    lang: Lang | str,
    *,
    failed: list[tuple[str, WorkbookError]] | None = None,
) -> list[ReconcileWritten]:
    """Write ``result`` into every workbook it read; see the module docstring.

    A workbook that cannot be written (open in Excel, damaged) raises ``WorkbookError``; when a
    ``failed`` list is given, it is noted there instead and the other workbooks are still done.
    Either way a workbook gets both writes or neither.
    """
    written = []
    for file, marks in result_marks(result, lang).items():
        try:
            written.append(_write_file(result, file, marks))
        except WorkbookError as exc:
            if failed is None:
                raise
            failed.append((file, exc))
    return written


def _write_file(result: ReconcileResult, file: str, marks: ResultMarks) -> ReconcileWritten:
    """The values, then the sheet, into one workbook; the values undone if the sheet fails."""
    backups: list[Path] = []
    done = write_values(file, marks.values) if marks.values else None
    if done and done.backup:
        backups.append(done.backup)
    try:
        annotated = write_back(
            Path(file),
            [],
            marks.lines,
            header=marks.header,
            findings_sheet=marks.sheet_name,
            layout=marks.layout,
            owner="reconcile",
            sheet_names=RECONCILE_SHEETS,
        )
    except WorkbookError:
        if done and done.backup:
            restore(Path(file), done.backup)
        raise
    if annotated.backup:
        backups.append(annotated.backup)
    return ReconcileWritten(
        path=Path(file),
        backups=tuple(backups),
        statuses=done.written if done else 0,
        actuals=sum(1 for a in result.actuals if a.ref.file == file),
        lines=len(marks.lines),
        refused=len(done.refused) if done else 0,
    )


def _row(line: Line, lang: Lang) -> FindingLine:
    ref = line.ref
    return FindingLine(
        values=(
            line.cls.label(lang),
            line.key,
            ref.tab if ref else line.odoo_model,
            ref.cell if ref else None,
            float(line.workbook_amount) if line.workbook_amount is not None else None,
            float(line.odoo_amount) if line.odoo_amount is not None else None,
            line.odoo_id,
            line.message(lang),
        ),
        link_sheet=ref.tab if ref and ref.cell else None,
        link_cell=ref.cell if ref else None,
        severity=_severity(line),
    )
