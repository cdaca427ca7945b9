"""Errors an export reports to its caller in one line."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot start; nothing was written."""


class OutputNotEmpty(ExportError):
    """The output folder already holds files: an export never mixes with or replaces them."""
