"""The reports' charts, drawn by matplotlib as inline SVG (no JavaScript, fine in WeasyPrint).

Each function returns the `<svg>` element as text, ready to be placed in the HTML, or
`None` when there is nothing to draw. Text stays text (`svg.fonttype = none`) so the
charts are searchable and their labels survive into the PDF; a fixed hash salt and no
date make the output repeatable.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from projections.reports.labels import Labels
from projections.reports.models import AnnualReport, NationalReport

BLUE = "#1f5fa6"
LIGHT_BLUE = "#9cc3e6"
GREEN = "#2e7d32"
AMBER = "#e0a100"
RED = "#c62828"
GREY = "#9e9e9e"

#: Narrow enough that on a 390-pixel phone the SVG is barely scaled down, so its
#: 11 pt text stays at least 12 CSS pixels (scaled by 366 / 302 px); 8 pt never is.
CHART_WIDTH_INCHES = 4.2


@contextmanager
def _style() -> Iterator[None]:
    """Our look for every chart, set only while one is drawn (rcParams are process-wide)."""
    with rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "loftesboken",
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
            "font.size": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


def observations_by_theme(report: AnnualReport, labels: Labels) -> str | None:
    """Per theme, side by side: how many observations, and how many mentions (the sum of
    their counts), most mentioned first. Two panels with their own scales, since a few
    observations can carry hundreds of mentions (a survey) and one axis would hide them."""
    # barh draws from the bottom up: ascending order puts the most mentioned theme on top.
    rows = sorted(report.observations_by_theme.items(), key=lambda item: item[1].mentions)
    if not rows:
        return None
    # Long theme names wrap, so the narrow figure keeps room for both panels.
    names = [textwrap.fill(labels.theme(theme), 14) for theme, _ in rows]
    with _style():
        figure = Figure(figsize=(CHART_WIDTH_INCHES, 1.3 + 0.5 * len(rows)), layout="constrained")
        left, right = figure.subplots(1, 2, sharey=True, width_ratios=(1, 1.4))
        panels = (
            (left, [count.observations for _, count in rows], LIGHT_BLUE, "observation_count"),
            (right, [count.mentions for _, count in rows], BLUE, "mentions"),
        )
        for axes, values, colour, label in panels:
            _style_axes(axes)
            bars = axes.barh(names, values, color=colour, height=0.6)
            axes.bar_label(bars, padding=3, fontsize=11)
            axes.set_xlabel(labels(label), fontsize=11)
            axes.margins(x=0.15)  # room for the label of the longest bar
            axes.xaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))  # narrow panels
        right.tick_params(axis="y", labelleft=False)
        return _svg(figure, left, labels("observations"))


def follow_up_punctuality(report: AnnualReport, labels: Labels) -> str | None:
    """One bar per punctuality class: on time, late, overdue, still scheduled."""
    counts = report.follow_ups
    rows = [
        (labels("scheduled"), counts.scheduled, GREY),
        (labels("overdue"), counts.overdue, RED),
        (labels("late"), counts.late, AMBER),
        (labels("on_time"), counts.on_time, GREEN),
    ]
    if not any(value for _, value, _ in rows):
        return None
    with _style():
        figure, axes = _figure(len(rows))
        bars = axes.barh(
            [name for name, _, _ in rows],
            [value for _, value, _ in rows],
            color=[colour for _, _, colour in rows],
            height=0.6,
        )
        axes.bar_label(bars, padding=3, fontsize=11)
        return _svg(figure, axes, labels("follow_ups"))


def coverage_by_region(report: NationalReport, labels: Labels) -> str | None:
    """Stacked horizontal bars per police region: municipalities with and without a promise."""
    rows = list(reversed(report.by_police_region))
    if not rows:
        return None
    with _style():
        figure, axes = _figure(len(rows))
        names = [row.name.removeprefix("Polisregion ") for row in rows]
        covered = [row.covered for row in rows]
        uncovered = [row.total - row.covered for row in rows]
        with_bars = axes.barh(names, covered, color=BLUE, label=labels("chart_covered"))
        without_bars = axes.barh(
            names, uncovered, left=covered, color=LIGHT_BLUE, label=labels("chart_uncovered")
        )
        axes.bar_label(
            with_bars, _nonzero(covered), label_type="center", color="white", fontsize=11
        )
        axes.bar_label(without_bars, _nonzero(uncovered), label_type="center", fontsize=11)
        figure.legend(loc="outside upper center", ncols=2, frameon=False)
        return _svg(figure, axes, labels("by_police_region"))


def _nonzero(values: list[int]) -> list[str]:
    """Bar labels that leave a bar of zero unlabelled (it has no width to hold one)."""
    return [str(value) if value else "" for value in values]


def _figure(rows: int) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(CHART_WIDTH_INCHES, 1.0 + 0.42 * rows), layout="constrained")
    axes = figure.add_subplot()
    _style_axes(axes)
    return figure, axes


def _style_axes(axes: Axes) -> None:
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def _svg(figure: Figure, axes: Axes, title: str) -> str:
    """The figure as an `<svg>` element: no XML prologue, scaled by CSS, named for readers."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    label = html.escape(title, quote=True)
    return _SIZE.sub(
        lambda match: f'<svg{match.group(1)} class="chart" role="img" aria-label="{label}"',
        text,
        count=1,
    )
