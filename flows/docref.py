"""A document named the way a user names it: a doc_id prefix (as git takes short hashes), a
PDF path, or words of its title; resolved to the one full doc_id, or a typed error listing
the candidates.

Why: tables show doc_ids cut to 12 characters, so a copied id must work; and a researcher
knows the file or the title, not the hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flows.cli_common import SHORT_HASH, CliError

if TYPE_CHECKING:
    import duckdb

MIN_PREFIX = 4
"""Shortest doc_id prefix taken (git's minimum): fewer hex digits match by accident."""
HEX = re.compile(r"[0-9a-f]+")
MAX_LISTED = 10
"""Candidates listed in an ambiguity error; the count says how many more."""


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    path: str
    title: str | None


@dataclass(frozen=True)
class DocCase:
    """`DOC[:CASE]` as typed: the document reference and the case number, if any."""

    doc: str
    case_id: int | None


class DocNotFound(CliError):
    """No document matches the reference."""


class AmbiguousDoc(CliError):
    """More than one document matches; the message lists them."""

    def __init__(self, ref: str, matches: list[DocRow]) -> None:
        self.ref = ref
        self.matches = tuple(matches)
        listed = "; ".join(
            f"{m.doc_id[:SHORT_HASH]} {Path(m.path).name}" for m in matches[:MAX_LISTED]
        )
        more = f" and {len(matches) - MAX_LISTED} more" if len(matches) > MAX_LISTED else ""
        super().__init__(
            f"{ref!r} matches {len(matches)} documents: {listed}{more}; give more of the doc_id"
        )


def split_case(ref: str) -> DocCase:
    """'abc123:2' -> ('abc123', 2); a reference without ':<digits>' has no case."""
    head, sep, tail = ref.rpartition(":")
    if sep and head and tail.isdigit():
        return DocCase(head, int(tail))
    return DocCase(ref, None)


def _documents(con: duckdb.DuckDBPyConnection) -> list[DocRow]:
    rows = con.execute("select doc_id, path, title from documents order by path").fetchall()
    return [DocRow(*r) for r in rows]


def match_documents(docs: list[DocRow], ref: str) -> list[DocRow]:
    """The documents `ref` names, most specific rule first: a full or prefix doc_id, then a
    path (as given, resolved, or a file name), then every word of `ref` in the title."""
    key = ref.strip()
    low = key.lower()
    if len(low) >= MIN_PREFIX and HEX.fullmatch(low):
        by_id = [d for d in docs if d.doc_id.startswith(low)]
        if by_id:
            return by_id
    resolved = str(Path(key).expanduser().resolve())
    by_path = [d for d in docs if d.path in (key, resolved)]
    if by_path:
        return by_path
    by_name = [d for d in docs if Path(d.path).name == key or Path(d.path).stem == key]
    if by_name:
        return by_name
    words = low.split()
    if not words:
        return []
    return [d for d in docs if d.title and all(w in d.title.lower() for w in words)]


def resolve_doc(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """The one doc_id `ref` names; DocNotFound or AmbiguousDoc (listing the matches)."""
    matches = match_documents(_documents(con), ref)
    if not matches:
        raise DocNotFound(
            f"no document matches {ref!r} (a doc_id prefix of {MIN_PREFIX}+ characters, a PDF "
            "path or file name, or words of the title; `caselines cases` lists them)"
        )
    if len(matches) > 1:
        raise AmbiguousDoc(ref, matches)
    return matches[0].doc_id


def prefix_hint(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """For a query that returned nothing: a quoted literal in it that is a strict prefix of
    a doc_id (copied from a table's short id) and the way to match it."""
    literals = re.findall(rf"'([0-9a-f]{{{MIN_PREFIX},63}})'", sql)
    for lit in literals:
        hits = con.execute(
            "select doc_id from documents where starts_with(doc_id, ?) order by doc_id limit 2",
            [lit],
        ).fetchall()
        if hits:
            full = hits[0][0] if len(hits) == 1 else None
            target = f" (= {full})" if full else " (several documents)"
            return (
                f"'{lit}' is a shortened doc_id{target}: compare with "
                f"starts_with(doc_id, '{lit}') or use the full id"
            )
    return None
