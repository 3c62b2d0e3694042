"""The scenario engine: a vectorised Monte Carlo projection of every indicator.

One concept, kept in one module although it runs past 600 lines: compiling a scenario,
drawing its random streams, stepping its years and assembling the result are one
algorithm, read top to bottom in the order the numbers are made.

Per draw (all draws of a chunk at once, looping over years only):

1. every uncertain assumption is sampled through its inverse CDF from uniforms (plain Monte
   Carlo, or a Latin hypercube per block), with requested rank correlations induced by
   Iman–Conover, and draws outside a parameter's domain clipped into it (and counted);
2. under ``salience: relative`` (the default) driver weights are normalised to sum to 1
   (a draw whose weights are all 0 exerts no pressure); under ``absolute`` they are used
   as given; an event's chance ``P`` by a year ``Y`` becomes the per-year hazard
   ``1 - (1 - P)^(1 / (Y - start))``;
3. for each step ``y`` events fire first; then intensities
   ``I_d(y) = clip(start_d + trend_d (y - start) + shifts of events fired so far, 0, 1)``,
   pressures ``P_k(y) = sum_d w_d I_d(y) E_dk``, and each indicator in its own scale
   ``z_k(y) = z_k(y-1) + drift_k + P_k(y) + volatility_k eps_k(y) + jumps fired at y``,
   back-transformed and clipped to its bounds (the clipped value is where it moves on from).

Reproducibility: draws are cut into fixed blocks of :data:`BLOCK` draws, block ``i`` draws
all its random numbers, in a fixed order, from its own generator spawned from one
``SeedSequence``. Chunks (what is held in memory at once) are runs of whole blocks, so the
numbers depend on the seed and the number of draws, never on the chunk size or on where
the chunks run.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

import numpy as np
from numpy.typing import NDArray
from scipy import special

from ._checks import overflow_error, whole_number
from ._random import entropy as entropy_of
from ._random import generator
from ._scales import from_scale, to_scale
from ._types import ROLE_KEYS, Role, Sampling
from .errors import InputError, Problem, ProjectionTooLargeError
from .model import Scenario, levels, parse_formula
from .projection import Diagnostics, EventRate, Projection

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from .model import Event, Formula, Parameter

__all__ = ["BLOCK", "DEFAULT_DRAWS", "project"]

#: Draws per block: the unit of random streams. Changing it changes every projection.
BLOCK = 1024
#: Draws when neither the call nor the scenario says how many.
DEFAULT_DRAWS = 10_000
#: Working memory a chunk aims for when no chunk size is given: small enough that two
#: workers' chunks stay in a shared cache (measured: 64 MiB ran slower on two workers
#: than on one; 16 MiB is faster serially too).
CHUNK_BYTES = 16 * 2**20
#: With an executor and no chunk size, draws are cut into at least this many chunks, so
#: every worker has several to take.
MIN_TASKS = 8

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class _Formula:
    """A derived indicator's formula, with the internal rows of the indicators it names."""

    row: int
    formula: Formula
    inputs: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class _Plan:
    """A scenario compiled into index arrays: everything a chunk needs, nothing more.

    Indicators are held internally grouped by level (the order a year computes them in:
    see :func:`recogmodel.model.levels`), within a level the stepped ones before the
    derived ones, and within those by scale (log, then logit, then linear), so the
    transforms work on contiguous slices; ``order[i]`` is the case position of internal
    indicator ``i``. A case without same-year dependencies has one level.
    """

    start: int
    horizon: int
    first_year: int
    drivers: tuple[str, ...]
    indicators: tuple[str, ...]
    events: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    uncertain: NDArray[np.intp]
    fixed: FloatArray
    roles: dict[str, tuple[NDArray[np.intp], tuple[NDArray[np.intp], ...]]]
    order: NDArray[np.intp]
    runs: tuple[tuple[int, int, str], ...]  # (first, stop, scale): rows of one scale
    spans: tuple[tuple[int, int, int], ...]  # per level: (first, derived from, stop)
    formulas: tuple[_Formula, ...]
    noisy: NDArray[np.intp]  # internal rows whose volatility is not fixed at 0
    noise_slot: NDArray[np.intp]  # where each noisy indicator, in case order, sits in noisy
    lower: FloatArray
    upper: FloatArray
    bounded: NDArray[np.intp]
    base_year: NDArray[np.int64]
    event_year: NDArray[np.int64]
    recurring: BoolArray
    by_steps: FloatArray  # steps from start to an event's `by` year; 0 for a per-year chance
    yearly: NDArray[np.intp]  # events drawing a uniform each year (recurring, hazard)
    once: NDArray[np.intp]  # once-only events of constant chance: one uniform per draw
    fading: BoolArray  # per event: its jumps fade
    fading_shifts: BoolArray  # per event: its shifts fade too
    link_lag: NDArray[np.int64]  # per link parameter, in role order
    reverting: NDArray[np.intp]  # internal rows with a reversion
    relative: bool  # salience: relative (weights normalised per draw) or absolute
    corr_columns: NDArray[np.intp]
    corr_target: FloatArray
    sampling: Sampling

    @property
    def years(self) -> int:
        return self.horizon - self.start + 1

    @property
    def steps(self) -> int:
        """Steps simulated per draw, from the earliest baseline year to the horizon."""
        return self.horizon - self.first_year


_SCALE_ORDER = {"log": 0, "logit": 1, "linear": 2}


def _compile(scenario: Scenario, sampling: Sampling) -> _Plan:
    case = scenario.case
    drivers = tuple(case.drivers)
    indicators = tuple(case.indicators)
    events = tuple(case.events)
    params = tuple(case.parameters())
    inds = list(case.indicators.values())
    level_of = levels(case)
    key = [
        (level_of[k], inds[i].derived, _SCALE_ORDER[inds[i].scale])
        for i, k in enumerate(indicators)
    ]
    order = np.array(sorted(range(len(inds)), key=key.__getitem__), dtype=np.intp)
    inner = [inds[i] for i in order]
    position = {
        "driver": {d: i for i, d in enumerate(drivers)},
        "indicator": {indicators[o]: i for i, o in enumerate(order)},
        "event": {e: i for i, e in enumerate(events)},
    }
    roles: dict[str, tuple[NDArray[np.intp], tuple[NDArray[np.intp], ...]]] = {}
    for role, axes in ROLE_KEYS.items():
        found = [(i, p) for i, p in enumerate(params) if p.role == role]
        columns = np.array([i for i, _ in found], dtype=np.intp)
        where = tuple(
            np.array([position[axis][p.keys[a]] for _, p in found], dtype=np.intp)
            for a, axis in enumerate(axes)
        )
        roles[role] = (columns, where)
    runs: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int, int]] = []
    for i, ind in enumerate(inner):
        if runs and runs[-1][2] == ind.scale and key[order[i - 1]][:2] == key[order[i]][:2]:
            runs[-1] = (runs[-1][0], i + 1, ind.scale)
        else:
            runs.append((i, i + 1, ind.scale))
        lv = key[order[i]][0]
        if len(spans) <= lv:
            spans.append((i, i, i))
        first, derived_from, _ = spans[lv]
        spans[lv] = (first, derived_from if ind.derived else i + 1, i + 1)
    formulas = tuple(
        _Formula(
            i,
            parse_formula(ind.formula),
            tuple((n, position["indicator"][n]) for n in parse_formula(ind.formula).names),
        )
        for i, ind in enumerate(inner)
        if ind.formula is not None
    )
    uncertain = np.array([i for i, p in enumerate(params) if not p.estimate.is_fixed], np.intp)
    fixed = np.array(
        [p.estimate.mean() if p.estimate.is_fixed else math.nan for p in params], np.float64
    )
    lower = np.array([-math.inf if i.bounds[0] is None else i.bounds[0] for i in inner])
    upper = np.array([math.inf if i.bounds[1] is None else i.bounds[1] for i in inner])
    log = np.array([i.scale == "log" for i in inner])
    lower[log & (lower <= 0)] = -math.inf  # a log indicator cannot reach 0: nothing to clip
    base_year = np.array(
        [case.start if i.baseline is None else i.baseline.year for i in inner], dtype=np.int64
    )
    evs = list(case.events.values())
    name_to_column = {params[c].name: j for j, c in enumerate(uncertain)}
    corr_names = sorted({n for c in scenario.correlations for n in c.between})
    target = np.eye(len(corr_names))
    for c in scenario.correlations:
        a, b = corr_names.index(c.between[0]), corr_names.index(c.between[1])
        target[a, b] = target[b, a] = _pearson_for_spearman(c.rho)
    noisy = np.array(
        [
            i
            for i, ind in enumerate(inner)
            if not (ind.volatility.is_fixed and ind.volatility.mean() == 0)
        ],
        dtype=np.intp,
    )
    yearly = [i for i, e in enumerate(evs) if e.recurring or _moves_with_state(e)]
    by_case = sorted(range(noisy.size), key=lambda j: int(order[noisy[j]]))
    link_columns = roles["link"][0]
    return _Plan(
        start=case.start,
        horizon=case.horizon,
        first_year=int(min(case.start, base_year.min())),
        drivers=drivers,
        indicators=indicators,
        events=events,
        parameters=params,
        uncertain=uncertain,
        fixed=fixed,
        roles=roles,
        order=order,
        runs=tuple(runs),
        spans=tuple(spans),
        formulas=formulas,
        noisy=noisy,
        noise_slot=np.array(by_case, dtype=np.intp),
        lower=lower,
        upper=upper,
        bounded=np.flatnonzero(np.isfinite(lower) | np.isfinite(upper)),
        base_year=base_year,
        event_year=np.array([0 if e.year is None else e.year for e in evs], dtype=np.int64),
        recurring=np.array([e.recurring for e in evs], dtype=np.bool_),
        by_steps=np.array([0 if e.by is None else e.by - case.start for e in evs], np.float64),
        yearly=np.array(yearly, dtype=np.intp),
        once=np.array([i for i in range(len(evs)) if i not in yearly], dtype=np.intp),
        fading=np.array([e.effects.fade is not None for e in evs], dtype=np.bool_),
        fading_shifts=np.array(
            [e.effects.fade is not None and e.effects.fade.drivers for e in evs], dtype=np.bool_
        ),
        link_lag=np.array(
            [case.indicators[params[c].keys[0]].links[params[c].keys[1]].lag for c in link_columns],
            dtype=np.int64,
        ),
        reverting=np.array(
            [i for i, ind in enumerate(inner) if ind.reversion is not None], dtype=np.intp
        ),
        relative=case.salience == "relative",
        corr_columns=np.array([name_to_column[n] for n in corr_names], dtype=np.intp),
        corr_target=target,
        sampling=sampling,
    )


def _moves_with_state(event: Event) -> bool:
    """Whether an event's chance can move: a hazard with a coefficient not fixed at 0.

    One with only zeros keeps the stream of a constant chance, so writing a coefficient of
    0 changes nothing, bit for bit.
    """
    if event.hazard is None:
        return False
    found = (*event.hazard.drivers.values(), *event.hazard.indicators.values())
    return any(not (b.is_fixed and b.mean() == 0) for b in found)


def _pearson_for_spearman(rho: float) -> float:
    """The normal-scores correlation that yields Spearman's ``rho`` (Pearson's 1904 formula)."""
    return float(2 * math.sin(math.pi * rho / 6))


# ---------------------------------------------------------------------------------------
# One chunk: whole blocks of draws, simulated together.


@dataclass
class _ChunkResult:
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
    asked: FloatArray  # (E,) sum over draws of the sampled annual probability
    weightless: int  # draws whose weights were all 0


def _block_sizes(draws: int) -> list[int]:
    full, rest = divmod(draws, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def _uniforms(rng: np.random.Generator, rows: int, n: int, sampling: Sampling) -> FloatArray:
    """Uniforms for ``rows`` assumptions over ``n`` draws: plain, or a Latin hypercube."""
    if sampling == "random":
        return rng.random((rows, n))
    strata = rng.permuted(np.tile(np.arange(n), (rows, 1)), axis=1)
    u: FloatArray = (strata + rng.random((rows, n))) / n
    return u


def _iman_conover(u: FloatArray, columns: NDArray[np.intp], target: FloatArray) -> None:
    """Reorder ``u``'s chosen columns in place so their ranks follow ``target``.

    Each column keeps exactly its values (so every marginal is kept); only which draw gets
    which value changes (Iman & Conover 1982).
    """
    n = u.shape[0]
    if columns.size == 0 or n < columns.size + 2:
        return
    sub = u[:, columns]
    ranks = sub.argsort(axis=0).argsort(axis=0)
    scores = special.ndtri((ranks + 1) / (n + 1))
    current = np.corrcoef(scores, rowvar=False)
    try:
        q = np.linalg.cholesky(current)
        p = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        return
    induced = scores @ np.linalg.solve(q, p).T
    order = induced.argsort(axis=0).argsort(axis=0)
    u[:, columns] = np.take_along_axis(np.sort(sub, axis=0), order, axis=0)


class _Pairs:
    """Per-draw values of a two-key role (effect, jump, shift) and how to sum them.

    ``apply(weights)`` computes ``sum_a weights[a] * value[a, b]`` for every ``b`` as one
    dense matrix product over the role's pairs, instead of an (A, B, draws) array.
    """

    def __init__(
        self, values: FloatArray, first: NDArray[np.intp], second: NDArray[np.intp], size: int
    ) -> None:
        self.values = values
        self.first = first
        self.second = second
        self.onehot = np.zeros((size, first.size))
        self.onehot[second, np.arange(first.size)] = 1.0

    def apply(self, weights: FloatArray) -> FloatArray:
        out: FloatArray = self.onehot @ (weights[self.first] * self.values)
        return out


def _simulate(
    plan: _Plan,
    entropy: int,
    first_block: int,
    sizes: list[int],
    out: tuple[FloatArray, BoolArray, FloatArray] | None = None,
) -> _ChunkResult:
    """Simulate the blocks ``first_block ..`` of ``sizes`` draws each.

    Arrays hold variables in rows and draws in columns, so every per-variable operation runs
    over contiguous memory. ``out`` optionally gives the (values, fired, parameters) arrays
    to fill, so a serial run writes straight into the projection's arrays. Overflow is not
    an error here: :func:`project` finds every value that left the floating-point range
    and names the inputs that pushed it.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _simulate_chunk(plan, entropy, first_block, sizes, out)


def _simulate_chunk(
    plan: _Plan,
    entropy: int,
    first_block: int,
    sizes: list[int],
    out: tuple[FloatArray, BoolArray, FloatArray] | None,
) -> _ChunkResult:
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
    u = np.empty((n_unc, n))
    u_once = np.empty((plan.once.size, n))
    u_yearly = np.empty((events_steps, plan.yearly.size, n))
    eps = np.empty((steps, plan.noisy.size, n))
    offset = 0
    for i, size in enumerate(sizes):
        rng = generator(entropy, first_block + i)
        block = slice(offset, offset + size)
        u[:, block] = _uniforms(rng, n_unc, size, plan.sampling)
        _iman_conover(u[:, block].T, plan.corr_columns, plan.corr_target)
        u_once[:, block] = rng.random((plan.once.size, size))
        u_yearly[..., block] = rng.random((events_steps, plan.yearly.size, size))
        # Normals in the case's order of indicators, whatever order a year computes them in.
        eps[:, plan.noise_slot, block] = rng.standard_normal((steps, plan.noisy.size, size))
        offset += size

    # Parameters: inverse CDFs, kept inside their domains.
    clipped = np.zeros(n_unc, dtype=np.int64)
    for j, p in enumerate(plan.uncertain):
        param = plan.parameters[p]
        kept, moved = param.domain.clip(param.estimate.ppf(u[j]))
        sampled[j] = kept
        clipped[j] = int(moved.sum())
    row_of = np.full(plan.fixed.size, -1, dtype=np.intp)
    row_of[plan.uncertain] = np.arange(n_unc)

    def gather(columns: NDArray[np.intp]) -> FloatArray:
        """The role's parameters per draw: sampled rows, fixed ones broadcast."""
        rows = np.empty((columns.size, n))
        drawn = row_of[columns] >= 0
        rows[~drawn] = plan.fixed[columns[~drawn], None]
        rows[drawn] = sampled[row_of[columns[drawn]]]
        return rows

    def single(role: Role, size: int) -> FloatArray:
        columns, (where,) = plan.roles[role]
        vector = np.zeros((size, n))
        vector[where] = gather(columns)
        return vector

    def pairs(role: Role, size: int, keep: BoolArray | None = None, swap: bool = False) -> _Pairs:
        """The role's pairs summed into the second key (the first with ``swap``), kept by
        their first key's ``keep`` flag.
        """
        columns, (first, second) = plan.roles[role]
        if keep is not None:
            mask = keep[first]
            columns, first, second = columns[mask], first[mask], second[mask]
        if swap:
            first, second = second, first
        return _Pairs(gather(columns), first, second, size)

    weights = single("weight", d_count)
    total = weights.sum(axis=0)
    weightless = int((total == 0).sum())
    if plan.relative:
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    start, trend = single("start", d_count), single("trend", d_count)
    drift = single("drift", k_count)
    volatility = single("volatility", k_count)[plan.noisy]
    probability = single("probability", e_count)
    by = plan.by_steps > 0
    if by.any():  # a chance of having fired by a year, as the per-year hazard
        probability[by] = 1.0 - (1.0 - probability[by]) ** (1.0 / plan.by_steps[by, None])
    effects = pairs("effect", k_count)
    lasting = ~plan.fading
    jumps = pairs("jump", k_count, lasting)
    shifts = pairs("shift", d_count, ~plan.fading_shifts)
    fade = _Fade(plan, single("half_life", e_count), pairs, k_count, d_count)
    hazard = _Hazard(plan, probability, pairs, e_count)
    links = _Links(plan, pairs, k_count)
    reversion = _Reversion(plan, single)
    first_step = _first_steps(plan, probability, u_once)

    # The years.
    x = single("baseline", k_count)
    z = _to_scale(plan, x)
    fired[:, 0] = False
    count = np.zeros((e_count, n), dtype=np.int64)
    shift = np.zeros((d_count, n))
    touched = np.zeros((k_count, n), dtype=np.bool_)
    saturated = np.zeros((d_count, n), dtype=np.bool_)
    eligible_total = np.zeros(e_count, dtype=np.int64)
    fires_total = np.zeros(e_count, dtype=np.int64)
    recurring = plan.recurring[:, None]
    inverse = np.argsort(plan.order)
    bounded = plan.bounded
    lower, upper = plan.lower[bounded, None], plan.upper[bounded, None]
    intensity = start
    if plan.formulas:
        _derive(plan, x, z, 0, len(plan.indicators), touched)
    z_start = z.copy() if hazard.watches_indicators and plan.first_year == plan.start else None
    if plan.first_year == plan.start:
        values[:, 0] = x[inverse]
    links.remember(z)
    for step in range(steps):
        year = plan.first_year + step + 1
        if plan.noisy.size == k_count:
            dz = drift + volatility * eps[step]
        else:
            dz = drift.copy()
            dz[plan.noisy] += volatility * eps[step]
        if year > plan.start:
            t = year - plan.start
            in_year = ((plan.event_year == 0) | (plan.event_year == year))[:, None]
            eligible = (recurring | (count == 0)) & in_year
            chance = hazard.chance(intensity, start, z, z_start)
            fire = np.zeros((e_count, n), dtype=np.bool_)
            if plan.yearly.size:
                fire[plan.yearly] = u_yearly[t - 1] < chance[plan.yearly]
            if plan.once.size:
                fire[plan.once] = first_step == t
            fire &= eligible
            fired[:, t] = fire
            count += fire
            eligible_total += eligible.sum(axis=1)
            fires_total += fire.sum(axis=1)
            firing = fire.astype(np.float64) if fire.any() else None
            if firing is not None:
                shift += shifts.apply(firing)
                dz += jumps.apply(firing)
            raw = start + trend * t + shift
            if fade.on:
                raw += fade.step(firing, dz)
            intensity = np.clip(raw, 0.0, 1.0)
            saturated |= intensity != raw
        dz += effects.apply(weights * intensity)
        reversion.pull(dz, z)
        links.lagged(dz, step)
        active = year > plan.base_year
        for first, derived_from, stop in plan.spans:
            rows = slice(first, derived_from)
            if first > 0 or derived_from < k_count:
                links.same_year(dz, z, first, derived_from)
            if active[rows].all():
                z[rows] += dz[rows]
            else:
                moving = np.flatnonzero(active[rows]) + first
                z[moving] += dz[moving]
            _from_scale(plan, z, x, first, derived_from)
            _clip(plan, x, z, touched, first, derived_from, bounded, lower, upper)
            if derived_from < stop:
                _derive(plan, x, z, derived_from, stop, touched)
        links.remember(z)
        if year == plan.start and z_start is None and hazard.watches_indicators:
            z_start = z.copy()
        if year >= plan.start:
            values[:, year - plan.start] = x[inverse]
    return _ChunkResult(
        values=values,
        fired=fired,
        parameters=sampled,
        clipped=clipped,
        touched=touched.sum(axis=1)[inverse],
        saturated=saturated.sum(axis=1),
        eligible=eligible_total,
        fires=fires_total,
        ever=(count > 0).sum(axis=1),
        asked=probability.sum(axis=1),
        weightless=weightless,
    )


def _first_steps(plan: _Plan, probability: FloatArray, u: FloatArray) -> FloatArray:
    """The step at which each once-only event of constant chance fires (inf: never).

    At a fixed year the event fires at that step with its chance; otherwise its first
    firing step is geometric, ``P(step > s) = (1 - p) ** s``, from one uniform per draw.
    """
    p = probability[plan.once]
    year = plan.event_year[plan.once, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = np.floor(np.log1p(-u) / np.log1p(-p)) + 1.0
    at_year = np.where(u < p, (year - plan.start).astype(np.float64), math.inf)
    steps: FloatArray = np.where(year > 0, at_year, geometric)
    return steps


class _Fade:
    """Jumps and shifts that fade: transient parts decaying by ``0.5 ** (1 / half_life)``."""

    def __init__(
        self,
        plan: _Plan,
        half_life: FloatArray,
        pairs: Callable[..., _Pairs],
        k_count: int,
        d_count: int,
    ) -> None:
        self.on = bool(plan.fading.any())
        if not self.on:
            return
        with np.errstate(divide="ignore"):
            decay = np.where(plan.fading[:, None], 0.5 ** (1.0 / half_life), 0.0)
        self.jumps = pairs("jump", k_count, plan.fading)
        self.shifts = pairs("shift", d_count, plan.fading_shifts)
        self.jump_decay = decay[self.jumps.first]
        self.shift_decay = decay[self.shifts.first]
        self.jump_left = np.zeros_like(self.jumps.values)
        self.shift_left = np.zeros_like(self.shifts.values)

    def step(self, firing: FloatArray | None, dz: FloatArray) -> FloatArray:
        """Decay what is left, add what fired now; add the jumps' change to ``dz`` and
        return the fading part of every driver's shift.
        """
        before = self.jump_left
        after = before * self.jump_decay
        if firing is not None:
            after += firing[self.jumps.first] * self.jumps.values
        self.jump_left = after
        dz += self.jumps.onehot @ (after - before)
        left = self.shift_left * self.shift_decay
        if firing is not None:
            left += firing[self.shifts.first] * self.shifts.values
        self.shift_left = left
        shifted: FloatArray = self.shifts.onehot @ left
        return shifted


class _Hazard:
    """Yearly chances that move with last year's state on the log-odds scale."""

    def __init__(
        self, plan: _Plan, probability: FloatArray, pairs: Callable[..., _Pairs], e_count: int
    ) -> None:
        self.probability = probability
        self.by_driver = pairs("hazard_driver", e_count, swap=True)
        self.by_indicator = pairs("hazard_indicator", e_count, swap=True)
        self.watches_indicators = self.by_indicator.first.size > 0
        self.on = self.by_driver.first.size > 0 or self.watches_indicators
        if self.on:
            with np.errstate(divide="ignore"):
                self.log_odds = special.logit(probability)

    def chance(
        self,
        intensity: FloatArray,
        start: FloatArray,
        z: FloatArray,
        z_start: FloatArray | None,
    ) -> FloatArray:
        """Each event's chance this year, from last year's intensities and indicators.

        Where the state adds nothing to the log-odds the asked chance is used as it is,
        so a coefficient of 0 changes nothing, bit for bit.
        """
        if not self.on:
            return self.probability
        shift = self.by_driver.apply(intensity - start)
        if self.watches_indicators and z_start is not None:
            shift += self.by_indicator.apply(z - z_start)
        moved = special.expit(self.log_odds + shift)
        out: FloatArray = np.where(shift == 0.0, self.probability, moved)
        return out


class _Links:
    """Indicators that move with other indicators' changes, ``lag`` years later."""

    def __init__(self, plan: _Plan, pairs: Callable[..., _Pairs], k_count: int) -> None:
        self.all = pairs("link", k_count, swap=True)
        self.lag = plan.link_lag
        self.on = self.lag.size > 0
        self.depth = int(self.lag.max()) + 2 if self.on else 0
        self.history: list[FloatArray] = []
        if not self.on:
            return
        lagged = self.lag > 0
        self.later = _subset(self.all, lagged, k_count)
        self.later_lags = self.lag[lagged]
        self.now = _subset(self.all, ~lagged, k_count)

    def remember(self, z: FloatArray) -> None:
        if self.on:
            self.history.append(z.copy())
            if len(self.history) > self.depth:
                self.history.pop(0)

    def lagged(self, dz: FloatArray, step: int) -> None:
        """Add the changes of ``lag >= 1`` years ago (none before the first year)."""
        if not self.on or self.later.first.size == 0:
            return
        seen = len(self.history)  # the last is z after the previous step
        change = np.zeros_like(self.later.values)
        for i, (source, lag) in enumerate(zip(self.later.first, self.later_lags, strict=True)):
            if seen - 1 - lag >= 0:
                change[i] = self.history[-lag][source] - self.history[-lag - 1][source]
        dz += self.later.onehot @ (self.later.values * change)

    def same_year(self, dz: FloatArray, z: FloatArray, first: int, stop: int) -> None:
        """Add this year's changes of the sources of rows ``first:stop`` (``lag: 0``)."""
        if not self.on or self.now.first.size == 0:
            return
        previous = self.history[-1]
        targets = np.flatnonzero(self.now.onehot[first:stop].any(axis=1)) + first
        if targets.size == 0:
            return
        change = z[self.now.first] - previous[self.now.first]
        added = self.now.onehot @ (self.now.values * change)
        dz[targets] += added[targets]


def _subset(pairs: _Pairs, keep: BoolArray, size: int) -> _Pairs:
    return _Pairs(pairs.values[keep], pairs.first[keep], pairs.second[keep], size)


class _Reversion:
    """A pull toward a level: ``rate * (level - z(y - 1))`` added each year."""

    def __init__(self, plan: _Plan, single: Callable[[Role, int], FloatArray]) -> None:
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
        if self.on:
            dz[self.rows] += self.rate * (self.level - z[self.rows])


def _derive(
    plan: _Plan, x: FloatArray, z: FloatArray, first: int, stop: int, touched: BoolArray
) -> None:
    """Compute the derived rows in ``first:stop`` from their formulas, inside their domain."""
    for f in plan.formulas:
        if not first <= f.row < stop:
            continue
        value = f.formula.evaluate({name: x[row] for name, row in f.inputs})
        value = np.broadcast_to(value, x[f.row].shape)
        low, high = _open_domain(plan, f.row)
        kept = np.clip(value, low, high)
        hit = (kept != value) & ~np.isnan(value)
        touched[f.row] |= hit
        x[f.row] = kept
    _to_scale_rows(plan, x, z, first, stop)


def _open_domain(plan: _Plan, row: int) -> tuple[float, float]:
    """A row's bounds, within what its scale can hold (log > 0, logit in (0, 1))."""
    low, high = float(plan.lower[row]), float(plan.upper[row])
    scale = next(sc for a, b, sc in plan.runs if a <= row < b)
    tiny = np.finfo(np.float64).tiny
    if scale == "log":
        low = max(low, tiny)
    elif scale == "logit":
        low, high = max(low, tiny), min(high, 1.0 - np.finfo(np.float64).epsneg)
    return low, high


def _clip(
    plan: _Plan,
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
        z[:] = np.where(moved, _to_scale(plan, x), z)


def _to_scale(plan: _Plan, x: FloatArray) -> FloatArray:
    """Values in each indicator's own scale: one call per run of indicators of a scale.

    Indicators are held grouped by scale (see :class:`_Plan`), so each run is a block of
    contiguous rows transformed at once.
    """
    z: FloatArray = x.copy()
    _to_scale_rows(plan, x, z, 0, len(plan.indicators))
    return z


def _to_scale_rows(plan: _Plan, x: FloatArray, z: FloatArray, first: int, stop: int) -> None:
    for a, b, scale in plan.runs:
        a, b = max(a, first), min(b, stop)
        if a < b:
            z[a:b] = to_scale(scale, x[a:b]) if scale != "linear" else x[a:b]


def _from_scale(plan: _Plan, z: FloatArray, x: FloatArray, first: int, stop: int) -> None:
    """Rows ``first:stop`` back from their scales to their units, into ``x``."""
    for a, b, scale in plan.runs:
        a, b = max(a, first), min(b, stop)
        if a < b:
            x[a:b] = from_scale(scale, z[a:b]) if scale != "linear" else z[a:b]


# ---------------------------------------------------------------------------------------
# The public entry point.


def project(
    scenario: Scenario,
    *,
    draws: int | None = None,
    seed: int | None = None,
    sampling: Sampling = "random",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Projection:
    """Project every indicator of ``scenario`` by Monte Carlo.

    Parameters
    ----------
    scenario
        The scenario to project (``load_case(...)[name]``).
    draws
        Number of draws; overrides the scenario's ``draws`` (default 10,000).
    seed
        Seed; overrides the scenario's ``seed``. Without either, fresh entropy is drawn and
        recorded in the result, so the run can be repeated exactly.
    sampling
        ``"random"`` (plain Monte Carlo) or ``"lhs"`` (a Latin hypercube in each block of
        :data:`BLOCK` draws).
    chunk_size
        Draws held in working memory at once (rounded up to whole blocks). Never changes
        the numbers.
    executor
        Any ``concurrent.futures.Executor`` (a process pool, a Dask client's executor) to
        run the chunks on; the result is identical to a run without one.
    progress
        Called as ``progress(draws_done, draws_total)`` after each chunk.

    Returns
    -------
    Projection
        Draws x years x indicators, with the sampled parameters, fired events and
        diagnostics.
    """
    if not isinstance(scenario, Scenario):
        raise InputError(
            [Problem("scenario", f"expected a Scenario, got {type(scenario).__name__}")]
        )
    n = whole_number("draws", draws if draws is not None else scenario.draws or DEFAULT_DRAWS)
    if sampling not in get_args(Sampling):
        raise InputError(
            [
                Problem(
                    "sampling", f"'{sampling}' is not a sampling method; expected 'random' or 'lhs'"
                )
            ]
        )
    entropy = entropy_of(scenario.seed if seed is None else seed)
    plan = _compile(scenario, sampling)
    _check_memory(plan, n)
    sizes = _block_sizes(n)
    per_chunk = _blocks_per_chunk(plan, chunk_size)
    if executor is not None and chunk_size is None:
        per_chunk = min(per_chunk, max(1, -(-len(sizes) // MIN_TASKS)))
    chunks = [
        (first, sizes[first : first + per_chunk]) for first in range(0, len(sizes), per_chunk)
    ]
    # Variables first, draws last: every row a chunk writes is contiguous. The projection
    # sees them as (draws, years, variables) through transposed views.
    values = np.empty((len(plan.indicators), plan.years, n))
    fired = np.empty((len(plan.events), plan.years, n), dtype=np.bool_)
    sampled = np.empty((plan.uncertain.size, n))
    results: list[_ChunkResult] = []
    done = 0

    def collect(result: _ChunkResult, first: int) -> None:
        nonlocal done
        span = slice(first * BLOCK, first * BLOCK + result.values.shape[-1])
        if result.values.base is not values:  # computed elsewhere: copy it in
            values[..., span] = result.values
            fired[..., span] = result.fired
            sampled[..., span] = result.parameters
        results.append(result)
        done += result.values.shape[-1]
        if progress is not None:
            progress(done, n)

    if executor is None:
        for first, chunk in chunks:
            span = slice(first * BLOCK, first * BLOCK + sum(chunk))
            out = (values[..., span], fired[..., span], sampled[..., span])
            collect(_simulate(plan, entropy, first, chunk, out), first)
    else:
        futures = [
            (first, executor.submit(_simulate, plan, entropy, first, chunk))
            for first, chunk in chunks
        ]
        for first, future in futures:
            collect(future.result(), first)
    if not np.isfinite(values).all():  # a number in the wrong unit: the input's fault
        years = range(plan.start, plan.horizon + 1)
        raise overflow_error(
            values, plan.indicators, years, _pushing(scenario), scenario=scenario.name
        )
    return _assemble(scenario, plan, results, (values, fired, sampled), entropy)


def _pushing(scenario: Scenario) -> dict[str, list[str]]:
    """Indicator -> the assumptions that move it (effects, drifts, jumps), largest first."""
    moving = ("effect", "drift", "jump", "volatility")
    found: dict[str, list[tuple[float, str]]] = {}
    for p in scenario.case.parameters():
        if p.role in moving:
            size = float(np.max(np.abs(p.estimate.ppf([0.001, 0.999]))))
            found.setdefault(p.keys[-1], []).append((-size, p.name))
    return {k: [name for _, name in sorted(v)] for k, v in found.items()}


def _blocks_per_chunk(plan: _Plan, chunk_size: int | None) -> int:
    if chunk_size is not None:
        whole_number("chunk_size", chunk_size)
        return max(1, math.ceil(chunk_size / BLOCK))
    per_draw = 8 * (
        4 * plan.steps * len(plan.indicators)
        + 2 * len(plan.drivers) * (len(plan.indicators) + 2)
        + plan.fixed.size
        + 2 * (plan.horizon - plan.start) * max(1, len(plan.events))
    )
    return max(1, CHUNK_BYTES // (per_draw * BLOCK))


def _available_memory() -> int:
    """Bytes of memory available to this process now (Linux MemAvailable, else total)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for row in handle:
                if row.startswith("MemAvailable:"):
                    return int(row.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 2**34


def _check_memory(plan: _Plan, n: int) -> None:
    per_draw = (
        8 * plan.years * len(plan.indicators)
        + plan.years * len(plan.events)
        + 8 * plan.uncertain.size
    )
    need = n * per_draw
    have = int(_available_memory() * 0.8)
    if need > have:
        fits = max(1, have // per_draw)
        raise ProjectionTooLargeError(
            f"{n:,} draws x {plan.years} years x {len(plan.indicators)} indicators "
            f"(with {len(plan.events)} events and {plan.uncertain.size} sampled assumptions) "
            f"would need {need / 2**30:.1f} GiB for the results, but only "
            f"{have / 2**30:.1f} GiB is available; lower draws (at most about {fits:,} fit) "
            "or shorten the horizon"
        )


def _assemble(
    scenario: Scenario,
    plan: _Plan,
    results: list[_ChunkResult],
    arrays: tuple[FloatArray, BoolArray, FloatArray],
    entropy: int,
) -> Projection:
    values, fired, sampled = (a.T for a in arrays)  # (draws, years, variables)
    n = values.shape[0]
    names = tuple(plan.parameters[p].name for p in plan.uncertain)

    def total(attr: str) -> NDArray[Any]:
        summed: NDArray[Any] = np.sum([getattr(r, attr) for r in results], axis=0)
        return summed

    clipped, touched, saturated = total("clipped"), total("touched"), total("saturated")
    eligible, fires, asked = total("eligible"), total("fires"), total("asked")
    ever = total("ever")
    case = scenario.case
    rates = {
        e: EventRate(
            asked=float(asked[i] / n),
            observed=float(fires[i] / eligible[i]) if eligible[i] else 0.0,
            fired_share=float(ever[i] / n),
            once=not case.events[e].recurring,
            state_dependent=case.events[e].hazard is not None,
        )
        for i, e in enumerate(plan.events)
    }
    achieved = []
    for c in scenario.correlations:
        a, b = (sampled[:, names.index(x)] for x in c.between)
        achieved.append((c.between[0], c.between[1], c.rho, _spearman(a, b)))
    diagnostics = Diagnostics(
        clipped={name: float(clipped[j] / n) for j, name in enumerate(names)},
        bounds_touched={k: float(touched[i] / n) for i, k in enumerate(plan.indicators)},
        intensity_clipped={d: float(saturated[i] / n) for i, d in enumerate(plan.drivers)},
        events=rates,
        correlations=achieved,
        weightless=sum(r.weightless for r in results) / n,
    )
    return Projection(
        scenario=scenario,
        years=tuple(range(plan.start, plan.horizon + 1)),
        indicators=plan.indicators,
        event_names=plan.events,
        seed=entropy,
        sampling=plan.sampling,
        data=values,
        fired=fired,
        parameter_names=names,
        parameter_values=sampled,
        diagnostics=diagnostics,
    )


def _spearman(a: FloatArray, b: FloatArray) -> float:
    """Spearman's rho of two samples (ties, rare in continuous draws, ranked by order)."""
    if a.size < 2:  # one draw: no correlation can be induced, none is achieved
        return 0.0
    ra, rb = a.argsort().argsort(), b.argsort().argsort()
    return float(np.corrcoef(ra, rb)[0, 1])
