"""Kept-alive HTTP connections to Odoo, one per thread, for both protocols (JSON-RPC, JSON-2).

urllib, under odoorpc, opens a connection for every request and closes it after the answer
("Connection: close"): each JSON-RPC call paid a TCP connect and, on Odoo's threaded server, a
new server thread. This handler keeps one HTTP/1.1 connection per thread (the sync calls from
a pool of threads) and reuses it while the server keeps it open. odoorpc sends its requests
through ``SessionOpener``, which keeps Odoo's session cookie; the JSON-2 client sends its
requests through ``exchange``, the standard library doing all of it (httpx, used before, took
twice the CPU a call). Measured by benchmarks/bench_calls.py: a call costs half as much where
the server runs beside mops (the tests' Odoo), and the same wall time against a real Odoo,
whose own work is most of a call.

A connection the server has closed while idle (Odoo's server, a proxy's idle timeout) is
noticed before a request is sent, the way urllib3 and httpcore do it: an idle socket that is
readable has been closed by the other end (or holds stray bytes), so it is replaced by a fresh
one. A request that fails on a connection is never sent again here: whether it may be retried
is the client's decision (only calls that cannot apply twice are), exactly as without
keep-alive. The answer is read in full before it is handed on, so the connection is free for
the next request even when the caller reads an error's body late or not at all.
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.cookies
import io
import json
import select
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

# Headers that only make sense per connection: http.client sets its own.
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding"}


def _closed_by_peer(sock) -> bool:
    """Whether an idle connection's socket has been closed by the server (it is readable: an
    end of file, a reset, or bytes nobody asked for)."""
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def tls_context(verify: bool) -> ssl.SSLContext | None:
    """The TLS settings of an https connection: the system's verification (None), or none."""
    if verify:
        return None
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer."""

    status: int
    reason: str
    headers: Message
    body: bytes

    def json(self) -> Any:
        """The body as JSON (ValueError when it is not)."""
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class KeepAliveHandler:
    """Kept-alive connections, one per thread and server, sending requests through
    ``exchange`` (for odoorpc, by way of ``SessionOpener``; for the JSON-2 client directly)."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self._tls = context
        self._local = threading.local()  # a thread's connections, closed when it ends

    def exchange(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Answer:
        """Send one request and read its whole answer. A failure on the connection raises
        OSError (a timeout, a refused or reset connection) or http.client.HTTPException (an
        answer that is not HTTP), and the connection is dropped; nothing is sent twice."""
        parts = urllib.parse.urlsplit(url)
        selector = parts.path or "/"
        if parts.query:
            selector += "?" + parts.query
        conn = self._connection(parts.scheme == "https", parts.netloc, timeout)
        try:
            conn.request(method, selector, body, headers)
            answer = conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException):
            conn.close()  # the next request of this thread gets a fresh connection
            raise
        if answer.will_close:
            conn.close()
        return Answer(answer.status, answer.reason, answer.headers, data)

    def _connection(self, https: bool, host: str, timeout: float) -> http.client.HTTPConnection:
        pool: dict = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((https, host))
        if conn is not None and conn.sock is not None and not _closed_by_peer(conn.sock):
            conn.sock.settimeout(timeout)
            return conn
        if conn is not None:
            conn.close()
        if https:
            conn = http.client.HTTPSConnection(host, timeout=timeout, context=self._tls)
        else:
            conn = http.client.HTTPConnection(host, timeout=timeout)
        pool[(https, host)] = conn
        return conn


class _Reply(urllib.request.addinfourl):
    """An answer as urllib's own handler returns it (a file-like response)."""

    def __init__(self, answer: Answer, url: str) -> None:
        super().__init__(io.BytesIO(answer.body), answer.headers, url, answer.status)
        self.msg = answer.reason
        self.reason = answer.reason


class SessionOpener:
    """odoorpc's URL opener (``open(request, timeout=…)``): each request sent on this thread's
    kept-alive connection with the session's cookies, its answer read whole.

    It does what urllib's opener with a cookie processor did for one Odoo server, without the
    chain of handlers and the cookie policy checks, which took more CPU than the rest of a call
    where the server runs beside mops. As there, an answer that is not a success raises
    ``urllib.error.HTTPError`` (a redirect too: a JSON-RPC call is a POST, which urllib turned
    into a GET without its body) and a failed connection ``urllib.error.URLError``. Cookies
    (Odoo's ``session_id``) are kept by name, for every path of the one server this opener
    talks to, until the server expires them.
    """

    def __init__(self, http: KeepAliveHandler) -> None:
        self._http = http
        self._cookies: dict[str, str] = {}
        self._lock = threading.Lock()  # the sync calls from several threads

    def open(self, request: urllib.request.Request, data: bytes | None = None, timeout=None):
        """Send ``request`` (odoorpc's); the answer as urllib gives it."""
        if data is not None:
            request.data = data
        headers = {k.title(): v for k, v in request.header_items() if k.lower() not in _HOP_BY_HOP}
        with self._lock:
            cookie = "; ".join(f"{name}={value}" for name, value in self._cookies.items())
        if cookie:
            headers["Cookie"] = cookie
        url = request.full_url
        wait = timeout if timeout is not None else request.timeout
        try:
            answer = self._http.exchange(request.get_method(), url, request.data, headers, wait)
        except OSError as exc:
            raise urllib.error.URLError(exc) from exc
        self._remember(answer.headers.get_all("Set-Cookie") or ())
        if not 200 <= answer.status < 300:
            body = io.BytesIO(answer.body)
            raise urllib.error.HTTPError(url, answer.status, answer.reason, answer.headers, body)
        return _Reply(answer, url)

    def _remember(self, headers) -> None:
        for header in headers:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            try:
                jar.load(header)
            except http.cookies.CookieError:
                continue  # a cookie Python cannot read, as urllib's jar would skip it
            with self._lock:
                for name, morsel in jar.items():
                    if _expired(morsel):
                        self._cookies.pop(name, None)
                    else:
                        self._cookies[name] = morsel.value


def _expired(morsel: http.cookies.Morsel) -> bool:
    """Whether a Set-Cookie removes its cookie (Max-Age 0 or less, or Expires in the past)."""
    max_age = morsel["max-age"]
    if max_age:
        try:
            return int(max_age) <= 0
        except ValueError:
            pass
    if morsel["expires"]:
        try:
            when = parsedate_to_datetime(morsel["expires"])
        except (TypeError, ValueError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when <= dt.datetime.now(dt.UTC)
    return False
