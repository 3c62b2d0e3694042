"""Measure how long ``import recogmodel`` takes against the packages a projection needs.

    python benchmarks/bench_import.py [--runs 9]

Each measurement runs in a fresh interpreter (``sys.executable -c ...``) and times only the
import statement, with ``time.perf_counter`` inside the child, so interpreter start-up is
left out of both sides. The two imports take turns run by run, so each sees the same
background load. Prints the median of each over ``--runs`` runs and their ratio; the
target is a ratio of at most 1.3. Never fails for being slow.

Two settings are measured:

- *with bytecode*, as an installed package runs: the children may read and write cached
  bytecode, kept in a temporary ``PYTHONPYCACHEPREFIX`` (so the source tree is untouched)
  and warmed by one uncounted run of each import. The target applies to this figure.
- *as this shell runs*: the caller's environment unchanged. Where it sets
  ``PYTHONDONTWRITEBYTECODE=1`` (development shells often do), a source checkout of
  recogmodel has no cached bytecode and is compiled at every import, while the installed
  packages of the floor read theirs.

``import recogmodel`` loads only the errors (every other name is imported on first use), so
the script also times the import plus the first use of ``load_case`` and ``project``: what
a projection really makes recogmodel load.

Then, to show what costs what, one interpreter per run times three steps in turn (with
bytecode): the floor; pydantic's model machinery, which ``import pydantic`` leaves unloaded
(``from pydantic import BaseModel`` and one model; every pydantic model needs it); and
what a projection loads on top (``import recogmodel`` and the first use of ``load_case`` and
``project``), i.e. recogmodel's own modules. The last step is timed again
with the garbage collector off, since a full collection of everything numpy, scipy and
pydantic have loaded tends to fall inside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

RECOGMODEL = "import recogmodel"
#: What a projection makes recogmodel load: the names are imported on first use (SPEC 1),
#: so the bare import is nearly free and this is the honest cost of getting to work.
PROJECTION_READY = "import recogmodel; recogmodel.load_case; recogmodel.project"
#: What a projection cannot do without: the floor ``import recogmodel`` is measured against.
FLOOR = "import numpy, pydantic, yaml, scipy.special"
TARGET = 1.3


def seconds(statement: str, env: dict[str, str]) -> float:
    """Seconds one fresh interpreter takes to run ``statement``."""
    code = (
        "import time\n"
        "started = time.perf_counter()\n"
        f"{statement}\n"
        "print(time.perf_counter() - started)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip())


def compare(runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Seconds of ``import recogmodel`` and of the floor, ``runs`` of each, taking turns."""
    ours: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        ours.append(seconds(RECOGMODEL, env))
        floor.append(seconds(FLOOR, env))
    return ours, floor


#: The steps of the breakdown, timed one after another in one interpreter.
STEPS = {
    "floor": FLOOR,
    "pydantic's model machinery": (
        "from pydantic import BaseModel, Field\nclass _Probe(BaseModel):\n    x: int = Field(1)"
    ),
    "recogmodel's own modules": PROJECTION_READY,
}


def breakdown(runs: int, env: dict[str, str], gc_off: bool) -> dict[str, list[float]]:
    """Seconds of each of :data:`STEPS` per run, each run in a fresh interpreter."""
    lines = ["import gc, time", "times = []"]
    for i, statement in enumerate(STEPS.values()):
        if gc_off and i == len(STEPS) - 1:
            lines.append("gc.disable()")
        lines += ["started = time.perf_counter()", statement]
        lines.append("times.append(time.perf_counter() - started)")
    lines.append("print(*times)")
    code = "\n".join(lines)
    out: dict[str, list[float]] = {name: [] for name in STEPS}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        for name, value in zip(STEPS, done.stdout.split(), strict=True):
            out[name].append(float(value))
    return out


def report(title: str, ours: list[float], floor: list[float], target: bool) -> None:
    a, b = statistics.median(ours), statistics.median(floor)
    print(title)
    for statement, times in ((RECOGMODEL, ours), (FLOOR, floor)):
        spread = f"{min(times):.3f}-{max(times):.3f}"
        print(f"  {statement:<45} {statistics.median(times):.3f} s  (range {spread})")
    verdict = ("met" if a / b <= TARGET else "not met") if target else "no target"
    print(f"  ratio {a / b:.2f}  (target: at most {TARGET}; {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per import")
    args = parser.parse_args()
    print(f"median of {args.runs} fresh interpreters each; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as cached:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cached
        for statement in (RECOGMODEL, FLOOR):  # write the bytecode cache; not counted
            seconds(statement, env)
        report("with bytecode (as installed)", *compare(args.runs, env), target=True)
        ready = [seconds(PROJECTION_READY, env) for _ in range(args.runs)]
        floor_again = [seconds(FLOOR, env) for _ in range(args.runs)]
        a, b = statistics.median(ready), statistics.median(floor_again)
        print(f"  {PROJECTION_READY:<45} {a:.3f} s  (ratio to the floor {a / b:.2f}; no target)")
        steps = breakdown(args.runs, env, gc_off=False)
        quiet = breakdown(args.runs, env, gc_off=True)
        floor = statistics.median(steps["floor"])
        print("what costs what (with bytecode; medians, as shares of the floor)")
        for name, times in steps.items():
            t = statistics.median(times)
            print(f"  {name:<45} {t:.3f} s  ({t / floor:.2f})")
        own = statistics.median(quiet["recogmodel's own modules"])
        print(f"  {'recogmodel, garbage collector off':<45} {own:.3f} s  ({own / floor:.2f})")
        shell = dict(os.environ)
        setting = "PYTHONDONTWRITEBYTECODE=" + shell.get("PYTHONDONTWRITEBYTECODE", "(unset)")
        report(f"as this shell runs ({setting})", *compare(args.runs, shell), target=False)


if __name__ == "__main__":
    main()
