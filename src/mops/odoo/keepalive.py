"""Kept-alive HTTP connections to Odoo, one per thread, for both protocols (JSON-RPC, JSON-2).

urllib, under odoorpc, opens a connection for every request and closes it after the answer
("Connection: close"): each JSON-RPC call paid a TCP connect and, on Odoo's threaded server, a
new server thread. This handler keeps one HTTP/1.1 connection per thread (the sync calls from
a pool of threads) and reuses it while the server keeps it open. odoorpc gets it as its URL
opener's HTTP handler; the JSON-2 client sends its requests through ``exchange``, the standard
library doing all of it (httpx, used before, took twice the CPU a call). Measured by
benchmarks/bench_calls.py: a call costs half as much where the server runs beside mops (the
tests' Odoo), and the same wall time against a real Odoo, whose own work is most of a call.

A connection the server has closed while idle (Odoo's server, a proxy's idle timeout) is
noticed before a request is sent, the way urllib3 and httpcore do it: an idle socket that is
readable has been closed by the other end (or holds stray bytes), so it is replaced by a fresh
one. A request that fails on a connection is never sent again here: whether it may be retried
is the client's decision (only calls that cannot apply twice are), exactly as without
keep-alive. The answer is read in full before it is handed on, so the connection is free for
the next request even when the caller reads an error's body late or not at all.
"""

from __future__ import annotations

import http.client
import io
import json
import select
import ssl
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any

# Headers urllib adds or that only make sense per connection; http.client sets its own.
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


class KeepAliveHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Kept-alive connections, one per thread and server: for urllib (odoorpc's opener) and,
    through ``exchange``, for a client that sends its own requests (JSON-2)."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self, context=context)
        self._tls = context
        self._local = threading.local()  # a thread's connections, closed when it ends

    def http_open(self, req: urllib.request.Request):
        return self._open(req)

    https_open = http_open

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

    def _open(self, req: urllib.request.Request):
        headers = dict(req.unredirected_hdrs)
        headers.update(req.headers)
        headers = {k.title(): v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            answer = self.exchange(req.get_method(), req.full_url, req.data, headers, req.timeout)
        except OSError as exc:
            raise urllib.request.URLError(exc) from exc
        url = req.get_full_url()
        return _Reply(answer, url)


class _Reply(urllib.request.addinfourl):
    """An answer as urllib's own handler returns it (a file-like response)."""

    def __init__(self, answer: Answer, url: str) -> None:
        super().__init__(io.BytesIO(answer.body), answer.headers, url, answer.status)
        self.msg = answer.reason
        self.reason = answer.reason
