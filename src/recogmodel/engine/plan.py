"""A scenario compiled for the engine: index arrays, levels and batches of assumptions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .._types import ROLE_KEYS, Sampling
from ..model import Scenario, levels, parse_formula
from ..model.families import LognormalEstimate, NormalEstimate, UniformEstimate, WordEstimate
from .streams import target_factor

if TYPE_CHECKING:
    from ..model import Event, Formula, Parameter

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray", "Plan", "compile_plan"]


@dataclass(frozen=True)
class Batch:
    """Sampled assumptions of one family drawn by one vectorised inverse CDF.

    Normal and lognormal intervals make up most of a case's assumptions, uniform ranges
    and probability words most of the rest; evaluating them row by row would spend more
    time in Python than in numpy. The arithmetic is the families' own
    (:meth:`NormalEstimate.ppf`, :meth:`LognormalEstimate.ppf`, :meth:`UniformEstimate.ppf`,
    :meth:`WordEstimate.ppf`), element for element, so the numbers are the same as one
    call per assumption.
    """

    uniform: bool  # uniform over [loc, loc + scale]: the share itself, no ndtri
    log: bool  # lognormal: exp of the normal
    direct: bool  # drawn as standard normals, not through uniforms and ndtri
    bounded: bool  # some draws could leave the domain: clip them (and count them)
    rows: NDArray[np.intp]  # rows of the sampled block
    loc: FloatArray  # (rows, 1)
    scale: FloatArray  # (rows, 1)
    low: FloatArray  # (rows, 1): the domains' kept ends
    high: FloatArray


def _batches(
    params: tuple[Parameter, ...], uncertain: NDArray[np.intp], direct: NDArray[np.bool_]
) -> tuple[tuple[Batch, ...], NDArray[np.intp]]:
    """The normal and lognormal batches, and the sampled rows drawn one by one.

    A row marked ``direct`` holds standard normals instead of uniforms (see
    :func:`_direct_rows`).
    """
    found: dict[tuple[bool, bool, bool, bool], list[tuple[int, float, float, float, float]]]
    found = {}
    alone = []
    for j, column in enumerate(uncertain):
        param = params[column]
        est = param.estimate
        low, high = param.domain.kept_ends()
        if type(est) is NormalEstimate:
            key = (False, False, bool(direct[j]), not (low == -math.inf and high == math.inf))
            found.setdefault(key, []).append((j, est.mu, est.sd, low, high))
        elif type(est) is LognormalEstimate:  # exp is never below 0
            key = (False, True, bool(direct[j]), not (low <= 0 and high == math.inf))
            found.setdefault(key, []).append((j, est.mu, est.sigma, low, high))
        elif type(est) is UniformEstimate or type(est) is WordEstimate:
            a, b = est.stated_range()  # the range and the band are what ppf spans
            key = (True, False, False, not (low <= a and b <= high))
            found.setdefault(key, []).append((j, a, b - a, low, high))
        else:
            alone.append(j)
    batches = []
    for (uniform, log, is_direct, bounded), items in sorted(found.items()):
        if items:
            rows, loc, scale, low, high = (np.array(c) for c in zip(*items, strict=True))
            batches.append(
                Batch(
                    uniform,
                    log,
                    is_direct,
                    bounded,
                    rows.astype(np.intp),
                    loc[:, None],
                    scale[:, None],
                    low[:, None],
                    high[:, None],
                )
            )
    return tuple(batches), np.array(alone, dtype=np.intp)


def _direct_rows(
    params: tuple[Parameter, ...],
    uncertain: NDArray[np.intp],
    correlated: set[str],
    sampling: Sampling,
) -> NDArray[np.bool_]:
    """Which sampled rows are drawn as standard normals rather than as uniforms.

    Under plain Monte Carlo a normal or lognormal assumption that is not rank-correlated
    with another needs no uniform: a standard normal from the generator has the same law
    as ``ndtri(u)`` at a third of the cost. A Latin hypercube stratifies uniforms, and
    Iman–Conover reorders them, so those keep going through uniforms.
    """
    return np.array(
        [
            sampling == "random"
            and type(params[c].estimate) in (NormalEstimate, LognormalEstimate)
            and params[c].name not in correlated
            for c in uncertain
        ],
        dtype=np.bool_,
    )


@dataclass(frozen=True)
class CompiledFormula:
    """A derived indicator's formula, with the internal rows of the indicators it names."""

    row: int
    formula: Formula
    inputs: tuple[tuple[str, int], ...]
    domain: tuple[float, float]  # its bounds, within what its scale can hold


def _open_domain(scale: str, low: float, high: float) -> tuple[float, float]:
    """Bounds narrowed to what a scale can hold: log > 0, logit inside (0, 1)."""
    tiny = float(np.finfo(np.float64).tiny)
    if scale == "log":
        return max(low, tiny), high
    if scale == "logit":
        return max(low, tiny), min(high, 1.0 - float(np.finfo(np.float64).epsneg))
    return low, high


@dataclass(frozen=True)
class Plan:
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
    direct: NDArray[np.bool_]  # per sampled row: drawn as a standard normal
    batches: tuple[Batch, ...]
    alone: NDArray[np.intp]  # sampled rows of other families, one inverse CDF each
    fixed: FloatArray
    roles: dict[str, tuple[NDArray[np.intp], tuple[NDArray[np.intp], ...]]]
    order: NDArray[np.intp]
    runs: tuple[tuple[int, int, str], ...]  # (first, stop, scale): rows of one scale
    spans: tuple[tuple[int, int, int], ...]  # per level: (first, derived from, stop)
    formulas: tuple[CompiledFormula, ...]
    # The (step, internal row) cells that draw a normal, as ``step * K + row``: an indicator
    # whose volatility is not fixed at 0, in a step after its baseline year; step by step,
    # in the case's order of indicators.
    noise_cells: NDArray[np.intp]
    silent: BoolArray  # (steps, K): no noise there (the step's noise part is 0)
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
    corr_target: FloatArray | None  # Cholesky factor of the target correlation of scores
    sampling: Sampling

    @property
    def years(self) -> int:
        """Projected years, start to horizon."""
        return self.horizon - self.start + 1

    @property
    def steps(self) -> int:
        """Steps simulated per draw, from the earliest baseline year to the horizon."""
        return self.horizon - self.first_year


_SCALE_ORDER = {"log": 0, "logit": 1, "linear": 2}


def compile_plan(scenario: Scenario, sampling: Sampling) -> Plan:
    """Everything a chunk needs of ``scenario``, as arrays and index arrays."""
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
    uncertain = np.array([i for i, p in enumerate(params) if not p.estimate.is_fixed], np.intp)
    correlated = {n for c in scenario.correlations for n in c.between}
    direct = _direct_rows(params, uncertain, correlated, sampling)
    batches, alone = _batches(params, uncertain, direct)
    fixed = np.array(
        [p.estimate.mean() if p.estimate.is_fixed else math.nan for p in params], np.float64
    )
    lower = np.array([-math.inf if i.bounds[0] is None else i.bounds[0] for i in inner])
    upper = np.array([math.inf if i.bounds[1] is None else i.bounds[1] for i in inner])
    log = np.array([i.scale == "log" for i in inner])
    lower[log & (lower <= 0)] = -math.inf  # a log indicator cannot reach 0: nothing to clip
    parsed = {i: parse_formula(ind.formula) for i, ind in enumerate(inner) if ind.formula}
    formulas = tuple(
        CompiledFormula(
            i,
            formula,
            tuple((n, position["indicator"][n]) for n in formula.names),
            _open_domain(inner[i].scale, float(lower[i]), float(upper[i])),
        )
        for i, formula in parsed.items()
    )
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
    first_year = int(min(case.start, base_year.min()))
    steps = case.horizon - first_year
    by_case = noisy[np.argsort(order[noisy], kind="stable")]  # internal rows, case order
    cells = [(s, r) for s in range(steps) for r in by_case if first_year + s + 1 > base_year[r]]
    noise_steps = np.array([s for s, _ in cells], dtype=np.intp)
    noise_rows = np.array([r for _, r in cells], dtype=np.intp)
    silent = np.ones((steps, len(inner)), dtype=np.bool_)
    silent[noise_steps, noise_rows] = False
    link_columns = roles["link"][0]
    return Plan(
        start=case.start,
        horizon=case.horizon,
        first_year=first_year,
        drivers=drivers,
        indicators=indicators,
        events=events,
        parameters=params,
        uncertain=uncertain,
        direct=direct,
        batches=batches,
        alone=alone,
        fixed=fixed,
        roles=roles,
        order=order,
        runs=tuple(runs),
        spans=tuple(spans),
        formulas=formulas,
        noise_cells=noise_steps * len(inner) + noise_rows,
        silent=silent,
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
        corr_target=target_factor(target),
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
