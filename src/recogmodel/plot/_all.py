"""Figures of projections, fit for a published analysis.

Every function draws on the :class:`~matplotlib.axes.Axes` it is given, or on a new
:class:`~matplotlib.figure.Figure` of its own (never one on pyplot's global list, so no GUI
backend is needed and nothing leaks), and returns what it drew on. Nothing here calls
``plt.show()`` or changes global ``rcParams``: every style choice is an argument of the
call that draws. Colours come from the Okabe–Ito palette, which readers with any common
form of colour blindness can tell apart; lines that must be told apart also differ in
line style, so a figure survives grayscale printing.

- :func:`fan_chart`: one indicator of one scenario, its median and nested ranges, the
  sourced baseline, observed history and the scenario's signposts.
- :func:`compare`: one indicator across scenarios, median and an optional range each.
- :func:`driver_weights`: what each scenario assumes the actor cares about, as the sampled
  normalised weight of every driver.
- :func:`dashboard`: every indicator of a scenario as small multiples.
- :func:`tornado`: what drives one indicator's range in one year, from a
  :class:`~recogmodel.analysis.Sensitivity`.
- :func:`signpost_matrix`: which signposts tell the scenarios apart, from a
  :class:`~recogmodel.analysis.SignpostTable`.
- :func:`save`: PNG, SVG or PDF, written atomically and reproducibly.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

from .._files import atomic_write
from ..errors import InputError, Problem
from ..projection import Projection
from ..text.numbers import format_value, is_share

if TYPE_CHECKING:  # analysis sits beside plot in the layers; only its types are needed here
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from ..analysis import Sensitivity, SensitivityRow, SignpostTable
    from ..model import Case, Indicator

__all__ = [
    "AUTO_LOG_RATIO",
    "FORMATS",
    "LINESTYLES",
    "PALETTE",
    "YScale",
    "compare",
    "dashboard",
    "driver_weights",
    "fan_chart",
    "normalised_weights",
    "save",
    "signpost_matrix",
    "tornado",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), safe for every common colour-vision deficiency.
#: Ordered for use: the most distinct colours on white come first, yellow (weak on white)
#: and black (kept for the sourced baseline) last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Line styles paired with the palette, so scenarios stay apart in grayscale.
LINESTYLES: tuple[Any, ...] = (
    "-",
    (0, (6, 2)),
    (0, (1, 1.5)),
    (0, (6, 2, 1, 2)),
    (0, (3, 1.5, 1, 1.5, 1, 1.5)),
    (0, (10, 3)),
    (0, (2, 3)),
    (0, (6, 2, 2, 2, 2, 2)),
)

#: Markers paired with the palette, for points that must be told apart.
_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")

#: How a figure's y-axis is scaled: ``"auto"`` is log for a positive amount whose drawn
#: values span more than a factor :data:`AUTO_LOG_RATIO`, linear otherwise.
YScale = Literal["auto", "linear", "log"]

#: The span (highest over lowest drawn value) beyond which ``yscale="auto"`` goes log.
AUTO_LOG_RATIO = 30.0

#: The file formats :func:`save` writes.
FORMATS = ("png", "svg", "pdf")

_BASELINE_COLOUR = "#000000"
_SIGNPOST_COLOUR = "#D55E00"
_GRID_COLOUR = "#d9d9d9"
_BASELINE_LABEL = "sourced baseline"
_BASELINE_RANGE_LABEL = "sourced baseline (bar: its 90 % range)"


# ---------------------------------------------------------------------------------------
# Small helpers


def _new_axes(figsize: tuple[float, float]) -> Axes:
    """An Axes on a figure of its own, not registered with pyplot."""
    fig = Figure(figsize=figsize, layout="constrained")
    ax: Axes = fig.add_subplot()
    return ax


def _as_list(projections: Projection | Sequence[Projection]) -> list[Projection]:
    items = [projections] if isinstance(projections, Projection) else list(projections)
    if not items:
        raise InputError([Problem("projections", "expected at least one projection")])
    return items


def _percent(share: float) -> str:
    """0.9 -> '90 %' (the space as the published style has it)."""
    return f"{share * 100:.3g} %"


def _band_quantiles(bands: Sequence[float]) -> list[float]:
    """The bands, validated and sorted widest first."""
    out = []
    for b in bands:
        if not (isinstance(b, int | float) and 0 < b < 1):
            raise InputError(
                [Problem("bands", f"expected central ranges strictly between 0 and 1, got {b!r}")]
            )
        out.append(float(b))
    if len(set(out)) != len(out):
        raise InputError([Problem("bands", f"repeats a range: {list(bands)!r}")])
    return sorted(out, reverse=True)


def _tint(colour: str, strength: float) -> tuple[float, float, float]:
    """``colour`` mixed with white: 0 is white, 1 the colour itself."""
    rgb = np.asarray(to_rgb(colour))
    mixed = 1.0 - strength * (1.0 - rgb)
    return (float(mixed[0]), float(mixed[1]), float(mixed[2]))


def _formatter(ind: Indicator) -> FuncFormatter:
    """Tick labels as a reader expects them: percentages for shares, separators for
    thousands, a few significant digits otherwise.
    """

    def fmt(value: float, _pos: int | None = None) -> str:
        if abs(value) < 1e-12:  # a tick at zero, not 1e-17 from floating point
            value = 0.0
        return format_value(value, ind.unit, ind.scale)

    return FuncFormatter(fmt)


def _unit_label(ind: Indicator) -> str:
    unit = ind.unit.strip()
    if is_share(ind.unit, ind.scale) and "%" not in unit:
        return f"{unit} (%)" if unit else "%"
    return unit


def _year_ticks(first: int, last: int) -> list[int]:
    """Whole years on round steps, none past ``last`` (space there may hold range bars)."""
    span = last - first
    step = 1 if span <= 8 else 2 if span <= 18 else 5 if span <= 45 else 10
    return list(range(-(-first // step) * step, last + 1, step))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _style_axes(
    ax: Axes,
    ind: Indicator,
    first_year: int,
    last_year: int,
    *,
    yscale: YScale = "auto",
) -> None:
    if yscale == "auto":
        yscale = _auto_scale(ax, ind)
    if yscale == "log":
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_formatter(NullFormatter())
    elif yscale != "linear":
        raise InputError([Problem("yscale", f"expected 'auto', 'linear' or 'log', got {yscale!r}")])
    elif is_share(ind.unit, ind.scale) or ind.scale == "log":
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_formatter(ind))
    ax.xaxis.set_major_locator(FixedLocator(_year_ticks(first_year, last_year)))
    ax.set_xlim(first_year - 0.4, last_year + 0.4)
    ax.set_ylabel(_unit_label(ind) + (" (log scale)" if yscale == "log" else ""))
    ax.grid(True, axis="y", color=_GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _auto_scale(ax: Axes, ind: Indicator) -> Literal["linear", "log"]:
    """Log when a positive amount spans so many multiples that a linear axis would flatten
    its lower part (the range of the drawn data wider than a factor :data:`AUTO_LOG_RATIO`).
    """
    low, high = ax.dataLim.y0, ax.dataLim.y1
    if ind.scale == "log" and low > 0 and high / low > AUTO_LOG_RATIO:
        return "log"
    return "linear"


def _earliest_year(proj: Projection, ind: Indicator) -> int:
    return min(proj.years[0], ind.baseline.year, *ind.history)


def _draw_baseline(ax: Axes, ind: Indicator, size: float) -> None:
    """The sourced baseline: its median, and its 90 % range as a bar when it is uncertain."""
    base = ind.baseline
    median = float(base.value.ppf(0.5))
    if not base.value.is_fixed:
        low, high = (float(v) for v in base.value.ppf([0.05, 0.95]))
        ax.plot(
            [base.year, base.year],
            [low, high],
            color=_BASELINE_COLOUR,
            linewidth=1.2,
            solid_capstyle="butt",
            zorder=4,
            gid="baseline-range",
        )
    ax.plot(
        [base.year],
        [median],
        linestyle="none",
        marker="D",
        markersize=size,
        markerfacecolor="white",
        markeredgecolor=_BASELINE_COLOUR,
        markeredgewidth=1.4,
        zorder=5,
        gid="baseline",
        label=_BASELINE_LABEL if base.value.is_fixed else _BASELINE_RANGE_LABEL,
    )


def _draw_history(ax: Axes, ind: Indicator, size: float) -> None:
    if not ind.history:
        return
    years = sorted(ind.history)
    ax.plot(
        years,
        [ind.history[y].value for y in years],
        linestyle="none",
        marker="o",
        markersize=size,
        color=_BASELINE_COLOUR,
        zorder=5,
        gid="history",
        label="observed",
    )


def _draw_signposts(
    ax: Axes,
    proj: Projection,
    indicator: str,
    first_year: int,
    last_year: int,
    *,
    fontsize: float,
) -> int:
    """Each signpost of the scenario on this indicator: a threshold up to its year, a marker
    pointing the way it must be crossed, and a short label. Returns how many were drawn.
    """
    ind = proj.indicator(indicator)
    drawn = 0
    for sp in proj.scenario.signposts:
        if sp.indicator != indicator:
            continue
        above = sp.above is not None
        value = sp.threshold
        gid = f"signpost:{indicator}:{sp.by}:{'above' if above else 'below'}:{value:g}"
        ax.plot(
            [first_year, sp.by],
            [value, value],
            color=_SIGNPOST_COLOUR,
            linestyle=(0, (4, 2)),
            linewidth=1.1,
            zorder=3,
            gid=gid,
            label="signpost" if drawn == 0 else "_nolegend_",
        )
        ax.plot(
            [sp.by],
            [value],
            linestyle="none",
            marker="^" if above else "v",
            markersize=7,
            color=_SIGNPOST_COLOUR,
            zorder=6,
            gid=f"{gid}:marker",
        )
        text = (
            f"{'above' if above else 'below'} {format_value(value, ind.unit, ind.scale)} by {sp.by}"
        )
        # The label sits on the threshold segment, left of the marker, when it fits there;
        # otherwise on whichever side has more room, so it does not run off the axes.
        per_year = ax.bbox.width * 0.85 / (last_year - first_year + 0.8)
        needed = len(text) * fontsize * 0.55 * ax.figure.dpi / 72 + 6
        room_left = (sp.by - first_year + 0.4) * per_year
        room_right = (last_year - sp.by + 0.4) * per_year
        left = needed <= room_left or room_left >= room_right
        ax.annotate(
            text,
            xy=(sp.by, value),
            xytext=(-4 if left else 6, 3 if above else -3),
            textcoords="offset points",
            ha="right" if left else "left",
            va="bottom" if above else "top",
            fontsize=fontsize,
            color=_SIGNPOST_COLOUR,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6},
            zorder=6,
            gid=f"{gid}:label",
        )
        drawn += 1
    return drawn


def _fan(
    ax: Axes,
    proj: Projection,
    indicator: str,
    bands: Sequence[float],
    *,
    colour: str,
    compact: bool,
    yscale: YScale = "auto",
) -> None:
    ind = proj.indicator(indicator)
    widths = _band_quantiles(bands)
    years = np.asarray(proj.years)
    n = len(widths)
    for i, width in enumerate(widths):
        low, high = proj.quantiles(indicator, [(1 - width) / 2, (1 + width) / 2]).T
        # Widest first, each inner band a deeper tint of the same colour and opaque, so an
        # inner band always shows on the one around it and the legend swatch is what the
        # eye sees (stacked transparent fills would not match their swatches).
        strength = 0.18 + 0.32 * (i / (n - 1) if n > 1 else 1.0)
        ax.fill_between(
            years,
            low,
            high,
            facecolor=_tint(colour, strength),
            edgecolor="none",
            linewidth=0,
            zorder=1 + i / (n + 1),
            label=f"{_percent(width)} range",
            gid=f"band:{width:g}",
        )
    median = proj.quantiles(indicator, [0.5])[:, 0]
    ax.plot(
        years,
        median,
        color=colour,
        linewidth=1.6 if compact else 2.0,
        zorder=3,
        label="median",
        gid="median",
    )
    first = _earliest_year(proj, ind)
    _draw_history(ax, ind, 4 if compact else 5)
    _draw_baseline(ax, ind, 4.5 if compact else 6)
    _draw_signposts(ax, proj, indicator, first, years[-1], fontsize=6.5 if compact else 8)
    _style_axes(ax, ind, first, years[-1], yscale=yscale)


# ---------------------------------------------------------------------------------------
# Public figures


def fan_chart(
    proj: Projection,
    indicator: str,
    *,
    ax: Axes | None = None,
    bands: Sequence[float] = (0.5, 0.8, 0.9),
    colour: str = PALETTE[0],
    yscale: YScale = "auto",
    legend: bool = True,
) -> Axes:
    """One indicator of one scenario: its median and nested central ranges, year by year.

    The sourced baseline is marked at its year (which may precede the first projected
    year) with its 90 % range when it is uncertain; observed history is drawn as points;
    each of the scenario's signposts on this indicator is drawn as a dashed threshold up to
    its year, with a marker pointing the way it must be crossed.

    Parameters
    ----------
    proj
        The projection to draw.
    indicator
        The indicator's id, e.g. ``"bilateral_trade"``.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list).
    bands
        Central ranges to shade, as shares of the draws; each is one filled band.
    colour
        Colour of the median line; the bands are tints of it.
    yscale
        ``"linear"``, ``"log"`` (ratios evenly spaced), or ``"auto"``: log for a positive
        amount whose drawn values span more than a factor 30, so a linear axis would
        flatten its lower part; the y label then says "log scale".
    legend
        Whether to add a legend naming the bands, the median and the markers.

    Returns
    -------
    Axes
        The axes drawn on.

    Raises
    ------
    InputError
        If the indicator is not in the projection, a band is not in (0, 1), or
        ``yscale`` is not one of auto, linear, log.
    """
    ind = proj.indicator(indicator)
    ax = _new_axes((7.5, 4.6)) if ax is None else ax
    _fan(ax, proj, indicator, bands, colour=colour, compact=False, yscale=yscale)
    ax.set_title(
        f"{_wrap(ind.label, 64)}\nScenario: {proj.scenario.title}",
        loc="left",
        fontsize=11,
    )
    if legend:
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
        _leave_room_for_legend(ax)
    return ax


def _legend_beside(ax: Axes, **options: Any) -> None:
    """A frameless legend to the right of the axes, top-aligned, where it hides no data."""
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        labelspacing=0.9,
        **options,
    )


def _leave_room_for_legend(ax: Axes, share: float = 0.28) -> None:
    """Raise the top of the y-axis so an upper legend does not sit on the data."""
    low, high = ax.get_ylim()
    if ax.get_yscale() == "log":
        ax.set_ylim(low, high * (high / low) ** share)
    else:
        ax.set_ylim(low, high + (high - low) * share)


def compare(
    projections: Projection | Sequence[Projection],
    indicator: str,
    *,
    ax: Axes | None = None,
    band: float | None = 0.9,
    band_style: Literal["bars", "shade"] = "bars",
    yscale: YScale = "auto",
    legend: bool = True,
) -> Axes:
    """One indicator across scenarios: a median line each, and optionally its range.

    Each scenario has its own colour *and* line style and marker, so five overlapping
    scenarios stay readable, also in grayscale. The legend names each scenario by its
    title. The sourced baseline is marked once.

    Parameters
    ----------
    projections
        The projections to compare (one per scenario), in legend order.
    indicator
        The indicator's id; every projection must have it.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list).
    band
        Central range to show per scenario (``0.9``: 5th to 95th percentile), or ``None``
        for medians only.
    band_style
        ``"bars"``: the range in the last year as one bar per scenario beside the lines,
        which stays readable however much the scenarios overlap; ``"shade"``: a light
        band behind each median over every year, thin-edged in the scenario's line style.
    yscale
        ``"linear"``, ``"log"`` (ratios evenly spaced, useful when one scenario grows much
        faster), or ``"auto"``: log for a positive amount whose drawn values span more
        than a factor 30; the y label then says "log scale".
    legend
        Whether to add the legend (beside the axes, so it never covers a line).

    Returns
    -------
    Axes
        The axes drawn on. Per scenario: one median line (gid ``median:<name>``), and with
        a band either one range bar (gid ``range:<name>``) or one shaded collection (gid
        ``band:<name>``).

    Raises
    ------
    InputError
        If there are no projections, one lacks the indicator, or ``band`` is not in (0, 1).
    """
    projs = _as_list(projections)
    inds = [p.indicator(indicator) for p in projs]
    if band is not None:
        _band_quantiles([band])
    if band_style not in ("bars", "shade"):
        raise InputError([Problem("band_style", f"expected 'bars' or 'shade', got {band_style!r}")])
    ind = inds[0]
    n = len(projs)
    ax = _new_axes((9.0, 4.8)) if ax is None else ax
    last = max(p.years[-1] for p in projs)
    gap, spacing = 0.45, min(0.22, 1.6 / n)
    for i, proj in enumerate(projs):
        colour = PALETTE[i % len(PALETTE)]
        style = LINESTYLES[i % len(LINESTYLES)]
        marker = _MARKERS[i % len(_MARKERS)]
        years = np.asarray(proj.years)
        if band is not None:
            low, high = proj.quantiles(indicator, [(1 - band) / 2, (1 + band) / 2]).T
            if band_style == "shade":
                ax.fill_between(
                    years,
                    low,
                    high,
                    facecolor=colour,
                    alpha=0.06,
                    edgecolor="none",
                    linewidth=0,
                    zorder=1,
                    gid=f"band:{proj.name}",
                )
                for edge in (low, high):
                    ax.plot(
                        years,
                        edge,
                        color=colour,
                        linestyle=style,
                        linewidth=0.6,
                        alpha=0.6,
                        zorder=2,
                        gid=f"band-edge:{proj.name}",
                    )
            else:
                x = last + gap + i * spacing
                ax.plot(
                    [x, x],
                    [low[-1], high[-1]],
                    color=colour,
                    linewidth=2.2,
                    solid_capstyle="butt",
                    zorder=3,
                    gid=f"range:{proj.name}",
                )
        median = proj.quantiles(indicator, [0.5])[:, 0]
        ax.plot(
            years,
            median,
            color=colour,
            linestyle=style,
            linewidth=2.0,
            marker=marker,
            markersize=4.5,
            # One scenario's marker per year in turn, so lines that coincide exactly
            # (counts, for instance) still show every scenario on them.
            markevery=(i % max(3, n), max(3, n)),
            zorder=4,
            label=_wrap(proj.scenario.title, 26),
            gid=f"median:{proj.name}",
        )
        if band is not None and band_style == "bars":
            ax.plot(
                [last + gap + i * spacing],
                [median[-1]],
                linestyle="none",
                marker=marker,
                markersize=4.5,
                markerfacecolor="white",
                markeredgecolor=colour,
                zorder=5,
                gid=f"range-median:{proj.name}",
            )
    seen: set[tuple[int, float]] = set()
    for k in inds:
        key = (k.baseline.year, float(k.baseline.value.ppf(0.5)))
        if key not in seen:
            _draw_baseline(ax, k, 6)
            _draw_history(ax, k, 5)
            seen.add(key)
    first = min(_earliest_year(p, k) for p, k in zip(projs, inds, strict=True))
    _style_axes(ax, ind, first, last, yscale=yscale)
    what = "median"
    if band is not None and band_style == "bars":
        right = last + gap + (n - 1) * spacing
        ax.set_xlim(right=right + 0.35)
        ax.axvline(last + gap / 2, color=_GRID_COLOUR, linewidth=0.8, zorder=0)
        ax.annotate(
            f"{_percent(band)} range\nin {last}",
            xy=((last + gap / 2 + right + 0.35) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="#444444",
        )
        what = f"median (lines) and {_percent(band)} range in {last} (bars)"
    elif band is not None:
        what = f"median (lines) and {_percent(band)} range (shaded)"
    ax.set_title(f"{_wrap(ind.label, 64)}\nBy scenario: {what}", loc="left", fontsize=11)
    if legend:
        _legend_beside(ax, handlelength=3.2)
    return ax


def normalised_weights(proj: Projection) -> dict[str, NDArray[np.float64]]:
    """Each driver's normalised weight in every draw: ``w_d / sum(w)``, as the engine uses it.

    Sampled weights come from ``proj.parameters``; a fixed weight is a constant in every
    draw. A draw whose weights are all 0 gives every driver 0 (no pressure), as the engine
    does.

    Parameters
    ----------
    proj
        The projection whose drivers to read.

    Returns
    -------
    dict of str to ndarray
        Driver id -> shape (draws,) array; in every draw the shares sum to 1 (or all are 0).
    """
    drivers = proj.scenario.case.drivers
    raw = np.empty((proj.draws, len(drivers)))
    params = proj.parameters
    for j, (d, driver) in enumerate(drivers.items()):
        sampled = params.get(f"drivers.{d}.weight")
        raw[:, j] = driver.weight.mean() if sampled is None else sampled
    total = raw.sum(axis=1, keepdims=True)
    shares = np.divide(raw, total, out=np.zeros_like(raw), where=total > 0)
    return {d: shares[:, j] for j, d in enumerate(drivers)}


def driver_weights(
    projections: Projection | Sequence[Projection],
    *,
    ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """What each scenario assumes the actor cares about: each driver's normalised weight.

    One row per driver; within it one interval per scenario: the median weight as a
    marker, the 50 % range as a thick bar and the 90 % range as a thin one, across draws.

    Parameters
    ----------
    projections
        The projections to show (one per scenario), in legend order.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list).
    legend
        Whether to add the legend naming the scenarios.

    Returns
    -------
    Axes
        The axes drawn on. Per scenario it holds one median line (gid ``weights:<name>``)
        with one point per driver, and one collection per range with one segment per
        driver (gids ``weights-50:<name>``, ``weights-90:<name>``).

    Raises
    ------
    InputError
        If there are no projections.
    """
    projs = _as_list(projections)
    labels: dict[str, str] = {}
    for proj in projs:
        for d, driver in proj.scenario.case.drivers.items():
            labels.setdefault(d, driver.label)
    order = list(labels)
    n = len(projs)
    height = max(3.2, 0.9 + len(order) * (0.35 + 0.16 * n))
    ax = _new_axes((9.0, height)) if ax is None else ax
    step = min(0.8 / n, 0.2)
    for i, proj in enumerate(projs):
        weights = normalised_weights(proj)
        here = [d for d in order if d in weights]
        rows = np.asarray([order.index(d) for d in here], dtype=np.float64)
        y = rows + (i - (n - 1) / 2) * step
        q = np.asarray([np.quantile(weights[d], [0.05, 0.25, 0.5, 0.75, 0.95]) for d in here])
        colour = PALETTE[i % len(PALETTE)]
        ax.hlines(y, q[:, 0], q[:, 4], color=colour, linewidth=1.2, gid=f"weights-90:{proj.name}")
        ax.hlines(y, q[:, 1], q[:, 3], color=colour, linewidth=4.0, gid=f"weights-50:{proj.name}")
        ax.plot(
            q[:, 2],
            y,
            linestyle="none",
            marker=_MARKERS[i % len(_MARKERS)],
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=colour,
            markeredgewidth=1.5,
            zorder=4,
            label=proj.scenario.title,
            gid=f"weights:{proj.name}",
        )
    ax.set_yticks(range(len(order)), [_wrap(labels[d], 30) for d in order], fontsize=8.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    for r in range(1, len(order)):
        ax.axhline(r - 0.5, color=_GRID_COLOUR, linewidth=0.6)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_value(v, "share")))
    ax.set_xlabel("normalised weight (share of all drivers' salience, %)")
    ax.grid(True, axis="x", color=_GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    actor = projs[0].scenario.case.actor
    ax.set_title(
        f"What each scenario assumes {actor} cares about\n"
        "normalised driver weights: median, 50 % range (thick), 90 % range (thin)",
        loc="left",
        fontsize=11,
    )
    if legend:
        handles = [
            Line2D(
                [],
                [],
                color=PALETTE[i % len(PALETTE)],
                linewidth=1.2,
                marker=_MARKERS[i % len(_MARKERS)],
                markerfacecolor="white",
                markeredgewidth=1.5,
                label=_wrap(p.scenario.title, 26),
            )
            for i, p in enumerate(projs)
        ]
        _legend_beside(ax, handles=handles)
    return ax


def dashboard(
    proj: Projection,
    *,
    ncols: int = 3,
    bands: Sequence[float] = (0.5, 0.9),
    yscale: YScale = "auto",
    width: float = 11.0,
) -> Figure:
    """Every indicator of a scenario as small multiples, one fan chart each.

    Parameters
    ----------
    proj
        The projection to draw.
    ncols
        Panels per row.
    bands
        Central ranges shaded in each panel.
    yscale
        Each panel's y-axis, as in :func:`fan_chart` (``"auto"`` decides per panel).
    width
        Figure width in inches; the height follows from the number of rows.

    Returns
    -------
    Figure
        A new figure (not on pyplot's list): one axes per indicator in the projection's
        order, and the shared legend in a spare panel (or below the panels if none is
        spare).
    """
    if ncols < 1:
        raise InputError([Problem("ncols", f"expected at least 1 panel per row, got {ncols}")])
    n = len(proj.indicators)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(width, 0.6 + 2.75 * nrows), layout="constrained")
    axes: list[Axes] = list(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax, k in zip(axes, proj.indicators, strict=False):
        _fan(ax, proj, k, bands, colour=PALETTE[0], compact=True, yscale=yscale)
        ind = proj.indicator(k)
        ax.set_title(_wrap(ind.label, int(width * 10.5 / ncols)), loc="left", fontsize=8.5)
        ax.tick_params(labelsize=7.5)
        ax.yaxis.label.set_fontsize(8)
    handles, labels = _legend_entries(axes[:n])
    if _BASELINE_RANGE_LABEL in labels and _BASELINE_LABEL in labels:
        i = labels.index(_BASELINE_LABEL)
        del handles[i], labels[i]
    spare = list(axes[n:])
    if spare:
        spare[0].axis("off")
        spare[0].legend(handles, labels, loc="center", fontsize=8.5, frameon=False)
        for ax in spare[1:]:
            fig.delaxes(ax)
    else:
        fig.legend(handles, labels, loc="outside lower center", ncols=4, fontsize=8.5)
    fig.suptitle(
        f"{proj.scenario.case.title}\nScenario: {proj.scenario.title} — every indicator, "
        f"{proj.years[0]}–{proj.years[-1]}",
        x=0.01,
        ha="left",
        fontsize=12,
    )
    return fig


def _legend_entries(axes: Sequence[Axes]) -> tuple[list[Any], list[str]]:
    """Legend entries of several axes, each label once, in first-seen order."""
    entries: dict[str, Any] = {}
    for ax in axes:
        handles, labels = ax.get_legend_handles_labels()
        for handle, label in zip(handles, labels, strict=True):
            entries.setdefault(label, handle)
    return list(entries.values()), list(entries)


# ---------------------------------------------------------------------------------------
# Analysis figures

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

#: How an assumption of each role reads, and where the ids it belongs to are labelled.
_ROLE_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "weight": ("{0}: weight", ("drivers",)),
    "start": ("{0}: intensity at the start", ("drivers",)),
    "trend": ("{0}: trend of its intensity", ("drivers",)),
    "effect": ("{0}: effect on {1}", ("drivers", "indicators")),
    "baseline": ("{0}: baseline value", ("indicators",)),
    "drift": ("{0}: yearly drift", ("indicators",)),
    "volatility": ("{0}: volatility", ("indicators",)),
    "probability": ("{0}: probability", ("events",)),
    "jump": ("{0}: jump in {1}", ("events", "indicators")),
    "shift": ("{0}: shift in {1}", ("events", "drivers")),
}


def _short_name(name: str) -> str:
    """A dotted assumption name made readable without its case: the leading group dropped,
    dots as middle dots, underscores as spaces (``drivers.market_access.weight`` ->
    ``market access · weight``).
    """
    parts = name.split(".")
    if len(parts) > 1 and parts[0] in ("drivers", "indicators", "events"):
        parts = parts[1:]
    return " · ".join(p.replace("_", " ") for p in parts)


def assumption_labels(names: Sequence[str], case: Case | None) -> dict[str, str]:
    """Each dotted name as a reader would say it: with the case's labels when it is known
    (``Market access: effect on Russia–Afghanistan trade``), else :func:`_short_name`.
    """
    params = {} if case is None else {p.name: p for p in case.parameters()}
    out = {}
    for name in names:
        param = params.get(name)
        out[name] = _short_name(name)
        if case is None or param is None or param.role not in _ROLE_LABELS:
            continue
        template, groups = _ROLE_LABELS[param.role]
        found: dict[str, Any] = {
            "drivers": case.drivers,
            "indicators": case.indicators,
            "events": case.events,
        }
        labels = [
            found[group][key].label if key in found[group] else key.replace("_", " ")
            for key, group in zip(param.keys, groups, strict=False)
        ]
        if len(labels) == len(groups):
            out[name] = template.format(*labels)
    return out


def _unit_text(unit: str, scale: str) -> str:
    unit = unit.strip()
    if is_share(unit, scale) and "%" not in unit:
        return f"{unit} (%)" if unit else "%"
    return unit


def _value_formatter(unit: str, scale: str) -> FuncFormatter:
    def fmt(value: float, _pos: int | None = None) -> str:
        if abs(value) < 1e-12:  # a tick at zero, not 1e-17 from floating point
            value = 0.0
        return format_value(value, unit, scale)

    return FuncFormatter(fmt)


def _signed(value: float, unit: str, scale: str) -> str:
    """A difference of an indicator's values with its sign (shares in percentage points)."""
    if not math.isfinite(value):
        return str(value)
    text = format_value(abs(value), unit, scale)
    if is_share(unit, scale):
        text = text.removesuffix("%") + " pp"
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


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
        their titles. Without it, dotted names are shortened (``drivers.market_access.
        weight`` -> ``market access · weight``).

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
    from ..analysis._all import SWING_SHARE  # a constant of the layer beside this one

    if isinstance(limit, bool) or not isinstance(limit, int | np.integer) or limit < 1:
        raise InputError([Problem("limit", f"expected a whole number >= 1, got {limit!r}")])
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
    label = proj.indicator(name).label if proj is not None else name.replace("_", " ")
    scenario = proj.scenario.title if proj is not None else sensitivity.scenario
    rows = sorted(sensitivity.ranking(shown_year)[: int(limit)], key=lambda r: -abs(r.swing))
    n = len(rows)
    names = assumption_labels(
        [r.assumption for r in rows], proj.scenario.case if proj is not None else None
    )
    ticks = [_wrap(names[r.assumption], 44) for r in rows]
    tallest = max((tick.count("\n") + 1 for tick in ticks), default=1)
    row = max(0.34, 0.14 * tallest + 0.12)  # rows are equal: the tallest label sets them
    ax = _new_axes((10.0, max(3.8, 2.0 + row * n))) if ax is None else ax

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
    decile = _percent(SWING_SHARE)
    ax.axvline(
        median,
        color=_BASELINE_COLOUR,
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
            _signed(r.swing, unit, scale),
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
    ax.xaxis.set_major_formatter(_value_formatter(unit, scale))
    unit_text = "%" if is_share(unit, scale) else _unit_text(unit, scale)
    ax.set_xlabel(f"{label} in {shown_year}" + (f" ({unit_text})" if unit_text else ""))
    ax.grid(True, axis="x", color=_GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)

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
        f"{_wrap(f'What drives {label} in {shown_year}', 80)}\n{_wrap(about, 95)}",
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
    _legend_beside(ax, handles=handles)
    return ax


def _cell_percent(p: float) -> str:
    """A probability in whole percent, never rounded to a certainty it is not."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"


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
    outlined in orange when that scenario declares the signpost. A signpost whose
    probability hardly differs across scenarios (``table.non_diagnostic``) has its label
    in grey italics and marked "(not diagnostic)": seeing it would not say which scenario
    is unfolding.

    Parameters
    ----------
    table
        The result of :func:`recogmodel.analysis.signposts`.
    ax
        Axes to draw on; by default a new figure of its own (not on pyplot's list). The
        colour bar takes its room from these axes.
    projections
        The projections the table was computed from, if at hand: the columns are then
        headed by the scenarios' titles rather than their names.

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
    if projections is not None:
        given = {p.name: p.scenario.title for p in _as_list(projections)}
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
    probability = np.asarray(table.probability, dtype=np.float64)
    n, m = probability.shape
    flags = [bool(f) for f in table.non_diagnostic]
    rows = [
        # "by 2029" kept on one line: wrapped with a no-break space, then a space again.
        _wrap(text.replace(" by ", " by\u00a0"), 40).replace("\u00a0", " ")
        + ("\n(not diagnostic)" if flag else "")
        for text, flag in zip(table.labels, flags, strict=True)
    ]
    columns = [_wrap(titles[s], 14) for s in table.scenarios]
    tallest = max((r.count("\n") + 1 for r in rows), default=1)
    header = max((c.count("\n") + 1 for c in columns), default=1)
    if ax is None:
        ax = _new_axes(
            (3.6 + 1.05 * max(m, 2), 1.3 + 0.16 * header + n * max(0.42, 0.15 * tallest + 0.12))
        )
    subtitle = _wrap(
        "Probability that each signpost is reached by its year, under each scenario; "
        f"orange outline: the scenario declares it; not diagnostic: the probabilities "
        f"differ by less than {table.threshold * 100:.3g} pp",
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
        probability,
        cmap=_PROBABILITY_CMAP,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
        gid="probability",
    )
    for i in range(n):
        for j in range(m):
            p = float(probability[i, j])
            ax.text(
                j,
                i,
                _cell_percent(p),
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


# ---------------------------------------------------------------------------------------
# Saving


def save(
    figure: Figure | SubFigure | Axes,
    path: str | Path,
    *,
    format: str | None = None,
    dpi: float = 150,
) -> Path:
    """Write a figure as PNG, SVG or PDF, atomically and reproducibly.

    The figure is rendered in memory and then written beside ``path`` and renamed into
    place, so a reader never sees half a file. SVG and PDF carry no creation date and SVG
    ids are derived from the figure alone, so a figure drawn by the same code from the same
    projection gives the same bytes every time.

    Parameters
    ----------
    figure
        The figure, or any axes on it.
    path
        Where to write; missing folders are created.
    format
        ``"png"``, ``"svg"`` or ``"pdf"``; by default the suffix of ``path``.
    dpi
        Resolution of PNG output (and of raster parts of the others).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        If the format is not one of PNG, SVG or PDF.
    """
    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        stated = f"'{format}'" if format else f"suffix '{target.suffix}'" if target.suffix else ""
        raise InputError(
            [
                Problem(
                    "format",
                    f"cannot write {stated or 'a file without a suffix'}; "
                    f"expected one of: {', '.join(FORMATS)}",
                )
            ]
        )
    return atomic_write(target, render(figure, fmt, dpi=dpi))


def render(
    figure: Figure | SubFigure | Axes,
    format: str = "png",
    *,
    dpi: float = 150,
    text_as_text: bool = False,
    salt: str = "recogmodel",
) -> bytes:
    """A figure rendered in memory, reproducibly: no creation date, SVG ids from ``salt``.

    ``text_as_text`` keeps SVG text as ``<text>`` elements (selectable, searchable, as an
    HTML page wants) instead of drawing the glyphs as paths (exact, as a standalone file
    wants).
    """
    root: Any = figure.figure if isinstance(figure, Axes | SubFigure) else figure
    while not isinstance(root, Figure):
        root = root.figure
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }[format]
    buffer = io.BytesIO()
    # Without a fixed salt, SVG ids are random on every save; the context is undone after.
    style: dict[Any, Any] = {"svg.hashsalt": salt}
    if text_as_text:
        style["svg.fonttype"] = "none"
    with mpl.rc_context(style):
        root.savefig(buffer, format=format, dpi=dpi, metadata=metadata)
    return buffer.getvalue()
