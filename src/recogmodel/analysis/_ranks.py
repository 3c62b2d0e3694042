"""Ranks with ties for every column at once, and the assumptions' side of a rank analysis.

Shared by :mod:`.sensitivity` (which ranks an indicator against the assumptions) and,
through it, :mod:`.priorities`. The design (ranks of the sampled assumptions and of dummy
assumptions, their correlation matrix and its pseudo-inverse) does not depend on the
indicator or the year, so it is computed once per projection and cached.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray, IntArray


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
        x = np.concatenate([np.asarray(proj.parameter_values, dtype=np.float64), noise], axis=1)
        srt = sort_columns(x)
        z, constant = standardise(srt.ranks)
        gram = z.T @ z / proj.draws
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
        )
    return cache[key]
