"""The HTML report: a swimmer plot per case and the evidence behind every value.

Reads only the DuckDB warehouse (read-only); imports neither Prefect nor spaCy, so
`caselines report` starts fast and works without the ingest stack.
"""

from report.build import write_report

__all__ = ["write_report"]
