"""Research priorities: importance weighed by the support of each key assumption."""

from __future__ import annotations

import pytest

import recogmodel as rm
from recogmodel.analysis import priorities
from recogmodel.model import Scenario

from .analysis_helpers import BASE, DRIFT, known_case, shipped_focus, small_projection


def rated(support_drift: str, support_base: str) -> rm.Projection:
    """The known case with drift and baseline rated; both explain x equally in 2030."""
    case = known_case(
        key_assumptions={
            DRIFT: {"support": support_drift, "rationale": "Read from one year of data."},
            BASE: {"support": support_base, "rationale": "Two sources agree."},
            "regime_survives": {"support": "caveated", "rationale": "No rival in sight."},
        }
    )
    return rm.project(Scenario.from_case(case), draws=20_000, seed=3)


def test_unsupported_influential_assumption_ranks_above_a_solid_one() -> None:
    """With equal importance, the less supported assumption comes first, whichever it is."""
    first = priorities(rated("unsupported", "solid"), "x", 2030)
    assert [r.assumption for r in first.rows[:2]] == [DRIFT, BASE]
    flipped = priorities(rated("solid", "unsupported"), "x", 2030)
    assert [r.assumption for r in flipped.rows[:2]] == [BASE, DRIFT]
    top = flipped.rows[0]
    assert top.support == "unsupported"
    assert top.score == pytest.approx(top.importance * 1.0)
    assert flipped.rows[1].score == pytest.approx(flipped.rows[1].importance * 0.2)


def test_priorities_put_noise_last_flag_unrated_and_list_structural() -> None:
    """Assumptions under the noise floor come last; unrated ones show; structural ones too."""
    result = priorities(rated("caveated", "solid"), "x")
    assert result.year == 2035
    flags = [r.influential for r in result.rows]
    assert flags == sorted(flags, reverse=True)
    unrated = [r for r in result.rows if not r.rated]
    assert {r.assumption for r in unrated} == {
        "drivers.push.weight",
        "drivers.push.intensity.start",
    }
    assert all(not r.influential for r in unrated)
    assert result.not_sampled == (("regime_survives", "caveated", "No rival in sight."),)
    text = str(result)
    assert "What to research next" in text
    assert "regime_survives" in text
    assert len(result.to_rows()) == len(result.rows)


def test_priorities_over_every_indicator_name_where_each_assumption_matters() -> None:
    """Without an indicator, each assumption is ranked for the indicator it moves most."""
    result = priorities(rated("unsupported", "solid"), year=2030)
    assert result.indicators == ("x", "y")
    where = {r.assumption: r.indicator for r in result.rows if r.influential}
    assert where == {DRIFT: "x", BASE: "x", "drivers.push.intensity.start": "y"}
    assert result.rows[0].assumption == "drivers.push.intensity.start"  # unrated, dominant
    assert "every indicator" in str(result)


def test_unrated_assumption_counts_as_unsupported() -> None:
    """Without ratings the score equals the importance, and the table says 'not rated'."""
    small = small_projection()
    result = priorities(small, "trade")
    assert all(r.score == r.importance for r in result.rows)
    assert "not rated" in str(result)


def test_priorities_rank_every_assumption_of_the_shipped_case() -> None:
    """Every sampled assumption of the shipped case is on the research list once."""
    deep = shipped_focus()
    k = deep.indicators[0]
    assert len(priorities(deep, k).rows) == len(deep.parameter_names)
