"""Open the right client for the configured server: JSON-2 on Odoo 19 and later, JSON-RPC before.

``odoo.protocol = "auto"`` asks the server its version first (``/web/webclient/version_info``,
which every version answers without logging in). On 19 and later mops talks JSON-2 with the
secret as an API key; if the server refuses it as a key (a password was configured), mops
falls back to ``/jsonrpc`` and says so in the client's ``warnings``, since Odoo 19 logs a
deprecation warning for every such call and Odoo 22 removes the endpoint. ``"json2"`` and
``"jsonrpc"`` force one protocol.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from mops.errors import OdooAuthError
from mops.i18n import text
from mops.odoo.client import RETRIES, JsonRpcClient, OdooClient, bad_answer, no_answer
from mops.odoo.json2 import TRANSPORT, Gateway, Json2Client, server_version
from mops.odoo.keepalive import KeepAliveHandler, tls_context
from mops.odoo.settings import OdooSettings, secret

JSON2_SINCE = (19,)


def probe_version(
    settings: OdooSettings, *, retries: int = RETRIES, sleep: Callable[[float], None] = time.sleep
) -> tuple[int, ...]:
    """The server's version numbers, asked without logging in (retried like any read).

    No answer, or a gateway's 502–504, is asked again; an answer that is not Odoo's (another
    status, a redirect, a page that is not JSON) stops at once: the address is wrong.
    """
    attempt = 0
    http = KeepAliveHandler(tls_context(settings.verify_tls))
    while True:
        try:
            return server_version(settings.url, http, settings.timeout_seconds)[1]
        except (*TRANSPORT, Gateway) as exc:
            attempt += 1
            if attempt > retries:
                raise no_answer(settings.url, "version", exc, attempt) from exc
            sleep(settings.retry_backoff_seconds * 2 ** (attempt - 1))
        except ValueError as exc:
            raise bad_answer(settings.url, exc) from exc


def connect(settings: OdooSettings, secret: str) -> OdooClient:
    """A logged-in client, over the protocol the settings ask for or the server's version fits."""
    protocol = settings.protocol
    if protocol == "jsonrpc":
        return JsonRpcClient(settings, secret)
    if protocol == "json2":
        return Json2Client(settings, secret)
    if probe_version(settings) < JSON2_SINCE:
        return JsonRpcClient(settings, secret)
    try:
        return Json2Client(settings, secret)
    except OdooAuthError:
        client = JsonRpcClient(settings, secret)  # a password: JSON-2 takes API keys only
        client.warnings.append(text("odoo_jsonrpc_on_19", version=client.server_version))
        return client


def connect_configured(settings: OdooSettings) -> OdooClient:
    """A logged-in client, the secret from the environment or the keyring (never a file)."""
    return connect(settings, secret(settings))
