"""The HTTP side: Odoo's routes on a local port, with authentication and faults.

As Odoo 17 it answers JSON-RPC (``/jsonrpc``, the web session routes); as Odoo 19 it answers the
same, logging a deprecation warning per ``/jsonrpc`` call as 19 does, and the JSON-2 API:
``POST /json/2/<model>/<method>`` with named arguments and an API key as bearer token.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# analytic, finance_flows and finance_changes register their methods and hooks when imported.
from . import analytic, finance_changes, finance_flows, methods  # noqa: F401
from .calllog import Call, Deprecation, count_records, describe, json2_args, matches
from .errors import (
    AccessDenied,
    BadRequest,
    NotFound,
    OdooError,
    SessionExpired,
    Unauthorized,
    UserError,
    envelope,
    json2_error,
    unknown_database,
)
from .schema import VERSIONS, module_closure
from .seed import DEFAULT_MODULES, seed
from .store import SUPERUSER_ID, Store, utcnow

# What /web/webclient/version_info and common.version answer (sample 01 of 17, 19 of 19).
VERSION_INFOS = {
    version: {
        "server_version": version,
        "server_version_info": [int(version.split(".")[0]), 0, 0, "final", 0, ""],
        "server_serie": version,
        "protocol_version": 1,
    }
    for version in VERSIONS
}
VERSION_INFO = VERSION_INFOS["17.0"]
# Logged by Odoo 19 on every /xmlrpc, /xmlrpc/2 and /jsonrpc call (addons/rpc/controllers).
RPC_DEPRECATION_NOTICE = (
    "The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19 and scheduled for"
    " removal in Odoo 20. Please report the problem to the client making the request.\n"
    "Mute this logger: --log-handler odoo.addons.rpc.controllers.jsonrpc:ERROR\n"
    "https://www.odoo.com/documentation/latest/developer/reference/external_api.html"
    "#migrating-from-xml-rpc-json-rpc"
)
# Odoo 19 when no database is selected and the route needs one (sample 16 of 19).
NOT_FOUND_NODB = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide"
    " controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try"
    " again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)
UNSUPPORTED_MEDIA_PAGE = (
    "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n"
    "<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with ['http'] but"
    " '/json/2/<__model__>/<__method__>' is type='json2'.\n\nPlease verify the Content-Type"
    " request header and try again.</p>\n"
)
JSON2_PREFIX = "/json/2"
BEARER = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)
NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset="utf-8"/>\n'
    "        <title>404: Page not found | My Company</title>\n    </head>\n"
    "    <body><h1>404: Page not found</h1></body>\n</html>\n"
)
BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
COOKIE_TAIL = "Max-Age=604800; HttpOnly; Path=/"
JSON_ROUTES = frozenset(
    {
        "/jsonrpc",
        "/web/webclient/version_info",
        "/web/session/authenticate",
        "/web/session/destroy",
        "/web/session/get_session_info",
        "/web/dataset/call_kw",
    }
)


class OdooTestServer:
    """An Odoo 17.0 or 19.0 stand-in speaking HTTP on 127.0.0.1, backed by memory.

    ``version="17.0"`` (the default) answers JSON-RPC as Odoo 17; ``version="19.0"`` has Odoo
    19's models and methods, answers JSON-RPC (logging a deprecation warning per ``/jsonrpc``
    call in ``deprecation_warnings``) and the JSON-2 API. The admin has an API key,
    ``api_key``; ``add_api_key(login)`` makes one for another user. Faults (latency, a dropped
    connection, a 502, a reply lost after commit) count every request of either protocol.

    With ``l10n_tw`` among the installed modules (the default) company 1 is in TWD with the
    Taiwan chart, as the real databases are; ``company_currency="USD"`` puts it in another
    currency, as a wrongly set up database has it.
    """

    def __init__(
        self,
        database: str = "mops",
        users: dict[str, str] | None = None,
        installed_modules=DEFAULT_MODULES,
        *,
        version: str | None = None,
        company_currency: str | None = None,
        clock=utcnow,
        latency: float = 0.0,
        drop_connection_on_call=None,
        http_502_on_call=None,
        lose_reply_on_call=None,
        refuse_login: bool = False,
        database_header_required: bool = False,
        store: Store | None = None,
    ):
        self.database = database
        self.version = version or (store.version if store is not None else "17.0")
        if self.version not in VERSIONS:
            raise ValueError(f"the test server speaks Odoo {', '.join(VERSIONS)}, not {version!r}")
        if store is None:  # else a database given whole, e.g. a copy of one set up already
            installed = module_closure(installed_modules)
            store = Store(clock=clock, installed=installed, version=self.version)
            with store.transaction(SUPERUSER_ID):
                seed(store, dict(users or {"admin": "admin"}), installed, company_currency)
        elif store.version != self.version:
            raise ValueError(f"a database of Odoo {store.version} given to a {self.version} server")
        self.store = store
        self.latency = latency
        # The methods whose calls take ``latency`` (None: every call).
        self.latency_methods: set[str] | None = None
        self.drop_connection_on_call = drop_connection_on_call
        self.http_502_on_call = http_502_on_call
        self.lose_reply_on_call = lose_reply_on_call
        # Spaced first-attempt drops: a call (the k-th call of its model and method answered in
        # this run) not yet in ``dropped`` loses its connection, the client's retry of it is
        # answered, and the next drop waits ``drop_spacing`` calls, so that the run has
        # recovered from one before the next. Runs sharing ``dropped`` drop each call once.
        self.drop_spacing: int | None = None
        self.dropped: set[tuple] = set()
        self._answered: Counter = Counter()
        self._last_drop = -(10**9)
        self.refuse_login = refuse_login
        # As a server holding several databases: JSON-2 requests must name theirs.
        self.database_header_required = database_header_required
        self.call_count = 0
        self.calls: list[Call] = []
        # Requests being answered at once, and the most seen together since reset_calls(): a
        # client sending calls in parallel shows here (the real server is threaded too).
        self.in_flight = 0
        self.most_in_flight = 0
        # Connections clients opened since reset_calls(), and those open now (kept alive).
        self.connections = 0
        self.open_connections: set[socket.socket] = set()
        self.deprecation_warnings: list[Deprecation] = []
        self.sessions: dict[str, int | None] = {}
        self._lock = threading.Lock()
        self._paused = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.api_key = self.add_api_key("admin")

    @property
    def json2(self) -> bool:
        """Whether the server answers the JSON-2 API (Odoo 19 and later)."""
        return self.version != "17.0"

    @property
    def version_info(self) -> dict:
        """What /web/webclient/version_info answers."""
        return VERSION_INFOS[self.version]

    # -- API keys ----------------------------------------------------------------------------

    def add_api_key(self, login: str) -> str:
        """A new API key (global scope, no expiry) of the user with this login."""
        ids = self.store.indexes.lookup("res.users", ("login",), (login,))
        if not ids:
            raise ValueError(f"no user with login {login!r}")
        key = secrets.token_hex(20)  # Odoo's keys are 20 random bytes in hex, too
        self.store.api_keys[key] = min(ids)
        return key

    def revoke_api_key(self, key: str) -> None:
        """Delete an API key, as its user does in Preferences → Account Security."""
        self.store.api_keys.pop(key, None)

    def api_key_user(self, key) -> int | None:
        """The active user an API key authenticates as, or None."""
        uid = self.store.api_keys.get(key) if isinstance(key, str) else None
        user = self.store.record("res.users", uid) if uid else None
        return uid if user and user.get("active") else None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> OdooTestServer:
        """Listen on a free port of 127.0.0.1 and serve in a background thread."""
        handler = type("Handler", (_Handler,), {"odoo": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        # A short poll interval keeps stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = self._thread = None

    def __enter__(self) -> OdooTestServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:40123``."""
        return f"http://127.0.0.1:{self.port}"

    # -- call log and faults -----------------------------------------------------------------

    def reset_calls(self) -> None:
        """Start counting calls from zero again (fault numbers count from here), and forget the
        deprecation warnings logged so far."""
        with self._lock:
            self.call_count = 0
            self.calls.clear()
            self._answered.clear()
            self._last_drop = -(10**9)
            self.deprecation_warnings.clear()
            self.most_in_flight = self.in_flight
            self.connections = 0

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Calls made inside the block are neither counted, logged nor subject to faults."""
        with self._lock:
            self._paused += 1
        try:
            yield
        finally:
            with self._lock:
                self._paused -= 1

    def calls_to(self, model: str | None = None, method: str | None = None) -> list[Call]:
        """Logged calls, filtered by model and/or method."""
        return [
            c
            for c in list(self.calls)
            if (model is None or c.model == model) and (method is None or c.method == method)
        ]

    def _wait(self, method: str | None) -> None:
        """A real server's time to answer: ``latency``, for ``latency_methods`` or every call."""
        if self.latency and (self.latency_methods is None or method in self.latency_methods):
            time.sleep(self.latency)

    def _next_call(self, model=None, method=None) -> tuple[int | None, str | None]:
        with self._lock:
            if self._paused:
                return None, None
            self.call_count += 1
            number = self.call_count
            if self.drop_spacing is not None:
                call = (model, method, self._answered[model, method])
                if call not in self.dropped and number - self._last_drop > self.drop_spacing:
                    self.dropped.add(call)
                    self._last_drop = number
                    return number, "drop"
                self._answered[model, method] += 1
        for fault, setting in (
            ("drop", self.drop_connection_on_call),
            ("502", self.http_502_on_call),
            ("lose", self.lose_reply_on_call),
        ):
            if matches(setting, number):
                return number, fault
        return number, None

    def _log(self, number, route, service, model, method, records, error) -> None:
        if number is not None:
            with self._lock:
                self.calls.append(Call(number, route, service, model, method, records, error))

    def _deprecated(self, number, route, model, method, message) -> None:
        """Log a deprecation warning, as the real server's log would show it."""
        if number is not None:
            with self._lock:
                self.deprecation_warnings.append(Deprecation(number, route, model, method, message))

    def _method_deprecated(self, number, route, model, method) -> None:
        message = methods.deprecation(self.version, method)
        if message and model in self.store.schemas:
            self._deprecated(number, route, model, method, message)

    def search_read(self, model: str, domain=None, fields=None) -> list[dict]:
        """Read the database directly, as admin, bypassing HTTP (for assertions)."""
        with self.store.transaction(2, {"active_test": False}):
            ids = self.store.search(model, domain or [], order="id")
            return self.store.read(model, ids, fields)

    # -- dispatch ----------------------------------------------------------------------------

    def authenticate(self, db: str, login: str, password: str) -> int | None:
        """The uid of an active user with this password, or None."""
        if db != self.database:
            raise unknown_database(db)
        if self.refuse_login or not isinstance(login, str):
            return None
        ids = self.store.indexes.lookup("res.users", ("login",), (login,))
        users = [self.store.record("res.users", rid) for rid in ids]
        for user in users:
            if not user.get("active") or not isinstance(password, str):
                continue
            # An API key stands in for the password over RPC (scope "rpc": global keys).
            if (
                self.store.passwords.get(login) == password
                or self.api_key_user(password) == (user["id"])
            ):
                return user["id"]
        return None

    def _check_uid(self, db, uid, password) -> int:
        if db != self.database:
            raise unknown_database(db)
        user = self.store.record("res.users", uid) if isinstance(uid, int) else None
        login = user.get("login") if user else None
        if self.refuse_login or self.authenticate(db, login, password) != uid:
            raise AccessDenied()
        return uid

    def call_model(self, uid: int, model: str, method: str, args, kwargs, web: bool = False):
        """Run a model method in its own transaction, as Odoo's call_kw does."""
        if model not in self.store.schemas:
            if web:
                raise KeyError(model)
            raise UserError(f"Object {model} doesn't exist")
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        with self.store.transaction(uid, context):
            return methods.call(self.store, model, method, list(args or []), kwargs)

    def _jsonrpc(self, params: dict):
        service, method = params.get("service"), params.get("method")
        args = list(params.get("args") or [])
        if service == "common":
            if method == "version":
                return self.version_info
            if method in ("login", "authenticate"):
                return self.authenticate(*args[:3]) or False
            raise NameError(f"Method not available {method}")
        if service == "db":
            if method == "list":
                return [self.database]
            if method == "server_version":
                return self.version
            if method == "db_exist":
                return bool(args) and args[0] == self.database
            raise AccessDenied()
        if service == "object" and method in ("execute", "execute_kw"):
            db, uid, password, model, name = (args + [None] * 5)[:5]
            self._check_uid(db, uid, password)
            if method == "execute_kw":
                call_args, kwargs = (args[5] if len(args) > 5 else []), (args[6:7] or [{}])[0]
            else:
                call_args, kwargs = args[5:], {}
            return self.call_model(uid, model, name, call_args, kwargs)
        raise KeyError(f"No such service {service}")

    def _web(self, path: str, params: dict, cookie: str | None):
        if path == "/web/webclient/version_info":
            return self.version_info
        if path == "/web/session/authenticate":
            uid = self.authenticate(params.get("db"), params.get("login"), params.get("password"))
            if not uid:
                raise AccessDenied()
            self.sessions[cookie] = uid
            return self._session_info(uid)
        uid = self.sessions.get(cookie)
        if path == "/web/session/destroy":
            self.sessions.pop(cookie, None)
            return None
        if not uid:
            raise SessionExpired()
        if path == "/web/session/get_session_info":
            return self._session_info(uid)
        model, name, args = params.get("model"), params.get("method"), params.get("args") or []
        return self.call_model(uid, model, name, args, params.get("kwargs"), web=True)

    def _session_info(self, uid: int) -> dict:
        user = self.store.record("res.users", uid)
        name = self.store.name_of("res.users", uid)
        return {
            "uid": uid,
            "is_system": uid == 2,
            "is_admin": uid == 2,
            "is_public": False,
            "is_internal_user": True,
            "user_context": {"lang": "en_US", "tz": False, "uid": uid},
            "db": self.database,
            "server_version": self.version,
            "server_version_info": self.version_info["server_version_info"],
            "name": name,
            "username": user["login"],
            "partner_display_name": name,
            "partner_id": user["partner_id"],
            "user_companies": {"current_company": 1, "allowed_companies": {"1": {"id": 1}}},
        }

    def handle(self, request: _Handler) -> None:
        """Answer one HTTP request."""
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        request.answering = True
        try:
            self._handle(request)
        finally:
            self.answered(request)

    def opened(self, request: _Handler) -> None:
        """A client connected."""
        with self._lock:
            self.connections += 1
            self.open_connections.add(request.connection)

    def closed(self, request: _Handler) -> None:
        """A connection ended (either side closed it)."""
        with self._lock:
            self.open_connections.discard(request.connection)

    def hang_up(self) -> None:
        """Close every kept-alive connection from the server's side, without a word, as a
        server (or a proxy) does with a connection idle for too long."""
        with self._lock:
            idle = list(self.open_connections)
        for sock in idle:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def answered(self, request: _Handler) -> None:
        """A request is no longer in flight: counted before its answer leaves, so that a client
        sending the next call on receiving it never sees the two overlap."""
        with self._lock:
            if getattr(request, "answering", False):
                request.answering = False
                self.in_flight -= 1

    def _handle(self, request: _Handler) -> None:
        path = urlsplit(request.path).path
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if self.json2 and (path == JSON2_PREFIX or path.startswith(JSON2_PREFIX + "/")):
            return self._handle_json2(request, path, body)
        if self.json2 and path in ("/web/version", "/json/version"):
            info = self.version_info["server_version_info"]
            data = json.dumps({"version_info": info, "version": self.version}).encode()
            nosniff = {"X-Content-Type-Options": "nosniff"}
            return request.reply(200, data, "application/json; charset=utf-8", nosniff)
        if path not in JSON_ROUTES and not path.startswith("/web/dataset/call_kw/"):
            # Unknown URLs get the website's HTML 404 page, not a JSON-RPC answer (sample 57).
            return request.reply(404, NOT_FOUND_PAGE.encode(), "text/html;charset=utf-8")
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return request.reply(400, b"Bad Request", "text/html;charset=utf-8")
        request_id, params = payload.get("id"), payload.get("params") or {}
        service, model, method, args = describe(path, params)
        number, fault = self._next_call(model, method)
        intended = count_records(method, args, None)
        if fault == "drop":
            self._log(number, path, service, model, method, intended, "dropped")
            return request.drop()
        if fault == "502":
            self._log(number, path, service, model, method, intended, "http 502")
            return request.reply(502, BAD_GATEWAY_PAGE.encode(), "text/html")
        self._wait(method)
        if self.json2 and path == "/jsonrpc":
            self._deprecated(number, path, model, method, RPC_DEPRECATION_NOTICE)
        if service in ("object", "web") and model:
            self._method_deprecated(number, path, model, method)
        cookie = request.session_cookie()
        new_cookie = None
        # A new visitor gets a session cookie; logging in rotates it, as Odoo does.
        if path == "/web/session/authenticate" or (
            path == "/web/webclient/version_info" and not cookie
        ):
            cookie = new_cookie = secrets.token_hex(20)
        result = error = None
        try:
            result = (
                self._jsonrpc(params) if path == "/jsonrpc" else self._web(path, params, cookie)
            )
            response = envelope(request_id, result)
        except Exception as exc:
            if isinstance(exc, SessionExpired):
                request_id = None  # Odoo fails before it reads the request id (sample 55).
            response = envelope(request_id, error=exc)
            error = (
                exc.odoo_name if isinstance(exc, OdooError) else f"builtins.{type(exc).__name__}"
            )
        self._log(number, path, service, model, method, count_records(method, args, result), error)
        if fault == "lose":
            return request.drop()
        headers = {}
        if new_cookie:
            headers["Set-Cookie"] = f"session_id={new_cookie}; {COOKIE_TAIL}"
        if self.json2 and error is None:
            # Odoo 19's post_dispatch (set_csp) marks every answer it dispatched (sample 19).
            headers["X-Content-Type-Options"] = "nosniff"
        data = json.dumps(response).encode()
        return request.reply(200, data, "application/json; charset=utf-8", headers)

    # -- JSON-2 (Odoo 19) ----------------------------------------------------------------------

    def _handle_json2(self, request: _Handler, path: str, body: bytes) -> None:
        """Answer one request under /json/2 as Odoo 19's rpc module does (see the samples)."""
        header_db = request.headers.get("X-Odoo-Database")
        if (header_db is not None and header_db != self.database) or (
            header_db is None and self.database_header_required
        ):
            # No database selected: the route is not among the server-wide controllers.
            return request.reply(404, NOT_FOUND_NODB.encode(), "text/html; charset=utf-8")
        parts = path[len(JSON2_PREFIX) :].strip("/").split("/")
        model, method = parts if len(parts) == 2 and all(parts) else (None, None)
        number, fault = self._next_call(model, method)
        try:
            sent = self._json2_params(body)
        except BadRequest:
            sent = {}
        intended = count_records(method, json2_args(method or "", sent), None)
        if fault == "drop":
            self._log(number, path, "json2", model, method, intended, "dropped")
            return request.drop()
        if fault == "502":
            self._log(number, path, "json2", model, method, intended, "http 502")
            return request.reply(502, BAD_GATEWAY_PAGE.encode(), "text/html")
        self._wait(method)
        content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body and content_type != "application/json":
            self._log(number, path, "json2", model, method, intended, "http 415")
            return request.reply(
                415,
                UNSUPPORTED_MEDIA_PAGE.encode(),
                "text/html; charset=utf-8",
                {"Accept": "application/json"},
            )
        result = error = None
        params: dict = {}
        try:
            if model is None or request.command != "POST":
                raise NotFound("Did you mean POST /json/2/<model>/<method>?")
            uid = self._bearer_user(request.headers.get("Authorization"))
            params = self._json2_params(body)
            result = self._json2_call(number, path, uid, model, method, params)
            status, payload, headers = 200, result, {"X-Content-Type-Options": "nosniff"}
        except Exception as exc:
            status, payload, headers = json2_error(exc)
            error = payload["name"]
        records = count_records(method, json2_args(method or "", params), result)
        self._log(number, path, "json2", model, method, records, error)
        if fault == "lose":
            return request.drop()
        # Odoo 19 writes JSON with ensure_ascii=False (sample 05 of 19: its Content-Length).
        data = json.dumps(payload, ensure_ascii=False).encode()
        return request.reply(status, data, "application/json; charset=utf-8", headers)

    def _bearer_user(self, authorization: str | None) -> int:
        """The uid an ``Authorization: bearer <key>`` header authenticates, or Unauthorized."""
        found = BEARER.match(authorization or "")
        if not found:
            raise Unauthorized(
                "User not authenticated, use an API Key with a Bearer Authorization header."
            )
        uid = self.api_key_user(found.group(1))
        if uid is None or self.refuse_login:
            raise Unauthorized("Invalid apikey")
        return uid

    @staticmethod
    def _json2_params(body: bytes) -> dict:
        if not body:
            return {}
        try:
            params = json.loads(body)
        except ValueError as exc:
            raise BadRequest(f"could not parse the body as json: {exc.args[0]}") from None
        # A body that is not an object is ignored, as Odoo's ``jsonrequest | args`` fails.
        return dict(params) if isinstance(params, dict) else {}

    def _json2_call(self, number, path, uid: int, model: str, method: str, params: dict):
        """Run one JSON-2 call in its own transaction: all of it is committed, or nothing."""
        kwargs = dict(params)
        ids = kwargs.pop("ids", ())
        context = kwargs.pop("context", None) or {}
        if model not in self.store.schemas:
            raise NotFound(f"the model {model!r} does not exist")
        self._method_deprecated(number, path, model, method)
        with self.store.transaction(uid, dict(context)):
            return methods.call_named(self.store, model, method, ids, kwargs)


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the OdooTestServer bound as ``odoo``."""

    odoo: OdooTestServer
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/3.0.1"
    # The headers and the body go out in two writes: with Nagle's algorithm on, the body of an
    # answer on a kept-alive connection waited for the client's delayed ACK (~40 ms a call).
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.odoo.opened(self)

    def finish(self):
        try:
            super().finish()
        finally:
            self.odoo.closed(self)

    def do_POST(self):
        """Every route is dispatched by the OdooTestServer."""
        self.odoo.handle(self)

    do_GET = do_POST

    def log_message(self, format, *args):
        """Stay quiet."""  # Tests read the call log instead of an access log.

    def session_cookie(self) -> str | None:
        """The session_id cookie the client sent."""
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == "session_id" and value:
                return value
        return None

    def reply(self, status: int, data: bytes, content_type: str, headers=None) -> None:
        """Send a complete response."""
        self.odoo.answered(self)
        # A client that timed out has closed its end; that is the test's business, not an error.
        with suppress(ConnectionError):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    def drop(self) -> None:
        """Close the socket without a response, as a crashed proxy or worker would."""
        self.odoo.answered(self)
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
