"""What one Odoo call costs mops's clients, against what it cost before they kept connections.

    python benchmarks/bench_calls.py [--calls 2000]      # the test Odoo, as 17 and as 19
    ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_PASSWORD=… python benchmarks/bench_calls.py --live
    ODOO19_URL=… ODOO19_DB=… ODOO19_USER=… ODOO19_API_KEY=… \
        python benchmarks/bench_calls.py --live19

The same small read (``res.partner.search_read``, one record, one field), ``--calls`` times in a
row, by:
- JSON-RPC: mops's ``JsonRpcClient`` (one kept-alive connection per thread) and odoorpc as it
  comes (urllib: a new connection for every call, closed after the answer);
- JSON-2: mops's ``Json2Client`` (the same kept-alive connections, the standard library) and an
  httpx client posting the same requests (what mops used before; httpx keeps connections too).

Rounds are interleaved and each side's fastest kept. Printed: wall and CPU milliseconds a call
and the ratio before ÷ mops. Against the test Odoo the server runs in this process, so the CPU
figure is both ends of a call; against a real server it is mops's end only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path

import httpx
import odoorpc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from mops.odoo.client import JsonRpcClient  # noqa: E402
from mops.odoo.json2 import Json2Client  # noqa: E402
from mops.odoo.settings import OdooSettings  # noqa: E402

ARGS = ([], ["name"])
KWARGS = {"limit": 1}


def _time(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """Milliseconds a call: wall, CPU (every thread of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return (
        (time.perf_counter() - wall) / calls * 1000,
        (time.process_time() - cpu) / calls * 1000,
    )


def _jsonrpc(settings: OdooSettings, password: str) -> dict[str, Callable[[], object]]:
    mops = JsonRpcClient(settings, password)
    bare = odoorpc.ODOO(
        settings.host,
        protocol="jsonrpc+ssl" if settings.https else "jsonrpc",
        port=settings.port,
        opener=urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar())),
    )
    bare.login(settings.database, settings.login, password)
    return {
        "mops JsonRpcClient (kept alive)": lambda: mops.call(
            "res.partner", "search_read", *ARGS, **KWARGS
        ),
        "odoorpc as it comes (a connection a call)": lambda: bare.execute_kw(
            "res.partner", "search_read", list(ARGS), KWARGS
        ),
    }


def _json2(settings: OdooSettings, key: str) -> dict[str, Callable[[], object]]:
    mops = Json2Client(settings, key)
    http = httpx.Client(
        timeout=settings.timeout_seconds,
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": settings.database},
    )
    url = f"{settings.url}/json/2/res.partner/search_read"
    body = {"domain": ARGS[0], "fields": ARGS[1], **KWARGS}

    def before() -> object:
        answer = http.post(url, json=body)
        answer.raise_for_status()
        return answer.json()

    return {"mops Json2Client (kept alive)": lambda: mops.call(
        "res.partner", "search_read", *ARGS, **KWARGS
    ), "httpx, as mops used before": before}  # fmt: skip


def _run(label: str, sides: dict[str, Callable[[], object]], calls: int, rounds: int) -> None:
    best: dict[str, tuple[float, float]] = {}
    for side in sides.values():
        side()  # connect and warm up
    for _ in range(rounds):
        for name, side in sides.items():
            wall, cpu = _time(side, calls)
            old = best.get(name)
            best[name] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
    print(f"\n== {label}: {calls:,} calls of res.partner.search_read, fastest of {rounds}")
    for name, (wall, cpu) in best.items():
        print(f"  {name:44} {wall:6.3f} ms wall  {cpu:6.3f} ms CPU")
    (mine_wall, mine_cpu), (old_wall, old_cpu) = best.values()
    print(
        f"  before ÷ mops: {old_wall / mine_wall:.2f} in wall time, {old_cpu / mine_cpu:.2f} in CPU"
    )


def _settings(url: str, database: str, login: str) -> OdooSettings:
    return OdooSettings(url=url.rstrip("/"), database=database, login=login, timeout_seconds=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--live", action="store_true", help="a real Odoo 17 (ODOO_URL …)")
    parser.add_argument("--live19", action="store_true", help="a real Odoo 19 (ODOO19_URL …)")
    args = parser.parse_args()
    env = os.environ
    if args.live or args.live19:
        if args.live:
            settings = _settings(env["ODOO_URL"], env["ODOO_DB"], env["ODOO_USER"])
            sides = _jsonrpc(settings, env["ODOO_PASSWORD"])
            _run("a real Odoo 17, JSON-RPC", sides, args.calls, args.rounds)
        if args.live19:
            settings = _settings(env["ODOO19_URL"], env["ODOO19_DB"], env["ODOO19_USER"])
            sides = _json2(settings, env["ODOO19_API_KEY"])
            _run("a real Odoo 19, JSON-2", sides, args.calls, args.rounds)
        return 0
    from odoo_server.server import OdooTestServer

    with OdooTestServer(version="17.0") as server:
        sides = _jsonrpc(_settings(server.url, server.database, "admin"), "admin")
        _run("the test Odoo as 17, JSON-RPC", sides, args.calls, args.rounds)
    with OdooTestServer(version="19.0") as server:
        sides = _json2(_settings(server.url, server.database, "admin"), server.api_key)
        _run("the test Odoo as 19, JSON-2", sides, args.calls, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
