"""The shared look: palette, ticks, axis scales, legends and wrapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from matplotlib.colors import to_rgb

import recogmodel as rm
from recogmodel import plot
from recogmodel.plot import _style

from .plot_helpers import bands_of, lay_out, new_axes

# Fixtures: pytest finds them by their names in this module.
from .plot_helpers import nothing_left_on_pyplot as nothing_left_on_pyplot
from .plot_helpers import proj as proj

if TYPE_CHECKING:
    from recogmodel.model import Scenario


def test_share_ticks_are_percentages(proj: rm.Projection) -> None:
    """A share indicator's tick labels end with '%', so its y label does not repeat it."""
    ax = plot.fan_chart(proj, "share", ax=new_axes())
    lay_out(ax)
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels
    assert all(label.endswith("%") for label in labels)
    assert "%" not in ax.get_ylabel()


def test_amount_ticks_use_thousands_separators(small_scenario: Scenario) -> None:
    """Amounts in the thousands are written with separators, not in scientific notation."""
    scenario = small_scenario.with_changes(
        {"indicators": {"trade": {"baseline": {"value": "20,000 to 30,000"}}}}
    )
    ax = plot.fan_chart(rm.project(scenario, draws=200, seed=3), "trade", ax=new_axes())
    lay_out(ax)
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


def test_palette_line_styles_and_markers_pair_up() -> None:
    """Colours, line styles and markers come in equal numbers, each one different."""
    assert len(plot.PALETTE) == len(plot.LINESTYLES) == len(_style.MARKERS) == 8
    assert len({to_rgb(c) for c in plot.PALETTE}) == 8
    assert len({str(s) for s in plot.LINESTYLES}) == 8
    assert len(set(_style.MARKERS)) == 8


@pytest.mark.parametrize(
    ("first", "last", "ticks"),
    [
        (2025, 2030, [2025, 2026, 2027, 2028, 2029, 2030]),
        (2022, 2035, [2022, 2024, 2026, 2028, 2030, 2032, 2034]),
        (2021, 2060, [2025, 2030, 2035, 2040, 2045, 2050, 2055, 2060]),
        (1990, 2061, [1990, 2000, 2010, 2020, 2030, 2040, 2050, 2060]),
    ],
)
def test_year_ticks_are_round_and_stop_at_the_last_year(
    first: int, last: int, ticks: list[int]
) -> None:
    """Years on steps of 1, 2, 5 or 10 as the span grows, none before first or after last."""
    assert _style.year_ticks(first, last) == ticks


def test_value_formatter_writes_zero_not_floating_point_noise() -> None:
    """Shares tick as percentages, amounts with separators, and 1e-17 as a plain zero."""
    share = _style.value_formatter("share", "logit")
    assert share(0.25) == "25%"
    assert share(1e-17) == "0%"
    amount = _style.value_formatter("USD m", "log")
    assert amount(12345.0) == "12,345"
    assert amount(-1e-13) == "0"


def test_unit_text_states_the_unit_once() -> None:
    """A share's unit gains no '(%)' (its ticks say %); every unit is trimmed."""
    assert _style.unit_text("share", "linear") == "share"
    assert _style.unit_text("", "logit") == ""
    assert _style.unit_text("% of GDP", "logit") == "% of GDP"
    assert _style.unit_text(" USD m ", "log") == "USD m"


def test_wrap_breaks_long_text_and_keeps_the_rest() -> None:
    """Text is broken at spaces into lines of the width; empty text stays empty."""
    assert _style.wrap("Trade between the two states", 12) == "Trade\nbetween the\ntwo states"
    assert _style.wrap("short", 12) == "short"
    assert _style.wrap("", 12) == ""


def test_tint_mixes_a_colour_with_white() -> None:
    """Strength 0 is white, 1 the colour, one half halfway between."""
    assert _style.tint(plot.PALETTE[0], 0.0) == (1.0, 1.0, 1.0)
    assert _style.tint(plot.PALETTE[0], 1.0) == pytest.approx(to_rgb(plot.PALETTE[0]))
    assert _style.tint("#000000", 0.5) == (0.5, 0.5, 0.5)


def test_percent_keeps_three_significant_digits() -> None:
    """Range widths read '90 %', '99.5 %', with the space of the published style."""
    assert _style.percent(0.9) == "90 %"
    assert _style.percent(0.995) == "99.5 %"


def test_leave_room_for_legend_raises_the_top_of_the_axis() -> None:
    """On a linear axis the top rises by a share of the span, on a log axis by a ratio."""
    ax = new_axes()
    ax.set_ylim(0, 10)
    _style.leave_room_for_legend(ax)
    assert ax.get_ylim() == pytest.approx((0, 12.8))
    log = new_axes()
    log.set_yscale("log")
    log.set_ylim(1, 100)
    _style.leave_room_for_legend(log, share=0.5)
    assert log.get_ylim() == pytest.approx((1, 1000))


def test_legend_beside_the_axes_covers_no_data() -> None:
    """The legend is drawn wholly to the right of the axes, without a frame."""
    ax = new_axes()
    ax.plot([0, 1], [0, 1], label="a line")
    _style.legend_beside(ax)
    lay_out(ax)
    legend = ax.get_legend()
    assert legend is not None
    assert not legend.get_frame_on()
    assert legend.get_window_extent().x0 >= ax.get_window_extent().x1


def test_frame_draws_a_grid_below_and_hides_sides() -> None:
    """The grid runs along one axis behind the data; the named sides lose their lines."""
    ax = new_axes()
    _style.frame(ax, grid="x", hide=("top", "right", "left"))
    assert ax.get_axisbelow() is True
    assert any(line.get_visible() for line in ax.xaxis.get_gridlines())
    assert not any(line.get_visible() for line in ax.yaxis.get_gridlines())
    assert [s for s, spine in ax.spines.items() if spine.get_visible()] == ["bottom"]


def test_as_list_takes_one_projection_or_several(proj: rm.Projection) -> None:
    """One projection is a list of one; an empty sequence is an input error."""
    assert _style.as_list(proj) == [proj]
    assert _style.as_list((proj, proj)) == [proj, proj]
    with pytest.raises(rm.InputError, match="at least one projection"):
        _style.as_list([])
