"""The report renders, with a clear note, whatever is missing from the warehouse."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

import load
from report import write_report
from report.read import WarehouseNotFoundError
from tests.report.builder import insert
from tests.report.html_parse import parse, svg_groups, svg_root

DOC = "cd" * 32


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    load.apply_schema(con)
    return con


def _document(con: duckdb.DuckDBPyConnection, n_cases: int) -> None:
    insert(con, "documents", {
        "doc_id": DOC, "path": "x.pdf", "title": "A case", "n_pages": 3, "n_cases": n_cases,
        "pfs_month_days": 30.4375, "pipeline_version": "t", "ingested_at": datetime(2024, 1, 1),
    })  # fmt: skip


def _line(con: duckdb.DuckDBPyConnection, case_id: int, line_no: int, **cols: object) -> None:
    insert(con, "lines_of_therapy", {
        "doc_id": DOC, "case_id": case_id, "line_no": line_no, "drugs": ["oxaliplatin"],
        "regimen": "FOLFOX", "page": 2, "evidence": "FOLFOX was started.", **cols,
    })  # fmt: skip


def test_empty_warehouse_says_no_data(tmp_path: Path) -> None:
    _warehouse(tmp_path / "w.duckdb").close()
    index = write_report(tmp_path / "w.duckdb", tmp_path / "out")
    assert "no-documents" in parse(index).ids
    assert not list((tmp_path / "out" / "cases").iterdir())


def test_warehouse_without_schema_says_no_data(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "bare.duckdb")).close()
    index = write_report(tmp_path / "bare.duckdb", tmp_path / "out")
    assert "no-documents" in parse(index).ids


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseNotFoundError, match="warehouse not found"):
        write_report(tmp_path / "nope.duckdb", tmp_path / "out")
    assert not (tmp_path / "nope.duckdb").exists(), "opening read-only must not create it"


def test_document_without_cases(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    _document(con, n_cases=0)
    con.close()
    html = write_report(tmp_path / "w.duckdb", tmp_path / "out").read_text(encoding="utf-8")
    assert "No data: no case presentation was found in this document." in html


def test_case_without_lines_and_lines_without_dates(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    _document(con, n_cases=2)
    for case_id in (1, 2):
        insert(con, "cases", {"doc_id": DOC, "case_id": case_id, "age": 60, "sex": "male"})
    _line(con, 2, 1)  # no dates at all
    _line(con, 2, 2, start_date=date(2021, 3, 1))  # start only: a stub, end unknown
    _line(con, 2, 3, start_date=date(2021, 9, 1), end_date=date(2022, 1, 5))  # no PFS date
    con.close()
    index = write_report(tmp_path / "w.duckdb", tmp_path / "out")
    slug = DOC[:12]
    case1 = (index.parent / f"cases/{slug}-case-1.html").read_text(encoding="utf-8")
    assert 'id="no-plot"' in case1
    assert "No lines of therapy recorded for this case." in case1
    case2 = index.parent / f"cases/{slug}-case-2.html"
    assert "Line 1: no start date, not drawn." in case2.read_text(encoding="utf-8")
    root = svg_root(case2)
    assert [g.get("id") for g in svg_groups(root, r"c2-line-\d+")] == ["c2-line-2", "c2-line-3"]


def test_dollar_signs_in_a_regimen_are_printed_not_typeset(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb")
    _document(con, n_cases=1)
    _line(con, 1, 1, regimen="drug $X$ at $5", start_date=date(2021, 3, 1),
          pfs_event="progression", pfs_event_date=date(2021, 6, 1), pfs_months=3.0)  # fmt: skip
    con.close()
    index = write_report(tmp_path / "w.duckdb", tmp_path / "out")
    html = (index.parent / f"cases/{DOC[:12]}-case-1.html").read_text(encoding="utf-8")
    assert "L1  drug $X$ at $5" in html


def test_report_imports_neither_prefect_nor_spacy() -> None:
    code = (
        "import sys, report; "
        "bad = [m for m in ('prefect', 'spacy') if m in sys.modules]; "
        "print(*bad, file=sys.stderr); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"report imports {result.stderr.strip()}"
