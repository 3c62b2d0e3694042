"""One HTML file that carries a whole analysis, for readers who will not run Python.

:func:`build_report` projects the scenarios of a case folder, analyses them and renders,
in reading order: the case's title, actor, years, draws, seeds and library version; a
summary table (every indicator's sourced baseline, and its median and 90 % range under
every scenario in the chosen years); per scenario its narrative, what it changes from the
baseline (each estimate described back in plain numbers) and its signposts with their
probabilities; the figures (a comparison per indicator, fan charts, driver weights,
tornado charts, the signpost matrix); the research priorities; and every source with the
numbers that cite it. :func:`write_report` writes it atomically.

The file is self-contained: figures are inline SVG whose text stays text (selectable,
searchable, printed sharp), styles sit in one ``<style>`` element, and there is no script,
no web font and no remote resource of any kind; a Content Security Policy in the page
forbids them too. It is rendered by Jinja2 with autoescaping, so a narrative that contains
markup shows as text; the only markup passed through unescaped is the SVG matplotlib
writes, whose own text matplotlib escapes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined

from .._files import atomic_write
from ..analysis import Priorities, SignpostTable, priorities, sensitivity, signposts
from ..engine import project
from ..errors import InputError, Problem
from ..io.folder import CaseFolder, load_case
from ..model.estimates import (
    BetaEstimate,
    EstimateBase,
    FixedEstimate,
    LognormalEstimate,
    MixtureEstimate,
    NormalEstimate,
    PertEstimate,
    TriangularEstimate,
    UniformEstimate,
    WordEstimate,
)
from ..projection import Projection, library_version
from ..text.numbers import default_years, format_value, is_share

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from ..model import Case, Parameter, Scenario

__all__ = ["DEFAULT_DRAWS", "TORNADOES", "build_report", "write_report"]

#: Draws per scenario when neither the call nor ``draws`` says otherwise: enough for
#: stable medians and 90 % ranges, few enough that the shipped case builds in seconds.
DEFAULT_DRAWS = 5_000
#: Tornado charts drawn: one for each of the indicators behind the top research priorities.
TORNADOES = 3
#: Research priorities listed.
PRIORITIES = 10

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------
# What the template receives: plain, typed, already formatted.


@dataclass(frozen=True)
class _Ref:
    """A citation of a source: its number in the sources list, its id and its title."""

    number: int
    id: str
    title: str


@dataclass(frozen=True)
class _Range:
    median: str
    low: str
    high: str


@dataclass(frozen=True)
class _SummaryRow:
    indicator: str
    label: str
    unit: str
    baseline: str
    baseline_year: int
    refs: list[_Ref]
    year: int
    first: bool
    """Whether this is the indicator's first year (its label cell spans every year)."""
    cells: list[_Range | None]


@dataclass(frozen=True)
class _Value:
    """An estimate as written and described back in plain numbers."""

    written: str
    described: str


@dataclass(frozen=True)
class _Change:
    label: str
    name: str
    kind: str
    """changed, added or removed."""
    before: _Value | None
    after: _Value | None


@dataclass(frozen=True)
class _Assumption:
    label: str
    name: str
    value: _Value | None
    support: str | None
    rationale: str | None


@dataclass(frozen=True)
class _Signpost:
    label: str
    note: str | None
    here: str
    others: str
    diagnostic: bool


@dataclass(frozen=True)
class _Section:
    name: str
    title: str
    is_reference: bool
    lineage: list[str]
    narrative: list[str]
    draws: int
    seed: int
    changes: list[_Change]
    correlations: list[_Change]
    key_assumptions: list[_Assumption]
    assumptions: list[_Assumption]
    signposts: list[_Signpost]
    notes: list[str]


@dataclass(frozen=True)
class _Figure:
    id: str
    caption: str
    svg: str


@dataclass(frozen=True)
class _FigureGroup:
    id: str
    title: str
    intro: str
    figures: list[_Figure]


@dataclass(frozen=True)
class _Priority:
    rank: int
    label: str
    name: str
    indicator: str
    importance: str
    support: str | None
    score: str
    rationale: str | None


@dataclass(frozen=True)
class _Citation:
    label: str
    name: str
    kind: str
    """fact or assumption."""
    support: str | None
    only_in: list[str]


@dataclass(frozen=True)
class _Source:
    number: int
    id: str
    title: str
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    page: str | None
    note: str | None
    citations: list[_Citation]


@dataclass(frozen=True)
class _Report:
    title: str
    case: str
    actor: str
    description: str | None
    start: int
    horizon: int
    years: list[int]
    draws: str
    seeds: str
    version: str
    reproduce: list[str]
    """The command that rebuilds the report, in parts that should not be broken."""
    scenarios: list[tuple[str, str]]
    reference: str
    summary: list[_SummaryRow]
    sections: list[_Section]
    figures: list[_FigureGroup]
    priorities_scenario: str
    priorities_year: int
    priorities: list[_Priority]
    priorities_more: int
    priorities_problem: str | None
    not_ranked: list[_Assumption]
    sources: list[_Source]


# ---------------------------------------------------------------------------------------
# Numbers and estimates in words.


def _number(value: float) -> str:
    """A plain number in at most four significant digits, thousands separated."""
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞" if value < 0 else "n/a"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:.2e}"
    return text.replace("-", "−")


def _percent(value: float) -> str:
    return format_value(value, "share").replace("-", "−")


def _formatter(param: Parameter, case: Case) -> Callable[[float], str]:
    """How the numbers of one assumption read best: probabilities and shares as percentages,
    baselines in their indicator's unit, everything else as plain numbers.
    """
    if param.role == "probability":
        return _percent
    if param.role == "baseline":
        ind = case.indicators[param.keys[0]]
        if is_share(ind.unit, ind.scale):
            return _percent
        return lambda v: format_value(v, ind.unit, ind.scale)
    return _number


def _written(est: EstimateBase, fmt: Callable[[float], str]) -> str:
    """An estimate the way an analyst would write it."""
    if isinstance(est, FixedEstimate):
        return fmt(est.value)
    if isinstance(est, LognormalEstimate | NormalEstimate):
        family = "lognormal" if isinstance(est, LognormalEstimate) else "normal"
        implied = "lognormal" if est.low > 0 and est.high > 0 else "normal"
        text = f"{fmt(est.low)} to {fmt(est.high)}"
        notes = [] if family == implied else [family]
        if est.ci != 0.9:
            notes.append(f"{est.ci * 100:.3g} % range")
        return f"{text} ({', '.join(notes)})" if notes else text
    if isinstance(est, UniformEstimate):
        return f"uniform, {fmt(est.low)} to {fmt(est.high)}"
    if isinstance(est, PertEstimate | TriangularEstimate):
        family = "PERT" if isinstance(est, PertEstimate) else "triangular"
        return f"{family}: {fmt(est.low)}, most likely {fmt(est.mode)}, up to {fmt(est.high)}"
    if isinstance(est, BetaEstimate):
        return f"beta({est.alpha:g}, {est.beta:g}) over {fmt(est.low)} to {fmt(est.high)}"
    if isinstance(est, WordEstimate):
        low, high = est.band
        return f"“{est.word}” ({_percent(low)} to {_percent(high)})"
    if isinstance(est, MixtureEstimate):
        parts = " and ".join(_written(c, fmt) for c in est.components)
        weights = ":".join(f"{w:g}" for w in est.weights)
        return f"a mix of {parts} (weights {weights})"
    low, high = est.stated_range()  # pragma: no cover - every family is handled above
    return f"{fmt(low)} to {fmt(high)}"


def _described(est: EstimateBase, fmt: Callable[[float], str]) -> str:
    """An estimate described back in plain numbers (:meth:`describe`): what was fitted."""
    d = est.describe()
    if d.p05 == d.p95:
        return "" if est.is_fixed else f"always {fmt(d.median)}"
    scale = max(abs(d.median), abs(d.mean), abs(d.p05), abs(d.p95))

    def shown(v: float) -> str:  # -5e-18 is 0 written by floating point
        return fmt(0.0 if abs(v) < 1e-9 * scale else v)

    return (
        f"median {shown(d.median)}, mean {shown(d.mean)}; "
        f"90 % between {shown(d.p05)} and {shown(d.p95)}"
    )


def _value(param: Parameter, case: Case) -> _Value:
    fmt = _formatter(param, case)
    return _Value(_written(param.estimate, fmt), _described(param.estimate, fmt))


def _assumption_labels(names: Sequence[str], case: Case) -> dict[str, str]:
    from ..plot._all import assumption_labels as labels  # the plots' wording, kept as one

    return labels(names, case)


def _probability(p: float) -> str:
    """A probability in whole percent, never rounded to a certainty it is not."""
    if 0 < p < 0.005:
        return "<1 %"
    if 0.995 <= p < 1:
        return ">99 %"
    return f"{p * 100:.0f} %"


# ---------------------------------------------------------------------------------------
# What a scenario changes from the baseline.

_GROUPS = {"drivers": "driver", "indicators": "indicator", "events": "event"}


def _entity_label(case: Case, group: str, key: str) -> str:
    found: dict[str, Any] = getattr(case, group)
    item = found.get(key)
    return item.label if item is not None else key.replace("_", " ")


def _flatten(data: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves of dumped case data by path; estimates (mappings with ``dist``) are leaves."""
    if isinstance(data, dict) and "dist" not in data:
        out: dict[tuple[str, ...], Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, (*path, str(k))))
        return out
    return {path: data}


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def _entity(case: Case, group: str, key: str) -> str:
    """A driver, indicator or event a scenario adds (or drops), in a few words."""
    item = getattr(case, group)[key]
    if group == "events":
        if item.year is not None:
            return f"happens in {item.year} (with the probability below)"
        return "may happen every year" + (", again and again" if item.recurring else ", once")
    if group == "indicators":
        return f"measured in {item.unit} ({item.scale} scale), baseline in {item.baseline.year}"
    return "an interest of the actor, with the weight and intensity below"


def _changes(reference: Case, case: Case) -> list[_Change]:
    """Every assumption of ``case`` that differs from ``reference``, in the case's order.

    A driver, indicator or event the scenario adds (or drops) is one row, followed by a row
    for each of its numbers; any other field that differs (an event's year, a bound, a
    unit) is one row with the two values.
    """
    whole: dict[tuple[str, str], _Change] = {}
    for group, noun in _GROUPS.items():
        ref_items: dict[str, Any] = getattr(reference, group)
        items: dict[str, Any] = getattr(case, group)
        for key in items:
            if key not in ref_items:
                text = _Value(_entity(case, group, key), "")
                label = f"New {noun}: {items[key].label}"
                whole[(group, key)] = _Change(label, f"{group}.{key}", "added", None, text)
        for key in ref_items:
            if key not in items:
                text = _Value(_entity(reference, group, key), "")
                label = f"Dropped {noun}: {ref_items[key].label}"
                whole[(group, key)] = _Change(label, f"{group}.{key}", "removed", text, None)
    out: list[_Change] = []
    shown: set[tuple[str, str]] = set()
    ref_params = {p.name: p for p in reference.parameters()}
    params = {p.name: p for p in case.parameters()}
    labels = _assumption_labels(list(ref_params), reference)
    labels.update(_assumption_labels(list(params), case))
    estimate_paths: set[tuple[str, ...]] = set()
    for name in [*params, *(n for n in ref_params if n not in params)]:
        parts = name.split(".")
        is_effect = parts[0] == "drivers" and parts[2] == "effects"
        estimate_paths.add((*parts, "size") if is_effect else tuple(parts))
        old, new = ref_params.get(name), params.get(name)
        if old is not None and new is not None and old.estimate == new.estimate:
            continue
        owner = (parts[0], parts[1])
        if owner in whole and owner not in shown:
            out.append(whole[owner])
            shown.add(owner)
        kind = "changed" if old is not None and new is not None else "added" if new else "removed"
        out.append(
            _Change(
                labels[name],
                name,
                kind,
                None if old is None else _value(old, reference),
                None if new is None else _value(new, case),
            )
        )
    out += [change for owner, change in whole.items() if owner not in shown]
    # Everything else a scenario may set: event years, bounds, labels, units, start...
    before = _flatten(reference.model_dump(mode="json", exclude={"key_assumptions"}))
    after = _flatten(case.model_dump(mode="json", exclude={"key_assumptions"}))
    for path in [*after, *(p for p in before if p not in after)]:
        if path in estimate_paths or (len(path) > 1 and (path[0], path[1]) in whole):
            continue
        if path[0] == "sources" or "sources" in path or path[-1] in ("note", "description"):
            continue  # texts about a number, not the number; sources are listed at the end
        if before.get(path) == after.get(path):
            continue
        if path[0] in _GROUPS and len(path) > 2:
            where = _entity_label(case if path in after else reference, path[0], path[1])
            label = f"{where}: {' · '.join(p.replace('_', ' ') for p in path[2:])}"
        else:
            label = " · ".join(p.replace("_", " ") for p in path)
        old_text = _Value(_plain(before[path]), "") if path in before else None
        new_text = _Value(_plain(after[path]), "") if path in after else None
        kind = "changed" if old_text and new_text else "added" if new_text else "removed"
        out.append(_Change(label, ".".join(path), kind, old_text, new_text))
    return out


def _correlation_changes(reference: Scenario, scenario: Scenario) -> list[_Change]:
    def pairs(s: Scenario) -> dict[tuple[str, str], float]:
        return {tuple(sorted(c.between)): c.rho for c in s.correlations}  # type: ignore[misc]

    old, new = pairs(reference), pairs(scenario)
    names = sorted({n for pair in [*old, *new] for n in pair})
    labels = _assumption_labels(names, scenario.case)
    for name, label in _assumption_labels(names, reference.case).items():
        labels.setdefault(name, label)
    out = []
    for pair in [*new, *(p for p in old if p not in new)]:
        if old.get(pair) == new.get(pair):
            continue
        kind = "changed" if pair in old and pair in new else "added" if pair in new else "removed"
        out.append(
            _Change(
                f"{labels[pair[0]]} ~ {labels[pair[1]]}",
                f"{pair[0]} ~ {pair[1]}",
                kind,
                None if pair not in old else _Value(f"ρ = {old[pair]:+.2f}", ""),
                None if pair not in new else _Value(f"ρ = {new[pair]:+.2f}", ""),
            )
        )
    return out


def _assumptions(case: Case, names: Sequence[str]) -> list[_Assumption]:
    params = {p.name: p for p in case.parameters()}
    labels = _assumption_labels([n for n in names if n in params], case)
    out = []
    for name in names:
        rating = case.key_assumptions.get(name)
        param = params.get(name)
        out.append(
            _Assumption(
                labels.get(name, name.replace("_", " ").capitalize()),
                name,
                None if param is None else _value(param, case),
                None if rating is None else rating.support,
                None if rating is None else " ".join(rating.rationale.split()),
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Signposts, priorities, sources.


def _signpost_label(case: Case, indicator: str, side: str, value: float, by: int) -> str:
    ind = case.indicators[indicator]
    unit = "" if is_share(ind.unit, ind.scale) or not ind.unit else f" {ind.unit}"
    return f"{ind.label} {side} {format_value(value, ind.unit, ind.scale)}{unit} by {by}"


def _signposts(table: SignpostTable, scenario: Scenario, titles: dict[str, str]) -> list[_Signpost]:
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
            low, high = min(others), max(others)
            if _probability(low[0]) == _probability(high[0]):
                spread = f"{_probability(low[0])} under each"
            else:
                spread = (
                    f"from {_probability(low[0])} ({low[1]}) to {_probability(high[0])} ({high[1]})"
                )
        side = "above" if row.above is not None else "below"
        out.append(
            _Signpost(
                _signpost_label(scenario.case, row.indicator, side, row.threshold, row.by),
                row.note,
                _probability(float(table.probability[i, j])),
                spread,
                not bool(table.non_diagnostic[i]),
            )
        )
    return out


def _citation(case: Case, name: str) -> tuple[str, str, str | None]:
    """A citing number's label, whether it is a fact or an assumption, and its rating."""
    parts = name.split(".")
    ratings = case.key_assumptions
    if parts[0] == "drivers":
        driver = case.drivers[parts[1]]
        if len(parts) == 2:
            rating = ratings.get(f"drivers.{parts[1]}.weight")
            return (
                f"Driver: {driver.label} (its weight and intensity)",
                "assumption",
                (rating.support if rating else None),
            )
        ind = case.indicators[parts[3]]
        rating = ratings.get(name)
        return (
            f"Effect of “{driver.label}” on {ind.label}",
            "assumption",
            (rating.support if rating else None),
        )
    if parts[0] == "indicators":
        ind = case.indicators[parts[1]]
        if parts[2] == "history":
            year = int(parts[3])
            point = ind.history[year]
            unit = "" if is_share(ind.unit, ind.scale) else f" {ind.unit}"
            shown = format_value(point.value, ind.unit, ind.scale)
            return f"{ind.label}, observed in {year}: {shown}{unit}", "fact", None
        base = ind.baseline
        fmt = _percent if is_share(ind.unit, ind.scale) else _number
        rating = ratings.get(f"indicators.{parts[1]}.baseline.value")
        support = rating.support if rating else None
        judged = support == "unsupported" or "assumption" in (base.note or "").lower()
        unit = "" if is_share(ind.unit, ind.scale) else f" {ind.unit}"
        return (
            f"{ind.label}, baseline {base.year}: {_written(base.value, fmt)}{unit}",
            "assumption" if judged else "fact",
            support,
        )
    event = case.events[parts[1]]
    rating = ratings.get(f"events.{parts[1]}.probability")
    return f"Event: {event.label}", "assumption", rating.support if rating else None


def _sources(projections: Sequence[Projection], titles: dict[str, str]) -> list[_Source]:
    """Every source of the scenarios in the report, each with the numbers citing it."""
    everywhere = [p.name for p in projections]
    order: dict[str, tuple[Case, Any]] = {}
    cited: dict[str, dict[str, tuple[Case, list[str]]]] = {}
    for proj in projections:
        case = proj.scenario.case
        for sid, source in case.sources.items():
            order.setdefault(sid, (case, source))
        for sid, names in case.sources_cited().items():
            for name in names:
                held = cited.setdefault(sid, {}).setdefault(name, (case, []))
                held[1].append(proj.name)
    out = []
    for number, (sid, (_case, source)) in enumerate(order.items(), start=1):
        citations = []
        for name, (case, where) in cited.get(sid, {}).items():
            label, kind, support = _citation(case, name)
            only = [] if where == everywhere else [titles[w] for w in where]
            citations.append(_Citation(label, name, kind, support, only))
        out.append(
            _Source(
                number,
                sid,
                source.title,
                source.publisher,
                source.author,
                source.date,
                source.url,
                source.page,
                " ".join(source.note.split()) if source.note else None,
                citations,
            )
        )
    return out


def _priorities(result: Priorities, case: Case) -> tuple[list[_Priority], int, list[_Assumption]]:
    shown = [r for r in result.rows if r.influential][:PRIORITIES]
    labels = _assumption_labels([r.assumption for r in shown], case)
    rows = [
        _Priority(
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
    not_ranked = _assumptions(case, [name for name, _, _ in result.not_sampled])
    return rows, len(result.rows) - len(shown), not_ranked


# ---------------------------------------------------------------------------------------
# Figures as inline SVG.

_ID = re.compile(r'(?<=\s)id="([^"]*)"')
_REF = re.compile(r'(url\(#|href="#)([^")]*)')
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")
_SVG_STYLE = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)
_EMPTY_DEFS = re.compile(r"\s*<defs>\s*</defs>")


def _svg(figure: Figure | SubFigure | Axes, prefix: str, label: str) -> str:
    """A figure as SVG markup to inline in HTML: text kept as text, ids unique to the page.

    matplotlib numbers its ids per figure (``patch_1``, ``axes_1``) and repeats gids, so
    two figures on one page would share ids and one figure's clip paths could clip
    another's; every id (and every reference to one) gets the figure's prefix. The XML
    prolog and DOCTYPE go, and so does matplotlib's ``<style>`` (its rule would apply to
    the whole page; the report's stylesheet scopes it to figures).
    """
    from ..plot._all import render

    text = render(figure, "svg", text_as_text=True, salt=prefix).decode("utf-8")
    text = text[text.index("<svg") :]
    text = _EMPTY_DEFS.sub("", _SVG_STYLE.sub("", text, count=1), count=1)
    seen: dict[str, str] = {}
    used: set[str] = set()

    def rename(match: re.Match[str]) -> str:
        old = match.group(1)
        base = f"{prefix}-{_UNSAFE_ID.sub('_', old)}"
        new, n = base, 1
        while new in used:
            n += 1
            new = f"{base}-{n}"
        used.add(new)
        seen.setdefault(old, new)
        return f'id="{new}"'

    text = _ID.sub(rename, text)
    text = _REF.sub(lambda m: m.group(1) + seen.get(m.group(2), m.group(2)), text)
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1).strip()


# ---------------------------------------------------------------------------------------
# Building the report.


def _choose(folder: CaseFolder, scenarios: Sequence[str] | None) -> list[Scenario]:
    names = list(scenarios) if scenarios else list(folder)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(
            [
                Problem(
                    "scenarios", f"names {', '.join(repeated)} more than once; expected each once"
                )
            ]
        )
    return [folder[n] for n in names]


def _check_years(years: Sequence[int], projections: Sequence[Projection]) -> list[int]:
    first, last = projections[0].years[0], projections[0].years[-1]
    problems = [
        Problem("years", f"{y} is outside the projection {first}..{last}")
        for y in years
        if any(y not in p.years for p in projections)
    ]
    if not years:
        problems.append(Problem("years", "expected at least one year"))
    if problems:
        raise InputError(problems)
    return sorted(set(years))


def _summary(
    projections: Sequence[Projection],
    reference: Case,
    years: Sequence[int],
    sources: Sequence[_Source],
) -> list[_SummaryRow]:
    numbers = {s.id: _Ref(s.number, s.id, s.title) for s in sources}
    summaries = {(p.name, y): p.summary(y) for p in projections for y in years}
    rows = []
    for k in projections[0].indicators:
        ind = reference.indicators.get(k) or projections[0].indicator(k)
        fmt = _percent if is_share(ind.unit, ind.scale) else _number
        value = ind.baseline.value
        if value.is_fixed:
            baseline = fmt(float(value.ppf(0.5)))
        else:
            d = value.describe()
            baseline = f"{fmt(d.median)} ({fmt(d.p05)} – {fmt(d.p95)})"
        refs = [numbers[s] for s in ind.baseline.sources if s in numbers]
        for i, year in enumerate(years):
            cells: list[_Range | None] = []
            for proj in projections:
                if k not in proj.indicators:
                    cells.append(None)
                    continue
                r = summaries[(proj.name, year)][k]
                cells.append(_Range(r.formatted(r.median), r.formatted(r.low), r.formatted(r.high)))
            rows.append(
                _SummaryRow(
                    k,
                    ind.label,
                    "" if is_share(ind.unit, ind.scale) else ind.unit,
                    baseline,
                    ind.baseline.year,
                    refs,
                    year,
                    i == 0,
                    cells,
                )
            )
    return rows


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


def _figures(
    projections: Sequence[Projection],
    table: SignpostTable,
    tornado_indicators: Sequence[str],
    step: _Steps,
) -> list[_FigureGroup]:
    from .. import plot

    first = projections[0]
    indicators = first.indicators
    labels = {k: first.indicator(k).label for k in indicators}
    groups = []

    def figure(fid: str, caption: str, drawn: Figure | Axes) -> _Figure:
        svg = _svg(drawn, fid, caption)
        step()
        return _Figure(fid, caption, svg)

    compare = [
        figure(
            f"fig-compare-{k}",
            f"{labels[k]} under every scenario: medians by year, and 90 % ranges in "
            f"{first.years[-1]} (bars on the right).",
            plot.compare([p for p in projections if k in p.indicators], k),
        )
        for k in indicators
    ]
    groups.append(
        _FigureGroup(
            "figures-compare",
            "Each indicator, scenario by scenario",
            "One chart per indicator: each scenario's median year by year, and the range "
            "that holds 90 % of its draws in the last year. Black diamonds mark the sourced "
            "baselines.",
            compare,
        )
    )
    fans = [
        figure(
            f"fig-fan-{k}",
            f"{labels[k]} under “{first.scenario.title}”: median and 50, 80 and 90 % ranges.",
            plot.fan_chart(first, k),
        )
        for k in indicators
    ]
    groups.append(
        _FigureGroup(
            "figures-fans",
            f"Fan charts: “{first.scenario.title}”",
            "How wide the range of each indicator grows, year by year, under "
            f"“{first.scenario.title}”: the darker the band, the more of the draws it holds. "
            "Dashed orange lines are the scenario's signposts.",
            fans,
        )
    )
    groups.append(
        _FigureGroup(
            "figures-weights",
            "What each scenario assumes the actor cares about",
            "Each driver's weight after normalisation (the shares sum to 1 in every draw): "
            "the marker is the median, the thick bar the middle 50 % and the thin bar 90 %.",
            [
                figure(
                    "fig-driver-weights",
                    "Normalised driver weights, by scenario.",
                    plot.driver_weights(projections),
                )
            ],
        )
    )
    tornadoes = []
    for k in tornado_indicators:
        result = sensitivity(first, k, first.years[-1])
        tornadoes.append(
            figure(
                f"fig-tornado-{k}",
                f"{labels[k]}: what drives its range in {first.years[-1]} under "
                f"“{first.scenario.title}”.",
                plot.tornado(result, proj=first),
            )
        )
    if tornadoes:
        groups.append(
            _FigureGroup(
                "figures-tornado",
                "What drives the ranges",
                "For the indicators behind the top research priorities: each bar runs from "
                "the indicator's median when an assumption is in its bottom tenth of draws to "
                "its median when it is in its top tenth. Grey hatched bars are no larger than "
                "noise.",
                tornadoes,
            )
        )
    groups.append(
        _FigureGroup(
            "figures-signposts",
            "Which signposts tell the scenarios apart",
            "The probability that each signpost is reached by its year, under each scenario. "
            "A signpost about equally likely everywhere would not say which future is "
            "unfolding.",
            [
                figure(
                    "fig-signpost-matrix",
                    "Signposts by scenario: probability of being reached by their year.",
                    plot.signpost_matrix(table, projections=projections),
                )
            ],
        )
    )
    return groups


def _prepare(
    folder: CaseFolder,
    scenarios: Sequence[str] | None,
    draws: int | None,
    seed: int | None,
    years: Sequence[int] | None,
    progress: Progress | None,
) -> _Report:
    chosen = _choose(folder, scenarios)
    reference = folder["baseline"]
    n_ind = len(chosen[0].case.indicators)
    step = _Steps(len(chosen) * 2 + 2 * n_ind + 3 + TORNADOES, progress)
    # Scenarios without a seed of their own share one fresh seed, so that a report built
    # without --seed can usually be rebuilt with a single one (it is printed in the header).
    fresh = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    projections = []
    for scenario in chosen:
        own = seed if seed is not None else scenario.seed if scenario.seed is not None else fresh
        projections.append(
            project(scenario, draws=DEFAULT_DRAWS if draws is None else draws, seed=own)
        )
        step()
    first = projections[0]
    case = first.scenario.case
    shown_years = _check_years(
        list(years) if years else default_years(first.years[0], first.years[-1]), projections
    )
    titles = {p.name: p.scenario.title for p in projections}
    table = signposts(projections)

    problem = None
    rows: list[_Priority] = []
    more = 0
    not_ranked: list[_Assumption] = []
    tornado_indicators: list[str] = []
    try:
        result = priorities(first)
    except InputError as exc:
        problem = "; ".join(p.message for p in exc.problems)
    else:
        rows, more, not_ranked = _priorities(result, case)
        for r in result.rows:
            if r.influential and r.indicator not in tornado_indicators:
                tornado_indicators.append(r.indicator)
        tornado_indicators = tornado_indicators[:TORNADOES]
    step()

    sections = []
    for proj in projections:
        scenario = proj.scenario
        is_reference = scenario.name == reference.name
        narrative = [
            " ".join(part.split())
            for part in re.split(r"\n\s*\n", scenario.narrative or "")
            if part.strip()
        ]
        sections.append(
            _Section(
                scenario.name,
                scenario.title,
                is_reference,
                [titles.get(n, n) for n in scenario.lineage],
                narrative,
                proj.draws,
                proj.seed,
                [] if is_reference else _changes(reference.case, scenario.case),
                [] if is_reference else _correlation_changes(reference, scenario),
                _assumptions(scenario.case, list(scenario.case.key_assumptions))
                if is_reference
                else [],
                _assumptions(scenario.case, [p.name for p in scenario.case.parameters()])
                if is_reference
                else [],
                _signposts(table, scenario, titles),
                [note for note in proj.diagnostics.notes() if not note.startswith("correlation ")],
            )
        )
        step()

    sources = _sources(projections, titles)
    figures = _figures(projections, table, tornado_indicators, step)
    step.finish()
    seeds = sorted({p.seed for p in projections})
    draw_counts = sorted({p.draws for p in projections})
    where = folder.path if not folder.path.is_absolute() else Path(folder.path.name)
    command = ["recogmodel", "report", where.as_posix()]
    if scenarios:
        command += [f"--scenario {s.name}" for s in chosen]
    command.append(f"--draws {draw_counts[0]}")
    if len(seeds) == 1:
        command.append(f"--seed {seeds[0]}")
    if years:
        command.append("--years " + ",".join(str(y) for y in shown_years))
    command.append("-o report.html")
    if len(seeds) > 1:
        command.append("(seeds differ by scenario; each is given with its scenario)")
    return _Report(
        title=case.title,
        case=case.case,
        actor=case.actor,
        description=" ".join(case.description.split()) if case.description else None,
        start=first.years[0],
        horizon=first.years[-1],
        years=shown_years,
        draws=", ".join(f"{d:,}" for d in draw_counts),
        seeds=str(seeds[0])
        if len(seeds) == 1
        else "; ".join(f"{p.scenario.title}: {p.seed}" for p in projections),
        version=library_version(),
        reproduce=command,
        scenarios=[(p.name, p.scenario.title) for p in projections],
        reference=reference.title,
        summary=_summary(projections, reference.case, shown_years, sources),
        sections=sections,
        figures=figures,
        priorities_scenario=first.scenario.title,
        priorities_year=first.years[-1],
        priorities=rows,
        priorities_more=more,
        priorities_problem=problem,
        not_ranked=not_ranked,
        sources=sources,
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
    folder: CaseFolder | str | Path,
    *,
    scenarios: Sequence[str] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    years: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> str:
    """The whole analysis of a case folder as one self-contained HTML page.

    Parameters
    ----------
    folder
        A case folder, loaded (:func:`~recogmodel.load_case`) or its path.
    scenarios
        The scenarios to report, in order (default: all, ``baseline`` first). Changes are
        always stated against the case's ``baseline``; the first scenario given is the one
        whose fan charts, tornado charts and research priorities are shown.
    draws
        Draws per scenario (default :data:`DEFAULT_DRAWS`, whatever the scenario files say,
        so a report builds in seconds).
    seed
        Seed for every scenario (default: each scenario's own, else fresh entropy; the
        seeds used are printed in the report, so it can be rebuilt exactly).
    years
        Years of the summary table (default: five years after the start, and the horizon).
    progress
        Called as ``progress(steps_done, steps_total)`` after each projection, analysis
        and figure.

    Returns
    -------
    str
        The HTML text. Built from the same folder with the same seeds, it is the same text.

    Raises
    ------
    InputError
        If a scenario is unknown or named twice, a year is outside the projection, or the
        draws or seed are not valid.
    """
    if not isinstance(folder, CaseFolder):
        folder = load_case(folder)
    report = _prepare(folder, scenarios, draws, seed, years, progress)
    template = _environment().get_template("report.html.j2")
    return template.render(report=report)


def write_report(
    path: str | Path,
    folder: CaseFolder | str | Path,
    *,
    scenarios: Sequence[str] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    years: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the report (see :func:`build_report`) and write it to ``path`` atomically.

    The page is rendered in full before anything is written, then written to a temporary
    file beside ``path`` and renamed into place: a reader never sees half a report, and a
    failed build leaves an existing report untouched.
    """
    html = build_report(
        folder, scenarios=scenarios, draws=draws, seed=seed, years=years, progress=progress
    )
    return atomic_write(path, html)
