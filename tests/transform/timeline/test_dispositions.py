"""Every drug named in a case presentation is an exposure or carries the reason it is none.

Made-up case texts through the mention layer and the whole transform stage
(transform/timeline/dispositions.py); the warehouse rows and the audit findings they make.
"""

from __future__ import annotations

from pathlib import Path

import load
from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions
from transform.records import DrugMentionDisposition, Extraction
from transform.timeline.dispositions import mention_numbers, unexplained_findings
from transform.types import UNEXPLAINED_REASONS


def _run(body: str) -> Extraction:
    doc = document_from_text("Case 1\n\n" + body)
    return transform_mentions(doc, extract_mentions(doc))


def _reasons(ext: Extraction) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in ext.dispositions:
        out.setdefault(d.drug, set()).add(d.reason)
    return out


GASTRIC = (
    "A 63-year-old woman was diagnosed with metastatic gastric adenocarcinoma with liver "
    "metastases in May 2018. She declined chemotherapy with oxaliplatin. After failure of prior "
    "cisplatin at another hospital, she was started on paclitaxel 80 mg/m2 weekly from June "
    "2018. Ramucirumab was considered as an alternative. In August 2018 she developed "
    "paclitaxel-induced neuropathy. A CT scan in September 2018 showed progressive disease."
)


def test_each_drug_mention_is_given_or_says_why_not() -> None:
    ext = _run(GASTRIC)
    assert _reasons(ext) == {
        "oxaliplatin": {"negated"},
        "cisplatin": {"prior_history"},
        "paclitaxel": {"exposure", "same_drug_given"},
        "ramucirumab": {"hypothetical"},
    }
    (own,) = [d for d in ext.dispositions if d.reason == "exposure"]
    assert own.disposition == "given"
    assert own.exposure_no is not None
    assert ext.exposures[own.exposure_no - 1].drug == "paclitaxel"
    assert all(d.disposition == "not_given" for d in ext.dispositions if d.exposure_no is None)


def test_a_drug_named_again_points_at_the_exposure_told_before() -> None:
    ext = _run(
        "A 70-year-old man had metastatic rectal cancer with lung metastases in 2019. In March "
        "2019 he received irinotecan 180 mg/m2 every two weeks. His diarrhoea was attributed "
        "to irinotecan in April 2019. In May 2019 irinotecan was reduced to 150 mg/m2."
    )
    rows = [d for d in ext.dispositions if d.drug == "irinotecan"]
    assert rows[0].reason == "exposure"
    assert {d.disposition for d in rows} == {"given"}
    numbers = [d.exposure_no for d in rows]
    assert None not in numbers
    assert {ext.exposures[n - 1].drug for n in numbers if n is not None} == {"irinotecan"}


def test_mentions_outside_the_story_are_not_accounted() -> None:
    doc = document_from_text(
        "Introduction\n\nGemcitabine is a standard treatment of this tumour.\n\nCase 1\n\n"
        "A 55-year-old man had pancreatic adenocarcinoma with liver metastases in 2020. He "
        "received nab-paclitaxel from January 2020."
    )
    ext = transform_mentions(doc, extract_mentions(doc))
    assert "gemcitabine" in {m.text.lower() for m in ext.mentions}
    assert {d.drug for d in ext.dispositions} == {"paclitaxel"}


def test_a_case_without_cancer_keeps_its_drugs_as_not_given_with_the_reason() -> None:
    ext = _run(
        "A 40-year-old woman presented with fever and a productive cough. She received "
        "ceftriaxone and azithromycin. Her methotrexate for psoriasis was continued."
    )
    assert ext.cases == ()
    assert ext.dispositions
    assert {d.reason for d in ext.dispositions} == {"case_without_cancer"}


def test_a_drug_told_only_as_stopped_or_only_named_is_an_audit_finding() -> None:
    ext = _run(
        "A 58-year-old woman had metastatic breast cancer with bone metastases in 2017. She "
        "received letrozole 2.5 mg daily from March 2017. Everolimus was discontinued in May "
        "2017 because of stomatitis. Her record lists fulvestrant."
    )
    missed = {d.drug: d.reason for d in ext.dispositions if d.reason in UNEXPLAINED_REASONS}
    assert missed == {"everolimus": "stopped", "fulvestrant": "no_start_told"}
    found = [f for f in ext.findings if f.kind == "named_not_given"]
    assert sorted(f.message.split(": ")[1].split(" ")[0] for f in found) == [
        "everolimus",
        "fulvestrant",
    ]
    assert all(f.prov is not None and f.prov.sentence for f in found)


def test_only_antineoplastic_misses_are_findings() -> None:
    ext = _run(GASTRIC)
    base = ext.dispositions[0]
    supportive = DrugMentionDisposition(
        **{**base.__dict__, "drug": "ondansetron", "role": "supportive", "reason": "unexplained"}
    )
    cancer = DrugMentionDisposition(
        **{**base.__dict__, "drug": "imatinib", "role": "antineoplastic", "reason": "unexplained"}
    )
    explained = DrugMentionDisposition(**{**base.__dict__, "reason": "hypothetical"})
    findings = unexplained_findings((supportive, cancer, explained))
    assert [f.kind for f in findings] == ["named_not_given"]
    assert "imatinib" in findings[0].message


def test_mention_numbers_are_the_warehouse_mention_no(tmp_path: Path) -> None:
    ext = _run(GASTRIC)
    numbers = mention_numbers(ext.mentions)
    assert sorted(numbers.values()) == list(range(1, len(ext.mentions) + 1))
    con = load.connect(tmp_path / "w.duckdb")
    load.load_extraction(con, ext, "test")
    rows = con.execute(
        "select d.drug, d.reason, d.drug_as_printed, m.text, e.drug "
        "from drug_mention_dispositions d "
        "join mentions m using (doc_id, mention_no) "
        "left join drug_exposures e on e.doc_id = d.doc_id and e.exposure_no = d.exposure_no "
        "order by d.mention_no"
    ).fetchall()
    assert len(rows) == len(ext.dispositions)
    for drug, reason, printed, text, exposed in rows:
        assert printed == text
        assert (exposed == drug) == (reason in ("exposure", "same_drug_given"))
    con.close()


# --- a regimen code retelling a course given as other members of its classes ------------------


def test_a_regimen_code_retelling_a_course_of_class_members_is_that_course() -> None:
    ext = _run(
        "A 57-year-old man had metastatic hypopharyngeal squamous cell carcinoma with lung "
        "metastases. He was treated with paclitaxel 175 mg/m2, carboplatin AUC 5 and "
        "capecitabine 1,000 mg/m2 every three weeks. Grade 3 neutropenia followed the third "
        "cycle of TPF chemotherapy."
    )
    tpf = {d.drug: d for d in ext.dispositions if d.drug_as_printed == "TPF"}
    assert tpf, "TPF is a regimen mention of the lexicon"
    missing = [d for d in tpf.values() if d.reason in UNEXPLAINED_REASONS]
    assert missing == []
    by_class = {drug: d for drug, d in tpf.items() if d.reason == "same_class_given"}
    assert set(by_class) >= {"docetaxel", "fluorouracil"}
    given = {ext.exposures[d.exposure_no - 1].drug for d in by_class.values() if d.exposure_no}
    assert given >= {"paclitaxel", "capecitabine"}
    assert {e.drug for e in ext.exposures} == {"paclitaxel", "carboplatin", "capecitabine"}


def test_a_regimen_code_is_no_retelling_when_a_class_was_never_given() -> None:
    ext = _run(
        "A 49-year-old woman had metastatic nasopharyngeal carcinoma with bone metastases. "
        "She was treated with paclitaxel 175 mg/m2 and cisplatin 75 mg/m2 every three weeks. "
        "Mucositis followed the second cycle of TPF chemotherapy."
    )
    fluoro = [d for d in ext.dispositions if d.drug == "fluorouracil"]
    assert fluoro
    assert all(d.reason != "same_class_given" for d in fluoro)
    assert all(d.exposure_no is None for d in fluoro)
