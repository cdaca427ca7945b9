"""A local Prefect server for `caselines serve` when no PREFECT_API_URL is configured.

Why: Prefect 3 refuses to schedule on its ephemeral server, so serving needs a real one.
It runs `prefect server start` on 127.0.0.1 with a free port and its SQLite database under
PREFECT_HOME, waits until /api/health answers, and stops it (its whole process group) on exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

HOST = "127.0.0.1"
START_TIMEOUT_S = 180.0
"""A first start creates and migrates the SQLite database: slow on a busy small machine."""
STOP_TIMEOUT_S = 15.0
HEALTH_POLL_S = 0.5
SERVER_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
}


class ServerStartError(RuntimeError):
    """The local Prefect server exited or did not become healthy in time."""


@dataclass(frozen=True)
class LocalServer:
    api_url: str
    pid: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def local_server(port: int | None = None) -> Iterator[LocalServer]:
    """Start `prefect server start` and yield its API URL once healthy; stop it on exit."""
    port = port or free_port()
    api_url = f"http://{HOST}:{port}/api"
    env = {**os.environ, **SERVER_ENV}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # our own process group: stopped as a whole, not by Ctrl-C
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(api_url):
            if process.poll() is not None:
                tail = (process.stderr.read() if process.stderr else b"")[-500:]
                raise ServerStartError(
                    f"prefect server exited with status {process.returncode}: "
                    + " ".join(tail.decode(errors="replace").split())
                )
            if time.monotonic() > deadline:
                raise ServerStartError(f"prefect server not healthy after {START_TIMEOUT_S} s")
            time.sleep(HEALTH_POLL_S)
        if process.stderr:
            process.stderr.close()  # nobody reads it from here on; a full pipe would block it
        yield LocalServer(api_url, process.pid)
    finally:
        _stop(process)
