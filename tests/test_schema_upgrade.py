"""A warehouse made by an older caselines: said up front, in one line, and left untouched."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from load import SchemaOutdated, apply_schema, check_schema

runner = CliRunner()


def _old_warehouse(path: Path, drop: tuple[tuple[str, str], ...]) -> None:
    con = duckdb.connect(str(path))
    apply_schema(con)
    con.execute("drop view if exists pfs_by_line")
    for table, column in drop:
        con.execute(f"alter table {table} drop column {column}")
    con.execute("insert into warehouse_meta (key, value) values ('made_by', 'an older caselines')")
    con.close()


def test_a_fresh_warehouse_passes_the_check(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    apply_schema(con)
    check_schema(con)
    apply_schema(con)
    con.close()


def test_missing_columns_are_named(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _old_warehouse(db, (("drug_exposures", "role"), ("cases", "grade")))
    con = duckdb.connect(str(db))
    with pytest.raises(SchemaOutdated, match=r"cases\.grade, drug_exposures\.role"):
        apply_schema(con)
    con.close()


def test_ingest_into_an_old_warehouse_is_one_error_line_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.duckdb"
    _old_warehouse(db, (("drug_exposures", "role"),))
    before = db.read_bytes()
    result = runner.invoke(app, ["ingest", str(tmp_path / "none.pdf"), "--db", str(db)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "drug_exposures.role" in lines[0]
    assert db.read_bytes() == before


def test_a_table_accepting_fewer_values_is_named(tmp_path: Path) -> None:
    """An audit_findings made before a finding kind was added would refuse it mid-run."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    apply_schema(con)
    con.execute("drop table audit_findings")
    con.execute(
        "create table audit_findings (doc_id varchar not null, case_id integer, "
        "line_no integer, kind varchar not null check (kind in ('pfs_mismatch')), "
        "message varchar not null, reported varchar, computed varchar, page integer, "
        "evidence varchar)"
    )
    with pytest.raises(SchemaOutdated, match=r"audit_findings accepted values"):
        check_schema(con)


def test_a_warehouse_from_before_biomarkers_is_refused_naming_the_case_columns(
    tmp_path: Path,
) -> None:
    """Made before cases had a stage, a cancer type and an advanced onset, and before the
    biomarkers table: the new case columns are named; the missing table itself is no error."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    apply_schema(con)
    con.execute("drop view case_biomarkers")
    con.execute("drop table biomarkers")
    check_schema(con)  # a table that is missing is simply created
    for column in ("stage", "cancer_type", "advanced_onset_date", "advanced_onset_date_precision"):
        con.execute(f"alter table cases drop column {column}")
    with pytest.raises(SchemaOutdated) as refused:
        apply_schema(con)
    message = str(refused.value)
    for column in ("stage", "cancer_type", "advanced_onset_date", "advanced_onset_date_precision"):
        assert f"cases.{column}" in message
    assert con.execute(
        "select count(*) from information_schema.tables where table_name = 'biomarkers'"
    ).fetchone() == (0,)
    con.close()
