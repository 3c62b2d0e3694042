"""The file form of an exploration: one ``.npz`` file, written and read back.

:func:`save_exploration` writes an :class:`~recogmodel.exploration.Exploration` (partial or
complete) as its arrays and a JSON header, atomically; :func:`load_exploration` reads it
back, so a sweep that was cut short can be resumed. ``Exploration.save`` and
``Exploration.load`` are these two functions.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any, cast, get_args

import numpy as np

from .._files import atomic_write
from .._types import Sampling
from ..model import Scenario
from ..projection import library_version
from .result import Exploration, Failure, input_error

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["load_exploration", "save_exploration"]

_FORMAT = 1  # version of the saved file layout


def save_exploration(exploration: Exploration, path: str | Path) -> Path:
    """Write ``exploration`` to one ``.npz`` file; see :meth:`Exploration.save`."""
    e = exploration
    meta = {
        "format": _FORMAT,
        "recogmodel": library_version(),
        "scenario": e.scenario.model_dump(mode="json"),
        "names": list(e.names),
        "ranges": [list(r) for r in e.ranges],
        "seed": e.seed,
        "seeds": list(e.seeds),
        "draws": e.draws,
        "sampling": e.sampling,
        "indicators": list(e.indicators),
        "years": list(e.years),
        "qs": list(e.qs),
        "failures": [
            {"index": f.index, "values": dict(f.values), "error": f.error, "detail": f.detail}
            for f in e.failures
        ],
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.array(json.dumps(meta, allow_nan=False)),
        points=e.points,
        quantiles=e.quantiles,
        means=e.means,
        ok=e.ok,
        errors=np.full_like(e.quantiles, np.nan) if e.errors is None else e.errors,
    )
    return atomic_write(path, buffer.getvalue())


def load_exploration(path: str | Path) -> Exploration:
    """Read a file written by :func:`save_exploration`; see :meth:`Exploration.load`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"][()]))
            arrays = {k: data[k] for k in ("points", "quantiles", "means", "ok")}
            errors = data["errors"] if "errors" in data.files else None
        if meta.get("format") != _FORMAT:
            raise ValueError(f"unknown format {meta.get('format')!r}")
        return Exploration(
            scenario=Scenario.model_validate(meta["scenario"]),
            names=tuple(meta["names"]),
            ranges=tuple((float(a), float(b)) for a, b in meta["ranges"]),
            points=arrays["points"],
            seed=int(meta["seed"]),
            seeds=tuple(int(s) for s in meta["seeds"]),
            draws=int(meta["draws"]),
            sampling=_sampling(meta["sampling"]),
            indicators=tuple(meta["indicators"]),
            years=tuple(int(y) for y in meta["years"]),
            qs=tuple(float(q) for q in meta["qs"]),
            quantiles=arrays["quantiles"],
            means=arrays["means"],
            ok=arrays["ok"].astype(np.bool_),
            errors=errors,
            failures=tuple(
                Failure(f["index"], f["values"], f["error"], f.get("detail", ""))
                for f in meta["failures"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise input_error("path", f"{path}: not a saved exploration ({exc})") from None


def _sampling(value: Any) -> Sampling:
    if value not in get_args(Sampling):
        raise ValueError(f"unknown sampling {value!r}")
    return cast("Sampling", value)
