"""``mops schedule``: the long-running process that runs the nightly job and its companions.

Three jobs, their times read from ``[schedule]`` as wall-clock times in the firm's time zone
(so 02:00 stays 02:00 in Taipei whatever zone or daylight-saving rule the machine follows):
``nightly`` (every day), ``pull`` (a sync with Odoo every N minutes in working hours) and
``weekly_reports`` (the report pack once a week). The next time of a job is always computed
from the last one it was due at, kept in the state store (``schedule_jobs``), so:

- a job cannot overlap itself: the loop runs one job at a time, and occurrences that passed
  while a job ran (or while the machine was off) are run once, not once each (catch-up);
- a job that raises, or whose run failed (exit code 10 and above: Odoo down …), is tried again
  after ``retry_backoff_seconds``, doubled each time, ``retries`` times; then it waits for its
  next time; the process keeps running;
- SIGTERM or SIGINT asks the loop to stop: the job in hand finishes the step it is in (the
  nightly run skips the steps not begun), then the process exits 0.

Time comes from a ``Clock`` (``now`` in UTC, ``sleep`` that an event can cut short), the seam
the tests drive.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from zoneinfo import ZoneInfo

from mops.config import Config
from mops.errors import ConfigError, MopsError
from mops.i18n import text
from mops.jobs.journal import Attempt, Journal
from mops.syncing import runlock

JOBS = ("nightly", "pull", "weekly_reports")
LOG_NAME = "mops-schedule.log"
UTC = dt.UTC


class Clock:
    """The real clock: UTC now, and a sleep that ``wake`` ends early."""

    def __init__(self) -> None:
        self.wake = threading.Event()

    def now(self) -> dt.datetime:
        """The current time, aware, in UTC."""
        return dt.datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` or until woken."""
        self.wake.wait(max(0.0, seconds))


@dataclass(frozen=True)
class JobTimes:
    """When one job is due, in the firm's zone."""

    name: str
    at: dt.time | None = None  # daily or weekly at this wall time
    weekday: int | None = None  # ISO weekday of a weekly job
    every_minutes: int = 0  # an interval job, between start and end on days
    start: dt.time | None = None
    end: dt.time | None = None
    days: tuple[int, ...] = ()

    def next_after(self, after: dt.datetime, tz: ZoneInfo) -> dt.datetime:
        """The first time this job is due strictly after ``after`` (both aware; UTC out)."""
        local = after.astimezone(tz)
        for day in _days_from(local.date()):
            for wall in self._times_on(day):
                due = dt.datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)
                if due > after:
                    return due
        raise AssertionError("a schedule with no time in two weeks")  # excluded by the config

    def last_at_or_before(self, moment: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
        """The latest time this job was due at or before ``moment`` (within two weeks)."""
        local = moment.astimezone(tz)
        for back in range(15):
            day = local.date() - dt.timedelta(days=back)
            walls = sorted(self._times_on(day), reverse=True)
            for wall in walls:
                due = dt.datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)
                if due <= moment:
                    return due
        return None

    def _times_on(self, day: dt.date) -> list[dt.time]:
        if self.every_minutes:
            if day.isoweekday() not in self.days:
                return []
            times, minute = [], self.start.hour * 60 + self.start.minute
            end = self.end.hour * 60 + self.end.minute
            while minute <= end:
                times.append(dt.time(minute // 60, minute % 60))
                minute += self.every_minutes
            return times
        if self.weekday is not None and day.isoweekday() != self.weekday:
            return []
        return [self.at]


def _days_from(day: dt.date) -> Iterator[dt.date]:
    for offset in range(15):
        yield day + dt.timedelta(days=offset)


def job_times(config: Config) -> list[JobTimes]:
    """The jobs configured in ``[schedule]`` (the pull only when every_minutes > 0)."""
    s = config.schedule
    jobs = [JobTimes("nightly", at=dt.time.fromisoformat(s.nightly))]
    if s.pull_every_minutes > 0:
        jobs.append(
            JobTimes(
                "pull",
                every_minutes=s.pull_every_minutes,
                start=dt.time.fromisoformat(s.pull_from),
                end=dt.time.fromisoformat(s.pull_until),
                days=tuple(s.pull_days),
            )
        )
    jobs.append(
        JobTimes(
            "weekly_reports",
            at=dt.time.fromisoformat(s.weekly_reports_time),
            weekday=s.weekly_reports_day,
        )
    )
    return jobs


@dataclass
class JobState:
    """What the state store remembers of a job between processes."""

    name: str
    last_due: dt.datetime | None = None  # the occurrence last run (or caught up)
    last_status: str = ""  # ok, failed, stopped, skipped
    last_finished: dt.datetime | None = None
    message: str = ""


class ScheduleBusy(MopsError):
    """Another ``mops schedule`` is running for this folder."""

    exit_code = 4


# (job, should_stop, attempt) → (status, message); status ok, failed, stopped or skipped.
Runner = Callable[[str, Callable[[], bool], Attempt], tuple[str, str]]


class Scheduler:
    """The loop: run each job when due, one at a time, with retries, until asked to stop."""

    def __init__(
        self,
        config: Config,
        state_path: Path,
        runner: Runner,
        *,
        clock: Clock | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.config, self.state_path, self.runner = config, state_path, runner
        self.clock = clock or Clock()
        self.tz = config.schedule.tz
        self.jobs = job_times(config)
        self.log = log or logging.getLogger("mops.schedule")
        self.stopping = False
        self.started = self.clock.now()
        self.states = {j.name: JobState(j.name) for j in self.jobs}
        with Journal(state_path) as journal:
            for name, row in journal.schedule_states().items():
                if name in self.states:
                    self.states[name] = row

    def stop(self, *_: object) -> None:
        """Ask the loop to stop after the step in hand (signal handler)."""
        self.stopping = True
        self.clock.wake.set()

    def next_due(self, job: JobTimes) -> dt.datetime:
        """When ``job`` is next due: right now if an occurrence was missed, else its next time."""
        # A job never run counts from the scheduler's start: what was due before it is not
        # caught up, what falls due after it is run.
        last = self.states[job.name].last_due or self.started
        return job.next_after(last, self.tz)

    def plan(self) -> list[tuple[dt.datetime, JobTimes]]:
        """Every job with the time it is next due, soonest first."""
        return sorted(((self.next_due(j), j) for j in self.jobs), key=lambda p: p[0])

    def run_until(self, until: dt.datetime | None = None) -> None:
        """Run jobs as they fall due until stopped (or until ``until``, for tests)."""
        self.log.info(text("jobs.sched.started", tz=self.tz.key, state=self.state_path))
        for due, job in self.plan():
            at = due.astimezone(self.tz).strftime("%Y-%m-%d %H:%M %Z")
            self.log.info(text("jobs.sched.next", job=text(f"jobs.job.{job.name}"), at=at))
        while not self.stopping:
            now = self.clock.now()
            due, job = self.plan()[0]
            if until is not None and due > until:
                break
            if due > now:
                self.clock.sleep((due - now).total_seconds())
                continue
            missed = job.last_at_or_before(now, self.tz) or due
            if missed > due:
                self.log.info(text("jobs.sched.catch_up", job=text(f"jobs.job.{job.name}")))
            self._run_job(job, missed)
        self.log.info(text("jobs.sched.stopped"))

    def _run_job(self, job: JobTimes, due: dt.datetime) -> None:
        settings = self.config.schedule
        name = text(f"jobs.job.{job.name}")
        status, message = "failed", ""
        earlier: list[str] = []
        for attempt in range(settings.retries + 1):
            self.log.info(text("jobs.sched.running", job=name, attempt=attempt + 1))
            tried = Attempt(attempt + 1, settings.retries + 1, tuple(earlier))
            try:
                status, message = self.runner(job.name, lambda: self.stopping, tried)
            except Exception as exc:  # a job's failure must never end the scheduler
                status, message = "failed", f"{type(exc).__name__}: {exc}"
                self.log.exception(text("jobs.sched.raised", job=name))
            earlier.append(message)
            if status != "failed" or self.stopping or attempt == settings.retries:
                break
            wait = settings.retry_backoff_seconds * 2**attempt
            self.log.warning(text("jobs.sched.retry", job=name, message=message, seconds=wait))
            self.clock.sleep(wait)
            if self.stopping:
                break
        level = logging.INFO if status != "failed" else logging.ERROR
        self.log.log(level, text("jobs.sched.done", job=name, status=status, message=message))
        # A run cut short by a stop is not done: the next start catches it up.
        last_due = self.states[job.name].last_due if status == "stopped" else due
        state = JobState(job.name, last_due, status, self.clock.now(), message)
        self.states[job.name] = state
        with Journal(self.state_path) as journal:
            journal.save_schedule_state(state)


def setup_logging(
    config: Config, folder: Path, console: bool = True
) -> tuple[logging.Logger, Path]:
    """The scheduler's log: a rotating file (and the console), in the operator's language."""
    s = config.schedule
    path = Path(s.log_file) if s.log_file else folder / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger("mops.schedule")
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    form = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    handler = RotatingFileHandler(
        path, maxBytes=s.log_max_kb * 1024, backupCount=s.log_backups, encoding="utf-8"
    )
    handler.setFormatter(form)
    log.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(form)
        log.addHandler(stream)
    return log, path


def default_runner(paths: list[Path], config: Config) -> Runner:
    """The real jobs: the nightly pipeline, a sync with Odoo, the report pack."""
    from mops import api
    from mops.jobs.nightly import FAILED_EXIT, nightly

    def run(job: str, should_stop: Callable[[], bool], attempt: Attempt) -> tuple[str, str]:
        if job == "nightly":
            done = nightly(paths, config=config, stop=should_stop, attempt=attempt)
            failed = [s for s in done.steps if s.status == "failed"]
            if done.stopped:
                return "stopped", ""
            if done.exit_code in FAILED_EXIT.values():
                return "failed", "; ".join(f"{s.step}: {s.message}" for s in failed)
            return "ok", text("jobs.sched.exit", code=done.exit_code)
        if job == "pull":
            try:
                from mops.odoo.settings import settings_from_config

                settings_from_config(config)
            except ConfigError as exc:
                return "skipped", exc.message
            outcome = api.sync(paths, config=config)
            return "ok", text("jobs.sched.exit", code=outcome.exit_code)
        made = api.report("all", paths, config=config)
        return "ok", text("jobs.sched.reports", count=len(made.files))

    return run


def install_signals(scheduler: Scheduler) -> None:
    """SIGTERM and SIGINT ask the loop to stop after the step in hand."""
    signal.signal(signal.SIGTERM, scheduler.stop)
    signal.signal(signal.SIGINT, scheduler.stop)


def serve(paths: list[Path], config: Config, *, console: bool = True) -> int:
    """Run the scheduler for the workbooks at ``paths`` until SIGTERM/SIGINT; the exit code."""
    from mops.syncing.state import default_state_path
    from mops.workbook.prefetch import expand_paths

    files = expand_paths(paths)
    if not files:
        from mops.errors import InputError

        raise InputError(text("jobs.no_workbooks"), hint=text("jobs.no_workbooks_hint"))
    state_path = default_state_path(files)
    lock = state_path.with_name(".mops-schedule")
    try:
        with runlock.hold(lock):
            log, _ = setup_logging(config, state_path.parent, console)
            scheduler = Scheduler(config, state_path, default_runner(paths, config), log=log)
            install_signals(scheduler)
            scheduler.run_until()
    except runlock.Busy as exc:
        raise ScheduleBusy(text("jobs.sched.busy", path=state_path.parent)) from exc
    return 0


@dataclass
class ScheduleStatus:
    """``mops schedule status``: each job's next time and last result, and the log's place."""

    tz: str
    jobs: list[tuple[str, dt.datetime, JobState]]
    log_path: Path
    running: bool


def schedule_status(
    paths: list[Path], config: Config, clock: Clock | None = None
) -> ScheduleStatus:
    """Next runs, last results, where the log is, whether a scheduler is running now."""
    from mops.syncing.state import default_state_path
    from mops.workbook.prefetch import expand_paths

    files = expand_paths(paths)
    state_path = default_state_path(files or paths)
    folder = state_path.parent
    log_path = Path(config.schedule.log_file) if config.schedule.log_file else folder / LOG_NAME
    running = False
    try:
        with runlock.hold(state_path.with_name(".mops-schedule")):
            pass
    except runlock.Busy:
        running = True
    scheduler = Scheduler(config, state_path, lambda job, stop, attempt: ("ok", ""), clock=clock)
    jobs = [(j.name, scheduler.next_due(j), scheduler.states[j.name]) for j in scheduler.jobs]
    return ScheduleStatus(config.schedule.timezone, jobs, log_path, running)
