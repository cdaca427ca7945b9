"""The transform stage for one document: Document -> Extraction (docs/design.md).

The mention layer (abbreviations, spaCy patterns) turns blocks into mentions; assemble.py
does the rest (events, lines, PFS, audit) over plain records.
"""

from __future__ import annotations

from extract.records import Document
from transform.assemble import transform_mentions
from transform.mentions.abbreviations import learn
from transform.mentions.mentions import extract_mentions
from transform.records import Extraction


def transform_document(doc: Document) -> Extraction:
    """The whole transform stage for one document."""
    abbreviations = learn(doc)
    mentions = extract_mentions(doc, abbreviations)
    return transform_mentions(doc, mentions, tuple(abbreviations))
