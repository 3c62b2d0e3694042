"""What the ensemble says beyond its ranges: sensitivity, signposts, which scenario we are in,
and what to research next.

Everything here is computed from projections already run (no extra runs):

- :func:`sensitivity` ranks every sampled assumption by how much it moves one indicator,
  in one year or every year at once: standardised rank regression coefficients (SRRC) with
  the regression's R² by default, or the moment-independent PAWN index; a swing in the
  indicator's own units; and a noise floor from dummy assumptions that do nothing.
- :func:`signposts` gives the probability that each signpost is reached under each
  scenario, and flags signposts that do not tell the scenarios apart.
- :func:`update` weighs scenarios by how well each one's ensemble predicted what was
  observed (Bayes' rule, with a smoothed density that is never zero).
- :func:`priorities` combines the sensitivity ranking with the analyst's Key Assumptions
  Check: the assumptions that move the range most and are least supported come first.

Every result is a typed, immutable object that prints as a table and gives plain rows
(``to_rows()``) for export and plots. The methods and their formulas are described in
``docs/methodology.md``.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, ValidationError, field_validator
from scipy import special

from .._base import Model
from .._problems import Path_, input_error, problems_from
from ..errors import InputError, ObservationOutsideEnsembleWarning, Problem, ScenarioFileError
from ..io.folder import read_yaml
from ..projection import Projection
from ..text.numbers import format_value, is_share

__all__ = [
    "SUPPORT_WEIGHTS",
    "Observation",
    "ObservationOutsideEnsembleWarning",
    "Posterior",
    "Priorities",
    "PriorityRow",
    "Sensitivity",
    "SensitivityMethod",
    "SensitivityRow",
    "SignpostRow",
    "SignpostTable",
    "priorities",
    "read_observations",
    "sensitivity",
    "signposts",
    "update",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

SensitivityMethod = Literal["srrc", "pawn"]
_METHODS: dict[str, str] = {
    "srrc": "standardised rank regression coefficient",
    "pawn": "PAWN (KS distance, given data)",
}

#: Dummy assumptions sampled alongside the real ones by default. A non-influential
#: assumption is exchangeable with them, so it outranks all of them with probability
#: 1/(19 + 1) = 5 %: the noise floor is a permutation test at the 5 % level.
DEFAULT_DUMMIES = 19
#: Conditioning slices per assumption for PAWN.
DEFAULT_SLICES = 10
#: Share of draws in the top (bottom) group of an assumption for the swing: a decile.
SWING_SHARE = 0.1


def _frozen(array: NDArray[Any]) -> NDArray[Any]:
    """``array`` made read-only, so a result cannot be changed after it is built."""
    array.flags.writeable = False
    return array


def _render(
    header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1, text: int = 0
) -> list[str]:
    """Rows as aligned text: the first ``left`` and the last ``text`` columns to the left
    (names and prose), the numbers between them to the right.
    """
    table = [list(header), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    first_text = len(header) - text
    return [
        "  ".join(
            cell.ljust(w) if i < left or i >= first_text else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]


def _signed(value: float, unit: str, scale: str) -> str:
    """A difference of an indicator's values, with its sign (shares in percentage points)."""
    if not math.isfinite(value):
        return str(value)
    text = format_value(abs(value), unit, scale)
    if is_share(unit, scale):
        text = text.removesuffix("%") + " pp"
    return ("+" if value >= 0 else "−") + text


# ---------------------------------------------------------------------------------------
# Ranks with ties, all columns at once.


@dataclass(frozen=True)
class _Sorted:
    """Every column of a (draws, columns) array sorted, with tie groups.

    ``order[p, j]`` is the draw at sorted position ``p`` of column ``j``; ``ranks`` are
    1-based average ranks (ties share the mean of their positions); ``first``/``last``
    give, at each sorted position, the first and last position of its tie group.
    """

    order: IntArray
    ranks: FloatArray
    first: IntArray
    last: IntArray


def _sort_columns(a: FloatArray) -> _Sorted:
    n = a.shape[0]
    order = np.argsort(a, axis=0)
    s = np.take_along_axis(a, order, axis=0)
    new = np.ones(s.shape, dtype=np.bool_)
    new[1:] = s[1:] != s[:-1]
    end = np.ones(s.shape, dtype=np.bool_)
    end[:-1] = new[1:]
    position = np.arange(n, dtype=np.intp)[:, None]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=0)
    last = np.minimum.accumulate(np.where(end, position, n)[::-1], axis=0)[::-1]
    ranks = np.empty(a.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, (first + last) / 2.0 + 1.0, axis=0)
    return _Sorted(order=order, ranks=ranks, first=first, last=np.ascontiguousarray(last))


def _standardise(ranks: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Columns centred and scaled to unit variance (ddof 0); constant columns become 0."""
    centred = ranks - ranks.mean(axis=0)
    sd = np.sqrt((centred**2).mean(axis=0))
    constant = sd <= 1e-12 * ranks.shape[0]
    scaled: FloatArray = centred / np.where(constant, 1.0, sd)
    scaled[:, constant] = 0.0
    return scaled, constant


@dataclass(frozen=True)
class _Design:
    """The assumptions' side of a sensitivity analysis: the same for every indicator."""

    order: NDArray[np.int32]
    """(draws, columns): the draws sorted by each sampled assumption, then each dummy."""
    z: FloatArray
    """Standardised ranks (draws, assumptions + dummies)."""
    gram: FloatArray
    """Rank correlation matrix of assumptions and dummies."""
    solve: FloatArray
    """Pseudo-inverse of ``gram``: turns rank correlations with an output into SRRCs."""
    solve_own: FloatArray
    """Pseudo-inverse of the sampled assumptions' block of ``gram`` (for R² without dummies)."""
    inflation: FloatArray
    """Variance inflation factor of each column: how much its correlation with the others
    widens the sampling spread of its regression coefficient (1 when independent)."""


_DESIGNS: weakref.WeakKeyDictionary[Projection, dict[tuple[int, int], _Design]] = (
    weakref.WeakKeyDictionary()
)


def _design(proj: Projection, dummies: int, seed: int) -> _Design:
    """Ranks of the sampled assumptions and of ``dummies`` uniform dummies, cached per run."""
    cache = _DESIGNS.setdefault(proj, {})
    key = (dummies, seed)
    if key not in cache:
        rng = np.random.default_rng(seed)
        noise = rng.random((proj.draws, dummies))
        x = np.concatenate([np.asarray(proj.parameter_values, dtype=np.float64), noise], axis=1)
        srt = _sort_columns(x)
        z, constant = _standardise(srt.ranks)
        gram = z.T @ z / proj.draws
        gram[constant, constant] = 1.0
        solve = np.linalg.pinv(gram, hermitian=True)
        p = proj.parameter_values.shape[1]
        cache[key] = _Design(
            order=srt.order.astype(np.int32),
            z=z,
            gram=gram,
            solve=solve,
            solve_own=np.linalg.pinv(gram[:p, :p], hermitian=True),
            inflation=np.maximum(np.diag(solve), 1.0),
        )
    return cache[key]


# ---------------------------------------------------------------------------------------
# Sensitivity.


@dataclass(frozen=True)
class SensitivityRow:
    """One assumption's importance for an indicator in one year."""

    rank: int
    """1 for the most important assumption."""
    assumption: str
    """Dotted name, e.g. ``drivers.market_access.weight``."""
    year: int
    importance: float
    """|SRRC| (method ``srrc``) or the PAWN index (method ``pawn``)."""
    coefficient: float
    """Signed standardised rank regression coefficient (whatever the method)."""
    swing: float
    """Median of the indicator in the assumption's top decile minus bottom decile (units)."""
    low: float
    """Median of the indicator when the assumption is in its bottom decile."""
    high: float
    """Median of the indicator when the assumption is in its top decile."""
    influential: bool
    """Whether the importance lies above the noise floor."""


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Which sampled assumption drives an indicator's range, year by year.

    Arrays over assumptions and years have shape (assumptions, years), in the order of
    ``assumptions`` and ``years``; per-year arrays have shape (years,).
    """

    scenario: str
    indicator: str
    unit: str
    scale: str
    method: SensitivityMethod
    draws: int
    dummies: int
    years: tuple[int, ...]
    assumptions: tuple[str, ...]
    importance: FloatArray
    """|SRRC| (``srrc``) or the PAWN index (``pawn``): what the ranking sorts by."""
    coefficient: FloatArray
    """Signed SRRC, whatever the method (0 where the indicator does not vary)."""
    swing: FloatArray
    """``high - low``, in the indicator's own units."""
    low: FloatArray
    """Median of the indicator when the assumption is in its bottom decile."""
    high: FloatArray
    """Median of the indicator when the assumption is in its top decile."""
    median: FloatArray
    """Median of the indicator over all draws, per year (the tornado's axis)."""
    r2: FloatArray
    """R² of the rank regression per year (NaN where the indicator does not vary)."""
    noise_floor: FloatArray
    """Largest importance any dummy assumption reached, per year (for ``srrc``, relative to
    the spread of its coefficient; the dummies are independent, so that is about 1)."""
    threshold: FloatArray
    """What each assumption's importance must exceed to count as influential: the noise
    floor, widened for ``srrc`` by sqrt of the assumption's variance inflation factor
    (assumptions correlated with others have noisier coefficients)."""
    influential: BoolArray
    """Importance above the threshold."""

    def __repr__(self) -> str:
        return (
            f"Sensitivity(scenario={self.scenario!r}, indicator={self.indicator!r}, "
            f"method={self.method!r}, years={self.years[0]}..{self.years[-1]}, "
            f"assumptions={len(self.assumptions)})"
        )

    def year_index(self, year: int | None = None) -> int:
        """Position of ``year`` (default: the last year covered) on the years axis."""
        if year is None:
            return len(self.years) - 1
        if year not in self.years:
            covered = ", ".join(str(y) for y in self.years)
            raise InputError(
                [Problem("year", f"{year} is not covered by this analysis; expected {covered}")]
            )
        return self.years.index(year)

    def ranking(self, year: int | None = None) -> list[SensitivityRow]:
        """Every assumption in ``year`` (default: the last), most important first."""
        t = self.year_index(year)
        order = sorted(
            range(len(self.assumptions)),
            key=lambda j: (-self.importance[j, t], -abs(self.swing[j, t]), self.assumptions[j]),
        )
        return [
            SensitivityRow(
                rank=r + 1,
                assumption=self.assumptions[j],
                year=self.years[t],
                importance=float(self.importance[j, t]),
                coefficient=float(self.coefficient[j, t]),
                swing=float(self.swing[j, t]),
                low=float(self.low[j, t]),
                high=float(self.high[j, t]),
                influential=bool(self.influential[j, t]),
            )
            for r, j in enumerate(order)
        ]

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per assumption and year, for CSV, pandas or a plot."""
        rows = []
        for t, year in enumerate(self.years):
            for row in self.ranking(year):
                rows.append(
                    {
                        "scenario": self.scenario,
                        "indicator": self.indicator,
                        "method": self.method,
                        "year": year,
                        "rank": row.rank,
                        "assumption": row.assumption,
                        "importance": row.importance,
                        "coefficient": row.coefficient,
                        "swing": row.swing,
                        "low": row.low,
                        "high": row.high,
                        "influential": row.influential,
                        "noise_floor": float(self.noise_floor[t]),
                        "r2": float(self.r2[t]),
                    }
                )
        return rows

    def table(self, year: int | None = None, limit: int | None = None) -> str:
        """A readable table for one year: influential assumptions first, then a count."""
        t = self.year_index(year)
        rows = self.ranking(year)
        shown = [r for r in rows if r.influential]
        if limit is not None:
            shown = shown[:limit]
        hidden = len(rows) - len(shown)
        r2 = self.r2[t]
        lines = [
            f"Sensitivity of {self.indicator} in {self.years[t]} ({self.scenario}, "
            f"{self.draws:,} draws)",
            f"method: {_METHODS[self.method]}; rank regression R² = "
            + ("n/a (no variation)" if not math.isfinite(r2) else f"{r2:.2f}")
            + f"; noise floor {self.noise_floor[t]:.3f} (largest of {self.dummies} dummies)",
        ]
        if not math.isfinite(r2):
            lines.append("the indicator does not vary in this year: no assumption moves it")
            return "\n".join(lines)
        header = ["rank", "assumption", "importance", "SRRC", "swing", "influential"]
        body = [
            [
                str(r.rank),
                r.assumption,
                f"{r.importance:.3f}",
                f"{r.coefficient:+.3f}",
                _signed(r.swing, self.unit, self.scale),
                "yes" if r.influential else "no",
            ]
            for r in shown
        ]
        if body:
            lines += _render(header, body, left=2)
        else:
            lines.append("no assumption lies above the noise floor")
        if hidden:
            lines.append(
                f"{hidden} more assumption{'s' if hidden != 1 else ''} not shown"
                + (" (below the noise floor)" if limit is None else "")
            )
        if self.method == "srrc" and r2 < 0.7 and self.assumptions:
            lines.append(
                f"R² = {r2:.2f}: the ranking explains little of the range; "
                "try method='pawn' for a moment-independent view"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _positive_int(name: str, value: Any, least: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
        raise InputError([Problem(name, f"expected a whole number >= {least}, got {value!r}")])
    return int(value)


def _years(proj: Projection, year: int | Sequence[int] | None) -> tuple[int, ...]:
    if year is None:
        return proj.years
    chosen = (year,) if isinstance(year, int | np.integer) else tuple(year)
    if not chosen:
        raise InputError([Problem("year", "expected at least one year")])
    for y in chosen:
        proj.year_index(int(y))
    return tuple(int(y) for y in chosen)


def _swing(y: FloatArray, order: NDArray[np.integer[Any]]) -> tuple[FloatArray, FloatArray]:
    """Median of ``y`` (draws, years) over each assumption's bottom and top decile.

    ``order`` (draws, assumptions) sorts the draws by each assumption. Returns two
    (assumptions, years) arrays.
    """
    n, p = order.shape
    years = y.shape[1]
    if p == 0:
        return np.zeros((0, years)), np.zeros((0, years))
    q = max(1, int(n * SWING_SHARE))
    members = np.concatenate([order[:q].T, order[n - q :].T])  # (2p, q)
    half = q // 2
    kth = [half] if q % 2 else [half - 1, half]
    middle = np.empty((2 * p, years))
    for t, column in enumerate(np.ascontiguousarray(y.T)):  # a year at a time: cache-sized
        grouped = column[members]
        grouped.partition(kth, axis=-1)
        middle[:, t] = grouped[:, kth].mean(axis=-1)
    return middle[:p], middle[p:]


def _pawn(
    design: _Design,
    y_sorted: _Sorted,
    slices: int,
    statistic: Literal["median", "max"],
) -> FloatArray:
    """PAWN index of every column of the design for every column of the output.

    For assumption j and slice s (draws whose assumption value lies in the s-th of
    ``slices`` equal-count quantile bins), the Kolmogorov–Smirnov distance between the
    output's conditional and unconditional empirical CDFs, then the median (or max) over
    slices. The conditional sample is part of the unconditional one, so the supremum is
    reached at the conditional sample's own values: with the slice's output values sorted
    (i = 1..m) and F the unconditional ECDF,
    ``D = max_i max(i/m - F(y_i), F(y_i-) - (i-1)/m)``, ties handled exactly.
    """
    n, columns = design.order.shape
    position = np.arange(n, dtype=np.intp)
    label_by_position = (position * slices // n).astype(np.int16)
    labels = np.empty((columns, n), dtype=np.int16)
    labels[np.arange(columns)[:, None], design.order.T] = label_by_position
    sizes = np.bincount(label_by_position, minlength=slices).astype(np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    width = int(sizes.max())
    k = np.arange(width)[None, :]
    m = sizes[:, None]
    valid = k < m
    # Slices one short of the widest are padded with their last member again, with the
    # last member's i, so the padding repeats a term and changes no maximum or minimum.
    take = None if (sizes == width).all() else bounds[:-1, None] + np.minimum(k, m - 1)
    i = np.where(valid, k + 1, m)  # 1-based rank of a member within its slice
    mf = m.astype(np.float64)
    i_over_m = i / mf
    i_less_one_over_m = (i - 1) / mf
    order = np.ascontiguousarray(y_sorted.order.T)
    first = np.ascontiguousarray(y_sorted.first.T)
    last = np.ascontiguousarray(y_sorted.last.T)
    out = np.empty((columns, order.shape[0]))
    for t in range(order.shape[0]):
        grouped = np.argsort(labels[:, order[t]], axis=1, kind="stable")  # radix sort
        # (columns, slices, width): sorted positions of each slice's members, ascending
        pos = grouped.reshape(columns, slices, width) if take is None else grouped[:, take]
        if (last[t] == position).all():
            # No ties: F(y_i) = (p_i + 1)/n and F(y_i-) = p_i/n, so with the exact integer
            # e_i = n i - m p_i, D = max(max e - m, n - min e) / (n m).
            e = i * n - pos * m
            ks = np.maximum(e.max(axis=2) - m[:, 0], n - e.min(axis=2)) / (n * mf[:, 0])
        else:
            above = (i_over_m - (last[t][pos] + 1.0) / n).max(axis=2)
            below = (first[t][pos] / n - i_less_one_over_m).max(axis=2)
            ks = np.maximum(above, below)
        out[:, t] = np.median(ks, axis=1) if statistic == "median" else ks.max(axis=1)
    return out


def sensitivity(
    proj: Projection,
    indicator: str,
    year: int | Sequence[int] | None = None,
    *,
    method: SensitivityMethod = "srrc",
    dummies: int = DEFAULT_DUMMIES,
    dummy_seed: int = 0,
    slices: int = DEFAULT_SLICES,
    statistic: Literal["median", "max"] = "median",
) -> Sensitivity:
    """Rank every sampled assumption by its importance for one indicator.

    Computed from the projection's own draws (no extra runs), for every year at once.

    Parameters
    ----------
    proj
        A projection; its sampled assumptions (``proj.parameter_names``) are ranked.
    indicator
        The indicator whose range is explained.
    year
        One year, several, or ``None`` for every projected year.
    method
        ``"srrc"`` (default): standardised rank regression coefficients, with the
        regression's R². ``"pawn"``: the PAWN index (Pianosi & Wagener 2018, given-data),
        which needs no linear or monotone relation; use it when R² is low or assumptions
        are correlated.
    dummies
        Dummy assumptions (uniform, doing nothing) analysed alongside; the largest
        importance any of them reaches is the noise floor, and an assumption at or below it
        is marked as not influential. With the default 19, a non-influential assumption
        is wrongly marked influential 5 % of the time.
    dummy_seed
        Seed of the dummies' own generator (``numpy.random.default_rng(dummy_seed)``); the
        global random state is never touched.
    slices
        PAWN only: conditioning slices per assumption (equal-count quantile bins).
    statistic
        PAWN only: summarise the slices' KS distances by their ``"median"`` or ``"max"``.

    Returns
    -------
    Sensitivity
        Importance, signed SRRC, swing (in the indicator's units), R², noise floor and the
        influential flag for every assumption and year.
    """
    if method not in _METHODS:
        raise InputError(
            [Problem("method", f"'{method}' is not a method; expected 'srrc' or 'pawn'")]
        )
    if statistic not in ("median", "max"):
        raise InputError(
            [Problem("statistic", f"'{statistic}' is not a statistic; expected median or max")]
        )
    dummies = _positive_int("dummies", dummies)
    dummy_seed = _positive_int("dummy_seed", dummy_seed, least=0)
    values = proj.values(indicator)
    years = _years(proj, year)
    n, p = proj.draws, len(proj.parameter_names)
    columns = p + dummies
    if n < columns + 2:
        raise InputError(
            [
                Problem(
                    "draws",
                    f"{n} draws cannot separate {p} sampled assumptions and {dummies} dummies; "
                    f"expected at least {columns + 2} draws (ideally many more)",
                )
            ]
        )
    slices = _positive_int("slices", slices, least=2)
    if method == "pawn" and n < 10 * slices:
        raise InputError(
            [
                Problem(
                    "slices",
                    f"{slices} slices of {n} draws leave fewer than 10 draws per slice; "
                    "use fewer slices or more draws",
                )
            ]
        )
    y = np.ascontiguousarray(values[:, [proj.year_index(yr) for yr in years]], dtype=np.float64)
    design = _design(proj, dummies, dummy_seed)
    y_sorted = _sort_columns(y)
    zy, flat = _standardise(y_sorted.ranks)

    # Rank regression: one solve for every year (the assumptions' side is shared).
    r = design.z.T @ zy / n
    beta = design.solve @ r
    beta[:, flat] = 0.0
    # R² of the real assumptions alone: the dummies would add about dummies/draws to it.
    own = design.solve_own @ r[:p]
    r2 = np.where(flat, np.nan, np.clip((own * r[:p]).sum(axis=0), 0.0, 1.0))

    if method == "srrc":
        importance = np.abs(beta)
        # A coefficient's sampling spread grows with sqrt(VIF): compare on that footing.
        widen = np.sqrt(design.inflation)[:, None]
        floor = (importance[p:] / widen[p:]).max(axis=0)
        threshold = floor * widen[:p]
    else:
        importance = _pawn(design, y_sorted, slices, statistic)
        importance[:, flat] = 0.0
        floor = importance[p:].max(axis=0)
        threshold = np.broadcast_to(floor, (p, len(years))).copy()
    influential = (importance[:p] > threshold) & ~flat
    low, high = _swing(y, design.order[:, :p])

    ind = proj.indicator(indicator)
    return Sensitivity(
        scenario=proj.name,
        indicator=indicator,
        unit=ind.unit,
        scale=ind.scale,
        method=method,
        draws=n,
        dummies=dummies,
        years=years,
        assumptions=tuple(proj.parameter_names),
        importance=_frozen(np.ascontiguousarray(importance[:p])),
        coefficient=_frozen(np.ascontiguousarray(beta[:p])),
        swing=_frozen(high - low),
        low=_frozen(low),
        high=_frozen(high),
        median=_frozen(np.median(y, axis=0)),
        r2=_frozen(r2),
        noise_floor=_frozen(floor),
        threshold=_frozen(threshold),
        influential=_frozen(influential),
    )


# ---------------------------------------------------------------------------------------
# Signposts.


@dataclass(frozen=True)
class SignpostRow:
    """One signpost, as declared by one or more scenarios."""

    label: str
    """A readable label, e.g. ``bilateral_trade above 600 by 2029``."""
    indicator: str
    by: int
    above: float | None
    below: float | None
    declared_by: tuple[tuple[str, int], ...]
    """(scenario, position in its ``signposts`` list) of every scenario declaring it."""
    note: str | None

    @property
    def threshold(self) -> float:
        """The threshold, whichever side it is on."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class SignpostTable:
    """Probability that each signpost is reached under each scenario, and what it tells.

    ``probability`` has shape (signposts, scenarios). A signpost's diagnosticity is the
    spread of its probability across scenarios (largest minus smallest): 0 when every
    scenario expects it equally, 1 when one scenario makes it certain and another
    impossible. Signposts whose spread is under ``threshold`` are non-diagnostic.
    """

    scenarios: tuple[str, ...]
    signposts: tuple[SignpostRow, ...]
    probability: FloatArray
    diagnosticity: FloatArray
    """max - min probability over scenarios (NaN with a single scenario)."""
    non_diagnostic: BoolArray
    threshold: float
    draws: tuple[int, ...]
    """Draws of each scenario's projection."""

    @property
    def labels(self) -> list[str]:
        """Row labels, for a heat map."""
        return [s.label for s in self.signposts]

    @property
    def favours(self) -> list[str]:
        """Per signpost, the scenario under which it is most likely."""
        if not self.signposts:
            return []
        return [self.scenarios[int(j)] for j in self.probability.argmax(axis=1)]

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per signpost and scenario."""
        return [
            {
                "signpost": sp.label,
                "indicator": sp.indicator,
                "by": sp.by,
                "above": sp.above,
                "below": sp.below,
                "declared_by": ", ".join(s for s, _ in sp.declared_by),
                "scenario": scenario,
                "probability": float(self.probability[i, j]),
                "diagnosticity": float(self.diagnosticity[i]),
                "non_diagnostic": bool(self.non_diagnostic[i]),
            }
            for i, sp in enumerate(self.signposts)
            for j, scenario in enumerate(self.scenarios)
        ]

    def __str__(self) -> str:
        lines = ["Signposts: probability of being reached by their year, per scenario"]
        if not self.signposts:
            lines.append("no scenario declares a signpost")
            return "\n".join(lines)
        header = ["signpost", *self.scenarios, "spread", ""]
        body = []
        for i, sp in enumerate(self.signposts):
            spread = self.diagnosticity[i]
            body.append(
                [
                    sp.label,
                    *[f"{p:.0%}" for p in self.probability[i]],
                    "n/a" if not math.isfinite(spread) else f"{spread:.2f}",
                    "non-diagnostic" if self.non_diagnostic[i] else "",
                ]
            )
        lines += _render(header, body)
        if len(self.scenarios) < 2:
            lines.append("one scenario only: diagnosticity needs two or more to compare")
        else:
            lines.append(
                f"spread = largest minus smallest probability; under {self.threshold:g} a "
                "signpost does not tell the scenarios apart"
            )
        return "\n".join(lines)


def _check_projections(projections: Sequence[Projection]) -> tuple[Projection, ...]:
    if isinstance(projections, Projection):
        projections = [projections]
    projs = tuple(projections)
    if not projs:
        raise InputError([Problem("projections", "expected at least one projection")])
    problems = []
    seen: set[str] = set()
    for i, proj in enumerate(projs):
        if not isinstance(proj, Projection):
            problems.append(
                Problem(f"projections.{i}", f"expected a Projection, got {type(proj).__name__}")
            )
        elif proj.name in seen:
            problems.append(
                Problem(
                    f"projections.{i}",
                    f"scenario '{proj.name}' appears twice; expected each scenario once",
                )
            )
        else:
            seen.add(proj.name)
    if problems:
        raise InputError(problems)
    return projs


def _signpost_label(proj: Projection, indicator: str, by: int, side: str, value: float) -> str:
    ind = proj.scenario.case.indicators[indicator]
    shown = format_value(value, ind.unit, ind.scale)
    unit = "" if is_share(ind.unit, ind.scale) or not ind.unit else f" {ind.unit}"
    return f"{indicator} {side} {shown}{unit} by {by}"


def signposts(projections: Sequence[Projection], *, threshold: float = 0.1) -> SignpostTable:
    """Probability that every declared signpost is reached, under every scenario.

    Parameters
    ----------
    projections
        One projection per scenario. Every signpost declared by any of their scenarios is
        evaluated under all of them; identical signposts declared by several scenarios are
        one row.
    threshold
        A signpost whose probability varies across scenarios by less than this (largest
        minus smallest) is flagged as non-diagnostic.

    Returns
    -------
    SignpostTable
        The (signposts x scenarios) probability matrix, each signpost's diagnosticity and
        non-diagnostic flag.
    """
    projs = _check_projections(projections)
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise InputError([Problem("threshold", f"expected a number in [0, 1], got {threshold!r}")])
    rows: dict[tuple[str, int, float | None, float | None], SignpostRow] = {}
    for proj in projs:
        for i, sp in enumerate(proj.scenario.signposts):
            key = (sp.indicator, sp.by, sp.above, sp.below)
            if key in rows:
                old = rows[key]
                rows[key] = SignpostRow(
                    label=old.label,
                    indicator=old.indicator,
                    by=old.by,
                    above=old.above,
                    below=old.below,
                    declared_by=(*old.declared_by, (proj.name, i)),
                    note=old.note or sp.note,
                )
                continue
            side = "above" if sp.above is not None else "below"
            rows[key] = SignpostRow(
                label=_signpost_label(proj, sp.indicator, sp.by, side, sp.threshold),
                indicator=sp.indicator,
                by=sp.by,
                above=sp.above,
                below=sp.below,
                declared_by=((proj.name, i),),
                note=sp.note,
            )
    table = list(rows.values())
    probability = np.zeros((len(table), len(projs)))
    problems = []
    for j, proj in enumerate(projs):
        for i, row in enumerate(table):
            declared = ", ".join(f"{s} (signposts.{k})" for s, k in row.declared_by)
            if row.indicator not in proj.indicators:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: scenario '{proj.name}' has "
                        f"no indicator '{row.indicator}'",
                    )
                )
                continue
            if not proj.years[0] <= row.by <= proj.years[-1]:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: {row.by} lies outside the "
                        f"projected years {proj.years[0]}..{proj.years[-1]} of scenario "
                        f"'{proj.name}'; expected a year within them",
                    )
                )
                continue
            path = proj.values(row.indicator)[:, : proj.year_index(row.by) + 1]
            hit = path > row.above if row.above is not None else path < row.threshold
            probability[i, j] = hit.any(axis=1).mean()
    if problems:
        raise InputError(problems)
    if len(projs) > 1 and table:
        spread = probability.max(axis=1) - probability.min(axis=1)
        flags = spread < threshold
    else:
        spread = np.full(len(table), np.nan)
        flags = np.zeros(len(table), dtype=np.bool_)
    return SignpostTable(
        scenarios=tuple(p.name for p in projs),
        signposts=tuple(table),
        probability=_frozen(probability),
        diagnosticity=_frozen(spread),
        non_diagnostic=_frozen(flags),
        threshold=float(threshold),
        draws=tuple(p.draws for p in projs),
    )


# ---------------------------------------------------------------------------------------
# Which scenario are we in?


@dataclass(frozen=True)
class Observation:
    """An observed value of an indicator in a year, with where it came from."""

    indicator: str
    year: int
    value: float
    """In the indicator's own unit (a share as a fraction: 0.25, not 25)."""
    source: str | None = None
    note: str | None = None
    file: Path | None = field(default=None, compare=False)
    """The file it was read from, if any (for error messages)."""
    line: int | None = field(default=None, compare=False)
    """The line it was read from, if any."""

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} = {self.value:g}"


ObservationLike = Observation | tuple[Any, ...] | Mapping[str, Any]

_OBSERVATION_KEYS = ("indicator", "year", "value", "source", "note")


class _ObservationEntry(Model):
    """An observation as a caller or a file writes it: what gets validated."""

    indicator: str = Field(min_length=1, description="The indicator observed.")
    year: int = Field(description="The year of the observation.")
    value: float = Field(description="The observed value, in the indicator's unit.")
    source: str | None = Field(None, description="Where the value comes from.")
    note: str | None = Field(None, description="Anything a reader should know about it.")

    @field_validator("source", "note", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        """A source written as a bare year or number is text, as the analyst means it."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return None if value == "" else value


class _ObservationFile(Model):
    observations: list[_ObservationEntry]


def _entry(item: Any) -> Any:
    """An observation given in Python as the mapping a file would hold."""
    if isinstance(item, Observation):
        return {k: getattr(item, k) for k in _OBSERVATION_KEYS}
    if isinstance(item, tuple | list) and 3 <= len(item) <= 5:
        return dict(zip(_OBSERVATION_KEYS, item, strict=False))
    return item


def _as_observations(items: Sequence[ObservationLike]) -> tuple[Observation, ...]:
    """Observations given in Python (objects, tuples or mappings), validated together."""
    data = {"observations": [_entry(o) for o in items]}
    try:
        parsed = _ObservationFile.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, _ObservationFile) from None
    return tuple(
        o if isinstance(o, Observation) else Observation(**entry.model_dump())
        for o, entry in zip(items, parsed.observations, strict=True)
    )


@dataclass(frozen=True)
class _Density:
    """A scenario's ensemble of one indicator in one year, smoothed in the indicator's scale."""

    z: FloatArray
    bandwidth: float
    centre: float
    spread: float
    low: float
    high: float
    total: int


_SQRT_2PI = math.sqrt(2 * math.pi)


def _to_scale(scale: str, x: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            return np.log(x)
        if scale == "logit":
            out: FloatArray = special.logit(x)
            return out
    return x


def _log_jacobian(scale: str, x: float) -> float:
    """Log |dz/dx|: turns a density in the scale into one per unit of the indicator."""
    if scale == "log":
        return -math.log(x)
    if scale == "logit":
        return -math.log(x) - math.log1p(-x)
    return 0.0


def _density(draws: FloatArray, scale: str) -> _Density:
    z_all = _to_scale(scale, draws)
    z = z_all[np.isfinite(z_all)]
    if z.size == 0:
        return _Density(z, 1.0, 0.0, 1.0, math.inf, -math.inf, draws.size)
    sd = float(z.std())
    q1, centre, q3 = (float(v) for v in np.quantile(z, [0.25, 0.5, 0.75]))
    iqr = (q3 - q1) / 1.349
    sigma = min(sd, iqr) if iqr > 0 else sd
    tiny = 1e-6 * max(1.0, abs(centre))
    bandwidth = max(0.9 * sigma * z.size ** (-0.2), tiny)
    spread = max((q3 - q1) / 2, sd, bandwidth)
    return _Density(
        z=z,
        bandwidth=bandwidth,
        centre=centre,
        spread=spread,
        low=float(z.min()),
        high=float(z.max()),
        total=draws.size,
    )


def _log_density(d: _Density, z: float, floor: float) -> float:
    """Log of (1 - floor) * Gaussian KDE + floor * Cauchy(centre, spread), at ``z``."""
    if d.z.size:
        u = (z - d.z) / d.bandwidth
        kde = float(special.logsumexp(-0.5 * u * u)) - math.log(d.total * d.bandwidth * _SQRT_2PI)
    else:
        kde = -math.inf
    wide = math.log(d.spread / math.pi) - math.log(d.spread**2 + (z - d.centre) ** 2)
    return float(np.logaddexp(math.log1p(-floor) + kde, math.log(floor) + wide))


class Posterior(Mapping[str, float]):
    """Weight of each scenario after the observations: ``posterior["deepening"]``.

    Also holds each observation's likelihood under each scenario (``likelihoods``, shape
    (observations, scenarios), a density per unit of the indicator), the prior, and the
    weights after each observation in turn (``trajectory``, shape (observations + 1,
    scenarios), the prior first), so an analyst can see which observation moved them.
    """

    def __init__(
        self,
        scenarios: tuple[str, ...],
        observations: tuple[Observation, ...],
        prior: FloatArray,
        log_likelihoods: FloatArray,
        outside: BoolArray,
        floor: float,
    ) -> None:
        self.scenarios = scenarios
        self.observations = observations
        self.floor = floor
        self.log_likelihoods = _frozen(log_likelihoods)
        self.likelihoods = _frozen(np.exp(log_likelihoods))
        self.outside = _frozen(outside)
        """(observations, scenarios): the value lies beyond that scenario's ensemble."""
        with np.errstate(divide="ignore"):
            log_prior = np.log(prior)
        steps = log_prior + np.concatenate(
            [np.zeros((1, len(scenarios))), np.cumsum(log_likelihoods, axis=0)]
        )
        steps -= steps.max(axis=1, keepdims=True)
        weights = np.exp(steps)
        weights /= weights.sum(axis=1, keepdims=True)
        self.trajectory = _frozen(weights)
        self.prior_weights = _frozen(prior)
        self.weights = _frozen(weights[-1].copy())

    @property
    def prior(self) -> Mapping[str, float]:
        """The prior weights, normalised."""
        return MappingProxyType(
            {s: float(w) for s, w in zip(self.scenarios, self.prior_weights, strict=True)}
        )

    @property
    def most_likely(self) -> str:
        """The scenario with the largest posterior weight."""
        return self.scenarios[int(self.weights.argmax())]

    def __getitem__(self, scenario: str) -> float:
        try:
            return float(self.weights[self.scenarios.index(scenario)])
        except ValueError:
            raise KeyError(scenario) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.scenarios)

    def __len__(self) -> int:
        return len(self.scenarios)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{s!r}: {w:.3f}" for s, w in zip(self.scenarios, self.weights, strict=True)
        )
        return f"Posterior({{{inner}}})"

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows: one per observation and scenario, with the weights after it."""
        rows = []
        for o, obs in enumerate(self.observations):
            for s, scenario in enumerate(self.scenarios):
                rows.append(
                    {
                        "indicator": obs.indicator,
                        "year": obs.year,
                        "value": obs.value,
                        "source": obs.source,
                        "scenario": scenario,
                        "likelihood": float(self.likelihoods[o, s]),
                        "outside": bool(self.outside[o, s]),
                        "weight_after": float(self.trajectory[o + 1, s]),
                    }
                )
        return rows

    def __str__(self) -> str:
        lines = [
            "Which scenario are we in? Likelihood of each observation under each scenario",
            "(density per unit of the indicator; observations taken as independent)",
        ]
        header = ["observation", "source", *self.scenarios, "favours"]
        body = []
        for o, obs in enumerate(self.observations):
            like = self.log_likelihoods[o]
            best = int(like.argmax())
            ratio = math.exp(min(float(like.max() - like.min()), 700.0))
            favours = (
                f"{self.scenarios[best]} ×{ratio:.3g}"
                if len(self.scenarios) > 1 and ratio > 1.0005
                else "—"
            )
            cells = [
                f"{math.exp(v):.2e}" + ("!" if self.outside[o, s] else "")
                for s, v in enumerate(like)
            ]
            body.append([str(obs), obs.source or "", *cells, favours])
        body.append(["prior", "", *[f"{w:.1%}" for w in self.prior_weights], ""])
        body.append(["posterior", "", *[f"{w:.1%}" for w in self.weights], ""])
        lines += _render(header, body, left=2)
        if self.outside.any():
            lines.append("! outside that scenario's projected range")
        return "\n".join(lines)


def _prior(prior: Mapping[str, float] | None, names: tuple[str, ...]) -> FloatArray:
    if prior is None:
        return np.full(len(names), 1.0 / len(names))
    if not isinstance(prior, Mapping):
        raise InputError(
            [Problem("prior", f"expected a mapping of scenario name to weight, got {prior!r}")]
        )
    problems = []
    unknown = sorted(set(prior) - set(names))
    if unknown:
        problems.append(
            Problem(
                "prior",
                f"names {', '.join(map(str, unknown))}, not among the projections' "
                f"scenarios: {', '.join(names)}",
            )
        )
    missing = [s for s in names if s not in prior]
    if missing:
        problems.append(
            Problem("prior", f"gives no weight to {', '.join(missing)}; expected every scenario")
        )
    for s in names:
        w = prior.get(s, 0.0)
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w < math.inf:
            problems.append(Problem(f"prior.{s}", f"expected a weight >= 0, got {w!r}"))
    if problems:
        raise InputError(problems)
    weights = np.array([float(prior[s]) for s in names])
    if weights.sum() <= 0:
        raise InputError([Problem("prior", "every weight is 0; expected some weight > 0")])
    out: FloatArray = weights / weights.sum()
    return out


def update(
    projections: Sequence[Projection],
    observations: Sequence[ObservationLike],
    prior: Mapping[str, float] | None = None,
    *,
    floor: float = 0.01,
) -> Posterior:
    """Weigh the scenarios by how well each one's ensemble foresaw what was observed.

    Parameters
    ----------
    projections
        One projection per scenario, all of the same case (same indicators).
    observations
        :class:`Observation` objects, ``(indicator, year, value)`` tuples (optionally with
        source and note), or mappings with those keys. Each year must be projected.
    prior
        Scenario name -> weight (>= 0, normalised here); default: uniform.
    floor
        Share of every likelihood given to a wide heavy-tailed density (a Cauchy centred on
        the scenario's median), so a likelihood is never zero; in (0, 1).

    Returns
    -------
    Posterior
        Scenario name -> posterior weight, with each observation's likelihood per scenario.

    Warns
    -----
    ObservationOutsideEnsembleWarning
        For each observation beyond every scenario's projected range.

    Notes
    -----
    The likelihood of an observation under a scenario is a Gaussian kernel density estimate
    (Silverman's bandwidth) of that scenario's draws of the indicator in that year, in the
    indicator's own scale (log, logit or linear), mixed with the floor. Observations are
    combined as independent given the scenario: several observations of one indicator in
    neighbouring years overstate the evidence.
    """
    projs = _check_projections(projections)
    if not (isinstance(floor, float | int) and 0 < floor < 1):
        raise InputError([Problem("floor", f"expected a share in (0, 1), got {floor!r}")])
    if isinstance(observations, str | bytes) or not isinstance(observations, Sequence):
        raise InputError(
            [Problem("observations", "expected a list of observations (or read_observations())")]
        )
    obs = _as_observations(observations)
    names = tuple(p.name for p in projs)
    weights = _prior(prior, names)

    problems = []
    first = projs[0]
    for proj in projs[1:]:
        if set(proj.indicators) != set(first.indicators):
            problems.append(
                Problem(
                    "projections",
                    f"scenario '{proj.name}' has indicators {', '.join(proj.indicators)} but "
                    f"'{first.name}' has {', '.join(first.indicators)}; expected "
                    "projections of one case",
                )
            )
    for i, o in enumerate(obs):
        here = f"observations.{i}"
        for proj in projs:
            if o.indicator not in proj.indicators:
                problems.append(
                    Problem(
                        f"{here}.indicator",
                        f"'{o.indicator}' is not an indicator of scenario '{proj.name}'; "
                        f"expected one of: {', '.join(proj.indicators)}",
                        o.file,
                        o.line,
                    )
                )
                break
            if o.year not in proj.years:
                problems.append(
                    Problem(
                        f"{here}.year",
                        f"{o.year} is not a projected year of scenario '{proj.name}'; "
                        f"expected {proj.years[0]}..{proj.years[-1]}",
                        o.file,
                        o.line,
                    )
                )
                break
            scale = proj.indicator(o.indicator).scale
            bad = (scale == "log" and not o.value > 0) or (scale == "logit" and not 0 < o.value < 1)
            if bad:
                expected = "a positive amount" if scale == "log" else "a share between 0 and 1"
                problems.append(
                    Problem(
                        f"{here}.value",
                        f"{o.value:g} cannot be a value of '{o.indicator}' (a {scale}-scale "
                        f"indicator in {proj.indicator(o.indicator).unit}); expected "
                        f"{expected}",
                        o.file,
                        o.line,
                    )
                )
                break
    if problems:
        raise InputError(problems)

    log_like = np.zeros((len(obs), len(projs)))
    outside = np.zeros((len(obs), len(projs)), dtype=np.bool_)
    for s, proj in enumerate(projs):
        densities: dict[tuple[str, int], _Density] = {}
        for i, o in enumerate(obs):
            scale = proj.indicator(o.indicator).scale
            key = (o.indicator, o.year)
            if key not in densities:
                densities[key] = _density(
                    proj.values(o.indicator)[:, proj.year_index(o.year)], scale
                )
            d = densities[key]
            z = float(_to_scale(scale, np.array([o.value]))[0])
            log_like[i, s] = _log_density(d, z, floor) + _log_jacobian(scale, o.value)
            outside[i, s] = not d.low - d.bandwidth <= z <= d.high + d.bandwidth
    for i, o in enumerate(obs):
        if outside[i].all():
            where = f" ({o.file}:{o.line})" if o.file is not None else ""
            warnings.warn(
                f"observation {o}{where} lies outside the projected range of every scenario "
                f"({', '.join(names)}); its likelihoods rest on the smoothing floor, so the "
                "weights it gives mean little: check its value and unit",
                ObservationOutsideEnsembleWarning,
                stacklevel=2,
            )
    return Posterior(names, obs, weights, log_like, outside, float(floor))


def _observations_from(
    file: Path, data: dict[str, Any], where: Mapping[Path_, tuple[Path, int]], shown: str
) -> list[Observation]:
    """Validate ``{"observations": [...]}`` read from ``file``; problems at their lines.

    ``shown`` is how a problem's field starts: ``observations.`` when the file said so, ``""``
    for a bare YAML list, or ``row`` for CSV (whose fields are columns, found by line).
    """
    try:
        parsed = _ObservationFile.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc, data, _ObservationFile, where=where)
        if shown != "observations.":
            problems = [
                Problem(_relabel(p.field, shown), p.message, p.file, p.line) for p in problems
            ]
        raise ScenarioFileError(problems) from None
    return [
        Observation(**entry.model_dump(), file=file, line=where[("observations", i)][1])
        for i, entry in enumerate(parsed.observations)
    ]


def _relabel(field: str, shown: str) -> str:
    rest = field.removeprefix("observations.")
    if shown == "row":
        return rest.split(".", 1)[1] if "." in rest else "(row)"
    return rest


def _read_yaml_observations(file: Path) -> list[Observation]:
    located = read_yaml(file, mapping=False)
    data, where = located.data, dict(located.where)
    expected = "expected a list of observations, or a mapping with the key 'observations'"
    if isinstance(data, dict):
        other = sorted(str(k) for k in data if k != "observations")
        if other or "observations" not in data:
            line = where.get((other[0],), where[()])[1] if other else where[()][1]
            raise ScenarioFileError(
                [Problem(other[0] if other else "(document)", expected, file, line)]
            )
        return _observations_from(file, data, where, "observations.")
    if not isinstance(data, list):
        raise ScenarioFileError([Problem("(document)", expected, file, where[()][1])])
    nested = {("observations", *path): at for path, at in where.items()}
    return _observations_from(file, {"observations": data}, nested, "")


def _read_csv_observations(file: Path, text: str) -> list[Observation]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(rows, [])]
    unknown = [h for h in header if h not in _OBSERVATION_KEYS]
    missing = [h for h in ("indicator", "year", "value") if h not in header]
    if unknown or missing or len(set(header)) != len(header):
        what = [f"unknown column {', '.join(unknown)}"] if unknown else []
        what += [f"missing column {', '.join(missing)}"] if missing else []
        what += ["a repeated column"] if len(set(header)) != len(header) else []
        raise ScenarioFileError(
            [
                Problem(
                    "(header)",
                    f"{'; '.join(what)}; expected the columns indicator, year, value and "
                    "optionally source, note",
                    file,
                    1,
                )
            ]
        )
    entries: list[dict[str, str]] = []
    where: dict[Path_, tuple[Path, int]] = {}
    problems = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    "(row)",
                    f"{len(row)} cells; expected {len(header)} ({', '.join(header)})",
                    file,
                    rows.line_num,
                )
            )
            continue
        cells = {h: c.strip() for h, c in zip(header, row, strict=True)}
        cells["value"] = cells["value"].replace(",", "")
        where[("observations", len(entries))] = (file, rows.line_num)
        entries.append(cells)
    if problems:
        raise ScenarioFileError(problems)
    return _observations_from(file, {"observations": entries}, where, "row")


def read_observations(path: str | Path) -> list[Observation]:
    """Read observations from a YAML or CSV file.

    YAML: a list of mappings with ``indicator``, ``year``, ``value`` and optionally
    ``source`` and ``note`` (or that list under the key ``observations``), read with the
    same safe loader and limits as case files. CSV: a header
    ``indicator,year,value[,source,note]`` and one observation per row. Every problem is
    reported with the file and line, as a :class:`~recogmodel.errors.ScenarioFileError`.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise ScenarioFileError(
            [Problem("(file)", "expected a .yaml, .yml or .csv file of observations", file)]
        )
    if suffix != ".csv":
        return _read_yaml_observations(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError(
            [Problem("(file)", f"not UTF-8 text ({exc.reason})", file, 1)]
        ) from None
    except OSError as exc:
        raise ScenarioFileError([Problem("(file)", f"cannot read: {exc.strerror}", file)]) from None
    return _read_csv_observations(file, text)


# ---------------------------------------------------------------------------------------
# Key assumptions check -> research priorities.

#: How much an assumption's support leaves to research: unsupported counts in full.
SUPPORT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"unsupported": 1.0, "caveated": 0.6, "solid": 0.2}
)


@dataclass(frozen=True)
class PriorityRow:
    """One assumption on the research list."""

    rank: int
    assumption: str
    indicator: str
    """The indicator it was ranked for (with several, the one it moves most)."""
    importance: float
    """Its importance for that indicator (see :class:`Sensitivity`)."""
    influential: bool
    """Above the sensitivity noise floor."""
    support: str | None
    """solid, caveated or unsupported; None when not rated."""
    rationale: str | None
    score: float
    """importance x weight of support (unrated weighs as unsupported)."""

    @property
    def rated(self) -> bool:
        """Whether the analyst rated this assumption's support."""
        return self.support is not None


@dataclass(frozen=True)
class Priorities:
    """What to research next: assumptions that move the range most and are least supported."""

    scenario: str
    indicators: tuple[str, ...]
    """The indicators considered (one, or every indicator of the case)."""
    year: int
    method: SensitivityMethod
    rows: tuple[PriorityRow, ...]
    """Influential assumptions by score, then those under the noise floor by score."""
    not_sampled: tuple[tuple[str, str, str], ...]
    """Rated key assumptions that are not sampled (structural, or fixed): name, support,
    rationale. Sensitivity cannot rank them; they are listed so they are not forgotten."""

    def __iter__(self) -> Iterator[PriorityRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """Plain rows for export."""
        return [
            {
                "scenario": self.scenario,
                "year": self.year,
                "rank": r.rank,
                "assumption": r.assumption,
                "indicator": r.indicator,
                "importance": r.importance,
                "influential": r.influential,
                "support": r.support,
                "rationale": r.rationale,
                "score": r.score,
            }
            for r in self.rows
        ]

    def table(self, limit: int | None = 10) -> str:
        """The influential assumptions (at most ``limit``) as a short table."""
        several = len(self.indicators) > 1
        what = "every indicator" if several else self.indicators[0]
        lines = [
            f"What to research next: {what} in {self.year} ({self.scenario})",
            "score = importance x weight of support (unsupported 1, caveated 0.6, solid 0.2; "
            "not rated counts as unsupported)",
        ]
        shown = [r for r in self.rows if r.influential]
        if limit is not None:
            shown = shown[:limit]
        header = ["rank", "assumption", *(["for"] if several else []), "importance"]
        header += ["support", "score", "why"]
        body = [
            [
                str(r.rank),
                r.assumption,
                *([r.indicator] if several else []),
                f"{r.importance:.3f}",
                r.support or "not rated",
                f"{r.score:.3f}",
                _shorten(r.rationale or "", 60),
            ]
            for r in shown
        ]
        if body:
            lines += _render(header, body, left=3 if several else 2, text=1)
        else:
            lines.append(f"no assumption moves {what} above the noise floor")
        rest = len(self.rows) - len(shown)
        if rest:
            lines.append(f"{rest} more (less influential, or under the noise floor) not shown")
        unrated = sum(1 for r in shown if not r.rated)
        if unrated:
            lines.append(f"{unrated} shown not rated: rate them in the case's key_assumptions")
        for name, support, why in self.not_sampled:
            lines.append(f"not sampled, so not ranked: {name} ({support}): {_shorten(why, 60)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def priorities(
    proj: Projection,
    indicator: str | None = None,
    year: int | None = None,
    *,
    method: SensitivityMethod = "srrc",
    dummy_seed: int = 0,
) -> Priorities:
    """Rank assumptions for research: important and poorly supported first.

    Parameters
    ----------
    proj
        A projection whose scenario's case carries ``key_assumptions`` ratings.
    indicator
        The indicator whose range matters; ``None``: every indicator, each assumption
        ranked by the indicator it moves most (for a command's short summary).
    year
        The year (default: the last projected year).
    method, dummy_seed
        Passed to :func:`sensitivity`.

    Returns
    -------
    Priorities
        Rows ordered by score = importance x support weight (:data:`SUPPORT_WEIGHTS`;
        an unrated assumption weighs as unsupported and is shown as not rated), with
        assumptions under the noise floor last.
    """
    year = proj.years[-1] if year is None else year
    indicators = tuple(proj.indicators) if indicator is None else (indicator,)
    best: dict[str, tuple[SensitivityRow, str]] = {}
    for k in indicators:
        for row in sensitivity(proj, k, year, method=method, dummy_seed=dummy_seed).ranking():
            held = best.get(row.assumption)
            if held is None or (row.influential, row.importance) > (
                held[0].influential,
                held[0].importance,
            ):
                best[row.assumption] = (row, k)
    ratings = proj.scenario.case.key_assumptions
    scored = []
    for name in proj.parameter_names:
        row, k = best[name]
        rating = ratings.get(name)
        support = rating.support if rating is not None else None
        weight = SUPPORT_WEIGHTS[support] if support is not None else 1.0
        why = rating.rationale if rating is not None else None
        scored.append((row, k, support, why, row.importance * weight))
    scored.sort(key=lambda item: (not item[0].influential, -item[4], item[0].assumption))
    rows = tuple(
        PriorityRow(
            rank=i + 1,
            assumption=row.assumption,
            indicator=k,
            importance=row.importance,
            influential=row.influential,
            support=support,
            rationale=why,
            score=score,
        )
        for i, (row, k, support, why, score) in enumerate(scored)
    )
    sampled = set(proj.parameter_names)
    not_sampled = tuple(
        (name, r.support, r.rationale) for name, r in ratings.items() if name not in sampled
    )
    return Priorities(
        scenario=proj.name,
        indicators=indicators,
        year=year,
        method=method,
        rows=rows,
        not_sampled=not_sampled,
    )
