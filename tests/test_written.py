"""Numbers as an analyst writes them: intervals, percentages, thousands, words."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from recogmodel.model.estimates import (
    Estimate,
    FixedEstimate,
    LognormalEstimate,
    NormalEstimate,
    ProbabilityEstimate,
)
from recogmodel.model.written import EXPECTED, mapping_form, word_here

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


def test_mapping_form_of_what_is_written() -> None:
    """Numbers, texts and mappings become the mapping form of a family."""
    assert mapping_form(0.3) == {"dist": "fixed", "value": 0.3}
    assert mapping_form("12%") == {"dist": "fixed", "value": 0.12}
    assert mapping_form("-1 to 2") == {"dist": "normal", "low": -1.0, "high": 2.0}
    assert mapping_form("likely", allow_words=True) == {"dist": "word", "word": "likely"}
    with pytest.raises(ValueError, match="this field is not a probability"):
        mapping_form({"dist": "word", "word": "likely"})
    with pytest.raises(ValueError, match="got true"):
        mapping_form(True)
    assert word_here("likely").endswith(EXPECTED)
