"""Random streams: blocks of draws, uniforms (plain or Latin hypercube), rank correlations."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._types import Sampling
    from .plan import FloatArray


__all__ = ["BLOCK", "block_sizes", "iman_conover", "uniforms"]

#: Draws per block: the unit of random streams. Changing it changes every projection.
BLOCK = 1024


def block_sizes(draws: int) -> list[int]:
    """Draws per block: whole blocks of :data:`BLOCK`, and the rest."""
    full, rest = divmod(draws, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def uniforms(rng: np.random.Generator, rows: int, n: int, sampling: Sampling) -> FloatArray:
    """Uniforms for ``rows`` assumptions over ``n`` draws: plain, or a Latin hypercube."""
    if sampling == "random":
        return rng.random((rows, n))
    strata = rng.permuted(np.tile(np.arange(n), (rows, 1)), axis=1)
    u: FloatArray = (strata + rng.random((rows, n))) / n
    return u


def iman_conover(u: FloatArray, columns: NDArray[np.intp], target: FloatArray) -> None:
    """Reorder ``u``'s chosen columns in place so their ranks follow ``target``.

    Each column keeps exactly its values (so every marginal is kept); only which draw gets
    which value changes (Iman & Conover 1982).
    """
    n = u.shape[0]
    if columns.size == 0 or n < columns.size + 2:
        return
    sub = u[:, columns]
    by = sub.argsort(axis=0)
    ranks = np.empty_like(by)
    np.put_along_axis(ranks, by, np.arange(n)[:, None], axis=0)
    scores = _van_der_waerden(n)[ranks]
    current = np.corrcoef(scores, rowvar=False)
    try:
        q = np.linalg.cholesky(current)
        p = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        return
    induced = scores @ np.linalg.solve(q, p).T
    order = ranks_of(induced)
    ordered = np.take_along_axis(sub, by, axis=0)  # each column sorted
    u[:, columns] = np.take_along_axis(ordered, order, axis=0)


@functools.cache
def _van_der_waerden(n: int) -> FloatArray:
    """The normal scores of ranks 0..n-1: ``ndtri((rank + 1) / (n + 1))``, once per size."""
    scores: FloatArray = special.ndtri((np.arange(n) + 1) / (n + 1))
    scores.flags.writeable = False
    return scores


def ranks_of(a: FloatArray) -> NDArray[np.intp]:
    """Each column's ranks, 0 first: one sort and a scatter instead of two sorts."""
    by = a.argsort(axis=0)
    ranks = np.empty_like(by)
    np.put_along_axis(ranks, by, np.arange(a.shape[0])[:, None], axis=0)
    return ranks
