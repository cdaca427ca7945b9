"""Write extractions and failures to DuckDB.

A document is replaced atomically: inside one transaction its old rows are deleted from every
table (by doc_id) and its new rows inserted, so a reader (or a crash) never sees half a
document. DuckDB allows a single writer; the flow hands every result to one load step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from load.rows import DERIVED_TABLES, FACT_TABLES, document_frame, fact_frames, machine_cases_of
from load.schema import add_missing_views, apply_schema
from transform.records import CaseEvents, Extraction

LEXICON_VERSION_KEY = "lexicon_version"
BUSY_TIMEOUT_S = 10.0
"""How long an open waits for another process's DuckDB file lock before giving up."""
BUSY_POLL_S = 0.1
LOCK_CONFLICT = "Could not set lock on file"


class WarehouseBusy(Exception):
    """The DuckDB file is held by another process (an ingest writing it) past the wait."""


@dataclass(frozen=True)
class Failure:
    """A PDF that did not load, with the stage where it failed and a one-line reason."""

    path: str
    sha256: str | None
    stage: str
    error: str
    message: str


class SynonymRow(Protocol):
    """A name of a drug, as the lexicon gives it (transform.mentions.lexicon's rows fit this)."""

    @property
    def drug_id(self) -> str | None: ...
    @property
    def drug(self) -> str: ...
    @property
    def synonym(self) -> str: ...
    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class KnownDocument:
    doc_id: str
    path: str
    pipeline_version: str


def _open(db: str, read_only: bool, busy_timeout_s: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying briefly while another process holds DuckDB's file lock.

    Why retry: an ingest opens the warehouse only for its short plan and load steps, so a
    reader (or the next load batch) usually gets in within a second.
    """
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            return duckdb.connect(db, read_only=read_only)
        except duckdb.IOException as exc:
            if LOCK_CONFLICT not in str(exc):
                raise
            if time.monotonic() >= deadline:
                holder = str(exc).split("Conflicting lock is held in", 1)[-1].split(".")[0]
                raise WarehouseBusy(
                    f"{db} is in use by another process ({holder.strip()}), probably an "
                    f"ingest; waited {busy_timeout_s:.0f} s, try again when it has finished"
                ) from exc
            time.sleep(BUSY_POLL_S)


def connect(
    db: str | os.PathLike[str],
    *,
    read_only: bool = False,
    busy_timeout_s: float = BUSY_TIMEOUT_S,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection also makes sure the schema is there."""
    if read_only:
        if not Path(db).exists():
            raise FileNotFoundError(f"no warehouse at {db}: run `caselines ingest` first")
        reader = _open(str(db), True, busy_timeout_s)
        add_missing_views(reader)
        return reader
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    con = _open(str(db), False, busy_timeout_s)
    apply_schema(con)
    return con


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    # Registered, not unregistered on error: an aborted transaction refuses the unregister,
    # and the next register under the same name replaces the view anyway.
    con.register("_incoming", frame)
    cols = ", ".join(frame.columns)
    con.execute(f"insert into {table} ({cols}) select {cols} from _incoming")
    con.unregister("_incoming")


def load_extraction(
    con: duckdb.DuckDBPyConnection,
    ext: Extraction,
    pipeline_version: str,
    replaces: Sequence[str] = (),
) -> None:
    """Replace one document's rows in a single transaction.

    `replaces` names older doc_ids of the same file (a PDF changed in place): their rows go
    in the same transaction, so the article is never there twice or not at all.
    """
    frames = fact_frames(ext)
    doc = document_frame(ext, pipeline_version, _now())
    doomed = [ext.doc_id, *replaces]
    con.execute("begin transaction")
    try:
        for table in (*FACT_TABLES, "documents"):
            con.execute(f"delete from {table} where list_contains(?, doc_id)", [doomed])
        _insert(con, "documents", doc)
        for table in FACT_TABLES:
            _insert(con, table, frames[table])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def machine_events(con: duckdb.DuckDBPyConnection, doc_id: str) -> tuple[CaseEvents, ...]:
    """The document's cases as the pipeline found them (before corrections), case order."""
    rows = con.execute(
        "select events from machine_events where doc_id = ? order by case_id", [doc_id]
    ).fetchall()
    return machine_cases_of([r[0] for r in rows])


def replace_derived(con: duckdb.DuckDBPyConnection, ext: Extraction) -> None:
    """Rewrite, in one transaction, what is derived from a loaded document's events (cases,
    exposures, lines, ..., audit, corrections_applied): `caselines apply-corrections`. The
    document row keeps its pipeline version; its mentions and machine events stay."""
    frames = fact_frames(ext)
    con.execute("begin transaction")
    try:
        for table in DERIVED_TABLES:
            con.execute(f"delete from {table} where doc_id = ?", [ext.doc_id])
            _insert(con, table, frames[table])
        con.execute(
            "update documents set n_cases = ?, pfs_month_days = ?, warnings = ? where doc_id = ?",
            [ext.n_cases, ext.pfs_month_days, list(ext.warnings), ext.doc_id],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def record_failures(
    con: duckdb.DuckDBPyConnection, failures: Sequence[Failure], run_id: str | None = None
) -> None:
    if not failures:
        return
    now = _now()
    frame = pd.DataFrame.from_records(
        [(f.path, f.sha256, f.stage, f.error, f.message, now, run_id) for f in failures],
        columns=["path", "sha256", "stage", "error", "message", "failed_at", "run_id"],
    )
    _insert(con, "ingest_failures", frame)


def update_paths(con: duckdb.DuckDBPyConnection, moved: dict[str, str]) -> None:
    """Record where moved or renamed PDFs are now, so a later change in place replaces them."""
    if not moved:
        return
    con.executemany(
        "update documents set path = ? where doc_id = ?", [(p, d) for d, p in moved.items()]
    )


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, KnownDocument]:
    rows = con.execute("select doc_id, path, pipeline_version from documents").fetchall()
    return {r[0]: KnownDocument(r[0], r[1], r[2]) for r in rows}


def sync_synonyms(con: duckdb.DuckDBPyConnection, rows: Iterable[SynonymRow], version: str) -> bool:
    """Reload drug_synonyms when the shipped lexicon changed; True when it reloaded."""
    current = con.execute(
        "select value from warehouse_meta where key = ?", [LEXICON_VERSION_KEY]
    ).fetchone()
    if current is not None and current[0] == version:
        return False
    seen: set[tuple[str, str]] = set()
    records = []
    for r in rows:
        key = (r.synonym, r.drug)
        if key not in seen:
            seen.add(key)
            records.append((r.drug_id, r.drug, r.synonym, r.source))
    frame = pd.DataFrame.from_records(records, columns=["drug_id", "drug", "synonym", "source"])
    con.execute("begin transaction")
    try:
        con.execute("delete from drug_synonyms")
        _insert(con, "drug_synonyms", frame)
        con.execute(
            "insert or replace into warehouse_meta (key, value) values (?, ?)",
            [LEXICON_VERSION_KEY, version],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True
