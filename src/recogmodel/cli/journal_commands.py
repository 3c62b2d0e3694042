"""The journal's commands: ``record``, ``journal``, ``score`` and ``diff``.

:func:`add_journal_commands` adds their parsers to the command's tree (called by
:func:`recogmodel.cli.parser.build_parser`); :data:`JOURNAL_COMMANDS` holds the functions
that run them, each ``(args, out, err) -> exit code`` like every command.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import InputError, Problem, RecogmodelWarning
from ..journal import Journal, diff, read_journal, score
from ..study import Study
from . import arguments
from .progress import ProgressLine

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..journal import JournalEntry

__all__ = [
    "JOURNAL_COMMANDS",
    "add_journal_commands",
    "diff_command",
    "journal",
    "record",
    "score_command",
]

#: The exit codes of every command (as in :mod:`recogmodel.cli.commands`).
_OK, _INPUT = 0, 2

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def add_journal_commands(
    commands: Any, study_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add ``record``, ``journal``, ``score`` and ``diff`` to the command's tree.

    Parameters
    ----------
    commands
        The parser's sub-parsers.
    study_options
        Adds the options every command that studies a case folder has (folder,
        ``--scenario``, ``--draws``, ``--seed``).
    """
    record_parser = commands.add_parser(
        "record",
        help="append today's forecast to the case's journal (journal.jsonl)",
        description="Project the scenarios and append a dated forecast to journal.jsonl "
        "beside the case: quantiles and a thinned sample of every indicator in every year, "
        "signpost probabilities, scenario weights (the prior, or the posterior given "
        "--observed), the case's content hash, version, seeds and draws, and a note.",
        epilog="examples:\n"
        "  recogmodel record scenarios/russia_taliban --journal journal.jsonl --note 'May talks'\n"
        "  recogmodel record scenarios/russia_taliban --journal journal.jsonl \\\n"
        "      --observed observed.csv --draws 2000 --seed 7",
    )
    study_options(record_parser)
    record_parser.add_argument("--note", metavar="TEXT", help="a note kept with the entry")
    record_parser.add_argument(
        "--observed",
        type=Path,
        metavar="FILE",
        help="observations known today: record the posterior weights given them",
    )
    record_parser.add_argument(
        "--prior",
        action="append",
        type=arguments.prior,
        metavar="NAME=WEIGHT",
        help="prior weight of a scenario (repeatable; default uniform)",
    )
    record_parser.add_argument(
        "--journal",
        type=Path,
        metavar="FILE",
        help="the journal to append to (default: journal.jsonl in the case folder)",
    )
    listing = commands.add_parser(
        "journal",
        help="list the forecasts recorded in a case's journal",
        description="List the entries of a journal (a case folder's journal.jsonl, or the "
        "file): line, date, scenarios, weights, draws, content hash, version, note. A line "
        "that cannot be read is reported with its number (exit 2); it is never dropped.",
        epilog="example:\n  recogmodel journal journal.jsonl",
    )
    listing.add_argument("path", type=Path, metavar="PATH", help="a case folder or journal file")
    scoring = commands.add_parser(
        "score",
        help="score the recorded forecasts against what was observed",
        description="Score every recorded forecast on the observed years it forecast: "
        "CRPS, interval scores and coverage of the 50 % and 90 % ranges, Brier and log "
        "scores of the signposts decided, and skill against no change from the last value "
        "and against the drift-only model; per entry and scenario, and for the mixture.",
        epilog="example:\n  recogmodel score journal.jsonl --observed observed.csv -o scores.csv",
    )
    scoring.add_argument("path", type=Path, metavar="PATH", help="a case folder or journal file")
    scoring.add_argument(
        "--observed", type=Path, required=True, metavar="FILE", help="observations: YAML or CSV"
    )
    scoring.add_argument(
        "--by-indicator",
        action="store_true",
        help="one row per indicator too (each in its own unit), not the mean over all",
    )
    scoring.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the scores (.csv or .json)"
    )
    scoring.add_argument(
        "--calibration", type=Path, metavar="FILE", help="save the calibration figure"
    )
    scoring.add_argument(
        "--revision",
        type=Path,
        metavar="FILE",
        help="save how the forecast of --indicator in --year moved across entries",
    )
    scoring.add_argument("--indicator", metavar="NAME", help="the indicator of --revision")
    scoring.add_argument("--year", type=int, metavar="YEAR", help="the year of --revision")
    diffing = commands.add_parser(
        "diff",
        help="what changed between two versions of a case, and what each edit did",
        description="List the edits between two case folders (or two journal entries, by "
        "date, with --journal) as dotted names with old and new values, and attribute the "
        "change of each indicator's median and 90 % range in the chosen years to them: "
        "each edit applied alone, in the order listed, with common random numbers; the "
        "interaction is what the edits' effects do not add up to.",
        epilog="examples:\n"
        "  recogmodel diff old_case scenarios/russia_taliban --scenario deepening --years 2030 \\\n"
        "      --figure waterfall.png --indicator bilateral_trade --year 2030\n"
        "(two entries of a journal: give their dates as OLD and NEW, and --journal)",
    )
    diffing.add_argument("old", metavar="OLD", help="a case folder, or an entry's date")
    diffing.add_argument("new", metavar="NEW", help="a case folder, or an entry's date")
    diffing.add_argument(
        "--journal", type=Path, metavar="PATH", help="the journal the dates are entries of"
    )
    diffing.add_argument(
        "--scenario", default="baseline", metavar="NAME", help="the scenario compared (baseline)"
    )
    diffing.add_argument(
        "--years", type=arguments.years, metavar="Y1,Y2", help="years (default: start+5, horizon)"
    )
    diffing.add_argument(
        "--draws", type=arguments.count, default=2000, help="draws of every run (2,000)"
    )
    diffing.add_argument(
        "--seed", type=arguments.seed, help="seed of every run (default: the new one's)"
    )
    diffing.add_argument(
        "--order",
        action="append",
        metavar="FIELD",
        help="apply this edit before the others (repeatable; default: sorted by name)",
    )
    diffing.add_argument("--figure", type=Path, metavar="FILE", help="save a waterfall figure")
    diffing.add_argument("--indicator", metavar="NAME", help="the indicator of --figure")
    diffing.add_argument("--year", type=int, metavar="YEAR", help="the year of --figure")


def record(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel record``: today's forecast appended to the case's journal."""
    study = Study(args.path, scenarios=args.scenarios, draws=args.draws, seed=args.seed)
    with ProgressLine(err) as line:
        study.project(progress=line)
    prior = dict(args.prior) if args.prior else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RecogmodelWarning)
        entry = study.record(
            args.note, observations=args.observed, prior=prior, journal=args.journal
        )
    for warning in caught:  # the posterior's notes: printed, the entry is recorded
        if issubclass(warning.category, RecogmodelWarning):
            err.write(f"note: {warning.message}\n")
        else:  # pragma: no cover - anything else goes back to the warnings machinery
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    path = read_journal(args.journal or study.folder.path).path
    out.write(
        f"recorded {entry.date} at {path}:{entry.line}: {len(entry.scenarios)} scenarios, "
        f"{entry.data['weights']['kind']} weights, {entry.data['content_hash'][:15]}\n"
    )
    return _OK


def journal(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel journal``: the entries of a journal, and any line that cannot be read."""
    found = read_journal(args.path)
    out.write(f"{found}\n")
    for damaged in found.damaged:
        err.write(f"{damaged.problem(found.path)}\n")
    return _INPUT if found.damaged else _OK


def score_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel score``: the recorded forecasts scored; a table, files and figures."""
    scores = score(args.path, args.observed)
    out.write(f"{scores.table(by_indicator=args.by_indicator)}\n")
    if args.output is not None:
        suffix = args.output.suffix.lower()
        if suffix not in (".csv", ".json"):
            raise InputError([Problem("--output", "expected a .csv or .json file")])
        written = scores.to_csv(args.output) if suffix == ".csv" else scores.to_json(args.output)
        out.write(f"wrote {written}\n")
    if args.calibration is not None or args.revision is not None:
        from .. import plot  # matplotlib only when a figure is asked for
        from ..plot.journal import calibration, revision

        if args.calibration is not None:
            out.write(f"wrote {plot.save(calibration(scores), args.calibration)}\n")
        if args.revision is not None:
            if args.indicator is None or args.year is None:
                raise InputError([Problem("--revision", "needs --indicator and --year")])
            seen = [
                r.observed
                for r in scores.rows
                if (r.indicator, r.year) == (args.indicator, args.year)
            ]
            figure = revision(
                scores.journal, args.indicator, args.year, observed=seen[0] if seen else None
            )
            out.write(f"wrote {plot.save(figure, args.revision)}\n")
    return _OK


def diff_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``recogmodel diff``: the edits between two versions, and each one's part."""
    found: Journal | None = None
    if args.journal is not None:
        found = read_journal(args.journal)
        found.check()
    result = diff(
        _version(args.old, found),
        _version(args.new, found),
        scenario=args.scenario,
        years=args.years,
        draws=args.draws,
        seed=args.seed,
        order=args.order,
    )
    out.write(f"{result}\n")
    if args.figure is not None:
        if args.indicator is None or args.year is None:
            raise InputError([Problem("--figure", "needs --indicator and --year")])
        from .. import plot  # matplotlib only when a figure is asked for
        from ..plot.journal import waterfall

        path = plot.save(waterfall(result, args.indicator, args.year), args.figure)
        out.write(f"wrote {path}\n")
    return _OK


def _version(text: str, found: Journal | None) -> Path | JournalEntry:
    """A case folder's path, or the journal entry of a date."""
    if _DATE.match(text) and not Path(text).exists():
        if found is None:
            raise InputError([Problem("--journal", f"'{text}' is a date: name the journal too")])
        return found.entry(text)
    return Path(text)


#: The journal's commands, by the name the parser records.
JOURNAL_COMMANDS = {
    "record": record,
    "journal": journal,
    "score": score_command,
    "diff": diff_command,
}
