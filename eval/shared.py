"""Where the outside corpora live: `$CASELINES_SHARED`, else `shared/` beside the clone.

They are annotated by others and not ours to redistribute, so they are read in place and
never copied into the repository; the test suite never reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASELINES_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "dev"
EVAL = SHARED / "eval"
GOLD = SHARED / "gold"


class SharedMissing(SystemExit):
    """Raised (exit 2) when the outside corpora are not beside the clone."""


def require(path: Path = SHARED) -> Path:
    """The folder, or a one-line message and a non-zero exit when it is absent."""
    if not path.is_dir():
        raise SharedMissing(
            f"make eval: {path} not found; the evaluation corpora live in ../shared "
            "beside the clone (or set CASELINES_SHARED)"
        )
    return path
