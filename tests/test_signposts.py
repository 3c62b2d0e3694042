"""Signposts: probabilities of being reached, diagnosticity, refused signposts."""

from __future__ import annotations

import pytest

import recogmodel as rm
from recogmodel.analysis import signposts

from .analysis_helpers import shipped_projections, small_projection
from .conftest import boom_and_bust


def test_signpost_probabilities_equal_direct_computation(small_scenario: rm.Scenario) -> None:
    """Each probability is the share of draws beyond the threshold in some year up to 'by'."""
    projs = [rm.project(s, draws=3000, seed=2) for s in boom_and_bust(small_scenario)]
    table = signposts(projs)
    assert table.scenarios == ("boom", "bust")
    assert table.labels == [
        "trade above 450 USD m by 2028",
        "count above 1.5 states by 2030",
        "trade below 250 USD m by 2029",
    ]
    for j, proj in enumerate(projs):
        trade = proj.values("trade")
        assert table.probability[0, j] == (trade[:, :4] > 450).any(axis=1).mean()
        assert table.probability[2, j] == (trade[:, :5] < 250).any(axis=1).mean()
    assert table.probability[0, 0] > 0.5 > table.probability[0, 1]
    assert table.favours[2] == "bust"
    assert table.signposts[1].declared_by == (("boom", 1), ("bust", 1))


def test_signpost_equally_likely_everywhere_is_non_diagnostic(small_scenario: rm.Scenario) -> None:
    """A recognition count untouched by trade is as likely in both: flagged non-diagnostic."""
    projs = [rm.project(s, draws=2000, seed=2) for s in boom_and_bust(small_scenario)]
    table = signposts(projs)
    assert list(table.non_diagnostic) == [False, True, False]
    assert table.diagnosticity[1] < 0.05
    assert table.diagnosticity[0] > 0.5
    assert "non-diagnostic" in str(table)
    assert len(table.to_rows()) == 6
    stricter = signposts(projs, threshold=1.0)
    assert stricter.non_diagnostic.all()


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


def test_signposts_of_every_shipped_scenario_are_probabilities() -> None:
    """Every signpost of the shipped case gets a probability in [0, 1] per scenario."""
    projs = list(shipped_projections().values())
    table = signposts(projs)
    assert table.probability.shape == (len(table.signposts), len(projs))
    assert ((table.probability >= 0) & (table.probability <= 1)).all()
