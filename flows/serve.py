"""`caselines serve`: the ingest flow as a scheduled Prefect deployment.

Uses the Prefect server at PREFECT_API_URL when set; otherwise starts a local one for as long
as it serves (Prefect refuses to schedule on its ephemeral server). Ctrl-C and SIGTERM stop
the runner (Prefect's Runner handles both) and then the server this process started.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from flows.prefect_server import local_server
from flows.settings import DEFAULT_CORPUS, DEFAULT_DB, DEFAULT_WORKERS

API_URL_ENV = "PREFECT_API_URL"


@dataclass(frozen=True)
class ServeConfig:
    cron: str = "0 2 * * *"
    corpus: str = DEFAULT_CORPUS
    """Absolute path of the folder of PDFs each scheduled run ingests."""
    db: str = DEFAULT_DB
    workers: int = DEFAULT_WORKERS
    name: str = "scheduled"
    """Deployment name: the deployment is `caselines-ingest/<name>`."""

    def parameters(self) -> dict[str, object]:
        return {"paths": [self.corpus], "db": self.db, "workers": self.workers}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Until Prefect's Runner installs its own handler, SIGTERM unwinds like Ctrl-C, so the
    server this process started is stopped in every case."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _api(say: Callable[[str], None]) -> Iterator[str]:
    """The API URL to serve against: the configured one, else a local server's."""
    configured = os.environ.get(API_URL_ENV)
    if configured:
        say(f"using the Prefect server at {configured}")
        yield configured
        return
    say("starting a local Prefect server (no PREFECT_API_URL set) ...")
    with local_server() as server:
        say(f"Prefect server at {server.api_url} (pid {server.pid})")
        os.environ[API_URL_ENV] = server.api_url  # for the flow-run subprocesses
        try:
            yield server.api_url
        finally:
            os.environ.pop(API_URL_ENV, None)


def serve_ingest(config: ServeConfig, say: Callable[[str], None] = print) -> None:
    """Serve `caselines-ingest/<name>` on `config.cron` until interrupted."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.ingest import ingest_flow

    try:
        with (
            _sigterm_interrupts(),
            _api(say) as api_url,
            temporary_settings(updates={PREFECT_API_URL: api_url}),
        ):
            say(
                f"serving caselines-ingest/{config.name} on '{config.cron}': "
                f"{config.corpus} -> {config.db}"
            )
            ingest_flow.serve(
                name=config.name,
                cron=config.cron,
                parameters=config.parameters(),
                print_starting_message=False,
            )
    except KeyboardInterrupt:
        pass
    say("stopped")
