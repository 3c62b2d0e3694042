"""The result of a sweep: filtering, regions, tidy rows, tables, saving and loading."""

from __future__ import annotations

import csv
import sys
from typing import TYPE_CHECKING

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.exploration import Exploration, explore

from .test_exploration_sweep import OVER, SWEEP, same

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def sweep(small_scenario: rm.Scenario) -> Exploration:
    """A small sweep of the small case, run serially."""
    return explore(small_scenario, OVER, **SWEEP)


# -- filtering and tables ------------------------------------------------------------------


def test_where_matches_a_direct_computation(sweep: Exploration) -> None:
    """where() selects exactly the points whose kept quantile passes the thresholds."""
    k, t = sweep.indicators.index("trade"), sweep.years.index(2030)
    median, p95 = sweep.quantiles[:, k, t, 1], sweep.quantiles[:, k, t, 2]
    cut = float(np.median(median))
    assert np.array_equal(sweep.where("trade", 2030, above=cut), median > cut)
    assert np.array_equal(
        sweep.where("trade", 2030, above=300, below=cut, quantile=0.95),
        (p95 > 300) & (p95 < cut),
    )
    means = sweep.means[:, k, t]
    assert np.array_equal(sweep.where("trade", 2030, below=400, quantile="mean"), means < 400)
    with pytest.raises(rm.InputError, match=r"not a kept quantile; expected one of: 0\.05, 0\.5"):
        sweep.where("trade", 2030, above=1, quantile=0.9)
    with pytest.raises(rm.InputError, match="not an indicator"):
        sweep.where("nope", 2030, above=1)


def test_region_describes_where_the_condition_holds(small_scenario: rm.Scenario) -> None:
    """The hit rate rises along the assumption that drives the outcome, and not elsewhere."""
    e = explore(small_scenario, OVER, samples=40, draws=200, seed=8)
    mask = e.where("trade", 2030, above=float(np.median(e.values("trade", 2030))))
    region = e.region(mask, bins=4, label="trade median above its median")
    drift = region.rows[0]
    assert drift.name == "indicators.trade.drift"
    assert drift.hit_rates[0] < drift.hit_rates[-1]
    assert drift.spread == max(r.spread for r in region.rows)
    assert (drift.low, drift.high) == (e.points[mask, 0].min(), e.points[mask, 0].max())
    assert region.matched == mask.sum()
    assert region.completed == 40
    assert all(len(r.hit_rates) == 4 for r in region.rows)
    assert str(region).startswith(f"trade median above its median: {mask.sum()} of 40 points")


def test_table_csv_and_pandas_hold_one_row_per_point_and_year(
    sweep: Exploration, tmp_path: Path
) -> None:
    """The table has the assumptions and each indicator's mean and quantiles per point-year."""
    rows = sweep.table()
    assert len(rows) == 12 * len(sweep.years)
    first = rows[0]
    assert list(first)[:5] == ["point", "year", *OVER]
    assert first["trade.p50"] == sweep.quantiles[0, 0, 0, 1]
    assert first["count.mean"] == sweep.means[0, 2, 0]
    one = sweep.table(year=2028)
    assert [r["point"] for r in one] == list(range(12))
    path = sweep.to_csv(tmp_path / "out" / "sweep.csv", year=2028)
    with path.open(newline="") as handle:
        read = list(csv.DictReader(handle))
    assert float(read[3]["share.p95"]) == one[3]["share.p95"]
    assert float(read[3]["drivers.trade_push.weight"]) == sweep.points[3, 1]
    pd = pytest.importorskip("pandas")
    frame = sweep.to_pandas(year=2028)
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc[(3, 2028), "share.p95"] == one[3]["share.p95"]


def test_to_pandas_without_pandas_names_the_extra(
    sweep: Exploration, monkeypatch: pytest.MonkeyPatch
) -> None:
    """to_pandas() without pandas raises MissingExtraError naming recogmodel[pandas]."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(rm.MissingExtraError, match=r"recogmodel\[pandas\]"):
        sweep.to_pandas()


def test_to_rows_is_tidy_one_row_per_point_indicator_year_and_quantile(
    sweep: Exploration,
) -> None:
    """Tidy rows carry each point's assumption values and one kept quantile's value."""
    rows = sweep.to_rows()
    assert len(rows) == 12 * len(sweep.indicators) * len(sweep.years) * len(sweep.qs)
    assert list(rows[0]) == [
        "scenario",
        "point",
        *OVER,
        "indicator",
        "year",
        "quantile",
        "value",
    ]
    row = next(
        r
        for r in rows
        if r["point"] == 4
        and r["indicator"] == "share"
        and r["year"] == 2029
        and r["quantile"] == 0.95
    )
    k, t = sweep.indicators.index("share"), sweep.years.index(2029)
    assert row["value"] == sweep.quantiles[4, k, t, 2]
    assert row["drivers.trade_push.weight"] == sweep.points[4, 1]
    assert row["scenario"] == "baseline"


def test_to_rows_leaves_out_points_without_a_result(sweep: Exploration) -> None:
    """A point that has no result has no tidy rows."""
    ok = sweep.ok.copy()
    ok[[0, 5]] = False
    partial = Exploration(**{**vars(sweep), "ok": ok})
    points = {r["point"] for r in partial.to_rows()}
    assert points == set(range(12)) - {0, 5}


def test_saved_exploration_loads_back_the_same(sweep: Exploration, tmp_path: Path) -> None:
    """save() then load() gives the same points, seeds, summaries and settings."""
    loaded = Exploration.load(sweep.save(tmp_path / "sweep.npz"))
    assert same(loaded, sweep)
    assert (loaded.names, loaded.ranges, loaded.qs, loaded.years, loaded.sampling) == (
        sweep.names,
        sweep.ranges,
        sweep.qs,
        sweep.years,
        sweep.sampling,
    )
    assert loaded.scenario == sweep.scenario
