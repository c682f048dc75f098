"""The Python behind the finance workbook's buttons (finance.xlsm), run by xlwings' RunPython.

Each button's VBA Sub (``integrations/excel/mops.bas``) runs one function here with no
argument; the function takes the workbook that called it (``xw.Book.caller()``), hands its
sheets to the library in memory and writes the results back into it through xlwings. Tests pass
``book`` (a fake of the few xlwings objects used, see ``mops.excel.book``) and ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

__all__ = ["open_report", "pull_from_odoo", "reconcile_book", "validate_book"]


def _caller(book: Any | None) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _config(config: Any, book: Any) -> Any:
    """The configuration in force for a button: $MOPS_CONFIG, else the workbook folder's
    mops.toml (Excel starts Python in another folder, so ./mops.toml would not be it)."""
    import os

    import mops
    from mops.config import CONFIG_ENV, FILENAME
    from mops.excel import book as xl

    if config is not None:
        return config
    local = xl.path_of(book).parent / FILENAME
    if not os.environ.get(CONFIG_ENV) and xl.path_of(book).is_absolute() and local.is_file():
        return mops.load_config(local)
    return mops.load_config()


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


def _start(book: Any | None, button: str, config: Any) -> tuple | None:
    """A button's first steps: the calling book, its status cell, path, values, settings and
    language; None when the settings cannot be read (said on the control sheet)."""
    import mops
    from mops.excel import book as xl
    from mops.i18n import text

    book = _caller(book)
    status = xl.button(button)
    values = xl.book_values(book)
    path = xl.path_of(book)
    try:
        config = _config(config, book)
    except mops.MopsError as exc:
        lang = xl.language(values, "zh-TW")
        xl.write_status(book, status, text("excel.status.failed", lang, when=_now(), error=exc))
        return None
    return book, status, path, values, config, xl.language(values, config.general.language)


def validate_book(book: Any | None = None, *, as_of: dt.date | None = None, config=None) -> Any:
    """Button 驗證本活頁簿 Validate this workbook: findings on its cells and a Findings sheet.

    The open workbook is validated as Excel holds it, together with the other workbooks of its
    folder (what it refers to); only its own findings are written into it. Returns the report.
    """
    import mops
    from mops.excel import book as xl
    from mops.i18n import text
    from mops.validation.annotate import book_annotations

    started = _start(book, "validate_book", config)
    if started is None:
        return None
    book, status, path, values, config, lang = started
    try:
        frames = mops.read_workbook_values(str(path), values)
        beside = [path.parent] if path.parent.is_dir() and path.is_absolute() else []
        report = mops.validate_frames([frames], as_of=as_of, config=config, beside=beside)
    except mops.MopsError as exc:
        # Said on the control sheet in the workbook's language, not as a traceback box.
        xl.write_status(book, status, text("excel.status.failed", lang, when=_now(), error=exc))
        return None
    xl.clear_previous(book)
    marks = book_annotations(report, str(path), lang, paint_info=config.validation.paint_info)
    xl.write_annotations(book, marks, lang)
    mine = [f for f in report.findings if f.file == str(path)]
    counts = {
        s: sum(1 for f in mine if f.severity.value == s) for s in ("error", "warning", "info")
    }
    message = text(
        "excel.status.validated",
        lang,
        when=_now(),
        e=counts["error"],
        w=counts["warning"],
        i=counts["info"],
        as_of=report.as_of.isoformat() if report.as_of else "",
        sheet=marks.sheet_name,
    )
    if report.input_problems:
        files = ", ".join(p.file for p in report.input_problems)
        message += text("excel.status.unreadable", lang, files=files)
    xl.write_status(book, status, message)
    return report


def pull_from_odoo(book: Any | None = None, *, as_of: dt.date | None = None, config=None) -> Any:
    """Button 從 Odoo 拉取 Pull from Odoo: the columns Odoo owns, from Odoo into this workbook.

    Excel saves the workbook first (the sync reads the folder's files); the folder is synced as
    a dry run (nothing is written to Odoo or to a file) and Odoo's values are written into the
    open workbook through xlwings, each only while its row still holds the same record.
    Returns the ``BookPull``, or None when it could not run (said on the control sheet).
    """
    import mops
    from mops.excel import book as xl
    from mops.i18n import text

    started = _start(book, "pull_from_odoo", config)
    if started is None:
        return None
    book, status, path, _, config, lang = started
    if not path.is_absolute():
        xl.write_status(book, status, text("excel.status.unsaved", lang))
        return None
    book.save()
    values = xl.book_values(book)
    try:
        frames = mops.read_workbook_values(str(path), values)
        pulled = mops.pull_into(frames, [path.parent], as_of=as_of, config=config)
    except mops.MopsError as exc:
        xl.write_status(book, status, text("excel.status.failed", lang, when=_now(), error=exc))
        return None
    written, skipped = xl.write_cells(book, pulled.writes)
    xl.write_status(
        book,
        status,
        text(
            "excel.status.pulled",
            lang,
            when=_now(),
            written=written,
            skipped=skipped + len(pulled.problems),
            code=pulled.exit_code,
        ),
    )
    return pulled


def reconcile_book(
    book: Any | None = None,
    *,
    as_of: dt.date | None = None,
    config=None,
    offline: bool = False,
) -> Any:
    """Button 對帳 Reconcile: this workbook's finance sheets against Odoo's books.

    The workbook is read as Excel holds it (unsaved edits included) and reconciled as
    ``mops reconcile all`` does (``offline``: against the last snapshot, or the workbook alone);
    each row's status, the budget's actuals and the Reconciliation sheet are written into it
    through xlwings, replacing only the previous reconciliation (the Findings sheet and the
    validation's marks stay). Returns the ``ReconcileResult``, or None when it could not run
    (said on the control sheet).
    """
    import mops
    from mops.excel import book as xl
    from mops.i18n import text
    from mops.reconciling.writeback import result_marks, source_text
    from mops.syncing.state import default_state_path
    from mops.workbook.meta import RECONCILE_SHEETS

    started = _start(book, "reconcile_book", config)
    if started is None:
        return None
    book, status, path, values, config, lang = started
    if not path.is_absolute():
        # The snapshot of Odoo's books is kept beside the workbook: it needs a folder.
        xl.write_status(book, status, text("excel.status.unsaved_reconcile", lang))
        return None
    try:
        frames = mops.read_workbook_values(str(path), values)
        result = mops.reconcile_frames(
            [frames], "all", state=default_state_path([path]), as_of=as_of, config=config,
            offline=offline,
        )  # fmt: skip
    except mops.MopsError as exc:
        xl.write_status(book, status, text("excel.status.failed", lang, when=_now(), error=exc))
        return None
    marks = result_marks(result, lang).get(str(path))
    written = skipped = 0
    xl.clear_previous(book, RECONCILE_SHEETS)
    if marks is not None:
        written, skipped = xl.write_cells(book, marks.values)
        if marks.lines:
            xl.write_annotations(book, marks, lang)
    xl.write_status(
        book,
        status,
        text(
            "excel.status.reconciled",
            lang,
            when=_now(),
            lines=len(result.lines),
            unmatched=result.unmatched,
            source=source_text(result, lang),
            sheet=text("reconcile.sheet", lang),
            written=written,
            skipped=skipped,
        ),
    )
    return result


# The reports about what the finance workbook holds (``mops report`` names).
FINANCE_REPORTS = ("contracts", "expenses")


def open_report(
    book: Any | None = None,
    *,
    as_of: dt.date | None = None,
    config=None,
    opener: Callable[[str], object] | None = None,
) -> Any:
    """Button 開啟報表 Open the report: the finance reports of the folder, in the browser.

    Excel saves the workbook first (the reports read the folder's files); the contracts and
    expenses reports are written as ``mops report`` writes them (``reports/`` beside the
    workbooks) and each is opened with ``opener`` (the system's browser). Returns the
    ``ReportRun``, or None when it could not run (said on the control sheet).
    """
    import webbrowser

    import mops
    from mops.excel import book as xl
    from mops.i18n import text

    started = _start(book, "open_report", config)
    if started is None:
        return None
    book, status, path, _, config, lang = started
    if not path.is_absolute():
        xl.write_status(book, status, text("excel.status.unsaved", lang))
        return None
    book.save()
    try:
        run = mops.report(FINANCE_REPORTS, [path.parent], as_of=as_of, lang=lang, config=config)
    except mops.MopsError as exc:
        xl.write_status(book, status, text("excel.status.failed", lang, when=_now(), error=exc))
        return None
    for report in run.files:
        (opener or webbrowser.open)(report.path.resolve().as_uri())
    names = ", ".join(f.path.name for f in run.files)
    xl.write_status(book, status, text("excel.status.reported", lang, when=_now(), files=names))
    return run
