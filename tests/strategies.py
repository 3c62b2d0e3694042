"""Hypothesis strategies: estimates as an analyst writes them, and small random cases."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw: st.DrawFn, low: float = -1e3, high: float = 1e3) -> tuple[float, float]:
    """Two ends ``low <= A < B <= high`` at least a thousandth of the range apart."""
    gap = (high - low) * 1e-3
    a = draw(st.floats(min_value=low, max_value=high - gap))
    if 0 < a < 1e-3:  # tiny positive ends make absurdly wide lognormals
        a = 0.0
    b = draw(st.floats(min_value=a + gap, max_value=high))
    return a, b


@st.composite
def interval_texts(draw: st.DrawFn) -> tuple[str, float, float]:
    """``"A to B"`` with its two ends, sometimes positive (lognormal), sometimes not."""
    a, b = draw(intervals())
    return f"{a!r} to {b!r}", a, b


@st.composite
def estimates(draw: st.DrawFn, low: float = -10.0, high: float = 10.0) -> Any:
    """Any written form of an estimate whose stated range lies in [low, high]."""
    a, b = draw(intervals(low, high))
    mode = draw(st.floats(min_value=a, max_value=b))
    return draw(
        st.sampled_from(
            [
                a,
                f"{a!r} to {b!r}",
                {"dist": "uniform", "low": a, "high": b},
                {"dist": "triangular", "low": a, "mode": mode, "high": b},
                {"dist": "pert", "low": a, "mode": mode, "high": b},
                {"dist": "normal", "low": a, "high": b, "ci": 0.8},
                {"dist": "beta", "alpha": 2.0, "beta": 3.0, "low": a, "high": b},
            ]
        )
    )


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """Raw data of a random but valid case: 1–3 drivers, 1–3 indicators of any scale."""
    n_drivers = draw(st.integers(1, 3))
    n_indicators = draw(st.integers(1, 3))
    start = 2025
    horizon = start + draw(st.integers(1, 6))
    indicators: dict[str, Any] = {}
    for k in range(n_indicators):
        scale = draw(st.sampled_from(["log", "logit", "linear"]))
        if scale == "log":
            base: Any = draw(estimates(1.0, 1000.0))
            bounds = [None, draw(st.sampled_from([None, 5000.0]))]
        elif scale == "logit":
            base = draw(estimates(0.05, 0.5))
            bounds = draw(st.sampled_from([[None, None], [0.01, 0.9]]))
        else:
            base = draw(estimates(-5.0, 5.0))
            bounds = draw(st.sampled_from([[None, None], [-10.0, 10.0]]))
        indicators[f"i{k}"] = {
            "label": f"Indicator {k}",
            "unit": "units",
            "scale": scale,
            "baseline": {
                "year": start - draw(st.integers(0, 2)),
                "value": base,
                "sources": ["s"],
            },
            "drift": draw(estimates(-0.2, 0.2)),
            "volatility": draw(estimates(0.0, 0.3)),
            "bounds": bounds,
        }
    drivers: dict[str, Any] = {}
    for d in range(n_drivers):
        effects = {k: draw(estimates(-0.5, 0.5)) for k in indicators if draw(st.booleans())}
        drivers[f"d{d}"] = {
            "label": f"Driver {d}",
            "weight": draw(estimates(0.0, 1.0)),
            "intensity": {"start": draw(estimates(0.0, 1.0)), "trend": draw(estimates(-0.1, 0.1))},
            "effects": effects,
            "sources": ["s"],
        }
    drivers["d0"]["weight"] = 1.0
    events = {
        "e0": {
            "label": "An event",
            "probability": draw(estimates(0.0, 1.0)),
            "recurring": draw(st.booleans()),
            "effects": {
                "indicators": {k: draw(estimates(-0.5, 0.5)) for k in indicators},
                "drivers": {"d0": draw(estimates(-0.3, 0.3))},
            },
        }
    }
    return {
        "case": "random",
        "title": "A random case",
        "actor": "Anyone",
        "start": start,
        "horizon": horizon,
        "sources": {"s": {"title": "S"}},
        "drivers": drivers,
        "indicators": indicators,
        "events": events,
    }
