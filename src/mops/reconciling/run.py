"""One reconciliation end to end: read the workbooks, read Odoo (or the last snapshot), classify.

The workbooks are read and typed exactly as ``mops validate`` reads them. Odoo is read with
``mops.odoo.finance_reads`` (everything finance needs, so the snapshot kept afterwards in the
state store serves every kind and the reports); ``offline`` uses that snapshot instead, and
without one classifies what the workbooks show by themselves.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mops.config import Config
from mops.errors import InputError
from mops.i18n import text
from mops.reconciling.core import reconcile
from mops.reconciling.model import KINDS, OdooSide, ReconcileResult
from mops.reconciling.rows import workbook_side
from mops.syncing import snapshots
from mops.syncing.state import FILENAME
from mops.validation.context import Dataset
from mops.validation.engine import validate_dataset
from mops.validation.results import Report
from mops.workbook.prefetch import expand_paths

SNAPSHOT = "finance"


def state_file(paths: list[Path], state: Path | None) -> Path:
    """The state store: the one given, else beside the first workbook (as the sync's)."""
    if state is not None:
        return state
    files = expand_paths(paths)
    first = files[0] if files else paths[0]
    return (first if first.is_dir() else first.parent) / FILENAME


def reconcile_paths(
    kind: str,
    paths: Iterable[Path | str],
    config: Config,
    *,
    as_of: dt.date | None = None,
    offline: bool = False,
    state: Path | None = None,
    progress: Callable[[str], None] | None = None,
    client=None,
    validated: tuple | None = None,
) -> ReconcileResult:
    """Reconcile the workbooks at ``paths`` with Odoo (``kind``: claims, contracts, budget, all);
    ``validated`` is the report and dataset of a validation of them just made, if any."""
    if kind not in (*KINDS, "all"):
        raise InputError(
            text("reconcile.bad_kind", kind=kind), hint=text("reconcile.bad_kind_hint")
        )
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    as_of = as_of or dt.date.today()
    report, dataset = validated or validate_dataset(paths, config, as_of=as_of)
    return reconcile_dataset(
        kind, report, dataset, config, as_of=as_of, offline=offline,
        store=state_file(paths, state), progress=progress, client=client, started=started,
    )  # fmt: skip


def reconcile_dataset(
    kind: str,
    report: Report,
    dataset: Dataset,
    config: Config,
    *,
    as_of: dt.date,
    offline: bool,
    store: Path,
    progress: Callable[[str], None] | None = None,
    client=None,
    started: float | None = None,
) -> ReconcileResult:
    """Reconcile workbooks already read and typed (from files, or held in memory by Excel)."""
    if kind not in (*KINDS, "all"):
        raise InputError(
            text("reconcile.bad_kind", kind=kind), hint=text("reconcile.bad_kind_hint")
        )
    say = progress or (lambda message: None)
    started = time.perf_counter() if started is None else started
    wb = workbook_side(dataset)
    calls = 0
    if offline:
        snap = snapshots.load(store, SNAPSHOT)
        if snap is None:
            odoo, info = None, {"offline": True, "snapshot": None}
        else:
            odoo = OdooSide.from_data(
                snap.data, source=snap.source, pulled_at=snap.pulled_at.isoformat()
            )
            age = snap.age()
            info = {
                "offline": True,
                "snapshot": str(store),
                "pulled_at": snap.pulled_at.isoformat(),
                "age_hours": round(age.total_seconds() / 3600, 1),
                **snap.source,
            }
    else:
        if client is None:
            from mops.odoo.connect import connect_configured
            from mops.odoo.settings import settings_from_config

            settings = settings_from_config(config)  # no Odoo configured: ConfigError, exit 2
            say(text("odoo_reading"))
            client = connect_configured(settings)
        from mops.odoo.finance_reads import read_finance

        before = getattr(client, "calls", 0)
        odoo = read_finance(client, "all")
        calls = getattr(client, "calls", 0) - before
        pulled = dt.datetime.now(dt.UTC).replace(microsecond=0)
        source = {
            "url": getattr(getattr(client, "settings", None), "url", None),
            "database": getattr(getattr(client, "settings", None), "database", None),
            "version": getattr(client, "server_version", None),
            "protocol": getattr(client, "protocol", None),
        }
        odoo.source, odoo.pulled_at = source, pulled.isoformat()
        snapshots.save(store, SNAPSHOT, odoo.to_data(), pulled, source=source)
        info = {"offline": False, "pulled_at": pulled.isoformat(), **source}
    expenses = config.expenses
    lines, actuals = reconcile(
        kind,
        wb,
        odoo,
        as_of=as_of,
        warn=expenses.overspend_warn,
        limit=expenses.overspend_error,
    )
    return ReconcileResult(
        kind=kind,
        as_of=as_of,
        lines=lines,
        files=list(report.files),
        odoo=info,
        currency=odoo.currency if odoo else "TWD",
        actuals=actuals,
        input_problems=[(p.file, p.message) for p in report.input_problems],
        seconds=time.perf_counter() - started,
        rpc_calls=calls,
    )
