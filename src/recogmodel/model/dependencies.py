"""Which indicators depend on which within a year, in what order they are computed, and
what a case may not write about them (unknown names, same-year cycles).

An indicator depends on another *in the same year* when its formula names it or it links
to it with ``lag: 0``; those dependencies must form no cycle, and they give each indicator
a *level*: 0 when it depends on nothing this year, else one more than the highest level it
depends on. The engine computes levels in order, every indicator of a level at once.
Lagged links (``lag >= 1``) and hazards look only at earlier years, so they may form
loops freely.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .estimates import FixedEstimate
from .formula import parse_formula

if TYPE_CHECKING:
    from .case import Case

__all__ = ["dependency_problems", "levels", "same_year_inputs"]

_Problems = list[tuple[str | tuple[str, ...], str]]


def same_year_inputs(case: Case) -> dict[str, list[tuple[str, str]]]:
    """Indicator -> the indicators it needs this year, each with the path that says so."""
    needs: dict[str, list[tuple[str, str]]] = {k: [] for k in case.indicators}
    for k, ind in case.indicators.items():
        if ind.formula is not None:
            for name in parse_formula(ind.formula).names:
                needs[k].append((name, f"indicators.{k}.formula"))
        for j, link in ind.links.items():
            if link.lag == 0:
                needs[k].append((j, f"indicators.{k}.links.{j}"))
    return needs


def _cycle(needs: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]] | None:
    """One same-year cycle as (indicator, path of its edge) steps, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[tuple[str, str]] = []

    def visit(k: str) -> list[tuple[str, str]] | None:
        state[k] = 1
        for j, where in needs.get(k, []):
            if j not in needs:
                continue
            path.append((k, where))
            if state.get(j) == 1:
                first = next(i for i, (name, _) in enumerate(path) if name == j)
                return path[first:]
            if state.get(j) is None:
                found = visit(j)
                if found:
                    return found
            path.pop()
        state[k] = 2
        return None

    for k in needs:
        if state.get(k) is None:
            found = visit(k)
            if found:
                return found
    return None


def levels(case: Case) -> dict[str, int]:
    """Indicator -> its level: the order in which a year computes it (0 first).

    Parameters
    ----------
    case
        A valid case (its same-year dependencies form no cycle).

    Returns
    -------
    dict of str to int
        Every indicator's level, in the case's order.
    """
    needs = same_year_inputs(case)
    found: dict[str, int] = {}

    def level(k: str) -> int:
        if k not in found:
            found[k] = 0  # guards a cycle a valid case cannot have
            found[k] = max((level(j) + 1 for j, _ in needs[k] if j in needs), default=0)
        return found[k]

    return {k: level(k) for k in case.indicators}


def dependency_problems(case: Case) -> _Problems:
    """What the case's formulas, links, hazards and reversions name wrongly, and cycles.

    Parameters
    ----------
    case
        The case being checked.

    Returns
    -------
    list of (path, message)
        One entry per problem, its path as a file writes it.
    """
    problems: _Problems = []
    known = ", ".join(sorted(case.indicators))

    def unknown(path: str, name: str, kind: str = "indicator") -> None:
        group = case.indicators if kind == "indicator" else case.drivers
        names = ", ".join(sorted(group))
        problems.append(
            (path, f"names {kind} '{name}', which the case does not define; known {kind}s: {names}")
        )

    derived = {k for k, ind in case.indicators.items() if ind.derived}
    for k, ind in case.indicators.items():
        if ind.formula is not None:
            for name in parse_formula(ind.formula).names:
                if name not in case.indicators:
                    problems.append(
                        (
                            f"indicators.{k}.formula",
                            f"names indicator '{name}', which the case does not define; "
                            f"known indicators: {known}",
                        )
                    )
        for j in ind.links:
            if j not in case.indicators:
                unknown(f"indicators.{k}.links.{j}", j)
        if ind.reversion is not None:
            low, high = ind.reversion.to.stated_range()
            domain = ind.domain()
            if not domain.admits(low, high):
                stated = f"{low:g}" if low == high else f"{low:g} to {high:g}"
                problems.append(
                    (
                        f"indicators.{k}.reversion.to",
                        f"{stated} lies outside {domain}, where the indicator can never go",
                    )
                )
            if ind.integer:
                problems.append(
                    (
                        f"indicators.{k}.reversion",
                        "a whole-number indicator (integer: true) cannot revert by fractions",
                    )
                )
        if ind.integer and ind.links:
            problems.append(
                (
                    f"indicators.{k}.links",
                    "a whole-number indicator (integer: true) cannot follow another's change",
                )
            )
    for d, driver in case.drivers.items():
        for k in driver.effects:
            if k in derived:
                problems.append(
                    (
                        f"drivers.{d}.effects.{k}",
                        f"'{k}' is derived by its formula; a driver moves its inputs instead",
                    )
                )
    for e, event in case.events.items():
        for k in event.effects.indicators:
            if k in derived:
                problems.append(
                    (
                        f"events.{e}.effects.indicators.{k}",
                        f"'{k}' is derived by its formula; an event moves its inputs instead",
                    )
                )
        if event.hazard is not None:
            for d in event.hazard.drivers:
                if d not in case.drivers:
                    unknown(f"events.{e}.hazard.drivers.{d}", d, "driver")
            for k in event.hazard.indicators:
                if k not in case.indicators:
                    unknown(f"events.{e}.hazard.indicators.{k}", k)
        fade = event.effects.fade
        if fade is not None:
            jumps = event.effects.indicators
            for k, jump in jumps.items():
                whole = isinstance(jump, FixedEstimate)
                if k in case.indicators and case.indicators[k].integer and whole:
                    problems.append(
                        (
                            f"events.{e}.effects.fade",
                            f"'{k}' takes whole numbers only (integer: true), and a fading "
                            "jump would leave fractions; expected no fade",
                        )
                    )
    if problems:
        return problems
    cycle = _cycle(same_year_inputs(case))
    if cycle:
        names = " -> ".join([k for k, _ in cycle] + [cycle[0][0]])
        problems.append(
            (
                cycle[0][1],
                f"same-year cycle {names}: each needs the other's value of the same year; "
                "break it with a link of lag: 1 or more",
            )
        )
    return problems
