"""Apply the warehouse's SQL (package data of `warehouse`) to a DuckDB connection.

Every statement is `create ... if not exists` or `create or replace view`, so applying
the schema twice creates nothing twice.
"""

from __future__ import annotations

import re
from functools import cache
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


_CREATE_VIEW = re.compile(r"create\s+or\s+replace\s+view\s+(\w+)", re.IGNORECASE)


class SchemaOutdated(RuntimeError):
    """The warehouse file was made by an older caselines: a table lacks columns this one
    writes. Said before anything is written, so the file is left as it was."""


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'main'"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def _checks(con: duckdb.DuckDBPyConnection) -> dict[str, frozenset[str]]:
    """table -> the text of its check constraints (the accepted values of its columns)."""
    rows = con.execute(
        "select table_name, constraint_text from duckdb_constraints() "
        "where constraint_type = 'CHECK' and schema_name = 'main'"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for table, text in rows:
        out.setdefault(table, set()).add(text)
    return {table: frozenset(texts) for table, texts in out.items()}


@cache
def expected_checks() -> dict[str, frozenset[str]]:
    """table -> check constraints, as the shipped schema declares them."""
    scratch = duckdb.connect(":memory:")
    try:
        for _name, sql in schema_sql():
            scratch.execute(sql)
        return _checks(scratch)
    finally:
        scratch.close()


@cache
def expected_columns() -> dict[str, frozenset[str]]:
    """table -> columns, as the shipped schema declares them (built in memory, once)."""
    scratch = duckdb.connect(":memory:")
    try:
        for _name, sql in schema_sql():
            scratch.execute(sql)
        return {table: frozenset(cols) for table, cols in _columns(scratch).items()}
    finally:
        scratch.close()


def check_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Raise SchemaOutdated when a table of the warehouse lacks a column the schema has, or
    checks other accepted values than it does.

    `create table if not exists` leaves an older table as it was, and the next load would
    fail on the missing column in the middle of a run; this says so up front.
    """
    have = _columns(con)
    missing = sorted(
        f"{table}.{column}"
        for table, columns in expected_columns().items()
        for column in columns - have.get(table, set(columns))
    )
    live = _checks(con)
    # an older table accepts fewer values (a finding kind added since): the next load
    # would fail on its check in the middle of a run
    missing += sorted(
        f"{table} accepted values"
        for table, checks in expected_checks().items()
        if table in have and live.get(table, frozenset()) != checks
    )
    if missing:
        raise SchemaOutdated(
            "the warehouse was made by an older caselines and lacks "
            f"{', '.join(missing)}: ingest into a new --db file (or delete this one and "
            "ingest again)"
        )


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view that is missing, after checking that the tables already
    there have every column (SchemaOutdated); idempotent."""
    check_schema(con)
    for _name, sql in schema_sql() + view_sql():
        con.execute(sql)


def add_missing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Give a read-only connection the views its warehouse predates, as temporary views.

    A warehouse gets new views only when it is next opened for writing, so a report or query
    on one made by an older caselines would find, say, `patient_lines` missing. A temporary
    view lives in the connection alone: the file is not written. A view whose tables are
    missing or lack columns is left out (the reader then sees no such view, as before).
    Returns the names of the views added.
    """
    present = {
        name
        for (name,) in con.execute("select table_name from information_schema.tables").fetchall()
    }
    added = []
    for _name, sql in view_sql():
        found = _CREATE_VIEW.search(sql)
        if found is None or found.group(1) in present:
            continue
        temporary = _CREATE_VIEW.sub(
            lambda m: f"create or replace temp view {m.group(1)}", sql, count=1
        )
        try:
            con.execute(temporary)
        except duckdb.Error:
            continue
        added.append(found.group(1))
    return added
