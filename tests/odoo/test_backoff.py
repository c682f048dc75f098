"""The client's retry waits: 0.5, 1, 2 and 4 s in production, and nothing a test must sit through.

No test sleeps for real: each one passes its own ``sleep`` and records the waits asked for.
"""

from __future__ import annotations

import socket

import pytest

from mops.errors import ConfigError, OdooTransientError
from mops.i18n import language
from mops.odoo.client import BACKOFF_ENV, JsonRpcClient
from mops.odoo.settings import OdooSettings

from conftest import NO_BACKOFF


def _unreachable() -> OdooSettings:
    """Settings of a port nobody listens on: every connection is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return OdooSettings(url=f"http://127.0.0.1:{port}", database="mops", login="admin")


def _waits(**kwargs) -> list[float]:
    waits: list[float] = []
    with language("en"), pytest.raises(OdooTransientError, match="after 5 attempt"):
        JsonRpcClient(_unreachable(), "admin", sleep=waits.append, **kwargs)
    return waits


def test_production_waits_double_from_half_a_second(monkeypatch):
    monkeypatch.delenv(BACKOFF_ENV, raising=False)
    assert _waits() == [0.5, 1, 2, 4]


@pytest.mark.parametrize(("value", "waits"), [("0", [0, 0, 0, 0]), (" 0.25 ", [0.25, 0.5, 1, 2])])
def test_the_environment_sets_the_first_wait(monkeypatch, value, waits):
    monkeypatch.setenv(BACKOFF_ENV, value)
    assert _waits() == waits
    # A backoff given by the program wins over the environment.
    assert _waits(backoff=0.125) == [0.125, 0.25, 0.5, 1]


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_wrong_backoff_in_the_environment_is_a_configuration_error(monkeypatch, value):
    monkeypatch.setenv(BACKOFF_ENV, value)
    with pytest.raises(ConfigError, match=BACKOFF_ENV):
        JsonRpcClient(_unreachable(), "admin", sleep=lambda s: None)


def test_the_commands_the_tests_run_do_not_wait():
    assert NO_BACKOFF == {BACKOFF_ENV: "0"}
