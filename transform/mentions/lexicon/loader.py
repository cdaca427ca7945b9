"""Drug names -> canonical DrugBank name, drug id and class, built once per process.

The names come from the DrugBank/MeSH-derived dictionary that the PyPI package
drug-named-entity-recognition ships offline. That dictionary is broad (proteins,
lab tests, English words), so it is filtered here; a small hand-kept supplement adds
what it lacks (development codes, regional abbreviations, misprints), each with its
source. Everything is data under this package; nothing is downloaded.
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import importlib.util
import io
import pickle
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from transform.records import DrugValue

PACKAGE = "drug_named_entity_recognition"
PACKAGE_DICTIONARY = "drug_ner_dictionary.pkl.bz2"
DATA_PACKAGE = "transform.mentions.lexicon"
SUPPLEMENT_FILE = "supplement.tsv"
CLASSES_FILE = "classes.tsv"
BLOCKLIST_FILE = "blocklist.tsv"
SALTS_FILE = "salts.tsv"
LAB_WORDS_FILE = "lab_words.tsv"
NONDRUGS_FILE = "nondrugs.tsv"
CLASS_WORDS_FILE = "class_words.tsv"
CLASS_MESH_PREFIX = "D27.505"
"""MeSH Pharmacologic Actions: a heading known only from this branch (no DrugBank or
MedlinePlus id) names a class of drugs ('Anti-Bacterial Agents', 'Diuretics'), not a drug."""

FILTER_VERSION = "3"
"""Bump when the filtering rules change, so that the version hash changes with them."""

MIN_NAME_LENGTH = 4
"""Package names shorter than this are mostly lab/biology abbreviations ('pr', 'ct', 'ac')."""
MAX_NAME_WORDS = 5
"""Longer package names are descriptions, never printed as a drug name in a case report."""
LEADING_FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to",
     "was", "were", "with"]
)  # fmt: skip
"""A package name opening with one of these is a fragment of the text it was mined from ('and
emtricitabine)', 'was protein family', 'or tyl') or a description ('a trisaccharide'), never a
drug as printed; and each made the matcher try every 'and', 'a', 'was' of a text."""
_WIKI_MARKUP = re.compile(r"(?:^|\s)(?:''|\[\[)")
"""A word opening with wiki markup ("''dovenix''", '[[cobicistat'): text the package mined,
not a name (primes inside a chemical name stay: "4''-isovalerylspiramycin")."""
SHORT_ABBREVIATION_LENGTH = 4
"""Letter-only names up to this length match only when printed in capitals ('DDP', not 'ddp')."""

DRUG_MESH_PREFIXES = ("D01", "D02", "D03", "D04", "D05", "D06", "D09", "D10", "D27.505")
"""MeSH tree branches of chemicals and drugs; a name known only from MeSH and outside these
(enzymes D08, proteins D12, nucleic acids D13, biological factors D23) is biology, not a drug.
Of 'Chemical Actions and Uses' (D27) only Pharmacologic Actions (D27.505) names drugs:
Specialty Uses (D27.720: 'indicators and reagents', 'insecticides', 'buffers') and Toxic
Actions (D27.888: 'air pollutants') do not. 'Pharmaceutical Preparations' (D26) names dosage
forms ('tablets, enteric-coated'), excipients and vehicle solutions ('ophthalmic solutions'),
never the drug: a D26 heading counts only with a DrugBank or MedlinePlus id."""

ADMINISTERED = "administered"
NEVER = "never"
NONDRUG_RULES = frozenset([ADMINISTERED, NEVER])
ADMINISTRATION_WORDS = frozenset(
    ["given", "gave", "administered", "administration", "received", "receiving", "receive",
     "infused", "infusion", "infusions", "injected", "injection", "injections", "prescribed",
     "treated", "treatment", "therapy", "supplement", "supplemented", "supplementation",
     "replacement", "replaced", "transfused", "transfusion", "started", "dose", "doses",
     "dosage", "iv", "intravenous", "intravenously", "oral", "orally", "subcutaneous",
     "subcutaneously", "topical", "topically", "daily", "tablets", "capsules", "dosed",
     "induced", "toxicity", "intoxication", "overdose", "anaphylaxis", "allergy", "allergic",
     "hypersensitivity", "medication", "medications", "used", "maintained", "continued", "support"]
)  # fmt: skip
"""Words that say a substance was given (or that the patient reacted to it: 'anaphylaxis to
calcitonin', 'lithium toxicity'): an 'administered' entry of nondrugs.tsv (a lab
analyte that is also a medicine) is a drug mention only near one of them or with a dose."""
ADMINISTRATION_WINDOW = 4
"""Tokens either side of an analyte's name searched for an administration word."""

FORM_WORDS = frozenset(
    [
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "injection",
        "injections",
        "needle",
        "infusion",
        "oral",
        "iv",
        "solution",
        "for",
    ]
)

CLASS_NOUNS = frozenset(
    [
        "inhibitor",
        "inhibitors",
        "conjugate",
        "conjugates",
        "agent",
        "agents",
        "antibody",
        "antibodies",
        "factor",
        "factors",
        "receptor",
        "receptors",
        "drugs",
        "analog",
        "analogs",
        "analogue",
        "analogues",
        "blocker",
        "blockers",
        "antagonist",
        "antagonists",
        "agonist",
        "agonists",
    ]
)
"""A package name ending in one of these names a class ('tyrosine kinase inhibitors'),
not a drug a patient was given."""

PACKAGE_SOURCE = "drug-named-entity-recognition (DrugBank/MeSH)"
CANONICAL_SOURCE = "DrugBank name"

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_PAREN_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_BIOLOGIC_SUFFIX = re.compile(r"-[a-z]{4}$")


FUZZY_MIN_LENGTH = 8
"""Words this long may be matched one edit away from a drug name (misprints in case reports);
shorter ones are too often other words."""
FUZZY_ANY_ENDING_LENGTH = 10
"""From this length a word one edit away need not end in an INN stem, only in the same two
letters as the name ('fluorourasil' ~ fluorouracil)."""
FUZZY_TWO_EDITS_LENGTH = 11
"""From this length a word may be two edits away from a name ending in an INN stem."""


INN_STEMS = (
    "mab", "nib", "ciclib", "parib", "lisib", "platin", "taxel", "rubicin", "mycin", "micin",
    "cillin", "oxacin", "conazole", "prazole", "olol", "pril", "sartan", "statin", "vir",
    "dipine", "setron", "tidine", "triptan", "azepam", "azolam", "barbital", "caine", "profen",
    "fenac", "olac", "coxib", "dronate", "relin", "relix", "gliptin", "glitazone", "gliflozin",
    "semide", "thiazide", "mustine", "phosphamide", "trexate", "citabine", "tecan", "poside",
    "zomib", "limus", "sporin", "terol", "sonide", "methasone", "olone", "azine", "peridol",
    "pramine", "oxetine", "faxine", "lukast", "parin", "xaban", "gatran", "grel", "teplase",
    "tretin", "vudine", "navir", "previr", "asvir", "tegravir", "amivir", "ciclovir", "fungin",
    "bendazole", "quine", "trexed", "lutamide", "strozole", "fene", "tiapine", "apine",
    "idone", "orphan", "pirone", "zosin", "tepine", "flurane", "steroids",
)  # fmt: skip
"""WHO INN stems ('The use of stems in the selection of INN'): the endings of drug names
that ordinary English words do not share."""


def _plural_pair(a: str, b: str) -> bool:
    return a in (b + "s", b + "es") or b in (a + "s", a + "es")


class LexiconError(Exception):
    """The shipped lexicon data is missing or malformed."""


@dataclass(frozen=True)
class SynonymRow:
    """One row of the warehouse's drug_synonyms table."""

    drug_id: str | None
    drug: str
    synonym: str
    """Lower-case."""
    source: str


def normalize_name(name: str) -> str:
    """Lower-case, one space, ASCII dashes: the key every synonym is stored under."""
    return " ".join(name.translate(_DASHES).lower().split())


def is_short_abbreviation(name: str) -> bool:
    """True for letter-only names short enough to be an ordinary abbreviation ('tam', 'ddp')."""
    return name.isalpha() and len(name) <= SHORT_ABBREVIATION_LENGTH


class Lexicon:
    """Drug synonyms -> DrugValue, with the sources the warehouse records."""

    def __init__(
        self,
        synonyms: Mapping[str, DrugValue],
        sources: Mapping[str, str],
        version: str,
        blocked: frozenset[str] = frozenset(),
        *,
        salt_words: frozenset[str] = frozenset(),
        lab_words: frozenset[str] = frozenset(),
        analytes: frozenset[str] = frozenset(),
        classes: Mapping[str, str] | None = None,
    ) -> None:
        self._synonyms = dict(synonyms)
        self._classes = dict(classes or {})
        """Lower-case class word -> drug class ('beta-blockers' -> 'adrenergic
        beta-antagonists'): class_words.tsv and the package's Pharmacologic Action headings."""
        self.salt_words = salt_words
        """Counter-ion, ester and hydrate words (salts.tsv)."""
        self.lab_words = lab_words
        """Words after a name that make it a lab test or a stain (lab_words.tsv)."""
        self.analytes = analytes
        """Canonical drugs that count only when given (nondrugs.tsv, rule 'administered')."""
        self._sources = dict(sources)
        self.version = version
        self._blocked = blocked
        self._fuzzy_index: dict[str, list[str]] | None = None
        self._fuzzy_memo: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self._synonyms)

    def names(self) -> tuple[str, ...]:
        """Every lower-case synonym and class word, for the phrase matcher."""
        return tuple(self._synonyms.keys() | self._classes.keys())

    def drug_class_of(self, name: str) -> str | None:
        """The drug class a printed class word names ('ACE inhibitors'), else None."""
        return self._classes.get(normalize_name(name))

    def lookup(self, name: str) -> DrugValue | None:
        """The drug a printed name stands for; tolerant of case, salts and dosage forms."""
        key = normalize_name(name)
        if not key:
            return None
        found = self._synonyms.get(key)
        if found is not None:
            return found
        words = key.split()
        while len(words) > 1 and (words[-1] in self.salt_words or words[-1] in FORM_WORDS):
            words = words[:-1]
            found = self._synonyms.get(" ".join(words))
            if found is not None:
                return found
        return None

    def needs_administration(self, drug: str) -> bool:
        """True for a lab analyte that is also a medicine ('procalcitonin', 'serum albumin'):
        a drug mention only with a dose or an administration word (nondrugs.tsv)."""
        return drug in self.analytes

    def is_antibody_drug(self, value: DrugValue) -> bool:
        """An antibody medicine ('-mab', or a class that says antibody): 'rituximab
        antibody' stays a drug where 'insulin antibodies' is serology."""
        return value.drug.split()[0].endswith("mab") or "antibod" in (value.drug_class or "")

    def misspelt(self, word: str) -> str | None:
        """The lexicon name (or class word) a misspelt word stands for, if any
        ('ketoralac', 'sevofluorane', 'fluorourasil', 'corticosteroiods').

        rapidfuzz's optimal-string-alignment distance (insertions, deletions, substitutions,
        swaps of neighbours) to the names of a DrugBank drug or class word with the same first
        two letters. Guards, because English and lab words sit near brand names and generic
        endings ('activate' ~ Activase, 'creative' ~ creatine): only lower-case or
        capitalised words of FUZZY_MIN_LENGTH+ letters, never a known name, blocklisted word,
        lab word or plural of a name; one edit to a name ending in a WHO INN stem (INN_STEMS)
        with the same last three letters, or, from FUZZY_ANY_ENDING_LENGTH letters, any name
        with the same last two; two edits only from FUZZY_TWO_EDITS_LENGTH letters, to an
        INN-stem name with the same last three letters; and exactly one drug at the best
        distance.
        """
        if not (word.islower() or word.istitle()):
            return None  # before the memo, which is by lower case: 'KETORALAC' then 'Ketoralac'
        key = word.lower()
        if key in self._fuzzy_memo:
            return self._fuzzy_memo[key]
        found: str | None = None
        if (
            len(key) >= FUZZY_MIN_LENGTH
            and key.isalpha()
            and key not in self._synonyms
            and key not in self._classes
            and key not in self._blocked
            and key not in self.lab_words
        ):
            found = self._closest(key)
        self._fuzzy_memo[key] = found
        return found

    def _closest(self, key: str) -> str | None:
        limit = 2 if len(key) >= FUZZY_TWO_EDITS_LENGTH else 1
        scored = process.extract(
            key, self._fuzzy_names(key[:2]), scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        ok: dict[str, int] = {}
        for name, distance, _ in scored:
            if _plural_pair(key, name) or abs(len(name) - len(key)) > distance:
                continue
            inn = name.endswith(INN_STEMS) and name[-3:] == key[-3:]
            if distance == 1 and not (
                inn or (len(key) >= FUZZY_ANY_ENDING_LENGTH and name[-2:] == key[-2:])
            ):
                continue
            if distance == 2 and not inn:
                continue
            ok[name] = distance
        if not ok:
            return None
        best = min(ok.values())
        hits = sorted(n for n, d in ok.items() if d == best)
        targets = {self._target(h) for h in hits}
        return hits[0] if len(targets) == 1 else None

    def _target(self, name: str) -> str:
        value = self._synonyms.get(name)
        return value.drug if value is not None else self._classes.get(name, name)

    def _fuzzy_names(self, prefix: str) -> list[str]:
        if self._fuzzy_index is None:
            index: dict[str, list[str]] = {}
            for name, value in self._synonyms.items():
                if len(name) >= FUZZY_MIN_LENGTH - 1 and name.isalpha() and value.drug_id:
                    index.setdefault(name[:2], []).append(name)
            for name in self._classes:
                if len(name) >= FUZZY_MIN_LENGTH - 1 and name.isalpha():
                    index.setdefault(name[:2], []).append(name)
            self._fuzzy_index = index
        return self._fuzzy_index.get(prefix, [])

    def synonym_rows(self) -> Iterator[SynonymRow]:
        for synonym, value in sorted(self._synonyms.items()):
            yield SynonymRow(value.drug_id, value.drug, synonym, self._sources[synonym])


# --- loading -----------------------------------------------------------------------------


def _package_dictionary_path() -> Path:
    """Path of the package's pickle, found without importing the package.

    Importing it loads the dictionary a second time and touches the home folder.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError(f"package {PACKAGE!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / PACKAGE_DICTIONARY
    if not path.is_file():
        raise LexiconError(f"{PACKAGE} ships no {PACKAGE_DICTIONARY}")
    return path


def _read_tsv(name: str, columns: tuple[str, ...]) -> tuple[list[dict[str, str]], bytes]:
    """Rows of a shipped TSV (comment lines start with '#'); checks the header and every row."""
    raw = resources.files(DATA_PACKAGE).joinpath(name).read_bytes()
    lines = [ln for ln in raw.decode("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    if tuple(reader.fieldnames or ()) != columns:
        raise LexiconError(f"{name}: header must be {columns}, got {reader.fieldnames}")
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if any(not (row.get(c) or "").strip() for c in columns) or None in row:
            raise LexiconError(f"{name}: row {lineno} is malformed: {row}")
        rows.append({c: row[c].strip() for c in columns})
    return rows, raw


def _is_drug_entry(data: Mapping[str, Any]) -> bool:
    if data.get("drugbank_id") or data.get("medline_plus_id"):
        return True
    return any(str(t).startswith(DRUG_MESH_PREFIXES) for t in data.get("mesh_tree", ()))


def salt_parent(name: str, parents: Mapping[str, object], salt_words: frozenset[str]) -> str | None:
    """The parent drug of a salt, ester or hydrate name ('imatinib mesylate' -> 'imatinib').

    The name less its trailing words of salts.tsv, when that is one of `parents` (DrugBank
    names) and not itself a salt word ('sodium chloride' stays: 'sodium' is no parent).
    """
    words = name.split()
    while len(words) > 1 and words[-1] in salt_words:
        words = words[:-1]
        parent = " ".join(words)
        if parent in parents and parent not in salt_words:
            return parent
    return None


def _canonical_names(
    c2d: Mapping[str, Mapping[str, Any]],
    salt_words: frozenset[str] = frozenset(),
    blocked: frozenset[str] = frozenset(),
) -> dict[str, tuple[str, str | None]]:
    """Package canonical -> (DrugBank name, DrugBank id) for the entries that are drugs.

    MedlinePlus entries ('paclitaxel (with albumin)', 'fam-trastuzumab deruxtecan-nxki')
    fold onto the DrugBank entry of the same molecule when one exists; salts, esters and
    hydrates ('imatinib mesylate', 'methylprednisolone hemisuccinate') onto their parent's
    DrugBank entry when DrugBank lists the parent (SPEC: one drug, one name).
    """
    drugbank = {c: str(d["drugbank_id"]) for c, d in c2d.items() if d.get("drugbank_id")}
    parents = {c: i for c, i in drugbank.items() if c not in blocked}
    out: dict[str, tuple[str, str | None]] = {}
    for canonical, data in c2d.items():
        if not _is_drug_entry(data):
            continue
        if canonical in drugbank:
            out[canonical] = (canonical, drugbank[canonical])
        else:
            base = _PAREN_QUALIFIER.sub("", canonical)
            base = _BIOLOGIC_SUFFIX.sub("", base.removeprefix("fam-"))
            out[canonical] = (base, drugbank[base]) if base in drugbank else (canonical, None)
        parent = salt_parent(out[canonical][0], parents, salt_words)
        if parent is not None:
            out[canonical] = (parent, drugbank[parent])
    return out


def _keep_package_name(name: str, blocked: frozenset[str], stopwords: frozenset[str]) -> bool:
    """Whether a name of the package dictionary is a drug as printed (its variants were mined
    from free text: fragments and descriptions are left out)."""
    if len(name) < MIN_NAME_LENGTH or name in blocked or name in stopwords:
        return False
    words = name.split()
    if "," in name or len(words) > MAX_NAME_WORDS or words[-1] in CLASS_NOUNS:
        return False
    if words[0] in LEADING_FUNCTION_WORDS or _WIKI_MARKUP.search(name):
        return False
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return False  # cut out of its sentence: '68ga)pentixafor'
    return any(ch.isalpha() for ch in name)


def _package_stopwords() -> frozenset[str]:
    """The package's own stop list (countries, companies, English function words)."""
    util = Path(_package_dictionary_path()).parent / "util.py"
    text = util.read_text(encoding="utf-8") if util.is_file() else ""
    match = re.search(r"stopwords\s*=\s*\{(.*?)\}", text, re.S)
    if match is None:
        return frozenset()
    return frozenset(re.findall(r"'([^']+)'", match.group(1)))


def build_lexicon() -> Lexicon:
    """Read the package dictionary and the shipped tables; filter; fold names; attach classes."""
    path = _package_dictionary_path()
    package_bytes = path.read_bytes()
    try:
        data = pickle.loads(bz2.decompress(package_bytes))
        v2c: Mapping[str, list[str]] = data["drug_variant_to_canonical"]
        c2d: Mapping[str, Mapping[str, Any]] = data["drug_canonical_to_data"]
    except (OSError, KeyError, pickle.UnpicklingError, EOFError) as exc:
        raise LexiconError(f"cannot read {path.name}: {exc}") from exc

    supplement, sup_raw = _read_tsv(SUPPLEMENT_FILE, ("synonym", "drug", "source"))
    classes, cls_raw = _read_tsv(CLASSES_FILE, ("drug", "drug_class", "source"))
    blocklist, blk_raw = _read_tsv(BLOCKLIST_FILE, ("synonym", "reason"))
    salts, salt_raw = _read_tsv(SALTS_FILE, ("word", "reason"))
    lab, lab_raw = _read_tsv(LAB_WORDS_FILE, ("word", "reason"))
    nondrugs, non_raw = _read_tsv(NONDRUGS_FILE, ("drug", "rule", "reason"))
    class_words, cw_raw = _read_tsv(CLASS_WORDS_FILE, ("phrase", "drug_class", "source"))
    blocked = frozenset(normalize_name(r["synonym"]) for r in blocklist)
    salt_words = frozenset(normalize_name(r["word"]) for r in salts)
    lab_words = frozenset(normalize_name(r["word"]) for r in lab)
    bad_rules = [r for r in nondrugs if r["rule"] not in NONDRUG_RULES]
    if bad_rules:
        raise LexiconError(f"{NONDRUGS_FILE}: unknown rule in {bad_rules[0]}")
    never = frozenset(normalize_name(r["drug"]) for r in nondrugs if r["rule"] == NEVER)
    analytes = frozenset(normalize_name(r["drug"]) for r in nondrugs if r["rule"] == ADMINISTERED)
    stopwords = _package_stopwords()

    canon = _canonical_names(c2d, salt_words, blocked | stopwords)
    drugbank_names = {name: i for name, i in canon.values() if i is not None}
    class_of: dict[str, str] = {}
    for r in classes:
        name = normalize_name(r["drug"])
        name = salt_parent(name, drugbank_names, salt_words) or name
        class_of.setdefault(name, r["drug_class"])
    id_of: dict[str, str | None] = {}
    for name, drug_id in canon.values():
        if id_of.get(name) is None:
            id_of[name] = drug_id

    synonyms: dict[str, DrugValue] = {}
    sources: dict[str, str] = {}

    def add(synonym: str, drug: str, source: str) -> None:
        value = DrugValue(drug=drug, drug_id=id_of.get(drug), drug_class=class_of.get(drug))
        synonyms[synonym] = value
        sources[synonym] = source

    for variant, canonicals in v2c.items():
        name = normalize_name(variant)
        target = canon.get(canonicals[0]) if canonicals else None
        if target is None or target[0] in never or not _keep_package_name(name, blocked, stopwords):
            continue
        add(name, target[0], PACKAGE_SOURCE)
    for drug, _ in list(canon.values()):
        if drug in never:
            continue
        if _keep_package_name(drug, blocked, stopwords) and drug not in sources:
            add(drug, drug, CANONICAL_SOURCE)
    for drug in set(canon[c][0] for c in canon) & set(synonyms):
        sources[drug] = CANONICAL_SOURCE if sources[drug] == PACKAGE_SOURCE else sources[drug]
    for row in supplement:
        drug = normalize_name(row["drug"])
        if drug not in id_of:
            raise LexiconError(f"{SUPPLEMENT_FILE}: {row['synonym']!r} -> unknown drug {drug!r}")
        add(normalize_name(row["synonym"]), drug, row["source"])

    class_only = {
        canon[c][0]
        for c, d in c2d.items()
        if c in canon
        and not d.get("drugbank_id")
        and not d.get("medline_plus_id")
        and any(str(t).startswith(CLASS_MESH_PREFIX) for t in d.get("mesh_tree", ()))
    }
    class_names = {syn: v.drug for syn, v in synonyms.items() if v.drug in class_only}
    for syn in class_names:
        del synonyms[syn]
    class_names.update({normalize_name(r["phrase"]): r["drug_class"] for r in class_words})

    return Lexicon(
        synonyms,
        sources,
        _version_of(package_bytes, (sup_raw, cls_raw, blk_raw, salt_raw, lab_raw, non_raw, cw_raw)),
        blocked | stopwords | never,
        salt_words=salt_words,
        lab_words=lab_words,
        analytes=analytes,
        classes=class_names,
    )


VERSIONED_FILES = (
    SUPPLEMENT_FILE,
    CLASSES_FILE,
    BLOCKLIST_FILE,
    SALTS_FILE,
    LAB_WORDS_FILE,
    NONDRUGS_FILE,
    CLASS_WORDS_FILE,
)
"""The shipped tables whose bytes make the lexicon's version, in the order build_lexicon reads."""


def _version_of(package_bytes: bytes, tables: Sequence[bytes]) -> str:
    digest = hashlib.sha256(FILTER_VERSION.encode())
    for blob in (package_bytes, *tables):
        digest.update(hashlib.sha256(blob).digest())
    return digest.hexdigest()[:16]


def lexicon_version() -> str:
    """The version build_lexicon gives, from the files' bytes alone (nothing parsed).

    Why: an ingest into a warehouse whose drug_synonyms are current must not build the
    lexicon (seconds) only to learn that nothing needs reloading."""
    tables = [resources.files(DATA_PACKAGE).joinpath(n).read_bytes() for n in VERSIONED_FILES]
    return _version_of(_package_dictionary_path().read_bytes(), tables)


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The process-wide lexicon (about a second to build, then cached)."""
    return build_lexicon()
