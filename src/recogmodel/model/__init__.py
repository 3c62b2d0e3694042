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
from .dependencies import levels
from .dynamics import Fade, Hazard, Link, Reversion
from .formula import Formula, FormulaError, parse_formula
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
    "Fade",
    "Formula",
    "FormulaError",
    "Hazard",
    "HistoryPoint",
    "Identifier",
    "Indicator",
    "Intensity",
    "KeyAssumption",
    "Link",
    "Parameter",
    "Reversion",
    "Scenario",
    "Signpost",
    "Source",
    "apply_overlay",
    "expand",
    "levels",
    "merge",
    "parse_formula",
]
