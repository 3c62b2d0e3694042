"""Scenarios: a case with an analyst's assumptions laid over it.

A scenario file is a partial case deep-merged over its parent (the case, or the scenario it
``extends``), plus the keys only a scenario has (narrative, signposts, correlations, draws,
seed). The merge rules live here so that the loader and :meth:`Scenario.with_changes` share
them.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from pydantic import Field, NonNegativeInt, PositiveInt, ValidationError, model_validator

from .._base import Model
from .._problems import RuleViolation, input_error
from .._text import OneLine, Prose
from .case import Case, CorrelationEntry, Identifier, Signpost, _expand_effect, _expand_intensity
from .dynamics import expand_link

__all__ = ["SCENARIO_KEYS", "Scenario", "apply_overlay", "expand", "merge"]

#: Keys a scenario file has that are not part of the case (never merged into it).
SCENARIO_KEYS = (
    "scenario",
    "title",
    "extends",
    "narrative",
    "signposts",
    "correlations",
    "draws",
    "seed",
)


def expand(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of raw case data with shorthands written out in full, so that merging an
    overlay over it keeps what the overlay does not mention.
    """
    out = copy.deepcopy(data)
    drivers = out.get("drivers")
    if isinstance(drivers, dict):
        for driver in drivers.values():
            if not isinstance(driver, dict):
                continue
            if "intensity" in driver:
                driver["intensity"] = _expand_intensity(driver["intensity"])
            if isinstance(driver.get("effects"), dict):
                driver["effects"] = {k: _expand_effect(v) for k, v in driver["effects"].items()}
    indicators = out.get("indicators")
    if isinstance(indicators, dict):
        for ind in indicators.values():
            if isinstance(ind, dict) and isinstance(ind.get("links"), dict):
                ind["links"] = {k: expand_link(v) for k, v in ind["links"].items()}
    return out


def _is_leaf(value: Any) -> bool:
    """Estimates written as mappings are replaced whole, never merged key by key."""
    return not isinstance(value, dict) or "dist" in value


def merge(base: Any, overlay: Any) -> Any:
    """Deep merge: mappings merge key by key; scalars, lists and estimates replace; a key
    set to null in a mapping of the overlay is removed (as in JSON Merge Patch, RFC 7386).
    """
    if _is_leaf(base) or _is_leaf(overlay):
        return copy.deepcopy(overlay)
    out = dict(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
    return out


def apply_overlay(case_data: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Raw case data with an overlay's case keys deep-merged over it (both expanded first)."""
    partial = {k: v for k, v in overlay.items() if k not in SCENARIO_KEYS}
    merged: dict[str, Any] = merge(expand(case_data), expand(partial))
    return merged


class Scenario(Model):
    """A case with a named set of assumptions laid over it: what the engine projects."""

    name: Identifier = Field(description="The scenario's name (its file's stem).")
    title: OneLine = Field(min_length=1, description="A few words for legends and headings.")
    narrative: Prose | None = Field(None, description="Why this future, in the analyst's words.")
    lineage: tuple[str, ...] = Field(
        (), description="The scenarios this one extends, nearest last (the case is implied)."
    )
    case: Case = Field(description="The case with this scenario's assumptions merged in.")
    signposts: list[Signpost] = Field([], description="What would show it is unfolding.")
    correlations: list[CorrelationEntry] = Field(
        [], description="Rank correlations between named assumptions."
    )
    draws: PositiveInt | None = Field(None, description="Default number of draws.")
    seed: NonNegativeInt | None = Field(None, description="Default seed.")

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        problems: list[tuple[str | tuple[str, ...], str]] = []
        case = self.case
        for i, sp in enumerate(self.signposts):
            if sp.indicator not in case.indicators:
                known = ", ".join(sorted(case.indicators))
                problems.append(
                    (
                        f"signposts.{i}.indicator",
                        f"names indicator '{sp.indicator}', which the case does not define; "
                        f"known indicators: {known}",
                    )
                )
                continue
            if not case.start < sp.by <= case.horizon:
                problems.append(
                    (
                        f"signposts.{i}.by",
                        f"year {sp.by} is outside the projected years {case.start + 1}.."
                        f"{case.horizon} of case '{case.case}'",
                    )
                )
            domain = case.indicators[sp.indicator].domain()
            if not domain.admits(sp.threshold, sp.threshold):
                problems.append(
                    (
                        f"signposts.{i}.{'above' if sp.above is not None else 'below'}",
                        f"threshold {sp.threshold:g} lies outside {domain}, where indicator "
                        f"'{sp.indicator}' can never go",
                    )
                )
        problems += self._check_correlations()
        if problems:
            raise RuleViolation(problems)
        return self

    def _check_correlations(self) -> list[tuple[str | tuple[str, ...], str]]:
        params = {p.name: p for p in self.case.parameters()}
        problems: list[tuple[str | tuple[str, ...], str]] = []
        seen: set[frozenset[str]] = set()
        for i, corr in enumerate(self.correlations):
            for j, name in enumerate(corr.between):
                if name not in params:
                    problems.append(
                        (
                            f"correlations.{i}.between.{j}",
                            f"'{name}' is not an assumption of the scenario; expected a dotted "
                            f"name such as {next(iter(params))}",
                        )
                    )
                elif params[name].estimate.is_fixed:
                    problems.append(
                        (
                            f"correlations.{i}.between.{j}",
                            f"'{name}' is fixed, so it cannot be correlated; give it a range",
                        )
                    )
            pair = frozenset(corr.between)
            if len(pair) == 1:
                problems.append((f"correlations.{i}", "correlates an assumption with itself"))
            elif pair in seen:
                problems.append((f"correlations.{i}", "repeats a pair already correlated"))
            seen.add(pair)
        if not problems and self.correlations:
            names = sorted({n for c in self.correlations for n in c.between})
            index = {n: i for i, n in enumerate(names)}
            matrix = np.eye(len(names))
            for c in self.correlations:
                a, b = index[c.between[0]], index[c.between[1]]
                matrix[a, b] = matrix[b, a] = c.rho
            if np.linalg.eigvalsh(matrix).min() <= 1e-9:
                problems.append(
                    (
                        "correlations",
                        "the correlations together are impossible (the matrix "
                        "is not positive definite); weaken some of them",
                    )
                )
        return problems

    @classmethod
    def from_case(cls, case: Case, **keys: Any) -> Scenario:
        """The case itself as a scenario (``baseline`` unless named otherwise)."""
        keys.setdefault("name", "baseline")
        keys.setdefault("title", "Baseline")
        return cls(case=case, **keys)

    def with_changes(self, overlay: dict[str, Any], **keys: Any) -> Scenario:
        """A new scenario: this one with ``overlay`` (partial case data) deep-merged over it.

        ``keys`` replace the scenario's own keys (``name``, ``title``, ``signposts``...).
        """
        data = apply_overlay(self.case.model_dump(mode="json"), overlay)
        own = self.model_dump(exclude={"case"})
        own.update(keys, case=data)
        try:
            return Scenario.model_validate(own)
        except ValidationError as exc:
            raise input_error(exc, own, Scenario) from None
