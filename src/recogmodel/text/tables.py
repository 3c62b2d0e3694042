"""Plain-text tables: one renderer for the terminal tables of every result."""

from __future__ import annotations

import shutil
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["terminal_width", "text_table"]

#: The narrowest a wrapped column is made, whatever the width asked for.
NARROWEST = 12


def terminal_width(default: int = 100) -> int:
    """Characters per line of the terminal: ``COLUMNS`` when set, else the terminal's size.

    Parameters
    ----------
    default
        The width when neither says (output to a pipe or a file).

    Returns
    -------
    int
        At least 40.
    """
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def text_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    left: int = 1,
    text: int = 0,
    width: int | None = None,
    wrap: Sequence[int] = (),
) -> list[str]:
    """Rows as aligned lines: the first ``left`` and the last ``text`` columns flush left
    (names and prose), the numbers between them flush right.

    Parameters
    ----------
    header
        The column names.
    rows
        The cells, one sequence per row, as many as ``header``.
    left
        Leading columns set flush left.
    text
        Trailing columns set flush left.
    width
        The longest a line may be; ``None``: as long as the cells make it.
    wrap
        Columns that may be wrapped onto more lines (at spaces, never cut short) when the table
        would be wider than ``width``; the widest of them gives up room first.

    Returns
    -------
    list[str]
        The lines, without newlines; a wrapped row takes several.
    """
    table = [list(header), *[list(r) for r in rows]]
    n = len(header)
    widths = [max(len(row[i]) for row in table) for i in range(n)]
    if width is not None:
        over = sum(widths) + 2 * (n - 1) - width
        wrapped = [i if i >= 0 else n + i for i in wrap]
        least = {i: min(widths[i], max(NARROWEST, len(header[i]))) for i in wrapped}
        while over > 0:  # narrow the widest wrapped column, one character at a time
            room = [i for i in wrapped if widths[i] > least[i]]
            if not room:
                break
            widths[max(room, key=lambda i: (widths[i], i))] -= 1
            over -= 1
    first_text = n - text
    lines = []
    for row in table:
        cells = [
            textwrap.wrap(cell, w, break_on_hyphens=False) or [""] if len(cell) > w else [cell]
            for cell, w in zip(row, widths, strict=True)
        ]
        for k in range(max(len(c) for c in cells)):
            parts = []
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                piece = cell[k] if k < len(cell) else ""
                parts.append(piece.ljust(w) if i < left or i >= first_text else piece.rjust(w))
            lines.append("  ".join(parts).rstrip())
    return lines
