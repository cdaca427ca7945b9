"""Span text -> normalised value, for the mention kinds other than drugs and dates.

Pure string functions: the patterns (transform/mentions/patterns/*.jsonl) decide where a mention
is, these decide what it says, so each is tested on its own.
"""

from __future__ import annotations

import re

from transform.mentions.dates import parse_number
from transform.types import Response

UNIT_ALIASES = {
    "mg": "mg", "g": "g", "gm": "g", "gram": "g", "grams": "g", "milligram": "mg",
    "milligrams": "mg", "mcg": "ug", "μg": "ug", "µg": "ug", "ug": "ug", "microgram": "ug",
    "micrograms": "ug", "microg": "ug", "ml": "ml", "iu": "IU", "u": "IU", "unit": "IU",
    "units": "IU", "mmol": "mmol", "meq": "mEq", "gy": "Gy", "auc": "AUC", "ui": "IU",
    "l": "L", "liter": "L", "liters": "L", "litre": "L", "litres": "L", "cgy": "cGy",
}  # fmt: skip
PER_ALIASES = {"m2": "m2", "m²": "m2", "m 2": "m2", "kg": "kg", "day": "day", "d": "day",
               "dose": "dose", "week": "week", "wk": "week", "h": "h", "hr": "h",
               "hour": "h", "min": "min", "cycle": "cycle", "pulse": "pulse",
               "month": "month", "bolus": "bolus", "infusion": "infusion"}  # fmt: skip
_NUM = r"(?:[1-9]\d{0,2}(?:,\d{3})+(?![\d.])|\d+(?:[.,]\d+)?)"
_DOSE = re.compile(
    rf"(?P<amount>{_NUM})\s*(?:(?:[-–]|\bto\b)\s*(?P<max>{_NUM})\s*)?(?:-\s*)?(?P<unit>[A-Za-zμµ]+)"
    r"(?:\s*(?:/|per|a|each|every)\s*(?P<per>m\s*[2²]|[A-Za-z]+)"
    r"(?:\s*/\s*(?P<per2>[A-Za-z]+))?)?",
    re.I,
)
_SQUARE_METRE = re.compile(r"\bsquare\s+met(?:er|re)s?\b", re.I)
"""'135 mg per square meter of body surface area' is the long form of 135 mg/m2."""
_AUC = re.compile(rf"(?:AUC|area under the curve)\s*(?:of)?\s*[=:]?\s*(?P<amount>{_NUM})", re.I)
_COUNT = re.compile(rf"(?P<amount>{_NUM})\s+(?P<unit>[a-z]+)", re.I)
_DASH = re.compile(r"\s*[–~—-]\s*")


_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+$")


def _float(text: str) -> float:
    """'1.5' and '1,5' (decimal comma) -> 1.5; '1,000' and '12,500' (thousands) -> 1000, 12500."""
    if _THOUSANDS.match(text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def dose_range_max(text: str) -> float | None:
    """The upper end of a dose range ('2-4 mg/day' -> 4.0, '400 to 800 mg' -> 800.0)."""
    match = _DOSE.search(text)
    return _float(match.group("max")) if match and match.group("max") else None


def parse_dose(text: str) -> tuple[float | None, str | None]:
    """'60 mg/m2' -> (60.0, 'mg/m2'); 'AUC 5' -> (5.0, 'AUC'); 'high dose' -> (None, None)."""
    auc = _AUC.search(text)
    if auc:
        return _float(auc.group("amount")), "AUC"
    match = _DOSE.search(_SQUARE_METRE.sub("m2", text))
    if not match:
        return None, None
    unit_word = match.group("unit").lower()
    unit = UNIT_ALIASES.get(unit_word)
    if unit is None:
        count = _COUNT.search(text)
        return (
            (_float(count.group("amount")), count.group("unit").lower())
            if count
            else (
                None,
                None,
            )
        )
    per = match.group("per")
    if per:
        per_norm = PER_ALIASES.get(per.lower().replace(" ", ""))
        if per_norm:
            unit = f"{unit}/{per_norm}"
            per2 = match.group("per2")
            if per2 and PER_ALIASES.get(per2.lower()):
                unit = f"{unit}/{PER_ALIASES[per2.lower()]}"
    return _float(match.group("amount")), unit


MICRO_SIGNS = "µμ𝜇𝝁𝛍𝞵𝝻"
"""The micro sign, the Greek mu and the mathematical mus a PDF font may print it with."""
_STRAY_MICRO = re.compile(rf"(?<![A-Za-z{MICRO_SIGNS}])[{MICRO_SIGNS}](?![A-Za-z])")
LOST_MICRO_UNITS = frozenset({"g/kg/min"})
"""Units no drug is dosed in, which a dropped micro sign makes of ug/kg/min (catecholamines,
dobutamine, remifentanil are dosed in micrograms per kilogram per minute: BNF)."""


def recover_micro(
    amount: float | None, unit: str | None, sentence: str
) -> tuple[float | None, str | None]:
    """A gram dose whose micro sign the PDF reader set apart ('intensive 𝜇 care unit with
    catecholamine support 3 g/kg/min': the font's mu landed elsewhere in the line) is a
    microgram dose when its sentence holds a stray micro sign; a unit that only a lost micro
    sign explains (g/kg/min) with none to recover is dropped rather than stored a million
    times too large."""
    if unit is None or not (unit == "g" or unit.startswith("g/")):
        return amount, unit
    if _STRAY_MICRO.search(sentence):
        return amount, "ug" + unit[1:]
    if unit in LOST_MICRO_UNITS:
        return None, None
    return amount, unit


_SCHED_WORDS = {"q.d.": "qd", "b.i.d.": "bid", "t.i.d.": "tid", "q.i.d.": "qid", "od": "qd",
                "bd": "bid", "tds": "tid"}  # fmt: skip
_CIV = re.compile(
    r"CIV\W*(?:(?:for|over)\s+)?(\d+)\s*-?\s*(?:h|hr|hrs|hours?)\b"
    r"|(\d+)\s*-?\s*(?:h|hr|hrs|hours?)\s+(?:continuous|civ)\b",
    re.I,
)
_OVER = re.compile(
    r"^(?:over|for)?\s*(\d+(?:\.\d+)?)\s*-?\s*(h|hr|hrs|hours?|min|mins|minutes?)\s*(?:infusion)?$",
    re.I,
)
_DAYS_WORD = re.compile(r"^(?:on\s+)?days?\s+", re.I)


def normalize_schedule(text: str) -> str:
    """Printed schedule with normalised spacing: 'BID' -> 'bid', 'd1, 8' -> 'd1,8',
    'd1–14' -> 'd1-14', 'days 1 and 8' -> 'd1,8', 'continuous ... (CIV) 48 h' -> 'CIV 48 h'."""
    civ = _CIV.search(text)
    if civ:
        return f"CIV {civ.group(1) or civ.group(2)} h"
    over = _OVER.match(text.strip())
    if over:
        unit = "min" if over.group(2).lower().startswith("min") else "h"
        return f"over {over.group(1)} {unit}"
    s = " ".join(text.split())
    low = s.lower()
    if low in _SCHED_WORDS:
        return _SCHED_WORDS[low]
    if re.fullmatch(r"q\d*[a-z]+|bid|tid|qid|qd|qod|qn|biw|tiw|prn", low):
        return low
    if _DAYS_WORD.match(s) and re.search(r"\d", s):
        s = "d" + _DAYS_WORD.sub("", s)
        s = re.sub(r"(?:\s*(?:and|,)\s*)+", ",", s)
        s = re.sub(r"\s*(?:to|through)\s*", "-", s)
    if re.match(r"^[dD]\d", s):
        s = "d" + s[1:]
        s = re.match(r"^d[\d,\s\-–~]*\d", s).group(0)  # type: ignore[union-attr]
        s = _DASH.sub("-", s)
        s = re.sub(r"\s*,\s*", ",", s)
        return s
    return low


RESPONSE_LABELS: dict[str, Response] = {
    "RESPONSE_CR": "CR",
    "RESPONSE_PR": "PR",
    "RESPONSE_SD": "SD",
    "RESPONSE_PD": "PD",
}

_PFS = re.compile(rf"({_NUM})\s*-?\s*(?:months?|mos?|m)\b", re.I)
_PFS_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*-?\s*months?\b",
    re.I,
)


def parse_months(text: str) -> float | None:
    """The number of months a PFS mention states ('a PFS of about 10.6 months' -> 10.6)."""
    match = _PFS.search(text)
    if match:
        return _float(match.group(1))
    word = _PFS_WORDS.search(text)
    return parse_number(word.group(1)) if word else None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_GRADE = re.compile(
    r"(?:grades?|ctcae|\bg)\s*(?:grade\s*)?([1-5]|iv|v|i{1,3}|one|two|three|four|five)\b", re.I
)


def parse_grade(text: str) -> int | None:
    """CTCAE v5.0 grade 1-5 from 'grade II', 'grade 3', 'G2' (the worst of a range)."""
    found = [_grade_value(m.group(1)) for m in _GRADE.finditer(text)]
    tail = re.search(r"[-–/]\s*([1-5]|iv|v|i{1,3})\b", text, re.I)
    if tail:
        found.append(_grade_value(tail.group(1)))
    grades = [g for g in found if g is not None]
    return max(grades) if grades else None


def _grade_value(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    if token in _ROMAN:
        return _ROMAN[token]
    number = parse_number(token)
    return int(number) if number else None


def normalize_event(text: str) -> str:
    """Lower-case adverse event name with single spaces and hyphens kept ('hand-foot syndrome')."""
    return re.sub(r"\s*-\s*", "-", " ".join(text.lower().split()))


MARKER_NAMES = {
    "er": "ER", "estrogen receptor": "ER", "oestrogen receptor": "ER",
    "estrogen receptors": "ER", "pr": "PR", "pgr": "PR", "progesterone receptor": "PR",
    "progesterone receptors": "PR", "her2": "HER2", "her-2": "HER2", "her2/neu": "HER2",
    "her-2/neu": "HER2", "erbb2": "HER2", "c-erbb-2": "HER2", "cerbb-2": "HER2",
    "ki-67": "Ki-67", "ki67": "Ki-67", "mib-1": "Ki-67", "androgen receptor": "AR",
    "c-kit": "CD117", "kit": "CD117", "dog-1": "DOG1", "gata3": "GATA-3", "ttf1": "TTF-1",
    "s-100": "S100", "ca125": "CA-125", "ca 19-9": "CA19-9", "alpha fetoprotein": "AFP",
    "alpha-fetoprotein": "AFP", "carcinoembryonic antigen": "CEA", "msi-h": "MSI",
}  # fmt: skip
_MARKER_HEAD = re.compile(
    r"^(estrogen receptors?|oestrogen receptor|progesterone receptors?|androgen receptor|"
    r"alpha[- ]fetoprotein|carcinoembryonic antigen|ca 19-9|her-?2\s*/\s*neu|"
    r"[A-Za-z][A-Za-z0-9]*(?:-(?!(?:positive|negative|high|low|mutat|amplif|wild|type|"
    r"deficient|proficient|stable)\w*)[A-Za-z0-9]+)?)",
    re.I,
)
_STATUS_SCORE = re.compile(r"(?<![\d.])([0-3]\s*\+|\+{1,3})(?!\w)")
_STATUS_PCT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_STATUS_WORD = re.compile(
    r"\b(positive|negative|amplified|not amplified|non-amplified|overexpress\w*|mutat\w*|"
    r"wild[- ]type|equivocal|high|low|deficient|proficient|loss|amplification|"
    r"rearrange\w*|fusion|deletion|insertion|skipping)\b",
    re.I,
)
_STATUS_WORDS = {"amplification": "amplified", "deletion": "mutation", "insertion": "mutation",
                 "skipping": "mutation", "fusion": "rearrangement"}  # fmt: skip
_PROTEIN_CHANGE = re.compile(
    r"\b(?:p\.)?[ACDEFGHIKLMNPQRSTVWY]\d{1,4}(?:[ACDEFGHIKLMNPQRSTVWY]|fs)\b"
)
_CEP17_RATIO = re.compile(r"CEP-?17\s*([<>=\u2264\u2265]?\s*\d+(?:\.\d+)?)", re.I)


def parse_biomarker(text: str) -> tuple[str, str | None]:
    """('HER2', '3+') from 'HER2 (3+)'; ('ER', 'positive 80%') from 'ER (++, 80%)'."""
    if re.match(r"^triple[- ]negative", text, re.I):
        return "ER/PR/HER2", "negative"
    if re.match(r"^(positive|negative)\s+for\s+", text, re.I):
        word, marker = re.split(r"\s+for\s+", text, maxsplit=1, flags=re.I)
        return MARKER_NAMES.get(marker.lower(), marker), word.lower()
    head = _MARKER_HEAD.match(text)
    marker_text = head.group(1) if head else text.split()[0]
    marker = MARKER_NAMES.get(" ".join(marker_text.lower().split()), marker_text.upper())
    rest = text[len(marker_text) :]
    rest = re.sub(r"^\s*\(\s*[A-Za-z][A-Za-z0-9\-]{1,6}\s*\)", "", rest)  # '(ER)' alias
    parts: list[str] = []
    score = _STATUS_SCORE.search(rest)
    word = _STATUS_WORD.search(rest)
    pct = _STATUS_PCT.search(rest)
    if word:
        found = word.group(1).lower()
        parts.append(_STATUS_WORDS.get(found, "rearrangement" if "rearrange" in found else found))
    elif _PROTEIN_CHANGE.search(rest):
        parts.append("mutation")
    ratio = _CEP17_RATIO.search(rest)
    if ratio and not parts:
        parts.append("ratio " + " ".join(ratio.group(1).split()))
    if score:
        s = score.group(1).replace(" ", "")
        if set(s) == {"+"} and not word:
            parts.append("positive" if marker != "HER2" else f"{len(s)}+")
        elif s[0].isdigit():
            parts.append(s)
    elif re.search(r"\(\s*[-−–]\s*\)|\s[-−–]\s*$|\(\s*[-−–]", rest) and not word:
        parts.append("negative")
    if pct:
        if not parts and not re.search(r"\+", rest):
            parts.append("positive" if float(pct.group(1)) > 0 else "negative")
        parts.append(f"{pct.group(1)}%")
    return marker, (" ".join(parts) if parts else None)


_SIZE = re.compile(rf"{_NUM}")
_UNIT_MM = re.compile(r"\bmm", re.I)


def parse_dimensions(text: str) -> tuple[float, ...]:
    """Sizes in cm from '4.1 × 3.0 cm2', '25 × 18 mm', 'a 3 cm mass' (mm converted)."""
    numbers = [_float(n) for n in _SIZE.findall(re.sub(r"(cm|mm)[23²³]?", " ", text))]
    factor = 0.1 if _UNIT_MM.search(text) else 1.0
    return tuple(round(n * factor, 3) for n in numbers)


_AGE = re.compile(r"(\d{1,3})")
_FEMALE = re.compile(r"\b(female|woman|women|lady|girl|postmenopausal|premenopausal)\b", re.I)
_MALE = re.compile(r"\b(male|man|men|gentleman|boy)\b", re.I)


def parse_age_sex(text: str) -> tuple[int | None, str | None]:
    """(52, 'female') from 'A 52-year-old female patient'."""
    age = _AGE.search(text)
    sex = "female" if _FEMALE.search(text) else "male" if _MALE.search(text) else None
    return (int(age.group(1)) if age else None), sex


PROCEDURE_NORMAL = {"whole brain radiotherapy": "whole-brain radiotherapy",
                    "radiation therapy": "radiotherapy", "radiation": "radiotherapy",
                    "wbrt": "whole-brain radiotherapy",
                    "breast conserving surgery": "breast-conserving surgery"}  # fmt: skip


def normalize_procedure(text: str) -> str:
    key = " ".join(text.lower().split()).replace(" - ", "-")
    return PROCEDURE_NORMAL.get(key, key)


MODALITY_NORMAL = {
    "ct": "CT", "computed tomography": "CT", "ct scan": "CT", "computerized tomography": "CT",
    "cect": "CT", "mri": "MRI", "magnetic resonance imaging": "MRI", "magnetic resonance": "MRI",
    "mr": "MRI", "pet-ct": "PET-CT", "pet/ct": "PET-CT", "pet / ct": "PET-CT", "petct": "PET-CT",
    "pet": "PET-CT", "positron emission tomography": "PET-CT", "ultrasound": "ultrasound",
    "ultrasonography": "ultrasound", "sonography": "ultrasound", "us": "ultrasound",
    "x-ray": "X-ray", "radiograph": "X-ray", "chest radiograph": "X-ray",
    "bone scan": "bone scan", "ect": "bone scan", "bone scintigraphy": "bone scan",
    "endoscopy": "endoscopy", "gastroscopy": "endoscopy", "colonoscopy": "endoscopy",
}  # fmt: skip


def normalize_modality(text: str) -> str:
    key = " ".join(text.lower().split())
    return MODALITY_NORMAL.get(key, MODALITY_NORMAL.get(key.replace(" ", ""), text))
