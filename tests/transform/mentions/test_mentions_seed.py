"""The seed article's text: every gold drug is found with its canonical name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.textdoc import document_from_text
from transform.mentions.abbreviations import learn
from transform.mentions.mentions import extract_mentions
from transform.records import DrugValue, RegimenValue

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
GOLD = yaml.safe_load((ROOT / "tests" / "gold" / "tcr-22-2483.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def seed_doc():  # type: ignore[no-untyped-def]
    body = (GOLDEN / "tcr-22-2483.body.txt").read_text("utf-8")
    captions = (GOLDEN / "tcr-22-2483.captions.txt").read_text("utf-8")
    return document_from_text(body, captions)


def _gold_drugs(case: dict) -> set[str]:  # type: ignore[type-arg]
    out: set[str] = set()
    for line in case.get("lines", []) + case.get("adjuvant", []):
        out.update(line.get("drugs", []))
    return out


def test_every_gold_drug_found_per_case(seed_doc) -> None:  # type: ignore[no-untyped-def]
    found: dict[int, set[str]] = {}
    for m in extract_mentions(seed_doc):
        if m.case_id is None:
            continue
        if isinstance(m.value, DrugValue):
            found.setdefault(m.case_id, set()).add(m.value.drug)
        elif isinstance(m.value, RegimenValue):
            found.setdefault(m.case_id, set()).update(m.value.drugs)
    for case in GOLD["cases"]:
        missing = _gold_drugs(case) - found.get(case["case"], set())
        assert not missing, (case["case"], missing)


def test_gold_abbreviations_learnt(seed_doc) -> None:  # type: ignore[no-untyped-def]
    learnt = {a.short: set(a.drugs) for a in learn(seed_doc)}
    for short, drugs in GOLD["abbreviations"].items():
        assert learnt.get(short) == set(drugs), short


def test_document_from_text_sections_and_cases(seed_doc) -> None:  # type: ignore[no-untyped-def]
    sections = {b.section for b in seed_doc.blocks}
    assert {"abstract", "introduction", "case_presentation", "discussion"} <= sections
    assert {b.case_id for b in seed_doc.blocks} >= {1, 2}
    assert [c.case_id for c in seed_doc.cases] == [1, 2]
