"""Results as HTML for notebooks: what ``_repr_html_`` shows in Jupyter and its kin.

Every result's ``_repr_html_`` calls one function here, so a notebook shows the same words
and numbers as the terminal. Tables are built from the result's tidy rows
(:func:`rows_html`); a projection's table carries a small fan chart per indicator, drawn
here as plain SVG (:func:`fan_svg`, no matplotlib), so it costs next to nothing. Every
text is escaped.

This module sits in ``text/``, below the results it renders, so it reads them by their
attributes and imports their classes for annotations only.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import numpy as np
    from numpy.typing import NDArray

__all__ = ["fan_svg", "projection_html", "rows_html", "study_html", "summary_html"]

#: Rows a notebook table shows before it says how many more there are.
MOST_ROWS = 30
_STYLE = "border-collapse:collapse;font-size:12px"
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:{align}"


def _cell(value: Any, tag: str = "td") -> str:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    align = "right" if number else "left"
    return f'<{tag} style="{_CELL.format(align=align)}">{html.escape(shown)}</{tag}>'


def rows_html(title: str, rows: Sequence[Mapping[str, Any]], *, most: int = MOST_ROWS) -> str:
    """Tidy rows as an HTML table under a title, the first ``most`` of them.

    Parameters
    ----------
    title
        What the table shows (escaped).
    rows
        Mappings of column to value, alike in their keys (a result's ``to_rows()``).
    most
        Rows shown at most; a line says how many more there are.

    Returns
    -------
    str
        A ``<div>`` holding the title and the table.
    """
    head = f"<div><strong>{html.escape(title)}</strong>"
    if not rows:
        return head + "<p>(no rows)</p></div>"
    columns = list(rows[0])
    lines = [head, f'<table style="{_STYLE}"><thead><tr>']
    lines += [_cell(c, "th") for c in columns]
    lines.append("</tr></thead><tbody>")
    for row in rows[:most]:
        lines.append("<tr>" + "".join(_cell(row.get(c, "")) for c in columns) + "</tr>")
    lines.append("</tbody></table>")
    if len(rows) > most:
        lines.append(f"<p>… and {len(rows) - most:,} more rows (see <code>to_rows()</code>)</p>")
    return "".join(lines) + "</div>"


def fan_svg(quantiles: NDArray[np.float64], *, width: int = 120, height: int = 32) -> str:
    """A small fan chart as inline SVG: the 90 % and 50 % ranges and the median by year.

    Parameters
    ----------
    quantiles
        Years × 5: the 5th, 25th, 50th, 75th and 95th percentiles.
    width, height
        Size in CSS pixels.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    n = len(quantiles)
    low, high = float(quantiles[:, 0].min()), float(quantiles[:, 4].max())
    span = high - low or 1.0

    def x(i: int) -> float:
        return 1 + (width - 2) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return height - 1 - (height - 2) * (v - low) / span

    def band(a: int, b: int) -> str:
        top = [f"{x(i):.1f},{y(float(quantiles[i, b])):.1f}" for i in range(n)]
        bottom = [f"{x(i):.1f},{y(float(quantiles[i, a])):.1f}" for i in reversed(range(n))]
        return " ".join(top + bottom)

    median = " ".join(f"{x(i):.1f},{y(float(quantiles[i, 2])):.1f}" for i in range(n))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="fan chart">'
        f'<polygon points="{band(0, 4)}" fill="#cfe3f3"/>'
        f'<polygon points="{band(1, 3)}" fill="#7fb2dc"/>'
        f'<polyline points="{median}" fill="none" stroke="#0072B2" stroke-width="1.5"/>'
        "</svg>"
    )


def summary_html(summary: Any) -> str:
    """A :class:`~recogmodel.Summary` as a table: each indicator's median and 90 % range.

    Parameters
    ----------
    summary
        The summary of one scenario in one year.

    Returns
    -------
    str
        A ``<div>`` holding the table.
    """
    rows = [
        {
            "indicator": r.label,
            "unit": r.unit,
            "median": r.formatted(r.median),
            "90% range": f"{r.formatted(r.low)} – {r.formatted(r.high)}",
        }
        for r in summary.values()
    ]
    return rows_html(f"{summary.scenario}: median and 90% range in {summary.year}", rows)


def projection_html(proj: Any) -> str:
    """A :class:`~recogmodel.Projection` as a table with a small fan chart per indicator.

    Parameters
    ----------
    proj
        The projection.

    Returns
    -------
    str
        A ``<div>``: the scenario, draws and seed, then per indicator its fan from the
        start to the horizon and its median and 90 % range at the horizon.
    """
    last = proj.years[-1]
    summary = proj.summary(last)
    title = (
        f"{proj.scenario.title} ({proj.name}): {proj.draws:,} draws, seed {proj.seed}, "
        f"{proj.years[0]}–{last}"
    )
    lines = [
        f"<div><strong>{html.escape(title)}</strong>",
        f'<table style="{_STYLE}"><thead><tr>',
        _cell("indicator", "th"),
        _cell("unit", "th"),
        _cell(f"{proj.years[0]}–{last}", "th"),
        _cell(f"median {last}", "th"),
        _cell("90% range", "th"),
        "</tr></thead><tbody>",
    ]
    for k in proj.indicators:
        r = summary[k]
        fan = fan_svg(proj.quantiles(k, [0.05, 0.25, 0.5, 0.75, 0.95]))
        lines.append(
            "<tr>"
            + _cell(r.label)
            + _cell(r.unit)
            + f'<td style="{_CELL.format(align="left")}">{fan}</td>'
            + _cell(r.formatted(r.median))
            + _cell(f"{r.formatted(r.low)} – {r.formatted(r.high)}")
            + "</tr>"
        )
    lines.append("</tbody></table></div>")
    return "".join(lines)


def study_html(study: Any) -> str:
    """A :class:`~recogmodel.Study`: its folder, scenarios, draws and seeds.

    Parameters
    ----------
    study
        The study.

    Returns
    -------
    str
        A ``<div>`` with one row per scenario.
    """
    rows = [
        {
            "scenario": s.name,
            "title": s.title,
            "draws": f"{study.draws_for(s):,}",
            "seed": study.seed_for(s),
        }
        for s in study.scenarios
    ]
    return rows_html(f"Study of {study.case.title} ({study.folder.path.name})", rows)
