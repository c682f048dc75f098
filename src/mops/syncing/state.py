"""The sync state store: SQLite next to the workbooks, written only after Odoo said yes.

``records`` holds, per synced record, its Odoo id and the values both sides held at the last
sync (what the planner compares against); ``runs`` every sync run; ``journal`` every change
applied, with the workbook row it came from (``mops sync log``). Each batch commits its state
and journal rows in one transaction right after the Odoo call succeeded, so a crash leaves the
store describing exactly what Odoo got, and the next run picks up from there.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mops.errors import InputError
from mops.syncing.plan import StateRecord

SCHEMA_VERSION = 1
FILENAME = ".mops-sync.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    record_type TEXT NOT NULL,
    key TEXT NOT NULL,
    model TEXT NOT NULL,
    odoo_id INTEGER NOT NULL,
    synced_values TEXT NOT NULL,
    workbook_hash TEXT NOT NULL DEFAULT '',
    odoo_write_date TEXT,
    run_id INTEGER,
    PRIMARY KEY (record_type, key)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    dry_run INTEGER NOT NULL DEFAULT 0,
    plan_digest TEXT,
    message TEXT
);
CREATE TABLE IF NOT EXISTS journal (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    record_type TEXT NOT NULL,
    key TEXT NOT NULL,
    model TEXT NOT NULL,
    odoo_id INTEGER,
    action TEXT NOT NULL,
    field TEXT,
    old TEXT,
    new TEXT,
    workbook TEXT,
    sheet TEXT,
    row INTEGER,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS journal_key ON journal (record_type, key);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class JournalEntry:
    """One applied change, as ``mops sync log`` shows it."""

    run_id: int
    seq: int
    at: str
    record_type: str
    key: str
    model: str
    odoo_id: int | None
    action: str
    field: str | None
    old: Any
    new: Any
    workbook: str | None
    sheet: str | None
    row: int | None


@dataclass(frozen=True)
class Run:
    """One sync run."""

    run_id: int
    started: str
    finished: str | None
    status: str
    dry_run: bool
    plan_digest: str | None
    message: str | None


@dataclass
class Pending:
    """State rows and journal rows of one batch, committed together."""

    records: list[tuple]
    journal: list[tuple]


class StateStore:
    """The SQLite state of one folder of workbooks against one Odoo database."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            version = self._meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a mops sync state file ({exc}).") from exc
        if version is None:
            self._set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: made by a newer mops (state schema {version}); upgrade mops."
            )
        self._seq: dict[int, int] = {}
        self._lock: Any = None

    def close(self) -> None:
        """Close the database (and release the run lock, if held)."""
        self.db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def lock(self) -> None:
        """Hold this state for one run; refuse when another mops sync holds it.

        An operating-system lock on a file beside the database: it goes away with the process,
        so a crashed run never leaves a stale lock behind.
        """
        handle = open(f"{self.path}.lock", "a+b")  # noqa: SIM115 - held open for the whole run
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise InputError(
                f"{self.path}: another mops sync is running with this state file.",
                hint="Wait for it to finish; two syncs at once could both create a record.",
            ) from exc
        self._lock = handle

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta -------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def lease(self) -> int | None:
        """The token of the lease in Odoo this store's last run held (left after a crash)."""
        value = self._meta("lease_id")
        return int(value) if value else None

    def hold_lease(self, token: int | None) -> None:
        """Remember the token of the lease this run holds (None: given back)."""
        self._set_meta("lease_id", str(token or ""))

    def note_version(self, version: str) -> str | None:
        """Record the Odoo version synced with; the earlier one when the server changed since."""
        before = self._meta("odoo_version")
        self._set_meta("odoo_version", version)
        return before if before and before != version else None

    def bind(self, url: str, database: str) -> None:
        """Tie the store to one Odoo database; refuse another (its ids mean other records)."""
        bound = (self._meta("odoo_url"), self._meta("odoo_database"))
        if bound == (None, None):
            self._set_meta("odoo_url", url)
            self._set_meta("odoo_database", database)
        elif bound != (url, database):
            raise InputError(
                f"{self.path} records a sync with Odoo {bound[0]} database {bound[1]}, not "
                f"{url} database {database}.",
                hint="Give another state file with --state for another Odoo database.",
            )

    # -- records ----------------------------------------------------------------------------

    def records(
        self, types: Iterable[str] | None = None, *, keys: Sequence[str] | None = None
    ) -> dict[tuple[str, str], StateRecord]:
        """The state of every synced record (of the given types, with the given keys)."""
        if keys is not None:
            rows: list = []
            wanted = list(types or [])
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                rows.extend(
                    self.db.execute(
                        f"SELECT * FROM records WHERE key IN ({','.join('?' * len(chunk))})"
                        f" AND record_type IN ({','.join('?' * len(wanted))})",
                        [*chunk, *wanted],
                    )
                )
        else:
            query = "SELECT * FROM records"
            params: Sequence = ()
            if types is not None:
                wanted = list(types)
                query += f" WHERE record_type IN ({','.join('?' * len(wanted))})"
                params = wanted
            rows = list(self.db.execute(query, params))
        out = {}
        for row in rows:
            rtype, key, model, odoo_id, synced, whash, wdate, run_id = row
            out[(rtype, key)] = StateRecord(
                rtype, key, model, odoo_id, json.loads(synced), whash, wdate, run_id
            )
        return out

    # -- runs -------------------------------------------------------------------------------

    def begin_run(self, plan_digest: str | None = None, *, dry_run: bool = False) -> int:
        """Record the start of a run; runs left "running" by a crash become "interrupted"."""
        self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.db.execute(
            "INSERT INTO runs (started, status, dry_run, plan_digest) VALUES (?, ?, ?, ?)",
            (_now(), "running", int(dry_run), plan_digest),
        )
        run_id = int(cur.lastrowid or 0)
        self._seq[run_id] = 0
        return run_id

    def set_digest(self, run_id: int, plan_digest: str) -> None:
        """Record the digest of the plan a run carries out."""
        self.db.execute("UPDATE runs SET plan_digest = ? WHERE run_id = ?", (plan_digest, run_id))

    def finish_run(self, run_id: int, status: str, message: str | None = None) -> None:
        """Record how a run ended: ok, conflicts, failed …"""
        self.db.execute(
            "UPDATE runs SET finished = ?, status = ?, message = ? WHERE run_id = ?",
            (_now(), status, message, run_id),
        )

    def last_applied_run(self) -> int | None:
        """The id of the last run that may have applied anything (for checking saved plans)."""
        row = self.db.execute(
            "SELECT MAX(run_id) FROM runs WHERE dry_run = 0 AND plan_digest IS NOT NULL"
        ).fetchone()
        return row[0] if row and row[0] is not None else None

    def runs(self, limit: int = 20) -> list[Run]:
        """The latest runs, newest first."""
        rows = self.db.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", (limit,))
        return [Run(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]

    def journal(self, *, run_id: int | None = None, limit: int = 100) -> list[JournalEntry]:
        """Journal entries of a run (or of all runs), newest first."""
        query = "SELECT * FROM journal"
        params: list = []
        if run_id is not None:
            query += " WHERE run_id = ?"
            params.append(run_id)
        query += " ORDER BY run_id DESC, seq DESC"
        if limit:
            query += " LIMIT ?"
            params.append(limit)
        out = []
        for r in self.db.execute(query, params):
            old = json.loads(r[9]) if r[9] is not None else None
            new = json.loads(r[10]) if r[10] is not None else None
            out.append(JournalEntry(*r[:9], old, new, *r[11:]))  # type: ignore[arg-type]
        return out

    # -- batches ----------------------------------------------------------------------------

    def pending(self) -> Pending:
        """An empty batch of state and journal rows."""
        return Pending([], [])

    def stage_record(self, pending: Pending, record: StateRecord) -> None:
        """Add a record's new state to a batch."""
        pending.records.append(
            (
                record.record_type, record.key, record.model, record.odoo_id,
                _json(record.synced_values) or "{}", record.workbook_hash,
                record.odoo_write_date, record.run_id,
            )
        )  # fmt: skip

    def stage_journal(
        self,
        pending: Pending,
        run_id: int,
        *,
        record_type: str,
        key: str,
        model: str,
        odoo_id: int | None,
        action: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        source: Any = None,
    ) -> None:
        """Add one journal row to a batch."""
        self._seq[run_id] = self._seq.get(run_id, 0) + 1
        where = (source.file, source.sheet, source.row) if source is not None else (None,) * 3
        pending.journal.append(
            (
                run_id, self._seq[run_id], _now(), record_type, key, model, odoo_id, action,
                field, _json(old), _json(new), *where,
            )
        )  # fmt: skip

    def commit(self, pending: Pending) -> None:
        """Write a batch in one transaction."""
        if not pending.records and not pending.journal:
            return
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", pending.records
            )
            self.db.executemany(
                "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                pending.journal,
            )
        pending.records.clear()
        pending.journal.clear()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def default_state_path(files: Sequence[Path | str]) -> Path:
    """``.mops-sync.sqlite`` in the folder of the first workbook."""
    if not files:
        return Path.cwd() / FILENAME
    return Path(files[0]).resolve().parent / FILENAME
