"""Fixtures of the nightly job's tests: those of the sync tests (test Odoo, demo workbooks)."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sync.conftest import demo, make_books, odoo  # noqa: F401

from odoo_server.fixture import odoo_server  # noqa: F401

PASSWORD = "s3cret-mail-pw"


class Inbox:
    """An SMTP handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.SMTP))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    # handled=False: aiosmtpd answers a refusal with 535 itself (by default it sends nothing and
    # the client waits out its timeout), as a real server refuses a wrong password at once.
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 (aiosmtpd), with login; (controller, inbox)."""
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=_authenticate,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()
