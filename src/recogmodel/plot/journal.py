"""Figures of the forecast journal: calibration, revisions, and what an edit changed.

Each draws on the :class:`~matplotlib.axes.Axes` it is given, or on a new figure of its
own, and returns what it drew on.

- :func:`calibration`: how often the observations fell inside the recorded central
  ranges, against the ranges' nominal level, with the binomial error of that share.
- :func:`revision`: how the forecast of one indicator in one year moved from entry to
  entry (median and 90 % range), with the observed value once known.
- :func:`waterfall`: from the old median (or 90 % range) to the new, edit by edit, and
  the interaction remainder, from a :class:`~recogmodel.journal.Diff`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError, Problem
from ..journal import INTERACTION, MIXTURE, forecast_quantiles
from ..text.numbers import format_value
from ._style import BASELINE_COLOUR, PALETTE, SIGNPOST_COLOUR, frame, new_axes, percent

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..journal import Diff, Journal, Scores

__all__ = ["calibration", "revision", "waterfall"]


def calibration(scores: Scores, *, scenario: str = MIXTURE, ax: Axes | None = None) -> Axes:
    """Coverage of the recorded central ranges against their nominal level.

    Parameters
    ----------
    scores
        Scores of a journal (:func:`recogmodel.score`).
    scenario
        A scenario, or ``"mixture"`` (default).
    ax
        Axes to draw on; by default a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        A point per range (50 % and 90 %) with twice its binomial standard error; on the
        diagonal, the ranges hold as often as they say.
    """
    rows = [r for r in scores.coverage(scenario) if r["cells"]]
    if not rows:
        raise InputError([Problem("scores", f"no scored cell under '{scenario}'")])
    ax = ax if ax is not None else new_axes((4.8, 4.2))
    ax.plot([0, 1], [0, 1], color=BASELINE_COLOUR, linewidth=0.8, linestyle=(0, (4, 3)))
    nominal = np.array([r["nominal"] for r in rows])
    observed = np.array([r["observed"] for r in rows])
    errors = 2 * np.array([r["standard_error"] for r in rows])
    ax.errorbar(nominal, observed, yerr=errors, fmt="o", color=PALETTE[0], capsize=4)
    for r in rows:
        ax.annotate(
            f"{percent(r['observed'])} of {r['cells']}",
            (r["nominal"], r["observed"]),
            xytext=(8, -4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("nominal level of the central range")
    ax.set_ylabel("share of observations inside")
    ax.set_title(f"Calibration ({scenario})", fontsize=10, loc="left")
    frame(ax, grid="y")
    return ax


def revision(
    journal: Journal,
    indicator: str,
    year: int,
    *,
    scenario: str = MIXTURE,
    observed: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """How the forecast of one indicator in one year moved across the journal's entries.

    Parameters
    ----------
    journal
        A journal (:func:`recogmodel.read_journal`).
    indicator, year
        The cell followed.
    scenario
        A scenario, or ``"mixture"`` (default).
    observed
        The observed value, once known (drawn as a line).
    ax
        Axes to draw on; by default a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
        One median and 90 % range per entry that forecast the cell.
    """
    entries = [
        e
        for e in journal
        if indicator in e.indicators
        and year in e.years
        and (scenario == MIXTURE or scenario in e.scenarios)
    ]
    if not entries:
        raise InputError(
            [Problem("indicator", f"no entry forecast {indicator} in {year} under '{scenario}'")]
        )
    ax = ax if ax is not None else new_axes((6.0, 3.6))
    q = np.array(
        [forecast_quantiles(e, scenario, indicator, year, (0.05, 0.5, 0.95)) for e in entries]
    )
    x = np.arange(len(entries))
    ax.vlines(x, q[:, 0], q[:, 2], color=PALETTE[0], linewidth=6, alpha=0.35, label="90 % range")
    ax.plot(x, q[:, 1], "o-", color=PALETTE[0], label="median")
    if observed is not None:
        ax.axhline(observed, color=SIGNPOST_COLOUR, linewidth=1.2, label="observed")
    ax.set_xticks(x, [e.date for e in entries], rotation=30, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(entries) - 0.4)
    ax.set_ylabel(indicator)
    ax.set_title(f"{indicator} in {year}, as forecast ({scenario})", fontsize=10, loc="left")
    ax.legend(fontsize=8, frameon=False)
    frame(ax, grid="y")
    return ax


def waterfall(
    diff: Diff, indicator: str, year: int, *, statistic: str = "median", ax: Axes | None = None
) -> Axes:
    """From the old value to the new, one bar per edit and one for the interaction.

    Parameters
    ----------
    diff
        A diff (:func:`recogmodel.diff`).
    indicator, year
        The cell.
    statistic
        ``"median"`` or ``"range_90"``.
    ax
        Axes to draw on; by default a new figure of its own.

    Returns
    -------
    matplotlib.axes.Axes
    """
    rows = [
        r for r in diff.rows if (r.indicator, r.year, r.statistic) == (indicator, year, statistic)
    ]
    if not rows:
        raise InputError(
            [Problem("indicator", f"the diff has no {statistic} of {indicator} in {year}")]
        )
    ax = ax if ax is not None else new_axes((6.4, 3.8))
    old, new = rows[0].old, rows[0].new
    labels = ["old", *[r.edit for r in rows], "new"]
    levels = np.cumsum([old, *[r.effect for r in rows]])
    span = float(np.ptp([*levels, new])) or abs(old) or 1.0
    floor = min(float(levels.min()), new) - 0.5 * span
    floor = 0.0 if floor < 0 <= min(float(levels.min()), new) else floor
    level = old
    ax.bar(0, old - floor, bottom=floor, color="#bbbbbb")
    for i, r in enumerate(rows, start=1):
        colour = "#999999" if r.edit == INTERACTION else PALETTE[0 if r.effect >= 0 else 1]
        ax.bar(i, r.effect, bottom=level, color=colour)
        ax.annotate(
            format_value(r.effect),
            (i, level + max(r.effect, 0)),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
        level += r.effect
    ax.bar(len(rows) + 1, new - floor, bottom=floor, color="#666666")
    ax.set_ylim(floor, max(float(levels.max()), new) + 0.25 * span)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    what = "median" if statistic == "median" else "90 % range (width)"
    ax.set_title(f"{indicator} {what} in {year}: what each edit changed", fontsize=10, loc="left")
    frame(ax, grid="y")
    return ax
