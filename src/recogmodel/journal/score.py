"""Scoring recorded forecasts once the world has answered.

Every entry of a journal is scored on every observed (indicator, year) it forecast, under
each scenario and under their *mixture* weighted by the entry's recorded weights. All
scores come from ``scoringrules`` (lower is better):

- CRPS of the recorded sample (``crps_ensemble``; the mixture's members weighted);
- interval scores of the recorded central 50 % and 90 % ranges (``interval_score``,
  alpha 0.5 and 0.1), and whether the observation fell inside each (coverage);
- Brier and log scores of the signposts decided by the observations (``brier_score``,
  ``log_score``; probabilities kept within half a draw of 0 and 1 so a log score is finite).

Skill compares the CRPS with two references: *persistence*, no change from the last value
known before the target year (the case's baseline or history, or an earlier observation),
and the *drift-only* model recorded with the entry (the scenario without drivers and
events). Skill is ``1 - CRPS / CRPS of the reference``, on means over the scored cells.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._files import atomic_write
from ..errors import InputError, Problem
from ..io.observations import as_observations, read_observations
from ..text.numbers import format_value
from ..text.tables import text_table
from .file import Journal, read_journal

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from ..io.folder import CaseFolder
    from ..io.observations import Observation, ObservationLike
    from .file import JournalEntry

__all__ = ["MIXTURE", "ScoreRow", "Scores", "SignpostScore", "forecast_quantiles", "score"]

#: The scenario name of the mixture of an entry's scenarios.
MIXTURE = "mixture"

#: The central ranges scored: nominal level -> (lower, upper) recorded quantile levels.
RANGES = {0.5: (0.25, 0.75), 0.9: (0.05, 0.95)}


@dataclass(frozen=True)
class ScoreRow:
    """The scores of one entry's forecast of one indicator in one year under one scenario."""

    entry: str
    """The day the forecast was recorded."""
    line: int
    """The entry's line in the journal (entries of one day differ by it)."""
    scenario: str
    indicator: str
    year: int
    observed: float
    median: float
    crps: float
    interval_score_50: float
    interval_score_90: float
    covered_50: bool
    covered_90: bool
    pit: float
    """Share of the sample below the observation (for a PIT histogram)."""
    crps_persistence: float
    crps_drift_only: float
    weight: float
    """The scenario's recorded weight (1 for the mixture)."""


@dataclass(frozen=True)
class SignpostScore:
    """The scores of one entry's probability of one signpost under one scenario."""

    entry: str
    line: int
    scenario: str
    signpost: str
    indicator: str
    probability: float
    happened: bool
    brier: float
    log_score: float


class Scores:
    """Every scored cell of every entry, the signposts decided, and skill summaries.

    Parameters
    ----------
    journal
        The journal scored.
    rows
        One row per entry, scenario (and the mixture), indicator and observed year.
    signpost_rows
        One row per entry, scenario (and the mixture) and decided signpost.
    """

    def __init__(
        self, journal: Journal, rows: Sequence[ScoreRow], signpost_rows: Sequence[SignpostScore]
    ) -> None:
        self.journal = journal
        self.rows = tuple(rows)
        self.signpost_rows = tuple(signpost_rows)

    def __repr__(self) -> str:
        return f"Scores(entries={len(self.entries)}, cells={len(self.rows)})"

    @property
    def entries(self) -> tuple[str, ...]:
        """The entries scored, in order."""
        return tuple(dict.fromkeys(r.entry for r in self.rows))

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows: entry, scenario, indicator, year, observed and every score."""
        return [asdict(r) for r in self.rows]

    def signpost_table(self) -> list[dict[str, Any]]:
        """Tidy rows of the signposts' Brier and log scores."""
        return [asdict(r) for r in self.signpost_rows]

    def summary(self, *, by_indicator: bool = False) -> list[dict[str, Any]]:
        """Means per entry and scenario (and indicator): CRPS, interval scores, coverage, skill.

        Parameters
        ----------
        by_indicator
            One row per indicator too (its scores in its own unit), not the mean over all.

        Returns
        -------
        list of dict
            ``entry``, ``line``, ``scenario`` (and ``indicator``), ``cells``, ``crps``,
            ``interval_score_50``, ``interval_score_90``, ``coverage_50``, ``coverage_90``,
            ``skill_persistence``, ``skill_drift_only``, and the signposts' mean ``brier``
            and ``log_score`` (``None`` when none was decided; by indicator, the signposts
            on that indicator).
        """
        groups: dict[tuple[int, str, str, str], list[ScoreRow]] = {}
        for r in self.rows:
            key = (r.line, r.entry, r.scenario, r.indicator if by_indicator else "")
            groups.setdefault(key, []).append(r)
        out = []
        for (line, entry, scenario, indicator), rows in groups.items():
            crps = float(np.mean([r.crps for r in rows]))
            signs = [
                s
                for s in self.signpost_rows
                if (s.line, s.scenario) == (line, scenario)
                and (not by_indicator or s.indicator == indicator)
            ]
            row: dict[str, Any] = {"entry": entry, "line": line, "scenario": scenario}
            if by_indicator:
                row["indicator"] = indicator
            row.update(
                {
                    "cells": len(rows),
                    "crps": crps,
                    "interval_score_50": float(np.mean([r.interval_score_50 for r in rows])),
                    "interval_score_90": float(np.mean([r.interval_score_90 for r in rows])),
                    "coverage_50": float(np.mean([r.covered_50 for r in rows])),
                    "coverage_90": float(np.mean([r.covered_90 for r in rows])),
                    "skill_persistence": _skill(crps, [r.crps_persistence for r in rows]),
                    "skill_drift_only": _skill(crps, [r.crps_drift_only for r in rows]),
                    "brier": float(np.mean([s.brier for s in signs])) if signs else None,
                    "log_score": float(np.mean([s.log_score for s in signs])) if signs else None,
                }
            )
            out.append(row)
        return out

    def coverage(self, scenario: str = MIXTURE) -> list[dict[str, Any]]:
        """Coverage of the central ranges against their nominal level, with its error.

        Parameters
        ----------
        scenario
            A scenario, or ``"mixture"`` (the default).

        Returns
        -------
        list of dict
            One row per range: ``nominal``, ``observed`` (share of cells inside),
            ``cells`` and ``standard_error`` (binomial, at the nominal level).
        """
        rows = [r for r in self.rows if r.scenario == scenario]
        out = []
        for nominal in RANGES:
            inside = [r.covered_50 if nominal == 0.5 else r.covered_90 for r in rows]
            n = len(inside)
            out.append(
                {
                    "nominal": nominal,
                    "observed": float(np.mean(inside)) if n else math.nan,
                    "cells": n,
                    "standard_error": math.sqrt(nominal * (1 - nominal) / n) if n else math.nan,
                }
            )
        return out

    def __str__(self) -> str:
        return self.table()

    def table(self, *, by_indicator: bool = False) -> str:
        """The summary as a terminal table (see :meth:`summary`).

        Parameters
        ----------
        by_indicator
            One row per indicator too.

        Returns
        -------
        str
        """
        head = ["entry", "scenario", *(["indicator"] if by_indicator else []), "cells", "CRPS"]
        head += ["IS 50%", "IS 90%", "in 50%", "in 90%", "skill vs last", "skill vs drift"]
        head.append("Brier")
        body = [
            [
                r["entry"],
                r["scenario"],
                *([r["indicator"]] if by_indicator else []),
                str(r["cells"]),
                format_value(r["crps"]),
                format_value(r["interval_score_50"]),
                format_value(r["interval_score_90"]),
                f"{r['coverage_50']:.0%}",
                f"{r['coverage_90']:.0%}",
                _signed_share(r["skill_persistence"]),
                _signed_share(r["skill_drift_only"]),
                "" if r["brier"] is None else f"{r['brier']:.3f}",
            ]
            for r in self.summary(by_indicator=by_indicator)
        ]
        if not body:
            return f"{self.journal.path}: no recorded forecast has an observed year yet"
        lines = text_table(head, body, left=3 if by_indicator else 2)
        lines.append(
            "CRPS and interval scores in each indicator's unit, averaged over cells (lower is "
            "better); skill = 1 - CRPS / CRPS of the reference (above 0: better)."
        )
        return "\n".join(lines)

    def to_csv(self, path: str | Path) -> Path:
        """Write :meth:`to_rows` as CSV, atomically.

        Parameters
        ----------
        path
            The file.

        Returns
        -------
        Path
        """
        import csv
        import io

        buffer = io.StringIO()
        names = list(ScoreRow.__dataclass_fields__)
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_rows())
        return atomic_write(path, buffer.getvalue())

    def to_json(self, path: str | Path) -> Path:
        """Write the rows, the signposts and the summary as one JSON file, atomically.

        Parameters
        ----------
        path
            The file.

        Returns
        -------
        Path
        """
        data = {
            "journal": str(self.journal.path),
            "summary": self.summary(),
            "cells": self.to_rows(),
            "signposts": self.signpost_table(),
        }
        return atomic_write(path, json.dumps(data, indent=2, allow_nan=False) + "\n")


def score(
    source: CaseFolder | Journal | str | Path,
    observations: Sequence[ObservationLike] | str | Path,
) -> Scores:
    """Score every recorded forecast on the observations of the years it forecast.

    Parameters
    ----------
    source
        A case folder (its ``journal.jsonl``), its path, a journal file or a
        :class:`Journal`.
    observations
        Observations, or an observation file (YAML or CSV).

    Returns
    -------
    Scores
        ``to_rows()`` gives one row per entry, scenario (and ``"mixture"``), indicator and
        observed year: ``entry`` (the record date), ``observed``, ``crps``,
        ``interval_score_50``, ``interval_score_90``, ``covered_50``, ``covered_90`` and
        the references' CRPS.

    Raises
    ------
    JournalError
        If a line of the journal cannot be read.
    """
    journal = _journal(source)
    journal.check()
    cells = (
        read_observations(observations)
        if isinstance(observations, str | Path)
        else as_observations(observations)
    )
    rows: list[ScoreRow] = []
    signs: list[SignpostScore] = []
    for entry in journal:
        rows += _score_entry(entry, cells)
        signs += _score_signposts(entry, cells)
    return Scores(journal, rows, signs)


def forecast_quantiles(
    entry: JournalEntry, scenario: str, indicator: str, year: int, levels: Sequence[float]
) -> list[float]:
    """What one entry forecast for one cell: quantiles of a scenario or of the mixture.

    Parameters
    ----------
    entry
        A journal entry.
    scenario
        A recorded scenario (its recorded quantiles), or ``"mixture"`` (quantiles of the
        recorded samples weighted by the recorded scenario weights).
    indicator, year
        The cell.
    levels
        Quantile levels; for a scenario, levels the entry recorded.

    Returns
    -------
    list of float
    """
    if scenario != MIXTURE:
        return [entry.quantile(scenario, indicator, year, q) for q in levels]
    row = entry.years.index(year)
    samples = {s: entry.sample(s, indicator)[row][None, :] for s in entry.scenarios}
    mixed, w = _mixture(samples, entry.weights)
    return [float(v) for v in _weighted_quantiles(mixed[0], w, levels)]


def _journal(source: CaseFolder | Journal | str | Path) -> Journal:
    if isinstance(source, Journal):
        return source
    if isinstance(source, str | Path):
        return read_journal(source)
    return read_journal(source.path)


def _score_entry(entry: JournalEntry, observations: Sequence[Observation]) -> list[ScoreRow]:
    """The rows of one entry: every scenario, then the mixture."""
    import scoringrules as sr

    years = entry.years
    cells = [o for o in observations if o.indicator in entry.indicators and o.year in years]
    if not cells:
        return []
    weights = entry.weights
    obs = np.array([o.value for o in cells])
    persistence = np.array([_last_value(entry, o, observations) for o in cells])
    members: dict[str, NDArray[Any]] = {}
    references: dict[str, NDArray[Any]] = {}
    for s in entry.scenarios:
        members[s] = np.stack([entry.sample(s, o.indicator)[years.index(o.year)] for o in cells])
        references[s] = np.stack(
            [entry.sample(s, o.indicator, reference=True)[years.index(o.year)] for o in cells]
        )
    crps_persistence = _scores(sr.crps_ensemble(obs, persistence[:, None]))
    rows: list[ScoreRow] = []
    for s in entry.scenarios:
        bounds = {
            nominal: np.array(
                [[entry.quantile(s, o.indicator, o.year, q) for q in levels] for o in cells]
            )
            for nominal, levels in RANGES.items()
        }
        medians = [entry.quantile(s, o.indicator, o.year, 0.5) for o in cells]
        rows += _rows(
            entry,
            s,
            cells,
            obs,
            members[s],
            None,
            bounds,
            medians,
            crps_persistence,
            _scores(sr.crps_ensemble(obs, references[s])),
            weights.get(s, 0.0),
        )
    mixed, w = _mixture(members, weights)
    reference, rw = _mixture(references, weights)
    bounds = {
        nominal: np.stack([_weighted_quantiles(m, w, levels) for m in mixed])
        for nominal, levels in RANGES.items()
    }
    medians = [float(_weighted_quantiles(m, w, (0.5,))[0]) for m in mixed]
    crps_reference = _scores(sr.crps_ensemble(obs, reference, ens_w=_per_cell(rw, reference)))
    rows += _rows(
        entry, MIXTURE, cells, obs, mixed, w, bounds, medians, crps_persistence,
        crps_reference, 1.0,
    )  # fmt: skip
    return rows


def _rows(
    entry: JournalEntry,
    scenario: str,
    cells: Sequence[Observation],
    obs: NDArray[Any],
    members: NDArray[Any],
    member_weights: NDArray[Any] | None,
    bounds: Mapping[float, NDArray[Any]],
    medians: Sequence[float],
    crps_persistence: NDArray[Any],
    crps_drift_only: NDArray[Any],
    weight: float,
) -> list[ScoreRow]:
    """The rows of one scenario (or the mixture) of one entry, all scored at once."""
    import scoringrules as sr

    if member_weights is None:
        crps = _scores(sr.crps_ensemble(obs, members))
        pit = (members < obs[:, None]).mean(axis=1)
    else:
        crps = _scores(sr.crps_ensemble(obs, members, ens_w=_per_cell(member_weights, members)))
        pit = ((members < obs[:, None]) * member_weights).sum(axis=1) / member_weights.sum()
    lower50, upper50 = bounds[0.5][:, 0], bounds[0.5][:, 1]
    lower90, upper90 = bounds[0.9][:, 0], bounds[0.9][:, 1]
    is50 = _scores(sr.interval_score(obs, lower50, upper50, 0.5))
    is90 = _scores(sr.interval_score(obs, lower90, upper90, 0.1))
    return [
        ScoreRow(
            entry=entry.date,
            line=entry.line,
            scenario=scenario,
            indicator=o.indicator,
            year=o.year,
            observed=float(obs[i]),
            median=float(medians[i]),
            crps=float(crps[i]),
            interval_score_50=float(is50[i]),
            interval_score_90=float(is90[i]),
            covered_50=bool(lower50[i] <= obs[i] <= upper50[i]),
            covered_90=bool(lower90[i] <= obs[i] <= upper90[i]),
            pit=float(pit[i]),
            crps_persistence=float(crps_persistence[i]),
            crps_drift_only=float(crps_drift_only[i]),
            weight=float(weight),
        )
        for i, o in enumerate(cells)
    ]


def _mixture(
    members: Mapping[str, NDArray[Any]], weights: Mapping[str, float]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """The scenarios' samples side by side, each member weighted by its scenario's weight."""
    names = [s for s in members if weights.get(s, 0.0) > 0]
    if not names:
        raise InputError([Problem("weights", "the entry gives no scenario a positive weight")])
    stacked = np.concatenate([members[s] for s in names], axis=1)
    w = np.concatenate(
        [np.full(members[s].shape[1], weights[s] / members[s].shape[1]) for s in names]
    )
    return stacked, w / w.sum()


def _scores(values: Any) -> NDArray[Any]:
    """What a ``scoringrules`` function returned, as one score per cell (even for one)."""
    return np.atleast_1d(np.asarray(values, dtype=float))


def _per_cell(weights: NDArray[Any], members: NDArray[Any]) -> NDArray[Any]:
    """Member weights repeated for every cell, as ``scoringrules`` takes them."""
    return np.ascontiguousarray(np.broadcast_to(weights, members.shape))


def _weighted_quantiles(
    values: NDArray[Any], weights: NDArray[Any], levels: Sequence[float]
) -> NDArray[Any]:
    """Quantiles of a weighted sample (the inverse of its step CDF, midpoints)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cdf = np.cumsum(w) - w / 2
    out: NDArray[Any] = np.interp(levels, cdf / w.sum(), v)
    return out


def _last_value(
    entry: JournalEntry, cell: Observation, observations: Sequence[Observation]
) -> float:
    """The latest value known before the cell's year: an observation, else the case's."""
    year, value = entry.data["last_known"][cell.indicator]
    for o in observations:
        if o.indicator == cell.indicator and year <= o.year < cell.year:
            year, value = o.year, o.value
    return float(value)


def _score_signposts(
    entry: JournalEntry, observations: Sequence[Observation]
) -> list[SignpostScore]:
    """Brier and log scores of every signpost the observations decide.

    A signpost is decided when an observation at or before its year crosses the
    threshold (it happened), or when its year is observed without any crossing (it did
    not; unobserved years between are taken as not crossing).
    """
    import scoringrules as sr

    by_name: dict[str, dict[str, Any]] = {}
    for r in entry.data["signposts"]:
        by_name.setdefault(r["signpost"], {"row": r, "p": {}})["p"][r["scenario"]] = float(
            r["probability"]
        )
    draws = min(int(run["draws"]) for run in entry.data["runs"].values())
    edge = 0.5 / draws
    weights = entry.weights
    out: list[SignpostScore] = []
    for name, item in by_name.items():
        happened = _decided(item["row"], observations)
        if happened is None:
            continue
        probs = dict(item["p"])
        total = sum(weights.get(s, 0.0) for s in probs) or 1.0
        probs[MIXTURE] = sum(p * weights.get(s, 0.0) for s, p in probs.items()) / total
        for scenario, p in probs.items():
            q = min(max(p, edge), 1 - edge)
            out.append(
                SignpostScore(
                    entry=entry.date,
                    line=entry.line,
                    scenario=scenario,
                    signpost=name,
                    indicator=str(item["row"]["indicator"]),
                    probability=p,
                    happened=happened,
                    brier=float(sr.brier_score(float(happened), p)),
                    log_score=float(sr.log_score(float(happened), q)),
                )
            )
    return out


def _decided(signpost: Mapping[str, Any], observations: Sequence[Observation]) -> bool | None:
    """Whether the observations show a signpost reached (``True``), missed, or neither yet."""
    seen = [
        o for o in observations if o.indicator == signpost["indicator"] and o.year <= signpost["by"]
    ]
    above, below = signpost["above"], signpost["below"]
    for o in seen:
        if (above is not None and o.value > above) or (below is not None and o.value < below):
            return True
    if any(o.year == signpost["by"] for o in seen):
        return False
    return None


def _skill(crps: float, reference: Sequence[float]) -> float | None:
    mean = float(np.mean(reference))
    return None if mean <= 0 else 1 - crps / mean


def _signed_share(value: float | None) -> str:
    return "" if value is None else f"{value:+.0%}"
