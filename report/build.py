"""Render the warehouse as a folder of static HTML pages: index.html and one page per case.

The folder is self-contained (inline CSS and SVG, the index's one script a file beside it,
nothing from the network), so it can be zipped, mailed or opened from disk. Jinja2
autoescapes every value: the templates end in .html.j2, which `select_autoescape` would not
recognise, so autoescape is forced on.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from report.cohort import SCRIPT_NAME
from report.pages import CASES_DIR, case_pages, index_page
from report.read import read_warehouse

INDEX_NAME = "index.html"
CSS_RESOURCE = "static/report.css"
STATIC_DIR = "static"
ENCODING = "utf-8"
STALE_PAGE_GLOB = "*-case-*.html"
"""Case pages this module writes; older ones whose case is gone are removed."""


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _css() -> str:
    return resources.files("report").joinpath(CSS_RESOURCE).read_text(encoding=ENCODING)


def write_report(db_path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> Path:
    """Write the report of the warehouse at `db_path` into `out_dir`; return index.html's path.

    The warehouse is opened read-only, so a report can be made while nothing else writes.
    """
    warehouse = read_warehouse(db_path)
    out = Path(out_dir)
    (out / CASES_DIR).mkdir(parents=True, exist_ok=True)
    env = _environment()
    css = _css()

    written: set[Path] = set()
    case_template = env.get_template("case.html.j2")
    for page in case_pages(warehouse):
        target = out / page.filename
        target.write_text(case_template.render(page=page, css=css, root="../"), encoding=ENCODING)
        written.add(target)
    for stale in (out / CASES_DIR).glob(STALE_PAGE_GLOB):
        if stale not in written:
            stale.unlink()

    script = resources.files("report").joinpath(STATIC_DIR, SCRIPT_NAME)
    (out / SCRIPT_NAME).write_text(script.read_text(encoding=ENCODING), encoding=ENCODING)
    index = out / INDEX_NAME
    index.write_text(
        env.get_template("index.html.j2").render(
            page=index_page(warehouse), css=css, root="", db_name=Path(db_path).name
        ),
        encoding=ENCODING,
    )
    return index
