"""A figure of what each scenario assumes the actor cares about: its drivers' weights.

:func:`driver_weights` draws, per driver and scenario, the sampled normalised weight
(:func:`normalised_weights`: each draw's weights as shares, as the engine uses them) as a
median and its 50 % and 90 % ranges across draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.lines import Line2D

from ._style import (
    GRID_COLOUR,
    MARKERS,
    PALETTE,
    as_list,
    frame,
    legend_beside,
    new_axes,
    value_formatter,
    wrap,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from numpy.typing import NDArray

    from ..projection import Projection

__all__ = ["driver_weights", "normalised_weights"]


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
    projs = as_list(projections)
    labels: dict[str, str] = {}
    for proj in projs:
        for d, driver in proj.scenario.case.drivers.items():
            labels.setdefault(d, driver.label)
    order = list(labels)
    n = len(projs)
    height = max(3.2, 0.9 + len(order) * (0.35 + 0.16 * n))
    ax = new_axes((9.0, height)) if ax is None else ax
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
            marker=MARKERS[i % len(MARKERS)],
            markersize=6,
            markerfacecolor="white",
            markeredgecolor=colour,
            markeredgewidth=1.5,
            zorder=4,
            label=proj.scenario.title,
            gid=f"weights:{proj.name}",
        )
    ax.set_yticks(range(len(order)), [wrap(labels[d], 30) for d in order], fontsize=8.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    for r in range(1, len(order)):
        ax.axhline(r - 0.5, color=GRID_COLOUR, linewidth=0.6)
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(value_formatter("share", "linear"))
    ax.set_xlabel("normalised weight (share of all drivers' salience, %)")
    frame(ax, grid="x")
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
                marker=MARKERS[i % len(MARKERS)],
                markerfacecolor="white",
                markeredgewidth=1.5,
                label=wrap(p.scenario.title, 26),
            )
            for i, p in enumerate(projs)
        ]
        legend_beside(ax, handles=handles)
    return ax
