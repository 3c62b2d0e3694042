"""Summaries of a projection and the Monte Carlo error of its quantiles.

A :class:`Summary` gives, per indicator in one year, the median and the 90 % range with the
standard error of each (from the order-statistic formula), and prints no more digits than
the error supports.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .text.numbers import format_value
from .text.tables import text_table

if TYPE_CHECKING:
    from numpy.typing import NDArray


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
