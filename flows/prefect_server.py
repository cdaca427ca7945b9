"""A local Prefect server for `caselines serve` and `ingest --dask` when no PREFECT_API_URL
is configured.

Why: Prefect 3 refuses to schedule on its ephemeral server, so serving needs a real one; and
tasks on Dask workers report to the flow's API, which the ephemeral server (inside the flow
process, its URL in no setting) cannot be: each Dask worker would start a server of its own.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass

HOST = "127.0.0.1"
API_URL_ENV = "PREFECT_API_URL"
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


HEALTH_TIMEOUT_S = 2.0


def healthy(api_url: str, timeout_s: float = HEALTH_TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout_s) as resp:
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


@contextlib.contextmanager
def prefect_api(say: Callable[[str], None]) -> Iterator[str]:
    """The API URL to run against: the configured one, else the background server's
    (`caselines server start`), else a local server's for as long as the caller needs it
    (exported, so that flow-run subprocesses use it too)."""
    configured = os.environ.get(API_URL_ENV)
    if configured:
        say(f"using the Prefect server at {configured}")
        yield configured
        return
    from flows.background_server import running

    background = running()
    if background is not None:
        say(f"using the background Prefect server at {background.api_url} (`caselines server`)")
        os.environ[API_URL_ENV] = background.api_url
        try:
            yield background.api_url
        finally:
            os.environ.pop(API_URL_ENV, None)
        return
    say("starting a local Prefect server (no PREFECT_API_URL set) ...")
    with local_server() as server:
        say(f"Prefect server at {server.api_url} (pid {server.pid})")
        os.environ[API_URL_ENV] = server.api_url
        try:
            yield server.api_url
        finally:
            os.environ.pop(API_URL_ENV, None)
