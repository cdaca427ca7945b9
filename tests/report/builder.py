"""A warehouse for report tests, filled from the seed article's gold values.

Rows go straight into the DuckDB tables (no ingest), with one synthetic evidence sentence
per row that names what it supports, so a test can follow a value to its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import yaml

import load

GOLD_YAML = Path(__file__).resolve().parents[1] / "gold" / "tcr-22-2483.yaml"
DOC_ID = "ab" * 32
MONTH_DAYS = 30.0
ASSESSMENT_AFTER_DAYS = 56
"""First scan eight weeks into a line, where the synthetic best response is recorded."""

DRUG_CLASSES = {
    "paclitaxel": "taxane",
    "docetaxel": "taxane",
    "trastuzumab": "anti-HER2 antibody",
    "pertuzumab": "anti-HER2 antibody",
    "everolimus": "mTOR inhibitor",
    "vinorelbine": "vinca alkaloid",
    "afatinib": "HER2/EGFR tyrosine kinase inhibitor",
    "lapatinib": "HER2/EGFR tyrosine kinase inhibitor",
    "pyrotinib": "HER2/EGFR tyrosine kinase inhibitor",
    "rivoceranib": "VEGFR2 tyrosine kinase inhibitor",
    "gemcitabine": "antimetabolite",
    "capecitabine": "antimetabolite",
    "fluorouracil": "antimetabolite",
    "cisplatin": "platinum",
    "utidelone": "epothilone",
    "letrozole": "aromatase inhibitor",
    "anastrozole": "aromatase inhibitor",
    "exemestane": "aromatase inhibitor",
    "fulvestrant": "SERD",
    "tamoxifen": "SERM",
    "cyclophosphamide": "alkylating agent",
    "pirarubicin": "anthracycline",
}


def gold() -> dict[str, Any]:
    with GOLD_YAML.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def pfs_months(start: date | None, end: date | None) -> float | None:
    return None if start is None or end is None else (end - start).days / MONTH_DAYS


def insert(con: duckdb.DuckDBPyConnection, table: str, row: Mapping[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {table} ({names}) values ({marks})", list(row.values()))


def _first_dose(doses: Mapping[str, Any], drug: str) -> Mapping[str, Any]:
    dose = doses.get(drug) or {}
    return dose[0] if isinstance(dose, list) else dose


@dataclass
class Overrides:
    """Strings to put in place of the realistic ones (the XSS tests use payloads)."""

    title: str | None = None
    regimen: str | None = None
    evidence: str | None = None
    drug_as_printed: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def build(path: Path, overrides: Overrides | None = None) -> Path:
    """Write the seed article's two cases (10 and 6 lines) into a new warehouse at `path`."""
    o = overrides or Overrides()
    g = gold()
    doc = g["document"]
    con = duckdb.connect(str(path))
    load.apply_schema(con)

    def ev(text: str) -> str:
        return o.evidence or text

    insert(con, "documents", {
        "doc_id": DOC_ID, "path": "corpus/tcr-22-2483.pdf",
        "title": o.title or "The reversal of anti-HER2 resistance in advanced HER2-positive "
                 "breast cancer using apatinib: two cases reports and literature review",
        "doi": doc["doi"], "journal": doc["journal"], "year": doc["year"], "n_pages": 12,
        "n_cases": doc["n_cases"], "pfs_month_days": MONTH_DAYS, "pipeline_version": "0.1.0",
        "ingested_at": datetime(2024, 5, 1, 12, 0), "warnings": [],
    })  # fmt: skip
    for abbr, drugs in g["abbreviations"].items():
        insert(con, "abbreviations", {
            "doc_id": DOC_ID, "abbreviation": abbr, "drugs": drugs,
            "expansion": " + ".join(drugs), "source": "article", "page": 4,
            "evidence": ev(f"Figure legend: {abbr}, {' + '.join(drugs)}."),
        })  # fmt: skip

    exposure_no = 0
    for case in g["cases"]:
        cid = case["case"]
        page = 2 + cid
        primary = case["primary"]
        insert(con, "cases", {
            "doc_id": DOC_ID, "case_id": cid, "age": case["age"], "sex": case["sex"],
            "primary_site": primary["site"], "histology": primary["histology"],
            "grade": primary["grade"], "death_date": case.get("death_date"), "page": page,
            "evidence": ev(f"A {case['age']}-year-old woman was diagnosed with "
                           f"{primary['histology']} of the {primary['site']}."),
        })  # fmt: skip
        for adj in case.get("adjuvant", []):
            for drug in adj["drugs"]:
                exposure_no += 1
                dose = _first_dose(adj.get("doses", {}), drug)
                insert(con, "drug_exposures", {
                    "doc_id": DOC_ID, "case_id": cid, "exposure_no": exposure_no, "episode": 0,
                    "setting": "adjuvant", "role": "antineoplastic", "regimen": adj["regimen"],
                    "drug": drug,
                    "drug_as_printed": o.drug_as_printed or drug,
                    "drug_class": DRUG_CLASSES.get(drug), "dose_amount": dose.get("amount"),
                    "dose_unit": dose.get("unit"), "schedule": dose.get("schedule"),
                    "start_date": adj.get("start"), "end_date": adj.get("end"),
                    "cycles": adj.get("cycles"), "page": page,
                    "evidence": ev(f"Adjuvant {adj['regimen']} was given after surgery."),
                })  # fmt: skip
        for line in case["lines"]:
            n = line["line"]
            start, event_date = line["start"], line["pfs_event_date"]
            computed = pfs_months(start, event_date)
            reported = line["pfs_months_reported"]
            line_evidence = ev(f"Line {n} ({line['regimen']}) started on {start}.")
            insert(con, "lines_of_therapy", {
                "doc_id": DOC_ID, "case_id": cid, "line_no": n,
                "regimen": o.regimen or line["regimen"], "drugs": sorted(line["drugs"]),
                "start_date": start, "end_date": line["end"],
                "best_response": line["best_response"], "pfs_event": line["pfs_event"],
                "pfs_event_date": event_date, "pfs_months_reported": reported,
                "pfs_months": computed,
                "pfs_consistent": None if computed is None or reported is None
                else abs(round(computed, 1) - reported) <= 0.1 + 1e-9,
                "page": page, "evidence": line_evidence,
            })  # fmt: skip
            for drug in line["drugs"]:
                exposure_no += 1
                dose = _first_dose(line.get("doses", {}), drug)
                insert(con, "drug_exposures", {
                    "doc_id": DOC_ID, "case_id": cid, "exposure_no": exposure_no,
                    "episode": n, "setting": "metastatic", "line_no": n,
                    "role": "antineoplastic",
                    "regimen": o.regimen or line["regimen"], "drug": drug,
                    "drug_as_printed": o.drug_as_printed or drug,
                    "drug_class": DRUG_CLASSES.get(drug), "dose_amount": dose.get("amount"),
                    "dose_unit": dose.get("unit"), "schedule": dose.get("schedule"),
                    "start_date": start, "end_date": line["end"], "cycles": line.get("cycles"),
                    "page": page, "evidence": ev(f"{drug} was given in line {n}."),
                })  # fmt: skip
            if line["best_response"] and start:
                insert(con, "assessments", {
                    "doc_id": DOC_ID, "case_id": cid, "line_no": n,
                    "assessed_on": start + timedelta(days=ASSESSMENT_AFTER_DAYS),
                    "modality": "CT", "response": line["best_response"], "best": True,
                    "page": page, "evidence": ev(f"CT showed {line['best_response']} in line {n}."),
                })  # fmt: skip
            if event_date:
                insert(con, "events", {
                    "doc_id": DOC_ID, "case_id": cid, "event_date": event_date,
                    "kind": line["pfs_event"], "detail": f"end of line {n}", "page": page,
                    "evidence": ev(f"{line['pfs_event'].capitalize()} on {event_date}."),
                })  # fmt: skip
        for ae in case.get("adverse_events", []):
            insert(con, "adverse_events", {
                "doc_id": DOC_ID, "case_id": cid, "line_no": ae.get("line"),
                "event": o.extra.get("ae_event", ae["event"]), "grade": ae.get("grade"),
                "drug": ae.get("drug"), "onset_date": ae.get("date"), "action": ae.get("action"),
                "page": page, "evidence": ev(f"Grade {ae.get('grade')} {ae['event']} occurred."),
            })  # fmt: skip
        for lesion in case.get("lesions", []):
            dim1, dim2 = lesion["size_cm"]
            insert(con, "lesion_measurements", {
                "doc_id": DOC_ID, "case_id": cid, "measured_on": lesion["date"],
                "site": lesion["site"], "dim1_cm": dim1, "dim2_cm": dim2,
                "lymph_node": "lymph node" in lesion["site"], "figure": str(lesion["figure"]),
                "panel": lesion["panel"], "page": 6 + cid,
                "evidence": ev(f"Figure {lesion['figure']}{lesion['panel']}: {lesion['site']} "
                               f"lesion {dim1} cm × {dim2} cm on {lesion['date']}."),
            })  # fmt: skip
    insert(con, "audit_findings", {
        "doc_id": DOC_ID, "case_id": 1, "line_no": 2, "kind": "pfs_mismatch",
        "message": "reported PFS 11.1 months, dates give 11.2", "reported": "11.1",
        "computed": "11.2", "page": 3, "evidence": ev("PFS was 11.1 months."),
    })  # fmt: skip
    con.close()
    return path
