"""The warehouse as OMOP CDM v5.4 tables (CSV or Parquet), oncology episodes included.

The mapping is SQL (export/omop/): prepare/*.sql builds temporary tables of the exported
cases, exposures, episodes and their evidence, with deterministic ids; cdm/<table>.sql
selects one OMOP table, exactly the standard's columns in the standard's order. The
warehouse is opened read-only; temporary tables live in the connection only.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

import load
from export.output import copy_to, pipeline_versions, staged_output, write_manifest
from export.records import ExportedFile, ExportResult, SkippedCase
from export.sql import run_script, sql_file, sql_files
from export.types import OmopFormat

OMOP_TABLES: tuple[str, ...] = (
    "person",
    "observation_period",
    "condition_occurrence",
    "drug_exposure",
    "measurement",
    "death",
    "episode",
    "episode_event",
    "note",
    "note_nlp",
)
"""The OMOP CDM v5.4 tables written, in load order (a person before the rows naming it)."""

NO_AGE = "no age printed: PERSON.year_of_birth is required"


def _skipped(con: duckdb.DuckDBPyConnection) -> tuple[SkippedCase, ...]:
    rows = con.execute(sql_file("omop", "skipped_cases.sql")).fetchall()
    return tuple(SkippedCase(doc_id=d, case_id=int(c), reason=NO_AGE) for d, c in rows)


def omop_rows(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The SELECT of one OMOP table (after prepare_omop ran on this connection)."""
    return sql_file("omop", "cdm", f"{table}.sql")


def prepare_omop(con: duckdb.DuckDBPyConnection) -> None:
    """Build the temporary tables the cdm/*.sql selects read."""
    for _name, sql in sql_files("omop", "prepare"):
        run_script(con, sql)


def export_omop(
    db: str | os.PathLike[str], out: Path, file_format: OmopFormat = OmopFormat.csv
) -> ExportResult:
    """Write <table>.csv (or .parquet) for every table of OMOP_TABLES, and manifest.json."""
    con = load.connect(db, read_only=True)
    try:
        prepare_omop(con)
        with staged_output(out) as folder:
            files = []
            for table in OMOP_TABLES:
                file = f"{table}.{file_format.value}"
                select = omop_rows(con, table)
                copy_to(con, select, folder / file, file_format.value)
                (rows,) = con.execute(f"select count(*) from ({select})").fetchone() or (0,)
                files.append(ExportedFile(name=table, kind="table", file=file, rows=int(rows)))
            result = ExportResult(
                out=out,
                files=tuple(files),
                pipeline_versions=pipeline_versions(con),
                skipped=_skipped(con),
            )
            write_manifest(folder, result, f"omop-cdm-5.4-{file_format.value}")
    finally:
        con.close()
    return result
