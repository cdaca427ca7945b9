"""A caption naming no case belongs to the only patient of a one-case report, and its
month-only date dates its lesion sizes (made-up case text)."""

from __future__ import annotations

from datetime import date

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions

BODY = """Case 1

A 58-year-old woman had metastatic colon cancer. From April 2003 she received capecitabine. \
A CT in September 2003 showed a 3.2 x 2.8 cm liver metastasis.
"""


def test_unattributed_caption_of_a_one_case_report_dates_its_lesion_by_month() -> None:
    doc = document_from_text(BODY, "Figure 1 CT of the liver (March 2003, 4.1 x 3.3 cm).")
    x = transform_mentions(doc, extract_mentions(doc))
    got = {(m.measured_on, m.dim1_cm, m.dim2_cm, m.figure) for m in x.lesions}
    assert got == {(date(2003, 9, 1), 3.2, 2.8, None), (date(2003, 3, 1), 4.1, 3.3, "1")}
