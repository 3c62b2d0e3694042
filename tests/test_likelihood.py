"""The joint likelihood's copula: its degrees of freedom and its per-cell increments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from recogmodel.analysis._likelihood import _copula_increments, joint_likelihood


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
