"""The parts of a year that go beyond a random walk: pairs of roles summed, fades, hazards,
links, reversion, derived indicators, bounds and scales.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from .._scales import expit_into, logit_into, to_scale

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

    from .._types import Role
    from .plan import BoolArray, FloatArray, Plan

    _Into = Callable[[FloatArray, FloatArray], None]  # an in-place transform: source, out


__all__ = [
    "Fade",
    "Hazard",
    "Links",
    "Pairs",
    "Reversion",
    "clip_rows",
    "derive",
    "first_steps",
    "lay_down",
    "layer_order",
    "scaled",
    "unscale_rows",
]


class Pairs:
    """Per-draw values of a two-key role (effect, jump, shift) and how to sum them.

    The pairs are held in *layers*: runs in which no second key repeats. Each pair's
    product is added into its row on its own, in place on contiguous rows: on the shipped
    case's eleven effects that is about half the time of one indexed addition per layer
    (which gathers and scatters every row it touches), and the order of the additions into
    each row is the same, so are the sums, bit for bit.
    """

    def __init__(
        self, values: FloatArray, first: NDArray[np.intp], second: NDArray[np.intp], size: int
    ) -> None:
        by, self.first, self.second, self.layers = _layout(first.tobytes(), second.tobytes())
        self.order = by  # pair i here is pair order[i] as given
        in_order = by.size == 0 or bool(np.all(by == np.arange(by.size)))
        self.values = values if in_order else values[by]  # given in layer order: no copy
        self.size = size  # how many second keys there are
        self._keys = list(zip(self.first.tolist(), self.second.tolist(), strict=True))
        # One row of scratch, made on first use: a Pairs belongs to one chunk, run by one
        # thread, so no two calls share it at once.
        self._product: FloatArray | None = None

    def add_to(self, target: FloatArray, weights: FloatArray | BoolArray) -> None:
        """Add ``sum_a weights[a] * value[a, b]`` over the pairs to ``target[b]``."""
        if not self._keys:
            return
        if self._product is None:
            self._product = np.empty(self.values.shape[1:])
        product = self._product
        for i, (a, b) in enumerate(self._keys):
            np.multiply(weights[a], self.values[i], out=product)
            target[b] += product

    def add_rows(self, target: FloatArray, per_pair: FloatArray) -> None:
        """Add each pair's own row of ``per_pair`` to ``target`` at its second key."""
        for i, (_, b) in enumerate(self._keys):
            target[b] += per_pair[i]


_Layer = tuple[slice, "NDArray[np.intp]", "NDArray[np.intp]"]


@functools.lru_cache(maxsize=256)
def _layout(
    first: bytes, second: bytes
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], list[_Layer]]:
    """The layer order of pairs with these keys (as bytes of intp arrays), the keys in it,
    and each layer's run with its keys: the same for every chunk, so computed once.
    """
    a, b = np.frombuffer(first, dtype=np.intp), np.frombuffer(second, dtype=np.intp)
    layer = _layers(b)
    by = np.argsort(layer, kind="stable")
    a, b = a[by], b[by]
    bounds = np.searchsorted(layer[by], np.arange(int(layer.max(initial=-1)) + 2)).tolist()
    runs = [slice(int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)]
    for array in (by, a, b):
        array.flags.writeable = False
    return by, a, b, [(run, a[run], b[run]) for run in runs]


def _layers(second: NDArray[np.intp]) -> NDArray[np.intp]:
    """Each pair's layer: how many pairs before it share its second key."""
    layer = np.zeros(second.size, dtype=np.intp)
    seen: dict[int, int] = {}
    for i, b in enumerate(second.tolist()):
        layer[i] = seen.get(b, 0)
        seen[b] = layer[i] + 1
    return layer


def layer_order(second: NDArray[np.intp]) -> NDArray[np.intp]:
    """The order that puts pairs with these second keys into :class:`Pairs`' layers."""
    return np.argsort(_layers(second), kind="stable")


def lay_down(
    pairs: Pairs,
    fired_at: tuple[FloatArray, NDArray[np.intp]],
    last: int,
    into: FloatArray,
    lead: int,
) -> None:
    """Add each pair's value to ``into`` (steps, rows, draws), contiguous, at the step its
    once-only event fired plus ``lead``. ``fired_at`` is (the drawn first steps of the
    once-only events, each event's row among them); a step above ``last`` means never.

    A once-only event of constant chance fires at a step drawn before the years, so its
    lasting jumps and shifts can be laid down at once: one flat index per pair.
    """
    flat = into.reshape(-1)  # a view of the contiguous array: one flat index scatters fastest
    rows, n = into.shape[1], into.shape[2]
    steps, at_row = fired_at
    # Per event, found once for all its pairs: the draws it fired in and their flat
    # index at row 0.
    firing: dict[int, tuple[NDArray[np.intp], NDArray[np.intp]]] = {}
    for event, row, value in zip(
        pairs.first.tolist(), pairs.second.tolist(), pairs.values, strict=True
    ):
        if event not in firing:
            step = steps[at_row[event]]
            draws = np.flatnonzero(step <= last)
            firing[event] = (draws, (step[draws].astype(np.intp) + lead) * (rows * n) + draws)
        draws, at = firing[event]
        flat[at + row * n] += value[draws]


def first_steps(plan: Plan, probability: FloatArray, u: FloatArray) -> FloatArray:
    """The step at which each once-only event of constant chance fires (inf: never).

    At a fixed year the event fires at that step with its chance; otherwise its first
    firing step is geometric, ``P(step > s) = (1 - p) ** s``, from one uniform per draw.
    """
    p = probability[plan.once]
    year = plan.event_year[plan.once]
    fixed = year > 0
    steps: FloatArray = np.empty_like(u)
    with np.errstate(divide="ignore", invalid="ignore"):
        steps[~fixed] = np.floor(np.log1p(-u[~fixed]) / np.log1p(-p[~fixed])) + 1.0
    at = (year[fixed] - plan.start).astype(np.float64)[:, None]
    steps[fixed] = np.where(u[fixed] < p[fixed], at, math.inf)
    return steps


class Fade:
    """Jumps and shifts that fade: transient parts decaying by ``0.5 ** (1 / half_life)``."""

    def __init__(
        self,
        plan: Plan,
        half_life: FloatArray,
        pairs: Callable[..., Pairs],
        k_count: int,
        d_count: int,
    ) -> None:
        self.on = bool(plan.fading.any())
        if not self.on:
            return
        decay = np.zeros_like(half_life)
        with np.errstate(divide="ignore"):  # 0.5 ** (1 / half_life), for the fading alone
            decay[plan.fading] = np.exp2(-1.0 / half_life[plan.fading])
        self.jumps = pairs("jump", k_count, plan.fading)
        self.shifts = pairs("shift", d_count, plan.fading_shifts)
        self.jump_decay = decay[self.jumps.first]
        self.shift_decay = decay[self.shifts.first]
        self.jump_left = np.zeros_like(self.jumps.values)
        self.shift_left = np.zeros_like(self.shifts.values)

    def step(self, firing: BoolArray | None, dz: FloatArray, raw: FloatArray) -> None:
        """Decay what is left, add what fired now; add the jumps' change to ``dz`` and the
        fading part of every driver's shift to ``raw`` (the drivers' intensities unclipped).
        """
        before = self.jump_left
        after = before * self.jump_decay
        if firing is not None:
            after += firing[self.jumps.first] * self.jumps.values
        self.jump_left = after
        np.subtract(after, before, out=before)  # last year's part is no longer needed
        self.jumps.add_rows(dz, before)
        left = self.shift_left
        left *= self.shift_decay
        if firing is not None:
            left += firing[self.shifts.first] * self.shifts.values
        # With one fading shift a driver, adding it straight into ``raw`` rounds as
        # ``raw + (0.0 + shift)`` did (``raw`` is never -0.0: the shifts start at +0.0).
        # With two or more, ``(raw + a) + b`` would round differently from
        # ``raw + (a + b)``, so they are summed first, as they always were.
        if len(self.shifts.layers) == 1:
            self.shifts.add_rows(raw, left)
        elif self.shifts.layers:
            shifted = np.zeros((self.shifts.size, left.shape[-1]))
            self.shifts.add_rows(shifted, left)
            raw += shifted


class Hazard:
    """Yearly chances that move with last year's state on the log-odds scale.

    Only events drawing a uniform every year can have a moving chance (see
    :class:`~recogmodel.engine.plan.Plan`); their base chances are held here, and the
    log-odds are computed only for those whose hazard has a coefficient.
    """

    def __init__(
        self, plan: Plan, probability: FloatArray, pairs: Callable[..., Pairs], e_count: int
    ) -> None:
        self.base = probability[plan.yearly]
        position = np.full(e_count, -1, dtype=np.intp)
        position[plan.yearly] = np.arange(plan.yearly.size)

        def yearly_only(role: Role) -> Pairs:
            found = pairs(role, e_count, swap=True)
            keep = position[found.second] >= 0
            return Pairs(
                found.values[keep],
                found.first[keep],
                position[found.second[keep]],
                self.base.shape[0],
            )

        by_driver = yearly_only("hazard_driver")
        by_indicator = yearly_only("hazard_indicator")
        self.watches_indicators = by_indicator.first.size > 0
        self.rows = np.unique(np.concatenate([by_driver.second, by_indicator.second]))
        self.on = self.rows.size > 0
        if self.on:
            with np.errstate(divide="ignore"):
                self.log_odds = special.logit(self.base[self.rows])
        # Each row's terms, (source row, coefficient per draw), in the pairs' layer order:
        # a year sums them one row at a time, in the order the pairs were given.
        at = np.zeros(self.base.shape[0], dtype=np.intp)
        at[self.rows] = np.arange(self.rows.size)
        self.by_driver, self.by_indicator = (
            _terms(p, at, self.rows.size) for p in (by_driver, by_indicator)
        )

    def chance(
        self,
        intensity: FloatArray,
        start: FloatArray,
        z: FloatArray,
        z_start: FloatArray | None,
    ) -> FloatArray:
        """The chance this year of each event drawn every year, from last year's state.

        Where the state adds nothing to the log-odds the asked chance is used as it is,
        so a coefficient of 0 changes nothing, bit for bit.
        """
        if not self.on:
            return self.base
        out: FloatArray = self.base.copy()
        indicators = self.watches_indicators and z_start is not None
        for r, row in enumerate(self.rows.tolist()):
            shift = _sum_changes(self.by_driver[r], intensity, start)
            if indicators:
                shift = _sum_changes(self.by_indicator[r], z, z_start, shift)  # type: ignore[arg-type]
            if shift is None:  # no coefficient in this year's terms
                continue
            moved = shift + self.log_odds[r]
            expit_into(moved, moved)
            np.copyto(out[row], moved, where=shift != 0.0)
        return out


_Terms = list[tuple[int, "FloatArray"]]


def _terms(pairs: Pairs, at: NDArray[np.intp], size: int) -> list[_Terms]:
    """Each of ``size`` rows' (first key, values) pairs, keyed by ``at[second key]``, in
    layer order (the order a layered sum adds them in).
    """
    terms: list[_Terms] = [[] for _ in range(size)]
    for run, first, second in pairs.layers:
        for i, (a, b) in enumerate(zip(first.tolist(), at[second].tolist(), strict=True)):
            terms[b].append((a, pairs.values[run.start + i]))
    return terms


def _sum_changes(
    terms: _Terms, now: FloatArray, then: FloatArray, total: FloatArray | None = None
) -> FloatArray | None:
    """``total + sum (now[a] - then[a]) * value`` over the terms, added in their order
    (``None`` when there are no terms and no total).
    """
    for a, value in terms:
        term = now[a] - then[a]
        term *= value
        if total is None:
            total = term
        else:
            total += term
    return total


class Links:
    """Indicators that move with other indicators' changes, ``lag`` years later."""

    def __init__(self, plan: Plan, pairs: Callable[..., Pairs], k_count: int) -> None:
        self.all = pairs("link", k_count, swap=True)
        self.lag = plan.link_lag[self.all.order]
        self.on = self.lag.size > 0
        self.depth = int(self.lag.max()) + 2 if self.on else 0
        self.history: list[FloatArray] = []
        if not self.on:
            return
        self.sources = np.unique(self.all.first)  # only these rows' history is kept
        self.slot = np.zeros(k_count, dtype=np.intp)
        self.slot[self.sources] = np.arange(self.sources.size)
        lagged = self.lag > 0
        self.later = _subset(self.all, lagged, k_count)
        self.later_lags = self.lag[lagged][self.later.order]  # in the subset's own order
        self.now = _subset(self.all, ~lagged, k_count)

    def remember(self, z: FloatArray) -> None:
        """Keep this year's scale values of the sources, as far back as the longest lag."""
        if self.on:
            self.history.append(z[self.sources])
            if len(self.history) > self.depth:
                self.history.pop(0)

    def lagged(self, dz: FloatArray, step: int) -> None:
        """Add the changes of ``lag >= 1`` years ago (none before the first year)."""
        if not self.on or self.later.first.size == 0:
            return
        seen = len(self.history)  # the last is z after the previous step
        later = self.later
        for i, (source, lag) in enumerate(zip(later.first, self.later_lags, strict=True)):
            if seen - 1 - lag >= 0:
                row = self.slot[source]
                change = self.history[-lag][row] - self.history[-lag - 1][row]
                change *= later.values[i]
                dz[later.second[i]] += change

    def same_year(self, dz: FloatArray, z: FloatArray, first: int, stop: int) -> None:
        """Add this year's changes of the sources of rows ``first:stop`` (``lag: 0``)."""
        if not self.on or self.now.first.size == 0:
            return
        previous, now = self.history[-1], self.now
        for i, (source, target) in enumerate(zip(now.first, now.second, strict=True)):
            if first <= target < stop:
                change = z[source] - previous[self.slot[source]]
                change *= now.values[i]
                dz[target] += change


def _subset(pairs: Pairs, keep: BoolArray, size: int) -> Pairs:
    return Pairs(pairs.values[keep], pairs.first[keep], pairs.second[keep], size)


class Reversion:
    """A pull toward a level: ``rate * (level - z(y - 1))`` added each year."""

    def __init__(self, plan: Plan, single: Callable[[Role, int], FloatArray]) -> None:
        self.rows = plan.reverting
        self.on = self.rows.size > 0
        if not self.on:
            return
        k_count = len(plan.indicators)
        self.rate = single("reversion_rate", k_count)[self.rows]
        level = single("reversion_level", k_count)[self.rows]
        scales = [next(sc for a, b, sc in plan.runs if a <= r < b) for r in self.rows]
        self.level = np.array([to_scale(sc, row) for sc, row in zip(scales, level, strict=True)])

    def pull(self, dz: FloatArray, z: FloatArray) -> None:
        """Add this year's pull toward each level to ``dz``, from last year's values."""
        for i, row in enumerate(self.rows.tolist()):  # row by row: views, no gathers
            gap = np.subtract(self.level[i], z[row])
            gap *= self.rate[i]
            dz[row] += gap


def derive(
    plan: Plan, x: FloatArray, z: FloatArray, first: int, stop: int, touched: BoolArray
) -> None:
    """Compute the derived rows in ``first:stop`` from their formulas, inside their domain.

    A value outside (a share above 1, a level at or below 0 on a log scale) is clipped and
    counted as touching a bound; ``nan`` (0 / 0) is kept, for :func:`project` to report.
    """
    for f in plan.formulas:
        if not first <= f.row < stop:
            continue
        value = f.formula.evaluate({name: x[row] for name, row in f.inputs})
        kept = x[f.row]
        np.clip(value, *f.domain, out=kept)
        hit = kept != value  # nan is kept, and a nan is never equal: not a bound's touch
        hit &= ~np.isnan(value)
        touched[f.row] |= hit
    scale_rows(plan, x, z, first, stop)


def clip_rows(
    plan: Plan,
    x: FloatArray,
    z: FloatArray,
    touched: BoolArray,
    first: int,
    stop: int,
    bounded: NDArray[np.intp],
    lower: FloatArray,
    upper: FloatArray,
) -> None:
    """Keep rows ``first:stop`` inside their bounds; a clipped value is where it moves on
    from (its scale value is recomputed).
    """
    if not bounded.size:
        return
    chosen: slice | BoolArray = slice(None)
    if first > 0 or stop < len(plan.indicators):
        chosen = (bounded >= first) & (bounded < stop)
        if not chosen.any():
            return
    rows = bounded[chosen]
    part = x[rows]
    kept = np.clip(part, lower[chosen], upper[chosen])
    hit = kept != part
    if hit.any():
        touched[rows] |= hit
        x[rows] = kept
        moved = np.zeros_like(touched)
        moved[rows] = hit
        z[:] = np.where(moved, scaled(plan, x), z)


def scaled(plan: Plan, x: FloatArray) -> FloatArray:
    """Values in each indicator's own scale: one call per run of indicators of a scale.

    Indicators are held grouped by scale (see :class:`Plan`), so each run is a block of
    contiguous rows transformed at once.
    """
    z: FloatArray = x.copy()
    scale_rows(plan, x, z, 0, len(plan.indicators))
    return z


def scale_rows(plan: Plan, x: FloatArray, z: FloatArray, first: int, stop: int) -> None:
    """Rows ``first:stop`` into their scales, written into ``z``."""
    _transform_rows(plan, _TO_SCALE, x, z, first, stop)


def unscale_rows(plan: Plan, z: FloatArray, x: FloatArray, first: int, stop: int) -> None:
    """Rows ``first:stop`` back from their scales to their units, written into ``x``
    (overflow to inf is not an error here: see :func:`~recogmodel.engine.chunk.simulate`).
    """
    _transform_rows(plan, _FROM_SCALE, z, x, first, stop)


def _copy_into(source: FloatArray, out: FloatArray) -> None:
    np.copyto(out, source)


def _log_into(x: FloatArray, out: FloatArray) -> None:
    np.log(x, out=out)


def _exp_into(z: FloatArray, out: FloatArray) -> None:
    np.exp(z, out=out)


_TO_SCALE: dict[str, _Into] = {"log": _log_into, "logit": logit_into, "linear": _copy_into}
_FROM_SCALE: dict[str, _Into] = {"log": _exp_into, "logit": expit_into, "linear": _copy_into}


def _transform_rows(
    plan: Plan,
    table: dict[str, _Into],
    source: FloatArray,
    target: FloatArray,
    first: int,
    stop: int,
) -> None:
    """Each run of rows of one scale within ``first:stop``, transformed in place by its
    scale's entry of ``table`` from ``source`` into ``target``.
    """
    for a, b, scale in plan.runs:
        a, b = max(a, first), min(b, stop)
        if a < b:
            table[scale](source[a:b], target[a:b])
