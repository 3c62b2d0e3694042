"""The command's own text tables: a scenario's ranges, a sweep's spread, the priorities.

Every table is laid out by :func:`recogmodel.text.tables.text_table`, each column flush
left as the command has always printed them; values are worded by
:mod:`recogmodel.text.numbers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..text.numbers import format_value
from ..text.tables import text_table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..exploration import Exploration
    from ..projection import Projection
    from ..study import Study

__all__ = ["priorities_section", "projection_table", "sweep_table"]


def projection_table(proj: Projection, years: Sequence[int]) -> str:
    """A heading and one row per indicator: ``median (5% – 95%)`` in each of ``years``.

    Parameters
    ----------
    proj
        One scenario's projection.
    years
        The columns, each a projected year.

    Returns
    -------
    str
        The heading (scenario, draws, seed) and the table, without a final newline.
    """
    scenario = proj.scenario
    head = (
        f"{scenario.name}: {scenario.title} ({proj.draws:,} draws, seed {proj.seed}, "
        "median and 90% range)"
    )
    summaries = [proj.summary(y) for y in years]
    header = ["indicator", "unit", *[str(y) for y in years]]
    rows = []
    for k in proj.indicators:
        cells = [k, summaries[0][k].unit]
        for summary in summaries:
            r = summary[k]
            cells.append(f"{r.formatted(r.median)} ({r.formatted(r.low)} – {r.formatted(r.high)})")
        rows.append(cells)
    return "\n".join([head, *text_table(header, rows, left=len(header))])


def priorities_section(study: Study, scenario: str, limit: int) -> str:
    """The 'what to research next' section of one scenario, or why there is none.

    Parameters
    ----------
    study
        The study the scenario belongs to.
    scenario
        The scenario's name.
    limit
        Assumptions listed at most.

    Returns
    -------
    str
        The priorities table, or one line saying why it was not computed.
    """
    try:
        return study.priorities(scenario=scenario).table(limit=limit)
    except InputError as exc:
        return f"What to research next: not computed ({exc.problems[0].message})"


def sweep_table(sweep: Exploration, year: int) -> str:
    """One row per indicator: the median of the points' medians in ``year``, and their range.

    Parameters
    ----------
    sweep
        The exploration.
    year
        A kept year of the sweep.

    Returns
    -------
    str
        The table, without a final newline. Indicators with no completed point are left
        out.
    """
    case = sweep.scenario.case
    header = ["indicator", "unit", f"median across points, {year}", "range of the medians"]
    rows = []
    for k in sweep.indicators:
        ind = case.indicators[k]
        medians = sweep.values(k, year)
        ok = medians[~np.isnan(medians)]
        if ok.size == 0:
            continue
        low, mid, high = (float(v) for v in (ok.min(), np.median(ok), ok.max()))
        rows.append(
            [
                k,
                ind.unit,
                format_value(mid, ind.unit, ind.scale),
                f"{format_value(low, ind.unit, ind.scale)} – "
                f"{format_value(high, ind.unit, ind.scale)}",
            ]
        )
    return "\n".join(text_table(header, rows, left=len(header)))
