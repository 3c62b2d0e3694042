"""The report's figures as inline SVG: text kept as text, ids unique to the page.

:func:`figure_groups` draws every figure of the report, in reading order (the matplotlib
ones in worker processes, the fan charts as plain SVG); :func:`inline_svg` turns one
figure into markup that can sit in an HTML page beside dozens of others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import view
from .charts import compare_svg, fan_svg

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
    return _prefixed(_svg_text(figure, prefix), prefix, label)


def _svg_text(figure: Figure | SubFigure | Axes, salt: str) -> str:
    """The figure's SVG from its ``<svg>`` on, without matplotlib's stylesheet."""
    from ..plot.output import render

    text = render(figure, "svg", text_as_text=True, salt=salt).decode("utf-8")
    text = text[text.index("<svg") :]
    return _EMPTY_DEFS.sub("", _SVG_STYLE.sub("", text, count=1), count=1)


def _prefixed(text: str, prefix: str, label: str) -> str:
    """SVG text with every id (and reference to one) prefixed, and its ``aria-label``."""
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
    return _labelled(text, label)


def _labelled(svg: str, label: str) -> str:
    """An ``<svg>`` element given its role and ``aria-label``."""
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1).strip()


@dataclass(frozen=True)
class _Job:
    """One matplotlib figure of the report: its kind, what it shows, its id and caption."""

    kind: str
    key: str | None
    id: str
    caption: str


#: What a worker draws from: set before the workers are forked, so they share it unpickled.
_DRAWN_FROM: dict[str, Any] = {}
#: Fewer figures than this are drawn in this process: workers would cost more than they save.
_PARALLEL_FROM = 6
#: Rough relative cost of each kind, so the workers take the longest first.
_COST = {"signposts": 3, "tornado": 2, "weights": 1}


def _draw(job: _Job) -> str:
    """One job's figure as SVG text (its ids not yet prefixed), from :data:`_DRAWN_FROM`."""
    from .. import plot

    projections: list[Projection] = _DRAWN_FROM["projections"]
    drawn: Figure | Axes
    if job.kind == "weights":
        drawn = plot.driver_weights(projections)
    elif job.kind == "tornado":
        drawn = plot.tornado(_DRAWN_FROM["sensitivities"][job.key], proj=projections[0])
    else:
        drawn = plot.signpost_matrix(_DRAWN_FROM["table"], projections=projections)
    return _svg_text(drawn, job.id)


def _render(jobs: Sequence[_Job], step: Callable[[], None]) -> dict[str, str]:
    """Every job's SVG text by id: in worker processes (forked) when there are enough."""
    import multiprocessing
    import os

    done: dict[str, str] = {}
    workers = min(os.cpu_count() or 1, len(jobs))
    if (
        workers < 2
        or len(jobs) < _PARALLEL_FROM
        or "fork" not in (multiprocessing.get_all_start_methods())
    ):
        for job in jobs:
            done[job.id] = _draw(job)
            step()
        return done
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        order = sorted(jobs, key=lambda j: _COST.get(j.kind, 1), reverse=True)
        futures = {pool.submit(_draw, job): job.id for job in order}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            step()
    return done


def figure_groups(
    study: Study,
    table: SignpostTable,
    tornado_indicators: Sequence[str],
    step: Callable[[], None],
    *,
    tornado_intro: str = "For the indicators behind the top research priorities",
) -> list[view.FigureGroup]:
    """Every figure of the report, drawn and grouped under its heading.

    A comparison of every scenario per indicator; a fan chart per indicator and scenario
    (plain SVG, :func:`~recogmodel.report.fans.fan_svg`, folded per scenario); tornado
    charts for the study's lead; the driver weights of every scenario; the signpost
    matrix. The matplotlib figures are drawn in forked worker processes when the machine
    has more than one core, each from the same projections, so the page is the same
    whichever way they were drawn.

    Parameters
    ----------
    study
        The study reported (its projections are computed already).
    table
        The signposts of every scenario.
    tornado_indicators
        The indicators that get a tornado chart of their range in the last year.
    step
        Called after each figure is drawn (once per scenario for the fan charts).
    tornado_intro
        How the tornado charts' introduction names the indicators chosen.

    Returns
    -------
    list[view.FigureGroup]
        The groups, in reading order.
    """
    projections = list(study.projections.values())
    first = study.projection()
    labels = {k: first.indicator(k).label for k in first.indicators}
    for proj in projections:
        labels.update({k: proj.indicator(k).label for k in proj.indicators if k not in labels})
    title = first.scenario.title
    last = first.years[-1]
    compared = _last_years(projections)

    compare = [
        view.Figure(
            f"fig-compare-{k}",
            caption := f"{labels[k]} under every scenario: medians by year, and 90 % ranges in "
            f"{compared} (bars on the right).",
            _labelled(compare_svg([p for p in projections if k in p.indicators], k), caption),
        )
        for k in first.indicators
    ]
    weights = _Job("weights", None, "fig-driver-weights", "Normalised driver weights, by scenario.")
    tornadoes = [
        _Job(
            "tornado",
            k,
            f"fig-tornado-{k}",
            f"{labels[k]}: what drives its range in {last} under “{title}”.",
        )
        for k in tornado_indicators
    ]
    matrix = _Job(
        "signposts",
        None,
        "fig-signpost-matrix",
        "Signposts by scenario: probability of being reached by their year.",
    )
    jobs = [weights, *tornadoes, matrix]
    _DRAWN_FROM.update(
        projections=projections,
        table=table,
        sensitivities={k: study.sensitivity(k, last) for k in tornado_indicators},
    )
    try:
        drawn = _render(jobs, step)
    finally:
        _DRAWN_FROM.clear()

    def figures(chosen: Sequence[_Job]) -> list[view.Figure]:
        return [
            view.Figure(j.id, j.caption, _prefixed(drawn[j.id], j.id, j.caption)) for j in chosen
        ]

    groups = [
        view.FigureGroup(
            "figures-compare",
            "Each indicator, scenario by scenario",
            "One chart per indicator: each scenario's median year by year, and the range "
            "that holds 90 % of its draws in the last year. Black diamonds mark the sourced "
            "baselines.",
            compare,
        )
    ]
    for proj in projections:  # plain SVG (report/fans.py): sixty fans cost next to nothing
        own = proj.scenario.title
        lead = proj.name == first.name
        prefix = "fig-fan" if lead else f"fig-fan-{proj.name}"
        fans = []
        for k in proj.indicators:
            caption = f"{labels[k]} under “{own}”: median and 50, 80 and 90 % ranges."
            fans.append(view.Figure(f"{prefix}-{k}", caption, _labelled(fan_svg(proj, k), caption)))
        step()
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
            figures([weights]),
        )
    )
    if tornadoes:
        groups.append(
            view.FigureGroup(
                "figures-tornado",
                "What drives the ranges",
                f"{tornado_intro}: each bar runs from the indicator's median when an "
                "assumption is in its bottom tenth of draws to its median when it is in its "
                "top tenth. Grey hatched bars are no larger than noise.",
                figures(tornadoes),
            )
        )
    groups.append(
        view.FigureGroup(
            "figures-signposts",
            "Which signposts tell the scenarios apart",
            "The probability that each signpost is reached by its year, under each scenario. "
            "A signpost about equally likely everywhere would not say which future is "
            "unfolding.",
            figures([matrix]),
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
    projections = list(study.projections.values())
    caption = _headline_caption(projections, indicator)
    drawn = compare_svg([p for p in projections if indicator in p.indicators], indicator)
    return view.Figure("fig-headline", caption, _labelled(drawn, caption))


def _headline_caption(projections: Sequence[Projection], indicator: str) -> str:
    """What the headline chart shows, in a sentence."""
    shown = next(p for p in projections if indicator in p.indicators)
    return (
        f"{shown.indicator(indicator).label}: each scenario's median year by year, and its "
        f"90 % range in {_last_years(projections)} (bars on the right)."
    )


def _last_years(projections: Sequence[Projection]) -> str:
    """The year the comparison's ranges are drawn in: each scenario's own horizon."""
    last = sorted({p.years[-1] for p in projections})
    if len(last) == 1:
        return str(last[0])
    return f"each scenario's last projected year ({', '.join(str(y) for y in last)})"
