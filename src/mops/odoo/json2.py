"""Odoo's JSON-2 API (Odoo 19 and later): the client interface over ``/json/2/<model>/<method>``.

A request names its arguments (``{"domain": …, "fields": …}``; ``{"ids": …, "vals": …}`` for a
method on records), carries the API key as a bearer token and the database in
``X-Odoo-Database``, and is one transaction. mops's code calls Odoo as ``call(model, method,
*args, **kwargs)``, the ``execute_kw`` way; ``SIGNATURES`` says, method by method, which name each
positional argument has (a method not listed is a method on records: its first argument is the
ids). Answers are the bare result; errors are an HTTP status and a JSON body naming the Python
exception, mapped to mops's error tree exactly as JSON-RPC errors are: a refused key is
``OdooAuthError``, Odoo's refusals ``OdooServerError`` (model, method, message), a broken or
lost connection and a gateway's 502/503/504 ``OdooTransientError``, retried only for calls that
cannot apply twice.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from mops.errors import OdooServerError
from mops.odoo.client import IDEMPOTENT, PagedReads, bad_answer, login_refused, no_answer
from mops.odoo.keepalive import Answer, KeepAliveHandler, tls_context
from mops.odoo.settings import OdooSettings

# The positional arguments of the ORM methods mops calls, by name, as JSON-2 wants them.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "read": ("ids", "fields"),
    "write": ("ids", "vals"),
    "unlink": ("ids",),
    "copy": ("ids", "default"),
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "create": ("vals_list",),
    "fields_get": ("allfields", "attributes"),
    "name_search": ("name", "domain", "operator", "limit"),
    "default_get": ("fields",),  # Odoo 19 names it fields (fields_list before)
    "read_group": ("domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"),
    "formatted_read_group": ("domain", "groupby", "aggregates", "having", "offset", "limit"),
    "has_access": ("operation",),
    "check_access_rights": ("operation", "raise_exception"),
    "context_get": (),
    "try_loading": ("template_code", "company", "install_demo"),
    "load": ("fields", "data"),
}
RECORD_METHOD = ("ids",)  # any other method runs on records: its first argument is the ids
GATEWAY = (502, 503, 504)  # a proxy's answer while Odoo restarts: worth another try


def named(method: str, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON-2 body of ``method(*args, **kwargs)``."""
    names = SIGNATURES.get(method, RECORD_METHOD)
    if len(args) > len(names):
        raise TypeError(f"{method}() takes {len(names)} positional argument(s) over JSON-2")
    body = dict(zip(names, args, strict=False))
    clash = set(body) & set(kwargs)
    if clash:
        raise TypeError(f"{method}() got {', '.join(sorted(clash))} twice")
    body.update(kwargs)
    if "ids" in body and isinstance(body["ids"], int):
        body["ids"] = [body["ids"]]
    return body


# A connection that fails or an answer that is not HTTP: the call may not have reached Odoo.
TRANSPORT = (OSError, http.client.HTTPException)
JSON = {"Content-Type": "application/json"}


def server_version(
    base: str, http: KeepAliveHandler, timeout: float
) -> tuple[str, tuple[int, ...]]:
    """The server's version ("19.0") and its numbers, from ``/web/webclient/version_info``."""
    answer = http.exchange("POST", f"{base}/web/webclient/version_info", b"{}", JSON, timeout)
    if answer.status in GATEWAY:
        raise Gateway(f"HTTP {answer.status} {answer.reason}")  # Odoo behind it may come back
    if answer.status != 200:
        # Not Odoo's web server at this address (a redirect says where to, e.g. https): asking
        # again changes nothing.
        moved = answer.headers.get("Location")
        raise ValueError(f"HTTP {answer.status} {answer.reason}" + (f" → {moved}" if moved else ""))
    result = answer.json().get("result") or {}
    info = result.get("server_version_info") or []
    numbers = tuple(n for n in info if isinstance(n, int))
    return str(result.get("server_version", "")), numbers


class Json2Client(PagedReads):
    """``OdooClient`` over JSON-2, for Odoo 19 and later; authenticates with an API key."""

    protocol = "json2"

    def __init__(
        self,
        settings: OdooSettings,
        api_key: str,
        *,
        retries: int = 4,
        backoff: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.retries = retries
        self.backoff = settings.retry_backoff_seconds if backoff is None else backoff
        self._sleep = sleep
        self._idempotent = IDEMPOTENT | {"has_access", "context_get"}
        self.calls = 0
        self._counting = threading.Lock()  # calls come from the sync's threads
        self.warnings: list[str] = []
        self._http = KeepAliveHandler(tls_context(settings.verify_tls))  # a connection a thread
        self._headers = {
            **JSON,
            "Authorization": f"bearer {api_key}",
            "X-Odoo-Database": settings.database,
            "User-Agent": "mops",
        }
        self.server_version, self.version_info = self._transport(
            lambda: server_version(settings.url, self._http, settings.timeout_seconds),
            what="version",
            retry=True,
        )
        self.uid = self._whoami()

    # -- transport ----------------------------------------------------------------------------

    def _transport(self, fn: Callable[[], Any], *, what: str, retry: bool) -> Any:
        attempt = 0
        while True:
            try:
                return fn()
            except (*TRANSPORT, Gateway) as exc:
                attempt += 1
                if not retry or attempt > self.retries:
                    raise no_answer(self.settings.url, what, exc, attempt) from exc
                self._sleep(self.backoff * 2 ** (attempt - 1))
            except ValueError as exc:
                raise bad_answer(self.settings.url, exc) from exc

    def _post(self, model: str, method: str, body: dict[str, Any]) -> Any:
        with self._counting:
            self.calls += 1
        answer = self._http.exchange(
            "POST",
            f"{self.settings.url}/json/2/{model}/{method}",
            json.dumps(body).encode(),
            self._headers,
            self.settings.timeout_seconds,
        )
        if answer.status == 200:
            return answer.json()
        if answer.status in GATEWAY:
            raise Gateway(f"HTTP {answer.status}")
        raise _Refused(answer.status, _error_body(answer))

    def _whoami(self) -> int:
        found = self.call("res.users", "search", [["login", "=", self.settings.login]])
        if not found:
            raise login_refused(self.settings)
        return int(found[0])

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``model.method`` with positional and keyword arguments, as execute_kw does."""
        body = named(method, args, kwargs)
        try:
            return self._transport(
                lambda: self._post(model, method, body),
                what=f"{model}.{method}",
                retry=method in self._idempotent,
            )
        except _Refused as exc:
            raise self._error(exc, model, method) from None

    def _error(self, exc: _Refused, model: str, method: str) -> Exception:
        name, message = exc.body.get("name", ""), exc.body.get("message", "")
        if exc.status == 401:
            return login_refused(self.settings)
        kind = str(name).rsplit(".", 1)[-1] or f"HTTP {exc.status}"
        return OdooServerError(kind, model, method, str(message or exc.body.get("text", "")))

    # -- the typed helpers of OdooClient ------------------------------------------------------

    def has_group(self, group: str) -> bool:
        """Whether the user mops logs in as is in the group (an external id)."""
        return bool(self.call("res.users", "has_group", [self.uid], group_ext_id=group))

    def has_access(self, model: str, operation: str) -> bool:
        """Whether the user may ``operation`` (read, write, create, unlink) records of ``model``."""
        return bool(self.call(model, "has_access", operation))


class Gateway(Exception):
    """A proxy or gateway answered instead of Odoo (502, 503, 504)."""


class _Refused(Exception):
    """Odoo answered with an error status and its JSON error body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"HTTP {status}: {body.get('message', '')}")
        self.status = status
        self.body = body


def _error_body(answer: Answer) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        # An unknown database answers an HTML 404 page, not JSON.
        return {"name": f"HTTP {answer.status}", "text": answer.text[:200]}
    return body if isinstance(body, dict) else {"message": str(body)}
