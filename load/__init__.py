"""Extraction -> DuckDB, one transaction per document. Knows nothing of spaCy or Prefect."""

from load.lock import WarehouseLocked, writer_lock
from load.schema import SchemaOutdated, apply_schema, check_schema
from load.writer import (
    Failure,
    KnownDocument,
    SynonymRow,
    WarehouseBusy,
    connect,
    known_documents,
    load_extraction,
    machine_events,
    record_failures,
    replace_derived,
    sync_synonyms,
    update_paths,
)

__all__ = [
    "Failure",
    "KnownDocument",
    "SchemaOutdated",
    "SynonymRow",
    "WarehouseBusy",
    "WarehouseLocked",
    "apply_schema",
    "check_schema",
    "connect",
    "known_documents",
    "load_extraction",
    "machine_events",
    "record_failures",
    "replace_derived",
    "sync_synonyms",
    "update_paths",
    "writer_lock",
]
