"""Estimates: what an analyst writes, what it fits, and how it samples."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from recogmodel.model.estimates import (
    YARDSTICKS,
    Estimate,
    FixedEstimate,
    LognormalEstimate,
    MixtureEstimate,
    NormalEstimate,
    ProbabilityEstimate,
    WordEstimate,
)
from recogmodel.model.parameters import INTENSITY, PROBABILITY, WEIGHT, Domain

from .strategies import estimates, interval_texts

ANY = TypeAdapter(Estimate)
CHANCE = TypeAdapter(ProbabilityEstimate)


def read(value: Any) -> Any:
    return ANY.validate_python(value)


@pytest.mark.parametrize(
    ("written", "kind", "low", "high"),
    [
        ("0.2 to 0.4", LognormalEstimate, 0.2, 0.4),
        ("-0.05 to 0.10", NormalEstimate, -0.05, 0.10),
        ("0 to 0.03", NormalEstimate, 0.0, 0.03),
        ("5% to 25%", LognormalEstimate, 0.05, 0.25),
        ("5 to 25%", LognormalEstimate, 0.05, 0.25),
        ("1,000 to 3,000", LognormalEstimate, 1000.0, 3000.0),
        ("  250 TO 350 ", LognormalEstimate, 250.0, 350.0),
    ],
)
def test_interval_text_picks_family_and_ends(
    written: str, kind: type, low: float, high: float
) -> None:
    """'A to B' is lognormal when both ends are > 0, normal otherwise, with % and commas."""
    est = read(written)
    assert isinstance(est, kind)
    assert isinstance(est, NormalEstimate | LognormalEstimate)
    assert est.low == pytest.approx(low)
    assert est.high == pytest.approx(high)


@pytest.mark.parametrize("written", ["0.2 to 0.4", "-3 to 5", "1,000 to 3,000"])
def test_interval_holds_ninety_percent_between_its_ends(written: str) -> None:
    """The fitted distribution's 5th and 95th percentiles are the stated ends."""
    est = read(written)
    p05, p95 = est.ppf([0.05, 0.95])
    assert p05 == pytest.approx(est.low, rel=1e-9, abs=1e-12)
    assert p95 == pytest.approx(est.high, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("written", "value"), [(0.3, 0.3), (7, 7.0), ("12%", 0.12), ("1,500", 1500.0)]
)
def test_numbers_are_fixed(written: Any, value: float) -> None:
    """A number (or a number written as text) is a fixed estimate."""
    est = read(written)
    assert isinstance(est, FixedEstimate)
    assert est.value == pytest.approx(value)
    assert est.is_fixed
    assert str(est.describe()) == f"fixed at {value:.4g}"


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


def test_mixture_puts_each_component_in_its_share() -> None:
    """A mixture's CDF is the weighted CDFs; its quantiles invert it."""
    est = read(
        {
            "dist": "mixture",
            "components": ["1 to 2", {"dist": "uniform", "low": 10, "high": 20}],
            "weights": [3, 1],
        }
    )
    assert isinstance(est, MixtureEstimate)
    assert float(est.cdf(5.0)) == pytest.approx(0.75, abs=1e-6)
    assert 2 < float(est.ppf(0.76)) < 20
    assert float(est.ppf(0.9)) == pytest.approx(16.0, abs=0.05)
    assert est.mean() == pytest.approx(0.75 * read("1 to 2").mean() + 0.25 * 15)
    draws = est.sample(np.random.default_rng(1), 40_000)
    assert np.mean(draws > 5) == pytest.approx(0.25, abs=0.01)


def test_mixture_needs_one_weight_per_component() -> None:
    """A mixture with more components than weights is refused with both counts."""
    with pytest.raises(ValidationError, match="2 components but 1 weights"):
        read({"dist": "mixture", "components": [1, 2], "weights": [1]})


@pytest.mark.parametrize(
    ("yardstick", "word", "band"),
    [
        ("icd203", "almost no chance", (0.01, 0.05)),
        ("icd203", "very unlikely", (0.05, 0.20)),
        ("icd203", "unlikely", (0.20, 0.45)),
        ("icd203", "roughly even chance", (0.45, 0.55)),
        ("icd203", "likely", (0.55, 0.80)),
        ("icd203", "very likely", (0.80, 0.95)),
        ("icd203", "almost certainly", (0.95, 0.99)),
        ("phia", "remote chance", (0.0, 0.05)),
        ("phia", "highly unlikely", (0.10, 0.20)),
        ("phia", "unlikely", (0.25, 0.35)),
        ("phia", "realistic possibility", (0.40, 0.50)),
        ("phia", "probably", (0.55, 0.75)),
        ("phia", "highly likely", (0.80, 0.90)),
        ("phia", "almost certain", (0.95, 1.0)),
    ],
)
def test_probability_words_are_uniform_over_their_band(
    yardstick: str, word: str, band: tuple[float, float]
) -> None:
    """Each estimative word samples uniformly inside its yardstick's published band."""
    est = CHANCE.validate_python({"dist": "word", "word": word, "yardstick": yardstick})
    assert isinstance(est, WordEstimate)
    assert est.band == band
    draws = est.sample(np.random.default_rng(2), 5_000)
    assert draws.min() >= band[0]
    assert draws.max() <= band[1]
    assert np.median(draws) == pytest.approx(sum(band) / 2, abs=0.01)


def test_shared_words_differ_by_yardstick() -> None:
    """'unlikely' means 20–45 % on ICD 203 but 25–35 % on the PHIA yardstick."""
    assert YARDSTICKS["icd203"]["unlikely"] != YARDSTICKS["phia"]["unlikely"]
    plain = CHANCE.validate_python("Unlikely")
    assert isinstance(plain, WordEstimate)
    assert plain.band == (0.20, 0.45)


def test_word_outside_yardstick_lists_the_words() -> None:
    """A PHIA-only word read on ICD 203 is refused with the ICD 203 words listed."""
    with pytest.raises(ValidationError, match="'roughly even chance'"):
        CHANCE.validate_python({"dist": "word", "word": "realistic possibility"})


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0.5 to 0.2", "low end must be below high end"),
        ("likely", "is a probability word, but this field is not a probability"),
        ("about three", 'could not read "about three"'),
        ({"low": 1, "high": 2}, "needs a 'dist' key"),
        ({"dist": "cauchy", "low": 1}, "does not match any of the expected tags"),
        (True, "got true"),
        ("5% to 25", "only the low end is a percentage"),
        ({"dist": "lognormal", "low": -1, "high": 2}, "both ends above 0"),
        ({"dist": "triangular", "low": 0, "mode": 5, "high": 4}, "low <= mode <= high"),
        ({"dist": "fixed", "value": math.nan}, "finite number"),
        ({"dist": "normal", "low": 1, "high": 1 + 1e-12}, "too close to tell apart"),
    ],
)
def test_bad_estimates_say_what_was_expected(written: Any, message: str) -> None:
    """Malformed estimates are refused with a message that says what was expected."""
    with pytest.raises(ValidationError, match=message):
        read(written)


def test_domain_admits_and_clips() -> None:
    """A domain admits ranges inside it and clips draws into it, reporting which moved."""
    assert PROBABILITY.admits(0.2, 0.4)
    assert not PROBABILITY.admits(0.5, 1.5)
    assert not WEIGHT.admits(-0.1, 0.2)
    open_low = Domain(0.0, math.inf, low_open=True)
    assert not open_low.admits(0.0, 1.0)
    values, moved = INTENSITY.clip(np.array([-0.2, 0.5, 1.3]))
    assert values.tolist() == [0.0, 0.5, 1.0]
    assert moved.tolist() == [True, False, True]
    assert str(PROBABILITY) == "[0, 1]"
    assert str(open_low) == "(0, ∞)"


@given(interval_texts())
def test_about_ninety_percent_of_draws_fall_inside_the_interval(
    case: tuple[str, float, float],
) -> None:
    """'A to B' puts about 90 % of its draws inside [A, B]."""
    text, low, high = case
    draws = read(text).sample(np.random.default_rng(3), 20_000)
    inside = np.mean((draws >= low) & (draws <= high))
    assert inside == pytest.approx(0.90, abs=0.015)


@given(estimates(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_draws_clipped_into_a_domain_stay_inside_it(written: Any, seed: int) -> None:
    """Whatever its tails, an estimate's draws kept in a domain lie inside that domain."""
    values, _ = PROBABILITY.clip(read(written).sample(np.random.default_rng(seed), 2_000))
    assert values.min() >= 0.0
    assert values.max() <= 1.0


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
