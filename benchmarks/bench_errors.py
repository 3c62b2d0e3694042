"""Monte Carlo errors: what the errors and intervals cost beside the analysis they accompany.

Three analyses of the shipped case, each timed with its errors and without them (the error
computation swapped for zeros in the same process), best of ``--repeat`` runs:

- sensitivity: ``sensitivity()`` of every indicator of the ``deepening`` projection, with
  the delete-a-group jackknife of the SRRC (the 90 % importance intervals) and without,
  once with the design cached (as after a first analysis) and once on fresh projections
  (the design, its regressions and the jackknife's solves all made anew);
- summaries: ``Projection.summary()`` for every projected year, with the order-statistic
  quantile errors and without; shown against the summaries alone and against the
  projection they read from (the run a table is printed after);
- explore: a sweep of ``indicators.bilateral_trade.drift`` over 20 points, with each
  point's quantile errors kept and without.

The target (issue 13) is a cost of at most 15 % of the analysis. Times are CPU time of
this process (``time.process_time``), so other work on the machine disturbs them less than
wall time; the two variants take turns.

    python benchmarks/bench_errors.py                    # defaults: --draws 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import importlib
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import recogmodel as rm
from recogmodel.analysis import sensitivity

if TYPE_CHECKING:
    from collections.abc import Callable

# The modules themselves (their packages re-export functions of the same names).
sens_module = importlib.import_module("recogmodel.analysis.sensitivity")
sweep_module = importlib.import_module("recogmodel.exploration.sweep")
projection_module = importlib.import_module("recogmodel.projection")

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"


def best(run: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` timed calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def quantiles_only(draws: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stand-in for ``quantiles_with_errors``: the quantiles, and zeros for the errors."""
    return np.quantile(draws, q, axis=0), np.zeros((*draws.shape[1:], q.size))


@contextmanager
def without(module: Any, name: str, value: Any) -> Any:
    """Swap ``module.name`` for ``value`` for the duration."""
    kept = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, kept)


def paired(run: Callable[[], Any], swap: tuple[Any, str, Any], repeat: int) -> tuple[float, float]:
    """Best times of ``run`` with its errors and without them, the two taking turns.

    Taking turns spreads any load on the machine over both, so the difference is the
    errors' cost and not a change of load between two series.
    """
    module, name, stand_in = swap
    with_errors, plain = [], []
    for _ in range(repeat):
        with_errors.append(best(run, 1))
        with without(module, name, stand_in):
            plain.append(best(run, 1))
    return min(with_errors), min(plain)


def main() -> None:
    """Time each analysis with and without its errors and print the costs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = rm.load_case(CASE)
    scenario = folder["deepening"]
    proj = rm.project(scenario, draws=args.draws, seed=1)
    indicators = list(proj.indicators)
    no_jackknife = (sens_module, "JACKKNIFE_GROUPS", 1)

    def all_sensitivities() -> None:
        for k in indicators:
            sensitivity(proj, k)

    all_sensitivities()  # the design is cached per projection: time the analyses, not it
    report("sensitivity, every indicator", *paired(all_sensitivities, no_jackknife, args.repeat))

    seeds = iter(range(2, 10_000))

    def fresh() -> None:
        """Every indicator on a fresh projection: the design and its solves made anew."""
        new = rm.project(scenario, draws=args.draws, seed=next(seeds))
        start = time.process_time()
        for k in indicators:
            sensitivity(new, k)
        timings.append(time.process_time() - start)

    cold_with, cold_plain = [], []
    for _ in range(args.repeat):
        timings: list[float] = []
        fresh()
        with without(*no_jackknife):
            fresh()
        cold_with.append(timings[0])
        cold_plain.append(timings[1])
    report("sensitivity, fresh projection", min(cold_with), min(cold_plain))

    def all_summaries() -> None:
        for year in proj.years:
            proj.summary(year)

    summaries = (projection_module, "quantiles_with_errors", quantiles_only)
    with_errors, plain = paired(all_summaries, summaries, args.repeat)
    run = best(lambda: rm.project(scenario, draws=args.draws, seed=1), args.repeat)
    report("summaries, every year", with_errors, plain)
    report("projection + summaries", run + with_errors, run + plain)

    def sweep() -> None:
        rm.explore(
            scenario,
            {"indicators.bilateral_trade.drift": (-0.05, 0.10)},
            samples=20,
            draws=2000,
            seed=3,
        )

    points = (sweep_module, "quantiles_with_errors", quantiles_only)
    report("explore, 20 points x 2,000 draws", *paired(sweep, points, args.repeat))


def report(what: str, with_errors: float, plain: float) -> None:
    """Print one line: both times and the cost of the errors as a share of the analysis."""
    cost = (with_errors - plain) / plain
    print(f"{what:36s} {plain:8.3f} s plain  {with_errors:8.3f} s with errors  cost {cost:+.0%}")


if __name__ == "__main__":
    main()
