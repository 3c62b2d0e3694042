"""Estimates: the union every slot accepts, mixtures of estimates, and parse_estimate."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
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
