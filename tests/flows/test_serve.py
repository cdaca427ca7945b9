"""`caselines serve` end to end: it starts its own Prefect server, registers the deployment
with its cron schedule, runs a triggered ingest, and stops everything it started on SIGTERM."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEED_PDF
from tests.flows.helpers import rows

CRON = "0 2 * * *"
START_S = 240
RUN_S = 300


def _read_until(proc: subprocess.Popen[str], pattern: str, timeout_s: float) -> re.Match[str]:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout_s
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if m := re.search(pattern, line):
            return m
    raise AssertionError(f"no {pattern!r} in serve's output: {''.join(seen)}")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
def test_serve_schedules_runs_and_stops_cleanly(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus", tmp_path / "w.duckdb"
    corpus.mkdir()
    shutil.copy(SEED_PDF, corpus / "seed.pdf")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    serve = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--cron", CRON, "--corpus", str(corpus),
         "--db", str(db)],
        env=env, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    server_pid = None
    try:
        m = _read_until(serve, r"Prefect server at (\S+) \(pid (\d+)\)", START_S)
        api, server_pid = m.group(1), int(m.group(2))
        _read_until(serve, r"serving caselines-ingest/scheduled", START_S)
        with httpx.Client(base_url=api, timeout=30) as http:
            deployment = None
            deadline = time.monotonic() + START_S
            while deployment is None and time.monotonic() < deadline:
                r = http.get("/deployments/name/caselines-ingest/scheduled")
                deployment = r.json() if r.status_code == 200 else time.sleep(1)
            assert deployment is not None, "the deployment never appeared"
            crons = [s["schedule"].get("cron") for s in deployment["schedules"]]
            assert crons == [CRON]
            assert deployment["parameters"]["paths"] == [str(corpus)]

            created = http.post(f"/deployments/{deployment['id']}/create_flow_run", json={})
            assert created.status_code == 201, created.text
            run = created.json()
            state = None
            deadline = time.monotonic() + RUN_S
            while time.monotonic() < deadline:
                state = http.get(f"/flow_runs/{run['id']}").json()["state"]["type"]
                if state in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
                    break
                time.sleep(1)
            assert state == "COMPLETED"
        assert rows(db, "select count(*) from documents") == [(1,)]
        assert rows(db, "select count(*) from lines_of_therapy")[0][0] > 0
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            code = serve.wait(60)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
    assert code == 0
    assert server_pid is not None
    deadline = time.monotonic() + 30
    while not _gone(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(server_pid), "serve left its Prefect server running"
