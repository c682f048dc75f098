"""What was last pulled from Odoo, kept in the sync state store for offline use.

``mops reconcile`` keeps the finance side it read (kind ``"finance"``) here, and the reports
read it back without asking Odoo again. One row a kind in the table ``snapshots`` of the same
SQLite file as the sync state (``.mops-sync.sqlite`` beside the workbooks): the data as JSON
(Decimals and dates as text, so amounts come back exact), when it was pulled (UTC, ISO 8601)
and from which Odoo (url, database, version). Saving a kind replaces its previous snapshot in
one transaction; nothing else in the file is touched.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

TABLE = """
CREATE TABLE IF NOT EXISTS snapshots (
    kind TEXT PRIMARY KEY,
    pulled_at TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Snapshot:
    """One kind's last pull: its data, when, and from which Odoo."""

    kind: str
    data: Any
    pulled_at: dt.datetime
    source: dict[str, Any]  # url, database, version (as far as known)

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        """How long ago it was pulled."""
        return (now or dt.datetime.now(dt.UTC)) - self.pulled_at


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot keep a {type(value).__name__} in a snapshot")


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def save(
    state_path: Path | str,
    kind: str,
    data: Any,
    pulled_at: dt.datetime,
    *,
    source: dict[str, Any] | None = None,
) -> None:
    """Keep ``data`` as the snapshot of ``kind``, replacing the previous one."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, default=_default)
    Path(state_path).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(state_path, timeout=30)) as db, db:
        db.execute(TABLE)
        db.execute(
            "INSERT OR REPLACE INTO snapshots (kind, pulled_at, source, data) VALUES (?, ?, ?, ?)",
            (
                kind,
                _utc(pulled_at).isoformat(),
                json.dumps(source or {}, ensure_ascii=False, sort_keys=True),
                body,
            ),
        )


def load(state_path: Path | str, kind: str) -> Snapshot | None:
    """The last snapshot of ``kind``, or None when there is none (or no state file)."""
    if not Path(state_path).is_file():
        return None
    with closing(sqlite3.connect(state_path, timeout=30)) as db:
        db.execute(TABLE)
        row = db.execute(
            "SELECT pulled_at, source, data FROM snapshots WHERE kind = ?", (kind,)
        ).fetchone()
    if row is None:
        return None
    return Snapshot(kind, json.loads(row[2]), dt.datetime.fromisoformat(row[0]), json.loads(row[1]))
