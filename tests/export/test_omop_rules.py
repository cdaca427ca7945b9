"""The OMOP mapping rules on hand-built warehouses: dates without a day or without a value,
a case without an age, an unknown sex, an open line, a progression found twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from export import OmopFormat, export_omop
from tests.export import warehouse as wh
from tests.export.cdm import cdm_database, load_export, manifest

LINE_OF_THERAPY = 32941
PROGRESSION = 32949


def _export(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Close the hand-built warehouse, export it, and load it into the standard's tables."""
    con.close()
    out = tmp_path / "omop"
    export_omop(tmp_path / "w.duckdb", out, OmopFormat.parquet)
    cdm = cdm_database(tmp_path / "cdm.duckdb")
    load_export(cdm, out)
    return cdm


def _modifiers(cdm: duckdb.DuckDBPyConnection, table: str, omop_id: int) -> dict[str, str]:
    (text,) = cdm.execute(
        "select term_modifiers from note_nlp where term_modifiers like ?",
        [f"omop_table={table};omop_id={omop_id};%"],
    ).fetchone() or (None,)
    assert text is not None, (table, omop_id)
    return dict(kv.split("=", 1) for kv in str(text).split(";"))


def _one(cdm: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = cdm.execute(sql).fetchone()
    assert row is not None, sql
    return row


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return wh.new_warehouse(tmp_path / "w.duckdb")


def test_a_month_precise_date_is_its_first_day_and_keeps_its_precision(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, diagnosis_date=date(2019, 11, 1), diagnosis_date_precision="month")
    wh.exposure(
        con,
        1,
        line_no=1,
        start_date=date(2020, 3, 1),
        start_date_precision="month",
        end_date=date(2020, 9, 14),
        end_date_precision="day",
    )
    wh.line(con, 1, start_date=date(2020, 3, 1), start_date_precision="month")
    cdm = _export(tmp_path, con)
    assert _one(cdm, "select drug_exposure_start_date from drug_exposure") == (date(2020, 3, 1),)
    exposure = _modifiers(cdm, "drug_exposure", 1)
    assert exposure["start_date_precision"] == "month"
    assert exposure["end_date_precision"] == "day"
    condition = _modifiers(cdm, "condition_occurrence", 1)
    assert condition["start_date_precision"] == "month"
    assert _one(cdm, "select year_of_birth from person") == (2019 - 61,)


def test_a_supportive_exposure_is_exported_with_its_role_and_no_line(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, diagnosis_date=date(2021, 4, 6), diagnosis_date_precision="day")
    wh.exposure(con, 1, episode=1, line_no=1, start_date=date(2021, 5, 1))
    wh.exposure(
        con,
        2,
        episode=1,
        setting=None,
        role="supportive",
        drug="ondansetron",
        drug_as_printed="ondansetron",
    )
    wh.line(con, 1, start_date=date(2021, 5, 1))
    cdm = _export(tmp_path, con)
    chemo, antiemetic = _modifiers(cdm, "drug_exposure", 1), _modifiers(cdm, "drug_exposure", 2)
    assert (chemo["role"], chemo["line"]) == ("antineoplastic", "1")
    assert antiemetic["role"] == "supportive"
    assert "line" not in antiemetic and "setting" not in antiemetic


def test_an_exposure_without_dates_takes_its_regimens_start_and_ends_that_day(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, diagnosis_date=date(2019, 5, 2), diagnosis_date_precision="day")
    wh.exposure(con, 1, episode=1, start_date=date(2019, 6, 3), start_date_precision="day")
    wh.exposure(con, 2, episode=1, drug="fluorouracil", drug_as_printed="5-FU")
    wh.exposure(con, 3, episode=2, drug="capecitabine", drug_as_printed="Xeloda")
    cdm = _export(tmp_path, con)
    found = cdm.execute(
        "select drug_source_value, drug_exposure_start_date, drug_exposure_end_date, "
        "verbatim_end_date from drug_exposure order by drug_exposure_id"
    ).fetchall()
    assert found == [
        ("L-OHP", date(2019, 6, 3), date(2019, 6, 3), None),
        ("5-FU", date(2019, 6, 3), date(2019, 6, 3), None),
        ("Xeloda", date(2019, 5, 2), date(2019, 5, 2), None),
    ]
    assert _modifiers(cdm, "drug_exposure", 2)["start_date_from"] == "regimen_start"
    assert _modifiers(cdm, "drug_exposure", 3)["start_date_from"] == "diagnosis_date"
    assert "start_date_from" not in _modifiers(cdm, "drug_exposure", 1)


def test_an_end_printed_before_the_start_is_raised_to_the_start(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con)
    wh.exposure(
        con,
        1,
        line_no=1,
        start_date=date(2021, 4, 20),
        start_date_precision="day",
        end_date=date(2021, 4, 1),
        end_date_precision="month",
    )
    wh.line(
        con,
        1,
        start_date=date(2021, 4, 20),
        end_date=date(2021, 4, 1),
        end_date_precision="month",
    )
    cdm = _export(tmp_path, con)
    assert _one(cdm, "select drug_exposure_end_date, verbatim_end_date from drug_exposure") == (
        date(2021, 4, 20),
        date(2021, 4, 1),
    )
    assert _one(cdm, "select episode_end_date from episode") == (date(2021, 4, 20),)


def test_an_open_line_has_no_end_and_a_line_without_start_takes_its_first_exposure(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con)
    wh.exposure(con, 1, line_no=1, start_date=date(2022, 1, 10), start_date_precision="day")
    wh.line(con, 1)
    cdm = _export(tmp_path, con)
    assert _one(
        cdm, "select episode_start_date, episode_end_date, episode_number from episode"
    ) == (
        date(2022, 1, 10),
        None,
        1,
    )
    assert _modifiers(cdm, "episode", 1)["start_date_from"] == "first_exposure"


def test_a_case_without_age_is_left_out_and_listed(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, 1)
    wh.case(con, 2, age=None)
    wh.exposure(con, 1, case_id=1, start_date=date(2020, 1, 1))
    wh.exposure(con, 2, case_id=2, start_date=date(2020, 1, 1))
    cdm = _export(tmp_path, con)
    assert cdm.execute("select person_source_value from person").fetchall() == [
        (f"{wh.DOC[:40]}:1",)
    ]
    assert _one(cdm, "select count(*) from drug_exposure") == (1,)
    skipped = manifest(tmp_path / "omop")["skipped_cases"]
    assert [(s["doc_id"], s["case_id"]) for s in skipped] == [(wh.DOC, 2)]


def test_unknown_sex_and_no_dates_at_all_still_give_a_valid_person(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, sex=None, primary_site=None, histology=None)
    wh.exposure(con, 1)
    cdm = _export(tmp_path, con)
    assert _one(cdm, "select gender_concept_id, year_of_birth from person") == (0, 2024 - 61)
    assert _one(cdm, "select drug_exposure_start_date from drug_exposure") == (date(2024, 1, 1),)
    assert _modifiers(cdm, "drug_exposure", 1)["start_date_from"] == "publication_year"
    assert _one(cdm, "select count(*) from condition_occurrence") == (0,)


def test_a_progression_found_as_event_and_as_line_end_is_one_episode(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con)
    wh.exposure(con, 1, line_no=1, start_date=date(2020, 3, 1))
    wh.line(
        con,
        1,
        start_date=date(2020, 3, 1),
        pfs_event="progression",
        pfs_event_date=date(2020, 8, 5),
    )
    wh.line(
        con,
        2,
        start_date=date(2020, 8, 20),
        pfs_event="progression",
        pfs_event_date=date(2021, 2, 1),
    )
    wh.event(con, "progression", event_date=date(2020, 8, 5), detail="enlarged liver lesions")
    wh.event(con, "progression", detail="PD")  # undated: no episode
    cdm = _export(tmp_path, con)
    found = cdm.execute(
        "select episode_number, episode_start_date, episode_source_value from episode "
        "where episode_concept_id = ? order by episode_number",
        [PROGRESSION],
    ).fetchall()
    assert found == [
        (1, date(2020, 8, 5), "enlarged liver lesions"),
        (2, date(2021, 2, 1), "progression ending line 2"),
    ]
    assert _one(
        cdm, f"select count(*) from episode where episode_concept_id = {LINE_OF_THERAPY}"
    ) == (2,)


def _evidence(cdm: duckdb.DuckDBPyConnection, table: str, omop_id: int) -> tuple[Any, ...]:
    row = cdm.execute(
        'select snippet, "offset", lexical_variant from note_nlp where term_modifiers like ?',
        [f"omop_table={table};omop_id={omop_id};%"],
    ).fetchone()
    assert row is not None, (table, omop_id)
    return row


def test_the_cancer_cites_the_introduction_and_the_death_cites_the_death(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    died = "He died of liver failure on 3 May 2023."
    wh.case(
        con,
        death_date=date(2023, 5, 3),
        death_date_precision="day",
        page=4,
        evidence=died,  # transform/caseinfo.py gives a case who died the death's provenance
    )
    wh.mention(con, 1, "age_sex", page=2)
    wh.mention(con, 2, "age_sex", page=3, sentence="The 61-year-old man was readmitted.")
    wh.event(con, "death", event_date=date(2023, 5, 3), page=4, evidence=died, detail="died")
    cdm = _export(tmp_path, con)
    assert _evidence(cdm, "condition_occurrence", 1) == (
        "A 61-year-old man had sigmoid colon adenocarcinoma.",
        "page 2",
        "sigmoid colon adenocarcinoma",
    )
    assert _evidence(cdm, "death", 1) == (died, "page 4", "died")
    assert _modifiers(cdm, "death", 1)["date_precision"] == "day"
    (note_text,) = _one(cdm, "select note_text from note")
    assert note_text.splitlines() == ["A 61-year-old man had sigmoid colon adenocarcinoma.", died]


def test_a_case_who_did_not_die_keeps_the_cases_evidence_without_a_mention(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, evidence="A man of 61 presented with sigmoid colon adenocarcinoma.")
    cdm = _export(tmp_path, con)
    assert _evidence(cdm, "condition_occurrence", 1)[0] == (
        "A man of 61 presented with sigmoid colon adenocarcinoma."
    )


def test_a_line_with_no_printed_start_anywhere_starts_at_the_anchor(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, diagnosis_date=date(2018, 2, 1), diagnosis_date_precision="month")
    wh.exposure(con, 1, line_no=1)
    wh.line(con, 1)
    cdm = _export(tmp_path, con)
    assert _one(cdm, "select episode_start_date from episode") == (date(2018, 2, 1),)
    assert _modifiers(cdm, "episode", 1)["start_date_from"] == "diagnosis_date"
    assert _modifiers(cdm, "drug_exposure", 1)["start_date_from"] == "diagnosis_date"


def test_a_case_with_no_evidence_gets_a_person_and_no_note(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con, primary_site=None, histology=None, page=None, evidence=None)
    con.close()
    out = tmp_path / "omop"
    export_omop(tmp_path / "w.duckdb", out, OmopFormat.csv)  # CSV: an empty text reads as null
    cdm = cdm_database(tmp_path / "cdm.duckdb")
    load_export(cdm, out)
    assert _one(cdm, "select count(*) from person") == (1,)
    assert _one(cdm, "select count(*) from note") == (0,)


def test_a_progression_without_wording_and_a_line_without_drugs_still_load_from_csv(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    wh.case(con)
    wh.line(con, 1, start_date=date(2020, 3, 1), drugs=[])
    wh.event(con, "progression", event_date=date(2020, 9, 1), detail=None)
    con.close()
    out = tmp_path / "omop"
    export_omop(tmp_path / "w.duckdb", out, OmopFormat.csv)
    cdm = cdm_database(tmp_path / "cdm.duckdb")
    load_export(cdm, out)
    found = cdm.execute(
        "select lexical_variant from note_nlp where term_modifiers like 'omop_table=episode;%' "
        "order by note_nlp_id"
    ).fetchall()
    assert found == [("line 1",), ("progression",)]
