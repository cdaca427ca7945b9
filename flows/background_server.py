"""A local Prefect server kept running between commands (`caselines server start`), so that a
small ingest pays its stages and not Prefect's start.

Why: without a PREFECT_API_URL every `caselines ingest` starts Prefect's ephemeral server in
its own process, 10-40 s on a busy small machine, for a run whose stages take a few seconds.
A server started once, in its own session so that it outlives the command, removes that
cost; runs stay Prefect flow runs, recorded on that server.

Its address and pid are kept in a small JSON file under PREFECT_HOME (beside the server's
SQLite database); a command uses it only while the pid lives and /api/health answers. An
explicit PREFECT_API_URL always wins.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flows.prefect_server import (
    API_URL_ENV,
    HEALTH_POLL_S,
    HOST,
    SERVER_ENV,
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    free_port,
    healthy,
)

STATE_FILE = "caselines-server.json"
LOG_FILE = "caselines-server.log"
DEFAULT_PREFECT_HOME = "~/.prefect"
"""Prefect's own default for PREFECT_HOME (where its server keeps its database)."""
RUNNING_HEALTH_TIMEOUT_S = 15.0
"""How long a command waits for the recorded server's /api/health: a live server on a loaded
two-core machine can take seconds to answer, and a false 'down' would start Prefect's
ephemeral server instead, the cost the background server is there to save."""
LOG_TAIL = 400
"""Characters of the server's log quoted when it fails to start."""


class ServerError(RuntimeError):
    """The background server could not be started or stopped; the message says why."""


@dataclass(frozen=True)
class ServerState:
    api_url: str
    pid: int
    log: str


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or DEFAULT_PREFECT_HOME).expanduser()


def state_path() -> Path:
    return prefect_home() / STATE_FILE


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state() -> ServerState | None:
    """The recorded server, if the file is there and readable (alive or not)."""
    try:
        raw = json.loads(state_path().read_text(encoding="utf-8"))
        return ServerState(str(raw["api_url"]), int(raw["pid"]), str(raw.get("log", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running() -> ServerState | None:
    """The background server if its process lives and answers; a stale file is removed."""
    state = read_state()
    if state is None:
        return None
    if _alive(state.pid) and healthy(state.api_url, RUNNING_HEALTH_TIMEOUT_S):
        return state
    if not _alive(state.pid):
        with contextlib.suppress(OSError):
            state_path().unlink()
    return None


def use_if_running() -> str | None:
    """Point this process (and the flow-run processes it starts) at the background server
    when one is up and no PREFECT_API_URL is set; return the URL it uses, if any."""
    if os.environ.get(API_URL_ENV):
        return None
    state = running()
    if state is None:
        return None
    os.environ[API_URL_ENV] = state.api_url
    return state.api_url


def start(port: int | None = None, timeout_s: float = START_TIMEOUT_S) -> ServerState:
    """Start `prefect server start` in its own session, wait until healthy, record it."""
    current = running()
    if current is not None:
        return current
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    api_url = f"http://{HOST}:{port}/api"
    log = home / LOG_FILE
    env = {**os.environ, **SERVER_ENV, "PREFECT_HOME": str(home)}
    env.pop(API_URL_ENV, None)
    with log.open("wb") as out:
        command = [sys.executable, "-m", "prefect", "server", "start"]
        process = subprocess.Popen(
            [*command, "--host", HOST, "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command; stopped as a process group
        )
    deadline = time.monotonic() + timeout_s
    while not healthy(api_url):
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
            raise ServerError(
                f"prefect server exited with status {process.returncode}: " + " ".join(tail.split())
            )
        if time.monotonic() > deadline:
            _kill_group(process.pid)
            raise ServerError(f"prefect server not healthy after {timeout_s:.0f} s (log: {log})")
        time.sleep(HEALTH_POLL_S)
    state = ServerState(api_url, process.pid, str(log))
    state_path().write_text(json.dumps(asdict(state)), encoding="utf-8")
    return state


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(HEALTH_POLL_S / 5)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        _reap(pid)


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (else a zombie stays)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def stop() -> ServerState | None:
    """Stop the recorded server (its whole process group); None when none was recorded."""
    state = read_state()
    if state is None:
        return None
    if _alive(state.pid):
        _kill_group(state.pid)
    with contextlib.suppress(OSError):
        state_path().unlink()
    return state
