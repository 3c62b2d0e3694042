"""Measure how projections and sweeps scale over workers; print figures, never fail.

    python benchmarks/bench_scale.py [--draws 100000] [--repeat 5] [--workers 2]
                                     [--chunks default,2048] [--sweep-points 200]
                                     [--points 100,1000] [--point-draws 200] [--no-dask]

Prints, each measured in this one process (workers are started once, before timing):

- draws per second of ``project()`` at ``--draws`` draws, for each of ``--chunks`` (the
  engine's default chunk size, and smaller ones): serial (in this process, one thread),
  on threads in this process as ``project()`` runs by default, on
  process pools of 1 and ``--workers`` workers, and on Dask ``LocalCluster``s of 1 and
  ``--workers`` worker processes (when ``dask.distributed`` is installed), with the ratio
  to serial and the speed-up of ``--workers`` workers over 1 worker of the same kind;
  every run is checked to give the serial numbers bit for bit;
- points per second of ``explore()`` run the same ways, for a sweep of ``--sweep-points``
  points of ``--point-draws`` draws each;
- memory of sweeps of each of ``--points`` points (``--point-draws`` draws each), each run
  in a fresh child process: peak traced by ``tracemalloc`` and the child's peak resident
  set (``VmHWM``, else ``ru_maxrss``), next to what holding every draw of every point would take.

Timings on a shared machine are noisy: the ways of running take turns, run by run, so
each sees the same background load; each figure is the median of ``--repeat`` runs, with
the fastest and slowest beside it, and the load average is printed at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import recogmodel as rm
from recogmodel.exploration import Exploration, explore

if TYPE_CHECKING:
    from collections.abc import Callable

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"
SCENARIO = "deepening"
OVER = {
    "indicators.bilateral_trade.drift": (0.0, 0.15),
    "drivers.market_access.weight": (0.2, 0.6),
    "events.salang_contract.probability": (0.0, 0.4),
}


def interleaved(
    repeat: int, runs: dict[str, Callable[[], Any]]
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Seconds of ``repeat`` runs of each, in rotation (so each sees the same background
    load on a shared machine), and each one's last result.
    """
    times: dict[str, list[float]] = {label: [] for label in runs}
    results: dict[str, Any] = {}
    labels = list(runs)
    for r in range(repeat):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            started = time.perf_counter()
            results[label] = runs[label]()
            times[label].append(time.perf_counter() - started)
    return times, results


def report(
    times: dict[str, list[float]],
    results: dict[str, Any],
    amount: int,
    unit: str,
    same: Callable[[Any, Any], bool],
) -> None:
    """One line per way of running: rate, spread, speed-up over serial, identical or not."""
    base = statistics.median(times["serial"])
    for label, ts in times.items():
        mid = statistics.median(ts)
        line = f"  {label:<22} {amount / mid:>10,.1f} {unit}/s   {spread(ts)}"
        if label != "serial":
            line += f"   x{base / mid:.2f} of serial"
            one = re.sub(r"\(\d+\)$", "(1)", label)
            if one != label and one in times:
                line += (
                    f", x{statistics.median(times[one]) / mid:.2f} of 1 worker "
                    f"(fastest runs: x{min(times[one]) / min(ts):.2f})"
                )
            line += f"   identical to serial: {same(results[label], results['serial'])}"
        print(line)


def spread(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, n={len(times)})"
    )


def warm(executor: Executor) -> None:
    """Start every worker and import the library in it before anything is timed."""
    futures = [executor.submit(_import_library) for _ in range(8)]
    for f in futures:
        f.result()


def _import_library() -> str:
    import recogmodel

    return recogmodel.__version__


def child_sweep(points: int, point_draws: int, trace: bool) -> None:
    """Run one sweep in this (fresh) process and print its figures as JSON."""
    scenario = rm.load_case(CASE)[SCENARIO]
    explore(scenario, OVER, samples=2, draws=point_draws, seed=0)  # warm imports and caches
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    e = explore(scenario, OVER, samples=points, draws=point_draws, seed=1)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_traced": peak,
                "maxrss": peak_rss(),
                "summaries": e.quantiles.nbytes + e.means.nbytes + e.points.nbytes,
                "all_draws": points * point_draws * len(e.years) * len(e.indicators) * 8,
            }
        )
    )


def peak_rss() -> int:
    """The peak resident set of this process, in bytes.

    Linux's ``ru_maxrss`` is carried over from the parent across fork and exec, so a child
    started by a large parent would report the parent's peak; ``VmHWM`` is the process's own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def run_child(points: int, point_draws: int, trace: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(points), str(point_draws)]
    if trace:
        args.append("--trace")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--chunks", default="default,2048", help="chunk sizes for project(), comma-separated"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sweep-points", type=int, default=200)
    parser.add_argument("--points", default="100,1000")
    parser.add_argument("--point-draws", type=int, default=200)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        points, point_draws = args.child
        child_sweep(points, point_draws, trace=args.trace)
        return

    print(
        f"recogmodel {rm.__version__}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, {os.cpu_count()} cores ({platform.machine()}), "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    scenario = rm.load_case(CASE)[SCENARIO]
    rm.project(scenario, draws=2_000, seed=0)  # warm

    with ExitStack() as stack:
        executors: dict[str, Executor] = {}
        sizes = sorted({1, args.workers})
        for k in sizes:
            executors[f"process pool ({k})"] = stack.enter_context(ProcessPoolExecutor(k))
        if not args.no_dask:
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError:
                print("dask.distributed is not installed: skipping the Dask cluster")
            else:
                for k in sizes:
                    cluster = stack.enter_context(
                        LocalCluster(  # type: ignore[no-untyped-call]
                            n_workers=k,
                            threads_per_worker=1,
                            processes=True,
                            dashboard_address=":0",
                        )
                    )
                    client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
                    executors[f"dask LocalCluster ({k})"] = client.get_executor()
        for executor in executors.values():
            warm(executor)

        # project(): draws per second, for each chunk size asked for.
        n = args.draws

        def same_projection(a: rm.Projection, b: rm.Projection) -> bool:
            return np.array_equal(a.data, b.data) and np.array_equal(a.fired, b.fired)

        for chunk in args.chunks.split(","):
            size = None if chunk == "default" else int(chunk)
            print(
                f"\nproject('{SCENARIO}', draws={n:,}, chunk_size={size}), {args.repeat} runs "
                "each, interleaved"
            )
            run = partial(rm.project, scenario, draws=n, seed=1, chunk_size=size)
            runs: dict[str, Callable[[], Any]] = {
                "serial": partial(run, workers=1),
                "threads (the default)": run,
                **{label: partial(run, executor=ex) for label, ex in executors.items()},
            }
            times, results = interleaved(args.repeat, runs)
            report(times, results, n, "draws", same_projection)

        # explore(): points per second.
        p, d = args.sweep_points, args.point_draws
        print(
            f"\nexplore('{SCENARIO}', samples={p}, draws={d}), {args.repeat} runs each, interleaved"
        )
        runs = {
            label: partial(explore, scenario, OVER, samples=p, draws=d, seed=1, executor=ex)
            for label, ex in {"serial": None, **executors}.items()
        }
        times, results = interleaved(args.repeat, runs)

        def same_sweep(a: Exploration, b: Exploration) -> bool:
            return np.array_equal(a.quantiles, b.quantiles) and np.array_equal(a.means, b.means)

        report(times, results, p, "points", same_sweep)
        print(f"  load average at the end: {os.getloadavg()[0]:.2f}")

    # Memory of sweeps, each in a fresh process.
    print(f"\nmemory of explore('{SCENARIO}', draws={d}) per sweep, each in a fresh process")
    for points in [int(x) for x in args.points.split(",")]:
        plain = run_child(points, d, trace=False)
        traced = run_child(points, d, trace=True)
        print(
            f"  {points:>6,} points: peak traced {mib(traced['peak_traced'])}, "
            f"peak RSS {mib(plain['maxrss'])}, kept summaries {mib(plain['summaries'])}; "
            f"every draw would be {mib(plain['all_draws'])}; "
            f"{plain['seconds']:.1f} s ({points / plain['seconds']:,.0f} points/s)"
        )


if __name__ == "__main__":
    main()
