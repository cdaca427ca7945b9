"""Every warehouse table and view as one Parquet file, with manifest.json.

For tools that read Parquet (pandas, Spark, R arrow, another DuckDB) without the warehouse
file or DuckDB's file lock: DuckDB's own `COPY ... TO ... (FORMAT parquet)` keeps every
type (dates, lists, JSON as a JSON-annotated string).
"""

from __future__ import annotations

import os
from pathlib import Path

import load
from export.output import copy_to, pipeline_versions, staged_output, write_manifest
from export.records import ExportedFile, ExportResult
from export.sql import sql_file

PARQUET = "parquet"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_parquet(db: str | os.PathLike[str], out: Path) -> ExportResult:
    """Write <relation>.parquet for every table and view of the warehouse at `db` into `out`."""
    con = load.connect(db, read_only=True)
    try:
        relations = con.execute(sql_file("parquet", "relations.sql")).fetchall()
        with staged_output(out) as folder:
            files = []
            for name, kind in relations:
                file = f"{name}.parquet"
                # ordered by every column: a view's rows (a GROUP BY's among them) come in the
                # order DuckDB's threads finish, and the same warehouse must give the same file
                query = f"select * from {_quoted(name)} order by all"
                copy_to(con, query, folder / file, PARQUET)
                (rows,) = con.execute(f"select count(*) from {_quoted(name)}").fetchone() or (0,)
                files.append(ExportedFile(name=name, kind=kind, file=file, rows=int(rows)))
            result = ExportResult(
                out=out, files=tuple(files), pipeline_versions=pipeline_versions(con)
            )
            write_manifest(folder, result, PARQUET)
    finally:
        con.close()
    return result
