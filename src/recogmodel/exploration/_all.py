"""Sweeps over assumptions: which region of the assumption space leads where.

One scenario answers "what range do the indicators take under these assumptions?". An
*exploration* asks the converse: across a box of chosen assumptions, where does an outcome
happen ("in which region does trade exceed USD 1 bn by 2030?"). :func:`explore` draws
points in that box by Latin hypercube, projects each point as a scenario of its own, keeps
a small summary per point (quantiles and mean of every indicator in every year, never the
draws) and returns an :class:`Exploration`: a table of points x outcomes with helpers to
filter it and to describe the region where a condition holds.

Points run one by one, or as tasks on any ``concurrent.futures.Executor``: a process pool
on one machine, or a Dask cluster through ``dask.distributed.Client(...).get_executor()``.
The numbers never depend on where or in which order the points ran:

- the sweep's seed becomes one ``SeedSequence``; the Latin hypercube is drawn from its
  child ``(0,)`` and point ``i`` is projected with the seed drawn from its child
  ``(1, i)``, so every point can be reproduced alone (:meth:`Exploration.project_point`);
- each task returns only its points' summaries, written into preallocated arrays by
  index, and at most a few tasks are in flight at once, so memory does not grow with the
  draws and grows with the number of points only by the summaries themselves.

A point that fails (its scenario is invalid, the worker ran out of memory, the task was
lost) never ends the sweep: the other points are kept, the failure is recorded in
:attr:`Exploration.failures` with the point's assumption values and the error, and an
:class:`ExploreWarning` says how many failed. :meth:`Exploration.resume` (or
``explore(..., done=previous)``) runs only the points that have no result yet, and
``explore(..., checkpoint=path)`` saves the partial result as it goes (and when the sweep is
interrupted), so a long sweep is never lost.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import math
import os
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast

import numpy as np
from numpy.typing import NDArray

from .._files import atomic_write
from ..engine import Sampling, project
from ..errors import ExploreWarning, InputError, MissingExtraError, Problem
from ..model import Parameter, Scenario
from ..model.estimates import estimate_data
from ..projection import Projection, library_version

__all__ = [
    "DEFAULT_QUANTILES",
    "Exploration",
    "ExploreWarning",
    "Failure",
    "Region",
    "RegionRow",
    "executor_for",
    "explore",
    "parse_over",
]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]

#: What may be written for an assumption's range: ``(low, high)``, ``"low to high"``,
#: ``"low:high"`` (percentages and thousands separators understood), or ``None`` for the
#: assumption's own stated range in the scenario (its 90 % interval or its support).
RangeInput: TypeAlias = tuple[float, float] | Sequence[float] | str | None

#: Quantiles kept per point by default: the median and the 90 % range.
DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
#: Seconds between two checkpoint writes (a checkpoint is also written at the end).
CHECKPOINT_SECONDS = 10.0
_FORMAT = 1  # version of the saved file layout


@dataclass(frozen=True)
class Failure:
    """A point of a sweep that has no result, and why."""

    index: int
    """The point's row in ``Exploration.points``."""
    values: Mapping[str, float]
    """The point's assumption values, by dotted name."""
    error: str
    """The error, as ``Type: message``."""
    detail: str = ""
    """The full traceback, where one was available."""

    def __str__(self) -> str:
        at = ", ".join(f"{n}={v:.6g}" for n, v in self.values.items())
        return f"point {self.index} ({at}): {self.error}"


@dataclass(frozen=True)
class RegionRow:
    """Where, along one swept assumption, the matching points lie."""

    name: str
    """The assumption's dotted name."""
    swept: tuple[float, float]
    """The range it was swept over."""
    low: float
    """Smallest value among matching points (NaN when none match)."""
    high: float
    """Largest value among matching points (NaN when none match)."""
    hit_rates: tuple[float, ...]
    """Share of the completed points in each equal slice of ``swept`` (lowest first) that
    match; NaN for a slice with no completed point."""

    @property
    def spread(self) -> float:
        """How much the hit rate changes along the assumption (0: it does not matter)."""
        rates = [r for r in self.hit_rates if not math.isnan(r)]
        return max(rates) - min(rates) if rates else math.nan


@dataclass(frozen=True)
class Region:
    """The part of the swept box where a condition holds, assumption by assumption."""

    label: str
    """What the condition is, in words."""
    matched: int
    """Completed points where the condition holds."""
    completed: int
    """Completed points (failed and pending points are not counted)."""
    rows: tuple[RegionRow, ...]
    """One row per swept assumption, in the order of the sweep."""

    @property
    def share(self) -> float:
        """Share of the completed points that match."""
        return self.matched / self.completed if self.completed else math.nan

    def __str__(self) -> str:
        head = (
            f"{self.label}: {self.matched:,} of {self.completed:,} points ({self.share:.1%})"
            if self.completed
            else f"{self.label}: no completed points"
        )
        header = ("assumption", "swept", "matching", "hit rate by slice, low to high")
        body = [
            (
                r.name,
                f"{r.swept[0]:.3g} – {r.swept[1]:.3g}",
                "none" if math.isnan(r.low) else f"{r.low:.3g} – {r.high:.3g}",
                " ".join("  -" if math.isnan(x) else f"{x:>4.0%}" for x in r.hit_rates),
            )
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(4)]
        lines = [head]
        for row in [header, *body]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The result.


@dataclass(frozen=True, eq=False)
class Exploration:
    """Per-point summaries of a sweep over assumptions: a table of points x outcomes.

    ``points`` has shape (samples, assumptions), columns in the order of ``names``;
    ``quantiles`` has shape (samples, indicators, years, len(qs)) and ``means`` (samples,
    indicators, years). Rows of points without a result (failed or not run yet) hold NaN
    and are ``False`` in ``ok``.
    """

    scenario: Scenario
    """The scenario the points were laid over."""
    names: tuple[str, ...]
    """The swept assumptions, by dotted name."""
    ranges: tuple[tuple[float, float], ...]
    """The range each was swept over."""
    points: FloatArray
    """The assumption values of every point: (samples, assumptions)."""
    seed: int
    """The sweep's seed (entropy of its ``SeedSequence``): repeats the sweep exactly."""
    seeds: tuple[int, ...]
    """The seed each point was projected with."""
    draws: int
    """Draws per point."""
    sampling: str
    """How each point's uncertain assumptions were sampled ("random" or "lhs")."""
    indicators: tuple[str, ...]
    """Indicators, in the case's order."""
    years: tuple[int, ...]
    """Years kept."""
    qs: tuple[float, ...]
    """Quantile levels kept."""
    quantiles: FloatArray
    """(samples, indicators, years, quantile levels)."""
    means: FloatArray
    """(samples, indicators, years)."""
    ok: BoolArray
    """Which points have a result."""
    failures: tuple[Failure, ...] = field(default=())
    """Points that failed, with their values and errors."""

    def __repr__(self) -> str:
        return (
            f"Exploration(scenario={self.scenario.name!r}, samples={self.samples}, "
            f"assumptions={list(self.names)}, draws={self.draws}, done={int(self.ok.sum())}, "
            f"failed={len(self.failures)}, seed={self.seed})"
        )

    @property
    def samples(self) -> int:
        """Number of points."""
        return int(self.points.shape[0])

    @property
    def complete(self) -> bool:
        """Whether every point has a result."""
        return bool(self.ok.all())

    @property
    def pending(self) -> BoolArray:
        """Points that neither have a result nor failed (a sweep that was cut short)."""
        mask = ~self.ok
        mask[np.array([f.index for f in self.failures], dtype=np.intp)] = False
        return mask

    # -- single points -----------------------------------------------------------------

    def point(self, index: int) -> dict[str, float]:
        """Point ``index``'s assumption values, by dotted name."""
        row = self.points[self._point_index(index)]
        return {n: float(v) for n, v in zip(self.names, row, strict=True)}

    def scenario_at(self, index: int) -> Scenario:
        """The scenario point ``index`` projected: ``scenario`` with its values fixed.

        Correlations that involve a swept assumption are dropped: a fixed number cannot be
        correlated with anything.
        """
        i = self._point_index(index)
        return _point_scenario(self.scenario, self.names, self.points[i])

    def project_point(self, index: int, **kwargs: Any) -> Projection:
        """Project point ``index`` in full, with every draw, exactly as the sweep did.

        ``kwargs`` go to :func:`recogmodel.project` (``executor``, ``chunk_size``...);
        ``draws``, ``seed`` and ``sampling`` default to the sweep's.
        """
        i = self._point_index(index)
        kwargs.setdefault("draws", self.draws)
        kwargs.setdefault("seed", self.seeds[i])
        kwargs.setdefault("sampling", self.sampling)
        return project(self.scenario_at(i), **kwargs)

    # -- filtering ---------------------------------------------------------------------

    def values(
        self, indicator: str, year: int, quantile: float | Literal["mean"] = 0.5
    ) -> FloatArray:
        """One outcome per point: ``indicator``'s quantile (or mean) in ``year``.

        Shape (samples,); NaN where a point has no result.
        """
        k = self._indicator_index(indicator)
        t = self._year_index(year)
        if isinstance(quantile, str):
            if quantile != "mean":
                raise _input("quantile", f"expected a kept level or 'mean', got {quantile!r}")
            column = self.means[:, k, t]
        else:
            column = self.quantiles[:, k, t, self._level_index(quantile)]
        out: FloatArray = column.copy()
        return out

    def where(
        self,
        indicator: str,
        year: int,
        *,
        above: float | None = None,
        below: float | None = None,
        quantile: float | Literal["mean"] = 0.5,
    ) -> BoolArray:
        """Which points have ``indicator``'s quantile (default the median) in ``year`` above
        ``above`` and/or below ``below``; points without a result never match.

        Returns
        -------
        numpy.ndarray
            Boolean mask of shape (samples,); ``points[mask]`` are the matching points.
        """
        if above is None and below is None:
            raise _input("above", "give a threshold: above=..., below=..., or both")
        values = self.values(indicator, year, quantile)
        mask: BoolArray = self.ok.copy()
        with np.errstate(invalid="ignore"):
            if above is not None:
                mask &= values > above
            if below is not None:
                mask &= values < below
        return mask

    def region(self, mask: BoolArray, *, bins: int = 5, label: str = "matching") -> Region:
        """Describe, assumption by assumption, where the points in ``mask`` lie.

        Parameters
        ----------
        mask
            Boolean mask over the points, e.g. from :meth:`where`.
        bins
            Equal slices of each swept range over which the hit rate is reported. With a
            Latin hypercube every slice holds the same number of points.
        label
            The condition in words, for the printed table.

        Returns
        -------
        Region
            Per assumption: the range of the matching values and the hit rate along it.
            Prints as a table.
        """
        m = np.asarray(mask, dtype=np.bool_)
        if m.shape != self.ok.shape:
            raise _input("mask", f"expected a mask of shape {self.ok.shape}, got {m.shape}")
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise _input("bins", f"expected a whole number >= 1, got {bins!r}")
        m = m & self.ok
        rows = []
        for j, (name, (lo, hi)) in enumerate(zip(self.names, self.ranges, strict=True)):
            x = self.points[:, j]
            slot = np.clip(((x - lo) / (hi - lo) * bins).astype(np.intp), 0, bins - 1)
            done = np.bincount(slot[self.ok], minlength=bins)
            hits = np.bincount(slot[m], minlength=bins)
            rates = tuple(float(h / d) if d else math.nan for h, d in zip(hits, done, strict=True))
            rows.append(
                RegionRow(
                    name=name,
                    swept=(lo, hi),
                    low=float(x[m].min()) if m.any() else math.nan,
                    high=float(x[m].max()) if m.any() else math.nan,
                    hit_rates=rates,
                )
            )
        return Region(
            label=label, matched=int(m.sum()), completed=int(self.ok.sum()), rows=tuple(rows)
        )

    # -- tables and export -------------------------------------------------------------

    def columns(self) -> list[str]:
        """The columns of :meth:`table`, in order."""
        stats = ["mean", *(_level_label(q) for q in self.qs)]
        return [
            "point",
            "year",
            *self.names,
            *(f"{k}.{s}" for k in self.indicators for s in stats),
        ]

    def table(self, year: int | None = None) -> list[dict[str, float]]:
        """One record per completed point and year: the assumption values, then the mean and
        quantiles of every indicator (columns ``<indicator>.mean``, ``<indicator>.p50``...).

        ``year`` keeps one year; by default every kept year, rows ordered by point then
        year. Points without a result are left out (see ``failures``).
        """
        ts = range(len(self.years)) if year is None else [self._year_index(year)]
        columns = self.columns()
        records = []
        for i in np.flatnonzero(self.ok):
            point = self.points[i].tolist()
            for t in ts:
                row: list[float] = [int(i), self.years[t], *point]
                for k in range(len(self.indicators)):
                    row.append(float(self.means[i, k, t]))
                    row.extend(self.quantiles[i, k, t].tolist())
                records.append(dict(zip(columns, row, strict=True)))
        return records

    def to_csv(self, path: str | Path, year: int | None = None) -> Path:
        """Write :meth:`table` as CSV, atomically; returns the path."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.table(year))
        return atomic_write(path, buffer.getvalue())

    def to_pandas(self, year: int | None = None) -> Any:
        """:meth:`table` as a pandas DataFrame indexed by (point, year)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtraError(
                "to_pandas() needs pandas; install it with: pip install 'recogmodel[pandas]'"
            ) from None
        frame = pd.DataFrame(self.table(year), columns=self.columns())
        frame = frame.astype({"point": "int64", "year": "int64"})
        return frame.set_index(["point", "year"])

    # -- saving and resuming -----------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the exploration (partial or complete) to one ``.npz`` file, atomically.

        :meth:`load` reads it back; ``load(path).resume()`` finishes a partial sweep.
        """
        meta = {
            "format": _FORMAT,
            "recogmodel": library_version(),
            "scenario": self.scenario.model_dump(mode="json"),
            "names": list(self.names),
            "ranges": [list(r) for r in self.ranges],
            "seed": self.seed,
            "seeds": list(self.seeds),
            "draws": self.draws,
            "sampling": self.sampling,
            "indicators": list(self.indicators),
            "years": list(self.years),
            "qs": list(self.qs),
            "failures": [
                {"index": f.index, "values": dict(f.values), "error": f.error, "detail": f.detail}
                for f in self.failures
            ],
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta, allow_nan=False)),
            points=self.points,
            quantiles=self.quantiles,
            means=self.means,
            ok=self.ok,
        )
        return atomic_write(path, buffer.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> Exploration:
        """Read an exploration written by :meth:`save` (or by a checkpoint)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"][()]))
                arrays = {k: data[k] for k in ("points", "quantiles", "means", "ok")}
            if meta.get("format") != _FORMAT:
                raise ValueError(f"unknown format {meta.get('format')!r}")
            return cls(
                scenario=Scenario.model_validate(meta["scenario"]),
                names=tuple(meta["names"]),
                ranges=tuple((float(a), float(b)) for a, b in meta["ranges"]),
                points=arrays["points"],
                seed=int(meta["seed"]),
                seeds=tuple(int(s) for s in meta["seeds"]),
                draws=int(meta["draws"]),
                sampling=str(meta["sampling"]),
                indicators=tuple(meta["indicators"]),
                years=tuple(int(y) for y in meta["years"]),
                qs=tuple(float(q) for q in meta["qs"]),
                quantiles=arrays["quantiles"],
                means=arrays["means"],
                ok=arrays["ok"].astype(np.bool_),
                failures=tuple(
                    Failure(f["index"], f["values"], f["error"], f.get("detail", ""))
                    for f in meta["failures"]
                ),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise _input("path", f"{path}: not a saved exploration ({exc})") from None

    def resume(
        self,
        *,
        executor: Executor | None = None,
        progress: Callable[[int, int], None] | None = None,
        checkpoint: str | Path | None = None,
    ) -> Exploration:
        """Run the points that have no result yet (failed or never run); keep the rest.

        The result is the one an uninterrupted sweep would have given.
        """
        return explore(
            self.scenario,
            dict(zip(self.names, self.ranges, strict=True)),
            samples=self.samples,
            draws=self.draws,
            seed=self.seed,
            quantiles=self.qs,
            years=self.years,
            sampling=cast("Sampling", self.sampling),
            executor=executor,
            progress=progress,
            done=self,
            checkpoint=checkpoint,
        )

    # -- lookups -----------------------------------------------------------------------

    def _point_index(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise _input("index", f"expected a point number, got {index!r}")
        if not -self.samples <= index < self.samples:
            raise _input("index", f"{index} is not a point; expected 0..{self.samples - 1}")
        return int(index) % self.samples

    def _indicator_index(self, indicator: str) -> int:
        if indicator not in self.indicators:
            known = ", ".join(self.indicators)
            raise _input(
                "indicator",
                f"'{indicator}' is not an indicator of scenario '{self.scenario.name}'; "
                f"expected one of: {known}",
            )
        return self.indicators.index(indicator)

    def _year_index(self, year: int) -> int:
        if year not in self.years:
            kept = ", ".join(str(y) for y in self.years)
            raise _input("year", f"{year} is not a kept year; expected one of: {kept}")
        return self.years.index(year)

    def _level_index(self, q: float) -> int:
        for j, level in enumerate(self.qs):
            if math.isclose(level, q, rel_tol=0, abs_tol=1e-12):
                return j
        kept = ", ".join(f"{x:g}" for x in self.qs)
        raise _input(
            "quantile", f"{q!r} is not a kept quantile; expected one of: {kept}, or 'mean'"
        )


# ---------------------------------------------------------------------------------------
# One task: a few points, projected one after the other, summarised.


@dataclass(frozen=True)
class _Task:
    """Everything a worker needs to run some points: small, picklable, self-contained."""

    scenario: Scenario
    names: tuple[str, ...]
    indices: tuple[int, ...]
    values: FloatArray  # (len(indices), assumptions)
    seeds: tuple[int, ...]
    draws: int
    sampling: Sampling
    qs: tuple[float, ...]
    year_index: tuple[int, ...]


@dataclass(frozen=True)
class _PointResult:
    index: int
    quantiles: FloatArray | None  # (indicators, years, quantile levels)
    means: FloatArray | None  # (indicators, years)
    error: str = ""
    detail: str = ""


def _run_points(task: _Task) -> list[_PointResult]:
    """Project each point of ``task`` and keep its summary; a point's error is its result."""
    out = []
    for row, index in enumerate(task.indices):
        try:
            scenario = _point_scenario(task.scenario, task.names, task.values[row])
            proj = project(scenario, draws=task.draws, seed=task.seeds[row], sampling=task.sampling)
            data = proj.data[:, list(task.year_index), :]  # (draws, years, indicators)
            q = np.quantile(data, task.qs, axis=0)  # (levels, years, indicators)
            out.append(
                _PointResult(
                    index,
                    np.ascontiguousarray(q.transpose(2, 1, 0)),
                    np.ascontiguousarray(data.mean(axis=0).T),
                )
            )
            del proj, data
        except Exception as exc:
            out.append(_PointResult(index, None, None, _describe(exc), _traceback(exc)))
    return out


def _point_scenario(scenario: Scenario, names: Sequence[str], values: FloatArray) -> Scenario:
    kept = [c.model_dump() for c in scenario.correlations if not set(c.between) & set(names)]
    return scenario.with_changes(_overlay(names, values), correlations=kept)


def _overlay(names: Sequence[str], values: FloatArray) -> dict[str, Any]:
    """Partial case data setting each dotted name to its value.

    ``drivers.x.effects.k`` becomes ``{"drivers": {"x": {"effects": {"k": v}}}}``; the
    overlay merge expands it to ``{"size": v}`` and keeps the effect's sources.
    """
    out: dict[str, Any] = {}
    for name, value in zip(names, values, strict=True):
        *path, last = name.split(".")
        node = out
        for key in path:
            node = node.setdefault(key, {})
        node[last] = float(value)
    return out


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# ---------------------------------------------------------------------------------------
# The sweep.


def explore(
    scenario: Scenario,
    over: Mapping[str, RangeInput],
    *,
    samples: int,
    draws: int = 1000,
    seed: int | None = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    years: Sequence[int] | None = None,
    sampling: Sampling = "random",
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    done: Exploration | None = None,
    checkpoint: str | Path | None = None,
    batch_size: int | None = None,
) -> Exploration:
    """Sweep chosen assumptions of ``scenario`` by Latin hypercube; summarise each point.

    Parameters
    ----------
    scenario
        The scenario whose assumptions are swept (``load_case(path)[name]``).
    over
        Dotted assumption name (as in ``scenario.case.parameters()``, e.g.
        ``indicators.bilateral_trade.drift``) -> range: ``(low, high)``, ``"low to high"``,
        ``"low:high"`` (``"5% to 15%"`` understood), or ``None`` for the assumption's
        stated range in the scenario. Each point fixes every swept assumption at one value
        drawn uniformly within its range; the others keep their distributions.
    samples
        Number of points. The Latin hypercube cuts every range into ``samples`` equal
        slices and puts exactly one point in each.
    draws
        Draws per point.
    seed
        The sweep's seed; by default the scenario's, else fresh entropy (recorded in the
        result, so the sweep can be repeated exactly).
    quantiles
        Quantile levels kept per indicator and year (the mean is always kept).
    years
        Years kept (default: every projected year).
    sampling
        How each point's remaining uncertain assumptions are sampled: ``"random"`` or
        ``"lhs"`` (as in :func:`recogmodel.project`).
    executor
        Any ``concurrent.futures.Executor`` (a process pool, a Dask client's executor); the
        points run as tasks on it. The result is identical to a run without one.
    progress
        Called as ``progress(points_done, points_total)`` as points finish.
    done
        A previous, partial exploration of the same sweep: its results are kept and only
        the points without one are run.
    checkpoint
        A file the partial result is saved to as the sweep goes (every
        :data:`CHECKPOINT_SECONDS`), at the end, and when the sweep is interrupted; read it
        back with :meth:`Exploration.load` and finish it with :meth:`Exploration.resume`.
    batch_size
        Points per task on an executor (default: chosen from the executor's workers). Never
        changes the numbers.

    Returns
    -------
    Exploration
        The points and, for each, the quantiles and mean of every indicator in every kept
        year. Failed points are listed in ``failures`` (an :class:`ExploreWarning` says how
        many) and hold NaN.

    Raises
    ------
    InputError
        An argument is invalid: an unknown assumption (the message lists the known ones),
        a range outside the assumption's domain, a year not projected...
    """
    if not isinstance(scenario, Scenario):
        hint = (
            "; pass one of its scenarios: explore(case['baseline'], over={...})"
            if hasattr(scenario, "case")
            else ""
        )
        raise _input("scenario", f"expected a Scenario, got {type(scenario).__name__}{hint}")
    if done is not None and not isinstance(done, Exploration):
        raise _input("done", f"expected an Exploration, got {type(done).__name__}")
    names, ranges = _resolve_over(scenario, over)
    n = _whole("samples", samples)
    n_draws = _whole("draws", draws)
    levels = _levels(quantiles)
    case = scenario.case
    kept_years = _kept_years(case.years, years)
    if sampling not in ("random", "lhs"):
        raise _input(
            "sampling", f"'{sampling}' is not a sampling method; expected 'random' or 'lhs'"
        )
    if batch_size is not None:
        _whole("batch_size", batch_size)
    if executor is not None and not isinstance(executor, Executor):
        hint = "; for Dask, pass client.get_executor()" if hasattr(executor, "get_executor") else ""
        raise _input(
            "executor",
            f"expected a concurrent.futures.Executor, got {type(executor).__name__}{hint}",
        )
    if seed is None:
        seed = scenario.seed if scenario.seed is not None or done is None else done.seed
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    points = _latin_hypercube(entropy, n, ranges)
    seeds = tuple(_point_seed(entropy, i) for i in range(n))
    shape = (n, len(case.indicators), len(kept_years))
    result = Exploration(
        scenario=scenario,
        names=names,
        ranges=ranges,
        points=points,
        seed=entropy,
        seeds=seeds,
        draws=n_draws,
        sampling=sampling,
        indicators=tuple(case.indicators),
        years=kept_years,
        qs=levels,
        quantiles=np.full((*shape, len(levels)), np.nan),
        means=np.full(shape, np.nan),
        ok=np.zeros(n, dtype=np.bool_),
    )
    if done is not None:
        _check_same_sweep(result, done)
        result.quantiles[done.ok] = done.quantiles[done.ok]
        result.means[done.ok] = done.means[done.ok]
        result.ok[:] = done.ok
    return _Sweep(result, executor, progress, checkpoint, batch_size).run()


class _Sweep:
    """Runs the points of an exploration that have no result, filling it in place."""

    def __init__(
        self,
        result: Exploration,
        executor: Executor | None,
        progress: Callable[[int, int], None] | None,
        checkpoint: str | Path | None,
        batch_size: int | None,
    ) -> None:
        self.result = result
        self.executor = executor
        self.progress = progress
        self.checkpoint = None if checkpoint is None else Path(checkpoint)
        self.batch_size = batch_size
        self.failures: dict[int, Failure] = {}
        self.year_index = tuple(result.scenario.case.years.index(y) for y in result.years)
        self.saved = time.monotonic()
        self.finished = int(result.ok.sum())

    def run(self) -> Exploration:
        todo = [int(i) for i in np.flatnonzero(~self.result.ok)]
        try:
            if self.executor is None:
                for i in todo:
                    self._collect(_run_points(self._task([i])))
            else:
                self._run_on(self.executor, todo)
        finally:
            if self.checkpoint is not None:
                self._snapshot().save(self.checkpoint)
        final = self._snapshot()
        if final.failures:
            shown = "; ".join(str(f) for f in final.failures[:3])
            more = f"; and {len(final.failures) - 3} more" if len(final.failures) > 3 else ""
            warnings.warn(
                f"{len(final.failures)} of {final.samples} points failed and have no result "
                f"(see .failures; rerun them with .resume()): {shown}{more}",
                ExploreWarning,
                stacklevel=3,
            )
        return final

    def _run_on(self, executor: Executor, todo: list[int]) -> None:
        workers = _concurrency(executor)
        size = self.batch_size or max(1, min(32, math.ceil(len(todo) / (8 * workers))))
        batches = iter([todo[k : k + size] for k in range(0, len(todo), size)])
        window = 2 * workers
        pending: dict[Future[list[_PointResult]], list[int]] = {}

        def fill() -> None:
            while len(pending) < window:
                batch = next(batches, None)
                if batch is None:
                    return
                try:
                    pending[executor.submit(_run_points, self._task(batch))] = batch
                except Exception as exc:  # a broken or shut-down executor
                    self._collect(self._lost(batch, exc))

        try:
            fill()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = pending.pop(future)
                    try:
                        results = future.result()
                    except Exception as exc:  # the task itself was lost
                        results = self._lost(batch, exc)
                    self._collect(results)
                fill()
        except BaseException:
            for future in pending:
                future.cancel()
            raise

    def _task(self, indices: list[int]) -> _Task:
        r = self.result
        return _Task(
            scenario=r.scenario,
            names=r.names,
            indices=tuple(indices),
            values=r.points[indices],
            seeds=tuple(r.seeds[i] for i in indices),
            draws=r.draws,
            sampling=cast("Sampling", r.sampling),
            qs=r.qs,
            year_index=self.year_index,
        )

    def _lost(self, batch: list[int], exc: BaseException) -> list[_PointResult]:
        error, detail = f"task failed: {_describe(exc)}", _traceback(exc)
        return [_PointResult(i, None, None, error, detail) for i in batch]

    def _collect(self, results: list[_PointResult]) -> None:
        r = self.result
        for p in results:
            if p.quantiles is None or p.means is None:
                self.failures[p.index] = Failure(p.index, r.point(p.index), p.error, p.detail)
            else:
                r.quantiles[p.index] = p.quantiles
                r.means[p.index] = p.means
                r.ok[p.index] = True
                self.failures.pop(p.index, None)
            self.finished += 1
        if self.progress is not None:
            self.progress(self.finished, r.samples)
        now = time.monotonic()
        if self.checkpoint is not None and now - self.saved >= CHECKPOINT_SECONDS:
            self._snapshot().save(self.checkpoint)
            self.saved = now

    def _snapshot(self) -> Exploration:
        failures = tuple(self.failures[i] for i in sorted(self.failures))
        return Exploration(**{**_fields(self.result), "failures": failures})


def _fields(e: Exploration) -> dict[str, Any]:
    return {k: getattr(e, k) for k in Exploration.__dataclass_fields__}


def _concurrency(executor: Executor) -> int:
    """Tasks the executor runs at once, as far as it says (a guess otherwise)."""
    workers = getattr(executor, "_max_workers", None)  # process and thread pools
    if isinstance(workers, int) and workers > 0:
        return workers
    client = getattr(executor, "_client", None)  # dask.distributed's ClientExecutor
    if client is not None:
        with contextlib.suppress(Exception):
            return max(1, int(sum(client.nthreads().values())))
    return os.cpu_count() or 4


def _latin_hypercube(entropy: int, n: int, ranges: Sequence[tuple[float, float]]) -> FloatArray:
    """``n`` points, one in each of ``n`` equal slices of every range, uniform within it."""
    seq = np.random.SeedSequence(entropy, spawn_key=(0,))
    rng = np.random.Generator(np.random.PCG64(seq))
    d = len(ranges)
    strata = rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T  # (n, d)
    u = (strata + rng.random((n, d))) / n
    low = np.array([r[0] for r in ranges])
    high = np.array([r[1] for r in ranges])
    points: FloatArray = np.minimum(low + u * (high - low), high)
    return points


def _point_seed(entropy: int, index: int) -> int:
    """The seed point ``index`` is projected with: independent of every other point."""
    seq = np.random.SeedSequence(entropy, spawn_key=(1, index))
    return int(seq.generate_state(1, np.uint64)[0])


def _check_same_sweep(new: Exploration, old: Exploration) -> None:
    checks = [
        ("assumptions", new.names, old.names),
        ("ranges", new.ranges, old.ranges),
        ("samples", new.samples, old.samples),
        ("seed", new.seed, old.seed),
        ("draws", new.draws, old.draws),
        ("sampling", new.sampling, old.sampling),
        ("quantiles", new.qs, old.qs),
        ("years", new.years, old.years),
    ]
    differ = [f"{what} ({b!r} before, {a!r} now)" for what, a, b in checks if a != b]
    if not differ and new.scenario.model_dump(mode="json") != old.scenario.model_dump(mode="json"):
        differ.append(f"the scenario ('{new.scenario.name}' has changed)")
    if differ:
        raise _input(
            "done",
            "the previous exploration is of a different sweep; it differs in: " + ", ".join(differ),
        )


# ---------------------------------------------------------------------------------------
# Arguments.


def _input(field_name: str, message: str) -> InputError:
    return InputError([Problem(field_name, message)])


def _whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise _input(name, f"expected a whole number >= 1, got {value!r}")
    return int(value)


def _levels(quantiles: Sequence[float]) -> tuple[float, ...]:
    try:
        q = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    except (TypeError, ValueError):
        q = np.array([np.nan])
    if q.ndim != 1 or q.size == 0 or not np.isfinite(q).all() or ((q < 0) | (q > 1)).any():
        raise _input("quantiles", f"expected shares between 0 and 1, got {quantiles!r}")
    return tuple(float(x) for x in q)


def _kept_years(axis: list[int], years: Sequence[int] | None) -> tuple[int, ...]:
    if years is None:
        return tuple(axis)
    wanted = list(years)
    wrong = [y for y in wanted if y not in axis]
    if wrong or not wanted or len(set(wanted)) != len(wanted):
        raise _input(
            "years",
            f"expected distinct projected years {axis[0]}..{axis[-1]}, got {wanted!r}",
        )
    return tuple(int(y) for y in wanted)


def _level_label(q: float) -> str:
    return f"p{q * 100:g}"


def _resolve_over(
    scenario: Scenario, over: Mapping[str, RangeInput]
) -> tuple[tuple[str, ...], tuple[tuple[float, float], ...]]:
    if not isinstance(over, Mapping) or not over:
        raise _input(
            "over",
            "expected a mapping of at least one dotted assumption name to a range, e.g. "
            "{'indicators.bilateral_trade.drift': (0.0, 0.15)}",
        )
    params: dict[str, Parameter] = {p.name: p for p in scenario.case.parameters()}
    problems: list[Problem] = []
    names: list[str] = []
    ranges: list[tuple[float, float]] = []
    for name, value in over.items():
        field_name = f"over.{name}"
        param = params.get(name)
        if param is None:
            close = difflib.get_close_matches(str(name), params, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            problems.append(
                Problem(
                    field_name,
                    f"'{name}' is not an assumption of scenario '{scenario.name}'; {hint}"
                    f"expected one of: {', '.join(params)}",
                )
            )
            continue
        try:
            if value is None:
                low, high = param.estimate.stated_range()
                if not low < high:
                    raise ValueError(
                        f"is fixed at {low:g} in scenario '{scenario.name}'; give a range to "
                        "sweep it over"
                    )
            else:
                low, high = _parse_range(value)
        except ValueError as exc:
            problems.append(Problem(field_name, str(exc)))
            continue
        if not param.domain.admits(low, high):
            problems.append(
                Problem(
                    field_name,
                    f"{low:g} to {high:g} lies outside {param.domain}, the domain of "
                    f"{param.domain.what}",
                )
            )
            continue
        names.append(name)
        ranges.append((low, high))
    if problems:
        raise InputError(problems)
    return tuple(names), tuple(ranges)


def _parse_range(value: Any) -> tuple[float, float]:
    """``(low, high)``, ``"low to high"`` or ``"low:high"`` as two floats, low below high."""
    if isinstance(value, str):
        text = value.strip()
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 2:
                raise ValueError(f'could not read "{value}"; expected "low:high"')
            ends = [_number(p, value) for p in parts]
        else:
            parsed = estimate_data(text)
            if parsed.get("dist") not in ("normal", "lognormal"):
                raise ValueError(
                    f'"{value}" is a single number; expected a range: "low to high" or "low:high"'
                )
            ends = [float(parsed["low"]), float(parsed["high"])]
    elif isinstance(value, Sequence) and len(value) == 2:
        ends = []
        for end in value:
            if isinstance(end, bool) or not isinstance(end, int | float | np.number):
                raise ValueError(f"expected two numbers (low, high), got {value!r}")
            ends.append(float(end))
    else:
        raise ValueError(
            f'expected a range: (low, high), "low to high" or "low:high", got {value!r}'
        )
    low, high = ends
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{value!r}: both ends must be finite numbers")
    if not low < high:
        raise ValueError(f"{value!r}: low end must be below high end")
    return low, high


def _number(text: str, whole: str) -> float:
    try:
        parsed = estimate_data(text.strip())
    except ValueError:
        parsed = {}
    if parsed.get("dist") != "fixed":
        raise ValueError(f'could not read "{text.strip()}" in "{whole}"; expected a number')
    return float(parsed["value"])


def parse_over(texts: Sequence[str]) -> dict[str, tuple[float, float] | None]:
    """Read ``--over FIELD=RANGE`` arguments of the command line.

    ``RANGE`` is ``low to high`` or ``low:high`` (``5% to 15%`` understood); a bare
    ``FIELD`` sweeps the assumption's stated range (``None``). Names are checked against
    the scenario by :func:`explore`.

    Raises
    ------
    InputError
        Naming the ``--over`` argument that cannot be read.
    """
    out: dict[str, tuple[float, float] | None] = {}
    problems: list[Problem] = []
    for text in texts:
        name, sep, spec = text.partition("=")
        name = name.strip()
        if not name or " " in name:
            problems.append(
                Problem(
                    "--over",
                    f'"{text}": expected FIELD=RANGE, e.g. '
                    '"indicators.bilateral_trade.drift=0 to 0.15"',
                )
            )
            continue
        if name in out:
            problems.append(Problem("--over", f'"{text}": {name} is given more than once'))
            continue
        if not sep:
            out[name] = None
            continue
        try:
            out[name] = _parse_range(spec)
        except ValueError as exc:
            problems.append(Problem("--over", f'"{text}": {exc}'))
    if problems:
        raise InputError(problems)
    return out


@contextlib.contextmanager
def executor_for(
    workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor the command line's ``--workers K`` / ``--scheduler ADDRESS`` ask for.

    - neither, or ``workers=1``: ``None`` (run in this process);
    - ``workers=K``: a process pool of K workers (``0``: one per core);
    - ``scheduler=ADDRESS`` (e.g. ``tcp://10.0.0.5:8786``): the executor of a Dask client
      connected to that scheduler; ``scheduler="local"``: a local Dask cluster of
      ``workers`` processes (default one per core).

    The pool, client or cluster is shut down when the block ends.

    Raises
    ------
    InputError
        Invalid ``workers``, both a remote scheduler and ``workers``, or a scheduler that
        cannot be reached.
    MissingExtraError
        A scheduler was asked for but Dask is not installed (extra ``recogmodel[dask]``).
    """
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 0
    ):
        raise _input("--workers", f"expected a whole number >= 0, got {workers!r}")
    if scheduler is None:
        if workers is None or workers == 1:
            yield None
            return
        with ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
            yield pool
        return
    distributed = _distributed()
    if scheduler == "local":
        with (
            distributed.LocalCluster(
                n_workers=workers or None, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client.get_executor()
        return
    if workers is not None:
        raise _input(
            "--workers",
            "a Dask scheduler's cluster has its own workers; give --workers or --scheduler "
            "ADDRESS, not both (or --scheduler local --workers K for a local cluster)",
        )
    try:
        client = distributed.Client(scheduler)
    except (OSError, ValueError) as exc:
        raise _input(
            "--scheduler", f"cannot connect to the Dask scheduler at {scheduler}: {exc}"
        ) from None
    with client:
        yield client.get_executor()


def _distributed() -> Any:
    try:
        import dask.distributed
    except ImportError:
        raise MissingExtraError(
            "running on a Dask cluster needs dask.distributed; install it with: "
            "pip install 'recogmodel[dask]'"
        ) from None
    return dask.distributed
