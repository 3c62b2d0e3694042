"""What to watch next: the signposts that would best tell the scenarios apart.

:func:`suggest_signposts` searches, for every scenario, thresholds on every indicator and
year: "above v by Y" and "below v by Y" with v at the 10th, 20th, ... 90th percentiles of
all scenarios' draws in year Y (rounded to two significant digits, as an analyst would
write them). A candidate is kept for a scenario only when it points to it (it is likeliest
there and its Bayes factor exceeds 1); the kept ones are ranked by value of information,
one per indicator, and written as YAML to paste under the scenario's ``signposts:``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import whole_number
from ..text.labels import signpost_label
from ..text.tables import text_table
from ._shared import check_projections, prior_weights
from .signposts import bayes_factors, value_of_information

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..projection import Projection
    from ._shared import FloatArray

__all__ = ["SignpostSuggestion", "SignpostSuggestions", "suggest_signposts"]

#: Percentiles of the pooled draws at which thresholds are tried.
LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class SignpostSuggestion:
    """A signpost that would point to ``scenario``, with what it would tell."""

    scenario: str
    indicator: str
    by: int
    side: str
    """``above`` or ``below``."""
    threshold: float
    label: str
    probability: tuple[float, ...]
    """Chance of reaching it under each scenario, in the suggestions' scenario order."""
    bayes_factor: float
    value_of_information: float


@dataclass(frozen=True)
class SignpostSuggestions:
    """The suggested signposts of every scenario, most informative first within each."""

    scenarios: tuple[str, ...]
    suggestions: tuple[SignpostSuggestion, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per suggestion.

        Returns
        -------
        list of dict
            The scenario it points to, indicator, year, side and threshold, its chance
            under each scenario (``p_<scenario>``), Bayes factor and value of information.
        """
        return [
            {
                "scenario": s.scenario,
                "indicator": s.indicator,
                "by": s.by,
                "side": s.side,
                "threshold": s.threshold,
                **{f"p_{n}": p for n, p in zip(self.scenarios, s.probability, strict=True)},
                "bayes_factor": s.bayes_factor,
                "value_of_information": s.value_of_information,
            }
            for s in self.suggestions
        ]

    def to_yaml(self) -> str:
        """The suggestions as YAML, one block per scenario to paste into its file."""
        lines: list[str] = []
        for scenario in self.scenarios:
            mine = [s for s in self.suggestions if s.scenario == scenario]
            lines.append(f"# {scenario}.yaml")
            if not mine:
                lines.append("# (no signpost on these indicators points to this scenario)")
                lines.append("")
                continue
            lines.append("signposts:")
            for s in mine:
                bf = "inf" if math.isinf(s.bayes_factor) else f"{s.bayes_factor:.3g}"
                note = f"suggested: {s.value_of_information:.2f} bits, Bayes factor {bf}"
                lines.append(
                    f"  - {{indicator: {s.indicator}, by: {s.by}, {s.side}: {s.threshold:g}, "
                    f'note: "{note}"}}'
                )
            lines.append("")
        return "\n".join(lines)

    def __str__(self) -> str:
        header = ["points to", "signpost", *self.scenarios, "BF", "bits"]
        body = [
            [
                s.scenario,
                s.label,
                *[f"{p:.0%}" for p in s.probability],
                "inf" if math.isinf(s.bayes_factor) else f"{s.bayes_factor:.3g}",
                f"{s.value_of_information:.2f}",
            ]
            for s in self.suggestions
        ]
        lines = ["What to watch next: signposts that would point to each scenario"]
        lines += text_table(header, body, left=2)
        return "\n".join(lines)


def _two_digits(x: FloatArray) -> FloatArray:
    """Each value rounded to two significant digits."""
    out = np.zeros_like(x)
    nonzero = x != 0
    digits = 1 - np.floor(np.log10(np.abs(x[nonzero])))
    out[nonzero] = np.round(x[nonzero] * 10.0**digits) / 10.0**digits
    return out


def suggest_signposts(
    projections: Sequence[Projection],
    *,
    prior: Mapping[str, float] | None = None,
    per_scenario: int = 3,
) -> SignpostSuggestions:
    """Per scenario, the signposts with the most value of information that point to it.

    Parameters
    ----------
    projections
        One projection per scenario, of one case; at least two.
    prior
        Scenario name -> weight (default: equal).
    per_scenario
        How many signposts to suggest for each scenario at most (one per indicator).

    Returns
    -------
    SignpostSuggestions
        The suggestions, with their chances, Bayes factors and values of information;
        ``to_yaml()`` writes them as scenario-file YAML.

    Raises
    ------
    InputError
        For fewer than two projections, the same scenario twice, or a bad prior or count.
    """
    projs = check_projections(projections)
    per_scenario = whole_number("per_scenario", per_scenario)
    names = tuple(p.name for p in projs)
    if len(projs) < 2:
        from ..errors import InputError, Problem

        raise InputError([Problem("projections", "expected two or more scenarios to tell apart")])
    weights = prior_weights(prior, names)
    first = projs[0]
    years = first.years
    found: list[tuple[str, int, str, float, FloatArray]] = []
    for k in first.indicators:
        paths = [p.values(k) for p in projs]
        start = [path[:, 0] for path in paths]
        highs = [np.maximum.accumulate(path[:, 1:], axis=1) for path in paths]
        lows = [np.minimum.accumulate(path[:, 1:], axis=1) for path in paths]
        for t in range(1, len(years)):
            pooled = np.concatenate([path[:, t] for path in paths])
            thresholds = np.unique(_two_digits(np.quantile(pooled, LEVELS)))
            for side in ("above", "below"):
                reached = np.empty((thresholds.size, len(projs)))
                for j in range(len(projs)):
                    if side == "above":
                        hit = (highs[j][:, t - 1, None] > thresholds) & (
                            start[j][:, None] <= thresholds
                        )
                    else:
                        hit = (lows[j][:, t - 1, None] < thresholds) & (
                            start[j][:, None] >= thresholds
                        )
                    reached[:, j] = hit.mean(axis=0)
                for i, v in enumerate(thresholds):
                    found.append((k, years[t], side, float(v), reached[i]))
    if not found:
        return SignpostSuggestions(names, ())
    chances = np.array([f[4] for f in found])
    gains = value_of_information(weights, chances)
    chosen: list[SignpostSuggestion] = []
    for s, name in enumerate(names):
        factors = bayes_factors(weights, chances, [s] * len(found))
        points_here = (chances[:, s] >= chances.max(axis=1)) & (factors > 1)
        used: set[str] = set()
        for i in np.argsort(-gains, kind="stable"):
            if len(used) >= per_scenario:
                break
            k, by, side, v, reached = found[int(i)]
            if not points_here[i] or k in used or gains[i] <= 0:
                continue
            used.add(k)
            chosen.append(
                SignpostSuggestion(
                    scenario=name,
                    indicator=k,
                    by=by,
                    side=side,
                    threshold=v,
                    label=signpost_label(first.indicator(k), side, v, by, name=k),
                    probability=tuple(float(p) for p in reached),
                    bayes_factor=float(factors[i]),
                    value_of_information=float(gains[i]),
                )
            )
    return SignpostSuggestions(names, tuple(chosen))
