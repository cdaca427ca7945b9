"""The cohort views (patient_lines, line_sequences, pfs_survival) on hand-built warehouses:
the patient's facts beside each line, drug classes per line, and the PFS censoring rules of
docs/rules.md ("PFS censoring")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.export.warehouse import DOC, case, event, exposure, insert, line, new_warehouse

MONTH_DAYS = 30.4375
"""documents.pfs_month_days of the hand-built document."""


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    rel = con.execute(sql)
    names = [d[0] for d in rel.description]
    return [dict(zip(names, r, strict=True)) for r in rel.fetchall()]


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Case 1: four lines. Line 1 progresses; line 2 has no event and line 3 starts after it;
    line 3 has no event and the next line has no start date, so its own end censors it;
    line 4, the last, has no event and the patient's last dated fact (a scan) is later."""
    con = new_warehouse(tmp_path / "w.duckdb")
    case(con, primary_site="sigmoid colon", cancer_type="colorectal", stage="IVA")
    line(con, 1, start_date=date(2020, 1, 1), pfs_event="progression",
         pfs_event_date=date(2020, 7, 1), pfs_months=6.0, drugs=["fluorouracil", "oxaliplatin"],
         regimen="FOLFOX", best_response="PR")  # fmt: skip
    line(con, 2, start_date=date(2020, 7, 15), end_date=date(2020, 12, 1),
         drugs=["irinotecan"])  # fmt: skip
    line(con, 3, start_date=date(2021, 2, 1), end_date=date(2021, 4, 1),
         drugs=["regorafenib"])  # fmt: skip
    line(con, 4, drugs=["trifluridine"], end_date=date(2021, 9, 1))
    for no, (drug, klass, line_no, role) in enumerate(
        [
            ("fluorouracil", "antimetabolite", 1, "antineoplastic"),
            ("oxaliplatin", "platinum", 1, "antineoplastic"),
            ("fluorouracil", "antimetabolite", 1, "antineoplastic"),
            ("ondansetron", "antiemetic", None, "supportive"),
            ("irinotecan", "topoisomerase inhibitor", 2, "antineoplastic"),
            ("regorafenib", None, 3, "antineoplastic"),
            ("trifluridine", "antimetabolite", 4, "antineoplastic"),
        ],
        start=1,
    ):
        exposure(con, no, drug=drug, drug_class=klass, line_no=line_no, role=role,
                 setting="metastatic" if role == "antineoplastic" else None)  # fmt: skip
    event(con, "imaging", event_date=date(2022, 3, 10))
    return con


def test_patient_lines_one_row_per_line_with_the_patient(con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(con, "select * from patient_lines")
    assert [r["line_no"] for r in rows] == [1, 2, 3, 4]
    first = rows[0]
    assert first["title"] == "A made-up colorectal case"
    assert first["doi"] == "10.0000/made-up"
    assert (first["age"], first["sex"], first["primary_site"]) == (61, "male", "sigmoid colon")
    assert (first["cancer_type"], first["stage"]) == ("colorectal", "IVA")
    assert first["regimen"] == "FOLFOX" and first["best_response"] == "PR"


def test_drug_classes_are_the_lines_antineoplastic_classes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    classes = con.execute("select drug_classes from patient_lines order by line_no").fetchall()
    assert [c[0] for c in classes] == [
        ["antimetabolite", "platinum"],  # distinct, sorted; the supportive antiemetic is not
        ["topoisomerase inhibitor"],
        [],  # no class known
        ["antimetabolite"],
    ]


def test_censoring_rules(con: duckdb.DuckDBPyConnection) -> None:
    got = con.execute(
        "select line_no, pfs_event, censored_on, censor_basis from patient_lines order by line_no"
    ).fetchall()
    assert got == [
        (1, "progression", None, None),
        (2, None, date(2021, 2, 1), "next_line_start"),
        (3, None, date(2021, 4, 1), "line_end"),  # line 4 has no start date
        (4, None, date(2022, 3, 10), "last_follow_up"),
    ]


def test_pfs_survival_times_and_events(con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(con, "select * from pfs_survival order by line_no")
    assert [(r["line_no"], r["event"]) for r in rows] == [(1, 1), (2, 0), (3, 0), (4, 0)]
    assert rows[0]["months"] == pytest.approx(
        (date(2020, 7, 1) - date(2020, 1, 1)).days / MONTH_DAYS
    )
    assert rows[1]["months"] == pytest.approx(
        (date(2021, 2, 1) - date(2020, 7, 15)).days / MONTH_DAYS
    )
    assert rows[1]["pfs_end_date"] == date(2021, 2, 1)
    assert rows[3]["months"] is None  # no start date: no time, enters no curve
    assert rows[0]["drug_classes"] == ["antimetabolite", "platinum"]


def test_death_is_an_event_and_an_undated_event_has_no_time(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path / "w.duckdb")
    case(con)
    case(con, case_id=2)
    line(con, 1, start_date=date(2020, 1, 1), pfs_event="death", pfs_event_date=date(2020, 3, 1))
    line(con, 1, case_id=2, start_date=date(2020, 1, 1), pfs_event="progression")
    rows = con.execute(
        "select case_id, event, months, pfs_end_date from pfs_survival order by case_id"
    ).fetchall()
    assert rows[0][1] == 1 and rows[0][2] == pytest.approx(60 / MONTH_DAYS)
    assert rows[1] == (2, 1, None, None)


def test_end_before_start_has_no_time(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path / "w.duckdb")
    case(con)
    line(con, 1, start_date=date(2020, 5, 1), end_date=date(2020, 4, 1))
    line(con, 2, drugs=["irinotecan"])  # no start date: line 1 is censored at its own end
    got = con.execute(
        "select censored_on, censor_basis from patient_lines where line_no = 1"
    ).fetchall()
    assert got == [(date(2020, 4, 1), "line_end")]
    assert con.execute("select months, event from pfs_survival where line_no = 1").fetchall() == [
        (None, 0)
    ]


def test_line_sequences_orders_regimens_and_class_labels(con: duckdb.DuckDBPyConnection) -> None:
    insert(con, "cases", doc_id=DOC, case_id=2, page=2, evidence="x")
    line(con, 1, case_id=2, regimen=None, drugs=["capecitabine", "oxaliplatin"])
    rows = _rows(con, "select * from line_sequences order by case_id")
    assert rows[0]["n_lines"] == 4
    assert rows[0]["regimens"] == ["FOLFOX", "irinotecan", "regorafenib", "trifluridine"]
    assert rows[0]["drug_classes"] == [
        "antimetabolite + platinum",
        "topoisomerase inhibitor",
        "unclassified",
        "antimetabolite",
    ]
    assert rows[0]["class_sequence"] == (
        "antimetabolite + platinum -> topoisomerase inhibitor -> unclassified -> antimetabolite"
    )
    assert rows[1]["regimens"] == ["capecitabine + oxaliplatin"]  # no regimen printed
    assert rows[1]["drug_classes"] == ["unclassified"]


def test_an_older_warehouse_gets_the_views_for_reading_only(tmp_path: Path) -> None:
    """A warehouse written before the cohort views: a read-only connection sees them as
    temporary views, and the file is not changed."""
    import load

    path = tmp_path / "old.duckdb"
    con = new_warehouse(path)
    case(con)
    line(con, 1, start_date=date(2020, 1, 1), end_date=date(2020, 6, 1))
    for view in ("patient_lines", "pfs_survival", "line_sequences"):
        con.execute(f"drop view {view}")
    con.close()
    reader = load.connect(path, read_only=True)
    assert reader.execute("select line_no, censor_basis from patient_lines").fetchall() == [
        (1, "last_follow_up")
    ]
    assert reader.execute("select count(*) from line_sequences").fetchone() == (1,)
    reader.close()
    raw = duckdb.connect(str(path), read_only=True)
    names = {
        r[0] for r in raw.execute("select table_name from information_schema.tables").fetchall()
    }
    raw.close()
    assert "patient_lines" not in names and "lines_of_therapy" in names


def test_a_line_censored_on_its_start_day_has_no_time(tmp_path: Path) -> None:
    """Nothing dated after the start of the last line: no follow-up, so no time; an event on
    the start day is still a time of 0."""
    con = new_warehouse(tmp_path / "w.duckdb")
    case(con)
    case(con, case_id=2)
    line(con, 1, start_date=date(2020, 5, 1))
    line(con, 1, case_id=2, start_date=date(2020, 5, 1), pfs_event="progression",
         pfs_event_date=date(2020, 5, 1))  # fmt: skip
    got = con.execute("select case_id, months, event from pfs_survival order by case_id")
    assert got.fetchall() == [(1, None, 0), (2, 0.0, 1)]
