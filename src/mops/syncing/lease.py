"""One writer at a time, whatever the clients: a lease held in Odoo itself while a sync writes.

Two people syncing their own copies of the workbooks into the same Odoo would otherwise both
look a key up, both find nothing and both create it. The lease is an external id,
``mops_lease.sync`` (``ir.model.data`` is unique on module and name in the database), created
when a sync starts to write and removed when it is done: a second sync's create is refused by
the database itself, so it waits, polling, and writes only once the first has finished, when
its look-up of each key before creating finds what the first made, and adopts it. A sync with
nothing to write takes no lease (a re-sync with nothing changed still sends no write).

A crashed sync cannot block the others for ever: a lease not renewed within ``[sync]
lease_ttl_seconds`` is stale and is removed by the next sync that finds it (two doing so at
once still race on the same unique create), and a rerun after a crash takes its own lease back
at once: the state store remembers its id.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mops.errors import OdooServerError, OdooTransientError
from mops.i18n import text
from mops.odoo.client import OdooClient

MODULE = "mops_lease"
NAME = "sync"


class LeaseBusy(OdooTransientError):
    """Another sync held the lease for longer than this one would wait."""

    exit_code = 3


@dataclass
class Lease:
    """The lease of one sync run: acquire before writing, renew while writing, then release."""

    client: OdooClient
    ttl_seconds: float
    wait_seconds: float
    poll_seconds: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    record_id: int | None = None
    own: int | None = None  # the token of the lease this folder's last run held, if it crashed
    token: int = field(default_factory=lambda: secrets.randbelow(2**31 - 2) + 1)
    _renewed: float = 0.0

    def acquire(self, say: Callable[[str], None] = lambda message: None) -> None:
        """Take the lease, waiting while another sync holds it (at most ``wait_seconds``).

        The lease carries this run's random token (in ``res_id``), so a create whose answer
        was lost can tell its own lease from another run's, and a rerun after a crash can take
        back the one its state store remembers.
        """
        started = self.clock()
        lost = 0
        while True:
            try:
                (self.record_id,) = self.client.call(
                    "ir.model.data", "create",
                    [{"module": MODULE, "name": NAME, "model": "res.users",
                      "res_id": self.token, "noupdate": True}],
                )  # fmt: skip
                self._renewed = self.clock()
                return
            except OdooTransientError:
                lost += 1
                holder = self._holder()
                if holder is not None and holder["res_id"] == self.token:
                    self.record_id, self._renewed = holder["id"], self.clock()
                    return  # the create went through; its answer was lost
                if holder is None and lost <= 4:
                    continue
                if holder is None:
                    raise
                exc: Exception | None = None
            except OdooServerError as refused:
                if not _is_duplicate(refused):
                    raise
                holder, exc = self._holder(), refused
                if holder is None:
                    continue  # released between our create and our look: try again
            if holder["res_id"] in (self.own, self.token) or self._stale(holder):
                # Our own run crashed holding it (the state store says so), or it lapsed.
                self._remove(holder["id"])
                continue
            if self.clock() - started >= self.wait_seconds:
                raise LeaseBusy(
                    text("sync_lease_busy", since=holder["write_date"]),
                    hint=text("sync_lease_busy_hint"),
                ) from exc
            say(text("sync_lease_waiting", since=holder["write_date"]))
            self.sleep(self.poll_seconds)

    def renew(self) -> None:
        """Tell other syncs this one is alive (at most every third of the lease's life)."""
        if self.record_id is None or self.clock() - self._renewed < self.ttl_seconds / 3:
            return
        self.client.call("ir.model.data", "write", [self.record_id], {"noupdate": True})
        self._renewed = self.clock()

    def release(self) -> bool:
        """Give the lease back; False when Odoo could not be told (it lapses, or a rerun from
        this folder takes it back at once), which is no reason to fail a sync that is done."""
        if self.record_id is None:
            return True
        for _ in range(5):
            try:
                self._remove(self.record_id)
            except OdooTransientError:
                continue
            self.record_id = None
            return True
        return False

    def _holder(self) -> dict | None:
        rows = self.client.call(
            "ir.model.data",
            "search_read",
            [["module", "=", MODULE], ["name", "=", NAME]],
            fields=["id", "res_id", "write_date"],
        )
        return rows[0] if rows else None

    def _stale(self, holder: dict) -> bool:
        written = dt.datetime.fromisoformat(str(holder["write_date"])).replace(tzinfo=dt.UTC)
        age = dt.datetime.now(dt.UTC) - written
        return age.total_seconds() > self.ttl_seconds

    def _remove(self, record_id: int) -> None:
        try:
            self.client.call("ir.model.data", "unlink", [record_id])
        except OdooServerError as exc:
            if exc.kind != "MissingError":
                raise


def _is_duplicate(exc: OdooServerError) -> bool:
    message = str(exc).lower()
    return "unique" in message or "duplicate" in message or exc.kind == "IntegrityError"
