"""The engine: closed-form checks, a hand computation, invariants and reproducibility."""

from __future__ import annotations

import dataclasses
import itertools
import math
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

import recogmodel as rm
from recogmodel import engine
from recogmodel.engine.chunk import Scratch, simulate
from recogmodel.engine.dynamics import Pairs
from recogmodel.engine.plan import compile_plan
from recogmodel.engine.run import _chunks
from recogmodel.engine.streams import _scatter
from recogmodel.model import Case, Scenario

from .conftest import small_case_data
from .strategies import cases

Z = stats.norm.ppf


def one_indicator(scale: str, baseline: float, drift: Any, volatility: Any, **extra: Any) -> Case:
    """A case whose single indicator moves by drift and noise only (its driver is idle)."""
    return Case.model_validate(
        {
            "case": "closed_form",
            "title": "Closed form",
            "actor": "Nobody",
            "start": 2025,
            "horizon": 2035,
            "sources": {"s": {"title": "S"}},
            "drivers": {"idle": {"label": "Idle", "weight": 1, "intensity": 0, "sources": ["s"]}},
            "indicators": {
                "x": {
                    "label": "X",
                    "unit": "u",
                    "scale": scale,
                    "baseline": {"year": 2025, "value": baseline, "sources": ["s"]},
                    "drift": drift,
                    "volatility": volatility,
                }
            },
            **extra,
        }
    )


def run(case: Case | dict[str, Any], **kw: Any) -> rm.Projection:
    if isinstance(case, dict):
        case = Case.model_validate(case)
    return rm.project(Scenario.from_case(case), **kw)


QS = np.array([0.05, 0.25, 0.5, 0.75, 0.95])


def quantile_se(q: np.ndarray, sd: float, n: int) -> np.ndarray:
    """Standard error of a normal sample quantile."""
    return sd * np.sqrt(q * (1 - q)) / stats.norm.pdf(Z(q)) / math.sqrt(n)


@pytest.mark.parametrize(
    ("scale", "baseline", "forward", "backward"),
    [
        ("log", 300.0, np.exp, np.log),
        ("linear", 5.0, lambda z: z, lambda x: x),
        ("logit", 0.2, special.expit, special.logit),
    ],
)
def test_drift_and_noise_match_the_closed_form(
    scale: str, baseline: float, forward: Any, backward: Any
) -> None:
    """With no drivers or events, z(t) ~ Normal(z0 + g t, s^2 t) in every scale."""
    g, s, n = 0.03, 0.15, 40_000
    proj = run(one_indicator(scale, baseline, g, s), draws=n, seed=11)
    got = backward(proj.quantiles("x", QS))
    for t in (1, 5, 10):
        sd = s * math.sqrt(t)
        expected = backward(baseline) + g * t + sd * Z(QS)
        assert np.all(np.abs(got[t] - expected) < 5 * quantile_se(QS, sd, n)), (t, got[t])
    assert proj.quantiles("x", [0.5])[0, 0] == pytest.approx(baseline)
    assert forward(backward(baseline)) == pytest.approx(baseline)


def test_once_only_event_fires_by_year_at_the_geometric_rate() -> None:
    """An event with annual probability p, once only, has fired by year y in 1-(1-p)^(y-start)."""
    p, n = 0.3, 40_000
    case = one_indicator(
        "linear",
        0.0,
        0,
        0,
        events={
            "e": {"label": "E", "probability": p, "effects": {"indicators": {"x": 1}}},
        },
    )
    proj = run(case, draws=n, seed=5)
    fired_by = proj.events["e"].cumsum(axis=1).astype(bool).mean(axis=0)
    for t, year in enumerate(proj.years):
        expected = 1 - (1 - p) ** (year - 2025)
        se = math.sqrt(max(expected * (1 - expected), 1e-12) / n)
        assert fired_by[t] == pytest.approx(expected, abs=5 * se + 1e-12)
    # once only: the indicator counts firings, so it never exceeds 1
    assert proj.values("x").max() == 1.0
    assert proj.events["e"][:, 0].sum() == 0  # nothing fires in the start year
    rate = proj.diagnostics.events["e"]
    assert rate.asked == pytest.approx(p)
    assert rate.observed == pytest.approx(p, abs=0.01)


def test_recurring_event_fires_every_year_with_its_probability() -> None:
    """A recurring event fires in about p of all draw-years and can fire many times."""
    case = one_indicator(
        "linear",
        0.0,
        0,
        0,
        events={
            "e": {
                "label": "E",
                "probability": "likely",
                "recurring": True,
                "effects": {"indicators": {"x": 1}},
            }
        },
    )
    proj = run(case, draws=20_000, seed=2)
    mean_p = 0.675  # the middle of ICD 203's 'likely' band, 55–80 %
    assert proj.events["e"][:, 1:].mean() == pytest.approx(mean_p, abs=0.01)
    assert proj.values("x")[:, -1].mean() == pytest.approx(10 * mean_p, abs=0.1)
    assert proj.diagnostics.events["e"].asked == pytest.approx(mean_p, abs=0.01)


def test_fixed_year_event_fires_only_in_its_year() -> None:
    """An event with `year: Y` fires at step Y only, with its probability."""
    data = small_case_data()
    proj = run(data, draws=10_000, seed=3)
    contract = proj.events["contract"]
    assert contract[:, proj.year_index(2027)].mean() == pytest.approx(0.5, abs=0.02)
    others = np.delete(contract, proj.year_index(2027), axis=1)
    assert not others.any()


def hand_case() -> dict[str, Any]:
    """Every number fixed, volatility 0: small enough to compute by hand."""
    return {
        "case": "by_hand",
        "title": "By hand",
        "actor": "Anyone",
        "start": 2025,
        "horizon": 2029,
        "sources": {"s": {"title": "S"}},
        "drivers": {
            "a": {
                "label": "A",
                "weight": 1,
                "intensity": {"start": 0.4, "trend": 0.1},
                "effects": {"trade": 0.2, "count": 2},
                "sources": ["s"],
            },
            "b": {
                "label": "B",
                "weight": 3,
                "intensity": {"start": 0.9, "trend": 0.15},
                "effects": {"trade": -0.1},
                "sources": ["s"],
            },
        },
        "indicators": {
            "trade": {
                "label": "Trade",
                "unit": "USD m",
                "scale": "log",
                "baseline": {"year": 2024, "value": 100, "sources": ["s"]},
                "drift": 0.01,
            },
            "count": {
                "label": "Count",
                "unit": "n",
                "scale": "linear",
                "baseline": {"year": 2025, "value": 1, "sources": ["s"]},
                "bounds": [None, 2.0],
            },
        },
        "events": {
            "deal": {
                "label": "Deal",
                "year": 2027,
                "effects": {"indicators": {"trade": 0.3}, "drivers": {"b": -0.5}},
            }
        },
    }


def test_fixed_path_equals_a_hand_computation() -> None:
    """With every estimate fixed and no noise, the path is the equations computed by hand."""
    w = {"a": 0.25, "b": 0.75}
    start, trend = {"a": 0.4, "b": 0.9}, {"a": 0.1, "b": 0.15}
    # 2024 -> 2025: baseline stepped with start intensities, no trend, no events
    log_trade = math.log(100) + 0.01 + w["a"] * 0.4 * 0.2 + w["b"] * 0.9 * -0.1
    count = 1.0  # count's baseline is in 2025: not stepped before the start
    expected_trade, expected_count = [math.exp(log_trade)], [count]
    shift_b = 0.0
    for year in range(2026, 2030):
        t = year - 2025
        if year == 2027:
            shift_b -= 0.5
        i_a = min(max(start["a"] + trend["a"] * t, 0), 1)
        i_b = min(max(start["b"] + trend["b"] * t + shift_b, 0), 1)
        jump = 0.3 if year == 2027 else 0.0
        log_trade += 0.01 + w["a"] * i_a * 0.2 + w["b"] * i_b * -0.1 + jump
        count = min(count + w["a"] * i_a * 2, 2.0)
        expected_trade.append(math.exp(log_trade))
        expected_count.append(count)
    proj = run(hand_case(), draws=7, seed=0)
    for draw in range(7):
        assert proj.values("trade")[draw] == pytest.approx(expected_trade, rel=1e-12)
        assert proj.values("count")[draw] == pytest.approx(expected_count, rel=1e-12)
    assert proj.diagnostics.bounds_touched["count"] == 1.0
    assert expected_count[-1] == 2.0  # the upper bound was reached in 2029
    assert proj.diagnostics.intensity_clipped["b"] == 1.0  # 0.9 + 0.15 exceeds 1 in 2026
    assert proj.diagnostics.intensity_clipped["a"] == 0.0
    assert proj.parameter_names == ()


def test_a_bounded_indicator_moves_on_from_its_bound() -> None:
    """Bounds clip the state itself: after a floor, the next step starts from the floor."""
    data = hand_case()
    data["indicators"]["count"]["bounds"] = [0.5, None]
    data["drivers"]["a"]["effects"]["count"] = -2
    data["drivers"]["a"]["intensity"] = 1.0
    data["drivers"]["b"]["effects"] = {"count": 0.5}
    data["drivers"]["b"]["intensity"] = {"start": 0.0, "trend": 0.25}
    proj = run(data, draws=1, seed=0)
    path = [1.0]
    for t in range(1, 5):
        i_b = min(0.25 * t, 1.0)
        path.append(max(path[-1] + 0.25 * -2 + 0.75 * i_b * 0.5, 0.5))
    assert proj.values("count")[0] == pytest.approx(path)


def test_draws_with_all_weights_zero_have_no_pressure() -> None:
    """A draw whose weights are all 0 gets no pressure (and no division by zero)."""
    data = hand_case()
    data["drivers"]["a"]["weight"] = "0 to 0.1"  # normal: about 5 % of draws clipped to 0
    data["drivers"]["b"]["weight"] = 0
    proj = run(data, draws=20_000, seed=9)
    weightless = proj.parameters["drivers.a.weight"] == 0
    assert proj.diagnostics.weightless == pytest.approx(weightless.mean())
    assert proj.diagnostics.clipped["drivers.a.weight"] == pytest.approx(0.05, abs=0.01)
    assert np.isfinite(proj.data).all()
    assert np.all(proj.values("count")[weightless] == 1.0)
    assert np.all(proj.values("count")[~weightless][:, -1] > 1.0)


def test_same_seed_gives_identical_arrays(small_scenario: Scenario) -> None:
    """Two runs with the same seed give the same numbers; another seed does not."""
    a = rm.project(small_scenario, draws=3000, seed=42)
    b = rm.project(small_scenario, draws=3000, seed=42)
    c = rm.project(small_scenario, draws=3000, seed=43)
    assert np.array_equal(a.data, b.data)
    assert np.array_equal(a.fired, b.fired)
    assert np.array_equal(a.parameter_values, b.parameter_values)
    assert not np.array_equal(a.data, c.data)


def test_a_run_without_seed_records_one_that_repeats_it(small_scenario: Scenario) -> None:
    """Fresh entropy is recorded in the projection, and reusing it repeats the run."""
    first = rm.project(small_scenario, draws=500)
    again = rm.project(small_scenario, draws=500, seed=first.seed)
    assert first.seed > 2**32  # fresh entropy, not a small default
    assert np.array_equal(first.data, again.data)


def test_arguments_override_scenario_defaults(small_case: Case) -> None:
    """Draws and seed given to project() win over the scenario's own."""
    scenario = Scenario.from_case(small_case, draws=1500, seed=7)
    assert rm.project(scenario).draws == 1500
    assert rm.project(scenario).seed == 7
    assert rm.project(scenario, draws=200, seed=8).draws == 200
    assert rm.project(scenario, seed=8).seed == 8
    assert rm.project(Scenario.from_case(small_case)).draws == engine.DEFAULT_DRAWS


@pytest.mark.parametrize("sampling", ["random", "lhs"])
def test_chunk_size_never_changes_the_numbers(small_scenario: Scenario, sampling: str) -> None:
    """Chunks of any size (whole blocks or not) give bit-identical results."""
    draws = 3 * engine.BLOCK + 17
    ref = rm.project(small_scenario, draws=draws, seed=1, sampling=sampling)  # type: ignore[arg-type]
    for chunk in (1, 1000, engine.BLOCK, 2 * engine.BLOCK + 5, 10**6):
        other = rm.project(
            small_scenario,
            draws=draws,
            seed=1,
            sampling=sampling,  # type: ignore[arg-type]
            chunk_size=chunk,
        )
        assert np.array_equal(ref.data, other.data), chunk
        assert np.array_equal(ref.fired, other.fired), chunk


def test_executors_give_the_serial_result(small_scenario: Scenario) -> None:
    """Chunks run on threads or processes are gathered in order: identical numbers."""
    draws = 4 * engine.BLOCK + 3
    ref = rm.project(small_scenario, draws=draws, seed=5, chunk_size=engine.BLOCK)
    with ThreadPoolExecutor(2) as pool:
        threaded = rm.project(
            small_scenario, draws=draws, seed=5, chunk_size=engine.BLOCK, executor=pool
        )
    with ProcessPoolExecutor(2) as pool:
        processes = rm.project(
            small_scenario, draws=draws, seed=5, chunk_size=engine.BLOCK, executor=pool
        )
    assert np.array_equal(ref.data, threaded.data)
    assert np.array_equal(ref.data, processes.data)
    assert ref.diagnostics == processes.diagnostics


@pytest.mark.parametrize("workers", [1, 2, 3, None])
def test_threads_give_the_numbers_of_one_thread(
    shipped: rm.CaseFolder, workers: int | None
) -> None:
    """Chunks side by side on threads (by default one per core) write their own draws:
    values, firings, sampled assumptions and diagnostics equal a one-thread run bit for
    bit, with every feature of the language in use (the shipped case) and a short last
    chunk.
    """
    scenario = shipped["deepening"]
    draws = 8 * engine.BLOCK + 17  # 9 chunks: threads by default too
    one = rm.project(scenario, draws=draws, seed=3, chunk_size=engine.BLOCK, workers=1)
    many = rm.project(scenario, draws=draws, seed=3, chunk_size=engine.BLOCK, workers=workers)
    assert np.array_equal(one.data, many.data)
    assert np.array_equal(one.fired, many.fired)
    assert np.array_equal(one.parameter_values, many.parameter_values)
    assert one.diagnostics == many.diagnostics


@pytest.mark.parametrize("draws", [23_000, 8 * engine.BLOCK + 17])
def test_diagnostics_do_not_depend_on_how_draws_are_cut(shipped: rm.CaseFolder, draws: int) -> None:
    """The diagnostics (the events' asked rates are sums of floats) are the same bit for
    bit with the default chunks on one thread or on threads, with other chunk sizes and
    on an executor: sums are added block by block, in order.
    """
    scenario = shipped["deepening"]
    one = rm.project(scenario, draws=draws, seed=4, workers=1)
    others = [
        rm.project(scenario, draws=draws, seed=4, workers=2),
        rm.project(scenario, draws=draws, seed=4, workers=1, chunk_size=engine.BLOCK),
        rm.project(scenario, draws=draws, seed=4, workers=3, chunk_size=3 * engine.BLOCK),
    ]
    with ThreadPoolExecutor(2) as pool:
        others.append(rm.project(scenario, draws=draws, seed=4, executor=pool))
    for other in others:
        assert one.diagnostics == other.diagnostics
        assert np.array_equal(one.data, other.data)


def test_reused_working_arrays_give_the_numbers_of_fresh_ones(shipped: rm.CaseFolder) -> None:
    """A chunk run on a thread's reused working arrays, left full of another chunk's
    numbers (and of nan), gives bit for bit what it gives on new ones, with every feature
    of the language in use.
    """
    plan = compile_plan(shipped["deepening"], "random")
    fresh = simulate(plan, 777, 2, [engine.BLOCK, 300])
    scratch = Scratch()
    simulate(plan, 99, 0, [engine.BLOCK, 300], scratch=scratch)  # another chunk's numbers
    reused = simulate(plan, 777, 2, [engine.BLOCK, 300], scratch=scratch)
    for held in scratch._arrays.values():
        held.fill(np.nan)
    after_nan = simulate(plan, 777, 2, [engine.BLOCK, 300], scratch=scratch)
    for got in (reused, after_nan):
        assert np.array_equal(fresh.values, got.values)
        assert np.array_equal(fresh.fired, got.fired)
        assert np.array_equal(fresh.parameters, got.parameters)
        assert np.array_equal(fresh.touched, got.touched)


def test_progress_on_threads_comes_in_order_in_the_calling_thread(
    small_scenario: Scenario,
) -> None:
    """With chunks on threads, progress still rises chunk by chunk, from the caller."""
    seen: list[tuple[int, int, int]] = []
    rm.project(
        small_scenario,
        draws=4 * engine.BLOCK,
        seed=1,
        chunk_size=engine.BLOCK,
        workers=2,
        progress=lambda done, total: seen.append((done, total, threading.get_ident())),
    )
    assert [(d, t) for d, t, _ in seen] == [
        (engine.BLOCK * i, 4 * engine.BLOCK) for i in (1, 2, 3, 4)
    ]
    assert {ident for *_, ident in seen} == {threading.get_ident()}


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_a_bad_number_of_threads_is_an_input_error(small_scenario: Scenario, workers: Any) -> None:
    """``workers`` is a whole number of at least 1; the error names it."""
    with pytest.raises(rm.InputError, match="workers"):
        rm.project(small_scenario, draws=10, seed=1, workers=workers)


def test_threads_and_an_executor_together_are_refused(small_scenario: Scenario) -> None:
    """Threads are for a run in this process; with an executor they would be ignored."""
    with ThreadPoolExecutor(1) as pool, pytest.raises(rm.InputError, match="workers"):
        rm.project(small_scenario, draws=10, seed=1, executor=pool, workers=2)


@given(
    blocks=st.integers(1, 60),
    most=st.integers(1, 9),
    threads=st.integers(1, 4),
)
def test_chunks_cover_every_block_once_in_order_and_evenly(
    blocks: int, most: int, threads: int
) -> None:
    """Chunks take every block once, in order, none over ``most``; on several threads
    their count is a multiple of the threads and their sizes differ by at most one block.
    """
    sizes = [engine.BLOCK] * (blocks - 1) + [17]
    chunks = _chunks(sizes, most, threads)
    assert [s for _, part in chunks for s in part] == sizes
    assert [first for first, _ in chunks] == list(
        itertools.accumulate([len(p) for _, p in chunks[:-1]], initial=0)
    )
    lengths = [len(p) for _, p in chunks]
    assert max(lengths) <= most
    if threads > 1 and blocks >= threads * -(-blocks // most):
        assert len(chunks) % threads == 0
        assert max(lengths) - min(lengths) <= 1


def test_progress_is_reported_per_chunk(small_scenario: Scenario) -> None:
    """The progress callback sees every chunk and ends at the total."""
    seen: list[tuple[int, int]] = []
    rm.project(
        small_scenario,
        draws=3 * engine.BLOCK,
        seed=1,
        chunk_size=engine.BLOCK,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(engine.BLOCK * i, 3 * engine.BLOCK) for i in (1, 2, 3)]


def test_latin_hypercube_fills_every_stratum(small_scenario: Scenario) -> None:
    """With LHS, each block puts exactly one draw in each of its equal-probability strata."""
    proj = rm.project(small_scenario, draws=engine.BLOCK, seed=4, sampling="lhs")
    drift = proj.parameters["indicators.trade.drift"]
    estimate = small_scenario.case.indicators["trade"].drift
    strata = np.floor(estimate.cdf(drift) * engine.BLOCK).astype(int)
    assert sorted(strata.tolist()) == list(range(engine.BLOCK))


def test_correlations_are_induced_and_marginals_kept(small_case: Case) -> None:
    """A requested rank correlation is achieved, and each marginal keeps exactly its draws.

    Both runs correlate the pair (with rho 0 and 0.6), so both draw it through the same
    uniforms, which Iman–Conover only reorders.
    """
    names = ("drivers.trade_push.weight", "indicators.trade.drift")
    plain = Scenario.from_case(small_case, correlations=[{"between": names, "rho": 0.0}])
    tied = Scenario.from_case(small_case, correlations=[{"between": names, "rho": 0.6}])
    a = rm.project(plain, draws=20_000, seed=3)
    b = rm.project(tied, draws=20_000, seed=3)
    assert stats.spearmanr(a.parameters[names[0]], a.parameters[names[1]])[0] == pytest.approx(
        0, abs=0.03
    )
    achieved = b.diagnostics.correlations[0][3]
    assert achieved == pytest.approx(0.6, abs=0.03)
    assert stats.spearmanr(b.parameters[names[0]], b.parameters[names[1]])[0] == pytest.approx(
        achieved
    )
    for name in names:
        assert np.array_equal(np.sort(a.parameters[name]), np.sort(b.parameters[name]))


@pytest.mark.parametrize("sampling", ["random", "lhs"])
def test_correlated_runs_do_not_depend_on_chunk_size(small_case: Case, sampling: str) -> None:
    """Rank correlations are induced block by block: any chunk size (whole blocks, a
    partial last block, one chunk) gives the same numbers, bit for bit.
    """
    names = ("drivers.trade_push.weight", "indicators.trade.drift")
    tied = Scenario.from_case(small_case, correlations=[{"between": names, "rho": 0.6}])
    draws = 3 * engine.BLOCK + 17
    ref = rm.project(tied, draws=draws, seed=2, sampling=sampling, chunk_size=engine.BLOCK)  # type: ignore[arg-type]
    for chunk in (1000, 2 * engine.BLOCK + 5, 10**6):
        other = rm.project(tied, draws=draws, seed=2, sampling=sampling, chunk_size=chunk)  # type: ignore[arg-type]
        assert np.array_equal(ref.parameter_values, other.parameter_values), chunk
        assert np.array_equal(ref.data, other.data), chunk
    assert ref.diagnostics.correlations[0][3] == pytest.approx(0.6, abs=0.05)


def test_refuses_a_run_that_would_not_fit(
    small_scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too many draws for the memory available is refused before allocating, with advice."""
    monkeypatch.setattr(engine.run, "_available_memory", lambda: 50 * 2**20)
    with pytest.raises(rm.ProjectionTooLargeError, match=r"lower draws \(at most about [\d,]+"):
        rm.project(small_scenario, draws=10_000_000, seed=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "draws: expected a whole number >= 1"),
        ({"draws": 2.5}, "draws: expected a whole number >= 1"),
        ({"sampling": "sobol"}, "'sobol' is not a sampling method"),
        ({"chunk_size": -1}, "chunk_size: expected a whole number >= 1"),
    ],
)
def test_bad_arguments_are_input_errors(
    small_scenario: Scenario, kwargs: dict[str, Any], message: str
) -> None:
    """Bad arguments to project() raise InputError naming the argument."""
    with pytest.raises(rm.InputError, match=message):
        rm.project(small_scenario, seed=1, **kwargs)


def test_not_a_scenario_is_refused(small_case: Case) -> None:
    """Passing a Case instead of a Scenario says what was expected."""
    with pytest.raises(rm.InputError, match="expected a Scenario, got Case"):
        rm.project(small_case)  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------


@given(cases(), st.integers(0, 2**63 - 1))
def test_values_stay_inside_bounds(data: dict[str, Any], seed: int) -> None:
    """Every draw of every indicator lies inside its bounds and its scale's range."""
    case = Case.model_validate(data)
    proj = run(case, draws=400, seed=seed)
    for k, ind in case.indicators.items():
        v = proj.values(k)
        low, high = ind.bounds
        assert np.all(~np.isnan(v))
        if low is not None:
            assert v.min() >= low
        if high is not None:
            assert v.max() <= high
        if ind.scale == "log":
            assert v.min() >= 0
        if ind.scale == "logit":
            assert v.min() >= 0
            assert v.max() <= 1


@given(cases(), st.lists(st.floats(0, 1), min_size=2, max_size=6))
def test_quantiles_are_non_decreasing_in_q(data: dict[str, Any], qs: list[float]) -> None:
    """Quantiles at sorted shares are sorted, in every year."""
    proj = run(data, draws=300, seed=1)
    qs = sorted(qs)
    for k in proj.indicators:
        table = proj.quantiles(k, qs)
        assert table.shape == (len(proj.years), len(qs))
        assert np.all(np.diff(table, axis=1) >= -1e-9 * np.maximum(1, np.abs(table[:, 1:])))


@given(cases(), st.integers(1, 2500), st.integers(1, 3000), st.sampled_from(["random", "lhs"]))
def test_results_do_not_depend_on_chunk_size(
    data: dict[str, Any], draws: int, chunk: int, sampling: str
) -> None:
    """For any case, draws and chunk size, chunking never changes a number."""
    scenario = Scenario.from_case(Case.model_validate(data))
    a = rm.project(scenario, draws=draws, seed=3, sampling=sampling)  # type: ignore[arg-type]
    b = rm.project(scenario, draws=draws, seed=3, sampling=sampling, chunk_size=chunk)  # type: ignore[arg-type]
    assert np.array_equal(a.data, b.data)
    assert np.array_equal(a.parameter_values, b.parameter_values)


@given(cases(), st.floats(0, 0.5), st.floats(0.01, 0.5), st.integers(0, 2**32))
def test_raising_a_positive_effect_never_lowers_an_indicator(
    data: dict[str, Any], size: float, more: float, seed: int
) -> None:
    """A larger effect of a driver on an indicator never lowers it, in any draw."""
    target = next(iter(data["indicators"]))
    data["drivers"]["d0"]["effects"][target] = size
    low = run(data, draws=300, seed=seed)
    data["drivers"]["d0"]["effects"][target] = size + more
    high = run(data, draws=300, seed=seed)
    a, b = low.values(target), high.values(target)
    assert np.all(b >= a - 1e-9 * np.maximum(1, np.abs(a)))
    assert np.all(np.median(b, axis=0) >= np.median(a, axis=0) - 1e-9)


def test_overflowing_projection_is_an_input_error_naming_its_causes() -> None:
    """Values beyond any float stop the run: the indicator, the year, what pushed it."""
    data = small_case_data()
    data["drivers"]["trade_push"]["effects"]["trade"] = 1e300
    scenario = rm.Scenario.from_case(rm.Case.model_validate(data))
    with pytest.raises(rm.InputError) as info:
        rm.project(scenario, draws=20, seed=1)
    problem = info.value.problems[0]
    assert problem.field == "indicators.trade"
    assert "grows beyond any number in 2025 (it overflows)" in problem.message
    assert "the assumptions pushing it: drivers.trade_push.effects.trade," in problem.message


def test_one_draw_with_correlations_achieves_none() -> None:
    """One draw cannot carry a correlation: it is reported as 0, not NaN."""
    case = rm.Case.model_validate(small_case_data())
    scenario = rm.Scenario.from_case(case).model_copy(
        update={
            "correlations": [
                rm.model.CorrelationEntry(
                    between=("drivers.trade_push.weight", "indicators.trade.drift"), rho=0.5
                )
            ]
        }
    )
    proj = rm.project(scenario, draws=1, seed=1)
    assert [c[3] for c in proj.diagnostics.correlations] == [0.0]


@pytest.mark.parametrize("sampling", ["random", "lhs"])
def test_interval_assumptions_follow_their_90_percent_ranges(
    small_case: Case, sampling: str
) -> None:
    """Normal and lognormal assumptions, drawn as normals or through uniforms, keep their law."""
    proj = rm.project(Scenario.from_case(small_case), draws=40_000, seed=2, sampling=sampling)  # type: ignore[arg-type]
    for name in ("drivers.trade_push.weight", "indicators.trade.drift"):
        est = next(p.estimate for p in small_case.parameters() if p.name == name)
        low, high = est.stated_range()
        values = proj.parameters[name]
        assert stats.kstest(values, est.cdf).pvalue > 1e-3
        np.testing.assert_allclose(np.quantile(values, [0.05, 0.95]), [low, high], rtol=0.03)


@settings(max_examples=30, deadline=None)
@given(
    keys=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=12),
    seed=st.integers(0, 100),
)
def test_pairs_added_in_layers_equal_the_dense_sum(keys: list[tuple[int, int]], seed: int) -> None:
    """Pairs whose second keys repeat are summed as the pairs were given, bit for bit."""
    rng = np.random.default_rng(seed)
    first = np.array([a for a, _ in keys], dtype=np.intp)
    second = np.array([b for _, b in keys], dtype=np.intp)
    values, weights = rng.normal(size=(len(keys), 7)), rng.normal(size=(4, 7))
    expected = np.zeros((5, 7))
    for i, (a, b) in enumerate(keys):
        expected[b] += weights[a] * values[i]
    pairs = Pairs(values, first, second, 5)
    got = np.zeros((5, 7))
    pairs.add_to(got, weights)
    assert np.array_equal(got, expected)
    assert np.array_equal(values[pairs.order], pairs.values)  # order maps back to the input
    fired = weights > 0.0  # a boolean weight, as the events' firings are
    boolean = np.zeros((5, 7))
    pairs.add_to(boolean, fired)
    by_hand = np.zeros((5, 7))
    for i, (a, b) in enumerate(keys):
        by_hand[b] += fired[a] * values[i]
    assert np.array_equal(boolean, by_hand)
    rows = np.zeros((5, 7))
    pairs.add_rows(rows, weights[pairs.first] * pairs.values)
    assert np.array_equal(rows, expected)


def test_batched_inverse_cdfs_equal_one_call_per_assumption() -> None:
    """The families drawn in batches (normal, lognormal, uniform, probability words) give,
    bit for bit, what each assumption's own inverse CDF gives from the same uniforms.
    """
    scenario = rm.load_case(Path(__file__).parent.parent / "scenarios" / "russia_taliban")[
        "deepening"
    ]
    plan = compile_plan(scenario, "random")
    kinds = {type(plan.parameters[plan.uncertain[j]].estimate).__name__ for j in plan.alone}
    batched = {
        type(plan.parameters[plan.uncertain[j]].estimate).__name__
        for b in plan.batches
        for j in b.rows
    }
    assert {"WordEstimate", "UniformEstimate", "NormalEstimate"} <= batched
    # The same plan with every assumption drawn alone; normals drawn directly stay so.
    direct = np.flatnonzero(plan.direct)
    kept = tuple(b for b in plan.batches if b.direct)
    alone = np.setdiff1d(np.arange(plan.uncertain.size), direct)
    one_by_one = dataclasses.replace(plan, batches=kept, alone=alone)
    assert kinds <= {
        type(plan.parameters[plan.uncertain[j]].estimate).__name__ for j in one_by_one.alone
    }
    a = simulate(plan, 12345, 0, [1024, 1024])
    b = simulate(one_by_one, 12345, 0, [1024, 1024])
    np.testing.assert_array_equal(a.parameters, b.parameters)
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.clipped, b.clipped)


def test_scattering_values_by_a_sort_order_equals_gathering_them_at_the_ranks() -> None:
    """The flat scatter Iman–Conover uses puts ``values[j]`` where ``by`` says the j-th
    smallest sits: the same as gathering ``values`` at each draw's rank.
    """
    rng = np.random.default_rng(5)
    u = rng.random((3, 4, 50))
    by = u.argsort(axis=-1)
    ranks = by.argsort(axis=-1)
    values = np.sort(rng.standard_normal((3, 4, 50)), axis=-1)
    np.testing.assert_array_equal(_scatter(by, values), np.take_along_axis(values, ranks, -1))
    scores = np.linspace(-1, 1, 50)
    np.testing.assert_array_equal(_scatter(by, scores), scores[ranks])
