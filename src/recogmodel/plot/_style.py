"""The look every figure shares: palette, line styles, markers, axes, ticks, legends, wrapping.

Colours come from the Okabe–Ito palette, which readers with any common form of colour
blindness can tell apart; lines that must be told apart also differ in line style and
marker, so a figure survives grayscale printing. Every style choice is made on the axes
being drawn, never in global ``rcParams``.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullLocator

from ..errors import InputError, Problem
from ..projection import Projection
from ..text.numbers import format_value, is_share

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes

    from ..model import Indicator

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
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")

#: How a figure's y-axis is scaled: ``"auto"`` is log for a positive amount whose drawn
#: values span more than a factor :data:`AUTO_LOG_RATIO`, linear otherwise.
YScale = Literal["auto", "linear", "log"]

#: The span (highest over lowest drawn value) beyond which ``yscale="auto"`` goes log.
AUTO_LOG_RATIO = 30.0

BASELINE_COLOUR = "#000000"
SIGNPOST_COLOUR = "#D55E00"
GRID_COLOUR = "#d9d9d9"


def new_axes(figsize: tuple[float, float]) -> Axes:
    """An Axes on a figure of its own, not registered with pyplot."""
    fig = Figure(figsize=figsize, layout="constrained")
    ax: Axes = fig.add_subplot()
    return ax


def as_list(projections: Projection | Sequence[Projection]) -> list[Projection]:
    """One projection or several, as a list of at least one."""
    items = [projections] if isinstance(projections, Projection) else list(projections)
    if not items:
        raise InputError([Problem("projections", "expected at least one projection")])
    return items


def percent(share: float) -> str:
    """0.9 -> '90 %' (the space as the published style has it)."""
    return f"{share * 100:.3g} %"


def tint(colour: str, strength: float) -> tuple[float, float, float]:
    """``colour`` mixed with white: 0 is white, 1 the colour itself."""
    rgb = np.asarray(to_rgb(colour))
    mixed = 1.0 - strength * (1.0 - rgb)
    return (float(mixed[0]), float(mixed[1]), float(mixed[2]))


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) or text


def value_formatter(unit: str, scale: str) -> FuncFormatter:
    """Tick labels as a reader expects them: percentages for shares, separators for
    thousands, a few significant digits otherwise.
    """

    def fmt(value: float, _pos: int | None = None) -> str:
        if abs(value) < 1e-12:  # a tick at zero, not 1e-17 from floating point
            value = 0.0
        return format_value(value, unit, scale)

    return FuncFormatter(fmt)


def unit_text(unit: str, scale: str) -> str:
    """The unit as an axis label says it, once: a share's ticks already say "%"."""
    del scale  # the ticks of a share carry the "%", so its label needs no "(%)"
    return unit.strip()


def year_ticks(first: int, last: int) -> list[int]:
    """Whole years on round steps, none past ``last`` (space there may hold range bars)."""
    span = last - first
    step = 1 if span <= 8 else 2 if span <= 18 else 5 if span <= 45 else 10
    return list(range(-(-first // step) * step, last + 1, step))


def auto_scale(ax: Axes, ind: Indicator) -> Literal["linear", "log"]:
    """Log when a positive amount spans so many multiples that a linear axis would flatten
    its lower part (the range of the drawn data wider than a factor :data:`AUTO_LOG_RATIO`).
    """
    low, high = ax.dataLim.y0, ax.dataLim.y1
    if ind.scale == "log" and low > 0 and high / low > AUTO_LOG_RATIO:
        return "log"
    return "linear"


def style_axes(
    ax: Axes,
    ind: Indicator,
    first_year: int,
    last_year: int,
    *,
    yscale: YScale = "auto",
) -> None:
    """Years along x, the indicator's values along y (scaled as asked), a light grid."""
    if yscale == "auto":
        yscale = auto_scale(ax, ind)
    if yscale == "log":
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        # No minor ticks: unlabelled, they were most of the axes' artists (and drawing time).
        ax.yaxis.set_minor_locator(NullLocator())
    elif yscale != "linear":
        raise InputError([Problem("yscale", f"expected 'auto', 'linear' or 'log', got {yscale!r}")])
    elif is_share(ind.unit, ind.scale) or ind.scale == "log":
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(value_formatter(ind.unit, ind.scale))
    ax.xaxis.set_major_locator(FixedLocator(year_ticks(first_year, last_year)))
    ax.set_xlim(first_year - 0.4, last_year + 0.4)
    ax.set_ylabel(unit_text(ind.unit, ind.scale) + (" (log scale)" if yscale == "log" else ""))
    frame(ax, grid="y")


def frame(ax: Axes, *, grid: Literal["x", "y"], hide: tuple[str, ...] = ("top", "right")) -> None:
    """A light grid behind the data along ``grid``, and no frame line on the ``hide`` sides."""
    ax.grid(True, axis=grid, color=GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in hide:
        ax.spines[side].set_visible(False)


def legend_beside(ax: Axes, **options: Any) -> None:
    """A frameless legend to the right of the axes, top-aligned, where it hides no data."""
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        labelspacing=0.9,
        **options,
    )


def leave_room_for_legend(ax: Axes, share: float = 0.28) -> None:
    """Raise the top of the y-axis so an upper legend does not sit on the data."""
    low, high = ax.get_ylim()
    if ax.get_yscale() == "log":
        ax.set_ylim(low, high * (high / low) ** share)
    else:
        ax.set_ylim(low, high + (high - low) * share)
