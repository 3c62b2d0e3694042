"""What to research next: the Key Assumptions Check combined with the sensitivity ranking.

An assumption's score is its importance for an indicator times the weight of its support
(:data:`SUPPORT_WEIGHTS`); influential assumptions come first, by score, and rated key
assumptions that are not sampled are listed so they are not forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..text.tables import text_table
from .sensitivity import sensitivity

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from ..projection import Projection
    from .sensitivity import SensitivityMethod, SensitivityRow

__all__ = ["SUPPORT_WEIGHTS", "Priorities", "PriorityRow", "priorities"]

#: How much an assumption's support leaves to research: unsupported counts in full.
SUPPORT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"unsupported": 1.0, "caveated": 0.6, "solid": 0.2}
)


@dataclass(frozen=True)
class PriorityRow:
    """One assumption on the research list."""

    rank: int
    assumption: str
    indicator: str
    """The indicator it was ranked for (with several, the one it moves most)."""
    importance: float
    """Its importance for that indicator (see :class:`~recogmodel.analysis.Sensitivity`)."""
    influential: bool
    """Above the sensitivity noise floor."""
    support: str | None
    """solid, caveated or unsupported; None when not rated."""
    rationale: str | None
    score: float
    """importance x weight of support (unrated weighs as unsupported)."""

    @property
    def rated(self) -> bool:
        """Whether the analyst rated this assumption's support."""
        return self.support is not None


@dataclass(frozen=True)
class Priorities:
    """What to research next: assumptions that move the range most and are least supported."""

    scenario: str
    indicators: tuple[str, ...]
    """The indicators considered (one, or every indicator of the case)."""
    year: int
    method: SensitivityMethod
    rows: tuple[PriorityRow, ...]
    """Influential assumptions by score, then those under the noise floor by score."""
    not_sampled: tuple[tuple[str, str, str], ...]
    """Rated key assumptions that are not sampled (structural, or fixed): name, support,
    rationale. Sensitivity cannot rank them; they are listed so they are not forgotten."""

    def __iter__(self) -> Iterator[PriorityRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows, one per assumption, for export.

        Returns
        -------
        list of dict
            The fields of :class:`PriorityRow` (without ``rated``) with the scenario and
            year.
        """
        return [
            {
                "scenario": self.scenario,
                "year": self.year,
                "rank": r.rank,
                "assumption": r.assumption,
                "indicator": r.indicator,
                "importance": r.importance,
                "influential": r.influential,
                "support": r.support,
                "rationale": r.rationale,
                "score": r.score,
            }
            for r in self.rows
        ]

    def table(self, limit: int | None = 10) -> str:
        """The influential assumptions as a short table.

        Parameters
        ----------
        limit
            Show at most this many; ``None``: every influential assumption.

        Returns
        -------
        str
            The table, with counts of what it leaves out and the rated assumptions that are
            not sampled.
        """
        several = len(self.indicators) > 1
        what = "every indicator" if several else self.indicators[0]
        lines = [
            f"What to research next: {what} in {self.year} ({self.scenario})",
            "score = importance x weight of support (unsupported 1, caveated 0.6, solid 0.2; "
            "not rated counts as unsupported)",
        ]
        shown = [r for r in self.rows if r.influential]
        if limit is not None:
            shown = shown[:limit]
        header = ["rank", "assumption", *(["for"] if several else []), "importance"]
        header += ["support", "score", "why"]
        body = [
            [
                str(r.rank),
                r.assumption,
                *([r.indicator] if several else []),
                f"{r.importance:.3f}",
                r.support or "not rated",
                f"{r.score:.3f}",
                _shorten(r.rationale or "", 60),
            ]
            for r in shown
        ]
        if body:
            lines += text_table(header, body, left=3 if several else 2, text=1)
        else:
            lines.append(f"no assumption moves {what} above the noise floor")
        lines += self.footnotes(shown, why_width=60)
        return "\n".join(lines)

    def footnotes(self, shown: Sequence[PriorityRow], *, why_width: int | None = None) -> list[str]:
        """What a table of ``shown`` rows leaves out: the rows not shown, the shown rows not
        rated, and the rated assumptions not sampled (so not ranked).

        Parameters
        ----------
        shown
            The rows a table shows.
        why_width
            Cut each rationale to this many characters (``None``: whole, spaces folded).

        Returns
        -------
        list of str
            One line per note, in that order.
        """
        lines = []
        rest = len(self.rows) - len(shown)
        if rest:
            lines.append(f"{rest} more (less influential, or under the noise floor) not shown")
        unrated = sum(1 for r in shown if not r.rated)
        if unrated:
            lines.append(f"{unrated} shown not rated: rate them in the case's key_assumptions")
        for name, support, why in self.not_sampled:
            text = " ".join(why.split()) if why_width is None else _shorten(why, why_width)
            lines.append(f"not sampled, so not ranked: {name} ({support}): {text}")
        return lines

    def __str__(self) -> str:
        return self.table()


def _shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def priorities(
    proj: Projection,
    indicator: str | None = None,
    year: int | None = None,
    *,
    method: SensitivityMethod = "srrc",
    dummy_seed: int = 0,
) -> Priorities:
    """Rank assumptions for research: important and poorly supported first.

    Parameters
    ----------
    proj
        A projection whose scenario's case carries ``key_assumptions`` ratings.
    indicator
        The indicator whose range matters; ``None``: every indicator, each assumption
        ranked by the indicator it moves most (for a command's short summary).
    year
        The year (default: the last projected year).
    method, dummy_seed
        Passed to :func:`sensitivity`.

    Returns
    -------
    Priorities
        Rows ordered by score = importance x support weight (:data:`SUPPORT_WEIGHTS`;
        an unrated assumption weighs as unsupported and is shown as not rated), with
        assumptions under the noise floor last.
    """
    year = proj.years[-1] if year is None else year
    indicators = tuple(proj.indicators) if indicator is None else (indicator,)
    best: dict[str, tuple[SensitivityRow, str]] = {}
    for k in indicators:
        for row in sensitivity(proj, k, year, method=method, dummy_seed=dummy_seed).ranking():
            held = best.get(row.assumption)
            if held is None or (row.influential, row.importance) > (
                held[0].influential,
                held[0].importance,
            ):
                best[row.assumption] = (row, k)
    ratings = proj.scenario.case.key_assumptions
    scored = []
    for name in proj.parameter_names:
        row, k = best[name]
        rating = ratings.get(name)
        support = rating.support if rating is not None else None
        weight = SUPPORT_WEIGHTS[support] if support is not None else 1.0
        why = rating.rationale if rating is not None else None
        scored.append((row, k, support, why, row.importance * weight))
    scored.sort(key=lambda item: (not item[0].influential, -item[4], item[0].assumption))
    rows = tuple(
        PriorityRow(
            rank=i + 1,
            assumption=row.assumption,
            indicator=k,
            importance=row.importance,
            influential=row.influential,
            support=support,
            rationale=why,
            score=score,
        )
        for i, (row, k, support, why, score) in enumerate(scored)
    )
    sampled = set(proj.parameter_names)
    not_sampled = tuple(
        (name, r.support, r.rationale) for name, r in ratings.items() if name not in sampled
    )
    return Priorities(
        scenario=proj.name,
        indicators=indicators,
        year=year,
        method=method,
        rows=rows,
        not_sampled=not_sampled,
    )
