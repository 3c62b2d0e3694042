"""Analysis: sensitivity with a known answer, signposts, the Bayes update, priorities."""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from scipy import stats

import recogmodel as rm
from recogmodel import analysis
from recogmodel.analysis import (
    Observation,
    ObservationOutsideEnsembleWarning,
    priorities,
    read_observations,
    sensitivity,
    signposts,
    update,
)
from recogmodel.model import Case, Scenario

from .conftest import boom_and_bust, small_case_data

if TYPE_CHECKING:
    from pathlib import Path

# x(t) = b + a t with b ~ U(0, 1) and a ~ U(0, 0.2): var(b) = 1/12, var(a t) = t^2 0.04/12,
# so the drift's share of the variance is 0.04 t^2 / (0.04 t^2 + 1), one half at t = 5.
# y(t) = 10 + w I E t + noise, with one driver (its weight normalises to 1, so it does
# nothing) pushing y down harder the higher its start intensity I.


def known_case(**changes: Any) -> Case:
    """Two indicators whose variance decomposes exactly (see the comment above)."""
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


@pytest.fixture(scope="module")
def known() -> rm.Projection:
    """The known-answer case, projected with many draws."""
    return rm.project(Scenario.from_case(known_case()), draws=20_000, seed=3)


@pytest.fixture(scope="module")
def small() -> rm.Projection:
    """The small case of conftest, projected."""
    case = Case.model_validate(small_case_data())
    return rm.project(Scenario.from_case(case), draws=4000, seed=5)


DRIFT, BASE = "indicators.x.drift", "indicators.x.baseline.value"


# ---------------------------------------------------------------------------------------
# Sensitivity


def test_srrc_squares_match_the_exact_variance_shares(known: rm.Projection) -> None:
    """SRRC² of drift and baseline split the variance as t²var(a) : var(b), every year."""
    s = sensitivity(known, "x")
    t = np.arange(len(s.years))
    exact = 0.04 * t**2 / (0.04 * t**2 + 1)
    a = s.coefficient[s.assumptions.index(DRIFT)]
    b = s.coefficient[s.assumptions.index(BASE)]
    assert np.allclose(a**2 / (a**2 + b**2), exact, atol=0.03)
    assert np.allclose(a**2 + b**2, 1.0, atol=0.03)
    assert (s.r2 > 0.97).all()


def test_ranking_flips_when_the_drift_overtakes_the_baseline(known: rm.Projection) -> None:
    """The baseline leads before t = 5, the drift after; at t = 0 only the baseline counts."""
    s = sensitivity(known, "x")
    assert s.ranking(2028)[0].assumption == BASE
    assert s.ranking(2033)[0].assumption == DRIFT
    first = {r.assumption: r for r in s.ranking(2025)}
    assert first[BASE].influential
    assert not first[DRIFT].influential
    assert first[DRIFT].importance == pytest.approx(0.0, abs=1e-9)


def test_dummy_noise_floor_lies_below_influential_assumptions(known: rm.Projection) -> None:
    """The dummies' largest importance stays far below the assumptions that matter."""
    s = sensitivity(known, "x", 2030)
    imp = dict(zip(s.assumptions, s.importance[:, 0], strict=True))
    assert s.noise_floor[0] < 0.05
    assert imp[DRIFT] > 10 * s.noise_floor[0]
    assert imp[BASE] > 10 * s.noise_floor[0]
    assert s.influential[:, 0].sum() == 2


def test_assumption_moving_another_indicator_is_not_influential(known: rm.Projection) -> None:
    """The push's intensity moves y, not x; its weight normalises away and moves nothing."""
    x = {r.assumption: r for r in sensitivity(known, "x").ranking()}
    y = {r.assumption: r for r in sensitivity(known, "y").ranking()}
    assert not x["drivers.push.intensity.start"].influential
    assert not x["drivers.push.weight"].influential
    assert not y["drivers.push.weight"].influential
    assert not y[DRIFT].influential
    assert y["drivers.push.intensity.start"].influential


def test_other_indicators_assumptions_are_not_influential_in_the_small_case(
    small: rm.Projection,
) -> None:
    """Trade's own drift and baseline do not move the recognitions count."""
    s = sensitivity(small, "count")
    rows = {r.assumption: r for r in s.ranking()}
    assert not rows["indicators.trade.drift"].influential
    assert not rows["indicators.trade.baseline.value"].influential
    assert rows["events.recognition.probability"].influential


def test_all_years_at_once_equal_year_by_year(small: rm.Projection) -> None:
    """The vectorised result for every year equals one computation per year."""
    for method in ("srrc", "pawn"):
        whole = sensitivity(small, "trade", method=method)
        for t, year in enumerate(small.years):
            one = sensitivity(small, "trade", year, method=method)
            assert one.years == (year,)
            for name in ("importance", "coefficient", "swing", "threshold", "influential"):
                assert np.allclose(getattr(one, name)[:, 0], getattr(whole, name)[:, t]), name
            assert np.allclose(one.noise_floor[0], whole.noise_floor[t])
            assert np.allclose(one.r2[0], whole.r2[t], equal_nan=True)


def test_pawn_ranks_the_dominant_assumption_first(known: rm.Projection) -> None:
    """PAWN agrees with the rank regression on which assumption dominates, early and late."""
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


def test_pawn_matches_a_direct_ks_computation(small: rm.Projection) -> None:
    """The vectorised PAWN equals scipy's two-sample KS per slice, with ties (a count) too."""
    for indicator in ("trade", "count"):
        s = sensitivity(small, indicator, method="pawn", slices=7)
        y = small.values(indicator)
        for j, name in enumerate(s.assumptions):
            x = small.parameters[name]
            for t in (1, len(small.years) - 1):
                assert s.importance[j, t] == pytest.approx(direct_pawn(x, y[:, t], 7), abs=1e-12)


def test_swing_has_the_effects_sign_and_the_indicators_units(known: rm.Projection) -> None:
    """A higher push intensity lowers y: negative swing, as large as the decile medians say."""
    s = sensitivity(known, "y", 2035)
    j = s.assumptions.index("drivers.push.intensity.start")
    assert s.coefficient[j, 0] < -0.9
    # y(2035) ≈ 10 - 0.3 I 10; deciles of I ~ U(0.2, 0.8) centre on 0.23 and 0.77.
    assert s.swing[j, 0] == pytest.approx(-3 * (0.77 - 0.23), abs=0.05)
    assert s.swing[j, 0] == pytest.approx(s.high[j, 0] - s.low[j, 0])
    x = sensitivity(known, "x", 2035)
    assert x.swing[x.assumptions.index(DRIFT), 0] == pytest.approx(10 * 0.18, abs=0.05)


def test_a_year_without_variation_has_nothing_influential(small: rm.Projection) -> None:
    """The start year of a fixed baseline: R² is NaN, nothing influential, no warning."""
    s = sensitivity(small, "count", 2025)
    assert math.isnan(s.r2[0])
    assert not s.influential.any()
    assert (s.importance == 0).all()
    assert "does not vary" in str(s)
    p = sensitivity(small, "share", 2025, method="pawn")
    assert not p.influential.any()


def test_dummies_have_their_own_seed_and_leave_the_global_state(small: rm.Projection) -> None:
    """Same dummy seed, same result; the global numpy random state is untouched."""
    before = np.random.get_state()[1].copy()  # noqa: NPY002 -- checking it is untouched
    a = sensitivity(small, "trade", dummy_seed=1)
    b = sensitivity(small, "trade", dummy_seed=1)
    c = sensitivity(small, "trade", dummy_seed=2)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    assert np.array_equal(a.noise_floor, b.noise_floor)
    assert not np.array_equal(a.noise_floor, c.noise_floor)
    assert np.allclose(a.coefficient, c.coefficient, atol=0.02)  # the real ones barely move


def test_sensitivity_result_is_typed_tidy_and_readonly(small: rm.Projection) -> None:
    """Rows cover every assumption and year; arrays are read-only; it prints a table."""
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
def test_sensitivity_refuses_bad_arguments(
    small: rm.Projection, kwargs: dict[str, Any], field: str
) -> None:
    """Unknown indicator, year or method, and impossible settings are input errors."""
    args: dict[str, Any] = {"indicator": "trade", **kwargs}
    with pytest.raises(rm.InputError) as err:
        sensitivity(small, **args)
    assert err.value.field == field


def test_too_few_draws_for_the_assumptions_is_an_input_error(small_scenario: Scenario) -> None:
    """Fewer draws than assumptions and dummies cannot be regressed."""
    proj = rm.project(small_scenario, draws=12, seed=1)
    with pytest.raises(rm.InputError, match="at least"):
        sensitivity(proj, "trade")


# ---------------------------------------------------------------------------------------
# Signposts


def test_signpost_probabilities_equal_direct_computation(small_scenario: Scenario) -> None:
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


def test_signpost_equally_likely_everywhere_is_non_diagnostic(small_scenario: Scenario) -> None:
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
    small_scenario: Scenario,
) -> None:
    """A signpost year another scenario does not reach is refused, naming both."""
    boom, _ = boom_and_bust(small_scenario)
    short = small_scenario.with_changes({"horizon": 2027}, name="short", title="Short")
    projs = [rm.project(s, draws=500, seed=1) for s in (boom, short)]
    with pytest.raises(rm.InputError, match=r"boom \(signposts.0\).*'short'"):
        signposts(projs)


def test_signposts_refuse_duplicate_scenarios(small: rm.Projection) -> None:
    """The same scenario twice is an input error."""
    with pytest.raises(rm.InputError, match="twice"):
        signposts([small, small])


# ---------------------------------------------------------------------------------------
# Which scenario are we in?


@pytest.fixture(scope="module")
def boom_bust() -> list[rm.Projection]:
    """Two clearly different scenarios of the small case."""
    base = Scenario.from_case(Case.model_validate(small_case_data()))
    return [rm.project(s, draws=4000, seed=9) for s in boom_and_bust(base)]


def test_observations_from_a_scenario_concentrate_the_posterior_on_it(
    boom_bust: list[rm.Projection],
) -> None:
    """Values taken from one draw of each scenario point back to that scenario."""
    for s, proj in enumerate(boom_bust):
        draw = 17
        obs = [
            Observation("trade", year, float(proj.values("trade")[draw, proj.year_index(year)]))
            for year in (2027, 2029)
        ]
        post = update(boom_bust, obs)
        assert post.most_likely == proj.name
        assert post[proj.name] > 0.95
        assert post.likelihoods.shape == (2, 2)
        assert (post.likelihoods[:, s] > post.likelihoods[:, 1 - s]).all()


def test_uniform_prior_by_default(boom_bust: list[rm.Projection]) -> None:
    """Without a prior every scenario starts equal; the trajectory starts at the prior."""
    post = update(boom_bust, [("trade", 2026, 300.0)])
    assert dict(post.prior) == {"boom": 0.5, "bust": 0.5}
    assert np.allclose(post.trajectory[0], 0.5)
    assert np.allclose(post.trajectory[-1], post.weights)
    assert sum(post.values()) == pytest.approx(1.0)


def test_prior_is_normalised_and_combined_by_bayes_rule(boom_bust: list[rm.Projection]) -> None:
    """Posterior ∝ prior × likelihood, with a prior given as unnormalised weights."""
    obs = [("trade", 2028, 380.0, "customs data")]
    flat = update(boom_bust, obs)
    tilted = update(boom_bust, obs, prior={"boom": 1, "bust": 3})
    like = flat.likelihoods[0]
    expected = np.array([0.25, 0.75]) * like / (np.array([0.25, 0.75]) * like).sum()
    assert np.allclose(tilted.weights, expected)
    assert tilted.observations[0].source == "customs data"
    zero = update(boom_bust, obs, prior={"boom": 0, "bust": 1})
    assert zero["boom"] == 0.0
    assert zero["bust"] == 1.0


@pytest.mark.parametrize(
    "prior",
    [{"boom": -1, "bust": 1}, {"boom": 0, "bust": 0}, {"boom": 1}, {"boom": 1, "bust": 1, "x": 1}],
)
def test_bad_priors_are_input_errors(boom_bust: list[rm.Projection], prior: Any) -> None:
    """Negative, all-zero, missing or unknown prior weights are refused."""
    with pytest.raises(rm.InputError, match="prior"):
        update(boom_bust, [("trade", 2026, 300.0)], prior=prior)


def test_observation_outside_every_ensemble_warns_and_stays_finite(
    boom_bust: list[rm.Projection],
) -> None:
    """A value no scenario foresaw warns by name; weights stay finite and sum to 1."""
    with pytest.warns(ObservationOutsideEnsembleWarning, match="trade 2027 = 1e"):
        post = update(boom_bust, [("trade", 2027, 1e9), ("trade", 2026, 320.0)])
    assert np.isfinite(post.weights).all()
    assert post.weights.sum() == pytest.approx(1.0)
    assert np.isfinite(post.log_likelihoods).all()
    assert (post.likelihoods > 0).all()
    assert post.outside[0].all()
    assert not post.outside[1].any()
    assert "!" in str(post)


def test_likelihood_is_a_density_in_the_indicators_units(boom_bust: list[rm.Projection]) -> None:
    """On a log-scale indicator the likelihood integrates to 1 over the indicator's values."""
    grid = np.linspace(20.0, 3000.0, 6000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ObservationOutsideEnsembleWarning)
        post = update(boom_bust, [("trade", 2029, float(v)) for v in grid])
    for s in range(2):
        assert np.trapezoid(post.likelihoods[:, s], grid) == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("observation", "match"),
    [
        (("trade", 2029, -5.0), "positive amount"),
        (("share", 2029, 1.5), "share between 0 and 1"),
        (("nope", 2029, 1.0), "not an indicator"),
        (("trade", 2040, 300.0), "not a projected year"),
        (("trade", 2029, math.nan), "finite number"),
        (("trade", "next year", 300.0), "year"),
    ],
)
def test_impossible_observations_are_input_errors(
    boom_bust: list[rm.Projection], observation: tuple[Any, ...], match: str
) -> None:
    """Values outside the scale's domain, unknown indicators or years are refused."""
    with pytest.raises(rm.InputError, match=match):
        update(boom_bust, [observation])


def test_posterior_prints_each_observations_likelihood(boom_bust: list[rm.Projection]) -> None:
    """The table shows every observation, the prior, the posterior and what each favours."""
    post = update(boom_bust, [Observation("trade", 2029, 500.0, source="ministry")])
    text = str(post)
    assert "trade 2029 = 500" in text
    assert "ministry" in text
    assert "favours" in text
    assert "boom ×" in text
    assert "posterior" in text
    assert len(post.to_rows()) == 2


# ---------------------------------------------------------------------------------------
# Reading observations


def test_read_observations_from_yaml_and_csv(tmp_path: Path) -> None:
    """A YAML list, a YAML mapping and a CSV file give the same observations."""
    listed = tmp_path / "obs.yaml"
    listed.write_text(
        "- {indicator: trade, year: 2027, value: 420, source: customs}\n"
        "- indicator: count\n"
        "  year: 2028\n"
        "  value: 2\n"
        "  note: one more state\n",
        encoding="utf-8",
    )
    mapped = tmp_path / "obs.yml"
    mapped.write_text(
        "observations:\n  - {indicator: trade, year: 2027, value: 420, source: customs}\n"
        "  - {indicator: count, year: 2028, value: 2, note: one more state}\n",
        encoding="utf-8",
    )
    table = tmp_path / "obs.csv"
    table.write_text(
        "indicator,year,value,source,note\ntrade,2027,420,customs,\ncount,2028,2,,one more state\n",
        encoding="utf-8",
    )
    expected = [
        Observation("trade", 2027, 420.0, source="customs"),
        Observation("count", 2028, 2.0, note="one more state"),
    ]
    for path in (listed, mapped, table):
        got = read_observations(path)
        assert got == expected, path
        assert got[1].file == path
    assert [o.line for o in read_observations(listed)] == [1, 2]
    assert [o.line for o in read_observations(table)] == [2, 3]


@pytest.mark.parametrize(
    ("name", "text", "line", "field"),
    [
        (
            "bad.yaml",
            "- {indicator: trade, year: 2027, value: 1}\n- {indicator: trade}\n",
            2,
            "1.year",
        ),
        ("bad.yaml", "- indicator: trade\n  year: 2027\n  value: lots\n", 3, "0.value"),
        ("bad.yaml", "- indicator: trade\n  year: 2027\n  value: 1\n  unit: m\n", 4, "0.unit"),
        ("bad.yaml", "observations:\n  - [trade, 2027, 1]\n", 2, "observations.0"),
        ("bad.yaml", "trade: 1\n", 1, "trade"),
        ("bad.yaml", "- {indicator: trade, year: 2027, value: 1\n", 2, "(document)"),
        ("bad.csv", "indicator,year,value\ntrade,2027,1\ntrade,next,2\n", 3, "year"),
        ("bad.csv", "indicator,year,amount\n", 1, "(header)"),
        ("bad.csv", "indicator,year,value\ntrade,2027\n", 2, "(row)"),
    ],
)
def test_bad_observation_files_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, field: str
) -> None:
    """Every problem in an observations file is reported at its file and line."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rm.ScenarioFileError) as err:
        read_observations(path)
    assert err.value.file == path
    assert err.value.line == line
    assert err.value.field == field


def test_observations_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    """Only .yaml, .yml and .csv files are read."""
    path = tmp_path / "obs.txt"
    path.write_text("trade 2027 420\n", encoding="utf-8")
    with pytest.raises(rm.ScenarioFileError, match=r"\.yaml, \.yml or \.csv"):
        read_observations(path)


def test_update_errors_point_at_the_observations_file_line(
    tmp_path: Path, boom_bust: list[rm.Projection]
) -> None:
    """An observation of an unknown indicator read from a file is reported at its line."""
    path = tmp_path / "obs.csv"
    path.write_text("indicator,year,value\ntrade,2027,420\ntraed,2027,420\n", encoding="utf-8")
    with pytest.raises(rm.InputError) as err:
        update(boom_bust, read_observations(path))
    assert err.value.file == path
    assert err.value.line == 3


# ---------------------------------------------------------------------------------------
# Priorities


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


def test_unrated_assumption_counts_as_unsupported(small: rm.Projection) -> None:
    """Without ratings the score equals the importance, and the table says 'not rated'."""
    result = priorities(small, "trade")
    assert all(r.score == r.importance for r in result.rows)
    assert "not rated" in str(result)


# ---------------------------------------------------------------------------------------
# The shipped case


def test_every_analysis_runs_on_the_shipped_case(shipped: rm.CaseFolder) -> None:
    """Sensitivity for every indicator, signposts of every scenario, an update, priorities."""
    projs = [rm.project(s, draws=1500, seed=1) for s in shipped.values()]
    deep = projs[list(shipped).index("deepening")] if "deepening" in list(shipped) else projs[0]
    for k in deep.indicators:
        s = sensitivity(deep, k)
        assert s.importance.shape == (len(deep.parameter_names), len(deep.years))
        assert np.isfinite(s.swing).all()
    table = signposts(projs)
    assert table.probability.shape == (len(table.signposts), len(projs))
    assert ((table.probability >= 0) & (table.probability <= 1)).all()
    k = deep.indicators[0]
    median = float(np.median(deep.values(k)[:, 2]))
    post = update(projs, [(k, deep.years[2], median)])
    assert sum(post.values()) == pytest.approx(1.0)
    assert len(priorities(deep, k).rows) == len(deep.parameter_names)


def test_analysis_module_lists_its_public_names() -> None:
    """Everything in analysis.__all__ exists."""
    for name in analysis.__all__:
        assert hasattr(analysis, name)
