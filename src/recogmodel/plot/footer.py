"""The footer that lets a figure file stand alone: case, scenario, draws, seed, date, sources.

A figure saved to a file travels without the run that drew it, so :func:`add_footer`
writes under it what a reader needs to trust and repeat it: the case's title, the
scenario (or scenarios), the draws and seed, the date it was drawn and the case's
sources. The date is today's, or the one ``SOURCE_DATE_EPOCH`` gives, so a build that
fixes it gives the same bytes every time.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from ..projection import Projection

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["add_footer", "footer_text"]

#: Grey of the footer's text, quiet beside the figure's own.
FOOTER_COLOUR = "#555555"
#: Size of the footer's text, in points.
FOOTER_SIZE = 7.0


def drawn_on() -> dt.date:
    """The date a figure is drawn: ``SOURCE_DATE_EPOCH`` when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def footer_text(projections: Projection | Sequence[Projection], *, width: int = 150) -> str:
    """What the footer says of the projections a figure shows, wrapped to ``width`` characters.

    Parameters
    ----------
    projections
        The projection, or projections, the figure draws.
    width
        Characters per line.

    Returns
    -------
    str
        The case, the scenario(s), draws and seed (per scenario when they differ), the
        date, and the case's sources by title.
    """
    projs = [projections] if isinstance(projections, Projection) else list(projections)
    case = projs[0].scenario.case
    if len(projs) == 1:
        what = f"scenario: {projs[0].scenario.title}"
    else:
        what = "scenarios: " + ", ".join(p.scenario.title for p in projs)
    runs = {(p.draws, p.seed) for p in projs}
    if len(runs) == 1:
        draws, seed = runs.pop()
        run = f"{draws:,} draws, seed {seed}"
    else:
        run = "; ".join(f"{p.name}: {p.draws:,} draws, seed {p.seed}" for p in projs)
    sources = "; ".join(source.title for source in case.sources.values())
    lines = [
        f"{case.title} · {what} · {run} · drawn {drawn_on().isoformat()} with recogmodel",
        f"Sources: {sources}" if sources else "Sources: none given",
    ]
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, max_lines=2, placeholder=" …")) for line in lines
    )


def add_footer(figure: Figure | SubFigure | Axes, text: str) -> Figure:
    """Make room under a figure and write ``text`` there, small and grey.

    The figure grows by the footer's height, so what was drawn keeps its size: a layout
    engine is told to keep clear of the footer; fixed axes are moved up.

    Parameters
    ----------
    figure
        The figure, or any axes on it.
    text
        The footer, as :func:`footer_text` gives it.

    Returns
    -------
    Figure
        The figure the footer was added to.
    """
    root: Any = figure.figure if isinstance(figure, Axes) else figure
    while not isinstance(root, Figure):
        root = root.figure
    lines = text.count("\n") + 1
    room = 0.12 + lines * FOOTER_SIZE * 1.35 / 72  # inches
    width, height = root.get_size_inches()
    grown = height + room
    engine: Any = root.get_layout_engine()
    if engine is not None and "rect" in engine.get():
        root.set_size_inches(width, grown)
        engine.set(rect=(0, room / grown, 1, 1 - room / grown))
    else:
        positions = [(ax, ax.get_position()) for ax in root.axes]
        texts = [(t, t.get_position()) for t in root.texts]
        root.set_size_inches(width, grown)
        for ax, box in positions:
            ax.set_position(
                (box.x0, (box.y0 * height + room) / grown, box.width, box.height * height / grown)
            )
        for t, (x, y) in texts:  # the suptitle is one of them
            t.set_position((x, (y * height + room) / grown))
        for legend in root.legends:
            legend.set_bbox_to_anchor((0, room / grown, 1, 1 - room / grown), root.transFigure)
    root.text(
        0.01,
        0.06 / grown,
        text,
        ha="left",
        va="bottom",
        fontsize=FOOTER_SIZE,
        color=FOOTER_COLOUR,
        gid="footer",
    )
    return root
