"""The nightly pipeline: validate (write-back) → sync with Odoo → reconcile (write-back) → reports.

One run, unattended: every step is journaled (``mops.jobs.journal``) with its outcome, counts
and time; a step that fails is recorded and the steps that do not need it still run (Odoo down
→ the reconciliation works from the last snapshot, the reports from the workbooks). Workbooks
open in Excel or unreadable are left out and named; the others are done. The whole run holds
the folder's run lock, the one ``mops sync`` takes, so a person's sync and the night's never
meet.

Exit codes (``NightlyRun.exit_code``, the command's):

====  ===========================================================================================
0     every step done, nothing for a person to look at
1     every step done; findings of severity error, sync conflicts or skipped rows, unmatched
      finance lines, or workbooks left out (open in Excel, unreadable)
2     nothing to do: no workbook found at the paths given
4     another run (``mops nightly`` or ``mops sync``) holds this folder; nothing was done
5     asked to stop (SIGTERM under ``mops schedule``): the steps not begun were left for the next
10    the validation failed                 11  the sync with Odoo failed (e.g. Odoo down)
12    the reconciliation failed             13  the reports could not be written
14    the digest could not be made (a mail the server did not take is not a failure: it is
      kept in ``.mops-outbox/`` and sent after the next run; exit code 1)
====  ===========================================================================================

The first failed step sets the code; later steps still ran.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mops import api
from mops.config import Config, load_config
from mops.errors import ConfigError, InputError, MopsError, OdooError, WorkbookError
from mops.i18n import current_lang, text
from mops.jobs.journal import Attempt, Journal, StepRecord, now
from mops.syncing import runlock
from mops.syncing.state import default_state_path

JOB = "nightly"
STEPS = ("validate", "sync", "reconcile", "reports", "mail")
FAILED_EXIT = {"validate": 10, "sync": 11, "reconcile": 12, "reports": 13, "mail": 14}
BUSY_EXIT = 4
STOPPED_EXIT = 5


class NightlyBusy(MopsError):
    """Another run holds the folder's run lock."""

    exit_code = BUSY_EXIT


@dataclass
class NightlyRun:
    """What one nightly run did, step by step."""

    run_id: int
    state_path: Path
    files: list[Path]  # the workbooks done
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) left out
    steps: list[StepRecord] = field(default_factory=list)
    report: Any = None  # the validation Report
    sync: Any = None  # the SyncOutcome, when the sync ran
    reconciliation: Any = None  # the ReconcileResult
    reports: Any = None  # the ReportRun
    mail: Any = None  # the DigestResult, when a mail server is configured
    dataset: Any = field(default=None, repr=False)  # the typed rows (the roster's e-mails)
    seconds: float = 0.0
    attempt: Attempt = field(default_factory=Attempt)  # which try of the night (the scheduler's)

    def step(self, name: str) -> StepRecord | None:
        """The record of one step, if it ran."""
        return next((s for s in self.steps if s.step == name), None)

    @property
    def stopped(self) -> bool:
        """Whether the run was asked to stop before its last step."""
        return any(s.message == text("jobs.stopped") for s in self.steps)

    @property
    def exit_code(self) -> int:
        """See the module's table."""
        if self.stopped:
            return STOPPED_EXIT
        for s in self.steps:
            if s.status == "failed":
                return FAILED_EXIT[s.step]
        if self.skipped or any(s.status == "attention" for s in self.steps):
            return 1
        return 0


def _odoo_configured(config: Config) -> str | None:
    """None when Odoo is configured, else why not (one line)."""
    from mops.odoo.settings import settings_from_config

    try:
        settings_from_config(config)
    except ConfigError as exc:
        return exc.message
    return None


class _Login:
    """The night's Odoo login, shared by the sync and the reconciliation, begun in the
    background while the workbooks are validated (it waits on the network, the validation on
    the processor)."""

    def __init__(self, config: Config) -> None:
        self._client: Any = None
        self._error: BaseException | None = None
        context = contextvars.copy_context()  # the language of the messages, as the run's
        self._thread = threading.Thread(
            target=context.run, args=(self._connect, config), name="mops-odoo-login", daemon=True
        )
        self._thread.start()

    def _connect(self, config: Config) -> None:
        from mops.odoo.connect import connect_configured
        from mops.odoo.settings import settings_from_config

        try:
            self._client = connect_configured(settings_from_config(config))
        except BaseException as exc:  # raised where the client is asked for
            self._error = exc

    def client(self) -> Any:
        """The logged-in client, once the login is done; its error if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._client


def _screen(files: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The workbooks that can be done tonight, and those left out with why (open in Excel)."""
    from mops.workbook.commit import check_not_open

    good, skipped = [], []
    for path in files:
        try:
            check_not_open(path, messages="jobs.open_in_")
        except WorkbookError as exc:
            skipped.append((str(path), exc.message.split(": ", 1)[-1]))
            continue
        good.append(path)
    return good, skipped


class _Steps:
    """Runs each step, times it, and journals its record."""

    def __init__(self, run: NightlyRun, journal: Journal, say, stop) -> None:
        self.run, self.journal, self.say, self.stop = run, journal, say, stop

    def record(self, name: str, status: str, started: str, t0: float, counts, message="") -> None:
        record = StepRecord(name, status, started, round(time.perf_counter() - t0, 3),
                            dict(counts), message)  # fmt: skip
        self.run.steps.append(record)
        self.journal.step(self.run.run_id, record)

    def __call__(self, name: str, body: Callable[[], tuple[str, dict, str]]) -> None:
        started, t0 = now(), time.perf_counter()
        if self.stop():
            # Asked to stop (SIGTERM): the step in hand was finished; the rest waits for the
            # next run, which picks up from the state store.
            self.record(name, "skipped", started, t0, {}, text("jobs.stopped"))
            return
        self.say(text(f"jobs.step.{name}"))
        try:
            status, counts, message = body()
        except MopsError as exc:
            status, counts, message = "failed", {}, str(exc)
        except Exception as exc:  # one step's bug must not cost the others their night
            status, counts, message = "failed", {}, f"{type(exc).__name__}: {exc}"
        self.record(name, status, started, t0, counts, message)


def nightly(
    paths: Iterable[Path | str],
    *,
    as_of: dt.date | None = None,
    config: Config | None = None,
    state: Path | str | None = None,
    progress: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
    attempt: Attempt | None = None,
) -> NightlyRun:
    """Run the nightly pipeline once over the workbooks at ``paths`` (see the module doc).

    ``stop`` is asked before each step: once it says yes, the remaining steps are skipped
    (the scheduler's answer to SIGTERM: the step in hand is finished, nothing is cut half way).
    ``attempt`` says which try of a scheduled night this is: a failed try that will be retried
    sends no digest; the last try's (or the first that did not fail) tells of them all.
    """
    from mops.workbook.prefetch import expand_paths

    config = config if config is not None else load_config()
    say = progress or (lambda message: None)
    started = time.perf_counter()
    files = expand_paths([Path(p) for p in paths])
    if not files:
        raise InputError(text("jobs.no_workbooks"), hint=text("jobs.no_workbooks_hint"))
    state_path = Path(state) if state else default_state_path(files)
    try:
        with runlock.hold(state_path):
            return _run(
                files, state_path, config, as_of, say, stop or (lambda: False), started,
                attempt or Attempt(),
            )  # fmt: skip
    except runlock.Busy as exc:
        raise NightlyBusy(
            text("jobs.busy", path=state_path.parent), hint=text("jobs.busy_hint")
        ) from exc


def _run(files, state_path, config, as_of, say, stop, started, attempt) -> NightlyRun:
    lang = current_lang.get()
    with Journal(state_path) as journal:
        run = NightlyRun(journal.begin(JOB), state_path, [], attempt=attempt)
        good, run.skipped = _screen(files)
        step = _Steps(run, journal, say, stop)
        not_configured = _odoo_configured(config)
        odoo_failed = False
        login = _Login(config) if not not_configured and good else None
        client = None

        def validate() -> tuple[str, dict, str]:
            from mops.validation.engine import validate_dataset

            report, run.dataset = validate_dataset(good, config, as_of=as_of)
            unreadable = {p.file: p.message for p in report.input_problems}
            run.skipped += sorted(unreadable.items())
            run.files = [p for p in good if str(p) not in unreadable]
            report = replace(
                report,
                files=[f for f in report.files if f not in unreadable],
                input_problems=[],
            )
            run.report = report
            levels = Counter(str(f.severity) for f in report.findings)
            counts = {
                "files": len(run.files),
                "errors": levels["error"],
                "warnings": levels["warning"],
                "infos": levels["info"],
            }
            if not_configured:
                # No sync follows: the findings go into the workbooks now. Otherwise the sync
                # writes them, with its own, in one pass (and not at all when Odoo is down:
                # the workbooks stay as they were until a run completes).
                counts["written"] = len(_write_findings(run, report, lang, config))
            return ("attention" if counts["errors"] else "ok"), counts, ""

        step("validate", validate)

        def sync() -> tuple[str, dict, str]:
            nonlocal odoo_failed, client
            if not_configured:
                return "skipped", {}, text("jobs.odoo_skipped", why=not_configured)
            if not run.files:
                return "skipped", {}, text("jobs.nothing_left")
            try:
                client = login.client() if login is not None else None
                outcome = api.sync(
                    run.files, as_of=as_of, state=state_path, config=config,
                    validated=_unchanged(run), client=client,
                )  # fmt: skip
            except OdooError:
                odoo_failed = True
                raise
            run.sync = outcome
            counts = {k: v for k, v in _sync_counts(outcome).items() if v}
            counts["written"] = len(outcome.annotated)
            if outcome.not_annotated:
                run.skipped += [(file, why) for file, why in outcome.not_annotated]
            return ("attention" if outcome.exit_code else "ok"), counts, ""

        step("sync", sync)

        def reconcile() -> tuple[str, dict, str]:
            from mops.reconciling.writeback import write_result

            if not run.files:
                return "skipped", {}, text("jobs.nothing_left")
            offline = bool(not_configured) or odoo_failed
            result = api.reconcile(
                "all", run.files, as_of=as_of, config=config, offline=offline,
                state=state_path, lang=lang, validated=_unchanged(run),
                client=None if offline else client,
            )  # fmt: skip
            run.reconciliation = result
            # Into the workbooks beside the findings (each write-back owns its own sheet); a
            # workbook opened since is left out, with both of its writes or neither.
            failed: list[tuple[str, WorkbookError]] = []
            result.written = write_result(result, lang, failed=failed)
            run.skipped += [(file, exc.message) for file, exc in failed]
            counts = dict(result.totals)
            counts["written"] = sum(1 for w in result.written if w.statuses or w.lines)
            message = text("jobs.reconcile_offline") if offline else ""
            return ("attention" if result.exit_code else "ok"), counts, message

        step("reconcile", reconcile)

        def reports() -> tuple[str, dict, str]:
            from mops.reports.run import make_reports

            if not run.files:
                return "skipped", {}, text("jobs.nothing_left")
            made = make_reports(
                "all", run.files, config, lang=lang, as_of=as_of, extras=_summary_steps(run),
                validated=_unchanged(run), state=state_path,
            )  # fmt: skip
            run.reports = made
            return "ok", {"reports": len(made.files)}, ""

        step("reports", reports)

        def mail() -> tuple[str, dict, str]:
            from mops.jobs.digest import compose, people_from, send

            if not config.mail.host:
                return "skipped", {}, text("jobs.mail.not_configured")
            if not attempt.last and any(s.status == "failed" for s in run.steps):
                # Tried again soon: one digest for the night, after its last try.
                return "skipped", {}, text("jobs.mail.held", number=attempt.number, of=attempt.of)
            day = (as_of or dt.datetime.now(config.general.tz).date()).isoformat()
            people = people_from(run.dataset) or _people_left_out(run, config, as_of)
            messages = compose(run, people, config, day)
            run.mail = result = send(messages, state_path.parent, config)
            counts = {"sent": result.sent, "pending": result.pending}
            if result.error:
                return "attention", counts, text("jobs.mail.failed", error=result.error)
            return "ok", counts, ""

        step("mail", mail)
        run.seconds = time.perf_counter() - started
        journal.finish(run.run_id, run.exit_code, run.skipped)
    return run


def _unchanged(run: NightlyRun) -> tuple | None:
    """The night's validation, unless the sync or the reconciliation changed a value in a
    workbook since (Odoo ids, stages, edits made in Odoo pulled back; statuses, the books'
    actuals); the findings and reconciliation sheets written change no value."""
    pulled = run.sync is not None and any(p.written for p in run.sync.pulled)
    recon = run.reconciliation
    pulled = pulled or (recon is not None and any(w.statuses for w in recon.written))
    if run.report is None or pulled:
        return None
    return run.report, run.dataset


def _people_left_out(run: NightlyRun, config: Config, as_of) -> dict[str, str]:
    """The roster's e-mails read from the workbooks left out tonight (staff.xlsx open in Excel
    is read, never written), so that the digest still finds its people."""
    from mops.jobs.digest import people_from
    from mops.validation.engine import validate_dataset

    left_out = [Path(file) for file, _ in run.skipped if Path(file).is_file()]
    if not left_out:
        return {}
    try:
        _, dataset = validate_dataset(left_out, config, as_of=as_of)
    except MopsError:
        return {}
    return people_from(dataset)


def _write_findings(run: NightlyRun, report: Any, lang, config: Config) -> list:
    """The validation's findings into the workbooks; one that cannot be written is left out."""
    from mops.validation.annotate import annotate_files

    failed: list[tuple[str, WorkbookError]] = []
    written = annotate_files(report, lang, paint_info=config.validation.paint_info, failed=failed)
    run.skipped += [(file, exc.message) for file, exc in failed]
    not_written = {file for file, _ in failed}
    run.files = [p for p in run.files if str(p) not in not_written]
    return written


def _sync_counts(outcome: Any) -> dict[str, int]:
    result = outcome.result
    plan_counts = outcome.plan.counts()
    actions: dict[str, int] = {}
    for counter in plan_counts.values():
        for action, number in counter.items():
            if action in ("conflict", "skipped"):
                actions[action] = actions.get(action, 0) + number
    return {
        "created": sum(result.created.values()) if result else 0,
        "updated": sum(result.updated.values()) if result else 0,
        "refused": len(result.refusals) if result else 0,
        "conflicts": actions.get("conflict", 0),
        "skipped_rows": actions.get("skipped", 0),
    }


def count_label(step: str, key: str, lang=None) -> str:
    """The words for one of a step's counts (a reconciliation's are its line classes)."""
    prefix = "reconcile.class" if step == "reconcile" and key != "written" else "jobs.count"
    return text(f"{prefix}.{key}", lang)


def _summary_steps(run: NightlyRun) -> tuple:
    """The steps after validation, and the workbooks left out, for the run summary report."""
    from mops.reports.summary import RunStep

    extras = []
    for record in run.steps:
        if record.step == "validate":
            continue
        counts = tuple((count_label(record.step, k), int(v)) for k, v in record.counts.items())
        note = text(f"jobs.status.{record.status}") + (
            f": {record.message}" if record.message else ""
        )
        extras.append(RunStep(text(f"jobs.step.{record.step}"), counts, note))
    if run.skipped:
        note = "; ".join(f"{Path(file).name}: {why}" for file, why in run.skipped)
        extras.append(
            RunStep(
                text("jobs.skipped_title"), ((text("jobs.count.files"), len(run.skipped)),), note
            )
        )
    return tuple(extras)
