"""The gold harness: every hand-curated fact of tests/gold/tcr-22-2483.yaml is one test.

The seed PDF is ingested once per session through the real flow (fixture `seed_db`). A fact
the pipeline does not produce yet is listed in gaps.yaml with the issue it waits for and runs
as a strict xfail: when the pipeline starts producing it the test XPASSes and fails, so the gap
list must shrink with the code. See the README, "Reading the gold harness".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import GOLD_YAML
from tests.gold.facts import Fact, Warehouse, gold_facts

GAPS_YAML = Path(__file__).with_name("gaps.yaml")


def _params() -> list[object]:
    gold = yaml.safe_load(GOLD_YAML.read_text(encoding="utf-8"))
    gaps: dict[str, int] = yaml.safe_load(GAPS_YAML.read_text(encoding="utf-8")) or {}
    facts = gold_facts(gold)
    unknown = set(gaps) - {f.fact_id for f in facts}
    assert not unknown, f"gaps.yaml names facts the gold file does not have: {sorted(unknown)}"
    params: list[object] = []
    for fact in facts:
        marks = []
        if fact.fact_id in gaps:
            marks.append(
                pytest.mark.xfail(strict=True, reason=f"waits for issue #{gaps[fact.fact_id]}")
            )
        params.append(pytest.param(fact, id=fact.fact_id, marks=marks))
    return params


@pytest.fixture(scope="module", params=["pdfplumber", "pdfium"])
def warehouse(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    """The seed's warehouse as ingested with each PDF backend: the gold holds for both."""
    fixture = "seed_db" if request.param == "pdfium" else "seed_db_pdfplumber"
    seed_db: Path = request.getfixturevalue(fixture)
    con = duckdb.connect(str(seed_db), read_only=True)
    doc_ids = [r[0] for r in con.execute("select doc_id from documents").fetchall()]
    assert len(doc_ids) == 1
    yield Warehouse(con, doc_ids[0])
    con.close()


@pytest.mark.slow
@pytest.mark.parametrize("fact", _params())
def test_gold_fact(fact: Fact, warehouse: Warehouse) -> None:
    ok, detail = fact.check(warehouse)
    assert ok, f"{fact.fact_id}: {detail}"
