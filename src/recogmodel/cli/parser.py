"""The argparse tree of the ``recogmodel`` command: one function per command.

Each function adds one command, its options and its examples; the values are read by the
types of :mod:`recogmodel.cli.arguments`, and the command is run by the function of the
same name in :mod:`recogmodel.cli.commands` (the parser records its name as ``command``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..engine import DEFAULT_DRAWS
from ..projection import library_version
from . import arguments
from .journal_commands import add_journal_commands

__all__ = ["build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse with examples kept as written in the epilog."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


if TYPE_CHECKING:
    Commands: TypeAlias = argparse._SubParsersAction[_Parser]


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command, every command under it.

    Returns
    -------
    argparse.ArgumentParser
        Its ``parse_args`` gives a namespace whose ``command`` names the command to run.
    """
    parser = _Parser(
        prog="recogmodel",
        description="Policy-scenario modelling: project indicator ranges under an actor's "
        "stated interests and an analyst's assumptions.",
        epilog="examples:\n"
        "  recogmodel validate scenarios/russia_taliban\n"
        "  recogmodel run scenarios/russia_taliban -o out/\n"
        "  recogmodel signposts scenarios/russia_taliban\n"
        "  recogmodel update scenarios/russia_taliban --observed observed.csv\n"
        "  recogmodel report scenarios/russia_taliban -o report.html\n"
        "  recogmodel explore scenarios/russia_taliban --over indicators.bilateral_trade.drift "
        "--samples 200\n"
        "  recogmodel schema scenario > scenario.schema.json",
    )
    parser.add_argument("--version", action="version", version=f"recogmodel {library_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_validate, _schema, _run, _signposts, _update, _explore, _report):
        add(commands)
    add_journal_commands(commands, _study_options)
    return parser


def _validate(commands: Commands) -> None:
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
    validate.add_argument(
        "--facts",
        action="store_true",
        help="also list every number as a fact (a cited source states it) or an assumption, "
        "the assumptions without a rationale, and each event's chance by the horizon",
    )


def _schema(commands: Commands) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a case or scenario file",
        description="Print the JSON Schema of a case file or a scenario file, generated "
        "from the models, for editors that check files as they are typed.",
        epilog="example:\n  recogmodel schema scenario > scenario.schema.json",
    )
    schema.add_argument("kind", nargs="?", default="case", choices=["case", "scenario"])


def _run(commands: Commands) -> None:
    run = commands.add_parser(
        "run",
        help="project scenarios, print their ranges, write figures and tables",
        description="Project the scenarios of a case folder (all by default), print a "
        "table per scenario (median and 90% range for the chosen years) and, with --out, "
        "write figures, summary.csv, projection.json and manifest.json into DIR.",
        epilog="examples:\n"
        "  recogmodel run scenarios/russia_taliban\n"
        "  recogmodel run scenarios/russia_taliban --scenario deepening --draws 20000 \\\n"
        "      --seed 7 --years 2030,2035 -o out/ --format svg --figures fan,tornado\n"
        "  recogmodel run scenarios/russia_taliban/deepening.yaml -o out/deepening",
    )
    _study_options(
        run,
        seed="seed (default: the scenario's, else fresh entropy, printed so the run can be "
        "repeated)",
        years="years to tabulate (default: start+5 and the horizon)",
    )
    run.add_argument("--sampling", choices=["random", "lhs"], default="random")
    run.add_argument(
        "-o",
        "--output",
        "--out",
        type=Path,
        metavar="DIR",
        help="write figures, tables and manifest.json into this folder",
    )
    run.add_argument(
        "--format", choices=["png", "svg", "pdf"], default="png", help="figure format (default png)"
    )
    run.add_argument(
        "--figures",
        type=_kinds,
        metavar="KINDS",
        help="figures to draw with -o: some of fan,compare,dashboard,tornado,signposts, or "
        "all, or none (default: the comparisons and the first scenario's dashboard)",
    )
    run.add_argument(
        "--workers",
        type=int,
        metavar="K",
        help="processes drawing figures (default: one per core; 1: none)",
    )
    run.add_argument(
        "--priorities",
        type=int,
        default=5,
        metavar="N",
        help="assumptions listed under 'what to research next' (0: none)",
    )


def _signposts(commands: Commands) -> None:
    signposts = commands.add_parser(
        "signposts",
        help="how likely each signpost is under each scenario, and which tell them apart",
        description="Project every scenario, then print, for every signpost a scenario "
        "declares, the probability that it is reached by its year under each scenario, its "
        "Bayes factor for its own scenario, the scenario it favours, whether it points away "
        "from its own scenario, and its value of information (bits), most informative "
        "first. With --suggest, propose the signposts that would point to each scenario "
        "best, as YAML to paste into the scenario files.",
        epilog="examples:\n  recogmodel signposts scenarios/russia_taliban --draws 5000 --seed 1\n"
        "  recogmodel signposts scenarios/russia_taliban --suggest --draws 5000 --seed 1",
    )
    _study_options(signposts)
    signposts.add_argument(
        "--threshold",
        type=float,
        default=0.05,
        help="value of information (bits) under which a signpost is not diagnostic (0.05)",
    )
    signposts.add_argument(
        "--suggest",
        action="store_true",
        help="propose, per scenario, the signposts with the most value of information that "
        "point to it (YAML)",
    )
    signposts.add_argument(
        "--prior",
        type=arguments.prior,
        action="append",
        metavar="NAME=WEIGHT",
        help="prior weight of a scenario (repeatable; default: equal)",
    )
    signposts.add_argument(
        "--figure",
        type=Path,
        metavar="FILE",
        help="also save the signpost heat map (png, svg or pdf)",
    )


def _update(commands: Commands) -> None:
    update = commands.add_parser(
        "update",
        help="which scenario do the observations favour (Bayes' rule)",
        description="Weigh the scenarios by how likely each makes the observed values "
        "(a YAML or CSV file of indicator, year, value[, source, note]), starting from a "
        "uniform prior unless --prior is given.",
        epilog="examples:\n  recogmodel update scenarios/russia_taliban --observed observed.csv\n"
        "  recogmodel update scenarios/russia_taliban --observed obs.yaml \\\n"
        "      --scenario baseline --scenario deepening --scenario stalled \\\n"
        "      --prior baseline=2 --prior deepening=1 --prior stalled=1",
    )
    update.add_argument(
        "--observed",
        type=Path,
        required=True,
        metavar="FILE",
        help="observations: YAML or CSV with indicator, year, value",
    )
    update.add_argument(
        "--prior",
        action="append",
        type=arguments.prior,
        metavar="NAME=WEIGHT",
        help="prior weight of a scenario (repeatable; default uniform)",
    )
    _study_options(update)


def _explore(commands: Commands) -> None:
    explore = commands.add_parser(
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
    explore.add_argument("path", type=Path, metavar="PATH", help="a case folder")
    explore.add_argument(
        "--scenario",
        default="baseline",
        metavar="NAME",
        help="the scenario to sweep (default baseline)",
    )
    explore.add_argument(
        "--over",
        action="append",
        required=True,
        metavar="FIELD=RANGE",
        help="an assumption and its range, 'low to high' or 'low:high'; "
        "a bare FIELD sweeps its stated range (repeatable)",
    )
    explore.add_argument(
        "--samples",
        type=arguments.count,
        required=True,
        metavar="N",
        help="points of the Latin hypercube",
    )
    explore.add_argument(
        "--draws", type=arguments.count, default=1000, help="draws per point (default 1,000)"
    )
    explore.add_argument("--seed", type=arguments.seed, help="seed of the sweep")
    explore.add_argument(
        "--workers", type=int, metavar="K", help="worker processes (0: one per core)"
    )
    explore.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786), or 'local'"
    )
    explore.add_argument(
        "--where",
        type=arguments.condition,
        metavar="CONDITION",
        help="e.g. 'bilateral_trade > 1000 in 2030' (the points' medians)",
    )
    explore.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write one row per point (CSV)"
    )
    _output_options(explore)


def _report(commands: Commands) -> None:
    report = commands.add_parser(
        "report",
        help="write the whole analysis as one self-contained HTML file",
        description="Project the scenarios of a case folder (all by default) and write one "
        "HTML file that opens offline in any browser: summary, scenarios, figures, research "
        "priorities and sources.",
        epilog="examples:\n  recogmodel report scenarios/russia_taliban -o report.html\n"
        "  recogmodel report scenarios/russia_taliban --brief -o brief.html\n"
        "  recogmodel report scenarios/russia_taliban --scenario baseline "
        "--scenario deepening \\\n      --draws 20000 --seed 7 --years 2028,2035 -o report.html",
    )
    _study_options(
        report,
        seed="seed (default: the scenario's, else one fresh seed, printed in the report)",
        years="years of the summary table (default: start+5 and the horizon)",
    )
    report.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="the HTML file to write"
    )
    report.add_argument(
        "--brief",
        action="store_true",
        help="only the briefing: bottom line, headline chart, scenarios at a glance, summary, "
        "priorities and sources (a few printed pages)",
    )
    report.add_argument(
        "--pdf",
        type=Path,
        metavar="FILE",
        help="also print the page to this PDF (needs Chromium installed)",
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` and ``--ids``: how much the command says, and how it names things."""
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines and no notes on stderr"
    )
    parser.add_argument(
        "--ids", action="store_true", help="name indicators and assumptions by id, not label"
    )


def _kinds(text: str) -> list[str]:
    """``--figures``: names separated by commas; ``none`` is no figure at all."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    return [] if names == ["none"] else names


def _study_options(
    parser: argparse.ArgumentParser,
    *,
    seed: str = "seed (default: the scenario's)",
    years: str | None = None,
) -> None:
    """The options of every command that studies the scenarios of a case folder.

    They are the arguments of :class:`recogmodel.Study`: the folder, ``--scenario``
    (repeatable), ``--draws`` and ``--seed``; ``--years`` where the command tabulates years.
    """
    parser.add_argument("path", type=Path, metavar="PATH", help="a case folder")
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        dest="scenarios",
        help="a scenario to include (repeatable; default: all)",
    )
    parser.add_argument(
        "--draws",
        type=arguments.count,
        help=f"draws per scenario (default: the scenario's, else {DEFAULT_DRAWS:,})",
    )
    parser.add_argument("--seed", type=arguments.seed, help=seed)
    _output_options(parser)
    if years is not None:
        parser.add_argument("--years", type=arguments.years, metavar="Y1,Y2", help=years)
