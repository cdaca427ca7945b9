"""The literal pre-tests of the cue regexes (transform/events/cue_gates.py): a regex is
skipped only where it cannot match, so every cue search finds what the bare regex finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transform.events import cue_words
from transform.events.caseinfo import _histology_gates, histology_sites
from transform.events.cue_gates import Literals, fold, may_match, required_literals


@pytest.mark.parametrize(
    ("pattern", "folded", "exact"),
    [
        (r"\bcancers?\b", ["cancer"], []),
        (r"\b(?:glio|neuro)blastomas?\b", ["glioblastoma", "neuroblastoma"], []),
        (r"\btumou?r\b|\bneoplasm\b", ["neoplasm", "tumor", "tumour"], []),
        (r"(?<!non-)\bmalignan(?:cy|t)\b", ["malignancy", "malignant"], []),
        (r"(?-i:\bPD\b)|\bprogressed\b", ["progressed"], ["PD"]),
        (r"\bstage\s+(?:III|IV)\b", ["stage"], []),
        (r"(?:very )?\bbulky\b", ["bulky"], []),
        (r"(?-i:T[0-2]N)", [], ["T0N", "T1N", "T2N"]),
        (r"\b(?:his|the patient\u2019s) demise\b", [" demise"], []),
    ],
)
def test_literals_every_match_holds(pattern: str, folded: list[str], exact: list[str]) -> None:
    assert required_literals(pattern, re.IGNORECASE) == Literals(tuple(folded), tuple(exact))


def test_a_case_sensitive_pattern_keeps_its_case() -> None:
    assert required_literals(r"\bNSCLC\b") == Literals((), ("NSCLC",))


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b\w+\b",  # a class: no literal
        r"(?:relapse)?\d+",  # the only word is optional
        r"\bfoo\b|\d+",  # one branch names no word
        r"\b\u00e9\w*",  # not ASCII: left to the regex
        r"[a-z]c?",  # a wide class, then an optional letter
    ],
)
def test_no_literals_when_unsure(pattern: str) -> None:
    assert required_literals(pattern, re.IGNORECASE) is None


def test_fold_keeps_length_and_the_engines_case_rules() -> None:
    text = "Stage \u212a1 cla\u017fs \u00e9t\u00e9 CT"  # KELVIN SIGN, LONG S, accents
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("stage k1 class")
    assert "\u00e9" not in folded and folded.endswith(" ct")
    assert re.search("class", text, re.IGNORECASE)  # what the regex engine says too


def test_may_match_only_skips_without_a_literal() -> None:
    gate = required_literals(r"\bcarcinoma\b|\bsarcoma\b", re.IGNORECASE)
    assert may_match(gate, fold("A SARCOMA of the thigh"), "")
    assert not may_match(gate, fold("The lesion shrank after two cycles."), "")
    assert may_match(None, "", "")


SENTENCES = [
    "A 61-year-old man with metastatic renal cell carcinoma started sunitinib in May 2019.",
    "Her breast cancer progressed (PD) on letrozole; capecitabine was given thereafter.",
    "CT and MRI showed no lesion; the ultrasound was normal and the bone scan negative.",
    "He declined radiotherapy and died of sepsis two months after the last cycle.",
    "Immunohistochemistry: ER 90%, PR negative, HER2 (3+), Ki-67 40%, EGFR exon 19 deletion.",
    "Stage IIIB (T3N2M0) non-small-cell lung adenocarcinoma of the right upper lobe.",
    "The dose was reduced to 75% for grade 3 neutropenia, then held for mucositis.",
    "Treatment \u2013 cisplatin 75 mg/m\u00b2 \u00d7 4 cycles \u2013 was well tolerated.",
    "Stage \u212aIV disease, ca\u017fe of the sigmoid colon with liver metastases.",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_every_cue_finds_what_its_bare_regex_finds(text: str) -> None:
    for label, cues in cue_words._compiled().items():
        bare = sorted(
            (m.start(), -m.end(), cue_id)
            for cue_id, regex, _gate in cues
            for m in regex.finditer(text)
        )
        got = [
            (h.start, -h.end, h.cue_id)
            for h in cue_words._find.__wrapped__(label, text, 0, len(text))
        ]
        assert sorted(got) == bare, label
        assert cue_words.has(label, text) == bool(bare)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "cancer",
                "Carcinoma",
                "stage",
                "IV",
                "PD",
                "progressed",
                "CT",
                "on",
                "no",
                "grade",
                "\u212a",
                "\u017f",
                "-",
                " ",
                ",",
                "(",
                ")",
                "3+",
                "cell",
                "lung",
                "mass",
                "HCC",
            ]
        ),
        max_size=20,
    )
)
def test_gates_never_hide_a_match(words: list[str]) -> None:
    text = "".join(words)
    folded = fold(text)
    for cues in cue_words._compiled().values():
        for _cue_id, regex, gate in cues:
            if regex.search(text):
                assert may_match(gate, folded, text), regex.pattern
    for (pattern, _site), gate in zip(histology_sites(), _histology_gates(), strict=True):
        if pattern.search(text):
            assert may_match(gate, folded, text), pattern.pattern


def test_an_unreadable_parse_tree_gives_no_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """`re._parser` is private: if a Python changes it, the cue regexes run ungated (the same
    matches), never behind a wrong gate."""
    from transform.events import cue_gates

    assert cue_gates.required_literals(r"\bprogress(?:ion|ed)\b", re.IGNORECASE) is not None

    def changed(*_args: object) -> object:
        raise AttributeError("no such node kind")

    monkeypatch.setattr(cue_gates.sre_parse, "parse", changed)
    assert cue_gates.required_literals(r"\bprogress(?:ion|ed)\b", re.IGNORECASE) is None
