"""End to end on a case report the rules were not written against: a colorectal cancer
patient (FOLFOX, a refused drug, progression, FOLFIRI), typeset as a PDF by the test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from tests.pdfmaker import case_report_pdf

SECTIONS = [
    (
        "Abstract",
        "We report a case of metastatic colorectal cancer treated with two lines of chemotherapy.",
    ),
    (
        "Introduction",
        "Colorectal cancer is common. Bevacizumab and cetuximab are often added "
        "to chemotherapy in the metastatic setting.",
    ),
    (
        "Case presentation",
        "A 58-year-old man presented with rectal bleeding in January 2019. "
        "Computed tomography (CT) on February 2, 2019, showed a sigmoid mass with multiple liver "
        "metastases. On March 4, 2019, he started FOLFOX (oxaliplatin 85 mg/m2 d1, leucovorin "
        "400 mg/m2 d1 and fluorouracil 2400 mg/m2 CIV 46 h, q2w). He refused bevacizumab. After "
        "6 cycles, CT on June 10, 2019, showed a partial response. On January 15, 2020, CT "
        "showed disease progression with new liver lesions. On January 28, 2020, he was treated "
        "with FOLFIRI (irinotecan 180 mg/m2 d1, leucovorin and fluorouracil, q2w). Grade 3 "
        "neutropenia occurred after the second cycle of FOLFIRI. CT on August 3, 2020, showed "
        "progressive disease.",
    ),
    (
        "Discussion",
        "Regorafenib and trifluridine/tipiracil are options after progression on FOLFIRI.",
    ),
]


@pytest.fixture(scope="module")
def unseen_db(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    from flows.ingest import ingest_flow

    folder = tmp_path_factory.mktemp("unseen")
    pdf = case_report_pdf(
        folder / "crc.pdf", "Metastatic colorectal cancer: a case report", SECTIONS
    )
    db = folder / "w.duckdb"
    summary = ingest_flow(paths=[str(pdf)], db=str(db))
    assert summary.failed == 0, summary.failures
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.mark.slow
def test_refused_drug_is_a_negated_mention_not_an_exposure(
    unseen_db: duckdb.DuckDBPyConnection,
) -> None:
    given = {r[0] for r in unseen_db.execute("select drug from drug_exposures").fetchall()}
    assert "bevacizumab" not in given
    rows = unseen_db.execute(
        "select negated, case_id from mentions where kind = 'drug' and lower(text) = 'bevacizumab'"
    ).fetchall()
    assert (True, 1) in rows


@pytest.mark.slow
def test_drugs_named_only_in_the_discussion_are_not_exposures(
    unseen_db: duckdb.DuckDBPyConnection,
) -> None:
    given = {r[0] for r in unseen_db.execute("select drug from drug_exposures").fetchall()}
    assert not given & {"regorafenib", "cetuximab", "trifluridine", "tipiracil"}
    sections = {
        r[0]
        for r in unseen_db.execute(
            "select section from mentions where kind = 'drug' and lower(text) = 'regorafenib'"
        ).fetchall()
    }
    assert sections == {"discussion"}


@pytest.mark.slow
def test_two_lines_with_their_dates_and_pfs(unseen_db: duckdb.DuckDBPyConnection) -> None:
    lines = unseen_db.execute(
        "select line_no, drugs, start_date, pfs_event, pfs_event_date, best_response "
        "from lines_of_therapy order by line_no"
    ).fetchall()
    assert [(ln[0], set(ln[1]), ln[2]) for ln in lines] == [
        (1, {"oxaliplatin", "leucovorin", "fluorouracil"}, date(2019, 3, 4)),
        (2, {"irinotecan", "leucovorin", "fluorouracil"}, date(2020, 1, 28)),
    ]
    assert [(ln[3], ln[4]) for ln in lines] == [
        ("progression", date(2020, 1, 15)),
        ("progression", date(2020, 8, 3)),
    ]
    assert lines[0][5] == "PR"


@pytest.mark.slow
def test_doses_dates_and_adverse_event(unseen_db: duckdb.DuckDBPyConnection) -> None:
    doses = {
        (r[0], r[1], r[2])
        for r in unseen_db.execute(
            "select drug, dose_amount, dose_unit from drug_exposures where dose_amount is not null"
        ).fetchall()
    }
    assert {("oxaliplatin", 85.0, "mg/m2"), ("irinotecan", 180.0, "mg/m2")} <= doses
    case = unseen_db.execute("select age, sex from cases").fetchall()
    assert case == [(58, "male")]
    dates = {
        json.loads(r[0])["value"]
        for r in unseen_db.execute("select value from mentions where kind = 'date'").fetchall()
    }
    assert {"2019-02-02", "2019-03-04", "2020-01-15", "2020-01-28"} <= dates
    aes = unseen_db.execute("select event, grade from adverse_events").fetchall()
    assert any("neutropenia" in e and g == 3 for e, g in aes)
