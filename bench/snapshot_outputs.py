"""Every fixture's Document and Extraction as JSON, to prove a speed change alters no output.

    .venv/bin/python bench/snapshot_outputs.py write OUT_DIR [--backend pdfium|pdfplumber|both]
    .venv/bin/python bench/snapshot_outputs.py diff BEFORE_DIR AFTER_DIR

`write` reads every PDF under corpus/, tests/fixtures/ and tests/fixtures/robust/ with the
backend(s), transforms it, and writes one JSON file per PDF and backend: the Document (blocks,
sections, tables, meta) and the Extraction (mentions, events, lines, PFS, findings), or the
one-line error the PDF failed with. The words each backend read are cached under
OUT_DIR/../.words-cache (pickles keyed by the PDF's hash and backend) so that a second
`write` times and exercises only the shared layout and the transform, which is what a layout
or transform change touches. `diff` lists every file that differs and exits 1 if any does.
A script, not a test: `make test` never runs it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import enum
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BACKENDS = ("pdfium", "pdfplumber")
PAGE_LIMIT = 500
TIME_LIMIT_S = 1e9


def fixture_pdfs() -> list[Path]:
    """Every PDF the repository ships for tests, in a fixed order."""
    fixtures = ROOT / "tests" / "fixtures"
    return [
        *sorted((ROOT / "corpus").glob("*.pdf")),
        *sorted(fixtures.glob("*.pdf")),
        *sorted((fixtures / "robust").glob("*.pdf")),
    ]


def plain(value: Any) -> Any:
    """A record as JSON-able values, every dataclass field by name (no field is skipped)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(repr(plain(v)) for v in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def _pages(path: Path, backend: str, cache: Path) -> tuple[Any, Any]:
    """The backend's words of every page, read once and cached by the PDF's hash."""
    from extract import pdf, words_pdfium

    data = path.read_bytes()
    key = cache / f"{hashlib.sha256(data).hexdigest()[:20]}-{backend}.pickle"
    if key.exists():
        return pickle.loads(key.read_bytes())
    read = words_pdfium.read_pages if backend == "pdfium" else pdf._read_pages
    try:
        result: Any = read(data, time.monotonic(), TIME_LIMIT_S, PAGE_LIMIT)
    except Exception as exc:  # the error is the output for such a PDF
        result = exc
    key.write_bytes(pickle.dumps(result))
    return result


def snapshot(path: Path, backend: str, cache: Path) -> dict[str, Any]:
    """The Document and Extraction of one PDF, or its error, as plain values.

    Words come from the cache when present, then the same steps as extract.pdf.read_document
    (a PDF that fails to read is recorded by its error class and message)."""
    from extract.document import build_document
    from transform.pipeline import transform_document

    got = _pages(path, backend, cache)
    if isinstance(got, Exception):
        return {"error": f"{type(got).__name__}: {got}"}
    pages, metadata = got
    if not any(p.words for p in pages):
        return {"error": "no words"}
    doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        doc = build_document(doc_id, str(path.relative_to(ROOT)), pages, metadata)
    except Exception as exc:
        return {"error": f"layout {type(exc).__name__}: {exc}"}
    ext = transform_document(doc)
    return {"document": plain(doc), "extraction": plain(ext)}


def write(out: Path, backends: tuple[str, ...]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    cache = out.parent / ".words-cache"
    cache.mkdir(exist_ok=True)
    spent = 0.0
    for path in fixture_pdfs():
        for backend in backends:
            _pages(path, backend, cache)  # outside the timing
            started = time.process_time()
            snap = snapshot(path, backend, cache)
            spent += time.process_time() - started
            name = f"{path.parent.name}-{path.stem}-{backend}.json"
            (out / name).write_text(json.dumps(snap, indent=1, sort_keys=True, ensure_ascii=False))
    print(
        f"{len(fixture_pdfs())} PDFs x {len(backends)} backend(s): layout + transform "
        f"{spent:.2f} s CPU (words cached)"
    )
    return 0


def diff(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
            bad += 1
            print(f"differs: {name}")
    print(f"{len(names) - bad} of {len(names)} snapshots identical")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--backend", choices=(*BACKENDS, "both"), default="pdfium")
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "write":
        return write(args.out, BACKENDS if args.backend == "both" else (args.backend,))
    return diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
