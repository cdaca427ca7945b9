"""Imported once by the workers' forkserver: warms the stages so that every worker forked
from it starts with the lexicon (and whatever else stages.WARM names) already loaded.

Why on import: the forkserver can only be told to import modules. Failures are swallowed,
because a failing preload must not take the forkserver down; a worker then warms itself.

The process that imports it also exits at once when its work is done (sandbox.exit_quickly):
tearing down the warm state took the forkserver up to a second after the command had
finished, and it holds the command's stdout, so `caselines ingest | ...` waited for it.
"""

from __future__ import annotations

import contextlib

from flows import stages
from flows.sandbox import exit_quickly, freeze_warm_state, resolve

for _target in stages.WARM:
    with contextlib.suppress(Exception):
        resolve(_target)()
freeze_warm_state()
exit_quickly()
