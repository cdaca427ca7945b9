"""Small warehouses for the command-line tests, built through the real schema from the
export tests' row helpers (no PDF ingested): two made-up documents whose doc_ids share a
prefix, three cases, lines with doses, adverse events, a death, synonyms, an audit finding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.export import warehouse as w

DOC_A = "c0ffee" + "a" * 58
DOC_B = "c0ffab" + "b" * 58
SHARED_PREFIX = "c0ff"
TITLE_A = "Sustained response to second-line rivoceranib in gastric adenocarcinoma"
TITLE_B = "Rechallenge with imatinib in a gastrointestinal stromal tumour"
PFS_LINE_2 = 6.6499999999999995
"""Stored with every digit; shown as 6.6."""
LONG_EVIDENCE = (
    "Because of the progression of the liver metastases documented on the CT scan of "
    "September 2021 the patient was switched to the oral tyrosine kinase inhibitor, "
    "which she tolerated well apart from hypertension. " * 3
)


def build(path: Path) -> Path:
    """The warehouse file at `path`."""
    con = w.load.connect(path)
    try:
        for doc_id, name, title, n_cases in (
            (DOC_A, "/corpus/gastric-case.pdf", TITLE_A, 2),
            (DOC_B, "/corpus/gist-case.pdf", TITLE_B, 1),
        ):
            w.insert(
                con,
                "documents",
                doc_id=doc_id,
                path=name,
                title=title,
                year=2023,
                n_pages=6,
                n_cases=n_cases,
                pfs_month_days=30.4375,
                pipeline_version=w.VERSION,
                ingested_at=w.INGESTED,
            )
        _gastric(con)
        _gist(con)
        for synonym, drug in (
            ("apatinib", "rivoceranib"),
            ("Aitan", "rivoceranib"),
            ("Herceptin", "trastuzumab"),
            ("STI571", "imatinib"),
        ):
            w.insert(con, "drug_synonyms", drug=drug, synonym=synonym, source="made-up")
    finally:
        con.close()
    return path


def _gastric(con: w.duckdb.DuckDBPyConnection) -> None:
    for case_id, age, sex in ((1, 58, "female"), (2, 71, "male")):
        w.insert(
            con,
            "cases",
            doc_id=DOC_A,
            case_id=case_id,
            age=age,
            sex=sex,
            primary_site="stomach",
            histology="adenocarcinoma",
            diagnosis_date=date(2020, 1, 1),
            diagnosis_date_precision="month",
            page=2,
            evidence="A woman had gastric adenocarcinoma.",
        )
    lines = (
        (1, "trastuzumab + capecitabine", ["trastuzumab", "capecitabine"], date(2020, 2, 1), 8.2),
        (2, "rivoceranib", ["rivoceranib"], date(2020, 11, 1), PFS_LINE_2),
    )
    for line_no, regimen, drugs, start, pfs in lines:
        w.insert(
            con,
            "lines_of_therapy",
            doc_id=DOC_A,
            case_id=1,
            line_no=line_no,
            regimen=regimen,
            drugs=drugs,
            start_date=start,
            start_date_precision="month",
            best_response="PR" if line_no == 1 else "SD",
            pfs_event="progression",
            pfs_event_date=date(2021, 9, 20) if line_no == 2 else date(2020, 10, 7),
            pfs_months=pfs,
            page=3,
            evidence=LONG_EVIDENCE if line_no == 2 else "She received trastuzumab.",
        )
    exposures = (
        (1, 1, "trastuzumab", "Herceptin", 8.0, "mg/kg"),
        (2, 1, "capecitabine", "capecitabine", 1000.0, "mg/m2"),
        (3, 2, "rivoceranib", "apatinib", 500.0, "mg"),
    )
    for exposure_no, line_no, drug, printed, amount, unit in exposures:
        w.insert(
            con,
            "drug_exposures",
            doc_id=DOC_A,
            case_id=1,
            exposure_no=exposure_no,
            episode=line_no,
            setting="metastatic",
            line_no=line_no,
            drug=drug,
            drug_as_printed=printed,
            dose_amount=amount,
            dose_unit=unit,
            schedule="daily" if drug == "rivoceranib" else None,
            role="antineoplastic",
            page=3,
            evidence=f"She received {printed}.",
        )
    w.insert(
        con,
        "adverse_events",
        doc_id=DOC_A,
        case_id=1,
        line_no=2,
        event="hypertension",
        grade=2,
        drug="rivoceranib",
        page=4,
        evidence="Grade 2 hypertension occurred.",
    )
    w.insert(
        con,
        "events",
        doc_id=DOC_A,
        case_id=1,
        event_date=date(2022, 2, 1),
        event_date_precision="month",
        kind="death",
        page=5,
        evidence="She died in February 2022.",
    )
    w.insert(
        con,
        "audit_findings",
        doc_id=DOC_A,
        case_id=1,
        line_no=2,
        kind="pfs_mismatch",
        message="reported PFS 7 months, computed 6.6",
        reported="7",
        computed="6.65",
        page=3,
        evidence="PFS was 7 months.",
    )


def _gist(con: w.duckdb.DuckDBPyConnection) -> None:
    w.insert(
        con,
        "cases",
        doc_id=DOC_B,
        case_id=1,
        age=49,
        sex="male",
        primary_site="stomach",
        histology="gastrointestinal stromal tumour",
        page=1,
        evidence="A 49-year-old man had a GIST.",
    )
    w.insert(
        con,
        "lines_of_therapy",
        doc_id=DOC_B,
        case_id=1,
        line_no=1,
        regimen="imatinib",
        drugs=["imatinib"],
        start_date=date(2019, 5, 1),
        page=2,
        evidence="Imatinib 400 mg daily was started.",
    )
    w.insert(
        con,
        "drug_exposures",
        doc_id=DOC_B,
        case_id=1,
        exposure_no=1,
        episode=1,
        setting="metastatic",
        line_no=1,
        drug="imatinib",
        drug_as_printed="imatinib",
        dose_amount=400.0,
        dose_unit="mg",
        role="antineoplastic",
        page=2,
        evidence="Imatinib 400 mg daily was started.",
    )
