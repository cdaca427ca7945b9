"""Every fact of every gold file in ../shared/gold is one test, against one scratch warehouse.

eval/gold.py ingests the gold PDFs into a warehouse and points $CASELINES_GOLD_DB at it. A
fact listed in gaps.yaml runs as a strict xfail with its reason: when the pipeline starts
producing it the test XPASSes and fails, so the gap list shrinks with the code.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from eval.gold_harness.sources import GoldSource, gaps, gold_db, sources
from tests.gold.facts import Fact, Warehouse, fact_params


def _params() -> list[object]:
    known = gaps()
    params: list[object] = []
    for source in sources():
        params.extend(fact_params(source.name, source, source.facts(), known.get(source.name, {})))
    return params


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    path = gold_db()
    if path is None:
        pytest.skip("run through eval/gold.py, which ingests the gold PDFs")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def warehouse_for(con: duckdb.DuckDBPyConnection, source: GoldSource) -> Warehouse | None:
    """The document ingested from the source's PDF (matched by file name: no DOI in most)."""
    row = con.execute(
        "select doc_id from documents where path like ? order by ingested_at desc limit 1",
        [f"%/{source.pdf.name}"],
    ).fetchone()
    return Warehouse(con, row[0]) if row else None


@pytest.mark.parametrize(("source", "fact"), _params())
def test_shared_gold_fact(source: GoldSource, fact: Fact, con: duckdb.DuckDBPyConnection) -> None:
    warehouse = warehouse_for(con, source)
    assert warehouse is not None, f"{source.pdf.name} was not loaded"
    ok, detail = fact.check(warehouse)
    assert ok, f"{fact.fact_id}: {detail}"
