"""Figures of projections: how an indicator's range unfolds, year by year.

One concept a little over the usual size: the three figures share the fan, the sourced
baseline, the observed history and the signpost marks drawn here, which belong with them.

Every function draws on the :class:`~matplotlib.axes.Axes` it is given, or on a new
:class:`~matplotlib.figure.Figure` of its own (never one on pyplot's global list, so no GUI
backend is needed and nothing leaks), and returns what it drew on.

- :func:`fan_chart`: one indicator of one scenario, its median and nested ranges, the
  sourced baseline, observed history and the scenario's signposts.
- :func:`compare`: one indicator across scenarios, median and an optional range each.
- :func:`dashboard`: every indicator of a scenario as small multiples.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.figure import Figure

from ..errors import InputError, Problem
from ..text.labels import threshold_text
from ._style import (
    BASELINE_COLOUR,
    GRID_COLOUR,
    LINESTYLES,
    MARKERS,
    PALETTE,
    SIGNPOST_COLOUR,
    YScale,
    as_list,
    leave_room_for_legend,
    legend_beside,
    new_axes,
    percent,
    style_axes,
    tint,
    wrap,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes

    from ..model import Indicator
    from ..projection import Projection

__all__ = [
    "compare",
    "dashboard",
    "fan_chart",
    "fixed_events",
]

#: Colour of the marks at fixed-year events.
EVENT_COLOUR = "#6b6b6b"

_BASELINE_LABEL = "sourced baseline"
_BASELINE_RANGE_LABEL = "sourced baseline (bar: its 90 % range)"


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


def _earliest_year(proj: Projection, ind: Indicator) -> int:
    """The first year drawn: the start, or an earlier baseline or observation."""
    known = [] if ind.baseline is None else [ind.baseline.year]
    return min([int(proj.years[0]), *known, *ind.history])


def _draw_baseline(ax: Axes, ind: Indicator, size: float) -> None:
    """The sourced baseline: its median, and its 90 % range as a bar when it is uncertain."""
    base = ind.baseline
    if base is None:  # derived: its first value is the projection's own
        return
    median = float(base.value.ppf(0.5))
    if not base.value.is_fixed:
        low, high = (float(v) for v in base.value.ppf([0.05, 0.95]))
        ax.plot(
            [base.year, base.year],
            [low, high],
            color=BASELINE_COLOUR,
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
        markeredgecolor=BASELINE_COLOUR,
        markeredgewidth=1.4,
        zorder=5,
        gid="baseline",
        label=_BASELINE_LABEL if base.value.is_fixed else _BASELINE_RANGE_LABEL,
    )


def _draw_history(ax: Axes, ind: Indicator, size: float) -> None:
    """The observed history, as points."""
    if not ind.history:
        return
    years = sorted(ind.history)
    ax.plot(
        years,
        [ind.history[y].value for y in years],
        linestyle="none",
        marker="o",
        markersize=size,
        color=BASELINE_COLOUR,
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
            color=SIGNPOST_COLOUR,
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
            color=SIGNPOST_COLOUR,
            zorder=6,
            gid=f"{gid}:marker",
        )
        text = f"{threshold_text(ind, 'above' if above else 'below', value)} by {sp.by}"
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
            color=SIGNPOST_COLOUR,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6},
            zorder=6,
            gid=f"{gid}:label",
        )
        drawn += 1
    return drawn


def fixed_events(proj: Projection, indicator: str) -> list[tuple[int, str]]:
    """The events at a fixed year that move ``indicator``: (year, label), by year.

    An event moves the indicator when it jumps it, or shifts a driver with an effect on it.
    """
    case = proj.scenario.case
    movers = {d for d, driver in case.drivers.items() if indicator in driver.effects}
    found = []
    for event in case.events.values():
        if event.year is None or not proj.years[0] < event.year <= proj.years[-1]:
            continue
        if indicator in event.effects.indicators or movers & set(event.effects.drivers):
            found.append((event.year, event.label))
    return sorted(found)


def _draw_fixed_events(ax: Axes, proj: Projection, indicator: str, *, fontsize: float) -> None:
    """A dotted line at each fixed-year event that moves the indicator, with its label."""
    for year, label in fixed_events(proj, indicator):
        ax.axvline(year, color=EVENT_COLOUR, linestyle=":", linewidth=1.0, zorder=2, gid="event")
        ax.annotate(
            textwrap.shorten(label, 34, placeholder="…"),
            xy=(year, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-2, -2),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=fontsize,
            color=EVENT_COLOUR,
        )


def _fan(
    ax: Axes,
    proj: Projection,
    indicator: str,
    bands: Sequence[float],
    *,
    colour: str,
    compact: bool,
    yscale: YScale = "auto",
    first_year: int | None = None,
) -> None:
    """A fan of nested ranges around the median, with baseline, history and signposts.

    ``first_year`` starts the x-axis (default: the earliest year this indicator has).
    """
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
            facecolor=tint(colour, strength),
            edgecolor="none",
            linewidth=0,
            zorder=1 + i / (n + 1),
            label=f"{percent(width)} range",
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
    first = _earliest_year(proj, ind) if first_year is None else first_year
    _draw_fixed_events(ax, proj, indicator, fontsize=6.5 if compact else 8)
    _draw_history(ax, ind, 4 if compact else 5)
    _draw_baseline(ax, ind, 4.5 if compact else 6)
    _draw_signposts(ax, proj, indicator, first, years[-1], fontsize=6.5 if compact else 8)
    style_axes(ax, ind, first, years[-1], yscale=yscale)


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
    ax = new_axes((7.5, 4.6)) if ax is None else ax
    _fan(ax, proj, indicator, bands, colour=colour, compact=False, yscale=yscale)
    ax.set_title(
        f"{wrap(ind.label, 64)}\nScenario: {proj.scenario.title}",
        loc="left",
        fontsize=11,
    )
    if legend:
        ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
        leave_room_for_legend(ax)
    return ax


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
    projs = as_list(projections)
    inds = [p.indicator(indicator) for p in projs]
    if band is not None:
        _band_quantiles([band])
    if band_style not in ("bars", "shade"):
        raise InputError([Problem("band_style", f"expected 'bars' or 'shade', got {band_style!r}")])
    ind = inds[0]
    n = len(projs)
    ax = new_axes((9.0, 4.8)) if ax is None else ax
    last = max(p.years[-1] for p in projs)
    # Each bar is its scenario's range in its own last year: say so when they differ.
    when = str(last) if len({p.years[-1] for p in projs}) == 1 else "each one's last year"
    gap, spacing = 0.45, min(0.22, 1.6 / n)
    for i, proj in enumerate(projs):
        colour = PALETTE[i % len(PALETTE)]
        style = LINESTYLES[i % len(LINESTYLES)]
        marker = MARKERS[i % len(MARKERS)]
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
            label=wrap(proj.scenario.title, 26),
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
        key = (
            (0, 0.0) if k.baseline is None else (k.baseline.year, float(k.baseline.value.ppf(0.5)))
        )
        if key not in seen:
            _draw_baseline(ax, k, 6)
            _draw_history(ax, k, 5)
            seen.add(key)
    first = min(_earliest_year(p, k) for p, k in zip(projs, inds, strict=True))
    style_axes(ax, ind, first, last, yscale=yscale)
    what = "median"
    if band is not None and band_style == "bars":
        right = last + gap + (n - 1) * spacing
        ax.set_xlim(right=right + 0.35)
        ax.axvline(last + gap / 2, color=GRID_COLOUR, linewidth=0.8, zorder=0)
        ax.annotate(
            f"{percent(band)} range\nin {when}",
            xy=((last + gap / 2 + right + 0.35) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="#444444",
        )
        what = f"median (lines) and {percent(band)} range in {when} (bars)"
    elif band is not None:
        what = f"median (lines) and {percent(band)} range (shaded)"
    ax.set_title(f"{wrap(ind.label, 64)}\nBy scenario: {what}", loc="left", fontsize=11)
    if legend:
        legend_beside(ax, handlelength=3.2)
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
    height = 0.6 + 2.75 * nrows
    fig = Figure(figsize=(width, height))
    # Fixed margins, in inches, instead of a layout engine: the panels are alike, so one
    # layout fits them all, and measuring every tick label of every panel (as constrained
    # layout does) was half of the time it took to draw a dashboard.
    fig.subplots_adjust(
        left=0.75 / width,
        right=1 - 0.2 / width,
        top=1 - 1.0 / height,
        bottom=0.45 / height,
        wspace=0.32,
        hspace=0.6,
    )
    axes: list[Axes] = list(fig.subplots(nrows, ncols, squeeze=False).ravel())
    # One x-range for every panel, so a year sits at the same place in each.
    first = min(_earliest_year(proj, proj.indicator(k)) for k in proj.indicators)
    for ax, k in zip(axes, proj.indicators, strict=False):
        _fan(ax, proj, k, bands, colour=PALETTE[0], compact=True, yscale=yscale, first_year=first)
        ind = proj.indicator(k)
        ax.set_title(wrap(ind.label, int(width * 10.5 / ncols)), loc="left", fontsize=8.5)
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
        fig.subplots_adjust(bottom=1.0 / height)
        fig.legend(handles, labels, loc="lower center", ncols=4, fontsize=8.5, frameon=False)
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
