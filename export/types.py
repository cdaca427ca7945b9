"""Type aliases of the exports, in one place."""

from __future__ import annotations

from enum import StrEnum


class OmopFormat(StrEnum):
    """File format of the OMOP tables: CSV (what OHDSI loaders read) or Parquet."""

    csv = "csv"
    parquet = "parquet"


RelationKind = str
"""'table' or 'view' (a warehouse relation exported as Parquet)."""
