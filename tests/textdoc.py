"""Build an extract.records.Document from plain text (the golden .body.txt/.captions.txt).

For tests of the transform stage that should not depend on the PDF reader: paragraphs
(blank-line separated) become blocks on page 1; headings set the section; 'Case N'
headings set case_id inside the case presentation.
"""

from __future__ import annotations

import hashlib
import re

from extract.records import Block, CaseSegment, Document, DocumentMeta
from extract.types import BlockKind

SECTION_HEADINGS = {
    "introduction": "introduction",
    "background": "introduction",
    "case presentation": "case_presentation",
    "case report": "case_presentation",
    "case reports": "case_presentation",
    "case description": "case_presentation",
    "discussion": "discussion",
    "conclusion": "conclusion",
    "conclusions": "conclusion",
    "references": "references",
    "acknowledgments": "back",
    "acknowledgements": "back",
    "footnote": "back",
}
ABSTRACT_LEAD = re.compile(r"^(Background|Abstract|Case Description|Conclusions?|Keywords):")
CASE_HEADING = re.compile(r"^(?:Case|Patient)\s+(\d+)$", re.I)
CAPTION_CASE = re.compile(r"\bCase\s+(\d+)\b")
MAX_HEADING_CHARS = 60
BOX = (0.0, 0.0, 0.0, 0.0)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _is_heading(par: str) -> bool:
    return (
        "\n" not in par
        and len(par) <= MAX_HEADING_CHARS
        and not par.endswith(".")
        and (par.lower() in SECTION_HEADINGS or bool(CASE_HEADING.match(par)))
    )


def document_from_text(body: str, captions: str = "") -> Document:
    """A Document of body paragraphs (+ caption paragraphs), sections and case ids set."""
    blocks: list[Block] = []
    cases: list[CaseSegment] = []
    section = "front"
    case_id: int | None = None
    for par in _paragraphs(body):
        kind: BlockKind = "body"
        if _is_heading(par):
            kind = "heading"
            case = CASE_HEADING.match(par)
            if case:
                section = "case_presentation"
                case_id = int(case.group(1))
                cases.append(CaseSegment(case_id, par, 1))
            else:
                section = SECTION_HEADINGS[par.lower()]
                case_id = None
        elif section == "front" and ABSTRACT_LEAD.match(par):
            section = "abstract"
        if section == "references" and kind == "body":
            kind = "reference"
        in_case = section == "case_presentation"
        blocks.append(Block(par, kind, 1, BOX, section, case_id if in_case else None))
    if cases and not any(b.case_id for b in blocks):
        cases = []
    for par in _paragraphs(captions):
        found = CAPTION_CASE.search(par)
        blocks.append(
            Block(
                par, "caption", 1, BOX, "case_presentation", int(found.group(1)) if found else None
            )
        )
    digest = hashlib.sha256((body + captions).encode("utf-8")).hexdigest()
    return Document(digest, "<text>", DocumentMeta(n_pages=1), tuple(blocks), tuple(cases))
