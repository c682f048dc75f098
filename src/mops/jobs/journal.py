"""The run journal of the nightly job: every run and each step's outcome, counts and timing.

Kept in the state store beside the workbooks (``.mops-sync.sqlite``, the sync's own file) in
tables of its own, so the folder carries its history wherever it is copied, and ``mops runs``
reads it without Odoo. A run is written before its first step and each step as it ends: a run
that was killed shows the steps it finished and no end.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from mops.errors import InputError
from mops.i18n import text

SCHEMA = """
CREATE TABLE IF NOT EXISTS job_runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    exit_code INTEGER,
    skipped TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS schedule_jobs (
    job TEXT PRIMARY KEY,
    last_due TEXT,
    last_status TEXT NOT NULL DEFAULT '',
    last_finished TEXT,
    message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS job_steps (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    seconds REAL NOT NULL,
    counts TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, seq)
);
"""


def now() -> str:
    """The current UTC time to the second, ISO 8601."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class StepRecord:
    """One step of a run as the journal holds it."""

    step: str
    status: str  # ok, attention, skipped, failed
    started: str
    seconds: float
    counts: dict[str, int]
    message: str = ""


@dataclass(frozen=True)
class Attempt:
    """Which try of a scheduled occurrence a run is (``mops schedule`` retries a failed one)."""

    number: int = 1  # 1 the first try
    of: int = 1  # the most tries this occurrence gets
    earlier: tuple[str, ...] = ()  # why each earlier try failed (its message)

    @property
    def last(self) -> bool:
        """Whether no retry follows this try if it fails."""
        return self.number >= self.of


@dataclass
class JobRun:
    """One run of a job, with its steps in order."""

    run_id: int
    job: str
    started: str
    finished: str | None
    exit_code: int | None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    steps: list[StepRecord] = field(default_factory=list)


class Journal:
    """The job tables of one state store."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(text("jobs.journal_unreadable", path=self.path, error=exc)) from exc

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def begin(self, job: str) -> int:
        """Record the start of a run; its id."""
        cursor = self.db.execute("INSERT INTO job_runs (job, started) VALUES (?, ?)", (job, now()))
        return int(cursor.lastrowid)

    def step(self, run_id: int, record: StepRecord) -> None:
        """Record one finished step."""
        (seq,) = self.db.execute(
            "SELECT COUNT(*) FROM job_steps WHERE run_id = ?", (run_id,)
        ).fetchone()
        self.db.execute(
            "INSERT INTO job_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id, seq, record.step, record.status, record.started, record.seconds,
                json.dumps(record.counts, ensure_ascii=False), record.message,
            ),
        )  # fmt: skip

    def finish(self, run_id: int, exit_code: int, skipped: list[tuple[str, str]]) -> None:
        """Record the end of a run: its exit code and the workbooks left out."""
        self.db.execute(
            "UPDATE job_runs SET finished = ?, exit_code = ?, skipped = ? WHERE run_id = ?",
            (now(), exit_code, json.dumps(skipped, ensure_ascii=False), run_id),
        )

    def schedule_states(self) -> dict:
        """What the scheduler remembers of each job (``JobState`` by name)."""
        from mops.jobs.scheduler import JobState

        return {
            job: JobState(job, _from_iso(due), status, _from_iso(finished), message)
            for job, due, status, finished, message in self.db.execute(
                "SELECT job, last_due, last_status, last_finished, message FROM schedule_jobs"
            )
        }

    def save_schedule_state(self, state) -> None:
        """Remember a job's last run (a ``JobState``)."""
        self.db.execute(
            "INSERT OR REPLACE INTO schedule_jobs VALUES (?, ?, ?, ?, ?)",
            (state.name, _iso(state.last_due), state.last_status, _iso(state.last_finished),
             state.message),
        )  # fmt: skip

    def runs(self, *, job: str | None = None, limit: int = 20) -> list[JobRun]:
        """The latest runs, newest first, with their steps."""
        where, params = ("WHERE job = ?", [job]) if job else ("", [])
        rows = self.db.execute(
            f"SELECT run_id, job, started, finished, exit_code, skipped FROM job_runs {where} "
            "ORDER BY run_id DESC LIMIT ?",
            [*params, limit if limit > 0 else -1],
        ).fetchall()
        runs = []
        for run_id, job_name, started, finished, code, skipped in rows:
            run = JobRun(
                run_id, job_name, started, finished, code, [tuple(s) for s in json.loads(skipped)]
            )
            for step, status, begun, seconds, counts, message in self.db.execute(
                "SELECT step, status, started, seconds, counts, message FROM job_steps "
                "WHERE run_id = ? ORDER BY seq",
                (run_id,),
            ):
                run.steps.append(
                    StepRecord(step, status, begun, seconds, json.loads(counts), message)
                )
            runs.append(run)
        return runs


@dataclass
class RunHistory:
    """The nightly runs recorded beside a folder of workbooks."""

    state_path: Path
    runs: list[JobRun]


def nightly_runs(
    path: Path | str = ".", *, state: Path | str | None = None, limit: int = 20
) -> RunHistory:
    """The latest runs of the nightly job recorded beside the workbooks at ``path``."""
    from mops.syncing.state import FILENAME

    path = Path(path)
    state_path = Path(state) if state else (path if path.is_dir() else path.parent) / FILENAME
    if not state_path.is_file():
        raise InputError(text("jobs.no_state", path=state_path), hint=text("jobs.no_state_hint"))
    with Journal(state_path) as journal:
        return RunHistory(state_path, journal.runs(limit=limit))
