"""Projection figures: fan charts, comparisons, driver weights and dashboards (structure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

import recogmodel as rm
from recogmodel import plot

from .plot_helpers import bands_of, by_gid, legend_texts, new_axes, xs, ys

# Fixtures: pytest finds them by their names in this module.
from .plot_helpers import nothing_left_on_pyplot as nothing_left_on_pyplot
from .plot_helpers import proj as proj

if TYPE_CHECKING:
    from recogmodel.model import Scenario


@pytest.fixture
def five(small_scenario: Scenario) -> list[rm.Projection]:
    """Five scenarios of the small case that differ in trade drift and trade weight."""
    out = []
    for i in range(5):
        s = small_scenario.with_changes(
            {
                "indicators": {"trade": {"drift": f"{-0.02 + 0.03 * i} to {0.02 + 0.03 * i}"}},
                "drivers": {"trade_push": {"weight": f"{0.1 + 0.1 * i} to {0.2 + 0.1 * i}"}},
            },
            name=f"s{i}",
            title=f"Scenario number {i}",
        )
        out.append(rm.project(s, draws=300, seed=i))
    return out


# -- fan_chart ----------------------------------------------------------------------


@pytest.mark.parametrize("bands", [(0.5, 0.8, 0.9), (0.9,), (0.25, 0.5, 0.75, 0.95)])
def test_fan_chart_draws_one_band_per_range(proj: rm.Projection, bands: tuple[float]) -> None:
    """Each requested range is one filled band, widest first, each named in the legend."""
    ax = new_axes()
    assert plot.fan_chart(proj, "trade", ax=ax, bands=bands) is ax
    drawn = bands_of(ax)
    assert len(drawn) == len(bands)
    assert [c.get_gid() for c in drawn] == [f"band:{b:g}" for b in sorted(bands, reverse=True)]
    texts = legend_texts(ax)
    for b in bands:
        assert f"{b * 100:g} % range" in texts


def test_fan_chart_bands_nest_and_inner_ones_stay_visible(proj: rm.Projection) -> None:
    """Bands are drawn widest first, each inner one above and in a deeper tint."""
    ax = plot.fan_chart(proj, "trade", ax=new_axes())
    drawn = bands_of(ax)
    zorders = [c.get_zorder() for c in drawn]
    assert zorders == sorted(zorders)
    lightness = [float(np.sum(np.asarray(c.get_facecolor())[0][:3])) for c in drawn]
    assert lightness == sorted(lightness, reverse=True)
    assert all(np.asarray(c.get_facecolor())[0][3] == 1.0 for c in drawn)


def test_fan_chart_median_is_the_projection_median(proj: rm.Projection) -> None:
    """The median line's data are the projection's 50th percentiles, year by year."""
    ax = plot.fan_chart(proj, "share", ax=new_axes())
    (median,) = by_gid(ax, "median")
    assert np.array_equal(xs(median), proj.years)
    assert np.array_equal(ys(median), proj.quantiles("share", [0.5])[:, 0])


def test_fan_chart_labels_carry_unit_and_scenario(proj: rm.Projection) -> None:
    """The y label names the unit; the title names the indicator and the scenario."""
    ax = plot.fan_chart(proj, "trade", ax=new_axes())
    assert "USD m" in ax.get_ylabel()
    title = ax.get_title(loc="left")
    assert "Trade" in title
    assert "Small baseline" in title


def test_fan_chart_marks_the_baseline_and_history_before_the_start(
    proj: rm.Projection,
) -> None:
    """The sourced baseline (2024) and history (2022) are marked and inside the x-axis."""
    ax = plot.fan_chart(proj, "trade", ax=new_axes())
    baseline = proj.indicator("trade").baseline
    assert baseline is not None
    (point,) = by_gid(ax, "baseline")
    assert xs(point) == [2024]
    assert ys(point)[0] == pytest.approx(float(baseline.value.ppf(0.5)))
    (bar,) = by_gid(ax, "baseline-range")
    assert ys(bar) == pytest.approx(list(baseline.value.ppf([0.05, 0.95])))
    (history,) = by_gid(ax, "history")
    assert xs(history) == [2022]
    assert ys(history) == [170]
    low, high = ax.get_xlim()
    assert low < 2022 < proj.years[-1] < high


def test_fixed_baseline_has_no_range_bar(proj: rm.Projection) -> None:
    """A baseline known exactly is a marker without a bar."""
    ax = plot.fan_chart(proj, "count", ax=new_axes())
    assert len(by_gid(ax, "baseline")) == 1
    assert by_gid(ax, "baseline-range") == []


def test_fan_chart_draws_the_scenarios_signposts(proj: rm.Projection) -> None:
    """Each signpost on the indicator is a threshold up to its year, a marker and a label."""
    ax = plot.fan_chart(proj, "trade", ax=new_axes())
    (above,) = by_gid(ax, "signpost:trade:2028:above:600")
    assert ys(above) == [600, 600]
    assert xs(above)[-1] == 2028
    (marker,) = by_gid(ax, "signpost:trade:2028:above:600:marker")
    assert marker.get_marker() == "^"
    (below,) = by_gid(ax, "signpost:trade:2026:below:200:marker")
    assert below.get_marker() == "v"
    labels = [t.get_text() for t in ax.texts]
    assert "above 600 USD m by 2028" in labels  # worded as the report and the terminal
    assert "below 200 USD m by 2026" in labels
    assert not any(str(line.get_gid()).startswith("signpost:count") for line in ax.lines)
    assert legend_texts(ax).count("signpost") == 1


def test_fan_chart_makes_its_own_figure(proj: rm.Projection) -> None:
    """Without an Axes, a new figure is made that pyplot does not know about."""
    ax = plot.fan_chart(proj, "trade")
    assert isinstance(ax.figure, Figure)
    assert ax.figure.axes == [ax]
    assert plt.get_fignums() == []


def test_fan_chart_refuses_bad_input(proj: rm.Projection) -> None:
    """An unknown indicator, a band outside (0, 1) or a bad scale is an input error."""
    with pytest.raises(rm.InputError, match="expected one of: trade, share, count"):
        plot.fan_chart(proj, "trad", ax=new_axes())
    with pytest.raises(rm.InputError, match="strictly between 0 and 1"):
        plot.fan_chart(proj, "trade", ax=new_axes(), bands=(0.5, 1.0))
    with pytest.raises(rm.InputError, match="repeats"):
        plot.fan_chart(proj, "trade", ax=new_axes(), bands=(0.5, 0.5))
    with pytest.raises(rm.InputError, match="'linear' or 'log'"):
        plot.fan_chart(proj, "trade", ax=new_axes(), yscale="symlog")  # type: ignore[arg-type]


# -- compare ------------------------------------------------------------------------


def test_compare_names_every_scenario_in_the_legend(five: list[rm.Projection]) -> None:
    """The legend names each scenario by title; each median has its own colour and style."""
    ax = new_axes()
    assert plot.compare(five, "trade", ax=ax) is ax
    texts = legend_texts(ax)
    for p in five:
        assert p.scenario.title in texts
    medians = [by_gid(ax, f"median:{p.name}")[0] for p in five]
    assert len({m.get_color() for m in medians}) == 5
    # Line2D has no public getter for its dash pattern.
    assert len({str(m._unscaled_dash_pattern) for m in medians}) == 5  # type: ignore[attr-defined]
    assert len({m.get_marker() for m in medians}) == 5
    for p, m in zip(five, medians, strict=True):
        assert np.array_equal(ys(m), p.quantiles("trade", [0.5])[:, 0])
    assert "USD m" in ax.get_ylabel()


def test_compare_ranges_as_bars_or_shade_or_not_at_all(five: list[rm.Projection]) -> None:
    """Band draws one range per scenario (bars by default, or shaded), None draws none."""
    ax = plot.compare(five, "trade", ax=new_axes())
    for p in five:
        (bar,) = by_gid(ax, f"range:{p.name}")
        assert ys(bar) == pytest.approx(list(p.quantiles("trade", [0.05, 0.95])[-1]))
        assert xs(bar)[0] > p.years[-1]
    assert bands_of(ax) == []
    shaded = plot.compare(five, "trade", ax=new_axes(), band=0.8, band_style="shade")
    assert [c.get_gid() for c in bands_of(shaded)] == [f"band:{p.name}" for p in five]
    bare = plot.compare(five, "trade", ax=new_axes(), band=None)
    assert bands_of(bare) == []
    assert not any(str(line.get_gid()).startswith("range:") for line in bare.lines)
    assert "90 %" not in bare.get_title(loc="left")


def test_compare_accepts_one_projection_and_makes_its_figure(proj: rm.Projection) -> None:
    """A single projection is a comparison of one; without an Axes a figure is made."""
    ax = plot.compare(proj, "share", yscale="log")
    assert isinstance(ax.figure, Figure)
    assert legend_texts(ax)[0] == "Small baseline"
    assert ax.get_yscale() == "log"


def test_compare_refuses_bad_input(proj: rm.Projection) -> None:
    """No projections, an unknown indicator or a bad band is an input error."""
    with pytest.raises(rm.InputError, match="at least one projection"):
        plot.compare([], "trade", ax=new_axes())
    with pytest.raises(rm.InputError, match="not an indicator"):
        plot.compare([proj], "nothing", ax=new_axes())
    with pytest.raises(rm.InputError, match="strictly between 0 and 1"):
        plot.compare([proj], "trade", ax=new_axes(), band=0)
    with pytest.raises(rm.InputError, match="'bars' or 'shade'"):
        plot.compare([proj], "trade", ax=new_axes(), band_style="dots")  # type: ignore[arg-type]


# -- driver weights -----------------------------------------------------------------


def test_normalised_weights_sum_to_one_and_match_by_hand(proj: rm.Projection) -> None:
    """Per draw the shares sum to 1; a fixed weight's share is 0.5 / (0.5 + sampled)."""
    shares = plot.normalised_weights(proj)
    assert list(shares) == ["trade_push", "security"]
    total = shares["trade_push"] + shares["security"]
    assert np.allclose(total, 1.0)
    sampled = proj.parameters["drivers.trade_push.weight"]
    assert np.allclose(shares["security"], 0.5 / (0.5 + sampled))
    assert shares["security"].shape == (proj.draws,)


def test_driver_weights_one_interval_per_driver_per_scenario(
    five: list[rm.Projection],
) -> None:
    """Each scenario has a median point and two range segments for every driver."""
    ax = new_axes()
    assert plot.driver_weights(five, ax=ax) is ax
    for p in five:
        (medians,) = by_gid(ax, f"weights:{p.name}")
        expected = [np.median(w) for w in plot.normalised_weights(p).values()]
        assert xs(medians) == pytest.approx(expected)
        for gid in (f"weights-50:{p.name}", f"weights-90:{p.name}"):
            (ranges,) = [c for c in ax.collections if c.get_gid() == gid]
            assert isinstance(ranges, LineCollection)
            assert len(ranges.get_segments()) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trade push", "Security"]
    assert legend_texts(ax) == [p.scenario.title for p in five]
    assert "%" in ax.get_xlabel()


def test_driver_weights_makes_its_own_figure(proj: rm.Projection) -> None:
    """Without an Axes, driver_weights makes a figure pyplot does not know about."""
    ax = plot.driver_weights(proj)
    assert isinstance(ax.figure, Figure)
    assert "Someland" in ax.get_title(loc="left")


# -- dashboard ----------------------------------------------------------------------


@pytest.mark.parametrize("ncols", [1, 2, 3])
def test_dashboard_has_one_panel_per_indicator(proj: rm.Projection, ncols: int) -> None:
    """One visible axes per indicator, titled with its label; spares hold only the legend."""
    fig = plot.dashboard(proj, ncols=ncols)
    assert isinstance(fig, Figure)
    panels = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title(loc="left") for ax in panels] == [
        proj.indicator(k).label for k in proj.indicators
    ]
    for ax, k in zip(panels, proj.indicators, strict=True):
        assert len(bands_of(ax)) == 2
        (median,) = by_gid(ax, "median")
        assert np.array_equal(ys(median), proj.quantiles(k, [0.5])[:, 0])
        assert proj.indicator(k).unit in ax.get_ylabel()
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if not ax.axison]
    assert len(legends) == 1
    assert "Small baseline" in fig.get_suptitle()
    fig.draw_without_rendering()


def test_dashboard_refuses_no_columns(proj: rm.Projection) -> None:
    """Ncols below 1 is an input error."""
    with pytest.raises(rm.InputError, match="at least 1"):
        plot.dashboard(proj, ncols=0)


# -- the shipped case ---------------------------------------------------------------


def test_every_figure_draws_for_the_shipped_case(shipped: rm.CaseFolder) -> None:
    """Every figure of every scenario of the shipped case lays out without a warning."""
    projs = [rm.project(s, draws=200, seed=1) for s in shipped.values()]
    base = projs[list(shipped).index("baseline")]
    figures = [plot.dashboard(base), plot.driver_weights(projs).figure]
    figures += [plot.compare(projs, k).figure for k in base.indicators]
    figures += [plot.fan_chart(p, p.indicators[0]).figure for p in projs]
    for fig in figures:
        assert isinstance(fig, Figure)
        fig.draw_without_rendering()
    signposted = {sp.indicator for sp in base.scenario.signposts}
    for k in signposted:
        ax = plot.fan_chart(base, k)
        assert any(str(line.get_gid()).startswith(f"signpost:{k}:") for line in ax.lines)


def test_compare_names_each_scenarios_own_last_year(small_scenario: rm.Scenario) -> None:
    """With horizons that differ, the bars are said to be each scenario's own last year."""
    short = small_scenario.with_changes({"horizon": 2028}, name="short", title="Short")
    projs = [rm.project(s, draws=100, seed=1) for s in (small_scenario, short)]
    ax = plot.compare(projs, "trade", ax=new_axes())
    assert "range in each one's last year (bars)" in ax.get_title(loc="left")
    same = plot.compare(projs[:1], "trade", ax=new_axes())
    assert "range in 2030" in same.get_title(loc="left")
