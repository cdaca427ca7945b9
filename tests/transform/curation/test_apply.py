"""Corrections applied to a patient's events before the lines are derived (pure records)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from extract.records import DocumentMeta
from transform.assemble import assemble
from transform.records import (
    CaseEvents,
    CaseInfo,
    ClinicalEvent,
    Correction,
    CorrectionTarget,
    CuratedDate,
    CuratedValue,
    DrugExposure,
    Extraction,
    Line,
    Provenance,
)
from transform.types import CorrectionAction, CorrectionRow

MADE = date(2026, 12, 6)


def _prov(order: int, sentence: str = "A sentence of the story.") -> Provenance:
    return Provenance(page=2, sentence=sentence, order=order)


def _exposure(drug: str, episode: int, start: date, order: int) -> DrugExposure:
    return DrugExposure(
        1, episode, drug, drug, _prov(order), start_date=start, start_precision="day"
    )


def _progression(day: date, order: int) -> ClinicalEvent:
    return ClinicalEvent(1, "progression", day, _prov(order), "day")


def _case(*rows: DrugExposure | ClinicalEvent) -> CaseEvents:
    return CaseEvents(
        CaseInfo(1, histology="adenocarcinoma"),
        exposures=tuple(r for r in rows if isinstance(r, DrugExposure)),
        events=tuple(r for r in rows if isinstance(r, ClinicalEvent)),
    )


TWO_LINES = _case(
    _exposure("paclitaxel", 1, date(2020, 1, 1), 1),
    _progression(date(2020, 6, 1), 2),
    _exposure("capecitabine", 2, date(2020, 7, 1), 3),
    _progression(date(2021, 1, 1), 4),
)
"""Paclitaxel until a progression, then capecitabine until the next."""

WITHOUT_PROGRESSION = _case(
    _exposure("gemcitabine", 1, date(2019, 2, 4), 1),
    _exposure("bevacizumab", 2, date(2019, 5, 6), 2),
    _progression(date(2019, 11, 11), 3),
)
"""Gemcitabine, then a new drug months later with no progression between: two lines by the
Merck rule (a new non-maintenance drug after the regimen window)."""


def _run(case: CaseEvents, *corrections: Correction) -> Extraction:
    shell = Extraction("d" * 64, "/tmp/x.pdf", DocumentMeta(), machine_cases=(case,))
    return assemble(shell, corrections)


def _fix(
    row: CorrectionRow,
    action: CorrectionAction = "set",
    key: Sequence[tuple[str, str]] = (),
    values: Sequence[tuple[str, CuratedValue]] = (),
    case_id: int | None = 1,
    number: int = 1,
) -> Correction:
    return Correction(
        action,
        CorrectionTarget(row, case_id, tuple(key)),
        "the text says so",
        "tester",
        MADE,
        tuple(values),
        number=number,
    )


def _line(ext: Extraction, number: int) -> Line:
    return next(ln for ln in ext.lines if ln.line_no == number)


def test_a_corrected_progression_date_moves_the_line_pfs() -> None:
    machine = _run(TWO_LINES)
    fix = _fix(
        "line",
        key=[("line", "1"), ("drugs", "paclitaxel")],
        values=[("progression", CuratedDate(date(2020, 4, 1), "day"))],
    )
    curated = _run(TWO_LINES, fix)
    assert _line(machine, 1).pfs_event_date == date(2020, 6, 1)
    assert _line(curated, 1).pfs_event_date == date(2020, 4, 1)
    assert _line(curated, 1).pfs_months == round(91 / 30.4375, 1)
    assert _line(curated, 1).pfs_months != _line(machine, 1).pfs_months
    assert _line(curated, 1).curated == "the text says so"
    assert _line(curated, 2) == _line(machine, 2)
    [outcome] = curated.corrections
    assert (outcome.status, outcome.field, outcome.machine_value, outcome.curated_value) == (
        "applied",
        "progression",
        "2020-06-01",
        "2020-04-01",
    )
    # the machine's events are kept as they were, for the next application
    assert curated.machine_cases == (TWO_LINES,)


def test_a_line_without_a_progression_gets_the_one_added() -> None:
    last_open = _case(_exposure("docetaxel", 1, date(2018, 3, 5), 1))
    fix = _fix(
        "line",
        key=[("line", "1")],
        values=[("progression", CuratedDate(date(2018, 9, 1), "month"))],
    )
    line = _line(_run(last_open, fix), 1)
    assert (line.pfs_event, line.pfs_event_date) == ("progression", date(2018, 9, 1))


def test_dropping_the_drug_that_opened_a_line_merges_it_away() -> None:
    machine = _run(WITHOUT_PROGRESSION)
    assert [ln.drugs for ln in machine.lines] == [("gemcitabine",), ("bevacizumab",)]
    drop = _fix("exposure", "remove", key=[("drug", "bevacizumab")])
    curated = _run(WITHOUT_PROGRESSION, drop)
    assert [ln.drugs for ln in curated.lines] == [("gemcitabine",)]
    assert _line(curated, 1).pfs_event_date == date(2019, 11, 11)
    assert all(x.drug != "bevacizumab" for x in curated.exposures)


def test_dropping_a_line_removes_its_drugs_and_renumbers_the_next() -> None:
    drop = _fix("line", "remove", key=[("line", "1"), ("drugs", "paclitaxel")])
    curated = _run(TWO_LINES, drop)
    assert [(ln.line_no, ln.drugs) for ln in curated.lines] == [(1, ("capecitabine",))]


def test_a_line_target_whose_drugs_changed_is_stale_not_applied() -> None:
    fix = _fix(
        "line",
        key=[("line", "2"), ("drugs", "gemcitabine")],
        values=[("start", CuratedDate(date(2020, 8, 1), "day"))],
    )
    machine = _run(TWO_LINES)
    curated = _run(TWO_LINES, fix)
    assert curated.lines == machine.lines
    [outcome] = curated.corrections
    assert outcome.status == "stale"
    assert outcome.reason is not None and "capecitabine" in outcome.reason


def test_a_missing_exposure_or_case_is_stale() -> None:
    gone = _fix("exposure", "remove", key=[("drug", "ibuprofen")])
    other_case = _fix("case", values=[("age", 61)], case_id=4, number=2)
    curated = _run(TWO_LINES, gone, other_case)
    assert [o.status for o in curated.corrections] == ["stale", "stale"]
    assert len(curated.exposures) == len(TWO_LINES.exposures)


def test_corrections_apply_in_order_each_to_what_the_one_before_left() -> None:
    """After line 1 is dropped, 'line 1 (capecitabine)' is the line the researcher then saw."""
    drop = _fix("line", "remove", key=[("line", "1"), ("drugs", "paclitaxel")])
    start = _fix(
        "line",
        key=[("line", "1"), ("drugs", "capecitabine")],
        values=[("start", CuratedDate(date(2020, 7, 15), "day"))],
        number=2,
    )
    curated = _run(TWO_LINES, drop, start)
    assert [o.status for o in curated.corrections] == ["applied", "applied"]
    assert _line(curated, 1).start_date == date(2020, 7, 15)


def test_an_added_exposure_makes_its_line_and_is_marked() -> None:
    add = _fix(
        "exposure",
        "add",
        values=[("drug", "irinotecan"), ("start", CuratedDate(date(2021, 2, 1), "day"))],
    )
    curated = _run(TWO_LINES, add)
    assert _line(curated, 3).drugs == ("irinotecan",)
    added = next(x for x in curated.exposures if x.drug == "irinotecan")
    assert added.curated == "the text says so"
    assert added.prov.page == 0 and "tester" in added.prov.sentence


def test_a_document_that_is_not_oncology_has_no_cases() -> None:
    curated = _run(TWO_LINES, _fix("document", "remove", case_id=None))
    assert curated.cases == () and curated.lines == ()
    assert any("not oncology" in w for w in curated.warnings)


def test_a_case_field_is_set_with_its_precision() -> None:
    fix = _fix("case", values=[("diagnosis_date", CuratedDate(date(2019, 3, 1), "month"))])
    [info] = _run(TWO_LINES, fix).cases
    assert (info.diagnosis_date, info.diagnosis_precision) == (date(2019, 3, 1), "month")
    assert info.curated == "the text says so"
