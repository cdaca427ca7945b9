"""The ingest flow's orchestration with stand-in stages: limits, workers, incremental runs,
the run summary. The real stages are exercised in test_bad_input.py and the gold harness."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import load
from flows import ingest, settings, stages
from flows.cli import app
from flows.ingest import IngestSummary, ingest_flow
from tests.flows.helpers import FAKE_EXTRACT, FAKE_TRANSFORM, counts, rows

LIMITS = {"time_limit_s": 1.0, "memory_limit_mb": 1024}


@pytest.fixture(autouse=True)
def fake_stages(monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    monkeypatch.setattr(stages, "EXTRACT", FAKE_EXTRACT)
    monkeypatch.setattr(stages, "TRANSFORM", FAKE_TRANSFORM)


def _pdf(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _ingest(folder: Path, db: Path, **kw: object) -> IngestSummary:
    params: dict[str, object] = {**LIMITS, **kw}
    return ingest_flow(paths=[str(folder)], db=str(db), **params)  # type: ignore[arg-type]


def test_hung_memory_hungry_and_broken_pdfs_fail_alone(tmp_path: Path) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    for i in range(3):
        _pdf(corpus, f"good{i}.pdf", b"good %d" % i)
    _pdf(corpus, "hang.pdf", b"HANG")
    _pdf(corpus, "bomb.pdf", b"BOMB")
    _pdf(corpus, "bad.pdf", b"BAD")
    _pdf(corpus, "slowt.pdf", b"SLOWT")
    started = time.monotonic()
    summary = _ingest(corpus, db, workers=2)
    assert time.monotonic() - started < 90
    assert summary.loaded == 3
    got = set(rows(db, "select regexp_extract(path, '[^/]+$'), stage, error from ingest_failures"))
    assert got == {
        ("hang.pdf", "extract", "time_limit"),
        ("bomb.pdf", "extract", "memory_limit"),
        ("bad.pdf", "extract", "corrupt"),
        ("slowt.pdf", "transform", "time_limit"),
    }
    assert counts(db)["documents"] == 3


def test_the_flow_takes_the_pool_the_command_started_ahead(tmp_path: Path) -> None:
    """`caselines ingest` starts the workers before importing Prefect (sandbox.prestart); the
    flow must use that pool (and close it), not start a second forkserver's worth."""
    from flows.sandbox import prestart, take_prestarted, worker_pids

    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    _pdf(corpus, "good.pdf", b"good")
    config = stages.worker_config(LIMITS["memory_limit_mb"])  # as the command makes it
    ahead = prestart(1, config)
    ahead.run("time:sleep", (0,), time_limit_s=60)  # its worker is up
    worker = worker_pids(ahead)
    summary = _ingest(corpus, db, workers=1)
    assert summary.loaded == 1
    assert take_prestarted(1, config) is None  # taken by the flow
    assert worker and worker_pids(ahead) == []  # and closed with the run


def test_the_cli_names_each_failed_file_and_exits_1(tmp_path: Path) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    _pdf(corpus, "good.pdf", b"good")
    _pdf(corpus, "hang.pdf", b"HANG")
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--db", str(db), "--time-limit", "1", "--workers", "2"]
    )
    assert result.exit_code == 1, result.output
    assert "hang.pdf" in result.output
    assert "time_limit" in result.output
    assert "1 loaded" in result.output
    assert "1 failed" in result.output


def test_incremental_runs_skip_replace_force_and_follow_the_pipeline_version(
    tmp_path: Path,
) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    a = _pdf(corpus, "a.pdf", b"version 1")
    _pdf(corpus, "b.pdf", b"other")
    first = _ingest(corpus, db)
    assert (first.new, first.loaded, first.skipped) == (2, 2, 0)
    before = counts(db)

    again = _ingest(corpus, db)
    assert (again.new, again.loaded, again.skipped) == (0, 0, 2)
    assert counts(db) == before

    a.rename(corpus / "moved.pdf")  # same bytes: same document, not a second one
    moved = _ingest(corpus, db)
    assert (moved.new, moved.skipped) == (0, 2)
    assert counts(db) == before

    a = corpus / "moved.pdf"
    old_id = rows(db, f"select doc_id from documents where path = '{a.resolve()}'")
    a.write_bytes(b"version 2")  # changed in place: its old rows are replaced, not kept
    changed = _ingest(corpus, db)
    assert (changed.new, changed.loaded, changed.skipped) == (1, 1, 1)
    assert counts(db) == before
    assert rows(db, f"select count(*) from documents where doc_id = '{old_id[0][0]}'") == [(0,)]

    forced = _ingest(corpus, db, force=True)
    assert (forced.new, forced.loaded) == (2, 2)
    assert counts(db) == before

    bumped = _ingest(corpus, db, pipeline_version=settings.PIPELINE_VERSION + ".next")
    assert (bumped.new, bumped.loaded) == (2, 2)
    assert set(rows(db, "select distinct pipeline_version from documents")) == {
        (settings.PIPELINE_VERSION + ".next",)
    }
    assert counts(db) == before


@pytest.fixture
def batch_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch the flow hands to the writer, in order."""
    sizes: list[int] = []
    batched = load.load_extractions

    def recorded(con: Any, exts: Any, *args: Any) -> Any:
        sizes.append(len(exts))
        return batched(con, exts, *args)

    monkeypatch.setattr(load, "load_extractions", recorded)
    return sizes


def test_many_pdfs_load_in_batches_with_two_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_sizes: list[int]
) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    monkeypatch.setattr(ingest, "DEFAULT_LOAD_BATCH", 5)
    n = ingest.DEFAULT_LOAD_BATCH * 2 + 3
    for i in range(n):
        _pdf(corpus, f"p{i:03}.pdf", b"pdf %d" % i)
    summary = _ingest(corpus, db, workers=2)
    assert summary.ok
    assert summary.loaded == n
    assert sum(batch_sizes) == n and len(batch_sizes) >= 3
    assert max(batch_sizes) <= ingest.DEFAULT_LOAD_BATCH
    assert counts(db)["documents"] == n
    assert counts(db)["lines_of_therapy"] == 2 * n


def test_a_slow_run_writes_what_it_has_once_the_flush_interval_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_sizes: list[int]
) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    monkeypatch.setattr(ingest, "LOAD_FLUSH_S", 0.0)  # every result arrives "late"
    for i in range(3):
        _pdf(corpus, f"p{i}.pdf", b"pdf %d" % i)
    summary = _ingest(corpus, db, workers=1)
    assert summary.loaded == 3
    assert batch_sizes == [1, 1, 1]


def test_a_refused_document_fails_alone_and_its_batch_loads(tmp_path: Path) -> None:
    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    for i in range(3):
        _pdf(corpus, f"good{i}.pdf", b"good %d" % i)
    _pdf(corpus, "refused.pdf", b"REFUSED")
    summary = _ingest(corpus, db, workers=2)
    assert summary.loaded == 3
    assert [(f.stage, f.error) for f in summary.failures] == [("load", "refused")]
    assert summary.failures[0].path.endswith("refused.pdf")
    assert counts(db)["documents"] == 3
    assert rows(db, "select stage, error from ingest_failures") == [("load", "refused")]


def test_the_run_leaves_a_markdown_summary_artifact(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    corpus, db = tmp_path / "c", tmp_path / "w.duckdb"
    _pdf(corpus, "good.pdf", b"good artifact")
    _pdf(corpus, "bad.pdf", b"BAD artifact")
    summary = _ingest(corpus, db)
    assert summary.failed == 1

    async def latest() -> str:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=["caselines-ingest-summary"])
                ),
                sort="CREATED_DESC",
                limit=1,
            )
        return str(found[0].data)

    markdown = asyncio.run(latest())
    assert "| 2 | 2 | 0 | 1 | 1 | 2 | 3 |" in markdown
    assert "bad.pdf | extract | corrupt | the file ends before its cross-reference table" in (
        markdown
    )
