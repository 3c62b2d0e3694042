"""Estimates: the union every slot accepts, mixtures of estimates, and parse_estimate."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from recogmodel.model.estimates import (
    Estimate,
    MixtureEstimate,
    ProbabilityEstimate,
)

ANY = TypeAdapter(Estimate)
CHANCE = TypeAdapter(ProbabilityEstimate)


def read(value: Any) -> Any:
    return ANY.validate_python(value)


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


@settings(max_examples=40, deadline=None)
@given(
    lows=st.lists(st.floats(-50, 50), min_size=2, max_size=4),
    widths=st.lists(st.floats(1e-4, 30), min_size=4, max_size=4),
    weights=st.lists(st.floats(1e-4, 10), min_size=4, max_size=4),
    normal=st.booleans(),
)
def test_mixture_quantiles_are_numpy_interp_of_its_grid(
    lows: list[float], widths: list[float], weights: list[float], normal: bool
) -> None:
    """The bucketed bisection gives numpy.interp's numbers, bit for bit, edges included."""
    family = "normal" if normal else "uniform"
    components = [
        {"dist": family, "low": low, "high": low + width}
        for low, width in zip(lows, widths, strict=False)
    ]
    est = read({"dist": "mixture", "components": components, "weights": weights[: len(lows)]})
    xs, cdf, _ = est._grid()
    q = np.concatenate([np.random.default_rng(0).random(5000), [0.0, 1e-13, 0.5, 1.0], cdf[1:-1]])
    expected = np.interp(np.clip(q, 1e-12, 1 - 1e-12), cdf, xs)
    assert np.array_equal(est.ppf(q), expected, equal_nan=True)
    assert np.ndim(est.ppf(0.3)) == 0  # a share in, a number out
