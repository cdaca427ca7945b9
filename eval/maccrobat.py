"""Drug, dose and date mentions against MACCROBAT2020's exhaustive annotations.

MACCROBAT2020 (Caufield et al. 2019, doi 10.6084/m9.figshare.9764942, CC BY 4.0) annotates
case descriptions of PubMed Central case reports in brat standoff; ../shared/eval/maccrobat/
holds half of it (102 reports, <PMID>.txt/.ann) and each report typeset as mac-<PMID>.pdf.

Two modes, both scored the same way against the annotations of the same report:
  pdf   (the headline) ingests the PDFs with `caselines ingest` into a scratch warehouse (or
        reuses one with --db) and reads the `mentions` table;
  text  builds the Document from the .txt directly (one block per five sentences, as the PDFs
        are typeset) and runs the mention layer alone, so that text lost by the PDF reader
        does not count against it.

Measures (text compared case-insensitively, within one report):
  named drugs     Medication spans other than class words ('chemotherapy', 'diuretics') found
                  as a drug/regimen mention whose text contains or is contained in the span
  drug precision  drug/regimen mentions whose text overlaps (contains or is contained in) a
                  Medication span of the report
  doses           Dosage spans with a number: every number found in a dose mention whose text
                  overlaps the span
  absolute dates  Date spans with a year or a month name found as a date mention that holds
                  the span's year and month words (or overlaps its text)
  drug classes    class-word Medication spans found as a drug_class mention (reported apart)

    .venv/bin/python -m eval.maccrobat [--mode pdf|text|both] [--dir DIR] [--db FILE]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from eval.shared import EVAL

DEFAULT_DIR = EVAL / "maccrobat"
PMID_IN_NAME = re.compile(r"mac-(\d+)\.pdf$")
SENTENCES_PER_BLOCK = 5
"""The PDFs are typeset five sentences to a paragraph (SOURCE.md); text mode does the same."""
DRUG_KINDS = ("drug", "regimen")
CLASS_KIND = "drug_class"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _wordset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PER_SQUARE = re.compile(r"m\s*[2²]\b")
_WORD = re.compile(r"[a-z0-9µμ]+(?:[-/][a-z0-9µμ]+)*")

CLASS_WORDS = _wordset(
    """chemotherapy chemotherapies chemo antibiotic antibiotics antibiotherapy diuretic
    diuretics steroid steroids corticosteroid corticosteroids glucocorticoid glucocorticoids
    medication medications medicine medicines drug drugs agent agents inotropic inotropes
    inotrope vasoactive vasopressor vasopressors pressors inhibitor inhibitors blocker
    blockers blockade antagonist antagonists agonist agonists anticoagulant anticoagulants
    anticoagulation antiplatelet antiplatelets antihypertensive antihypertensives analgesic
    analgesics antiepileptic antiepileptics anticonvulsant anticonvulsants antifungal
    antifungals antiviral antivirals immunosuppressant immunosuppressants immunosuppressive
    immunosuppression sedative sedatives opioid opioids nsaid nsaids nsaids antiemetic
    antiemetics statin statins prostanoids macrolide macrolides fluoroquinolones
    fluoroquinolone vitamins anesthetic anaesthetic relaxant protectors antiseptics thiazide
    nitrate nitrates bisphosphonate bisphosphonates antiarrhythmic antiarrhythmics
    antipsychotic antipsychotics antidepressant antidepressants insulin-sensitizer
    hormone hormones supplements chemoprophylaxis anti-estrogen antiestrogen catecholamines
    cathecolamines contraceptive contraceptives cephalosporin cephalosporins"""
)
"""Words that make a Medication span a class, not a named drug ('loop diuretic')."""
NOT_DRUG_WORDS = _wordset(
    """sedation sedated anesthesia anaesthesia hydration fluid fluids transfusion transfusions
    platelet platelets plasma ffp rbc rbcs blood resuscitation nutrition treatment therapy
    therapies medicated support supports input load hemocomponent crystalloids colloids
    chelation parenteral packed red cells fresh frozen concentrates cryoprecipitate
    pharmacotherapy"""
)
"""Medication spans that name care rather than a substance ('general anesthesia',
'fluid resuscitation'): scored neither as named drugs nor as classes."""
FILLER = _wordset(
    """the a an of and or with no regular new various other oral iv intravenous local
    general high low dose doses pulse standard first second line based systemic topical
    adjuvant neoadjuvant conscious continuative replacement supplementation administration
    heart failure loop beta β α alpha calcium channel ace angiotensin converting enzyme
    converting-enzyme angiotensin-converting proton pump non-steroidal nonsteroidal
    anti-inflammatory dopaminergic muscle liver anti-tuberculosis antituberculosis"""
)


@dataclass(frozen=True)
class Span:
    kind: str
    text: str


@dataclass(frozen=True)
class Found:
    kind: str
    text: str
    sentence: str


@dataclass
class Score:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, label: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(label)

    def __str__(self) -> str:
        return f"{self.hits / max(self.total, 1):.1%} ({self.hits}/{self.total})"


def norm(text: str) -> str:
    return " ".join(text.lower().replace("\u2013", "-").replace("\u2212", "-").split())


def read_spans(ann: Path) -> list[Span]:
    out = []
    for line in ann.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("T"):
            out.append(Span(parts[1].split(" ", 1)[0], parts[2]))
    return out


def drug_span_kind(text: str) -> str:
    """'named', 'class' or 'other' (care, not a substance) for a Medication span: by its head,
    the last word once trailing care words are dropped ('steroid pulse therapy' -> class)."""
    words = [w for w in _WORD.findall(norm(text)) if w not in FILLER]
    while words and words[-1] in NOT_DRUG_WORDS:
        words.pop()
    if not words:
        return "other"
    head = words[-1]
    if head in CLASS_WORDS or head.endswith(("blocker", "blockers", "blockade")):
        return "class"
    return "named"


def overlaps(a: str, b: str) -> bool:
    """One text holds the other, spaces ignored (the PDF may print '40mg' for '40 mg')."""
    a, b = norm(a).replace(" ", ""), norm(b).replace(" ", "")
    return bool(a) and bool(b) and (a in b or b in a)


def numbers(text: str) -> list[str]:
    return _NUMBER.findall(_PER_SQUARE.sub(" ", norm(text)).replace(",", "."))


def date_found(span: str, dates: Sequence[Found]) -> bool:
    low = norm(span)
    years = set(_YEAR.findall(low))
    months = {w for w in _WORD.findall(low) if w in MONTHS}
    for f in dates:
        if overlaps(span, f.text):
            return True
        text = norm(f.text)
        words = set(_WORD.findall(text))
        if years and years <= set(_YEAR.findall(text)) and months <= words:
            return True
    return False


def has_absolute_date(text: str) -> bool:
    low = norm(text)
    return bool(_YEAR.search(low)) or any(w in MONTHS for w in _WORD.findall(low))


@dataclass
class Result:
    named: Score = field(default_factory=Score)
    precision: Score = field(default_factory=Score)
    doses: Score = field(default_factory=Score)
    dates: Score = field(default_factory=Score)
    classes: Score = field(default_factory=Score)
    missed_named: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def score(spans: dict[str, list[Span]], found: dict[str, list[Found]]) -> Result:
    res = Result()
    for pmid, anns in sorted(spans.items()):
        mentions = found.get(pmid, [])
        drugs = [f for f in mentions if f.kind in DRUG_KINDS]
        classes = [f for f in mentions if f.kind == CLASS_KIND]
        doses = [f for f in mentions if f.kind == "dose"]
        dates = [f for f in mentions if f.kind == "date"]
        meds = [a.text for a in anns if a.kind == "Medication"]
        for text in meds:
            kind = drug_span_kind(text)
            if kind == "named":
                ok = any(overlaps(text, f.text) for f in drugs)
                res.named.add(ok, text)
                if not ok:
                    res.missed_named[norm(text)].add(pmid)
            elif kind == "class":
                res.classes.add(any(overlaps(text, f.text) for f in classes + drugs), text)
        for f in drugs:
            res.precision.add(any(overlaps(m, f.text) for m in meds), f"{f.text} | {f.sentence}")
        for a in anns:
            if a.kind == "Dosage" and numbers(a.text):
                near = [n for f in doses if overlaps(a.text, f.text) for n in numbers(f.text)]
                res.doses.add(all(n in near for n in numbers(a.text)), a.text)
            elif a.kind == "Date" and has_absolute_date(a.text):
                res.dates.add(date_found(a.text, dates), a.text)
    return res


# --- the two ways of getting mentions ------------------------------------------------------


def ingest(pdf_dir: Path, db: Path, workers: int) -> None:
    cmd = [sys.executable, "-m", "flows.cli", "ingest", str(pdf_dir), "--db", str(db)]
    subprocess.run([*cmd, "--workers", str(workers)], check=False)


def pdf_mentions(db: Path) -> dict[str, list[Found]]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select d.path, m.kind, m.text, m.sentence from mentions m join documents d using (doc_id)"
    ).fetchall()
    con.close()
    out: dict[str, list[Found]] = defaultdict(list)
    for path, kind, text, sentence in rows:
        match = PMID_IN_NAME.search(path)
        if match:
            out[match.group(1)].append(Found(kind, text, sentence))
    return out


def text_mentions(folder: Path, pmids: Iterable[str]) -> dict[str, list[Found]]:
    from extract.records import Block, Document, DocumentMeta
    from transform.mentions.mentions import extract_mentions

    out: dict[str, list[Found]] = {}
    for pmid in pmids:
        with open(folder / f"{pmid}.txt", encoding="utf-8", newline="") as fh:
            lines = [ln.strip() for ln in fh.read().splitlines() if ln.strip()]
        pars = [
            " ".join(lines[i : i + SENTENCES_PER_BLOCK])
            for i in range(0, len(lines), SENTENCES_PER_BLOCK)
        ]
        heading = Block("Case presentation", "heading", 1, (0, 0, 0, 0), "case_presentation")
        blocks = [heading] + [Block(p, "body", 1, (0, 0, 0, 0), "case_presentation") for p in pars]
        doc = Document(pmid, f"{pmid}.txt", DocumentMeta(n_pages=1), tuple(blocks), ())
        out[pmid] = [Found(m.kind, m.text, m.prov.sentence) for m in extract_mentions(doc)]
    return out


# --- report ----------------------------------------------------------------------------------

GOALS = {"named drugs": 0.95, "drug precision": 0.90, "doses": 0.90, "absolute dates": 0.95}


def miss_cause(text: str, in_text_mode: bool | None) -> str:
    """A coarse cause for a missed named drug, to see which class to fix first."""
    if in_text_mode:
        return "lost by the PDF reader (found in text mode)"
    stripped = text.strip()
    if re.fullmatch(r"[A-Z0-9][A-Za-z0-9\-/+.]{0,9}", stripped) and sum(
        c.isupper() for c in stripped
    ) >= max(2, len(stripped) // 2):
        return "short form / regimen code"
    return "name not matched (unknown, misspelt, or filtered)"


def print_result(name: str, res: Result, text_res: Result | None, misses: int) -> None:
    print(f"\n### {name}\n")
    print("| measure | value | goal |\n| --- | --- | --- |")
    for label, sc in (
        ("named drugs", res.named),
        ("drug precision", res.precision),
        ("doses", res.doses),
        ("absolute dates", res.dates),
        ("drug classes (apart)", res.classes),
    ):
        goal = GOALS.get(label)
        print(f"| {label} | {sc} | {'>= ' + format(goal, '.0%') if goal else '-'} |")
    text_found = (
        {t for t in set(res.named.misses) if t not in set(text_res.named.misses)}
        if text_res is not None
        else set()
    )
    causes: dict[str, Counter[str]] = defaultdict(Counter)
    for t in res.named.misses:
        causes[miss_cause(t, (t in text_found) if text_res is not None else None)][t] += 1
    print("\nmissed named drugs by cause:")
    for cause, ctr in sorted(causes.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {cause} ({sum(ctr.values())}): {ctr.most_common(misses)}")
    fps = Counter(t.split(" | ")[0].lower() for t in res.precision.misses)
    print(f"\nfalse-positive drugs ({sum(fps.values())}): {fps.most_common(misses)}")
    print(f"\nmissed doses: {Counter(res.doses.misses).most_common(misses)}")
    print(f"\nmissed dates: {Counter(res.dates.misses).most_common(misses)}")
    print(f"\nmissed classes: {Counter(res.classes.misses).most_common(misses)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--mode", choices=("pdf", "text", "both"), default="both")
    ap.add_argument("--db", type=Path, help="reuse (or create) this warehouse")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--misses", type=int, default=40)
    ap.add_argument("--fp-sentences", action="store_true", help="print every false positive")
    args = ap.parse_args(argv)
    spans = {p.stem: read_spans(p) for p in sorted(args.dir.glob("*.ann"))}
    if not spans:
        print(f"maccrobat: no .ann files in {args.dir}", file=sys.stderr)
        return 2
    text_res = None
    if args.mode in ("text", "both"):
        text_res = score(spans, text_mentions(args.dir, spans))
        print_result("text mode (Document from the .txt)", text_res, None, args.misses)
        if args.fp_sentences:
            print("\n".join(text_res.precision.misses))
    if args.mode in ("pdf", "both"):
        db = args.db or Path(tempfile.mkdtemp(prefix="maccrobat-")) / "maccrobat.duckdb"
        ingest(args.dir, db, args.workers)
        found = pdf_mentions(db)
        pdf_res = score(spans, found)
        empty = sorted(p for p in spans if not found.get(p))
        print(f"\nPDFs with mentions: {len(spans) - len(empty)}/{len(spans)}; warehouse: {db}")
        print_result("PDF mode (caselines ingest, the headline)", pdf_res, text_res, args.misses)
        if empty:
            kept = {p: v for p, v in spans.items() if p not in empty}
            rest = score(kept, found)
            print(f"\nPDF mode without the reports whose PDF text yields no mention ({empty}):")
            print(
                f"named drugs {rest.named}, precision {rest.precision}, doses {rest.doses}, "
                f"absolute dates {rest.dates}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
