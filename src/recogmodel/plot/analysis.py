"""Figures of analyses: what drives a range, and which signposts tell scenarios apart.

Each draws on the :class:`~matplotlib.axes.Axes` it is given, or on a new
:class:`~matplotlib.figure.Figure` of its own (never one on pyplot's global list), and
returns what it drew on.

- :func:`tornado`: what drives one indicator's range in one year, from a
  :class:`~recogmodel.analysis.Sensitivity`.
- :func:`signpost_matrix`: which signposts tell the scenarios apart, from a
  :class:`~recogmodel.analysis.SignpostTable`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from .._checks import whole_number
from ..analysis import SWING_SHARE
from ..errors import InputError, Problem
from ..model import Case
from ..text.labels import assumption_labels, signpost_row_label
from ..text.numbers import format_value, is_share, probability, signed
from ._style import (
    BASELINE_COLOUR,
    PALETTE,
    as_list,
    frame,
    legend_beside,
    new_axes,
    percent,
    unit_text,
    value_formatter,
    wrap,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes

    from ..analysis import Sensitivity, SensitivityRow, SignpostTable
    from ..model import Scenario
    from ..projection import Projection

__all__ = ["signpost_matrix", "tornado"]

#: Bar colours by direction: raising the assumption raises, or lowers, the indicator.
_RAISES_COLOUR = PALETTE[0]
_LOWERS_COLOUR = PALETTE[1]
_NEUTRAL_COLOUR = "#999999"
#: Assumptions under the noise floor: light grey, hatched, with grey labels.
_MUTED_FACE = "#e6e6e6"
_MUTED_EDGE = "#8c8c8c"
_MUTED_TEXT = "#6b6b6b"
#: Outline of a signpost's cell under the scenario declaring it: orange shows on both the
#: palest and the darkest cells of the colour map.
_DECLARED_COLOUR = PALETTE[3]
#: Probability, from near white (never) to dark blue (certain) in one hue of the palette:
#: ordered by lightness alone, so it reads the same in grayscale and with any common
#: colour-vision deficiency.
_PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "recogmodel-probability", ["#f7fafc", "#6aaed6", PALETTE[0], "#0a2f4f"]
)


def _direction(row: SensitivityRow) -> float:
    """Which way raising the assumption moves the indicator: the sign of the swing drawn,
    or of the rank regression coefficient where the two medians coincide.
    """
    return row.swing if row.swing != 0 else row.coefficient


def tornado(
    sensitivity: Sensitivity,
    *,
    year: int | None = None,
    ax: Axes | None = None,
    limit: int = 12,
    proj: Projection | None = None,
    case: Case | Scenario | None = None,
) -> Axes:
    """What drives one indicator's range in one year: a tornado chart of the assumptions.

    The ``limit`` most important assumptions of ``sensitivity.ranking(year)`` are drawn,
    the largest swing at the top. Each is one bar from ``low`` to ``high``: the
    indicator's median when the assumption lies in its bottom and in its top decile of the
    draws, around the indicator's overall median (the vertical line). A filled marker shows
    the top-decile end and an open one the bottom-decile end, so the direction reads without
    colour; the colour says it too: blue when a higher assumption gives a higher value,
    vermillion when it gives a lower one. Assumptions whose importance lies under the noise
    floor are drawn light grey and hatched, with grey labels: their bars are noise. The
    signed swing is written beside each bar.

    Parameters
    ----------
    sensitivity
        The result of :func:`recogmodel.analysis.sensitivity`.
    year
        The year to show (it must be covered by ``sensitivity``); by default its last.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list).
    limit
        How many assumptions to show, the most important first.
    proj
        The projection the analysis was computed from, if at hand: assumptions are then
        named with the case's labels and the title names the indicator and scenario by
        their titles, as the report names them.
    case
        The case (or the scenario) analysed, when the projection is not at hand: the
        assumptions and the indicator are then named with its labels all the same (and the
        scenario by its title, given a scenario). With neither, dotted names are shortened
        (``drivers.market_access.weight`` -> ``market access · weight``).

    Returns
    -------
    Axes
        The axes drawn on: one bar per shown assumption (gid ``tornado:<assumption>``, in
        ``ax.patches`` from the top row down), the median line (gid ``median``), the
        markers of the top- and bottom-decile medians (gids ``tornado-high`` and
        ``tornado-low``) and one swing label per bar (gid ``swing:<assumption>``).

    Raises
    ------
    InputError
        If ``year`` is not covered, ``limit`` is not a whole number >= 1, or ``proj`` is
        not the projection of the analysed scenario.
    """
    limit = whole_number("limit", limit)
    t = sensitivity.year_index(year)
    shown_year = sensitivity.years[t]
    name, unit, scale = sensitivity.indicator, sensitivity.unit, sensitivity.scale
    if proj is not None and (proj.name != sensitivity.scenario or name not in proj.indicators):
        raise InputError(
            [
                Problem(
                    "proj",
                    f"is a projection of scenario '{proj.name}'; expected the projection of "
                    f"'{sensitivity.scenario}' the sensitivity of '{name}' was computed from",
                )
            ]
        )
    found = _labelled_by(sensitivity, proj, case)
    labels = found.case if found is not None else None
    ind = labels.indicators.get(name) if labels is not None else None
    label = ind.label if ind is not None else name.replace("_", " ")
    scenario = found.title if found is not None and found.title else sensitivity.scenario
    rows = sorted(sensitivity.ranking(shown_year)[:limit], key=lambda r: -abs(r.swing))
    n = len(rows)
    names = assumption_labels([r.assumption for r in rows], labels)
    ticks = [wrap(names[r.assumption], 44) for r in rows]
    tallest = max((tick.count("\n") + 1 for tick in ticks), default=1)
    row = max(0.34, 0.14 * tallest + 0.12)  # rows are equal: the tallest label sets them
    ax = new_axes((10.0, max(3.8, 2.0 + row * n))) if ax is None else ax

    median = float(sensitivity.median[t])
    y = np.arange(n, dtype=np.float64)
    lows = np.array([r.low for r in rows])
    highs = np.array([r.high for r in rows])
    faces, edges, hatches = [], [], []
    for r in rows:
        way = _direction(r)
        colour = _RAISES_COLOUR if way > 0 else _LOWERS_COLOUR if way < 0 else _NEUTRAL_COLOUR
        faces.append(colour if r.influential else _MUTED_FACE)
        edges.append(colour if r.influential else _MUTED_EDGE)
        hatches.append(None if r.influential else "////")
    bars = ax.barh(
        y,
        np.abs(highs - lows),
        left=np.minimum(lows, highs),
        height=0.6,
        color=faces,
        edgecolor=edges,
        linewidth=0.8,
        zorder=2,
    )
    for bar, r, hatch in zip(bars, rows, hatches, strict=True):
        bar.set_hatch(hatch)
        bar.set_gid(f"tornado:{r.assumption}")
    decile = percent(SWING_SHARE)
    ax.axvline(
        median,
        color=BASELINE_COLOUR,
        linewidth=1.1,
        zorder=3,
        gid="median",
        label=f"median over all draws\n({format_value(median, unit, scale)}"
        + ("" if is_share(unit, scale) or not unit else f" {unit}")
        + ")",
    )
    marker: dict[str, Any] = {"linestyle": "none", "marker": "o", "markersize": 5.5, "zorder": 4}
    ax.plot(
        highs,
        y,
        markerfacecolor="#222222",
        markeredgecolor="#222222",
        gid="tornado-high",
        label=f"median when the assumption\nis in its top {decile}",
        **marker,
    )
    ax.plot(
        lows,
        y,
        markerfacecolor="white",
        markeredgecolor="#222222",
        markeredgewidth=1.1,
        gid="tornado-low",
        label=f"… in its bottom {decile}",
        **marker,
    )
    for i, r in enumerate(rows):
        ax.annotate(
            signed(r.swing, unit, scale),
            xy=(max(r.low, r.high), i),
            xytext=(7, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=7.5,
            color="#333333" if r.influential else _MUTED_TEXT,
            # On white, so the median line may pass behind a label without crossing it.
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5},
            zorder=5,
            gid=f"swing:{r.assumption}",
        )

    ax.set_yticks(y, ticks, fontsize=8.5)
    for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
        if not r.influential:
            tick.set_color(_MUTED_TEXT)
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    drawn = [median, *lows, *highs]
    lo, hi = min(drawn), max(drawn)
    span = hi - lo or abs(median) or 1.0
    ax.set_xlim(lo - 0.05 * span, hi + 0.17 * span)  # room on the right for the swings
    ax.xaxis.set_major_formatter(value_formatter(unit, scale))
    shown_unit = "%" if is_share(unit, scale) else unit_text(unit, scale)
    ax.set_xlabel(f"{label} in {shown_year}" + (f" ({shown_unit})" if shown_unit else ""))
    frame(ax, grid="x", hide=("top", "right", "left"))

    r2 = float(sensitivity.r2[t])
    how = "rank regression" if sensitivity.method == "srrc" else "PAWN"
    fit = f", R² {r2:.2f}" if math.isfinite(r2) else ""
    shown = (
        f"top {n} of {len(sensitivity.assumptions)} assumptions"
        if n < len(sensitivity.assumptions)
        else f"all {n} assumptions"
    )
    about = (
        f"Scenario: {scenario} · {shown} by importance ({how}{fit}; {sensitivity.draws:,} draws)."
    )
    if not math.isfinite(r2):
        about += f" The indicator does not vary in {shown_year}: nothing moves it."
    elif r2 < 0.5:
        about += (
            " Together they explain little of this range; the rest comes from which events "
            "fire, yearly noise, and effects a rank regression cannot see."
        )
    ax.set_title(
        f"{wrap(f'What drives {label} in {shown_year}', 80)}\n{wrap(about, 95)}",
        loc="left",
        fontsize=10.5,
    )
    if n == 0:
        ax.text(
            0.5,
            0.5,
            "no sampled assumption to rank",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=_MUTED_TEXT,
        )
    handles: list[Any] = []
    ways = {np.sign(_direction(r)) for r in rows if r.influential}
    if 1 in ways:
        handles.append(Patch(facecolor=_RAISES_COLOUR, label="higher assumption → higher value"))
    if -1 in ways:
        handles.append(Patch(facecolor=_LOWERS_COLOUR, label="higher assumption → lower value"))
    if any(not r.influential for r in rows):
        handles.append(
            Patch(
                facecolor=_MUTED_FACE,
                edgecolor=_MUTED_EDGE,
                hatch="////",
                label="not influential:\nimportance under the noise floor",
            )
        )
    handles += ax.get_legend_handles_labels()[0]
    legend_beside(ax, handles=handles)
    return ax


@dataclass(frozen=True)
class _Named:
    """Where a figure's labels come from: the case, and the scenario's title if known."""

    case: Case
    title: str | None


def _labelled_by(
    sensitivity: Sensitivity, proj: Projection | None, case: Case | Scenario | None
) -> _Named | None:
    """The case whose labels name a sensitivity's assumptions: the projection's, else the
    one given (a scenario's own case, with its title), else none.
    """
    if proj is not None:
        return _Named(proj.scenario.case, proj.scenario.title)
    if case is None:
        return None
    if isinstance(case, Case):
        return _Named(case, None)
    title = case.title if case.name == sensitivity.scenario else None
    return _Named(case.case, title)


def _luminance(rgb: Sequence[float]) -> float:
    """Relative luminance (WCAG 2) of an sRGB colour."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _text_colour_on(rgb: Sequence[float]) -> str:
    """Black or white, whichever contrasts more with ``rgb``."""
    lum = _luminance(rgb)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def signpost_matrix(
    table: SignpostTable,
    *,
    ax: Axes | None = None,
    projections: Projection | Sequence[Projection] | None = None,
) -> Axes:
    """Which signposts tell the scenarios apart: a heat map of their probabilities.

    One row per signpost, one column per scenario; each cell is shaded and labelled with
    the probability that the signpost is reached by its year under that scenario. A cell is
    outlined in orange when that scenario declares the signpost. Rows come in the table's
    order, the most informative first. A signpost likelier under another scenario than
    its own (``table.points_away``) is marked "(points away)"; one that would tell less
    than the table's threshold in bits (``table.non_diagnostic``) has its label in grey
    italics and marked "(not diagnostic)": seeing it would not say which scenario is
    unfolding.

    Parameters
    ----------
    table
        The result of :func:`recogmodel.analysis.signposts`.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list). The
        colour bar takes its room from these axes.
    projections
        The projections the table was computed from, if at hand: the columns are then
        headed by the scenarios' titles rather than their names, and the rows name the
        indicators by their labels (as :func:`recogmodel.text.labels.signpost_label`
        words them) rather than their ids.

    Returns
    -------
    Axes
        The axes drawn on: one image (gid ``probability``) whose data are
        ``table.probability``, with its colour bar (``image.colorbar``); one text per cell
        (gid ``cell:<row>:<column>``); one outline per declaring scenario (gid
        ``declared:<row>:<scenario>``).

    Raises
    ------
    InputError
        If ``projections`` lacks a scenario of the table.
    """
    titles = {s: s for s in table.scenarios}
    texts = table.labels
    if projections is not None:
        given = {p.name: p.scenario.title for p in as_list(projections)}
        cases = {p.name: p.scenario.case for p in as_list(projections)}
        missing = [s for s in table.scenarios if s not in given]
        if missing:
            raise InputError(
                [
                    Problem(
                        "projections",
                        f"has no projection of scenario {', '.join(map(repr, missing))}; "
                        "expected the projections the table was computed from",
                    )
                ]
            )
        titles = {s: given[s] for s in table.scenarios}
        texts = [signpost_row_label(sp, cases[sp.scenario]) for sp in table.signposts]
    reached = np.asarray(table.probability, dtype=np.float64)
    n, m = reached.shape
    flags = [bool(f) for f in table.non_diagnostic]
    away = [bool(f) for f in table.points_away]
    rows = [
        # "by 2029" kept on one line: wrapped with a no-break space, then a space again.
        wrap(text.replace(" by ", " by\u00a0"), 40).replace("\u00a0", " ")
        + ("\n(points away)" if turned else "")
        + ("\n(not diagnostic)" if flag else "")
        for text, turned, flag in zip(texts, away, flags, strict=True)
    ]
    columns = [wrap(titles[s], 14) for s in table.scenarios]
    tallest = max((r.count("\n") + 1 for r in rows), default=1)
    header = max((c.count("\n") + 1 for c in columns), default=1)
    if ax is None:
        ax = new_axes(
            (3.6 + 1.05 * max(m, 2), 1.3 + 0.16 * header + n * max(0.42, 0.15 * tallest + 0.12))
        )
    subtitle = wrap(
        "Probability that each signpost is reached by its year, under each scenario, most "
        "informative first; orange outline: the scenario declares it; points away: likelier "
        "under another scenario than its own; not diagnostic: it would tell less than "
        f"{table.threshold:.3g} bits",
        100,
    )
    ax.set_title(f"Which signposts tell the scenarios apart\n{subtitle}", loc="left", fontsize=10.5)
    if n == 0:
        ax.text(
            0.5,
            0.5,
            "no scenario declares a signpost",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=_MUTED_TEXT,
        )
        ax.set_axis_off()
        return ax
    norm = Normalize(vmin=0.0, vmax=1.0)
    image = ax.imshow(
        reached,
        cmap=_PROBABILITY_CMAP,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
        gid="probability",
    )
    for i in range(n):
        for j in range(m):
            p = float(reached[i, j])
            ax.text(
                j,
                i,
                probability(p),
                ha="center",
                va="center",
                fontsize=9,
                color=_text_colour_on(_PROBABILITY_CMAP(norm(p))),
                gid=f"cell:{i}:{j}",
            )
    for i, sp in enumerate(table.signposts):
        for scenario, _ in sp.declared_by:
            if scenario in table.scenarios:
                j = table.scenarios.index(scenario)
                ax.add_patch(
                    Rectangle(
                        (j - 0.46, i - 0.46),
                        0.92,
                        0.92,
                        fill=False,
                        edgecolor=_DECLARED_COLOUR,
                        linewidth=2.0,
                        zorder=3,
                        gid=f"declared:{i}:{scenario}",
                    )
                )
    ax.set_xticks(range(m), columns, fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), rows, fontsize=8.5)
    for tick, flag in zip(ax.get_yticklabels(), flags, strict=True):
        if flag:
            tick.set_color(_MUTED_TEXT)
            tick.set_fontstyle("italic")
    ax.set_xticks(np.arange(m + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2.0)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    colorbar = ax.figure.colorbar(image, ax=ax, pad=0.02, aspect=40)
    colorbar.set_label("probability reached by its year", fontsize=8.5)
    colorbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
    colorbar.ax.tick_params(labelsize=8)
    colorbar.outline.set_visible(False)
    return ax
