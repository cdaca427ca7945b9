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


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("and capecitabine)", False),  # a fragment of the sentence it was mined from
        ("was kinase family", False),
        ("a tetrasaccharide", False),  # a description
        ("''novodrug''", False),  # wiki markup
        ("[[letrozole", False),
        ("99tc)sestamibi", False),  # cut out of its brackets
        ("4''-acetylspiramycin", True),  # primes inside a chemical name
        ("trastuzumab (genetical recombination)", True),
        ("capecitabine", True),
    ],
)
def test_package_names_that_are_fragments_are_left_out(name: str, kept: bool) -> None:
    from transform.mentions.lexicon.loader import _keep_package_name

    assert _keep_package_name(name, frozenset(), frozenset()) is kept


def test_no_lexicon_name_opens_with_a_function_word() -> None:
    from transform.mentions.lexicon.loader import LEADING_FUNCTION_WORDS

    names = get_lexicon().names()
    assert not [n for n in names if n.split()[0] in LEADING_FUNCTION_WORDS]
