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


__all__ = [
    "BLOCK",
    "block_sizes",
    "correlate_blocks",
    "iman_conover",
    "ranks_of",
    "target_factor",
    "uniforms",
]

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


def iman_conover(u: FloatArray, target: FloatArray | None) -> None:
    """Reorder each row of ``u`` in place so the rows' ranks follow a target correlation.

    ``u`` holds the correlated variables in rows and one block's draws in columns, or is a
    stack of such blocks (blocks, variables, draws), each reordered on its own: a stack
    does in one call what a loop over blocks would, with the same numbers. ``target`` is
    the Cholesky factor of the target correlation of normal scores (``None`` when it has
    none: nothing is induced). Each row keeps exactly its values (so every marginal is
    kept); only which draw gets which value changes (Iman & Conover 1982). Draws are the
    last, contiguous axis, along which every sort runs.
    """
    k, n = u.shape[-2:]
    if target is None or k == 0 or n < k + 2:
        return
    by = u.argsort(axis=-1)
    vdw, squares = _van_der_waerden(n)
    scores = _scatter(by, vdw)  # each draw's score at its rank: vdw[ranks], in one pass
    current = (scores @ np.swapaxes(scores, -1, -2)) / squares  # mean 0, a known spread
    try:
        q = np.linalg.cholesky(current)
    except np.linalg.LinAlgError:
        if u.ndim == 3:  # some block's scores are degenerate: that block is left as it is
            for block in u:
                iman_conover(block, target)
        return
    induced = np.linalg.solve(q, target) @ scores
    # Each row's sorted values placed at the ranks of the induced scores: the draw whose
    # induced score is j-th smallest gets the j-th smallest value.
    u[...] = _scatter(induced.argsort(axis=-1), np.take_along_axis(u, by, axis=-1))


def correlate_blocks(u: FloatArray, sizes: list[int], target: FloatArray) -> None:
    """:func:`iman_conover` on each block of ``u`` (variables, a chunk's draws) in place:
    the leading equal blocks as one stack, a shorter last block on its own.
    """
    k = u.shape[0]
    whole = sum(1 for size in sizes if size == sizes[0])
    span = whole * sizes[0]
    stack = u[:, :span].reshape(k, whole, sizes[0]).transpose(1, 0, 2).copy()
    iman_conover(stack, target)
    u[:, :span] = stack.transpose(1, 0, 2).reshape(k, span)
    if whole < len(sizes):
        iman_conover(u[:, span:], target)


def _scatter(by: NDArray[np.intp], values: FloatArray) -> FloatArray:
    """``out`` with ``out[..., by[..., j]] = values[..., j]`` along the last axis (``values``
    broadcast to ``by``'s shape): ``values`` taken at the ranks that ``by`` sorts into, with
    one flat scatter instead of inverting the permutation and gathering.
    """
    n = by.shape[-1]
    rows = by.size // n if n else 0
    flat = by.reshape(rows, n) + (n * np.arange(rows))[:, None]
    out: FloatArray = np.empty(by.shape)
    out.reshape(-1)[flat.reshape(-1)] = np.broadcast_to(values, by.shape).reshape(-1)
    return out


def _inverse(by: NDArray[np.intp]) -> NDArray[np.intp]:
    """Ranks from a sorting permutation along the last axis."""
    ranks = np.empty_like(by)
    np.put_along_axis(ranks, by, np.arange(by.shape[-1]), axis=-1)
    return ranks


def target_factor(target: FloatArray) -> FloatArray | None:
    """The Cholesky factor Iman–Conover needs, or ``None`` for a matrix without one."""
    try:
        factor = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(factor, dtype=np.float64)


@functools.cache
def _van_der_waerden(n: int) -> tuple[FloatArray, float]:
    """The normal scores of ranks 0..n-1, ``ndtri((rank + 1) / (n + 1))``, and the sum of
    their squares, once per size (the scores are symmetric about 0: their mean is 0).
    """
    scores: FloatArray = special.ndtri((np.arange(n) + 1) / (n + 1))
    scores -= scores.mean()
    scores.flags.writeable = False
    return scores, float(scores @ scores)


def ranks_of(a: FloatArray) -> NDArray[np.intp]:
    """Each column's ranks, 0 first: one sort and a scatter instead of two sorts."""
    ranks: NDArray[np.intp] = _inverse(a.T.argsort(axis=-1)).T
    return ranks
