"""Line rules on the seed article's story, built by hand from the gold file, and on made-up cases.

The input is the story's events (drugs with their dates, progressions, death, metastasis),
read from tests/gold/tcr-22-2483.yaml; the expected lines are the gold's lines. The rules
must turn one into the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.transform.timeline.placeholders import derive_lines
from transform.records import (
    AdverseEvent,
    Assessment,
    CaseEvents,
    CaseInfo,
    ClinicalEvent,
    DrugExposure,
    Line,
    Provenance,
    ReportedPfs,
)
from transform.timeline.lines import DEFAULT_RULES, CaseLines, LineRules
from transform.timeline.pfs import apply_pfs, infer_month_length, month_pairs

GOLD = Path(__file__).resolve().parents[2] / "gold" / "tcr-22-2483.yaml"

ENDOCRINE = "endocrine therapy"
"""Drug classes are lexicon facts, not story facts; the endocrine drugs of the seed."""
DRUG_CLASSES = {
    d: ENDOCRINE for d in ("tamoxifen", "letrozole", "anastrozole", "exemestane", "fulvestrant")
}


def load_gold() -> dict[str, Any]:
    with GOLD.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _Story:
    """Hands out story positions (sentence order) and episode numbers as the story goes."""

    def __init__(self) -> None:
        self.order = 0
        self.episode = 0

    def prov(self, text: str) -> Provenance:
        self.order += 1
        return Provenance(page=1, sentence=text, order=self.order)

    def next_episode(self) -> int:
        self.episode += 1
        return self.episode


def _exposures(
    case_id: int,
    story: _Story,
    drugs: list[str],
    start: date | None,
    end: date | None,
    *,
    regimen: str | None = None,
    maintenance: bool = False,
) -> list[DrugExposure]:
    episode = story.next_episode()
    prov = story.prov(f"{regimen or ' + '.join(drugs)} from {start} to {end}")
    return [
        DrugExposure(
            case_id=case_id,
            episode=episode,
            drug=drug,
            drug_as_printed=drug,
            prov=prov,
            drug_class=DRUG_CLASSES.get(drug),
            regimen=regimen,
            start_date=start,
            start_precision="day" if start else None,
            end_date=end,
            end_precision="day" if end else None,
            maintenance=maintenance,
        )
        for drug in drugs
    ]


def gold_case_events(gold_case: dict[str, Any]) -> CaseEvents:
    """The story of one gold case as the events stage would tell it (no lines in it)."""
    case_id = int(gold_case["case"])
    story = _Story()
    exposures: list[DrugExposure] = []
    events: list[ClinicalEvent] = []
    assessments: list[Assessment] = []
    reported: list[ReportedPfs] = []

    primary = gold_case["primary"]
    events.append(
        ClinicalEvent(case_id, "surgery", _day(primary["surgery_date"]), story.prov("surgery"))
    )
    for regimen in gold_case.get("adjuvant", []):
        if regimen["drugs"]:
            exposures += _exposures(
                case_id,
                story,
                list(regimen["drugs"]),
                _day(regimen.get("start")),
                _day(regimen.get("end")),
                regimen=regimen["regimen"],
            )
    metastasis = gold_case["metastasis"]
    events.append(
        ClinicalEvent(
            case_id, "metastasis", _day(metastasis["first_detected"]), story.prov("metastasis")
        )
    )
    for line in gold_case["lines"]:
        phases = line.get("phases") or [
            {"drugs": line["drugs"], "start": line["start"], "end": line["end"]}
        ]
        for number, phase in enumerate(phases):
            drugs = list(phase["drugs"])
            # The text calls a later single-drug endocrine phase "maintenance".
            maintenance = number > 0 and all(DRUG_CLASSES.get(d) == ENDOCRINE for d in drugs)
            exposures += _exposures(
                case_id,
                story,
                drugs,
                _day(phase["start"]),
                _day(phase["end"]),
                maintenance=maintenance,
            )
        if line.get("best_response"):
            assessments.append(
                Assessment(
                    case_id, None, line["best_response"], story.prov("best response"), best=True
                )
            )
        if line["pfs_event"] == "progression":
            events.append(
                ClinicalEvent(
                    case_id,
                    "progression",
                    _day(line["pfs_event_date"]),
                    story.prov("PD"),
                    precision="day" if line["pfs_event_date"] else None,
                )
            )
        if line.get("pfs_months_reported") is not None:
            reported.append(
                ReportedPfs(
                    case_id,
                    float(line["pfs_months_reported"]),
                    story.prov(f"PFS of {line['pfs_months_reported']} months"),
                    end_date=_day(line["pfs_event_date"]),
                )
            )
    death = _day(gold_case.get("death_date"))
    if death is not None:
        events.append(ClinicalEvent(case_id, "death", death, story.prov("passed away")))
    info = CaseInfo(case_id=case_id, death_date=death, death_precision="day" if death else None)
    return CaseEvents(
        info=info,
        exposures=tuple(exposures),
        events=tuple(events),
        assessments=tuple(assessments),
        reported_pfs=tuple(reported),
    )


def gold_cases() -> list[dict[str, Any]]:
    return list(load_gold()["cases"])


def derive_gold(rules: LineRules = DEFAULT_RULES) -> list[tuple[dict[str, Any], CaseLines]]:
    """derive_lines over every gold case, then PFS with the month length learnt from all."""
    derived = [(c, derive_lines(gold_case_events(c), rules)) for c in gold_cases()]
    month_days = infer_month_length(month_pairs(line for _, cl in derived for line in cl.lines))
    return [
        (c, dataclasses.replace(cl, lines=apply_pfs(cl.lines, month_days))) for c, cl in derived
    ]


def _gold_lines() -> Iterator[tuple[int, dict[str, Any]]]:
    for case in gold_cases():
        for line in case["lines"]:
            yield int(case["case"]), line


GOLD_LINE_IDS = [f"case{c}-line{line['line']}" for c, line in _gold_lines()]


@pytest.fixture(scope="module")
def derived() -> dict[int, CaseLines]:
    return {int(c["case"]): cl for c, cl in derive_gold()}


# --- the seed article ----------------------------------------------------------------------


def test_gold_has_sixteen_lines() -> None:
    assert len(list(_gold_lines())) == 16


def test_line_count_per_case(derived: dict[int, CaseLines]) -> None:
    for case in gold_cases():
        got = derived[int(case["case"])].lines
        assert [line.line_no for line in got] == [g["line"] for g in case["lines"]]


@pytest.mark.parametrize(("case_id", "gold_line"), list(_gold_lines()), ids=GOLD_LINE_IDS)
def test_gold_line(derived: dict[int, CaseLines], case_id: int, gold_line: dict[str, Any]) -> None:
    lines = {line.line_no: line for line in derived[case_id].lines}
    got = lines[gold_line["line"]]
    assert got.start_date == _day(gold_line["start"])
    assert set(got.drugs) == set(gold_line["drugs"])
    assert list(got.drugs) == sorted(got.drugs)
    assert got.pfs_event == gold_line["pfs_event"]
    assert got.pfs_event_date == _day(gold_line["pfs_event_date"])
    assert got.pfs_months == gold_line["pfs_months_days30"]
    assert got.pfs_months_reported == gold_line["pfs_months_reported"]
    assert got.best_response == gold_line["best_response"]


def test_month_length_is_thirty_days_from_fourteen_figures(
    derived: dict[int, CaseLines],
) -> None:
    raw = [derive_lines(gold_case_events(c)) for c in gold_cases()]
    pairs = month_pairs(line for cl in raw for line in cl.lines)
    assert len(pairs) == 14
    assert infer_month_length(pairs) == 30.0


def test_only_case1_line2_is_inconsistent(derived: dict[int, CaseLines]) -> None:
    flagged = [
        (cid, line.line_no)
        for cid, cl in derived.items()
        for line in cl.lines
        if line.pfs_consistent is False
    ]
    assert flagged == [(1, 2)]
    line2 = derived[1].lines[1]
    assert (line2.pfs_months_reported, line2.pfs_months) == (11.1, 11.2)


def test_adjuvant_exposures_get_no_line(derived: dict[int, CaseLines]) -> None:
    for case in gold_cases():
        adjuvant_drugs = {d for r in case.get("adjuvant", []) for d in r["drugs"]}
        cl = derived[int(case["case"])]
        pre = [e for e in cl.exposures if e.setting != "metastatic"]
        assert {e.drug for e in pre} == adjuvant_drugs
        assert all(e.line_no is None and e.setting == "adjuvant" for e in pre)
        assert all(e.line_no is not None for e in cl.exposures if e.setting == "metastatic")


def test_maintenance_letrozole_stays_in_line_3(derived: dict[int, CaseLines]) -> None:
    letrozole = [e for e in derived[1].exposures if e.drug == "letrozole"]
    assert [(e.start_date, e.line_no) for e in letrozole] == [(date(2014, 6, 11), 3)]


def test_line_end_is_last_stop(derived: dict[int, CaseLines]) -> None:
    lines = derived[1].lines
    assert lines[2].end_date == date(2015, 4, 16)
    assert lines[5].end_date == date(2017, 2, 23)


def test_assessments_tied_to_their_lines(derived: dict[int, CaseLines]) -> None:
    for case in gold_cases():
        cl = derived[int(case["case"])]
        expected = [g["line"] for g in case["lines"] if g.get("best_response")]
        assert [a.line_no for a in cl.assessments] == expected


def test_pfs_of_line_8_attaches_by_length_not_by_sentence_date() -> None:
    """'changed to X ... until May 29, 2019, producing a PFS of 8.4 months' is line 8's PFS."""
    case = gold_case_events(gold_cases()[0])
    reported = tuple(
        dataclasses.replace(r, end_date=date(2019, 5, 29)) if r.months == 8.4 else r
        for r in case.reported_pfs
    )
    lines = derive_lines(dataclasses.replace(case, reported_pfs=reported)).lines
    assert lines[7].pfs_months_reported == 8.4
    assert lines[8].pfs_months_reported == 16.3


def test_extra_progressions_between_lines_change_nothing() -> None:
    """The article reports more scans showing PD than the lines' events (CT of July 18, 2011,
    before line 1; December 12, 2015 after line 4's PD; August 29, 2017 and October 23, 2018
    in case 2): a progression before a line or re-confirmed before the next does not move
    any line."""
    extra = {1: (date(2011, 7, 18), date(2015, 12, 12)), 2: (date(2017, 8, 29), date(2018, 10, 23))}
    for case in gold_cases():
        story = gold_case_events(case)
        added = tuple(
            ClinicalEvent(story.info.case_id, "progression", d, Provenance(1, "PD", order=0))
            for d in extra[story.info.case_id]
        )
        before = derive_lines(story).lines
        after = derive_lines(dataclasses.replace(story, events=story.events + added)).lines
        assert [(x.start_date, x.drugs, x.pfs_event_date) for x in after] == [
            (x.start_date, x.drugs, x.pfs_event_date) for x in before
        ]


def test_undated_progression_closes_line_without_a_date(derived: dict[int, CaseLines]) -> None:
    line4 = derived[2].lines[3]
    assert (line4.pfs_event, line4.pfs_event_date, line4.pfs_months) == ("progression", None, None)


# --- made-up cases: one rule each -------------------------------------------------------------

P = Provenance(page=1, sentence="made up")


def _exp(
    drug: str,
    episode: int,
    start: date | None,
    *,
    end: date | None = None,
    order: int = 0,
    **kw: Any,
) -> DrugExposure:
    prov = dataclasses.replace(P, order=order)
    return DrugExposure(
        case_id=1,
        episode=episode,
        drug=drug,
        drug_as_printed=drug,
        prov=prov,
        start_date=start,
        end_date=end,
        **kw,
    )


def _ev(kind: Any, when: date | None, order: int = 0) -> ClinicalEvent:
    return ClinicalEvent(1, kind, when, dataclasses.replace(P, order=order))


def _case(
    *exposures: DrugExposure, events: tuple[ClinicalEvent, ...] = (), **kw: Any
) -> CaseEvents:
    return CaseEvents(info=CaseInfo(case_id=1), exposures=exposures, events=events, **kw)


def _drug_sets(lines: tuple[Line, ...]) -> list[set[str]]:
    return [set(line.drugs) for line in lines]


def test_drugs_within_window_form_one_regimen() -> None:
    case = _case(_exp("a", 1, date(2020, 1, 1)), _exp("b", 2, date(2020, 1, 20)))
    assert _drug_sets(derive_lines(case).lines) == [{"a", "b"}]


def test_new_drug_after_window_without_progression_is_a_rule_parameter() -> None:
    case = _case(_exp("a", 1, date(2020, 1, 1)), _exp("b", 2, date(2020, 4, 1)))
    assert _drug_sets(derive_lines(case).lines) == [{"a"}, {"b"}]
    lenient = LineRules(new_drug_without_progression_starts_line=False)
    assert _drug_sets(derive_lines(case, lenient).lines) == [{"a", "b"}]
    assert derive_lines(case).lines[0].pfs_event is None


def test_restart_after_progression_is_a_new_line() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        _exp("a", 2, date(2020, 6, 1)),
        events=(_ev("progression", date(2020, 5, 1)),),
    )
    lines = derive_lines(case).lines
    assert [(x.line_no, x.drugs, x.pfs_event_date) for x in lines] == [
        (1, ("a",), date(2020, 5, 1)),
        (2, ("a",), None),
    ]


def test_continuing_part_of_regimen_without_progression_stays() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        _exp("b", 1, date(2020, 1, 1)),
        _exp("a", 2, date(2020, 9, 1)),
        events=(_ev("progression", date(2021, 1, 1)),),
    )
    lines = derive_lines(case).lines
    assert [(x.drugs, x.pfs_event_date) for x in lines] == [(("a", "b"), date(2021, 1, 1))]


def test_maintenance_by_class_or_flag_stays_but_not_after_progression() -> None:
    by_class = _case(
        _exp("chemo", 1, date(2020, 1, 1)),
        _exp("ai", 2, date(2020, 7, 1), drug_class="Aromatase Inhibitor"),
    )
    assert _drug_sets(derive_lines(by_class).lines) == [{"chemo", "ai"}]
    flagged = _case(
        _exp("chemo", 1, date(2020, 1, 1)), _exp("x", 2, date(2020, 7, 1), maintenance=True)
    )
    assert _drug_sets(derive_lines(flagged).lines) == [{"chemo", "x"}]
    after_pd = dataclasses.replace(flagged, events=(_ev("progression", date(2020, 6, 1)),))
    assert _drug_sets(derive_lines(after_pd).lines) == [{"chemo"}, {"x"}]


@pytest.mark.parametrize(
    "drug_class", ["SERM", "SERD", "GnRH agonist", "aromatase inhibitor", "endocrine therapy"]
)
def test_every_endocrine_class_is_maintenance(drug_class: str) -> None:
    """Tamoxifen (SERM), fulvestrant (SERD) or goserelin (GnRH agonist) added without
    progression continue the line, as an aromatase inhibitor does."""
    case = _case(
        _exp("chemo", 1, date(2020, 1, 1)),
        _exp("hormone", 2, date(2020, 7, 1), drug_class=drug_class),
    )
    assert _drug_sets(derive_lines(case).lines) == [{"chemo", "hormone"}]


def test_a_targeted_drug_added_without_progression_opens_a_line() -> None:
    case = _case(
        _exp("chemo", 1, date(2020, 1, 1)),
        _exp("tki", 2, date(2020, 7, 1), drug_class="VEGFR TKI"),
    )
    assert _drug_sets(derive_lines(case).lines) == [{"chemo"}, {"tki"}]


def test_progression_on_the_day_the_next_line_starts_closes_the_old_line() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        _exp("b", 2, date(2020, 9, 1)),
        events=(_ev("progression", date(2020, 9, 1)), _ev("progression", date(2021, 3, 1))),
    )
    lines = derive_lines(case).lines
    assert [x.pfs_event_date for x in lines] == [date(2020, 9, 1), date(2021, 3, 1)]


def test_progression_after_stop_but_before_next_line_closes_the_line() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1), end=date(2020, 3, 1)),
        _exp("b", 2, date(2020, 9, 1)),
        events=(_ev("progression", date(2020, 8, 15)),),
    )
    lines = derive_lines(case).lines
    assert lines[0].pfs_event_date == date(2020, 8, 15)
    assert lines[0].end_date == date(2020, 3, 1)
    assert lines[1].pfs_event is None


def test_death_without_progression_ends_the_last_line() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        events=(_ev("progression", date(2019, 12, 1)), _ev("death", date(2021, 2, 1))),
    )
    (line,) = derive_lines(case).lines
    assert (line.pfs_event, line.pfs_event_date) == ("death", date(2021, 2, 1))


def test_setting_before_onset_and_by_hint() -> None:
    case = _case(
        _exp("neo", 1, date(2015, 1, 1)),
        _exp("adj", 2, date(2015, 6, 1)),
        _exp("hinted", 3, date(2019, 1, 1), setting_hint="adjuvant"),
        _exp("met", 4, date(2019, 6, 1)),
        events=(_ev("surgery", date(2015, 3, 1)), _ev("recurrence", date(2019, 5, 1))),
    )
    cl = derive_lines(case)
    assert [(e.drug, e.setting, e.line_no) for e in cl.exposures] == [
        ("neo", "neoadjuvant", None),
        ("adj", "adjuvant", None),
        ("hinted", "adjuvant", None),
        ("met", "metastatic", 1),
    ]


def test_undated_exposure_inherits_neighbouring_episode() -> None:
    case = _case(
        _exp("adj1", 1, None, order=2),
        _exp("adj2", 2, date(2015, 6, 1), order=3),
        _exp("met", 3, date(2019, 6, 1), order=6),
        _exp("met2", 3, None, order=6),
        events=(_ev("metastasis", date(2019, 5, 1), order=5),),
    )
    cl = derive_lines(case)
    assert [e.setting for e in cl.exposures] == ["adjuvant", "adjuvant", "metastatic", "metastatic"]
    assert _drug_sets(cl.lines) == [{"met", "met2"}]


def test_undated_exposure_after_metastasis_in_story_is_metastatic() -> None:
    case = _case(
        _exp("tam", 1, date(2010, 1, 1), order=1),
        _exp("x", 2, None, order=5),
        events=(_ev("metastasis", date(2012, 1, 1), order=4),),
    )
    assert [e.setting for e in derive_lines(case).exposures] == ["adjuvant", "metastatic"]


def test_no_onset_means_everything_is_metastatic() -> None:
    case = _case(_exp("a", 1, date(2020, 1, 1)))
    assert derive_lines(case).exposures[0].setting == "metastatic"


def test_after_progression_flag_opens_a_line_and_closes_the_previous() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        _exp("b", 2, date(2020, 1, 10), after_progression=True),
    )
    lines = derive_lines(case).lines
    assert _drug_sets(lines) == [{"a"}, {"b"}]
    assert (lines[0].pfs_event, lines[0].pfs_event_date) == ("progression", None)


def test_best_response_prefers_best_statement_then_ranking() -> None:
    def assess(resp: Any, day: date | None, best: bool = False, order: int = 0) -> Assessment:
        return Assessment(1, day, resp, dataclasses.replace(P, order=order), best=best)

    case = _case(
        _exp("a", 1, date(2020, 1, 1), order=1),
        _exp("b", 2, date(2020, 9, 1), order=10),
        events=(_ev("progression", date(2020, 8, 1)),),
        assessments=(
            assess("SD", date(2020, 3, 1)),
            assess("PR", date(2020, 5, 1)),
            assess("PD", date(2020, 9, 1)),  # the scan that led to the switch: line 1
            assess("SD", None, best=True, order=12),
            assess("CR", date(2020, 12, 1)),
        ),
    )
    cl = derive_lines(case)
    assert [a.line_no for a in cl.assessments] == [1, 1, 1, 2, 2]
    assert [x.best_response for x in cl.lines] == ["PR", "SD"]


def test_assessment_before_first_line_has_no_line() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1)),
        assessments=(Assessment(1, date(2019, 12, 1), "PD", P),),
    )
    assert derive_lines(case).assessments[0].line_no is None


def test_adverse_event_goes_to_the_line_with_its_drug() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1), order=1),
        _exp("b", 2, date(2020, 9, 1), order=10),
        _exp("b", 3, date(2021, 9, 1), order=20),
        events=(_ev("progression", date(2020, 8, 1)), _ev("progression", date(2021, 8, 1))),
        adverse_events=(
            AdverseEvent(1, "rash", dataclasses.replace(P, order=12), drug="b"),
            AdverseEvent(1, "nausea", P, onset_date=date(2020, 2, 1)),
            AdverseEvent(1, "fatigue", P, drug="a"),
        ),
    )
    assert [ae.line_no for ae in derive_lines(case).adverse_events] == [2, 1, 1]


def test_regimen_label_follows_the_story() -> None:
    case = _case(
        _exp("gemcitabine", 1, date(2020, 1, 1), regimen="GP"),
        _exp("cisplatin", 1, date(2020, 1, 1), regimen="GP"),
        _exp("gemcitabine", 2, date(2020, 5, 1)),
    )
    assert derive_lines(case).lines[0].regimen == "GP, then gemcitabine"


def test_open_last_phase_ends_at_the_progression_that_closed_the_line() -> None:
    case = _case(
        _exp("carboplatin", 1, date(2019, 1, 5), end=date(2019, 4, 20), order=1),
        _exp("pemetrexed", 1, date(2019, 1, 5), end=date(2019, 4, 20), order=1),
        _exp("pemetrexed", 2, date(2019, 5, 2), order=2, maintenance=True),
        events=(_ev("progression", date(2020, 2, 11), order=3),),
    )
    (line,) = derive_lines(case).lines
    assert (line.end_date, line.pfs_event_date) == (date(2020, 2, 11), date(2020, 2, 11))


def test_printed_stop_of_the_last_phase_ends_the_line_even_if_induction_has_none() -> None:
    case = _case(
        _exp("paclitaxel", 1, date(2017, 1, 3), order=1),
        _exp("anastrozole", 2, date(2017, 6, 1), end=date(2018, 3, 1), order=2, maintenance=True),
        events=(_ev("progression", date(2018, 4, 2), order=3),),
    )
    (line,) = derive_lines(case).lines
    assert line.end_date == date(2018, 3, 1)


def test_open_last_phase_without_a_dated_progression_keeps_the_printed_stop() -> None:
    case = _case(
        _exp("a", 1, date(2019, 1, 5), end=date(2019, 4, 20), order=1),
        _exp("b", 2, date(2019, 5, 2), order=2, maintenance=True),
        events=(_ev("progression", None, order=3),),
    )
    (line,) = derive_lines(case).lines
    assert line.end_date == date(2019, 4, 20)


def test_several_doses_of_one_drug_are_one_drug_of_the_line() -> None:
    case = _case(
        _exp("cisplatin", 1, date(2020, 1, 1), dose_amount=40.0, dose_unit="mg"),
        _exp("cisplatin", 1, date(2020, 1, 1), dose_amount=50.0, dose_unit="mg"),
        _exp("gemcitabine", 1, date(2020, 1, 1)),
        _exp("cisplatin", 2, date(2020, 6, 1), dose_amount=40.0, dose_unit="mg", order=5),
        events=(_ev("progression", date(2020, 5, 20), order=4),),
    )
    cl = derive_lines(case)
    assert _drug_sets(cl.lines) == [{"cisplatin", "gemcitabine"}, {"cisplatin"}]
    assert [e.line_no for e in cl.exposures] == [1, 1, 1, 2]


def test_curative_surgery_without_metastasis_makes_treatment_adjuvant() -> None:
    case = _case(
        _exp("capecitabine", 1, None, order=5),
        _exp("oxaliplatin", 1, None, order=5),
        events=(_ev("surgery", None, order=3),),
    )
    cl = derive_lines(case)
    assert cl.lines == ()
    assert {e.setting for e in cl.exposures} == {"adjuvant"}


def test_treatment_before_curative_surgery_is_neoadjuvant() -> None:
    case = _case(
        _exp("a", 1, date(2020, 1, 1), order=1),
        _exp("b", 2, date(2020, 9, 1), order=3),
        events=(_ev("surgery", date(2020, 6, 1), order=2),),
    )
    assert [e.setting for e in derive_lines(case).exposures] == ["neoadjuvant", "adjuvant"]


def test_surgery_then_any_sign_of_metastatic_disease_keeps_line_one() -> None:
    for kind in ("metastasis", "recurrence", "progression"):
        case = _case(
            _exp("a", 1, date(2020, 9, 1), order=3),
            events=(_ev("surgery", date(2020, 6, 1), order=2), _ev(kind, None, order=1)),
        )
        assert [e.setting for e in derive_lines(case).exposures] == ["metastatic"], kind


def test_curative_surgery_rule_is_a_parameter() -> None:
    case = _case(_exp("a", 1, None, order=5), events=(_ev("surgery", None, order=3),))
    rules = dataclasses.replace(DEFAULT_RULES, surgery_without_metastasis_is_curative=False)
    assert derive_lines(case, rules).exposures[0].setting == "metastatic"


def test_class_blame_needs_exactly_one_drug_of_the_class_in_the_line() -> None:
    sentence = "Grade 3 diarrhea occurred after chemotherapy."
    ae = AdverseEvent(1, "diarrhea", Provenance(1, sentence, 0, 16, order=9), grade=3)
    one = _case(
        _exp("irinotecan", 1, date(2020, 1, 1), drug_class="topoisomerase inhibitor", order=1),
        _exp("bevacizumab", 1, date(2020, 1, 1), drug_class="anti-VEGF antibody", order=1),
        adverse_events=(ae,),
    )
    assert derive_lines(one).adverse_events[0].drug == "irinotecan"
    none = _case(
        _exp("bevacizumab", 1, date(2020, 1, 1), drug_class="anti-VEGF antibody", order=1),
        adverse_events=(ae,),
    )
    assert derive_lines(none).adverse_events[0].drug is None
