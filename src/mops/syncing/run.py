"""One sync run end to end: validate, read Odoo and the state, plan, then apply or just show.

``sync_paths`` is the one library call behind ``mops sync`` (and, later, the nightly job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mops.config import Config
from mops.errors import InputError, OdooServerError, OdooTransientError, WorkbookError
from mops.i18n import current_lang, pair, text
from mops.odoo.client import OdooClient
from mops.odoo.connect import connect_configured
from mops.odoo.settings import settings_from_config
from mops.records import Finding
from mops.syncing import runlock
from mops.syncing.applier import ApplyResult, apply_plan, check_plan_current
from mops.syncing.converters import Locale, Lookups
from mops.syncing.findings import plan_findings, refusal_findings
from mops.syncing.lease import Lease
from mops.syncing.mapping import SyncMapping, conflict_policies, load_mapping, ref_key
from mops.syncing.plan import CellValue, Issue, Plan
from mops.syncing.planner import Desired, SyncSettings, plan_sync, rows_from_dataset
from mops.syncing.policy import drop_past_next_steps, fill_reply_deadlines
from mops.syncing.pullback import PullBackResult, write_pull_back
from mops.syncing.remote import read_fitted
from mops.syncing.repull import repull
from mops.syncing.state import StateStore, default_state_path
from mops.validation.annotate import annotate_files
from mops.validation.engine import validate_dataset
from mops.validation.owners import assign_owners
from mops.validation.results import Report
from mops.workbook.annotate import WriteBackResult


@dataclass
class SyncOutcome:
    """What ``sync_paths`` did: the validation report, the plan, and the apply result if any."""

    plan: Plan
    state_path: Path
    report: Report | None = None
    result: ApplyResult | None = None
    dry_run: bool = False
    plan_calls: int = 0
    plan_seconds: float = 0.0
    pulled: list[PullBackResult] = field(default_factory=list)  # written into the workbooks
    findings: list[Finding] = field(default_factory=list)  # skipped, refused, conflicts
    annotated: list[WriteBackResult] = field(default_factory=list)  # Findings sheets written
    not_annotated: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    @property
    def exit_code(self) -> int:
        """0 all synced; 1 conflicts, skipped rows, refused records or values not written back."""
        if self.plan.has_problems or (self.result is not None and self.result.refusals):
            return 1
        if any(p.problems for p in self.pulled) or self.not_annotated:
            return 1
        return 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def make_plan(
    client: OdooClient,
    report: Report,
    dataset: Any,
    state: StateStore,
    mapping: SyncMapping,
    config: Config,
    *,
    url: str,
    database: str,
) -> Plan:
    """Read Odoo and the state store, and plan the sync of the validated rows."""
    return _planned(client, report, dataset, state, mapping, config, url=url, database=database)[0]


def _planned(
    client: OdooClient,
    report: Report,
    dataset: Any,
    state: StateStore,
    mapping: SyncMapping,
    config: Config,
    *,
    url: str,
    database: str,
) -> tuple[Plan, Desired, SyncMapping, Lookups]:
    """The plan, with the rows, the mapping fitted to this Odoo and the lookups it was made of."""
    desired = rows_from_dataset(report, dataset, mapping)
    fill_reply_deadlines(desired, config)
    drop_past_next_steps(desired, mapping, config, report.as_of or dt.date.today())
    # A field this Odoo lacks (a module not installed, another version) is left out, said once.
    snapshot, fitted, unavailable = read_fitted(
        client, mapping, desired.rows, url=url, database=database
    )
    # Policies of the whole mapping: mops.toml may name a field this server lacks.
    settings = SyncSettings(fitted, conflict_policies(mapping, config), state.last_applied_run())
    plan = plan_sync(desired, state.records(), snapshot, settings)
    plan.notes[:0] = unavailable
    plan.made = _now()
    return plan, desired, fitted, snapshot.lookups


def sync_paths(
    paths: Iterable[Path | str],
    config: Config,
    *,
    dry_run: bool = False,
    plan_file: Path | None = None,
    save_plan: Path | None = None,
    as_of: dt.date | None = None,
    state_path: Path | None = None,
    client: OdooClient | None = None,
    mapping: SyncMapping | None = None,
    batch: int = 500,
    progress: Callable[[str], None] | None = None,
    pull_back: bool = False,
    validated: tuple | None = None,
) -> SyncOutcome:
    """Sync the workbooks at ``paths`` with Odoo (or apply a saved plan); see ``mops sync``.

    ``validated`` is the report and dataset of a validation of the same files just made (the
    nightly's), used instead of validating them again.

    With ``pull_back``, what Odoo owns (ids, stages, done activities, edits made in Odoo) is
    then written into the workbooks, each guarded by its row's key (``mops.syncing.pullback``).
    """
    say = progress or (lambda message: None)
    mapping = mapping or load_mapping(config=config)
    if mapping.locale != Locale.of(config.general):
        raise ValueError("the mapping was loaded for another time zone or currency rounding")
    settings = settings_from_config(config)
    conflict_policies(mapping, config)  # a wrong [sync.conflicts] fails before any Odoo call
    report = dataset = None
    saved: Plan | None = None
    if plan_file is not None:
        try:
            saved = Plan.from_json(Path(plan_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(
                text("plan_file_unreadable", path=plan_file, error=exc),
                hint=text("plan_file_unreadable_hint"),
            ) from exc
        files = saved.files
    else:
        say("validate")
        report, dataset = validated or validate_dataset(paths, config, as_of=as_of)
        if report.input_problems:
            raise InputError(
                "; ".join(f"{p.file}: {p.message}" for p in report.input_problems),
                hint=text("sync_nothing_sent"),
            )
        files = report.files
        if not files:
            raise InputError(text("sync_no_workbook"), hint=text("sync_no_workbook_hint"))
    state_file = Path(state_path) if state_path else default_state_path(files)
    say("connect")
    client = client or connect_configured(settings)
    with StateStore(state_file) as state:
        if not runlock.held(state_file):  # the nightly job running this sync holds it already
            state.lock()
        state.bind(settings.url, settings.database)
        # Odoo upgraded since the last sync (17 → 19): records are found again by their key, as
        # every run finds them; the plan says so.
        upgraded = state.note_version(str(getattr(client, "server_version", "")))
        # The run is on record from the start, so a failure while reading Odoo shows in the log.
        run_id = state.begin_run(dry_run=dry_run)
        try:
            outcome = _plan_and_apply(
                client, state, run_id, saved, report, dataset, mapping, config, settings,
                dry_run=dry_run, save_plan=save_plan, plan_file=plan_file, batch=batch,
                progress=progress,
            )  # fmt: skip
        except BaseException as exc:
            state.finish_run(run_id, "failed", str(exc)[:500])
            raise
        outcome.state_path = state_file
        outcome.report = report
        if upgraded:
            zh, en = pair("sync.odoo_upgraded")
            params = {"before": upgraded, "now": client.server_version}
            outcome.plan.notes.append(
                Issue("odoo_upgraded", None, None, zh.format(**params), en.format(**params))
            )
    if pull_back and outcome.result is not None and outcome.result.pull:
        say("pull-back")
        outcome.pulled = write_pull_back(outcome.result.pull, limits=config.limits, keep_going=True)
    if report is not None:
        outcome.findings = assign_owners(sync_findings(outcome, _cell_finder(dataset)), dataset)
        if pull_back and outcome.result is not None:
            say("write-back")
            _annotate(outcome, report, paint_info=config.validation.paint_info)
    return outcome


def _cell_finder(dataset: Any):
    """(file, sheet, column, row) → the A1 cell, from the header mapping the reader found."""

    def cell_of(file: str, sheet: str, column: str | None, row: int) -> str | None:
        for part in dataset.parts(sheet) if dataset is not None else ():
            source = part.source
            if str(source.path) == file and column in source.columns:
                return source.cell(column, row)
        return None

    return cell_of


def sync_findings(outcome: SyncOutcome, cell_of) -> list[Finding]:
    """What the sync could not do, as findings on the rows and cells concerned."""
    found = plan_findings(outcome.plan, cell_of)
    if outcome.result is not None:
        found += refusal_findings(outcome.result.refusals, cell_of)
    return found


def _annotate(outcome: SyncOutcome, report: Report, *, paint_info: bool) -> None:
    """The validation findings and the sync's own, onto each workbook's Findings sheet."""
    combined = replace(report, findings=[*report.findings, *outcome.findings])
    failed: list[tuple[str, WorkbookError]] = []
    outcome.annotated = annotate_files(
        combined, current_lang.get(), paint_info=paint_info, failed=failed
    )
    outcome.not_annotated = [(file, str(exc)) for file, exc in failed]


def _plan_and_apply(
    client, state, run_id, saved, report, dataset, mapping, config, settings, *,
    dry_run, save_plan, plan_file, batch, progress,
) -> SyncOutcome:  # fmt: skip
    say = progress or (lambda message: None)
    calls = getattr(client, "calls", 0)
    started = dt.datetime.now()
    if saved is not None:
        if (saved.url, saved.database) != (settings.url, settings.database):
            raise InputError(
                text("plan_other_server", path=plan_file, url=saved.url, database=saved.database),
                hint=text(
                    "plan_other_server_hint",
                    current_url=settings.url,
                    current_database=settings.database,
                ),
            )
        say("check plan")
        check_plan_current(client, saved, state)
        plan = saved
        planned = None
    else:
        say("plan")
        planned = _planned(
            client, report, dataset, state, mapping, config,
            url=settings.url, database=settings.database,
        )  # fmt: skip
        plan = planned[0]
    outcome = SyncOutcome(plan, Path(), dry_run=dry_run)
    outcome.plan_calls = getattr(client, "calls", 0) - calls
    outcome.plan_seconds = (dt.datetime.now() - started).total_seconds()
    if save_plan is not None:
        Path(save_plan).write_text(plan.to_json(), encoding="utf-8")
    if dry_run:
        state.set_digest(run_id, plan.digest)
        state.finish_run(run_id, "planned")
        return outcome
    if not any(item.writes for item in plan.items):
        outcome.result = apply_plan(
            client, plan, state, batch=batch, progress=progress, run_id=run_id,
            workers=config.sync.workers,
        )  # fmt: skip
        return outcome
    # A sync that writes holds the lease in Odoo while it writes: a second writer waits, and
    # its look-up of each key before creating then finds what this one made (no duplicate).
    lease = Lease(
        client, config.sync.lease_ttl_seconds, config.sync.lease_wait_seconds, own=state.lease()
    )
    # On record before the lease exists: a run killed just after creating it (SIGTERM) is
    # known by the next run from this folder, which takes it back at once instead of waiting
    # for it to lapse.
    state.hold_lease(lease.token)
    lease.acquire(say)

    def tell(message: str) -> None:
        say(message)
        lease.renew()

    try:
        say("apply")
        outcome.result = apply_plan(
            client, plan, state, batch=batch, progress=tell, run_id=run_id,
            workers=config.sync.workers,
        )  # fmt: skip
    finally:
        if lease.release():
            state.hold_lease(None)
    if planned is not None:
        # What the run made and stepped, as Odoo holds it now (a saved plan has no rows: its
        # records' Odoo-owned columns come back at the next sync).
        _plan, desired, fitted, lookups = planned
        try:
            repull(client, plan, fitted, desired, lookups, outcome.result)
        except (OdooTransientError, OdooServerError) as exc:
            # Applied and journaled already: what was planned is written back, the rest of
            # what Odoo owns comes at the next sync.
            zh, en = pair("sync.repull.unread")
            plan.notes.append(
                Issue("repull_unread", None, None, zh.format(error=exc), en.format(error=exc))
            )
    return outcome


def pull_back_values(result: ApplyResult | Plan) -> list[CellValue]:
    """The cell values to write back into the workbooks (Odoo ids, stages, Odoo-side edits).

    From an apply result: every value, with the Odoo ids of records just created. From a plan
    (a dry run): the values known before applying; ids of records not yet created are left out.
    """
    if isinstance(result, ApplyResult):
        return list(result.pull)
    return [cell for cell in result.pull_back() if ref_key(cell.value) is None]
