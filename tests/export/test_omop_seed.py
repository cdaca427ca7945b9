"""`caselines export omop` on the seed article: the files load into a database created from
the OMOP CDM v5.4 DDL (with its primary keys), and they say what the warehouse says."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.export.cdm import (
    cdm_columns,
    cdm_database,
    file_columns,
    load_export,
    manifest,
    rows,
    varchar_widths,
)

LINE_OF_THERAPY = 32941
PROGRESSION = 32949
DRUG_EXPOSURE_ID_FIELD = 1147094
GENDER = {"male": 8507, "female": 8532}
runner = CliRunner()


def _export(seed_db: Path, out: Path, fmt: str) -> None:
    result = runner.invoke(
        app, ["export", "omop", "--out", str(out), "--db", str(seed_db), "--format", fmt]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=["csv", "parquet"])
def omop(
    request: pytest.FixtureRequest, seed_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, duckdb.DuckDBPyConnection]]:
    """The seed exported in one format and loaded into the standard's tables."""
    base = tmp_path_factory.mktemp(f"omop-{request.param}")
    out = base / "omop"
    _export(seed_db, out, request.param)
    con = cdm_database(base / "cdm.duckdb")
    load_export(con, out)
    yield out, con
    con.close()


@pytest.fixture(scope="module")
def warehouse(seed_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(seed_db), read_only=True)
    yield con
    con.close()


def test_every_file_has_the_standard_columns_and_row_count(
    omop: tuple[Path, duckdb.DuckDBPyConnection],
) -> None:
    out, con = omop
    for entry in manifest(out)["files"]:
        table = entry["name"]
        assert file_columns(con, out / entry["file"]) == cdm_columns(con, table), table
        (n,) = rows(con, f"select count(*) from {table}")[0]
        assert n == entry["rows"], table


def test_line_episodes_are_the_lines_of_therapy(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    (n_lines,) = rows(warehouse, "select count(*) from lines_of_therapy")[0]
    (n_episodes,) = rows(
        con, "select count(*) from episode where episode_concept_id = ?", LINE_OF_THERAPY
    )[0]
    assert n_episodes == n_lines == 16  # the seed article's 16 lines of therapy (tests/gold)
    exported = rows(
        con,
        "select p.person_source_value, e.episode_number, e.episode_start_date, "
        "e.episode_end_date from episode e join person p using (person_id) "
        "where e.episode_concept_id = ? order by 1, 2",
        LINE_OF_THERAPY,
    )
    lines = rows(
        warehouse,
        "select left(doc_id, 40) || ':' || case_id, line_no, start_date, end_date "
        "from lines_of_therapy order by 1, 2",
    )
    assert exported == lines


def test_episode_concepts_and_types_are_the_oncology_conventions(
    omop: tuple[Path, duckdb.DuckDBPyConnection],
) -> None:
    _, con = omop
    found = rows(
        con,
        "select distinct episode_concept_id, episode_object_concept_id, episode_type_concept_id "
        "from episode order by 1",
    )
    assert found == [(LINE_OF_THERAPY, 0, 32545), (PROGRESSION, 0, 32545)]


def test_one_person_per_case_with_gender_and_year_of_birth(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    cases = rows(
        warehouse,
        "select left(doc_id, 40) || ':' || case_id, sex, year(diagnosis_date) - age "
        "from cases order by 1",
    )
    persons = rows(
        con,
        "select person_source_value, gender_concept_id, year_of_birth from person order by 1",
    )
    assert persons == [(key, GENDER[str(sex)], born) for key, sex, born in cases]


def test_every_exposure_of_a_line_is_linked_to_its_episode(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    linked = rows(
        con,
        "select p.person_source_value, e.episode_number, d.drug_source_value, "
        "d.drug_exposure_start_date from episode_event ee "
        "join episode e using (episode_id) join drug_exposure d on d.drug_exposure_id = "
        "ee.event_id join person p on p.person_id = e.person_id "
        "where ee.episode_event_field_concept_id = ? and d.person_id = e.person_id",
        DRUG_EXPOSURE_ID_FIELD,
    )
    in_lines = rows(
        warehouse,
        "select left(doc_id, 40) || ':' || case_id, line_no, drug_as_printed, start_date "
        "from drug_exposures where line_no is not null",
    )
    assert Counter(linked) == Counter(in_lines)
    (n_events,) = rows(con, "select count(*) from episode_event")[0]
    assert n_events == len(in_lines)


def test_every_exposure_is_exported_with_dose_and_printed_name(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    exported = rows(
        con,
        "select drug_source_value, quantity::double, dose_unit_source_value, drug_concept_id "
        "from drug_exposure",
    )
    printed = rows(
        warehouse, "select drug_as_printed, dose_amount, dose_unit, 0 from drug_exposures"
    )
    assert Counter(exported) == Counter(printed)


def test_required_dates_are_ordered_and_inside_the_observation_period(
    omop: tuple[Path, duckdb.DuckDBPyConnection],
) -> None:
    _, con = omop
    assert rows(
        con,
        "select count(*) from drug_exposure where drug_exposure_end_date < "
        "drug_exposure_start_date",
    ) == [(0,)]
    assert rows(
        con, "select count(*) from episode where episode_end_date < episode_start_date"
    ) == [(0,)]
    outside = rows(
        con,
        "select count(*) from (select person_id, drug_exposure_start_date as d from drug_exposure "
        "union all select person_id, drug_exposure_end_date from drug_exposure "
        "union all select person_id, episode_start_date from episode "
        "union all select person_id, condition_start_date from condition_occurrence "
        "union all select person_id, death_date from death "
        "union all select person_id, measurement_date from measurement) f "
        "join observation_period o "
        "using (person_id) where f.d not between o.observation_period_start_date "
        "and o.observation_period_end_date",
    )
    assert outside == [(0,)]


def test_note_nlp_carries_the_evidence_of_every_exported_fact(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    (version,) = rows(warehouse, "select distinct pipeline_version from documents")[0]
    nlp = rows(
        con,
        'select n.snippet, n."offset", n.nlp_system, n.term_modifiers, t.note_text '
        "from note_nlp n join note t using (note_id)",
    )
    supported = set()
    for snippet, offset, system, modifiers, note_text in nlp:
        assert snippet in note_text
        assert re.fullmatch(r"page \d+", offset)
        assert system == f"caselines {version}"
        fields = dict(kv.split("=", 1) for kv in modifiers.split(";"))
        supported.add((fields["omop_table"], int(fields["omop_id"])))
    exposures = {
        ("drug_exposure", i) for (i,) in rows(con, "select drug_exposure_id from drug_exposure")
    }
    episodes = {("episode", i) for (i,) in rows(con, "select episode_id from episode")}
    conditions = {
        ("condition_occurrence", i)
        for (i,) in rows(con, "select condition_occurrence_id from condition_occurrence")
    }
    deaths = {("death", i) for (i,) in rows(con, "select person_id from death")}
    assert deaths, "the seed's first patient died"
    assert exposures | episodes | conditions | deaths <= supported


def test_free_text_fits_the_standard_varchar_widths(
    omop: tuple[Path, duckdb.DuckDBPyConnection],
) -> None:
    out, con = omop
    tables = {entry["name"] for entry in manifest(out)["files"]}
    for (table, column), width in varchar_widths().items():
        if table in tables:
            (longest,) = rows(con, f'select max(length("{column}")) from {table}')[0]
            assert (longest or 0) <= width, (table, column, longest)


@pytest.mark.parametrize(
    "command",
    [["omop", "--format", "csv"], ["omop", "--format", "parquet"], ["parquet"]],
    ids=["omop-csv", "omop-parquet", "parquet"],
)
def test_the_same_warehouse_gives_the_same_files(
    seed_db: Path, tmp_path: Path, command: list[str]
) -> None:
    for name in ("a", "b"):
        out = tmp_path / name
        result = runner.invoke(app, ["export", *command, "--out", str(out), "--db", str(seed_db)])
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_every_biomarker_is_a_measurement_with_its_source_values(
    omop: tuple[Path, duckdb.DuckDBPyConnection], warehouse: duckdb.DuckDBPyConnection
) -> None:
    _, con = omop
    expected = Counter(
        rows(
            warehouse,
            "select marker || coalesce(' ' || method, ''), value, coalesce(status, result) "
            "from biomarkers b join cases c using (doc_id, case_id) where c.age is not null",
        )
    )
    got = Counter(
        rows(
            con,
            "select measurement_source_value, value_as_number::double, value_source_value "
            "from measurement",
        )
    )
    assert expected and got == expected
    assert rows(
        con,
        "select distinct measurement_concept_id, measurement_source_concept_id from measurement",
    ) == [(0, 0)]
    measured = rows(
        con,
        "select count(*) from measurement where value_as_number is not null "
        "and (unit_concept_id <> 0 or unit_source_value is null)",
    )
    assert measured == [(0,)]
    supported = {
        int(dict(kv.split("=", 1) for kv in m.split(";"))["omop_id"])
        for (m,) in rows(con, "select term_modifiers from note_nlp")
        if m.startswith("omop_table=measurement;")
    }
    ids = {i for (i,) in rows(con, "select measurement_id from measurement")}
    assert ids == supported
