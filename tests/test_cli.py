"""The command line against a real warehouse: ingest, query formats, read-only refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import load
from flows.cli import app
from load.schema import example_queries
from tests.conftest import SEED_PDF
from tests.factories import extraction

runner = CliRunner()


def _query(db: Path, sql: str, fmt: str = "json") -> list[dict[str, object]]:
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", fmt])
    assert result.exit_code == 0, result.output
    parsed: list[dict[str, object]] = json.loads(result.stdout)
    return parsed


def test_query_counts_documents_as_json(seed_db: Path) -> None:
    result = runner.invoke(
        app,
        ["query", "select count(*) as n from documents", "--db", str(seed_db), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == '[{"n": 1}]'


def test_query_csv_has_header_and_rows(seed_db: Path) -> None:
    result = runner.invoke(
        app,
        [
            "query",
            "select case_id from cases order by case_id",
            "--db",
            str(seed_db),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "case_id"
    assert len(lines) >= 2


@pytest.mark.parametrize(
    "sql",
    [
        "drop table documents",
        "delete from documents",
        "insert into cases (doc_id, case_id) values ('x', 9)",
        "select 1; drop table documents",
    ],
)
def test_query_refuses_writes(seed_db: Path, sql: str) -> None:
    result = runner.invoke(app, ["query", sql, "--db", str(seed_db)])
    assert result.exit_code == 2
    assert "refused" in result.output
    assert _query(seed_db, "select count(*) as n from documents") == [{"n": 1}]


def test_query_reports_sql_errors_cleanly(seed_db: Path) -> None:
    result = runner.invoke(app, ["query", "select nope from documents", "--db", str(seed_db)])
    assert result.exit_code == 1
    assert "SQL error" in result.output


def test_query_without_warehouse_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "select 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no warehouse" in result.output


@pytest.mark.parametrize(("name", "sql"), example_queries())
def test_example_queries_run_on_the_seed(seed_db: Path, name: str, sql: str) -> None:
    result = runner.invoke(app, ["query", sql, "--db", str(seed_db), "--format", "json"])
    assert result.exit_code == 0, f"{name}: {result.output}"
    assert isinstance(json.loads(result.stdout), list)


@pytest.mark.slow
def test_ingest_twice_adds_no_rows(prefect_harness: None, tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.pdf").write_bytes(SEED_PDF.read_bytes())
    first = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert first.exit_code == 0, first.output
    counts_sql = (
        "select (select count(*) from documents) as d, (select count(*) from mentions) as m, "
        "(select count(*) from drug_exposures) as e, (select count(*) from lines_of_therapy) as l"
    )
    before = _query(db, counts_sql)
    assert before[0]["d"] == 1
    second = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "nothing new" in second.output
    # a renamed copy of the same bytes is the same document
    (corpus / "a.pdf").rename(corpus / "renamed.pdf")
    third = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert third.exit_code == 0, third.output
    assert _query(db, counts_sql) == before


def test_ingest_missing_path_is_refused_and_not_recorded(tmp_path: Path) -> None:
    """A typo is the user's, not a PDF's failure: one line, exit 2, no warehouse row."""
    db = tmp_path / "x.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing"), "--db", str(db)])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert not db.exists()


def test_workers_default_to_the_cpus_this_process_may_use() -> None:
    from flows.settings import DEFAULT_WORKERS, available_cpus

    assert DEFAULT_WORKERS == available_cpus() >= 1
    result = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert f"[default: {DEFAULT_WORKERS}]" in result.output


@pytest.mark.slow
def test_bad_pdfs_print_one_warning_line_each_and_no_error_tracebacks(tmp_path: Path) -> None:
    """What a user sees on the terminal: the real command in its own process, Prefect's
    ephemeral server included. One WARNING per bad PDF, no ERROR lines, failures summarised."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = ROOT / "tests" / "fixtures" / "robust" / "ada-00.pdf"
    (corpus / "good.pdf").write_bytes(good.read_bytes())
    (corpus / "notes.pdf").write_text("not a PDF at all", encoding="utf-8")
    (corpus / "cut.pdf").write_bytes(good.read_bytes()[:2000])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "ingest", str(corpus), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    lines = (done.stdout + done.stderr).splitlines()
    assert done.returncode == 1, "\n".join(lines)
    assert not [x for x in lines if "ERROR" in x or "Traceback" in x], "\n".join(lines)
    warnings = [x for x in lines if "WARNING" in x]
    assert len(warnings) == 2, "\n".join(lines)
    assert any("notes.pdf failed at extract (not_a_pdf)" in w for w in warnings)
    assert any("cut.pdf failed at extract (corrupt)" in w for w in warnings)
    summary = [x for x in lines if x.startswith("failed ")]
    assert sorted(s.split()[1].rsplit("/", 1)[-1] for s in summary) == ["cut.pdf", "notes.pdf"]
    assert "3 found, 1 loaded, 0 unchanged, 2 failed" in done.stdout


def test_audit_lists_drugs_named_but_not_given(tmp_path: Path) -> None:
    """`caselines audit` prints the named_not_given findings beside the others."""
    db = tmp_path / "w.duckdb"
    con = load.connect(db)
    load.load_extraction(con, extraction(finding_kind="named_not_given"), "test")
    con.close()
    result = runner.invoke(app, ["audit", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "named_not_given" in result.output
    as_json = runner.invoke(app, ["audit", "--db", str(db), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert [row["kind"] for row in json.loads(as_json.output)] == ["named_not_given"]
