"""Building the report: a :class:`~recogmodel.Study` prepared as the page's view, rendered.

The report reads its projections, draws and seeds from the study, so it prints the same
numbers as the command and as Python for the same options. It shows those settings (the
case folder's name, the scenarios, the draws, the seeds) and, when the caller gives one,
the command that rebuilds it; it never writes a command line itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from .._checks import projected_years
from .._files import atomic_write
from ..errors import InputError, Problem
from ..model.chances import event_chances
from ..model.parameters import case_parameters
from ..projection import library_version
from ..study import Study
from ..text.labels import assumption_labels, signpost_label
from ..text.numbers import default_years, is_share, plain_number, probability
from . import view
from .changes import correlation_changes, scenario_changes
from .sources import references, sources
from .svg import divergent_indicator, figure_groups, headline_figure
from .values import assumptions, percent

if TYPE_CHECKING:
    from ..analysis import Priorities, SignpostTable
    from ..io.folder import CaseFolder
    from ..model import Case, Scenario
    from ..projection import Projection

__all__ = ["PRIORITIES", "TORNADOES", "build_report", "write_report"]

#: Tornado charts drawn when the case marks no indicator ``key``: one for each of the
#: indicators behind the top research priorities.
TORNADOES = 3
#: Research priorities listed.
PRIORITIES = 10

Progress = Callable[[int, int], None]


class _Steps:
    """Counts the report's steps (projections, analyses, figures) for a progress callback."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done = 0
        self.total = total
        self.progress = progress

    def __call__(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None and self.done < self.total:
            self.progress(self.total, self.total)


def _project(study: Study, step: _Steps) -> list[Projection]:
    """The study's projections, one step as each scenario is done (cached ones at once)."""
    finished: set[str] = set()

    def progress(name: str, done: int, total: int) -> None:
        if done >= total and name not in finished:
            finished.add(name)
            step()

    projections = list(study.project(progress).values())
    for name in study.names:
        if name not in finished:
            step()
    return projections


def _shown_years(years: Sequence[int] | None, projections: Sequence[Projection]) -> list[int]:
    """The summary's years, each projected under every scenario, in order."""
    first = projections[0]
    axis = [y for y in first.years if all(y in p.years for p in projections)]
    if not axis:
        raise InputError([Problem("scenarios", "the scenarios share no projected year")])
    # Every scenario's own horizon counts: the defaults are of the years all of them project.
    wanted = default_years(axis[0], axis[-1]) if years is None else years
    return sorted(projected_years(axis, wanted))


def _summary(
    projections: Sequence[Projection],
    reference: Case,
    years: Sequence[int],
    listed: Sequence[view.Source],
) -> list[view.SummaryRow]:
    summaries = {(p.name, y): p.summary(y) for p in projections for y in years}
    rows = []
    for k in projections[0].indicators:
        ind = reference.indicators.get(k) or projections[0].indicator(k)
        share = is_share(ind.unit, ind.scale)
        fmt = percent if share else plain_number
        known = ind.baseline
        if known is None:
            baseline = f"derived: {ind.formula}"
        elif known.value.is_fixed:
            baseline = fmt(float(known.value.ppf(0.5)))
        else:
            d = known.value.describe()
            baseline = f"{fmt(d.median)} ({fmt(d.p05)} – {fmt(d.p95)})"
        refs = [] if known is None else references(listed, known.sources)
        for i, year in enumerate(years):
            cells: list[view.Range | None] = []
            for proj in projections:
                if k not in proj.indicators:
                    cells.append(None)
                    continue
                r = summaries[(proj.name, year)][k]
                cells.append(
                    view.Range(
                        r.formatted(r.median, r.median_error),
                        r.formatted(r.low, r.low_error),
                        r.formatted(r.high, r.high_error),
                    )
                )
            rows.append(
                view.SummaryRow(
                    k,
                    ind.label,
                    "" if share else ind.unit,
                    baseline,
                    None if known is None else known.year,
                    refs,
                    year,
                    i == 0,
                    cells,
                )
            )
    return rows


def _signposts(
    table: SignpostTable, scenario: Scenario, titles: dict[str, str]
) -> list[view.Signpost]:
    """The scenario's own signposts, with their chance here and under the others."""
    if scenario.name not in table.scenarios:
        return []
    j = table.scenarios.index(scenario.name)
    out = []
    for i, row in enumerate(table.signposts):
        if not any(s == scenario.name for s, _ in row.declared_by):
            continue
        others = [
            (float(table.probability[i, k]), titles[s])
            for k, s in enumerate(table.scenarios)
            if k != j
        ]
        if not others:
            spread = "no other scenario in this report"
        else:
            (low, low_title), (high, high_title) = min(others), max(others)
            low_text, high_text = probability(low, space=True), probability(high, space=True)
            if low_text == high_text:
                spread = f"{low_text} under each"
            else:
                spread = f"from {low_text} ({low_title}) to {high_text} ({high_title})"
        side = "above" if row.above is not None else "below"
        ind = scenario.case.indicators[row.indicator]
        out.append(
            view.Signpost(
                signpost_label(ind, side, row.threshold, row.by),
                row.note,
                probability(float(table.probability[i, j]), space=True),
                spread,
                not bool(table.non_diagnostic[i]),
                _tells(float(table.bayes_factor[i]), float(table.value_of_information[i])),
                titles[table.favours[i]] if bool(table.points_away[i]) else None,
            )
        )
    return out


def _tells(bayes_factor: float, bits: float) -> str:
    """A signpost's evidence in words: its Bayes factor for its scenario and its bits."""
    if math.isnan(bayes_factor):
        return f"{bits:.2f} bits"
    shown = "∞" if math.isinf(bayes_factor) else f"{bayes_factor:.2g}"
    return f"Bayes factor {shown}; {bits:.2f} bits"


def _priorities(
    result: Priorities, case: Case
) -> tuple[list[view.Priority], int, list[view.Assumption]]:
    """The top priorities, how many more there are, and the rated assumptions not ranked."""
    shown = [r for r in result.rows if r.influential][:PRIORITIES]
    labels = assumption_labels([r.assumption for r in shown], case)
    rows = [
        view.Priority(
            r.rank,
            labels[r.assumption],
            r.assumption,
            case.indicators[r.indicator].label,
            f"{r.importance:.2f}",
            r.support,
            f"{r.score:.2f}",
            " ".join(r.rationale.split()) if r.rationale else None,
        )
        for r in shown
    ]
    not_ranked = assumptions(case, [name for name, _, _ in result.not_sampled])
    return rows, len(result.rows) - len(shown), not_ranked


def _section(
    proj: Projection,
    reference: Scenario,
    table: SignpostTable,
    titles: dict[str, str],
    draws: int,
    seed: int,
) -> view.Section:
    """One scenario's part of the page."""
    scenario = proj.scenario
    is_reference = scenario.name == reference.name
    narrative = [
        " ".join(part.split())
        for part in re.split(r"\n\s*\n", scenario.narrative or "")
        if part.strip()
    ]
    case = scenario.case
    return view.Section(
        scenario.name,
        scenario.title,
        is_reference,
        [titles.get(n, n) for n in scenario.lineage],
        narrative,
        draws,
        seed,
        [] if is_reference else scenario_changes(reference.case, case),
        [] if is_reference else correlation_changes(reference, scenario),
        assumptions(case, list(case.key_assumptions)) if is_reference else [],
        assumptions(case, [p.name for p in case.parameters()]) if is_reference else [],
        _signposts(table, scenario, titles),
        [note for note in proj.diagnostics.notes() if not note.startswith("correlation ")],
        [f"{case.events[c.event].label}: {c}" for c in event_chances(case)],
    )


def _folder_name(folder: CaseFolder) -> str:
    """The case folder as given, or only its name if given as an absolute path."""
    path = folder.path
    return (path if not path.is_absolute() else Path(path.name)).as_posix()


def _prepare(
    study: Study,
    years: Sequence[int] | None,
    progress: Progress | None,
    reproduce: str | None,
    brief: bool = False,
) -> view.Report:
    """The whole page's view: project, analyse and draw, counting the steps."""
    reference = study.folder["baseline"]
    n_scenarios = len(study.scenarios)
    n_key = sum(1 for ind in study.lead.case.indicators.values() if ind.key)
    # Per scenario its projection, its section and its fan charts; the priorities; the
    # driver weights, the signpost matrix and the tornado charts.
    step = _Steps(n_scenarios * 3 + 3 + (n_key or TORNADOES), progress)
    projections = _project(study, step)
    first = projections[0]
    case = first.scenario.case
    if brief and years is None:  # the brief's summary is of the horizon alone
        years = [first.years[-1]]
    shown_years = _shown_years(years, projections)
    titles = {p.name: p.scenario.title for p in projections}
    table = study.signposts()

    problem = None
    rows: list[view.Priority] = []
    more = 0
    not_ranked: list[view.Assumption] = []
    tornado_indicators: list[str] = []
    try:
        result = study.priorities()
    except InputError as exc:
        problem = "; ".join(p.message for p in exc.problems)
    else:
        rows, more, not_ranked = _priorities(result, case)
        for r in result.rows:
            if r.influential and r.indicator not in tornado_indicators:
                tornado_indicators.append(r.indicator)
        tornado_indicators = tornado_indicators[:TORNADOES]
    step()

    draws = {s.name: study.draws_for(s) for s in study.scenarios}
    seeds = {s.name: study.seed_for(s) for s in study.scenarios}
    sections = []
    for proj in projections:
        sections.append(
            _section(proj, reference, table, titles, draws[proj.name], seeds[proj.name])
        )
        step()

    listed = sources(projections, titles)
    headline = headline_figure(study, divergent_indicator(projections))
    figures: list[view.FigureGroup] = []
    if not brief:
        key = [k for k, ind in case.indicators.items() if ind.key and k in first.indicators]
        intro = "For each of the case's key indicators"
        if not key:
            intro = "For the indicators behind the top research priorities (the case marks no "
            intro += "indicator key)"
        figures = figure_groups(study, table, key or tornado_indicators, step, tornado_intro=intro)
    step.finish()
    distinct_seeds = sorted(set(seeds.values()))
    return view.Report(
        title=case.title,
        case=case.case,
        actor=case.actor,
        description=" ".join(case.description.split()) if case.description else None,
        start=first.years[0],
        horizon=first.years[-1],
        years=shown_years,
        folder=_folder_name(study.folder),
        draws=", ".join(f"{d:,}" for d in sorted(set(draws.values()))),
        sampling="Latin hypercube" if study.sampling == "lhs" else "Monte Carlo",
        seeds=str(distinct_seeds[0])
        if len(distinct_seeds) == 1
        else "; ".join(f"{titles[name]}: {seed}" for name, seed in seeds.items()),
        version=library_version(),
        reproduce=reproduce.strip() or None if reproduce is not None else None,
        scenarios=[(p.name, p.scenario.title) for p in projections],
        reference=reference.title,
        summary=_summary(projections, reference.case, shown_years, listed),
        sections=sections,
        figures=figures,
        priorities_scenario=first.scenario.title,
        priorities_year=first.years[-1],
        priorities=rows,
        priorities_more=more,
        priorities_problem=problem,
        not_ranked=not_ranked,
        sources=listed,
        bottom_line=" ".join(case.bottom_line.split()) if case.bottom_line else None,
        judgements=_judgements(case, titles),
        headline=headline,
        glances=[_glance(section) for section in sections],
        unexplained=_unexplained(case),
    )


def _unexplained(case: Case) -> list[str]:
    """Labels of the weights, baselines and effects that are assumptions with no rationale."""
    bare = [
        p.name
        for p in case_parameters(case)
        if p.basis == "assumption"
        and p.role in ("weight", "baseline", "effect")
        and not p.rationale
    ]
    labels = assumption_labels(bare, case)
    return [f"{labels[name]} ({name})" for name in bare]


def _judgements(case: Case, titles: dict[str, str]) -> list[view.Judgement]:
    """The case's key judgements, with the labels of what each rests on."""
    return [
        view.Judgement(
            " ".join(j.text.split()),
            j.confidence,
            [case.indicators[k].label for k in j.indicators]
            + [titles.get(name, name) for name in j.scenarios],
        )
        for j in case.judgements
    ]


def _glance(section: view.Section) -> view.Glance:
    """One scenario in a line: the first sentence of its narrative, and its signposts."""
    line = None
    if section.narrative:
        first = section.narrative[0]
        line = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return view.Glance(
        section.name,
        section.title,
        line,
        [f"{s.label}: {s.here}" for s in section.signposts],
    )


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("recogmodel.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def build_report(
    source: Study | CaseFolder | str | Path,
    *,
    years: Sequence[int] | None = None,
    progress: Progress | None = None,
    reproduce: str | None = None,
    brief: bool = False,
) -> str:
    """The whole analysis of a study as one self-contained HTML page.

    Parameters
    ----------
    source
        The study to report, or a case folder (loaded with :func:`~recogmodel.load_case`,
        or its path), which becomes ``Study(source)``: every scenario, ``baseline`` first,
        with the scenarios' own draws and seeds, else the defaults. Changes are always
        stated against the case's ``baseline``; the study's lead (its first scenario) is
        the one whose fan charts, tornado charts and research priorities are shown.
    years
        Years of the summary table (default: five years after the start, and the horizon).
    progress
        Called as ``progress(steps_done, steps_total)`` after each projection, analysis
        and figure.
    reproduce
        The command that rebuilds the report, shown as such (default: none is shown; the
        settings are shown either way).
    brief
        Only the briefing: bottom line and judgements, the headline chart, the scenarios
        at a glance, the summary, the research priorities and the sources (no scenario
        details and no other figures), short enough to print on a few A4 pages.

    Returns
    -------
    str
        The HTML text. Built from the same folder with the same seeds, it is the same text.

    Raises
    ------
    InputError
        If a year is not projected, or is given twice (and, for a folder, as
        :class:`~recogmodel.Study` raises).
    """
    study = source if isinstance(source, Study) else Study(source)
    report = _prepare(study, years, progress, reproduce, brief)
    template = _environment().get_template("report.html.j2")
    from markupsafe import Markup

    from ..journal.track import track_record_html  # the "Track record" section, if any

    track = track_record_html(study.folder.path)
    shown = Markup(track) if track and not brief else None
    return template.render(report=report, track_record=shown, brief=brief)


def write_report(
    source: Study | CaseFolder | str | Path,
    path: str | Path,
    *,
    years: Sequence[int] | None = None,
    progress: Progress | None = None,
    reproduce: str | None = None,
    brief: bool = False,
) -> Path:
    """Build the report (see :func:`build_report`) and write it to ``path`` atomically.

    The page is rendered in full before anything is written, then written to a temporary
    file beside ``path`` and renamed into place: a reader never sees half a report, and a
    failed build leaves an existing report untouched.

    Parameters
    ----------
    source
        The study, or a case folder or its path (see :func:`build_report`).
    path
        Where to write the page.
    years, progress, reproduce, brief
        As for :func:`build_report`.

    Returns
    -------
    Path
        The path written.
    """
    html = build_report(source, years=years, progress=progress, reproduce=reproduce, brief=brief)
    return atomic_write(path, html)
