"""Type aliases of the extract stage, kept in one place (as pdfplumber does)."""

from __future__ import annotations

from typing import Literal, TypeAlias

BBox: TypeAlias = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points, origin at the page's top-left (pdfplumber's frame)."""

PageNo: TypeAlias = int
"""1-based page number."""

BlockKind: TypeAlias = Literal[
    "body", "heading", "caption", "header", "footer", "reference", "figure", "table"
]
"""'figure': text printed inside a figure (labels, placeholders) or turned sideways, kept out
of the running text; 'table': a table's cells (Block.rows), kept out of it too."""
BLOCK_KINDS: tuple[BlockKind, ...] = (
    "body",
    "heading",
    "caption",
    "header",
    "footer",
    "reference",
    "figure",
    "table",
)

Section: TypeAlias = str
"""Normalised section name: 'front', 'abstract', 'introduction', 'case_presentation',
'discussion', 'conclusion', 'references', 'back' (acknowledgements, footnotes, ...)
or another lower-case slug of the printed heading."""

PdfBackend: TypeAlias = Literal["pdfplumber", "pdfium"]
"""Which library reads a PDF's characters: pdfplumber (pdfminer, the reference) or pdfium
(pypdfium2, many times faster); both hand the layout the same words (extract/words_pdfium.py)."""
PDF_BACKENDS: tuple[PdfBackend, ...] = ("pdfplumber", "pdfium")
