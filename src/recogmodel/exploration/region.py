"""Regions of a sweep: where, assumption by assumption, a condition on the outcomes holds.

A :class:`Region` (what :meth:`~recogmodel.exploration.Exploration.region` returns) has one
:class:`RegionRow` per swept assumption: the range of the matching values and the hit rate
in equal slices of the swept range; :func:`describe_region` computes it from the points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import NDArray

from ..text.tables import text_table

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Region", "RegionRow", "describe_region"]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]


@dataclass(frozen=True)
class RegionRow:
    """Where, along one swept assumption, the matching points lie."""

    name: str
    """The assumption's dotted name."""
    swept: tuple[float, float]
    """The range it was swept over."""
    low: float
    """Smallest value among matching points (NaN when none match)."""
    high: float
    """Largest value among matching points (NaN when none match)."""
    hit_rates: tuple[float, ...]
    """Share of the completed points in each equal slice of ``swept`` (lowest first) that
    match; NaN for a slice with no completed point."""

    @property
    def spread(self) -> float:
        """How much the hit rate changes along the assumption (0: it does not matter)."""
        rates = [r for r in self.hit_rates if not math.isnan(r)]
        return max(rates) - min(rates) if rates else math.nan


@dataclass(frozen=True)
class Region:
    """The part of the swept box where a condition holds, assumption by assumption."""

    label: str
    """What the condition is, in words."""
    matched: int
    """Completed points where the condition holds."""
    completed: int
    """Completed points (failed and pending points are not counted)."""
    rows: tuple[RegionRow, ...]
    """One row per swept assumption, in the order of the sweep."""

    @property
    def share(self) -> float:
        """Share of the completed points that match."""
        return self.matched / self.completed if self.completed else math.nan

    def __str__(self) -> str:
        head = (
            f"{self.label}: {self.matched:,} of {self.completed:,} points ({self.share:.1%})"
            if self.completed
            else f"{self.label}: no completed points"
        )
        header = ("assumption", "swept", "matching", "hit rate by slice, low to high")
        body = [
            (
                r.name,
                f"{r.swept[0]:.3g} – {r.swept[1]:.3g}",
                "none" if math.isnan(r.low) else f"{r.low:.3g} – {r.high:.3g}",
                " ".join("  -" if math.isnan(x) else f"{x:>4.0%}" for x in r.hit_rates),
            )
            for r in self.rows
        ]
        return "\n".join([head, *text_table(header, body, left=len(header))])


def describe_region(
    points: FloatArray,
    names: Sequence[str],
    ranges: Sequence[tuple[float, float]],
    ok: BoolArray,
    mask: BoolArray,
    *,
    bins: int,
    label: str,
) -> Region:
    """Where the completed points in ``mask`` lie along each swept assumption.

    Parameters
    ----------
    points
        The assumption values of every point: (samples, assumptions).
    names, ranges
        Each swept assumption's dotted name and the range it was swept over.
    ok
        Which points have a result; only these are counted.
    mask
        Which points meet the condition, of shape (samples,).
    bins
        Equal slices of each swept range over which the hit rate is reported.
    label
        The condition in words.

    Returns
    -------
    Region
        One row per swept assumption, in the order of ``names``.
    """
    m = mask & ok
    rows = []
    for j, (name, (lo, hi)) in enumerate(zip(names, ranges, strict=True)):
        x = points[:, j]
        slot = np.clip(((x - lo) / (hi - lo) * bins).astype(np.intp), 0, bins - 1)
        done = np.bincount(slot[ok], minlength=bins)
        hits = np.bincount(slot[m], minlength=bins)
        rates = tuple(float(h / d) if d else math.nan for h, d in zip(hits, done, strict=True))
        rows.append(
            RegionRow(
                name=name,
                swept=(lo, hi),
                low=float(x[m].min()) if m.any() else math.nan,
                high=float(x[m].max()) if m.any() else math.nan,
                hit_rates=rates,
            )
        )
    return Region(label=label, matched=int(m.sum()), completed=int(ok.sum()), rows=tuple(rows))
