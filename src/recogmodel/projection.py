"""The engine's result: draws x years x indicators, and what to do with them.

A :class:`Projection` keeps every draw, so quantiles, summaries, sensitivity and scenario
likelihoods can all be computed from one run. It gives tidy rows (:meth:`Projection.to_rows`)
and a JSON-ready record of the run (scenario, seed, draws, library version, quantiles,
diagnostics), which :mod:`recogmodel.io.export` writes as CSV and JSON, and hands the
draws to pandas or xarray when those are installed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import projected_years, shares
from .diagnostics import Diagnostics, EventRate
from .errors import InputError, MissingExtraError, Problem, TooFewDrawsWarning
from .io.export import DEFAULT_QUANTILES, write_csv, write_json
from .model.basis import basis_rows
from .summary import (
    Summary,
    SummaryRow,
    quantile_errors,
    quantiles_with_errors,
    supported,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
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
            known = self.indicator(k).baseline
            basis = "derived" if known is None else "fact" if known.sources else "assumption"
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
                "formula": ind.formula,
                "baseline": {
                    "year": None,
                    "median": None,
                    "basis": "derived",
                    "sources": [],
                    "informed_by": [],
                    "rationale": None,
                }
                if base is None
                else {
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
