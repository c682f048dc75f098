"""The real Odoo servers the live tests share, used by one test at a time when a test takes
apart what `mops odoo setup` made.

The live tests run in several pytest-xdist workers against the same databases. One of them
removes a selection option to see the record Odoo refuses, then puts it back: while it does, no
other test may sync or provision (a sync would be refused too, a setup would add the option
again). So every live test holds a shared lock for its whole run, and that one an exclusive
lock; the setup's helper takes the shared lock too, for the fixtures that provision before a
test starts. A process that already holds the lock does not ask again (flock would block it).
"""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK = Path(tempfile.gettempdir()) / "mops-tests-live-odoo.lock"
_depth = 0  # the lock is held by this process (tests and fixtures run one at a time in it)


@contextmanager
def live_odoo(*, exclusive: bool = False) -> Iterator[None]:
    """Hold the live servers: shared, or alone."""
    global _depth
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
