"""`caselines server start|stop|status`: a local Prefect server kept running in the
background, which `ingest` and `serve` use while it is up (flows/background_server.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from flows import background_server
from flows.cli_common import EXIT_FAILED, CliError, console_for

server_app = typer.Typer(
    no_args_is_help=True,
    help="A local Prefect server in the background: small ingests skip Prefect's start-up.",
)


@server_app.command("start")
def start_command(
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port on 127.0.0.1 (default: a free one).")
    ] = None,
) -> None:
    """Start the server (or say where the running one is); `ingest` and `serve` use it."""
    before = background_server.running()
    try:
        state = background_server.start(port)
    except background_server.ServerError as exc:
        raise CliError(str(exc), code=EXIT_FAILED) from exc
    verb = "already running" if before is not None else "started"
    console_for().print(
        f"Prefect server {verb} at {state.api_url} (pid {state.pid}); "
        "`caselines ingest` and `serve` use it until `caselines server stop`",
        soft_wrap=True,
    )


@server_app.command("stop")
def stop_command() -> None:
    """Stop the background server."""
    state = background_server.stop()
    if state is None:
        console_for().print("no Prefect server was running")
        return
    console_for().print(f"Prefect server at {state.api_url} (pid {state.pid}) stopped")


@server_app.command("status")
def status_command() -> None:
    """Say whether the background server is up (exit 0) or not (exit 1)."""
    state = background_server.running()
    if state is None:
        console_for().print("no Prefect server running (start one: `caselines server start`)")
        raise typer.Exit(EXIT_FAILED)
    console_for().print(f"Prefect server running at {state.api_url} (pid {state.pid})")
