"""The commands a researcher meets in the first hour, each run as a real process: one-line
errors (no traceback unless --debug), SQL errors with DuckDB's caret and a near table name,
doc_id prefixes, tables that fit the terminal with rounded values, show / cases / drug,
audit and ingest formats, --version. The warehouse is built from rows (tests/cli_warehouse.py);
no PDF is ingested here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from load import apply_schema
from tests.cli_run import TERMINAL_COLUMNS, Run, caselines, clean_env
from tests.cli_warehouse import (
    DOC_A,
    DOC_B,
    PFS_LINE_2,
    SHARED_PREFIX,
    build,
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cli") / "w.duckdb")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr


def one_error_line(run: Run, label: str = "error") -> str:
    no_traceback(run)
    assert len(run.err_lines) == 1, run.stderr
    line = run.err_lines[0]
    assert line.startswith(f"{label}:"), line
    return line


# --- faults of the warehouse, for every command that reads it ---------------------------

READERS = [
    ("query", "select 1"),
    ("report", "--out", "REPORT"),
    ("audit",),
    ("show", "c0ffee"),
    ("cases",),
    ("drug", "apatinib"),
]


def _args(command: tuple[str, ...], tmp: Path) -> list[str]:
    return [str(tmp / "report") if a == "REPORT" else a for a in command]


def _old_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    apply_schema(con)
    con.execute("drop view if exists pfs_by_line")
    con.execute("alter table lines_of_therapy drop column pfs_event")
    con.close()
    return path


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_missing_warehouse_is_one_line_and_exit_2(
    command: tuple[str, ...], tmp_path: Path, env: dict[str, str]
) -> None:
    missing = tmp_path / "none.duckdb"
    run = caselines(*_args(command, tmp_path), "--db", str(missing), env=env)
    assert run.code == 2
    assert "no warehouse at" in one_error_line(run)
    assert not missing.exists()


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_file_that_is_no_database_is_one_line_and_exit_2(
    command: tuple[str, ...], tmp_path: Path, env: dict[str, str]
) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    run = caselines(*_args(command, tmp_path), "--db", str(notes), env=env)
    assert run.code == 2
    assert "is not a DuckDB database" in one_error_line(run)
    assert notes.read_text(encoding="utf-8") == "my notes, not a database\n"


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_an_older_warehouse_is_one_line_naming_the_columns(
    command: tuple[str, ...], tmp_path: Path, env: dict[str, str]
) -> None:
    old = _old_warehouse(tmp_path / "old.duckdb")
    run = caselines(*_args(command, tmp_path), "--db", str(old), env=env)
    assert run.code == 2
    line = one_error_line(run)
    assert "older caselines" in line and "lines_of_therapy.pfs_event" in line


@pytest.fixture
def held(db: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the warehouse opened for writing by this process (as an ingest holds it)."""
    copy = tmp_path / "held.duckdb"
    copy.write_bytes(db.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        yield copy
    finally:
        con.close()


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_busy_warehouse_is_one_line_and_exit_3(
    command: tuple[str, ...], held: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    run = caselines(*_args(command, tmp_path), "--db", str(held), env=env)
    assert run.code == 3
    assert "in use by another process" in one_error_line(run, "busy")


def test_debug_shows_the_traceback(tmp_path: Path, env: dict[str, str]) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_text("x", encoding="utf-8")
    quiet = caselines("audit", "--db", str(notes), env=env)
    loud = caselines("--debug", "audit", "--db", str(notes), env=env)
    no_traceback(quiet)
    assert quiet.code == 2 and loud.code != 0
    assert "Traceback" in loud.stderr and "WarehouseError" in loud.stderr


def test_version(env: dict[str, str]) -> None:
    from importlib.metadata import version

    from flows.settings import PIPELINE_VERSION

    run = caselines("--version", env=env)
    assert run.code == 0
    assert run.stdout.strip() == f"caselines {version('caselines')} (pipeline {PIPELINE_VERSION})"


# --- query ----------------------------------------------------------------------------------


def test_a_keyword_for_a_table_keeps_the_caret_and_suggests_the_table(
    db: Path, env: dict[str, str]
) -> None:
    run = caselines("query", "select * from case where age > 60", "--db", str(db), env=env)
    assert run.code == 1
    no_traceback(run)
    lines = run.err_lines
    assert lines[0].startswith('SQL error: Parser Error: syntax error at or near "case"')
    at = next(i for i, x in enumerate(lines) if x.startswith("LINE 1: "))
    caret = lines[at + 1]
    assert set(caret.strip()) == {"^"}
    # the caret sits under the word DuckDB stumbled on
    assert lines[at][caret.index("^") :].startswith("case")
    assert lines[-1] == 'hint: did you mean "cases"?'


def test_a_misspelt_table_keeps_duckdbs_suggestion(db: Path, env: dict[str, str]) -> None:
    run = caselines("query", "select * from adverse_event", "--db", str(db), env=env)
    assert run.code == 1
    no_traceback(run)
    assert 'Did you mean "adverse_events"' in run.stderr
    assert any(set(x.strip()) == {"^"} for x in run.err_lines)


def test_a_shortened_doc_id_in_sql_gets_a_note(db: Path, env: dict[str, str]) -> None:
    short = DOC_A[:12]
    run = caselines(
        "query", f"select case_id from cases where doc_id = '{short}'", "--db", str(db), env=env
    )
    assert run.code == 0
    assert f"= {DOC_A}" in run.stderr and f"starts_with(doc_id, '{short}')" in run.stderr
    fixed = caselines(
        "query",
        f"select case_id from cases where starts_with(doc_id, '{short}') order by 1",
        "--db",
        str(db),
        "--format",
        "json",
        env=env,
    )
    assert json.loads(fixed.stdout) == [{"case_id": 1}, {"case_id": 2}]


def test_tables_fit_the_terminal_and_round_for_display_only(db: Path, env: dict[str, str]) -> None:
    sql = "select doc_id, regimen, pfs_months, evidence from lines_of_therapy order by pfs_months"
    table = caselines("query", sql, "--db", str(db), env=env)
    assert table.code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert max(len(x) for x in lines) <= TERMINAL_COLUMNS
    assert len(lines) == 3 + 4  # three rows, one line each: top, header, rule, bottom
    assert "6.6 " in table.stdout and "6.64" not in table.stdout
    assert "…" in table.stdout  # the long evidence is cut, not folded
    assert DOC_A[:12] in table.stdout and DOC_A[:13] not in table.stdout
    as_json = caselines("query", sql, "--db", str(db), "--format", "json", env=env)
    values = [r["pfs_months"] for r in json.loads(as_json.stdout)]
    assert PFS_LINE_2 in values  # every digit kept in the data
    as_csv = caselines("query", sql, "--db", str(db), "--format", "csv", env=env)
    assert repr(PFS_LINE_2) in as_csv.stdout


# --- show, cases, drug ----------------------------------------------------------------------


def test_show_a_patients_course(db: Path, env: dict[str, str]) -> None:
    run = caselines("show", f"{DOC_A[:6]}:1", "--db", str(db), env=env)
    # the panel's lines wrap between words at 80 columns; the checks read them joined
    flat = " ".join(x.strip("│ ") for x in run.stdout.splitlines())
    assert run.code == 0, run.stderr
    assert max(len(x) for x in run.stdout.splitlines()) <= TERMINAL_COLUMNS
    out = " ".join(flat.split())
    for expected in (
        "58-year-old female, stomach adenocarcinoma",
        "rivoceranib (apatinib) 500 mg daily",
        "trastuzumab (Herceptin) 8 mg/kg",
        "best response SD · PFS 6.6 months · progression 2021-09-20",
        "hypertension, grade 2, rivoceranib, line 2 p. 4",
        "Died 2022-02 (p. 5)",
    ):
        assert expected in out, expected
    assert "6.65" not in out
    assert "71-year-old" not in out  # case 2 is not shown when case 1 is asked for


def test_show_as_json_has_what_the_terminal_view_has(db: Path, env: dict[str, str]) -> None:
    run = caselines("show", f"{DOC_A[:6]}:1", "--db", str(db), "--format", "json", env=env)
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)  # one JSON document, nothing else on stdout
    assert doc["doc_id"] == DOC_A and doc["path"] == "/corpus/gastric-case.pdf"
    [case] = doc["cases"]  # only the case asked for
    assert (case["case_id"], case["age"], case["sex"]) == (1, 58, "female")
    assert [line["line_no"] for line in case["lines"]] == [1, 2]
    line2 = case["lines"][1]
    assert line2["regimen"] == "rivoceranib" and line2["best_response"] == "SD"
    assert line2["pfs_months"] == PFS_LINE_2  # as stored, not rounded for display
    assert (line2["pfs_event"], line2["pfs_event_date"]) == ("progression", "2021-09-20")
    assert line2["start_date"] == "2020-11-01" and line2["start_date_precision"] == "month"
    [dose] = line2["doses"]
    assert (dose["drug"], dose["drug_as_printed"], dose["dose_amount"], dose["page"]) == (
        "rivoceranib",
        "apatinib",
        500.0,
        3,
    )
    [ae] = case["adverse_events"]
    assert (ae["event"], ae["grade"], ae["line_no"], ae["page"]) == ("hypertension", 2, 2, 4)
    [death] = case["deaths"]
    assert (death["event_date"], death["page"]) == ("2022-02-01", 5)
    every = caselines("show", DOC_A[:6], "--db", str(db), "--format", "json", env=env)
    assert [c["case_id"] for c in json.loads(every.stdout)["cases"]] == [1, 2]


def test_show_refuses_csv(db: Path, env: dict[str, str]) -> None:
    run = caselines("show", DOC_A[:6], "--db", str(db), "--format", "csv", env=env)
    assert run.code == 2 and run.stdout == ""
    no_traceback(run)


@pytest.mark.parametrize(
    "ref",
    [DOC_B, DOC_B[:6], "gist-case", "gist-case.pdf", "/corpus/gist-case.pdf", "imatinib GIST"],
    ids=["full id", "prefix", "stem", "file name", "path", "title words"],
)
def test_show_takes_a_document_every_way(ref: str, db: Path, env: dict[str, str]) -> None:
    ref = "Rechallenge stromal" if ref == "imatinib GIST" else ref
    run = caselines("show", ref, "--db", str(db), env=env)
    assert run.code == 0, run.stderr
    assert "49-year-old male" in run.stdout and "imatinib 400 mg" in run.stdout


def test_an_ambiguous_prefix_lists_the_matches(db: Path, env: dict[str, str]) -> None:
    run = caselines("show", SHARED_PREFIX, "--db", str(db), env=env)
    assert run.code == 2
    line = one_error_line(run)
    assert "matches 2 documents" in line
    assert DOC_A[:12] in line and DOC_B[:12] in line


@pytest.mark.parametrize("ref", ["0123abcd", "no such title", f"{DOC_A[:8]}:9"])
def test_an_unknown_document_or_case_is_one_line(ref: str, db: Path, env: dict[str, str]) -> None:
    run = caselines("show", ref, "--db", str(db), env=env)
    assert run.code == 2
    one_error_line(run)


def test_cases_lists_the_patients(db: Path, env: dict[str, str]) -> None:
    table = caselines("cases", "--db", str(db), env=env)
    assert table.code == 0, table.stderr
    assert "3 cases" in table.stdout and "gastric-case" in table.stdout
    assert DOC_B[:12] in table.stdout
    rows = json.loads(caselines("cases", "--db", str(db), "--format", "json", env=env).stdout)
    assert [(r["doc_id"], r["case_id"], r["lines"]) for r in rows] == [
        (DOC_A, 1, 2),
        (DOC_A, 2, 0),
        (DOC_B, 1, 1),
    ]
    assert rows[0]["cancer"] == "stomach adenocarcinoma" and rows[0]["age"] == 58
    one = caselines("cases", "--doc", DOC_B[:8], "--db", str(db), "--format", "csv", env=env)
    assert one.stdout.splitlines()[1].startswith(f"{DOC_B},/corpus/gist-case.pdf,1,49,male")


@pytest.mark.parametrize(
    ("printed", "stored"),
    [("apatinib", "rivoceranib"), ("AITAN", "rivoceranib"), ("Herceptin", "trastuzumab")],
)
def test_drug_gives_the_stored_name_and_where_it_appears(
    printed: str, stored: str, db: Path, env: dict[str, str]
) -> None:
    run = caselines("drug", printed, "--db", str(db), env=env)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(f"{printed} -> {stored} (")
    assert "gastric-case " in run.stdout
    as_json = caselines("drug", printed, "--db", str(db), "--format", "json", env=env)
    rows = json.loads(as_json.stdout)
    assert {r["drug"] for r in rows} == {stored}
    assert {r["doc_id"] for r in rows} == {DOC_A}


def test_an_unknown_drug_offers_a_close_name(db: Path, env: dict[str, str]) -> None:
    run = caselines("drug", "apatinb", "--db", str(db), env=env)
    assert run.code == 1
    assert "close: apatinib (rivoceranib)" in one_error_line(run)


# --- audit and ingest formats ----------------------------------------------------------------


def test_audit_formats(db: Path, env: dict[str, str]) -> None:
    table = caselines("audit", "--db", str(db), env=env)
    assert table.code == 0 and "1 finding" in table.stdout and "pfs_mismatch" in table.stdout
    rows = json.loads(caselines("audit", "--db", str(db), "--format", "json", env=env).stdout)
    assert [(r["path"], r["line_no"], r["kind"]) for r in rows] == [
        ("/corpus/gastric-case.pdf", 2, "pfs_mismatch")
    ]
    csv_lines = caselines("audit", "--db", str(db), "--format", "csv", env=env).stdout.splitlines()
    assert csv_lines[0].startswith("path,case_id,line_no,kind,message")
    assert len(csv_lines) == 2


def test_audit_without_findings(tmp_path: Path, env: dict[str, str]) -> None:
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    apply_schema(con)
    con.close()
    empty = str(tmp_path / "empty.duckdb")
    table = caselines("audit", "--db", empty, env=env)
    assert (table.code, table.stdout.strip()) == (0, "no findings")
    as_json = caselines("audit", "--db", empty, "--format", "json", env=env)
    assert json.loads(as_json.stdout) == []


def test_a_missing_path_fails_at_once_and_is_not_recorded(
    tmp_path: Path, env: dict[str, str]
) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    db = tmp_path / "w.duckdb"
    run = caselines(
        "ingest", str(folder), str(tmp_path / "typo"), "--db", str(db),
        env=env, python_flags=("-X", "importtime"),
    )  # fmt: skip
    assert run.code == 2
    lines = [x for x in run.err_lines if not x.startswith("import time:")]
    assert lines == [f"error: no such file or folder: {tmp_path / 'typo'}"]
    imported = {x.split("|")[-1].strip() for x in run.err_lines if x.startswith("import time:")}
    # decided before Prefect or DuckDB is even imported: no server, no warehouse touched
    assert "prefect" not in imported and "duckdb" not in imported
    assert not db.exists()


def test_a_folder_without_pdfs_warns(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "pdfs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "notes.txt").write_text("no PDF here", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run = caselines("ingest", str(folder), "--db", str(db), env=env)
    assert run.code == 0
    assert run.err_lines == [f"warning: no PDFs in {folder}"]
    assert run.stdout.strip() == "0 found, 0 loaded, 0 unchanged, 0 failed (nothing new to load)"
    as_json = caselines("ingest", str(folder), "--db", str(db), "--json", env=env)
    summary = json.loads(as_json.stdout)
    assert (summary["found"], summary["loaded"], summary["failures"]) == (0, 0, [])
    assert not db.exists()


def test_ingest_refuses_a_file_that_is_no_database(tmp_path: Path, env: dict[str, str]) -> None:
    from tests.conftest import SEED_PDF

    notes = tmp_path / "notes.duckdb"
    notes.write_text("mine", encoding="utf-8")
    run = caselines("ingest", str(SEED_PDF), "--db", str(notes), env=env)
    assert run.code == 2
    assert "is not a DuckDB database" in one_error_line(run)
    assert notes.read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_ingest_json_names_each_failure_with_stage_and_reason(
    tmp_path: Path, env: dict[str, str]
) -> None:
    from tests.conftest import SEED_PDF

    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "seed.pdf").write_bytes(SEED_PDF.read_bytes())
    (folder / "notes.pdf").write_text("not a PDF at all", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run = caselines("ingest", str(folder), "--db", str(db), "--json", env=env)
    assert run.code == 1, run.stderr
    no_traceback(run)
    summary = json.loads(run.stdout)
    assert (summary["found"], summary["loaded"], summary["failed"], summary["ok"]) == (
        2,
        1,
        1,
        False,
    )
    assert summary["lines_of_therapy"] > 0 and summary["drugs"] > 0
    [failure] = summary["failures"]
    assert failure["path"].endswith("notes.pdf")
    assert (failure["stage"], failure["error"]) == ("extract", "not_a_pdf")
    assert failure["reason"]


def test_a_regimen_name_gives_its_drugs(db: Path, env: dict[str, str]) -> None:
    run = caselines("drug", "folfiri", "--db", str(db), env=env)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [x.split(" (")[0] for x in lines[:3]] == [
        "folfiri -> fluorouracil",
        "folfiri -> irinotecan",
        "folfiri -> leucovorin",
    ]
    assert lines[3] == "given in no document of this warehouse"
