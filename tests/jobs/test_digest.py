"""The morning digest, sent to a real SMTP server on 127.0.0.1 (aiosmtpd) started by the test."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

import mops
from mops.config import load_config
from mops.jobs.digest import OUTBOX
from mops.jobs.journal import nightly_runs
from mops.jobs.scheduler import Scheduler, default_runner

from .conftest import PASSWORD, free_port
from .test_scheduler import FrozenClock, _taipei

NIGHT, NEXT_NIGHT = dt.date(2026, 11, 26), dt.date(2026, 11, 27)

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _config(port: int, **mail):
    settings = {
        "host": "127.0.0.1", "port": port, "tls": "none", "login": "mops",
        "sender": "營運 mops <mops@example.tw>", "summary_to": ("boss@example.tw",), **mail,
    }  # fmt: skip
    return load_config().updated("odoo", url="").updated("mail", **settings)


def _books(make_books):
    books = make_books(4)
    row = books.rows["customers"][0]
    row["tax_id"] = "1234-5678"
    books.write()
    return books, row["account_manager"]


def _body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_each_owner_gets_only_their_findings_in_their_language(smtp, make_books, monkeypatch):
    controller, inbox = smtp
    monkeypatch.setenv("MOPS_MAIL_PASSWORD", PASSWORD)
    books, owner = _books(make_books)
    roster = {r["name"]: r["email"] for r in books.staff["roster"]}
    other = next(name for name in roster if name != owner)
    config = _config(controller.port, english=(other,))
    run = mops.nightly([books.folder], config=config)
    assert run.step("mail").status == "ok", run.step("mail").message
    owners = {f.owner for f in run.report.findings if f.owner}
    by_to = {m["To"].addresses[0].addr_spec: m for m in inbox.messages}
    assert set(by_to) == {roster[o] for o in owners} | {"boss@example.tw"}
    mine = by_to[roster[owner]]
    assert mine["To"].addresses[0].display_name == owner  # a Chinese name, decoded intact
    assert "待處理" in str(mine["Subject"])  # zh-TW, encoded and decoded intact
    assert mine.get_content_type() == "multipart/alternative"
    plain, rich = _body(mine, "plain"), _body(mine, "html")
    taxes = [f for f in run.report.findings if f.owner == owner and f.column == "tax_id"]
    assert taxes and all(f.message("zh-TW") in plain for f in taxes)
    assert "customers.xlsx" in plain and f"#'{taxes[0].tab}'!{taxes[0].cell}" in plain
    assert "<a href=" in rich and "customers.xlsx" in rich
    theirs = [f for f in run.report.findings if f.owner == owner]
    others = [f for f in run.report.findings if f.owner and f.owner != owner]
    assert plain.count("\n- ") == len(theirs)
    assert not any(f.message("zh-TW") in plain and f not in theirs for f in others)
    if other in owners:
        assert "things to look at" in str(by_to[roster[other]]["Subject"])
    # The run summary goes to the managers; no secret in any message.
    assert "Send the morning digest" not in plain  # the digest reports the steps before it
    assert all(PASSWORD.encode() not in raw for raw in inbox.raw)
    assert not list((books.folder / OUTBOX).glob("*.eml"))


def test_a_failed_mail_is_kept_and_sent_after_the_next_run_never_fatal(
    smtp, make_books, monkeypatch
):
    controller, inbox = smtp
    monkeypatch.setenv("MOPS_MAIL_PASSWORD", PASSWORD)
    books, _owner = _books(make_books)
    down = _config(free_port())  # nobody listens there
    first = mops.nightly([books.folder], as_of=NIGHT, config=down)
    mail = first.step("mail")
    assert mail.status == "attention" and mail.counts["pending"] >= 2
    assert first.exit_code == 1 and first.step("reports").status == "ok"
    assert PASSWORD not in mail.message
    queued = len(list((books.folder / OUTBOX).glob("*.eml")))
    assert queued == mail.counts["pending"]
    # The same night run again, the server still down: its digests replace those waiting.
    again = mops.nightly([books.folder], as_of=NIGHT, config=down)
    assert again.step("mail").counts["pending"] == queued
    assert len(list((books.folder / OUTBOX).glob("*.eml"))) == queued
    second = mops.nightly([books.folder], as_of=NEXT_NIGHT, config=_config(controller.port))
    assert second.step("mail").status == "ok"
    assert len(inbox.messages) == queued * 2  # last night's, then tonight's
    nights = Counter((m["To"].addresses[0].addr_spec, m["X-Mops-Night"]) for m in inbox.messages)
    assert set(nights.values()) == {1}  # nobody got a night twice
    assert {night for _, night in nights} == {str(NIGHT), str(NEXT_NIGHT)}
    assert not list((books.folder / OUTBOX).glob("*.eml"))


def test_a_night_tried_again_sends_one_digest_after_its_last_try(smtp, make_books, monkeypatch):
    controller, inbox = smtp
    monkeypatch.setenv("MOPS_MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", "admin")
    books, owner = _books(make_books)
    config = _config(controller.port, english=(owner,)).updated(
        "schedule", pull_every_minutes=0, retries=2, retry_backoff_seconds=60
    )
    # Odoo down at 02:00 (the sync fails), then the night runs without it.
    down = config.updated(
        "odoo", url=f"http://127.0.0.1:{free_port()}", database="mops", login="admin",
        retry_backoff_seconds=0.0,
    )  # fmt: skip
    tries = []

    def runner(job, should_stop, attempt):
        tries.append(attempt)
        night = down if attempt.number == 1 else config
        return default_runner([books.folder], night)(job, should_stop, attempt)

    clock = FrozenClock(_taipei(2026, 11, 26, 1, 0))
    state = books.folder / ".mops-sync.sqlite"
    Scheduler(config, state, runner, clock=clock).run_until(_taipei(2026, 11, 26, 3, 0))
    assert [t.number for t in tries] == [1, 2]
    held, sent = reversed(nightly_runs(books.folder).runs)
    assert held.exit_code == 11 and held.steps[-1].status == "skipped"  # no digest yet
    assert sent.steps[-1].status == "ok"
    recipients = Counter(m["To"].addresses[0].addr_spec for m in inbox.messages)
    assert set(recipients.values()) == {1}  # one digest each for the night
    roster = {r["name"]: r["email"] for r in books.staff["roster"]}
    mine = next(m for m in inbox.messages if m["To"].addresses[0].addr_spec == roster[owner])
    plain = _body(mine, "plain")
    assert "Try 2 of at most 3 tonight" in plain  # how many tries, and what the first did
    assert f"try 1 failed: {tries[1].earlier[0]}" in plain and "sync" in tries[1].earlier[0]
    assert "Sync with Odoo: skipped" in plain  # what finally happened


def test_a_wrong_password_is_reported_without_the_password(smtp, make_books, monkeypatch):
    controller, inbox = smtp
    monkeypatch.setenv("MOPS_MAIL_PASSWORD", "not-the-password")
    books, _owner = _books(make_books)
    run = mops.nightly([books.folder], config=_config(controller.port))
    assert run.step("mail").status == "attention"
    assert "not-the-password" not in run.step("mail").message
    assert not inbox.messages
