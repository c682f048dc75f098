"""``mops demo``: write the seeded demo year, then run the nightly pipeline over it.

The pipeline is the one ``mops nightly`` runs, with Odoo and the mail left out whatever the
configuration says (a demo must never reach a firm's Odoo or mail its people): validation with
the findings written into the workbooks, the sync skipped with one line saying so, the
reconciliation from the workbooks alone (or the last data read from Odoo), the reports and the
run summary. Then the planted mistakes are checked against what the pipeline found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from mops.config import Config, load_config
from mops.errors import MopsError, TargetExistsError
from mops.i18n import current_lang, language, text
from mops.jobs.nightly import nightly
from mops.schemas.model import Lang


def offline(config: Config) -> Config:
    """The configuration with Odoo and the mail server left out."""
    return dataclasses.replace(
        config,
        odoo=dataclasses.replace(config.odoo, url="", database="", login=""),
        mail=dataclasses.replace(config.mail, host=""),
    )


def demo(
    folder: Path | str = "demo",
    *,
    seed: int = 2026,
    as_of: dt.date = dt.date(2026, 11, 26),
    lang: Lang | str | None = None,
    force: bool = False,
    config: Config | None = None,
    progress: Callable[[str], None] | None = None,
):
    """Write the seeded demo year into ``folder``, run the nightly pipeline on it without Odoo,
    and check that the planted mistakes were found (returns a ``DemoRun``)."""
    from mops.demodata import DemoRun, check_finance, check_planted, edited_since, write_demo
    from mops.demodata.generate import remember_files
    from mops.schemas.registry import WORKBOOKS

    folder = Path(folder)
    edited = edited_since(folder)
    if edited and not force:
        # Only workbooks exactly as mops demo left them may be overwritten without force.
        raise TargetExistsError(
            text("demo_edited", path=", ".join(str(p) for p in edited)),
            hint=text("demo_edited_hint"),
        )
    lang = Lang(lang) if lang else current_lang.get()
    written = write_demo(folder, lang=lang, seed=seed, as_of=as_of)
    files = [folder / wb.filename for wb in WORKBOOKS]
    config = offline(config if config is not None else load_config())
    with language(lang):  # the findings and reports in the workbooks' language
        run = nightly(files, as_of=as_of, config=config, progress=progress)
    failed = next((r for r in run.steps if r.status == "failed"), None)
    if failed is not None:
        raise MopsError(failed.message)
    # The findings the pipeline wrote are the demo's own: a rerun may overwrite them.
    remember_files(folder, files)
    lines = run.reconciliation.lines if run.reconciliation is not None else []
    return DemoRun(
        folder=folder,
        files=files,
        counts=dict(written.counts),
        seconds=written.seconds,
        report=run.report,
        checks=check_planted(written.data, run.report.findings),
        as_of=as_of,
        finance=check_finance(written.data, lines),
        finance_odoo_side=sum(1 for p in written.data.finance if p.odoo),
        reports=[f.path for f in run.reports.files] if run.reports is not None else [],
        steps=list(run.steps),
    )
