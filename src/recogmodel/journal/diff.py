"""What changed between two versions of a scenario, and how much of the change each edit made.

:func:`diff` lists the edits between an old and a new version of one scenario (two case
folders, or two journal entries) as dotted names (``indicators.bilateral_trade.drift``)
with old and new values, then attributes the change of each indicator's median and 90 %
range in chosen years to them: every edit is applied *on its own* to the old version, in
the order listed (sorted by name unless an order is given), and projected with the same
seed and draws as the old and the new version (common random numbers, so an edit that
does not touch a number leaves every draw as it was). An edit's effect is the change it
makes on its own; its share is that effect over the whole change; what the effects do not
add up to is the *interaction* remainder (edits that reinforce or offset each other).

Edits of words only (labels, notes, sources, narrative, signposts) are listed but not
projected: they move no number.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import projected_years, whole_number
from ..engine import project
from ..errors import InputError, Problem
from ..io.folder import CaseFolder, load_case
from ..model import Scenario
from ..text.numbers import default_years, format_value
from ..text.tables import text_table
from .file import JournalEntry

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from ..projection import Projection

__all__ = ["INTERACTION", "STATISTICS", "Attribution", "Diff", "Edit", "diff", "edits"]

#: The name of the interaction remainder in a diff's rows.
INTERACTION = "(interaction)"

#: The statistics attributed: the median, and the width of the central 90 % range.
STATISTICS = ("median", "range_90")

#: Keys whose edits change words, not numbers: listed, never projected.
_WORDS = frozenset(
    {
        "label", "description", "note", "rationale", "sources", "informed_by", "title",
        "narrative", "url", "publisher", "author", "date", "page", "signposts", "unit",
    }
)  # fmt: skip

#: Scenario keys that are not assumptions (the diff sets draws and seed itself).
_NOT_EDITS = frozenset({"name", "lineage", "draws", "seed"})

_Path = tuple[str, ...]


@dataclass(frozen=True)
class Edit:
    """One difference between the old and the new version: a dotted name, two values."""

    name: str
    """The dotted name, as a file writes it (``drivers.market_access.weight``)."""
    old: Any
    """The old value (``None``: not there)."""
    new: Any
    """The new value (``None``: removed)."""
    numeric: bool
    """Whether it can move a number (edits of words cannot)."""

    def __str__(self) -> str:
        return f"{self.name}: {_shown(self.old)} -> {_shown(self.new)}"


@dataclass(frozen=True)
class Attribution:
    """The change of one statistic of one indicator in one year, and one edit's part of it."""

    indicator: str
    year: int
    statistic: str
    """``"median"`` or ``"range_90"`` (the width of the central 90 % range)."""
    old: float
    new: float
    change: float
    edit: str
    """An edit's dotted name, or ``"(interaction)"``."""
    effect: float
    """The change this edit makes on its own (or the remainder)."""
    share: float | None
    """``effect / change`` (``None`` when nothing changed)."""


class Diff:
    """The edits between two versions of a scenario and their parts in the change.

    Parameters
    ----------
    scenario
        The scenario's name.
    edits
        Every edit, in the order they were applied.
    rows
        One row per indicator, year, statistic and edit (and the interaction).
    draws, seed
        The draws and the seed of every projection (common random numbers).
    """

    def __init__(
        self,
        scenario: str,
        edits: Sequence[Edit],
        rows: Sequence[Attribution],
        *,
        draws: int,
        seed: int,
    ) -> None:
        self.scenario = scenario
        self.edits = tuple(edits)
        self.rows = tuple(rows)
        self.draws = draws
        self.seed = seed

    def __repr__(self) -> str:
        return f"Diff({self.scenario!r}, edits={len(self.edits)}, rows={len(self.rows)})"

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows: indicator, year, statistic, old, new, change, edit, effect, share."""
        return [asdict(r) for r in self.rows]

    def share(
        self, edit: str, indicator: str, year: int, statistic: str = "median"
    ) -> float | None:
        """One edit's share of the change of one statistic.

        Parameters
        ----------
        edit
            An edit's dotted name, or ``"(interaction)"``.
        indicator, year, statistic
            Which change.

        Returns
        -------
        float or None
            ``None`` when the statistic did not change.
        """
        for r in self.rows:
            if (r.edit, r.indicator, r.year, r.statistic) == (edit, indicator, year, statistic):
                return r.share
        raise InputError(
            [Problem("edit", f"no row for {edit} on {indicator} {statistic} in {year}")]
        )

    def __str__(self) -> str:
        n = len(self.edits)
        lines = [f"{self.scenario}: {n} edit{'' if n == 1 else 's'}"]
        lines += [f"  {e}" + ("" if e.numeric else "  (words only)") for e in self.edits]
        head = ["indicator", "year", "statistic", "edit", "old", "new", "effect", "share"]
        body = [
            [
                r.indicator,
                str(r.year),
                r.statistic,
                r.edit,
                format_value(r.old),
                format_value(r.new),
                format_value(r.effect),
                "" if r.share is None else f"{r.share:.0%}",
            ]
            for r in self.rows
            if r.change != 0
        ]
        if body:
            lines += ["", *text_table(head, body, left=4)]
        lines.append(
            f"Each edit applied alone to the old version, in the order listed, with "
            f"{self.draws:,} draws and seed {self.seed} for every run (common random "
            f"numbers); the interaction is what the edits' effects do not add up to."
        )
        return "\n".join(lines)


def edits(old: Scenario, new: Scenario) -> list[Edit]:
    """Every difference between two versions of a scenario, sorted by dotted name.

    Parameters
    ----------
    old, new
        The two versions.

    Returns
    -------
    list of Edit
        Estimates, lists and correlations are compared whole.
    """
    a, b = _leaves(_dump(old)), _leaves(_dump(new))
    out = []
    for path in sorted(set(a) | set(b), key=_name):
        if a.get(path) != b.get(path):
            numeric = not (set(path) & _WORDS)
            out.append(Edit(_name(path), a.get(path), b.get(path), numeric))
    return out


def diff(
    old: CaseFolder | JournalEntry | Scenario | str | Path,
    new: CaseFolder | JournalEntry | Scenario | str | Path,
    *,
    scenario: str = "baseline",
    years: Sequence[int] | None = None,
    draws: int = 2000,
    seed: int | None = None,
    order: Sequence[str] | None = None,
) -> Diff:
    """What changed between two versions of a scenario, and each edit's part of the change.

    Parameters
    ----------
    old, new
        Case folders (or their paths), journal entries, or scenarios.
    scenario
        The scenario compared (when ``old`` and ``new`` hold several).
    years
        The years attributed (default: start + 5 and the horizon).
    draws
        Draws of every projection.
    seed
        Seed of every projection (default: the new version's seed, else 0).
    order
        The edits' dotted names in the order to apply them (default: sorted); edits not
        named follow in sorted order.

    Returns
    -------
    Diff
        ``to_rows()`` gives one row per indicator, year, statistic and edit, and the
        interaction remainder.

    Raises
    ------
    InputError
        If an edit applied alone does not give a valid scenario, or ``order`` names an
        edit there is not.
    """
    before, after = _version(old, scenario), _version(new, scenario)
    draws = whole_number("draws", draws)
    seed = whole_number("seed", seed if seed is not None else after.seed or 0, least=0)
    found = edits(before, after)
    found = _ordered(found, order)
    case = after.case
    chosen = projected_years(
        tuple(range(case.start, case.horizon + 1)),
        list(years) if years else default_years(case.start, case.horizon),
        name="years",
    )
    first, last = (project(s, draws=draws, seed=seed) for s in (before, after))
    alone: dict[str, Projection] = {}
    base = _leaves(_dump(before))
    for e in found:
        if e.numeric:
            alone[e.name] = project(_with(before, base, e), draws=draws, seed=seed)
    rows: list[Attribution] = []
    for k in first.indicators:
        if k not in last.indicators:
            continue
        for year in chosen:
            for stat in STATISTICS:
                v0, v1 = _statistic(first, k, year, stat), _statistic(last, k, year, stat)
                change = v1 - v0
                effects = {
                    name: (_statistic(p, k, year, stat) - v0 if k in p.indicators else 0.0)
                    for name, p in alone.items()
                }
                effects[INTERACTION] = change - sum(effects.values())
                for name, effect in effects.items():
                    share = None if change == 0 else effect / change
                    rows.append(Attribution(k, year, stat, v0, v1, change, name, effect, share))
    return Diff(after.name, found, rows, draws=draws, seed=seed)


def _version(source: CaseFolder | JournalEntry | Scenario | str | Path, name: str) -> Scenario:
    if isinstance(source, Scenario):
        return source
    if isinstance(source, JournalEntry):
        return source.scenario(name)
    folder = source if isinstance(source, CaseFolder) else load_case(source)
    return folder[name]


def _ordered(found: list[Edit], order: Sequence[str] | None) -> list[Edit]:
    if not order:
        return found
    by_name = {e.name: e for e in found}
    unknown = [n for n in order if n not in by_name]
    if unknown:
        raise InputError(
            [
                Problem(
                    "order",
                    f"{', '.join(unknown)} is not an edit; expected one of "
                    f"{', '.join(by_name) or '(none)'}",
                )
            ]
        )
    first = [by_name[n] for n in order]
    return first + [e for e in found if e.name not in order]


def _statistic(projection: Projection, indicator: str, year: int, statistic: str) -> float:
    values = projection.values(indicator)[:, projection.year_index(year)]
    if statistic == "median":
        return float(np.median(values))
    low, high = np.quantile(values, [0.05, 0.95])
    return float(high - low)


def _dump(scenario: Scenario) -> dict[str, Any]:
    """A scenario as data: its case's keys at the top, its correlations and signposts
    beside them, its own title and narrative under ``scenario``.
    """
    own = scenario.model_dump(mode="json", exclude={"case", *_NOT_EDITS})
    data: dict[str, Any] = scenario.case.model_dump(mode="json")
    data["correlations"] = own.pop("correlations")
    data["signposts"] = own.pop("signposts")
    data["scenario"] = own
    return data


def _leaves(data: Any, path: _Path = ()) -> dict[_Path, Any]:
    """Every leaf of nested mappings by its path; estimates and lists are leaves."""
    if isinstance(data, dict) and "dist" not in data:
        out: dict[_Path, Any] = {}
        for key, value in data.items():
            out.update(_leaves(value, (*path, str(key))))
        return out if out or not path else {path: {}}
    return {path: data}


def _with(scenario: Scenario, base: Mapping[_Path, Any], edit: Edit) -> Scenario:
    """The old version with one edit applied."""
    data = _dump(scenario)
    path = tuple(edit.name.split("."))
    if path not in base and edit.old is not None:  # pragma: no cover - names from _leaves
        raise InputError([Problem(edit.name, "is not a field of the old version")])
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if edit.new is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = copy.deepcopy(edit.new)
    own = data.pop("scenario")
    own.update(correlations=data.pop("correlations", []), signposts=data.pop("signposts", []))
    try:
        return Scenario.model_validate(
            {"name": scenario.name, "lineage": scenario.lineage, "case": data, **own}
        )
    except (ValueError, InputError) as exc:
        raise InputError(
            [Problem(edit.name, f"applied on its own, it does not give a valid scenario: {exc}")]
        ) from None


def _name(path: _Path) -> str:
    return ".".join(path)


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict) and "low" in value and "high" in value:
        return f"{value['low']:g} to {value['high']:g} ({value['dist']})"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
