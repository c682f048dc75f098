"""The public library API: every operation of mops as a plain function with a typed result.

``import mops`` exposes these names (lazily, see ``mops.__init__``); the command line, the
Excel macros and the nightly job are thin callers of them. Each function takes an optional
``config`` (``mops.load_config()`` when omitted) and returns a value that can be rendered, turned
into JSON or inspected; none of them prints. Errors a person can act on are raised as
``mops.errors.MopsError`` subclasses with a message in the current language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mops.config import Config, load_config
from mops.errors import InputError, TargetExistsError
from mops.i18n import current_lang, text
from mops.schemas.model import Lang

if TYPE_CHECKING:
    from mops.odoo.check import CheckReport
    from mops.odoo.client import OdooClient
    from mops.odoo.provision import SetupPlan, SetupResult
    from mops.reconciling.model import ReconcileResult
    from mops.reports.figures import OdooFigures
    from mops.reports.run import ReportRun
    from mops.reports.summary import RunStep
    from mops.syncing.run import SyncOutcome
    from mops.syncing.state import JournalEntry, Run
    from mops.validation.context import Dataset
    from mops.validation.results import Report
    from mops.workbook.frames import BookFrames

Progress = Callable[[str], None]
Advance = Callable[[int, int], None]


def declared_workbooks() -> list:
    """The declared workbooks (``WorkbookDef``): file name, titles, sheets and columns."""
    from mops.schemas.registry import WORKBOOKS

    return list(WORKBOOKS)


def _config(config: Config | None) -> Config:
    return config if config is not None else load_config()


def _lang(lang: Lang | str | None) -> Lang:
    return Lang(lang) if lang else current_lang.get()


# ---------------------------------------------------------------------------------------------
# Workbooks


def new_workbooks(
    folder: Path | str, *, lang: Lang | str | None = None, force: bool = False
) -> list[Path]:
    """Write the blank workbook suite into ``folder``; refuse to overwrite unless ``force``."""
    from mops.schemas.registry import WORKBOOKS
    from mops.workbook.writer import write_workbook

    folder = Path(folder)
    lang = _lang(lang)
    targets = [folder / wb.filename for wb in WORKBOOKS]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise TargetExistsError(
            text("target_exists", path=", ".join(str(p) for p in existing)),
            hint=text("target_exists_hint"),
        )
    for wb, path in zip(WORKBOOKS, targets, strict=True):
        write_workbook(wb, path, lang=lang)
    return targets


def new_finance_workbook(
    folder: Path | str = ".", *, lang: Lang | str | None = None, force: bool = False
) -> Path:
    """Write ``finance.xlsm``: the finance sheets, a control sheet with buttons, the macros."""
    from mops.schemas.finance import FINANCE
    from mops.workbook.xlsm import write_finance_workbook

    path = Path(folder) / FINANCE.filename
    if path.exists() and not force:
        raise TargetExistsError(text("target_exists", path=path), hint=text("target_exists_hint"))
    return write_finance_workbook(path, lang=_lang(lang))


# ---------------------------------------------------------------------------------------------
# Validation


def validate(
    paths: Iterable[Path | str] | Path | str,
    *,
    as_of: dt.date | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    advance: Advance | None = None,
) -> Report:
    """Validate workbooks (files or folders) against their declarations and the policy."""
    from mops.validation.engine import validate_paths
    from mops.workbook import prefetch

    config = _config(config)
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    # Parse in background threads while the rules are imported (a no-op if already started).
    prefetch.start(prefetch.expand_paths(paths), config.limits)
    return validate_paths(paths, config, as_of=as_of, progress=progress, advance=advance)


def read_workbook_values(name: str, sheets: Mapping[str, Sequence[Sequence[object]]]) -> BookFrames:
    """A workbook held in memory (tab name → rows of cell values), read like a file.

    This is how an open Excel workbook reaches mops (``xw.Book.caller()`` through xlwings):
    values as Excel gives them (text, numbers, dates, booleans), the first rows may hold a
    title block, the header is found as in a file. ``name`` stands for the file in findings.
    """
    from mops.workbook.memory import frames_from_values

    return frames_from_values(name, sheets)


def validate_frames(
    books: Iterable[BookFrames],
    *,
    as_of: dt.date | None = None,
    config: Config | None = None,
    beside: Iterable[Path | str] | Path | str = (),
) -> Report:
    """Validate workbooks already in memory (see ``read_workbook_values``).

    ``beside`` names workbook files or folders read too, for what the books in memory refer to
    (customers, the roster …): a sheet the books in memory hold is taken from them, never from
    a file, and the files the books in memory stand for are not read at all (Excel holds them).
    """
    from dataclasses import replace

    from mops.validation.engine import read_books, validate_books
    from mops.workbook.prefetch import expand_paths

    config = _config(config)
    books = list(books)
    held = {key for book in books for key in book.sheets}
    mine = {book.path.resolve() for book in books}
    beside = [beside] if isinstance(beside, str | Path) else list(beside)
    files = [p for p in expand_paths(beside) if p.resolve() not in mine]
    others, problems = read_books(files, config)
    for other in others:
        # Its copy of a sheet held in memory is left out, so no record is counted twice and
        # its absence is no "missing sheet".
        kept = tuple(s for s in other.definition.sheets if s.key not in held)
        books.append(
            replace(
                other,
                definition=replace(other.definition, sheets=kept),
                sheets={k: v for k, v in other.sheets.items() if k not in held},
            )
        )
    report = validate_books(books, config, as_of=as_of)[0]
    report.input_problems = problems
    return report


def write_back(
    report: Report, *, lang: Lang | str | None = None, config: Config | None = None
) -> list:
    """Write a report's findings into the workbooks it read (cells marked, a Findings sheet).

    Errors and warnings are marked on their cells; infos too when ``[validation] paint_info``
    is set, else they are listed on the Findings sheet only. The workbook opens on that sheet.
    Returns one ``WriteBackResult`` a workbook: where it was written, the backup, the counts.
    """
    from mops.validation.annotate import annotate_files

    paint_info = _config(config).validation.paint_info
    return annotate_files(report, _lang(lang), paint_info=paint_info)


# ---------------------------------------------------------------------------------------------
# Demo


# ---------------------------------------------------------------------------------------------
# Odoo


def _client(config: Config):
    from mops.odoo.connect import connect_configured
    from mops.odoo.settings import settings_from_config

    return connect_configured(settings_from_config(config))


def odoo_check(*, config: Config | None = None) -> CheckReport:
    """Check the Odoo server, the user's rights, the modules and the mops setup (reads only)."""
    from mops.odoo.check import check_server

    return check_server(_client(_config(config)))


def odoo_demo_users(folder: Path | str = "demo", *, config: Config | None = None):
    """Create the demo roster's people as users in the configured Odoo (demo databases only).

    Refused unless ``folder`` was written by ``mops demo`` and the database holds no users but
    Odoo's own and earlier demo users. Returns a ``DemoUsers`` (created, existing, skipped).
    """
    from mops.odoo.demo_users import create_demo_users, roster_people

    people = roster_people(Path(folder))
    return create_demo_users(_client(_config(config)), people)


def init_config(
    folder: Path | str = ".", *, lang: Lang | str | None = None, force: bool = False
) -> Path:
    """Write a commented ``mops.toml`` with the settings a firm sets first (Odoo, language)."""
    path = Path(folder) / "mops.toml"
    if path.exists() and not force:
        raise TargetExistsError(
            text("target_exists", path=path), hint=text("init_exists_hint", path=path)
        )
    lang = _lang(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text("init.template", lang, language=lang.value) + "\n", encoding="utf-8")
    return path


@dataclass
class SetupRun:
    """What ``mops.odoo_setup`` planned and, unless a dry run, did."""

    plan: SetupPlan
    result: SetupResult | None = None
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        """1 when a conflict is left for a person to decide, else 0."""
        return 1 if self.plan.conflicts else 0


def odoo_setup(
    *, dry_run: bool = False, config: Config | None = None, progress: Progress | None = None
) -> SetupRun:
    """Create the custom fields and records mops needs in Odoo; ``dry_run`` changes nothing."""
    from mops.odoo.provision import apply_setup, load_spec, plan_setup

    say = progress or (lambda message: None)
    client = _client(_config(config))
    say(text("odoo_reading"))
    plan = plan_setup(client, load_spec())
    run = SetupRun(plan, dry_run=dry_run)
    if plan.changes and not dry_run:
        say(text("odoo_writing"))
        run.result = apply_setup(client, plan)
    return run


# ---------------------------------------------------------------------------------------------
# Sync


def sync(
    paths: Iterable[Path | str] | Path | str = (),
    *,
    dry_run: bool = False,
    plan: Path | str | None = None,
    save_plan: Path | str | None = None,
    as_of: dt.date | None = None,
    state: Path | str | None = None,
    pull_back: bool = True,
    config: Config | None = None,
    progress: Progress | None = None,
    validated: tuple[Report, Dataset] | None = None,
    client: OdooClient | None = None,
) -> SyncOutcome:
    """Sync workbooks with Odoo both ways: validate, plan, apply (unless ``dry_run``), pull back.

    ``plan`` applies a plan saved earlier with ``save_plan`` instead of planning anew; it is
    refused when Odoo changed since. ``validated`` is the ``(report, dataset)`` of a
    validation of the same workbooks just made, used instead of validating them again;
    ``client`` a logged-in Odoo client to use instead of connecting. The result's
    ``exit_code`` is the CLI's.
    """
    from mops.syncing.run import sync_paths

    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if not paths and plan is None:
        raise InputError(text("sync_no_paths"), hint=text("sync_no_paths_hint"))
    return sync_paths(
        paths,
        _config(config),
        dry_run=dry_run,
        plan_file=Path(plan) if plan else None,
        save_plan=Path(save_plan) if save_plan else None,
        as_of=as_of,
        state_path=Path(state) if state else None,
        progress=progress,
        pull_back=pull_back,
        validated=validated,
        client=client,
    )


@dataclass
class BookPull:
    """What Odoo holds for the Odoo-owned cells of a workbook in memory (nothing written)."""

    outcome: SyncOutcome  # the dry-run sync that read Odoo: its plan and validation report
    writes: list  # CellWrite: tab, cell, value as the workbook shows it, guarded by a key cell
    problems: list  # PullBackProblem: values with no place in the workbook

    @property
    def exit_code(self) -> int:
        """The dry-run sync's exit code; 1 also when a value had no place in the workbook."""
        return self.outcome.exit_code or (1 if self.problems else 0)


def pull_into(
    book: BookFrames,
    paths: Iterable[Path | str] | Path | str = (),
    *,
    as_of: dt.date | None = None,
    state: Path | str | None = None,
    config: Config | None = None,
) -> BookPull:
    """Odoo's values for a workbook held in memory (an open Excel book), without writing any.

    ``paths`` (the book's folder, its own file as last saved among them) are synced as a dry
    run: Odoo is read, nothing is written to Odoo or to a file. The values the sync would pull
    back into the book's file are placed on ``book`` as it is in memory, each to be written only
    while its row's key cell still holds the same record.
    """
    from mops.syncing.pullback import place_values
    from mops.syncing.run import pull_back_values

    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    outcome = sync(paths or [book.path], dry_run=True, as_of=as_of, state=state, config=config)
    mine = book.path.resolve()
    cells = [c for c in pull_back_values(outcome.plan) if Path(c.file).resolve() == mine]
    placed = place_values(str(book.path), book, cells)
    problems = placed.missing + [p for _, p in sorted(placed.problems, key=lambda x: x[0])]
    return BookPull(outcome, placed.writes, problems)


@dataclass
class SyncLog:
    """Past sync runs and the changes they applied."""

    state_path: Path
    runs: list[Run]
    entries: list[JournalEntry]


def sync_log(
    path: Path | str = ".",
    *,
    state: Path | str | None = None,
    run: int | None = None,
    limit: int = 50,
) -> SyncLog:
    """The sync runs recorded beside the workbooks at ``path`` (or in ``state``)."""
    from mops.syncing.state import FILENAME, StateStore

    path = Path(path)
    state_path = Path(state) if state else (path if path.is_dir() else path.parent) / FILENAME
    if not state_path.is_file():
        raise InputError(text("sync_no_state", path=state_path), hint=text("sync_no_state_hint"))
    with StateStore(state_path) as store:
        runs = store.runs(limit=10 if run is None else 1000)
        if run is not None:
            runs = [r for r in runs if r.run_id == run]
        entries = store.journal(run_id=run, limit=limit)
    return SyncLog(state_path, runs, entries)


# ---------------------------------------------------------------------------------------------
# Reconciliation


def reconcile(
    kind: str = "all",
    paths: Iterable[Path | str] | Path | str = (),
    *,
    as_of: dt.date | None = None,
    config: Config | None = None,
    write_back: bool = False,
    offline: bool = False,
    state: Path | str | None = None,
    lang: Lang | str | None = None,
    progress: Progress | None = None,
    validated: tuple[Report, Dataset] | None = None,
    client: OdooClient | None = None,
) -> ReconcileResult:
    """Reconcile the finance workbooks with Odoo: every line classified, exit 1 when unmatched.

    ``kind`` is claims, contracts, budget or all. Odoo is read (and what was read is kept as a
    snapshot in the state store beside the workbooks, or ``state``); ``offline`` uses that
    snapshot instead, or the workbooks alone when there is none. ``write_back`` writes the
    statuses, the budget's actuals and a Reconciliation sheet into the workbooks
    (``result.written``). ``validated`` is the ``(report, dataset)`` of a validation of the
    same workbooks just made, used instead of validating them again; ``client`` a logged-in
    Odoo client to use instead of connecting.
    """
    from mops.reconciling.run import reconcile_paths
    from mops.reconciling.writeback import write_result

    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if not paths:
        raise InputError(text("reconcile.no_paths"), hint=text("reconcile.no_paths_hint"))
    result = reconcile_paths(
        kind,
        paths,
        _config(config),
        as_of=as_of,
        offline=offline,
        state=Path(state) if state else None,
        progress=progress,
        validated=validated,
        client=client,
    )
    if write_back:
        result.written = write_result(result, _lang(lang))
    return result


def reconcile_frames(
    books: Iterable[BookFrames],
    kind: str = "all",
    *,
    state: Path | str,
    as_of: dt.date | None = None,
    config: Config | None = None,
    offline: bool = False,
) -> ReconcileResult:
    """Reconcile workbooks held in memory (``read_workbook_values``: an open Excel book).

    As ``reconcile``, without reading or writing any workbook file: the lines carry the cells
    (``line.ref``, ``line.status``) for the caller to mark in the book it holds. ``state`` is
    the state store the snapshot of what Odoo gave is kept in (or, ``offline``, read from).
    """
    from mops.reconciling.run import reconcile_dataset
    from mops.validation.engine import validate_books

    config = _config(config)
    as_of = as_of or dt.date.today()
    report, dataset = validate_books(list(books), config, as_of=as_of)
    return reconcile_dataset(
        kind, report, dataset, config, as_of=as_of, offline=offline, store=Path(state)
    )


# ---------------------------------------------------------------------------------------------
# Reports


def report(
    names: Iterable[str] | str = "all",
    paths: Iterable[Path | str] | Path | str = (),
    *,
    period: str | None = None,
    as_of: dt.date | None = None,
    lang: Lang | str | None = None,
    out: Path | str | None = None,
    format: str = "html",
    odoo: OdooFigures | None = None,
    steps: Sequence[RunStep] = (),
    config: Config | None = None,
    progress: Progress | None = None,
    state: Path | str | None = None,
) -> ReportRun:
    """Write the policy's reports (``"all"`` or names such as ``"sales"``) from the workbooks.

    The workbooks are read and validated once; ``period`` is ``"2026"``, ``"2026-Q3"`` or
    ``"2026-11"`` (default: the year of ``as_of``); ``out`` defaults to ``reports/`` beside the
    workbooks; ``format`` is ``"html"`` or ``"pdf"`` (through headless Chromium). ``odoo``
    holds the finance figures from Odoo; by default they are those ``reconcile`` last pulled
    into the state file (``state``, default ``.mops-sync.sqlite`` beside the workbooks), and the
    report says how old they are; with none pulled it says so and shows what the workbooks
    hold. ``steps`` are later steps of the same run (a sync, a reconciliation) for the run
    summary. Returns a ``ReportRun`` naming every file written.
    """
    from mops.reports.model import Period
    from mops.reports.run import make_reports

    if format not in ("html", "pdf"):
        raise InputError(text("rpt.bad_format", value=format), hint=text("rpt.bad_format_hint"))
    paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if not paths:
        raise InputError(text("rpt.no_paths"), hint=text("rpt.no_paths_hint"))
    return make_reports(
        names,
        paths,
        _config(config),
        lang=_lang(lang),
        period=Period.parse(period) if period else None,
        as_of=as_of,
        out=Path(out) if out else None,
        fmt=format,
        odoo=odoo,
        extras=tuple(steps),
        progress=progress,
        state=Path(state) if state else None,
    )
