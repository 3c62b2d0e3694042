"""Figures of projections and analyses, drawn with matplotlib, and their output as files.

Every figure is ``fn(result, ..., *, ax=None) -> Axes``: it draws on the axes it is given,
or on a new figure of its own that pyplot does not know about, and returns what it drew on.
Nothing here calls ``plt.show()`` or changes global ``rcParams``: every style choice is an
argument of the call that draws.

- :mod:`._style`: the colour-blind-safe palette, line styles and markers, axes, ticks and
  legends that every figure shares (:data:`PALETTE`, :data:`LINESTYLES`, :data:`YScale`,
  :data:`AUTO_LOG_RATIO`).
- :mod:`.projections`: :func:`fan_chart`, :func:`compare` and :func:`dashboard`.
- :mod:`.weights`: :func:`driver_weights` (with :func:`normalised_weights`).
- :mod:`.analysis`: :func:`tornado` (what drives a range) and :func:`signpost_matrix`
  (which signposts tell the scenarios apart).
- :mod:`.output`: :func:`save` and :func:`render`, in the :data:`FORMATS` PNG, SVG and PDF.
"""

from ._style import AUTO_LOG_RATIO, LINESTYLES, PALETTE, YScale
from .analysis import signpost_matrix, tornado
from .output import FORMATS, render, save
from .projections import compare, dashboard, fan_chart
from .weights import driver_weights, normalised_weights

__all__ = [
    "AUTO_LOG_RATIO",
    "FORMATS",
    "LINESTYLES",
    "PALETTE",
    "YScale",
    "compare",
    "dashboard",
    "driver_weights",
    "fan_chart",
    "normalised_weights",
    "render",
    "save",
    "signpost_matrix",
    "tornado",
]
