"""The ``recogmodel`` command: validate files, print schemas, run and plot scenarios.

Exit codes: 0 success; 2 bad input (the message on stderr, never a traceback); 1 an
internal error (with a hint to report it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from ..analysis import (
    ObservationOutsideEnsembleWarning,
    priorities,
    read_observations,
    signposts,
    update,
)
from ..engine import project
from ..errors import InputError, Problem, RecogmodelError
from ..exploration import ExploreWarning, executor_for, explore, parse_over
from ..io.folder import load_case, schema
from ..model.estimates import estimate_data
from ..projection import Projection, library_version, write_csv, write_json
from ..text.numbers import default_years, format_value

__all__ = ["main"]

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
ISSUES = "https://github.com/recogmodel/recogmodel/issues"


class _Parser(argparse.ArgumentParser):
    """argparse with examples kept as written in the epilog."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="recogmodel",
        description="Policy-scenario modelling: project indicator ranges under an actor's "
        "stated interests and an analyst's assumptions.",
        epilog="examples:\n"
        "  recogmodel validate scenarios/russia_taliban\n"
        "  recogmodel run scenarios/russia_taliban --out out/\n"
        "  recogmodel signposts scenarios/russia_taliban\n"
        "  recogmodel update scenarios/russia_taliban --observed observed.csv\n"
        "  recogmodel report scenarios/russia_taliban -o report.html\n"
        "  recogmodel explore scenarios/russia_taliban --over indicators.bilateral_trade.drift "
        "--samples 200\n"
        "  recogmodel schema scenario > scenario.schema.json",
    )
    parser.add_argument("--version", action="version", version=f"recogmodel {library_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check case and scenario files",
        description="Check case folders and scenario files; print every problem as "
        "FILE:LINE: field: message. Exit 0 if all are valid, 2 otherwise.",
        epilog="example:\n  recogmodel validate scenarios/russia_taliban",
    )
    validate.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a case folder, or a file in one"
    )
    validate.set_defaults(handler=_validate)

    schema_cmd = commands.add_parser(
        "schema",
        help="print the JSON Schema of a case or scenario file",
        description="Print the JSON Schema of a case file or a scenario file, generated "
        "from the models, for editors that check files as they are typed.",
        epilog="example:\n  recogmodel schema scenario > scenario.schema.json",
    )
    schema_cmd.add_argument("kind", nargs="?", default="case", choices=["case", "scenario"])
    schema_cmd.set_defaults(handler=_schema)

    run = commands.add_parser(
        "run",
        help="project scenarios, print their ranges, write figures and tables",
        description="Project the scenarios of a case folder (all by default), print a "
        "table per scenario (median and 90%% range for the chosen years) and, with --out, "
        "write figures, summary.csv and projection.json into DIR.",
        epilog="examples:\n"
        "  recogmodel run scenarios/russia_taliban\n"
        "  recogmodel run scenarios/russia_taliban --scenario deepening --draws 20000 \\\n"
        "      --seed 7 --years 2030,2035 --out out/ --format svg",
    )
    _case_options(
        run,
        draws="number of draws (default: the scenario's, else 10,000)",
        seed="seed (default: the scenario's, else fresh entropy, printed so the run can be "
        "repeated)",
        years="years to tabulate (default: start+5 and the horizon)",
    )
    run.add_argument("--sampling", choices=["random", "lhs"], default="random")
    run.add_argument("--out", type=Path, metavar="DIR", help="write figures and tables here")
    run.add_argument(
        "--format", choices=["png", "svg", "pdf"], default="png", help="figure format (default png)"
    )
    run.add_argument(
        "--priorities",
        type=int,
        default=5,
        metavar="N",
        help="assumptions listed under 'what to research next' (0: none)",
    )
    run.set_defaults(handler=_run)

    signposts_cmd = commands.add_parser(
        "signposts",
        help="how likely each signpost is under each scenario, and which tell them apart",
        description="Project every scenario, then print, for every signpost any scenario "
        "declares, the probability that it is reached by its year under each scenario, and "
        "flag signposts equally likely everywhere (not diagnostic).",
        epilog="example:\n  recogmodel signposts scenarios/russia_taliban --draws 5000 --seed 1",
    )
    _case_options(signposts_cmd)
    signposts_cmd.add_argument(
        "--threshold",
        type=float,
        default=0.1,
        help="spread under which a signpost is not diagnostic (0.1)",
    )
    signposts_cmd.add_argument(
        "--figure",
        type=Path,
        metavar="FILE",
        help="also save the signpost heat map (png, svg or pdf)",
    )
    signposts_cmd.set_defaults(handler=_signposts)

    update_cmd = commands.add_parser(
        "update",
        help="which scenario do the observations favour (Bayes' rule)",
        description="Weigh the scenarios by how likely each makes the observed values "
        "(a YAML or CSV file of indicator, year, value[, source, note]), starting from a "
        "uniform prior unless --prior is given.",
        epilog="example:\n  recogmodel update scenarios/russia_taliban --observed observed.csv\n"
        "  recogmodel update scenarios/russia_taliban --observed obs.yaml \\\n"
        "      --prior baseline=2 --prior deepening=1 --prior stalled=1",
    )
    update_cmd.add_argument(
        "--observed",
        type=Path,
        required=True,
        metavar="FILE",
        help="observations: YAML or CSV with indicator, year, value",
    )
    update_cmd.add_argument(
        "--prior",
        action="append",
        type=_prior,
        metavar="NAME=WEIGHT",
        help="prior weight of a scenario (repeatable; default uniform)",
    )
    _case_options(update_cmd)
    update_cmd.set_defaults(handler=_update)

    explore_cmd = commands.add_parser(
        "explore",
        help="sweep chosen assumptions over their ranges and find where an outcome holds",
        description="Sample the space of chosen assumptions (Latin hypercube), project each "
        "point with its own draws, keep each point's quantiles, and print how far the "
        "outcomes move across the sweep. --where describes the region of assumptions in "
        "which a condition holds; -o writes one row per point.",
        epilog="examples:\n"
        "  recogmodel explore scenarios/russia_taliban --scenario deepening \\\n"
        "      --over 'indicators.bilateral_trade.drift=0 to 0.15' \\\n"
        "      --over drivers.market_access.weight --samples 500 --workers 2 \\\n"
        "      --where 'bilateral_trade > 1000 in 2030' -o sweep.csv",
    )
    explore_cmd.add_argument("path", type=Path, metavar="PATH", help="a case folder")
    explore_cmd.add_argument(
        "--scenario",
        default="baseline",
        metavar="NAME",
        help="the scenario to sweep (default baseline)",
    )
    explore_cmd.add_argument(
        "--over",
        action="append",
        required=True,
        metavar="FIELD=RANGE",
        help="an assumption and its range, 'low to high' or 'low:high'; "
        "a bare FIELD sweeps its stated range (repeatable)",
    )
    explore_cmd.add_argument(
        "--samples", type=_count, required=True, metavar="N", help="points of the Latin hypercube"
    )
    explore_cmd.add_argument(
        "--draws", type=_count, default=1000, help="draws per point (default 1,000)"
    )
    explore_cmd.add_argument("--seed", type=_seed, help="seed of the sweep")
    explore_cmd.add_argument(
        "--workers", type=int, metavar="K", help="worker processes (0: one per core)"
    )
    explore_cmd.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786), or 'local'"
    )
    explore_cmd.add_argument(
        "--where",
        type=_condition,
        metavar="CONDITION",
        help="e.g. 'bilateral_trade > 1000 in 2030' (the points' medians)",
    )
    explore_cmd.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write one row per point (CSV)"
    )
    explore_cmd.set_defaults(handler=_explore)

    report = commands.add_parser(
        "report",
        help="write the whole analysis as one self-contained HTML file",
        description="Project the scenarios of a case folder (all by default) and write one "
        "HTML file that opens offline in any browser: summary, scenarios, figures, research "
        "priorities and sources.",
        epilog="examples:\n  recogmodel report scenarios/russia_taliban -o report.html\n"
        "  recogmodel report scenarios/russia_taliban --scenario baseline "
        "--scenario deepening \\\n      --draws 20000 --seed 7 --years 2028,2035 -o report.html",
    )
    _case_options(
        report,
        draws="draws per scenario (default 5,000)",
        seed="seed (default: the scenario's, else one fresh seed, printed in the report)",
        years="years of the summary table (default: start+5 and the horizon)",
    )
    report.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="the HTML file to write"
    )
    report.set_defaults(handler=_report)
    return parser


def _case_options(
    parser: argparse.ArgumentParser,
    *,
    draws: str = "draws per scenario (default: the scenario's, else 10,000)",
    seed: str = "seed (default: the scenario's)",
    years: str | None = None,
) -> None:
    """The options of every command that projects the scenarios of a case folder."""
    parser.add_argument("path", type=Path, metavar="PATH", help="a case folder")
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        dest="scenarios",
        help="a scenario to include (repeatable; default: all)",
    )
    parser.add_argument("--draws", type=_count, help=draws)
    parser.add_argument("--seed", type=_seed, help=seed)
    if years is not None:
        parser.add_argument("--years", type=_years, metavar="Y1,Y2", help=years)


def _prior(text: str) -> tuple[str, float]:
    name, sep, weight = text.partition("=")
    try:
        value = float(weight)
    except ValueError:
        value = float("nan")
    if not sep or not name or not value >= 0:
        raise argparse.ArgumentTypeError(
            f"expected NAME=WEIGHT with a weight >= 0, e.g. deepening=2; got '{text}'"
        )
    return name.strip(), value


def _count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a seed >= 0, got {value}")
    return value


def _years(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected years separated by commas, e.g. 2030,2035; got '{text}'"
        ) from None


# ---------------------------------------------------------------------------------------
# Commands.


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    problems: list[str] = []
    for path in args.paths:
        try:
            folder = load_case(path)
        except InputError as exc:
            problems += [str(p) for p in exc.problems]
            continue
        out.write(
            f"{folder.path}: valid ({len(list(folder))} scenarios: {', '.join(list(folder))})\n"
        )
    if problems:
        err.write("\n".join(problems) + "\n")
        return EXIT_INPUT
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(json.dumps(schema(args.kind), indent=2) + "\n")
    return EXIT_OK


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    folder = load_case(args.path)
    names = args.scenarios or list(folder)
    scenarios = [folder[n] for n in names]
    case = folder.case
    years = args.years or default_years(case.start, case.horizon)
    for year in years:
        if not case.start <= year <= case.horizon:
            raise InputError(
                [
                    Problem(
                        "--years", f"{year} is outside the projection {case.start}..{case.horizon}"
                    )
                ]
            )
    projections = []
    for scenario in scenarios:
        progress = _Progress(scenario.name, err)
        proj = project(
            scenario, draws=args.draws, seed=args.seed, sampling=args.sampling, progress=progress
        )
        progress.close()
        projections.append(proj)
        out.write(_table(proj, years) + "\n\n")
        if args.priorities > 0 and proj.parameter_names:
            out.write(_priorities(proj, args.priorities) + "\n\n")
    if args.out is not None:
        written = _write_outputs(projections, args.out, args.format, err)
        out.write(f"wrote {len(written)} files to {args.out}\n")
    return EXIT_OK


def _projections(args: argparse.Namespace, err: TextIO) -> list[Projection]:
    folder = load_case(args.path)
    out = []
    for name in args.scenarios or list(folder):
        scenario = folder[name]
        progress = _Progress(scenario.name, err)
        out.append(project(scenario, draws=args.draws, seed=args.seed, progress=progress))
        progress.close()
    return out


def _signposts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    projections = _projections(args, err)
    table = signposts(projections, threshold=args.threshold)
    out.write(f"{table}\n")
    if args.figure is not None:
        from .. import plot

        path = plot.save(plot.signpost_matrix(table, projections=projections), args.figure)
        out.write(f"wrote {path}\n")
    return EXIT_OK


def _update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    observations = read_observations(args.observed)
    projections = _projections(args, err)
    prior = dict(args.prior) if args.prior else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ObservationOutsideEnsembleWarning)
        posterior = update(projections, observations, prior)
    out.write(f"{posterior}\n")
    for warning in caught:
        if issubclass(warning.category, ObservationOutsideEnsembleWarning):
            err.write(f"note: {warning.message}\n")
        else:  # pragma: no cover - anything else goes back to the warnings machinery
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return EXIT_OK


_CONDITION = re.compile(r"^\s*(\w+)\s*([<>])\s*([-+\d.,eE%]+)\s+(?:in|by|at)\s+(\d{4})\s*$")


def _condition(text: str) -> tuple[str, str, float, int]:
    match = _CONDITION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"expected 'INDICATOR > VALUE in YEAR' (or <), e.g. 'bilateral_trade > 1000 in "
            f"2030'; got '{text}'"
        )
    indicator, side, value, year = match.groups()
    number = estimate_data(value)
    if number.get("dist") != "fixed":
        raise argparse.ArgumentTypeError(f"'{value}' is not a number (in '{text}')")
    return indicator, side, float(number["value"]), int(year)


def _explore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scenario = load_case(args.path)[args.scenario]
    over = parse_over(args.over)
    progress = _Progress(f"explore {scenario.name}", err, unit="points")
    with executor_for(args.workers, args.scheduler) as executor, warnings.catch_warnings():
        warnings.simplefilter("ignore", ExploreWarning)  # failures are printed below
        sweep = explore(
            scenario,
            over,
            samples=args.samples,
            draws=args.draws,
            seed=args.seed,
            executor=executor,
            progress=progress,
        )
    progress.close()
    out.write(
        f"{scenario.name}: {sweep.samples:,} points x {sweep.draws:,} draws over "
        f"{len(sweep.names)} assumptions (seed {sweep.seed})\n"
    )
    year = scenario.case.horizon
    header = ["indicator", "unit", f"median across points, {year}", "range of the medians"]
    rows = [header]
    for k in sweep.indicators:
        ind = scenario.case.indicators[k]
        medians = sweep.values(k, year)
        ok = medians[~np.isnan(medians)]
        if ok.size == 0:
            continue
        fmt = partial(format_value, unit=ind.unit, scale=ind.scale)
        rows.append(
            [
                k,
                ind.unit,
                fmt(float(np.median(ok))),
                f"{fmt(float(ok.min()))} – {fmt(float(ok.max()))}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    if args.where is not None:
        indicator, side, value, when = args.where
        mask = sweep.where(indicator, when, **{"above" if side == ">" else "below": value})
        label = f"{indicator} median {'above' if side == '>' else 'below'} {value:g} in {when}"
        out.write(f"\n{sweep.region(mask, label=label)}\n")
    if args.output is not None:
        out.write(f"wrote {sweep.to_csv(args.output)}\n")
    for failure in sweep.failures:
        err.write(f"failed: {failure}\n")
    return EXIT_INPUT if sweep.failures else EXIT_OK


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..report import write_report  # matplotlib is imported only when a report is asked for

    progress = _Progress("report", err, unit="steps")
    path = write_report(
        args.output,
        args.path,
        scenarios=args.scenarios,
        draws=args.draws,
        seed=args.seed,
        years=args.years,
        progress=progress,
    )
    progress.close()
    out.write(f"wrote {path}\n")
    return EXIT_OK


def _priorities(proj: Projection, limit: int) -> str:
    """The 'what to research next' section, or why there is none."""
    try:
        return priorities(proj).table(limit=limit)
    except InputError as exc:
        return f"What to research next: not computed ({exc.problems[0].message})"


def _table(proj: Projection, years: Sequence[int]) -> str:
    """A plain-text table: one row per indicator, 'median (5% – 95%)' per year."""
    scenario = proj.scenario
    head = (
        f"{scenario.name}: {scenario.title} ({proj.draws:,} draws, seed {proj.seed}, "
        "median and 90% range)"
    )
    summaries = [proj.summary(y) for y in years]
    header = ["indicator", "unit", *[str(y) for y in years]]
    rows = [header]
    for k in proj.indicators:
        cells = [k, summaries[0][k].unit]
        for summary in summaries:
            r = summary[k]
            cells.append(f"{r.formatted(r.median)} ({r.formatted(r.low)} – {r.formatted(r.high)})")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [head]
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _write_outputs(projections: list[Projection], out: Path, fmt: str, err: TextIO) -> list[Path]:
    """Figures, summary.csv and projection.json into ``out``, each written atomically."""
    from .. import plot  # matplotlib is imported only when figures are asked for

    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_csv(projections, out / "summary.csv"),
        write_json(projections, out / "projection.json"),
    ]
    indicators = projections[0].indicators
    jobs: list[tuple[Path, Callable[[], Any]]] = []
    for k in indicators:
        jobs.append((out / f"compare_{k}.{fmt}", partial(plot.compare, projections, k)))
    jobs.append((out / f"driver_weights.{fmt}", partial(plot.driver_weights, projections)))
    for proj in projections:
        folder = out / proj.name
        jobs.append((folder / f"dashboard.{fmt}", partial(plot.dashboard, proj)))
        for k in indicators:
            jobs.append((folder / f"fan_{k}.{fmt}", partial(plot.fan_chart, proj, k)))
    progress = _Progress("figures", err, unit="figures")
    for i, (path, draw) in enumerate(jobs, start=1):
        written.append(plot.save(draw(), path))
        progress(i, len(jobs))
    progress.close()
    return written


class _Progress:
    """Draws done, on one line of a terminal, once a run has taken more than a moment."""

    DELAY = 0.5

    def __init__(self, label: str, stream: TextIO, unit: str = "draws") -> None:
        self.label = label
        self.unit = unit
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False
        self.live = _is_terminal(stream)

    def __call__(self, done: int, total: int) -> None:
        if not self.live or time.monotonic() - self.started < self.DELAY:
            return
        self.shown = True
        self.stream.write(f"\r{self.label}: {done:,}/{total:,} {self.unit} ({done / total:.0%})")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    out, err = sys.stdout, sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse exits 2)
        return int(exc.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args, out, err)
    except InputError as exc:
        err.write(f"{exc}\n")
        return EXIT_INPUT
    except RecogmodelError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130
    except Exception:
        err.write(
            "internal error: this is a bug in recogmodel, not in your input. Please report "
            f"it at {ISSUES} with the text below.\n"
        )
        traceback.print_exc(file=err)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
