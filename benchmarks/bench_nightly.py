"""A nightly run with nothing changed, against ``mops validate`` of the same workbooks.

The demo year is written, the test Odoo server (as Odoo 17) is provisioned and a first
``mops nightly`` pushes the demo into it (not timed). Then, in one run, each a whole process
(interpreter start included): ``mops validate --write-back`` of the demo, and ``mops nightly``
of the same folder with nothing changed since: validate and write back, a no-change sync
against the test server, reconcile against it, the reports and the run summary. Then, not
compared, one more night right after it: it must change no workbook (their bytes compared).

Target (issue 13): the nightly run ≤ 3 × mops validate.

    python benchmarks/bench_nightly.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import mops  # noqa: E402
from mops.demodata import generate_demo  # noqa: E402
from mops.jobs.journal import nightly_runs  # noqa: E402

AS_OF = dt.date(2026, 11, 26)


def _timed(
    argv: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mops", *argv], env=env, cwd=cwd, capture_output=True, text=True
    )
    return time.perf_counter() - started, done


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.xlsx")}


def main() -> int:
    """Run the benchmark and print its table."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    from sync.conftest import provisioned

    from odoo_server.server import OdooTestServer

    with tempfile.TemporaryDirectory() as tmp, OdooTestServer() as server:
        tmp = Path(tmp)
        folder = tmp / "demo"
        mops.demo(folder, as_of=AS_OF)
        odoo = provisioned(server, generate_demo())
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOPS_")}
        env |= {
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]),
            "MOPS_ODOO_URL": odoo.settings.url,
            "MOPS_ODOO_DATABASE": odoo.settings.database,
            "MOPS_ODOO_LOGIN": odoo.settings.login,
            "MOPS_ODOO_PASSWORD": odoo.password,
            "MOPS_GENERAL_LANGUAGE": "en",
        }
        day = AS_OF.isoformat()
        first, done = _timed(["nightly", str(folder), "--as-of", day], env, tmp)
        if done.returncode not in (0, 1):
            print(done.stdout, done.stderr)
            return 1
        server.reset_calls()
        validate, done = _timed(["validate", str(folder), "--as-of", day, "--write-back"], env, tmp)
        assert done.returncode in (0, 1), done.stderr
        night, done = _timed(["nightly", str(folder), "--as-of", day], env, tmp)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        writes = [m for m in ("create", "write", "unlink") for _ in server.calls_to(method=m)]
        (run, *_) = nightly_runs(folder).runs
        # Not compared: the night once more, after a night (no validate between), which must
        # leave every workbook byte for byte as it was.
        before = _digests(folder)
        again, done = _timed(["nightly", str(folder), "--as-of", day], env, tmp)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        changed = sorted(n for n, digest in _digests(folder).items() if before[n] != digest)
        print(f"first nightly (initial push, not compared): {first:.2f} s")
        print(f"{'step':<40} {'seconds':>8}")
        print(f"{'mops validate --write-back':<40} {validate:>8.2f}")
        print(f"{'mops nightly, nothing changed':<40} {night:>8.2f}")
        for step in run.steps:
            print(f"{'  ' + step.step + ' (' + step.status + ')':<40} {step.seconds:>8.2f}")
        print(f"write calls to Odoo in the no-change run: {len(writes)}")
        ratio = night / validate
        print(f"nightly ÷ validate: {ratio:.2f} (target ≤ 3)")
        print(
            f"a second nightly right after (not compared): {again:.2f} s, workbooks changed: "
            f"{len(changed)} {' '.join(changed)}".rstrip()
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
