"""The URL opener of odoorpc's requests (cookies kept and expired, errors raised as urllib's),
and what asking a server its version makes of an answer that is not Odoo's."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from mops.errors import OdooTransientError
from mops.odoo.connect import probe_version
from mops.odoo.keepalive import KeepAliveHandler, SessionOpener
from mops.odoo.settings import OdooSettings


class _Handler(BaseHTTPRequestHandler):
    """Answers by path; every answer echoes the Cookie header it got."""

    protocol_version = "HTTP/1.1"
    SET: ClassVar = {
        "/login": ["session_id=abc; Max-Age=604800; HttpOnly; Path=/", "lang=zh_TW; Path=/"],
        "/rotate": ["session_id=def; Path=/"],
        "/logout": ["session_id=; Max-Age=0; Path=/"],
        "/forget-lang": ["lang=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"],
    }
    STATUS: ClassVar = {"/missing": 404, "/moved": 301, "/down": 503}
    asked: ClassVar[list[str]] = []  # the paths asked, in order

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.asked.append(self.path)
        status = next((c for p, c in self.STATUS.items() if self.path.startswith(p)), 200)
        body = json.dumps({"cookie": self.headers.get("Cookie"), "path": self.path}).encode()
        if self.path.startswith("/html"):  # a sign-in page of a proxy, say
            body = b"<html><body>Sign in</body></html>"
        self.send_response(status)
        for value in self.SET.get(self.path, ()):
            self.send_header("Set-Cookie", value)
        if status == 301:
            self.send_header("Location", "https://elsewhere.example/jsonrpc")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def base_url():
    _Handler.asked.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _post(opener: SessionOpener, url: str) -> dict:
    request = urllib.request.Request(url=url, data=b"{}")
    request.add_header("Content-Type", "application/json")
    return json.load(opener.open(request, timeout=5))


def test_the_session_cookie_is_sent_back_replaced_and_dropped_when_expired(base_url):
    opener = SessionOpener(KeepAliveHandler())
    assert _post(opener, f"{base_url}/login")["cookie"] is None
    assert _post(opener, f"{base_url}/call")["cookie"] == "session_id=abc; lang=zh_TW"
    _post(opener, f"{base_url}/rotate")
    assert _post(opener, f"{base_url}/call")["cookie"] == "session_id=def; lang=zh_TW"
    _post(opener, f"{base_url}/forget-lang")
    assert _post(opener, f"{base_url}/call")["cookie"] == "session_id=def"
    _post(opener, f"{base_url}/logout")
    assert _post(opener, f"{base_url}/call")["cookie"] is None


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/moved", 301), ("/down", 503)])
def test_an_answer_that_is_not_a_success_raises_urllib_s_http_error(base_url, path, status):
    # A redirect is not followed: urllib re-sent a redirected POST as a GET without its body.
    opener = SessionOpener(KeepAliveHandler())
    with pytest.raises(urllib.error.HTTPError) as caught:
        _post(opener, base_url + path)
    assert caught.value.code == status
    assert json.load(caught.value)["path"] == path  # the body is there to read


def test_a_refused_connection_raises_urllib_s_url_error():
    opener = SessionOpener(KeepAliveHandler())
    with pytest.raises(urllib.error.URLError):
        _post(opener, "http://127.0.0.1:9/jsonrpc")  # the discard port: nothing listens


@pytest.mark.parametrize(
    "prefix, said",
    [("/moved", "HTTP 301 Moved Permanently → https://elsewhere.example/jsonrpc"),
     ("/missing", "HTTP 404 Not Found"), ("/html", "Expecting value")],
)  # fmt: skip
def test_an_address_that_is_not_odoo_is_said_at_once_not_asked_again(base_url, prefix, said):
    settings = OdooSettings(url=base_url + prefix, database="mops", login="admin")
    waits: list[float] = []
    with pytest.raises(OdooTransientError) as caught:
        probe_version(settings, retries=4, sleep=waits.append)
    assert said in str(caught.value) and settings.url in str(caught.value)
    assert "odoo.url" in caught.value.hint  # where to put it right
    assert _Handler.asked == [f"{prefix}/web/webclient/version_info"] and waits == []


def test_a_gateway_between_mops_and_odoo_is_asked_again(base_url):
    settings = OdooSettings(url=base_url + "/down", database="mops", login="admin")
    waits: list[float] = []
    with pytest.raises(OdooTransientError) as caught:
        probe_version(settings, retries=2, sleep=waits.append)
    assert "HTTP 503" in str(caught.value) and len(_Handler.asked) == 3 and len(waits) == 2
