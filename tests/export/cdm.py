"""The OMOP CDM v5.4 standard as the tests hold it: a DuckDB database created from the
OHDSI DDL in tests/fixtures/omop/, and an export loaded into it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "omop"
DDL = FIXTURE / "OMOPCDM_duckdb_5.4_ddl.sql"
PRIMARY_KEYS = FIXTURE / "OMOPCDM_duckdb_5.4_primary_keys.sql"
SCHEMA_PREFIX = "@cdmDatabaseSchema."

_TABLE = re.compile(r"CREATE TABLE\s+(\w+)\s*\((.*?)\);", re.S | re.I)
_VARCHAR = re.compile(r'^\s*"?(\w+)"?\s+varchar\((\d+)\)', re.I | re.M)


def _ddl(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace(SCHEMA_PREFIX, "")


def cdm_database(path: Path) -> duckdb.DuckDBPyConnection:
    """A new DuckDB file holding every OMOP CDM v5.4 table with its primary key."""
    con = duckdb.connect(str(path))
    for sql in (_ddl(DDL), _ddl(PRIMARY_KEYS)):
        for statement in duckdb.extract_statements(sql):
            con.execute(statement)
    return con


def varchar_widths() -> dict[tuple[str, str], int]:
    """(table, column) -> the width the standard declares (DuckDB keeps no varchar width)."""
    widths: dict[tuple[str, str], int] = {}
    for table, body in _TABLE.findall(_ddl(DDL)):
        for column, width in _VARCHAR.findall(body):
            widths[(table.lower(), column.lower())] = int(width)
    return widths


def cdm_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where table_name = ? order by column_index",
        [table],
    ).fetchall()
    return [str(r[0]) for r in rows]


def manifest(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return loaded


def file_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    rel = con.execute(f"select * from {reader}(?) limit 0", [str(path)])
    return [d[0] for d in rel.description or []]


def load_export(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Load every file of an export into the standard's tables: CSV with COPY (by position,
    as OHDSI loaders do), Parquet by column name."""
    for entry in manifest(folder)["files"]:
        path = folder / entry["file"]
        table = entry["name"]
        if path.suffix == ".csv":
            con.execute(f"copy {table} from '{path}' (header true)")
        else:
            con.execute(f"insert into {table} by name select * from read_parquet('{path}')")


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()
