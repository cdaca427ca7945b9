"""Where the CPU-bound stages live, named as 'module:function' for the worker processes.

Why names, not functions: the worker imports the stage itself, so the flow process never
loads spaCy or pdfminer, and a test can point a stage at a stand-in module by patching
these constants.
"""

from __future__ import annotations

EXTRACT = "extract.pdf:read_document"
"""read_document(path, *, time_limit_s, max_pages, backend) -> extract.records.Document"""
TRANSFORM = "transform.pipeline:transform_document"
"""transform_document(doc) -> transform.records.Extraction"""
WARM: tuple[str, ...] = ("transform.mentions.lexicon:get_lexicon",)
"""Called once per worker when it starts, so that no PDF pays for loading the lexicon."""


WARM_MODULE = "flows.warm"
"""Imported last by the forkserver: runs WARM there once, for every worker to inherit."""


def modules() -> tuple[str, ...]:
    """The stage modules, for the forkserver to import once for every worker."""
    names = (t.partition(":")[0] for t in (EXTRACT, TRANSFORM, *WARM))
    return (*dict.fromkeys(names), WARM_MODULE)
