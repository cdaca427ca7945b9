"""Drugs already running, named together again, are their own episodes told again (issue 20,
class 7: one drug episode is one exposure), through the mention layer on made-up texts.

'Two more cycles of X on Y' names X (the cancer drug, held for a toxicity) while the patient
is on Y (the drug started for that toxicity): neither is a new exposure, and the two are not
a new combination regimen. A new course stays new: after a progression, or told as restarted.
"""

from __future__ import annotations

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.records import Extraction


def _run(body: str) -> Extraction:
    doc = document_from_text("Case 1\n\n" + body)
    return transform_mentions(doc, extract_mentions(doc))


def _episodes(x: Extraction) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for e in x.exposures:
        out.setdefault(e.drug, set()).add(e.episode)
    return out


def test_a_held_drug_given_again_while_on_the_toxicity_drug_is_one_episode_each() -> None:
    x = _run(
        "A 58-year-old woman had metastatic melanoma of the back with liver metastases. "
        "Nivolumab 240 mg was started every two weeks. After three doses she developed colitis. "
        "Nivolumab was withheld and she was begun on budesonide 9 mg daily. "
        "She later completed three further doses of nivolumab on budesonide."
    )
    episodes = _episodes(x)
    assert len(episodes["nivolumab"]) == 1
    assert len(episodes["budesonide"]) == 1
    assert episodes["nivolumab"] != episodes["budesonide"]
    assert [line.drugs for line in x.lines] == [("nivolumab",)]
    assert all("budesonide" not in (line.regimen or "") for line in x.lines)


def test_two_running_drugs_named_together_keep_their_doses_and_open_nothing() -> None:
    x = _run(
        "A 66-year-old man had metastatic renal cell carcinoma of the left kidney. "
        "Sunitinib 50 mg daily was started in March. "
        "Because of hypertension, he was started on amlodipine 5 mg daily. "
        "He continued to receive sunitinib together with amlodipine for eight months."
    )
    episodes = _episodes(x)
    assert len(episodes["sunitinib"]) == 1
    assert len(episodes["amlodipine"]) == 1
    assert len(x.lines) == 1
    doses = {(e.drug, e.dose_amount) for e in x.exposures}
    assert ("sunitinib", 50.0) in doses


def test_the_same_drugs_after_a_progression_are_a_new_course() -> None:
    x = _run(
        "A 61-year-old man had metastatic colon adenocarcinoma with lung metastases. "
        "Capecitabine 1,000 mg/m2 twice daily was started. "
        "Bevacizumab 7.5 mg/kg was then added to it. "
        "A CT scan showed progression of the lung metastases. "
        "He was then given capecitabine with bevacizumab at a new schedule."
    )
    episodes = _episodes(x)
    assert len(episodes["capecitabine"]) == 2
