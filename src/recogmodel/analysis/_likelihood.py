"""The joint likelihood of observed cells under one scenario's ensemble.

Several yearly values of one indicator, or indicators that share sampled assumptions, are
strongly dependent within a scenario; multiplying their densities as if independent makes a
posterior overconfident. Here the cells are taken together: a Student t copula on the
ranks of the observed cells (Genest, Ghoudi & Rivest 1995; Demarta & McNeil 2005), its
correlation matrix shrunk toward the identity with the Ledoit–Wolf intensity (Ledoit &
Wolf 2004) and its degrees of freedom estimated from the draws, and margins that are
kernel densities in each indicator's own scale (probability mass for whole-number
indicators). Everything is vectorised over the cells: one pass per scenario.

Why t and not Gaussian: events that fire in some draws and not in others (a jump in one
year, a spike that fades) make a scenario's joint distribution a mixture, whose unusual
patterns a Gaussian copula deems far less likely than they are. The t copula's heavier
joint tails give them their due; where the draws show no such tails the estimated degrees
of freedom are infinite and the copula is the Gaussian one.

Why steps and not levels: consecutive yearly values of one indicator are random walks
with an uncertain drift, so their normal scores correlate near 1 and the copula's density
of one year given the year before hangs on tiny differences between scores, and on the
small errors of the kernel margins in between; and an event's jump in one year is a joint
pattern of the levels that no elliptical copula describes well, but a plain heavy tail in
the margin of that year's step, which a kernel density captures. So each continuous cell
with an earlier observation of the same indicator (the nearest in year: see
:func:`predecessors`) is replaced, in the draws and in the observation, by its difference
from that one before the likelihood is taken. The map from levels to steps is unit lower
triangular in the order of the observations: its Jacobian is 1 under every scenario, so
the joint likelihood the copula approximates is the same one; only the approximation is
better conditioned (in the calibration study of ``benchmarks/bench_evidence.py`` it gains
in log score and in the share of confident weights that are right). Whole-number cells stay
levels (their masses are exact counts), and each cell's likelihood on its own, the outside
flags and the effective number of observations are still those of the levels. The
transform lives here, beside the margins it reshapes, so that every caller of
:func:`joint_likelihood` gets it by passing the predecessors.

Because the copula's Cholesky factor is triangular, the joint log-likelihood of the first
``i`` cells is the sum of the first ``i`` per-cell increments, so the weights after each
observation in turn come for free; a step depends only on cells at or before its own, so
this holds on steps as on levels.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special
from scipy.linalg import lapack, solve_triangular

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._shared import BoolArray, FloatArray, IntArray

__all__ = [
    "COPULA_DRAWS",
    "DEGREES_OF_FREEDOM",
    "JointLikelihood",
    "Scratch",
    "joint_likelihood",
    "predecessors",
    "shrunk_correlation",
    "t_degrees_of_freedom",
]

_SQRT_2PI = math.sqrt(2 * math.pi)
#: Draws whose kernel densities are the continuous margins (the first ones: draws are
#: exchangeable, and the engine's blocks independent). Whole-number margins count every draw.
MARGIN_DRAWS = 2048
#: Draws used for the copula's ranks and correlations, and for the bandwidths. Half as
#: many would halve an update's cost, but loses calibration when many cells are observed
#: (``benchmarks/README.md``, Evidence: design d).
COPULA_DRAWS = 1024
#: The degrees of freedom the t copula may take (infinity: the Gaussian copula).
DEGREES_OF_FREEDOM = (3.0, 6.0, 12.0, 24.0, 48.0, math.inf)
#: Draws times cells whose pseudo-likelihood picks the degrees of freedom: every copula
#: draw for up to 16 cells, fewer (at least 256) beyond, which keeps the cost flat.
DOF_CELLS = 16 * 1024


@dataclass(frozen=True)
class JointLikelihood:
    """What one scenario's ensemble says of the observed cells, alone and together."""

    increments: FloatArray
    """(cells,) log-likelihood added by each used cell given the cells before it (0 for a
    cell not used); their sum is the joint log-likelihood."""
    marginal: FloatArray
    """(cells,) log density (log mass, for whole-number cells) of each cell on its own, in
    the indicator's own scale."""
    outside: BoolArray
    """(cells,) the value lies beyond the ensemble's range (by one bandwidth)."""
    effective: float
    """How many independent observations the used cells amount to: the participation
    ratio ``k**2 / sum(R**2)`` of the shrunk rank correlation matrix R of the levels of
    the k used cells that vary, plus the others (see :func:`joint_likelihood`)."""
    shrinkage: float
    """The Ledoit–Wolf intensity used, in [0, 1] (0 when there is no copula)."""
    degrees_of_freedom: float
    """The t copula's degrees of freedom (infinity: Gaussian, and when there is no copula)."""
    ordered: FloatArray
    """(copula draws, cells): the first :data:`COPULA_DRAWS` draws, sorted per cell (a
    stepped cell's levels to single precision about their mean: see ``_sorted_about``)."""

    @property
    def log_likelihood(self) -> float:
        """The joint log-likelihood of the used cells."""
        return float(self.increments.sum())


def shrunk_correlation(scores: FloatArray, overwrite: bool = False) -> tuple[FloatArray, float]:
    """Correlation of ``scores`` (draws, cells) shrunk toward the identity.

    The intensity is Ledoit & Wolf's (2004) estimate of the one that minimises the expected
    Frobenius loss, computed on the standardised scores; the result is a correlation matrix.
    With ``overwrite`` the scores are standardised in place (no copy of them is made).
    """
    n, p = scores.shape
    if overwrite:
        x = scores
        x -= scores.mean(axis=0)
    else:
        x = scores - scores.mean(axis=0)
    x /= np.sqrt(np.einsum("ij,ij->j", x, x) / n)  # the standard deviations, in one pass
    s = np.ascontiguousarray(x.T) @ x / n  # a contiguous left factor: a faster product
    d2 = float(np.sum((s - np.eye(p)) ** 2)) / p
    b2 = (float(np.sum(np.einsum("ij,ij->i", x, x) ** 2)) - n * float(np.sum(s * s))) / (n * n * p)
    lam = 1.0 if d2 <= 0 else min(1.0, max(b2, 0.0) / d2)
    r: FloatArray = (1 - lam) * s + lam * np.eye(p)
    return r, lam


def predecessors(series: IntArray, years: IntArray, eligible: BoolArray) -> IntArray:
    """Each cell's predecessor: the eligible cell of the same series that comes earlier in
    the sequence and is nearest in year (the earlier year on a tie); -1 where there is none.

    Parameters
    ----------
    series
        (cells,) which indicator each cell belongs to.
    years
        (cells,) each cell's year.
    eligible
        (cells,) the cells that may be a predecessor and have one (the used continuous ones).

    Returns
    -------
    numpy.ndarray
        (cells,) the index of each cell's predecessor, always smaller than its own, or -1.
    """
    out = np.full(series.shape[0], -1, dtype=np.intp)
    for i in np.flatnonzero(eligible):
        earlier = np.flatnonzero(eligible[:i] & (series[:i] == series[i]))
        if earlier.size:
            gap = np.abs(years[earlier] - years[i])
            nearest = earlier[gap == gap.min()]
            out[i] = nearest[np.argmin(years[nearest])]
    return out


class Scratch:
    """Working arrays kept from one scenario to the next of one update.

    On a virtual machine a fresh array of a megabyte costs a page fault for every 4 KiB
    the first time it is written: measured on the shipped case, a third of an update's
    time. The scenarios of one update observe the same cells, so their working arrays have
    the same shapes and are reused. No result keeps one of them.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray[Any, Any]] = {}

    def get(self, key: str, shape: tuple[int, ...], dtype: type) -> np.ndarray[Any, Any]:
        """An array of ``shape`` and ``dtype`` kept under ``key`` (its values are left over)."""
        found = self._arrays.get(key)
        if found is None or found.shape != shape or found.dtype != dtype:
            found = np.empty(shape, dtype=dtype)
            self._arrays[key] = found
        return found

    def floats(self, key: str, shape: tuple[int, ...]) -> FloatArray:
        """A float array of ``shape`` kept under ``key`` (its values are left over)."""
        out: FloatArray = self.get(key, shape, np.float64)
        return out

    def ints(self, key: str, shape: tuple[int, ...]) -> IntArray:
        """An index array of ``shape`` kept under ``key`` (its values are left over)."""
        out: IntArray = self.get(key, shape, np.intp)
        return out


@dataclass(frozen=True)
class _Margins:
    """Kernel (or mass) margins of some cells: their log densities and distribution
    functions at the observed values, and what the copula needs of the draws. Arrays of
    draws hold one cell per row, its draws contiguous.
    """

    log_density: FloatArray
    cdf: FloatArray
    """NaN for the cells whose distribution function was not asked for."""
    bandwidth: FloatArray
    sd: FloatArray
    ordered: FloatArray
    """(cells, copula draws): the copula's draws, sorted per cell."""
    order: IntArray
    """(placed cells, copula draws): the permutation that sorts the placed cells."""
    first: FloatArray
    """(cells, copula draws): the copula's draws, unsorted."""


def _margins(
    rows: FloatArray,
    observed: FloatArray,
    integer: BoolArray,
    floor: float,
    whole: FloatArray | None,
    placed: BoolArray,
    scratch: Scratch,
    key: str,
    keep: bool,
) -> _Margins:
    """The margins of ``observed`` (cells,) under ``rows`` (cells, draws, C-contiguous);
    see :func:`joint_likelihood`. The cells where ``placed`` is true get their
    distribution function and the permutation that sorts their copula draws (for their
    ranks); the others are only sorted, which costs half as much. Working arrays come from
    ``scratch`` under names that start with ``key``; with ``keep`` the sorted draws are a
    fresh array (a result keeps them).
    """
    cells, n = rows.shape
    cont = ~integer
    sub = rows[:, :COPULA_DRAWS]  # each cell's draws contiguous: faster sorts and gathers
    m = sub.shape[1]
    mean, sd = _row_moments(rows, scratch.floats(key + "deviations", rows.shape))
    at_quartiles = [min(int(q * m), m - 1) for q in (0.25, 0.5, 0.75)]
    ordered = np.empty((cells, m)) if keep else scratch.floats(key + "ordered", (cells, m))
    # The quartiles, which set the bandwidths, are taken in single precision about each
    # cell's mean (see _sorted_about): the same numbers for a cell whether it is ranked
    # (sorted in double precision) or only sorted.
    quartiles = np.empty((cells, len(at_quartiles)))
    if placed.all():
        order = np.argsort(sub, axis=1)  # one sort gives the order statistics and the ranks
        _gather_rows(rows, order, ordered, scratch, key)
        quartiles[:] = _about(ordered[:, at_quartiles], mean)
    else:
        part = _take_rows(sub, np.flatnonzero(placed), scratch, key + "part")
        order = np.argsort(part, axis=1)
        sorted_part = scratch.floats(key + "sorted", part.shape)
        ordered[placed] = _gather_rows(part, order, sorted_part, scratch, key)
        quartiles[placed] = _about(sorted_part[:, at_quartiles], mean[placed])
        rest = np.flatnonzero(~placed)
        ordered[rest], quartiles[rest] = _sorted_about(sub, rest, mean, at_quartiles, scratch, key)
    q1, centre, q3 = quartiles.T
    iqr = (q3 - q1) / 1.349
    sigma = np.where(iqr > 0, np.minimum(sd, iqr), sd)
    bandwidth = np.maximum(0.9 * sigma * n ** (-0.2), 1e-6 * np.maximum(1.0, np.abs(centre)))
    spread = np.maximum(np.maximum((q3 - q1) / 2, sd), bandwidth)

    log_density = np.empty(observed.shape[0])
    cdf = np.full(observed.shape[0], np.nan)
    if cont.any():
        # In place: each pass over the (cells, draws) array costs as much as the arithmetic.
        if cont.all():
            u = scratch.floats(key + "kernel", rows.shape)
            np.subtract(observed[:, None], rows, out=u)
        else:
            u = _take_rows(rows, np.flatnonzero(cont), scratch, key + "kernel")
            np.subtract(observed[cont, None], u, out=u)
        u *= 1.0 / bandwidth[cont, None]
        at = placed[cont]
        # The distribution function, which only places the value for the copula, from the
        # copula's own draws (whose ranks it is set against): half the cost of all.
        first = u[:, :m]
        head = first if at.all() else _take_rows(first, np.flatnonzero(at), scratch, key + "at")
        kde_cdf = _normal_cdf(head, scratch, key).mean(axis=1)
        np.square(u, out=u)
        u *= -0.5
        np.exp(u, out=u)
        kde_pdf = u.sum(axis=1) / (n * bandwidth[cont] * _SQRT_2PI)
        t = (observed[cont] - centre[cont]) / spread[cont]
        cauchy_pdf = 1.0 / (math.pi * spread[cont] * (1 + t * t))
        log_density[cont] = np.log((1 - floor) * kde_pdf + floor * cauchy_pdf)
        cauchy_cdf = 0.5 + np.arctan(t[at]) / math.pi
        cdf[np.flatnonzero(cont)[at]] = (1 - floor) * kde_cdf + floor * cauchy_cdf
    if integer.any():
        counted = rows[integer] if whole is None else whole
        total = counted.shape[1]
        hits = (counted == observed[integer, None]).sum(axis=1)
        below = (counted < observed[integer, None]).sum(axis=1)
        # Exact counts; a value no draw takes gets half a draw, so it is never impossible.
        log_density[integer] = np.log(np.maximum(hits, 0.5) / total)
        cdf[integer] = (below + 0.5 * hits) / total
    return _Margins(log_density, cdf, bandwidth, sd, ordered, order, sub)


#: The normal distribution function is read from a table over [-reach, reach] with this
#: many points per unit, by linear interpolation: within 1.8e-9 of ``ndtr`` everywhere
#: (the error bound ``step**2 / 8 * max|pdf'|``), against a sampling error of about 0.015
#: in a distribution function estimated from 1,024 draws, at a third of the cost.
_CDF_STEPS = 4096
#: Beyond this many bandwidths the distribution function is 0 or 1 (to within 1.2e-19).
_CDF_REACH = 9


@functools.cache
def _cdf_table() -> tuple[FloatArray, FloatArray]:
    """``ndtr`` at the table's points, and the slope from each point to the next (0 after
    the last); read-only.
    """
    span = _CDF_REACH * _CDF_STEPS
    values: FloatArray = special.ndtr(np.arange(-span, span + 1) / _CDF_STEPS)
    slopes: FloatArray = np.append(np.diff(values), 0.0)
    for table in (values, slopes):
        table.flags.writeable = False
    return values, slopes


def _normal_cdf(v: FloatArray, scratch: Scratch, key: str) -> FloatArray:
    """The standard normal distribution function at ``v``, interpolated in the table of
    :func:`_cdf_table`, into a kept working array (``special.ndtr`` is three times slower,
    and a kernel's distribution function at an observed value is most of its cost).
    """
    values, slopes = _cdf_table()
    at = scratch.floats(key + "cdf.at", v.shape)
    np.multiply(v, _CDF_STEPS, out=at)
    at += _CDF_REACH * _CDF_STEPS
    np.clip(at, 0.0, values.size - 1, out=at)  # NaN stays NaN, and lands on the first point
    index = scratch.ints(key + "cdf.index", v.shape)
    np.copyto(index, at, casting="unsafe")  # the floor: at >= 0
    at -= index  # the fraction of a step beyond the point
    out = scratch.floats(key + "cdf", v.shape)
    np.take(slopes, index, out=out, mode="clip")
    out *= at
    base = scratch.floats(key + "cdf.base", v.shape)
    np.take(values, index, out=base, mode="clip")
    out += base
    return out


def _row_moments(rows: FloatArray, work: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each row's mean (as a column) and standard deviation, as ``rows.mean(axis=1)`` and
    ``rows.std(axis=1)`` compute them (the same operations, so the same bits), with the
    deviations in ``work`` instead of a new array.
    """
    n = rows.shape[1]
    mean: FloatArray = np.add.reduce(rows, axis=1, keepdims=True) / n
    np.subtract(rows, mean, out=work)
    np.multiply(work, work, out=work)
    sd: FloatArray = np.sqrt(np.add.reduce(work, axis=1) / n)
    return mean, sd


def _about(values: FloatArray, mean: FloatArray) -> FloatArray:
    """``values`` (rows, k) rounded to single precision about each row's ``mean``: what
    :func:`_sorted_about` gives at the same order statistics, since the rounding keeps
    order.
    """
    out: FloatArray = (values - mean).astype(np.float32) + mean
    return out


def _sorted_about(
    sub: FloatArray,
    at: IntArray,
    mean: FloatArray,
    quartiles: list[int],
    scratch: Scratch,
    key: str,
) -> tuple[FloatArray, FloatArray]:
    """The rows ``at`` of ``sub`` sorted, and their values at the positions ``quartiles``,
    to single precision about each row's mean.

    These rows are sorted for their quantiles alone (the bandwidths, the test for twin
    scenarios), never ranked: in single precision numpy sorts twice as fast, and about the
    mean the rounding is at most 6e-8 of a draw's distance from the mean, far inside the
    sampling error of any quantile of 1,024 draws.
    """
    centre = mean[at]
    small = scratch.get(key + "small", (at.size, sub.shape[1]), np.float32)
    np.subtract(_take_rows(sub, at, scratch, key + "rest"), centre, out=small, casting="same_kind")
    small.sort(axis=1)
    out = scratch.floats(key + "rest.sorted", small.shape)
    np.add(small, centre, out=out)
    return out, small[:, quartiles] + centre


def _take_rows(rows: FloatArray, at: IntArray, scratch: Scratch, key: str) -> FloatArray:
    """The rows ``at`` of ``rows``, copied into a kept working array."""
    out = scratch.floats(key, (at.size, rows.shape[1]))
    np.take(rows, at, axis=0, out=out, mode="clip")  # "clip": no buffered copy
    return out


def _gather_rows(
    rows: FloatArray, order: IntArray, out: FloatArray, scratch: Scratch, key: str
) -> FloatArray:
    """The first columns of ``rows`` (C-contiguous) reordered along each row by ``order``
    (rows, columns used), into ``out``: one flat gather, a third of the time of
    ``take_along_axis``.
    """
    flat = scratch.ints(key + "flat", order.shape)
    np.add(order, (rows.shape[1] * np.arange(rows.shape[0]))[:, None], out=flat)
    np.take(rows.reshape(-1), flat, out=out, mode="clip")
    return out


def joint_likelihood(
    draws: FloatArray,
    observed: FloatArray,
    integer: BoolArray,
    use: BoolArray,
    floor: float,
    whole: FloatArray | None = None,
    predecessor: IntArray | None = None,
    bounds: Callable[[IntArray], tuple[FloatArray, FloatArray]] | None = None,
    scratch: Scratch | None = None,
) -> JointLikelihood:
    """The likelihood of ``observed`` (cells,) under ``draws`` (draws, cells).

    Continuous cells are given in the indicator's own scale, whole-number cells in their
    units. Only cells where ``use`` is true enter the joint likelihood; ``floor`` is the
    share of each continuous margin given to a wide Cauchy density. ``whole``, if given,
    holds every draw of the whole-number cells (draws, whole-number cells), whose masses
    are then exact counts over all of them; ``draws`` may then hold only the first ones.
    Column-major arrays (each cell's draws contiguous) are used as they are; others are
    copied once.

    ``predecessor``, if given, names for each cell an earlier used continuous cell (-1:
    none; see :func:`predecessors`) whose value is subtracted from it, in the draws and in
    the observation, before the joint likelihood is taken: the copula and the margins
    then describe steps where they had described levels. The marginal densities, the
    outside flags and the effective number of observations stay those of the levels.

    A value is outside when it lies more than a bandwidth (half a unit, for whole-number
    cells) beyond the smallest or largest draw of its cell. ``bounds``, if given, returns
    those over the whole ensemble for the cells asked for (``draws`` may hold only its
    first draws); it is asked only about the cells the given draws leave outside, since a
    value inside their range is inside the ensemble's.

    ``scratch``, if given, holds the working arrays, to be reused by the next call with the
    same cells (the scenarios of one update).
    """
    has = np.flatnonzero(predecessor >= 0) if predecessor is not None else np.empty(0, np.intp)
    before = predecessor[has] if predecessor is not None else has
    pair = np.r_[has, before]
    if (before >= has).any() or integer[pair].any() or not use[pair].all():
        raise ValueError("a predecessor must be an earlier used cell of a continuous one")
    work = Scratch() if scratch is None else scratch
    rows = np.ascontiguousarray(draws.T)  # a view of column-major draws: no copy
    whole_rows = None if whole is None else np.ascontiguousarray(whole.T)
    placed = np.ones(observed.shape[0], dtype=np.bool_)
    placed[has] = False
    level = _margins(rows, observed, integer, floor, whole_rows, placed, work, "level.", True)
    reach = np.where(integer, 0.5, level.bandwidth)
    outside = (observed < rows.min(axis=1) - reach) | (observed > rows.max(axis=1) + reach)
    if bounds is not None and outside.any():
        at = np.flatnonzero(outside)
        low, high = bounds(at)
        outside[at] = (observed[at] < low - reach[at]) | (observed[at] > high + reach[at])
    log_density, cdf, sd = level.log_density, level.cdf, level.sd
    ordered = level.ordered
    order = level.order  # (placed cells, draws) until the steps join it
    if has.size:
        steps = _take_rows(rows, has, work, "steps")
        steps -= _take_rows(rows, before, work, "before")
        step = _margins(
            steps,
            observed[has] - observed[before],
            np.zeros(has.size, dtype=np.bool_),
            floor,
            None,
            np.ones(has.size, dtype=np.bool_),
            work,
            "step.",
            False,
        )
        log_density, cdf, sd = log_density.copy(), cdf.copy(), sd.copy()
        log_density[has], cdf[has], sd[has] = step.log_density, step.cdf, step.sd
        ordered = work.floats("copula.ordered", level.ordered.shape)
        np.copyto(ordered, level.ordered)
        order = work.ints("copula.order", level.ordered.shape)
        order[placed] = level.order
        ordered[has], order[has] = step.ordered, step.order

    m = ordered.shape[1]
    increments = np.where(use, log_density, 0.0)
    copula = use & (sd > 0)
    k = int(copula.sum())
    effective, lam, nu = float(use.sum()), 0.0, math.inf
    if k > 1:
        cells = slice(None) if k == copula.size else copula  # a slice: a view, not a copy
        ties = _has_ties(ordered[cells])
        half = _half_ranks(ordered[cells], order[cells], ties, work, "copula.")
        r, lam = shrunk_correlation(_normal_scores(half, work, "copula.").T, overwrite=True)
        chol: FloatArray = np.asarray(np.linalg.cholesky(r), dtype=np.float64)
        # The tails are judged on the cells without ties: a whole-number cell's ties clump
        # its scores, which no copula's tails describe; with fewer than two such cells the
        # copula stays Gaussian.
        smooth = ~ties
        if smooth.sum() > 1:
            part = chol if smooth.all() else np.linalg.cholesky(r[np.ix_(smooth, smooth)])
            used_rows = max(256, DOF_CELLS // int(smooth.sum()))
            nu = _degrees_of_freedom(
                half[smooth, :used_rows].T, m, np.asarray(part, dtype=np.float64)
            )
        u_obs = np.clip(cdf[copula], 0.5 / m, 1 - 0.5 / m)
        increments[copula] += _copula_increments(u_obs, chol, nu)
        if not has.size:
            effective = float(use.sum()) - k + k * k / float(np.sum(r * r))
    varies = use & (level.sd > 0)
    if has.size and varies.sum() > 1:
        # How many independent observations the cells amount to is a property of the
        # levels (six yearly values of a random walk are not six), not of the steps: the
        # levels' rank correlation, from as many draws as the degrees of freedom get.
        k = int(varies.sum())
        sub = np.ascontiguousarray(level.first[varies, : max(256, DOF_CELLS // k)])
        by = np.argsort(sub, axis=1)
        ordered_sub = work.floats("levels.ordered", sub.shape)
        _gather_rows(sub, by, ordered_sub, work, "levels.")
        half = _half_ranks(ordered_sub, by, _has_ties(ordered_sub), work, "levels.")
        r = shrunk_correlation(_normal_scores(half, work, "levels.").T, overwrite=True)[0]
        effective = float(use.sum()) - k + k * k / float(np.sum(r * r))
    return JointLikelihood(
        increments, level.log_density, outside, effective, lam, nu, level.ordered.T
    )


def _normal_scores(half: IntArray, scratch: Scratch, key: str) -> FloatArray:
    """The normal scores ``Φ⁻¹(rank / (m + 1))`` of mid-ranks among ``m`` draws (each row a
    cell), given as ``2 * rank - 2`` (see :func:`_half_ranks`), read from the table of
    :func:`_score_table` into a kept working array.
    """
    out = scratch.floats(key + "scores", half.shape)
    np.take(_score_table(math.inf, half.shape[1]), half, out=out, mode="clip")
    return out


def t_degrees_of_freedom(ranks: FloatArray, draws: int, chol: FloatArray) -> float:
    """The degrees of freedom, from :data:`DEGREES_OF_FREEDOM`, under which the t copula
    with correlation ``chol @ chol.T`` makes draws of the given ``ranks`` likeliest.

    ``ranks`` (draws used, cells) are mid-ranks among ``draws`` draws. This is the copula's
    pseudo-likelihood (Genest, Ghoudi & Rivest 1995), maximised over the grid with the
    correlation held fixed (the two-step estimate of Demarta & McNeil 2005); the term every
    grid value shares is left out.
    """
    # Mid-ranks are whole or half numbers: 2 * rank - 2 indexes the tables.
    return _degrees_of_freedom(np.rint(2 * ranks).astype(np.intp) - 2, draws, chol)


def _degrees_of_freedom(half: IntArray, draws: int, chol: FloatArray) -> float:
    """:func:`t_degrees_of_freedom` of the mid-ranks given as ``2 * rank - 2``."""
    n, k = half.shape
    # The inverse of chol @ chol.T from its factor in one LAPACK call (its lower triangle).
    lower, info = lapack.dpotri(chol, lower=1)
    if info != 0:  # pragma: no cover - a Cholesky factor of a correlation matrix
        raise np.linalg.LinAlgError(f"dpotri failed ({info})")
    precision = np.tril(lower) + np.tril(lower, -1).T
    # The margins' terms depend on each score alone: summed over the table, weighted by how
    # often each score occurs, instead of over every draw-cell for every grid value.
    counts = np.bincount(half.ravel(), minlength=2 * draws - 1).astype(np.float64)
    best, best_nu = -math.inf, math.inf
    for nu in DEGREES_OF_FREEDOM:
        table = _score_table(nu, draws)
        x = table[half]
        q = np.einsum("ij,ij->i", x @ precision, x)  # squared Mahalanobis distances
        if math.isinf(nu):
            total = -0.5 * (float(np.sum(q)) - float(counts @ (table * table)))
        else:
            joint = n * (
                special.gammaln(0.5 * (nu + k)) - 0.5 * k * math.log(nu * math.pi)
            ) - 0.5 * (nu + k) * float(np.sum(np.log1p(q / nu)))
            margins = n * k * (
                special.gammaln(0.5 * (nu + 1)) - 0.5 * math.log(nu * math.pi)
            ) - 0.5 * (nu + 1) * float(counts @ np.log1p(table * table / nu))
            total = joint - margins - n * (1 - k) * special.gammaln(0.5 * nu)
        if total > best:
            best, best_nu = total, nu
    return best_nu


@functools.lru_cache(maxsize=32)
def _score_table(nu: float, draws: int) -> FloatArray:
    """The t quantiles (normal ones for infinite ``nu``) of the mid-ranks ``1, 1.5, ..,
    draws`` among ``draws`` draws, at ``rank / (draws + 1)``; read-only.
    """
    levels = np.arange(2, 2 * draws + 1) / (2.0 * (draws + 1))
    table: FloatArray = special.ndtri(levels) if math.isinf(nu) else special.stdtrit(nu, levels)
    table.flags.writeable = False
    return table


def _copula_increments(u: FloatArray, chol: FloatArray, nu: float) -> FloatArray:
    """Per-cell increments of the log copula density at ``u`` (cells,): the log density of
    the first ``i`` cells minus that of the first ``i - 1``, for the correlation whose
    Cholesky factor is ``chol``; Gaussian for infinite ``nu``, else Student t.
    """
    log_diag = np.log(np.diag(chol))
    if math.isinf(nu):
        z = special.ndtri(u)
        w = solve_triangular(chol, z, lower=True, check_finite=False)
        out: FloatArray = -log_diag - 0.5 * (w * w - z * z)
        return out
    x = special.stdtrit(nu, u)
    w = solve_triangular(chol, x, lower=True, check_finite=False)
    i = np.arange(1, u.shape[0] + 1, dtype=np.float64)
    # The multivariate t log density of the first i cells, each t margin taken out.
    joint = (
        special.gammaln(0.5 * (nu + i))
        - special.gammaln(0.5 * nu)
        - 0.5 * i * math.log(nu * math.pi)
        - np.cumsum(log_diag)
        - 0.5 * (nu + i) * np.log1p(np.cumsum(w * w) / nu)
    )
    margins = np.cumsum(
        special.gammaln(0.5 * (nu + 1))
        - special.gammaln(0.5 * nu)
        - 0.5 * math.log(nu * math.pi)
        - 0.5 * (nu + 1) * np.log1p(x * x / nu)
    )
    prefix = joint - margins
    return np.diff(prefix, prepend=0.0)


def _has_ties(ordered: FloatArray) -> BoolArray:
    """Which rows of ``ordered`` (each sorted) hold equal values."""
    out: BoolArray = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    return out


def _half_ranks(
    ordered: FloatArray, order: IntArray, ties: BoolArray, scratch: Scratch, key: str
) -> IntArray:
    """Twice the ranks minus 2, ``0, 2, .., 2m - 2`` in draw order, of each row, ties given
    twice their mean rank minus 2 (an odd number for an even tie): the index of each
    draw's score in :func:`_score_table`. ``ordered`` is each row sorted, ``order`` the
    permutation that sorts it, which is inverted to place the ranks (no second sort), and
    ``ties`` the rows with equal values (see :func:`_has_ties`).
    """
    cells, m = ordered.shape
    half = scratch.ints(key + "half", (cells, m))
    places = scratch.ints(key + "places", (cells, m))
    np.add(order, (m * np.arange(cells))[:, None], out=places)  # flat: a third of put_along
    plain = ~ties
    flat = half.reshape(-1)
    flat[places if plain.all() else places[plain]] = np.arange(0, 2 * m, 2)
    if ties.any():
        # In a sorted row a run of equal values from position s (0 first) of length L has
        # the mid-rank s + (L + 1) / 2, so 2 * rank - 2 = 2 s + L - 1. Every row starts a
        # run, so no run spans two rows of the flattened array.
        tied = ordered[ties]
        new = np.ones(tied.shape, dtype=np.bool_)
        new[:, 1:] = tied[:, 1:] != tied[:, :-1]
        starts = np.flatnonzero(new)
        lengths = np.diff(np.append(starts, new.size))
        flat[places[ties]] = np.repeat(2 * (starts % m) + lengths - 1, lengths).reshape(tied.shape)
    return half
