"""Any warehouse the schema allows exports to OMOP files that load into the standard's
tables (required columns filled, primary keys unique) with dates in order: the class of
"a required OMOP value the article did not print", tested on generated warehouses."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from export import OmopFormat, export_omop
from tests.export import warehouse as wh
from tests.export.cdm import cdm_database, load_export, rows

CaseRow = tuple[Any, ...]
"""(age, sex, site, diagnosed, died, exposures, lines, progression events) of one case."""
EXAMPLES = settings(max_examples=12, deadline=None)
PRECISIONS = st.sampled_from(["day", "month", "year"])
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
MAYBE_DATE = st.none() | DATES

exposure_rows = st.lists(
    st.tuples(st.none() | st.integers(1, 2), MAYBE_DATE, MAYBE_DATE, st.integers(1, 2)),
    max_size=4,
)
case_rows = st.lists(
    st.tuples(
        st.none() | st.integers(18, 90),
        st.none() | st.sampled_from(["female", "male"]),
        st.none() | st.sampled_from(["rectum", "lung"]),
        MAYBE_DATE,
        MAYBE_DATE,
        exposure_rows,
        st.lists(st.tuples(MAYBE_DATE, MAYBE_DATE, MAYBE_DATE), max_size=2),
        st.lists(st.tuples(MAYBE_DATE, st.none() | st.just("PD")), max_size=2),
    ),
    min_size=1,
    max_size=3,
)


def _build(path: Path, cases: list[CaseRow], year: int | None, precision: str) -> None:
    con = wh.new_warehouse(path, year=year)
    exposure_no = 0
    for case_id, (age, sex, site, diagnosed, died, exposures, lines, events) in enumerate(cases, 1):
        wh.case(
            con,
            case_id,
            age=age,
            sex=sex,
            primary_site=site,
            diagnosis_date=diagnosed,
            diagnosis_date_precision=precision if diagnosed else None,
            death_date=died,
            death_date_precision=precision if died else None,
        )
        for line_no, (start, end, progressed) in enumerate(lines, 1):
            wh.line(
                con,
                line_no,
                case_id=case_id,
                start_date=start,
                start_date_precision=precision if start else None,
                end_date=end,
                end_date_precision=precision if end else None,
                pfs_event="progression" if progressed else None,
                pfs_event_date=progressed,
            )
        for line_no, start, end, episode in exposures:
            exposure_no += 1
            wh.exposure(
                con,
                exposure_no,
                case_id=case_id,
                episode=episode,
                line_no=line_no if line_no and line_no <= len(lines) else None,
                start_date=start,
                start_date_precision=precision if start else None,
                end_date=end,
                end_date_precision=precision if end else None,
            )
        for when, detail in events:
            wh.event(con, "progression", case_id=case_id, event_date=when, detail=detail)
    con.close()


@EXAMPLES
@given(
    cases=case_rows,
    year=st.none() | st.integers(2000, 2030),
    precision=PRECISIONS,
    fmt=st.sampled_from(list(OmopFormat)),
)
def test_any_warehouse_loads_into_the_standard(
    cases: list[CaseRow], year: int | None, precision: str, fmt: OmopFormat
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _build(folder / "w.duckdb", cases, year, precision)
        result = export_omop(folder / "w.duckdb", folder / "omop", fmt)
        cdm = cdm_database(folder / "cdm.duckdb")
        load_export(cdm, folder / "omop")
        with_age = sum(1 for c in cases if c[0] is not None)
        assert rows(cdm, "select count(*) from person") == [(with_age,)]
        assert len(result.skipped) == len(cases) - with_age
        assert rows(
            cdm,
            "select count(*) from drug_exposure "
            "where drug_exposure_end_date < drug_exposure_start_date",
        ) == [(0,)]
        assert rows(
            cdm, "select count(*) from episode where episode_end_date < episode_start_date"
        ) == [(0,)]
        assert rows(
            cdm,
            "select count(*) from episode_event ee join drug_exposure d "
            "on d.drug_exposure_id = ee.event_id join episode e using (episode_id) "
            "where d.person_id <> e.person_id",
        ) == [(0,)]
        cdm.close()
