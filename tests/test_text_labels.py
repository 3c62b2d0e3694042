"""Names as a reader says them: signposts worded with the indicator's label and a natural
threshold.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from recogmodel.model import Indicator
from recogmodel.text.labels import signpost_label, signpost_row_label, threshold_text


def indicator(unit: str, scale: str = "log", *, integer: bool = False, **more: Any) -> Indicator:
    """A small indicator in ``unit`` (a whole-number one is linear with a fixed baseline)."""
    return Indicator.model_validate(
        {
            "label": "Things watched",
            "unit": unit,
            "scale": "linear" if integer else scale,
            "integer": integer,
            "baseline": {"year": 2025, "value": 1 if integer else 0.4, "sources": ["s"]},
            **more,
        }
    )


@pytest.mark.parametrize(
    ("side", "value", "expected"),
    [
        ("above", 1.5, "2 or more states"),
        ("above", 4.5, "5 or more states"),
        ("above", 2, "3 or more states"),
        ("below", 3, "2 or fewer states"),
        ("below", 2.5, "2 or fewer states"),
        ("below", 1, "no states"),
        ("below", 0.5, "no states"),
    ],
)
def test_a_whole_number_threshold_reads_as_the_counts_that_pass(
    side: str, value: float, expected: str
) -> None:
    """``above: 1.5`` states is "2 or more states"; ``below: 1`` is "no states"."""
    assert threshold_text(indicator("states", integer=True), side, value) == expected


@pytest.mark.parametrize(
    ("unit", "side", "value", "expected"),
    [
        ("projects", "below", 1, "no projects"),
        ("projects", "above", 1, "above 1 project"),
        ("projects", "above", 3, "above 3 projects"),
        ("companies", "above", 1, "above 1 company"),
        ("people", "below", 70, "below 70 people"),
        ("people a year", "above", 1, "above 1 person a year"),
        ("people a year", "above", 4000, "above 4,000 people a year"),
        ("USD m", "above", 600, "above 600 USD m"),
        ("USD m", "below", 1, "below 1 USD m"),
        ("per year", "above", 10, "above 10 per year"),
        ("", "above", 2, "above 2"),
    ],
)
def test_an_amount_or_count_keeps_its_number_and_unit_in_agreement(
    unit: str, side: str, value: float, expected: str
) -> None:
    """Counts agree with their number; a count below one has none left; amounts as stated."""
    assert threshold_text(indicator(unit), side, value) == expected


def test_a_share_reads_as_a_percentage_without_its_unit() -> None:
    """A share's threshold is a percentage; the unit "share" is not repeated."""
    share = indicator("share", "logit", bounds=[None, None])
    assert threshold_text(share, "above", 0.25) == "above 25%"


def test_a_signpost_label_joins_name_threshold_and_year() -> None:
    """Amounts follow the label; counts that pass follow a colon; an id may stand in."""
    states = indicator("states", integer=True)
    assert signpost_label(states, "above", 1.5, 2027) == "Things watched: 2 or more states by 2027"
    assert signpost_label(states, "above", 1.5, 2027, name="n") == "n: 2 or more states by 2027"
    trade = indicator("USD m")
    assert signpost_label(trade, "above", 600, 2028) == "Things watched above 600 USD m by 2028"
    assert "projects" not in signpost_label(indicator("projects"), "above", 1, 2030)


def test_a_table_row_is_labelled_from_its_case() -> None:
    """A signpost row is worded from its indicator in the case, by label or by id."""
    row = SimpleNamespace(indicator="n", above=1.5, below=None, threshold=1.5, by=2027)
    case: Any = SimpleNamespace(indicators={"n": indicator("states", integer=True)})
    assert signpost_row_label(row, case) == "Things watched: 2 or more states by 2027"
    assert signpost_row_label(row, case, ids=True) == "n: 2 or more states by 2027"
