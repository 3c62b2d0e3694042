"""Figures written out: save() in every format, atomically and reproducibly, and render()."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel import plot

from .plot_helpers import MAGIC
from .plot_helpers import boom_bust as boom_bust

# Fixtures: pytest finds them by their names in this module.
from .plot_helpers import nothing_left_on_pyplot as nothing_left_on_pyplot
from .plot_helpers import proj as proj
from .plot_helpers import pushed as pushed
from .plot_helpers import table as table
from .plot_helpers import trade_sensitivity as trade_sensitivity

if TYPE_CHECKING:
    from pathlib import Path

    from recogmodel.analysis import Sensitivity, SignpostTable


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_writes_each_format_atomically(proj: rm.Projection, tmp_path: Path, fmt: str) -> None:
    """save() infers the format from the suffix, writes it, and leaves no temporary file."""
    ax = plot.fan_chart(proj, "trade")
    path = plot.save(ax, tmp_path / "out" / f"fan.{fmt}", dpi=50)
    assert path == tmp_path / "out" / f"fan.{fmt}"
    assert path.read_bytes().startswith(MAGIC[fmt])
    assert [p.name for p in path.parent.iterdir()] == [f"fan.{fmt}"]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_save_writes_the_analysis_figures(
    trade_sensitivity: Sensitivity, table: SignpostTable, tmp_path: Path, fmt: str
) -> None:
    """A tornado and a signpost matrix save like any other figure."""
    for name, ax in (
        ("tornado", plot.tornado(trade_sensitivity)),
        ("signposts", plot.signpost_matrix(table)),
    ):
        path = plot.save(ax, tmp_path / f"{name}.{fmt}", dpi=50)
        assert path.read_bytes().startswith(MAGIC[fmt])


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_save_is_reproducible(proj: rm.Projection, tmp_path: Path, fmt: str) -> None:
    """The same figure drawn and saved twice as SVG or PDF gives the same bytes."""
    first = plot.save(plot.dashboard(proj), tmp_path / f"a.{fmt}").read_bytes()
    second = plot.save(plot.dashboard(proj), tmp_path / f"b.{fmt}").read_bytes()
    assert first == second


def test_save_takes_an_explicit_format(proj: rm.Projection, tmp_path: Path) -> None:
    """format= overrides the suffix."""
    path = plot.save(plot.compare(proj, "trade"), tmp_path / "figure.out", format="PDF")
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("fan.jpg", None, "suffix '.jpg'"),
        ("fan", None, "without a suffix"),
        ("fan.png", "gif", "'gif'"),
    ],
)
def test_save_refuses_other_formats(
    proj: rm.Projection, tmp_path: Path, name: str, fmt: str | None, message: str
) -> None:
    """Anything but PNG, SVG or PDF is an input error naming the formats; nothing is written."""
    ax = plot.fan_chart(proj, "trade")
    with pytest.raises(rm.InputError, match=message) as caught:
        plot.save(ax, tmp_path / name, format=fmt)
    assert "expected one of: png, svg, pdf" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", plot.FORMATS)
def test_render_gives_the_bytes_save_writes(proj: rm.Projection, tmp_path: Path, fmt: str) -> None:
    """save() writes exactly what render() returns for the same figure and resolution."""
    ax = plot.fan_chart(proj, "trade")
    written = plot.save(ax, tmp_path / f"fan.{fmt}", dpi=50).read_bytes()
    assert plot.render(ax, fmt, dpi=50) == written
    assert written.startswith(MAGIC[fmt])


def test_render_keeps_svg_text_as_text_when_asked(proj: rm.Projection) -> None:
    """text_as_text keeps the title as a <text> element; by default glyphs become paths."""
    ax = plot.fan_chart(proj, "trade")
    as_text = plot.render(ax.figure, "svg", text_as_text=True).decode()
    as_paths = plot.render(ax.figure, "svg").decode()
    assert "<text" in as_text
    assert "Small baseline" in as_text
    assert "<text" not in as_paths
    assert 'id="DejaVuSans-' in as_paths  # the glyphs, drawn as paths
    assert 'id="DejaVuSans-' not in as_text


def test_render_takes_its_svg_ids_from_the_salt(proj: rm.Projection) -> None:
    """The same salt gives the same SVG twice; another salt gives other ids."""
    ax = plot.fan_chart(proj, "trade")
    first = plot.render(ax, "svg", salt="one")
    assert plot.render(ax, "svg", salt="one") == first
    assert plot.render(ax, "svg", salt="two") != first
