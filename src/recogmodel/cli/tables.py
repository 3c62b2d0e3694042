"""The command's own text tables: a scenario's ranges, a sweep's spread, the priorities,
the signposts.

Every table is laid out by :func:`recogmodel.text.tables.text_table`, each column flush
left as the command has always printed them; values are worded by
:mod:`recogmodel.text.numbers`. Rows are named by the case's labels (``ids=True``: by
ids), and a table given a ``width`` wraps its names and rationales to fit it, never
cutting them.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..text.labels import assumption_labels, signpost_row_label
from ..text.numbers import format_value
from ..text.tables import text_table

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..analysis import SignpostTable
    from ..exploration import Exploration
    from ..model import Case
    from ..projection import Projection
    from ..study import Study

__all__ = ["priorities_section", "projection_table", "signpost_table", "sweep_table"]


def projection_table(
    proj: Projection, years: Sequence[int], *, width: int | None = None, ids: bool = False
) -> str:
    """A heading and one row per indicator: ``median (5% – 95%)`` in each of ``years``.

    Parameters
    ----------
    proj
        One scenario's projection.
    years
        The columns, each a projected year.
    width
        The longest a line may be (names wrap to fit); ``None``: no limit.
    ids
        Name the indicators by id instead of by label.

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
        cells = [k if ids else proj.indicator(k).label, summaries[0][k].unit]
        for summary in summaries:
            r = summary[k]
            cells.append(
                f"{r.formatted(r.median, r.median_error)} "
                f"({r.formatted(r.low, r.low_error)} – {r.formatted(r.high, r.high_error)})"
            )
        rows.append(cells)
    table = text_table(header, rows, left=len(header))
    if width is not None and max(len(line) for line in table) > width:
        # Narrow: the unit goes with the name, which wraps, so the numbers keep their room.
        merged = [[f"{r[0]} ({r[1]})" if r[1] else r[0], *r[2:]] for r in rows]
        table = text_table(
            ["indicator (unit)", *header[2:]], merged, left=len(header), width=width, wrap=(0,)
        )
    return "\n".join([*_wrapped(head, width), *table])


def priorities_section(
    study: Study, scenario: str, limit: int, *, width: int | None = None, ids: bool = False
) -> str:
    """The 'what to research next' section of one scenario, or why there is none.

    Parameters
    ----------
    study
        The study the scenario belongs to.
    scenario
        The scenario's name.
    limit
        Assumptions listed at most.
    width
        The longest a line may be (assumptions and rationales wrap to fit, whole).
    ids
        Name assumptions and indicators by id instead of by label.

    Returns
    -------
    str
        The priorities table, or one line saying why it was not computed.
    """
    try:
        found = study.priorities(scenario=scenario)
    except InputError as exc:
        return f"What to research next: not computed ({exc.problems[0].message})"
    case = study.projection(scenario).scenario.case
    several = len(found.indicators) > 1
    what = "every indicator" if several else _indicator(case, found.indicators[0], ids)
    lines = [
        *_wrapped(f"What to research next: {what} in {found.year} ({found.scenario})", width),
        *_wrapped(
            "score = importance x weight of support (unsupported 1, caveated 0.6, solid 0.2; "
            "not rated counts as unsupported)",
            width,
        ),
    ]
    shown = [r for r in found.rows if r.influential][:limit]
    names = assumption_labels([r.assumption for r in shown], None if ids else case)
    header = ["rank", "assumption", *(["for"] if several else []), "importance"]
    header += ["support", "score", "why"]
    body = [
        [
            str(r.rank),
            names[r.assumption] if not ids else r.assumption,
            *([_indicator(case, r.indicator, ids)] if several else []),
            f"{r.importance:.3f}",
            r.support or "not rated",
            f"{r.score:.3f}",
            " ".join((r.rationale or "").split()),
        ]
        for r in shown
    ]
    table = text_table(header, body, left=3 if several else 2, text=1)
    if body and (width is None or max(len(line) for line in table) <= width):
        lines += table
    elif body:  # too narrow for columns: one short record per assumption
        for r, cells in zip(shown, body, strict=True):
            facts = [f"for {cells[2]}"] if several else []
            facts += [f"importance {r.importance:.3f}", cells[-3], f"score {r.score:.3f}"]
            lines += _wrapped(f"{r.rank}. {cells[1]}", width, indent="   ")
            lines += _wrapped("   " + " · ".join(facts), width, indent="   ")
            if cells[-1]:
                lines += _wrapped(f"   why: {cells[-1]}", width, indent="   ")
    else:
        lines.append(f"no assumption moves {what} above the noise floor")
    notes = found.footnotes(shown)
    sampled = len(notes) - len(found.not_sampled)
    lines += notes[:sampled]
    for note in notes[sampled:]:
        lines += _wrapped(note, width, indent="  ")
    return "\n".join(lines)


def sweep_table(
    sweep: Exploration, year: int, *, width: int | None = None, ids: bool = False
) -> str:
    """One row per indicator: the median of the points' medians in ``year``, and their range.

    Parameters
    ----------
    sweep
        The exploration.
    year
        A kept year of the sweep.
    width
        The longest a line may be (names wrap to fit); ``None``: no limit.
    ids
        Name the indicators by id instead of by label.

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
                k if ids else ind.label,
                ind.unit,
                format_value(mid, ind.unit, ind.scale),
                f"{format_value(low, ind.unit, ind.scale)} – "
                f"{format_value(high, ind.unit, ind.scale)}",
            ]
        )
    return "\n".join(text_table(header, rows, left=len(header), width=width, wrap=(0,)))


def signpost_table(
    table: SignpostTable,
    cases: Mapping[str, Case],
    *,
    width: int | None = None,
    ids: bool = False,
) -> str:
    """Each signpost's chance under each scenario, and what learning it would tell.

    A table when it fits ``width`` (the signposts' names wrap first); else one short record
    per signpost, wrapped to the width, so no line is longer than it.

    Parameters
    ----------
    table
        The signposts, as :func:`recogmodel.signposts` gives them.
    cases
        Each scenario's case by name: the signposts are worded from its indicators.
    width
        The longest a line may be; ``None``: no limit.
    ids
        Name the indicators by id instead of by label.

    Returns
    -------
    str
        The heading, the table or records, and what its columns mean.
    """
    lines = _wrapped(
        "Signposts: chance of being reached during the projected years up to their year, "
        "per scenario; most informative first",
        80 if width is None else width,
    )
    if not table.signposts:
        return "\n".join([*lines, "no scenario declares a signpost"])
    header = ["signpost", "of", *table.scenarios, "BF", "bits", "favours", ""]
    body = []
    favours = table.favours
    for i, row in enumerate(table.signposts):
        chances = []
        for j in range(len(table.scenarios)):
            cell = f"{table.probability[i, j]:.0%}"
            if table.already[i, j] >= 0.005:
                cell += f" (+{table.already[i, j]:.0%})"
            chances.append(cell)
        bf = float(table.bayes_factor[i])
        body.append(
            [
                signpost_row_label(row, cases[row.scenario], ids=ids),
                row.scenario,
                *chances,
                "n/a" if math.isnan(bf) else "inf" if math.isinf(bf) else f"{bf:.3g}",
                f"{table.value_of_information[i]:.2f}",
                favours[i],
                "points away" if table.points_away[i] else "",
            ]
        )
    laid = text_table(header, body, left=2, text=2, width=width, wrap=(0,))
    if width is None or max(len(line) for line in laid) <= width:
        lines += laid
    else:  # too narrow for a column per scenario: one record per signpost
        for rank, cells in enumerate(body, start=1):
            facts = [f"declared by {cells[1]}", f"BF {cells[-4]}", f"{cells[-3]} bits"]
            facts += [f"favours {cells[-2]}"] + ([cells[-1]] if cells[-1] else [])
            chances = [f"{s} {c}" for s, c in zip(table.scenarios, cells[2:-4], strict=True)]
            lines += _wrapped(f"{rank}. {cells[0]}", width, indent="   ")
            lines += _wrapped("   " + " · ".join(facts), width, indent="   ")
            lines += _wrapped("   chance: " + " · ".join(chances), width, indent="   ")
    if len(table.scenarios) < 2:
        notes = ["one scenario only: a signpost needs two or more to tell apart"]
    else:
        notes = [
            "BF: Bayes factor of 'reached' for its scenario against the others; bits: "
            "expected information about which scenario holds; (+x%): already reached at the "
            "start, not a prediction"
        ]
    if table.points_away.any():
        notes.append("points away: the signpost is likelier under another scenario than its own")
    for note in notes:
        lines += _wrapped(note, width)
    return "\n".join(lines)


def _indicator(case: Case, key: str, ids: bool) -> str:
    """An indicator as a row names it: its label, or its id."""
    found = case.indicators.get(key)
    return key if ids or found is None else found.label


def _wrapped(text: str, width: int | None, indent: str = "") -> list[str]:
    """A line of prose, wrapped at spaces to ``width`` (never cut); as is without one."""
    if width is None or len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False)
