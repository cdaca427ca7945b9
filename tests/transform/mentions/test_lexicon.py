"""The drug lexicon: canonical DrugBank names, supplement, false-positive filter."""

from __future__ import annotations

import pytest

from transform.mentions.lexicon import SynonymRow, get_lexicon


@pytest.mark.parametrize(
    ("printed", "drug"),
    [
        ("apatinib", "rivoceranib"),
        ("Herceptin", "trastuzumab"),
        ("T-DM1", "ado-trastuzumab emtansine"),
        ("trastuzumab emtansine", "ado-trastuzumab emtansine"),
        ("Kadcyla", "ado-trastuzumab emtansine"),
        ("taxol", "paclitaxel"),
        ("nab-paclitaxel", "paclitaxel"),
        ("BIBW2992", "afatinib"),
        ("utidalone", "utidelone"),
        ("5-FU", "fluorouracil"),
        ("Gleevec", "imatinib"),
        ("Keytruda", "pembrolizumab"),
        ("Avastin", "bevacizumab"),
        ("sunitinib", "sunitinib"),
        ("sorafenib", "sorafenib"),
        ("carboplatin", "carboplatin"),
        ("L-OHP", "oxaliplatin"),
        ("folinic acid", "leucovorin"),
        ("pyrotinib maleate", "pyrotinib"),
        ("imatinib mesylate", "imatinib"),
        ("irinotecan hydrochloride", "irinotecan"),
        ("DDP", "cisplatin"),
    ],
)
def test_lookup_canonical(printed: str, drug: str) -> None:
    found = get_lexicon().lookup(printed)
    assert found is not None and found.drug == drug


@pytest.mark.parametrize(
    "word",
    ["Case", "PR", "CT", "SD", "AC", "her2", "placebo", "tyrosine", "thyroid", "NO", "water"],
)
def test_common_words_are_not_drugs(word: str) -> None:
    assert get_lexicon().lookup(word) is None


def test_ids_and_classes() -> None:
    lex = get_lexicon()
    tras = lex.lookup("trastuzumab")
    assert tras is not None and tras.drug_id == "DB00072"
    assert tras.drug_class == "anti-HER2 antibody"
    let = lex.lookup("letrozole")
    assert let is not None and let.drug_class == "aromatase inhibitor"


def test_synonym_rows_lower_case_with_source() -> None:
    rows = list(get_lexicon().synonym_rows())
    assert len(rows) > 10_000
    assert all(isinstance(r, SynonymRow) and r.synonym == r.synonym.lower() for r in rows)
    apatinib = [r for r in rows if r.synonym == "apatinib"]
    assert apatinib and apatinib[0].drug == "rivoceranib" and apatinib[0].source


def test_version_is_stable_hash() -> None:
    lex = get_lexicon()
    assert len(lex.version) == 16 and lex.version == get_lexicon().version
