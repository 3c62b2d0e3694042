"""Evidence: calibration of the posterior, and the cost of update() against a projection.

Calibration study: truth paths are draws of held-out-seed projections of a uniformly
chosen scenario of the shipped case (trials cycle over the six scenarios); the posterior
weights of every scenario in every trial are binned into 10 equal bins, and the expected
calibration error (ECE) is the share-weighted mean gap between a bin's mean weight and the
share of its weights that belong to the true scenario. Designs: (a) one indicator in one
year, (b) one indicator over six consecutive years, (c) three indicators over five years,
and, on request (``--designs d``), (d) every indicator in every year after the start (110
cells, the speed figure's set). ``--copula-draws`` and ``--margin-draws`` change how many
draws the copula ranks and the kernel margins use, to compare (most of an update's cost).

Speed: update() with every indicator observed in every projected year after the start
(110 cells in the shipped case) against six 10,000-draw projections, as a ratio of one
10,000-draw projection timed in the same process (best of a few runs of each): as update()
runs by default (its scenarios on one thread per core) and on one thread (``workers=1``).

    python benchmarks/bench_evidence.py                 # calibration (600 trials) and speed
    python benchmarks/bench_evidence.py --trials 120    # a quicker look
    python benchmarks/bench_evidence.py --trials 1200 --seeds 5,6,7 --skip-speed
                                                        # several trial seeds, pooled

With several seeds each seed's figures are printed, then the pooled ones (the ECE averaged
over seeds; the weights >= 0.9 counted and scored together). A share out of ~60 weights
>= 0.9 has a Monte Carlo error of about 5 points: judge the target on the pooled figure.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

import recogmodel as rm
from recogmodel.analysis import _likelihood, update
from recogmodel.analysis import posterior as _posterior

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"


def expected_calibration_error(weights: np.ndarray, hits: np.ndarray, bins: int = 10) -> float:
    """Share-weighted mean |mean weight - hit rate| over equal-width bins."""
    index = np.minimum((weights * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.mean() * abs(weights[mask].mean() - hits[mask].mean())
    return total


def calibration(
    ensembles: dict[str, rm.Projection],
    truths: dict[str, rm.Projection],
    design: str,
    trials: int,
    rng: np.random.Generator,
) -> tuple[float, int, float, float]:
    """ECE, how many weights were >= 0.9, the share of those that were right, and the mean
    log weight of the true scenario (a proper score; weights below 1e-12 count as 1e-12).
    """
    names = list(ensembles)
    first = ensembles[names[0]]
    indicators, years = list(first.indicators), list(first.years)
    weights, hits, scores = [], [], []
    for t in range(trials):
        truth = names[t % len(names)]
        path = int(rng.integers(truths[truth].draws))
        if design == "a":
            cells = [
                (indicators[rng.integers(len(indicators))], years[rng.integers(1, len(years))])
            ]
        elif design == "b":
            k = indicators[rng.integers(len(indicators))]
            cells = [(k, y) for y in years[1:7]]
        elif design == "c":
            chosen = rng.choice(len(indicators), 3, replace=False)
            cells = [(indicators[i], y) for i in chosen for y in years[1:6]]
        else:  # "d": every indicator in every year after the start, as in the speed figure
            cells = [(k, y) for k in indicators for y in years[1:]]
        proj = truths[truth]
        obs = [(k, y, float(proj.values(k)[path, proj.year_index(y)])) for k, y in cells]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rm.RecogmodelWarning)
            post = update(list(ensembles.values()), obs)
        for name in names:
            weights.append(post[name])
            hits.append(name == truth)
        scores.append(np.log(max(post[truth], 1e-12)))
    w, h = np.array(weights), np.array(hits)
    high = w >= 0.9
    return (
        expected_calibration_error(w, h),
        int(high.sum()),
        float(h[high].mean()) if high.any() else float("nan"),
        float(np.mean(scores)),
    )


def speed(folder: rm.CaseFolder, repeats: int) -> tuple[dict[int | None, tuple[float, float]], int]:
    """Best times of one 10,000-draw projection and of update() on every cell after the
    start, on one thread (``workers=1``) and as each runs by default (chunks, and
    scenarios, spread over the cores): ``{workers: (projection, update)}``, and how many
    cells that is.
    """
    study = rm.Study(folder, draws=10_000, seed=1)
    projs = list(study.projections.values())
    truth = rm.project(folder["deepening"], draws=10, seed=99)
    obs = [
        (k, y, float(truth.values(k)[0, truth.year_index(y)]))
        for k in truth.indicators
        for y in truth.years[1:]
    ]
    times: dict[tuple[str, int | None], list[float]] = {}
    for _ in range(repeats):
        for workers in (1, None):
            t = time.perf_counter()
            rm.project(folder["baseline"], draws=10_000, seed=3, workers=workers)
            times.setdefault(("projection", workers), []).append(time.perf_counter() - t)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", rm.RecogmodelWarning)
                t = time.perf_counter()
                update(projs, obs, workers=workers)
                times.setdefault(("update", workers), []).append(time.perf_counter() - t)
    best = {w: (min(times["projection", w]), min(times["update", w])) for w in (1, None)}
    return best, len(obs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=600)
    parser.add_argument("--draws", type=int, default=10_000, help="draws per ensemble")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seeds", default="5", help="trial seeds, comma-separated")
    parser.add_argument("--truth-seed", type=int, default=999, help="seed of the truth paths")
    parser.add_argument("--truth-draws", type=int, default=1000, help="truth paths per scenario")
    parser.add_argument("--designs", default="abc")
    parser.add_argument(
        "--copula-draws",
        type=int,
        help="draws the copula ranks (default: the library's, 1,024), for comparison",
    )
    parser.add_argument(
        "--margin-draws",
        type=int,
        help="draws the kernel margins use (default: the library's, 2,048), for comparison",
    )
    parser.add_argument("--skip-calibration", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if args.copula_draws is not None:
        _likelihood.COPULA_DRAWS = args.copula_draws
    if args.margin_draws is not None:
        _posterior.MARGIN_DRAWS = args.margin_draws
    folder = rm.load_case(CASE)
    if not args.skip_speed:
        found, cells = speed(folder, args.repeats)
        threads = _posterior._threads(None, len(folder), cells * _likelihood.MARGIN_DRAWS)
        for workers, how in ((None, f"by default ({threads} threads here)"), (1, "on one thread")):
            projection, updating = found[workers]
            print(
                f"{how}: projection (10,000 draws) {projection:.3f} s; update ({cells} cells, "
                f"{len(folder)} scenarios) {updating:.3f} s; update / projection: "
                f"{updating / projection:.2f}x (target <= 2x)"
            )
    if args.skip_calibration:
        return
    ensembles = {s: rm.project(folder[s], draws=args.draws, seed=11) for s in folder}
    truths = {
        s: rm.project(folder[s], draws=args.truth_draws, seed=args.truth_seed) for s in folder
    }
    seeds = [int(s) for s in args.seeds.split(",")]
    pooled: dict[str, list[tuple[float, int, float, float]]] = {d: [] for d in args.designs}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for design in args.designs:
            ece, n_high, right, score = calibration(ensembles, truths, design, args.trials, rng)
            pooled[design].append((ece, n_high, right, score))
            print(
                f"seed {seed}, design {design}: ECE {ece:.3f} (target <= 0.05); weights >= 0.9: "
                f"{n_high}, right {right:.1%} (target >= 85 % where >= 30); mean log weight "
                f"of the truth {score:.3f}",
                flush=True,
            )
    if len(seeds) > 1:
        for design, figures in pooled.items():
            n_high = sum(n for _, n, _, _ in figures)
            hits = sum(n * r for _, n, r, _ in figures if n)
            ece = sum(e for e, _, _, _ in figures) / len(figures)
            score = sum(s for _, _, _, s in figures) / len(figures)
            print(
                f"pooled over seeds {args.seeds}, design {design}: mean ECE {ece:.3f}; weights "
                f">= 0.9: {n_high}, right {hits / max(n_high, 1):.1%}; mean log weight of the "
                f"truth {score:.3f}"
            )


if __name__ == "__main__":
    main()
