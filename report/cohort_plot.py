"""The combined swimmer plot: one bar per patient, aligned at the start of line 1.

Each line of therapy is a segment of the patient's bar, from its start to the end of its
PFS (the progression or death), else to its censoring date (docs/rules.md, PFS censoring),
coloured by the line's first drug class. Responses, progressions and deaths are the markers
of the per-case plots (report/plot.py). Patients whose line 1 has no start date cannot be
aligned and are listed in a note instead.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from report.plot import (
    DEATH_MARKER,
    PROGRESSION_MARKER,
    RC,
    RESPONSE_MARKERS,
    SVG_METADATA,
    UNCLASSIFIED,
    UNCLASSIFIED_COLOUR,
    SwimmerPlot,
    short_label,
)
from report.records import AssessmentRow, CaseRow, PatientLineRow
from report.svg import inline_svg

MONTH_DAYS = 365.25 / 12
"""The mean Gregorian month: patients from documents with different month lengths share
one axis."""
STUB_MONTHS = 0.4
"""Width of a line whose end is unknown: a stub, so it is still seen."""
FIG_WIDTH_IN = 11.0
FIG_BASE_HEIGHT_IN = 1.8
ROW_HEIGHT_IN = 0.32
BAR_HEIGHT = 0.6
LABEL_CHARS = 34
LEGEND_COLUMNS = 4
X_LABEL = "Months from the start of line 1"
ID_PREFIX = "sw-"
"""Before every id of the figure: the index holds several (report/svg.py:prefix_ids)."""

PatientKey = tuple[str, int]


@dataclass(frozen=True)
class _Segment:
    line: PatientLineRow
    start: float
    end: float
    known_end: bool


def months_between(start: date, day: date) -> float:
    return (day - start).days / MONTH_DAYS


def _line_end(line: PatientLineRow) -> date | None:
    if line.pfs_event is not None:
        return line.pfs_event_date or line.end_date
    return line.censored_on or line.end_date


def segments(lines: Sequence[PatientLineRow], t0: date) -> list[_Segment]:
    """The patient's dated lines as (start, end) months since `t0`."""
    out = []
    for line in sorted(lines, key=lambda x: x.line_no):
        if line.start_date is None:
            continue
        start = months_between(t0, line.start_date)
        end_day = _line_end(line)
        end = months_between(t0, end_day) if end_day else None
        known = end is not None and end > start
        out.append(_Segment(line, start, end if known and end else start + STUB_MONTHS, known))
    return out


def _by_patient(lines: Sequence[PatientLineRow]) -> dict[PatientKey, list[PatientLineRow]]:
    out: dict[PatientKey, list[PatientLineRow]] = {}
    for line in lines:
        out.setdefault((line.doc_id, line.case_id), []).append(line)
    return out


def patient_label(line: PatientLineRow) -> str:
    return f"{short_label(line.title or line.doc_id[:12], LABEL_CHARS)} · case {line.case_id}"


def cohort_swimmer_svg(
    lines: Sequence[PatientLineRow],
    assessments: Sequence[AssessmentRow],
    cases: Sequence[CaseRow],
    class_colours: Mapping[str, str],
) -> SwimmerPlot:
    """One bar per patient (ids `pt-K` for the K-th bar from the top, `pt-K-line-N`)."""
    notes: list[str] = []
    rows: list[tuple[PatientKey, date, list[_Segment]]] = []
    for key, own in _by_patient(lines).items():
        first = next((x for x in own if x.line_no == 1), None)
        if first is None or first.start_date is None:
            notes.append(f"{patient_label(own[0])}: line 1 has no start date, not drawn.")
            continue
        rows.append((key, first.start_date, segments(own, first.start_date)))
    if not rows:
        return SwimmerPlot(None, tuple(notes))
    rows.sort(key=lambda r: (-max(s.end for s in r[2]), r[0]))
    deaths = {(c.doc_id, c.case_id): c.death_date for c in cases if c.death_date}

    with mpl.rc_context(RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(FIG_WIDTH_IN, FIG_BASE_HEIGHT_IN + ROW_HEIGHT_IN * len(rows)))
        ax = fig.add_subplot()
        used_classes: dict[str, None] = {}
        used_markers: set[str] = set()
        for y, (key, t0, segs) in enumerate(rows):
            pid = f"pt-{y + 1}"
            for s in segs:
                klass = s.line.drug_classes[0] if s.line.drug_classes else UNCLASSIFIED
                used_classes.setdefault(klass, None)
                ax.add_patch(
                    Rectangle(
                        (s.start, y - BAR_HEIGHT / 2),
                        s.end - s.start,
                        BAR_HEIGHT,
                        facecolor=class_colours.get(klass, UNCLASSIFIED_COLOUR),
                        edgecolor="white",
                        linewidth=1.0,
                        hatch=None if s.known_end else "...",
                        gid=f"{pid}-line-{s.line.line_no}",
                    )
                )
                event_day = s.line.pfs_event_date
                if s.line.pfs_event == "progression" and event_day:
                    marker, colour, size = PROGRESSION_MARKER
                    ax.plot(
                        [months_between(t0, event_day)],
                        [y],
                        marker=marker,
                        color=colour,
                        markersize=size * 0.7,
                        markeredgewidth=2,
                        linestyle="none",
                        zorder=5,
                        gid=f"{pid}-progression-{s.line.line_no}",
                    )
                    used_markers.add("progression")
            for k, a in enumerate(
                a for a in assessments
                if (a.doc_id, a.case_id) == key and a.assessed_on and a.response in RESPONSE_MARKERS
            ):  # fmt: skip
                assert a.assessed_on is not None
                marker, colour, size = RESPONSE_MARKERS[a.response]
                ax.plot(
                    [months_between(t0, a.assessed_on)],
                    [y],
                    marker=marker,
                    color=colour,
                    markersize=size * 0.8,
                    markeredgecolor="white",
                    markeredgewidth=0.5,
                    linestyle="none",
                    zorder=4,
                    gid=f"{pid}-response-{k + 1}-{a.response}",
                )
                used_markers.add(a.response)
            death = deaths.get(key) or next(
                (s.line.pfs_event_date for s in segs if s.line.pfs_event == "death"), None
            )
            if death is not None:
                marker, colour, size = DEATH_MARKER
                ax.plot(
                    [months_between(t0, death)],
                    [y],
                    marker=marker,
                    color=colour,
                    markersize=size * 0.9,
                    linestyle="none",
                    zorder=6,
                    gid=f"{pid}-death",
                )
                used_markers.add("death")
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([patient_label(_first(lines, r[0])) for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.7)
        ax.set_xlim(left=0)
        ax.set_xlabel(X_LABEL)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _legend(ax, list(used_classes), used_markers, class_colours)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return SwimmerPlot(inline_svg(buffer.getvalue(), ID_PREFIX), tuple(notes))


def _first(lines: Sequence[PatientLineRow], key: PatientKey) -> PatientLineRow:
    return next(x for x in lines if (x.doc_id, x.case_id) == key)


def _marker_handle(
    style: tuple[str, str, float], label: str, scale: float = 0.8, edge: float | None = None
) -> Line2D:
    """A legend entry for a scatter marker: (marker, colour, size) drawn at `scale` of its
    plotted size (a legend row is smaller than the plot's markers)."""
    marker, colour, size = style
    return Line2D(
        [],
        [],
        marker=marker,
        color=colour,
        markersize=size * scale,
        linestyle="none",
        label=label,
        markeredgewidth=edge,
    )


def _legend(
    ax: object, classes: Sequence[str], markers: set[str], class_colours: Mapping[str, str]
) -> None:
    handles: list[Patch | Line2D] = [
        Patch(facecolor=class_colours.get(c, UNCLASSIFIED_COLOUR), label=short_label(c, 30))
        for c in classes
    ]
    handles += [
        _marker_handle(style, response)
        for response, style in RESPONSE_MARKERS.items()
        if response in markers
    ]
    if "progression" in markers:
        handles.append(_marker_handle(PROGRESSION_MARKER, "progression", scale=0.5, edge=2))
    if "death" in markers:
        handles.append(_marker_handle(DEATH_MARKER, "death"))
    handles.append(
        Patch(facecolor="white", edgecolor="#999999", hatch="...", label="end not known")
    )
    ax.legend(  # type: ignore[attr-defined]
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=LEGEND_COLUMNS,
        frameon=False,
    )
