"""Lines of therapy from one patient's dated events: pure rules, parameters in `LineRules`.

Sources: the OHDSI OncologyRegimenFinder (drugs started within a window form one regimen)
and the real-world line-of-therapy algorithms of Merck and Flatiron Health (Meng et al.,
"Real-world line of therapy algorithms", and the Flatiron LoT business rules: a line starts
with the first eligible drug after the metastatic diagnosis; drugs started within the
window join it; a line ends at progression or death; adding a new non-maintenance drug
after the window starts a new line; maintenance or continuation of part of the regimen
does not).

The rules (docs/rules.md):

0. Roles. Only antineoplastic drugs make lines (OncologyRegimenFinder keeps ATC L01/L02
   ingredients): roles.py gives each exposure its role from an allowlist (antineoplastic.tsv:
   WHO ATC L01/L02 and the listed others; a corticosteroid or leucovorin only when started
   with one of them). A 'supportive' drug (drug_roles.tsv: growth factors, antithyroid
   drugs, antiemetics, ...) or an 'other' one (in neither table: an antiviral, a diuretic, an
   unknown name) is an exposure with its role, no setting and no line, and is left out of
   the rules below; a supportive drug is never blamed for an adverse event.
   So is a drug started for another condition told before the story first names the
   cancer (`_prior_disease`). A complication caused by the cancer is a progression only
   when found after the first treatment (`_without_presenting_complications`).
1. Setting. The first metastasis or recurrence (else, with `progression_marks_onset`, the
   first progression when it follows a surgery) marks the metastatic onset. An exposure the
   text calls adjuvant or neoadjuvant keeps that setting; one the text calls metastatic is
   metastatic; otherwise an exposure that starts before the onset is neoadjuvant when it
   also precedes the first surgery before the onset, adjuvant otherwise. When the story
   records a surgery and never a metastasis, recurrence, stage IV or progression
   (`surgery_without_metastasis_is_curative`), there is no metastatic onset to wait for: the
   resection was curative-intent, treatment after it is adjuvant and treatment before it
   neoadjuvant (NCI Dictionary of Cancer Terms, 'adjuvant therapy': 'additional cancer
   treatment given after the primary treatment to lower the risk that the cancer will come
   back'; the Flatiron LoT rules start line 1 only at the advanced/metastatic diagnosis, so
   treatment of a resected, never-metastatic cancer is no line). Without a surgery, treatment
   is metastatic (a de novo metastatic or unresectable case starts at line 1). A
   haematological cancer (leukaemia, lymphoma, myeloma) has no adjuvant setting: its
   regimens are all lines (`haematological_without_adjuvant`; induction, consolidation and
   maintenance stay one line by rule 3, a relapse opens the next). Non-metastatic
   exposures get no line.
2. Undated exposures take the start of their episode (drugs started together), else of the
   nearest earlier episode of the story, else of the nearest later one; when both sides carry
   a story position (`Provenance.order`), story order decides what precedes what.
3. Lines, over metastatic exposures in time order. An exposure joins the current line when
   it shares an episode with it (started together). Otherwise a progression since the line
   started (dated between the line's start and this start, undated between the two in story
   order, or the text says it was started because of progression) opens the next line,
   whatever the drug: a regimen switched, extended or restarted after progression is a new
   line. Without progression, maintenance (flagged, or of a maintenance drug class such as
   endocrine therapy) and drugs already in the line stay in it, as do drugs started within
   `start_window_days` of the line's start. A new non-maintenance drug after the window starts
   a new line (Merck), unless `new_drug_without_progression_starts_line` is False.
4. A line starts at the earliest start of its drugs and ends at the latest printed stop;
   when its last phase (the members started last) has no printed stop, it ran until the
   progression that closed the line, and the line ends at that progression's date (the gold
   convention: 'end: the printed stop date; where none is printed, the date the line's
   progression was found'). Its PFS event is the first progression after its start and on
   or before the next line's start (a progression found the day the next line starts, or
   shortly before it, closes this line); else an undated progression told before the next
   line; for a line no date places, a dated progression told after it and before the
   next; else, for the last line, death (dated after its start, or undated and told after
   it or in its sentence: 'she died of progressive disease').
5. Assessments belong to the line running when they were made (after its start, up to and
   including the next line's start, the scan that led to the switch); undated ones by story
   order. Best response = best of the line's assessments flagged "best", else of all
   (RECIST 1.1 ordering CR > PR > SD > PD). Adverse events belong to the line running at
   onset that contains the drug named, else by story order. An adverse event blamed on a
   class of therapy ('occurred after chemotherapy') is blamed on the one drug of that class in
   its line; with none or several, the drug stays unknown.

In plain words, with the sources: docs/rules.md (Lines of therapy).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from transform.events import cue_words
from transform.events.clinical import blamed_class
from transform.records import (
    AdverseEvent,
    Assessment,
    CaseEvents,
    CaseInfo,
    ClinicalEvent,
    DrugExposure,
    Line,
)
from transform.timeline.pfs import attach_reported_pfs
from transform.timeline.roles import RoleTable, case_drug_role, drug_roles, shipped_roles
from transform.types import RESPONSES, DatePrecision, PfsEvent, Response, Setting

__all__ = ["DEFAULT_RULES", "CaseLines", "LineRules", "derive_lines"]

REGIMEN_WINDOW_DAYS = 28
"""Drugs started within 28 days of a line's first drug belong to its regimen (Flatiron/Merck)."""

DEFAULT_MAINTENANCE_CLASSES: frozenset[str] = frozenset(
    {
        "endocrine",
        "hormon",
        "aromatase",
        "antiestrogen",
        "anti-estrogen",
        "estrogen receptor",
        "serm",
        "serd",
        "gnrh",
    }
)
"""Lower-case fragments of a drug class that mark maintenance-type therapy (matched as
substrings, since lexicons word classes differently: 'endocrine therapy', 'hormonal agent',
'aromatase inhibitor')."""

THERAPY_CLASSES: dict[str, frozenset[str]] = {
    "chemotherapy": frozenset(
        {
            "alkylating",
            "antimetabolite",
            "anthracycline",
            "platinum",
            "taxane",
            "vinca",
            "topoisomerase",
            "epothilone",
            "microtubule",
            "antitumor antibiotic",
            "cytotoxic",
        }
    ),
    "endocrine": DEFAULT_MAINTENANCE_CLASSES | {"antiandrogen"},
    "immunotherapy": frozenset({"checkpoint", "pd-1", "pd-l1", "ctla-4"}),
}
"""Lower-case fragments of the lexicon's drug classes (transform/mentions/lexicon/classes.tsv) that
each class word of the text covers: cytotoxic chemotherapy by mechanism (DrugBank
categories), endocrine therapy, immune checkpoint inhibitors."""

ONSET_KINDS = ("metastasis", "recurrence")
HAEMATOLOGICAL_HISTOLOGY: tuple[str, ...] = (
    "leukemia",
    "leukaemia",
    "lymphoma",
    "myeloma",
    "myelodysplastic",
    "all",
    "aml",
    "apl",
    "cll",
    "cml",
    "dlbcl",
    "mcl",
    "nhl",
    "mds",
    "amyloidosis",
    "polycythemia",
    "polycythaemia",
    "thrombocythemia",
    "thrombocythaemia",
    "myelofibrosis",
    "myeloproliferative",
    "histiocytosis",
    "erdheim",
    "macroglobulin",
    "pv",
    "et",
    "pmf",
    "mpn",
    "ecd",
    "lch",
    "wm",
)
"""Lower-case fragments of a histology that names a haematological cancer (rule 1), and of
the neoplasms haematologists treat like one (AL amyloidosis, myeloproliferative neoplasms,
histiocytoses: caseinfo.neoplasm_name)."""
NON_METASTATIC_HINTS: tuple[Setting, ...] = ("adjuvant", "neoadjuvant")


@dataclass(frozen=True)
class LineRules:
    """The parameters of the line rules (module docstring)."""

    start_window_days: int = REGIMEN_WINDOW_DAYS
    maintenance_classes: frozenset[str] = DEFAULT_MAINTENANCE_CLASSES
    new_drug_without_progression_starts_line: bool = True
    """Merck: a new non-maintenance drug after the window opens a line even without progression."""
    progression_marks_onset: bool = True
    """With no metastasis/recurrence event, a first progression after a surgery marks the onset."""
    surgery_without_metastasis_is_curative: bool = True
    """With a surgery and no metastasis, recurrence or progression ever recorded, treatment
    after the surgery is adjuvant (before it neoadjuvant), not line 1 (rule 1)."""
    drug_roles: RoleTable | None = None
    """The antineoplastic allowlist and the supportive/conditional drugs (roles.py; None: the
    shipped antineoplastic.tsv and drug_roles.tsv). Only an antineoplastic exposure opens,
    splits or joins a line; any other keeps no setting and no line (rule 0)."""
    haematological_without_adjuvant: bool = True
    """A haematological cancer has no adjuvant setting: every systemic regimen is a line, its
    induction, consolidation and maintenance one line, a relapse opens the next (rule 1)."""
    resumed_drug_stays_in_line: bool = True
    """A drug held (for toxicity) and given again without progression in between stays in
    its line: it is already one of the line's drugs (rule 3)."""


DEFAULT_RULES = LineRules()


@dataclass(frozen=True)
class CaseLines:
    """One patient's lines, with exposures, assessments and adverse events tied to them."""

    case_id: int
    lines: tuple[Line, ...] = ()
    exposures: tuple[DrugExposure, ...] = ()
    """Same order as the input; setting and line_no filled."""
    assessments: tuple[Assessment, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    onset_date: date | None = None
    """The metastatic onset's date (rule 1): when the disease became advanced, the point line
    1 starts after; None when it is undated or there is none (cases.advanced_onset_date)."""
    onset_precision: DatePrecision | None = None


# --- positions in time and in the story ---------------------------------------------------


@dataclass(frozen=True)
class _Marker:
    """A point of the story: its date if printed, and its sentence position."""

    when: date | None
    order: int
    precision: DatePrecision | None = None


@dataclass(frozen=True)
class _Placed:
    """An exposure with the start used to place it (its own, or inherited)."""

    index: int
    exposure: DrugExposure
    when: date | None

    @property
    def dated(self) -> bool:
        return self.exposure.start_date is not None

    @property
    def order(self) -> int:
        return self.exposure.prov.order


def _story_precedes(a_order: int, b_order: int) -> bool | None:
    """a before b in reading order, when both positions are known (0 means unknown)."""
    if a_order > 0 and b_order > 0:
        return a_order < b_order
    return None


def _precedes(item: _Placed, marker: _Marker) -> bool | None:
    """Does the exposure start before the marker? Own dates first, then story, then inherited."""
    if item.dated and marker.when is not None:
        return item.when is not None and item.when < marker.when
    by_story = _story_precedes(item.order, marker.order)
    if by_story is not None:
        return by_story
    if item.when is not None and marker.when is not None:
        return item.when < marker.when
    return None


def _place(exposures: Sequence[DrugExposure]) -> tuple[_Placed, ...]:
    """Give every exposure a start: its own, its episode's, or a neighbouring episode's."""
    episode_start: dict[int, date] = {}
    for exp in exposures:
        if exp.start_date is not None:
            known = episode_start.get(exp.episode)
            if known is None or exp.start_date < known:
                episode_start[exp.episode] = exp.start_date
    episodes = sorted(episode_start)
    placed: list[_Placed] = []
    for index, exp in enumerate(exposures):
        when = exp.start_date or episode_start.get(exp.episode)
        if when is None and episodes:
            earlier = [e for e in episodes if e < exp.episode]
            later = [e for e in episodes if e > exp.episode]
            neighbour = earlier[-1] if earlier else later[0]
            when = episode_start[neighbour]
        placed.append(_Placed(index=index, exposure=exp, when=when))
    return tuple(placed)


def _first_marker(events: Iterable[ClinicalEvent]) -> _Marker | None:
    """The earliest of the events: by date among dated ones, else the first told."""
    events = tuple(events)
    dated = [e for e in events if e.event_date is not None]
    if dated:
        first = min(dated, key=lambda e: (e.event_date, e.prov.order))
        return _Marker(first.event_date, first.prov.order, first.precision)
    if events:
        first = min(events, key=lambda e: e.prov.order)
        return _Marker(None, first.prov.order, first.precision)
    return None


def _onset_marker(events: Sequence[ClinicalEvent]) -> _Marker | None:
    """The first metastasis or recurrence: by date, unless an undated one is told before it.

    Case reports tell the story in order, so 'The diagnosis was stage IV gastric
    adenocarcinoma' told before the first dated metastasis is the earlier onset (de novo
    advanced disease: treatment after it is line 1, never adjuvant).
    """
    marker = _first_marker(events)
    if marker is None or marker.when is None:
        return marker
    undated = [e for e in events if e.event_date is None and 0 < e.prov.order < marker.order]
    if undated:
        first = min(undated, key=lambda e: e.prov.order)
        return _Marker(None, first.prov.order, first.precision)
    return marker


def _onset(case: CaseEvents, rules: LineRules) -> _Marker | None:
    """The metastatic onset; a first progression stands in only after a recorded surgery.

    Without surgery there is no adjuvant setting to leave, and in a de novo metastatic case
    the first progression comes after line 1, which it must not turn adjuvant.
    """
    marker = _onset_marker([e for e in case.events if e.kind in ONSET_KINDS])
    if not rules.progression_marks_onset:
        return marker
    first_progression = _first_marker(e for e in case.events if e.kind == "progression")
    surgery = _first_marker(e for e in case.events if e.kind == "surgery")
    if first_progression is None or surgery is None:
        return marker
    if (
        surgery.when is not None
        and first_progression.when is not None
        and surgery.when != first_progression.when  # 'in 2010' twice: the story orders them
    ):
        after_surgery = surgery.when < first_progression.when
    else:
        after_surgery = _story_precedes(surgery.order, first_progression.order) is True
    if not after_surgery:
        return marker
    # 'Restaging scans revealed a new mass' after the resection, before the metastasis is
    # named: the new lesion is the recurrence (RECIST 1.1: a new lesion is progression).
    return first_progression if marker is None else _earlier(first_progression, marker)


def _earlier(a: _Marker, b: _Marker) -> _Marker:
    """The marker that comes first: by printed dates when both have one, else by the story."""
    if a.when is not None and b.when is not None and a.when != b.when:
        return a if a.when < b.when else b
    by_story = _story_precedes(a.order, b.order)
    if by_story is not None:
        return a if by_story else b
    return b


def _primary_surgery(case: CaseEvents, onset: _Marker | None) -> _Marker | None:
    """The first surgery before the metastatic onset (what 'neoadjuvant' precedes)."""
    surgeries = [e for e in case.events if e.kind == "surgery"]
    if onset is not None and onset.when is not None:
        surgeries = [e for e in surgeries if e.event_date is None or e.event_date < onset.when]
    return _first_marker(surgeries)


def _is_haematological(case: CaseEvents) -> bool:
    histology = (case.info.histology or "").lower()
    words = set(histology.replace("-", " ").split())
    return any(f in words or (len(f) > 3 and f in histology) for f in HAEMATOLOGICAL_HISTOLOGY)


def _prior_disease(item: _Placed, info: CaseInfo) -> bool:
    """Rule 0: a drug started before the story first names the report's cancer, after it told
    the diagnosis or history of another condition (hydroxyurea for essential thrombocythemia
    years before a leukaemia; methotrexate for arthritis before a lymphoma), treats that
    condition: it opens no line of this cancer and has no setting. Story order decides
    (caseinfo.story_points); Flatiron LoT rules: a line starts with the first eligible drug
    after the diagnosis of the cancer.

    A drug the text gives a cancer setting ('neoadjuvant', 'first-line') or calls
    chemotherapy is the cancer's, whatever the story order."""
    order = item.order
    if not 0 < info.other_condition_order <= order < info.cancer_order:
        return False
    exposure = item.exposure
    return exposure.setting_hint is None and not cue_words.has(
        "therapy_class", exposure.prov.sentence
    )


COMPLICATION_CUE = "event.progression.complication"
"""The progression cue of a complication the cancer caused ('stenosis due to the tumour')."""


def _is_complication(event: ClinicalEvent) -> bool:
    if event.kind != "progression" or not event.detail:
        return False
    return any(h.cue_id == COMPLICATION_CUE for h in cue_words.find("progression", event.detail))


def _presenting(event: ClinicalEvent, first_treatment: _Marker | None) -> bool:
    """Told (or dated) before the first surgery or drug: the complication the cancer
    presented with, not a growth found on treatment."""
    if first_treatment is None:
        return True
    if event.event_date is not None and first_treatment.when is not None:
        return event.event_date < first_treatment.when
    if event.prov.order > 0 and first_treatment.order > 0:
        return event.prov.order <= first_treatment.order
    return True


def _without_presenting_complications(
    case: CaseEvents, treated: Sequence[DrugExposure]
) -> CaseEvents:
    """Rule 3: a complication caused by the cancer ('obstruction caused by tumour regrowth',
    'stenosis due to gastric cancer') found while or after it is treated is the first
    documented growth, a progression (RECIST 1.1, 4.3.3: unequivocal progression of
    non-target disease); one the patient presented with, before any treatment, is not."""
    starts = [_Marker(e.event_date, e.prov.order) for e in case.events if e.kind == "surgery"] + [
        _Marker(x.start_date, x.prov.order) for x in treated
    ]
    ordered = [m for m in starts if m.order > 0]
    first = min(ordered, key=lambda m: m.order) if ordered else None
    kept = tuple(e for e in case.events if not (_is_complication(e) and _presenting(e, first)))
    return dataclasses.replace(case, events=kept) if len(kept) != len(case.events) else case


def _never_metastatic(case: CaseEvents) -> bool:
    """No metastasis, recurrence, stage IV or progression anywhere in the story."""
    return not any(e.kind in (*ONSET_KINDS, "progression") for e in case.events)


def _setting(
    item: _Placed,
    onset: _Marker | None,
    surgery: _Marker | None,
    curative: bool = False,
    haematological: bool = False,
) -> Setting:
    """Rule 1. `curative`: a surgery and no sign of metastatic disease ever (no onset).

    A haematological cancer has no adjuvant or neoadjuvant setting (no curative surgery to
    be adjuvant to: NCCN ALL/AML guidelines, induction-consolidation-maintenance is one
    planned treatment), so a word like 'induction ... before transplantation' read as
    neoadjuvant does not hold there."""
    hint = item.exposure.setting_hint
    if haematological and hint in NON_METASTATIC_HINTS:
        hint = None
    if hint is not None:
        return hint
    if onset is None:
        if curative and surgery is not None:
            return "neoadjuvant" if _precedes(item, surgery) is True else "adjuvant"
        return "metastatic"
    if _precedes(item, onset) is not True:
        return "metastatic"
    if surgery is not None and _precedes(item, surgery) is True:
        return "neoadjuvant"
    return "adjuvant"


# --- grouping exposures into lines --------------------------------------------------------


@dataclass
class _Group:
    """A line being built (mutable while grouping; turned into a frozen Line after)."""

    members: list[_Placed] = field(default_factory=list)

    @property
    def opener(self) -> _Placed:
        return self.members[0]

    @property
    def when(self) -> date | None:
        return self.opener.when

    @property
    def order(self) -> int:
        orders = [m.order for m in self.members if m.order > 0]
        return min(orders) if orders else 0

    @property
    def own_start(self) -> date | None:
        dates = [m.exposure.start_date for m in self.members if m.exposure.start_date]
        return min(dates) if dates else None

    def has_episode(self, episode: int) -> bool:
        return any(m.exposure.episode == episode for m in self.members)

    def has_drug(self, drug: str) -> bool:
        return any(m.exposure.drug == drug for m in self.members)


def _is_maintenance(exp: DrugExposure, rules: LineRules) -> bool:
    if exp.maintenance:
        return True
    drug_class = (exp.drug_class or "").lower()
    return any(fragment in drug_class for fragment in rules.maintenance_classes)


def _progression_between(group: _Group, item: _Placed, prog: _Marker) -> bool:
    """Is `prog` after the line's start and on or before this exposure's start?

    Printed dates decide when both sides have them; else story order; else inherited dates.
    """
    if prog.when is not None and item.dated and group.when is not None:
        return group.when < prog.when <= (item.when or prog.when)
    if group.order > 0 and item.order > 0 and prog.order > 0:
        return group.order < prog.order <= item.order
    if prog.when is not None and group.when is not None and item.when is not None:
        return group.when < prog.when <= item.when
    return False


def _progressed_since(group: _Group, item: _Placed, progressions: Sequence[_Marker]) -> bool:
    """Was progression found after the line started and before (or when) this drug started?"""
    if item.exposure.after_progression:
        return True
    return any(_progression_between(group, item, prog) for prog in progressions)


def _within_window(group: _Group, item: _Placed, rules: LineRules) -> bool:
    start = group.own_start
    if start is None or item.exposure.start_date is None:
        return False
    return 0 <= (item.exposure.start_date - start).days <= rules.start_window_days


def _joins(group: _Group, item: _Placed, progressions: Sequence[_Marker], rules: LineRules) -> bool:
    """The line rule (module docstring, rule 3) for one exposure against the current line."""
    if group.has_episode(item.exposure.episode):
        return True
    if _progressed_since(group, item, progressions):
        return False
    if _is_maintenance(item.exposure, rules):
        return True
    if rules.resumed_drug_stays_in_line and group.has_drug(item.exposure.drug):
        return True
    if _within_window(group, item, rules):
        return True
    return not rules.new_drug_without_progression_starts_line


def _time_key(item: _Placed) -> tuple[bool, date, int, int, int]:
    return (item.when is None, item.when or date.min, item.exposure.episode, item.order, item.index)


def _group(
    metastatic: Sequence[_Placed], progressions: Sequence[_Marker], rules: LineRules
) -> list[_Group]:
    groups: list[_Group] = []
    for item in sorted(metastatic, key=_time_key):
        if groups and _joins(groups[-1], item, progressions, rules):
            groups[-1].members.append(item)
        else:
            groups.append(_Group(members=[item]))
    return groups


# --- the PFS event of each line --------------------------------------------------------------


@dataclass(frozen=True)
class _Closing:
    event: PfsEvent | None = None
    when: date | None = None
    precision: DatePrecision | None = None


def _after_start(group: _Group, prog: _Marker) -> bool:
    """A dated progression after the line began: after its own printed start, else (a line
    dated only by inheritance from the line before) told after its first sentence."""
    if prog.when is None:
        return False
    if group.own_start is not None:
        return group.own_start < prog.when
    if group.order > 0 and prog.order > 0:
        return group.order < prog.order
    return group.when is not None and group.when < prog.when


def _before_next(following: _Group | None, prog: _Marker) -> bool:
    """A dated progression before the next line began: by its printed start, else by the
    story (a progression told before, or in, the sentence that starts it ended this line)."""
    if prog.when is None:
        return False
    if following is None:
        return True
    if following.own_start is not None:
        return prog.when <= following.own_start
    if following.order > 0 and prog.order > 0:
        return prog.order <= following.order
    return following.when is None or prog.when <= following.when


def _closing(
    group: _Group,
    following: _Group | None,
    progressions: Sequence[_Marker],
    death: _Marker | None,
) -> _Closing:
    """The event that ends the line's PFS (module docstring, rule 4)."""
    lo = group.when
    if lo is not None:
        dated = [
            p
            for p in progressions
            if p.when is not None and _after_start(group, p) and _before_next(following, p)
        ]
        if dated:
            first = min(dated, key=lambda p: (p.when, p.order))
            return _Closing("progression", first.when, first.precision)
    hi_order = following.order if following is not None else None

    def told_between(p: _Marker) -> bool:
        return group.order < p.order and (hi_order is None or hi_order == 0 or p.order <= hi_order)

    undated = [p for p in progressions if p.when is None and p.order > 0]
    if group.order > 0 and any(told_between(p) for p in undated):
        return _Closing("progression")
    if lo is None and group.order > 0:
        # a line no date places: a dated progression told after it and before the next
        # line is the one that closed it ('he relapsed in May 2015')
        told = [p for p in progressions if p.when is not None and told_between(p)]
        if told:
            first = min(told, key=lambda p: p.order)
            return _Closing("progression", first.when, first.precision)
    if following is not None:
        if any(m.exposure.after_progression for m in following.members):
            return _Closing("progression")
        return _Closing()
    if death is not None and death.when is not None and (lo is None or death.when > lo):
        return _Closing("death", death.when, death.precision)
    if death is not None and death.when is None and 0 < group.order <= death.order:
        # 'she died of progressive disease 8 months after surgery'; told in the sentence that
        # names the line's drugs ('despite X and Y, he died at home'), it still follows them
        return _Closing("death")
    return _Closing()


def _death(case: CaseEvents) -> _Marker | None:
    candidates: list[_Marker] = []
    if case.info.death_date is not None:
        order = case.info.prov.order if case.info.prov is not None else 0
        candidates.append(_Marker(case.info.death_date, order, case.info.death_precision))
    event = _first_marker(e for e in case.events if e.kind == "death")
    if event is not None and event.when is not None:
        candidates.append(event)
    if not candidates:
        return event  # told without a date: closes the last line by story order
    return min(candidates, key=lambda m: m.when or date.max)


# --- turning groups into lines -----------------------------------------------------------


def _regimen_label(group: _Group) -> str:
    """The regimen as printed, episode by episode: 'GP, then gemcitabine, then letrozole'."""
    labels: list[str] = []
    seen_episodes: list[int] = []
    for member in group.members:
        if member.exposure.episode in seen_episodes:
            continue
        seen_episodes.append(member.exposure.episode)
        same = [m.exposure for m in group.members if m.exposure.episode == member.exposure.episode]
        label = same[0].regimen or " + ".join(dict.fromkeys(e.drug_as_printed for e in same))
        if label not in labels:
            labels.append(label)
    return ", then ".join(labels)


def _last_phase(group: _Group) -> list[_Placed]:
    """The members started last: the phase the line was in when it ended."""
    dated = [m for m in group.members if m.when is not None]
    if not dated:
        return list(group.members)
    latest = max(m.when or date.min for m in dated)
    return [m for m in dated if m.when == latest]


def _line_end(group: _Group, closing: _Closing) -> tuple[date | None, DatePrecision | None]:
    """Rule 4: the latest printed stop, unless the last phase has none and a dated progression
    closed the line ('letrozole from June 11, 2014' ... 'PD on April 16, 2015')."""
    ends = [m.exposure for m in group.members if m.exposure.end_date is not None]
    progressed = closing.event == "progression" and closing.when is not None
    open_ended = any(m.exposure.end_date is None for m in _last_phase(group))
    if ends and not (open_ended and progressed):
        last = max(ends, key=lambda e: e.end_date or date.min)
        return last.end_date, last.end_precision
    if progressed:
        latest = max((e.end_date for e in ends if e.end_date), default=None)
        if latest is None or closing.when is None or closing.when >= latest:
            return closing.when, closing.precision
        last = max(ends, key=lambda e: e.end_date or date.min)
        return last.end_date, last.end_precision
    return None, None


def _make_line(case_id: int, line_no: int, group: _Group, closing: _Closing) -> Line:
    dated = [m.exposure for m in group.members if m.exposure.start_date is not None]
    first = min(dated, key=lambda e: e.start_date or date.max) if dated else None
    end_date, end_precision = _line_end(group, closing)
    return Line(
        case_id=case_id,
        line_no=line_no,
        drugs=tuple(sorted({m.exposure.drug for m in group.members})),
        start_date=first.start_date if first else None,
        start_precision=first.start_precision if first else None,
        prov=group.opener.exposure.prov,
        regimen=_regimen_label(group),
        end_date=end_date,
        end_precision=end_precision,
        pfs_event=closing.event,
        pfs_event_date=closing.when,
    )


# --- tying assessments and adverse events to lines ----------------------------------------


@dataclass(frozen=True)
class _Span:
    """Where a line sits in time and in the story, to tie other facts to it."""

    line_no: int
    when: date | None
    order: int
    drugs: frozenset[str]
    classes: tuple[tuple[str, str], ...] = ()
    """(drug, lower-case drug class) of its drugs."""


def _of_class(span: _Span, therapy: str) -> set[str]:
    fragments = THERAPY_CLASSES.get(therapy, frozenset())
    return {drug for drug, cls in span.classes if any(f in cls for f in fragments)}


def _blame(spans: Sequence[_Span], ae: AdverseEvent) -> AdverseEvent:
    """Rule 5: 'after chemotherapy' names the line's one chemotherapy drug, if it has one."""
    if ae.drug is not None or ae.line_no is None:
        return ae
    therapy = blamed_class(ae.prov.sentence, ae.prov.char_start)
    span = next((s for s in spans if s.line_no == ae.line_no), None)
    if therapy is None or span is None:
        return ae
    drugs = _of_class(span, therapy)
    return dataclasses.replace(ae, drug=drugs.pop()) if len(drugs) == 1 else ae


def _line_by_date(spans: Sequence[_Span], day: date, *, includes_next_start: bool) -> int | None:
    """The line running on `day`; a scan on the day the next line starts belongs to the old one."""
    found: int | None = None
    for span in spans:
        if span.when is None:
            continue
        started = span.when < day if includes_next_start else span.when <= day
        if started:
            found = span.line_no
    return found


def _line_by_story(spans: Sequence[_Span], order: int, *, strict: bool) -> int | None:
    """The line whose first sentence comes last before the fact's sentence."""
    if order <= 0:
        return None
    best: _Span | None = None
    for span in spans:
        if span.order <= 0:
            continue
        before = span.order < order if strict else span.order <= order
        if before and (best is None or span.order > best.order):
            best = span
    return best.line_no if best is not None else None


def _assessment_line(spans: Sequence[_Span], assessment: Assessment) -> int | None:
    if assessment.assessed_on is not None:
        by_date = _line_by_date(spans, assessment.assessed_on, includes_next_start=True)
        told_after = [
            s
            for s in spans
            if s.when == assessment.assessed_on and 0 < s.order < assessment.prov.order
        ]
        if told_after or (by_date is None and any(s.when == assessment.assessed_on for s in spans)):
            # the date of a line's start ('in 2010' for both): told after the line's first
            # sentence, it is a response to that line, not its baseline
            return _line_by_story(spans, assessment.prov.order, strict=True)
        if by_date is not None or any(s.when is not None for s in spans):
            return by_date
        # no line is dated: the story order places it, as for an undated assessment
    # A progression told in the sentence that starts the next line is what ended this one.
    return _line_by_story(spans, assessment.prov.order, strict=assessment.response == "PD")


def _adverse_event_line(spans: Sequence[_Span], ae: AdverseEvent) -> int | None:
    with_drug = [s for s in spans if ae.drug is not None and ae.drug in s.drugs]
    pool = with_drug or list(spans)
    if ae.onset_date is not None:
        line_no = _line_by_date(pool, ae.onset_date, includes_next_start=False)
        if line_no is not None:
            return line_no
    if len(with_drug) == 1:
        return with_drug[0].line_no
    return _line_by_story(pool, ae.prov.order, strict=False)


def _best_response(assessments: Iterable[Assessment]) -> Response | None:
    """RECIST 1.1 best overall response: CR > PR > SD > PD; 'best' statements first."""
    assessments = tuple(assessments)
    flagged = [a for a in assessments if a.best]
    pool = flagged or list(assessments)
    if not pool:
        return None
    return min((a.response for a in pool), key=RESPONSES.index)


# --- entry point -----------------------------------------------------------------------------


def _progressions(case: CaseEvents, haematological: bool = False) -> tuple[_Marker, ...]:
    """Progression events, and relapses: in a haematological cancer a relapse ends the line's
    remission (the event of its PFS, and what opens the next line); in a solid tumour a
    recurrence found while a line runs ('local recurrence at the anastomosis') is its
    progression (RECIST 1.1: a new lesion is progression). The rules only look at those
    after a line started, so the recurrence that opened line 1 closes nothing. 'Recurrent'
    as an adjective ('recurrent vomiting') is no relapse of a solid tumour."""
    return tuple(
        _Marker(e.event_date, e.prov.order, e.precision)
        for e in case.events
        if e.kind == "progression"
        or (e.kind == "recurrence" and (haematological or not _adjective(e)))
    )


def _adjective(event: ClinicalEvent) -> bool:
    return (event.detail or "").lower().startswith("recurrent")


def _not_blamed_on_supportive(
    ae: AdverseEvent, exposures: Sequence[DrugExposure], table: RoleTable
) -> AdverseEvent:
    """A supportive drug named beside an adverse event treats it ('neutropenia ... managed
    with G-CSF'), it did not cause it (rule 0): the drug blamed stays unknown. Supportive by
    the roles of the case's exposures of that drug (a steroid given alone as premedication),
    else by the tables."""
    if ae.drug is not None and case_drug_role(ae.drug, exposures, table) in (
        "supportive",
        "conditional",
    ):
        return dataclasses.replace(ae, drug=None)
    return ae


def derive_lines(case: CaseEvents, rules: LineRules = DEFAULT_RULES) -> CaseLines:
    """Lines of therapy of one patient, with PFS events and the printed PFS attached.

    pfs_months and pfs_consistent stay empty: they need the document's month length
    (`transform.timeline.pfs.apply_pfs`).
    """
    case_id = case.info.case_id
    placed = _place(case.exposures)
    table = rules.drug_roles or shipped_roles()
    roles = drug_roles(case.exposures, table)
    prior = {p.index for p in placed if _prior_disease(p, case.info)}
    treated = [
        p.exposure for p in placed if roles[p.index] == "antineoplastic" and p.index not in prior
    ]
    case = _without_presenting_complications(case, treated)
    haematological = rules.haematological_without_adjuvant and _is_haematological(case)
    onset = None if haematological else _onset(case, rules)
    surgery = None if haematological else _primary_surgery(case, onset)
    curative = (
        rules.surgery_without_metastasis_is_curative
        and _never_metastatic(case)
        and not haematological
    )
    settings: dict[int, Setting | None] = {
        p.index: None
        if roles[p.index] != "antineoplastic" or p.index in prior
        else _setting(p, onset, surgery, curative, haematological)
        for p in placed
    }
    progressions = _progressions(case, haematological)
    groups = _group([p for p in placed if settings[p.index] == "metastatic"], progressions, rules)
    death = _death(case)

    line_of: dict[int, int] = {}
    lines: list[Line] = []
    for number, group in enumerate(groups, start=1):
        following = groups[number] if number < len(groups) else None
        closing = _closing(group, following, progressions, death)
        lines.append(_make_line(case_id, number, group, closing))
        for member in group.members:
            line_of[member.index] = number

    exposures = tuple(
        dataclasses.replace(
            p.exposure,
            setting=settings[p.index],
            line_no=line_of.get(p.index),
            role=roles[p.index],
        )
        for p in placed
    )
    spans = [
        _Span(
            n,
            g.when,
            g.order,
            frozenset(m.exposure.drug for m in g.members),
            tuple(
                sorted(
                    {(m.exposure.drug, (m.exposure.drug_class or "").lower()) for m in g.members}
                )
            ),
        )
        for n, g in enumerate(groups, start=1)
    ]
    assessments = tuple(
        dataclasses.replace(a, line_no=_assessment_line(spans, a)) for a in case.assessments
    )
    adverse_events = tuple(
        _blame(spans, dataclasses.replace(ae, line_no=_adverse_event_line(spans, ae)))
        for ae in (_not_blamed_on_supportive(ae, exposures, table) for ae in case.adverse_events)
    )
    lines = [
        dataclasses.replace(
            line, best_response=_best_response(a for a in assessments if a.line_no == line.line_no)
        )
        for line in lines
    ]
    return CaseLines(
        case_id=case_id,
        lines=attach_reported_pfs(lines, case.reported_pfs),
        exposures=exposures,
        assessments=assessments,
        adverse_events=adverse_events,
        onset_date=onset.when if onset is not None else None,
        onset_precision=onset.precision if onset is not None and onset.when else None,
    )
