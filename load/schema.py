"""Apply the warehouse's SQL (package data of `warehouse`) to a DuckDB connection.

Every statement is `create ... if not exists` or `create or replace view`, so applying
the schema twice creates nothing twice.
"""

from __future__ import annotations

from importlib import resources

import duckdb

SCHEMA_DIR = "schema"
VIEWS_DIR = "views"
QUERIES_DIR = "queries"


def _sql_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files("warehouse").joinpath(folder)
    files = sorted((p for p in root.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def schema_sql() -> list[tuple[str, str]]:
    """(file name, SQL) of every table definition, in file-name order."""
    return _sql_files(SCHEMA_DIR)


def view_sql() -> list[tuple[str, str]]:
    return _sql_files(VIEWS_DIR)


def example_queries() -> list[tuple[str, str]]:
    """(file name, SQL) of the example analytical queries shipped in warehouse/queries/."""
    return _sql_files(QUERIES_DIR)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view that is missing; idempotent."""
    for _name, sql in schema_sql() + view_sql():
        con.execute(sql)
