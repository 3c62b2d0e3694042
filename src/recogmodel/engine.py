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
from .model import Scenario
from .projection import Diagnostics, EventRate, Projection

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from .model import Parameter

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
class _Plan:
    """A scenario compiled into index arrays: everything a chunk needs, nothing more.

    Indicators are held internally grouped by scale (log, then logit, then linear) so the
    transforms work on contiguous slices; ``order[i]`` is the case position of internal
    indicator ``i``.
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
    n_log: int
    n_logit: int
    lower: FloatArray
    upper: FloatArray
    bounded: NDArray[np.intp]
    base_year: NDArray[np.int64]
    event_year: NDArray[np.int64]
    recurring: BoolArray
    by_steps: FloatArray  # steps from start to an event's `by` year; 0 for a per-year chance
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
    order = np.array(
        sorted(range(len(inds)), key=lambda i: _SCALE_ORDER[inds[i].scale]), dtype=np.intp
    )
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
    uncertain = np.array([i for i, p in enumerate(params) if not p.estimate.is_fixed], np.intp)
    fixed = np.array(
        [p.estimate.mean() if p.estimate.is_fixed else math.nan for p in params], np.float64
    )
    lower = np.array([-math.inf if i.bounds[0] is None else i.bounds[0] for i in inner])
    upper = np.array([math.inf if i.bounds[1] is None else i.bounds[1] for i in inner])
    log = np.array([i.scale == "log" for i in inner])
    lower[log & (lower <= 0)] = -math.inf  # a log indicator cannot reach 0: nothing to clip
    base_year = np.array([i.baseline.year for i in inner], dtype=np.int64)
    evs = list(case.events.values())
    name_to_column = {params[c].name: j for j, c in enumerate(uncertain)}
    corr_names = sorted({n for c in scenario.correlations for n in c.between})
    target = np.eye(len(corr_names))
    for c in scenario.correlations:
        a, b = corr_names.index(c.between[0]), corr_names.index(c.between[1])
        target[a, b] = target[b, a] = _pearson_for_spearman(c.rho)
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
        n_log=int(log.sum()),
        n_logit=sum(i.scale == "logit" for i in inner),
        lower=lower,
        upper=upper,
        bounded=np.flatnonzero(np.isfinite(lower) | np.isfinite(upper)),
        base_year=base_year,
        event_year=np.array([0 if e.year is None else e.year for e in evs], dtype=np.int64),
        recurring=np.array([e.recurring for e in evs], dtype=np.bool_),
        by_steps=np.array([0 if e.by is None else e.by - case.start for e in evs], np.float64),
        relative=case.salience == "relative",
        corr_columns=np.array([name_to_column[n] for n in corr_names], dtype=np.intp),
        corr_target=target,
        sampling=sampling,
    )


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
    to fill, so a serial run writes straight into the projection's arrays.
    """
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

    # Random numbers, block by block, each block from its own stream, in a fixed order.
    u = np.empty((n_unc, n))
    u_events = np.empty((events_steps, e_count, n))
    eps = np.empty((steps, k_count, n))
    offset = 0
    for i, size in enumerate(sizes):
        rng = generator(entropy, first_block + i)
        block = slice(offset, offset + size)
        u[:, block] = _uniforms(rng, n_unc, size, plan.sampling)
        _iman_conover(u[:, block].T, plan.corr_columns, plan.corr_target)
        u_events[..., block] = rng.random((events_steps, e_count, size))
        eps[..., block] = rng.standard_normal((steps, k_count, size))
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

    def pairs(role: Role, size: int) -> _Pairs:
        columns, (first, second) = plan.roles[role]
        return _Pairs(gather(columns), first, second, size)

    weights = single("weight", d_count)
    total = weights.sum(axis=0)
    weightless = int((total == 0).sum())
    if plan.relative:
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    start, trend = single("start", d_count), single("trend", d_count)
    drift, volatility = single("drift", k_count), single("volatility", k_count)
    probability = single("probability", e_count)
    by = plan.by_steps > 0
    if by.any():  # a chance of having fired by a year, as the per-year hazard
        probability[by] = 1.0 - (1.0 - probability[by]) ** (1.0 / plan.by_steps[by, None])
    effects = pairs("effect", k_count)
    jumps, shifts = pairs("jump", k_count), pairs("shift", d_count)

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
    if plan.first_year == plan.start:
        values[:, 0] = x[inverse]
    for step in range(steps):
        year = plan.first_year + step + 1
        dz = drift + volatility * eps[step]
        if year > plan.start:
            t = year - plan.start
            in_year = ((plan.event_year == 0) | (plan.event_year == year))[:, None]
            eligible = (recurring | (count == 0)) & in_year
            fire = eligible & (u_events[t - 1] < probability)
            fired[:, t] = fire
            count += fire
            eligible_total += eligible.sum(axis=1)
            fires_total += fire.sum(axis=1)
            if fire.any():
                firing = fire.astype(np.float64)
                shift += shifts.apply(firing)
                dz += jumps.apply(firing)
            raw = start + trend * t + shift
            intensity = np.clip(raw, 0.0, 1.0)
            saturated |= intensity != raw
        else:
            intensity = start
        dz += effects.apply(weights * intensity)
        active = year > plan.base_year
        if active.all():
            z += dz
        else:
            z[active] += dz[active]
        x = _from_scale(plan, z)
        if bounded.size:
            part = x[bounded]
            kept = np.clip(part, lower, upper)
            hit = kept != part
            if hit.any():
                touched[bounded] |= hit
                x[bounded] = kept
                moved = np.zeros_like(touched)
                moved[bounded] = hit
                z = np.where(moved, _to_scale(plan, x), z)
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


def _to_scale(plan: _Plan, x: FloatArray) -> FloatArray:
    """Values in each indicator's own scale: one call per group of indicators of a scale.

    Indicators are held grouped by scale (log, then logit, then linear), so each group is a
    block of contiguous rows transformed at once.
    """
    a, b = plan.n_log, plan.n_log + plan.n_logit
    z: FloatArray = x.copy()
    z[:a] = to_scale("log", x[:a])
    z[a:b] = to_scale("logit", x[a:b])
    return z


def _from_scale(plan: _Plan, z: FloatArray) -> FloatArray:
    """Back from each indicator's scale to its units, one call per group (see _to_scale)."""
    a, b = plan.n_log, plan.n_log + plan.n_logit
    x: FloatArray = z.copy()
    x[:a] = from_scale("log", z[:a])
    x[a:b] = from_scale("logit", z[a:b])
    return x


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
