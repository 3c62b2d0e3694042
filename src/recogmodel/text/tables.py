"""Plain-text tables: one renderer for the terminal tables of every result."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


def text_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1, text: int = 0
) -> list[str]:
    """Rows as aligned lines: the first ``left`` and the last ``text`` columns flush left
    (names and prose), the numbers between them flush right.
    """
    table = [list(header), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    first_text = len(header) - text
    return [
        "  ".join(
            cell.ljust(w) if i < left or i >= first_text else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
