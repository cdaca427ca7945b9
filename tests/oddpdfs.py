"""Odd and hostile PDFs written at test time: broken cross-references, page-tree cycles,
encryption with and without a user password, zero or absurd page counts, bad page boxes.

Each maker returns the bytes of one PDF. The minimal PDFs are written object by object (so
that one part can be broken on purpose); the encrypted ones use pypdf.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter

TEXT = b"BT /F1 12 Tf 72 720 Td (A 60-year-old man received cisplatin.) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(
    objects: list[bytes], *, root: int = 1, xref_shift: int = 0, trailer_extra: bytes = b""
) -> bytes:
    """A PDF of the given object bodies (object i+1 is objects[i]) with a correct xref, or
    one whose offsets are all off by `xref_shift` bytes."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % (off + xref_shift))
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, trailer_extra, xref)
    )
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page(
    media_box: bytes = b"[0 0 612 792]", content: bytes = TEXT, kids_count: int = 1
) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % kids_count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox "
        + media_box
        + b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        FONT,
    ]


def plain() -> bytes:
    return raw_pdf(one_page())


def broken_xref() -> bytes:
    """Every xref offset wrong: readers must rebuild the table by scanning."""
    return raw_pdf(one_page(), xref_shift=7)


def page_tree_cycle() -> bytes:
    """A /Pages node whose kid is itself."""
    objs = one_page()
    objs[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return raw_pdf(objs)


def zero_pages() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def lying_page_count() -> bytes:
    """/Count claims a million pages; one is there."""
    return raw_pdf(one_page(kids_count=1_000_000))


def bad_media_box() -> bytes:
    return raw_pdf(one_page(media_box=b"(not a box)"))


def empty_media_box() -> bytes:
    return raw_pdf(one_page(media_box=b"[0 0 0 0]"))


def garbage_content() -> bytes:
    """A content stream of nonsense operators and unbalanced strings."""
    return raw_pdf(one_page(content=b"BT /F9 Tf ) ( [ <zz> Tj Tj ET ] Q Q Q cm 1 2"))


def missing_root() -> bytes:
    return raw_pdf(one_page(), root=9)


def missing_font() -> bytes:
    objs = one_page()
    objs[4] = b"null"
    return raw_pdf(objs)


def _encrypted(user: str, owner: str) -> bytes:
    reader = PdfReader(io.BytesIO(plain()))
    writer = PdfWriter()
    writer.append(reader)
    writer.encrypt(user_password=user, owner_password=owner)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_with_password() -> bytes:
    return _encrypted("secret", "owner")


def encrypted_owner_only() -> bytes:
    """Restrictions only: the empty user password opens it (as every viewer does)."""
    return _encrypted("", "owner")


def many_pages(n: int = 600) -> bytes:
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


ODD: dict[str, Callable[[], bytes]] = {
    "plain.pdf": plain,
    "broken-xref.pdf": broken_xref,
    "page-tree-cycle.pdf": page_tree_cycle,
    "zero-pages.pdf": zero_pages,
    "lying-page-count.pdf": lying_page_count,
    "bad-media-box.pdf": bad_media_box,
    "empty-media-box.pdf": empty_media_box,
    "garbage-content.pdf": garbage_content,
    "missing-root.pdf": missing_root,
    "missing-font.pdf": missing_font,
    "encrypted-with-password.pdf": encrypted_with_password,
    "encrypted-owner-only.pdf": encrypted_owner_only,
    "many-pages.pdf": many_pages,
}
"""Name -> maker of every odd PDF."""
