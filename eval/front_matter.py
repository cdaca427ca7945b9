"""Titles and journals of real publisher PDFs, for a reader to judge.

Reads ../shared/dev/hindawi/*.pdf (Hindawi case reports: an article-type label above the
title, author and affiliation blocks, the journal on the first page) and prints per PDF the
title and journal the extract stage found, then how many titles are not an article-type
label and how many journals are filled. Exits non-zero when any is missing.

    .venv/bin/python -m eval.front_matter [FOLDER]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eval.shared import DEV, require
from extract.errors import ExtractError
from extract.front import is_article_type
from extract.pdf import read_document

FOLDER = DEV / "hindawi"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", nargs="?", type=Path, default=FOLDER)
    args = ap.parse_args(argv)
    require(args.folder)
    paths = sorted(args.folder.glob("*.pdf"))
    titles = journals = 0
    for path in paths:
        try:
            meta = read_document(path).meta
        except ExtractError as err:
            print(f"{path.name}: not read: {err.code}: {err.reason}")
            continue
        title_ok = bool(meta.title) and not is_article_type(meta.title or "")
        titles += title_ok
        journals += bool(meta.journal)
        print(f"{path.name}\n  title:   {meta.title}\n  journal: {meta.journal}")
    print(
        f"\ntitles (not a label): {titles}/{len(paths)}; journals filled: {journals}/{len(paths)}"
    )
    return 0 if titles == journals == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())
