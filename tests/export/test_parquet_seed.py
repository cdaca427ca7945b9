"""`caselines export parquet` on the seed: one file per warehouse table and view, each
giving back exactly the relation's rows, and a manifest of row counts and versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.export.cdm import manifest, rows

runner = CliRunner()


@pytest.fixture(scope="module")
def parquet_out(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "pq"
    result = runner.invoke(app, ["export", "parquet", "--out", str(out), "--db", str(seed_db)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def warehouse(seed_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(seed_db), read_only=True)
    yield con
    con.close()


def test_every_table_and_view_has_a_file(
    parquet_out: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    relations = rows(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_type in ('BASE TABLE', 'VIEW')",
    )
    names = {str(r[0]) for r in relations}
    assert {"cases", "drug_exposures", "lines_of_therapy", "mentions", "pfs_by_line"} <= names
    listed = {entry["name"]: entry["file"] for entry in manifest(parquet_out)["files"]}
    assert set(listed) == names
    assert all((parquet_out / f).is_file() for f in listed.values())


def test_each_file_gives_back_the_relations_rows(
    parquet_out: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    for entry in manifest(parquet_out)["files"]:
        name, path = entry["name"], str(parquet_out / entry["file"])
        (count,) = rows(warehouse, f"select count(*) from {name}")[0]
        assert entry["rows"] == count, name
        assert rows(warehouse, "select count(*) from read_parquet(?)", path) == [(count,)]
        for left, right in (
            (f"select * from {name}", "select * from read_parquet(?)"),
            ("select * from read_parquet(?)", f"select * from {name}"),
        ):
            missing = rows(warehouse, f"select count(*) from ({left} except all {right})", path)
            assert missing == [(0,)], (name, left)


def test_types_survive_the_round_trip(
    parquet_out: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    for name in ("lines_of_therapy", "drug_exposures", "documents", "mentions"):
        path = str(parquet_out / f"{name}.parquet")
        table = rows(warehouse, f"select column_name, column_type from (describe {name})")
        parquet = rows(
            warehouse,
            "select column_name, column_type from (describe select * from read_parquet(?))",
            path,
        )
        assert parquet == table, name


def test_manifest_names_the_pipeline_versions(
    parquet_out: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    versions = [
        str(v) for (v,) in rows(warehouse, "select distinct pipeline_version from documents")
    ]
    found = manifest(parquet_out)
    assert found["pipeline_versions"] == sorted(versions)
    assert found["export"] == "parquet"
