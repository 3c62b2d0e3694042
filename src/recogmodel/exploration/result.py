"""The result of a sweep over assumptions: a table of points x outcomes.

One concept, a little over the usual size: most of the length is the docstrings of its
public methods.

An :class:`Exploration` holds, for every point of a sweep (see
:func:`~recogmodel.exploration.explore`), the values of the swept assumptions and a small
summary of its projection: the kept quantiles and the mean of every indicator in every kept
year, never the draws. It filters the points (:meth:`Exploration.where`), describes the
region where a condition holds (:meth:`Exploration.region`, computed in :mod:`.region`),
lists the points that failed (:class:`Failure`), exports tidy rows, a wide table, CSV and
pandas, and is saved to and loaded from one ``.npz`` file (:mod:`.archive`), so a partial
sweep can be resumed.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .._files import atomic_write
from ..engine import project
from ..errors import InputError, MissingExtraError, Problem
from .region import BoolArray, FloatArray, describe_region

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from concurrent.futures import Executor
    from pathlib import Path

    from .._types import Sampling
    from ..model import Scenario
    from ..projection import Projection
    from .region import Region

__all__ = ["Exploration", "Failure"]


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
    sampling: Sampling
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
    errors: FloatArray | None = None
    """Monte Carlo standard error of every kept quantile: the shape of ``quantiles``
    (``None`` in a file saved before errors were kept)."""

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
        """Point ``index``'s assumption values, by dotted name.

        Parameters
        ----------
        index
            The point's row in ``points`` (negative counts from the end).

        Returns
        -------
        dict[str, float]
            Each swept assumption's value at the point.
        """
        row = self.points[self._point_index(index)]
        return {n: float(v) for n, v in zip(self.names, row, strict=True)}

    def scenario_at(self, index: int) -> Scenario:
        """The scenario point ``index`` projected: ``scenario`` with its values fixed.

        Correlations that involve a swept assumption are dropped: a fixed number cannot be
        correlated with anything.

        Parameters
        ----------
        index
            The point's row in ``points`` (negative counts from the end).

        Returns
        -------
        Scenario
            The scenario of the point.
        """
        i = self._point_index(index)
        return point_scenario(self.scenario, self.names, self.points[i])

    def project_point(self, index: int, **kwargs: Any) -> Projection:
        """Project point ``index`` in full, with every draw, exactly as the sweep did.

        Parameters
        ----------
        index
            The point's row in ``points``.
        **kwargs
            Passed to :func:`recogmodel.project` (``executor``, ``chunk_size``...);
            ``draws``, ``seed`` and ``sampling`` default to the sweep's.

        Returns
        -------
        Projection
            The point's projection, every draw kept.
        """
        i = self._point_index(index)
        kwargs.setdefault("draws", self.draws)
        kwargs.setdefault("seed", self.seeds[i])
        kwargs.setdefault("sampling", self.sampling)
        return project(self.scenario_at(i), **kwargs)

    # -- noise -------------------------------------------------------------------------

    def noise_band(self, indicator: str, year: int, quantile: float = 0.5) -> float:
        """How far a point's summary may move by sampling noise alone (a 90 % band).

        Every point is projected with the same seed (common random numbers), so an
        indicator the swept assumptions cannot touch has the same summary at every point;
        what differs between points beyond this band is an effect of the assumptions.

        Parameters
        ----------
        indicator
            An indicator of the scenario.
        year
            A kept year.
        quantile
            A kept quantile level.

        Returns
        -------
        float
            1.645 times the median over points of the quantile's Monte Carlo standard
            error, in the indicator's unit (NaN when no errors were kept).
        """
        if self.errors is None:
            return math.nan
        column = self.errors[:, self._indicator_index(indicator), self._year_index(year)]
        kept = column[self.ok, self._level_index(quantile)]
        return float(1.645 * np.median(kept)) if kept.size else math.nan

    def spread_rows(self, year: int, quantile: float = 0.5) -> list[dict[str, Any]]:
        """Per indicator: the points' summaries in ``year``, their range, and the noise band.

        Parameters
        ----------
        year
            A kept year.
        quantile
            A kept quantile level (the median by default).

        Returns
        -------
        list of dict
            ``indicator``, ``median`` (across points), ``low`` and ``high`` (the range
            across points), ``noise`` (:meth:`noise_band`) and ``moves`` (whether the
            range is wider than two noise bands: an effect, not noise). Indicators with no
            completed point are left out.
        """
        rows = []
        for k in self.indicators:
            column = self.values(k, year, quantile)
            kept = column[~np.isnan(column)]
            if kept.size == 0:
                continue
            noise = self.noise_band(k, year, quantile)
            low, high = float(kept.min()), float(kept.max())
            rows.append(
                {
                    "indicator": k,
                    "median": float(np.median(kept)),
                    "low": low,
                    "high": high,
                    "noise": noise,
                    "moves": bool(high - low > 2 * noise) if math.isfinite(noise) else True,
                }
            )
        return rows

    # -- filtering ---------------------------------------------------------------------

    def values(
        self, indicator: str, year: int, quantile: float | Literal["mean"] = 0.5
    ) -> FloatArray:
        """One outcome per point: ``indicator``'s quantile (or mean) in ``year``.

        Parameters
        ----------
        indicator
            An indicator of the scenario.
        year
            A kept year.
        quantile
            A kept quantile level, or ``"mean"``.

        Returns
        -------
        numpy.ndarray
            Shape (samples,); NaN where a point has no result.
        """
        k = self._indicator_index(indicator)
        t = self._year_index(year)
        if isinstance(quantile, str):
            if quantile != "mean":
                raise input_error("quantile", f"expected a kept level or 'mean', got {quantile!r}")
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

        Parameters
        ----------
        indicator, year, quantile
            The outcome, as for :meth:`values`.
        above, below
            The thresholds, in the indicator's units; at least one.

        Returns
        -------
        numpy.ndarray
            Boolean mask of shape (samples,); ``points[mask]`` are the matching points.
        """
        if above is None and below is None:
            raise input_error("above", "give a threshold: above=..., below=..., or both")
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
            raise input_error("mask", f"expected a mask of shape {self.ok.shape}, got {m.shape}")
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise input_error("bins", f"expected a whole number >= 1, got {bins!r}")
        return describe_region(
            self.points, self.names, self.ranges, self.ok, m, bins=bins, label=label
        )

    # -- tables and export -------------------------------------------------------------

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per completed point, indicator, year and kept quantile.

        Each row holds the scenario, the point's number and its assumption values (one
        column per swept assumption, by dotted name), then ``indicator``, ``year``,
        ``quantile`` and ``value``. Points without a result are left out (see
        ``failures``); the means are in :meth:`table`.
        """
        rows: list[dict[str, Any]] = []
        for i in np.flatnonzero(self.ok):
            point = {"scenario": self.scenario.name, "point": int(i), **self.point(int(i))}
            for k, indicator in enumerate(self.indicators):
                for t, year in enumerate(self.years):
                    for j, q in enumerate(self.qs):
                        rows.append(
                            {
                                **point,
                                "indicator": indicator,
                                "year": year,
                                "quantile": q,
                                "value": float(self.quantiles[i, k, t, j]),
                            }
                        )
        return rows

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

        Parameters
        ----------
        year
            One kept year (default: every kept year, rows ordered by point then year).

        Returns
        -------
        list[dict[str, float]]
            The records, with the keys of :meth:`columns`. Points without a result are left
            out (see ``failures``).
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
        """Write :meth:`table` as CSV, atomically.

        Parameters
        ----------
        path
            The file to write.
        year
            As for :meth:`table`.

        Returns
        -------
        Path
            The path written.
        """
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.table(year))
        return atomic_write(path, buffer.getvalue())

    def to_pandas(self, year: int | None = None) -> Any:
        """:meth:`table` as a pandas DataFrame indexed by (point, year).

        Parameters
        ----------
        year
            As for :meth:`table`.

        Returns
        -------
        pandas.DataFrame
            One row per completed point and year.
        """
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

        Parameters
        ----------
        path
            The file to write.

        Returns
        -------
        Path
            The path written.
        """
        from .archive import save_exploration  # the archive builds on this module

        return save_exploration(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Exploration:
        """Read an exploration written by :meth:`save` (or by a checkpoint).

        Parameters
        ----------
        path
            The file to read.

        Returns
        -------
        Exploration
            The exploration as it was saved.

        Raises
        ------
        InputError
            If the file is not a saved exploration.
        """
        from .archive import load_exploration  # the archive builds on this module

        return load_exploration(path)

    def resume(
        self,
        *,
        executor: Executor | None = None,
        progress: Callable[[int, int], None] | None = None,
        checkpoint: str | Path | None = None,
    ) -> Exploration:
        """Run the points that have no result yet (failed or never run); keep the rest.

        The result is the one an uninterrupted sweep would have given.

        Parameters
        ----------
        executor, progress, checkpoint
            As for :func:`~recogmodel.exploration.explore`.

        Returns
        -------
        Exploration
            The whole sweep, with every point that could be run.
        """
        from .sweep import explore  # the sweep builds on this module

        return explore(
            self.scenario,
            dict(zip(self.names, self.ranges, strict=True)),
            samples=self.samples,
            draws=self.draws,
            seed=self.seed,
            quantiles=self.qs,
            years=self.years,
            sampling=self.sampling,
            executor=executor,
            progress=progress,
            done=self,
            checkpoint=checkpoint,
        )

    # -- lookups -----------------------------------------------------------------------

    def _point_index(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise input_error("index", f"expected a point number, got {index!r}")
        if not -self.samples <= index < self.samples:
            raise input_error("index", f"{index} is not a point; expected 0..{self.samples - 1}")
        return int(index) % self.samples

    def _indicator_index(self, indicator: str) -> int:
        if indicator not in self.indicators:
            known = ", ".join(self.indicators)
            raise input_error(
                "indicator",
                f"'{indicator}' is not an indicator of scenario '{self.scenario.name}'; "
                f"expected one of: {known}",
            )
        return self.indicators.index(indicator)

    def _year_index(self, year: int) -> int:
        if year not in self.years:
            kept = ", ".join(str(y) for y in self.years)
            raise input_error("year", f"{year} is not a kept year; expected one of: {kept}")
        return self.years.index(year)

    def _level_index(self, q: float) -> int:
        for j, level in enumerate(self.qs):
            if math.isclose(level, q, rel_tol=0, abs_tol=1e-12):
                return j
        kept = ", ".join(f"{x:g}" for x in self.qs)
        raise input_error(
            "quantile", f"{q!r} is not a kept quantile; expected one of: {kept}, or 'mean'"
        )


def point_scenario(scenario: Scenario, names: Sequence[str], values: FloatArray) -> Scenario:
    """``scenario`` with each swept assumption in ``names`` fixed at its value in ``values``.

    Correlations that involve a swept assumption are dropped: a fixed number cannot be
    correlated with anything.
    """
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


def input_error(field_name: str, message: str) -> InputError:
    """An :class:`~recogmodel.errors.InputError` with one problem."""
    return InputError([Problem(field_name, message)])


def _level_label(q: float) -> str:
    return f"p{q * 100:g}"
