"""Helpers for the orchestration tests: PDFs made on the spot and warehouse counts."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from load.rows import FACT_TABLES
from tests.conftest import ROOT

FAKE_EXTRACT = "tests.flows.fake_stages:read_document"
FAKE_TRANSFORM = "tests.flows.fake_stages:transform_document"
COUNTED_TABLES = ("documents", *FACT_TABLES)
"""Every table a document's rows live in."""


def counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in COUNTED_TABLES}  # type: ignore[index]
    finally:
        con.close()


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def subprocess_env() -> dict[str, str]:
    """The environment for a child `caselines`: this session's Prefect server, so that the
    child does not start (and create the database of) an ephemeral one."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    url = PREFECT_API_URL.value()
    if url:
        env["PREFECT_API_URL"] = url
    env["PYTHONPATH"] = str(ROOT)
    return env


def cli(*args: str) -> list[str]:
    """argv of `caselines ...` with the stages pointed at tests.flows.fake_stages."""
    return [sys.executable, "-m", "tests.flows.fake_cli", *args]


def lorem_pdf(path: Path) -> Path:
    """A readable one-page PDF of lorem ipsum: text layer, no case report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    text = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n"
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud\n"
        "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.\n"
    ) * 6
    fig.text(0.08, 0.92, "On the Lorem Ipsum", fontsize=16, va="top")
    fig.text(0.08, 0.85, text, fontsize=10, va="top")
    fig.savefig(path, format="pdf")
    plt.close(fig)
    return path


def image_only_pdf(path: Path) -> Path:
    """A scanned-looking page: one image, no text layer."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(img)
    for y in range(100, 1000, 30):
        draw.rectangle((80, y, 770, y + 12), fill="black")
    img.save(path, "PDF", resolution=100.0)
    return path


def encrypted_pdf(source: Path, path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def many_pages_pdf(path: Path, n_pages: int) -> Path:
    """An n-page PDF written with pypdf (blank pages: cheap to write, must not be parsed)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(n_pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())
    return path
