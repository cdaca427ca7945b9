"""A killed ingest leaves the warehouse as it was before the batch it was writing, and two
ingests started together serialise on the warehouse lock without corrupting anything."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.flows.fake_cli import PAUSE_ENV
from tests.flows.helpers import cli, counts, rows, subprocess_env

SNAPSHOT = "select doc_id, path, ingested_at from documents order by doc_id"
WAIT_S = 180
WAITING = "waiting for it to finish"


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i}.pdf").write_bytes(b"pdf %d" % i)
    return folder


def _wait_for(path: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the ingest never reached the load step"
        time.sleep(0.1)


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_document_changes_nothing(
    tmp_path: Path, prefect_harness: None
) -> None:
    corpus, db = _corpus(tmp_path / "c", 3), tmp_path / "w.duckdb"
    env = subprocess_env()
    first = subprocess.run([*cli("ingest", str(corpus), "--db", str(db))], env=env, timeout=WAIT_S)
    assert first.returncode == 0
    before, snapshot = counts(db), rows(db, SNAPSHOT)
    assert before["documents"] == 3

    marker = tmp_path / "in-transaction"
    proc = subprocess.Popen(
        cli("ingest", str(corpus), "--db", str(db), "--force"), env={**env, PAUSE_ENV: str(marker)}
    )
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert counts(db) == before
    assert rows(db, SNAPSHOT) == snapshot  # not even re-stamped: the transaction never was


@pytest.mark.slow
def test_two_ingests_at_once_serialise(tmp_path: Path, prefect_harness: None) -> None:
    corpus, db = _corpus(tmp_path / "c", 4), tmp_path / "w.duckdb"
    env = subprocess_env()
    marker = tmp_path / "holding"
    # the first run pauses inside its load, holding the lock; the second must wait for it
    first = subprocess.Popen(
        cli("ingest", str(corpus), "--db", str(db)), env={**env, PAUSE_ENV: str(marker)}
    )
    _wait_for(marker, first)
    second = subprocess.Popen(
        cli("ingest", str(corpus), "--db", str(db)),
        env=env,
        stderr=subprocess.STDOUT,
        stdout=subprocess.PIPE,
    )
    output: list[str] = []
    stream = second.stdout
    assert stream is not None
    reader = threading.Thread(
        target=lambda: output.extend(line.decode() for line in iter(stream.readline, b"")),
        daemon=True,
    )
    reader.start()
    # wait for the second to reach the lock (its start-up is slow on a loaded machine)
    deadline = time.monotonic() + WAIT_S
    while not any(WAITING in line for line in output):
        assert second.poll() is None, "the second ingest did not wait for the first:\n" + "".join(
            output
        )
        assert time.monotonic() < deadline, "the second ingest never reported the lock"
        time.sleep(0.1)
    assert second.poll() is None, "the second ingest did not wait for the first"
    first.send_signal(signal.SIGKILL)  # the lock dies with its holder
    first.wait()
    second.wait(timeout=WAIT_S)
    reader.join(timeout=10)
    text = "".join(output)
    assert second.returncode == 0, text
    assert counts(db)["documents"] == 4
    assert rows(db, "select count(distinct doc_id) = count(*) from documents") == [(True,)]
