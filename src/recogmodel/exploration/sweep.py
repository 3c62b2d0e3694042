"""Sweeps over assumptions: which region of the assumption space leads where.

One scenario answers "what range do the indicators take under these assumptions?". An
*exploration* asks the converse: across a box of chosen assumptions, where does an outcome
happen ("in which region does trade exceed USD 1 bn by 2030?"). :func:`explore` draws
points in that box by Latin hypercube, projects each point as a scenario of its own, keeps
a small summary per point (quantiles and mean of every indicator in every year, never the
draws) and returns an :class:`~recogmodel.exploration.Exploration`.

Points run one by one, or as tasks on any ``concurrent.futures.Executor``: a process pool
on one machine, or a Dask cluster through ``dask.distributed.Client(...).get_executor()``.
The numbers never depend on where or in which order the points ran:

- the sweep's seed becomes one ``SeedSequence``; the Latin hypercube is drawn from its
  child ``(0,)`` and every point is projected with the one seed drawn from its child
  ``(1, 0)``: common random numbers, so two points differ only by their assumptions, never
  by sampling noise (an indicator the swept assumptions cannot touch has the same summary
  at every point), and every point can be reproduced alone (``Exploration.project_point``);
- with each point's quantiles the sweep keeps their Monte Carlo errors
  (``Exploration.errors``), from which ``Exploration.noise_band`` says how far a summary
  moves by noise alone;
- each task returns only its points' summaries, written into preallocated arrays by
  index, and at most a few tasks are in flight at once, so memory does not grow with the
  draws and grows with the number of points only by the summaries themselves.

A point that fails (its scenario is invalid, the worker ran out of memory, the task was
lost) never ends the sweep: the other points are kept, the failure is recorded in
``Exploration.failures`` with the point's assumption values and the error, and an
:class:`~recogmodel.errors.ExploreWarning` says how many failed. ``Exploration.resume()``
(or ``explore(..., done=previous)``) runs only the points that have no result yet, and
``explore(..., checkpoint=path)`` saves the partial result as it goes (and when the sweep is
interrupted), so a long sweep is never lost.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import math
import os
import time
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from .. import _random
from .._checks import projected_years, shares, whole_number
from ..engine import project
from ..errors import ExploreWarning, InputError, Problem
from ..model import Scenario
from ..model.estimates import estimate_data
from ..projection import quantiles_with_errors
from .result import Exploration, Failure, input_error, point_scenario

if TYPE_CHECKING:
    from .._types import Sampling
    from ..model import Parameter
    from .region import FloatArray

__all__ = ["CHECKPOINT_SECONDS", "DEFAULT_QUANTILES", "RangeInput", "explore", "parse_range"]

#: What may be written for an assumption's range: ``(low, high)``, ``"low to high"``,
#: ``"low:high"`` (percentages and thousands separators understood), or ``None`` for the
#: assumption's own stated range in the scenario (its 90 % interval or its support).
RangeInput: TypeAlias = tuple[float, float] | Sequence[float] | str | None

#: Quantiles kept per point by default: the median and the 90 % range.
DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
#: Seconds between two checkpoint writes (a checkpoint is also written at the end).
CHECKPOINT_SECONDS = 10.0


# ---------------------------------------------------------------------------------------
# One task: a few points, projected one after the other, summarised.


@dataclass(frozen=True)
class _Task:
    """Everything a worker needs to run some points: small, picklable, self-contained."""

    scenario: Scenario
    names: tuple[str, ...]
    indices: tuple[int, ...]
    values: FloatArray  # (len(indices), assumptions)
    seeds: tuple[int, ...]
    draws: int
    sampling: Sampling
    qs: tuple[float, ...]
    year_index: tuple[int, ...]
    workers: int | None = None  # threads per projection: 1 on an executor's workers


@dataclass(frozen=True)
class _PointResult:
    index: int
    quantiles: FloatArray | None  # (indicators, years, quantile levels)
    means: FloatArray | None  # (indicators, years)
    error: str = ""
    detail: str = ""
    errors: FloatArray | None = None  # standard errors of the quantiles


def _run_points(task: _Task) -> list[_PointResult]:
    """Project each point of ``task`` and keep its summary; a point's error is its result."""
    out = []
    for row, index in enumerate(task.indices):
        try:
            scenario = point_scenario(task.scenario, task.names, task.values[row])
            proj = project(
                scenario,
                draws=task.draws,
                seed=task.seeds[row],
                sampling=task.sampling,
                workers=task.workers,
            )
            data = proj.data[:, list(task.year_index), :]  # (draws, years, indicators)
            # (levels, years, indicators) and their errors (years, indicators, levels)
            q, errors = quantiles_with_errors(data, np.array(task.qs))
            out.append(
                _PointResult(
                    index,
                    np.ascontiguousarray(q.transpose(2, 1, 0)),
                    np.ascontiguousarray(data.mean(axis=0).T),
                    errors=np.ascontiguousarray(errors.transpose(1, 0, 2)),
                )
            )
            del proj, data
        except Exception as exc:
            out.append(_PointResult(index, None, None, _describe(exc), _traceback(exc)))
    return out


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# ---------------------------------------------------------------------------------------
# The sweep.


def explore(
    scenario: Scenario,
    over: Mapping[str, RangeInput],
    *,
    samples: int,
    draws: int = 1000,
    seed: int | None = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    years: Sequence[int] | None = None,
    sampling: Sampling = "random",
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    done: Exploration | None = None,
    checkpoint: str | Path | None = None,
    batch_size: int | None = None,
) -> Exploration:
    """Sweep chosen assumptions of ``scenario`` by Latin hypercube; summarise each point.

    Parameters
    ----------
    scenario
        The scenario whose assumptions are swept (``load_case(path)[name]``).
    over
        Dotted assumption name (as in ``scenario.case.parameters()``, e.g.
        ``indicators.bilateral_trade.drift``) -> range: ``(low, high)``, ``"low to high"``,
        ``"low:high"`` (``"5% to 15%"`` understood), or ``None`` for the assumption's
        stated range in the scenario. Each point fixes every swept assumption at one value
        drawn uniformly within its range; the others keep their distributions.
    samples
        Number of points. The Latin hypercube cuts every range into ``samples`` equal
        slices and puts exactly one point in each.
    draws
        Draws per point.
    seed
        The sweep's seed; by default the scenario's, else fresh entropy (recorded in the
        result, so the sweep can be repeated exactly).
    quantiles
        Quantile levels kept per indicator and year (the mean is always kept).
    years
        Years kept (default: every projected year).
    sampling
        How each point's remaining uncertain assumptions are sampled: ``"random"`` or
        ``"lhs"`` (as in :func:`recogmodel.project`).
    executor
        Any ``concurrent.futures.Executor`` (a process pool, a Dask client's executor); the
        points run as tasks on it. The result is identical to a run without one.
    progress
        Called as ``progress(points_done, points_total)`` as points finish.
    done
        A previous, partial exploration of the same sweep: its results are kept and only
        the points without one are run.
    checkpoint
        A file the partial result is saved to as the sweep goes (every
        :data:`CHECKPOINT_SECONDS`), at the end, and when the sweep is interrupted; read it
        back with :meth:`Exploration.load` and finish it with :meth:`Exploration.resume`.
    batch_size
        Points per task on an executor (default: chosen from the executor's workers). Never
        changes the numbers.

    Returns
    -------
    Exploration
        The points and, for each, the quantiles and mean of every indicator in every kept
        year. Failed points are listed in ``failures`` (an :class:`ExploreWarning` says how
        many) and hold NaN.

    Raises
    ------
    InputError
        An argument is invalid: an unknown assumption (the message lists the known ones),
        a range outside the assumption's domain, a year not projected...
    """
    if not isinstance(scenario, Scenario):
        hint = (
            "; pass one of its scenarios: explore(case['baseline'], over={...})"
            if hasattr(scenario, "case")
            else ""
        )
        raise input_error("scenario", f"expected a Scenario, got {type(scenario).__name__}{hint}")
    if done is not None and not isinstance(done, Exploration):
        raise input_error("done", f"expected an Exploration, got {type(done).__name__}")
    names, ranges = _resolve_over(scenario, over)
    n = whole_number("samples", samples)
    n_draws = whole_number("draws", draws)
    levels = shares("quantiles", quantiles)
    case = scenario.case
    kept_years = projected_years(case.years, years)
    if sampling not in ("random", "lhs"):
        raise input_error(
            "sampling", f"'{sampling}' is not a sampling method; expected 'random' or 'lhs'"
        )
    if batch_size is not None:
        whole_number("batch_size", batch_size)
    if executor is not None and not isinstance(executor, Executor):
        hint = "; for Dask, pass client.get_executor()" if hasattr(executor, "get_executor") else ""
        raise input_error(
            "executor",
            f"expected a concurrent.futures.Executor, got {type(executor).__name__}{hint}",
        )
    if seed is None:
        seed = scenario.seed if scenario.seed is not None or done is None else done.seed
    entropy = _random.entropy(seed)
    points = _latin_hypercube(entropy, n, ranges)
    seeds = (_point_seed(entropy, 0),) * n  # common random numbers across points
    shape = (n, len(case.indicators), len(kept_years))
    result = Exploration(
        scenario=scenario,
        names=names,
        ranges=ranges,
        points=points,
        seed=entropy,
        seeds=seeds,
        draws=n_draws,
        sampling=sampling,
        indicators=tuple(case.indicators),
        years=kept_years,
        qs=levels,
        quantiles=np.full((*shape, len(levels)), np.nan),
        means=np.full(shape, np.nan),
        ok=np.zeros(n, dtype=np.bool_),
        errors=np.full((*shape, len(levels)), np.nan),
    )
    if done is not None:
        _check_same_sweep(result, done)
        result.quantiles[done.ok] = done.quantiles[done.ok]
        result.means[done.ok] = done.means[done.ok]
        if result.errors is not None and done.errors is not None:
            result.errors[done.ok] = done.errors[done.ok]
        result.ok[:] = done.ok
    return _Sweep(result, executor, progress, checkpoint, batch_size).run()


class _Sweep:
    """Runs the points of an exploration that have no result, filling it in place."""

    def __init__(
        self,
        result: Exploration,
        executor: Executor | None,
        progress: Callable[[int, int], None] | None,
        checkpoint: str | Path | None,
        batch_size: int | None,
    ) -> None:
        self.result = result
        self.executor = executor
        self.progress = progress
        self.checkpoint = None if checkpoint is None else Path(checkpoint)
        self.batch_size = batch_size
        self.failures: dict[int, Failure] = {}
        self.year_index = tuple(result.scenario.case.years.index(y) for y in result.years)
        self.saved = time.monotonic()
        self.finished = int(result.ok.sum())

    def run(self) -> Exploration:
        todo = [int(i) for i in np.flatnonzero(~self.result.ok)]
        try:
            if self.executor is None:
                for i in todo:
                    self._collect(_run_points(self._task([i])))
            else:
                self._run_on(self.executor, todo)
        finally:
            if self.checkpoint is not None:
                self._snapshot().save(self.checkpoint)
        final = self._snapshot()
        if final.failures:
            shown = "; ".join(str(f) for f in final.failures[:3])
            more = f"; and {len(final.failures) - 3} more" if len(final.failures) > 3 else ""
            warnings.warn(
                f"{len(final.failures)} of {final.samples} points failed and have no result "
                f"(see .failures; rerun them with .resume()): {shown}{more}",
                ExploreWarning,
                stacklevel=3,
            )
        return final

    def _run_on(self, executor: Executor, todo: list[int]) -> None:
        workers = _concurrency(executor)
        size = self.batch_size or max(1, min(32, math.ceil(len(todo) / (8 * workers))))
        batches = iter([todo[k : k + size] for k in range(0, len(todo), size)])
        window = 2 * workers
        pending: dict[Future[list[_PointResult]], list[int]] = {}

        def fill() -> None:
            while len(pending) < window:
                batch = next(batches, None)
                if batch is None:
                    return
                try:
                    pending[executor.submit(_run_points, self._task(batch))] = batch
                except Exception as exc:  # a broken or shut-down executor
                    self._collect(self._lost(batch, exc))

        try:
            fill()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = pending.pop(future)
                    try:
                        results = future.result()
                    except Exception as exc:  # the task itself was lost
                        results = self._lost(batch, exc)
                    self._collect(results)
                fill()
        except BaseException:
            for future in pending:
                future.cancel()
            raise

    def _task(self, indices: list[int]) -> _Task:
        r = self.result
        return _Task(
            scenario=r.scenario,
            names=r.names,
            indices=tuple(indices),
            values=r.points[indices],
            seeds=tuple(r.seeds[i] for i in indices),
            draws=r.draws,
            sampling=r.sampling,
            qs=r.qs,
            year_index=self.year_index,
            # an executor's workers already share the cores: one thread each
            workers=None if self.executor is None else 1,
        )

    def _lost(self, batch: list[int], exc: BaseException) -> list[_PointResult]:
        error, detail = f"task failed: {_describe(exc)}", _traceback(exc)
        return [_PointResult(i, None, None, error, detail) for i in batch]

    def _collect(self, results: list[_PointResult]) -> None:
        r = self.result
        for p in results:
            if p.quantiles is None or p.means is None:
                self.failures[p.index] = Failure(p.index, r.point(p.index), p.error, p.detail)
            else:
                r.quantiles[p.index] = p.quantiles
                r.means[p.index] = p.means
                if r.errors is not None and p.errors is not None:
                    r.errors[p.index] = p.errors
                r.ok[p.index] = True
                self.failures.pop(p.index, None)
            self.finished += 1
        if self.progress is not None:
            self.progress(self.finished, r.samples)
        now = time.monotonic()
        if self.checkpoint is not None and now - self.saved >= CHECKPOINT_SECONDS:
            self._snapshot().save(self.checkpoint)
            self.saved = now

    def _snapshot(self) -> Exploration:
        failures = tuple(self.failures[i] for i in sorted(self.failures))
        return dataclasses.replace(self.result, failures=failures)


def _concurrency(executor: Executor) -> int:
    """Tasks the executor runs at once, as far as it says (a guess otherwise)."""
    workers = getattr(executor, "_max_workers", None)  # process and thread pools
    if isinstance(workers, int) and workers > 0:
        return workers
    client = getattr(executor, "_client", None)  # dask.distributed's ClientExecutor
    if client is not None:
        with contextlib.suppress(Exception):
            return max(1, int(sum(client.nthreads().values())))
    return os.cpu_count() or 4


def _latin_hypercube(entropy: int, n: int, ranges: Sequence[tuple[float, float]]) -> FloatArray:
    """``n`` points, one in each of ``n`` equal slices of every range, uniform within it."""
    rng = _random.generator(entropy, 0)
    d = len(ranges)
    strata = rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T  # (n, d)
    u = (strata + rng.random((n, d))) / n
    low = np.array([r[0] for r in ranges])
    high = np.array([r[1] for r in ranges])
    points: FloatArray = np.minimum(low + u * (high - low), high)
    return points


def _point_seed(entropy: int, index: int) -> int:
    """The seed drawn from the sweep's child ``(1, index)``; every point uses index 0."""
    return int(_random.stream(entropy, 1, index).generate_state(1, np.uint64)[0])


def _check_same_sweep(new: Exploration, old: Exploration) -> None:
    checks = [
        ("assumptions", new.names, old.names),
        ("ranges", new.ranges, old.ranges),
        ("samples", new.samples, old.samples),
        ("seed", new.seed, old.seed),
        ("draws", new.draws, old.draws),
        ("sampling", new.sampling, old.sampling),
        ("quantiles", new.qs, old.qs),
        ("years", new.years, old.years),
    ]
    differ = [f"{what} ({b!r} before, {a!r} now)" for what, a, b in checks if a != b]
    if not differ and new.scenario.model_dump(mode="json") != old.scenario.model_dump(mode="json"):
        differ.append(f"the scenario ('{new.scenario.name}' has changed)")
    if differ:
        raise input_error(
            "done",
            "the previous exploration is of a different sweep; it differs in: " + ", ".join(differ),
        )


# ---------------------------------------------------------------------------------------
# Assumptions and their ranges.


def _resolve_over(
    scenario: Scenario, over: Mapping[str, RangeInput]
) -> tuple[tuple[str, ...], tuple[tuple[float, float], ...]]:
    if not isinstance(over, Mapping) or not over:
        raise input_error(
            "over",
            "expected a mapping of at least one dotted assumption name to a range, e.g. "
            "{'indicators.bilateral_trade.drift': (0.0, 0.15)}",
        )
    params: dict[str, Parameter] = {p.name: p for p in scenario.case.parameters()}
    problems: list[Problem] = []
    names: list[str] = []
    ranges: list[tuple[float, float]] = []
    for name, value in over.items():
        field_name = f"over.{name}"
        param = params.get(name)
        if param is None:
            close = difflib.get_close_matches(str(name), params, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            problems.append(
                Problem(
                    field_name,
                    f"'{name}' is not an assumption of scenario '{scenario.name}'; {hint}"
                    f"expected one of: {', '.join(params)}",
                )
            )
            continue
        try:
            if value is None:
                low, high = param.estimate.stated_range()
                if not low < high:
                    raise ValueError(
                        f"is fixed at {low:g} in scenario '{scenario.name}'; give a range to "
                        "sweep it over"
                    )
            else:
                low, high = parse_range(value)
        except ValueError as exc:
            problems.append(Problem(field_name, str(exc)))
            continue
        if not param.domain.admits(low, high):
            problems.append(
                Problem(
                    field_name,
                    f"{low:g} to {high:g} lies outside {param.domain}, the domain of "
                    f"{param.domain.what}",
                )
            )
            continue
        names.append(name)
        ranges.append((low, high))
    if problems:
        raise InputError(problems)
    return tuple(names), tuple(ranges)


def parse_range(value: Any) -> tuple[float, float]:
    """Read a range as :func:`explore` does: two finite floats, the low end first.

    Parameters
    ----------
    value
        ``(low, high)``, ``"low to high"`` or ``"low:high"`` (``"5% to 15%"`` and thousands
        separators understood).

    Returns
    -------
    tuple[float, float]
        ``(low, high)`` with ``low < high``.

    Raises
    ------
    ValueError
        If ``value`` is not a range of that form, an end is not finite, or the ends are
        reversed or equal. The message quotes ``value``.
    """
    if isinstance(value, str):
        text = value.strip()
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 2:
                raise ValueError(f'could not read "{value}"; expected "low:high"')
            ends = [_number(p, value) for p in parts]
        else:
            parsed = estimate_data(text)
            if parsed.get("dist") not in ("normal", "lognormal"):
                raise ValueError(
                    f'"{value}" is a single number; expected a range: "low to high" or "low:high"'
                )
            ends = [float(parsed["low"]), float(parsed["high"])]
    elif isinstance(value, Sequence) and len(value) == 2:
        ends = []
        for end in value:
            if isinstance(end, bool) or not isinstance(end, int | float | np.number):
                raise ValueError(f"expected two numbers (low, high), got {value!r}")
            ends.append(float(end))
    else:
        raise ValueError(
            f'expected a range: (low, high), "low to high" or "low:high", got {value!r}'
        )
    low, high = ends
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{value!r}: both ends must be finite numbers")
    if not low < high:
        raise ValueError(f"{value!r}: low end must be below high end")
    return low, high


def _number(text: str, whole: str) -> float:
    try:
        parsed = estimate_data(text.strip())
    except ValueError:
        parsed = {}
    if parsed.get("dist") != "fixed":
        raise ValueError(f'could not read "{text.strip()}" in "{whole}"; expected a number')
    return float(parsed["value"])
