"""Mention families on sentences not taken from the seed article."""

from __future__ import annotations

from datetime import date

import pytest

from extract.records import Block, Document, DocumentMeta
from transform.mentions.mentions import MentionError, extract_mentions
from transform.records import (
    AdverseEventValue,
    BiomarkerValue,
    DateValue,
    DoseValue,
    DrugValue,
    LesionValue,
    Mention,
    PfsValue,
    RegimenValue,
    ResponseValue,
    TextValue,
)

BOX = (0.0, 0.0, 0.0, 0.0)


def mentions(*texts: str, kind: str = "body") -> tuple[Mention, ...]:
    blocks = tuple(Block(t, kind, 1, BOX, "case_presentation", 1) for t in texts)  # type: ignore[arg-type]
    return extract_mentions(Document("x", "x.pdf", DocumentMeta(), blocks))


def drugs(text: str) -> list[str]:
    return [m.value.drug for m in mentions(text) if isinstance(m.value, DrugValue)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She was started on sunitinib 50 mg daily.", ["sunitinib"]),
        ("Sorafenib was given for 6 months.", ["sorafenib"]),
        ("He received imatinib (Gleevec) 400 mg/day.", ["imatinib", "imatinib"]),
        ("Pembrolizumab 200 mg every 3 weeks was administered.", ["pembrolizumab"]),
        ("T-DM1 was then given.", ["ado-trastuzumab emtansine"]),
        ("Trastuzumab emtansine 3.6 mg/kg q3w.", ["ado-trastuzumab emtansine"]),
        ("Bevacizumab (Avastin) 7.5 mg/kg.", ["bevacizumab", "bevacizumab"]),
        ("nab-paclitaxel 125 mg/m2 d1,8,15", ["paclitaxel"]),
        ("carboplatin AUC 5 and etoposide", ["carboplatin", "etoposide"]),
        ("oxaliplatin, leucovorin and 5-FU", ["oxaliplatin", "leucovorin", "fluorouracil"]),
        ("The Case was discussed; CT showed SD and PR was negative.", []),
    ],
)
def test_drug_forms(text: str, expected: list[str]) -> None:
    assert drugs(text) == expected


def test_builtin_regimen_and_folfox_components() -> None:
    found = mentions("He received 6 cycles of FOLFOX chemotherapy.")
    reg = [m.value for m in found if isinstance(m.value, RegimenValue)]
    assert reg and set(reg[0].drugs) == {"fluorouracil", "leucovorin", "oxaliplatin"}
    assert reg[0].source == "builtin"


def test_short_builtin_regimen_needs_cue() -> None:
    assert not [m for m in mentions("The AC joint was painful.") if m.kind == "regimen"]
    assert [m for m in mentions("Four cycles of AC chemotherapy followed.") if m.kind == "regimen"]


def doses(text: str) -> list[DoseValue]:
    return [m.value for m in mentions(text) if isinstance(m.value, DoseValue)]


@pytest.mark.parametrize(
    ("text", "amount", "unit", "schedule", "drug"),
    [
        ("oxaliplatin 85 mg/m2 d1 q2w", 85.0, "mg/m2", "d1 q2w", "oxaliplatin"),
        ("prednisolone 60mg/day was started", 60.0, "mg/day", None, "prednisolone"),
        ("sunitinib 37.5 mg once daily", 37.5, "mg", "once daily", "sunitinib"),
        ("trastuzumab 8 mg/kg loading dose", 8.0, "mg/kg", None, "trastuzumab"),
        ("carboplatin AUC 5 d1", 5.0, "AUC", "d1", "carboplatin"),
        ("capecitabine 1000 mg/m2 bid d1-14 q3w", 1000.0, "mg/m2", "bid d1-14 q3w", "capecitabine"),
        ("She took 200 mg of imatinib.", 200.0, "mg", None, "imatinib"),
        ("gemcitabine 1000 mg/m2 on days 1 and 8", 1000.0, "mg/m2", "d1,8", "gemcitabine"),
        ("pembrolizumab 200 mg every 3 weeks", 200.0, "mg", "every 3 weeks", "pembrolizumab"),
        ("methotrexate 12 mg intrathecal weekly", 12.0, "mg", "weekly", "methotrexate"),
        ("filgrastim 300 μg sc", 300.0, "ug", None, "filgrastim"),
        ("5-FU 2400 mg/m2 CIV 46 h", 2400.0, "mg/m2", "CIV 46 h", "fluorouracil"),
    ],
)
def test_dose_forms(text: str, amount: float, unit: str, schedule: str | None, drug: str) -> None:
    found = doses(text)
    assert found, text
    d = found[0]
    assert (d.amount, d.unit, d.schedule, d.drug) == (amount, unit, schedule, drug)


def test_doses_in_a_list_attach_to_their_drugs() -> None:
    found = doses("letrozole 2.5 mg qd + pertuzumab 420 mg d1 + sorafenib 400 mg bid")
    assert [(d.drug, d.amount, d.schedule) for d in found] == [
        ("letrozole", 2.5, "qd"),
        ("pertuzumab", 420.0, "d1"),
        ("sorafenib", 400.0, "bid"),
    ]


def test_dose_route() -> None:
    found = doses("docetaxel 75 mg/m2, intravenous infusion, d1")
    assert found[0].route == "intravenous infusion" and found[0].schedule == "d1"


def dates(*texts: str) -> list[DateValue]:
    return [m.value for m in mentions(*texts) if isinstance(m.value, DateValue)]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Surgery was done on February 3, 2015.", date(2015, 2, 3), "day"),
        ("Seen on 3 February 2015.", date(2015, 2, 3), "day"),
        ("In March 2021, CT showed PD.", date(2021, 3, 1), "month"),
        ("Imaging on 2019-07-04 was clear.", date(2019, 7, 4), "day"),
        ("Imaging on 07/14/2019 was clear.", date(2019, 7, 14), "day"),
        ("Imaging on 14/07/2019 was clear.", date(2019, 7, 14), "day"),
        ("She was diagnosed in 2016.", date(2016, 1, 1), "year"),
        ("Admitted Sept. 5, 2020.", date(2020, 9, 5), "day"),
        ("Since Dec 2018 she has been well.", date(2018, 12, 1), "month"),
        ("On the 2nd of June, 2014 she relapsed.", date(2014, 6, 2), "day"),
    ],
)
def test_date_forms(text: str, value: date, precision: str) -> None:
    found = dates(text)
    assert found and (found[0].value, found[0].precision) == (value, precision)


def test_date_range_and_missing_year() -> None:
    (a,) = dates("From January 5, 2016, to March 30, 2016, she received FOLFIRI.")
    assert (a.value, a.end) == (date(2016, 1, 5), date(2016, 3, 30))
    (b,) = dates("From March 2 to June 9, 2019, sunitinib was given.")
    assert (b.value, b.end) == (date(2019, 3, 2), date(2019, 6, 9))


def test_relative_dates_anchor_to_previous_date() -> None:
    found = dates(
        "Sorafenib was started on June 1, 2018.",
        "Two months later, CT showed PD.",
        "She stopped on the 10th day of the next cycle.",
    )
    assert found[1].relative and found[1].value == date(2018, 8, 1)
    assert found[1].precision == "month"
    assert found[2].relative and found[2].value == date(2018, 6, 10)


def test_relative_dates_count_from_the_story_present_not_a_look_back() -> None:
    """A date earlier than the story's latest is a look back: the next 'N months later'
    counts from the latest date, not from the look back."""
    found = dates(
        "Pemetrexed was started in March 2019.",
        "The new nodule resembled the tumour removed in 2016.",
        "Four months later, CT showed PD.",
    )
    assert [d.value for d in found] == [date(2019, 3, 1), date(2016, 1, 1), date(2019, 7, 1)]
    found = dates(
        "She was admitted on 2 May 2020, having had a mastectomy on 3 March 2012.",
        "Two weeks later she was discharged.",
    )
    assert found[-1].relative and found[-1].value == date(2020, 5, 16)


def test_relative_date_without_anchor_is_dropped() -> None:
    assert dates("Three weeks later she improved.") == []


def test_weeks_or_months_from_a_year_only_anchor_give_no_date() -> None:
    """'In 2014 ... eight months later' may fall in 2014 or 2015: no year is printed for it."""
    found = dates(
        "Her breast cancer was resected in 2014.",
        "Eight months later a liver nodule was found.",
        "She relapsed after 3 weeks.",
    )
    assert [(d.value, d.relative) for d in found] == [(date(2014, 1, 1), False)]
    found = dates("The primary was removed in 2011.", "Two years later, CT showed PD.")
    assert found[-1].relative and found[-1].value == date(2013, 1, 1)
    assert found[-1].precision == "year"


def test_responses_with_modality_and_best() -> None:
    found = [m.value for m in mentions("The best response on MRI was a partial response.")]
    resp = [v for v in found if isinstance(v, ResponseValue)]
    assert resp == [ResponseValue("PR", best=True, modality="MRI")]
    assert [v.response for v in found if isinstance(v, ResponseValue)] == ["PR"]
    cr = [m.value for m in mentions("PET-CT showed complete remission.")]
    assert ResponseValue("CR", False, "PET-CT") in cr


def test_pd_l1_is_not_a_response() -> None:
    assert not [m for m in mentions("PD-L1 expression was 60%.") if m.kind == "response"]


def test_pfs_progression_death() -> None:
    found = mentions("She had a PFS of 14.5 months.", "The disease progressed and she died.")
    assert [m.value for m in found if m.kind == "pfs"] == [PfsValue(14.5)]
    assert [m.kind for m in found if m.kind in ("progression", "death")] == ["progression", "death"]
    pfs = mentions("Progression-free survival was about 6 months.")
    assert [m.value for m in pfs if m.kind == "pfs"] == [PfsValue(6.0)]
    assert not [m for m in pfs if m.kind == "progression"]


def test_adverse_events_with_grade() -> None:
    found = [
        m.value for m in mentions("Grade 3 neutropenia and grade II hand-foot syndrome occurred.")
    ]
    aes = [v for v in found if isinstance(v, AdverseEventValue)]
    assert aes == [AdverseEventValue("neutropenia", 3), AdverseEventValue("hand-foot syndrome", 2)]


def test_biomarkers() -> None:
    found = [m.value for m in mentions("IHC showed ER (90%), PR (-), HER2 (1+) and Ki-67 40%.")]
    bms = {v.marker: v for v in found if isinstance(v, BiomarkerValue)}
    assert bms["ER"].status == "positive 90%" and bms["ER"].method == "IHC"
    assert bms["PR"].status == "negative" and bms["HER2"].status == "1+"
    assert (bms["Ki-67"].status or "").endswith("40%")


def test_cycles_trial_procedure_age_sex() -> None:
    found = mentions(
        "A 67-year-old man underwent a right hemicolectomy and received eight cycles of "
        "XELOX in a clinical trial (NCT01234567)."
    )
    by_kind = {m.kind: m.value for m in found}
    assert by_kind["age_sex"] == TextValue("male", 67)
    assert by_kind["procedure"] == TextValue("hemicolectomy")
    assert by_kind["cycles"] == TextValue("cycles", 8)
    assert by_kind["trial"] == TextValue("NCT01234567")


def test_lesions_with_site_figure_panel() -> None:
    found = mentions(
        "Figure 2 CT scans. (A) Lung mass (3.2 × 2.1 cm) before treatment; (B) lung mass "
        "reduced to 1.5 x 1.0 cm.",
        kind="caption",
    )
    lesions = [m.value for m in found if isinstance(m.value, LesionValue)]
    assert lesions == [
        LesionValue("lung mass", 3.2, 2.1, "2", "A"),
        LesionValue("lung mass", 1.5, 1.0, "2", "B"),
    ] or [(v.dim1_cm, v.dim2_cm, v.figure, v.panel) for v in lesions] == [
        (3.2, 2.1, "2", "A"),
        (1.5, 1.0, "2", "B"),
    ]
    text_lesion = [m.value for m in mentions("A 3 cm mass was found in the liver.")]
    assert any(isinstance(v, LesionValue) and v.dim1_cm == 3.0 for v in text_lesion)


def test_negation_and_uncertainty() -> None:
    found = mentions(
        "The patient refused lapatinib.",
        "She did not receive bevacizumab, but took letrozole.",
        "Liver metastasis was suspected.",
        "No evidence of disease progression was found.",
    )
    flags = {(m.text, m.negated, m.uncertain) for m in found if m.kind in ("drug", "progression")}
    assert ("lapatinib", True, False) in flags
    assert ("bevacizumab", True, False) in flags
    assert ("letrozole", False, False) in flags
    assert ("disease progression", True, False) in flags


def test_provenance_and_order() -> None:
    found = mentions("First sentence here. Then sunitinib was given.", "Another block.")
    m = next(x for x in found if x.kind == "drug")
    assert m.prov.sentence == "Then sunitinib was given."
    assert m.prov.sentence[m.prov.char_start : m.prov.char_end] == "sunitinib"
    assert m.prov.order == 1 and m.case_id == 1 and m.section == "case_presentation"


def test_header_footer_reference_skipped() -> None:
    assert not mentions("Sunitinib in renal cancer. J Clin Oncol.", kind="reference")


def test_bad_input_is_typed_error() -> None:
    with pytest.raises(MentionError):
        extract_mentions("not a document")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("PET-CT after six cycles showed complete metabolic remission.", "CR"),
        ("The scan showed a complete radiological and metabolic response.", "CR"),
        ("Interim PET demonstrated a partial metabolic response in the nodes.", "PR"),
        ("FDG-PET showed stable metabolic disease at three months.", "SD"),
        ("The follow-up PET showed progressive metabolic disease in the spleen.", "PD"),
    ],
)
def test_qualified_response_wording(text: str, response: str) -> None:
    """PERCIST / Lugano 2014 wording: 'complete metabolic remission' is a complete response."""
    found = [m.value for m in mentions(text) if isinstance(m.value, ResponseValue)]
    assert [v.response for v in found] == [response]


@pytest.mark.parametrize(
    ("text", "progression"),
    [
        ("She had slowly progressing dysphagia for solids.", False),
        ("He reported progression of his dyspnoea over two weeks.", False),
        ("CT showed disease progression in the liver.", True),
        ("The tumour was progressing despite treatment.", True),
    ],
)
def test_a_symptom_getting_worse_is_no_disease_progression(text: str, progression: bool) -> None:
    kinds = [m.kind for m in mentions(text)]
    assert ("progression" in kinds) is progression
