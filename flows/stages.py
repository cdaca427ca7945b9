"""Where the CPU-bound stages live, named as 'module:function' for the worker processes.

Why names, not functions: the worker imports the stage itself, so the flow process never
loads spaCy or pdfminer, and a test can point a stage at a stand-in module by patching
these constants.
"""

from __future__ import annotations

from flows.sandbox import WorkerConfig

EXTRACT = "extract.pdf:read_document"
"""read_document(path, *, time_limit_s, max_pages, backend) -> extract.records.Document"""
TRANSFORM = "transform.pipeline:transform_document"
"""transform_document(doc) -> transform.records.Extraction"""
WARM: tuple[str, ...] = (
    "transform.mentions.lexicon:get_lexicon",
    "transform.mentions.nlp:get_nlp",
    "extract.pdfium_jit:warm",
)
"""Called once per worker when it starts (and before, once in the forkserver, for every
worker to inherit), so that no PDF pays for loading the lexicon, building the spaCy
pipeline (its rule matchers; a few tenths of a second) or compiling the pdfium backend's
character loop (extract.pdfium_jit; a second, cached on disk after the first)."""


WARM_MODULE = "flows.warm"
"""Imported last by the forkserver: runs WARM there once, for every worker to inherit."""


def modules() -> tuple[str, ...]:
    """The stage modules, for the forkserver to import once for every worker."""
    names = (t.partition(":")[0] for t in (EXTRACT, TRANSFORM, *WARM))
    return (*dict.fromkeys(names), WARM_MODULE)


def worker_config(memory_limit_mb: int | None) -> WorkerConfig:
    """What the flow's worker pool is started with (flows.ingest.StageCalls.worker_config
    gives the same for the stages as named now), for a command that starts it ahead."""
    return WorkerConfig(memory_limit_mb, warm=WARM, preload=modules())
