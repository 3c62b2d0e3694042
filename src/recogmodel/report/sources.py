"""Citations and the sources list: every source of the reported scenarios, each with the
numbers that cite it, marked as a fact it states or an assumption it supports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..text.numbers import format_value, is_share, plain_number
from . import view
from .values import percent, written

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Case
    from ..projection import Projection

__all__ = ["citation", "references", "sources"]


def citation(case: Case, name: str) -> tuple[str, str, str | None]:
    """A citing number's label, whether it is a fact or an assumption, and its rating.

    A baseline value or an observed point is a *fact* unless the case rates it
    unsupported or its note calls it an assumption; drivers, effects and events are
    *assumptions* (judgments the source supports).

    Parameters
    ----------
    case
        The case the number belongs to.
    name
        Its dotted name, as :meth:`~recogmodel.Case.sources_cited` gives it.

    Returns
    -------
    tuple[str, str, str | None]
        The label, ``"fact"`` or ``"assumption"``, and the support the case's Key
        Assumptions Check gives it (``None`` when it is not rated).
    """
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
        unit = "" if is_share(ind.unit, ind.scale) else f" {ind.unit}"
        if parts[2] == "history":
            year = int(parts[3])
            point = ind.history[year]
            shown = format_value(point.value, ind.unit, ind.scale)
            return f"{ind.label}, observed in {year}: {shown}{unit}", "fact", None
        if parts[2] == "links":
            source = case.indicators[parts[3]]
            rating = ratings.get(f"indicators.{parts[1]}.links.{parts[3]}.size")
            return (
                f"{ind.label}: how it follows {source.label}",
                "assumption",
                (rating.support if rating else None),
            )
        base = ind.baseline
        assert base is not None  # a derived indicator has no baseline to cite
        fmt = percent if is_share(ind.unit, ind.scale) else plain_number
        rating = ratings.get(f"indicators.{parts[1]}.baseline.value")
        support = rating.support if rating else None
        # A fact cites, under sources:, a source that states it; a baseline that only names
        # the sources informing it (informed_by:) is the analyst's assumption.
        return (
            f"{ind.label}, baseline {base.year}: {written(base.value, fmt)}{unit}",
            "fact" if base.sources else "assumption",
            support,
        )
    event = case.events[parts[1]]
    rating = ratings.get(f"events.{parts[1]}.probability")
    return f"Event: {event.label}", "assumption", rating.support if rating else None


def sources(projections: Sequence[Projection], titles: dict[str, str]) -> list[view.Source]:
    """Every source of the scenarios in the report, each with the numbers citing it.

    Parameters
    ----------
    projections
        The reported scenarios' projections, in the report's order.
    titles
        Each scenario's title by name.

    Returns
    -------
    list[view.Source]
        Numbered from 1 in the order the scenarios first list them; a number cited in
        only some scenarios names them.
    """
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
            label, kind, support = citation(case, name)
            only = [] if where == everywhere else [titles[w] for w in where]
            citations.append(view.Citation(label, name, kind, support, only))
        out.append(
            view.Source(
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


def references(listed: Sequence[view.Source], cited: Sequence[str]) -> list[view.Ref]:
    """Links to the listed sources among ``cited`` (source ids), in the order cited.

    Parameters
    ----------
    listed
        The report's sources list.
    cited
        Source ids; an id that is not listed is skipped.

    Returns
    -------
    list[view.Ref]
    """
    numbers = {s.id: view.Ref(s.number, s.id, s.title) for s in listed}
    return [numbers[s] for s in cited if s in numbers]
