"""The public entry point: chunks planned, run (here or on an executor) and assembled."""

from __future__ import annotations

import itertools
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, get_args

import numpy as np

from .._checks import overflow_error, whole_number
from .._random import entropy as entropy_of
from .._threads import thread_count
from .._types import Sampling
from ..errors import InputError, Problem, ProjectionTooLargeError
from ..model import Scenario
from ..projection import Diagnostics, EventRate, Projection
from .chunk import ChunkResult, Scratch, simulate
from .plan import Plan, compile_plan
from .streams import BLOCK, block_sizes, ranks_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from numpy.typing import NDArray

    from .plan import BoolArray, FloatArray


__all__ = ["DEFAULT_DRAWS", "project"]

#: Draws when neither the call nor the scenario says how many.
DEFAULT_DRAWS = 10_000
#: Working memory a chunk aims for when no chunk size is given, as estimated by
#: :func:`_blocks_per_chunk` (generously: 9 blocks, 9,216 draws, on the shipped case,
#: whose chunk holds 16 MB of working arrays and writes as much of the result): fewer,
#: larger chunks spend less time in Python per draw. Each thread reuses its working
#: arrays from chunk to chunk, so a larger chunk no longer pays for fresh pages every
#: time. Measured on the benchmark at 100,000 draws, best of 25 (seconds, without / with
#: the new features): one thread, 4,096 draws a chunk 0.350 / 0.391, 8,192 0.333 /
#: 0.359, 10,240 0.325 / 0.360; two threads, 8,192 0.213 / 0.236, 10,240 0.206 / 0.236,
#: 16,384 0.323 / 0.338 (slower, for a reason not measured).
CHUNK_BYTES = 64 * 2**20
#: By default a run of fewer chunks than this stays on one thread: below it two threads
#: gave nothing with the new features in use (measured on the benchmark, best of 15, two
#: threads against one: 10,000 draws in 2 chunks 1.33x without the new features, 1.01x
#: with them; 20,000 in 3, 1.49x / 1.08x; 30,000 in 4, 1.40x / 1.37x; 50,000 in 6,
#: 1.65x / 1.43x).
THREADS_FROM_CHUNKS = 3
#: With an executor and no chunk size, draws are cut into at least this many chunks, so
#: every worker has several to take.
MIN_TASKS = 8


def project(
    scenario: Scenario,
    *,
    draws: int | None = None,
    seed: int | None = None,
    sampling: Sampling = "random",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
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
    workers
        Without an executor, the threads that run the chunks in this process: by default
        one per core the process may use for a run of at least
        3 chunks (``THREADS_FROM_CHUNKS``; a smaller one gains little from threads), one
        otherwise; ``1`` runs them all in the calling thread. Never changes the numbers:
        each chunk draws from its own streams and writes its own draws. Give ``1`` where
        the caller already runs projections side by side (a process per core).
    progress
        Called as ``progress(draws_done, draws_total)`` after each chunk, in the calling
        thread.

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
    if executor is not None and workers is not None:
        raise InputError(
            [Problem("workers", "threads are for a run without an executor; give one or the other")]
        )
    entropy = entropy_of(scenario.seed if seed is None else seed)
    plan = compile_plan(scenario, sampling)
    _check_memory(plan, n)
    sizes = block_sizes(n)
    per_chunk = _blocks_per_chunk(plan, chunk_size)
    if executor is not None and chunk_size is None:
        per_chunk = min(per_chunk, max(1, -(-len(sizes) // MIN_TASKS)))
    count = -(-len(sizes) // per_chunk)
    if executor is not None or (workers is None and count < THREADS_FROM_CHUNKS):
        threads = 1
    else:
        threads = thread_count(workers, count)
    chunks = _chunks(sizes, per_chunk, threads if chunk_size is None else 1)
    # Variables first, draws last: every row a chunk writes is contiguous. The projection
    # sees them as (draws, years, variables) through transposed views.
    values = np.empty((len(plan.indicators), plan.years, n))
    fired = np.empty((len(plan.events), plan.years, n), dtype=np.bool_)
    sampled = np.empty((plan.uncertain.size, n))
    results: list[ChunkResult] = []
    done = 0

    def collect(result: ChunkResult, first: int) -> None:
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
        local = threading.local()  # each thread's working arrays, for this run only

        def run(first: int, chunk: list[int]) -> ChunkResult:
            span = slice(first * BLOCK, first * BLOCK + sum(chunk))
            out = (values[..., span], fired[..., span], sampled[..., span])
            if not hasattr(local, "scratch"):
                local.scratch = Scratch()
            return simulate(plan, entropy, first, chunk, out, local.scratch)

        if threads == 1:
            for first, chunk in chunks:
                collect(run(first, chunk), first)
        else:  # each chunk writes its own columns of the arrays: no copies, no locks
            with ThreadPoolExecutor(threads) as pool:
                running = [(first, pool.submit(run, first, chunk)) for first, chunk in chunks]
                try:
                    for first, future in running:
                        collect(future.result(), first)
                except BaseException:  # an interrupt or a failed chunk: run no more
                    pool.shutdown(cancel_futures=True)
                    raise
    else:
        futures = [
            (first, executor.submit(simulate, plan, entropy, first, chunk))
            for first, chunk in chunks
        ]
        for first, future in futures:
            collect(future.result(), first)
    if not all(r.finite for r in results):  # a number in the wrong unit: the input's fault
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


def _chunks(sizes: list[int], most: int, threads: int) -> list[tuple[int, list[int]]]:
    """The blocks cut into chunks of at most ``most`` blocks: (first block, sizes) each.

    On several threads the chunks come in a multiple of the threads, their blocks shared
    out evenly, so no thread is left with the one short chunk at the end.
    """
    count = -(-len(sizes) // most)
    if threads > 1:
        count = -(-count // threads) * threads
    cuts = [len(sizes) * i // count for i in range(count + 1)]
    return [(a, sizes[a:b]) for a, b in itertools.pairwise(cuts) if b > a]


def _blocks_per_chunk(plan: Plan, chunk_size: int | None) -> int:
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


def _check_memory(plan: Plan, n: int) -> None:
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
    plan: Plan,
    results: list[ChunkResult],
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
    eligible, fires = total("eligible"), total("fires")
    # Block by block in order, so the sum does not depend on how blocks became chunks.
    asked = np.concatenate([r.asked for r in results], axis=1).sum(axis=1)
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
    ranks = ranks_of(np.stack([a, b], axis=1))
    return float(np.corrcoef(ranks[:, 0], ranks[:, 1])[0, 1])
