"""Signposts: the probability that each one is reached under each scenario, and what it tells.

A signpost on an indicator is reached in a draw when the indicator crosses its threshold in
some projected year up to its ``by`` year. Its diagnosticity is the spread of that
probability across scenarios; signposts that every scenario expects alike are flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, Problem
from ..text.labels import signpost_label
from ..text.tables import text_table
from ._shared import check_projections, frozen

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray

__all__ = ["SignpostRow", "SignpostTable", "signposts"]


@dataclass(frozen=True)
class SignpostRow:
    """One signpost, as declared by one or more scenarios."""

    label: str
    """A readable label, e.g. ``bilateral_trade above 600 by 2029``."""
    indicator: str
    by: int
    above: float | None
    below: float | None
    declared_by: tuple[tuple[str, int], ...]
    """(scenario, position in its ``signposts`` list) of every scenario declaring it."""
    note: str | None

    @property
    def threshold(self) -> float:
        """The threshold, whichever side it is on."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]


@dataclass(frozen=True, eq=False)
class SignpostTable:
    """Probability that each signpost is reached under each scenario, and what it tells.

    ``probability`` has shape (signposts, scenarios). A signpost's diagnosticity is the
    spread of its probability across scenarios (largest minus smallest): 0 when every
    scenario expects it equally, 1 when one scenario makes it certain and another
    impossible. Signposts whose spread is under ``threshold`` are non-diagnostic.
    """

    scenarios: tuple[str, ...]
    signposts: tuple[SignpostRow, ...]
    probability: FloatArray
    diagnosticity: FloatArray
    """max - min probability over scenarios (NaN with a single scenario)."""
    non_diagnostic: BoolArray
    threshold: float
    draws: tuple[int, ...]
    """Draws of each scenario's projection."""

    @property
    def labels(self) -> list[str]:
        """Row labels, for a heat map."""
        return [s.label for s in self.signposts]

    @property
    def favours(self) -> list[str]:
        """Per signpost, the scenario under which it is most likely."""
        if not self.signposts:
            return []
        return [self.scenarios[int(j)] for j in self.probability.argmax(axis=1)]

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per signpost and scenario.

        Returns
        -------
        list of dict
            The signpost's label, indicator, year and threshold, the scenarios declaring
            it, the scenario, the probability, the diagnosticity and the flag.
        """
        return [
            {
                "signpost": sp.label,
                "indicator": sp.indicator,
                "by": sp.by,
                "above": sp.above,
                "below": sp.below,
                "declared_by": ", ".join(s for s, _ in sp.declared_by),
                "scenario": scenario,
                "probability": float(self.probability[i, j]),
                "diagnosticity": float(self.diagnosticity[i]),
                "non_diagnostic": bool(self.non_diagnostic[i]),
            }
            for i, sp in enumerate(self.signposts)
            for j, scenario in enumerate(self.scenarios)
        ]

    def __str__(self) -> str:
        lines = ["Signposts: probability of being reached by their year, per scenario"]
        if not self.signposts:
            lines.append("no scenario declares a signpost")
            return "\n".join(lines)
        header = ["signpost", *self.scenarios, "spread", ""]
        body = []
        for i, sp in enumerate(self.signposts):
            spread = self.diagnosticity[i]
            body.append(
                [
                    sp.label,
                    *[f"{p:.0%}" for p in self.probability[i]],
                    "n/a" if not math.isfinite(spread) else f"{spread:.2f}",
                    "non-diagnostic" if self.non_diagnostic[i] else "",
                ]
            )
        lines += text_table(header, body)
        if len(self.scenarios) < 2:
            lines.append("one scenario only: diagnosticity needs two or more to compare")
        else:
            lines.append(
                f"spread = largest minus smallest probability; under {self.threshold:g} a "
                "signpost does not tell the scenarios apart"
            )
        return "\n".join(lines)


def signposts(projections: Sequence[Projection], *, threshold: float = 0.1) -> SignpostTable:
    """Probability that every declared signpost is reached, under every scenario.

    Parameters
    ----------
    projections
        One projection per scenario. Every signpost declared by any of their scenarios is
        evaluated under all of them; identical signposts declared by several scenarios are
        one row.
    threshold
        A signpost whose probability varies across scenarios by less than this (largest
        minus smallest) is flagged as non-diagnostic.

    Returns
    -------
    SignpostTable
        The (signposts x scenarios) probability matrix, each signpost's diagnosticity and
        non-diagnostic flag.

    Raises
    ------
    InputError
        For no projection, the same scenario twice, a threshold outside [0, 1], or a
        signpost that some scenario cannot evaluate (an indicator it lacks, a year outside
        its projected years), naming the signpost and the scenario that declared it.
    """
    projs = check_projections(projections)
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise InputError([Problem("threshold", f"expected a number in [0, 1], got {threshold!r}")])
    rows: dict[tuple[str, int, float | None, float | None], SignpostRow] = {}
    for proj in projs:
        for i, sp in enumerate(proj.scenario.signposts):
            key = (sp.indicator, sp.by, sp.above, sp.below)
            if key in rows:
                old = rows[key]
                rows[key] = SignpostRow(
                    label=old.label,
                    indicator=old.indicator,
                    by=old.by,
                    above=old.above,
                    below=old.below,
                    declared_by=(*old.declared_by, (proj.name, i)),
                    note=old.note or sp.note,
                )
                continue
            side = "above" if sp.above is not None else "below"
            rows[key] = SignpostRow(
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
    table = list(rows.values())
    probability = np.zeros((len(table), len(projs)))
    problems = []
    for j, proj in enumerate(projs):
        for i, row in enumerate(table):
            declared = ", ".join(f"{s} (signposts.{k})" for s, k in row.declared_by)
            if row.indicator not in proj.indicators:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: scenario '{proj.name}' has "
                        f"no indicator '{row.indicator}'",
                    )
                )
                continue
            if not proj.years[0] <= row.by <= proj.years[-1]:
                problems.append(
                    Problem(
                        "signposts",
                        f"'{row.label}', declared by {declared}: {row.by} lies outside the "
                        f"projected years {proj.years[0]}..{proj.years[-1]} of scenario "
                        f"'{proj.name}'; expected a year within them",
                    )
                )
                continue
            path = proj.values(row.indicator)[:, : proj.year_index(row.by) + 1]
            hit = path > row.above if row.above is not None else path < row.threshold
            probability[i, j] = hit.any(axis=1).mean()
    if problems:
        raise InputError(problems)
    if len(projs) > 1 and table:
        spread = probability.max(axis=1) - probability.min(axis=1)
        flags = spread < threshold
    else:
        spread = np.full(len(table), np.nan)
        flags = np.zeros(len(table), dtype=np.bool_)
    return SignpostTable(
        scenarios=tuple(p.name for p in projs),
        signposts=tuple(table),
        probability=frozen(probability),
        diagnosticity=frozen(spread),
        non_diagnostic=frozen(flags),
        threshold=float(threshold),
        draws=tuple(p.draws for p in projs),
    )
