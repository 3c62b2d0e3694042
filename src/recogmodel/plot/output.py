"""Figures written out: PNG, SVG or PDF, reproducibly, and atomically when saved to a file.

:func:`render` gives a figure's bytes (as the report embeds them); :func:`save` writes them
to a path. Neither leaves a trace in matplotlib's global ``rcParams``.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from .._files import atomic_write
from ..errors import InputError, Problem

__all__ = ["FORMATS", "render", "save"]

#: The file formats :func:`save` writes.
FORMATS = ("png", "svg", "pdf")


def save(
    figure: Figure | SubFigure | Axes,
    path: str | Path,
    *,
    format: str | None = None,
    dpi: float = 150,
) -> Path:
    """Write a figure as PNG, SVG or PDF, atomically and reproducibly.

    The figure is rendered in memory and then written beside ``path`` and renamed into
    place, so a reader never sees half a file. SVG and PDF carry no creation date and SVG
    ids are derived from the figure alone, so a figure drawn by the same code from the same
    projection gives the same bytes every time.

    Parameters
    ----------
    figure
        The figure, or any axes on it.
    path
        Where to write; missing folders are created.
    format
        ``"png"``, ``"svg"`` or ``"pdf"``; by default the suffix of ``path``.
    dpi
        Resolution of PNG output (and of raster parts of the others).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        If the format is not one of PNG, SVG or PDF.
    """
    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        stated = f"'{format}'" if format else f"suffix '{target.suffix}'" if target.suffix else ""
        raise InputError(
            [
                Problem(
                    "format",
                    f"cannot write {stated or 'a file without a suffix'}; "
                    f"expected one of: {', '.join(FORMATS)}",
                )
            ]
        )
    return atomic_write(target, render(figure, fmt, dpi=dpi))


def render(
    figure: Figure | SubFigure | Axes,
    format: str = "png",
    *,
    dpi: float = 150,
    text_as_text: bool = False,
    salt: str = "recogmodel",
) -> bytes:
    """A figure rendered in memory, reproducibly: no creation date, SVG ids from ``salt``.

    Parameters
    ----------
    figure
        The figure, or any axes on it.
    format
        ``"png"``, ``"svg"`` or ``"pdf"``.
    dpi
        Resolution of PNG output (and of raster parts of the others).
    text_as_text
        Keep SVG text as ``<text>`` elements (selectable, searchable, as an HTML page
        wants) instead of drawing the glyphs as paths (exact, as a standalone file wants).
    salt
        The seed of SVG ids: the same figure and salt give the same ids every time.

    Returns
    -------
    bytes
        The file's contents.
    """
    root: Any = figure.figure if isinstance(figure, Axes | SubFigure) else figure
    while not isinstance(root, Figure):
        root = root.figure
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }[format]
    buffer = io.BytesIO()
    # Without a fixed salt, SVG ids are random on every save; the context is undone after.
    style: dict[Any, Any] = {"svg.hashsalt": salt}
    if text_as_text:
        style["svg.fonttype"] = "none"
    with mpl.rc_context(style):
        root.savefig(buffer, format=format, dpi=dpi, metadata=metadata)
    if format == "svg":
        return _clip_ids_in_order(buffer.getvalue(), salt)
    return buffer.getvalue()


_CLIP_REF = re.compile(rb"url\(#(p[0-9a-f]{10})\)")


def _clip_ids_in_order(svg: bytes, salt: str) -> bytes:
    """Clip-path ids named by their order in the file and the salt, not by matplotlib's hash.

    matplotlib hashes a clip rectangle's coordinates as Python prints them, and those may
    come as a NumPy or a Python float from one drawing of a figure to the next: the same
    figure rendered twice would differ in its ids alone.
    """
    order: dict[bytes, bytes] = {}
    for match in _CLIP_REF.finditer(svg):
        old = match.group(1)
        if old not in order:
            digest = hashlib.sha256(f"{salt}:{len(order)}".encode()).hexdigest()[:10]
            order[old] = f"p{digest}".encode()
    if not order:
        return svg
    pattern = re.compile(rb"(?<=[#\"])(" + b"|".join(map(re.escape, order)) + rb")(?=[)\"])")
    return pattern.sub(lambda m: order[m.group(1)], svg)
