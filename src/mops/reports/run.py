"""Make reports as files: read and validate the workbooks once, build each view, write it."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from mops.config import Config
from mops.errors import InputError
from mops.i18n import text
from mops.reports import REPORTS, builder
from mops.reports.common import Inputs
from mops.reports.figures import OdooFigures
from mops.reports.model import Period, ReportView
from mops.reports.render import html_to_pdf, render_html
from mops.schemas.model import Lang

PDF_WORKERS = 3
FINANCE_SNAPSHOT = "finance"  # the kind mops reconcile saves


@dataclass
class ReportFile:
    """One report written: its name, title and file."""

    name: str
    title: str
    path: Path


@dataclass
class ReportRun:
    """What ``mops.report`` wrote, for which period and as of which day."""

    files: list[ReportFile]
    period: Period
    as_of: dt.date
    seconds: float
    validation_errors: int = 0
    views: list[ReportView] = field(default_factory=list, repr=False)

    @property
    def exit_code(self) -> int:
        """0: the reports were written (findings in the workbooks do not stop a report)."""
        return 0


def resolve_names(names: Iterable[str] | str) -> list[str]:
    """Report names in the issue's order; ``all`` is every report."""
    wanted = [names] if isinstance(names, str) else list(names)
    if not wanted or "all" in wanted:
        return sorted(REPORTS, key=lambda n: REPORTS[n][0])
    unknown = [n for n in wanted if n not in REPORTS]
    if unknown:
        raise InputError(
            text("rpt.unknown_name", name=unknown[0]),
            hint=text("rpt.unknown_name_hint", names=", ".join(REPORTS)),
        )
    return sorted(dict.fromkeys(wanted), key=lambda n: REPORTS[n][0])


def default_folder(paths: Sequence[Path]) -> Path:
    """``reports/`` beside the workbooks: in the first folder given, or the first file's folder."""
    first = Path(paths[0]) if paths else Path(".")
    return (first if first.is_dir() else first.parent) / "reports"


def state_beside(paths: Sequence[Path]) -> Path:
    """The sync state store beside the workbooks, where reconciliation keeps what it pulled."""
    from mops.syncing.state import FILENAME

    return default_folder(paths).parent / FILENAME


def last_pulled(state: Path) -> OdooFigures | None:
    """The finance figures last pulled from Odoo (by ``mops reconcile``), or None."""
    from mops.reports.figures import from_snapshot
    from mops.syncing import snapshots

    snap = snapshots.load(state, FINANCE_SNAPSHOT)
    return None if snap is None else from_snapshot(snap.data, snap.pulled_at, snap.source)


def _write(path: Path, content: str) -> None:
    """Write atomically: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mops-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.replace(tmp, path)


def make_reports(
    names: Iterable[str] | str,
    paths: Sequence[Path],
    config: Config,
    *,
    lang: Lang,
    period: Period | None = None,
    as_of: dt.date | None = None,
    out: Path | None = None,
    fmt: str = "html",
    odoo: OdooFigures | None = None,
    extras: tuple = (),
    progress: Callable[[str], None] | None = None,
    validated: tuple | None = None,
    state: Path | None = None,
) -> ReportRun:
    """Validate the workbooks once (unless ``validated`` gives the report and the dataset of
    a validation just made), then build and write each named report; without ``odoo``, the
    figures are the finance snapshot last pulled into the state store (``state``, default
    ``.mops-sync.sqlite`` beside the workbooks), when there is one."""
    from mops.validation.engine import validate_dataset

    started = time.perf_counter()
    chosen = resolve_names(names)
    say = progress or (lambda message: None)
    report, dataset = validated or validate_dataset(paths, config, as_of=as_of)
    as_of = report.as_of or dt.date.today()
    period = period or Period(as_of.year)
    if odoo is None:
        odoo = last_pulled(state or state_beside(paths))
    inputs = Inputs(dataset, period, as_of, lang, config, odoo, report, extras)
    folder = Path(out) if out else default_folder(paths)
    settings = config.reports
    files, views = [], []
    for name in chosen:
        say(name)
        view = builder(name)(inputs)
        html = render_html(
            view,
            templates=settings.templates,
            minguo=settings.minguo_dates,
            currency_decimals=config.general.currency_decimals,
        )
        stem = f"{REPORTS[name][0]:02d}-{name}-{period}" + ("" if lang is Lang.ZH_TW else "-en")
        path = folder / f"{stem}.html"
        _write(path, html)
        files.append(ReportFile(name, view.title, path))
        views.append(view)
    if fmt == "pdf":
        say("PDF")
        # One Chromium a report, a few at a time: most of each print is the browser starting.
        with ThreadPoolExecutor(max_workers=PDF_WORKERS) as pool:
            pdfs = pool.map(
                lambda f: html_to_pdf(f.path, f.path.with_suffix(".pdf"), browser=settings.browser),
                files,
            )
            for item, pdf in zip(files, list(pdfs), strict=True):
                item.path = pdf
    errors = sum(1 for f in report.findings if str(f.severity) == "error")
    return ReportRun(files, period, as_of, time.perf_counter() - started, errors, views)


def render_run(run: ReportRun, console: Console, lang: Lang) -> None:
    """Print what was written, one line a report, then the period and time."""
    for item in run.files:
        console.print(f"{item.title}: {text('rpt.written', lang, path=item.path)}", soft_wrap=True)
    console.print(
        text(
            "rpt.done",
            lang,
            count=len(run.files),
            period=run.period.label(lang),
            as_of=run.as_of.isoformat(),
            seconds=run.seconds,
        )
    )
    if run.validation_errors:
        console.print(text("rpt.validation_errors", lang, errors=run.validation_errors))
