"""Made-up case reports, end to end: each tests/stories/*.yaml holds a report's text and its
hand-curated facts (in the seed gold's conventions, tests/gold/facts.py). The texts are our
own sentences, written in the wording and layouts of real case reports but about none of
them, so that the pipeline is checked on stories its rules were not written against.

Every story is typeset as a PDF by the test (tests/pdfmaker.py) and all of them are ingested
through the real flow once. A fact the pipeline misses is listed in gaps.yaml with the reason
and runs as a strict xfail: when the pipeline starts producing it the test XPASSes and fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.gold.facts import Fact, Warehouse, fact_params, gold_facts
from tests.pdfmaker import case_report_pdf

HERE = Path(__file__).parent
GAPS_YAML = HERE / "gaps.yaml"


@dataclass(frozen=True)
class Story:
    name: str
    title: str
    sections: tuple[tuple[str, str], ...]
    gold: dict[str, Any]


def stories() -> list[Story]:
    out: list[Story] = []
    for path in sorted(HERE.glob("*.yaml")):
        if path == GAPS_YAML:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = tuple((str(h), str(t)) for h, t in data["sections"])
        out.append(Story(path.stem, data["title"], sections, data["gold"]))
    return out


def _params() -> list[object]:
    gaps: dict[str, dict[str, str]] = yaml.safe_load(GAPS_YAML.read_text("utf-8")) or {}
    known = {s.name for s in stories()}
    assert set(gaps) <= known, f"gaps.yaml names stories that do not exist: {set(gaps) - known}"
    params: list[object] = []
    for story in stories():
        facts = gold_facts(story.gold)
        params.extend(fact_params(story.name, story.name, facts, gaps.get(story.name, {})))
    return params


@pytest.fixture(scope="module")
def story_db(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    from flows.ingest import ingest_flow

    folder = tmp_path_factory.mktemp("stories")
    pdfs = [case_report_pdf(folder / f"{s.name}.pdf", s.title, s.sections) for s in stories()]
    db = folder / "stories.duckdb"
    summary = ingest_flow(paths=[str(p) for p in pdfs], db=str(db))
    assert summary.failed == 0, summary.failures
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_every_story_has_facts_of_every_kind_it_tells() -> None:
    """A story without line facts would check nothing of what it is for."""
    for story in stories():
        categories = {f.category for f in gold_facts(story.gold)}
        assert {"lines", "case"} <= categories, story.name


@pytest.mark.slow
@pytest.mark.parametrize(("name", "fact"), _params())
def test_story_fact(name: str, fact: Fact, story_db: duckdb.DuckDBPyConnection) -> None:
    row = story_db.execute(
        "select doc_id from documents where path like ?", [f"%/{name}.pdf"]
    ).fetchone()
    assert row is not None, f"{name}.pdf was not loaded"
    ok, detail = fact.check(Warehouse(story_db, row[0]))
    assert ok, f"{fact.fact_id}: {detail}"
