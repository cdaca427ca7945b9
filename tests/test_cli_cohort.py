"""`caselines cohort` and `caselines km`, run as real commands in a subprocess against a
hand-built cohort warehouse (tests/cohort_warehouse.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cohort_warehouse import CASES, build, expected_lines

COMMAND = [sys.executable, "-c", "from flows.cli import main; main()"]
TIMEOUT_S = 120


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=TIMEOUT_S, env=env, check=False
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cohort") / "cohort.duckdb")


def test_cohort_json_is_one_object_per_line(db: Path) -> None:
    done = run("cohort", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == expected_lines()
    assert {(r["doc_id"], r["case_id"], r["line_no"]) for r in rows} == {
        (c.doc, c.case_id, n) for c in CASES for n in range(1, len(c.lines) + 1)
    }
    first = rows[0]
    assert first["primary_site"] == "breast" and first["drug_classes"] == [
        "anti-HER2 antibody",
        "taxane",
    ]


def test_cohort_where_filters_and_csv_has_a_header(db: Path) -> None:
    done = run(
        "cohort", "--db", str(db), "--format", "csv",
        "--where", "list_contains(drugs, 'capecitabine') and line_no >= 2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    wanted = [
        (c.case_id, n)
        for c in CASES
        for n, spec in enumerate(c.lines, start=1)
        if "capecitabine" in spec.drugs and n >= 2
    ]
    assert [(int(r["case_id"]), int(r["line_no"])) for r in rows] == wanted
    assert "censored_on" in rows[0]


def test_cohort_table_prints_the_lines(db: Path) -> None:
    done = run("cohort", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"{expected_lines()} line(s) of therapy" in done.stdout
    assert "FOLFOX" in done.stdout


def test_cohort_bad_where_is_one_error_line(db: Path) -> None:
    done = run("cohort", "--db", str(db), "--where", "no_such_column = 1")
    assert done.returncode == 1
    assert done.stderr.startswith("SQL error:") and len(done.stderr.strip().splitlines()) == 1


def test_cohort_refuses_a_second_statement(db: Path) -> None:
    done = run("cohort", "--db", str(db), "--where", "true); drop table cases; select (1")
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("refused:")


@pytest.mark.parametrize("by", ["line", "drug_class"])
def test_km_writes_svg_and_prints_medians(db: Path, tmp_path: Path, by: str) -> None:
    out = tmp_path / "km.svg"
    done = run("km", "--by", by, "--out", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "At risk" in svg
    assert "median months" in done.stdout
    label = "Line 1" if by == "line" else "antimetabolite"
    assert label in done.stdout and label in svg


def test_km_writes_png(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "km.png"
    done = run("km", "--by", "line", "--out", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_km_refuses_another_format_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "km.pdf"
    done = run("km", "--out", str(out), "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and ".svg or .png" in done.stderr
    assert not out.exists()


def test_km_missing_warehouse_is_one_error_line(tmp_path: Path) -> None:
    done = run("km", "--out", str(tmp_path / "km.svg"), "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode == 2
    assert "warehouse not found" in done.stderr


@pytest.mark.slow
def test_seed_cohort_has_every_line_and_km_draws_it(seed_db: Path, tmp_path: Path) -> None:
    """The one end-to-end check: the seed article ingested, then both commands on it."""
    import duckdb

    con = duckdb.connect(str(seed_db), read_only=True)
    keys = con.execute("select doc_id, case_id, line_no from lines_of_therapy").fetchall()
    con.close()
    done = run("cohort", "--db", str(seed_db), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert keys and sorted((r["doc_id"], r["case_id"], r["line_no"]) for r in rows) == sorted(keys)
    out = tmp_path / "km.svg"
    done = run("km", "--by", "line", "--out", str(out), "--db", str(seed_db))
    assert done.returncode == 0, done.stderr
    assert "Line 1" in done.stdout and "At risk" in out.read_text(encoding="utf-8")
