"""The Bayes update: which scenario the observations point to, and its likelihoods."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.analysis import Observation, ObservationOutsideEnsembleWarning, update

from .analysis_helpers import boom_bust_projections, shipped_focus, shipped_projections
from .conftest import small_case_data


def test_observations_from_a_scenario_concentrate_the_posterior_on_it() -> None:
    """Values taken from draws of each scenario point back to that scenario, as a rule."""
    boom_bust = boom_bust_projections()
    for proj in boom_bust:
        weights = []
        for draw in range(0, 4000, 10):  # 400 draws: the mean is known to about 0.01
            obs = [
                Observation("trade", year, float(proj.values("trade")[draw, proj.year_index(year)]))
                for year in (2027, 2029)
            ]
            weights.append(update(boom_bust, obs)[proj.name])
        assert np.mean(weights) > 0.9
        assert np.mean(np.array(weights) > 0.5) > 0.9


def test_uniform_prior_by_default() -> None:
    """Without a prior every scenario starts equal; the trajectory starts at the prior."""
    boom_bust = boom_bust_projections()
    post = update(boom_bust, [("trade", 2026, 300.0)])
    assert dict(post.prior) == {"boom": 0.5, "bust": 0.5}
    assert np.allclose(post.trajectory[0], 0.5)
    assert np.allclose(post.trajectory[-1], post.weights)
    assert sum(post.values()) == pytest.approx(1.0)


def test_prior_is_normalised_and_combined_by_bayes_rule() -> None:
    """Posterior ∝ prior × likelihood, with a prior given as unnormalised weights."""
    boom_bust = boom_bust_projections()
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
def test_bad_priors_are_input_errors(prior: Any) -> None:
    """Negative, all-zero, missing or unknown prior weights are refused."""
    boom_bust = boom_bust_projections()
    with pytest.raises(rm.InputError, match="prior"):
        update(boom_bust, [("trade", 2026, 300.0)], prior=prior)


def test_observation_outside_every_ensemble_warns_and_stays_finite() -> None:
    """A value no scenario foresaw warns by name; weights stay finite and sum to 1."""
    boom_bust = boom_bust_projections()
    with pytest.warns(ObservationOutsideEnsembleWarning, match="trade 2027 = 1e"):
        post = update(boom_bust, [("trade", 2027, 1e9), ("trade", 2026, 320.0)])
    assert np.isfinite(post.weights).all()
    assert post.weights.sum() == pytest.approx(1.0)
    assert np.isfinite(post.log_likelihoods).all()
    assert (post.likelihoods > 0).all()
    assert post.outside[0].all()
    assert not post.outside[1].any()
    assert "!" in str(post)


def test_likelihood_is_a_density_in_the_indicators_units() -> None:
    """On a log-scale indicator an observation's own likelihood integrates to 1 over values."""
    boom_bust = boom_bust_projections()
    grid = np.geomspace(20.0, 3000.0, 400)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ObservationOutsideEnsembleWarning)
        likes = np.array(
            [update(boom_bust, [("trade", 2029, float(v))]).likelihoods[0] for v in grid]
        )
    for s in range(2):
        assert np.trapezoid(likes[:, s], grid) == pytest.approx(1.0, abs=0.01)


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
def test_impossible_observations_are_input_errors(observation: tuple[Any, ...], match: str) -> None:
    """Values outside the scale's domain, unknown indicators or years are refused."""
    boom_bust = boom_bust_projections()
    with pytest.raises(rm.InputError, match=match):
        update(boom_bust, [observation])


def test_posterior_prints_each_observations_likelihood() -> None:
    """The table shows every observation, the prior, the posterior and what each favours."""
    boom_bust = boom_bust_projections()
    post = update(boom_bust, [Observation("trade", 2029, 500.0, source="ministry")])
    text = str(post)
    assert "trade 2029 = 500" in text
    assert "ministry" in text
    assert "favours" in text
    assert "boom ×" in text
    assert "posterior" in text
    assert len(post.to_rows()) == 2


def test_update_runs_on_the_shipped_case() -> None:
    """An observation at a scenario's median weighs the shipped scenarios to a total of 1."""
    projs = list(shipped_projections().values())
    deep = shipped_focus()
    k = deep.indicators[0]
    median = float(np.median(deep.values(k)[:, 2]))
    with pytest.warns(rm.IndistinguishableScenariosWarning, match="cannot be told apart"):
        post = update(projs, [(k, deep.years[2], median)])
    assert sum(post.values()) == pytest.approx(1.0)


def _counting_pair() -> list[rm.Projection]:
    """Two scenarios of a case whose recognition count is declared whole (integer: true)."""
    data = small_case_data()
    data["drivers"]["security"]["effects"] = {"share": 0.1}
    data["indicators"]["count"]["integer"] = True
    base = rm.Scenario.from_case(rm.Case.model_validate(data))
    often = base.with_changes(
        {"events": {"recognition": {"probability": "likely"}}}, name="often", title="Often"
    )
    return [rm.project(s, draws=3000, seed=8) for s in (base, often)]


def test_whole_number_likelihood_ratios_equal_exact_counts() -> None:
    """On an integer indicator the likelihood is the share of draws at the value (mass)."""
    projs = _counting_pair()
    for value in (1.0, 2.0, 3.0):
        post = update(projs, [("count", 2029, value)])
        shares = [float((p.values("count")[:, p.year_index(2029)] == value).mean()) for p in projs]
        assert post.likelihoods[0] == pytest.approx(shares)
        assert post.weights[0] / post.weights[1] == pytest.approx(shares[0] / shares[1])


def test_integer_needs_whole_numbers_at_its_line() -> None:
    """integer: true with an uncertain baseline or a driver effect is refused, by field."""
    data = small_case_data()
    data["indicators"]["count"]["integer"] = True
    with pytest.raises(ValueError, match=r"drivers.security.effects.count"):
        rm.Case.model_validate(data)
    data["drivers"]["security"]["effects"] = {"share": 0.1}
    data["indicators"]["count"]["baseline"]["value"] = "1 to 3"
    with pytest.raises(ValueError, match=r"baseline.value: .*whole-number baseline"):
        rm.Case.model_validate(data)


def test_observations_no_scenario_foresaw_leave_the_weights_at_the_prior() -> None:
    """Six values far outside every ensemble are left out: the posterior is the prior."""
    boom_bust = boom_bust_projections()
    far = [("trade", year, 1e7) for year in range(2025, 2031)]
    with pytest.warns(ObservationOutsideEnsembleWarning):
        post = update(boom_bust, far, prior={"boom": 3, "bust": 1})
    assert not post.used.any()
    assert post.weights == pytest.approx([0.75, 0.25])
    assert "left out" in str(post)


def test_twin_scenarios_are_named_and_a_cell_observed_twice_is_refused() -> None:
    """Two ensembles of one model cannot be told apart: a warning names them."""
    boom, bust = boom_bust_projections()
    twin = rm.project(boom.scenario.with_changes({}, name="twin", title="Twin"), draws=800, seed=5)
    with pytest.warns(rm.IndistinguishableScenariosWarning, match="'boom' and 'twin'"):
        post = update([boom, bust, twin], [("trade", 2029, 700.0)])
    assert post.indistinguishable == (("boom", "twin"),)
    with pytest.raises(rm.InputError, match="observes trade in 2029 again"):
        update([boom, bust], [("trade", 2029, 700.0), ("trade", 2029, 710.0)])


def test_yearly_values_of_one_indicator_count_as_fewer_observations() -> None:
    """Six dependent yearly values amount to fewer than six independent observations, and
    the weights after the last one are the posterior.
    """
    boom_bust = boom_bust_projections()
    path = boom_bust[0].values("trade")[3]
    obs = [
        ("trade", year, float(path[boom_bust[0].year_index(year)])) for year in range(2025, 2031)
    ]
    post = update(boom_bust, obs)
    assert all(1 <= e < 6 for e in post.effective_observations.values())
    assert post.trajectory[-1] == pytest.approx(post.weights)
    assert post.log_likelihoods == pytest.approx(post.increments.sum(axis=0))


def test_the_order_of_the_observations_leaves_the_posterior_within_monte_carlo_error() -> None:
    """Later years enter as steps from earlier ones, so the order changes which differences
    are taken but not the likelihood they approximate: reversed or shuffled, the same
    observations give the same weights within Monte Carlo error.
    """
    boom_bust = boom_bust_projections()
    rng = np.random.default_rng(0)
    for draw in (3, 700, 2001, 3999, 10, 500, 1501):
        proj = boom_bust[draw % 2]
        obs = [
            (k, year, float(proj.values(k)[draw, proj.year_index(year)]))
            for k in ("trade", "share", "count")
            for year in proj.years[1:]
        ]
        forward = update(boom_bust, obs)
        ratio = forward.log_likelihoods[1] - forward.log_likelihoods[0]
        for order in (obs[::-1], [obs[i] for i in rng.permutation(len(obs))]):
            other = update(boom_bust, order)
            assert other.weights == pytest.approx(forward.weights, abs=0.03)
            # 15 cells from 2,048 draws: the log-likelihood ratio moves by up to ~1.6.
            assert other.log_likelihoods[1] - other.log_likelihoods[0] == pytest.approx(
                ratio, abs=2.0
            )


def test_the_weights_after_the_first_observations_are_those_of_the_first_alone() -> None:
    """The trajectory after i observations equals, within Monte Carlo error, an update on the
    first i alone (steps depend only on cells at or before their own).
    """
    boom_bust = boom_bust_projections()
    proj = boom_bust[1]
    obs = [
        (k, year, float(proj.values(k)[11, proj.year_index(year)]))
        for year in proj.years[1:]
        for k in ("trade", "share")
    ]
    full = update(boom_bust, obs)
    for i in (2, 5, 8):
        assert full.trajectory[i] == pytest.approx(update(boom_bust, obs[:i]).weights, abs=0.05)


def test_a_value_the_ensemble_drew_is_never_outside_it() -> None:
    """The range that decides 'outside' is the whole ensemble's, not only the draws the
    margins use: each scenario's own most extreme draws lie inside its range.
    """
    boom_bust = boom_bust_projections()
    for s, proj in enumerate(boom_bust):
        column = proj.values("trade")[:, proj.year_index(2027)]
        for value in (column.min(), column.max()):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ObservationOutsideEnsembleWarning)
                post = update(boom_bust, [("trade", 2027, float(value))])
            assert not post.outside[0, s]


@pytest.mark.parametrize("workers", [1, 2, 4, None])
def test_the_numbers_are_the_same_on_any_number_of_threads(workers: int | None) -> None:
    """Scenarios spread over threads (each with its working arrays) give the weights,
    increments and marginal likelihoods of one thread, bit for bit; odd and even scenario
    counts per thread included.
    """
    projs = list(shipped_projections().values())[:5]
    deep = shipped_focus()
    obs = [
        (k, y, float(deep.values(k)[7, deep.year_index(y)]))
        for k in deep.indicators[:6]
        for y in deep.years[1:5]
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rm.RecogmodelWarning)
        one = update(projs, obs, workers=1)
        many = update(projs, obs, workers=workers)
    assert list(many) == list(one)
    np.testing.assert_array_equal(list(many.values()), list(one.values()))
    np.testing.assert_array_equal(many.increments, one.increments)
    np.testing.assert_array_equal(many.marginal_log_likelihoods, one.marginal_log_likelihoods)


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_a_bad_number_of_workers_is_an_input_error(workers: Any) -> None:
    """``workers`` must be a whole number of at least 1; the error names it."""
    projs = list(shipped_projections().values())[:2]
    k = projs[0].indicators[0]
    with pytest.raises(rm.InputError, match="workers"):
        update(projs, [(k, projs[0].years[1], float(projs[0].values(k)[0, 1]))], workers=workers)
