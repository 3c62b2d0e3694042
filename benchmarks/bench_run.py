"""Measure ``recogmodel run`` with and without figures, and ``recogmodel report``.

    python benchmarks/bench_run.py [--runs 3] [--case scenarios/russia_taliban]

Each command runs as a user runs it, in a fresh process (``python -m recogmodel.cli``
through the installed console script's entry point), on the shipped case with its own
draws and one fixed seed, output sent to a temporary folder. The three commands take turns
run by run, so each sees the same background load. Prints, per command, the median wall
time (and the fastest), the median and the smallest of its ratio to ``run`` round by round
(a round's three commands run back to back, under one load, so the ratio is steadier than
the times on a shared machine), and the median CPU time of the command with every worker
process it waited for, and its ratio. The targets are set on the wall-time ratios: ``run
-o`` (the default figures) at most 2x ``run``, and ``report`` at most 1.5x ``run``. Never
fails for being slow.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The targets, as ratios to ``run`` without figures.
TARGETS = {"run -o": 2.0, "report": 1.5}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds one command takes, start to exit (CPU of it and every process
    it waited for, its figure workers included); it must exit 0.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begun = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - begun
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Time the three commands in turn; print each one's times and ratios to ``run``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", default=str(ROOT / "scenarios" / "russia_taliban"))
    args = parser.parse_args()
    cli = [sys.executable, "-c", "import sys; from recogmodel.cli import main; sys.exit(main())"]
    walls: dict[str, list[float]] = {"run": [], "run -o": [], "report": []}
    cpus: dict[str, list[float]] = {name: [] for name in walls}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "run": [*cli, "run", args.case, "--seed", "1"],
            "run -o": [*cli, "run", args.case, "--seed", "1", "-o", f"{tmp}/out"],
            "report": [*cli, "report", args.case, "--seed", "1", "-o", f"{tmp}/report.html"],
        }
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, cpu = timed(command)
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(
        f"{'command':<8} {'wall s':>14} {'round ratio':>12} {'best':>6}  "
        f"{'CPU s':>6} {'ratio':>6}  target"
    )
    for name in walls:
        # Each round's ratio: the commands of a round ran back to back, under one load.
        ratios = [w / r for w, r in zip(walls[name], walls["run"], strict=True)]
        cpu_ratio = statistics.median(cpus[name]) / statistics.median(cpus["run"])
        target = f"<= {TARGETS[name]}x" if name in TARGETS else ""
        print(
            f"{name:<8} {statistics.median(walls[name]):>6.2f} (≥{min(walls[name]):>5.2f}) "
            f"{statistics.median(ratios):>11.2f}x {min(ratios):>5.2f}x  "
            f"{statistics.median(cpus[name]):>6.2f} {cpu_ratio:>5.2f}x  {target}"
        )


if __name__ == "__main__":
    main()
