"""Facts and assumptions: every number of a case, told by what it rests on.

A number citing ``sources:`` is a **fact** those sources state; every other number is an
**assumption**, which may name the sources that inform it (``informed_by:``) and carry a
rationale. :func:`basis_rows` gives the tidy rows the exports carry; :func:`facts_listing`
and :func:`facts_text` the lines ``recogmodel validate --facts`` prints, with each event's
chance by the horizon (:mod:`.chances`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chances import event_chances
from .parameters import case_parameters

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .case import Case
    from .scenario import Scenario

__all__ = ["basis_rows", "chances_text", "facts_listing", "facts_text"]


def basis_rows(case: Case) -> list[dict[str, Any]]:
    """Every number of a case as a fact or an assumption, with what it rests on.

    Parameters
    ----------
    case
        The case.

    Returns
    -------
    list of dict
        One row per assumption slot, in :func:`case_parameters` order: ``name``,
        ``basis`` (``fact`` or ``assumption``), ``sources`` (that state it),
        ``informed_by`` (that inform it) and ``rationale`` (``None`` when the case gives
        none).
    """
    return [
        {
            "name": p.name,
            "basis": p.basis,
            "sources": list(p.sources),
            "informed_by": list(p.informed_by),
            "rationale": p.rationale,
        }
        for p in case_parameters(case)
    ]


def facts_listing(case: Case) -> list[str]:
    """Lines listing a case's facts, its assumptions, and the assumptions with no rationale.

    Parameters
    ----------
    case
        The case.

    Returns
    -------
    list of str
        A heading and one line per number under "facts" (with the sources that state
        it), "assumptions" (with the sources that inform it), then the grounded numbers
        (baselines, weights, effects) that are assumptions without a rationale.
    """
    rows = basis_rows(case)
    facts = [r for r in rows if r["basis"] == "fact"]
    assumed = [r for r in rows if r["basis"] == "assumption"]
    lines = [f"facts ({len(facts)}): numbers a cited source states"]
    lines += [f"  {r['name']}  [{', '.join(r['sources'])}]" for r in facts]
    lines.append(f"assumptions ({len(assumed)}): the analyst's judgments")
    for r in assumed:
        informed = f"  informed by [{', '.join(r['informed_by'])}]" if r["informed_by"] else ""
        lines.append(f"  {r['name']}{informed}")
    grounded = ("weight", "baseline", "effect")
    bare = [
        p.name
        for p in case_parameters(case)
        if p.basis == "assumption" and p.role in grounded and not p.rationale
    ]
    if bare:
        lines.append(f"assumptions without a rationale ({len(bare)}):")
        lines += [f"  {name}" for name in bare]
    return lines


def chances_text(scenarios: Mapping[str, Scenario]) -> str:
    """Every scenario's event chances by the horizon, as indented text lines.

    Parameters
    ----------
    scenarios
        A case folder (scenario name -> scenario); a scenario's chances are listed where
        they differ from the first scenario's.

    Returns
    -------
    str
        Indented lines ending in a newline; empty when no scenario has an event.
    """
    if not scenarios:
        return ""
    first = next(iter(scenarios.values()))
    lines: list[str] = []
    seen: dict[str, str] = {}
    for name, scenario in scenarios.items():
        for chance in event_chances(scenario.case):
            text = str(chance)
            if seen.get(chance.event) == text:
                continue
            where = "" if scenario is first else f" ({name})"
            seen.setdefault(chance.event, text)
            lines.append(f"  {chance.event}{where}: {text}")
    if not lines:
        return ""
    lines.insert(0, f"chances by {first.case.horizon} (per-year chances compound):")
    return "".join(f"  {line}\n" for line in lines)


def facts_text(scenarios: Mapping[str, Scenario]) -> str:
    """The case's facts and assumptions, and every scenario's event chances, as text.

    Parameters
    ----------
    scenarios
        A case folder (scenario name -> scenario); the facts are listed once, from the
        first scenario's case, and the chances per scenario where they differ.

    Returns
    -------
    str
        Indented lines ending in a newline; empty for no scenarios.
    """
    if not scenarios:
        return ""
    first = next(iter(scenarios.values()))
    listing = "".join(f"  {line}\n" for line in facts_listing(first.case))
    return listing + chances_text(scenarios)
