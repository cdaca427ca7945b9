"""Write small text PDFs for end-to-end tests (matplotlib's PDF backend keeps a text layer)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_INCHES = (8.27, 11.69)
WRAP_CHARS = 95
LINE_STEP = 0.018
TOP = 0.95
LEFT = 0.07
BODY_SIZE = 9
HEADING_SIZE = 12
TITLE_SIZE = 14


def case_report_pdf(path: Path, title: str, sections: Sequence[tuple[str, str]]) -> Path:
    """One PDF of `title` then (heading, paragraph) sections, wrapped onto as many pages as
    needed; headings are set larger, as journals do."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    lines: list[tuple[str, float]] = [(title, TITLE_SIZE), ("", BODY_SIZE)]
    for heading, paragraph in sections:
        lines.append((heading, HEADING_SIZE))
        lines.extend((chunk, BODY_SIZE) for chunk in textwrap.wrap(paragraph, WRAP_CHARS))
        lines.append(("", BODY_SIZE))
    per_page = int((TOP - 0.05) / LINE_STEP)
    with PdfPages(path) as pdf:
        for start in range(0, len(lines), per_page):
            fig = Figure(figsize=PAGE_INCHES)
            y = TOP
            for text, size in lines[start : start + per_page]:
                if text:
                    fig.text(LEFT, y, text, fontsize=size, va="top")
                y -= LINE_STEP * (1.4 if size > BODY_SIZE else 1.0)
            pdf.savefig(fig)
    return path


PT_PER_INCH = 72.0


@dataclass(frozen=True)
class Text:
    """A line of text at (x, y) points from the page's top-left corner (y: the text's top)."""

    x: float
    y: float
    text: str
    size: float = BODY_SIZE
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    """A horizontal rule from x0 to x1 at y points from the top."""

    x0: float
    x1: float
    y: float


def layout_pdf(path: Path, pages: Sequence[Sequence[Text | Rule]]) -> Path:
    """A PDF whose pages hold exactly the given lines and rules (A4, positions in points)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    width, height = PAGE_INCHES[0] * PT_PER_INCH, PAGE_INCHES[1] * PT_PER_INCH
    with PdfPages(path) as pdf:
        for items in pages:
            fig = Figure(figsize=PAGE_INCHES)
            for item in items:
                if isinstance(item, Text):
                    fig.text(
                        item.x / width,
                        1 - item.y / height,
                        item.text,
                        fontsize=item.size,
                        fontweight="bold" if item.bold else "normal",
                        va="top",
                    )
                else:
                    y = 1 - item.y / height
                    fig.add_artist(
                        Line2D([item.x0 / width, item.x1 / width], [y, y], linewidth=0.6)
                    )
            pdf.savefig(fig)
    return path


def paragraph(x: float, y: float, text: str, chars: int = WRAP_CHARS) -> list[Text]:
    """`text` wrapped into body lines from (x, y) down."""
    step = BODY_SIZE * 1.35
    return [Text(x, y + i * step, ln) for i, ln in enumerate(textwrap.wrap(text, chars))]
