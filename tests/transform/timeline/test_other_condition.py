"""An antineoplastic drug its own clause gives for a non-malignant disease is not cancer
treatment: role 'other', no line (transform/timeline/roles.py:for_other_condition).
Made-up sentences."""

from __future__ import annotations

import pytest

from tests.transform.events.test_events import Story, day, drug
from transform.records import DrugExposure, Provenance
from transform.timeline.lines import derive_lines
from transform.timeline.roles import drug_roles, for_other_condition


def exposure(name: str, sentence: str) -> DrugExposure:
    start = sentence.lower().index(name)
    prov = Provenance(1, sentence, start, start + len(name), 1)
    return DrugExposure(case_id=1, episode=1, drug=name, drug_as_printed=name, prov=prov)


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        (
            "methotrexate",
            "Weekly methotrexate had been taken for her seronegative rheumatoid arthritis.",
        ),
        (
            "imatinib",
            "Imatinib was tried off-label to treat his severe pulmonary arterial hypertension.",
        ),
        (
            "hydroxyurea",
            "Because of sickle cell anaemia she had been on hydroxyurea since childhood.",
        ),
        ("rituximab", "Rituximab was added for the relapsing ANCA vasculitis."),
        ("cyclophosphamide", "For lupus nephritis, monthly cyclophosphamide pulses were given."),
        (
            "alemtuzumab",
            "The donor marrow underwent T-cell depletion with alemtuzumab before infusion.",
        ),
        (
            "methotrexate",
            "Short-course methotrexate was given as graft-versus-host disease prophylaxis.",
        ),
        (
            "cyclophosphamide",
            "Post-transplant cyclophosphamide served as prophylaxis against GVHD.",
        ),
    ],
)
def test_an_antineoplastic_drug_for_another_disease(name: str, sentence: str) -> None:
    exp = exposure(name, sentence)
    assert for_other_condition(exp)
    assert drug_roles([exp]) == ("other",)


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("rituximab", "Rituximab was given for lymphoma-associated autoimmune haemolysis."),
        ("paclitaxel", "Paclitaxel was given for six cycles, and her psoriasis stayed quiet."),
        ("methotrexate", "High-dose methotrexate was given for the CNS lymphoma."),
        (
            "cyclophosphamide",
            "Conditioning with busulfan and cyclophosphamide preceded the T-cell replete graft.",
        ),
    ],
)
def test_an_antineoplastic_drug_for_the_cancer(name: str, sentence: str) -> None:
    exp = exposure(name, sentence)
    assert not for_other_condition(exp)
    assert drug_roles([exp]) == ("antineoplastic",)


def test_a_drug_for_another_disease_opens_no_line_in_a_cancer_story() -> None:
    s = Story()
    s.say("A 58-year-old woman had metastatic colon adenocarcinoma.")
    s.say(
        "On May 4, 2020, FOLFOX was started and leucovorin was part of it.",
        ("date", "May 4, 2020", day(2020, 5, 4)),
        ("drug", "leucovorin", drug("leucovorin")),
    )
    s.say(
        "On June 1, 2020, methotrexate was restarted for her psoriatic arthritis.",
        ("date", "June 1, 2020", day(2020, 6, 1)),
        ("drug", "methotrexate", drug("methotrexate")),
    )
    (case,) = s.cases()
    roles = {e.drug: e.role for e in derive_lines(case).exposures}
    assert roles["methotrexate"] == "other"
    assert all("methotrexate" not in line.drugs for line in derive_lines(case).lines)
