"""One writer at a time: the warehouse lock, and DuckDB's own file lock seen by readers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import load
from flows.cli import app
from load.lock import WarehouseLocked, writer_lock

HOLD_LOCK = """
import sys, time
from load.lock import writer_lock
with writer_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(600)
"""

HOLD_DUCKDB = """
import sys, time, load
con = load.connect(sys.argv[1])
print("open", flush=True)
time.sleep(600)
"""


def _hold(script: str, db: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() in {"locked", "open"}
    return proc


def test_a_second_writer_waits_says_why_and_gives_up_on_timeout(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    told: list[str] = []
    with writer_lock(db):
        started = time.monotonic()
        with (
            pytest.raises(WarehouseLocked, match=f"pid {os.getpid()}"),
            writer_lock(db, timeout_s=0.5, on_wait=told.append),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    assert len(told) == 1
    assert "waiting" in told[0]
    with writer_lock(db, timeout_s=0):  # free again
        pass


def test_the_lock_dies_with_its_holder(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    holder = _hold(HOLD_LOCK, db)
    try:
        with (
            pytest.raises(WarehouseLocked, match=f"pid {holder.pid}"),
            writer_lock(db, timeout_s=0),
        ):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with writer_lock(db, timeout_s=5):
        pass


def test_query_while_a_writer_holds_the_file_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.connect(db).close()
    holder = _hold(HOLD_DUCKDB, db)
    try:
        with pytest.raises(load.WarehouseBusy, match="in use by another process"):
            load.connect(db, read_only=True, busy_timeout_s=0.3)
        started = time.monotonic()
        result = CliRunner().invoke(app, ["query", "select 1", "--db", str(db)])
        assert result.exit_code == 3, result.output
        assert "busy" in result.output
        assert "try again" in result.output
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()
    result = CliRunner().invoke(app, ["query", "select 1 as one", "--db", str(db)])
    assert result.exit_code == 0, result.output


def test_a_reader_gets_in_once_the_writer_closes(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.connect(db).close()
    holder = _hold(HOLD_DUCKDB, db)
    subprocess.Popen(["sh", "-c", f"sleep 1; kill {holder.pid}"])
    try:
        con = load.connect(db, read_only=True, busy_timeout_s=20)
        assert con.execute("select count(*) from documents").fetchone() == (0,)
        con.close()
    finally:
        holder.kill()
        holder.wait()
