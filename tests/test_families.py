"""Estimate families: what each fits, how it samples, how it describes itself."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from recogmodel.model.estimates import (
    Estimate,
    ProbabilityEstimate,
)
from recogmodel.model.families import safe_uniform

from .strategies import estimates, interval_texts

ANY = TypeAdapter(Estimate)
CHANCE = TypeAdapter(ProbabilityEstimate)


def read(value: Any) -> Any:
    return ANY.validate_python(value)


@pytest.mark.parametrize("written", ["0.2 to 0.4", "-3 to 5", "1,000 to 3,000"])
def test_interval_holds_ninety_percent_between_its_ends(written: str) -> None:
    """The fitted distribution's 5th and 95th percentiles are the stated ends."""
    est = read(written)
    p05, p95 = est.ppf([0.05, 0.95])
    assert p05 == pytest.approx(est.low, rel=1e-9, abs=1e-12)
    assert p95 == pytest.approx(est.high, rel=1e-9, abs=1e-12)


def test_explicit_families_describe_themselves() -> None:
    """Every explicit family samples and describes itself in plain numbers."""
    families = [
        {"dist": "normal", "low": -0.05, "high": 0.10, "ci": 0.8},
        {"dist": "lognormal", "low": 1, "high": 10},
        {"dist": "uniform", "low": 0.1, "high": 0.2},
        {"dist": "triangular", "low": 0, "mode": 1, "high": 4},
        {"dist": "pert", "low": 100, "mode": 300, "high": 900},
        {"dist": "beta", "alpha": 2, "beta": 5},
    ]
    rng = np.random.default_rng(0)
    for spec in families:
        est = read(spec)
        d = est.describe()
        assert d.p05 < d.median < d.p95
        draws = est.sample(rng, 20_000)
        assert np.mean(draws) == pytest.approx(d.mean, rel=0.05, abs=0.01)
        assert "median" in str(d)


def test_normal_ci_changes_the_spread() -> None:
    """The same ends read as an 80 % interval leave more mass outside them than a 90 % one."""
    ninety = read({"dist": "normal", "low": 0, "high": 1})
    eighty = read({"dist": "normal", "low": 0, "high": 1, "ci": 0.8})
    assert eighty.ppf(0.05) < ninety.ppf(0.05)
    assert eighty.ppf(0.1) == pytest.approx(0.0, abs=1e-12)


def test_pert_peaks_at_its_mode() -> None:
    """A PERT's density is highest at its mode (its CDF rises fastest there)."""
    est = read({"dist": "pert", "low": 0, "mode": 2, "high": 10})
    xs = np.linspace(0.5, 9.5, 19)
    density = np.gradient(est.cdf(xs), xs)
    assert abs(xs[density.argmax()] - 2) <= 1.0


@given(interval_texts())
def test_about_ninety_percent_of_draws_fall_inside_the_interval(
    case: tuple[str, float, float],
) -> None:
    """'A to B' puts about 90 % of its draws inside [A, B]."""
    text, low, high = case
    draws = read(text).sample(np.random.default_rng(3), 20_000)
    inside = np.mean((draws >= low) & (draws <= high))
    assert inside == pytest.approx(0.90, abs=0.015)


@given(estimates(), st.integers(0, 2**32 - 1))
def test_same_seed_same_samples(written: Any, seed: int) -> None:
    """The same generator seed gives the same draws."""
    est = read(written)
    a = est.sample(np.random.default_rng(seed), 500)
    b = est.sample(np.random.default_rng(seed), 500)
    assert np.array_equal(a, b)


@given(estimates())
def test_quantiles_are_monotone_and_invert_the_cdf(written: Any) -> None:
    """Ppf is non-decreasing and cdf(ppf(q)) = q for continuous families."""
    est = read(written)
    qs = np.linspace(0.01, 0.99, 25)
    xs = est.ppf(qs)
    assert np.all(np.diff(xs) >= -1e-9 * np.maximum(1, np.abs(xs[1:])))
    if not est.is_fixed:
        assert est.cdf(xs) == pytest.approx(qs, abs=1e-6)


def test_uniforms_are_kept_inside_the_open_interval() -> None:
    """0 and 1 are moved a hair inside, so no inverse CDF returns an infinity."""
    u = safe_uniform([0.0, 0.5, 1.0])
    assert 0.0 < u[0] < 1e-9
    assert u[1] == 0.5
    assert 1.0 - 1e-9 < u[2] < 1.0
    assert np.isfinite(read("1 to 2").ppf([0.0, 1.0])).all()


def test_scipy_stats_is_imported_only_when_a_family_needs_it() -> None:
    """Sampling an interval needs no scipy.stats; a PERT's inverse CDF imports it then."""
    code = (
        "import sys, numpy as np, recogmodel as rm\n"
        "rm.parse_estimate('1 to 2').sample(np.random.default_rng(0), 10)\n"
        "print('scipy.stats' in sys.modules)\n"
        "rm.parse_estimate({'dist': 'pert', 'low': 0, 'mode': 1, 'high': 3}).ppf(0.5)\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
