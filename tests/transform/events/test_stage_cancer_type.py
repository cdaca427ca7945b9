"""Stage as printed and the cancer type from site and histology (caseinfo.py), on sentences
of our own wording."""

from __future__ import annotations

import pytest

from extract.records import Block
from transform.events.caseinfo import cancer_type, stage

BBOX = (0.0, 0.0, 100.0, 10.0)


def blocks(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(t, "body", 1, BBOX, "case_presentation", 1) for t in texts)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Pathology after lobectomy: ypT1bN1M0, stage IIB adenocarcinoma.",), "ypT1bN1M0 IIB"),
        (("He presented with cough.", "Staging was cT4N2M1a (stage IVA)."), "cT4N2M1a IVA"),
        (("The tumour was classified as stage III by imaging.",), "III"),
        (("She had extensive-stage small cell lung cancer.",), "extensive-stage"),
        (("The disease was limited to one hemithorax; limited-stage SCLC.",), "limited-stage"),
        (("A grade III tumour of 3 cm was removed.",), None),
        (("Thrombus extended into the IVC.", "Staging: pT3N1, stage IIIA."), "pT3N1 IIIA"),
        (("A filter was placed in the IVC, and the tumour was T2N0M0.",), "T2N0M0"),
    ],
)
def test_stage_as_first_printed(texts: tuple[str, ...], expected: str | None) -> None:
    assert stage(blocks(*texts)) == expected


@pytest.mark.parametrize(
    ("site", "histology", "expected"),
    [
        ("left breast", "invasive lobular carcinoma", "breast"),
        ("lung", "small cell carcinoma", "SCLC"),
        ("right lung", "adenocarcinoma", "NSCLC"),
        (None, "nsclc", "NSCLC"),
        ("stomach", "signet ring cell carcinoma", "gastric"),
        ("sigmoid colon", "adenocarcinoma", "colorectal"),
        ("liver", "hepatocellular carcinoma", "hepatocellular"),
        (None, "gastrointestinal stromal tumor", "GIST"),
        (None, "adenocarcinoma", None),
        (None, "mantle cell lymphoma (mcl)", "lymphoma"),
        ("femur", "chondrosarcoma", "sarcoma"),
        (None, "large cell neuroendocrine carcinoma", "neuroendocrine"),
    ],
)
def test_cancer_type_from_the_table(
    site: str | None, histology: str | None, expected: str | None
) -> None:
    assert cancer_type(site, histology) == expected


class _FakeFiles:
    def __init__(self, text: str) -> None:
        self.text = text

    def __truediv__(self, _name: str) -> _FakeFiles:
        return self

    def read_text(self, _encoding: str) -> str:
        return self.text


@pytest.mark.parametrize(
    ("module", "loader", "error", "text", "where"),
    [
        (
            "transform.events.caseinfo",
            "cancer_type_rules",
            "CancerTypeError",
            "# header\norgan\tbreast\tbreast\tSEER\n",
            r"cancer_types\.tsv:2",
        ),
        (
            "transform.events.biomarkers",
            "marker_names",
            "BiomarkerNameError",
            "# header\nher2\tHER2\n",
            r"biomarker_names\.tsv:2",
        ),
    ],
)
def test_a_malformed_table_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, module: str, loader: str, error: str, text: str, where: str
) -> None:
    import importlib

    mod = importlib.import_module(module)
    load = getattr(mod, loader)
    load.cache_clear()
    monkeypatch.setattr(mod.resources, "files", lambda _pkg: _FakeFiles(text))
    try:
        with pytest.raises(getattr(mod, error), match=where):
            load()
    finally:
        monkeypatch.undo()
        load.cache_clear()
    assert load()  # the shipped table loads again
