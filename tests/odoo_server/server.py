"""The HTTP side: Odoo 17's JSON-RPC routes on a local port, with authentication and faults."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import methods
from .calllog import Call, count_records, describe, matches
from .errors import (
    AccessDenied,
    OdooError,
    SessionExpired,
    UserError,
    envelope,
    unknown_database,
)
from .schema import module_closure
from .seed import DEFAULT_MODULES, seed
from .store import SUPERUSER_ID, Store, utcnow

VERSION_INFO = {
    "server_version": "17.0",
    "server_version_info": [17, 0, 0, "final", 0, ""],
    "server_serie": "17.0",
    "protocol_version": 1,
}
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
    """An Odoo 17.0 stand-in speaking JSON-RPC over HTTP on 127.0.0.1, backed by memory."""

    def __init__(
        self,
        database: str = "mops",
        users: dict[str, str] | None = None,
        installed_modules=DEFAULT_MODULES,
        *,
        company_currency: str = "USD",
        clock=utcnow,
        latency: float = 0.0,
        drop_connection_on_call=None,
        http_502_on_call=None,
        lose_reply_on_call=None,
        refuse_login: bool = False,
        store: Store | None = None,
    ):
        self.database = database
        if store is None:  # else a database given whole, e.g. a copy of one set up already
            installed = module_closure(installed_modules)
            store = Store(clock=clock, installed=installed)
            with store.transaction(SUPERUSER_ID):
                seed(store, dict(users or {"admin": "admin"}), installed, company_currency)
        self.store = store
        self.latency = latency
        self.drop_connection_on_call = drop_connection_on_call
        self.http_502_on_call = http_502_on_call
        self.lose_reply_on_call = lose_reply_on_call
        self.refuse_login = refuse_login
        self.call_count = 0
        self.calls: list[Call] = []
        self.sessions: dict[str, int | None] = {}
        self._lock = threading.Lock()
        self._paused = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

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
        """Start counting calls from zero again (fault numbers count from here)."""
        with self._lock:
            self.call_count = 0
            self.calls.clear()

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

    def _next_call(self) -> tuple[int | None, str | None]:
        with self._lock:
            if self._paused:
                return None, None
            self.call_count += 1
            number = self.call_count
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
            if user.get("active") and self.store.passwords.get(login) == password:
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
                return VERSION_INFO
            if method in ("login", "authenticate"):
                return self.authenticate(*args[:3]) or False
            raise NameError(f"Method not available {method}")
        if service == "db":
            if method == "list":
                return [self.database]
            if method == "server_version":
                return "17.0"
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
            return VERSION_INFO
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
            "server_version": "17.0",
            "server_version_info": VERSION_INFO["server_version_info"],
            "name": name,
            "username": user["login"],
            "partner_display_name": name,
            "partner_id": user["partner_id"],
            "user_companies": {"current_company": 1, "allowed_companies": {"1": {"id": 1}}},
        }

    def handle(self, request: _Handler) -> None:
        """Answer one HTTP request."""
        path = urlsplit(request.path).path
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if path not in JSON_ROUTES and not path.startswith("/web/dataset/call_kw/"):
            # Unknown URLs get the website's HTML 404 page, not a JSON-RPC answer (sample 57).
            return request.reply(404, NOT_FOUND_PAGE.encode(), "text/html;charset=utf-8")
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return request.reply(400, b"Bad Request", "text/html;charset=utf-8")
        request_id, params = payload.get("id"), payload.get("params") or {}
        number, fault = self._next_call()
        service, model, method, args = describe(path, params)
        intended = count_records(method, args, None)
        if fault == "drop":
            self._log(number, path, service, model, method, intended, "dropped")
            return request.drop()
        if fault == "502":
            self._log(number, path, service, model, method, intended, "http 502")
            return request.reply(502, BAD_GATEWAY_PAGE.encode(), "text/html")
        if self.latency:
            time.sleep(self.latency)
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
        data = json.dumps(response).encode()
        return request.reply(200, data, "application/json; charset=utf-8", headers)


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the OdooTestServer bound as ``odoo``."""

    odoo: OdooTestServer
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/3.0.1"

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
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
