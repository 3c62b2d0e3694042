"""The engine's result: draws x years x indicators, and what to do with them.

A :class:`Projection` keeps every draw, so quantiles, summaries, sensitivity and scenario
likelihoods can all be computed from one run. It gives tidy rows (:meth:`Projection.to_rows`)
and a JSON-ready record of the run (scenario, seed, draws, library version, quantiles,
diagnostics), which :mod:`recogmodel.io.export` writes as CSV and JSON, and hands the
draws to pandas or xarray when those are installed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import projected_years, shares
from .errors import InputError, MissingExtraError, Problem, TooFewDrawsWarning
from .io.export import DEFAULT_QUANTILES, write_csv, write_json
from .model.basis import basis_rows
from .text.numbers import format_value
from .text.tables import text_table

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import ArrayLike, NDArray

    from .model import Indicator, Scenario

__all__ = [
    "Diagnostics",
    "EventRate",
    "Projection",
    "Summary",
    "SummaryRow",
    "library_version",
    "quantile_errors",
    "quantiles_with_errors",
    "supported",
]


def library_version() -> str:
    """The installed recogmodel version, recorded in every export.

    Returns
    -------
    str
        The distribution's version, or ``"0+unknown"`` in a tree that is not installed.
    """
    # Imported here: looking the version up is not needed to import the library.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("recogmodel")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0+unknown"


@dataclass(frozen=True)
class EventRate:
    """How often an event fired, next to how often the scenario asked it to."""

    asked: float
    """Mean over draws of the sampled annual probability."""
    observed: float
    """Firings per draw-year in which the event could fire (once-only events stop after)."""
    fired_share: float
    """Share of draws in which it fired at least once."""
    once: bool
    """Whether the event can fire only once."""


@dataclass(frozen=True)
class Diagnostics:
    """What the engine had to do to keep the numbers inside their domains, and checks."""

    clipped: dict[str, float]
    """Share of draws of each sampled assumption clipped into its domain."""
    bounds_touched: dict[str, float]
    """Share of draws in which each indicator touched one of its bounds."""
    intensity_clipped: dict[str, float]
    """Share of draws in which each driver's intensity path was clipped to [0, 1]."""
    events: dict[str, EventRate]
    """Each event's asked and observed firing rates."""
    correlations: list[tuple[str, str, float, float]]
    """(first, second, requested rho, achieved Spearman rho) per correlation."""
    weightless: float
    """Share of draws whose driver weights were all 0 (no pressure)."""

    def notes(self) -> list[str]:
        """Plain-language notes on everything that is not zero or not as asked.

        Returns
        -------
        list of str
            One sentence per clipped assumption, bound touched, intensity clipped and
            correlation, and one if some draws had no weight at all.
        """
        out = [
            f"{share:.1%} of draws of {name} were clipped into its domain"
            for name, share in self.clipped.items()
            if share > 0
        ]
        out += [
            f"indicator {k} touched a bound in {share:.1%} of draws"
            for k, share in self.bounds_touched.items()
            if share > 0
        ]
        out += [
            f"driver {d}'s intensity was clipped to [0, 1] in {share:.1%} of draws"
            for d, share in self.intensity_clipped.items()
            if share > 0
        ]
        out += [
            f"correlation {a} ~ {b}: asked {rho:+.2f}, achieved {got:+.2f}"
            for a, b, rho, got in self.correlations
        ]
        if self.weightless > 0:
            out.append(f"{self.weightless:.1%} of draws had all driver weights at 0")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON.

        Returns
        -------
        dict
            The diagnostics as mappings and lists of numbers.
        """
        return {
            "clipped": self.clipped,
            "bounds_touched": self.bounds_touched,
            "intensity_clipped": self.intensity_clipped,
            "events": {
                e: {
                    "asked": r.asked,
                    "observed": r.observed,
                    "fired_share": r.fired_share,
                    "once": r.once,
                }
                for e, r in self.events.items()
            },
            "correlations": [
                {"between": [a, b], "asked": rho, "achieved": got}
                for a, b, rho, got in self.correlations
            ],
            "weightless": self.weightless,
        }


def supported(value: float, error: float) -> float:
    """``value`` rounded to the decimal place of its error's leading digit.

    Parameters
    ----------
    value
        A figure.
    error
        Its Monte Carlo standard error (0 or not finite: not rounded).

    Returns
    -------
    float
        The value with no digit its error does not support (4,349 with an error of 120
        is 4,300).
    """
    if not (math.isfinite(error) and error > 0 and math.isfinite(value)):
        return value
    place = math.floor(math.log10(error))
    return float(round(value, -place))


def quantile_errors(draws: NDArray[np.float64], q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Order-statistic standard errors of the quantiles ``q`` of ``draws`` along axis 0.

    See :meth:`Projection.quantile_error` for the formula.

    Parameters
    ----------
    draws
        Draws along the first axis, any shape after it.
    q
        Quantile levels in [0, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``draws.shape[1:] + (len(q),)``.
    """
    return quantiles_with_errors(draws, q)[1]


def quantiles_with_errors(
    draws: NDArray[np.float64], q: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The quantiles ``q`` of ``draws`` along axis 0 and their standard errors, in one pass.

    Every level (the levels and those either side that the errors need) is found in one
    pass: one :func:`numpy.quantile` (one partition) for a few levels, one sort of the
    draws for more than ``log2(draws)`` of them (where a sort is the faster), with numpy's
    linear interpolation either way, so the errors cost little beside the quantiles.

    Parameters
    ----------
    draws
        Draws along the first axis, any shape after it.
    q
        Quantile levels in [0, 1].

    Returns
    -------
    tuple of numpy.ndarray
        The quantiles, shape ``(len(q),) + draws.shape[1:]`` as :func:`numpy.quantile`
        gives them, and the errors, shape ``draws.shape[1:] + (len(q),)``.
    """
    n = draws.shape[0]
    z = 1.96
    s = np.sqrt(q * (1 - q) / n)
    lo = np.clip(q - z * s, 0.0, 1.0)
    hi = np.clip(q + z * s, 0.0, 1.0)
    levels = np.concatenate([q, lo, hi])
    if levels.size <= math.log2(max(n, 2)):  # a few levels: partitioning beats a sort
        found = np.quantile(draws, levels, axis=0)
    else:
        found = _sorted_quantiles(draws, levels)
    k = q.size
    expand = (...,) + (None,) * (draws.ndim - 1)
    width = (found[2 * k :] - found[k : 2 * k]) / (hi - lo + (hi == lo))[expand]
    error = width * s[expand]
    out: NDArray[np.float64] = np.moveaxis(error, 0, -1)
    return found[:k], out


def _sorted_quantiles(draws: NDArray[np.float64], q: NDArray[np.float64]) -> NDArray[np.float64]:
    """``numpy.quantile(draws, q, axis=0)`` from one sort of the draws, bit for bit.

    The linear method as numpy computes it (virtual index ``(n - 1) q``, and its two-sided
    interpolation), so the values equal :meth:`Projection.quantiles` exactly.
    """
    ordered = np.sort(draws, axis=0)
    n = draws.shape[0]
    position = (n - 1) * q
    floor = np.floor(position)
    below = np.minimum(floor, n - 1).astype(np.intp)
    above = np.minimum(floor + 1, n - 1).astype(np.intp)
    below[position >= n - 1] = n - 1
    t = (position - floor)[(...,) + (None,) * (draws.ndim - 1)]
    a, b = ordered[below], ordered[above]
    step = b - a
    out: NDArray[np.float64] = np.where(t >= 0.5, b - step * (1 - t), a + step * t)
    return out


@dataclass(frozen=True)
class SummaryRow:
    """One indicator in one year: median and 90 % range."""

    indicator: str
    label: str
    unit: str
    scale: str
    year: int
    median: float
    low: float
    """5th percentile."""
    high: float
    """95th percentile."""
    median_error: float = 0.0
    """Monte Carlo standard error of the median."""
    low_error: float = 0.0
    """Monte Carlo standard error of the 5th percentile."""
    high_error: float = 0.0
    """Monte Carlo standard error of the 95th percentile."""
    whole: bool = False
    """Whether the indicator takes whole numbers only (its quantiles step, and their error
    does not fall smoothly with the draws)."""

    def formatted(self, value: float, error: float = 0.0) -> str:
        """A value of this indicator as a reader expects it, no finer than its error.

        Parameters
        ----------
        value
            A value in the indicator's unit.
        error
            Its Monte Carlo standard error; the value is rounded to the decimal place of
            the error's leading digit (0, the default: not rounded).

        Returns
        -------
        str
            A few significant digits; a share as a percentage.
        """
        return format_value(supported(value, error), self.unit, self.scale)


class Summary(Mapping[str, SummaryRow]):
    """Median and 90 % range per indicator in one year; prints as a table.

    A read-only mapping of indicator names to their :class:`SummaryRow`, in case order.

    Parameters
    ----------
    scenario
        The scenario's name, for the table's heading.
    year
        The year summarised.
    rows
        One row per indicator.
    """

    def __init__(self, scenario: str, year: int, rows: Sequence[SummaryRow]) -> None:
        self.scenario = scenario
        self.year = year
        self._rows = {r.indicator: r for r in rows}

    def __getitem__(self, indicator: str) -> SummaryRow:
        return self._rows[indicator]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def _repr_html_(self) -> str:
        """The summary in a notebook: one row per indicator."""
        from .text.html import summary_html

        return summary_html(self)

    def __str__(self) -> str:
        header = ("indicator", "unit", "median", "90% range")
        body = [
            (
                r.indicator,
                r.unit,
                r.formatted(r.median, r.median_error),
                f"{r.formatted(r.low, r.low_error)} – {r.formatted(r.high, r.high_error)}",
            )
            for r in self._rows.values()
        ]
        return "\n".join([f"{self.scenario}, {self.year}", *text_table(header, body, left=2)])

    def draws_needed(self, precision: float, draws: int) -> int:
        """Draws that would bring every error within ``precision`` of its 90 % range.

        Parameters
        ----------
        precision
            The largest error wanted, as a share of each indicator's 90 % range.
        draws
            The draws the errors were measured with.

        Returns
        -------
        int
            ``draws`` times the worst (error / wanted error) squared, rounded up; at
            least ``draws`` (errors fall as 1/sqrt(draws)). Whole-number indicators are
            left out: their quantiles step.
        """
        worst = 0.0
        for r in self._rows.values():
            width = r.high - r.low
            if width > 0 and not r.whole:
                error = max(r.median_error, r.low_error, r.high_error)
                worst = max(worst, error / (precision * width))
        return max(draws, math.ceil(draws * worst**2))


@dataclass(frozen=True, eq=False)
class Projection:
    """Every draw of every indicator in every year of a scenario, and how they came about.

    ``data`` has shape (draws, years, indicators), ``fired`` (draws, years, events), and
    ``parameter_values`` (draws, sampled assumptions) in the order of ``parameter_names``.
    Built by :func:`recogmodel.project`; ``seed`` is the entropy the run used, so
    ``project(scenario, draws=proj.draws, seed=proj.seed)`` repeats it exactly.
    """

    scenario: Scenario
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    event_names: tuple[str, ...]
    seed: int
    sampling: str
    data: NDArray[np.float64]
    fired: NDArray[np.bool_]
    parameter_names: tuple[str, ...]
    parameter_values: NDArray[np.float64]
    diagnostics: Diagnostics

    def __repr__(self) -> str:
        return (
            f"Projection(scenario={self.scenario.name!r}, draws={self.draws}, "
            f"years={self.years[0]}..{self.years[-1]}, indicators={len(self.indicators)}, "
            f"seed={self.seed})"
        )

    def _repr_html_(self) -> str:
        """The projection in a notebook: a small fan chart and the range of each indicator."""
        from .text.html import projection_html

        return projection_html(self)

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.data.shape[0])

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    def indicator(self, indicator: str) -> Indicator:
        """The indicator's model (label, unit, baseline...).

        Parameters
        ----------
        indicator
            An indicator's name.

        Returns
        -------
        Indicator
            Its model in the scenario's case.

        Raises
        ------
        InputError
            If the scenario has no such indicator; the message lists those it has.
        """
        return self.scenario.case.indicators[self._index(indicator)[0]]

    def _index(self, indicator: str) -> tuple[str, int]:
        try:
            return indicator, self.indicators.index(indicator)
        except ValueError:
            known = ", ".join(self.indicators)
            raise InputError(
                [
                    Problem(
                        "indicator",
                        f"'{indicator}' is not an indicator of scenario "
                        f"'{self.name}'; expected one of: {known}",
                    )
                ]
            ) from None

    def year_index(self, year: int) -> int:
        """Position of ``year`` on the years axis.

        Parameters
        ----------
        year
            A projected year.

        Returns
        -------
        int
            Its index into the second axis of :attr:`data`.

        Raises
        ------
        InputError
            If ``year`` is not one of :attr:`years`.
        """
        return self.years.index(projected_years(self.years, year, name="year")[0])

    def values(self, indicator: str) -> NDArray[np.float64]:
        """The draws of one indicator.

        Parameters
        ----------
        indicator
            An indicator's name.

        Returns
        -------
        numpy.ndarray
            Shape (draws, years): a view into :attr:`data`, not a copy.
        """
        out: NDArray[np.float64] = self.data[:, :, self._index(indicator)[1]]
        return out

    def quantiles(self, indicator: str, qs: ArrayLike) -> NDArray[np.float64]:
        """Quantiles of one indicator in every year.

        Parameters
        ----------
        indicator
            An indicator's name.
        qs
            Quantile levels, each in [0, 1].

        Returns
        -------
        numpy.ndarray
            Shape (years, len(qs)): numpy's quantiles of the draws, year by year.
        """
        q = np.array(shares("qs", qs))
        out: NDArray[np.float64] = np.quantile(self.values(indicator), q, axis=0).T
        return out

    def quantile_error(self, indicator: str, qs: ArrayLike) -> NDArray[np.float64]:
        """The Monte Carlo standard error of each quantile of one indicator in every year.

        From the order-statistic formula, distribution-free: the sample ``q``-quantile's
        level has standard deviation ``s = sqrt(q (1 - q) / n)``, so its error in value is
        ``s`` over the density there, the density read off the draws themselves as
        ``2 z s / (Q(q + z s) - Q(q - z s))`` with ``z = 1.96`` (levels kept in [0, 1]).
        It falls as ``1 / sqrt(draws)``.

        Parameters
        ----------
        indicator
            An indicator's name.
        qs
            Quantile levels, each in [0, 1].

        Returns
        -------
        numpy.ndarray
            Shape (years, len(qs)), in the indicator's unit; 0 where the draws agree.
        """
        q = np.array(shares("qs", qs))
        return quantile_errors(self.values(indicator), q)

    def summary(self, year: int | None = None, *, precision: float | None = None) -> Summary:
        """Median and 90 % range of every indicator in one year, with their errors.

        Parameters
        ----------
        year
            A projected year; ``None`` (the default) is the horizon.
        precision
            The largest Monte Carlo error wanted, as a share of each indicator's 90 %
            range (``0.02``: errors within 2 % of the range); ``None`` (the default) asks
            for none. When the draws cannot give it, a :class:`TooFewDrawsWarning` says
            how many draws would.

        Returns
        -------
        Summary
            One :class:`SummaryRow` per indicator; ``str()`` of it is a table printing no
            more digits than the errors support.
        """
        year = self.years[-1] if year is None else year
        t = self.year_index(year)
        levels = np.array([0.05, 0.5, 0.95])
        qs, errors = quantiles_with_errors(self.data[:, t, :], levels)  # errors: (k, 3)
        rows = []
        for i, k in enumerate(self.indicators):
            ind = self.scenario.case.indicators[k]
            rows.append(
                SummaryRow(
                    indicator=k,
                    label=ind.label,
                    unit=ind.unit,
                    scale=ind.scale,
                    year=year,
                    median=float(qs[1, i]),
                    low=float(qs[0, i]),
                    high=float(qs[2, i]),
                    median_error=float(errors[i, 1]),
                    low_error=float(errors[i, 0]),
                    high_error=float(errors[i, 2]),
                    whole=ind.integer,
                )
            )
        summary = Summary(self.name, year, rows)
        if precision is not None:
            needed = summary.draws_needed(precision, self.draws)
            if needed > self.draws:
                warnings.warn(
                    f"{self.draws:,} draws give {self.name}'s {year} summary errors above "
                    f"{precision:.0%} of the 90 % range; about {needed:,} draws would do",
                    TooFewDrawsWarning,
                    stacklevel=2,
                )
        return summary

    @property
    def parameters(self) -> Mapping[str, NDArray[np.float64]]:
        """Every sampled assumption per draw, by dotted name (e.g. drivers.x.weight)."""
        return MappingProxyType(
            {n: self.parameter_values[:, j] for j, n in enumerate(self.parameter_names)}
        )

    @property
    def events(self) -> Mapping[str, NDArray[np.bool_]]:
        """Per event, whether it fired in each draw and year: shape (draws, years)."""
        return MappingProxyType({e: self.fired[:, :, i] for i, e in enumerate(self.event_names)})

    # -- export ------------------------------------------------------------------------

    def to_rows(self, qs: Sequence[float] = DEFAULT_QUANTILES) -> list[dict[str, Any]]:
        """Tidy rows of (scenario, indicator, year, quantile, value): the CSV's content.

        Parameters
        ----------
        qs
            Quantile levels, each in [0, 1].

        Returns
        -------
        list of dict
            One row per indicator, year and level, indicators in case order: the value,
            its Monte Carlo standard error (:meth:`quantile_error`) and the basis of the
            indicator's baseline (``fact`` when a source states it, else ``assumption``).
        """
        rows = []
        for k in self.indicators:
            table = self.quantiles(k, qs)
            errors = self.quantile_error(k, qs)
            basis = "fact" if self.indicator(k).baseline.sources else "assumption"
            for t, year in enumerate(self.years):
                for j, q in enumerate(qs):
                    rows.append(
                        {
                            "scenario": self.name,
                            "indicator": k,
                            "year": year,
                            "quantile": q,
                            "value": float(table[t, j]),
                            "error": float(errors[t, j]),
                            "baseline_basis": basis,
                        }
                    )
        return rows

    def to_dict(self, qs: Sequence[float] = DEFAULT_QUANTILES) -> dict[str, Any]:
        """A JSON-ready record: scenario, seed, draws, version, quantiles, diagnostics.

        Parameters
        ----------
        qs
            Quantile levels of every indicator in every year.

        Returns
        -------
        dict
            The run: library version, case, scenario, seed, draws, sampling, years, each
            indicator's quantiles and mean, each event's share fired by year, the
            diagnostics and every assumption of the case.
        """
        case = self.scenario.case
        indicators = {}
        for k in self.indicators:
            ind = case.indicators[k]
            table = self.quantiles(k, qs)
            errors = self.quantile_error(k, qs)
            base = ind.baseline
            indicators[k] = {
                "label": ind.label,
                "unit": ind.unit,
                "scale": ind.scale,
                "baseline": {
                    "year": base.year,
                    "median": float(base.value.ppf(0.5)),
                    "basis": "fact" if base.sources else "assumption",
                    "sources": base.sources,
                    "informed_by": base.informed_by,
                    "rationale": base.rationale,
                },
                "mean": self.values(k).mean(axis=0).tolist(),
                "quantiles": {f"{q:g}": table[:, j].tolist() for j, q in enumerate(qs)},
                "quantile_errors": {f"{q:g}": errors[:, j].tolist() for j, q in enumerate(qs)},
            }
        events = {
            e: {
                "label": case.events[e].label,
                "fired_by_year": self.fired[:, :, i]
                .cumsum(axis=1)
                .astype(bool)
                .mean(axis=0)
                .tolist(),
            }
            for i, e in enumerate(self.event_names)
        }
        return {
            "recogmodel": library_version(),
            "case": case.case,
            "scenario": {
                "name": self.name,
                "title": self.scenario.title,
                "narrative": self.scenario.narrative,
                "lineage": list(self.scenario.lineage),
            },
            "seed": self.seed,
            "draws": self.draws,
            "sampling": self.sampling,
            "years": list(self.years),
            "indicators": indicators,
            "events": events,
            "diagnostics": self.diagnostics.to_dict(),
            "assumptions": case.model_dump(mode="json"),
            "basis": basis_rows(case),
        }

    def to_csv(self, path: str | Path, qs: Sequence[float] = DEFAULT_QUANTILES) -> Path:
        """Write the tidy quantile table (:meth:`to_rows`) as CSV, atomically.

        Parameters
        ----------
        path
            The file to write.
        qs
            Quantile levels of every indicator in every year.

        Returns
        -------
        pathlib.Path
            The file written (see :func:`recogmodel.io.export.write_csv`).
        """
        return write_csv([self], path, qs)

    def to_json(self, path: str | Path, qs: Sequence[float] = DEFAULT_QUANTILES) -> Path:
        """Write :meth:`to_dict` as JSON, atomically.

        Parameters
        ----------
        path
            The file to write.
        qs
            Quantile levels of every indicator in every year.

        Returns
        -------
        pathlib.Path
            The file written (see :func:`recogmodel.io.export.write_json`).
        """
        return write_json(self, path, qs)

    def to_pandas(self) -> Any:
        """The draws as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            Index (draw, year), one column per indicator.

        Raises
        ------
        MissingExtraError
            If pandas is not installed; the message names the extra to install.
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtraError(
                "to_pandas() needs pandas; install it with: pip install 'recogmodel[pandas]'"
            ) from None
        index = pd.MultiIndex.from_product([range(self.draws), self.years], names=["draw", "year"])
        flat = self.data.reshape(self.draws * len(self.years), len(self.indicators))
        return pd.DataFrame(flat, index=index, columns=list(self.indicators))

    def to_xarray(self) -> Any:
        """The draws as an xarray Dataset.

        Returns
        -------
        xarray.Dataset
            Over (draw, year): one variable per indicator (with label, unit and scale), one
            per event (``event:<name>``) and one per sampled assumption (over draw).

        Raises
        ------
        MissingExtraError
            If xarray is not installed; the message names the extra to install.
        """
        try:
            import xarray as xr
        except ImportError:
            raise MissingExtraError(
                "to_xarray() needs xarray; install it with: pip install 'recogmodel[xarray]'"
            ) from None
        case = self.scenario.case
        variables: dict[str, Any] = {}
        for k in self.indicators:
            ind = case.indicators[k]
            variables[k] = xr.DataArray(
                self.values(k),
                dims=("draw", "year"),
                attrs={"label": ind.label, "unit": ind.unit, "scale": ind.scale},
            )
        for e, fired in self.events.items():
            variables[f"event:{e}"] = xr.DataArray(fired, dims=("draw", "year"))
        for name, values in self.parameters.items():
            variables[name] = xr.DataArray(values, dims=("draw",))
        return xr.Dataset(
            variables,
            coords={"draw": np.arange(self.draws), "year": list(self.years)},
            attrs={
                "scenario": self.name,
                "seed": str(self.seed),
                "sampling": self.sampling,
                "recogmodel": library_version(),
            },
        )
