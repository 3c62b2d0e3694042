"""Sensitivity: SRRC and PAWN on the known-answer case of analysis_helpers, the noise floor,
the swing, refused arguments.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

import recogmodel as rm
from recogmodel.analysis import sensitivity

from .analysis_helpers import BASE, DRIFT, known_projection, shipped_focus, small_projection


def test_srrc_squares_match_the_exact_variance_shares() -> None:
    """SRRC² of drift and baseline split the variance as t²var(a) : var(b), every year."""
    known = known_projection()
    s = sensitivity(known, "x")
    t = np.arange(len(s.years))
    exact = 0.04 * t**2 / (0.04 * t**2 + 1)
    a = s.coefficient[s.assumptions.index(DRIFT)]
    b = s.coefficient[s.assumptions.index(BASE)]
    assert np.allclose(a**2 / (a**2 + b**2), exact, atol=0.03)
    assert np.allclose(a**2 + b**2, 1.0, atol=0.03)
    assert (s.r2 > 0.97).all()


def test_ranking_flips_when_the_drift_overtakes_the_baseline() -> None:
    """The baseline leads before t = 5, the drift after; at t = 0 only the baseline counts."""
    known = known_projection()
    s = sensitivity(known, "x")
    assert s.ranking(2028)[0].assumption == BASE
    assert s.ranking(2033)[0].assumption == DRIFT
    first = {r.assumption: r for r in s.ranking(2025)}
    assert first[BASE].influential
    assert not first[DRIFT].influential
    assert first[DRIFT].importance == pytest.approx(0.0, abs=1e-9)


def test_dummy_noise_floor_lies_below_influential_assumptions() -> None:
    """The dummies' largest importance stays far below the assumptions that matter."""
    known = known_projection()
    s = sensitivity(known, "x", 2030)
    imp = dict(zip(s.assumptions, s.importance[:, 0], strict=True))
    assert s.noise_floor[0] < 0.05
    assert imp[DRIFT] > 10 * s.noise_floor[0]
    assert imp[BASE] > 10 * s.noise_floor[0]
    assert s.influential[:, 0].sum() == 2


def test_assumption_moving_another_indicator_is_not_influential() -> None:
    """The push's intensity moves y, not x; its weight normalises away and moves nothing."""
    known = known_projection()
    x = {r.assumption: r for r in sensitivity(known, "x").ranking()}
    y = {r.assumption: r for r in sensitivity(known, "y").ranking()}
    assert not x["drivers.push.intensity.start"].influential
    assert not x["drivers.push.weight"].influential
    assert not y["drivers.push.weight"].influential
    assert not y[DRIFT].influential
    assert y["drivers.push.intensity.start"].influential


def test_other_indicators_assumptions_are_not_influential_in_the_small_case() -> None:
    """Trade's own drift and baseline do not move the recognitions count."""
    small = small_projection()
    s = sensitivity(small, "count")
    rows = {r.assumption: r for r in s.ranking()}
    assert not rows["indicators.trade.drift"].influential
    assert not rows["indicators.trade.baseline.value"].influential
    assert rows["events.recognition.probability"].influential


def test_all_years_at_once_equal_year_by_year() -> None:
    """The vectorised result for every year equals one computation per year."""
    small = small_projection()
    for method in ("srrc", "pawn"):
        whole = sensitivity(small, "trade", method=method)
        for t, year in enumerate(small.years):
            one = sensitivity(small, "trade", year, method=method)
            assert one.years == (year,)
            for name in ("importance", "coefficient", "swing", "threshold", "influential"):
                assert np.allclose(getattr(one, name)[:, 0], getattr(whole, name)[:, t]), name
            assert np.allclose(one.noise_floor[0], whole.noise_floor[t])
            assert np.allclose(one.r2[0], whole.r2[t], equal_nan=True)


def test_pawn_ranks_the_dominant_assumption_first() -> None:
    """PAWN agrees with the rank regression on which assumption dominates, early and late."""
    known = known_projection()
    s = sensitivity(known, "x", method="pawn")
    assert s.method == "pawn"
    assert s.ranking(2027)[0].assumption == BASE
    assert s.ranking(2035)[0].assumption == DRIFT
    assert not {r.assumption: r for r in s.ranking()}["drivers.push.weight"].influential


def direct_pawn(x: np.ndarray, y: np.ndarray, slices: int) -> float:
    """PAWN by hand: KS distance of each quantile slice's output against all of it."""
    n = x.size
    rank = np.empty(n, dtype=int)
    rank[np.argsort(x, kind="stable")] = np.arange(n)
    label = rank * slices // n
    ks = [stats.ks_2samp(y[label == s], y).statistic for s in range(slices)]
    return float(np.median(ks))


def test_pawn_matches_a_direct_ks_computation() -> None:
    """The vectorised PAWN equals scipy's two-sample KS per slice, with ties (a count) too."""
    small = small_projection()
    for indicator in ("trade", "count"):
        s = sensitivity(small, indicator, method="pawn", slices=7)
        y = small.values(indicator)
        for j, name in enumerate(s.assumptions):
            x = small.parameters[name]
            for t in (1, len(small.years) - 1):
                assert s.importance[j, t] == pytest.approx(direct_pawn(x, y[:, t], 7), abs=1e-12)


def test_swing_has_the_effects_sign_and_the_indicators_units() -> None:
    """A higher push intensity lowers y: negative swing, as large as the decile medians say."""
    known = known_projection()
    s = sensitivity(known, "y", 2035)
    j = s.assumptions.index("drivers.push.intensity.start")
    assert s.coefficient[j, 0] < -0.9
    # y(2035) ≈ 10 - 0.3 I 10; deciles of I ~ U(0.2, 0.8) centre on 0.23 and 0.77.
    assert s.swing[j, 0] == pytest.approx(-3 * (0.77 - 0.23), abs=0.05)
    assert s.swing[j, 0] == pytest.approx(s.high[j, 0] - s.low[j, 0])
    x = sensitivity(known, "x", 2035)
    assert x.swing[x.assumptions.index(DRIFT), 0] == pytest.approx(10 * 0.18, abs=0.05)


def test_a_year_without_variation_has_nothing_influential() -> None:
    """The start year of a fixed baseline: R² is NaN, nothing influential, no warning."""
    small = small_projection()
    s = sensitivity(small, "count", 2025)
    assert math.isnan(s.r2[0])
    assert not s.influential.any()
    assert (s.importance == 0).all()
    assert "does not vary" in str(s)
    p = sensitivity(small, "share", 2025, method="pawn")
    assert not p.influential.any()


def global_random_state() -> np.ndarray:
    """The key of numpy's global generator, to check that nothing touched it."""
    state = np.random.get_state()  # noqa: NPY002 -- checking it is untouched
    assert isinstance(state, tuple)
    return np.array(state[1])


def test_dummies_have_their_own_seed_and_leave_the_global_state() -> None:
    """Same dummy seed, same result; the global numpy random state is untouched."""
    small = small_projection()
    before = global_random_state()
    a = sensitivity(small, "trade", dummy_seed=1)
    b = sensitivity(small, "trade", dummy_seed=1)
    c = sensitivity(small, "trade", dummy_seed=2)
    assert np.array_equal(global_random_state(), before)
    assert np.array_equal(a.noise_floor, b.noise_floor)
    assert not np.array_equal(a.noise_floor, c.noise_floor)
    assert np.allclose(a.coefficient, c.coefficient, atol=0.02)  # the real ones barely move


def test_sensitivity_result_is_typed_tidy_and_readonly() -> None:
    """Rows cover every assumption and year; arrays are read-only; it prints a table."""
    small = small_projection()
    s = sensitivity(small, "trade")
    rows = s.to_rows()
    assert len(rows) == len(s.assumptions) * len(s.years)
    assert {r["year"] for r in rows} == set(small.years)
    with pytest.raises(ValueError, match="read-only"):
        s.importance[0, 0] = 1.0
    text = str(s)
    assert "Sensitivity of trade in 2030" in text
    assert s.ranking()[0].assumption in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"indicator": "nope"}, "indicator"),
        ({"year": 2040}, "year"),
        ({"method": "sobol"}, "method"),
        ({"dummies": 0}, "dummies"),
        ({"slices": 1}, "slices"),
    ],
)
def test_sensitivity_refuses_bad_arguments(kwargs: dict[str, Any], field: str) -> None:
    """Unknown indicator, year or method, and impossible settings are input errors."""
    small = small_projection()
    args: dict[str, Any] = {"indicator": "trade", **kwargs}
    with pytest.raises(rm.InputError) as err:
        sensitivity(small, **args)
    assert err.value.field == field


def test_too_few_draws_for_the_assumptions_is_an_input_error(small_scenario: rm.Scenario) -> None:
    """Fewer draws than assumptions and dummies cannot be regressed."""
    proj = rm.project(small_scenario, draws=12, seed=1)
    with pytest.raises(rm.InputError, match="at least"):
        sensitivity(proj, "trade")


def test_sensitivity_runs_for_every_indicator_of_the_shipped_case() -> None:
    """Every indicator of the shipped case gets an importance per assumption and year."""
    deep = shipped_focus()
    for k in deep.indicators:
        s = sensitivity(deep, k)
        assert s.importance.shape == (len(deep.parameter_names), len(deep.years))
        assert np.isfinite(s.swing).all()


def _abc_case(salience: str, c_weight: Any = None) -> rm.Case:
    """Drivers a (strong on x), b (weak positive on x), c (on y only), weights uncertain."""
    weight = {"dist": "uniform", "low": 0.5, "high": 1.5}

    def driver(effects: dict[str, float], w: Any = None) -> dict[str, Any]:
        return {
            "label": "D",
            "weight": weight if w is None else w,
            "intensity": 0.5,
            "effects": effects,
            "informed_by": ["s"],
            "rationale": "Constructed for the test.",
        }

    def indicator() -> dict[str, Any]:
        return {
            "label": "I",
            "unit": "u",
            "scale": "linear",
            "baseline": {"year": 2025, "value": 0, "sources": ["s"]},
            "volatility": 0.01,
        }

    return rm.Case.model_validate(
        {
            "case": "abc",
            "title": "a, b and c",
            "actor": "Nobody",
            "start": 2025,
            "horizon": 2030,
            "salience": salience,
            "sources": {"s": {"title": "S"}},
            "drivers": {
                "a": driver({"x": 1.0}),
                "b": driver({"x": 0.2}),
                "c": driver({"y": 1.0}, c_weight),
            },
            "indicators": {"x": indicator(), "y": indicator()},
        }
    )


def test_relative_salience_reads_weights_as_shares_with_their_effects_sign() -> None:
    """Relative: c (no path to x) is not influential for x, b's sign is positive, a > b."""
    proj = rm.project(rm.Scenario.from_case(_abc_case("relative")), draws=4000, seed=4)
    rows = {r.assumption: r for r in sensitivity(proj, "x").ranking()}
    a, b, c = (rows[f"drivers.{d}.weight"] for d in "abc")
    assert not c.influential
    assert c.importance == 0.0
    assert b.coefficient > 0
    assert b.influential
    assert a.importance > b.importance
    assert a.interval[0] > b.interval[1]  # told apart beyond Monte Carlo error
    assert a.share
    assert b.share
    assert "(share)" in sensitivity(proj, "x").table()


def test_absolute_salience_leaves_c_without_effect_on_x() -> None:
    """Absolute: changing c's weight alone moves nothing in x, and a > b > 0 on x."""
    low = rm.project(rm.Scenario.from_case(_abc_case("absolute", 0.1)), draws=2000, seed=4)
    high = rm.project(rm.Scenario.from_case(_abc_case("absolute", 5.0)), draws=2000, seed=4)
    assert np.array_equal(low.values("x"), high.values("x"))
    assert not np.array_equal(low.values("y"), high.values("y"))
    rows = {r.assumption: r for r in sensitivity(low, "x").ranking()}
    assert rows["drivers.a.weight"].importance > rows["drivers.b.weight"].importance
    assert rows["drivers.b.weight"].coefficient > 0
    assert not rows["drivers.a.weight"].share


def test_importance_intervals_cover_the_spread_between_seeds() -> None:
    """The jackknife error matches the spread of the SRRC over independent runs."""
    scenario = rm.Scenario.from_case(_abc_case("relative"))
    name = "drivers.b.weight"
    runs = [sensitivity(rm.project(scenario, draws=1000, seed=s), "x") for s in range(12)]
    values = [r.importance[r.assumptions.index(name), -1] for r in runs]
    errors = [r.error[r.assumptions.index(name), -1] for r in runs]
    assert float(np.mean(errors)) == pytest.approx(float(np.std(values, ddof=1)), rel=0.5)


def test_a_hidden_rank_is_accounted_for() -> None:
    """Every rank above the last one shown is in the table or named with its reason."""
    proj = shipped_focus()
    s = sensitivity(proj, "bilateral_trade")
    table = s.table()
    shown = [r for r in s.ranking() if r.influential]
    for r in s.ranking()[: shown[-1].rank]:
        assert r.label in table
