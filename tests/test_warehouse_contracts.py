"""Column contracts of the warehouse (docs/warehouse.md): every table and view with its columns,
keys unique, required columns not null, accepted values enforced."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import load
from load.schema import example_queries
from tests.factories import biomarker, extraction

RESULTS = (
    biomarker("HER2", "equivocal", order=1, value=2, value_type="ihc_score"),
    biomarker("EGFR", "mutated", order=2, method="NGS", variant="exon 19 deletion"),
)

SPEC_COLUMNS: dict[str, set[str]] = {
    "documents": {
        "doc_id",
        "path",
        "title",
        "doi",
        "journal",
        "year",
        "n_pages",
        "n_cases",
        "pfs_month_days",
        "pipeline_version",
        "ingested_at",
    },
    "cases": {
        "doc_id",
        "case_id",
        "age",
        "sex",
        "primary_site",
        "histology",
        "grade",
        "diagnosis_date",
        "death_date",
        "stage",
        "cancer_type",
        "advanced_onset_date",
        "advanced_onset_date_precision",
    },
    "drug_exposures": {
        "doc_id",
        "case_id",
        "setting",
        "line_no",
        "regimen",
        "drug",
        "drug_id",
        "drug_as_printed",
        "drug_class",
        "dose_amount",
        "dose_unit",
        "schedule",
        "start_date",
        "end_date",
        "cycles",
        "role",
        "page",
        "evidence",
    },
    "lines_of_therapy": {
        "doc_id",
        "case_id",
        "line_no",
        "regimen",
        "drugs",
        "start_date",
        "end_date",
        "best_response",
        "pfs_event",
        "pfs_event_date",
        "pfs_months_reported",
        "pfs_months",
        "pfs_consistent",
    },
    "assessments": {
        "doc_id",
        "case_id",
        "line_no",
        "assessed_on",
        "modality",
        "response",
        "page",
        "evidence",
    },
    "lesion_measurements": {
        "doc_id",
        "case_id",
        "measured_on",
        "site",
        "dim1_cm",
        "dim2_cm",
        "figure",
        "panel",
        "page",
        "evidence",
    },
    "adverse_events": {
        "doc_id",
        "case_id",
        "line_no",
        "event",
        "grade",
        "drug",
        "onset_date",
        "action",
        "page",
        "evidence",
    },
    "events": {"doc_id", "case_id", "event_date", "kind", "detail", "page", "evidence"},
    "mentions": {
        "doc_id",
        "case_id",
        "section",
        "kind",
        "text",
        "value",
        "negated",
        "uncertain",
        "page",
        "char_start",
        "char_end",
        "sentence",
    },
    "drug_mention_dispositions": {
        "doc_id",
        "case_id",
        "mention_no",
        "drug",
        "drug_as_printed",
        "role",
        "disposition",
        "reason",
        "exposure_no",
        "page",
        "evidence",
    },
    "biomarkers": {
        "doc_id",
        "case_id",
        "biomarker_no",
        "marker",
        "method",
        "result",
        "status",
        "value",
        "value_type",
        "variant",
        "specimen",
        "test_date",
        "test_date_precision",
        "negated",
        "page",
        "evidence",
    },
    "case_biomarkers": {
        "doc_id",
        "case_id",
        "marker",
        "status",
        "result",
        "test_date",
        "n_results",
        "changed",
        "evidence",
    },
    "drug_synonyms": {"drug_id", "drug", "synonym", "source"},
    "ingest_failures": {"path", "sha256", "stage", "error", "message", "failed_at"},
    "corrections_applied": {
        "doc_id",
        "correction_no",
        "case_id",
        "target_row",
        "target",
        "action",
        "field",
        "machine_value",
        "curated_value",
        "why",
        "made_by",
        "made_on",
        "status",
        "reason",
        "source",
    },
    "machine_events": {"doc_id", "case_id", "events"},
    "review_items": {"priority", "item", "doc_id", "case_id", "line_no", "page", "detail"},
    "pfs_by_line": {
        "doc_id",
        "case_id",
        "line_no",
        "regimen",
        "drugs",
        "start_date",
        "pfs_event_date",
        "pfs_months",
        "pfs_months_reported",
        "best_response",
    },
    "patient_lines": {
        "doc_id",
        "case_id",
        "title",
        "doi",
        "age",
        "sex",
        "primary_site",
        "histology",
        "cancer_type",
        "stage",
        "line_no",
        "regimen",
        "drugs",
        "drug_classes",
        "start_date",
        "end_date",
        "pfs_months",
        "pfs_event",
        "censored_on",
        "best_response",
        "page",
        "evidence",
    },
    "line_classes": {"doc_id", "case_id", "line_no", "drug_classes"},
    "line_sequences": {"doc_id", "case_id", "n_lines", "regimens", "drug_classes"},
    "pfs_survival": {"doc_id", "case_id", "line_no", "drug_classes", "months", "event"},
}


CURATED_TABLES = (
    "cases",
    "drug_exposures",
    "lines_of_therapy",
    "assessments",
    "lesion_measurements",
    "adverse_events",
    "events",
)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return load.connect(tmp_path / "w.duckdb")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall()]


@pytest.mark.parametrize("table", sorted(SPEC_COLUMNS))
def test_spec_columns_exist(con: duckdb.DuckDBPyConnection, table: str) -> None:
    missing = SPEC_COLUMNS[table] - set(_columns(con, table))
    assert not missing, f"{table} lacks {sorted(missing)}"


def test_view_columns_in_spec_order(con: duckdb.DuckDBPyConnection) -> None:
    assert _columns(con, "pfs_by_line") == [
        "doc_id",
        "case_id",
        "line_no",
        "regimen",
        "drugs",
        "start_date",
        "pfs_event_date",
        "pfs_months",
        "pfs_months_reported",
        "best_response",
    ]


def test_schema_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    before = con.execute("select count(*) from duckdb_tables()").fetchone()
    load.apply_schema(con)
    load.apply_schema(con)
    assert con.execute("select count(*) from duckdb_tables()").fetchone() == before


@pytest.mark.parametrize(
    ("table", "column", "bad"),
    [
        ("lines_of_therapy", "best_response", "'partial'"),
        ("lines_of_therapy", "pfs_event", "'relapse'"),
        ("drug_exposures", "setting", "'palliative'"),
        ("drug_exposures", "role", "'chemotherapy'"),
        ("mentions", "kind", "'gene'"),
        ("adverse_events", "grade", "7"),
        ("ingest_failures", "stage", "'upload'"),
        ("drug_mention_dispositions", "disposition", "'maybe'"),
        ("drug_mention_dispositions", "reason", "'forgotten'"),
        ("drug_mention_dispositions", "role", "'chemotherapy'"),
        ("audit_findings", "kind", "'named_twice'"),
        ("corrections_applied", "status", "'ignored'"),
        ("corrections_applied", "action", "'edit'"),
        ("corrections_applied", "target_row", "'regimen'"),
        ("biomarkers", "status", "'borderline'"),
        ("biomarkers", "value_type", "'index'"),
        ("biomarkers", "test_date_precision", "'week'"),
        ("cases", "advanced_onset_date_precision", "'week'"),
    ],
)
def test_accepted_values_enforced(
    con: duckdb.DuckDBPyConnection, table: str, column: str, bad: str
) -> None:
    load.load_extraction(con, extraction(biomarkers=RESULTS), "test")
    cols = _columns(con, table)
    # copy a valid row if there is one, else build one from defaults, then set the bad value
    if table == "ingest_failures":
        sql = (
            f"insert into ingest_failures (path, stage, error, message, failed_at) "
            f"values ('x', {bad}, 'e', 'm', now())"
        )
    elif table == "corrections_applied":
        values = {c: "null" for c in cols} | {
            "doc_id": "'d'",
            "correction_no": "1",
            "target_row": "'line'",
            "target": "'t'",
            "action": "'set'",
            "why": "'w'",
            "made_by": "'b'",
            "made_on": "date '2026-01-01'",
            "status": "'applied'",
            "source": "'f.yaml:1'",
        }
        values[column] = bad
        sql = f"insert into corrections_applied values ({', '.join(values[c] for c in cols)})"
    elif table == "adverse_events":
        sql = (
            f"insert into adverse_events (doc_id, case_id, event, grade, page, evidence) "
            f"values ('d', 1, 'rash', {bad}, 1, 's')"
        )
    else:
        select = ", ".join(bad if c == column else c for c in cols)
        if table in ("mentions", "drug_mention_dispositions"):
            select = select.replace("mention_no", "mention_no + 100")
        if table == "drug_exposures":
            select = select.replace("exposure_no", "exposure_no + 100")
        if table == "lines_of_therapy":
            select = select.replace("line_no", "line_no + 100")
        if table == "biomarkers":
            select = select.replace("biomarker_no", "biomarker_no + 100")
        if table == "cases":
            select = select.replace("case_id", "case_id + 100")
        sql = f"insert into {table} select {select} from {table} limit 1"
    with pytest.raises(duckdb.ConstraintException):
        con.execute(sql)


def test_keys_unique_and_required_not_null(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction(biomarkers=RESULTS), "test")
    assert con.execute("select count(*) from biomarkers").fetchone() == (2,)
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into biomarkers select * from biomarkers limit 1")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "insert into biomarkers (doc_id, case_id, biomarker_no, marker, result, negated, "
            "page, evidence) values ('d', 1, 99, null, 'x', false, 1, 's')"
        )
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into lines_of_therapy select * from lines_of_therapy limit 1")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "insert into drug_exposures (doc_id, case_id, exposure_no, episode, drug, "
            "drug_as_printed, page, evidence) values ('d', 1, 99, 1, null, 'x', 1, 's')"
        )
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "insert into drug_mention_dispositions select * from drug_mention_dispositions limit 1"
        )
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "insert into drug_mention_dispositions (doc_id, case_id, mention_no, drug, "
            "drug_as_printed, role, disposition, page, evidence) "
            "values ('d', 1, 99, 'x', 'x', 'other', 'not_given', 1, 's')"
        )


def test_curated_columns_and_correction_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Every table a correction can change marks its curated rows; machine events are one row
    per case; a correction's why, who and when are required."""
    for table in CURATED_TABLES:
        assert "curated" in _columns(con, table), table
    load.load_extraction(con, extraction(), "test")
    con.execute("insert into machine_events values ('d', 1, '{}')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into machine_events values ('d', 1, '{}')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "insert into corrections_applied (doc_id, correction_no, target_row, target, "
            "action, why, made_by, made_on, status, source) values "
            "('d', 1, 'line', 't', 'set', null, 'b', date '2026-01-01', 'applied', 's')"
        )


def test_reload_replaces_document_rows(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction(n_lines=3), "v1")
    load.load_extraction(con, extraction(n_lines=2), "v2")
    assert con.execute("select count(*) from lines_of_therapy").fetchone() == (2,)
    assert con.execute("select pipeline_version from documents").fetchall() == [("v2",)]


def test_failed_load_keeps_previous_rows(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction(n_lines=3), "v1")
    with pytest.raises(duckdb.ConstraintException):
        load.load_extraction(con, extraction(n_lines=1, finding_kind="bogus"), "v2")
    assert con.execute("select count(*) from lines_of_therapy").fetchone() == (3,)
    assert con.execute("select pipeline_version from documents").fetchall() == [("v1",)]


def test_changed_file_replaces_its_older_version(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction("a" * 64), "v1")
    load.load_extraction(con, extraction("b" * 64), "v1", replaces=["a" * 64])
    assert con.execute("select doc_id from documents").fetchall() == [("b" * 64,)]
    assert con.execute("select distinct doc_id from mentions").fetchall() == [("b" * 64,)]


def test_example_queries_answer_on_loaded_data(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction(n_lines=2), "v1")
    con.execute(
        "insert into drug_synonyms values ('DB00544', 'fluorouracil', 'fluorouracil', "
        "'test'), ('DB00544', 'fluorouracil', '5-fu', 'test')"
    )
    results = {name: con.execute(sql).fetchall() for name, sql in example_queries()}
    assert len(results) >= 5
    assert results["pfs_by_drug_class.sql"] == [("chemotherapy", 2, 2.0, 2.0)]
    assert results["lines_per_patient.sql"][0][4] == 2
    assert results["apatinib_after_trastuzumab_failed.sql"] == []
    assert results["her2_positive_apatinib_after_trastuzumab.sql"] == []


CENSOR_BASES = {"next_line_start", "last_follow_up", "line_end"}


def test_cohort_view_contracts(con: duckdb.DuckDBPyConnection) -> None:
    """patient_lines and pfs_survival: one row per line, keys not null, accepted values, and
    an event and a censoring date never together."""
    load.load_extraction(con, extraction(n_lines=3), "v1")
    load.load_extraction(con, extraction("e" * 64, n_lines=2), "v1")
    con.execute("update lines_of_therapy set pfs_event = null, pfs_event_date = null "
                "where line_no = 2")  # fmt: skip
    n_lines = con.execute("select count(*) from lines_of_therapy").fetchone()
    for view in ("patient_lines", "pfs_survival"):
        assert con.execute(f"select count(*) from {view}").fetchone() == n_lines
        assert (
            con.execute(
                f"select count(*) from (select distinct doc_id, case_id, line_no from {view})"
            ).fetchone()
            == n_lines
        )
        assert con.execute(
            f"select count(*) from {view} where doc_id is null or case_id is null "
            "or line_no is null or drug_classes is null"
        ).fetchone() == (0,)
    bases = {
        r[0] for r in con.execute("select distinct censor_basis from patient_lines").fetchall()
    }
    assert None in bases and bases - {None} <= CENSOR_BASES and bases - {None}
    assert con.execute(
        "select count(*) from patient_lines where (pfs_event is null) = (censor_basis is null) "
        "and censored_on is not null"
    ).fetchone() == (0,)
    assert {r[0] for r in con.execute("select distinct event from pfs_survival").fetchall()} == {
        0,
        1,
    }
    assert con.execute("select count(*) from pfs_survival where months < 0").fetchone() == (0,)
    assert con.execute("select sum(n_lines) from line_sequences").fetchone() == n_lines
    # one class row per line holding an antineoplastic exposure, keyed by its line
    assert (
        con.execute(
            "select count(*) from (select distinct doc_id, case_id, line_no from line_classes)"
        ).fetchone()
        == con.execute("select count(*) from line_classes").fetchone()
    )
    assert con.execute(
        "select count(*) from line_classes c anti join lines_of_therapy l "
        "using (doc_id, case_id, line_no)"
    ).fetchone() == (0,)
