"""mops schedule: due times in the firm's zone, catch-up, no overlap, retries, stopping."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mops.config import load_config
from mops.jobs.journal import Journal
from mops.jobs.scheduler import Clock, JobState, Scheduler, job_times

from conftest import REPO

UTC = dt.UTC
TAIPEI = ZoneInfo("Asia/Taipei")


class FrozenClock(Clock):
    """A clock that stands still until slept on, then jumps ahead by exactly the sleep."""

    def __init__(self, start: dt.datetime) -> None:
        super().__init__()
        self.t = start
        self.slept: list[float] = []

    def now(self) -> dt.datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += dt.timedelta(seconds=max(0.0, seconds))

    def advance(self, **delta: float) -> None:
        self.t += dt.timedelta(**delta)


def _taipei(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TAIPEI).astimezone(UTC)


def _config(**schedule):
    return load_config().updated("schedule", **schedule)


class Recorder:
    """A runner that notes each call (job, clock time) and can fail or take time."""

    def __init__(self, clock: FrozenClock, *, fail: int = 0, takes: dt.timedelta | None = None):
        self.clock, self.fail, self.takes = clock, fail, takes
        self.calls: list[tuple[str, dt.datetime]] = []
        self.attempts: list = []
        self.inside = False

    def __call__(self, job: str, should_stop, attempt) -> tuple[str, str]:
        assert not self.inside, "a job started while another ran"
        self.inside = True
        try:
            self.calls.append((job, self.clock.now()))
            self.attempts.append(attempt)
            if self.takes:
                self.clock.t += self.takes
            if self.fail:
                self.fail -= 1
                raise ConnectionError("Odoo is down")
            return "ok", ""
        finally:
            self.inside = False


@pytest.mark.parametrize("machine_tz", ["America/New_York", "Europe/Berlin", "UTC"])
def test_the_nightly_time_is_2am_in_taipei_across_a_dst_change_of_the_machine(
    machine_tz, monkeypatch
):
    monkeypatch.setenv("TZ", machine_tz)
    time.tzset()
    try:
        (nightly, *_) = job_times(_config())
        # Around the US (8 March) and European (29 March) changes to summer time.
        start = dt.datetime(2026, 3, 5, 12, tzinfo=UTC)
        due, seen = start, []
        for _ in range(30):
            due = nightly.next_after(due, TAIPEI)
            seen.append(due)
        assert {d.astimezone(TAIPEI).time() for d in seen} == {dt.time(2, 0)}
        assert {d.time() for d in seen} == {dt.time(18, 0)}  # 02:00 +08:00, every day
        assert len({d.date() for d in seen}) == 30
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_firm_in_a_dst_zone_keeps_its_wall_time_across_the_change():
    berlin = ZoneInfo("Europe/Berlin")
    config = _config(timezone="Europe/Berlin")
    weekly = job_times(config)[-1]
    mondays = [weekly.next_after(dt.datetime(2026, 3, 20, tzinfo=UTC), berlin)]
    mondays.append(weekly.next_after(mondays[0], berlin))
    assert [m.astimezone(berlin).strftime("%a %H:%M") for m in mondays] == ["Mon 08:00"] * 2
    assert [m.hour for m in mondays] == [7, 6]  # 08:00 CET, then 08:00 CEST


def test_the_hourly_pull_runs_in_working_hours_on_working_days_only():
    pull = job_times(_config())[1]
    friday_evening = _taipei(2026, 11, 27, 17, 30)
    first = pull.next_after(friday_evening, TAIPEI)
    assert first == _taipei(2026, 11, 27, 18, 0)
    assert pull.next_after(first, TAIPEI) == _taipei(2026, 11, 30, 9, 0)  # Monday


def test_missed_nights_are_caught_up_once_not_once_each(tmp_path):
    state = tmp_path / ".mops-sync.sqlite"
    with Journal(state) as journal:  # last run three nights ago, then the machine was off
        journal.save_schedule_state(JobState("nightly", _taipei(2026, 11, 23, 2), "ok"))
    clock = FrozenClock(_taipei(2026, 11, 26, 7, 0))
    runner = Recorder(clock)
    scheduler = Scheduler(_config(pull_every_minutes=0), state, runner, clock=clock)
    scheduler.run_until(_taipei(2026, 11, 26, 7, 30))
    assert runner.calls == [("nightly", _taipei(2026, 11, 26, 7, 0))]
    # And the next night runs at its time.
    scheduler.run_until(_taipei(2026, 11, 27, 3, 0))
    assert runner.calls[-1] == ("nightly", _taipei(2026, 11, 27, 2, 0))
    assert len(runner.calls) == 2


def test_a_first_start_does_not_run_what_was_due_before_it(tmp_path):
    clock = FrozenClock(_taipei(2026, 11, 26, 7, 0))
    runner = Recorder(clock)
    scheduler = Scheduler(_config(pull_every_minutes=0), tmp_path / "s.sqlite", runner, clock=clock)
    scheduler.run_until(_taipei(2026, 11, 27, 1, 59))
    assert runner.calls == []


def test_a_job_never_overlaps_itself_and_a_long_run_is_followed_by_one_run(tmp_path):
    clock = FrozenClock(_taipei(2026, 11, 26, 1, 0))
    runner = Recorder(clock, takes=dt.timedelta(hours=50))  # longer than two nights
    scheduler = Scheduler(_config(pull_every_minutes=0), tmp_path / "s.sqlite", runner, clock=clock)
    scheduler.run_until(_taipei(2026, 11, 28, 4, 0))
    # 26th 02:00 ran until the 28th 04:00; the 27th and 28th are one catch-up run, at once.
    assert [c[1] for c in runner.calls] == [
        _taipei(2026, 11, 26, 2, 0),
        _taipei(2026, 11, 28, 4, 0),
    ]


def test_a_raising_job_is_retried_with_doubling_waits_and_the_scheduler_goes_on(tmp_path):
    clock = FrozenClock(_taipei(2026, 11, 26, 1, 0))
    runner = Recorder(clock, fail=2)
    state = tmp_path / "s.sqlite"
    scheduler = Scheduler(_config(pull_every_minutes=0), state, runner, clock=clock)
    scheduler.run_until(_taipei(2026, 11, 26, 3, 0))
    assert len(runner.calls) == 3
    waits = [b[1] - a[1] for a, b in zip(runner.calls, runner.calls[1:], strict=False)]
    assert waits == [dt.timedelta(seconds=300), dt.timedelta(seconds=600)]
    # Each try knows its number and how the earlier ones ended (for the night's one digest).
    assert [(a.number, a.of, a.last) for a in runner.attempts] == [
        (1, 4, False), (2, 4, False), (3, 4, False),
    ]  # fmt: skip
    assert runner.attempts[2].earlier == ("ConnectionError: Odoo is down",) * 2
    assert scheduler.states["nightly"].last_status == "ok"
    # Failing every time: retries, then given up until the next night, still running.
    runner.fail = 10
    scheduler.run_until(_taipei(2026, 11, 27, 3, 0))
    assert len(runner.calls) == 3 + 4  # the first try and 3 retries
    assert scheduler.states["nightly"].last_status == "failed"
    assert "Odoo is down" in scheduler.states["nightly"].message
    runner.fail = 0
    scheduler.run_until(_taipei(2026, 11, 28, 3, 0))
    assert runner.calls[-1] == ("nightly", _taipei(2026, 11, 28, 2, 0))
    with Journal(state) as journal:  # remembered for the next process and for status
        assert journal.schedule_states()["nightly"].last_status == "ok"


def _write_books(folder: Path) -> None:
    from mops.demodata import generate_demo  # noqa: F401 - the cheap blank suite is enough
    from mops.schemas.registry import WORKBOOKS
    from mops.workbook.writer import write_workbook

    folder.mkdir()
    wb = next(w for w in WORKBOOKS if w.filename == "staff.xlsx")
    write_workbook(wb, folder / wb.filename)


def test_a_real_mops_schedule_process_stops_cleanly_on_sigterm_and_refuses_a_second(tmp_path):
    folder = tmp_path / "books"
    _write_books(folder)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOPS_")},
        "PYTHONPATH": str(REPO / "src"),
        "MOPS_GENERAL_LANGUAGE": "en",
    }
    command = [sys.executable, "-m", "mops", "schedule", str(folder)]
    first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    log = folder / "mops-schedule.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and "next at" in log.read_text(encoding="utf-8")):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the scheduler did not start"
        time.sleep(0.2)
    second = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert second.returncode == 4 and "already running" in second.stderr, second
    status = subprocess.run([*command[:4], "status", str(folder)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "a scheduler is running" in status.stdout and str(log) in status.stdout
    first.send_signal(signal.SIGTERM)
    _, err = first.communicate(timeout=30)
    assert first.returncode == 0, err
    assert "Traceback" not in err
    assert "Scheduler stopped" in log.read_text(encoding="utf-8")
