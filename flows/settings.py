"""Typed configuration of the flows: defaults a data engineer can override, nothing hidden."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PIPELINE_VERSION = "0.1.0"
"""Bump when extraction logic changes: documents loaded by an older version are re-processed."""

DB_ENV = "CASELINES_DB"
DEFAULT_DB = "caselines.duckdb"
DEFAULT_CORPUS = "corpus"
DEFAULT_TIME_LIMIT_S = 120.0
"""Per-PDF limit for extraction and transformation; a hostile file cannot hang the run."""
DEFAULT_MAX_PAGES = 500
"""Case reports run to tens of pages; a longer PDF is a book or an error."""
DEFAULT_LOAD_BATCH = 20
"""Documents per load step: bounds memory while keeping DuckDB commits few."""

PREFECT_DEFAULTS: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}
"""Embedded defaults: ephemeral Prefect, no telemetry, quiet console (overridable by env)."""


def default_db() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


def apply_prefect_defaults() -> None:
    """Set Prefect's embedded defaults unless the user set them; must run before Prefect loads."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class IngestConfig:
    """Parameters of one ingest run."""

    paths: tuple[str, ...] = (DEFAULT_CORPUS,)
    db: str = DEFAULT_DB
    workers: int = 1
    force: bool = False
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    max_pages: int = DEFAULT_MAX_PAGES
    pipeline_version: str = PIPELINE_VERSION

    def db_path(self) -> Path:
        return Path(self.db)
