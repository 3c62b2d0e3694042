"""Sets of figures drawn at once: which files a kind of figure gives, drawn in parallel.

A run asks for kinds of figures (:data:`FIGURE_KINDS`), not for files:
:func:`figure_jobs` lays out the files those kinds give for a set of projections, and
:func:`render_figures` draws and writes them, in worker processes when there are enough
of them to pay for the workers. Each worker receives the projections once, when it
starts, and then only the small description of each figure (a :class:`FigureJob`).

- ``compare``: one comparison per indicator (``compare_<indicator>``) and the driver
  weights (``driver_weights``); only when there are several scenarios to compare.
- ``dashboard``: one page of small multiples per scenario (``<scenario>/dashboard``).
- ``fan``: one fan chart per indicator and scenario (``<scenario>/fan_<indicator>``).
- ``tornado``: what drives each indicator's range at the horizon under the first scenario
  (``<scenario>/tornado_<indicator>``).
- ``signposts``: the signpost heat map (``signposts``), when any scenario has signposts.

Every file carries a footer (:func:`recogmodel.plot.footer.add_footer`) with the case,
the scenarios, draws, seed, date and sources, so it stands alone.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from .analysis import signpost_matrix, tornado
from .footer import add_footer, footer_text
from .output import save
from .projections import compare, dashboard, fan_chart
from .weights import driver_weights

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..projection import Projection

__all__ = [
    "DEFAULT_FIGURES",
    "FIGURE_KINDS",
    "FigureJob",
    "draw_figure",
    "figure_jobs",
    "figure_kinds",
    "render_figures",
]

#: Every kind of figure a set may hold, in the order they are drawn.
FIGURE_KINDS = ("compare", "dashboard", "fan", "tornado", "signposts")
#: The kinds drawn when none is asked for: few files, each a page worth opening. By
#: default the dashboard is the first scenario's only (``"dashboard"`` asked for by name
#: draws every scenario's), which keeps ``run -o`` within twice the time of ``run``.
DEFAULT_FIGURES = ("compare", "dashboard")

#: Called as ``progress(done, total)`` after each figure is written.
FigureProgress = Callable[[int, int], None]

#: Fewer figures than this are drawn in this process: workers would cost more than they save.
_PARALLEL_FROM = 6


@dataclass(frozen=True)
class FigureJob:
    """One figure file to draw: its kind, what it shows and where it goes.

    Attributes
    ----------
    kind
        One of :data:`FIGURE_KINDS` (``driver_weights`` belongs to ``compare``).
    path
        The file, relative to the output folder, POSIX-style, with its suffix.
    scenario
        The scenario drawn, or ``None`` for figures of every scenario.
    indicator
        The indicator drawn, or ``None`` for figures of every indicator.
    """

    kind: str
    path: str
    scenario: str | None = None
    indicator: str | None = None


def figure_kinds(names: Sequence[str] | None) -> tuple[str, ...]:
    """The kinds of figure that ``names`` asks for, in drawing order.

    Parameters
    ----------
    names
        Kinds from :data:`FIGURE_KINDS`, or ``"all"``; ``None`` gives
        :data:`DEFAULT_FIGURES`, an empty sequence none.

    Returns
    -------
    tuple[str, ...]
        Each kind once, in the order of :data:`FIGURE_KINDS`.

    Raises
    ------
    InputError
        If a name is not a kind of figure.
    """
    if names is None:
        return DEFAULT_FIGURES
    unknown = [n for n in names if n != "all" and n not in FIGURE_KINDS]
    if unknown:
        raise InputError(
            [
                Problem(
                    "names",
                    f"unknown kind {', '.join(repr(n) for n in unknown)}; expected some of "
                    f"{', '.join(FIGURE_KINDS)}, or all",
                )
            ]
        )
    wanted = set(FIGURE_KINDS) if "all" in names else set(names)
    return tuple(k for k in FIGURE_KINDS if k in wanted)


def figure_jobs(
    projections: Sequence[Projection], kinds: Sequence[str] | None, format: str = "png"
) -> list[FigureJob]:
    """The files that ``kinds`` of figure give for ``projections``.

    Parameters
    ----------
    projections
        One projection per scenario, the first being the one analysed (tornado).
    kinds
        Kinds from :data:`FIGURE_KINDS` (see :func:`figure_kinds`); ``None``: the default
        set, :data:`DEFAULT_FIGURES` with the first scenario's dashboard only.
    format
        The files' suffix: ``"png"``, ``"svg"`` or ``"pdf"``.

    Returns
    -------
    list[FigureJob]
        One job per file, in drawing order; comparisons only with several scenarios,
        the signpost map only when a scenario has signposts.
    """
    jobs: list[FigureJob] = []
    if not projections:
        return jobs
    indicators = projections[0].indicators
    lead = projections[0]
    dashboards = projections if kinds is not None else [lead]
    for kind in figure_kinds(kinds):
        if kind == "compare" and len(projections) > 1:
            jobs += [FigureJob(kind, f"compare_{k}.{format}", indicator=k) for k in indicators]
            jobs.append(FigureJob(kind, f"driver_weights.{format}"))
        elif kind == "dashboard":
            jobs += [FigureJob(kind, f"{p.name}/dashboard.{format}", p.name) for p in dashboards]
        elif kind == "fan":
            jobs += [
                FigureJob(kind, f"{p.name}/fan_{k}.{format}", p.name, k)
                for p in projections
                for k in indicators
            ]
        elif kind == "tornado" and lead.parameter_names:
            jobs += [
                FigureJob(kind, f"{lead.name}/tornado_{k}.{format}", lead.name, k)
                for k in indicators
            ]
        elif kind == "signposts" and any(p.scenario.signposts for p in projections):
            jobs.append(FigureJob(kind, f"signposts.{format}"))
    return jobs


def draw_figure(job: FigureJob, projections: Mapping[str, Projection]) -> Figure | Axes:
    """Draw the figure one job describes, from the projections by scenario name.

    Parameters
    ----------
    job
        What to draw.
    projections
        Every projection of the set, by scenario name, in order.

    Returns
    -------
    Figure or Axes
        What :func:`recogmodel.plot.save` writes.
    """
    every = list(projections.values())
    one = projections[job.scenario] if job.scenario is not None else every[0]
    if job.kind == "compare":
        if job.indicator is None:
            return driver_weights(every)
        return compare(every, job.indicator)
    if job.kind == "dashboard":
        return dashboard(one)
    if job.kind == "fan":
        assert job.indicator is not None
        return fan_chart(one, job.indicator)
    if job.kind == "tornado":
        from ..analysis import sensitivity

        assert job.indicator is not None
        return tornado(sensitivity(one, job.indicator), proj=one)
    if job.kind == "signposts":
        from ..analysis import signposts

        return signpost_matrix(signposts(every), projections=every)
    raise InputError([Problem("kind", f"unknown kind of figure {job.kind!r}")])


def render_figures(
    jobs: Sequence[FigureJob],
    projections: Mapping[str, Projection],
    folder: str | Path,
    *,
    workers: int | None = None,
    progress: FigureProgress | None = None,
) -> list[Path]:
    """Draw and write every job's figure under ``folder``, in parallel processes.

    Parameters
    ----------
    jobs
        The figures, as laid out by :func:`figure_jobs`.
    projections
        Every projection of the set, by scenario name, in order.
    folder
        The output folder; each file goes to ``folder / job.path``, written atomically.
    workers
        Worker processes (default: one per core, at most one per job); ``1`` draws every
        figure in this process. Fewer than six figures are always drawn here.
    progress
        Called as ``progress(done, total)`` after each file is written.

    Returns
    -------
    list[Path]
        The files written, in the order of ``jobs``.
    """
    root = Path(folder)
    total = len(jobs)
    count = min(workers or os.cpu_count() or 1, total)
    written: dict[int, Path] = {}
    if count <= 1 or total < _PARALLEL_FROM:
        for i, job in enumerate(jobs):
            written[i] = _draw_and_save(job, projections, root)
            if progress is not None:
                progress(i + 1, total)
        return [written[i] for i in range(total)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=(dict(projections),)
    ) as pool:
        # The costliest kinds first, so no worker is left with a long figure at the end.
        order = sorted(range(total), key=lambda i: _COST.get(jobs[i].kind, 1), reverse=True)
        futures = {pool.submit(_draw_in_worker, jobs[i], str(root)): i for i in order}
        for done, future in enumerate(as_completed(futures), start=1):
            written[futures[future]] = Path(future.result())
            if progress is not None:
                progress(done, total)
    return [written[i] for i in range(total)]


#: Rough relative drawing cost of each kind (for the order in which workers take them).
_COST = {"dashboard": 6, "signposts": 3, "tornado": 2, "compare": 1, "fan": 1}

#: The projections a worker process draws from, set once when it starts.
_WORKER_PROJECTIONS: dict[str, Projection] = {}


def _start_worker(projections: dict[str, Projection]) -> None:
    _WORKER_PROJECTIONS.clear()
    _WORKER_PROJECTIONS.update(projections)


def _draw_in_worker(job: FigureJob, folder: str) -> str:
    return str(_draw_and_save(job, _WORKER_PROJECTIONS, Path(folder)))


def _draw_and_save(job: FigureJob, projections: Mapping[str, Projection], root: Path) -> Path:
    target = root.joinpath(*PurePosixPath(job.path).parts)
    figure: Any = draw_figure(job, projections)
    shown = [projections[job.scenario]] if job.scenario is not None else list(projections.values())
    add_footer(figure, footer_text(shown))
    return save(figure, target)
