"""The models: estimates, the structural case, its assumption slots, and scenarios."""

from .case import (
    Baseline,
    Case,
    Correlation,
    CorrelationEntry,
    Driver,
    Effect,
    Event,
    EventEffects,
    HistoryPoint,
    Identifier,
    Indicator,
    Intensity,
    Signpost,
    Source,
)
from .parameters import Domain, KeyAssumption, Parameter
from .scenario import SCENARIO_KEYS, Scenario, apply_overlay, expand, merge

__all__ = [
    "SCENARIO_KEYS",
    "Baseline",
    "Case",
    "Correlation",
    "CorrelationEntry",
    "Domain",
    "Driver",
    "Effect",
    "Event",
    "EventEffects",
    "HistoryPoint",
    "Identifier",
    "Indicator",
    "Intensity",
    "KeyAssumption",
    "Parameter",
    "Scenario",
    "Signpost",
    "Source",
    "apply_overlay",
    "expand",
    "merge",
]
