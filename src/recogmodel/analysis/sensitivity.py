"""Sensitivity: which sampled assumption drives an indicator's range, year by year.

Computed from a projection's own draws (no extra runs), for every year at once: standardised
rank regression coefficients (SRRC) with the regression's R² by default, or the
moment-independent PAWN index; a swing in the indicator's own units; and a noise floor from
dummy assumptions that do nothing. The formulas are in ``docs/methodology.md``.

Honest by construction: an assumption with no path in the model to the indicator
(:func:`~recogmodel.model.parameters.reaching`) takes no part in its regression and is never
influential for it; under ``salience: relative`` weights are analysed as their shares of
the weights (and labelled so), so a driver's sign is its effect's sign; every importance
carries a 90 % Monte Carlo interval (a delete-a-group jackknife over groups of draws for
SRRC, the dummies' spread for PAWN), and the ranking says which neighbours cannot be told
apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .._checks import projected_years, whole_number
from ..errors import InputError, Problem
from ..model.parameters import reaching
from ..text.numbers import signed
from ..text.tables import text_table
from . import _ranks
from ._shared import frozen

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray

__all__ = [
    "DEFAULT_DUMMIES",
    "DEFAULT_SLICES",
    "JACKKNIFE_GROUPS",
    "SWING_SHARE",
    "Sensitivity",
    "SensitivityMethod",
    "SensitivityRow",
    "sensitivity",
]

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
#: Groups of draws the jackknife of the SRRC leaves out one at a time.
JACKKNIFE_GROUPS = _ranks.GROUPS
#: The normal quantile of a two-sided 90 % interval.
_Z90 = 1.6448536269514722


@dataclass(frozen=True)
class SensitivityRow:
    """One assumption's importance for an indicator in one year."""

    rank: int
    """1 for the most important assumption."""
    assumption: str
    """Dotted name, e.g. ``drivers.market_access.weight``."""
    year: int
    importance: float
    """The absolute SRRC (method ``srrc``) or the PAWN index (method ``pawn``)."""
    coefficient: float
    """Signed standardised rank regression coefficient (whatever the method)."""
    swing: float
    """Median of the indicator in the assumption's top decile minus bottom decile (units)."""
    low: float
    """Median of the indicator when the assumption is in its bottom decile."""
    high: float
    """Median of the indicator when the assumption is in its top decile."""
    influential: bool
    """Whether the importance lies above the noise floor (never without a path)."""
    interval: tuple[float, float] = (math.nan, math.nan)
    """90 % Monte Carlo interval of the importance."""
    tied: bool = False
    """Whether it cannot be told apart from the row ranked just above (within noise)."""
    share: bool = False
    """Whether the assumption is a weight analysed as its share (relative salience)."""

    @property
    def label(self) -> str:
        """The assumption's name, with "(share)" for a weight read as its share."""
        return f"{self.assumption} (share)" if self.share else self.assumption


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
    """The absolute SRRC (``srrc``) or the PAWN index (``pawn``): what the ranking sorts by."""
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
    """Importance above the threshold, and a path to the indicator."""
    error: FloatArray
    """Monte Carlo standard error of each importance (assumptions, years)."""
    reaches: BoolArray
    """(assumptions,): whether each has a path in the model to the indicator."""
    shares: tuple[bool, ...]
    """Which assumptions are weights analysed as shares (relative salience)."""

    def __repr__(self) -> str:
        return (
            f"Sensitivity(scenario={self.scenario!r}, indicator={self.indicator!r}, "
            f"method={self.method!r}, years={self.years[0]}..{self.years[-1]}, "
            f"assumptions={len(self.assumptions)})"
        )

    def year_index(self, year: int | None = None) -> int:
        """Position of a year on the years axis.

        Parameters
        ----------
        year
            A year covered by this analysis; ``None``: the last one.

        Returns
        -------
        int
            Its index into ``years`` and into the years axis of every array.

        Raises
        ------
        InputError
            If the year is not covered.
        """
        if year is None:
            return len(self.years) - 1
        if year not in self.years:
            covered = ", ".join(str(y) for y in self.years)
            raise InputError(
                [Problem("year", f"{year} is not covered by this analysis; expected {covered}")]
            )
        return self.years.index(year)

    def ranking(self, year: int | None = None) -> list[SensitivityRow]:
        """Every assumption in one year, most important first.

        Parameters
        ----------
        year
            A year covered by this analysis; ``None``: the last one.

        Returns
        -------
        list of SensitivityRow
            One row per assumption, by importance, then by the size of its swing, then by
            name.
        """
        t = self.year_index(year)
        order = sorted(
            range(len(self.assumptions)),
            key=lambda j: (-self.importance[j, t], -abs(self.swing[j, t]), self.assumptions[j]),
        )
        rows = []
        for r, j in enumerate(order):
            imp, err = float(self.importance[j, t]), float(self.error[j, t])
            tied = False
            if r:
                above = order[r - 1]
                gap = float(self.importance[above, t]) - imp
                tied = gap <= _Z90 * math.hypot(err, float(self.error[above, t]))
            rows.append(
                SensitivityRow(
                    rank=r + 1,
                    assumption=self.assumptions[j],
                    year=self.years[t],
                    importance=imp,
                    coefficient=float(self.coefficient[j, t]),
                    swing=float(self.swing[j, t]),
                    low=float(self.low[j, t]),
                    high=float(self.high[j, t]),
                    influential=bool(self.influential[j, t]),
                    interval=(max(0.0, imp - _Z90 * err), imp + _Z90 * err),
                    tied=tied and (imp > 0 or err > 0),
                    share=self.shares[j],
                )
            )
        return rows

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per assumption and year, for CSV, pandas or a plot.

        Returns
        -------
        list of dict
            The fields of :class:`SensitivityRow` with the scenario, indicator, method,
            year, noise floor and R².
        """
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
                        "importance_low": row.interval[0],
                        "importance_high": row.interval[1],
                        "tied": row.tied,
                        "share": row.share,
                        "noise_floor": float(self.noise_floor[t]),
                        "r2": float(self.r2[t]),
                    }
                )
        return rows

    def table(self, year: int | None = None, limit: int | None = None) -> str:
        """A readable table for one year: influential assumptions first, then a count.

        Parameters
        ----------
        year
            A year covered by this analysis; ``None``: the last one.
        limit
            Show at most this many influential assumptions; ``None``: all of them.

        Returns
        -------
        str
            The table, with the method, R² and noise floor in its heading lines.
        """
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
        header = ["rank", "assumption", "importance", "90% interval", "SRRC", "swing"]
        body = [
            [
                f"{r.rank}{' ≈' if r.tied else ''}",
                r.label,
                f"{r.importance:.3f}",
                f"{r.interval[0]:.3f} – {r.interval[1]:.3f}",
                f"{r.coefficient:+.3f}",
                signed(r.swing, self.unit, self.scale),
            ]
            for r in shown
        ]
        if body:
            lines += text_table(header, body, left=2)
            if any(r.tied for r in shown):
                lines.append("≈: cannot be told apart from the rank above at these draws")
            if any(r.share for r in shown):
                lines.append(
                    "(share): the driver's share of the weights in each draw (salience: "
                    "relative), not its raw weight"
                )
        else:
            lines.append("no assumption lies above the noise floor")
        last = shown[-1].rank if shown else 0
        skipped = [r for r in rows[:last] if not r.influential]
        for r in skipped:
            why = (
                "no path in the model to this indicator"
                if not self.reaches[self.assumptions.index(r.assumption)]
                else "above the floor of the dummies, but not of its own threshold "
                "(correlated with other assumptions)"
            )
            lines.append(f"rank {r.rank} ({r.label}) not shown: {why}")
        hidden -= len(skipped)
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

    def _repr_html_(self) -> str:
        """The ranking in a notebook: its tidy rows as an HTML table."""
        from ..text.html import rows_html

        title = f"What drives {self.indicator} under {self.scenario}"
        return rows_html(title, self.to_rows())

    def __str__(self) -> str:
        return self.table()


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
    design: _ranks.Design,
    y_sorted: _ranks.Sorted,
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

    Raises
    ------
    InputError
        For an unknown indicator, method or statistic, a year that is not projected, a
        count that is not a whole number, or too few draws for the assumptions and dummies
        (or, for PAWN, for the slices).
    """
    if method not in _METHODS:
        raise InputError(
            [Problem("method", f"'{method}' is not a method; expected 'srrc' or 'pawn'")]
        )
    if statistic not in ("median", "max"):
        raise InputError(
            [Problem("statistic", f"'{statistic}' is not a statistic; expected median or max")]
        )
    dummies = whole_number("dummies", dummies)
    dummy_seed = whole_number("dummy_seed", dummy_seed, least=0)
    values = proj.values(indicator)
    years = projected_years(proj.years, year, name="year")
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
    slices = whole_number("slices", slices, least=2)
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
    design = _ranks.design(proj, dummies, dummy_seed)
    path = reaching(proj.scenario.case, indicator)
    reaches = np.array([name in path for name in proj.parameter_names], dtype=np.bool_)
    reg = _ranks.regression(design, np.concatenate([reaches, np.ones(dummies, np.bool_)]))
    y_sorted = _ranks.sort_columns(y)
    zy, flat = _ranks.standardise(y_sorted.ranks)

    # Rank regression: one solve for every year (the assumptions' side is shared), on the
    # assumptions that reach the indicator and the dummies.
    r = design.z.T @ zy / n
    beta = reg.solve @ r
    beta[:, flat] = 0.0
    # R² of the real assumptions alone: the dummies would add about dummies/draws to it.
    own = reg.solve_own @ r[:p]
    r2 = np.where(flat, np.nan, np.clip((own * r[:p]).sum(axis=0), 0.0, 1.0))

    if method == "srrc":
        importance = np.abs(beta)
        error = _jackknife(design, reg, zy, r)
        error[:, flat] = 0.0
        # A coefficient's sampling spread grows with sqrt(VIF): compare on that footing.
        widen = np.sqrt(reg.inflation)[:, None]
        floor = (importance[p:] / widen[p:]).max(axis=0)
        threshold = floor * widen[:p]
    else:
        importance = _pawn(design, y_sorted, slices, statistic)
        importance[:, flat] = 0.0
        floor = importance[p:].max(axis=0)
        threshold = np.broadcast_to(floor, (p, len(years))).copy()
        # The dummies' importances are draws of the index under no effect: their spread
        # stands for the sampling spread of every assumption's.
        spread = importance[p:].std(axis=0, ddof=1) if dummies > 1 else np.zeros(len(years))
        error = np.broadcast_to(spread, importance.shape).copy()
    influential = (importance[:p] > threshold) & ~flat & reaches[:, None]
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
        importance=frozen(np.ascontiguousarray(importance[:p])),
        coefficient=frozen(np.ascontiguousarray(beta[:p])),
        swing=frozen(high - low),
        low=frozen(low),
        high=frozen(high),
        median=frozen(np.median(y, axis=0)),
        r2=frozen(r2),
        noise_floor=frozen(floor),
        threshold=frozen(threshold),
        influential=frozen(influential),
        error=frozen(np.ascontiguousarray(error[:p])),
        reaches=frozen(reaches),
        shares=design.shares,
    )


def _jackknife(
    design: _ranks.Design, reg: _ranks.Regression, zy: FloatArray, r: FloatArray
) -> FloatArray:
    """Delete-a-group jackknife standard errors of the SRRC (columns, years).

    The draws are cut into :data:`JACKKNIFE_GROUPS` groups; leaving out group g, the
    correlations are ``(n Σ - Z_g' Z_g) / (n - n_g)`` (ranks are not recomputed: the error
    this leaves is of order 1/n), and the coefficients are solved again on the same
    columns, all groups in one batched solve. The groups' ``Z_g' Z_g`` depend on the
    assumptions only, so they are made once per projection.
    """
    z = design.z
    n = z.shape[0]
    groups = min(JACKKNIFE_GROUPS, n // 2)
    if groups < 2:
        return np.zeros_like(r)
    parts, grams = _ranks.group_grams(design, groups)
    keep = np.flatnonzero(reg.keep)
    sizes = np.array([part.stop - part.start for part in parts], dtype=np.float64)
    rest = (n - sizes)[:, None, None]
    block = np.ix_(keep, keep)
    left = (design.gram[block] * n - grams[:, keep][:, :, keep]) / rest
    zk = z[:, keep]
    cross = r[keep] * n  # Z' zy on the kept columns, already in hand
    right = np.stack([cross - zk[part].T @ zy[part] for part in parts]) / rest
    try:
        estimates = np.linalg.solve(left, right)
    except np.linalg.LinAlgError:  # a singular block: the least-squares answer
        estimates = np.linalg.pinv(left, hermitian=True) @ right
    spread = estimates - estimates.mean(axis=0)
    out = np.zeros_like(r)
    out[keep] = np.sqrt((groups - 1) / groups * (spread**2).sum(axis=0))
    return out
