"""The report's figures as inline SVG: text kept as text, ids unique to the page.

:func:`figure_groups` draws every figure of the report, in reading order;
:func:`inline_svg` turns one figure into markup that can sit in an HTML page beside two
dozen others.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import view

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from ..analysis import SignpostTable
    from ..projection import Projection
    from ..study import Study

__all__ = ["divergent_indicator", "figure_groups", "headline_figure", "inline_svg"]

_ID = re.compile(r'(?<=\s)id="([^"]*)"')
_REF = re.compile(r'(url\(#|href="#)([^")]*)')
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")
_SVG_STYLE = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)
_EMPTY_DEFS = re.compile(r"\s*<defs>\s*</defs>")


def inline_svg(figure: Figure | SubFigure | Axes, prefix: str, label: str) -> str:
    """A figure as SVG markup to inline in HTML: text kept as text, ids unique to the page.

    matplotlib numbers its ids per figure (``patch_1``, ``axes_1``) and repeats gids, so
    two figures on one page would share ids and one figure's clip paths could clip
    another's; every id (and every reference to one) gets the figure's prefix. The XML
    prolog and DOCTYPE go, and so does matplotlib's ``<style>`` (its rule would apply to
    the whole page; the report's stylesheet scopes it to figures).

    Parameters
    ----------
    figure
        The figure, or any axes or subfigure of it.
    prefix
        Put before every id; unique to the figure on its page.
    label
        What the figure shows, for screen readers (``aria-label``).

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    from ..plot.output import render

    text = render(figure, "svg", text_as_text=True, salt=prefix).decode("utf-8")
    text = text[text.index("<svg") :]
    text = _EMPTY_DEFS.sub("", _SVG_STYLE.sub("", text, count=1), count=1)
    seen: dict[str, str] = {}
    used: set[str] = set()

    def rename(match: re.Match[str]) -> str:
        old = match.group(1)
        base = f"{prefix}-{_UNSAFE_ID.sub('_', old)}"
        new, n = base, 1
        while new in used:
            n += 1
            new = f"{base}-{n}"
        used.add(new)
        seen.setdefault(old, new)
        return f'id="{new}"'

    text = _ID.sub(rename, text)
    text = _REF.sub(lambda m: m.group(1) + seen.get(m.group(2), m.group(2)), text)
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1).strip()


def figure_groups(
    study: Study,
    table: SignpostTable,
    tornado_indicators: Sequence[str],
    step: Callable[[], None],
) -> list[view.FigureGroup]:
    """Every figure of the report, drawn and grouped under its heading.

    A comparison of every scenario per indicator; a fan chart per indicator for the
    study's lead scenario (folded); tornado charts for the lead too; the driver weights of
    every scenario; the signpost matrix.

    Parameters
    ----------
    study
        The study reported (its projections are computed already).
    table
        The signposts of every scenario.
    tornado_indicators
        The indicators that get a tornado chart of their range in the last year.
    step
        Called after each figure is drawn.

    Returns
    -------
    list[view.FigureGroup]
    """
    from .. import plot

    projections = list(study.projections.values())
    first = study.projection()
    indicators = first.indicators
    labels = {k: first.indicator(k).label for k in indicators}
    title = first.scenario.title
    last = first.years[-1]
    groups = []

    def figure(fid: str, caption: str, drawn: Figure | Axes) -> view.Figure:
        svg = inline_svg(drawn, fid, caption)
        step()
        return view.Figure(fid, caption, svg)

    compare = [
        figure(
            f"fig-compare-{k}",
            f"{labels[k]} under every scenario: medians by year, and 90 % ranges in "
            f"{_last_years(projections)} (bars on the right).",
            plot.compare([p for p in projections if k in p.indicators], k),
        )
        for k in indicators
    ]
    groups.append(
        view.FigureGroup(
            "figures-compare",
            "Each indicator, scenario by scenario",
            "One chart per indicator: each scenario's median year by year, and the range "
            "that holds 90 % of its draws in the last year. Black diamonds mark the sourced "
            "baselines.",
            compare,
        )
    )
    for proj in [first]:  # every scenario's fans would cost the report its speed target
        own = proj.scenario.title
        lead = proj.name == first.name
        prefix = "fig-fan" if lead else f"fig-fan-{proj.name}"
        fans = [
            figure(
                f"{prefix}-{k}",
                f"{labels[k]} under “{own}”: median and 50, 80 and 90 % ranges.",
                plot.fan_chart(proj, k),
            )
            for k in proj.indicators
        ]
        groups.append(
            view.FigureGroup(
                "figures-fans" if lead else f"figures-fans-{proj.name}",
                f"Fan charts: “{own}”",
                "How wide the range of each indicator grows, year by year, under "
                f"“{own}”: the darker the band, the more of the draws it holds. "
                "Dashed orange lines are the scenario's signposts; dotted grey lines, "
                "events fixed to a year.",
                fans,
                folded=True,
            )
        )
    groups.append(
        view.FigureGroup(
            "figures-weights",
            "What each scenario assumes the actor cares about",
            "Each driver's weight after normalisation (the shares sum to 1 in every draw): "
            "the marker is the median, the thick bar the middle 50 % and the thin bar 90 %.",
            [
                figure(
                    "fig-driver-weights",
                    "Normalised driver weights, by scenario.",
                    plot.driver_weights(projections),
                )
            ],
        )
    )
    tornadoes = [
        figure(
            f"fig-tornado-{k}",
            f"{labels[k]}: what drives its range in {last} under “{title}”.",
            plot.tornado(study.sensitivity(k, last), proj=first),
        )
        for k in tornado_indicators
    ]
    if tornadoes:
        groups.append(
            view.FigureGroup(
                "figures-tornado",
                "What drives the ranges",
                "For the indicators behind the top research priorities: each bar runs from "
                "the indicator's median when an assumption is in its bottom tenth of draws to "
                "its median when it is in its top tenth. Grey hatched bars are no larger than "
                "noise.",
                tornadoes,
            )
        )
    groups.append(
        view.FigureGroup(
            "figures-signposts",
            "Which signposts tell the scenarios apart",
            "The probability that each signpost is reached by its year, under each scenario. "
            "A signpost about equally likely everywhere would not say which future is "
            "unfolding.",
            [
                figure(
                    "fig-signpost-matrix",
                    "Signposts by scenario: probability of being reached by their year.",
                    plot.signpost_matrix(table, projections=projections),
                )
            ],
        )
    )
    return groups


def divergent_indicator(projections: Sequence[Projection]) -> str:
    """The indicator on which the scenarios' medians part most at the horizon.

    The spread of the medians is measured against the typical width of the scenarios'
    90 % ranges, so indicators in different units compare.

    Parameters
    ----------
    projections
        One projection per scenario, sharing their indicators.

    Returns
    -------
    str
        The indicator's id (the first indicator when there is one scenario).
    """
    first = projections[0]
    if len(projections) < 2:
        return first.indicators[0]
    best, most = first.indicators[0], -1.0
    for k in first.indicators:
        if not all(k in p.indicators for p in projections):
            continue
        q = [p.quantiles(k, [0.05, 0.5, 0.95])[-1] for p in projections]
        medians = [float(row[1]) for row in q]
        width = sum(float(row[2] - row[0]) for row in q) / len(q)
        spread = (max(medians) - min(medians)) / width if width > 0 else 0.0
        if spread > most:
            best, most = k, spread
    return best


def headline_figure(study: Study, indicator: str) -> view.Figure:
    """The report's headline: every scenario on the indicator named, in one chart.

    Parameters
    ----------
    study
        The study reported (its projections are computed already).
    indicator
        The indicator to compare.

    Returns
    -------
    view.Figure
    """
    from .. import plot

    projections = list(study.projections.values())
    label = projections[0].indicator(indicator).label
    caption = (
        f"{label}: each scenario's median year by year, and its 90 % range in "
        f"{_last_years(projections)} (bars on the right)."
    )
    drawn = plot.compare([p for p in projections if indicator in p.indicators], indicator)
    return view.Figure("fig-headline", caption, inline_svg(drawn, "fig-headline", caption))


def _last_years(projections: Sequence[Projection]) -> str:
    """The year the comparison's ranges are drawn in: each scenario's own horizon."""
    last = sorted({p.years[-1] for p in projections})
    if len(last) == 1:
        return str(last[0])
    return f"each scenario's last projected year ({', '.join(str(y) for y in last)})"
