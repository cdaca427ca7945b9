"""SQL of the exports, read from the package's .sql files (importlib.resources)."""

from __future__ import annotations

from importlib import resources

import duckdb


def sql_file(*parts: str) -> str:
    """The text of export/<parts...>.sql."""
    return resources.files("export").joinpath(*parts).read_text(encoding="utf-8")


def sql_files(*folder: str) -> list[tuple[str, str]]:
    """(file stem, SQL) of every .sql file in export/<folder...>, in file-name order."""
    root = resources.files("export").joinpath(*folder)
    files = sorted((p for p in root.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def run_script(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run every statement of a script, one at a time."""
    for statement in duckdb.extract_statements(sql):
        con.execute(statement)
