"""The joint likelihood's copula: its degrees of freedom and its per-cell increments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from recogmodel.analysis import _likelihood
from recogmodel.analysis._likelihood import (
    _copula_increments,
    joint_likelihood,
    predecessors,
)


def _correlation() -> np.ndarray:
    """A 4-cell correlation matrix with strong and weak dependence."""
    return np.array(
        [
            [1.0, 0.8, 0.5, 0.2],
            [0.8, 1.0, 0.6, 0.3],
            [0.5, 0.6, 1.0, 0.4],
            [0.2, 0.3, 0.4, 1.0],
        ]
    )


def _fitted(draws: np.ndarray) -> float:
    """The degrees of freedom the joint likelihood picks for ``draws`` (draws, cells)."""
    cells = draws.shape[1]
    integer = np.zeros(cells, dtype=np.bool_)
    use = np.ones(cells, dtype=np.bool_)
    return joint_likelihood(draws, np.zeros(cells), integer, use, 0.01).degrees_of_freedom


def test_degrees_of_freedom_are_large_for_gaussian_draws() -> None:
    """Draws with a Gaussian copula get 24 degrees of freedom or more (near Gaussian)."""
    rng = np.random.default_rng(1)
    draws = rng.multivariate_normal(np.zeros(4), _correlation(), size=2048)
    assert _fitted(np.exp(draws)) >= 24


def test_degrees_of_freedom_are_small_for_heavy_tailed_draws() -> None:
    """Draws with a t copula of 3 degrees of freedom get 3 (the grid's nearest: 3 or 6)."""
    rng = np.random.default_rng(2)
    x = stats.multivariate_t(np.zeros(4), _correlation(), df=3).rvs(size=2048, random_state=rng)
    assert _fitted(x) in (3.0, 6.0)


@pytest.mark.parametrize("nu", [math.inf, 5.0])
def test_copula_increments_sum_to_the_copula_log_density(nu: float) -> None:
    """The increments of the first i cells sum to the log copula density of those cells."""
    r = _correlation()
    chol = np.linalg.cholesky(r)
    u = np.array([0.9, 0.7, 0.2, 0.55])
    inc = _copula_increments(u, chol, nu)
    for i in range(1, 5):
        if math.isinf(nu):
            x = stats.norm.ppf(u[:i])
            joint = stats.multivariate_normal(np.zeros(i), r[:i, :i]).logpdf(x)
            margins = stats.norm.logpdf(x).sum()
        else:
            x = stats.t.ppf(u[:i], nu)
            joint = stats.multivariate_t(np.zeros(i), r[:i, :i], df=nu).logpdf(x)
            margins = stats.t.logpdf(x, nu).sum()
        assert inc[:i].sum() == pytest.approx(joint - margins, abs=1e-9)


def test_heavy_tailed_draws_get_a_t_copula_that_finds_their_outliers_likelier() -> None:
    """Heavy-tailed draws get few degrees of freedom and a joint outlier a higher copula density."""
    rng = np.random.default_rng(3)
    r = _correlation()
    draws = stats.multivariate_t(np.zeros(4), r, df=3).rvs(size=2048, random_state=rng)
    observed = np.array([6.0, -6.0, 5.0, -5.0])
    integer = np.zeros(4, dtype=np.bool_)
    use = np.ones(4, dtype=np.bool_)
    heavy = joint_likelihood(draws, observed, integer, use, 0.01)
    assert heavy.degrees_of_freedom <= 6
    gaussian = rng.multivariate_normal(np.zeros(4), r, size=2048)
    light = joint_likelihood(gaussian, np.zeros(4), integer, use, 0.01)
    assert light.degrees_of_freedom >= 24
    copula = heavy.increments - heavy.marginal
    z = stats.norm.ppf(np.clip([stats.t.cdf(v, 3) for v in observed], 1e-4, 1 - 1e-4))
    w = np.linalg.solve(np.linalg.cholesky(r), z)
    gaussian_copula = -np.log(np.diag(np.linalg.cholesky(r))).sum() - 0.5 * (w @ w - z @ z)
    assert copula.sum() > gaussian_copula


def test_predecessor_is_the_earlier_cell_of_the_series_nearest_in_year() -> None:
    """Each cell steps from the earlier eligible cell of its series nearest in year (the
    earlier year on a tie); a first cell and an ineligible one have none (-1).
    """
    series = np.array([0, 0, 1, 0, 0, 1, 2, 2])
    years = np.array([2025, 2027, 2025, 2026, 2024, 2026, 2025, 2026])
    eligible = np.array([True, True, True, True, True, True, False, False])
    before = predecessors(series, years, eligible)
    assert before.tolist() == [-1, 0, -1, 0, 0, 2, -1, -1]
    assert (before < np.arange(8)).all()


def _random_walks(draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian random walks over five years (draws, 5) and their joint covariance."""
    rng = np.random.default_rng(seed)
    walks = np.cumsum(rng.normal(size=(draws, 5)), axis=1)
    years = np.arange(1, 6)
    return walks, np.minimum.outer(years, years).astype(float)


def test_steps_leave_the_joint_likelihood_of_gaussian_walks_unchanged() -> None:
    """For Gaussian random walks, where the Gaussian copula is exact for levels and steps
    alike, the joint log-likelihood taken on steps equals the one on levels and the true
    density, within Monte Carlo error; the margins stay those of the levels.
    """
    walks, cov = _random_walks(2048, 4)
    integer = np.zeros(5, dtype=np.bool_)
    use = np.ones(5, dtype=np.bool_)
    before = predecessors(np.zeros(5, np.intp), np.arange(5), use)
    assert before.tolist() == [-1, 0, 1, 2, 3]
    for observed in (np.array([0.3, -0.5, 0.4, 1.2, 0.8]), np.array([1.0, 2.1, 2.9, 4.2, 5.0])):
        levels = joint_likelihood(walks, observed, integer, use, 0.01)
        steps = joint_likelihood(walks, observed, integer, use, 0.01, predecessor=before)
        truth = stats.multivariate_normal(np.zeros(5), cov).logpdf(observed)
        assert steps.log_likelihood == pytest.approx(truth, abs=0.3)
        assert levels.log_likelihood == pytest.approx(truth, abs=0.35)
        np.testing.assert_array_equal(steps.marginal, levels.marginal)
        assert steps.effective == pytest.approx(levels.effective)


def test_a_whole_number_cell_keeps_its_exact_mass_beside_steps() -> None:
    """A whole-number cell is never stepped: its increment, first in order, is its exact
    mass with or without steps on the continuous cells, and stepping it is refused.
    """
    walks, _ = _random_walks(2048, 5)
    rng = np.random.default_rng(6)
    draws = np.column_stack([rng.integers(0, 4, 2048).astype(float), walks[:, :3]])
    observed = np.array([2.0, 0.5, 1.0, 0.2])
    integer = np.array([True, False, False, False])
    use = np.ones(4, dtype=np.bool_)
    before = predecessors(np.array([0, 1, 1, 1]), np.array([1, 1, 2, 3]), ~integer)
    assert before.tolist() == [-1, -1, 1, 2]
    steps = joint_likelihood(draws, observed, integer, use, 0.01, predecessor=before)
    assert steps.increments[0] == pytest.approx(math.log(float(np.mean(draws[:, 0] == 2.0))))
    assert steps.marginal[0] == steps.increments[0]
    with pytest.raises(ValueError, match="predecessor"):
        joint_likelihood(draws, observed, integer, use, 0.01, predecessor=np.array([-1, 0, 1, 2]))


def test_the_joint_likelihood_of_many_gaussian_walks_is_near_their_exact_density() -> None:
    """A large update (100 cells: twenty independent Gaussian walks over five years, taken
    as steps) stays near the exact density: the copula, 100 by 100 from 1,024 draws and
    shrunk, adds little to the error of the 100 kernel margins.
    """
    series = 20
    cov = np.minimum.outer(np.arange(1, 6), np.arange(1, 6)).astype(float)
    years, ser = np.tile(np.arange(1, 6), series), np.repeat(np.arange(series), 5)
    use = np.ones(5 * series, dtype=np.bool_)
    before = predecessors(ser, years, use)
    for seed in (0, 1, 2):
        rng = np.random.default_rng(seed)
        walks = np.concatenate(
            [np.cumsum(rng.normal(size=(2048, 5)), axis=1) for _ in range(series)], axis=1
        )
        observed = np.concatenate([np.cumsum(rng.normal(size=5)) for _ in range(series)])
        truth = sum(
            stats.multivariate_normal(np.zeros(5), cov).logpdf(observed[5 * i : 5 * i + 5])
            for i in range(series)
        )
        found = joint_likelihood(walks, observed, ~use, use, 0.01, predecessor=before)
        # 100 kernel margins from 2,048 draws: the log density is off by up to ~1.3 either way.
        assert found.log_likelihood == pytest.approx(truth, abs=2.0)


def test_half_ranks_are_twice_the_mid_ranks_less_two_and_std_is_numpys() -> None:
    """The copula's rank indices equal ``2 * rankdata - 2`` (ties at their mean rank), and
    the rows' standard deviation is numpy's to the bit.
    """
    rng = np.random.default_rng(3)
    rows = np.concatenate(
        [rng.integers(0, 6, (4, 300)).astype(float), rng.standard_normal((3, 300))]
    )
    scratch = _likelihood.Scratch()
    order = np.argsort(rows, axis=1)
    ordered = np.take_along_axis(rows, order, axis=1)
    ties = _likelihood._has_ties(ordered)
    assert ties.tolist() == [True] * 4 + [False] * 3
    half = _likelihood._half_ranks(ordered, order, ties, scratch, "")
    np.testing.assert_array_equal(half, 2 * stats.rankdata(rows, axis=1) - 2)
    work = np.empty_like(rows)
    mean, sd = _likelihood._row_moments(rows, work)
    np.testing.assert_array_equal(mean[:, 0], rows.mean(axis=1))
    np.testing.assert_array_equal(sd, rows.std(axis=1))


def test_working_arrays_shared_by_the_scenarios_leave_each_its_own_likelihood() -> None:
    """The scenarios of one update share working arrays; each scenario's likelihood is the
    one it gets alone, whichever came before it.
    """
    walks, _ = _random_walks(2048, 8)
    shifted = walks + np.linspace(0.2, 1.0, 5)
    observed = np.array([0.3, -0.5, 0.4, 1.2, 0.8])
    integer = np.zeros(5, dtype=np.bool_)
    use = np.ones(5, dtype=np.bool_)
    before = predecessors(np.zeros(5, np.intp), np.arange(5), use)
    alone = [
        joint_likelihood(np.asfortranarray(d), observed, integer, use, 0.01, predecessor=before)
        for d in (walks, shifted)
    ]
    scratch = _likelihood.Scratch()
    shared = [
        joint_likelihood(
            np.asfortranarray(d), observed, integer, use, 0.01, None, before, None, scratch
        )
        for d in (shifted, walks)
    ][::-1]
    assert alone[0].log_likelihood != alone[1].log_likelihood
    for a, b in zip(alone, shared, strict=True):
        np.testing.assert_array_equal(a.increments, b.increments)
        np.testing.assert_array_equal(a.ordered, b.ordered)


def test_the_interpolated_normal_cdf_is_within_two_billionths_of_ndtr() -> None:
    """The tabled distribution function the kernels use stays within its stated bound of
    ``ndtr``, in the body, in the tails, past the table's ends and at the infinities.
    """
    v = np.concatenate(
        [np.linspace(-12, 12, 200_004), [-np.inf, np.inf, 9.0, -9.0, 1e300, -1e300]]
    ).reshape(6, -1)
    got = _likelihood._normal_cdf(v, _likelihood.Scratch(), "")
    assert np.abs(got - special.ndtr(v)).max() < 2e-9
    assert got.min() >= 0.0
    assert got.max() <= 1.0


def test_rows_sorted_about_their_mean_in_single_precision_match_the_exact_sort() -> None:
    """Rows sorted in single precision about their mean are the exact sort to within 6e-8
    of each value's distance from the mean, and their quartiles are, to the bit, the exact
    order statistics rounded the same way: a cell's bandwidth is the same whether it is
    ranked or only sorted.
    """
    rng = np.random.default_rng(4)
    rows = np.concatenate([12 + 0.01 * rng.standard_normal((3, 600)), rng.gamma(2, 1, (2, 600))])
    rows[0, :50] = 12.0  # a bound, hit by many draws
    mean, _ = _likelihood._row_moments(rows, np.empty_like(rows))
    at = np.arange(rows.shape[0])
    where = [150, 300, 450]
    got, quartiles = _likelihood._sorted_about(rows, at, mean, where, _likelihood.Scratch(), "")
    exact = np.sort(rows, axis=1)
    assert (np.abs(got - exact) <= 6e-8 * np.abs(exact - mean) + 1e-15 * np.abs(mean)).all()
    np.testing.assert_array_equal(quartiles, _likelihood._about(exact[:, where], mean))
