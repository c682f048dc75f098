"""Chatter notes (``message_post``, one call per note) one at a time and ``--workers`` at a time,
against a real Odoo, in the same run: what ``[sync] workers`` buys the first sync of a
follow-up log, whose time is almost all these calls.

The notes go on 20 companies made for the run (tracking off) and removed after it, with their
messages. Rounds alternate (serial, parallel, serial, parallel) so that a busy machine weighs on
both alike.

    ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_PASSWORD=… python benchmarks/bench_chatter.py
    ODOO19_URL=… ODOO19_DB=… ODOO19_USER=… ODOO19_API_KEY=… \\
        python benchmarks/bench_chatter.py --odoo19
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.odoo.settings import OdooSettings


def client(odoo19: bool) -> Any:
    """A client of the Odoo named in the environment."""
    prefix, secret = ("ODOO19_", "ODOO19_API_KEY") if odoo19 else ("ODOO_", "ODOO_PASSWORD")
    names = (f"{prefix}URL", f"{prefix}DB", f"{prefix}USER", secret)
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        raise SystemExit(f"set {', '.join(missing)}")
    settings = OdooSettings(
        url=os.environ[names[0]].rstrip("/"), database=os.environ[names[1]],
        login=os.environ[names[2]], timeout_seconds=600,
    )  # fmt: skip
    kind = Json2Client if odoo19 else JsonRpcClient
    return kind(settings, os.environ[secret])


def main() -> int:
    """Post the notes in alternating rounds and print each round's rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=200, help="notes per round")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--odoo19", action="store_true", help="Odoo 19 over JSON-2")
    args = parser.parse_args()
    odoo = client(args.odoo19)
    tag = secrets.token_hex(3)
    ids = odoo.call(
        "res.partner", "create",
        [{"name": f"mops chatter bench {tag} {i}", "is_company": True} for i in range(20)],
        context={"tracking_disable": True},
    )  # fmt: skip

    def post(i: int) -> Any:
        return odoo.call(
            "res.partner", "message_post", [ids[i % len(ids)]], body=f"<p>note {i}</p>",
            message_type="comment", subtype_xmlid="mail.mt_note", body_is_html=True,
        )  # fmt: skip

    rates: dict[int, list[float]] = {1: [], args.workers: []}
    try:
        for workers in (1, args.workers, 1, args.workers):
            started = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(post, range(args.notes)))
            seconds = time.perf_counter() - started
            rates[workers].append(args.notes / seconds)
            print(f"workers={workers}: {args.notes} notes in {seconds:.1f} s", flush=True)
    finally:
        odoo.call("res.partner", "unlink", ids)
    serial, parallel = max(rates[1]), max(rates[args.workers])
    print(
        f"one at a time {serial:.1f} notes/s; {args.workers} at a time {parallel:.1f} notes/s: "
        f"{parallel / serial:.2f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
