"""The command line's pure pieces, tested directly: column widths, display rounding, doc
references, SQL hints, the wording of a patient's course, ingest's pre-checks, the
background server's record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from flows import background_server
from flows.cli_common import MIN_COLUMN, TABLE_OVERHEAD_PER_COLUMN, clip, column_widths, display
from flows.course import (
    AdverseEvent,
    Dose,
    LineCourse,
    adverse_event_text,
    attach_doses,
    dose_text,
    event_text,
    pfs_text,
    when,
)
from flows.docref import DocRow, match_documents, split_case
from flows.ingest_checks import MissingPaths, check_inputs
from flows.sql_errors import close_name, explain

# --- tables -------------------------------------------------------------------------------


def _total(widths: list[int]) -> int:
    return sum(widths) + TABLE_OVERHEAD_PER_COLUMN * len(widths) + 1


def test_columns_that_fit_keep_their_width() -> None:
    assert column_widths([12, 3, 20], 80) == [12, 3, 20]


def test_the_widest_columns_are_cut_first_and_the_table_fits() -> None:
    widths = column_widths([12, 16, 4, 3, 6, 39, 5], 80)
    assert widths is not None and _total(widths) <= 80
    assert widths[2:5] == [4, 3, 6] and widths[6] == 5  # the narrow ones are untouched
    assert widths[5] < 39 and widths[5] >= widths[0]


def test_too_many_columns_for_the_terminal_give_no_widths() -> None:
    assert column_widths([20] * 12, 80) is None
    assert column_widths([MIN_COLUMN] * 5, 200) == [MIN_COLUMN] * 5


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("pfs_months", 6.6499999999999995, "6.6"),
        ("median_pfs", 7.0, "7.0"),
        ("months_on_drug", 11.96, "12.0"),
        ("dose_amount", 500.0, "500"),
        ("ratio", 1.25, "1.25"),
        ("ratio", 0.3333333, "0.33"),
        ("doc_id", "ab" * 32, "ab" * 6),
        ("drugs", ["fluorouracil", "oxaliplatin"], "fluorouracil, oxaliplatin"),
        ("pfs_consistent", True, "yes"),
        ("age", None, ""),
        ("assessed_on", date(2021, 3, 4), "2021-03-04"),
    ],
)
def test_values_are_shown_rounded_and_short(column: str, value: object, shown: str) -> None:
    assert display(column, value) == shown


def test_long_text_is_clipped_with_an_ellipsis() -> None:
    text = "word " * 40
    cut = clip(text, 20)
    assert len(cut) == 20 and cut.endswith("…")
    assert clip("short  text\nhere", 20) == "short text here"


# --- doc references -------------------------------------------------------------------------

DOCS = [
    DocRow("c0ffee" + "a" * 58, "/data/gastric-case.pdf", "Second-line rivoceranib in gastric"),
    DocRow("c0ffab" + "b" * 58, "/data/gist-case.pdf", "Imatinib rechallenge in a GIST"),
]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("c0ffee", [0]),
        ("C0FFAB", [1]),
        ("c0ff", [0, 1]),
        ("c0f", []),  # shorter than a prefix may be, and no title has it
        ("/data/gist-case.pdf", [1]),
        ("gist-case.pdf", [1]),
        ("gastric-case", [0]),
        ("rivoceranib second-line", [0]),
        ("in", [0, 1]),
        ("nivolumab", []),
    ],
)
def test_documents_are_named_by_prefix_path_name_or_title(ref: str, expected: list[int]) -> None:
    assert match_documents(DOCS, ref) == [DOCS[k] for k in expected]


@pytest.mark.parametrize(
    ("ref", "doc", "case_id"),
    [("abc123:2", "abc123", 2), ("abc123", "abc123", None), ("C:/x.pdf", "C:/x.pdf", None)],
)
def test_a_case_is_split_off_the_reference(ref: str, doc: str, case_id: int | None) -> None:
    parsed = split_case(ref)
    assert (parsed.doc, parsed.case_id) == (doc, case_id)


# --- SQL hints ------------------------------------------------------------------------------

NAMES = ["cases", "documents", "lines_of_therapy", "adverse_events", "pfs_by_line"]


def test_a_keyword_close_to_a_table_gets_a_hint() -> None:
    message = 'Parser Error: syntax error at or near "case"\n\nLINE 1: select * from case\n  ^^^^'
    explained = explain(message, NAMES)
    assert explained.startswith(message)
    assert explained.endswith('hint: did you mean "cases"?')


def test_no_hint_for_a_word_far_from_every_name() -> None:
    message = 'Parser Error: syntax error at or near "selec"\n\nLINE 1: selec 1\n^^^^^'
    assert explain(message + "\n\n", NAMES) == message
    assert close_name("document", NAMES) == "documents"
    assert close_name("cases", NAMES) is None


# --- a patient's course ---------------------------------------------------------------------


def _line(**values: object) -> LineCourse:
    base: dict[str, object] = {
        "line_no": 1,
        "regimen": "FOLFIRI",
        "drugs": ("irinotecan", "fluorouracil"),
        "start_date": date(2021, 5, 1),
        "start_date_precision": "month",
        "end_date": None,
        "end_date_precision": None,
        "best_response": "PR",
        "pfs_months": 4.0,
        "pfs_months_reported": None,
        "pfs_event": "progression",
        "pfs_event_date": date(2021, 9, 1),
        "page": 3,
    }
    return LineCourse(**(base | values))  # type: ignore[arg-type]


def _dose(line_no: int | None, drug: str, **values: object) -> Dose:
    base: dict[str, object] = {
        "line_no": line_no,
        "drug": drug,
        "drug_as_printed": drug,
        "dose_amount": None,
        "dose_unit": None,
        "schedule": None,
        "route": None,
        "cycles": None,
        "page": 2,
    }
    return Dose(**(base | values))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (date(2021, 5, 17), "day", "2021-05-17"),
        (date(2021, 5, 1), "month", "2021-05"),
        (date(2021, 1, 1), "year", "2021"),
        (date(2021, 5, 17), None, "2021-05-17"),
        (None, "day", ""),
    ],
)
def test_dates_are_shown_as_precisely_as_printed(
    value: date | None, precision: str | None, shown: str
) -> None:
    assert when(value, precision) == shown


def test_a_dose_reads_as_printed() -> None:
    full = _dose(
        1,
        "capecitabine",
        drug_as_printed="Xeloda",
        dose_amount=1250.0,
        dose_unit="mg/m2",
        schedule="twice daily",
        route="oral",
        cycles=6,
    )
    assert dose_text(full) == "capecitabine (Xeloda) 1250 mg/m2 twice daily oral, 6 cycles"
    assert dose_text(_dose(1, "cetuximab", cycles=1)) == "cetuximab, 1 cycle"


def test_pfs_is_one_decimal_with_a_differing_report_beside_it() -> None:
    assert pfs_text(_line(pfs_months=6.6499999999999995)) == "6.6 months"
    assert pfs_text(_line(pfs_months=6.6499999999999995, pfs_months_reported=6.6)) == "6.6 months"
    assert pfs_text(_line(pfs_months=5.97, pfs_months_reported=7.0)) == "6.0 months (reported 7.0)"
    assert pfs_text(_line(pfs_months=None, pfs_months_reported=9.0)) == "reported 9.0 months"
    assert pfs_text(_line(pfs_months=None)) == ""


def test_the_event_and_an_adverse_event_read_as_a_phrase() -> None:
    assert event_text(_line()) == "progression 2021-09-01"
    assert event_text(_line(pfs_event="death", pfs_event_date=None)) == "death"
    assert event_text(_line(pfs_event=None)) == ""
    ae = AdverseEvent("neutropenia", 3, "irinotecan", 1, date(2021, 6, 2), "dose reduced", 4)
    assert adverse_event_text(ae) == (
        "neutropenia, grade 3, irinotecan, line 1, from 2021-06-02: dose reduced"
    )
    assert adverse_event_text(AdverseEvent("rash", None, None, None, None, None, 5)) == "rash"


def test_doses_go_to_their_line_and_the_rest_apart() -> None:
    lines = [_line(line_no=1), _line(line_no=2)]
    doses = [_dose(2, "regorafenib"), _dose(None, "oxaliplatin"), _dose(1, "irinotecan")]
    placed, outside = attach_doses(lines, doses)
    assert [[d.drug for d in line.doses] for line in placed] == [["irinotecan"], ["regorafenib"]]
    assert [d.drug for d in outside] == ["oxaliplatin"]
    assert lines[0].doses == ()  # the records read are not changed


# --- ingest pre-checks ----------------------------------------------------------------------


def test_every_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(MissingPaths, match=r"no such file or folder: .*typo1, .*typo2$"):
        check_inputs([str(tmp_path), str(tmp_path / "typo1"), str(tmp_path / "typo2")])


def test_folders_without_pdfs_are_listed(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "full" / "deep").mkdir(parents=True)
    (tmp_path / "full" / "deep" / "Report.PDF").write_bytes(b"%PDF-1.4")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    found = check_inputs(
        [str(tmp_path / "empty"), str(tmp_path / "full"), str(tmp_path / "notes.txt")]
    )
    assert found.empty_folders == (str(tmp_path / "empty"),)
    assert found.pdfs == 2  # the PDF in the folder, and the file named directly


# --- the background server's record ---------------------------------------------------------


def test_a_record_of_a_dead_server_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    state = {"api_url": "http://127.0.0.1:9/api", "pid": int(gone.stdout), "log": ""}
    background_server.state_path().write_text(json.dumps(state), encoding="utf-8")
    assert background_server.read_state() is not None
    assert background_server.running() is None
    assert background_server.use_if_running() is None
    assert not background_server.state_path().exists()
    assert background_server.stop() is None


def test_an_explicit_api_url_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_API_URL", "http://example.invalid/api")
    assert background_server.use_if_running() is None
    assert background_server.state_path() == tmp_path / background_server.STATE_FILE


def test_serve_and_dask_runs_use_the_background_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flows/prefect_server.py:prefect_api takes the background server before starting one."""
    from flows import prefect_server

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    up = background_server.ServerState("http://127.0.0.1:4321/api", 1, "")
    monkeypatch.setattr(background_server, "running", lambda: up)

    def no_start(*args: object, **kwargs: object) -> None:
        raise AssertionError("a local server was started")

    monkeypatch.setattr(prefect_server, "local_server", no_start)
    said: list[str] = []
    with prefect_server.prefect_api(said.append) as url:
        import os

        assert url == up.api_url == os.environ["PREFECT_API_URL"]
    assert "PREFECT_API_URL" not in os.environ
    assert said == [f"using the background Prefect server at {up.api_url} (`caselines server`)"]


# --- small runs: the lexicon is built only when the warehouse's synonyms are stale ---------


def test_the_lexicon_version_needs_no_build() -> None:
    from transform.mentions.lexicon import get_lexicon
    from transform.mentions.lexicon.loader import lexicon_version

    assert lexicon_version() == get_lexicon().version


def test_current_synonyms_are_not_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import load
    from flows import ingest
    from transform.mentions import lexicon
    from transform.mentions.lexicon.loader import lexicon_version

    db = str(tmp_path / "w.duckdb")
    con = load.connect(db)
    con.execute(
        "insert into warehouse_meta (key, value) values (?, ?)",
        [load.writer.LEXICON_VERSION_KEY, lexicon_version()],
    )
    con.close()

    def no_build() -> None:
        raise AssertionError("the lexicon was built")

    monkeypatch.setattr(lexicon, "get_lexicon", no_build)
    assert ingest.sync_synonyms_task.fn(db) is False
    con = load.connect(db)
    con.execute(
        "update warehouse_meta set value = 'older' where key = ?", [load.writer.LEXICON_VERSION_KEY]
    )
    con.close()
    with pytest.raises(AssertionError, match="the lexicon was built"):
        ingest.sync_synonyms_task.fn(db)
