"""A hand-built cohort warehouse: three made-up articles, six patients, lines with events and
censoring, and one article without an oncology timeline. Made-up stories (not the gold
articles), written through the real schema, for the cohort views, `caselines cohort/km`
and the report's cohort page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

import load
from tests.export.warehouse import insert

MONTH_DAYS = 30.4375
DRUG_CLASSES = {
    "paclitaxel": "taxane",
    "trastuzumab": "anti-HER2 antibody",
    "capecitabine": "antimetabolite",
    "oxaliplatin": "platinum",
    "fluorouracil": "antimetabolite",
    "irinotecan": "topoisomerase inhibitor",
    "osimertinib": "EGFR tyrosine kinase inhibitor",
    "carboplatin": "platinum",
    "pemetrexed": "antimetabolite",
    "nivolumab": "PD-1 inhibitor",
}


@dataclass(frozen=True)
class LineSpec:
    drugs: tuple[str, ...]
    regimen: str | None
    start: date | None
    end: date | None
    event: str | None
    """progression, death or None (censored)."""
    event_on: date | None
    best: str | None


@dataclass(frozen=True)
class CaseSpec:
    doc: str
    case_id: int
    age: int
    sex: str
    site: str
    histology: str
    lines: tuple[LineSpec, ...]
    death: date | None = None
    last_scan: date | None = None


def doc_id(n: int) -> str:
    return f"{n:02d}" * 32


def _l(drugs: str, regimen: str | None, start: date | None, end: date | None,
       event: str | None, event_on: date | None, best: str | None) -> LineSpec:  # fmt: skip
    return LineSpec(tuple(drugs.split()), regimen, start, end, event, event_on, best)


D = date
CASES = (
    CaseSpec(
        doc_id(1),
        1,
        52,
        "female",
        "breast",
        "invasive ductal carcinoma",
        (
            _l(
                "paclitaxel trastuzumab",
                "TH",
                D(2019, 1, 10),
                D(2019, 9, 1),
                "progression",
                D(2019, 10, 1),
                "PR",
            ),
            _l(
                "capecitabine",
                None,
                D(2019, 10, 15),
                D(2020, 6, 1),
                "progression",
                D(2020, 6, 1),
                "SD",
            ),
            _l("irinotecan", None, D(2020, 6, 20), None, None, None, "SD"),
        ),
        last_scan=D(2021, 1, 5),
    ),
    CaseSpec(
        doc_id(1),
        2,
        47,
        "female",
        "breast",
        "invasive ductal carcinoma",
        (
            _l("paclitaxel trastuzumab", "TH", D(2018, 3, 1), D(2018, 12, 1), None, None, "CR"),
            _l("capecitabine", None, D(2019, 2, 1), None, "death", D(2019, 8, 20), "PD"),
        ),
        death=D(2019, 8, 20),
    ),
    CaseSpec(
        doc_id(2),
        1,
        66,
        "male",
        "sigmoid colon",
        "adenocarcinoma",
        (
            _l(
                "fluorouracil oxaliplatin",
                "FOLFOX",
                D(2020, 1, 5),
                None,
                "progression",
                D(2020, 8, 5),
                "PR",
            ),
            _l("irinotecan", None, D(2020, 8, 20), None, "progression", D(2021, 1, 10), "SD"),
            _l("capecitabine", None, D(2021, 1, 25), None, "progression", D(2021, 4, 2), "PD"),
        ),
    ),
    CaseSpec(
        doc_id(2),
        2,
        58,
        "female",
        "rectum",
        "adenocarcinoma",
        (_l("capecitabine oxaliplatin", "CAPOX", D(2021, 5, 1), D(2021, 11, 1), None, None, "PR"),),
        last_scan=D(2022, 2, 1),
    ),
    CaseSpec(
        doc_id(3),
        1,
        71,
        "male",
        "lung",
        "adenocarcinoma",
        (
            _l("osimertinib", None, D(2020, 2, 1), None, "progression", D(2021, 3, 1), "PR"),
            _l(
                "carboplatin pemetrexed",
                None,
                D(2021, 3, 15),
                None,
                "progression",
                D(2021, 9, 1),
                "SD",
            ),
            _l("nivolumab", None, None, None, None, None, None),
        ),
    ),
    CaseSpec(
        doc_id(3),
        2,
        63,
        "female",
        "lung",
        "adenocarcinoma",
        (
            _l(
                "carboplatin pemetrexed",
                None,
                D(2020, 6, 1),
                None,
                "progression",
                D(2020, 12, 1),
                "SD",
            ),
        ),
    ),
)
TITLES = {
    doc_id(1): "Trastuzumab beyond progression in HER2-positive breast cancer: two cases",
    doc_id(2): "Sequential chemotherapy in metastatic colorectal cancer: a report of two cases",
    doc_id(3): "Osimertinib then chemotherapy in EGFR-mutant lung adenocarcinoma",
    doc_id(4): "An unusual presentation of sarcoidosis",
}
NO_TIMELINE_DOC = doc_id(4)
NOT_A_CASE_REPORT = "no case segments: not read as a case report"


def evidence(case: CaseSpec, line_no: int, spec: LineSpec) -> str:
    what = spec.regimen or " and ".join(spec.drugs)
    when = f" from {spec.start:%B %d, %Y}" if spec.start else ""
    return f"Patient {case.case_id} then received {what}{when} as line {line_no}."


def build(path: Path, title_override: str | None = None) -> Path:
    con: duckdb.DuckDBPyConnection = load.connect(path)
    for n, (doc, title) in enumerate(TITLES.items()):
        n_cases = sum(1 for c in CASES if c.doc == doc)
        insert(con, "documents", doc_id=doc, path=f"/corpus/made-up-{n}.pdf",
               title=title_override or title, doi=f"10.0000/made-up.{n}", year=2022, n_pages=5,
               n_cases=n_cases, pfs_month_days=MONTH_DAYS, pipeline_version="9.9.9",
               ingested_at=datetime(2025, 1, 1, 12, n),
               warnings=[] if n_cases else [NOT_A_CASE_REPORT])  # fmt: skip
    exposure_no = 0
    for case in CASES:
        insert(con, "cases", doc_id=case.doc, case_id=case.case_id, age=case.age, sex=case.sex,
               primary_site=case.site, histology=case.histology, death_date=case.death,
               page=2, evidence=f"A {case.age}-year-old {case.sex} had {case.site} "
               f"{case.histology}.")  # fmt: skip
        for line_no, spec in enumerate(case.lines, start=1):
            months = (
                round((spec.event_on - spec.start).days / MONTH_DAYS, 1)
                if spec.start and spec.event_on
                else None
            )
            sentence = evidence(case, line_no, spec)
            insert(con, "lines_of_therapy", doc_id=case.doc, case_id=case.case_id,
                   line_no=line_no, regimen=spec.regimen, drugs=sorted(spec.drugs),
                   start_date=spec.start, start_date_precision="day" if spec.start else None,
                   end_date=spec.end, end_date_precision="day" if spec.end else None,
                   best_response=spec.best, pfs_event=spec.event, pfs_event_date=spec.event_on,
                   pfs_months=months, page=3, evidence=sentence)  # fmt: skip
            for drug in spec.drugs:
                exposure_no += 1
                insert(con, "drug_exposures", doc_id=case.doc, case_id=case.case_id,
                       exposure_no=exposure_no, episode=line_no, setting="metastatic",
                       line_no=line_no, regimen=spec.regimen, drug=drug, drug_as_printed=drug,
                       drug_class=DRUG_CLASSES[drug], start_date=spec.start,
                       end_date=spec.end, role="antineoplastic", page=3,
                       evidence=sentence)  # fmt: skip
            if spec.best and spec.start:
                insert(con, "assessments", doc_id=case.doc, case_id=case.case_id,
                       line_no=line_no, assessed_on=spec.start + timedelta(days=60),
                       modality="CT", response=spec.best, page=3,
                       evidence=f"CT showed {spec.best} on line {line_no}.")  # fmt: skip
        if case.last_scan:
            insert(con, "events", doc_id=case.doc, case_id=case.case_id,
                   event_date=case.last_scan, kind="imaging", page=4,
                   evidence="A follow-up CT showed stable disease.")  # fmt: skip
    con.close()
    return path


def expected_lines() -> int:
    return sum(len(c.lines) for c in CASES)
