"""`caselines serve`: the ingest flow as a scheduled Prefect deployment.

Uses the Prefect server at PREFECT_API_URL when set; otherwise starts a local one for as long
as it serves (Prefect refuses to schedule on its ephemeral server). Ctrl-C and SIGTERM stop
the runner (Prefect's Runner handles both) and then the server this process started.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from flows.prefect_server import prefect_api
from flows.settings import DEFAULT_CORPUS, DEFAULT_DB, DEFAULT_WORKERS


@dataclass(frozen=True)
class ServeConfig:
    cron: str = "0 2 * * *"
    corpus: str = DEFAULT_CORPUS
    """Absolute path of the folder of PDFs each scheduled run ingests."""
    db: str = DEFAULT_DB
    workers: int = DEFAULT_WORKERS
    name: str = "scheduled"
    """Deployment name: the deployment is `caselines-ingest/<name>`."""
    dask: str | None = None
    """Address of a Dask scheduler whose workers run the extract and transform tasks."""

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


def serve_ingest(config: ServeConfig, say: Callable[[str], None] = print) -> None:
    """Serve `caselines-ingest/<name>` on `config.cron` until interrupted."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.ingest import ingest_flow_for

    flow = ingest_flow_for(config.dask)
    try:
        with (
            _sigterm_interrupts(),
            prefect_api(say) as api_url,
            temporary_settings(updates={PREFECT_API_URL: api_url}),
        ):
            on = f" on the Dask cluster at {config.dask}" if config.dask else ""
            say(
                f"serving caselines-ingest/{config.name} on '{config.cron}': "
                f"{config.corpus} -> {config.db}{on}"
            )
            flow.serve(
                name=config.name,
                cron=config.cron,
                parameters=config.parameters(),
                print_starting_message=False,
            )
    except KeyboardInterrupt:
        pass
    say("stopped")
