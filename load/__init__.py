"""Extraction -> DuckDB, one transaction per batch of documents. Knows nothing of spaCy or
Prefect."""

from load.lock import WarehouseLocked, writer_lock
from load.schema import SchemaOutdated, apply_schema, check_schema
from load.writer import (
    Failure,
    KnownDocument,
    Refused,
    SynonymRow,
    WarehouseBusy,
    connect,
    known_documents,
    load_extraction,
    load_extractions,
    loaded_lexicon_version,
    machine_events,
    record_failures,
    replace_derived,
    sync_synonyms,
    update_paths,
)

__all__ = [
    "Failure",
    "KnownDocument",
    "Refused",
    "SchemaOutdated",
    "SynonymRow",
    "WarehouseBusy",
    "WarehouseLocked",
    "apply_schema",
    "check_schema",
    "connect",
    "known_documents",
    "load_extraction",
    "load_extractions",
    "loaded_lexicon_version",
    "machine_events",
    "record_failures",
    "replace_derived",
    "sync_synonyms",
    "update_paths",
    "writer_lock",
]
