"""Figures that stand alone: the footer, one x-range on a dashboard, fixed-year events marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from recogmodel import plot
from recogmodel.plot.footer import add_footer, footer_text
from recogmodel.plot.projections import fixed_events

from .plot_helpers import by_gid, nothing_left_on_pyplot, proj, xs

if TYPE_CHECKING:
    import recogmodel as rm

__all__ = ["nothing_left_on_pyplot", "proj"]


def test_footer_says_case_scenario_draws_seed_date_and_sources(
    proj: rm.Projection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer names the case, the scenario, draws, seed, the date and the sources."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    text = footer_text(proj)
    assert "A small case" in text
    assert "scenario: Small baseline" in text
    assert "500 draws, seed 1" in text
    assert "drawn 2026-01-01" in text
    assert "Sources: A source" in text


def test_footer_grows_the_figure_and_keeps_the_axes_size(proj: rm.Projection) -> None:
    """Adding a footer makes the figure taller; the axes keep their height in inches."""
    fig = plot.dashboard(proj)
    ax = fig.axes[0]
    before = fig.get_size_inches()[1], ax.get_position().height * fig.get_size_inches()[1]
    add_footer(fig, footer_text(proj))
    after = fig.get_size_inches()[1], ax.get_position().height * fig.get_size_inches()[1]
    assert after[0] > before[0]
    assert after[1] == pytest.approx(before[1])
    assert [t for t in fig.texts if t.get_gid() == "footer"]


def test_dashboard_panels_share_one_x_range(proj: rm.Projection) -> None:
    """Every panel of a dashboard starts and ends its x-axis at the same years."""
    fig = plot.dashboard(proj)
    ranges = {tuple(ax.get_xlim()) for ax in fig.axes if ax.get_visible() and ax.lines}
    assert len(ranges) == 1


def test_a_fixed_year_event_is_marked_where_it_moves_an_indicator(proj: rm.Projection) -> None:
    """The contract of 2027 jumps trade: trade's fan has a mark at 2027, count's none."""
    assert fixed_events(proj, "trade") == [(2027, "Contract signed")]
    assert fixed_events(proj, "count") == []
    marks = by_gid(plot.fan_chart(proj, "trade"), "event")
    assert [xs(line)[0] for line in marks] == [2027]
    assert not by_gid(plot.fan_chart(proj, "count"), "event")
