"""Results as HTML for notebooks: escaped text, truncated tables, small SVG fans."""

from __future__ import annotations

import numpy as np

from recogmodel.text.html import fan_svg, rows_html


def test_rows_are_escaped_and_long_tables_say_how_many_more() -> None:
    """Cells and titles are escaped; past the limit a line counts the rows left out."""
    rows = [{"name": "<b>x</b>", "value": 0.123456} for _ in range(5)]
    shown = rows_html("A & B", rows, most=2)
    assert "&lt;b&gt;x&lt;/b&gt;" in shown
    assert "<b>x</b>" not in shown
    assert "A &amp; B" in shown
    assert shown.count("<tr>") == 3  # the header and two rows
    assert "and 3 more rows" in shown
    assert "0.1235" in shown


def test_an_empty_result_says_so() -> None:
    """No rows give a note, not an empty table."""
    assert "(no rows)" in rows_html("Nothing", [])


def test_fan_svg_draws_two_bands_and_a_median() -> None:
    """The fan is an SVG of the given size: two band polygons and one median line."""
    qs = np.array([[1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 8]], dtype=float)
    svg = fan_svg(qs, width=90, height=20)
    assert svg.startswith("<svg")
    assert 'width="90"' in svg
    assert svg.count("<polygon") == 2
    assert svg.count("<polyline") == 1
