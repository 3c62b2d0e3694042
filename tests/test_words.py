"""Estimative words: the yardsticks' published bands, read as uniform draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from recogmodel.model.estimates import (
    Estimate,
    ProbabilityEstimate,
    WordEstimate,
)
from recogmodel.model.words import ALL_WORDS, YARDSTICKS, normalise_word

ANY = TypeAdapter(Estimate)
CHANCE = TypeAdapter(ProbabilityEstimate)


def read(value: Any) -> Any:
    return ANY.validate_python(value)


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


def test_words_are_read_whatever_their_case_and_spacing() -> None:
    """'Roughly  Even chance' is the yardstick's 'roughly even chance'."""
    assert normalise_word("  Roughly  Even\tchance ") == "roughly even chance"
    assert set(YARDSTICKS["icd203"]) | set(YARDSTICKS["phia"]) == ALL_WORDS
