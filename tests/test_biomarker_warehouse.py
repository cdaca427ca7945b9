"""Biomarkers in the warehouse: the case_biomarkers view's reading of a patient's results,
and the example queries that ask by biomarker (warehouse/queries/), on made-up records and
on the seed (docs/warehouse.md, 'biomarkers', 'case_biomarkers')."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

import load
from load.schema import example_queries
from tests.conftest import GOLD_YAML
from tests.factories import PROV, biomarker, extraction
from transform.records import CaseInfo


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return load.connect(tmp_path / "w.duckdb")


def _latest(con: duckdb.DuckDBPyConnection, marker: str) -> tuple[Any, ...] | None:
    return con.execute(
        "select status, result, n_results, changed from case_biomarkers where marker = ?",
        [marker],
    ).fetchone()


def test_an_equivocal_ihc_is_decided_by_ish_of_the_same_date(
    con: duckdb.DuckDBPyConnection,
) -> None:
    day = date(2016, 4, 2)
    results = (
        biomarker("HER2", "equivocal", order=3, on=day, value=2, value_type="ihc_score"),
        biomarker("HER2", "amplified", order=4, on=day, method="FISH"),
        biomarker("HER2", "positive", order=9, on=date(2019, 1, 5), value=3),
    )
    load.load_extraction(con, extraction(biomarkers=results), "v1")
    assert _latest(con, "HER2") == ("positive", "HER2 positive", 2, False)


def test_an_equivocal_ihc_of_another_date_stays_equivocal(con: duckdb.DuckDBPyConnection) -> None:
    results = (
        biomarker("HER2", "amplified", order=2, on=date(2015, 1, 1), method="FISH"),
        biomarker("HER2", "equivocal", order=7, on=date(2018, 6, 1)),
    )
    load.load_extraction(con, extraction(biomarkers=results), "v1")
    assert _latest(con, "HER2") == ("equivocal", "HER2 equivocal", 2, True)


def test_a_receptor_that_turned_is_changed(con: duckdb.DuckDBPyConnection) -> None:
    results = (
        biomarker("ER", "negative", order=1),
        biomarker("ER", "positive", order=5, value=60, value_type="percent"),
        biomarker("PR", "low", order=5, value=5, value_type="percent"),
    )
    load.load_extraction(con, extraction(biomarkers=results), "v1")
    assert _latest(con, "ER") == ("positive", "ER positive", 2, True)
    assert _latest(con, "PR") == ("low", "PR low", 1, False)


def _query(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    sql = dict(example_queries())[name]
    rel = con.execute(sql)
    cols = [d[0] for d in rel.description or []]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def test_lung_query_lists_drivers_first(con: duckdb.DuckDBPyConnection) -> None:
    lung = CaseInfo(case_id=1, age=70, sex="female", cancer_type="NSCLC", stage="IVB", prov=PROV)
    results = (
        biomarker("KRAS", "wild-type", order=2, method="NGS"),
        biomarker("EGFR", "mutated", order=2, method="NGS", variant="L858R"),
    )
    load.load_extraction(con, extraction(biomarkers=results, case=lung), "v1")
    rows = _query(con, "lung_cancer_by_driver.sql")
    assert [(r["marker"], r["status"], r["variant"]) for r in rows] == [
        ("EGFR", "mutated", "L858R"),
        ("KRAS", "wild-type", None),
    ]
    assert rows[0]["first_line_drugs"] == ["fluorouracil", "oxaliplatin"]


def test_lung_query_leaves_out_other_cancers(con: duckdb.DuckDBPyConnection) -> None:
    breast = CaseInfo(case_id=1, age=50, sex="female", cancer_type="breast", prov=PROV)
    results = (biomarker("EGFR", "mutated", order=1, method="NGS", variant="L858R"),)
    load.load_extraction(con, extraction(biomarkers=results, case=breast), "v1")
    assert _query(con, "lung_cancer_by_driver.sql") == []


def _gold_apatinib_lines() -> list[tuple[int, int]]:
    """The gold's lines with apatinib (rivoceranib) after a trastuzumab line that progressed."""
    gold = yaml.safe_load(GOLD_YAML.read_text(encoding="utf-8"))
    out = []
    for case in gold["cases"]:
        failed = [
            line["line"]
            for line in case["lines"]
            if "trastuzumab" in line["drugs"] and line.get("pfs_event") == "progression"
        ]
        out += [
            (case["case"], line["line"])
            for line in case["lines"]
            if "rivoceranib" in line["drugs"] and failed and line["line"] > min(failed)
        ]
    return out


def test_seed_cases_are_her2_positive(seed_db: Path) -> None:
    con = duckdb.connect(str(seed_db), read_only=True)
    rows = con.execute(
        "select case_id, status from case_biomarkers where marker = 'HER2' order by case_id"
    ).fetchall()
    assert rows == [(1, "positive"), (2, "positive")]


def test_her2_query_returns_the_seed_apatinib_lines(seed_db: Path) -> None:
    con = duckdb.connect(str(seed_db), read_only=True)
    rows = _query(con, "her2_positive_apatinib_after_trastuzumab.sql")
    expected = _gold_apatinib_lines()
    assert expected, "the gold names apatinib lines"
    assert [(r["case_id"], r["line_no"]) for r in rows] == expected
    assert {r["cancer_type"] for r in rows} == {"breast"}
