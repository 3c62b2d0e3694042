"""Assumption slots: their domains, roles and the order a case lists them in."""

from __future__ import annotations

import math
from typing import Any, get_args

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

import recogmodel as rm
from recogmodel._types import ROLE_KEYS, Role
from recogmodel.model.estimates import (
    Estimate,
    ProbabilityEstimate,
)
from recogmodel.model.parameters import INTENSITY, PROBABILITY, WEIGHT, Domain

from .conftest import small_case_data
from .strategies import estimates

ANY = TypeAdapter(Estimate)
CHANCE = TypeAdapter(ProbabilityEstimate)


def read(value: Any) -> Any:
    return ANY.validate_python(value)


def build(**changes: Any) -> rm.Case:
    return rm.Case.model_validate(small_case_data(**changes))


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


@given(estimates(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_draws_clipped_into_a_domain_stay_inside_it(written: Any, seed: int) -> None:
    """Whatever its tails, an estimate's draws kept in a domain lie inside that domain."""
    values, _ = PROBABILITY.clip(read(written).sample(np.random.default_rng(seed), 2_000))
    assert values.min() >= 0.0
    assert values.max() <= 1.0


def test_parameters_list_every_assumption_slot_once(small_case: rm.Case) -> None:
    """parameters() names every estimate of the case with the dotted path a file uses."""
    names = [p.name for p in small_case.parameters()]
    assert len(names) == len(set(names))
    assert names[:4] == [
        "drivers.trade_push.weight",
        "drivers.trade_push.intensity.start",
        "drivers.trade_push.intensity.trend",
        "drivers.trade_push.effects.trade",
    ]
    assert "indicators.trade.baseline.value" in names
    assert "events.recognition.effects.drivers.security" in names
    roles = {p.name: (p.role, p.keys) for p in small_case.parameters()}
    assert roles["drivers.trade_push.effects.share"] == ("effect", ("trade_push", "share"))
    assert roles["events.contract.effects.indicators.trade"] == ("jump", ("contract", "trade"))


def test_domains_follow_the_indicator(small_case: rm.Case) -> None:
    """A baseline's domain is its indicator's: positive on log, inside (0, 1) on logit."""
    domains = {p.name: p.domain for p in small_case.parameters()}
    assert str(domains["indicators.trade.baseline.value"]) == "(0, ∞)"
    assert str(domains["indicators.share.baseline.value"]) == "(0, 1)"
    assert str(domains["indicators.count.baseline.value"]) == "[1, 50]"
    assert str(domains["events.recognition.probability"]) == "[0, 1]"


def test_every_slot_has_a_role_and_the_keys_of_its_role(small_case: rm.Case) -> None:
    """Each parameter's role is a Role, with one key per entity kind that role names."""
    roles = set(get_args(Role))
    assert roles == set(ROLE_KEYS)
    found = {p.role for p in small_case.parameters()}
    assert found <= roles
    assert {"weight", "effect", "baseline", "probability", "jump"} <= found
    kinds: dict[str, set[str]] = {
        "driver": set(small_case.drivers),
        "indicator": set(small_case.indicators),
        "event": set(small_case.events),
    }
    for p in small_case.parameters():
        assert len(p.keys) == len(ROLE_KEYS[p.role]), p.name
        for key, kind in zip(p.keys, ROLE_KEYS[p.role], strict=True):
            assert key in kinds[kind], p.name
