"""Biomarker results by the published rules (transform/events/biomarkers.py, docs/rules.md
'Biomarkers'), on sentences of our own wording; none is taken from a gold report."""

from __future__ import annotations

import pytest

from extract.records import Block, Document, DocumentMeta
from transform.events.biomarkers import case_biomarkers, interpret, normalise_marker, specimen
from transform.events.clinical import Dating
from transform.events.story import group_sentences
from transform.mentions.mentions import extract_mentions
from transform.records import Biomarker

BOX = (0.0, 0.0, 0.0, 0.0)


def read(text: str) -> list[Biomarker]:
    """The results one sentence of a case presentation tells, through the mention layer."""
    block = Block(text, "body", 1, BOX, "case_presentation", 1)
    doc = Document("x", "x.pdf", DocumentMeta(), (block,))
    sentences = group_sentences(doc, extract_mentions(doc))
    return [b for s in sentences for b in case_biomarkers(s, Dating(()))]


def one(text: str, marker: str) -> Biomarker:
    found = [b for b in read(text) if b.marker == marker]
    assert len(found) == 1, f"{marker} in {text!r}: {found}"
    return found[0]


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("c-erbB-2", "HER2"),
        ("ERBB2", "HER2"),
        ("HER-2/neu", "HER2"),
        ("oestrogen receptor", "ER"),
        ("MIB-1", "Ki-67"),
        ("CD117", "CD117"),
        ("c-kit", "KIT"),
        ("Unlisted-9", "Unlisted-9"),
    ],
)
def test_marker_names_come_from_the_table(name: str, marker: str) -> None:
    assert normalise_marker(name) == marker


@pytest.mark.parametrize(
    ("printed", "status", "score"),
    [
        ("HER2 (+++)", "positive", 3.0),
        ("HER2 3+", "positive", 3.0),
        ("c-erbB-2 (3+) in most tumour cells", "positive", 3.0),
        ("HER2 staining was strongly positive", "positive", 3.0),
        ("HER2 (2+)", "equivocal", 2.0),
        ("HER2 ++ on the core biopsy", "equivocal", 2.0),
        ("HER2 (1+)", "negative", 1.0),
        ("HER2 score 0", "negative", 0.0),
    ],
)
def test_her2_ihc_scores_by_asco_cap_2018(printed: str, status: str, score: float) -> None:
    reading = interpret("HER2", printed)
    assert (reading.status, reading.value, reading.value_type) == (status, score, "ihc_score")
    assert reading.method == "IHC"


@pytest.mark.parametrize(
    ("printed", "method", "status", "ratio"),
    [
        ("HER2/CEP17 ratio of 2.4", "FISH", "amplified", 2.4),
        ("HER2:CEP17 ratio = 1.3", "FISH", "not amplified", 1.3),
        ("HER2/CEP-17 >2", None, "amplified", 2.0),
        ("HER2 signals per chromosome 17 ratio 3.1 by dual-probe ISH", None, "amplified", 3.1),
    ],
)
def test_her2_ish_ratio(printed: str, method: str | None, status: str, ratio: float) -> None:
    reading = interpret("HER2", printed, method)
    assert (reading.status, reading.value, reading.value_type) == (status, ratio, "ratio")
    assert reading.method in ("FISH", "ISH")


@pytest.mark.parametrize(
    ("printed", "method", "status"),
    [
        ("HER2 gene amplification", "FISH", "amplified"),
        ("HER2 was not amplified", "FISH", "not amplified"),
        ("HER2 positive", "FISH", "amplified"),
        ("HER2 negative", "SISH", "not amplified"),
        ("no amplification of HER2", None, "not amplified"),
    ],
)
def test_her2_ish_words(printed: str, method: str | None, status: str) -> None:
    assert interpret("HER2", printed, method).status == status


@pytest.mark.parametrize(
    ("printed", "status", "percent"),
    [
        ("ER 95%", "positive", 95.0),
        ("oestrogen receptor positive in 60% of nuclei", "positive", 60.0),
        ("PR (+, 8%)", "low", 8.0),
        ("ER weakly positive, 5%", "low", 5.0),
        ("PR 1%", "low", 1.0),
        ("PR <1%", "negative", 1.0),
        ("ER 0%", "negative", 0.0),
    ],
)
def test_hormone_receptors_by_asco_cap_2020(printed: str, status: str, percent: float) -> None:
    reading = interpret("ER" if printed.lower().startswith(("er", "oe")) else "PR", printed)
    assert (reading.status, reading.value, reading.value_type) == (status, percent, "percent")


@pytest.mark.parametrize(
    ("printed", "status"),
    [("ER (-)", "negative"), ("PR (++)", "positive"), ("ER strongly positive", "positive")],
)
def test_hormone_receptors_without_percent_as_printed(printed: str, status: str) -> None:
    reading = interpret(printed.split()[0], printed)
    assert reading.status == status and reading.value is None


@pytest.mark.parametrize(
    ("printed", "value", "kind"),
    [
        ("PD-L1 TPS 80%", 80.0, "tps"),
        ("PD-L1 expression (tumour proportion score 5%)", 5.0, "tps"),
        ("PD-L1 CPS of 12", 12.0, "cps"),
        ("PD-L1 combined positive score 3", 3.0, "cps"),
    ],
)
def test_pd_l1_scores_as_printed(printed: str, value: float, kind: str) -> None:
    reading = interpret("PD-L1", printed)
    assert (reading.value, reading.value_type, reading.status) == (value, kind, None)


@pytest.mark.parametrize(
    ("printed", "negated", "status", "variant"),
    [
        ("EGFR exon 19 deletion", False, "mutated", "exon 19 deletion"),
        ("EGFR testing showed an exon 21 point mutation", False, "mutated", "exon 21 mutation"),
        ("EGFR L858R", False, "mutated", "L858R"),
        ("KRAS p.G12C mutation", False, "mutated", "G12C"),
        ("BRAF V600E", False, "mutated", "V600E"),
        ("EML4-ALK fusion", False, "positive", "EML4-ALK fusion"),
        ("ALK rearrangement", False, "positive", "rearrangement"),
        ("EGFR mutation", True, "wild-type", None),
        ("EGFR wild-type", False, "wild-type", None),
        ("ALK", True, "wild-type", None),
        ("KRAS was not mutated", False, "wild-type", None),
    ],
)
def test_gene_results(printed: str, negated: bool, status: str, variant: str | None) -> None:
    reading = interpret(printed.split()[0].split("-")[-1], printed, negated=negated)
    assert (reading.status, reading.variant) == (status, variant)


@pytest.mark.parametrize(
    ("marker", "printed", "status"),
    [("ER", "ER (+, 90%)", "positive"), ("HER2", "HER2 (3+)", "positive")],
)
def test_a_negation_scope_does_not_overturn_a_printed_result(
    marker: str, printed: str, status: str
) -> None:
    """'No residual tumour was left; ER (+, 90%)': the scope reaches the marker, the printed
    result stands."""
    assert interpret(marker, printed, negated=True).status == status


def test_exon_variant_wording() -> None:
    assert interpret("EGFR", "EGFR exon 20 insertion").variant == "exon 20 insertion"


@pytest.mark.parametrize(
    ("marker", "printed", "status"),
    [
        ("MSI", "MSI-H", "high"),
        ("MSI", "MSI was stable", "low"),
        ("MMR", "dMMR", "deficient"),
        ("MMR", "MMR proficient", "proficient"),
        ("Ki-67", "Ki-67 (+)", "positive"),
    ],
)
def test_other_status_words(marker: str, printed: str, status: str) -> None:
    assert interpret(marker, printed).status == status


def test_ki67_percent_has_no_status() -> None:
    """Ki-67 has no published positivity cut-off: its percent is stored, no status made up."""
    reading = interpret("Ki-67", "Ki-67 index about 35%")
    assert (reading.status, reading.value, reading.value_type) == (None, 35.0, "percent")


@pytest.mark.parametrize(
    ("sentence", "where"),
    [
        ("A liver biopsy was stained for HER2.", "liver"),
        ("Biopsy of the left lung lesion showed ER (+).", "lung"),
        ("The resected tumour was ER positive.", "primary"),
        ("Needle biopsy: HER2 (1+).", "biopsy"),
        ("Aspiration of the right lower lymph nodes showed HER2 (1+).", "lymph node"),
        ("The bone lesion puncture was stained for ER.", "bone"),
        ("HER2 (1+).", None),
    ],
)
def test_specimen(sentence: str, where: str | None) -> None:
    assert specimen(sentence) == where


# --- through the mention layer, sentences as a report would print them -----------------------


def test_a_panel_takes_its_tissue_from_the_sentence_before() -> None:
    block = Block(
        "A core biopsy of the right adrenal gland was obtained on 3 May 2019. "
        "Staining gave ER (-), PR (-) and HER2 (3+).",
        "body",
        1,
        BOX,
        "case_presentation",
        1,
    )
    doc = Document("x", "x.pdf", DocumentMeta(), (block,))
    sentences = group_sentences(doc, extract_mentions(doc))
    assert len(sentences) == 2
    found = case_biomarkers(sentences[1], Dating(()), sentences[0].text)
    assert {b.specimen for b in found} == {"adrenal"} and len(found) == 3
    assert {b.specimen for b in case_biomarkers(sentences[1], Dating(()))} == {None}


def test_a_panel_of_markers_in_one_sentence() -> None:
    text = (
        "Staining of the mastectomy specimen gave ER (+, 70%), PR (5%), c-erbB-2 (+++), MIB-1 40%."
    )
    found = {b.marker: b for b in read(text)}
    assert (found["ER"].status, found["ER"].value) == ("positive", 70.0)
    assert (found["PR"].status, found["PR"].value) == ("low", 5.0)
    assert (found["HER2"].status, found["HER2"].value) == ("positive", 3.0)
    assert found["Ki-67"].value == 40.0
    assert {b.specimen for b in found.values()} == {"primary"}


def test_method_is_the_nearest_before_the_marker() -> None:
    text = "Immunostaining showed HER2 2+, so FISH was done and HER2 was amplified (ratio 2.8)."
    her2 = [b for b in read(text) if b.marker == "HER2"]
    assert [(b.status, b.method) for b in her2] == [("equivocal", "IHC"), ("amplified", "FISH")]


def test_negations_in_running_text() -> None:
    assert one("Molecular testing found no EGFR mutation.", "EGFR").status == "wild-type"
    assert one("The tumour cells were negative for ALK.", "ALK").status == "wild-type"


def test_variants_in_running_text() -> None:
    egfr = one("Sequencing of the pleural fluid revealed EGFR L858R.", "EGFR")
    assert (egfr.status, egfr.variant, egfr.method, egfr.specimen) == (
        "mutated",
        "L858R",
        "NGS",
        "pleura",
    )
    kras = one("A KRAS G12C mutation was reported by the laboratory.", "KRAS")
    assert (kras.status, kras.variant) == ("mutated", "G12C")
    resistance = one("A new EGFR T790M mutation was found in plasma.", "EGFR")
    assert (resistance.status, resistance.variant) == ("mutated", "T790M")
    exon = one("EGFR genotyping then showed an exon 19 deletion.", "EGFR")
    assert exon.variant == "exon 19 deletion"


@pytest.mark.parametrize(
    "text",
    [
        "Testing for an EGFR mutation was not performed for lack of tissue.",
        "The KRAS mutation status is still pending.",
    ],
)
def test_a_test_not_done_gives_no_result(text: str) -> None:
    assert read(text) == []


def test_long_protein_names() -> None:
    text = (
        "Immunostaining: human epidermal growth factor receptor 2 (HER-2) (+++), "
        "anaplastic lymphoma kinase (ALK) (-)."
    )
    found = {b.marker: b.status for b in read(text)}
    assert found == {"HER2": "positive", "ALK": "negative"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The specimen was ER and PR positive and HER2-negative.",
            {"ER": "positive", "PR": "positive", "HER2": "negative"},
        ),
        ("ER/PR (-) and HER2 (1+).", {"ER": "negative", "PR": "negative", "HER2": "negative"}),
        ("A HER2-positive, MSI-high gastric carcinoma.", {"HER2": "positive", "MSI": "high"}),
        (
            "Biopsy showed ALK-positive disease, KRAS wild-type.",
            {"ALK": "positive", "KRAS": "wild-type"},
        ),
    ],
)
def test_hyphenated_and_paired_results(text: str, expected: dict[str, str]) -> None:
    assert {b.marker: b.status for b in read(text)} == expected


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("The MIB-1 labelling index was about 12%.", 12.0),
        ("Her Ki67 proliferation index was 30-40% on the resection.", 30.0),
        ("A Ki-67 index measured at 65% was reported.", 65.0),
    ],
)
def test_ki67_index_forms(text: str, percent: float) -> None:
    """A range is read at its lower end, the share every reading of it reaches."""
    ki67 = one(text, "Ki-67")
    assert (ki67.status, ki67.value, ki67.value_type) == (None, percent, "percent")


def test_a_receptor_range_is_read_at_its_lower_end() -> None:
    found = {b.marker: (b.status, b.value) for b in read("ER (40-50%), PR (0-1%).")}
    assert found == {"ER": ("positive", 40.0), "PR": ("negative", 0.0)}


def test_pd_l1_percent_without_a_word_has_no_status() -> None:
    pd_l1 = one("PD-L1 expression was 45% with the 22C3 assay.", "PD-L1")
    assert (pd_l1.status, pd_l1.value, pd_l1.value_type) == (None, 45.0, "percent")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sequencing was negative for EGFR, ALK and ROS1, and positive for KRAS.",
            {"EGFR": "wild-type", "ALK": "wild-type", "ROS1": "wild-type", "KRAS": "mutated"},
        ),
        (
            "The cells stained positive for CK7, TTF-1, and PD-L1 and negative to CK20.",
            {"TTF-1": "positive", "PD-L1": "positive", "CK20": None},
        ),
    ],
)
def test_one_status_word_over_a_list_of_markers(text: str, expected: dict[str, str]) -> None:
    found = {b.marker: b.status for b in read(text)}
    assert {m: found.get(m) for m in expected} == expected


def test_strongly_positive_her2_in_running_text() -> None:
    her2 = one("On immunostaining HER2 was strongly positive.", "HER2")
    assert (her2.status, her2.value) == ("positive", 3.0)


def test_triple_negative_names_three_markers() -> None:
    found = {b.marker: b.status for b in read("She had a triple-negative carcinoma.")}
    assert found == {"ER": "negative", "PR": "negative", "HER2": "negative"}
