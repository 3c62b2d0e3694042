"""Plain-text tables: aligned columns, and wrapped (never cut) to fit a width."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recogmodel.text.tables import terminal_width, text_table

if TYPE_CHECKING:
    import pytest


def test_columns_are_aligned_names_left_numbers_right() -> None:
    """Names flush left, numbers flush right, two spaces between columns."""
    lines = text_table(["name", "value"], [["a", "1"], ["bb", "100"]])
    assert lines == ["name  value", "a         1", "bb      100"]


def test_a_wrapped_column_fits_the_width_and_keeps_every_word() -> None:
    """A table wider than the width wraps its wrappable columns at spaces, whole."""
    why = "a long rationale that goes on and on about the reasons it is so"
    rows = [["1", "People reached by Russian humanitarian aid", "0.3", why]]
    lines = text_table(["#", "name", "v", "why"], rows, left=2, text=1, width=50, wrap=(1, -1))
    assert max(len(line) for line in lines) <= 50
    assert " ".join(" ".join(lines[1:]).split()).count("People reached") == 1
    assert set(why.split()) <= set(" ".join(lines[1:]).split())


def test_terminal_width_follows_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS sets the width, never under 40."""
    monkeypatch.setenv("COLUMNS", "80")
    assert terminal_width() == 80
    monkeypatch.setenv("COLUMNS", "10")
    assert terminal_width() == 40
