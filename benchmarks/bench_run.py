"""Measure ``recogmodel run`` with and without figures, and ``recogmodel report``.

    python benchmarks/bench_run.py [--runs 3] [--case scenarios/russia_taliban]

Each command runs as a user runs it, in a fresh process (``python -m recogmodel.cli``
through the installed console script's entry point), on the shipped case with its own
draws and one fixed seed, output sent to a temporary folder. The three commands take turns
run by run, so each sees the same background load. Prints the median wall time of each
and the ratios the targets are set on: ``run -o`` (the default figures) at most 2x
``run``, and ``report`` at most 1.5x ``run``. Never fails for being slow.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The targets, as ratios to ``run`` without figures.
TARGETS = {"run -o": 2.0, "report": 1.5}


def timed(command: list[str]) -> float:
    """Seconds one command takes, start to exit; it must exit 0."""
    begun = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - begun


def main() -> None:
    """Time the three commands in turn and print the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", default=str(ROOT / "scenarios" / "russia_taliban"))
    args = parser.parse_args()
    cli = [sys.executable, "-c", "import sys; from recogmodel.cli import main; sys.exit(main())"]
    times: dict[str, list[float]] = {"run": [], "run -o": [], "report": []}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "run": [*cli, "run", args.case, "--seed", "1"],
            "run -o": [*cli, "run", args.case, "--seed", "1", "-o", f"{tmp}/out"],
            "report": [*cli, "report", args.case, "--seed", "1", "-o", f"{tmp}/report.html"],
        }
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
    base = statistics.median(times["run"])
    best = min(times["run"])
    print(f"{'command':<10} {'median s':>9} {'vs run':>7} {'best s':>7} {'vs run':>7}  target")
    for name, values in times.items():
        median, fastest = statistics.median(values), min(values)
        target = f"<= {TARGETS[name]}x" if name in TARGETS else ""
        print(
            f"{name:<10} {median:>9.2f} {median / base:>6.2f}x {fastest:>7.2f} "
            f"{fastest / best:>6.2f}x  {target}"
        )


if __name__ == "__main__":
    main()
