"""`caselines correct`, `apply-corrections` and `review` on a small hand-built warehouse
(no PDF: the document's machine events are records of the test)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import load
from extract.records import DocumentMeta
from flows.cli import app
from flows.ingest import curated
from tests.transform.curation.test_apply import TWO_LINES
from transform.assemble import assemble
from transform.records import Extraction

runner = CliRunner()
DOC = "ab" + "c" * 62


def _extraction() -> Extraction:
    shell = Extraction(DOC, "/tmp/made-up.pdf", DocumentMeta(title="A made-up report"),
                       machine_cases=(TWO_LINES,))  # fmt: skip
    return assemble(shell)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = load.connect(path)
    try:
        load.load_extraction(con, _extraction(), "test")
    finally:
        con.close()
    return path


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _correct(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["correct", "abc", *args, "--by", "tester", "--db", str(db)])
    return result.exit_code, result.output


def _store(db: Path) -> Path:
    return Path(f"{db}.corrections") / f"{DOC}.yaml"


def test_correct_a_line_writes_a_keyed_entry_and_applies_it(db: Path) -> None:
    code, out = _correct(db, "--case", "1", "--line", "1", "--set", "progression=2020-04-01",
                         "--why", "scan of April 1 showed PD")  # fmt: skip
    assert code == 0, out
    assert "applied: correction 1" in out
    text = _store(db).read_text(encoding="utf-8")
    assert text.startswith("# A made-up report\n")
    assert "drugs:\n    - paclitaxel" in text and "by: tester" in text
    assert _rows(db, "select pfs_event_date, curated from lines_of_therapy where line_no = 1") == [
        (date(2020, 4, 1), "scan of April 1 showed PD")
    ]


def test_add_a_missed_exposure_opens_a_line(db: Path) -> None:
    code, out = _correct(db, "--case", "1", "--add", "exposure", "--set", "drug=Irinotecan",
                         "--set", "start=2021-02", "--why", "named in Figure 2")  # fmt: skip
    assert code == 0, out
    assert _rows(
        db, "select drugs, start_date_precision from lines_of_therapy where line_no = 3"
    ) == [(["irinotecan"], "month")]
    assert _rows(db, "select page, curated from drug_exposures where drug = 'irinotecan'") == [
        (0, "named in Figure 2")
    ]


def test_not_oncology_empties_the_document_and_says_why(db: Path) -> None:
    code, out = _correct(db, "--not-oncology", "--why", "a case of sarcoidosis")
    assert code == 0, out
    assert _rows(db, "select count(*) from cases") == [(0,)]
    [(n_cases, warnings)] = _rows(db, "select n_cases, warnings from documents")
    assert n_cases == 0
    assert "curated: not oncology: a case of sarcoidosis" in warnings  # type: ignore[operator]
    assert _rows(db, "select count(*) from mentions") == _rows(
        db, "select count(*) from mentions"
    )  # mentions untouched


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--case", "1", "--line", "7", "--set", "start=2020-01-01"], "no line 7"),
        (["--case", "1", "--line", "1", "--set", "stop=2020-01-01"], "no field 'stop'"),
        (["--case", "1", "--line", "1", "--set", "start=soon"], "no date"),
        (["--case", "9", "--drop-case"], "no case 9"),
        (["--case", "1", "--drop-exposure", "ibuprofen"], "no exposure to ibuprofen"),
        (["--case", "1", "--add", "exposure", "--set", "start=2021-01-01"], "needs drug"),
    ],
)
def test_a_target_or_value_the_warehouse_lacks_is_refused_and_nothing_written(
    db: Path, args: list[str], words: str
) -> None:
    code, out = _correct(db, *args, "--why", "w")
    assert code == 2
    assert words in out and len(out.strip().splitlines()) == 1
    assert not _store(db).exists()


def test_an_unknown_document_prefix_is_refused(db: Path) -> None:
    result = runner.invoke(
        app, ["correct", "ffff", "--not-oncology", "--why", "w", "--db", str(db)]
    )
    assert result.exit_code == 2 and "no loaded document" in result.output


def test_a_hand_broken_file_is_refused_with_its_line_and_loses_nothing(db: Path) -> None:
    assert _correct(db, "--case", "1", "--drop-exposure", "capecitabine", "--why", "w")[0] == 0
    path = _store(db)
    path.write_text(path.read_text(encoding="utf-8") + "- target: {row: case\n", encoding="utf-8")
    lines_before = _rows(db, "select * from lines_of_therapy")
    result = runner.invoke(app, ["apply-corrections", "--db", str(db)])
    assert result.exit_code == 2
    assert f"{path.name}:" in result.output.replace("\n", "")
    assert _rows(db, "select * from lines_of_therapy") == lines_before
    failure = curated(_extraction(), path.parent)
    assert isinstance(failure, load.Failure)
    assert failure.error == "CorrectionsInvalid" and f"{path}:" in failure.message


def test_apply_corrections_without_the_file_brings_the_machine_values_back(db: Path) -> None:
    machine = _rows(db, "select * from lines_of_therapy order by line_no")
    assert _correct(db, "--case", "1", "--drop-exposure", "capecitabine", "--why", "w")[0] == 0
    assert len(_rows(db, "select * from lines_of_therapy")) == 1
    _store(db).unlink()
    result = runner.invoke(app, ["apply-corrections", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _rows(db, "select * from lines_of_therapy order by line_no") == machine
    assert _rows(db, "select count(*) from corrections_applied") == [(0,)]


def test_review_lists_stale_corrections_with_their_source(db: Path) -> None:
    assert (
        _correct(db, "--case", "1", "--line", "2", "--set", "start=2020-07-02", "--why", "w")[0]
        == 0
    )
    path = _store(db)
    path.write_text(path.read_text(encoding="utf-8").replace("capecitabine", "letrozole"),
                    encoding="utf-8")  # fmt: skip
    assert runner.invoke(app, ["apply-corrections", "--db", str(db)]).exit_code == 1
    rows = _rows(
        db,
        "select priority, item, case_id, detail, evidence from review_items order by priority",
    )
    assert rows[-1][:3] == (5, "stale correction", 1)
    detail = str(rows[-1][3])
    assert (
        "line 2 (letrozole)" in detail
        and "now (line 1 (paclitaxel); line 2 (capecitabine))" in detail
    )
    assert rows[-1][4] == f"{path.name}:3"
    # both lines end at their progression, no stop printed: each is an inferred end
    assert [r[1] for r in rows[:-1]] == ["inferred end", "inferred end"]
    # a wide terminal: at 80 columns the table cuts the item to fit (tests/test_cli_commands.py)
    result = runner.invoke(app, ["review", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "stale correction" in result.output


def _drug_json(drug: str) -> str:
    return json.dumps({"type": "DrugValue", "drug": drug})


def test_review_lists_a_drug_the_case_names_that_no_exposure_holds(db: Path) -> None:
    con = load.connect(db)
    try:
        con.executemany(
            "insert into mentions (doc_id, mention_no, case_id, kind, text, value, negated, "
            "uncertain, page, char_start, char_end, sentence) "
            "values (?, ?, 1, 'drug', ?, ?, false, false, ?, 0, 7, ?)",
            [
                [DOC, 900, "Avastin", _drug_json("bevacizumab"), 4, "Avastin was added in May."],
                [DOC, 901, "paclitaxel", _drug_json("paclitaxel"), 2, "paclitaxel was given."],
            ],
        )
    finally:
        con.close()
    rows = _rows(db, "select item, case_id, page, evidence from review_items where priority = 1")
    assert rows == [("unexplained drug", 1, 4, "Avastin was added in May.")]


def test_correct_an_event_by_kind_and_date(db: Path) -> None:
    code, out = _correct(db, "--case", "1", "--event", "progression", "--date", "2020-06-01",
                         "--set", "date=2020-05-01", "--why", "PD on the May scan")  # fmt: skip
    assert code == 0, out
    assert "date: 2020-06-01" in _store(db).read_text(encoding="utf-8")  # the key, as found
    assert _rows(db, "select pfs_event_date from lines_of_therapy where line_no = 1") == [
        (date(2020, 5, 1),)
    ]
    assert _rows(db, "select curated from events where event_date = '2020-05-01'") == [
        ("PD on the May scan",)
    ]


def test_apply_corrections_keeps_the_drug_mention_account(tmp_path: Path) -> None:
    """Re-deriving lines has no sentences to account for drug mentions again: the stored
    account and its named_not_given findings stay as the ingest left them."""
    import dataclasses

    from transform.records import DrugMentionDisposition, Finding, Provenance

    prov = Provenance(2, "Bevacizumab was discussed with the family.")
    account = DrugMentionDisposition(
        case_id=1, mention_no=1, drug="bevacizumab", drug_as_printed="Bevacizumab",
        role="antineoplastic", disposition="not_given", reason="unexplained", prov=prov,
    )  # fmt: skip
    finding = Finding(1, "named_not_given", "case 1: bevacizumab is named but not given", prov)
    ext = _extraction()
    ext = dataclasses.replace(ext, dispositions=(account,), findings=(*ext.findings, finding))
    path = tmp_path / "w.duckdb"
    con = load.connect(path)
    try:
        load.load_extraction(con, ext, "test")
    finally:
        con.close()
    assert _correct(path, "--case", "1", "--drop-exposure", "capecitabine", "--why", "w")[0] == 0
    assert len(_rows(path, "select * from lines_of_therapy")) == 1
    assert _rows(path, "select count(*) from drug_mention_dispositions") == [(1,)]
    assert _rows(
        path, "select message, page from audit_findings where kind = 'named_not_given'"
    ) == [("case 1: bevacizumab is named but not given", 2)]
