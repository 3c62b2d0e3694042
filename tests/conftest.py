"""Shared fixtures: a small case built in Python, and the shipped Russia–Taliban case."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import recogmodel as rm

# CI machines are small and shared: no per-example deadlines, so a slow example is not a
# failure. Locally `HYPOTHESIS_PROFILE=dev` runs fewer examples.
settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scenarios" / "russia_taliban"

# Slow tests, marked `slow` here so `pytest -m "not slow"` is a quick loop; a plain
# `python -m pytest` (the README's command) still runs them all.
SLOW_MODULES = {"test_examples.py", "test_docs.py"}  # subprocesses; the pages' examples
SLOW_FIXTURES = {"browser"}  # Chromium driven by Playwright
SLOW_WORDS = ("dask", "distributed", "chromium", "playwright")  # in names or parameters


def is_slow(item: pytest.Item) -> bool:
    """Whether a collected test starts a browser, a Dask cluster or a subprocess, or runs
    the pages' examples: by its module, its name (with parameters), fixtures and arguments.
    """
    if item.path.name in SLOW_MODULES:
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    arguments = [repr(v) for v in callspec.params.values()] if callspec else []
    words = " ".join([item.name, *fixtures, *arguments]).lower()
    return bool(fixtures & SLOW_FIXTURES) or any(word in words for word in SLOW_WORDS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests `slow` (see :func:`is_slow`)."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


def small_case_data(**changes: Any) -> dict[str, Any]:
    """Raw data of a small but complete case: two drivers, three indicators, two events."""
    data: dict[str, Any] = {
        "case": "small",
        "title": "A small case",
        "actor": "Someland",
        "start": 2025,
        "horizon": 2030,
        "sources": {"src": {"title": "A source", "date": "2025-07"}},
        "drivers": {
            "trade_push": {
                "label": "Trade push",
                "weight": "0.2 to 0.4",
                "intensity": {"start": 0.6, "trend": "0 to 0.03"},
                "effects": {"trade": "0.1 to 0.3", "share": 0.2},
                "sources": ["src"],
            },
            "security": {
                "label": "Security",
                "weight": 0.5,
                "intensity": 0.5,
                "effects": {"count": 1.0},
                "sources": ["src"],
            },
        },
        "indicators": {
            "trade": {
                "label": "Trade",
                "unit": "USD m",
                "scale": "log",
                "baseline": {"year": 2024, "value": "250 to 350", "sources": ["src"]},
                "drift": "-0.02 to 0.04",
                "volatility": 0.1,
            },
            "share": {
                "label": "Exports share",
                "unit": "share",
                "scale": "logit",
                "baseline": {"year": 2025, "value": 0.02, "sources": ["src"]},
                "volatility": 0.2,
            },
            "count": {
                "label": "Recognitions",
                "unit": "states",
                "scale": "linear",
                "baseline": {"year": 2025, "value": 1, "sources": ["src"]},
                "bounds": [1, 50],
            },
        },
        "events": {
            "recognition": {
                "label": "Another state recognises",
                "probability": "unlikely",
                "recurring": True,
                "effects": {"indicators": {"count": 1}, "drivers": {"security": 0.05}},
            },
            "contract": {
                "label": "Contract signed",
                "year": 2027,
                "probability": 0.5,
                "effects": {"indicators": {"trade": 0.2}},
            },
        },
    }
    data.update(changes)
    return data


def boom_and_bust(
    scenario: rm.Scenario, *, boom_title: str = "Boom"
) -> tuple[rm.Scenario, rm.Scenario]:
    """A booming and a shrinking variant of a scenario of the small case, with signposts;
    the recognition count is signposted by both and moves alike in both (not diagnostic).
    """
    boom = scenario.with_changes(
        {"indicators": {"trade": {"drift": "0.08 to 0.12"}}},
        name="boom",
        title=boom_title,
        signposts=[
            {"indicator": "trade", "by": 2028, "above": 450},
            {"indicator": "count", "by": 2030, "above": 1.5},
        ],
    )
    bust = scenario.with_changes(
        {"indicators": {"trade": {"drift": "-0.10 to -0.06"}}},
        name="bust",
        title="Bust",
        signposts=[
            {"indicator": "trade", "by": 2029, "below": 250},
            {"indicator": "count", "by": 2030, "above": 1.5},
        ],
    )
    return boom, bust


@pytest.fixture
def small_case() -> rm.Case:
    """The small case as a model."""
    return rm.Case.model_validate(small_case_data())


@pytest.fixture
def small_scenario(small_case: rm.Case) -> rm.Scenario:
    """The small case as its own baseline scenario."""
    return rm.Scenario.from_case(small_case)


@pytest.fixture(scope="session")
def shipped() -> rm.CaseFolder:
    """The shipped Russia–Taliban case, every scenario resolved."""
    return rm.load_case(SHIPPED)
