"""Plots: structure, not pixels — bands, medians, labels, legends, markers and saving."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import recogmodel as rm
from recogmodel import plot
from recogmodel.analysis import Sensitivity, SignpostTable, sensitivity, signposts
from recogmodel.model import Scenario, Signpost

from .conftest import boom_and_bust, small_case_data

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle


@pytest.fixture(autouse=True)
def _nothing_on_pyplot() -> Iterator[None]:
    """Every test must leave pyplot's global figure list empty and rcParams as they were."""
    before = dict(mpl.rcParams)
    yield
    assert plt.get_fignums() == []
    assert dict(mpl.rcParams) == before


@pytest.fixture
def scenario() -> Scenario:
    """The small case with observed history on trade and signposts on trade and count."""
    data = small_case_data()
    data["indicators"]["trade"]["history"] = {2022: {"value": 170, "sources": ["src"]}}
    return Scenario.from_case(
        rm.Case.model_validate(data),
        title="Small baseline",
        signposts=[
            Signpost(indicator="trade", by=2028, above=600, note="trade doubles"),
            Signpost(indicator="trade", by=2026, below=200),
            Signpost(indicator="count", by=2029, above=3.5),
        ],
    )


@pytest.fixture
def proj(scenario: Scenario) -> rm.Projection:
    """A projection of the small scenario."""
    return rm.project(scenario, draws=500, seed=1)


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


def new_axes() -> Axes:
    """Axes on a figure that pyplot does not know about."""
    ax: Axes = Figure().add_subplot()
    return ax


def by_gid(ax: Axes, gid: str) -> list[Line2D]:
    """The lines of ``ax`` whose gid is ``gid``."""
    return [line for line in ax.lines if line.get_gid() == gid]


def bands_of(ax: Axes) -> list[PolyCollection]:
    """The filled bands (fill_between collections) of ``ax``."""
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def legend_texts(ax: Axes) -> list[str]:
    """The texts of the legend of ``ax``, each on one line."""
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text().replace("\n", " ") for t in legend.get_texts()]


# -- fan_chart -------------------------------------------------------------------------


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
    lightness = [float(np.sum(c.get_facecolor()[0][:3])) for c in drawn]
    assert lightness == sorted(lightness, reverse=True)
    assert all(c.get_facecolor()[0][3] == 1.0 for c in drawn)


def test_fan_chart_median_is_the_projection_median(proj: rm.Projection) -> None:
    """The median line's data are the projection's 50th percentiles, year by year."""
    ax = plot.fan_chart(proj, "share", ax=new_axes())
    (median,) = by_gid(ax, "median")
    assert np.array_equal(median.get_xdata(), proj.years)
    assert np.array_equal(median.get_ydata(), proj.quantiles("share", [0.5])[:, 0])


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
    (point,) = by_gid(ax, "baseline")
    assert list(point.get_xdata()) == [2024]
    assert point.get_ydata()[0] == pytest.approx(float(baseline.value.ppf(0.5)))
    (bar,) = by_gid(ax, "baseline-range")
    assert list(bar.get_ydata()) == pytest.approx(list(baseline.value.ppf([0.05, 0.95])))
    (history,) = by_gid(ax, "history")
    assert list(history.get_xdata()) == [2022]
    assert list(history.get_ydata()) == [170]
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
    assert list(above.get_ydata()) == [600, 600]
    assert above.get_xdata()[-1] == 2028
    (marker,) = by_gid(ax, "signpost:trade:2028:above:600:marker")
    assert marker.get_marker() == "^"
    (below,) = by_gid(ax, "signpost:trade:2026:below:200:marker")
    assert below.get_marker() == "v"
    labels = [t.get_text() for t in ax.texts]
    assert "above 600 by 2028" in labels
    assert "below 200 by 2026" in labels
    assert not any(str(line.get_gid()).startswith("signpost:count") for line in ax.lines)
    assert legend_texts(ax).count("signpost") == 1


def test_share_ticks_are_percentages(proj: rm.Projection) -> None:
    """A share indicator's tick labels end with '%' and its y label says so."""
    ax = plot.fan_chart(proj, "share", ax=new_axes())
    ax.figure.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels
    assert all(label.endswith("%") for label in labels)
    assert "%" in ax.get_ylabel()


def test_amount_ticks_use_thousands_separators(small_scenario: Scenario) -> None:
    """Amounts in the thousands are written with separators, not in scientific notation."""
    scenario = small_scenario.with_changes(
        {"indicators": {"trade": {"baseline": {"value": "20,000 to 30,000"}}}}
    )
    ax = plot.fan_chart(rm.project(scenario, draws=200, seed=3), "trade", ax=new_axes())
    ax.figure.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert any("," in label for label in labels)
    assert not any("e" in label for label in labels)


def test_fan_chart_on_a_log_axis(proj: rm.Projection) -> None:
    """yscale='log' gives a log y-axis with the same bands and median."""
    ax = plot.fan_chart(proj, "trade", ax=new_axes(), yscale="log")
    assert ax.get_yscale() == "log"
    assert len(bands_of(ax)) == 3


def test_auto_scale_goes_log_only_for_amounts_spanning_many_multiples(
    small_scenario: Scenario,
) -> None:
    """yscale='auto' is log for a positive amount spread over >30x, linear otherwise."""
    wild = small_scenario.with_changes({"indicators": {"trade": {"volatility": 0.9}}})
    proj = rm.project(wild, draws=300, seed=2)
    ax = plot.fan_chart(proj, "trade", ax=new_axes())
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel() == "USD m (log scale)"
    assert plot.fan_chart(proj, "trade", ax=new_axes(), yscale="linear").get_yscale() == "linear"
    calm = rm.project(small_scenario, draws=300, seed=2)
    assert plot.fan_chart(calm, "trade", ax=new_axes()).get_yscale() == "linear"
    assert plot.compare(calm, "count", ax=new_axes()).get_yscale() == "linear"


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


# -- compare ---------------------------------------------------------------------------


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
    assert len({str(m._unscaled_dash_pattern) for m in medians}) == 5
    assert len({m.get_marker() for m in medians}) == 5
    for p, m in zip(five, medians, strict=True):
        assert np.array_equal(m.get_ydata(), p.quantiles("trade", [0.5])[:, 0])
    assert "USD m" in ax.get_ylabel()


def test_compare_ranges_as_bars_or_shade_or_not_at_all(five: list[rm.Projection]) -> None:
    """Band draws one range per scenario (bars by default, or shaded), None draws none."""
    ax = plot.compare(five, "trade", ax=new_axes())
    for p in five:
        (bar,) = by_gid(ax, f"range:{p.name}")
        assert list(bar.get_ydata()) == pytest.approx(list(p.quantiles("trade", [0.05, 0.95])[-1]))
        assert bar.get_xdata()[0] > p.years[-1]
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


# -- driver weights --------------------------------------------------------------------


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
        assert list(medians.get_xdata()) == pytest.approx(expected)
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


# -- dashboard -------------------------------------------------------------------------


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
        assert np.array_equal(median.get_ydata(), proj.quantiles(k, [0.5])[:, 0])
        assert proj.indicator(k).unit in ax.get_ylabel()
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if not ax.axison]
    assert len(legends) == 1
    assert "Small baseline" in fig.get_suptitle()
    fig.draw_without_rendering()


def test_dashboard_refuses_no_columns(proj: rm.Projection) -> None:
    """Ncols below 1 is an input error."""
    with pytest.raises(rm.InputError, match="at least 1"):
        plot.dashboard(proj, ncols=0)


# -- tornado ---------------------------------------------------------------------------


@pytest.fixture
def pushed(scenario: Scenario) -> rm.Projection:
    """The small scenario with the security weight sampled too: raising it lowers trade."""
    changed = scenario.with_changes({"drivers": {"security": {"weight": "0.3 to 0.9"}}})
    return rm.project(changed, draws=600, seed=4)


@pytest.fixture
def trade_sensitivity(pushed: rm.Projection) -> Sensitivity:
    """What drives trade, every year: 7 assumptions, some under the noise floor."""
    return sensitivity(pushed, "trade")


def bars_of(ax: Axes) -> list[Rectangle]:
    """The bars of a tornado, top row first."""
    return [p for p in ax.patches if str(p.get_gid()).startswith("tornado:")]


def test_tornado_draws_one_bar_per_assumption_from_low_to_high(
    trade_sensitivity: Sensitivity,
) -> None:
    """Each shown assumption is one bar spanning its low and high medians, largest swing on top."""
    ax = new_axes()
    assert plot.tornado(trade_sensitivity, ax=ax) is ax
    rows = trade_sensitivity.ranking()
    bars = bars_of(ax)
    assert len(bars) == len(ax.patches) == len(rows) == 7
    by_name = {r.assumption: r for r in rows}
    shown = [by_name[str(b.get_gid()).removeprefix("tornado:")] for b in bars]
    assert {r.assumption for r in shown} == set(by_name)
    for bar, row in zip(bars, shown, strict=True):
        assert sorted([bar.get_x(), bar.get_x() + bar.get_width()]) == pytest.approx(
            sorted([row.low, row.high])
        )
    swings = [abs(r.swing) for r in shown]
    assert swings == sorted(swings, reverse=True)
    centres = [b.get_y() + b.get_height() / 2 for b in bars]
    assert centres == sorted(centres)
    low, high = ax.get_ylim()
    assert low > high  # the first bar is at the top
    (tops,) = by_gid(ax, "tornado-high")
    assert list(tops.get_xdata()) == pytest.approx([r.high for r in shown])


def test_tornado_shows_at_most_limit_most_important(trade_sensitivity: Sensitivity) -> None:
    """Limit keeps the most important assumptions by the ranking, however their swings order."""
    ax = plot.tornado(trade_sensitivity, ax=new_axes(), limit=3)
    top = {r.assumption for r in trade_sensitivity.ranking()[:3]}
    assert {str(b.get_gid()).removeprefix("tornado:") for b in bars_of(ax)} == top
    assert len(ax.get_yticklabels()) == 3
    assert "top 3 of 7 assumptions" in ax.get_title(loc="left")
    assert len(bars_of(plot.tornado(trade_sensitivity, ax=new_axes(), limit=50))) == 7
    for bad in (0, -1, 2.5, True):
        with pytest.raises(rm.InputError, match="limit"):
            plot.tornado(trade_sensitivity, ax=new_axes(), limit=bad)  # type: ignore[arg-type]


def test_tornado_is_centred_on_the_median_of_the_chosen_year(
    trade_sensitivity: Sensitivity,
) -> None:
    """The vertical line is the indicator's median in the year shown (default: the last)."""
    ax = plot.tornado(trade_sensitivity, ax=new_axes())
    (line,) = by_gid(ax, "median")
    assert list(line.get_xdata()) == pytest.approx([trade_sensitivity.median[-1]] * 2)
    assert "in 2030" in ax.get_title(loc="left")
    earlier = plot.tornado(trade_sensitivity, ax=new_axes(), year=2027)
    t = trade_sensitivity.years.index(2027)
    (line,) = by_gid(earlier, "median")
    assert list(line.get_xdata()) == pytest.approx([trade_sensitivity.median[t]] * 2)
    lows = {r.assumption: r.low for r in trade_sensitivity.ranking(2027)}
    for bar in bars_of(earlier):
        row_low = lows[str(bar.get_gid()).removeprefix("tornado:")]
        ends = [bar.get_x(), bar.get_x() + bar.get_width()]
        assert min(abs(end - row_low) for end in ends) == pytest.approx(0)
    with pytest.raises(rm.InputError, match="2040 is not covered"):
        plot.tornado(trade_sensitivity, ax=new_axes(), year=2040)


def test_tornado_axis_carries_the_unit_and_formatted_numbers(
    trade_sensitivity: Sensitivity, pushed: rm.Projection
) -> None:
    """The x label names the unit; share ticks are percentages and swings in points."""
    ax = plot.tornado(trade_sensitivity, ax=new_axes())
    assert ax.get_xlabel() == "trade in 2030 (USD m)"
    share = plot.tornado(sensitivity(pushed, "share", 2030), ax=new_axes())
    assert share.get_xlabel().endswith("(%)")
    share.figure.draw_without_rendering()
    ticks = [t.get_text() for t in share.get_xticklabels() if t.get_text()]
    assert ticks
    assert all(t.endswith("%") for t in ticks)
    swings = [t.get_text() for t in share.texts if str(t.get_gid()).startswith("swing:")]
    assert len(swings) == len(bars_of(share))
    assert all(s.endswith(" pp") for s in swings)


def test_tornado_mutes_assumptions_under_the_noise_floor(trade_sensitivity: Sensitivity) -> None:
    """Non-influential bars are hatched grey with grey labels, and the legend says why."""
    ax = plot.tornado(trade_sensitivity, ax=new_axes())
    influential = {r.assumption: r.influential for r in trade_sensitivity.ranking()}
    assert set(influential.values()) == {True, False}
    bars = bars_of(ax)
    muted = [b for b in bars if not influential[str(b.get_gid()).removeprefix("tornado:")]]
    strong = [b for b in bars if influential[str(b.get_gid()).removeprefix("tornado:")]]
    assert all(b.get_hatch() for b in muted)
    assert not any(b.get_hatch() for b in strong)
    muted_colours = {tuple(b.get_facecolor()) for b in muted}
    assert muted_colours.isdisjoint(tuple(b.get_facecolor()) for b in strong)
    grey = [
        to_rgba(t.get_color()) != to_rgba("black")
        for t, b in zip(ax.get_yticklabels(), bars, strict=True)
        if any(b is m for m in muted)
    ]
    assert grey
    assert all(grey)
    assert any(t.startswith("not influential") for t in legend_texts(ax))


def test_tornado_colours_bars_by_direction(trade_sensitivity: Sensitivity) -> None:
    """Influential bars are blue when a higher assumption raises trade, vermillion when it
    lowers it; the legend names both.
    """
    ax = plot.tornado(trade_sensitivity, ax=new_axes())
    rows = {r.assumption: r for r in trade_sensitivity.ranking()}
    seen = set()
    for bar in bars_of(ax):
        row = rows[str(bar.get_gid()).removeprefix("tornado:")]
        if row.influential:
            expected = plot.PALETTE[0] if row.swing > 0 else plot.PALETTE[1]
            assert bar.get_facecolor() == pytest.approx(to_rgba(expected))
            seen.add(row.swing > 0)
    assert seen == {True, False}
    texts = legend_texts(ax)
    assert "higher assumption → higher value" in texts
    assert "higher assumption → lower value" in texts


def test_tornado_names_assumptions_by_the_case_when_given_the_projection(
    trade_sensitivity: Sensitivity, pushed: rm.Projection, proj: rm.Projection
) -> None:
    """With the projection the labels read from the case; without, dotted names are shortened."""
    ax = plot.tornado(trade_sensitivity, ax=new_axes(), proj=pushed)
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert "Trade push: effect on Trade" in labels
    assert "Security: weight" in labels
    assert "Another state recognises: probability" in labels
    title = ax.get_title(loc="left")
    assert title.startswith("What drives Trade in 2030")
    assert "Small baseline" in title
    bare = plot.tornado(trade_sensitivity, ax=new_axes())
    labels = [t.get_text().replace("\n", " ") for t in bare.get_yticklabels()]
    assert "trade push · effects · trade" in labels
    assert "recognition · probability" in labels
    assert not any(label.startswith(("drivers", "indicators", "events")) for label in labels)
    other = proj.scenario.with_changes({}, name="other")
    with pytest.raises(rm.InputError, match="'other'"):
        plot.tornado(trade_sensitivity, proj=rm.project(other, draws=100, seed=1))


def test_tornado_makes_its_own_figure(trade_sensitivity: Sensitivity) -> None:
    """Without an Axes, tornado makes a figure pyplot does not know about."""
    ax = plot.tornado(trade_sensitivity)
    assert isinstance(ax.figure, Figure)
    assert ax.figure.axes == [ax]
    ax.figure.draw_without_rendering()


# -- signpost matrix -------------------------------------------------------------------


@pytest.fixture
def boom_bust(small_scenario: Scenario) -> list[rm.Projection]:
    """The conftest's boom and bust, the boom with a long title to wrap."""
    pair = boom_and_bust(small_scenario, boom_title="A long boom in trade between the two")
    return [rm.project(s, draws=800, seed=2) for s in pair]


@pytest.fixture
def table(boom_bust: list[rm.Projection]) -> SignpostTable:
    """The boom/bust signpost table."""
    return signposts(boom_bust)


def expected_percent(p: float) -> str:
    """A probability as the matrix writes it: whole percent, never a false 0 % or 100 %."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"


def test_signpost_matrix_shows_the_probabilities(table: SignpostTable) -> None:
    """The image's data are the table's probabilities, on a 0–1 scale with a labelled bar."""
    ax = new_axes()
    assert plot.signpost_matrix(table, ax=ax) is ax
    (image,) = ax.images
    assert image.get_gid() == "probability"
    assert np.array_equal(image.get_array(), table.probability)
    assert image.norm.vmin == 0
    assert image.norm.vmax == 1
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "probability reached by its year"
    assert ax.get_title(loc="left").startswith("Which signposts tell the scenarios apart")


def test_signpost_matrix_writes_every_probability(table: SignpostTable) -> None:
    """Every cell carries its probability as a percentage, black on light and white on dark."""
    ax = plot.signpost_matrix(table, ax=new_axes())
    texts = {str(t.get_gid()): t for t in ax.texts}
    n, m = table.probability.shape
    assert len(texts) == n * m
    for i in range(n):
        for j in range(m):
            p = float(table.probability[i, j])
            text = texts[f"cell:{i}:{j}"]
            assert text.get_text() == expected_percent(p)
            assert text.get_position() == (j, i)
            if p < 0.2:
                assert to_rgba(text.get_color()) == to_rgba("black")
            if p > 0.8:
                assert to_rgba(text.get_color()) == to_rgba("white")


@pytest.mark.parametrize(
    ("p", "text"), [(0.0, "0%"), (0.003, "<1%"), (0.5, "50%"), (0.996, ">99%"), (1.0, "100%")]
)
def test_signpost_matrix_never_rounds_to_a_false_certainty(
    table: SignpostTable, p: float, text: str
) -> None:
    """0.3 % is written <1 % and 99.6 % >99 %; only 0 and 1 themselves are 0 % and 100 %."""
    one = replace(table, probability=np.full(table.probability.shape, p))
    ax = plot.signpost_matrix(one, ax=new_axes())
    assert {t.get_text() for t in ax.texts} == {text}


def test_signpost_matrix_names_every_signpost_and_scenario(
    table: SignpostTable, boom_bust: list[rm.Projection]
) -> None:
    """Rows are the signposts' labels; columns the scenarios, by title when given them."""
    ax = plot.signpost_matrix(table, ax=new_axes())
    rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert len(rows) == len(table.labels) == 3
    for row, label in zip(rows, table.labels, strict=True):
        assert row.startswith(label)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["boom", "bust"]
    titled = plot.signpost_matrix(table, ax=new_axes(), projections=boom_bust)
    columns = [t.get_text().replace("\n", " ") for t in titled.get_xticklabels()]
    assert columns == ["A long boom in trade between the two", "Bust"]
    with pytest.raises(rm.InputError, match="'bust'"):
        plot.signpost_matrix(table, ax=new_axes(), projections=boom_bust[:1])


def test_signpost_matrix_marks_non_diagnostic_rows(table: SignpostTable) -> None:
    """A signpost equally likely everywhere is labelled '(not diagnostic)' in grey italics."""
    assert list(table.non_diagnostic) == [False, True, False]
    ax = plot.signpost_matrix(table, ax=new_axes())
    for tick, flag in zip(ax.get_yticklabels(), table.non_diagnostic, strict=True):
        assert tick.get_text().endswith("(not diagnostic)") == flag
        assert (tick.get_fontstyle() == "italic") == flag
        assert (to_rgba(tick.get_color()) != to_rgba("black")) == flag


def test_signpost_matrix_outlines_the_declaring_scenarios(table: SignpostTable) -> None:
    """Each signpost's cell under every scenario declaring it is outlined."""
    ax = plot.signpost_matrix(table, ax=new_axes())
    outlined = {str(p.get_gid()) for p in ax.patches}
    assert outlined == {
        f"declared:{i}:{s}" for i, sp in enumerate(table.signposts) for s, _ in sp.declared_by
    }
    assert outlined == {"declared:0:boom", "declared:1:boom", "declared:1:bust", "declared:2:bust"}


def test_signpost_matrix_makes_its_own_figure(table: SignpostTable) -> None:
    """Without an Axes, signpost_matrix makes a figure pyplot does not know about."""
    ax = plot.signpost_matrix(table)
    assert isinstance(ax.figure, Figure)
    assert ax in ax.figure.axes
    ax.figure.draw_without_rendering()


def test_signpost_matrix_without_signposts_says_so(proj: rm.Projection) -> None:
    """A table with no signposts draws a note, not an empty image."""
    bare = rm.project(proj.scenario.with_changes({}, signposts=[]), draws=50, seed=1)
    ax = plot.signpost_matrix(signposts([bare]), ax=new_axes())
    assert len(ax.images) == 0
    assert [t.get_text() for t in ax.texts] == ["no scenario declares a signpost"]


# -- saving ----------------------------------------------------------------------------

MAGIC = {"png": (b"\x89PNG",), "svg": (b"<?xml", b"<svg"), "pdf": (b"%PDF",)}


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_writes_each_format_atomically(proj: rm.Projection, tmp_path: Path, fmt: str) -> None:
    """save() infers the format from the suffix, writes it, and leaves no temporary file."""
    ax = plot.fan_chart(proj, "trade")
    path = plot.save(ax, tmp_path / "out" / f"fan.{fmt}", dpi=50)
    assert path == tmp_path / "out" / f"fan.{fmt}"
    assert path.read_bytes().startswith(MAGIC[fmt])
    assert [p.name for p in path.parent.iterdir()] == [f"fan.{fmt}"]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_save_writes_the_analysis_figures(
    trade_sensitivity: Sensitivity, table: SignpostTable, tmp_path: Path, fmt: str
) -> None:
    """A tornado and a signpost matrix save like any other figure."""
    for name, ax in (
        ("tornado", plot.tornado(trade_sensitivity)),
        ("signposts", plot.signpost_matrix(table)),
    ):
        path = plot.save(ax, tmp_path / f"{name}.{fmt}", dpi=50)
        assert path.read_bytes().startswith(MAGIC[fmt])


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_save_is_reproducible(proj: rm.Projection, tmp_path: Path, fmt: str) -> None:
    """The same figure drawn and saved twice as SVG or PDF gives the same bytes."""
    first = plot.save(plot.dashboard(proj), tmp_path / f"a.{fmt}").read_bytes()
    second = plot.save(plot.dashboard(proj), tmp_path / f"b.{fmt}").read_bytes()
    assert first == second


def test_save_takes_an_explicit_format(proj: rm.Projection, tmp_path: Path) -> None:
    """format= overrides the suffix."""
    path = plot.save(plot.compare(proj, "trade"), tmp_path / "figure.out", format="PDF")
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("fan.jpg", None, "suffix '.jpg'"),
        ("fan", None, "without a suffix"),
        ("fan.png", "gif", "'gif'"),
    ],
)
def test_save_refuses_other_formats(
    proj: rm.Projection, tmp_path: Path, name: str, fmt: str | None, message: str
) -> None:
    """Anything but PNG, SVG or PDF is an input error naming the formats; nothing is written."""
    ax = plot.fan_chart(proj, "trade")
    with pytest.raises(rm.InputError, match=message) as caught:
        plot.save(ax, tmp_path / name, format=fmt)
    assert "expected one of: png, svg, pdf" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# -- the shipped case ------------------------------------------------------------------


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


def test_analysis_figures_draw_for_the_shipped_case(shipped: rm.CaseFolder) -> None:
    """The tornado of every indicator and the signpost matrix of every scenario lay out."""
    projs = [rm.project(s, draws=200, seed=1) for s in shipped.values()]
    deepening = projs[list(shipped).index("deepening")]
    for k in deepening.indicators:
        ax = plot.tornado(sensitivity(deepening, k, 2030), proj=deepening)
        assert 1 <= len(bars_of(ax)) <= 12
        ax.figure.draw_without_rendering()
    table = signposts(projs)
    ax = plot.signpost_matrix(table, projections=projs)
    assert len(ax.get_yticklabels()) == len(table.signposts)
    assert len(ax.texts) == table.probability.size
    ax.figure.draw_without_rendering()
