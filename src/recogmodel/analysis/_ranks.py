"""Ranks with ties for every column at once, and the assumptions' side of a rank analysis.

Shared by :mod:`.sensitivity` (which ranks an indicator against the assumptions) and,
through it, :mod:`.priorities`. The design (ranks of the sampled assumptions and of dummy
assumptions, their correlation matrix and its pseudo-inverse) does not depend on the
indicator or the year, so it is computed once per projection and cached; the regression on
the columns that reach one indicator (:func:`regression`) is cached on it.

Under ``salience: relative`` a driver's weight acts only through its share of the weights
in the draw, so the design ranks the shares (:func:`effective_values`), not the raw
weights: raising one weight lowers every other driver's share, and a regression on raw
weights would credit a driver with the pressure it takes from the others.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray, IntArray


#: Groups of draws the jackknife of a rank regression leaves out one at a time.
GROUPS = 20


@dataclass(frozen=True)
class Sorted:
    """Every column of a (draws, columns) array sorted, with tie groups.

    ``order[p, j]`` is the draw at sorted position ``p`` of column ``j``; ``ranks`` are
    1-based average ranks (ties share the mean of their positions); ``first``/``last``
    give, at each sorted position, the first and last position of its tie group.
    """

    order: IntArray
    ranks: FloatArray
    first: IntArray
    last: IntArray


def sort_columns(a: FloatArray) -> Sorted:
    """Each column of ``a`` sorted, with its average ranks and tie groups."""
    n = a.shape[0]
    order = np.argsort(a, axis=0)
    s = np.take_along_axis(a, order, axis=0)
    new = np.ones(s.shape, dtype=np.bool_)
    new[1:] = s[1:] != s[:-1]
    end = np.ones(s.shape, dtype=np.bool_)
    end[:-1] = new[1:]
    position = np.arange(n, dtype=np.intp)[:, None]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=0)
    last = np.minimum.accumulate(np.where(end, position, n)[::-1], axis=0)[::-1]
    ranks = np.empty(a.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, (first + last) / 2.0 + 1.0, axis=0)
    return Sorted(order=order, ranks=ranks, first=first, last=np.ascontiguousarray(last))


def standardise(ranks: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Columns centred and scaled to unit variance (ddof 0); constant columns become 0."""
    centred = ranks - ranks.mean(axis=0)
    sd = np.sqrt((centred**2).mean(axis=0))
    constant = sd <= 1e-12 * ranks.shape[0]
    scaled: FloatArray = centred / np.where(constant, 1.0, sd)
    scaled[:, constant] = 0.0
    return scaled, constant


@dataclass(frozen=True)
class Design:
    """The assumptions' side of a sensitivity analysis: the same for every indicator."""

    order: NDArray[np.int32]
    """(draws, columns): the draws sorted by each sampled assumption, then each dummy."""
    z: FloatArray
    """Standardised ranks (draws, assumptions + dummies)."""
    gram: FloatArray
    """Rank correlation matrix of assumptions and dummies."""
    solve: FloatArray
    """Pseudo-inverse of ``gram``: turns rank correlations with an output into SRRCs."""
    solve_own: FloatArray
    """Pseudo-inverse of the sampled assumptions' block of ``gram`` (for R² without dummies)."""
    inflation: FloatArray
    """Variance inflation factor of each column: how much its correlation with the others
    widens the sampling spread of its regression coefficient (1 when independent)."""
    shares: tuple[bool, ...] = ()
    """Which sampled assumptions are ranked as shares of the weights (relative salience)."""
    regressions: dict[bytes, Regression] = field(default_factory=dict, compare=False, repr=False)
    """Regressions on subsets of the columns, by the subset's mask."""
    groups: dict[int, tuple[list[slice], FloatArray]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """For a jackknife in g groups of draws: the groups' rows and each group's own
    ``Z_g' Z_g`` (g, columns, columns), made on first use."""


def group_grams(design: Design, groups: int) -> tuple[list[slice], FloatArray]:
    """The rows of ``groups`` equal groups of draws and each group's ``Z_g' Z_g``, cached."""
    found = design.groups.get(groups)
    if found is None:
        parts = _groups(design.z.shape[0], groups)
        grams = np.stack([design.z[part].T @ design.z[part] for part in parts])
        found = design.groups[groups] = (parts, grams)
    return found


def _groups(n: int, groups: int) -> list[slice]:
    """``groups`` runs of consecutive draws of (nearly) equal size; one run below 2."""
    groups = max(groups, 1)
    edges = np.linspace(0, n, groups + 1).astype(np.intp)
    return [slice(int(edges[g]), int(edges[g + 1])) for g in range(groups)]


@dataclass(frozen=True)
class Regression:
    """The rank regression on some columns of a design (those reaching one indicator)."""

    keep: BoolArray
    """(columns,): which columns of the design take part."""
    solve: FloatArray
    """(columns, columns): pseudo-inverse of their correlation block, 0 elsewhere."""
    solve_own: FloatArray
    """(assumptions, assumptions): the same for the sampled assumptions alone."""
    inflation: FloatArray
    """(columns,): variance inflation factors (1 for the columns left out)."""


def regression(design: Design, keep: BoolArray) -> Regression:
    """The rank regression on the columns ``keep`` of ``design``, cached on it."""
    key = keep.tobytes()
    found = design.regressions.get(key)
    if found is not None:
        return found
    p = len(design.solve_own)
    solve = np.zeros_like(design.gram)
    index = np.flatnonzero(keep)
    solve[np.ix_(index, index)] = np.linalg.pinv(design.gram[np.ix_(index, index)], hermitian=True)
    own = np.flatnonzero(keep[:p])
    solve_own = np.zeros((p, p))
    solve_own[np.ix_(own, own)] = np.linalg.pinv(design.gram[np.ix_(own, own)], hermitian=True)
    inflation = np.where(keep, np.maximum(np.diag(solve), 1.0), 1.0)
    found = Regression(keep=keep, solve=solve, solve_own=solve_own, inflation=inflation)
    design.regressions[key] = found
    return found


def effective_values(proj: Projection) -> tuple[FloatArray, tuple[bool, ...]]:
    """The sampled assumptions' values, each weight as its share under relative salience.

    Returns the (draws, assumptions) values and which columns are shares.
    """
    values = np.array(proj.parameter_values, dtype=np.float64)
    case = proj.scenario.case
    names = list(proj.parameter_names)
    weights = [f"drivers.{d}.weight" for d in case.drivers]
    sampled = [names.index(w) if w in names else -1 for w in weights]
    if case.salience != "relative" or all(j < 0 for j in sampled):
        return values, (False,) * len(names)
    total = np.zeros(proj.draws)
    for (_d, drv), j in zip(case.drivers.items(), sampled, strict=True):
        total += values[:, j] if j >= 0 else drv.weight.mean()
    safe = np.where(total > 0, total, 1.0)
    columns = [j for j in sampled if j >= 0]
    values[:, columns] = np.where(total[:, None] > 0, values[:, columns] / safe[:, None], 0.0)
    return values, tuple(j in columns for j in range(len(names)))


_DESIGNS: weakref.WeakKeyDictionary[Projection, dict[tuple[int, int], Design]] = (
    weakref.WeakKeyDictionary()
)


def design(proj: Projection, dummies: int, seed: int) -> Design:
    """Ranks of the sampled assumptions and of ``dummies`` uniform dummies, cached per run."""
    cache = _DESIGNS.setdefault(proj, {})
    key = (dummies, seed)
    if key not in cache:
        rng = np.random.default_rng(seed)
        noise = rng.random((proj.draws, dummies))
        values, shares = effective_values(proj)
        x = np.concatenate([values, noise], axis=1)
        srt = sort_columns(x)
        z, constant = standardise(srt.ranks)
        # The correlations as the sum of the jackknife groups' own products: the same work
        # as one product, and the jackknife of every indicator then reuses the parts.
        parts = _groups(proj.draws, min(GROUPS, proj.draws // 2))
        pieces = np.stack([z[part].T @ z[part] for part in parts])
        gram = pieces.sum(axis=0) / proj.draws
        gram[constant, constant] = 1.0
        solve = np.linalg.pinv(gram, hermitian=True)
        p = proj.parameter_values.shape[1]
        cache[key] = Design(
            order=srt.order.astype(np.int32),
            z=z,
            gram=gram,
            solve=solve,
            solve_own=np.linalg.pinv(gram[:p, :p], hermitian=True),
            inflation=np.maximum(np.diag(solve), 1.0),
            shares=shares,
            groups={len(parts): (parts, pieces)} if len(parts) >= 2 else {},
        )
    return cache[key]
