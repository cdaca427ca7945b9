"""A progress hook the command line installs; the flow reports to it, a no-op by default.

Kept out of the flow's parameters so that the flow stays serialisable for deployments.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, path: str, ok: bool) -> None: ...
    def finish(self) -> None: ...


class NullProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, path: str, ok: bool) -> None:
        pass

    def finish(self) -> None:
        pass


_current: Progress = NullProgress()


def current() -> Progress:
    return _current


def install(progress: Progress) -> Progress:
    """Install `progress` and return the previous one (to restore it)."""
    global _current
    previous, _current = _current, progress
    return previous
