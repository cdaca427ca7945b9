"""The plan and the quick unchanged-corpus check the command line runs before Prefect."""

from __future__ import annotations

from pathlib import Path

import load
from flows.discover import discover, sha256_of
from flows.plan import Unchanged, make_plan, unchanged_corpus
from tests.factories import extraction

VERSION = "v-test"


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = corpus / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really parsed here\n")
    return corpus, pdf


def _load(db: Path, pdf: Path, version: str = VERSION) -> None:
    con = load.connect(db)
    load.load_extraction(con, extraction(sha256_of(pdf), path=str(pdf.resolve())), version)
    con.close()


def test_unchanged_corpus_is_answered_without_the_flow(tmp_path: Path) -> None:
    corpus, pdf = _corpus(tmp_path)
    db = tmp_path / "w.duckdb"
    _load(db, pdf)
    assert unchanged_corpus([str(corpus)], str(db), False, VERSION) == Unchanged(found=1)


def test_anything_to_do_is_left_to_the_flow(tmp_path: Path) -> None:
    corpus, pdf = _corpus(tmp_path)
    db = tmp_path / "w.duckdb"
    assert unchanged_corpus([str(corpus)], str(db), False, VERSION) is None  # no warehouse
    _load(db, pdf)
    assert unchanged_corpus([str(corpus)], str(db), True, VERSION) is None  # --force
    assert unchanged_corpus([str(corpus)], str(db), False, "v-next") is None  # new version
    assert unchanged_corpus([str(tmp_path / "missing")], str(db), False, VERSION) is None
    (corpus / "b.pdf").write_bytes(b"%PDF-1.4 another\n")
    assert unchanged_corpus([str(corpus)], str(db), False, VERSION) is None  # a new PDF
    (corpus / "b.pdf").unlink()
    pdf.rename(corpus / "renamed.pdf")
    assert unchanged_corpus([str(corpus)], str(db), False, VERSION) is None  # a move to record


def test_plan_replaces_a_file_changed_in_place(tmp_path: Path) -> None:
    corpus, pdf = _corpus(tmp_path)
    db = tmp_path / "w.duckdb"
    _load(db, pdf)
    old_sha = sha256_of(pdf)
    pdf.write_bytes(b"%PDF-1.4 edited\n")
    con = load.connect(db, read_only=True)
    known = load.known_documents(con)
    con.close()
    files, _ = discover([str(corpus)])
    plan = make_plan(files, known, False, VERSION)
    assert [f.path for f in plan.todo] == [str(pdf.resolve())]
    assert plan.replaces == {sha256_of(pdf): (old_sha,)}
    assert plan.skipped == ()
