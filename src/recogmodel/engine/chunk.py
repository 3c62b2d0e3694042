"""One chunk of draws simulated: its random numbers, its parameters, its years."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from .._random import generator
from ..model.families import safe_uniform
from .dynamics import (
    Fade,
    Hazard,
    Links,
    Pairs,
    Reversion,
    clip_rows,
    derive,
    first_steps,
    lay_down,
    layer_order,
    scaled,
    unscale_rows,
)
from .streams import correlate_blocks, uniforms

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._types import Role
    from .plan import Batch, BoolArray, FloatArray, Plan


__all__ = ["ChunkResult", "Scratch", "simulate"]


class Scratch:
    """Working arrays that one thread reuses from chunk to chunk.

    A chunk's random numbers and its steps' own parts are several megabytes that live
    only while it runs; allocating them afresh for every chunk costs the C library and
    the kernel fresh pages each time (3-9 % of a run in medians of interleaved runs of
    the benchmark). Every element is written before it is read, so a reused array gives
    the same numbers as a new one. One ``Scratch`` must not be shared by two threads at
    once.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, FloatArray] = {}

    def array(self, name: str, shape: tuple[int, ...]) -> FloatArray:
        """An uninitialised, contiguous float array of ``shape``: the start of the buffer
        held under ``name`` when it is large enough (chunks differ in size by a block or
        so), else of a new one.
        """
        size = math.prod(shape)
        held = self._arrays.get(name)
        if held is None or held.size < size:
            held = self._arrays[name] = np.empty(size)
        return held[:size].reshape(shape)


@dataclass
class ChunkResult:
    """One chunk's arrays, variables first and draws last (each row contiguous)."""

    values: FloatArray  # (K, years, n), case order
    fired: BoolArray  # (E, years, n)
    parameters: FloatArray  # (uncertain, n)
    clipped: NDArray[np.int64]  # (uncertain,) draws clipped into the domain
    touched: NDArray[np.int64]  # (K,) draws that touched a bound, case order
    saturated: NDArray[np.int64]  # (D,) draws whose intensity was clipped in some year
    eligible: NDArray[np.int64]  # (E,) draw-steps an event could fire
    fires: NDArray[np.int64]  # (E,) draw-steps it fired
    ever: NDArray[np.int64]  # (E,) draws in which it fired at least once
    asked: FloatArray  # (E, blocks) sum over each block's draws of the annual probability
    weightless: int  # draws whose weights were all 0
    finite: bool  # every value stayed a finite number


def _once_eligible(plan: Plan, first_step: FloatArray, n: int) -> NDArray[np.int64]:
    """Draw-steps in which each once-only event of constant chance could fire.

    At a fixed year, one per draw; otherwise every step up to the one it fired at (all of
    them when it never did).
    """
    out = np.zeros(len(plan.events), dtype=np.int64)
    steps = plan.horizon - plan.start
    fixed = plan.event_year[plan.once] > 0
    out[plan.once] = np.where(fixed, n, np.minimum(first_step, steps).sum(axis=1)).astype(np.int64)
    return out


def _transform_in_place(
    batch: Batch, u: FloatArray, sampled: FloatArray, clipped: NDArray[np.int64]
) -> None:
    """A batch of standard normals turned into its assumptions' draws, row by row from
    ``u`` into ``sampled``: ``loc + scale z`` (and ``exp`` for a lognormal), clipped into
    the domain only in a row where some draw left it; the batched arithmetic, element for
    element.
    """
    for i, row in enumerate(batch.rows.tolist()):
        drawn = sampled[row]
        np.multiply(u[row], batch.scale[i, 0], out=drawn)
        drawn += batch.loc[i, 0]
        if batch.log:
            np.exp(drawn, out=drawn)
        if batch.bounded:
            low, high = batch.low[i, 0], batch.high[i, 0]
            if drawn.min() < low or drawn.max() > high:
                kept = np.clip(drawn, low, high)
                clipped[row] = np.count_nonzero(kept != drawn)
                drawn[...] = kept


def _block_sums(per_draw: FloatArray, sizes: list[int]) -> FloatArray:
    """Each row's sum over each block's draws, (rows, blocks): added up over the blocks
    in their order, these give the same total however the blocks were cut into chunks.
    """
    bounds = itertools.pairwise(itertools.accumulate(sizes, initial=0))
    sums = [per_draw[:, a:b].sum(axis=1) for a, b in bounds]
    return np.stack(sums, axis=1) if sums else np.zeros((per_draw.shape[0], 0))


def _among(pairs: Pairs, at: NDArray[np.intp]) -> Pairs:
    """``pairs`` keyed by their events' rows among a subset of events (``at``), so they
    apply to that subset's firings alone.
    """
    return Pairs(pairs.values, at[pairs.first], pairs.second, pairs.size)


def simulate(
    plan: Plan,
    entropy: int,
    first_block: int,
    sizes: list[int],
    out: tuple[FloatArray, BoolArray, FloatArray] | None = None,
    scratch: Scratch | None = None,
) -> ChunkResult:
    """Simulate the blocks ``first_block ..`` of ``sizes`` draws each.

    Arrays hold variables in rows and draws in columns, so every per-variable operation runs
    over contiguous memory. ``out`` optionally gives the (values, fired, parameters) arrays
    to fill, so a serial run writes straight into the projection's arrays. Overflow is not
    an error here: :func:`project` finds every value that left the floating-point range
    and names the inputs that pushed it. ``scratch`` optionally gives this thread's
    working arrays to reuse (see :class:`Scratch`).
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _simulate_chunk(plan, entropy, first_block, sizes, out, scratch or Scratch())


def _simulate_chunk(
    plan: Plan,
    entropy: int,
    first_block: int,
    sizes: list[int],
    out: tuple[FloatArray, BoolArray, FloatArray] | None,
    scratch: Scratch,
) -> ChunkResult:
    n = sum(sizes)
    n_unc = plan.uncertain.size
    steps, events_steps = plan.steps, plan.horizon - plan.start
    k_count, e_count, d_count = len(plan.indicators), len(plan.events), len(plan.drivers)
    if out is None:
        out = (
            np.empty((k_count, plan.years, n)),
            np.empty((e_count, plan.years, n), dtype=np.bool_),
            np.empty((n_unc, n)),
        )
    values, fired, sampled = out

    # Random numbers, block by block, each block from its own stream, in a fixed order:
    # the assumptions' uniforms; one uniform per draw for each once-only event of constant
    # chance (its firing step is geometric); one per year for the others; normals for the
    # indicators that have a volatility.
    u = scratch.array("u", (n_unc, n))  # uniforms, or standard normals in the rows drawn directly
    by_uniform, by_normal = np.flatnonzero(~plan.direct), np.flatnonzero(plan.direct)
    u_once = scratch.array("once", (plan.once.size, n))
    u_yearly = scratch.array("yearly", (events_steps, plan.yearly.size, n))
    # The yearly steps' own part, drift + volatility x noise, built in place: no normals for
    # rows without volatility, nor for steps before an indicator's baseline year.
    steady = scratch.array("steady", (steps, k_count, n))
    cells = steady.reshape(steps * k_count, n)  # a view: one index per (step, row) cell
    # One call per kind of number and block. Drawing the normals row by row straight into
    # place saved 10 % of their time on one thread but was slower on two (likely because
    # each of its many calls must take the interpreter lock back; not measured directly).
    offset = 0
    for i, size in enumerate(sizes):
        rng = generator(entropy, first_block + i)
        block = slice(offset, offset + size)
        u[by_uniform, block] = uniforms(rng, by_uniform.size, size, plan.sampling)
        u[by_normal, block] = rng.standard_normal((by_normal.size, size))
        u_once[:, block] = rng.random((plan.once.size, size))
        u_yearly[..., block] = rng.random((events_steps, plan.yearly.size, size))
        # Normals step by step in the case's order of indicators, whatever order a year
        # computes them in; none for a step before an indicator's baseline year.
        cells[plan.noise_cells, block] = rng.standard_normal((plan.noise_cells.size, size))
        offset += size
    # Rank correlations, block by block: they reorder the assumptions' uniforms only, which
    # no later draw of a block depends on.
    if plan.corr_target is not None and plan.corr_columns.size:
        correlated = u[plan.corr_columns]
        correlate_blocks(correlated, sizes, plan.corr_target)
        u[plan.corr_columns] = correlated

    # Parameters: inverse CDFs, kept inside their domains.
    clipped = np.zeros(n_unc, dtype=np.int64)
    for batch in plan.batches:
        if batch.direct:  # row by row straight into place: no gathered copy, no scatter
            _transform_in_place(batch, u, sampled, clipped)
            continue
        if batch.uniform:
            drawn = safe_uniform(u[batch.rows])
        else:
            drawn = special.ndtri(safe_uniform(u[batch.rows]))
        drawn *= batch.scale  # a copy of the rows: transformed in place
        drawn += batch.loc
        if batch.log:
            np.exp(drawn, out=drawn)
        if batch.bounded:  # rows whose draws all lie inside need no clip (most of them)
            out_of = (drawn.min(axis=1) < batch.low[:, 0]) | (drawn.max(axis=1) > batch.high[:, 0])
            for r in np.flatnonzero(out_of):
                kept = np.clip(drawn[r], batch.low[r, 0], batch.high[r, 0])
                clipped[batch.rows[r]] = np.count_nonzero(kept != drawn[r])
                drawn[r] = kept
        sampled[batch.rows] = drawn
    for j in plan.alone:
        param = plan.parameters[plan.uncertain[j]]
        drawn = param.estimate.ppf(u[j])
        low, high = param.domain.kept_ends()
        np.clip(drawn, low, high, out=sampled[j])
        clipped[j] = np.count_nonzero(sampled[j] != drawn)
    row_of = np.full(plan.fixed.size, -1, dtype=np.intp)
    row_of[plan.uncertain] = np.arange(n_unc)

    def gather(columns: NDArray[np.intp], out: FloatArray, at: NDArray[np.intp]) -> None:
        """The parameters ``columns`` per draw, into rows ``at`` of ``out``: a sampled
        row copied once (one pass, not a gather and a scatter), a fixed value broadcast.
        """
        for column, drawn, row in zip(
            columns.tolist(), row_of[columns].tolist(), at.tolist(), strict=True
        ):
            out[row] = sampled[drawn] if drawn >= 0 else plan.fixed[column]

    def single(role: Role, size: int) -> FloatArray:
        columns, (where,) = plan.roles[role]
        vector = np.zeros((size, n))
        gather(columns, vector, where)
        return vector

    def pairs(role: Role, size: int, keep: BoolArray | None = None, swap: bool = False) -> Pairs:
        """The role's pairs summed into the second key (the first with ``swap``), kept by
        their first key's ``keep`` flag.
        """
        columns, (first, second) = plan.roles[role]
        if keep is not None:
            mask = keep[first]
            columns, first, second = columns[mask], first[mask], second[mask]
        if swap:
            first, second = second, first
        by = layer_order(second)  # gathered in the pairs' own order: no second copy
        values = np.empty((columns.size, n))
        gather(columns[by], values, np.arange(columns.size))
        found = Pairs(values, first[by], second[by], size)
        found.order = by
        return found

    weights = single("weight", d_count)
    total = weights.sum(axis=0)
    weightless = int((total == 0).sum())
    if plan.relative:
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    start, trend = single("start", d_count), single("trend", d_count)
    drift = single("drift", k_count)
    volatility = single("volatility", k_count)
    if plan.silent.any():
        steady[plan.silent] = 0.0
    steady *= volatility
    steady += drift
    probability = single("probability", e_count)
    by = plan.by_steps > 0
    if by.any():  # a chance of having fired by a year, as the per-year hazard
        probability[by] = 1.0 - (1.0 - probability[by]) ** (1.0 / plan.by_steps[by, None])
    effects = pairs("effect", k_count)
    effects.values *= weights[effects.first]  # constant per draw: weighted once, not yearly
    is_once = np.zeros(e_count, dtype=np.bool_)
    is_once[plan.once] = True
    yearly_at = np.full(e_count, -1, dtype=np.intp)  # an event's row among the yearly ones
    yearly_at[plan.yearly] = np.arange(plan.yearly.size)
    lasting, lasting_shifts = ~plan.fading, ~plan.fading_shifts
    # Events drawn every year move the state year by year; the lasting jumps and shifts of
    # once-only events of constant chance are laid down at their drawn step before the years.
    jumps = _among(pairs("jump", k_count, lasting & ~is_once), yearly_at)
    shifts = _among(pairs("shift", d_count, lasting_shifts & ~is_once), yearly_at)
    fade = Fade(plan, single("half_life", e_count), pairs, k_count, d_count)
    hazard = Hazard(plan, probability, pairs, e_count)
    links = Links(plan, pairs, k_count)
    reversion = Reversion(plan, single)
    first_step = first_steps(plan, probability, u_once)
    once_at = np.full(e_count, -1, dtype=np.intp)
    once_at[plan.once] = np.arange(plan.once.size)
    # The steady part's step of a draw-year: year = first_year + step + 1 = start + t.
    lead = plan.start - plan.first_year - 1
    fired_at = (first_step, once_at)
    lay_down(pairs("jump", k_count, lasting & is_once), fired_at, events_steps, steady, lead)
    once_shifts = pairs("shift", d_count, lasting_shifts & is_once)
    shift_at: FloatArray | None = None  # (steps after the start + 1, D, n): shifts by year
    if once_shifts.first.size:
        shift_at = np.zeros((events_steps + 1, d_count, n))
        lay_down(once_shifts, fired_at, events_steps, shift_at, 0)

    # The years.
    x = single("baseline", k_count)
    z = scaled(plan, x)
    fired[:, 0] = False
    shift = np.zeros((d_count, n))
    touched = np.zeros((k_count, n), dtype=np.bool_)
    saturated = np.zeros((d_count, n), dtype=np.bool_)
    eligible_total = np.zeros(e_count, dtype=np.int64)
    # Events drawn every year need their eligibility tracked; once-only events of constant
    # chance fire at their drawn step, at most once, by construction.
    yearly, once = plan.yearly, plan.once
    recurring = plan.recurring[yearly, None]
    yearly_count = np.zeros((yearly.size, n), dtype=np.int64)
    always_eligible = bool(plan.recurring[yearly].all() and (plan.event_year[yearly] == 0).all())
    in_year = [
        ((plan.event_year[yearly] == 0) | (plan.event_year[yearly] == plan.start + t))[:, None]
        for t in range(events_steps + 1)
    ]
    inverse = np.argsort(plan.order)
    # Row by row into the result (each a contiguous copy): three times faster than one
    # ``take`` into the strided year slice, which numpy copies element by element.
    into_result = list(enumerate(inverse.tolist()))
    bounded = plan.bounded
    lower, upper = plan.lower[bounded, None], plan.upper[bounded, None]
    intensity = start
    if plan.formulas:
        derive(plan, x, z, 0, len(plan.indicators), touched)
    z_start = z.copy() if hazard.watches_indicators and plan.first_year == plan.start else None
    if plan.first_year == plan.start:
        values[:, 0] = x[inverse]
    links.remember(z)
    finite = plan.first_year != plan.start or bool(np.isfinite(x).all())
    for step in range(steps):
        year = plan.first_year + step + 1
        dz = steady[step]  # used up by this step: added to in place
        if year > plan.start:
            t = year - plan.start
            fire = fired[:, t]
            if yearly.size:
                drawn = u_yearly[t - 1] < hazard.chance(intensity, start, z, z_start)
                if not always_eligible:  # recurring in every year: counted after the years
                    eligible = (recurring | (yearly_count == 0)) & in_year[t]
                    drawn &= eligible
                    yearly_count += drawn
                    eligible_total[yearly] += eligible.sum(axis=1)
                fire[yearly] = drawn
                if drawn.any() and (jumps.first.size or shifts.first.size):
                    shifts.add_to(shift, drawn)
                    jumps.add_to(dz, drawn)
            if once.size:
                fire[once] = first_step == t
            if shift_at is not None:
                shift += shift_at[t]
            raw = start + trend * t + shift
            if fade.on:
                fade.step(fire if fire.any() else None, dz, raw)
            intensity = np.maximum(raw, 0.0)  # clipped to [0, 1] (two ufuncs: no wrapper)
            np.minimum(intensity, 1.0, out=intensity)
            saturated |= intensity != raw
        effects.add_to(dz, intensity)
        reversion.pull(dz, z)
        links.lagged(dz, step)
        active = year > plan.base_year
        for first, derived_from, stop in plan.spans:
            if first < derived_from:  # the level's stepped rows
                rows = slice(first, derived_from)
                if first > 0:
                    links.same_year(dz, z, first, derived_from)
                if active[rows].all():
                    z[rows] += dz[rows]
                else:
                    moving = np.flatnonzero(active[rows]) + first
                    z[moving] += dz[moving]
                unscale_rows(plan, z, x, first, derived_from)
                clip_rows(plan, x, z, touched, first, derived_from, bounded, lower, upper)
            if derived_from < stop:
                derive(plan, x, z, derived_from, stop, touched)
        links.remember(z)
        if year == plan.start and z_start is None and hazard.watches_indicators:
            z_start = z.copy()
        if year >= plan.start:
            # Straight into the result, in case order.
            now = values[:, year - plan.start]
            for row, held in into_result:
                now[row] = x[held]
            # Checked while x is in cache: one sum is finite when every value is (a sum that
            # overflows from finite values alone is told apart by the full check).
            if finite and not np.isfinite(x.sum()):
                finite = bool(np.isfinite(x).all())
    if yearly.size and always_eligible:
        eligible_total[yearly] += n * events_steps
    return ChunkResult(
        values=values,
        fired=fired,
        parameters=sampled,
        clipped=clipped,
        touched=touched.sum(axis=1)[inverse],
        saturated=saturated.sum(axis=1),
        eligible=eligible_total + _once_eligible(plan, first_step, n),
        fires=fired.sum(axis=(1, 2)),
        ever=fired.any(axis=1).sum(axis=1),
        asked=_block_sums(probability, sizes),
        weightless=weightless,
        finite=finite,
    )
