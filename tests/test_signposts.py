"""Signposts: chances of being reached, Bayes factors, pointing away, value of information."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.analysis import signposts
from recogmodel.analysis.signposts import bayes_factors, value_of_information

from .analysis_helpers import shipped_projections, small_projection
from .conftest import boom_and_bust


def test_signpost_probabilities_equal_direct_counts(small_scenario: rm.Scenario) -> None:
    """Each chance is the share of draws not past the threshold at the start that pass it
    in some year start+1..by; draws past it at the start are counted as already reached.
    """
    projs = [rm.project(s, draws=3000, seed=2) for s in boom_and_bust(small_scenario)]
    table = signposts(projs)
    assert table.scenarios == ("boom", "bust")
    rows = {(sp.label, sp.scenario): i for i, sp in enumerate(table.signposts)}
    above = rows[("trade above 450 USD m by 2028", "boom")]
    below = rows[("trade below 250 USD m by 2029", "bust")]
    for j, proj in enumerate(projs):
        trade = proj.values("trade")
        start_above = trade[:, 0] > 450
        expected = ((trade[:, 1:4] > 450).any(axis=1) & ~start_above).mean()
        assert table.probability[above, j] == expected
        assert table.already[above, j] == start_above.mean()
        start_below = trade[:, 0] < 250
        expected = ((trade[:, 1:5] < 250).any(axis=1) & ~start_below).mean()
        assert table.probability[below, j] == expected
    assert table.probability[above, 0] > 0.5 > table.probability[above, 1]
    assert table.favours[below] == "bust"
    assert len(table.signposts) == 4  # one row per declaring scenario


def test_a_threshold_passed_at_the_start_is_already_reached(small_scenario: rm.Scenario) -> None:
    """A threshold below the start value is 'already reached' in every draw, never predicted."""
    scenario = small_scenario.with_changes(
        {}, signposts=[{"indicator": "trade", "by": 2028, "above": 1}]
    )
    table = signposts([rm.project(scenario, draws=500, seed=1)])
    assert table.already[0, 0] == 1.0
    assert table.probability[0, 0] == 0.0
    assert "(+100%)" in str(table)


def _constructed(small_scenario: rm.Scenario, declared_by_boom: dict[str, Any]) -> Any:
    boom, bust = boom_and_bust(small_scenario)
    boom = boom.with_changes({}, signposts=[declared_by_boom])
    bust = bust.with_changes({}, signposts=[])
    return signposts([rm.project(s, draws=2000, seed=4) for s in (boom, bust)])


def test_a_signpost_likelier_under_another_scenario_points_away(
    small_scenario: rm.Scenario,
) -> None:
    """Boom declaring "trade below 250" (a bust's sign) is flagged as pointing away."""
    table = _constructed(small_scenario, {"indicator": "trade", "by": 2029, "below": 250})
    assert table.favours == ["bust"]
    assert table.bayes_factor[0] < 1
    assert table.points_away[0]
    assert table.to_rows()[0]["points_away"] is True
    assert "points away" in str(table)
    right = _constructed(small_scenario, {"indicator": "trade", "by": 2028, "above": 450})
    assert not right.points_away[0]
    assert right.bayes_factor[0] > 1
    assert right.favours == ["boom"]


def test_rows_carry_the_evidence_keys(small_scenario: rm.Scenario) -> None:
    """Tidy rows carry favours, points_away, bayes_factor and value_of_information."""
    projs = [rm.project(s, draws=800, seed=2) for s in boom_and_bust(small_scenario)]
    rows = signposts(projs).to_rows()
    assert len(rows) == 8
    for key in ("favours", "points_away", "bayes_factor", "value_of_information"):
        assert all(key in row for row in rows)


def test_rows_are_sorted_by_value_of_information(small_scenario: rm.Scenario) -> None:
    """The most informative signpost comes first; one equally likely everywhere is flagged."""
    projs = [rm.project(s, draws=2000, seed=2) for s in boom_and_bust(small_scenario)]
    table = signposts(projs)
    gains = list(table.value_of_information)
    assert gains == sorted(gains, reverse=True)
    count_rows = [i for i, sp in enumerate(table.signposts) if sp.indicator == "count"]
    assert all(table.non_diagnostic[i] for i in count_rows)
    assert all(table.value_of_information[i] < 0.01 for i in count_rows)
    assert not table.non_diagnostic[0]
    stricter = signposts(projs, threshold=10.0)
    assert stricter.non_diagnostic.all()


def test_value_of_information_bounds() -> None:
    """0 bits for a signpost equally likely everywhere; the prior's entropy for one certain
    under one of two scenarios and impossible under the other; the mutual information else.
    """
    prior = np.array([0.5, 0.5])
    assert value_of_information(prior, np.array([[0.3, 0.3]]))[0] == pytest.approx(0.0)
    assert value_of_information(prior, np.array([[1.0, 0.0]]))[0] == pytest.approx(1.0)
    skewed = np.array([0.2, 0.8])
    entropy = -(0.2 * math.log2(0.2) + 0.8 * math.log2(0.8))
    assert value_of_information(skewed, np.array([[0.0, 1.0]]))[0] == pytest.approx(entropy)
    three = np.full(3, 1 / 3)
    gain = value_of_information(three, np.array([[1.0, 0.0, 0.0]]))[0]
    assert gain == pytest.approx(math.log2(3) - 2 / 3 * math.log2(2))


def test_bayes_factor_weighs_the_other_scenarios_by_the_prior() -> None:
    """BF = P(reached | own) / prior-weighted P(reached | others); inf when only own can."""
    reached = np.array([[0.6, 0.2, 0.4], [0.5, 0.0, 0.0]])
    prior = np.array([0.2, 0.2, 0.6])
    factors = bayes_factors(prior, reached, [0, 0])
    assert factors[0] == pytest.approx(0.6 / ((0.2 * 0.2 + 0.6 * 0.4) / 0.8))
    assert math.isinf(factors[1])


def test_a_prior_changes_the_bayes_factor(small_scenario: rm.Scenario) -> None:
    """The prior enters the Bayes factors and the value of information; unknown names fail."""
    projs = [rm.project(s, draws=500, seed=2) for s in boom_and_bust(small_scenario)]
    even = signposts(projs)
    tilted = signposts(projs, prior={"boom": 9, "bust": 1})
    assert not np.allclose(even.value_of_information, tilted.value_of_information)
    with pytest.raises(rm.InputError, match="prior"):
        signposts(projs, prior={"nope": 1})


def test_signpost_beyond_a_projections_horizon_is_an_input_error(
    small_scenario: rm.Scenario,
) -> None:
    """A signpost year another scenario does not reach is refused, naming both."""
    boom, _ = boom_and_bust(small_scenario)
    short = small_scenario.with_changes({"horizon": 2027}, name="short", title="Short")
    projs = [rm.project(s, draws=500, seed=1) for s in (boom, short)]
    with pytest.raises(rm.InputError, match=r"boom \(signposts.0\).*'short'"):
        signposts(projs)


def test_signposts_refuse_duplicate_scenarios() -> None:
    """The same scenario twice is an input error."""
    small = small_projection()
    with pytest.raises(rm.InputError, match="twice"):
        signposts([small, small])


def test_every_shipped_scenarios_own_signposts_point_to_it() -> None:
    """Each signpost of the shipped case is a probability, and none points away from the
    scenario that declares it.
    """
    projs = list(shipped_projections().values())
    table = signposts(projs)
    assert table.probability.shape == (len(table.signposts), len(projs))
    assert ((table.probability >= 0) & (table.probability <= 1)).all()
    away = [
        f"{sp.scenario}: {sp.label}"
        for sp, a in zip(table.signposts, table.points_away, strict=False)
        if a
    ]
    assert away == []
