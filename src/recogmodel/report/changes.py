"""What a scenario changes from the baseline: its assumptions, its other fields, and its
correlations between assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..text.labels import assumption_labels, entity_label
from ..text.numbers import plain_number
from . import view
from .values import estimate_value

if TYPE_CHECKING:
    from ..model import Case, Scenario

__all__ = ["correlation_changes", "scenario_changes"]

_GROUPS = {"drivers": "driver", "indicators": "indicator", "events": "event"}


def _flatten(data: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves of dumped case data by path; estimates (mappings with ``dist``) are leaves."""
    if isinstance(data, dict) and "dist" not in data:
        out: dict[tuple[str, ...], Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, (*path, str(k))))
        return out
    return {path: data}


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def _entity(case: Case, group: str, key: str) -> str:
    """A driver, indicator or event a scenario adds (or drops), in a few words."""
    item = getattr(case, group)[key]
    if group == "events":
        if item.year is not None:
            return f"happens in {item.year} (with the probability below)"
        return "may happen every year" + (", again and again" if item.recurring else ", once")
    if group == "indicators":
        if item.baseline is None:
            return f"derived in {item.unit} as {item.formula}"
        return f"measured in {item.unit} ({item.scale} scale), baseline in {item.baseline.year}"
    return "an interest of the actor, with the weight and intensity below"


def _kind(before: bool, after: bool) -> str:
    """Whether a row is changed, added or removed, from whether each side has it."""
    return "changed" if before and after else "added" if after else "removed"


def _whole_entities(reference: Case, case: Case) -> dict[tuple[str, str], view.Change]:
    """A row for each driver, indicator or event the scenario adds or drops."""
    whole: dict[tuple[str, str], view.Change] = {}
    for group, noun in _GROUPS.items():
        ref_items: dict[str, Any] = getattr(reference, group)
        items: dict[str, Any] = getattr(case, group)
        for key in items:
            if key not in ref_items:
                text = view.Value(_entity(case, group, key), "")
                label = f"New {noun}: {items[key].label}"
                whole[(group, key)] = view.Change(label, f"{group}.{key}", "added", None, text)
        for key in ref_items:
            if key not in items:
                text = view.Value(_entity(reference, group, key), "")
                label = f"Dropped {noun}: {ref_items[key].label}"
                whole[(group, key)] = view.Change(label, f"{group}.{key}", "removed", text, None)
    return whole


def scenario_changes(reference: Case, case: Case) -> list[view.Change]:
    """Every assumption of ``case`` that differs from ``reference``, in the case's order.

    A driver, indicator or event the scenario adds (or drops) is one row, followed by a row
    for each of its numbers; any other field that differs (an event's year, a bound, a
    unit) is one row with the two values. Texts about a number (notes, descriptions,
    sources) are left out: the sources are listed at the end of the report.

    Parameters
    ----------
    reference
        The baseline's case.
    case
        The scenario's case.

    Returns
    -------
    list[view.Change]
    """
    whole = _whole_entities(reference, case)
    out: list[view.Change] = []
    shown: set[tuple[str, str]] = set()
    ref_params = {p.name: p for p in reference.parameters()}
    params = {p.name: p for p in case.parameters()}
    labels = assumption_labels(list(ref_params), reference)
    labels.update(assumption_labels(list(params), case))
    estimate_paths: set[tuple[str, ...]] = set()
    for name in [*params, *(n for n in ref_params if n not in params)]:
        parts = name.split(".")
        is_effect = parts[0] == "drivers" and parts[2] == "effects"
        estimate_paths.add((*parts, "size") if is_effect else tuple(parts))
        old, new = ref_params.get(name), params.get(name)
        if old is not None and new is not None and old.estimate == new.estimate:
            continue
        owner = (parts[0], parts[1])
        if owner in whole and owner not in shown:
            out.append(whole[owner])
            shown.add(owner)
        out.append(
            view.Change(
                labels[name],
                name,
                _kind(old is not None, new is not None),
                None if old is None else estimate_value(old, reference),
                None if new is None else estimate_value(new, case),
            )
        )
    out += [change for owner, change in whole.items() if owner not in shown]
    # Everything else a scenario may set: event years, bounds, labels, units, start...
    before = _flatten(reference.model_dump(mode="json", exclude={"key_assumptions"}))
    after = _flatten(case.model_dump(mode="json", exclude={"key_assumptions"}))
    for path in [*after, *(p for p in before if p not in after)]:
        if path in estimate_paths or (len(path) > 1 and (path[0], path[1]) in whole):
            continue
        if path[0] == "sources" or "sources" in path or path[-1] in ("note", "description"):
            continue  # texts about a number, not the number; sources are listed at the end
        if before.get(path) == after.get(path):
            continue
        if path[0] in _GROUPS and len(path) > 2:
            where = entity_label(case if path in after else reference, path[0], path[1])
            label = f"{where}: {' · '.join(p.replace('_', ' ') for p in path[2:])}"
        else:
            label = " · ".join(p.replace("_", " ") for p in path)
        old_text = view.Value(_plain(before[path]), "") if path in before else None
        new_text = view.Value(_plain(after[path]), "") if path in after else None
        kind = _kind(old_text is not None, new_text is not None)
        out.append(view.Change(label, ".".join(path), kind, old_text, new_text))
    return out


def correlation_changes(reference: Scenario, scenario: Scenario) -> list[view.Change]:
    """Every rank correlation between assumptions that the scenario sets differently.

    Parameters
    ----------
    reference
        The baseline scenario.
    scenario
        The scenario.

    Returns
    -------
    list[view.Change]
        One row per pair whose correlation is added, changed or removed, the scenario's
        pairs first.
    """

    def pairs(s: Scenario) -> dict[tuple[str, str], float]:
        return {tuple(sorted(c.between)): c.rho for c in s.correlations}  # type: ignore[misc]

    old, new = pairs(reference), pairs(scenario)
    names = sorted({n for pair in [*old, *new] for n in pair})
    labels = assumption_labels(names, scenario.case)
    for name, label in assumption_labels(names, reference.case).items():
        labels.setdefault(name, label)
    out = []
    for pair in [*new, *(p for p in old if p not in new)]:
        if old.get(pair) == new.get(pair):
            continue
        out.append(
            view.Change(
                f"{labels[pair[0]]} ~ {labels[pair[1]]}",
                f"{pair[0]} ~ {pair[1]}",
                _kind(pair in old, pair in new),
                None if pair not in old else view.Value(f"ρ = {old[pair]:+.2f}", ""),
                None if pair not in new else view.Value(f"ρ = {new[pair]:+.2f}", ""),
            )
        )
    return out
