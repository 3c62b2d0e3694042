"""Calibration of the posterior: the acceptance test of the evidence update.

Truth paths are draws of held-out-seed projections of a uniformly chosen scenario of the
shipped case; over many trials, scenarios given weight w must turn out true about a share
w of the time. The trial count is kept small for CI; the larger study is
``benchmarks/bench_evidence.py`` (figures in benchmarks/README.md).

Design (c) gets enough trials for 30 or more weights >= 0.9 (55 to 75: a better calibrated
posterior gives fewer of them than the one before steps did). Their share that is right has
a Monte Carlo error of about 5 points at that size (84 % and 87.5 % on two engines' draws,
where the study gives 88-92 %): too noisy to assert the 85 % target directly, so the test
asks that the share be consistent with it (not below it at the 1 % level of a one-sided
binomial test). The study measures the share itself, on some 200-250 such weights per seed
set, and meets the target in designs (b) and (c).
"""

from __future__ import annotations

import numpy as np
import pytest

import recogmodel as rm

from .conftest import SHIPPED

pytestmark = pytest.mark.slow

ENSEMBLE_DRAWS = 4000
TRIALS = {"a": 240, "b": 240, "c": 900}
#: Below this one-sided binomial p-value, a share of confident weights that were right
#: contradicts the 85 % target.
SIGNIFICANCE = 0.01


def _bench() -> object:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_evidence.py"
    spec = importlib.util.spec_from_file_location("bench_evidence", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ensembles() -> tuple[dict[str, rm.Projection], dict[str, rm.Projection]]:
    """Every shipped scenario projected twice: the ensembles, and held-out truth paths."""
    folder = rm.load_case(SHIPPED)
    ens = {s: rm.project(folder[s], draws=ENSEMBLE_DRAWS, seed=11) for s in folder}
    truth = {s: rm.project(folder[s], draws=300, seed=999) for s in folder}
    return ens, truth


@pytest.mark.parametrize("design", ["a", "b", "c"])
def test_posterior_weights_are_calibrated(
    ensembles: tuple[dict[str, rm.Projection], dict[str, rm.Projection]], design: str
) -> None:
    """ECE <= 0.05 for one cell, one indicator over six years, three over five years; and
    wherever there are 30 weights >= 0.9, the share right is not below 85 % (at the 1 %
    level: the Monte Carlo error of a share of some 60 is about 5 points).
    """
    from scipy import stats

    bench = _bench()
    ens, truth = ensembles
    rng = np.random.default_rng({"a": 1, "b": 2, "c": 3}[design])
    ece, n_high, right, _ = bench.calibration(ens, truth, design, TRIALS[design], rng)  # type: ignore[attr-defined]
    assert ece <= 0.05
    if design == "c":
        assert n_high >= 30
    if n_high >= 30:
        hits = round(right * n_high)
        assert stats.binom.cdf(hits, n_high, 0.85) >= SIGNIFICANCE


def test_expected_calibration_error_is_zero_for_perfect_forecasts() -> None:
    """The ECE of weights that equal the hit rates of their bins is 0; of confident misses, 1."""
    bench = _bench()
    weights = np.array([0.25] * 4 + [0.75] * 4)
    hits = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=bool)
    assert bench.expected_calibration_error(weights, hits) == pytest.approx(0.0)  # type: ignore[attr-defined]
    assert bench.expected_calibration_error(np.array([1.0, 0.0]), np.array([False, True])) == 1.0  # type: ignore[attr-defined]
