"""Bad input to `caselines export`: a missing warehouse, an output folder that holds files
or is a file, an export failing half-way. Each is one line and an exit code; nothing the
user had is touched and no partial output is left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import export.output
from flows.cli import app
from tests.export import warehouse as wh

runner = CliRunner()
EXPORTS = (["export", "omop"], ["export", "omop", "--format", "parquet"], ["export", "parquet"])


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = wh.new_warehouse(path)
    wh.case(con)
    wh.exposure(con, 1, line_no=1)
    wh.line(con, 1)
    con.close()
    return path


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("command", EXPORTS)
def test_a_missing_warehouse_is_one_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, [*command, "--out", str(out), "--db", str(tmp_path / "no.duckdb")])
    assert result.exit_code == 2
    assert "no warehouse at" in _one_line(result.stderr)
    assert not out.exists()
    assert not (tmp_path / "no.duckdb").exists()


@pytest.mark.parametrize("command", EXPORTS)
def test_a_folder_with_files_is_refused_and_kept(
    tmp_path: Path, db: Path, command: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    result = runner.invoke(app, [*command, "--out", str(out), "--db", str(db)])
    assert result.exit_code == 2
    assert "not an empty folder" in _one_line(result.stderr)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert (out / "mine.txt").read_text() == "keep me"


def test_a_file_as_output_is_refused(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("x")
    result = runner.invoke(app, ["export", "omop", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 2
    assert out.read_text() == "x"


def test_an_empty_folder_is_filled(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["export", "omop", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (out / "person.csv").is_file()
    assert (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "w.duckdb"]


def test_a_failure_half_way_leaves_no_output(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_copy = export.output.copy_to
    calls: list[Path] = []

    def failing_copy(con: object, select_sql: str, path: Path, file_format: str) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real_copy(con, select_sql, path, file_format)  # type: ignore[arg-type]

    monkeypatch.setattr("export.to_omop.copy_to", failing_copy)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="disk full"):
        export.export_omop(db, out)
    assert len(calls) == 3
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_the_warehouse_is_not_changed(tmp_path: Path, db: Path) -> None:
    before = db.read_bytes()
    result = runner.invoke(app, ["export", "omop", "--out", str(tmp_path / "o"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["export", "parquet", "--out", str(tmp_path / "p"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", EXPORTS)
def test_a_file_that_is_not_a_warehouse_is_one_line_and_exit_2(
    tmp_path: Path, command: list[str]
) -> None:
    not_db = tmp_path / "notes.duckdb"
    not_db.write_text("these are my notes, not a database\n")
    out = tmp_path / "out"
    result = runner.invoke(app, [*command, "--out", str(out), "--db", str(not_db)])
    assert result.exit_code == 2
    assert _one_line(result.stderr) == "error: --db is not a DuckDB database (is --db right?)"
    assert not out.exists()
    assert not_db.read_text() == "these are my notes, not a database\n"


def test_the_cli_formats_are_the_exports_formats() -> None:
    from export import OmopFormat
    from flows.cli import OmopFileFormat

    assert [f.value for f in OmopFileFormat] == [f.value for f in OmopFormat]


def test_a_case_left_out_is_named_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = wh.new_warehouse(db)
    wh.case(con, 1)
    wh.case(con, 2, age=None)
    con.close()
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "omop", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "skipped case 2 of c0ffee000000: no age printed" in _one_line(result.stderr)
    assert "person 1," in result.stdout


def test_an_output_under_a_file_is_one_line_and_exit_1(tmp_path: Path, db: Path) -> None:
    a_file = tmp_path / "report.txt"
    a_file.write_text("mine")
    result = runner.invoke(app, ["export", "omop", "--out", str(a_file / "out"), "--db", str(db)])
    assert result.exit_code == 1
    assert _one_line(result.stderr).startswith("cannot write:")
    assert a_file.read_text() == "mine"
