"""The transform stage end to end: hand-built mentions through assemble, and the seed text
through the real mention layer compared with the gold file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.transform.events.test_events import Story, colon_story, day
from transform.assemble import NO_CASES, NO_ONCOLOGY, transform_mentions

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold" / "tcr-22-2483.yaml"
GOLDEN = ROOT / "tests" / "golden"


def test_colon_story_becomes_one_metastatic_line_with_its_pfs() -> None:
    story = colon_story()
    out = transform_mentions(story.document(), story.mentions)
    assert out.n_cases == 1 and out.warnings == ()
    (line,) = out.lines
    assert line.drugs == ("bevacizumab", "fluorouracil", "irinotecan", "leucovorin")
    assert line.start_date == date(2019, 5, 15)
    assert (line.pfs_event, line.pfs_event_date) == ("progression", date(2020, 2, 10))
    assert line.pfs_months_reported == 8.9
    assert out.pfs_month_days == pytest.approx(30.4375)
    assert line.pfs_consistent is True
    adjuvant = {e.drug for e in out.exposures if e.setting == "adjuvant"}
    assert adjuvant == {"fluorouracil", "leucovorin", "oxaliplatin"}
    assert len(out.mentions) == len(story.mentions)


def test_a_story_without_cancer_yields_no_cases_and_a_warning() -> None:
    s = Story()
    s.say(
        "A 47-year-old man with cirrhosis was admitted with COVID-19 on February 2, 2020.",
        ("date", "February 2, 2020", day(2020, 2, 2)),
    )
    out = transform_mentions(s.document(), s.mentions)
    assert out.n_cases == 0 and out.warnings == (NO_ONCOLOGY,)


def test_a_document_without_case_segments_yields_a_warning() -> None:
    s = Story()
    s.say(
        "Osimertinib is approved for EGFR-mutant lung cancer.",
        case_id=None,
        section="introduction",
    )
    out = transform_mentions(s.document(n_cases=0), s.mentions)
    assert out.n_cases == 0 and out.warnings == (NO_CASES,)
    assert out.lines == () and out.exposures == ()


# --- the seed article through the real mention layer --------------------------------------


def _gold() -> dict[str, Any]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> Any:
    from tests.textdoc import document_from_text
    from transform.pipeline import transform_document

    body = (GOLDEN / "tcr-22-2483.body.txt").read_text(encoding="utf-8")
    captions = (GOLDEN / "tcr-22-2483.captions.txt").read_text(encoding="utf-8")
    return transform_document(document_from_text(body, captions))


@pytest.mark.slow
def test_seed_cases_age_and_sex(seed: Any) -> None:
    gold = _gold()
    assert seed.n_cases == gold["document"]["n_cases"]
    got = [(c.age, c.sex) for c in seed.cases]
    assert got == [(c["age"], c["sex"]) for c in gold["cases"]]


@pytest.mark.slow
def test_seed_line_starts_and_drugs(seed: Any) -> None:
    """Every gold line's start and drugs; reports each miss rather than the first."""
    misses = []
    for case in _gold()["cases"]:
        lines = {x.line_no: x for x in seed.lines if x.case_id == case["case"]}
        for g in case["lines"]:
            got = lines.get(g["line"])
            want = (g["start"], sorted(g["drugs"]))
            have = (got.start_date, sorted(got.drugs)) if got else None
            if have != want:
                misses.append((case["case"], g["line"], want, have))
    assert misses == []


@pytest.mark.slow
def test_seed_pfs_event_dates_and_reported_pfs(seed: Any) -> None:
    misses = []
    for case in _gold()["cases"]:
        lines = {x.line_no: x for x in seed.lines if x.case_id == case["case"]}
        for g in case["lines"]:
            got = lines.get(g["line"])
            want = (g["pfs_event_date"], g["pfs_months_reported"])
            have = (got.pfs_event_date, got.pfs_months_reported) if got else None
            if have != want:
                misses.append((case["case"], g["line"], want, have))
    assert misses == []
