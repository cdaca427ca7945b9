"""Classes of line, setting, progression and response failures seen on real case reports,
each shown on made-up stories (none is a sentence of a real report).

1. a haematological cancer named by abbreviation has no (neo)adjuvant setting;
2. a drug started for another condition before the cancer is named opens no line;
3. a new lesion after curative treatment makes the next treatment metastatic line 1;
4. a complication caused by the cancer, or a recurrence, found on treatment closes the line;
5. two sizes of one lesion told as a change are a RECIST 1.1 category, words alone are not;
6. a recurrence or progression the treatment aims to prevent did not happen;
7. a sentence that defines the response categories assesses nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.transform.events.test_events import Story, day, drug
from transform.events import clinical, cue_words
from transform.events.caseinfo import story_points
from transform.events.story import group_sentences
from transform.records import (
    CaseEvents,
    CaseInfo,
    DateValue,
    DrugExposure,
    LesionValue,
    Provenance,
    ResponseValue,
    TextValue,
)
from transform.timeline import recist
from transform.timeline.lines import derive_lines

PROGRESSED = ("progression", "progressed", TextValue("progression"))


def _month(y: int, m: int) -> DateValue:
    return DateValue(date(y, m, 1), "month")


def _by_drug(case: CaseEvents) -> dict[str, tuple[str | None, int | None]]:
    result = derive_lines(case)
    return {e.drug: (e.setting, e.line_no) for e in result.exposures}


# --- 1. haematological cancers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Marrow flow cytometry confirmed pro-B ALL with 60% blasts.", True),
        ("Immunophenotyping was consistent with T-ALL.", True),
        ("ALL PATIENTS GAVE CONSENT to the review of their records.", False),
        ("All of the lymph nodes were free of tumour.", False),
    ],
)
def test_acute_lymphoblastic_leukaemia_abbreviation_is_a_histology(
    sentence: str, expected: bool
) -> None:
    assert cue_words.has("histology", sentence) is expected


def _exposure(drug_name: str, order: int, hint: str | None = None) -> DrugExposure:
    prov = Provenance(1, "x", 0, 1, order)
    return DrugExposure(
        case_id=1,
        episode=order,
        drug=drug_name,
        drug_as_printed=drug_name,
        prov=prov,
        setting_hint=hint,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("histology", ["b-all", "acute myeloid leukaemia", "myeloma"])
def test_a_neoadjuvant_word_does_not_hold_in_a_haematological_cancer(histology: str) -> None:
    case = CaseEvents(
        info=CaseInfo(case_id=1, histology=histology),
        exposures=(_exposure("vincristine", 3, "neoadjuvant"), _exposure("cytarabine", 5)),
    )
    result = derive_lines(case)
    assert [e.setting for e in result.exposures] == ["metastatic", "metastatic"]
    assert result.exposures[0].line_no == 1


def test_the_same_word_keeps_a_solid_tumour_neoadjuvant() -> None:
    case = CaseEvents(
        info=CaseInfo(case_id=1, histology="adenocarcinoma"),
        exposures=(_exposure("docetaxel", 3, "neoadjuvant"),),
    )
    (exposure,) = derive_lines(case).exposures
    assert (exposure.setting, exposure.line_no) == ("neoadjuvant", None)


def test_induction_of_a_leukaemia_with_a_transplant_ruled_out_is_line_1() -> None:
    s = Story()
    s.say("A 70-year-old woman was found to have B-ALL in the marrow.")
    s.say(
        "She received induction with vincristine and daunorubicin.",
        ("drug", "vincristine", drug("vincristine")),
        ("drug", "daunorubicin", drug("daunorubicin")),
    )
    s.say(
        "Bone marrow transplantation was not an option because of her age.",
        ("procedure", "transplantation", TextValue("transplantation")),
    )
    s.say(
        "Consolidation with cytarabine followed.",
        ("drug", "cytarabine", drug("cytarabine")),
    )
    (case,) = s.cases()
    settings = _by_drug(case)
    assert set(settings.values()) == {("metastatic", 1)}


# --- 2. another condition treated before the cancer ---------------------------------------


def test_drug_for_a_myeloproliferative_neoplasm_before_the_lymphoma_opens_no_line() -> None:
    s = Story()
    s.say(
        "In 2014 a 58-year-old man received a diagnosis of polycythaemia vera.",
        ("date", "2014", DateValue(date(2014, 1, 1), "year")),
    )
    s.say("He was started on hydroxyurea.", ("drug", "hydroxyurea", drug("hydroxyurea")))
    s.say(
        "In 2019 a neck node biopsy showed diffuse large B-cell lymphoma.",
        ("date", "2019", DateValue(date(2019, 1, 1), "year")),
    )
    s.say(
        "He was treated with rituximab and cyclophosphamide.",
        ("drug", "rituximab", drug("rituximab")),
        ("drug", "cyclophosphamide", drug("cyclophosphamide")),
    )
    (case,) = s.cases()
    settings = _by_drug(case)
    assert settings["hydroxyurea"] == (None, None)
    assert settings["rituximab"] == settings["cyclophosphamide"] == ("metastatic", 1)
    assert [line.drugs for line in derive_lines(case).lines] == [("cyclophosphamide", "rituximab")]


def test_drug_for_arthritis_told_as_history_before_the_cancer_opens_no_line() -> None:
    s = Story()
    s.say(
        "She had a long history of rheumatoid arthritis treated with methotrexate.",
        ("drug", "methotrexate", drug("methotrexate")),
    )
    s.say("At 66 she was found to have breast carcinoma metastatic to the spine.")
    s.say("Weekly paclitaxel was given.", ("drug", "paclitaxel", drug("paclitaxel")))
    (case,) = s.cases()
    settings = _by_drug(case)
    assert settings["methotrexate"] == (None, None)
    assert settings["paclitaxel"] == ("metastatic", 1)


def test_a_drug_told_after_the_cancer_is_named_stays_a_line() -> None:
    s = Story()
    s.say("A 52-year-old man was diagnosed with gastric cancer and liver metastases.")
    s.say("He had a history of gout.")
    s.say("Capecitabine was started.", ("drug", "Capecitabine", drug("capecitabine")))
    (case,) = s.cases()
    assert _by_drug(case)["capecitabine"] == ("metastatic", 1)


def test_story_points_find_the_cancer_sentence_even_without_a_mention() -> None:
    s = Story()
    s.say("He was diagnosed with psoriasis in 2001.", ("date", "2001", day(2001, 1, 1)))
    s.say("Acitretin was given.", ("drug", "Acitretin", drug("acitretin")))
    s.say("In 2012 a melanoma of the back was excised.")  # no mention: no order of its own
    s.say("Pembrolizumab was started.", ("drug", "Pembrolizumab", drug("pembrolizumab")))
    doc = s.document()
    sentences = [x for x in group_sentences(doc, s.mentions) if x.case_id == 1]
    blocks = [b for b in doc.blocks if b.case_id == 1]
    cancer, other = story_points(blocks, sentences)
    assert (other, cancer) == (1, 4)  # the first told sentence at or after the melanoma


# --- 3. recurrence after curative treatment ----------------------------------------------


def test_new_nodule_after_resection_and_adjuvant_makes_the_next_drug_line_1() -> None:
    s = Story()
    s.say(
        "In March 2018, a sigmoid colectomy was performed for adenocarcinoma.",
        ("date", "March 2018", _month(2018, 3)),
    )
    s.say(
        "Capecitabine was given from April 2018.",
        ("drug", "Capecitabine", drug("capecitabine")),
        ("date", "April 2018", _month(2018, 4)),
    )
    s.say(
        "In March 2019, CT revealed a new, 2-cm hepatic nodule, and irinotecan was started.",
        ("date", "March 2019", _month(2019, 3)),
        ("drug", "irinotecan", drug("irinotecan")),
    )
    (case,) = s.cases()
    settings = _by_drug(case)
    assert settings["capecitabine"] == ("adjuvant", None)
    assert settings["irinotecan"] == ("metastatic", 1)


def test_new_mass_after_nephrectomy_opens_line_1_and_its_progression_closes_it() -> None:
    s = Story()
    s.say(
        "She underwent a nephrectomy for clear cell renal cell carcinoma.",
        ("procedure", "nephrectomy", TextValue("nephrectomy")),
    )
    s.say(
        "Follow-up imaging a year later showed a new pulmonary mass and sunitinib was started.",
        ("drug", "sunitinib", drug("sunitinib")),
    )
    s.say("After ten months the disease progressed.", PROGRESSED)
    (case,) = s.cases()
    (line,) = derive_lines(case).lines
    assert line.drugs == ("sunitinib",)
    assert line.pfs_event == "progression"


# --- 4. progression in other words --------------------------------------------------------


def test_obstruction_caused_by_tumour_regrowth_closes_the_running_line() -> None:
    s = Story()
    s.say(
        "On May 4, 2020, a man with metastatic pancreatic cancer began gemcitabine.",
        ("date", "May 4, 2020", day(2020, 5, 4)),
        ("drug", "gemcitabine", drug("gemcitabine")),
    )
    s.say(
        "On January 11, 2021, he developed duodenal obstruction caused by tumour regrowth.",
        ("date", "January 11, 2021", day(2021, 1, 11)),
    )
    (case,) = s.cases()
    (line,) = derive_lines(case).lines
    assert (line.pfs_event, line.pfs_event_date) == ("progression", date(2021, 1, 11))


def test_stricture_secondary_to_the_carcinoma_on_treatment_closes_the_line() -> None:
    s = Story()
    s.say(
        "In June 2017 oxaliplatin was started for stage IV cholangiocarcinoma.",
        ("date", "June 2017", _month(2017, 6)),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
    )
    s.say(
        "In February 2018, cholangiography showed a biliary stricture secondary to the carcinoma.",
        ("date", "February 2018", _month(2018, 2)),
    )
    (case,) = s.cases()
    (line,) = derive_lines(case).lines
    assert (line.pfs_event, line.pfs_event_date) == ("progression", date(2018, 2, 1))


def test_a_presenting_complication_is_no_progression() -> None:
    s = Story()
    s.say(
        "A 63-year-old man presented with bowel obstruction caused by a sigmoid tumour.",
        ("age_sex", "63-year-old man", TextValue("male", 63)),
    )
    s.say("A sigmoid colectomy was performed.", ("procedure", "colectomy", TextValue("colectomy")))
    s.say("Capecitabine was given for six months.", ("drug", "Capecitabine", drug("capecitabine")))
    (case,) = s.cases()
    assert _by_drug(case)["capecitabine"] == ("adjuvant", None)


def test_local_recurrence_on_treatment_closes_the_line_and_recurrent_vomiting_does_not() -> None:
    def story(event: str) -> CaseEvents:
        s = Story()
        s.say(
            "In May 2016 she began docetaxel for lung metastases of a gastric carcinoma.",
            ("date", "May 2016", _month(2016, 5)),
            ("drug", "docetaxel", drug("docetaxel")),
        )
        s.say(f"In October 2016 {event}.", ("date", "October 2016", _month(2016, 10)))
        (case,) = s.cases()
        return case

    (closed,) = derive_lines(story("endoscopy found a local recurrence at the stoma")).lines
    assert (closed.pfs_event, closed.pfs_event_date) == ("progression", date(2016, 10, 1))
    (running,) = derive_lines(story("she was admitted with recurrent vomiting")).lines
    assert running.pfs_event is None


# --- 5. responses from sizes, not from words ----------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (3.0, 1.1, "PR"),  # -63%
        (5.0, 3.5, "PR"),  # exactly -30%
        (2.0, 1.6, "SD"),  # -20%
        (2.0, 2.5, "PD"),  # +25% and 5 mm
        (0.5, 0.7, "SD"),  # +40% but only 2 mm
        (1.8, 0.0, "CR"),
    ],
)
def test_size_change_response_follows_recist_thresholds(
    before: float, after: float, expected: str
) -> None:
    assert clinical.size_change_response(before, after) == expected


def test_size_change_thresholds_are_recists() -> None:
    assert clinical.PR_DECREASE_PCT == recist.PR_DECREASE_PCT
    assert clinical.PD_INCREASE_PCT == recist.PD_INCREASE_PCT
    assert clinical.PD_MIN_INCREASE_CM == recist.PD_MIN_INCREASE_CM


def _lesion(a: float, b: float) -> LesionValue:
    return LesionValue(site=None, dim1_cm=a, dim2_cm=b)


@pytest.mark.parametrize(
    ("sentence", "sizes", "expected"),
    [
        (
            "By August the nodule had shrunk (from 4.0 by 3.1 cm to 2.5 by 2.0 cm).",
            ("4.0 by 3.1 cm", "2.5 by 2.0 cm"),
            ["PR"],
        ),
        (
            "The adrenal mass grew from 2.0 x 1.5 cm to 2.6 x 2.0 cm.",
            ("2.0 x 1.5 cm", "2.6 x 2.0 cm"),
            ["PD"],
        ),
        (
            "CT showed a 3.0 x 2.0 cm liver lesion and a 2.0 x 1.0 cm lung lesion.",
            ("3.0 x 2.0 cm", "2.0 x 1.0 cm"),
            [],
        ),
    ],
)
def test_two_sizes_told_as_a_change_are_a_response(
    sentence: str, sizes: tuple[str, str], expected: list[str]
) -> None:
    s = Story()
    s.say("A 49-year-old woman had a metastatic sarcoma.")
    s.say(
        sentence,
        ("lesion", sizes[0], _lesion(*map(float, sizes[0].replace("cm", "").split()[::2]))),
        ("lesion", sizes[1], _lesion(*map(float, sizes[1].replace("cm", "").split()[::2]))),
    )
    (case,) = s.cases()
    assert [a.response for a in case.assessments] == expected


def test_shrinkage_in_words_alone_is_no_recist_category() -> None:
    s = Story()
    s.say("A 49-year-old woman had a metastatic sarcoma treated with doxorubicin.")
    s.say(
        "In May 2019, follow-up scans showed that the lesions had markedly diminished in size.",
        ("date", "May 2019", _month(2019, 5)),
    )
    s.say(
        "In July 2019, the masses were much smaller on CT.", ("date", "July 2019", _month(2019, 7))
    )
    (case,) = s.cases()
    assert case.assessments == ()


def test_measured_shrinkage_is_the_best_response_of_the_line_it_follows() -> None:
    s = Story()
    s.say(
        "After a lobectomy for lung adenocarcinoma, a new hilar mass was found.",
        ("procedure", "lobectomy", TextValue("lobectomy")),
    )
    s.say("Erlotinib was started.", ("drug", "Erlotinib", drug("erlotinib")))
    s.say(
        "Later the mass had decreased from 2.8 x 2.0 cm to 1.2 x 1.0 cm.",
        ("lesion", "2.8 x 2.0 cm", _lesion(2.8, 2.0)),
        ("lesion", "1.2 x 1.0 cm", _lesion(1.2, 1.0)),
    )
    s.say("After a year the disease progressed.", PROGRESSED)
    (case,) = s.cases()
    (line,) = derive_lines(case).lines
    assert (line.best_response, line.pfs_event) == ("PR", "progression")


def test_metastasis_named_after_the_new_mass_does_not_move_the_onset_later() -> None:
    year = ("date", "2016", DateValue(date(2016, 1, 1), "year"))
    s = Story()
    s.say(
        "In 2016 a hemicolectomy was done for adenocarcinoma of the caecum.",
        year,
        ("procedure", "hemicolectomy", TextValue("hemicolectomy")),
    )
    s.say(
        "Later in 2016 restaging showed a new, solitary adrenal mass and cetuximab was begun.",
        year,
        ("drug", "cetuximab", drug("cetuximab")),
    )
    s.say(
        "In 2016 the mass decreased from 3.5 x 3.0 cm to 2.0 x 1.5 cm.",
        year,
        ("lesion", "3.5 x 3.0 cm", _lesion(3.5, 3.0)),
        ("lesion", "2.0 x 1.5 cm", _lesion(2.0, 1.5)),
    )
    s.say(
        "In 2018 an adrenalectomy showed metastatic adenocarcinoma.",
        ("date", "2018", DateValue(date(2018, 1, 1), "year")),
    )
    (case,) = s.cases()
    assert _by_drug(case)["cetuximab"] == ("metastatic", 1)
    (line,) = derive_lines(case).lines
    assert line.best_response == "PR"


# --- 6. what a treatment aims to prevent is no event ---------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Adjuvant oxaliplatin was given to lower the chance of recurrence.",
        "He was given oxaliplatin, the best option for reducing the risk of distant relapse.",
        "He received oxaliplatin to delay disease progression.",
    ],
)
def test_an_event_the_treatment_aims_to_prevent_does_not_happen(sentence: str) -> None:
    s = Story()
    s.say(
        "In 2017 a right hemicolectomy was done for adenocarcinoma.",
        ("date", "2017", DateValue(date(2017, 1, 1), "year")),
        ("procedure", "hemicolectomy", TextValue("hemicolectomy")),
    )
    s.say(sentence, ("drug", "oxaliplatin", drug("oxaliplatin")))
    (case,) = s.cases()
    assert not [e for e in case.events if e.kind in ("progression", "recurrence")]
    assert _by_drug(case)["oxaliplatin"] == ("adjuvant", None)


def test_a_recurrence_that_happened_still_counts() -> None:
    s = Story()
    s.say(
        "In 2017 a right hemicolectomy was done for adenocarcinoma.",
        ("date", "2017", DateValue(date(2017, 1, 1), "year")),
        ("procedure", "hemicolectomy", TextValue("hemicolectomy")),
    )
    s.say(
        "In 2019 he developed a recurrence in the liver and oxaliplatin was started.",
        ("date", "2019", DateValue(date(2019, 1, 1), "year")),
        ("drug", "oxaliplatin", drug("oxaliplatin")),
    )
    (case,) = s.cases()
    assert _by_drug(case)["oxaliplatin"] == ("metastatic", 1)


# --- 7. a sentence that defines the response categories assesses nothing -----------------


def _resp(text: str, category: str) -> tuple[str, str, ResponseValue]:
    return ("response", text, ResponseValue(category))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "specs"),
    [
        (
            "Responses were graded by mRECIST: CR, no enhancement; PR, a 30% fall; "
            "SD, neither; PD, a 20% rise.",
            (("CR", "CR"), ("PR", "PR"), ("SD", "SD"), ("PD", "PD")),
        ),
        (
            "Under these criteria a complete response means no lesion, a partial response a "
            "fall of a third, and progressive disease any new lesion.",
            (
                ("complete response", "CR"),
                ("partial response", "PR"),
                ("progressive disease", "PD"),
            ),
        ),
    ],
)
def test_criteria_definitions_are_no_assessment_and_no_progression(
    sentence: str, specs: tuple[tuple[str, str], ...]
) -> None:
    s = Story()
    s.say(
        "In 2020 capecitabine was started for metastatic breast cancer.",
        ("date", "2020", DateValue(date(2020, 1, 1), "year")),
        ("drug", "capecitabine", drug("capecitabine")),
    )
    s.say(sentence, *[_resp(text, category) for text, category in specs])
    (case,) = s.cases()
    assert case.assessments == ()
    assert not [e for e in case.events if e.kind == "progression"]


def test_two_categories_of_two_sites_are_still_assessments() -> None:
    s = Story()
    s.say(
        "In 2020 capecitabine was started for metastatic breast cancer.",
        ("date", "2020", DateValue(date(2020, 1, 1), "year")),
        ("drug", "capecitabine", drug("capecitabine")),
    )
    s.say(
        "Later CT showed PR in the liver and PD in the bones.",
        _resp("PR", "PR"),
        _resp("PD", "PD"),
    )
    (case,) = s.cases()
    assert sorted(a.response for a in case.assessments) == ["PD", "PR"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "In 2015 a 45-year-old woman was diagnosed with a 3-cm breast mass.",
            "She received docetaxel before surgery.",
        ),
        (
            "In 2015 he had a history of hypertension.",
            "He was given first-line docetaxel.",
        ),
        (
            "In 2015 he had a history of hypertension.",
            "Chemotherapy with docetaxel was given.",
        ),
    ],
)
def test_a_drug_of_the_cancer_before_its_name_is_printed_keeps_its_line_or_setting(
    first: str, second: str
) -> None:
    s = Story()
    s.say(first, ("date", "2015", DateValue(date(2015, 1, 1), "year")))
    s.say(second, ("drug", "docetaxel", drug("docetaxel")))
    s.say(
        "In 2016 the final pathology showed invasive ductal carcinoma.",
        ("date", "2016", DateValue(date(2016, 1, 1), "year")),
    )
    (case,) = s.cases()
    setting, _ = _by_drug(case)["docetaxel"]
    assert setting is not None
