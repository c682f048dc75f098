"""Run one command in a fresh process and measure its wall time, CPU time and peak memory (RSS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

WRAPPER = r"""
import json, os, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(json.loads(sys.argv[1]), cwd=sys.argv[2] or None,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime, "code": p.returncode,
                  "stderr": p.stderr.decode(errors="replace")[-2000:]}))
"""


def measure(cmd: list[str], *, cwd=None, ok_codes: tuple[int, ...] = (0,)) -> dict:
    """Wall seconds, CPU seconds (user + system, every thread) and peak MB of ``cmd``, run as
    the only child of a fresh wrapper process."""
    env = {**os.environ, "COLUMNS": "120"}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps(cmd), str(cwd or "")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result = json.loads(out.stdout)
    result["outer_seconds"] = time.perf_counter() - started
    if result["code"] not in ok_codes:
        raise SystemExit(f"{cmd[:3]} failed with {result['code']}:\n{result['stderr']}")
    return result
