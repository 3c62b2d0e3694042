"""Cases and projections shared by the analysis tests, each built once per session.

A known-answer case whose variance decomposes exactly:
x(t) = b + a t with b ~ U(0, 1) and a ~ U(0, 0.2): var(b) = 1/12, var(a t) = t^2 0.04/12,
so the drift's share of the variance is 0.04 t^2 / (0.04 t^2 + 1), one half at t = 5.
y(t) = 10 + w I E t + noise, with one driver (its weight normalises to 1, so it does
nothing) pushing y down harder the higher its start intensity I.
"""

from __future__ import annotations

import functools
from typing import Any

import recogmodel as rm
from recogmodel.model import Case, Scenario

from .conftest import SHIPPED, boom_and_bust, small_case_data

DRIFT, BASE = "indicators.x.drift", "indicators.x.baseline.value"


def known_case(**changes: Any) -> Case:
    """Two indicators whose variance decomposes exactly (see the module docstring)."""
    data: dict[str, Any] = {
        "case": "known",
        "title": "Known answer",
        "actor": "Nobody",
        "start": 2025,
        "horizon": 2035,
        "sources": {"s": {"title": "S"}},
        "drivers": {
            "push": {
                "label": "Push",
                "weight": {"dist": "uniform", "low": 0.5, "high": 1.5},
                "intensity": {"start": {"dist": "uniform", "low": 0.2, "high": 0.8}},
                "effects": {"y": -0.3},
                "sources": ["s"],
            }
        },
        "indicators": {
            "x": {
                "label": "X",
                "unit": "u",
                "scale": "linear",
                "baseline": {
                    "year": 2025,
                    "value": {"dist": "uniform", "low": 0, "high": 1},
                    "sources": ["s"],
                },
                "drift": {"dist": "uniform", "low": 0, "high": 0.2},
            },
            "y": {
                "label": "Y",
                "unit": "u",
                "scale": "linear",
                "baseline": {"year": 2025, "value": 10, "sources": ["s"]},
                "volatility": 0.05,
            },
        },
    }
    data.update(changes)
    return Case.model_validate(data)


@functools.cache
def known_projection() -> rm.Projection:
    """The known-answer case, projected with many draws."""
    return rm.project(Scenario.from_case(known_case()), draws=20_000, seed=3)


@functools.cache
def small_projection() -> rm.Projection:
    """The small case of conftest, projected."""
    case = Case.model_validate(small_case_data())
    return rm.project(Scenario.from_case(case), draws=4000, seed=5)


@functools.cache
def boom_bust_projections() -> tuple[rm.Projection, ...]:
    """Two clearly different scenarios of the small case."""
    base = Scenario.from_case(Case.model_validate(small_case_data()))
    return tuple(rm.project(s, draws=4000, seed=9) for s in boom_and_bust(base))


@functools.cache
def shipped_projections() -> dict[str, rm.Projection]:
    """Every scenario of the shipped case, projected with a few draws."""
    return {name: rm.project(s, draws=1500, seed=1) for name, s in rm.load_case(SHIPPED).items()}


def shipped_focus() -> rm.Projection:
    """The shipped case's deepening scenario (or its first, if it has none)."""
    projs = shipped_projections()
    return projs.get("deepening", next(iter(projs.values())))
