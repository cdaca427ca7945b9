"""Write an export into a fresh folder that appears only when it is complete.

Files go to a hidden sibling folder first and are renamed into place at the end, so a
failed or interrupted export leaves the requested folder as it was (absent or empty) and a
folder that already holds files is refused before anything is written.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import duckdb

from export.errors import OutputNotEmpty
from export.records import ExportResult
from export.sql import sql_file

MANIFEST = "manifest.json"
PACKAGE = "caselines"


def check_output(out: Path) -> None:
    """Refuse an output path that is a file or a folder with anything in it."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputNotEmpty(f"{out} exists and is not an empty folder: choose a new --out")


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a staging folder; on success it becomes `out`, on failure it is removed."""
    check_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{uuid.uuid4().hex}"
    staging.mkdir()  # a plain mkdir keeps the user's umask (mkdtemp would make it 0700)
    try:
        yield staging
        check_output(out)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def copy_to(con: duckdb.DuckDBPyConnection, select_sql: str, path: Path, file_format: str) -> None:
    """Write the rows of one SELECT to a CSV (with a header) or Parquet file."""
    options = "format csv, header true" if file_format == "csv" else "format parquet"
    con.execute(f"copy ({select_sql}) to {_literal(str(path))} ({options})")


def pipeline_versions(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The pipeline versions that loaded the warehouse's documents."""
    rows = con.execute(sql_file("pipeline_versions.sql")).fetchall()
    return tuple(str(r[0]) for r in rows)


def caselines_version() -> str:
    """The installed caselines package's version (the exporter, beside the loaders' versions)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


def write_manifest(folder: Path, result: ExportResult, export: str) -> None:
    """manifest.json: what was exported, by which versions, with every file's row count."""
    payload = {
        "export": export,
        "caselines_version": caselines_version(),
        "pipeline_versions": list(result.pipeline_versions),
        "files": [asdict(f) for f in result.files],
        "skipped_cases": [asdict(s) for s in result.skipped],
    }
    (folder / MANIFEST).write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
