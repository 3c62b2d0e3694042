"""The report's fan charts and comparisons, written as plain SVG, cheaply.

A report of six scenarios and ten indicators holds seventy of these charts; drawn by
matplotlib they cost the report most of its time. :func:`fan_svg` writes the chart
:func:`recogmodel.plot.fan_chart` draws (the median, the 50, 80 and 90 % ranges, the
sourced baseline, the observed history, the scenario's signposts, the events fixed to a
year) and :func:`compare_svg` the one :func:`recogmodel.plot.compare` draws (each
scenario's median, its 90 % range in the last year as a bar), straight as SVG elements, in
about a millisecond each. The axes follow the figures' rules (years on round steps, a log
axis for a positive amount spanning more than a factor 30, shares and positive amounts
from zero). Text is SVG text of 11 px or more at the drawing's own size, and every text
is escaped. The charts carry no ids, so any number of them can share a page.
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import TYPE_CHECKING

from ..plot._style import (
    AUTO_LOG_RATIO,
    BASELINE_COLOUR,
    PALETTE,
    SIGNPOST_COLOUR,
    tint,
    year_ticks,
)
from ..plot.projections import EVENT_COLOUR, fixed_events
from ..text.labels import threshold_text
from ..text.numbers import format_value, is_share

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Indicator
    from ..projection import Projection

__all__ = ["compare_svg", "fan_svg"]

#: The drawing's width, the plot area's height and its margins, in CSS px.
WIDTH, PLOT_HEIGHT = 640, 246
LEFT, RIGHT, TOP = 64, 24, 58
#: The central ranges shaded, widest first, and the share of the colour each is tinted.
BANDS = ((0.9, 0.18), (0.8, 0.34), (0.5, 0.5))
#: Dashes of each scenario's median (SVG ``stroke-dasharray``), as the figures' line styles.
DASHES = ("", "12 4", "2 3", "12 4 2 4", "6 3 2 3 2 3", "20 6", "4 6", "12 4 4 4 4 4")
#: Markers of each scenario, as the figures' (circle, square, diamond, triangles...).
SHAPES = ("o", "s", "D", "^", "v", "o", "s", "D")
_GAP, _KEY_ROW = 0.45, 18


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _text(tx: float, ty: float, words: str, *, size: int = 11, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="{size}"{extra}>{_esc(words)}</text>'


def _marker(shape: str, cx: float, cy: float, fill: str, stroke: str, r: float = 4.0) -> str:
    """A marker of the figures' shapes, centred on (cx, cy)."""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="1.3"'
    if shape == "o":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r * 0.9:.1f}" {paint}/>'
    if shape == "s":
        return f'<rect x="{cx - r * 0.8:.1f}" y="{cy - r * 0.8:.1f}" width="{r * 1.6:.1f}" height="{r * 1.6:.1f}" {paint}/>'  # noqa: E501
    corners = {
        "D": [(0, -r * 1.2), (r, 0), (0, r * 1.2), (-r, 0)],
        "^": [(-r, r * 0.8), (r, r * 0.8), (0, -r)],
        "v": [(-r, -r * 0.8), (r, -r * 0.8), (0, r)],
    }[shape]
    pts = " ".join(f"{cx + dx:.1f},{cy + dy:.1f}" for dx, dy in corners)
    return f'<polygon points="{pts}" {paint}/>'


def _value_ticks(low: float, high: float, log: bool) -> list[float]:
    """Round values on the axis: 1, 2, 5 times a power of ten on a log axis."""
    if log:
        ticks = [
            m * 10.0**e
            for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
            for m in (1, 2, 5)
        ]
        return [t for t in ticks if low <= t <= high]
    from matplotlib.ticker import MaxNLocator  # a locator alone draws nothing

    slack = 1e-9 * (high - low)
    found = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    return [float(t) for t in found if low - slack <= t <= high + slack]


class _Frame:
    """One chart: its title, axes (years along x, the indicator along y) and legend."""

    def __init__(
        self,
        ind: Indicator,
        years: tuple[float, float],
        values: Sequence[float],
        title: Sequence[str],
        keys: Sequence[tuple[str, str]],
    ) -> None:
        self.ind = ind
        self.first, self.right = years
        finite = [v for v in values if math.isfinite(v)]
        low, high = min(finite), max(finite)
        self.log = ind.scale == "log" and low > 0 and high / low > AUTO_LOG_RATIO
        if not self.log and (is_share(ind.unit, ind.scale) or ind.scale == "log"):
            low = min(low, 0.0)
        if high <= low:
            high = low + (abs(low) or 1.0)
        if self.log:
            low, high = low / (high / low) ** 0.04, high * (high / low) ** 0.04
        else:
            pad = (high - low) * 0.05
            low, high = (low if low == 0 else low - pad), high + pad
        self.low, self.high = low, high
        self.top = TOP + 16 * max(0, len(title) - 2)
        self.bottom = self.top + PLOT_HEIGHT
        self.keys, rows = self._laid_keys(keys)
        self.height = self.bottom + 30 + _KEY_ROW * rows
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{self.height}" '
            f'viewBox="0 0 {WIDTH} {self.height}" font-family="system-ui, sans-serif" '
            'fill="#222">'
        ]
        for i, line in enumerate(title):
            bold = {"font_weight": "600"} if i < len(title) - 1 else {}
            self.parts.append(_text(8, 18 + 16 * i, line, size=13 if bold else 11, **bold))

    def _laid_keys(
        self, keys: Sequence[tuple[str, str]]
    ) -> tuple[list[tuple[float, int, str, str]], int]:
        """Each legend key placed (x, row), left to right, wrapping to the width."""
        placed, kx, row = [], 8.0, 0
        for mark, label in keys:
            room = 22 + 6.2 * len(label) + 14
            if kx + room > WIDTH and kx > 8:
                kx, row = 8.0, row + 1
            placed.append((kx, row, mark, label))
            kx += room
        return placed, row + 1 if keys else 0

    def x(self, year: float) -> float:
        """The x of a year."""
        return LEFT + (WIDTH - RIGHT - LEFT) * (year - self.first + 0.4) / (
            self.right - self.first + 0.4
        )

    def y(self, value: float) -> float:
        """The y of a value."""
        if self.log:
            share = (math.log(value) - math.log(self.low)) / (
                math.log(self.high) - math.log(self.low)
            )
        else:
            share = (value - self.low) / (self.high - self.low)
        return self.bottom - (self.bottom - self.top) * share

    def points(self, pairs: Sequence[tuple[float, float]]) -> str:
        """SVG points of (year, value) pairs."""
        return " ".join(f"{self.x(a):.1f},{self.y(b):.1f}" for a, b in pairs)

    def axes(self, last: int) -> None:
        """The grid, the value and year ticks, and the unit once, above the values."""
        ind = self.ind
        for value in _value_ticks(self.low, self.high, self.log):
            ty = self.y(value)
            self.parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
                'stroke="#d9d9d9" stroke-width="0.8"/>'
            )
            shown = format_value(value, ind.unit, ind.scale)
            self.parts.append(_text(LEFT - 6, ty + 4, shown, text_anchor="end"))
        for year in year_ticks(int(self.first), last):
            tx = self.x(year)
            self.parts.append(_text(tx, self.bottom + 16, str(year), text_anchor="middle"))
            self.parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{self.bottom}" y2="{self.bottom + 4}" '
                'stroke="#444"/>'
            )
        unit = ind.unit.strip() + (" (log scale)" if self.log else "")
        if unit and not is_share(ind.unit, ind.scale):
            self.parts.append(_text(8, self.top - 6, unit, fill="#555"))

    def sources(self, ind: Indicator) -> None:
        """The sourced baseline (a diamond, with its 90 % range as a bar) and the history."""
        for year, point in sorted(ind.history.items()):
            self.parts.append(_marker("o", self.x(year), self.y(point.value), "#000", "#000", 3.8))
        base = ind.baseline
        if base is None:
            return
        bx, mid = self.x(base.year), self.y(float(base.value.ppf(0.5)))
        if not base.value.is_fixed:
            low, high = (self.y(float(v)) for v in base.value.ppf([0.05, 0.95]))
            self.parts.append(
                f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{low:.1f}" y2="{high:.1f}" '
                f'stroke="{BASELINE_COLOUR}" stroke-width="1.4"/>'
            )
        self.parts.append(_marker("D", bx, mid, "white", BASELINE_COLOUR, 5.0))

    def finish(self) -> str:
        """The axis lines and the legend drawn; the whole ``<svg>`` element."""
        self.parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{self.bottom}" y2="{self.bottom}" '
            'stroke="#444"/>'
        )
        self.parts.append(
            f'<line x1="{LEFT}" x2="{LEFT}" y1="{self.top}" y2="{self.bottom}" stroke="#444"/>'
        )
        for kx, row, mark, label in self.keys:
            ky = self.bottom + 44 + _KEY_ROW * row
            self.parts.append(f'<g transform="translate({kx:.1f},{ky - 9:.1f})">{mark}</g>')
            self.parts.append(_text(kx + 20, ky, label))
        self.parts.append("</svg>")
        return "".join(self.parts)


def _source_keys(inds: Sequence[Indicator]) -> list[tuple[str, str]]:
    """Legend keys of the sourced baseline and of observed history, when drawn."""
    keys = []
    bases = [i.baseline for i in inds if i.baseline is not None]
    if bases:
        fixed = all(b.value.is_fixed for b in bases)
        label = "sourced baseline" + ("" if fixed else " (bar: its 90 % range)")
        keys.append((_marker("D", 7, 5, "white", BASELINE_COLOUR, 4.5), label))
    if any(i.history for i in inds):
        keys.append((_marker("o", 7, 5, "#000", "#000", 3.5), "observed"))
    return keys


def _values_of(ind: Indicator) -> list[float]:
    """The values the sourced baseline and history put on the chart."""
    values = [p.value for p in ind.history.values()]
    if ind.baseline is not None:
        values += [float(v) for v in ind.baseline.value.ppf([0.05, 0.5, 0.95])]
    return values


def _earliest(proj: Projection, ind: Indicator) -> int:
    """The first year drawn: the start, or an earlier baseline or observation."""
    known = [ind.baseline.year] if ind.baseline is not None else []
    return min([proj.years[0], *known, *ind.history])


def fan_svg(proj: Projection, indicator: str) -> str:
    """One indicator of one scenario as an SVG fan chart.

    Parameters
    ----------
    proj
        The scenario's projection.
    indicator
        The indicator's id.

    Returns
    -------
    str
        An ``<svg>`` element sized in CSS px, with a ``viewBox`` so it scales down.
    """
    ind = proj.indicator(indicator)
    years = [float(year) for year in proj.years]
    levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
    q = proj.quantiles(indicator, levels)
    column = {level: [float(v) for v in q[:, i]] for i, level in enumerate(levels)}
    signposts = [sp for sp in proj.scenario.signposts if sp.indicator == indicator]
    events = fixed_events(proj, indicator)
    colour = PALETTE[0]
    keys = [
        (f'<rect width="14" height="10" fill="{_hex(tint(colour, s))}"/>', f"{w:.0%} range")
        for w, s in BANDS
    ]
    keys.append(
        (f'<line x1="0" x2="14" y1="5" y2="5" stroke="{colour}" stroke-width="2"/>', "median")
    )
    keys += _source_keys([ind])
    if signposts:
        dash = 'stroke-width="1.3" stroke-dasharray="5 2.5"'
        line = f'<line x1="0" x2="14" y1="5" y2="5" stroke="{SIGNPOST_COLOUR}" {dash}/>'
        keys.append((line, "signpost"))
    if events:
        line = f'<line x1="7" x2="7" y1="0" y2="10" stroke="{EVENT_COLOUR}" '
        keys.append((line + 'stroke-dasharray="1.5 2.5"/>', "event fixed to a year"))
    values = column[0.05] + column[0.95] + [sp.threshold for sp in signposts] + _values_of(ind)
    title = [*textwrap.wrap(ind.label, 80)[:2], f"Scenario: {proj.scenario.title}"]
    first, last = _earliest(proj, ind), proj.years[-1]
    chart = _Frame(ind, (first, last + 0.4), values, title, keys)
    chart.axes(last)
    for width, strength in BANDS:
        lo, hi = column[round((1 - width) / 2, 3)], column[round((1 + width) / 2, 3)]
        outline = list(zip(years, hi, strict=True)) + list(zip(years, lo, strict=True))[::-1]
        fill = _hex(tint(colour, strength))
        chart.parts.append(f'<polygon points="{chart.points(outline)}" fill="{fill}"/>')
    median = chart.points(list(zip(years, column[0.5], strict=True)))
    chart.parts.append(
        f'<polyline points="{median}" fill="none" stroke="{colour}" stroke-width="2"/>'
    )
    for year, label in events:
        ex = chart.x(year)
        chart.parts.append(
            f'<line x1="{ex:.1f}" x2="{ex:.1f}" y1="{chart.top}" y2="{chart.bottom}" '
            f'stroke="{EVENT_COLOUR}" stroke-dasharray="1.5 2.5"/>'
        )
        short = textwrap.shorten(label, 34, placeholder="…")
        chart.parts.append(
            _text(ex - 3, chart.top + 12, short, size=11, text_anchor="end", fill=EVENT_COLOUR)
        )
    chart.sources(ind)
    for sp in signposts:
        above = sp.above is not None
        sy, sx = chart.y(sp.threshold), chart.x(sp.by)
        chart.parts.append(
            f'<line x1="{chart.x(first):.1f}" x2="{sx:.1f}" y1="{sy:.1f}" y2="{sy:.1f}" '
            f'stroke="{SIGNPOST_COLOUR}" stroke-width="1.3" stroke-dasharray="5 2.5"/>'
        )
        shape = "^" if above else "v"
        chart.parts.append(_marker(shape, sx, sy, SIGNPOST_COLOUR, SIGNPOST_COLOUR, 4.5))
        words = f"{threshold_text(ind, 'above' if above else 'below', sp.threshold)} by {sp.by}"
        left = sx - LEFT > WIDTH - RIGHT - sx
        chart.parts.append(
            _text(
                sx - 8 if left else sx + 8,
                sy - 6 if above else sy + 15,
                words,
                text_anchor="end" if left else "start",
                fill=SIGNPOST_COLOUR,
                stroke="white",
                stroke_width="3",
                paint_order="stroke",
            )
        )
    return chart.finish()


def compare_svg(projections: Sequence[Projection], indicator: str) -> str:
    """One indicator under every scenario as an SVG chart: medians, and 90 % range bars.

    Parameters
    ----------
    projections
        One projection per scenario, each with the indicator, in the legend's order.
    indicator
        The id of the indicator compared.

    Returns
    -------
    str
        The ``<svg>`` element, as :func:`fan_svg` gives it.
    """
    inds = [p.indicator(indicator) for p in projections]
    ind = inds[0]
    n = len(projections)
    last = max(p.years[-1] for p in projections)
    when = str(last) if len({p.years[-1] for p in projections}) == 1 else "each one's last year"
    spacing = min(0.22, 1.6 / n)
    right = last + _GAP + (n - 1) * spacing + 0.35
    ranges = [p.quantiles(indicator, [0.05, 0.5, 0.95]) for p in projections]
    keys = []
    for i, proj in enumerate(projections):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        line = f'<line x1="-4" x2="18" y1="5" y2="5" stroke="{colour}" stroke-width="2"'
        line += f' stroke-dasharray="{dash}"/>' if dash else "/>"
        mark = line + _marker(SHAPES[i % len(SHAPES)], 7, 5, colour, colour, 3.5)
        keys.append((mark, proj.scenario.title))
    keys += _source_keys(inds)
    values = [float(v) for q in ranges for v in q.ravel()]
    for k in inds:
        values += _values_of(k)
    first = min(_earliest(p, k) for p, k in zip(projections, inds, strict=True))
    title = [
        *textwrap.wrap(ind.label, 80)[:2],
        f"By scenario: median (lines) and 90 % range in {when} (bars)",
    ]
    chart = _Frame(ind, (first, right), values, title, keys)
    chart.axes(last)
    split = chart.x(last + _GAP / 2)
    chart.parts.append(
        f'<line x1="{split:.1f}" x2="{split:.1f}" y1="{chart.top}" y2="{chart.bottom}" '
        'stroke="#d9d9d9"/>'
    )
    middle = (split + chart.x(right)) / 2
    for i, words in enumerate(["90 % range", f"in {when}"]):
        chart.parts.append(
            _text(
                middle, chart.top - 18 + 12 * i, words, size=11, text_anchor="middle", fill="#444"
            )
        )
    seen: set[tuple[int, float]] = set()
    for k in inds:
        key = (
            (0, 0.0) if k.baseline is None else (k.baseline.year, float(k.baseline.value.ppf(0.5)))
        )
        if key not in seen:
            chart.sources(k)
            seen.add(key)
    every = max(3, n)
    for i, (proj, q) in enumerate(zip(projections, ranges, strict=True)):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        shape = SHAPES[i % len(SHAPES)]
        median = [(float(y), float(v)) for y, v in zip(proj.years, q[:, 1], strict=True)]
        style = f' stroke-dasharray="{dash}"' if dash else ""
        chart.parts.append(
            f'<polyline points="{chart.points(median)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{style}/>'
        )
        for year, value in median[i % every :: every]:  # markers in turn: lines may coincide
            chart.parts.append(_marker(shape, chart.x(year), chart.y(value), colour, colour, 3.2))
        bx = chart.x(last + _GAP + i * spacing)
        chart.parts.append(
            f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{chart.y(float(q[-1, 0])):.1f}" '
            f'y2="{chart.y(float(q[-1, 2])):.1f}" stroke="{colour}" stroke-width="3"/>'
        )
        chart.parts.append(_marker(shape, bx, chart.y(float(q[-1, 1])), "white", colour, 3.4))
    return chart.finish()
