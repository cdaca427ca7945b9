"""Primary site: a printed '<site> cancer' first, then the site a histology names, then a
'<site> mass' outside sentences about metastases (transform/events/caseinfo.py)."""

from __future__ import annotations

import pytest

from extract.records import Block
from transform.events.caseinfo import (
    HistologySiteError,
    _primary_site,
    histology_sites,
)

BBOX = (0.0, 0.0, 100.0, 10.0)


def blocks(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(t, "body", 1, BBOX, "case_presentation", 1) for t in texts)


@pytest.mark.parametrize(
    ("texts", "site"),
    [
        (
            (
                "Imaging showed a bulky hilar mass and several liver tumours, the largest 3 cm, "
                "consistent with metastases.",
                "Bronchoscopic biopsy confirmed small cell carcinoma.",
            ),
            "lung",
        ),
        (("A core biopsy of the liver lesion showed HCC on a background of cirrhosis.",), "liver"),
        (
            (
                "She had multiple bone tumours suspicious for metastases.",
                "Biopsy showed an invasive ductal carcinoma, ER positive.",
            ),
            "breast",
        ),
        (
            (
                "He was found to have rectal adenocarcinoma with liver metastases.",
                "A renal cell carcinoma was found incidentally years later.",
            ),
            "rectal",
        ),
        (("A 7 cm pancreatic mass encasing the artery was seen on CT.",), "pancreatic"),
        (("Liver tumours were the only metastatic sites found.",), None),
        (("An npc ratio was computed for the nodes.",), None),
    ],
)
def test_primary_site(texts: tuple[str, ...], site: str | None) -> None:
    assert _primary_site(blocks(*texts)) == site


def test_histology_site_table_loads_with_sources() -> None:
    sites = {site for _pattern, site in histology_sites()}
    assert {"lung", "liver", "kidney", "breast"} <= sites


def test_malformed_histology_site_table_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import transform.events.caseinfo as caseinfo

    class Fake:
        def __truediv__(self, _name: str) -> Fake:
            return self

        def read_text(self, _encoding: str) -> str:
            return "# header\nsmall cell carcinoma\tlung\n"

    histology_sites.cache_clear()
    monkeypatch.setattr(caseinfo.resources, "files", lambda _pkg: Fake())
    try:
        with pytest.raises(HistologySiteError, match=r"histology_sites\.tsv:2"):
            histology_sites()
    finally:
        monkeypatch.undo()
        histology_sites.cache_clear()
