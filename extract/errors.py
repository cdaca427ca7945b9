"""Typed errors for PDFs the extract stage cannot read.

Each carries a one-line reason fit for `ingest_failures.message` and the terminal.
"""

from __future__ import annotations


class ExtractError(Exception):
    """A PDF that cannot be turned into text; `code` names the kind of failure."""

    code = "extract_error"

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def reason(self) -> str:
        return str(self)


class NotAPdf(ExtractError):
    code = "not_a_pdf"


class EmptyPdf(ExtractError):
    code = "empty"


class CorruptPdf(ExtractError):
    code = "corrupt"


class EncryptedPdf(ExtractError):
    code = "encrypted"


class NoTextLayer(ExtractError):
    code = "no_text_layer"


class TooManyPages(ExtractError):
    code = "too_many_pages"


class TimeLimitExceeded(ExtractError):
    code = "time_limit"
