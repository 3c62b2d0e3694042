"""Measure the engine on the shipped case; print seconds and ratios, never fail.

    python benchmarks/bench_engine.py [--draws 10000,100000] [--repeat 7]

Prints, measured in this one process:

- seconds for each number of draws over the scenario's horizon (best of ``--repeat``);
- each on one thread (``workers=1``) and by default (one thread per core, chunks side by
  side);
- the ratio of the engine's time to a *floor* that only draws the same number of normal
  variates and accumulates them over the years with numpy (the least any Monte Carlo over
  these years must do);
- the ratio of a plain per-draw Python loop over the same equations to the engine (on a
  subset of draws, scaled up);
- peak memory traced during a run against the size of the arrays it returns.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import recogmodel as rm
from recogmodel._threads import thread_count

if TYPE_CHECKING:
    from collections.abc import Callable

    from recogmodel.model import Scenario

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def floor(draws: int, steps: int, indicators: int, seed: int = 0) -> np.ndarray:
    """Draw the normals a projection needs and accumulate them: the least work possible."""
    rng = np.random.default_rng(seed)
    eps = rng.standard_normal((draws, steps, indicators))
    out: np.ndarray = np.cumsum(eps, axis=1)
    return out


def python_loop(scenario: Scenario, draws: int, seed: int = 0) -> list[list[list[float]]]:
    """The same equations, one draw at a time, in plain Python (parameters sampled per draw).

    The first edition's equations only: give it a scenario without the new forms
    (:func:`without_new_features`), whose every indicator has a baseline.
    """
    case = scenario.case
    known = {k: i.baseline for k, i in case.indicators.items()}
    if any(b is None for b in known.values()):
        raise ValueError("the plain loop needs a scenario without derived indicators")
    rng = np.random.default_rng(seed)
    drivers = list(case.drivers.items())
    indicators = list(case.indicators.items())
    events = list(case.events.items())
    first = min(case.start, *(b.year for b in known.values() if b is not None))
    out = []
    for _ in range(draws):
        w = [float(d.weight.sample(rng, 1)[0]) for _, d in drivers]
        total = sum(max(x, 0.0) for x in w)
        w = [max(x, 0.0) / total if total > 0 else 0.0 for x in w]
        start = [min(max(float(d.intensity.start.sample(rng, 1)[0]), 0), 1) for _, d in drivers]
        trend = [float(d.intensity.trend.sample(rng, 1)[0]) for _, d in drivers]
        eff = [
            [
                float(d.effects[k].size.sample(rng, 1)[0]) if k in d.effects else 0.0
                for k, _ in indicators
            ]
            for _, d in drivers
        ]
        base = [float(known[k].value.sample(rng, 1)[0]) for k, _ in indicators]  # type: ignore[union-attr]
        drift = [float(i.drift.sample(rng, 1)[0]) for _, i in indicators]
        vol = [max(float(i.volatility.sample(rng, 1)[0]), 0.0) for _, i in indicators]
        prob = [min(max(float(e.probability.sample(rng, 1)[0]), 0), 1) for _, e in events]
        z = []
        for (_, ind), x in zip(indicators, base, strict=True):
            if ind.scale == "log":
                z.append(math.log(x))
            elif ind.scale == "logit":
                x = min(max(x, 1e-12), 1 - 1e-12)
                z.append(math.log(x / (1 - x)))
            else:
                z.append(x)
        fired = [0] * len(events)
        shift = [0.0] * len(drivers)
        path = []
        for year in range(first + 1, case.horizon + 1):
            t = year - case.start
            jumps = [0.0] * len(indicators)
            if year > case.start:
                for j, (_, ev) in enumerate(events):
                    ok = (ev.recurring or fired[j] == 0) and (ev.year in (None, year))
                    if ok and rng.random() < prob[j]:
                        fired[j] += 1
                        for d, (name, _) in enumerate(drivers):
                            if name in ev.effects.drivers:
                                shift[d] += ev.effects.drivers[name].mean()
                        for k, (name, _) in enumerate(indicators):
                            if name in ev.effects.indicators:
                                jumps[k] += ev.effects.indicators[name].mean()
                inten = [
                    min(max(start[d] + trend[d] * t + shift[d], 0), 1) for d in range(len(drivers))
                ]
            else:
                inten = start
            row = []
            for k, (name, ind) in enumerate(indicators):
                if year > known[name].year:  # type: ignore[union-attr]
                    p = sum(w[d] * inten[d] * eff[d][k] for d in range(len(drivers)))
                    z[k] += drift[k] + p + vol[k] * rng.standard_normal() + jumps[k]
                x = z[k]
                if ind.scale == "log":
                    x = math.exp(x)
                elif ind.scale == "logit":
                    x = 1 / (1 + math.exp(-x))
                low, high = ind.bounds
                if low is not None and x < low:
                    x = low
                if high is not None and x > high:
                    x = high
                row.append(x)
            if year >= case.start:
                path.append(row)
        out.append(path)
    return out


def without_new_features(scenario: Scenario) -> Scenario:
    """The scenario in the first edition of the language: no formula, link, reversion,
    hazard or fade (a derived indicator becomes a stepped one at its formula's first value,
    with the noise it had in 0.1), so the engine's own cost can be compared with and
    without them on the same indicators.
    """
    case = scenario.case
    first = rm.project(scenario, draws=200, seed=0)
    indicators: dict[str, Any] = {}
    for k, ind in case.indicators.items():
        if ind.formula is not None:
            value = float(np.median(first.values(k)[:, 0]))
            indicators[k] = {
                "formula": None,
                "baseline": {
                    "year": case.start,
                    "value": value,
                    "sources": [next(iter(case.sources))],
                },
                "volatility": 0.15,
            }
        elif ind.links or ind.reversion is not None:
            indicators[k] = {"links": None, "reversion": None}
    events = {
        e: {"hazard": None, "effects": {"fade": None}}
        for e, ev in case.events.items()
        if ev.hazard is not None or ev.effects.fade is not None
    }
    new_roles = {"link", "reversion_level", "reversion_rate", "hazard_driver"}
    new_roles |= {"hazard_indicator", "half_life"}
    gone = {p.name: None for p in case.parameters() if p.role in new_roles}
    ratings = {k: v for k, v in gone.items() if k in case.key_assumptions}
    overlay = {"indicators": indicators, "events": events, "key_assumptions": ratings}
    return scenario.with_changes(overlay)


def with_every_feature(scenario: Scenario) -> Scenario:
    """The shipped scenario with a reversion added, so every new feature is in use."""
    overlay = {
        "indicators": {"currency_settlement": {"reversion": {"to": 0.1, "rate": "0.1 to 0.3"}}}
    }
    return scenario.with_changes(overlay)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=7)  # best of 7: the ratio to +-0.05
    parser.add_argument("--scenario", default="deepening")
    parser.add_argument("--loop-draws", type=int, default=500)
    args = parser.parse_args()
    full = with_every_feature(rm.load_case(CASE)[args.scenario])
    scenario = without_new_features(full)
    case = scenario.case
    first = min(case.start, *(i.baseline.year for i in case.indicators.values() if i.baseline))
    steps = case.horizon - first
    k = len(case.indicators)
    print(
        f"scenario {scenario.name}: {len(case.drivers)} drivers, {k} indicators, "
        f"{len(case.events)} events, {len(case.parameters())} assumptions, "
        f"{case.horizon - case.start + 1} years ({steps} steps); with every new feature: "
        f"{len(full.case.parameters())} assumptions"
    )
    rm.project(scenario, draws=1000, seed=0)  # warm-up: imports, scipy distributions
    rm.project(full, draws=1000, seed=0)
    threads = thread_count(None, 1 << 30)
    for draws in (int(d) for d in args.draws.split(",")):
        times: dict[tuple[str, int | None], list[float]] = {}
        base = []
        for _ in range(args.repeat):  # interleaved, so a change of load hits them all
            for name, which in (("engine", scenario), ("featured", full)):
                for workers in (1, None):
                    run = partial(rm.project, which, draws=draws, seed=1, workers=workers)
                    times.setdefault((name, workers), []).append(best_of(1, run))
            base.append(best_of(1, partial(floor, draws, steps, k)))
        b = min(base)
        for workers, how in ((1, "one thread"), (None, f"default, {threads} threads here")):
            e, f = min(times["engine", workers]), min(times["featured", workers])
            print(
                f"{draws:>9,} draws, {how}: engine {e:7.3f} s ({draws / e:>10,.0f} draws/s); "
                f"floor {b:7.3f} s; engine / floor = {e / b:5.2f}; with every new feature "
                f"{f:7.3f} s, featured / engine = {f / e:5.2f}"
            )
    loop_draws = args.loop_draws
    loop = best_of(1, lambda: python_loop(scenario, loop_draws))
    engine_small = best_of(
        args.repeat, lambda: rm.project(scenario, draws=10_000, seed=1, workers=1)
    )
    per_draw_loop = loop / loop_draws
    per_draw_engine = engine_small / 10_000
    print(
        f"plain Python loop: {per_draw_loop * 1e3:.3f} ms/draw ({loop_draws} draws); "
        f"engine at 10,000 draws: {per_draw_engine * 1e6:.2f} us/draw; "
        f"loop / engine = {per_draw_loop / per_draw_engine:,.0f}"
    )
    draws = 100_000
    tracemalloc.start()
    proj = rm.project(scenario, draws=draws, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    returned = proj.data.nbytes + proj.fired.nbytes + proj.parameter_values.nbytes
    print(
        f"memory at {draws:,} draws: peak traced {peak / 2**20:.1f} MiB; returned arrays "
        f"{returned / 2**20:.1f} MiB; peak / returned = {peak / returned:.2f}"
    )


if __name__ == "__main__":
    main()
