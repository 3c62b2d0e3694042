"""Signposts: how likely each is under each scenario, and whether it points the right way.

A signpost "above v by Y" is reached in a draw when the indicator crosses v during the
projected steps ``start+1..Y``. The start year is the present: a draw already past v then
has it *already reached*, which is reported apart and never counted as a prediction.

For each signpost and the scenario that declares it, the table gives the Bayes factor of
"reached" for that scenario against the others (weighted by the prior), the scenario that
learning "reached" favours most, whether the signpost **points away** from its own scenario
(it favours another, or its Bayes factor is below 1), and its **value of information**: the
expected fall, in bits, of the entropy of the scenario weights from learning whether it is
reached (the mutual information between the scenario and the signpost). Rows are sorted by
value of information, most informative first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, Problem
from ..text.labels import signpost_label
from ..text.tables import text_table
from ._shared import check_projections, entropy_bits, frozen, prior_weights

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray

__all__ = [
    "SignpostRow",
    "SignpostTable",
    "bayes_factors",
    "reach_probabilities",
    "signposts",
    "value_of_information",
]

#: Default value of information (bits) under which a signpost tells the scenarios little.
DEFAULT_THRESHOLD = 0.05


@dataclass(frozen=True)
class SignpostRow:
    """One signpost as one scenario declares it."""

    label: str
    """A readable label, e.g. ``bilateral_trade above 600 by 2029``."""
    indicator: str
    by: int
    above: float | None
    below: float | None
    declared_by: tuple[tuple[str, int], ...]
    """(scenario, position in its ``signposts`` list) of the scenario declaring it."""
    note: str | None

    @property
    def threshold(self) -> float:
        """The threshold, whichever side it is on."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]

    @property
    def scenario(self) -> str:
        """The scenario that declares the signpost."""
        return self.declared_by[0][0]


@dataclass(frozen=True, eq=False)
class SignpostTable:
    """Each signpost's probability under each scenario, and what learning it would tell.

    Arrays have one row per signpost (sorted by value of information, largest first) and,
    where two-dimensional, one column per scenario.
    """

    scenarios: tuple[str, ...]
    signposts: tuple[SignpostRow, ...]
    probability: FloatArray
    """(signposts, scenarios): share of draws that reach it during start+1..by."""
    already: FloatArray
    """(signposts, scenarios): share of draws already past the threshold at the start."""
    prior: FloatArray
    """(scenarios,): the prior weights the Bayes factors and values of information use."""
    bayes_factor: FloatArray
    """(signposts,): P(reached | declaring scenario) / P(reached | the others, prior-weighted);
    ``inf`` when only the declaring scenario can reach it, NaN with one scenario."""
    value_of_information: FloatArray
    """(signposts,): expected fall of the entropy of the scenario weights, in bits."""
    points_away: BoolArray
    """(signposts,): favours another scenario than its own, or a Bayes factor below 1."""
    diagnosticity: FloatArray
    """(signposts,): largest minus smallest probability over scenarios (NaN with one)."""
    non_diagnostic: BoolArray
    """(signposts,): value of information under ``threshold`` bits."""
    threshold: float
    draws: tuple[int, ...]
    """Draws of each scenario's projection."""
    favoured: tuple[str, ...] = ()
    """Per signpost, the scenario whose weight "reached" raises most: the one under which
    it is likeliest (its own scenario when that ties for the largest chance)."""

    @property
    def labels(self) -> list[str]:
        """Row labels, for a heat map."""
        return [s.label for s in self.signposts]

    @property
    def favours(self) -> list[str]:
        """Per signpost, the scenario it favours (see :attr:`favoured`)."""
        return list(self.favoured)

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per signpost and scenario.

        Returns
        -------
        list of dict
            The signpost's label, indicator, year and threshold, the scenario declaring
            it, the scenario of the row, the probability of reaching it and of having
            already reached it there, and the signpost's ``favours``, ``points_away``,
            ``bayes_factor`` and ``value_of_information``.
        """
        favours = self.favours
        return [
            {
                "signpost": sp.label,
                "indicator": sp.indicator,
                "by": sp.by,
                "above": sp.above,
                "below": sp.below,
                "declared_by": sp.scenario,
                "scenario": scenario,
                "probability": float(self.probability[i, j]),
                "already_reached": float(self.already[i, j]),
                "favours": favours[i],
                "points_away": bool(self.points_away[i]),
                "bayes_factor": float(self.bayes_factor[i]),
                "value_of_information": float(self.value_of_information[i]),
                "diagnosticity": float(self.diagnosticity[i]),
                "non_diagnostic": bool(self.non_diagnostic[i]),
            }
            for i, sp in enumerate(self.signposts)
            for j, scenario in enumerate(self.scenarios)
        ]

    def _repr_html_(self) -> str:
        """The table in a notebook: its tidy rows as an HTML table."""
        from ..text.html import rows_html

        return rows_html("Signposts: chance of being reached, per scenario", self.to_rows())

    def __str__(self) -> str:
        lines = [
            "Signposts: chance of being reached during the projected years up to their year,",
            "per scenario; most informative first",
        ]
        if not self.signposts:
            lines.append("no scenario declares a signpost")
            return "\n".join(lines)
        header = ["signpost", "of", *self.scenarios, "BF", "bits", "favours", ""]
        body = []
        favours = self.favours
        for i, sp in enumerate(self.signposts):
            cells = []
            for j in range(len(self.scenarios)):
                cell = f"{self.probability[i, j]:.0%}"
                if self.already[i, j] >= 0.005:
                    cell += f" (+{self.already[i, j]:.0%})"
                cells.append(cell)
            bf = self.bayes_factor[i]
            body.append(
                [
                    sp.label,
                    sp.scenario,
                    *cells,
                    "n/a" if math.isnan(bf) else "inf" if math.isinf(bf) else f"{bf:.3g}",
                    f"{self.value_of_information[i]:.2f}",
                    favours[i],
                    "points away" if self.points_away[i] else "",
                ]
            )
        lines += text_table(header, body, left=2, text=2)
        if len(self.scenarios) < 2:
            lines.append("one scenario only: a signpost needs two or more to tell apart")
        else:
            lines.append(
                "BF: Bayes factor of 'reached' for its scenario against the others; bits: "
                "expected information about which scenario holds; (+x%): already reached at "
                "the start, not a prediction"
            )
        if self.points_away.any():
            lines.append(
                "points away: the signpost is likelier under another scenario than its own"
            )
        return "\n".join(lines)


def reach_probabilities(
    path: FloatArray, *, above: float | None, below: float | None
) -> tuple[FloatArray, FloatArray]:
    """Per year from the start, the share of draws that have reached the threshold during
    start+1..year, and the share already past it at the start.

    ``path`` is (draws, years) with the start year first.
    """
    past = path > above if above is not None else path < below  # type: ignore[operator]
    already = past[:, 0]
    reached = np.logical_or.accumulate(past[:, 1:], axis=1) & ~already[:, None]
    return reached.mean(axis=0), np.full(path.shape[1] - 1, already.mean())


def bayes_factors(prior: FloatArray, reached: FloatArray, declaring: Sequence[int]) -> FloatArray:
    """P(reached | declaring) / P(reached | the other scenarios, weighted by the prior).

    ``reached`` is (signposts, scenarios). ``inf`` where only the declaring scenario can
    reach the signpost; 1 where no scenario can; NaN with a single scenario.
    """
    out = np.empty(len(declaring))
    for i, d in enumerate(declaring):
        others = np.arange(len(prior)) != d
        weight = float(prior[others].sum())
        if not others.any() or weight <= 0:
            out[i] = math.nan
            continue
        p_other = float(reached[i, others] @ prior[others]) / weight
        p_self = float(reached[i, d])
        if p_other == 0:
            out[i] = math.inf if p_self > 0 else 1.0
        else:
            out[i] = p_self / p_other
    return out


def value_of_information(prior: FloatArray, reached: FloatArray) -> FloatArray:
    """Expected fall (bits) of the entropy of the scenario weights from learning whether
    each signpost is reached: the mutual information I(scenario; reached).

    ``reached`` is (signposts, scenarios); ``prior`` sums to 1.
    """
    p_yes = reached @ prior
    p_no = 1.0 - p_yes
    with np.errstate(divide="ignore", invalid="ignore"):
        after_yes = np.where(p_yes[:, None] > 0, reached * prior / p_yes[:, None], 0.0)
        after_no = np.where(p_no[:, None] > 0, (1 - reached) * prior / p_no[:, None], 0.0)
    gain = entropy_bits(prior) - p_yes * entropy_bits(after_yes) - p_no * entropy_bits(after_no)
    out: FloatArray = np.maximum(gain, 0.0)
    return out


def signposts(
    projections: Sequence[Projection],
    *,
    prior: Mapping[str, float] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> SignpostTable:
    """Every declared signpost, under every scenario: its chance and what it would tell.

    Parameters
    ----------
    projections
        One projection per scenario. Every signpost declared by any of their scenarios is
        evaluated under all of them, one row per declaring scenario.
    prior
        Scenario name -> weight for the Bayes factors and values of information (default:
        equal weights).
    threshold
        A signpost whose value of information is under this many bits is flagged as
        non-diagnostic.

    Returns
    -------
    SignpostTable
        Probabilities of reaching and of having already reached each signpost, its Bayes
        factor, the scenario it favours, whether it points away from its own scenario and
        its value of information; rows sorted by value of information.

    Raises
    ------
    InputError
        For no projection, the same scenario twice, a bad prior, a threshold below 0, or a
        signpost that some scenario cannot evaluate (an indicator it lacks, a year outside
        its projected years), naming the signpost and the scenario that declared it.
    """
    projs = check_projections(projections)
    if isinstance(threshold, bool) or not (
        isinstance(threshold, int | float) and 0 <= threshold < math.inf
    ):
        raise InputError([Problem("threshold", f"expected bits >= 0, got {threshold!r}")])
    names = tuple(p.name for p in projs)
    weights = prior_weights(prior, names)
    table = []
    for proj in projs:
        for i, sp in enumerate(proj.scenario.signposts):
            side = "above" if sp.above is not None else "below"
            table.append(
                SignpostRow(
                    label=signpost_label(
                        proj.scenario.case.indicators[sp.indicator],
                        side,
                        sp.threshold,
                        sp.by,
                        name=sp.indicator,
                    ),
                    indicator=sp.indicator,
                    by=sp.by,
                    above=sp.above,
                    below=sp.below,
                    declared_by=((proj.name, i),),
                    note=sp.note,
                )
            )
    probability = np.zeros((len(table), len(projs)))
    already = np.zeros((len(table), len(projs)))
    problems = []
    for j, proj in enumerate(projs):
        for i, row in enumerate(table):
            declared = f"{row.scenario} (signposts.{row.declared_by[0][1]})"
            if row.indicator not in proj.indicators:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: scenario '{proj.name}' has "
                        f"no indicator '{row.indicator}'",
                    )
                )
                continue
            if not proj.years[0] < row.by <= proj.years[-1]:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: {row.by} lies outside the "
                        f"projected steps {proj.years[0] + 1}..{proj.years[-1]} of scenario "
                        f"'{proj.name}'; expected a year within them",
                    )
                )
                continue
            path = proj.values(row.indicator)[:, : proj.year_index(row.by) + 1]
            reached, past = reach_probabilities(path, above=row.above, below=row.below)
            probability[i, j] = reached[-1]
            already[i, j] = past[-1]
    if problems:
        raise InputError(problems)
    declaring = [names.index(row.scenario) for row in table]
    factors = bayes_factors(weights, probability, declaring)
    gain = value_of_information(weights, probability)
    own = np.array(declaring, dtype=np.intp)
    rows = np.arange(len(table))
    favoured = probability.argmax(axis=1) if table else own
    favoured = np.where(probability[rows, own] >= probability[rows, favoured], own, favoured)
    if len(projs) > 1 and table:
        spread = probability.max(axis=1) - probability.min(axis=1)
        away = (favoured != own) | (factors < 1)
    else:
        spread = np.full(len(table), np.nan)
        away = np.zeros(len(table), dtype=np.bool_)
    order = np.argsort(-gain, kind="stable")
    return SignpostTable(
        scenarios=names,
        signposts=tuple(table[i] for i in order),
        probability=frozen(probability[order]),
        already=frozen(already[order]),
        prior=frozen(weights),
        bayes_factor=frozen(factors[order]),
        value_of_information=frozen(gain[order]),
        points_away=frozen(away[order]),
        diagnosticity=frozen(spread[order]),
        non_diagnostic=frozen((gain < threshold)[order] if len(projs) > 1 else away[order]),
        threshold=float(threshold),
        draws=tuple(p.draws for p in projs),
        favoured=tuple(names[int(favoured[i])] for i in order),
    )
