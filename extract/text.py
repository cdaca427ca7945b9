"""Renderings of a Document for people and tools: plain text and JSON."""

from __future__ import annotations

import json

from extract.records import Document

TEXT_KINDS = ("body", "heading", "reference")
"""Kinds rendered as the running text (captions follow it; running heads/feet are left out)."""


def render_text(doc: Document) -> str:
    """The running text in reading order with `== section ==` and `-- case N --` markers,
    then the captions under `== captions ==` and the tables (a line per row, cells split by
    ' | ') under `== tables ==`. Blocks are separated by a blank line."""
    out: list[str] = []
    section: str | None = None
    case: int | None = None
    for b in doc.blocks:
        if b.kind not in TEXT_KINDS:
            continue
        if b.section != section:
            section, case = b.section, None
            out.append(f"== {section} ==")
        if b.case_id is not None and b.case_id != case:
            case = b.case_id
            out.append(f"-- case {case} --")
        out.append(b.text)
    captions = doc.captions()
    if captions:
        out.append("== captions ==")
        out.extend(b.text for b in captions)
    tables = [b for b in doc.blocks if b.kind == "table"]
    if tables:
        out.append("== tables ==")
        out.extend(b.text for b in tables)
    return "\n\n".join(out) + "\n"


def render_json(doc: Document) -> str:
    """All blocks in reading order as a JSON list of objects (text, kind, page, bbox, section,
    case_id, the pieces of rejoined paragraphs and, for tables, the rows of cells)."""
    rows = [
        {
            "text": b.text,
            "kind": b.kind,
            "page": b.page,
            "bbox": [round(v, 2) for v in b.bbox],
            "section": b.section,
            "case_id": b.case_id,
            "pieces": [
                {"start": p.start, "page": p.page, "bbox": [round(v, 2) for v in p.bbox]}
                for p in b.pieces
            ],
            **({"rows": [list(r) for r in b.rows]} if b.kind == "table" else {}),
        }
        for b in doc.blocks
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1)
