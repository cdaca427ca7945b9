"""Write extractions and failures to DuckDB.

A document is replaced atomically: inside one transaction its old rows are deleted from every
table (by doc_id) and its new rows inserted, so a reader (or a crash) never sees half a
document. DuckDB allows a single writer; the flow hands every result to one load step.

Batches: `load_extractions` writes many documents in one transaction, one delete and one bulk
append per table, because DuckDB's cost is per statement and per commit, not per row (one
transaction per document made the writer the bottleneck of a cluster, issue 25). A batch the
warehouse refuses (a constraint a transform bug broke) is rolled back whole and retried one
document per transaction, so only the bad document fails.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from load.rows import (
    DERIVED_TABLES,
    FACT_TABLES,
    TableRows,
    document_rows,
    fact_rows,
    machine_cases_of,
)
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
class Refused:
    """A document the warehouse would not take (a constraint), with DuckDB's error."""

    ext: Extraction
    error: duckdb.Error


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


def _records(records: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of these rows. pandas is imported here, at the first write: it is a
    quarter of a second of start-up that a command with nothing to load (`caselines ingest`
    on an unchanged corpus) never needs."""
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=list(columns))


def _frame(parts: Sequence[TableRows]) -> pd.DataFrame:
    """One DataFrame of the rows of every document of a batch (one table)."""
    columns = parts[0].columns
    if any(p.columns != columns for p in parts):
        raise ValueError(f"documents of one batch disagree on the columns {columns}")
    return _records([r for p in parts for r in p.rows], columns)


def _delete(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
    """Delete the rows of those documents that are loaded, from every table.

    Only doc_ids with a `documents` row are deleted: a document's rows are written and deleted
    with its `documents` row in one transaction, so one indexed look-up there spares a scan of
    every fact table for the usual batch of new documents.
    """
    loaded = [
        row[0]
        for row in con.execute(
            "select doc_id from documents where doc_id in (select unnest(?::varchar[]))",
            [doc_ids],
        ).fetchall()
    ]
    if not loaded:
        return
    for table in (*FACT_TABLES, "documents"):
        con.execute(f"delete from {table} where list_contains(?, doc_id)", [loaded])


def _write(
    con: duckdb.DuckDBPyConnection,
    exts: Sequence[Extraction],
    pipeline_version: str,
    replaces: Mapping[str, Sequence[str]],
) -> None:
    """Replace the documents' rows in one transaction: all of them, or (on any error) none."""
    now = _now()
    doomed: list[str] = []
    tables: dict[str, list[TableRows]] = {}
    for ext in exts:
        doomed += [ext.doc_id, *replaces.get(ext.doc_id, ())]
        tables.setdefault("documents", []).append(document_rows(ext, pipeline_version, now))
        for table, rows in fact_rows(ext).items():
            tables.setdefault(table, []).append(rows)
    con.execute("begin transaction")
    try:
        _delete(con, doomed)
        for table, parts in tables.items():
            _insert(con, table, _frame(parts))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


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
    _write(con, [ext], pipeline_version, {ext.doc_id: replaces})


def load_extractions(
    con: duckdb.DuckDBPyConnection,
    exts: Sequence[Extraction],
    pipeline_version: str,
    replaces: Mapping[str, Sequence[str]] | None = None,
) -> list[Refused]:
    """Replace the rows of a batch of documents, one transaction for the batch; returns the
    documents the warehouse refused.

    When the batch breaks a constraint it is rolled back and each document is loaded in its
    own transaction, so a bad document fails alone and the others load. An I/O error (disk
    full, file lock) raises: the caller retries, and reloading a document is idempotent.
    `replaces` maps a doc_id to the older doc_ids of its file (see load_extraction).
    """
    older = replaces or {}
    if not exts:
        return []
    try:
        _write(con, exts, pipeline_version, older)
        return []
    except duckdb.IOException:
        raise
    except duckdb.Error as exc:
        if len(exts) == 1:
            return [Refused(exts[0], exc)]
    refused: list[Refused] = []
    for ext in exts:
        try:
            _write(con, [ext], pipeline_version, older)
        except duckdb.IOException:
            raise
        except duckdb.Error as exc:
            refused.append(Refused(ext, exc))
    return refused


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
    tables = fact_rows(ext)
    con.execute("begin transaction")
    try:
        for table in DERIVED_TABLES:
            con.execute(f"delete from {table} where doc_id = ?", [ext.doc_id])
            _insert(con, table, _frame([tables[table]]))
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
    frame = _records(
        [(f.path, f.sha256, f.stage, f.error, f.message, now, run_id) for f in failures],
        ["path", "sha256", "stage", "error", "message", "failed_at", "run_id"],
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


def loaded_lexicon_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The version of the lexicon drug_synonyms was loaded from (None: never loaded)."""
    current = con.execute(
        "select value from warehouse_meta where key = ?", [LEXICON_VERSION_KEY]
    ).fetchone()
    return None if current is None else str(current[0])


def sync_synonyms(con: duckdb.DuckDBPyConnection, rows: Iterable[SynonymRow], version: str) -> bool:
    """Reload drug_synonyms when the shipped lexicon changed; True when it reloaded."""
    if loaded_lexicon_version(con) == version:
        return False
    seen: set[tuple[str, str]] = set()
    records = []
    for r in rows:
        key = (r.synonym, r.drug)
        if key not in seen:
            seen.add(key)
            records.append((r.drug_id, r.drug, r.synonym, r.source))
    frame = _records(records, ["drug_id", "drug", "synonym", "source"])
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
