"""The commands: one function per command, each ``(args, out, err) -> exit code``.

Each takes the namespace parsed by :func:`recogmodel.cli.parser.build_parser`, the stream
for its output and the stream for progress and notes, and returns the exit code.

Every command that projects scenarios builds a :class:`recogmodel.Study` from its
arguments and reads everything from it, so the command prints what Python and the report
give for the same options. Output goes to ``out``, progress and notes to ``err``; errors
are raised and turned into exit codes by :func:`recogmodel.cli.main`.
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .._checks import projected_years
from .._files import staged_folder
from ..analysis import read_observations
from ..errors import ExploreWarning, InputError, Problem, RecogmodelWarning
from ..exploration import explore as explore_points
from ..io.export import write_csv, write_json
from ..io.folder import load_case
from ..io.plausible import implausible_numbers
from ..io.schema import schema as file_schema
from ..model.basis import chances_text, facts_text
from ..study import Study
from ..text.numbers import default_years
from ..text.tables import terminal_width
from .arguments import executor_for, parse_over
from .journal_commands import JOURNAL_COMMANDS
from .outputs import listed_files, tidy_folder, write_manifest
from .progress import ProgressLine
from .tables import priorities_section, projection_table, signpost_table, sweep_table

__all__ = [
    "COMMANDS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "Command",
    "explore",
    "report",
    "reproduce_command",
    "run",
    "schema",
    "signposts",
    "update",
    "validate",
]

#: Exit codes: success, an internal error (a bug), bad input.
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2

#: A command: parsed arguments, standard output, standard error -> exit code.
Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


def validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel validate``: one line per valid folder, every problem of the others."""
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
        out.write(facts_text(folder) if args.facts else chances_text(folder))
        for warning in implausible_numbers(folder):  # valid, but most likely a unit mistake
            err.write(f"warning: {warning}\n")
    if problems:
        err.write("\n".join(problems) + "\n")
        return EXIT_INPUT
    return EXIT_OK


def schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel schema``: the JSON Schema of a case or scenario file."""
    out.write(json.dumps(file_schema(args.kind), indent=2) + "\n")
    return EXIT_OK


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel run``: each scenario's ranges and priorities; figures and tables."""
    study = _study(args, sampling=args.sampling)
    years = _years_by_scenario(study, args.years)  # checked before projecting
    for warning in implausible_numbers(study.folder, study.names):  # a unit mistake?
        err.write(f"warning: {warning}\n")
    kinds: tuple[str, ...] | None = ()
    if args.output is not None and args.figures is not None:
        from ..plot.batch import figure_kinds  # matplotlib only when figures are asked for

        kinds = figure_kinds(args.figures)  # an unknown kind fails before projecting
    elif args.output is not None:
        kinds = None  # the default set
    _project(study, err, quiet=args.quiet)
    for name, proj in study.projections.items():
        width, ids = terminal_width(), args.ids
        out.write(projection_table(proj, years[name], width=width, ids=ids) + "\n")
        out.write(chances_text({name: proj.scenario}) + "\n")
        if args.priorities > 0 and proj.parameter_names:
            section = priorities_section(study, name, args.priorities, width=width, ids=ids)
            out.write(section + "\n\n")
    if args.output is not None:
        written = _write_outputs(study, args, kinds, err)
        out.write(f"wrote {len(written)} files to {args.output}\n")
    return EXIT_OK


def signposts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel signposts``: each signpost's chance under each scenario; a heat map."""
    study = _study(args)
    _project(study, err, quiet=args.quiet)
    prior = dict(args.prior) if args.prior else None
    if args.suggest:
        suggestions = study.suggest_signposts(prior=prior)
        out.write(f"{suggestions}\n\n{suggestions.to_yaml()}")
        return EXIT_OK
    table = study.signposts(threshold=args.threshold, prior=prior)
    cases = {name: proj.scenario.case for name, proj in study.projections.items()}
    out.write(signpost_table(table, cases, width=terminal_width(), ids=args.ids) + "\n")
    if args.figure is not None:
        from .. import plot  # matplotlib is imported only when a figure is asked for

        projections = list(study.projections.values())
        path = plot.save(plot.signpost_matrix(table, projections=projections), args.figure)
        out.write(f"wrote {path}\n")
    return EXIT_OK


def update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel update``: the scenarios weighed by the observations (Bayes' rule)."""
    observations = read_observations(args.observed)  # a bad file fails before projecting
    study = _study(args)
    _project(study, err, quiet=args.quiet)
    prior = dict(args.prior) if args.prior else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RecogmodelWarning)
        posterior = study.update(observations, prior)
    out.write(f"{posterior}\n")
    for warning in caught:
        if issubclass(warning.category, RecogmodelWarning):
            err.write(f"note: {warning.message}\n")
        else:  # pragma: no cover - anything else goes back to the warnings machinery
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return EXIT_OK


def explore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel explore``: a sweep's spread of outcomes, a region, one row per point.

    The sweep is of one scenario of the folder; it projects points, not the scenarios of a
    study, so it reads the scenario from the folder directly.
    """
    scenario = load_case(args.path)[args.scenario]
    over = parse_over(args.over)
    with (
        ProgressLine(err, unit="points", quiet=args.quiet) as line,
        executor_for(args.workers, args.scheduler) as executor,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", ExploreWarning)  # failures are printed below
        sweep = explore_points(
            scenario,
            over,
            samples=args.samples,
            draws=args.draws,
            seed=args.seed,
            executor=executor,
            progress=line.counter(f"explore {scenario.name}"),
        )
    out.write(
        f"{scenario.name}: {sweep.samples:,} points x {sweep.draws:,} draws over "
        f"{len(sweep.names)} assumptions (seed {sweep.seed})\n"
    )
    out.write(
        sweep_table(sweep, scenario.case.horizon, width=terminal_width(), ids=args.ids) + "\n"
    )
    if args.where is not None:
        where = args.where
        mask = sweep.where(where.indicator, where.year, **{where.side: where.value})
        out.write(f"\n{sweep.region(mask, label=where.label)}\n")
    if args.output is not None:
        out.write(f"wrote {sweep.to_csv(args.output)}\n")
    for failure in sweep.failures:
        err.write(f"failed: {failure}\n")
    return EXIT_INPUT if sweep.failures else EXIT_OK


def report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel report``: the whole analysis as one self-contained HTML file."""
    from ..report import write_report  # matplotlib is imported only when a report is asked for

    study = _study(args)
    with ProgressLine(err, unit="steps", quiet=args.quiet) as line:
        path = write_report(
            study,
            args.output,
            years=args.years,
            progress=line.counter("report"),
            reproduce=reproduce_command(args, study),
            brief=args.brief,
        )
    out.write(f"wrote {path}\n")
    if args.pdf is not None:
        from ..report.pdf import write_pdf

        out.write(f"wrote {write_pdf(path.read_text(encoding='utf-8'), args.pdf)}\n")
    return EXIT_OK


def reproduce_command(args: argparse.Namespace, study: Study) -> str:
    """The ``recogmodel report`` command line that rebuilds the report of ``study``.

    Draws and seeds are given when the scenarios share them; when they differ, the
    scenarios' own are used, and a scenario without a seed of its own cannot be repeated
    by a command line, which is then said in brackets. Absolute paths are shortened to
    their last part, so a report does not show where it was built.

    Parameters
    ----------
    args
        The parsed arguments of ``recogmodel report``.
    study
        The study those arguments describe.

    Returns
    -------
    str
        The command line, on one line.
    """
    parts = ["recogmodel", "report", _shown(study.folder.path)]
    if args.scenarios:
        parts += [f"--scenario {name}" for name in study.names]
    draws = sorted({study.draws_for(s) for s in study.scenarios})
    if len(draws) == 1:
        parts.append(f"--draws {draws[0]}")
    seeds = sorted({study.seed_for(s) for s in study.scenarios})
    if len(seeds) == 1:
        parts.append(f"--seed {seeds[0]}")
    if args.years:
        parts.append("--years " + ",".join(str(y) for y in args.years))
    if args.brief:
        parts.append("--brief")
    parts.append(f"-o {_shown(args.output)}")
    if len(seeds) > 1 and any(s.seed is None for s in study.scenarios):
        parts.append("(seeds differ by scenario; each is given with its scenario)")
    return " ".join(parts)


#: Every command, by the name the parser records.
COMMANDS: dict[str, Command] = {
    "validate": validate,
    "schema": schema,
    "run": run,
    "signposts": signposts,
    "update": update,
    "explore": explore,
    "report": report,
    **JOURNAL_COMMANDS,
}


def _study(args: argparse.Namespace, **options: Any) -> Study:
    """The study the folder, ``--scenario``, ``--draws`` and ``--seed`` describe.

    A scenario file given as the path (``CASE/deepening.yaml``) studies that scenario
    alone, unless ``--scenario`` names the scenarios.
    """
    scenarios = args.scenarios
    path = Path(args.path)
    if (
        scenarios is None
        and path.is_file()
        and path.suffix in (".yaml", ".yml")
        and (path.stem != "case")
    ):
        scenarios = [path.stem]
    return Study(args.path, scenarios=scenarios, draws=args.draws, seed=args.seed, **options)


def _project(study: Study, err: TextIO, *, quiet: bool = False) -> None:
    """Project every scenario of ``study``, with a progress line unless ``quiet``."""
    with ProgressLine(err, quiet=quiet) as line:
        study.project(progress=line)


def _years_by_scenario(study: Study, wanted: list[int] | None) -> dict[str, tuple[int, ...]]:
    """Each scenario's years to tabulate: ``--years``, or its own defaults.

    A scenario may end before the case (its own ``horizon``), so the defaults are taken
    from its own start and horizon, and ``--years`` is checked against each.
    """
    out: dict[str, tuple[int, ...]] = {}
    problems: list[Problem] = []
    for scenario in study.scenarios:
        case = scenario.case
        chosen = wanted or default_years(case.start, case.horizon)
        try:
            out[scenario.name] = projected_years(case.years, chosen, name="--years")
        except InputError as exc:
            problems += [
                Problem(p.field, f"{p.message} (the years of scenario '{scenario.name}')")
                for p in exc.problems
            ]
    if problems:
        raise InputError(problems)
    return out


def _shown(path: Path) -> str:
    """A path as a report may show it: as given if relative, else its last part."""
    return (path if not path.is_absolute() else Path(path.name)).as_posix()


def _write_outputs(
    study: Study, args: argparse.Namespace, kinds: tuple[str, ...] | None, err: TextIO
) -> list[Path]:
    """Figures, ``summary.csv``, ``projection.json`` and ``manifest.json`` into the folder.

    Files the folder's previous manifest lists and this run did not write again are
    removed; other files are left alone and named in a note.
    """
    from ..plot.batch import figure_jobs, render_figures

    folder: Path = args.output
    previous = listed_files(folder) if folder.is_dir() else []
    projections = list(study.projections.values())
    # Everything is written beside the folder first and moved in at the end: a failure
    # part-way leaves the folder as it was.
    with staged_folder(folder, "--output") as stage:
        staged = [
            write_csv(projections, stage / "summary.csv"),
            write_json(projections, stage / "projection.json"),
        ]
        jobs = figure_jobs(projections, kinds, args.format)
        with ProgressLine(err, unit="figures", quiet=args.quiet) as line:
            staged += render_figures(
                jobs,
                study.projections,
                stage,
                workers=args.workers,
                progress=line.counter("figures"),
            )
        write_manifest(stage, staged, command="run")
    written = [folder / path.relative_to(stage) for path in staged]
    removed, others = tidy_folder(folder, previous, written)
    if removed and not args.quiet:
        err.write(
            f"note: removed {len(removed)} files an earlier run wrote to {folder} "
            f"and this one did not: {_listed(removed)}\n"
        )
    if others and not args.quiet:
        err.write(
            f"note: {folder} also holds {len(others)} files no run listed, left alone: "
            f"{_listed(others)}\n"
        )
    return written


def _listed(names: list[str], most: int = 5) -> str:
    """Up to ``most`` names, then how many more."""
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"
