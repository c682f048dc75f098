"""One small client interface to Odoo, so the sync engine never sees the transport.

``OdooClient`` is what the rest of mops uses: ``call`` plus a few typed helpers, always with
explicit field lists (never odoorpc's ``browse()`` records, which read every field and write on
each attribute assignment). ``JsonRpcClient`` implements it over odoorpc's JSON-RPC; an Odoo 19
JSON-2 client with API keys can implement the same interface later.

Errors are translated here: transport failures become ``OdooTransientError`` and are retried
with backoff, a bounded number of times, but only for calls that cannot apply twice (reads, and
writes of the same values). The waits double from ``odoo.retry_backoff_seconds`` (0.5 s by
default: 0.5, 1, 2, 4 s; like every setting it can come from the environment,
MOPS_ODOO_RETRY_BACKOFF_SECONDS, which the tests set to 0 so a command they run never really
sleeps), and ``JsonRpcClient`` takes the sleep function itself as a parameter.
Odoo's own refusals become ``OdooServerError`` naming the model, method and message; a refused
login becomes ``OdooAuthError``.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import odoorpc
import odoorpc.error

from mops.errors import OdooAuthError, OdooServerError, OdooTransientError
from mops.i18n import text
from mops.odoo.keepalive import KeepAliveHandler, SessionOpener, tls_context
from mops.odoo.settings import OdooSettings

# Methods that change nothing, or that set the same values again when repeated.
IDEMPOTENT = frozenset(
    {
        "search", "search_read", "search_count", "read", "fields_get", "name_search",
        "read_group", "default_get", "check_access_rights", "has_group", "write",
        "context_get",
    }
)  # fmt: skip
RETRIES = 4  # retries of an idempotent call after a transport failure
TRANSIENT = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    socket.timeout,
    TimeoutError,
)


class OdooClient(Protocol):
    """The calls mops makes to Odoo, whichever protocol carries them (JSON-RPC or JSON-2)."""

    protocol: str
    server_version: str
    uid: int
    warnings: list[str]

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``model.method(*args, **kwargs)`` on the server."""
        ...

    def has_group(self, group: str) -> bool:
        """Whether the user mops logs in as is in the group (an external id)."""
        ...

    def has_access(self, model: str, operation: str) -> bool:
        """Whether the user may do ``operation`` on records of ``model``."""
        ...


def _server_error(exc: odoorpc.error.RPCError, model: str, method: str) -> Exception:
    info = exc.info if isinstance(exc.info, dict) else {}
    data = info.get("data") or {}
    name = str(data.get("name") or "")
    message = str(data.get("message") or exc)
    if name.endswith("AccessDenied"):
        return OdooAuthError(
            text("odoo_session_refused", message=message), hint=text("odoo_session_refused_hint")
        )
    kind = name.rsplit(".", 1)[-1] or "Error"
    return OdooServerError(kind, model, method, message)


def no_answer(url: str, what: str, exc: BaseException, attempts: int) -> OdooTransientError:
    """The error of a call that got no answer after ``attempts`` tries."""
    return OdooTransientError(
        text(
            "odoo_no_answer",
            url=url,
            what=what,
            error=f"{type(exc).__name__}: {exc}",
            attempts=attempts,
        ),
        hint=text("odoo_no_answer_hint"),
    )


def bad_answer(url: str, exc: BaseException) -> OdooTransientError:
    """The error of an answer that is not Odoo's (not JSON, a redirect, a page not found)."""
    return OdooTransientError(
        text("odoo_bad_answer", url=url, error=exc), hint=text("odoo_bad_answer_hint")
    )


def login_refused(settings: OdooSettings) -> OdooAuthError:
    """The error of a login (or an API key) Odoo refused."""
    return OdooAuthError(
        text(
            "odoo_login_refused",
            url=settings.url,
            login=settings.login,
            database=settings.database,
            env=settings.password_env,
        )
    )


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500
    return isinstance(exc, TRANSIENT)


class PagedReads:
    """``search_read`` in pages by id, for every client (it only needs ``call``)."""

    def search_read(
        self,
        model: str,
        domain: Sequence,
        fields: Sequence[str],
        *,
        page: int = 2000,
        order: str = "id",
        context: dict | None = None,
    ) -> list[dict]:
        """All matching records with these fields, read in pages by id (keyset paging)."""
        records: list[dict] = []
        last = 0
        while True:
            batch = self.call(  # type: ignore[attr-defined]
                model,
                "search_read",
                [*domain, ["id", ">", last]] if domain else [["id", ">", last]],
                fields=list(fields),
                limit=page,
                order=order,
                context=context or {},
            )
            records.extend(batch)
            if len(batch) < page:
                return records
            last = batch[-1]["id"]


class JsonRpcClient(PagedReads):
    """OdooClient over odoorpc's JSON-RPC (http or https, TLS verified unless configured off)."""

    protocol = "jsonrpc"

    def __init__(
        self,
        settings: OdooSettings,
        password: str,
        *,
        retries: int = RETRIES,
        backoff: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.retries = retries
        self.backoff = settings.retry_backoff_seconds if backoff is None else backoff
        self._sleep = sleep
        self.calls = 0  # RPC calls made, for the plan summary and the benchmark
        # The sync sends calls from several threads: each thread keeps its own connection
        # (keepalive.py) and the opener locks its cookies; only the counter needs a lock.
        self._counting = threading.Lock()
        opener = SessionOpener(KeepAliveHandler(tls_context(settings.verify_tls)))
        self._odoo = self._transport(
            lambda: odoorpc.ODOO(
                settings.host,
                protocol="jsonrpc+ssl" if settings.https else "jsonrpc",
                port=settings.port,
                timeout=settings.timeout_seconds,
                opener=opener,
            ),
            what="version",
        )
        self.server_version = str(self._odoo.version)
        self.version_info = tuple(int(n) for n in self.server_version.split(".")[:2] if n.isdigit())
        self.warnings: list[str] = []
        self._password = password
        self.uid = self._login()

    def _transport(self, fn: Callable[[], Any], *, what: str, retry: bool = True) -> Any:
        """Run ``fn``, retrying transient failures with exponential backoff when allowed."""
        attempt = 0
        while True:
            try:
                return fn()
            except odoorpc.error.RPCError:
                raise
            except (odoorpc.error.InternalError, ValueError) as exc:
                raise bad_answer(self.settings.url, exc) from exc
            except Exception as exc:
                if not _is_transient(exc):
                    raise
                attempt += 1
                if not retry or attempt > self.retries:
                    raise no_answer(self.settings.url, what, exc, attempt) from exc
                self._sleep(self.backoff * 2 ** (attempt - 1))

    def _count(self) -> None:
        with self._counting:
            self.calls += 1

    def _login(self) -> int:
        settings = self.settings

        def login() -> int:
            self._count()
            self._odoo.login(settings.database, settings.login, self._password)
            return int(self._odoo.env.uid)

        try:
            return self._transport(login, what="login")
        except odoorpc.error.RPCError as exc:
            raise login_refused(settings) from exc

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``model.method`` with positional and keyword arguments, as execute_kw does."""

        def run() -> Any:
            self._count()
            return self._odoo.execute_kw(model, method, list(args), kwargs)

        try:
            return self._transport(run, what=f"{model}.{method}", retry=method in IDEMPOTENT)
        except odoorpc.error.RPCError as exc:
            raise _server_error(exc, model, method) from exc

    def has_group(self, group: str) -> bool:
        """Whether the user mops logs in as is in the group (an external id)."""
        if self.version_info >= (19,):
            # On 19 has_group runs on the user record: has_group(self, group_ext_id).
            return bool(self.call("res.users", "has_group", [self.uid], group))
        # On 17 and 18 it is a model method that asks about the calling user.
        return bool(self.call("res.users", "has_group", group))

    def has_access(self, model: str, operation: str) -> bool:
        """Whether the user may ``operation`` (read, write, create, unlink) records of ``model``."""
        if self.version_info >= (18,):
            return bool(self.call(model, "has_access", [], operation))  # on records (none)
        return bool(self.call(model, "check_access_rights", operation, raise_exception=False))
