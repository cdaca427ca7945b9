"""Hand-built warehouses for the export rules: a few rows inserted by column name (a made-up
colorectal case, not the seed article), through the real schema."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

import load

DOC = "c0ffee" + "0" * 58
VERSION = "9.9.9"
INGESTED = datetime(2025, 6, 30, 12, 0, 0)
SENTENCE = "She received FOLFOX from March 2020 until disease progression."


def insert(con: duckdb.DuckDBPyConnection, table: str, **values: object) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    con.execute(f"insert into {table} ({columns}) values ({marks})", list(values.values()))


def new_warehouse(path: Path, year: int | None = 2024) -> duckdb.DuckDBPyConnection:
    """A warehouse file with the schema and one document; the caller adds cases and facts."""
    con = load.connect(path)
    insert(
        con,
        "documents",
        doc_id=DOC,
        path="/corpus/made-up.pdf",
        title="A made-up colorectal case",
        doi="10.0000/made-up",
        year=year,
        n_pages=4,
        n_cases=1,
        pfs_month_days=30.4375,
        pipeline_version=VERSION,
        ingested_at=INGESTED,
    )
    return con


def case(con: duckdb.DuckDBPyConnection, case_id: int = 1, **values: object) -> None:
    defaults: dict[str, object] = {
        "age": 61,
        "sex": "male",
        "primary_site": "sigmoid colon",
        "histology": "adenocarcinoma",
        "page": 2,
        "evidence": "A 61-year-old man had sigmoid colon adenocarcinoma.",
    }
    insert(con, "cases", doc_id=DOC, case_id=case_id, **(defaults | values))


def exposure(con: duckdb.DuckDBPyConnection, exposure_no: int, **values: object) -> None:
    defaults: dict[str, object] = {
        "case_id": 1,
        "episode": 1,
        "setting": "metastatic",
        "role": "antineoplastic",
        "drug": "oxaliplatin",
        "drug_as_printed": "L-OHP",
        "page": 2,
        "evidence": SENTENCE,
    }
    insert(con, "drug_exposures", doc_id=DOC, exposure_no=exposure_no, **(defaults | values))


def line(con: duckdb.DuckDBPyConnection, line_no: int, **values: object) -> None:
    defaults: dict[str, object] = {
        "case_id": 1,
        "drugs": ["oxaliplatin"],
        "page": 2,
        "evidence": SENTENCE,
    }
    insert(con, "lines_of_therapy", doc_id=DOC, line_no=line_no, **(defaults | values))


def event(con: duckdb.DuckDBPyConnection, kind: str, **values: object) -> None:
    defaults: dict[str, object] = {"case_id": 1, "page": 3, "evidence": "CT showed PD."}
    insert(con, "events", doc_id=DOC, kind=kind, **(defaults | values))


def mention(con: duckdb.DuckDBPyConnection, mention_no: int, kind: str, **values: object) -> None:
    defaults: dict[str, object] = {
        "case_id": 1,
        "text": "61-year-old man",
        "negated": False,
        "uncertain": False,
        "page": 2,
        "char_start": 2,
        "char_end": 17,
        "sentence": "A 61-year-old man had sigmoid colon adenocarcinoma.",
    }
    insert(con, "mentions", doc_id=DOC, mention_no=mention_no, kind=kind, **(defaults | values))
