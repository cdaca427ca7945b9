"""Write small text PDFs for end-to-end tests (matplotlib's PDF backend keeps a text layer)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
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
