"""Sweeps over assumptions: points, reproducibility, executors, failures, memory, arguments."""

from __future__ import annotations

import tracemalloc
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.exploration import Exploration, ExploreWarning, explore
from recogmodel.exploration import sweep as sweep_module
from recogmodel.model.estimates import FixedEstimate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

OVER: dict[str, Any] = {
    "indicators.trade.drift": (0.0, 0.1),
    "drivers.trade_push.weight": "0.1 to 0.5",
    "drivers.trade_push.effects.trade": "0:0.4",
}
SWEEP: dict[str, Any] = {"samples": 12, "draws": 300, "seed": 5}


@pytest.fixture
def sweep(small_scenario: rm.Scenario) -> Exploration:
    """A small sweep of the small case, run serially."""
    return explore(small_scenario, OVER, **SWEEP)


def same(a: Exploration, b: Exploration) -> bool:
    """Whether two explorations hold exactly the same points and numbers."""
    return (
        np.array_equal(a.points, b.points)
        and a.seeds == b.seeds
        and np.array_equal(a.quantiles, b.quantiles, equal_nan=True)
        and np.array_equal(a.means, b.means, equal_nan=True)
        and np.array_equal(a.ok, b.ok)
    )


# -- points --------------------------------------------------------------------------------


def test_latin_hypercube_puts_one_point_in_each_slice_of_every_range(
    small_scenario: rm.Scenario,
) -> None:
    """Each of the `samples` equal slices of every swept range holds exactly one point."""
    e = explore(small_scenario, OVER, samples=37, draws=8, seed=1)
    assert e.points.shape == (37, 3)
    for j, (low, high) in enumerate(e.ranges):
        slot = np.floor((e.points[:, j] - low) / (high - low) * 37).astype(int)
        assert sorted(slot.tolist()) == list(range(37))
    assert e.ranges == ((0.0, 0.1), (0.1, 0.5), (0.0, 0.4))


def test_same_seed_gives_the_same_sweep_and_no_seed_records_one(
    small_scenario: rm.Scenario, sweep: Exploration
) -> None:
    """A sweep is repeated exactly by its seed, also when the seed was fresh entropy."""
    assert same(explore(small_scenario, OVER, **SWEEP), sweep)
    fresh = explore(small_scenario, OVER, samples=4, draws=50)
    again = explore(small_scenario, OVER, samples=4, draws=50, seed=fresh.seed)
    assert fresh.seed > 2**64
    assert same(fresh, again)
    other = explore(small_scenario, OVER, samples=4, draws=50, seed=fresh.seed + 1)
    assert not np.array_equal(other.points, fresh.points)


def test_each_point_equals_projecting_that_point_alone(sweep: Exploration) -> None:
    """A point's kept quantiles and means are those of projecting its scenario with its seed."""
    assert sweep.complete
    for i in (0, 7, 11):
        proj = rm.project(sweep.scenario_at(i), draws=sweep.draws, seed=sweep.seeds[i])
        for k, name in enumerate(sweep.indicators):
            assert np.array_equal(sweep.quantiles[i, k], proj.quantiles(name, sweep.qs))
            assert np.array_equal(sweep.means[i, k], proj.values(name).mean(axis=0))
        assert np.array_equal(sweep.project_point(i).data, proj.data)


def test_point_scenario_fixes_each_swept_assumption_and_keeps_the_rest(
    shipped: rm.CaseFolder,
) -> None:
    """Swept slots become fixed numbers (effects keep their sources); correlations on them go."""
    deep = shipped["deepening"]
    over: dict[str, Any] = {
        "drivers.market_access.weight": (0.3, 0.5),
        "drivers.market_access.intensity.start": (0.4, 0.6),
        "drivers.market_access.effects.bilateral_trade": (0.1, 0.3),
        "events.salang_contract.probability": "10% to 40%",
        "events.western_sanctions.effects.indicators.bilateral_trade": (-0.3, -0.1),
    }
    e = explore(deep, over, samples=3, draws=16, seed=2)
    point = e.scenario_at(1)
    params = {p.name: p.estimate for p in point.case.parameters()}
    for name, value in e.point(1).items():
        assert params[name] == FixedEstimate(value=value)
    driver = point.case.drivers["market_access"]
    assert driver.intensity.trend == deep.case.drivers["market_access"].intensity.trend
    effect = driver.effects["bilateral_trade"]
    assert effect.sources == deep.case.drivers["market_access"].effects["bilateral_trade"].sources
    assert any("drivers.market_access.weight" in c.between for c in deep.correlations)
    kept = [c.between for c in deep.correlations if not set(c.between) & set(over)]
    assert [c.between for c in point.correlations] == kept
    assert e.complete


def test_stated_range_years_and_quantiles_can_be_chosen(small_scenario: rm.Scenario) -> None:
    """`None` sweeps the stated 90 % interval; only the chosen years and levels are kept."""
    e = explore(
        small_scenario,
        {"indicators.trade.drift": None},
        samples=4,
        draws=64,
        seed=3,
        years=[2027, 2030],
        quantiles=[0.25, 0.75],
    )
    assert e.ranges == ((-0.02, 0.04),)
    assert e.years == (2027, 2030)
    assert e.quantiles.shape == (4, 3, 2, 2)
    proj = e.project_point(2)
    expected = proj.quantiles("trade", [0.25, 0.75])[[2, 5]]
    assert np.array_equal(e.quantiles[2, 0], expected)


# -- executors -----------------------------------------------------------------------------


def test_process_pool_gives_the_serial_result(
    small_scenario: rm.Scenario, sweep: Exploration
) -> None:
    """Points run on a process pool, in tasks of any size, equal the serial sweep exactly."""
    with ProcessPoolExecutor(2) as pool:
        assert same(explore(small_scenario, OVER, **SWEEP, executor=pool), sweep)
        assert same(explore(small_scenario, OVER, **SWEEP, executor=pool, batch_size=5), sweep)


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[Executor]:
    """A two-process Dask LocalCluster's executor (skipped when Dask is not installed)."""
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client.get_executor()


def test_dask_cluster_gives_the_serial_projection(
    shipped: rm.CaseFolder, dask_executor: Executor
) -> None:
    """project() on a Dask cluster's executor is bit-identical to a serial run."""
    scenario = shipped["deepening"]
    serial = rm.project(scenario, draws=3000, seed=9)
    spread = rm.project(scenario, draws=3000, seed=9, chunk_size=1024, executor=dask_executor)
    assert np.array_equal(spread.data, serial.data)
    assert np.array_equal(spread.fired, serial.fired)
    assert np.array_equal(spread.parameter_values, serial.parameter_values)


def test_dask_cluster_gives_the_serial_sweep(
    small_scenario: rm.Scenario, sweep: Exploration, dask_executor: Executor
) -> None:
    """explore() on a Dask cluster's executor equals the serial sweep exactly."""
    assert same(explore(small_scenario, OVER, **SWEEP, executor=dask_executor), sweep)


# -- failures and resuming -----------------------------------------------------------------


def fail_above(monkeypatch: pytest.MonkeyPatch, threshold: float) -> None:
    """Make projecting any point whose trade drift exceeds `threshold` raise."""
    real = rm.project

    def flaky(scenario: rm.Scenario, **kwargs: Any) -> rm.Projection:
        drift = scenario.case.indicators["trade"].drift
        if isinstance(drift, FixedEstimate) and drift.value > threshold:
            raise RuntimeError(f"boom at drift {drift.value:.4f}")
        return real(scenario, **kwargs)

    monkeypatch.setattr(sweep_module, "project", flaky)


@pytest.mark.parametrize("pool", [None, 2], ids=["serial", "threads"])
def test_failing_point_is_reported_with_its_values_and_the_rest_kept(
    small_scenario: rm.Scenario,
    sweep: Exploration,
    monkeypatch: pytest.MonkeyPatch,
    pool: int | None,
) -> None:
    """A failing point is recorded (index, values, error) and warned of; others are kept."""
    fail_above(monkeypatch, 0.08)
    bad = sweep.points[:, 0] > 0.08
    assert 0 < bad.sum() < sweep.samples
    executor = None if pool is None else ThreadPoolExecutor(pool)
    try:
        with pytest.warns(ExploreWarning, match=rf"{bad.sum()} of 12 points failed"):
            partial = explore(small_scenario, OVER, **SWEEP, executor=executor)
    finally:
        if executor is not None:
            executor.shutdown()
    assert [f.index for f in partial.failures] == np.flatnonzero(bad).tolist()
    for f in partial.failures:
        assert f.values == sweep.point(f.index)
        assert f.error.startswith("RuntimeError: boom at drift")
        assert "Traceback" in f.detail
        assert f"point {f.index} (indicators.trade.drift=" in str(f)
    assert np.array_equal(partial.ok, ~bad)
    assert np.array_equal(partial.quantiles[~bad], sweep.quantiles[~bad])
    assert np.isnan(partial.quantiles[bad]).all()
    assert len(partial.table(2030)) == int((~bad).sum())
    monkeypatch.undo()
    assert same(partial.resume(), sweep)


class LosingExecutor(Executor):
    """Runs tasks in this thread, but loses the second task submitted."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn`` now, except the second time: that task is lost."""
        self.submitted += 1
        future: Future[Any] = Future()
        if self.submitted == 2:
            future.set_exception(ConnectionError("worker lost"))
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_lost_task_fails_its_points_only(small_scenario: rm.Scenario, sweep: Exploration) -> None:
    """A task that raises on the executor fails exactly its points, named in the failures."""
    with pytest.warns(ExploreWarning, match="task failed: ConnectionError: worker lost"):
        partial = explore(small_scenario, OVER, **SWEEP, executor=LosingExecutor(), batch_size=3)
    assert [f.index for f in partial.failures] == [3, 4, 5]
    assert partial.ok.sum() == 9
    assert same(partial.resume(), sweep)


def test_interrupted_sweep_is_checkpointed_and_resumes(
    small_scenario: rm.Scenario, sweep: Exploration, tmp_path: Path
) -> None:
    """Interrupting a sweep leaves its results so far in the checkpoint; resuming finishes it."""
    path = tmp_path / "sweep.npz"
    seen: list[tuple[int, int]] = []

    def interrupt(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        explore(small_scenario, OVER, **SWEEP, progress=interrupt, checkpoint=path)
    assert seen == [(i, 12) for i in range(1, 6)]
    partial = Exploration.load(path)
    assert partial.ok.sum() == 5
    assert partial.pending.sum() == 7
    assert not partial.failures
    assert np.array_equal(partial.quantiles[:5], sweep.quantiles[:5])
    resumed = partial.resume(checkpoint=path)
    assert same(resumed, sweep)
    assert same(Exploration.load(path), sweep)
    assert Exploration.load(path).scenario == small_scenario


def test_resuming_another_sweep_is_an_input_error(
    small_scenario: rm.Scenario, sweep: Exploration, tmp_path: Path
) -> None:
    """`done=` from a different sweep is refused, naming what differs; junk is not loaded."""
    with pytest.raises(rm.InputError, match=r"differs in: draws \(300 before, 200 now\)"):
        explore(small_scenario, OVER, **{**SWEEP, "draws": 200}, done=sweep)
    junk = tmp_path / "junk.npz"
    junk.write_text("not an exploration")
    with pytest.raises(rm.InputError, match="not a saved exploration"):
        Exploration.load(junk)


# -- memory --------------------------------------------------------------------------------


def peak_bytes(scenario: rm.Scenario, samples: int, draws: int) -> int:
    """Peak traced memory of one sweep."""
    tracemalloc.start()
    try:
        explore(scenario, OVER, samples=samples, draws=draws, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_samples_grow(small_scenario: rm.Scenario) -> None:
    """Ten times the points costs only their small summaries, never their draws."""
    draws = 600
    peak_bytes(small_scenario, 2, draws)  # warm caches
    small, large = peak_bytes(small_scenario, 20, draws), peak_bytes(small_scenario, 200, draws)
    years, indicators = len(small_scenario.case.years), len(small_scenario.case.indicators)
    summaries = 180 * indicators * years * (3 + 1) * 8
    all_draws = 180 * draws * years * indicators * 8
    assert large - small < 0.1 * all_draws
    assert large < 1.5 * small + 4 * summaries


# -- arguments -----------------------------------------------------------------------------


def test_unknown_assumption_is_an_input_error_listing_the_known_ones(
    small_scenario: rm.Scenario,
) -> None:
    """An assumption the scenario does not have is refused, with a guess and the known names."""
    with pytest.raises(rm.InputError) as info:
        explore(small_scenario, {"indicators.trade.drfit": (0, 1)}, samples=2)
    message = str(info.value)
    assert "over.indicators.trade.drfit: 'indicators.trade.drfit' is not an assumption" in message
    assert "did you mean indicators.trade.drift?" in message
    assert "drivers.security.weight" in message
    assert "events.contract.probability" in message


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"drivers.trade_push.weight": (-0.1, 0.3)}, r"-0.1 to 0.3 lies outside \[0, ∞\)"),
        ({"events.contract.probability": "50% to 120%"}, r"lies outside \[0, 1\]"),
        ({"indicators.trade.drift": (0.2, 0.1)}, "low end must be below high end"),
        ({"indicators.trade.drift": "0.1"}, "is a single number; expected a range"),
        ({"indicators.trade.drift": (0, float("inf"))}, "must be finite"),
        ({"indicators.trade.volatility": None}, "is fixed at 0.1 in scenario 'baseline'"),
        ({}, "at least one dotted assumption name"),
    ],
)
def test_bad_ranges_are_input_errors(
    small_scenario: rm.Scenario, over: dict[str, Any], message: str
) -> None:
    """Ranges outside an assumption's domain, reversed, single or fixed are refused up front."""
    with pytest.raises(rm.InputError, match=message):
        explore(small_scenario, over, samples=2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples: expected a whole number >= 1"),
        ({"samples": 2, "draws": 1.5}, "draws: expected a whole number >= 1"),
        ({"samples": 2, "years": [2024]}, "years: 2024 is not a projected year"),
        ({"samples": 2, "quantiles": [0.5, 1.5]}, "quantiles: expected shares"),
        ({"samples": 2, "sampling": "sobol"}, "'sobol' is not a sampling method"),
        ({"samples": 2, "executor": object()}, "expected a concurrent.futures.Executor"),
    ],
)
def test_bad_arguments_are_input_errors(
    small_scenario: rm.Scenario, kwargs: dict[str, Any], message: str
) -> None:
    """Invalid sweep arguments fail before any point runs."""
    with pytest.raises(rm.InputError, match=message):
        explore(small_scenario, OVER, **kwargs)


def test_a_case_folder_is_refused_with_a_hint(shipped: rm.CaseFolder) -> None:
    """Passing a case folder instead of a scenario says how to pick one."""
    with pytest.raises(rm.InputError, match=r"explore\(case\['baseline'\]"):
        explore(shipped, OVER, samples=2)  # type: ignore[arg-type]


def test_common_random_numbers_leave_untouched_indicators_unmoved(
    small_scenario: rm.Scenario, tmp_path: Path
) -> None:
    """One seed for every point: what the sweep cannot touch is the same at every point."""
    result = explore(small_scenario, {"indicators.trade.drift": (0.0, 0.1)}, samples=6, draws=300)
    assert len(set(result.seeds)) == 1
    share = result.values("share", 2030)
    assert np.all(share == share[0])
    rows = {r["indicator"]: r for r in result.spread_rows(2030)}
    assert not rows["share"]["moves"]
    assert rows["trade"]["moves"]
    assert rows["trade"]["high"] - rows["trade"]["low"] > 2 * rows["trade"]["noise"] > 0
    assert result.errors is not None
    assert result.errors.shape == result.quantiles.shape
    loaded = Exploration.load(result.save(tmp_path / "sweep.npz"))
    assert loaded.errors is not None
    assert np.array_equal(loaded.errors, result.errors)
    assert loaded.noise_band("trade", 2030) == result.noise_band("trade", 2030)
