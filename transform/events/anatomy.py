"""Anatomical site names the event rules and RECIST both read."""

from __future__ import annotations

import re

_NODE_SITE = re.compile(r"\blymph|\bnod(?:es?|al)\b", re.IGNORECASE)
"""A lymph node by its site name: 'lymph node(s)', 'nodal', 'node' (not 'nodule')."""


def is_node_site(site: str | None) -> bool:
    """RECIST 1.1 measures lymph nodes by their short axis; the site name tells which."""
    return bool(site and _NODE_SITE.search(site))
