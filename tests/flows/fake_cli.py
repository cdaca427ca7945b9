"""`python -m tests.flows.fake_cli ...`: the real `caselines` CLI with the stand-in stages.

For tests that need a separate process (SIGKILL, two ingests at once). With
CASELINES_TEST_PAUSE_IN_LOAD=<marker file>, the loader pauses inside the transaction of the
first batch it writes, after its mentions are inserted, and creates the marker: the moment a
test kills the process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import load.writer
from flows import stages
from flows.cli import app

PAUSE_ENV = "CASELINES_TEST_PAUSE_IN_LOAD"


def _pause_after_inserts() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return
    original = load.writer._insert

    def insert(con, table, frame):  # type: ignore[no-untyped-def]
        original(con, table, frame)
        if table == "mentions":
            Path(marker).write_text(str(os.getpid()))
            time.sleep(600)

    load.writer._insert = insert  # type: ignore[assignment]


if __name__ == "__main__":
    stages.EXTRACT = "tests.flows.fake_stages:read_document"
    stages.TRANSFORM = "tests.flows.fake_stages:transform_document"
    _pause_after_inserts()
    app()
