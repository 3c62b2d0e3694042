"""What the report's template receives: plain, typed, already formatted.

Every number here is already text, worded the way the page shows it, so the template only
lays things out. :class:`Report` is the whole page; the other classes are its parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Assumption",
    "Change",
    "Citation",
    "Figure",
    "FigureGroup",
    "Priority",
    "Range",
    "Ref",
    "Report",
    "Section",
    "Signpost",
    "Source",
    "SummaryRow",
    "Value",
]


@dataclass(frozen=True)
class Ref:
    """A citation of a source: its number in the sources list, its id and its title."""

    number: int
    id: str
    title: str


@dataclass(frozen=True)
class Range:
    """A median and the 90 % range around it."""

    median: str
    low: str
    high: str


@dataclass(frozen=True)
class SummaryRow:
    """One indicator in one year of the summary table, under every scenario."""

    indicator: str
    label: str
    unit: str
    baseline: str
    baseline_year: int | None
    """``None`` for a derived indicator, whose ``baseline`` shows its formula."""
    refs: list[Ref]
    year: int
    first: bool
    """Whether this is the indicator's first year (its label cell spans every year)."""
    cells: list[Range | None]
    """One per scenario; ``None`` where the scenario has no such indicator."""


@dataclass(frozen=True)
class Value:
    """An estimate as written and described back in plain numbers."""

    written: str
    described: str


@dataclass(frozen=True)
class Change:
    """One assumption (or other field) a scenario sets differently from the baseline."""

    label: str
    name: str
    kind: str
    """changed, added or removed."""
    before: Value | None
    after: Value | None


@dataclass(frozen=True)
class Assumption:
    """An assumption of the case with its value and, if rated, its support and rationale."""

    label: str
    name: str
    value: Value | None
    support: str | None
    rationale: str | None
    basis: str = "assumption"
    """``fact`` when a cited source states the number, else ``assumption``."""


@dataclass(frozen=True)
class Signpost:
    """A signpost of a scenario with its chance here and under the other scenarios."""

    label: str
    note: str | None
    here: str
    others: str
    diagnostic: bool
    """Whether it tells the scenarios apart."""
    tells: str = ""
    """What learning it would tell: its Bayes factor for this scenario and its bits."""
    points_away: str | None = None
    """The scenario it favours instead, when it points away from this one."""


@dataclass(frozen=True)
class Section:
    """One scenario: its narrative, what it changes, its signposts and the engine's notes."""

    name: str
    title: str
    is_reference: bool
    lineage: list[str]
    narrative: list[str]
    draws: int
    seed: int
    changes: list[Change]
    correlations: list[Change]
    key_assumptions: list[Assumption]
    assumptions: list[Assumption]
    signposts: list[Signpost]
    notes: list[str]
    chances: list[str] = field(default_factory=list)
    """Each event's chance as stated and what it means by the horizon."""


@dataclass(frozen=True)
class Figure:
    """A figure as inline SVG markup, with its id and caption."""

    id: str
    caption: str
    svg: str


@dataclass(frozen=True)
class FigureGroup:
    """Figures of one kind under one heading; a folded group opens on a click."""

    id: str
    title: str
    intro: str
    figures: list[Figure]
    folded: bool = False


@dataclass(frozen=True)
class Judgement:
    """A key judgement: its sentence, the confidence word, and what it rests on (labels)."""

    text: str
    confidence: str
    rests_on: list[str]


@dataclass(frozen=True)
class Glance:
    """One scenario at a glance: its title, one line of narrative, its signposts."""

    name: str
    title: str
    line: str | None
    signposts: list[str]


@dataclass(frozen=True)
class Priority:
    """One row of the research priorities."""

    rank: int
    label: str
    name: str
    indicator: str
    importance: str
    support: str | None
    score: str
    rationale: str | None


@dataclass(frozen=True)
class Citation:
    """A number of the case that cites a source."""

    label: str
    name: str
    kind: str
    """fact or assumption."""
    support: str | None
    only_in: list[str]
    """The titles of the scenarios it is cited in, if not all of them."""


@dataclass(frozen=True)
class Source:
    """A source of the case with every number that cites it."""

    number: int
    id: str
    title: str
    publisher: str | None
    author: str | None
    date: str | None
    url: str | None
    page: str | None
    note: str | None
    citations: list[Citation]


@dataclass(frozen=True)
class Report:
    """The whole page."""

    title: str
    case: str
    actor: str
    description: str | None
    start: int
    horizon: int
    years: list[int]
    folder: str
    """The case folder as given, or only its name when given as an absolute path."""
    draws: str
    sampling: str
    seeds: str
    version: str
    reproduce: str | None
    """The command that rebuilds the report, when the caller gave one."""
    scenarios: list[tuple[str, str]]
    reference: str
    summary: list[SummaryRow]
    sections: list[Section]
    figures: list[FigureGroup]
    priorities_scenario: str
    priorities_year: int
    priorities: list[Priority]
    priorities_more: int
    priorities_problem: str | None
    not_ranked: list[Assumption]
    sources: list[Source]
    bottom_line: str | None = None
    judgements: list[Judgement] = field(default_factory=list)
    headline: Figure | None = None
    glances: list[Glance] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    """Assumptions (weights, baselines, effects) the case gives no rationale for."""
