"""Analysis figures: the tornado of a sensitivity and the signpost matrix (structure only)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import recogmodel as rm
from recogmodel import plot
from recogmodel.analysis import Sensitivity, SignpostTable, sensitivity, signposts

from .plot_helpers import bars_of, by_gid, lay_out, legend_texts, new_axes, xs

# Fixtures: pytest finds them by their names in this module.
from .plot_helpers import boom_bust as boom_bust
from .plot_helpers import nothing_left_on_pyplot as nothing_left_on_pyplot
from .plot_helpers import proj as proj
from .plot_helpers import pushed as pushed
from .plot_helpers import table as table
from .plot_helpers import trade_sensitivity as trade_sensitivity


def expected_percent(p: float) -> str:
    """A probability as the matrix writes it: whole percent, never a false 0 % or 100 %."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"


# -- tornado ------------------------------------------------------------------------


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
    assert xs(tops) == pytest.approx([r.high for r in shown])


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
    assert xs(line) == pytest.approx([trade_sensitivity.median[-1]] * 2)
    assert "in 2030" in ax.get_title(loc="left")
    earlier = plot.tornado(trade_sensitivity, ax=new_axes(), year=2027)
    t = trade_sensitivity.years.index(2027)
    (line,) = by_gid(earlier, "median")
    assert xs(line) == pytest.approx([trade_sensitivity.median[t]] * 2)
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
    lay_out(share)
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


def test_tornado_names_assumptions_by_a_case_without_its_projection(
    trade_sensitivity: Sensitivity, pushed: rm.Projection
) -> None:
    """Given the case (or the scenario) instead of the projection, the labels are the case's
    all the same, as the report shows them; a scenario also gives its title.
    """
    with_proj = plot.tornado(trade_sensitivity, ax=new_axes(), proj=pushed)
    expected = [t.get_text() for t in with_proj.get_yticklabels()]
    by_case = plot.tornado(trade_sensitivity, ax=new_axes(), case=pushed.scenario.case)
    assert [t.get_text() for t in by_case.get_yticklabels()] == expected
    assert by_case.get_xlabel() == with_proj.get_xlabel()
    assert by_case.get_title(loc="left").startswith("What drives Trade in 2030")
    by_scenario = plot.tornado(trade_sensitivity, ax=new_axes(), case=pushed.scenario)
    assert [t.get_text() for t in by_scenario.get_yticklabels()] == expected
    assert by_scenario.get_title(loc="left") == with_proj.get_title(loc="left")


def test_tornado_makes_its_own_figure(trade_sensitivity: Sensitivity) -> None:
    """Without an Axes, tornado makes a figure pyplot does not know about."""
    ax = plot.tornado(trade_sensitivity)
    assert isinstance(ax.figure, Figure)
    assert ax.figure.axes == [ax]
    lay_out(ax)


# -- signpost matrix ----------------------------------------------------------------


def test_signpost_matrix_shows_the_probabilities(table: SignpostTable) -> None:
    """The image's data are the table's probabilities, on a 0–1 scale with a labelled bar."""
    ax = new_axes()
    assert plot.signpost_matrix(table, ax=ax) is ax
    (image,) = ax.images
    assert image.get_gid() == "probability"
    assert np.array_equal(np.asarray(image.get_array()), table.probability)
    assert image.norm.vmin == 0
    assert image.norm.vmax == 1
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "probability reached by its year"
    assert ax.get_title(loc="left").startswith("Which signposts tell the scenarios apart")


def test_signpost_matrix_words_signposts_by_label_given_the_projections(
    table: SignpostTable, boom_bust: list[rm.Projection]
) -> None:
    """With the projections the rows are worded by the indicators' labels, not their ids."""
    bare = [t.get_text() for t in plot.signpost_matrix(table, ax=new_axes()).get_yticklabels()]
    ax = plot.signpost_matrix(table, ax=new_axes(), projections=boom_bust)
    rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert any(r.startswith("Trade above") for r in rows)
    assert not any(r.startswith("trade above") for r in rows)
    assert any(r.replace("\n", " ").startswith("trade above") for r in bare)


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
    assert len(rows) == len(table.labels) == 4
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
    assert list(table.non_diagnostic) == [False, False, True, True]
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
    assert outlined == {"declared:0:boom", "declared:1:bust", "declared:2:boom", "declared:3:bust"}


def test_signpost_matrix_makes_its_own_figure(table: SignpostTable) -> None:
    """Without an Axes, signpost_matrix makes a figure pyplot does not know about."""
    ax = plot.signpost_matrix(table)
    assert isinstance(ax.figure, Figure)
    assert ax in ax.figure.axes
    lay_out(ax)


def test_signpost_matrix_without_signposts_says_so(proj: rm.Projection) -> None:
    """A table with no signposts draws a note, not an empty image."""
    bare = rm.project(proj.scenario.with_changes({}, signposts=[]), draws=50, seed=1)
    ax = plot.signpost_matrix(signposts([bare]), ax=new_axes())
    assert len(ax.images) == 0
    assert [t.get_text() for t in ax.texts] == ["no scenario declares a signpost"]


# -- the shipped case ---------------------------------------------------------------


def test_analysis_figures_draw_for_the_shipped_case(shipped: rm.CaseFolder) -> None:
    """The tornado of every indicator and the signpost matrix of every scenario lay out."""
    projs = [rm.project(s, draws=200, seed=1) for s in shipped.values()]
    deepening = projs[list(shipped).index("deepening")]
    for k in deepening.indicators:
        ax = plot.tornado(sensitivity(deepening, k, 2030), proj=deepening)
        assert 1 <= len(bars_of(ax)) <= 12
        lay_out(ax)
    table = signposts(projs)
    ax = plot.signpost_matrix(table, projections=projs)
    assert len(ax.get_yticklabels()) == len(table.signposts)
    assert len(ax.texts) == table.probability.size
    lay_out(ax)
