"""The batched writer (load.load_extractions): a batch loads exactly what one transaction per
document loads, a refused document fails alone, and a failed batch leaves nothing behind."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import pytest

import load
from load.rows import FACT_TABLES, fact_rows, mention_value_json
from tests.factories import extraction
from transform.records import DateValue, Extraction, Mention

TABLES = ("documents", *FACT_TABLES)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return load.connect(tmp_path / "w.duckdb")


def _batch() -> list[Extraction]:
    """Three documents that differ in row counts and in which values are missing, so the
    batch's columns mix ints and NULLs across documents."""
    a = extraction("a" * 64, n_lines=3)
    b = extraction("b" * 64, n_lines=1)
    c = extraction("c" * 64, n_lines=2)
    c = dataclasses.replace(c, cases=(dataclasses.replace(c.cases[0], age=None, sex=None),))
    return [a, b, c]


def _contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for table in TABLES:
        cols = [r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] != "ingested_at"]
        listed = ", ".join(cols)
        out[table] = con.execute(f"select {listed} from {table} order by all").fetchall()
    return out


def test_a_batch_loads_what_one_document_at_a_time_loads(tmp_path: Path) -> None:
    one, batched = load.connect(tmp_path / "one.duckdb"), load.connect(tmp_path / "b.duckdb")
    for ext in _batch():
        load.load_extraction(one, ext, "v1")
    assert load.load_extractions(batched, _batch(), "v1") == []
    expected = _contents(one)
    assert expected["cases"] and expected["mentions"]
    assert _contents(batched) == expected
    ages = batched.execute("select age from cases order by doc_id").fetchall()
    assert ages == [(61,), (61,), (None,)]


def test_reloading_a_batch_replaces_its_documents(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extractions(con, _batch(), "v1")
    fewer = [extraction("a" * 64, n_lines=1), extraction("d" * 64, n_lines=1)]
    assert load.load_extractions(con, fewer, "v2", {"d" * 64: ["b" * 64]}) == []
    docs = con.execute("select doc_id, pipeline_version from documents order by 1").fetchall()
    assert docs == [("a" * 64, "v2"), ("c" * 64, "v1"), ("d" * 64, "v2")]
    lines = con.execute("select doc_id, count(*) from lines_of_therapy group by 1 order by 1")
    assert lines.fetchall() == [("a" * 64, 1), ("c" * 64, 2), ("d" * 64, 1)]


def test_a_refused_document_fails_alone(con: duckdb.DuckDBPyConnection) -> None:
    load.load_extraction(con, extraction("b" * 64, n_lines=3), "v1")
    a, _, c = _batch()
    bad = extraction("b" * 64, n_lines=1, finding_kind="bogus")
    refused = load.load_extractions(con, [a, bad, c], "v2")
    assert [r.ext.doc_id for r in refused] == ["b" * 64]
    assert isinstance(refused[0].error, duckdb.ConstraintException)
    docs = con.execute("select doc_id, pipeline_version from documents order by 1").fetchall()
    assert docs == [("a" * 64, "v2"), ("b" * 64, "v1"), ("c" * 64, "v2")]
    kept = con.execute("select count(*) from lines_of_therapy where doc_id = ?", ["b" * 64])
    assert kept.fetchone() == (3,)  # the refused document's earlier version is untouched


def test_a_batch_that_fails_midway_writes_nothing(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    load.load_extraction(con, extraction("a" * 64, n_lines=3), "v1")
    before = _contents(con)
    original = load.writer._insert

    def failing(c: duckdb.DuckDBPyConnection, table: str, frame: object) -> None:
        original(c, table, frame)  # type: ignore[arg-type]
        if table == "mentions":
            raise duckdb.IOException("disk full")

    monkeypatch.setattr(load.writer, "_insert", failing)
    with pytest.raises(duckdb.IOException):
        load.load_extractions(con, _batch(), "v2")
    assert _contents(con) == before


def test_every_fact_table_gets_rows_in_its_own_columns(con: duckdb.DuckDBPyConnection) -> None:
    """A table added to the schema and to FACT_TABLES must also be given rows (and the other
    way round): the writer inserts what fact_rows returns and deletes from FACT_TABLES."""
    tables = fact_rows(extraction())
    assert set(tables) == set(FACT_TABLES)
    for name, rows in tables.items():
        live = {r[0] for r in con.execute(f"describe {name}").fetchall()}
        assert set(rows.columns) <= live, name
        assert all(len(r) == len(rows.columns) for r in rows.rows), name


def test_mention_values_serialise_like_asdict() -> None:
    """The writer's one-level field walk gives the JSON dataclasses.asdict would."""
    ext = extraction()
    dated = Mention(
        kind="date",
        text="March 2020",
        value=DateValue(ext.lines[0].start_date, "month"),  # type: ignore[arg-type]
        prov=ext.mentions[0].prov,
    )
    for m in (*ext.mentions, dated):
        want = {"type": type(m.value).__name__, **dataclasses.asdict(m.value)}
        got = json.loads(mention_value_json(m))
        assert got == json.loads(json.dumps(want, default=str))
