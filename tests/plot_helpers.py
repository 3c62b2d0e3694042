"""What the plot tests share: their fixtures (the projections and analyses they draw, each
built once per module, and the check that nothing is left on pyplot) and ways to find what
a figure drew (by gid, bands, legend texts, tornado bars, line data).

A test module takes a fixture by importing it under its own name
(``from .plot_helpers import proj as proj``), with the fixtures it depends on: pytest finds
fixtures by name in the module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import recogmodel as rm
from recogmodel.analysis import Sensitivity, SignpostTable, sensitivity, signposts
from recogmodel.model import Scenario, Signpost

from .conftest import boom_and_bust, small_case_data

if TYPE_CHECKING:
    from collections.abc import Iterator

    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

#: How each format's file begins.
MAGIC = {"png": (b"\x89PNG",), "svg": (b"<?xml", b"<svg"), "pdf": (b"%PDF",)}


@pytest.fixture(autouse=True)
def nothing_left_on_pyplot() -> Iterator[None]:
    """Every test must leave pyplot's global figure list empty and rcParams as they were."""
    before = dict(mpl.rcParams)
    yield
    assert plt.get_fignums() == []
    assert dict(mpl.rcParams) == before


def signposted_scenario() -> Scenario:
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


@pytest.fixture(scope="module")
def proj() -> rm.Projection:
    """A projection of the small scenario with history and signposts (500 draws)."""
    return rm.project(signposted_scenario(), draws=500, seed=1)


@pytest.fixture(scope="module")
def pushed() -> rm.Projection:
    """The signposted scenario with the security weight sampled too: raising it lowers trade.

    Security pushes trade down directly (its effect on trade is negative), so its weight
    lowers trade through a path in the model, not only by taking share from trade_push.
    """
    changed = signposted_scenario().with_changes(
        {"drivers": {"security": {"weight": "0.3 to 0.9", "effects": {"trade": -0.3}}}}
    )
    return rm.project(changed, draws=600, seed=4)


@pytest.fixture(scope="module")
def trade_sensitivity(pushed: rm.Projection) -> Sensitivity:
    """What drives trade, every year: 7 assumptions, some under the noise floor."""
    return sensitivity(pushed, "trade")


@pytest.fixture(scope="module")
def boom_bust() -> list[rm.Projection]:
    """The conftest's boom and bust, the boom with a long title to wrap."""
    small = Scenario.from_case(rm.Case.model_validate(small_case_data()))
    pair = boom_and_bust(small, boom_title="A long boom in trade between the two")
    return [rm.project(s, draws=800, seed=2) for s in pair]


@pytest.fixture(scope="module")
def table(boom_bust: list[rm.Projection]) -> SignpostTable:
    """The boom/bust signpost table."""
    return signposts(boom_bust)


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


def bars_of(ax: Axes) -> list[Rectangle]:
    """The bars of a tornado, top row first."""
    return [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and str(p.get_gid()).startswith("tornado:")
    ]


def xs(line: Line2D) -> list[float]:
    """The x data of ``line``, as numbers."""
    return [float(v) for v in np.asarray(line.get_xdata())]


def ys(line: Line2D) -> list[float]:
    """The y data of ``line``, as numbers."""
    return [float(v) for v in np.asarray(line.get_ydata())]


def lay_out(drawn: Axes | Figure) -> None:
    """Lay out the figure of ``drawn`` (ticks, text, legends) without rendering pixels."""
    figure = drawn if isinstance(drawn, Figure) else drawn.figure
    assert isinstance(figure, Figure)
    figure.draw_without_rendering()
