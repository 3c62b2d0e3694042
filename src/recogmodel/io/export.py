"""Writing projections to files: one tidy CSV of quantiles, or a JSON record of the run.

Both writers take the projections first and the path second, write atomically (a reader
never sees half a file), and return the path written. This module sits below
:mod:`recogmodel.projection`: it only reads what a projection offers (:meth:`to_rows`,
:meth:`to_dict`), so it imports the class for annotations only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._files import atomic_write

if TYPE_CHECKING:
    from pathlib import Path

    from ..projection import Projection

__all__ = ["CSV_COLUMNS", "DEFAULT_QUANTILES", "write_csv", "write_json"]

#: Quantiles exported by default: the 90 % and 50 % ranges and the median.
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: The columns of the tidy CSV, in order: each value with its Monte Carlo standard error,
#: and whether the indicator's baseline is a fact (stated by a source) or an assumption.
CSV_COLUMNS = ("scenario", "indicator", "year", "quantile", "value", "error", "baseline_basis")


def write_csv(
    projections: Sequence[Projection], path: str | Path, qs: Sequence[float] = DEFAULT_QUANTILES
) -> Path:
    """One tidy CSV for several projections: scenario, indicator, year, quantile, value.

    Parameters
    ----------
    projections
        The projections, written one after another.
    path
        The file to write (its folder is made if need be).
    qs
        The quantile levels of every indicator in every year.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    for proj in projections:
        writer.writerows(proj.to_rows(qs))
    return atomic_write(path, buffer.getvalue())


def write_json(
    projections: Projection | Sequence[Projection],
    path: str | Path,
    qs: Sequence[float] = DEFAULT_QUANTILES,
) -> Path:
    """One JSON file: one projection's record, or a list of them under ``projections``.

    A list always has the same shape, ``{"projections": [...]}``, however many it holds.

    Parameters
    ----------
    projections
        One projection, written as its record itself; or a sequence, written as
        ``{"projections": [...]}`` (a list of one too).
    path
        The file to write (its folder is made if need be).
    qs
        The quantile levels of every indicator in every year.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    if isinstance(projections, Sequence):
        payload: Any = {"projections": [p.to_dict(qs) for p in projections]}
    else:
        payload = projections.to_dict(qs)
    return atomic_write(path, json.dumps(payload, indent=1, allow_nan=False) + "\n")
