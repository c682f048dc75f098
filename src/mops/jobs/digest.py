"""The morning digest: after each nightly run, one e-mail per person with findings on their rows.

Each person named as the owner of a row (``Finding.owner``; the roster gives their e-mail)
gets only the findings on their own rows, in their language (``[mail] english``; zh-TW
otherwise), each with a link to the workbook and cell, under the night's step outcomes; the
addresses of ``[mail] summary_to`` get the run summary. Multipart (text and HTML); headers are
encoded as RFC 2047/6532 require, so Chinese subjects and names arrive intact. The SMTP password
comes from the environment (``[mail] password_env``) or the keyring, and is never written into
a message or a log.

Every message is first written into ``.mops-outbox/`` beside the workbooks, one a night and
recipient, and removed once the server took it: a mail the server refused or never got is sent
again after the next run (replaced by a newer digest of the same night, never sent twice), and
a failure is never fatal to the job. A scheduled night that fails and is tried again sends its
digest once, after its last try, saying how many tries it took (``Attempt``).
"""

from __future__ import annotations

import hashlib
import html
import os
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from mops.config import Config
from mops.i18n import text
from mops.schemas.model import Lang

OUTBOX = ".mops-outbox"
KEYRING_SERVICE = "mops-mail"


@dataclass
class DigestResult:
    """What the digest step did: messages sent, left in the outbox, and why (if any)."""

    sent: int
    pending: int
    error: str = ""


def people_from(dataset: Any) -> dict[str, str]:
    """Name → e-mail of everyone on the roster who has one."""
    frame = dataset.frame("roster") if dataset is not None else None
    if frame is None or "name" not in frame.columns or "email" not in frame.columns:
        return {}
    return {
        str(name): str(email)
        for name, email in zip(frame["name"], frame["email"], strict=True)
        if name and email
    }


def _lang(person: str, email: str, config: Config) -> Lang:
    english = set(config.mail.english)
    return Lang.EN if person in english or email in english else Lang.ZH_TW


def _link(file: str, tab: str, cell: str | None) -> str:
    uri = Path(file).resolve().as_uri()
    return f"{uri}#'{tab}'!{cell}" if cell else uri


def _status_lines(run: Any, lang: Lang) -> list[str]:
    from mops.jobs.render import step_lines

    lines = []
    attempt = getattr(run, "attempt", None)
    if attempt is not None and attempt.number > 1:
        earlier = [
            text("jobs.sched.attempt_failed", lang, number=i, message=message)
            for i, message in enumerate(attempt.earlier, 1)
        ]
        lines.append(
            text("jobs.mail.attempts", lang, number=attempt.number, of=attempt.of,
                 earlier="; ".join(earlier))
        )  # fmt: skip
    for record in run.steps:
        lines += step_lines(record, lang)
    lines += [text("jobs.skipped_line", lang, file=f, why=why) for f, why in run.skipped]
    return lines


def _findings(run: Any) -> list:
    found = list(run.report.findings) if run.report is not None else []
    if run.sync is not None:
        found += list(run.sync.findings)
    return found


NIGHT_HEADER = "X-Mops-Night"


def _message(
    sender: str, to: Address, subject: str, plain: str, rich: str, day: str
) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg[NIGHT_HEADER] = day
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="mops.local")
    msg.set_content(plain)
    msg.add_alternative(rich, subtype="html")
    return msg


def _html(title: str, lines: list[str], rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in lines)
    body = "".join(
        f'<tr><td><a href="{html.escape(link)}">{html.escape(where)}</a></td>'
        f"<td>{html.escape(message)}</td></tr>"
        for where, link, message in rows
    )
    table = f"<table border='1' cellpadding='4'>{body}</table>" if rows else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h2>{html.escape(title)}</h2><ul>{items}</ul>{table}</body></html>"
    )


def compose(run: Any, people: dict[str, str], config: Config, day: str) -> list[EmailMessage]:
    """The night's messages: one per person with findings on their rows, and the summary."""
    sender = config.mail.sender
    by_owner: dict[str, list] = {}
    for finding in _findings(run):
        if finding.owner:
            by_owner.setdefault(finding.owner, []).append(finding)
    messages = []
    for person, found in sorted(by_owner.items()):
        email = people.get(person)
        if not email:
            continue
        lang = _lang(person, email, config)
        subject = text("jobs.mail.subject_owner", lang, date=day, count=len(found))
        status = _status_lines(run, lang)
        rows = []
        for f in found:
            where = f"{Path(f.file).name} [{f.tab}] {f.cell or ''}".strip()
            rows.append((where, _link(f.file, f.tab, f.cell), f.message(lang)))
        plain = "\n".join(
            [text("jobs.mail.greeting", lang, name=person), "", *status, "",
             text("jobs.mail.yours", lang, count=len(found)), ""]
            + [f"- {where}: {message}\n  {link}" for where, link, message in rows]
        )  # fmt: skip
        messages.append(
            _message(sender, Address(person, addr_spec=email), subject, plain,
                     _html(subject, status, rows), day)
        )  # fmt: skip
    if config.mail.summary_to:
        lang = Lang(config.general.language)
        subject = text("jobs.mail.subject_summary", lang, date=day, code=run.exit_code)
        status = _status_lines(run, lang)
        summary = _summary_file(run)
        plain = "\n".join([*status, "", text("jobs.summary_at", lang, path=summary or "-")])
        rich = summary.read_text(encoding="utf-8") if summary else _html(subject, status, [])
        for address in config.mail.summary_to:
            messages.append(_message(sender, Address(addr_spec=address), subject, plain, rich, day))
    return messages


def _summary_file(run: Any) -> Path | None:
    if run.reports is None:
        return None
    return next((f.path for f in run.reports.files if f.name == "summary"), None)


def _password(config: Config) -> str | None:
    secret = os.environ.get(config.mail.password_env)
    if secret:
        return secret
    try:
        import keyring
    except ImportError:
        return None
    return keyring.get_password(KEYRING_SERVICE, config.mail.login)


def _connect(config: Config) -> smtplib.SMTP:
    mail = config.mail
    if mail.tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            mail.host, mail.port, timeout=30, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(mail.host, mail.port, timeout=30)
        if mail.tls == "starttls":
            server.starttls(context=ssl.create_default_context())
    if mail.login:
        server.login(mail.login, _password(config) or "")
    return server


def send(messages: list[EmailMessage], folder: Path, config: Config) -> DigestResult:
    """Queue ``messages`` in the outbox, then send everything queued (oldest first).

    One message a night and recipient waits in the outbox: a digest of the same night made
    again (the night run again before the mail went) replaces the one waiting, so nobody gets
    the same night twice.
    """
    outbox = folder / OUTBOX
    outbox.mkdir(exist_ok=True)
    for msg in messages:
        to = ",".join(sorted(a.addr_spec.lower() for a in msg["To"].addresses))
        who = hashlib.sha256(to.encode()).hexdigest()[:16]
        path = outbox / f"{msg[NIGHT_HEADER]}-{who}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, path)
    queued = sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    if not queued:
        return DigestResult(0, 0)
    sent = 0
    try:
        with _connect(config) as server:
            for path in queued:
                msg = BytesParser(policy=policy.SMTP).parsebytes(path.read_bytes())
                server.send_message(msg)
                path.unlink()
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        # The password is never in these messages: smtplib reports codes and the server's text.
        return DigestResult(sent, len(queued) - sent, f"{type(exc).__name__}: {exc}")
    return DigestResult(sent, 0)
