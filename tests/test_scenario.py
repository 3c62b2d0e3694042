"""Scenarios: overlays deep-merged over a case, and the checks only a scenario has."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import recogmodel as rm
from recogmodel.model.scenario import apply_overlay, merge

from .conftest import small_case_data


def build(**changes: Any) -> rm.Case:
    return rm.Case.model_validate(small_case_data(**changes))


def test_scenario_checks_signposts_and_correlations(small_case: rm.Case) -> None:
    """A scenario's signposts and correlations are checked against its merged case."""
    with pytest.raises(ValidationError, match="year 2031 is outside the projected years"):
        rm.Scenario.from_case(
            small_case, signposts=[{"indicator": "trade", "by": 2031, "above": 1}]
        )
    with pytest.raises(ValidationError, match="is fixed, so it cannot be correlated"):
        rm.Scenario.from_case(
            small_case,
            correlations=[["drivers.security.weight", "indicators.trade.drift", 0.3]],
        )


def test_with_changes_merges_and_reports_bad_input(small_scenario: rm.Scenario) -> None:
    """with_changes deep-merges partial case data; bad data is an InputError with its path."""
    faster = small_scenario.with_changes(
        {"indicators": {"trade": {"drift": 0.1}}}, name="faster", title="Faster"
    )
    assert faster.case.indicators["trade"].drift.mean() == 0.1
    assert (
        faster.case.indicators["trade"].volatility
        == small_scenario.case.indicators["trade"].volatility
    )
    assert (faster.name, faster.title) == ("faster", "Faster")
    with pytest.raises(rm.InputError) as info:
        small_scenario.with_changes({"indicators": {"trade": {"drift": "likely"}}})
    assert info.value.field == "case.indicators.trade.drift"
    assert "probability word" in str(info.value)


def test_merge_rules() -> None:
    """Mappings merge; scalars, lists and estimates replace; null removes a key."""
    base = {"a": {"b": 1, "c": [1, 2]}, "w": {"dist": "pert", "low": 0, "mode": 1, "high": 2}}
    over = {"a": {"c": [3], "d": 4}, "w": {"dist": "uniform", "low": 0, "high": 1}}
    assert merge(base, over) == {
        "a": {"b": 1, "c": [3], "d": 4},
        "w": {"dist": "uniform", "low": 0, "high": 1},
    }
    assert merge({"a": 1, "b": 2}, {"b": None}) == {"a": 1}


def test_apply_overlay_expands_shorthands_first() -> None:
    """A plain intensity over a full one is constant; scenario keys never reach the case."""
    data = small_case_data()
    merged = apply_overlay(
        data,
        {"scenario": "alt", "narrative": "x", "drivers": {"trade_push": {"intensity": 0.7}}},
    )
    assert merged["drivers"]["trade_push"]["intensity"] == {"start": 0.7, "trend": 0.0}
    assert "narrative" not in merged
    assert data["drivers"]["trade_push"]["intensity"]["trend"] == "0 to 0.03"  # not mutated
