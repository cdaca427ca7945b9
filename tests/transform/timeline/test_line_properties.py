"""Invariants of the line rules over random dated treatment histories (hypothesis)."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transform.timeline.placeholders import derive_lines
from transform.records import (
    Assessment,
    CaseEvents,
    CaseInfo,
    ClinicalEvent,
    DrugExposure,
    Provenance,
)
from transform.timeline.lines import LineRules
from transform.timeline.pfs import MONTH_LENGTHS, apply_pfs, infer_month_length, pfs_months
from transform.types import RESPONSES, Setting

EXAMPLES = settings(max_examples=200, deadline=None)
ORIGIN = date(2010, 1, 1)
SPAN_DAYS = 4000
DRUGS = ("a", "b", "c", "d", "e", "f")
HINTS: tuple[Setting | None, ...] = (None, None, None, "adjuvant", "neoadjuvant")


def _day(offset: int) -> date:
    return ORIGIN + timedelta(days=offset)


@st.composite
def histories(draw: st.DrawFn) -> CaseEvents:
    """A patient: episodes of drugs (some undated, some maintenance), progressions, death."""
    n_episodes = draw(st.integers(1, 8))
    starts = sorted(
        draw(st.lists(st.integers(0, SPAN_DAYS), min_size=n_episodes, max_size=n_episodes))
    )
    exposures: list[DrugExposure] = []
    for episode, start in enumerate(starts, start=1):
        dated = draw(st.booleans()) or episode == 1
        hint = draw(st.sampled_from(HINTS))
        for drug in draw(st.lists(st.sampled_from(DRUGS), min_size=1, max_size=3, unique=True)):
            exposures.append(
                DrugExposure(
                    case_id=1,
                    episode=episode,
                    drug=drug,
                    drug_as_printed=drug.upper(),
                    prov=Provenance(1, f"episode {episode}", order=episode * 10),
                    drug_class=draw(st.sampled_from([None, None, "endocrine therapy", "chemo"])),
                    start_date=_day(start) if dated else None,
                    start_precision="day" if dated else None,
                    end_date=_day(start + draw(st.integers(0, 300))) if dated else None,
                    setting_hint=hint,
                    maintenance=draw(st.booleans()),
                    after_progression=draw(st.integers(0, 5)) == 0,
                )
            )
    events: list[ClinicalEvent] = []
    for offset in draw(st.lists(st.integers(0, SPAN_DAYS + 400), max_size=6)):
        undated = draw(st.integers(0, 6)) == 0
        events.append(
            ClinicalEvent(
                1,
                "progression",
                None if undated else _day(offset),
                Provenance(1, "PD", order=draw(st.integers(0, 100))),
            )
        )
    if draw(st.booleans()):
        events.append(
            ClinicalEvent(
                1,
                "metastasis",
                _day(draw(st.integers(0, SPAN_DAYS))),
                Provenance(1, "met", order=draw(st.integers(0, 100))),
            )
        )
    if draw(st.booleans()):
        events.append(
            ClinicalEvent(1, "surgery", _day(draw(st.integers(0, SPAN_DAYS))), Provenance(1, "op"))
        )
    death = _day(SPAN_DAYS + draw(st.integers(1, 800))) if draw(st.booleans()) else None
    assessments = tuple(
        Assessment(1, _day(offset), resp, Provenance(1, "scan", order=draw(st.integers(0, 100))))
        for offset, resp in draw(
            st.lists(
                st.tuples(st.integers(0, SPAN_DAYS), st.sampled_from(RESPONSES)),
                max_size=5,
            )
        )
    )
    return CaseEvents(
        info=CaseInfo(case_id=1, death_date=death),
        exposures=tuple(exposures),
        events=tuple(events),
        assessments=assessments,
    )


rules_strategy = st.builds(
    LineRules,
    start_window_days=st.integers(0, 60),
    new_drug_without_progression_starts_line=st.booleans(),
)


@EXAMPLES
@given(histories(), rules_strategy)
def test_lines_numbered_ordered_and_not_overlapping(case: CaseEvents, rules: LineRules) -> None:
    lines = derive_lines(case, rules).lines
    assert [x.line_no for x in lines] == list(range(1, len(lines) + 1))
    starts = [x.start_date for x in lines if x.start_date is not None]
    assert starts == sorted(starts)
    for line, nxt in itertools.pairwise(lines):
        if line.pfs_event_date is not None and nxt.start_date is not None:
            assert line.pfs_event_date <= nxt.start_date
        assert line.pfs_event != "death"  # only the last line can end in death


@EXAMPLES
@given(histories(), rules_strategy, st.sampled_from(MONTH_LENGTHS))
def test_pfs_is_never_negative(case: CaseEvents, rules: LineRules, month_days: float) -> None:
    for line in apply_pfs(derive_lines(case, rules).lines, month_days):
        if line.pfs_event_date is not None and line.start_date is not None:
            assert line.pfs_event_date > line.start_date
        assert line.pfs_months is None or line.pfs_months >= 0


@EXAMPLES
@given(histories(), rules_strategy)
def test_every_metastatic_exposure_in_exactly_one_line(case: CaseEvents, rules: LineRules) -> None:
    result = derive_lines(case, rules)
    numbers = {x.line_no for x in result.lines}
    drugs_by_line: dict[int, set[str]] = {n: set() for n in numbers}
    for exp in result.exposures:
        if exp.setting == "metastatic":
            assert exp.line_no in numbers
            drugs_by_line[exp.line_no].add(exp.drug)
        else:
            assert exp.line_no is None
    assert {x.line_no: set(x.drugs) for x in result.lines} == drugs_by_line
    assert len(result.exposures) == len(case.exposures)


@EXAMPLES
@given(histories())
def test_adjuvant_exposures_in_no_line(case: CaseEvents) -> None:
    result = derive_lines(case)
    for given_exp, got in zip(case.exposures, result.exposures, strict=True):
        if given_exp.setting_hint in ("adjuvant", "neoadjuvant"):
            assert (got.setting, got.line_no) == (given_exp.setting_hint, None)


@EXAMPLES
@given(histories(), st.data())
def test_maintenance_without_progression_never_opens_a_line(case: CaseEvents, data: Any) -> None:
    """Add a maintenance drug inside a line, before anything closes it: same lines, same line."""
    before = derive_lines(case)
    candidates = [x for x in before.lines if x.start_date is not None]
    if not candidates:
        return
    line = data.draw(st.sampled_from(candidates))
    assert line.start_date is not None
    nxt = next((x for x in before.lines if x.line_no == line.line_no + 1), None)
    limits = [
        e.event_date
        for e in case.events
        if e.kind == "progression" and e.event_date is not None and e.event_date > line.start_date
    ]
    if nxt is not None:
        if nxt.start_date is None:
            return
        limits.append(nxt.start_date)
    if any(e.kind == "progression" and e.event_date is None for e in case.events):
        return  # undated progressions are placed by story order; keep this property to dates
    if line.pfs_event == "progression" and line.pfs_event_date is None:
        return  # the next line says it followed a progression
    if nxt is not None and any(
        e.start_date is None for e in before.exposures if e.line_no == nxt.line_no
    ):
        return  # an undated next line is placed at its story neighbour's date
    room = (min(limits) - line.start_date).days - 1 if limits else 365
    if room < 1:
        return
    when = line.start_date + timedelta(days=data.draw(st.integers(1, room)))
    opener = next(e for e in before.exposures if e.line_no == line.line_no)
    added = DrugExposure(
        case_id=1,
        episode=max(e.episode for e in case.exposures) + 1,
        drug="maint",
        drug_as_printed="MAINT",
        prov=dataclasses.replace(opener.prov, order=opener.prov.order + 1),
        start_date=when,
        maintenance=data.draw(st.booleans()),
        drug_class=None if added_flag(data) else "endocrine therapy",
    )
    if not added.maintenance and added.drug_class is None:
        added = dataclasses.replace(added, maintenance=True)
    after = derive_lines(dataclasses.replace(case, exposures=(*case.exposures, added)))
    assert len(after.lines) == len(before.lines)
    assert after.exposures[-1].line_no == line.line_no
    assert [x.start_date for x in after.lines] == [x.start_date for x in before.lines]


def added_flag(data: Any) -> bool:
    flag: bool = data.draw(st.booleans())
    return flag


@EXAMPLES
@given(st.lists(st.tuples(st.integers(-100, 5000), st.floats(-10, 200, allow_nan=False))))
def test_infer_month_length_is_one_of_two(pairs: list[tuple[int, float]]) -> None:
    assert infer_month_length(pairs) in (30.0, 30.4375)


@EXAMPLES
@given(st.lists(st.integers(0, 3000), min_size=1, max_size=12), st.sampled_from(MONTH_LENGTHS))
def test_infer_month_length_recovers_the_month_used(days: list[int], month_days: float) -> None:
    """Figures printed with one month length are recognised as such (unless indistinguishable)."""

    def months(d: int, length: float) -> float:
        return pfs_months(ORIGIN, ORIGIN + timedelta(days=d), length)

    pairs = [(d, months(d, month_days)) for d in days]
    other = next(m for m in MONTH_LENGTHS if m != month_days)
    if all(months(d, other) == months(d, month_days) for d in days):
        assert infer_month_length(pairs) == 30.4375
    else:
        assert infer_month_length(pairs) == month_days
