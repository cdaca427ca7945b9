"""Exports of the warehouse for other tools: OMOP CDM v5.4 tables and Parquet files.

Both are pure functions of the warehouse: it is opened read-only, and the same warehouse
gives the same files (same ids, same rows, same order). Output goes to a fresh folder that
appears only when the export is complete.
"""

from export.errors import ExportError, OutputNotEmpty
from export.records import ExportedFile, ExportResult, SkippedCase
from export.to_omop import export_omop
from export.to_parquet import export_parquet
from export.types import OmopFormat

__all__ = [
    "ExportError",
    "ExportResult",
    "ExportedFile",
    "OmopFormat",
    "OutputNotEmpty",
    "SkippedCase",
    "export_omop",
    "export_parquet",
]
