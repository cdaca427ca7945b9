"""Kaplan-Meier curves of PFS by line (1, 2, 3+) or by drug class, fitted by lifelines.

The rows are the `pfs_survival` view's (docs/rules.md, "PFS censoring"). Grouping is a pure
function of the rows; the estimates (survival, median, its 95% confidence interval, numbers
at risk) are lifelines' own, so a curve here is the curve anyone fitting the same rows with
lifelines gets. Like the swimmer plots, the figure is drawn on a `Figure`, never pyplot's
global state, and its SVG is checked before it is inlined.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from report.plot import RC, SVG_METADATA, UNCLASSIFIED, class_colours, short_label
from report.records import SurvivalRow
from report.svg import inline_svg

LATER_LINES_FROM = 3
"""Lines 3, 4, ... share one curve ('3+'): few patients reach them."""
MIN_LINES_PER_CURVE = 3
"""A drug class with fewer usable lines gets no curve: a step or two is no estimate."""
MAX_CLASS_CURVES = 6
"""The most frequent classes only, so the figure stays readable."""
CONFIDENCE = 0.95
CI_ALPHA = 0.12
"""Opacity of the confidence bands, faint enough that overlapping bands stay readable."""
ALPHA = 1 - CONFIDENCE
MEDIAN = 0.5
FIG_SIZE_IN = (9.0, 5.2)
AT_RISK_ROWS = ["At risk"]
AT_RISK_MARGIN = 0.05
"""Room left of time 0, as a fraction of the longest time, so the counts at 0 stand clear of
the curve labels lifelines prints beside them."""
CENSOR_TICK = {"marker": "|", "ms": 9, "mew": 1.2}
LINE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")
X_LABEL = "Months from the start of the line"
Y_LABEL = "Progression-free"
CAVEAT = (
    "Published case reports are a selected cohort, not a representative one: authors report "
    "unusual courses (long responses, rare toxicities, new uses), so these curves describe "
    "the articles, not the patients a treatment would meet."
)
FIGURE_FORMATS = frozenset({".svg", ".png"})
PNG_DPI = 150


class GroupBy(StrEnum):
    """What separates the curves."""

    line = "line"
    drug_class = "drug_class"


@dataclass(frozen=True)
class KmSummary:
    """One curve's numbers, as lifelines computes them (months; None: not reached)."""

    label: str
    n: int
    events: int
    median: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class KmFigure:
    by: GroupBy
    svg: str | None
    """The inline <svg>; None when no group has a line with a PFS time."""
    summaries: tuple[KmSummary, ...]
    notes: tuple[str, ...]
    """What was left out and why."""


class FigureFormatError(ValueError):
    """The output file's extension is not one the figure can be written as."""


def line_group(line_no: int) -> str:
    return f"Line {line_no}" if line_no < LATER_LINES_FROM else f"Line {LATER_LINES_FROM}+"


def usable(rows: Sequence[SurvivalRow]) -> list[SurvivalRow]:
    """The lines with a PFS time: the only ones a curve can hold."""
    return [r for r in rows if r.months is not None]


def groups(rows: Sequence[SurvivalRow], by: GroupBy) -> dict[str, list[SurvivalRow]]:
    """The curves' rows by label. By class, a line is in the group of every class it has (a
    combination counts for each), and a line without a classified drug is 'unclassified';
    classes with fewer than MIN_LINES_PER_CURVE lines, or beyond the MAX_CLASS_CURVES most
    frequent, are dropped."""
    out: dict[str, list[SurvivalRow]] = {}
    if by is GroupBy.line:
        for r in sorted(usable(rows), key=lambda r: r.line_no):
            out.setdefault(line_group(r.line_no), []).append(r)
        return out
    for r in usable(rows):
        for klass in r.drug_classes or (UNCLASSIFIED,):
            out.setdefault(klass, []).append(r)
    ranked = sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    kept = [(k, v) for k, v in ranked if len(v) >= MIN_LINES_PER_CURVE][:MAX_CLASS_CURVES]
    return dict(kept)


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def fit(label: str, rows: Sequence[SurvivalRow]) -> Any:
    """lifelines' KaplanMeierFitter fitted on the rows (months, event)."""
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(label=label, alpha=ALPHA)
    fitter.fit([r.months for r in rows], event_observed=[r.event for r in rows])
    return fitter


def summarise(label: str, rows: Sequence[SurvivalRow], fitter: Any) -> KmSummary:
    """Median and its confidence interval as lifelines gives them; inf (not reached) is None."""
    from lifelines.utils import median_survival_times

    ci = median_survival_times(fitter.confidence_interval_)
    low, high = ci.iloc[0, 0], ci.iloc[0, 1]
    return KmSummary(
        label=label,
        n=len(rows),
        events=sum(r.event for r in rows),
        median=_finite(fitter.median_survival_time_),
        ci_low=_finite(low),
        ci_high=_finite(high),
    )


def _colours(labels: Sequence[str], by: GroupBy) -> dict[str, str]:
    if by is GroupBy.line:
        return dict(zip(labels, LINE_COLOURS, strict=False))
    return class_colours(list(labels))


def km_figure(
    rows: Sequence[SurvivalRow], by: GroupBy, colours: Mapping[str, str] | None = None
) -> tuple[Figure | None, tuple[KmSummary, ...], tuple[str, ...]]:
    """The figure (None without data), each curve's numbers, and notes on what was left out."""
    from lifelines.plotting import add_at_risk_counts

    notes: list[str] = []
    left_out = len(rows) - len(usable(rows))
    if left_out:
        notes.append(
            f"{left_out} line(s) without a PFS time (no start date, an undated event or no "
            "date to censor at) are in no curve."
        )
    grouped = groups(rows, by)
    if by is GroupBy.drug_class:
        notes.append(
            f"A line is counted under each of its drug classes; classes with fewer than "
            f"{MIN_LINES_PER_CURVE} lines are not drawn (at most {MAX_CLASS_CURVES} curves)."
        )
    if not grouped:
        return None, (), tuple(notes)
    palette = {**_colours(list(grouped), by), **(colours or {})}
    summaries: list[KmSummary] = []
    fitters: list[Any] = []
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        fig = Figure(figsize=FIG_SIZE_IN)
        ax = fig.add_subplot()
        for label, members in grouped.items():
            fitter = fit(short_label(label, 30), members)
            fitter.plot_survival_function(
                ax=ax,
                ci_show=True,
                ci_alpha=CI_ALPHA,
                show_censors=True,
                censor_styles=CENSOR_TICK,
                color=palette.get(label),
            )
            fitters.append(fitter)
            summaries.append(summarise(label, members, fitter))
        ax.set_xlabel(X_LABEL)
        ax.set_ylabel(Y_LABEL)
        ax.set_ylim(0, 1.05)
        longest = max(r.months or 0.0 for members in grouped.values() for r in members)
        ax.set_xlim(left=-longest * AT_RISK_MARGIN)
        ax.grid(color="#e0e0e0", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        add_at_risk_counts(*fitters, ax=ax, fig=fig, rows_to_show=AT_RISK_ROWS)
        fig.tight_layout()
    return fig, tuple(summaries), tuple(notes)


def km_svg(
    rows: Sequence[SurvivalRow], by: GroupBy, colours: Mapping[str, str] | None = None
) -> KmFigure:
    """The curves as inline SVG for the report."""
    fig, summaries, notes = km_figure(rows, by, colours)
    if fig is None:
        return KmFigure(by, None, summaries, notes)
    buffer = io.StringIO()
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return KmFigure(by, inline_svg(buffer.getvalue(), f"km-{by.value}-"), summaries, notes)


def write_km(
    rows: Sequence[SurvivalRow], by: GroupBy, out: Path
) -> tuple[tuple[KmSummary, ...], tuple[str, ...]]:
    """Write the figure to `out` (.svg or .png); raise FigureFormatError for another suffix
    and ValueError when no line has a PFS time (nothing is written then)."""
    suffix = out.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        raise FigureFormatError(
            f"{out}: the figure is written as .svg or .png, not {suffix or 'no extension'}"
        )
    fig, summaries, notes = km_figure(rows, by)
    if fig is None:
        raise ValueError("no line of therapy in the warehouse has a PFS time: nothing to plot")
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        if suffix == ".svg":
            fig.savefig(out, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
        else:
            fig.savefig(out, format="png", bbox_inches="tight", dpi=PNG_DPI)
    return summaries, notes
