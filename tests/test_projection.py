"""Projection: quantiles, summaries, diagnostics and export."""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.io.export import DEFAULT_QUANTILES
from recogmodel.model import Scenario

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def proj(small_scenario: Scenario) -> rm.Projection:
    """A projection of the small case."""
    return rm.project(small_scenario, draws=2000, seed=1)


def test_shapes_and_axes(proj: rm.Projection) -> None:
    """Values is (draws, years); quantiles (years, qs); axes name years and indicators."""
    assert proj.years == tuple(range(2025, 2031))
    assert proj.indicators == ("trade", "share", "count")
    assert proj.draws == 2000
    assert proj.values("trade").shape == (2000, 6)
    assert proj.quantiles("trade", [0.1, 0.5, 0.9]).shape == (6, 3)
    assert proj.events["contract"].shape == (2000, 6)
    assert "drivers.trade_push.weight" in proj.parameters
    assert "drivers.security.weight" not in proj.parameters  # fixed, not sampled
    assert proj.indicator("trade").unit == "USD m"
    assert "draws=2000" in repr(proj)


def test_quantiles_are_those_of_the_draws(proj: rm.Projection) -> None:
    """quantiles() is numpy's quantile of the draws, per year."""
    expected = np.quantile(proj.values("share"), [0.05, 0.5], axis=0).T
    assert np.array_equal(proj.quantiles("share", [0.05, 0.5]), expected)


def test_summary_gives_median_and_ninety_percent_range(proj: rm.Projection) -> None:
    """summary(year) has one row per indicator with median and 5–95 % range; prints a table."""
    summary = proj.summary(2028)
    row = summary["trade"]
    values = proj.values("trade")[:, proj.year_index(2028)]
    assert row.median == pytest.approx(np.median(values))
    assert row.low == pytest.approx(np.quantile(values, 0.05))
    assert row.high == pytest.approx(np.quantile(values, 0.95))
    assert list(summary) == ["trade", "share", "count"]
    text = str(summary)
    assert text.splitlines()[0] == "baseline, 2028"
    assert "USD m" in text
    assert "%" in text.splitlines()[3]  # the share is shown as a percentage
    assert proj.summary().year == 2030


def test_unknown_indicator_and_year_name_what_exists(proj: rm.Projection) -> None:
    """Asking for an indicator or year that is not there lists what is."""
    with pytest.raises(rm.InputError, match="expected one of: trade, share, count"):
        proj.values("trad")
    with pytest.raises(
        rm.InputError, match=r"2040 is not a projected year; expected one of 2025\.\.2030"
    ):
        proj.summary(2040)
    with pytest.raises(rm.InputError, match="shares between 0 and 1"):
        proj.quantiles("trade", [0.5, 1.5])


def test_rows_are_tidy_quantiles(proj: rm.Projection) -> None:
    """to_rows() gives one dict per indicator, year and quantile, with the draws' quantile."""
    rows = proj.to_rows([0.1, 0.9])
    assert isinstance(rows, list)
    assert len(rows) == 3 * 6 * 2
    assert rows[0] == {
        "scenario": "baseline",
        "indicator": "trade",
        "year": 2025,
        "quantile": 0.1,
        "value": pytest.approx(np.quantile(proj.values("trade")[:, 0], 0.1)),
        "error": pytest.approx(proj.quantile_error("trade", [0.1])[0, 0]),
        "baseline_basis": "fact",
    }
    assert [r["indicator"] for r in rows[:: 6 * 2]] == ["trade", "share", "count"]


def test_csv_is_tidy(proj: rm.Projection, tmp_path: Path) -> None:
    """The CSV has one row per scenario, indicator, year and quantile."""
    path = proj.to_csv(tmp_path / "out" / "summary.csv")
    rows = list(csv.DictReader(path.read_text().splitlines()))
    assert len(rows) == 3 * 6 * len(DEFAULT_QUANTILES)
    assert set(rows[0]) == {
        "scenario",
        "indicator",
        "year",
        "quantile",
        "value",
        "error",
        "baseline_basis",
    }
    first = rows[0]
    assert first["scenario"] == "baseline"
    assert float(first["value"]) == pytest.approx(
        proj.quantiles(first["indicator"], [float(first["quantile"])])[0, 0]
    )
    assert not list(tmp_path.glob("out/.*"))  # no temporary file left behind


def test_json_records_the_run(proj: rm.Projection, tmp_path: Path) -> None:
    """The JSON records scenario, seed, draws, version, quantiles and all assumptions."""
    path = proj.to_json(tmp_path / "projection.json")
    record = json.loads(path.read_text())
    assert record["seed"] == 1
    assert record["draws"] == 2000
    assert record["recogmodel"] == rm.__version__
    assert record["scenario"]["name"] == "baseline"
    assert record["years"] == list(range(2025, 2031))
    median = record["indicators"]["trade"]["quantiles"]["0.5"]
    assert median == pytest.approx(proj.quantiles("trade", [0.5])[:, 0].tolist())
    assert rm.Case.model_validate(record["assumptions"]) == proj.scenario.case
    assert record["events"]["contract"]["fired_by_year"][-1] == pytest.approx(
        proj.events["contract"].any(axis=1).mean()
    )


def test_missing_pandas_names_the_extra(
    proj: rm.Projection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, to_pandas() raises an ImportError naming the extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(rm.MissingExtraError, match=r"recogmodel\[pandas\]"):
        proj.to_pandas()
    with pytest.raises(ImportError, match=r"recogmodel\[xarray\]"):
        proj.to_xarray()


def test_to_pandas_and_xarray_hold_the_draws(proj: rm.Projection) -> None:
    """When installed, pandas and xarray get every draw with its year."""
    pytest.importorskip("pandas")
    frame = proj.to_pandas()
    assert frame.loc[(3, 2027), "trade"] == proj.values("trade")[3, 2]
    pytest.importorskip("xarray")
    ds = proj.to_xarray()
    assert float(ds["share"].sel(draw=5, year=2030)) == proj.values("share")[5, -1]
    assert ds.attrs["scenario"] == "baseline"


def test_diagnostics_notes_say_what_was_clipped(small_case: rm.Case) -> None:
    """Notes report clipping and correlations in plain words."""
    scenario = Scenario.from_case(
        small_case,
        correlations=[
            {"between": ["drivers.trade_push.weight", "indicators.trade.drift"], "rho": 0.5}
        ],
    ).with_changes({"indicators": {"count": {"bounds": [1, 2]}}})
    proj = rm.project(scenario, draws=4000, seed=3)
    notes = proj.diagnostics.notes()
    assert any("count touched a bound" in n for n in notes)
    assert any(n.startswith("correlation drivers.trade_push.weight ~") for n in notes)
    record = proj.diagnostics.to_dict()
    assert record["correlations"][0]["asked"] == 0.5


def test_quantile_error_agrees_with_a_bootstrap_of_the_draws(small_scenario: Scenario) -> None:
    """The order-statistic error is within 30 % of a bootstrap's, level by level."""
    proj = rm.project(small_scenario, draws=4000, seed=8)
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]
    error = proj.quantile_error("trade", qs)[-1]
    values = proj.values("trade")[:, -1]
    rng = np.random.default_rng(0)
    picks = rng.integers(0, values.size, (300, values.size))
    boot = np.quantile(values[picks], qs, axis=1).std(axis=1, ddof=1)
    assert error.shape == (5,)
    assert np.allclose(error, boot, rtol=0.3)


def test_quantile_error_falls_as_one_over_root_draws(small_scenario: Scenario) -> None:
    """Sixteen times the draws give a quarter of the error (within sampling noise)."""
    few = rm.project(small_scenario, draws=1000, seed=2).quantile_error("trade", [0.5, 0.9])
    many = rm.project(small_scenario, draws=16_000, seed=2).quantile_error("trade", [0.5, 0.9])
    assert float(np.mean(many[1:] / few[1:])) == pytest.approx(0.25, rel=0.2)
    assert (proj_zero := rm.project(small_scenario, draws=500, seed=1)).quantile_error(
        "count", [0.5]
    )[0, 0] == 0.0  # the start year's count is fixed: no error
    assert proj_zero.draws == 500


def test_summary_prints_no_digit_its_error_does_not_support(proj: rm.Projection) -> None:
    """Each summary value carries its error, and the table rounds to the error's place."""
    row = proj.summary()["trade"]
    assert row.median_error > 0
    assert row.high_error > row.median_error
    assert rm.projection.supported(4349.0, 120.0) == 4300.0
    assert rm.projection.supported(0.1234, 0.004) == 0.123
    shown = row.formatted(row.median, row.median_error)
    assert shown == row.formatted(rm.projection.supported(row.median, row.median_error))


def test_a_summary_asked_a_precision_it_cannot_give_says_how_many_draws_would(
    small_scenario: Scenario,
) -> None:
    """Too few draws for the precision asked: a warning naming the draws that would do."""
    few = rm.project(small_scenario, draws=200, seed=1)
    with pytest.warns(rm.errors.TooFewDrawsWarning, match=r"about [\d,]+ draws would do"):
        few.summary(precision=0.005)
    trade = rm.projection.Summary("baseline", 2030, [few.summary()["trade"]])
    needed = trade.draws_needed(0.01, few.draws)
    assert needed > few.draws
    row = rm.project(small_scenario, draws=needed, seed=1).summary()["trade"]
    worst = max(row.low_error, row.median_error, row.high_error) / (row.high - row.low)
    assert worst == pytest.approx(0.01, rel=0.4)
