"""The client's retry waits: 0.5, 1, 2 and 4 s in production, and nothing a test must sit through.

No test sleeps for real: each one passes its own ``sleep`` and records the waits asked for.
"""

from __future__ import annotations

import socket

import pytest

from mops.config import env_name, load_config
from mops.errors import ConfigError, OdooTransientError
from mops.i18n import language
from mops.odoo.client import JsonRpcClient
from mops.odoo.settings import OdooSettings

from conftest import NO_BACKOFF

BACKOFF_ENV = env_name("odoo.retry_backoff_seconds")


def _unreachable(environ: dict[str, str] | None = None) -> OdooSettings:
    """Settings of a port nobody listens on (every connection is refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = load_config(environ=environ or {})
    return OdooSettings(
        url=f"http://127.0.0.1:{port}",
        database="mops",
        login="admin",
        retry_backoff_seconds=float(config.odoo.retry_backoff_seconds),
    )


def _waits(environ: dict[str, str] | None = None, **kwargs) -> list[float]:
    waits: list[float] = []
    with language("en"), pytest.raises(OdooTransientError, match="after 5 attempt"):
        JsonRpcClient(_unreachable(environ), "admin", sleep=waits.append, **kwargs)
    return waits


def test_production_waits_double_from_half_a_second():
    assert _waits() == [0.5, 1, 2, 4]


@pytest.mark.parametrize(("value", "waits"), [("0", [0, 0, 0, 0]), (" 0.25 ", [0.25, 0.5, 1, 2])])
def test_the_environment_sets_the_first_wait(value, waits):
    assert _waits({BACKOFF_ENV: value}) == waits
    # A backoff given by the program wins over the configuration.
    assert _waits({BACKOFF_ENV: value}, backoff=0.125) == [0.125, 0.25, 0.5, 1]


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_wrong_backoff_in_the_environment_is_a_configuration_error(value):
    with pytest.raises(ConfigError, match=r"retry_backoff_seconds|MOPS_ODOO_RETRY"):
        load_config(environ={BACKOFF_ENV: value})


def test_the_commands_the_tests_run_do_not_wait():
    assert NO_BACKOFF == {BACKOFF_ENV: "0"}
