"""Run the real `caselines` command in its own process, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

TERMINAL_COLUMNS = 80
"""The width a table must fit: the narrowest common terminal."""
SHORT_BUSY_WAIT_S = "0.5"
RUN_TIMEOUT_S = 600


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    wall_s: float

    @property
    def err_lines(self) -> list[str]:
        return [x for x in self.stderr.splitlines() if x.strip()]


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no Prefect API, Prefect's home in `tmp`, a
    terminal TERMINAL_COLUMNS wide, a short wait for a busy warehouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CASELINES_"))}
    env.update(
        PREFECT_HOME=str(tmp / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        COLUMNS=str(TERMINAL_COLUMNS),
        CASELINES_BUSY_TIMEOUT=SHORT_BUSY_WAIT_S,
    )
    env.update(extra)
    return env


def caselines(
    *args: str, env: dict[str, str], cwd: Path | None = None, python_flags: tuple[str, ...] = ()
) -> Run:
    """`caselines ARGS` (as `python -m flows.cli`), with its exit code, output and wall time."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, *python_flags, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - start)
