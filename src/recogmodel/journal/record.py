"""Recording a forecast: what the model says today, as one entry of the case's journal.

An entry holds, for every scenario, the quantiles of every indicator in every year at
:data:`LEVELS`, a thinned sample of the draws (every k-th draw, :data:`SAMPLE_DRAWS` of
them) for scoring, and as many draws of the *drift-only* reference model (the scenario
without its drivers and events) for skill; the signpost probabilities; the scenario
weights (the prior, or the posterior with the observations it used); and what repeats
the run: the case's content hash, the library version, each scenario's seed, draws,
sampling and its assumptions as validated. Quantiles and weights are kept to six
significant digits, the sampled draws to five (far below their Monte Carlo error).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import whole_number
from ..analysis import signposts, update
from ..engine import project
from ..io.observations import as_observations
from ..model import levels, parse_formula
from ..projection import library_version
from .file import JOURNAL_FILE, SCHEMA_VERSION

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from ..io.folder import CaseFolder
    from ..io.observations import ObservationLike
    from ..model import Scenario
    from ..projection import Projection

__all__ = [
    "LEVELS",
    "SAMPLE_DRAWS",
    "content_hash",
    "drift_only",
    "forecast_entry",
    "last_known",
]

#: The quantile levels every entry records.
LEVELS = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)

#: Draws kept per scenario for scoring (a thinned sample of the run's draws).
SAMPLE_DRAWS = 100


def content_hash(path: str | Path) -> str:
    """The SHA-256 of a case folder's YAML files (names and bytes), journal excluded.

    Parameters
    ----------
    path
        The case folder.

    Returns
    -------
    str
        ``"sha256:"`` and 64 hex digits; any edit to any file of the case changes it.
    """
    folder = Path(path)
    digest = hashlib.sha256()
    for file in sorted(folder.iterdir()):
        if file.suffix in (".yaml", ".yml") and file.name != JOURNAL_FILE and file.is_file():
            digest.update(file.name.encode("utf-8") + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()}"


def drift_only(scenario: Scenario) -> Scenario:
    """The scenario without its drivers and events: each indicator's drift and noise alone.

    Every driver effect is set to 0 and every event's probability to 0; correlations that
    involve a driver or an event are dropped (their assumptions no longer matter).

    Parameters
    ----------
    scenario
        Any scenario.

    Returns
    -------
    Scenario
        The reference model the journal's skill scores compare with.
    """
    overlay: dict[str, Any] = {
        "drivers": {
            name: {"effects": {k: {"size": 0.0} for k in driver.effects}}
            for name, driver in scenario.case.drivers.items()
        },
        "events": {name: {"probability": 0.0} for name in scenario.case.events},
    }
    kept = [
        c
        for c in scenario.correlations
        if not any(n.startswith(("drivers.", "events.")) for n in c.between)
    ]
    return scenario.with_changes(overlay, name=scenario.name, correlations=kept)


def last_known(scenario: Scenario) -> dict[str, list[float]]:
    """Each indicator's latest known value in the case: its history or its baseline.

    Parameters
    ----------
    scenario
        The scenario whose case is read.

    Returns
    -------
    dict
        ``{indicator: [year, value]}``; the baseline's median when it is a range.
    """
    case = scenario.case
    out: dict[str, list[float]] = {}
    for name, ind in case.indicators.items():
        if ind.baseline is None:
            continue
        year, value = ind.baseline.year, float(ind.baseline.value.ppf(0.5))
        if ind.history:
            latest = max(ind.history)
            if latest >= year:
                year, value = latest, ind.history[latest].value
        out[name] = [year, _round(value)]
    order = levels(case)
    for name in sorted((k for k in case.indicators if k not in out), key=order.__getitem__):
        # A derived indicator: its formula over its inputs' latest values, in the latest
        # of their years, unless its own history is later.
        ind = case.indicators[name]
        formula = parse_formula(ind.formula or "")
        inputs = {k: np.array(out[k][1]) for k in formula.names}
        year = int(max((out[k][0] for k in formula.names), default=case.start))
        value = float(formula.evaluate(inputs))
        if ind.history and max(ind.history) >= year:
            year = max(ind.history)
            value = ind.history[int(year)].value
        out[name] = [year, _round(value)]
    return {k: out[k] for k in case.indicators}


def forecast_entry(
    projections: Mapping[str, Projection],
    folder: CaseFolder,
    *,
    prior: Mapping[str, float] | None = None,
    observations: Sequence[ObservationLike] = (),
    note: str | None = None,
    recorded: datetime | None = None,
    sample: int = SAMPLE_DRAWS,
) -> dict[str, Any]:
    """One journal entry: the forecast of every projected scenario, ready to append.

    Parameters
    ----------
    projections
        The projections by scenario name (a :class:`~recogmodel.Study`'s).
    folder
        The case folder they came from (for its content hash).
    prior
        Prior weight per scenario (default: equal).
    observations
        Observations known today: if any, the weights recorded are the posterior given
        them, and the observations are recorded with them.
    note
        The analyst's note.
    recorded
        When (default: now, UTC).
    sample
        Draws kept per scenario for scoring.

    Returns
    -------
    dict
        The entry (JSON-ready); see ``docs/journal.md`` for its fields.
    """
    sample = whole_number("sample", sample, least=2)
    when = (recorded or datetime.now(timezone.utc)).astimezone(timezone.utc)
    runs = list(projections.values())
    first = runs[0]
    names = [p.name for p in runs]
    observations = as_observations(observations)
    if observations:
        posterior = update(runs, observations, prior)
        weights: dict[str, Any] = {
            "kind": "posterior",
            "values": {s: _round(float(w)) for s, w in zip(names, posterior.weights, strict=True)},
            "prior": {
                s: _round(float(w)) for s, w in zip(names, posterior.prior_weights, strict=True)
            },
            "observations": [
                {"indicator": o.indicator, "year": o.year, "value": o.value, "source": o.source}
                for o in observations
            ],
        }
    else:
        raw = {s: float((prior or {}).get(s, 1.0 if prior is None else 0.0)) for s in names}
        total = sum(raw.values()) or 1.0
        weights = {"kind": "prior", "values": {s: _round(v / total) for s, v in raw.items()}}
    table = signposts(runs)
    return {
        "schema": SCHEMA_VERSION,
        "recorded": when.isoformat(timespec="seconds"),
        "case": first.scenario.case.case,
        "content_hash": content_hash(folder.path),
        "recogmodel": library_version(),
        "note": note,
        "scenarios": names,
        "years": list(first.years),
        "indicators": list(first.indicators),
        "levels": list(LEVELS),
        "runs": {
            p.name: {
                "seed": p.seed,
                "draws": p.draws,
                "sampling": p.sampling,
                "scenario": p.scenario.model_dump(mode="json"),
            }
            for p in runs
        },
        "weights": weights,
        "last_known": last_known(first.scenario),
        "quantiles": {
            p.name: {
                k: {
                    f"{q:g}": _rounded(column)
                    for q, column in zip(LEVELS, p.quantiles(k, LEVELS).T, strict=True)
                }
                for k in p.indicators
            }
            for p in runs
        },
        "sample": {p.name: _thinned(p, sample) for p in runs},
        "reference_sample": {p.name: _reference(p, sample) for p in runs},
        "signposts": [
            {
                "signpost": r["signpost"],
                "indicator": r["indicator"],
                "by": r["by"],
                "above": r["above"],
                "below": r["below"],
                "scenario": r["scenario"],
                "probability": _round(float(r["probability"])),
            }
            for r in table.to_rows()
        ],
    }


def _thinned(projection: Projection, sample: int) -> dict[str, list[list[float]]]:
    """Every k-th draw of each indicator, ``sample`` of them: (years, draws) lists."""
    step = max(1, projection.draws // sample)
    keep = np.arange(projection.draws)[::step][:sample]
    return {k: _rounded(projection.values(k)[keep].T, 5) for k in projection.indicators}


def _reference(projection: Projection, sample: int) -> dict[str, list[list[float]]]:
    """Draws of the drift-only model of the projection's scenario, with its seed."""
    reference = project(drift_only(projection.scenario), draws=sample, seed=projection.seed)
    return {k: _rounded(reference.values(k).T, 5) for k in reference.indicators}


def _round(value: float, digits: int = 6) -> float:
    """A value to ``digits`` significant digits, as the journal keeps it."""
    return float(f"{value:.{digits}g}")


def _rounded(values: NDArray[Any], digits: int = 6) -> Any:
    """An array as nested lists of values to ``digits`` significant digits."""
    array = np.asarray(values, dtype=float)
    out: Any = np.vectorize(lambda v: _round(v, digits), otypes=[float])(array).tolist()
    return out
