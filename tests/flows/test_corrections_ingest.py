"""Corrections end to end on the seed article: recorded with `caselines correct`, kept by
`ingest --force` and by a new pipeline version, listed by `caselines review` (slow: ingests)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest import ingest_flow
from tests.conftest import SEED_PDF

pytestmark = pytest.mark.slow
runner = CliRunner()
MOVED_PD = "2013-03-20"
"""A progression date for case 1 line 2 inside the line (before line 3 starts on 2013-04-12)."""


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


LINE_2 = (
    "select pfs_event_date::varchar, pfs_months, curated from lines_of_therapy "
    "where case_id = 1 and line_no = 2"
)
PFS_VIEW = "select pfs_months from pfs_by_line where case_id = 1 and line_no = 2"


@pytest.fixture(scope="module")
def corrected(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed warehouse with two corrections made through the command line."""
    db = tmp_path_factory.mktemp("corrected") / "w.duckdb"
    shutil.copy(seed_db, db)
    doc = _rows(db, "select doc_id from documents")[0][0]
    assert isinstance(doc, str)
    moved = runner.invoke(
        app,
        [
            "correct",
            doc[:10],
            "--case",
            "1",
            "--line",
            "2",
            "--set",
            f"progression={MOVED_PD}",
            "--why",
            "CT on March 20, 2013 showed PD",
            "--by",
            "tester",
            "--db",
            str(db),
        ],
    )
    assert moved.exit_code == 0, moved.output
    dropped = runner.invoke(
        app,
        [
            "correct",
            doc[:10],
            "--case",
            "2",
            "--drop-exposure",
            "pertuzumab",
            "--why",
            "test: pertuzumab was not given",
            "--by",
            "tester",
            "--db",
            str(db),
        ],
    )
    assert dropped.exit_code == 0, dropped.output
    return db


def test_a_corrected_progression_changes_pfs_months_and_pfs_by_line(
    seed_db: Path, corrected: Path
) -> None:
    machine = _rows(seed_db, LINE_2)
    assert machine[0][:2] == ("2013-04-02", 11.2)
    [(event_date, months, why)] = _rows(corrected, LINE_2)
    assert event_date == MOVED_PD
    [(month_days,)] = _rows(corrected, "select pfs_month_days from documents")
    assert isinstance(month_days, float)
    assert months == round(322 / month_days, 1) and months != 11.2  # 2012-05-02 to 2013-03-20
    assert why == "CT on March 20, 2013 showed PD"
    assert _rows(corrected, PFS_VIEW) == [(months,)]
    applied = _rows(
        corrected,
        "select field, machine_value, curated_value, status from corrections_applied "
        "where correction_no = 1",
    )
    assert applied == [("progression", "2013-04-02", MOVED_PD, "applied")]


def test_dropping_the_drug_of_a_line_leaves_it_without_it(seed_db: Path, corrected: Path) -> None:
    sql = "select drugs from lines_of_therapy where case_id = 2 order by line_no"
    before = [r[0] for r in _rows(seed_db, sql)]
    after = [r[0] for r in _rows(corrected, sql)]
    assert ["paclitaxel", "pertuzumab", "trastuzumab"] in before
    assert all("pertuzumab" not in drugs for drugs in after)  # type: ignore[operator]


def test_corrections_survive_force_and_a_new_pipeline_version(corrected: Path) -> None:
    for run in ({"force": True}, {"pipeline_version": "corrections-test"}):
        summary = ingest_flow(paths=[str(SEED_PDF)], db=str(corrected), workers=1, **run)
        assert summary.loaded == 1, summary
        assert _rows(corrected, LINE_2)[0][0] == MOVED_PD
        assert _rows(corrected, "select count(*) from corrections_applied") == [(2,)]


def test_a_stale_correction_is_reported_and_not_applied(corrected: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(corrected, db)
    folder = Path(f"{corrected}.corrections")
    shutil.copytree(folder, Path(f"{db}.corrections"))
    [path] = Path(f"{db}.corrections").glob("*.yaml")
    # the pipeline 'now finds' another line 2: the key names drugs line 2 does not have
    path.write_text(
        path.read_text(encoding="utf-8").replace("- afatinib\n", "- lapatinib\n"), encoding="utf-8"
    )
    before = _rows(db, "select pfs_event_date::varchar from lines_of_therapy where case_id = 1")
    summary = ingest_flow(paths=[str(SEED_PDF)], db=str(db), workers=1, force=True)
    [warning] = [w for w in summary.warnings if "stale" in w]
    assert "correction 1 (case 1 line 2 (lapatinib+vinorelbine)) not applied" in warning
    result = runner.invoke(app, ["apply-corrections", "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "stale" in result.output
    line_2 = _rows(db, LINE_2)[0]
    assert line_2[0] == "2013-04-02" and line_2[2] is None  # the machine's value is back
    assert _rows(db, "select status from corrections_applied where correction_no = 1") == [
        ("stale",)
    ]
    assert before != _rows(
        db, "select pfs_event_date::varchar from lines_of_therapy where case_id = 1"
    )
    review = runner.invoke(app, ["review", "--db", str(db), "--format", "csv"])
    assert review.exit_code == 0, review.output
    assert "stale correction" in review.output
    assert "lapatinib" in path.read_text(encoding="utf-8")  # kept in the file, never lost


def test_a_file_edited_by_hand_applies_on_the_next_ingest(seed_db: Path, tmp_path: Path) -> None:
    """Nothing new to load: the ingest still applies the corrections as they now stand."""
    db = tmp_path / "w.duckdb"
    shutil.copy(seed_db, db)
    doc = _rows(db, "select doc_id from documents")[0][0]
    assert isinstance(doc, str)
    made = runner.invoke(
        app,
        ["correct", doc[:10], "--case", "1", "--line", "2", "--set", f"progression={MOVED_PD}",
         "--why", "CT on March 20, 2013 showed PD", "--db", str(db)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert _rows(db, LINE_2)[0][0] == MOVED_PD
    [path] = Path(f"{db}.corrections").glob("*.yaml")
    text = path.read_text(encoding="utf-8")
    assert MOVED_PD in text
    path.write_text(text.replace(MOVED_PD, "2013-03-25"), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(SEED_PDF), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "nothing new to load" in result.output
    assert _rows(db, LINE_2)[0][0] == "2013-03-25"


def test_review_lists_the_seed_audit_finding_first(seed_db: Path) -> None:
    result = runner.invoke(app, ["review", "--db", str(seed_db)])
    assert result.exit_code == 0, result.output
    assert "audit" in result.output  # the table, cut to the terminal; the values from json
    as_json = runner.invoke(app, ["review", "--db", str(seed_db), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    first = json.loads(as_json.output)[0]
    assert first["item"] == "audit: pfs_mismatch" and first["line_no"] == 2
    assert "11.1" in first["detail"] and "11.2" in first["detail"]
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        rows = con.execute(
            "select item, case_id, line_no, page from review_items order by priority limit 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("audit: pfs_mismatch", 1, 2, 3)]


def test_the_report_marks_curated_values_with_the_reason(corrected: Path, tmp_path: Path) -> None:
    from report.build import write_report

    index = write_report(corrected, tmp_path / "report")
    pages = "".join(p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html"))
    assert 'class="curated" title="curated: CT on March 20, 2013 showed PD"' in pages


def test_the_omop_export_carries_the_curated_values(corrected: Path, tmp_path: Path) -> None:
    from tests.export.cdm import cdm_database, load_export, rows

    out = tmp_path / "omop"
    result = runner.invoke(
        app, ["export", "omop", "--out", str(out), "--db", str(corrected), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    con = cdm_database(tmp_path / "cdm.duckdb")
    try:
        load_export(con, out)
        starts = {
            str(r[0])
            for r in rows(con, "select episode_start_date from episode where episode_number > 0")
        }
        drugs = {
            str(r[0]).lower() for r in rows(con, "select drug_source_value from drug_exposure")
        }
    finally:
        con.close()
    assert MOVED_PD in starts  # the curated progression is a disease-progression episode
    assert not any("pertuzumab" in d for d in drugs)  # the dropped exposure is not exported
