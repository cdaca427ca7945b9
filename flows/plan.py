"""Which PDFs an ingest must process: plain functions, no Prefect.

Shared by the flow's plan task and by the command line, which uses `unchanged_corpus` to
answer a re-run on an unchanged corpus without starting Prefect at all: hashing the PDFs and
reading `documents` takes about a second, starting Prefect's ephemeral server about ten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

import load
from flows.discover import PdfFile, discover

QUICK_BUSY_TIMEOUT_S = 0.5
"""How long the quick check waits for a busy warehouse before leaving it to the flow."""


@dataclass(frozen=True)
class Plan:
    todo: tuple[PdfFile, ...]
    skipped: tuple[PdfFile, ...]
    replaces: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """sha256 of a new PDF -> doc_ids of older versions of the same file path."""
    moved: dict[str, str] = field(default_factory=dict)
    """doc_id of a known PDF found under another path -> that path (renamed or moved)."""


def make_plan(
    files: Sequence[PdfFile],
    known: Mapping[str, load.KnownDocument],
    force: bool,
    pipeline_version: str,
) -> Plan:
    """Skip PDFs whose content and pipeline version are already loaded (unless forced)."""
    todo: list[PdfFile] = []
    skipped: list[PdfFile] = []
    replaces: dict[str, tuple[str, ...]] = {}
    moved: dict[str, str] = {}
    for pdf in files:
        doc = known.get(pdf.sha256)
        if doc is not None and doc.path != pdf.path:
            moved[doc.doc_id] = pdf.path
        if not force and doc is not None and doc.pipeline_version == pipeline_version:
            skipped.append(pdf)
            continue
        todo.append(pdf)
        older = tuple(
            k.doc_id for k in known.values() if k.path == pdf.path and k.doc_id != pdf.sha256
        )
        if older:
            replaces[pdf.sha256] = older
    return Plan(tuple(todo), tuple(skipped), replaces, moved)


@dataclass(frozen=True)
class Unchanged:
    """A corpus with nothing to load: every PDF is known at this pipeline version."""

    found: int


def outdated_schema(db: str) -> load.SchemaOutdated | None:
    """The reason an existing warehouse cannot take this version's rows, checked before the
    flow starts (a missing or busy warehouse is the flow's to handle and report)."""
    try:
        con = load.connect(db, read_only=True, busy_timeout_s=QUICK_BUSY_TIMEOUT_S)
    except (FileNotFoundError, load.WarehouseBusy, duckdb.Error):
        return None
    try:
        load.check_schema(con)
    except load.SchemaOutdated as exc:
        return exc
    except duckdb.Error:
        return None
    finally:
        con.close()
    return None


def unchanged_corpus(
    paths: Sequence[str], db: str, force: bool, pipeline_version: str
) -> Unchanged | None:
    """`Unchanged` when a run would load, move and fail nothing; None when the flow has work
    (or the warehouse is missing or busy, which the flow handles and reports)."""
    if force:
        return None
    files, failures = discover(paths)
    if failures or not files:
        return None
    try:
        con = load.connect(db, read_only=True, busy_timeout_s=QUICK_BUSY_TIMEOUT_S)
    except (FileNotFoundError, load.WarehouseBusy, duckdb.Error):
        return None
    try:
        known = load.known_documents(con)
    except duckdb.Error:
        return None
    finally:
        con.close()
    plan = make_plan(files, known, force, pipeline_version)
    if plan.todo or plan.moved:
        return None
    return Unchanged(found=len(files))
