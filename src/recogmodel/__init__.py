"""recogmodel: policy-scenario modelling.

An actor's stated interests become weighted drivers, the drivers move measurable
indicators, and a vectorised Monte Carlo engine projects every indicator's range year by
year under the analyst's assumptions.
"""

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .analysis import (
    Observation,
    ObservationOutsideEnsembleWarning,
    Posterior,
    Priorities,
    Sensitivity,
    SignpostTable,
    priorities,
    read_observations,
    sensitivity,
    signposts,
    update,
)
from .engine import project
from .errors import (
    InputError,
    MissingExtraError,
    ProjectionTooLargeError,
    RecogmodelError,
    ScenarioFileError,
)
from .exploration import Exploration, ExploreWarning, explore
from .io.folder import CaseFolder, load_case, schema
from .model import (
    Baseline,
    Case,
    Correlation,
    Driver,
    Effect,
    Event,
    EventEffects,
    HistoryPoint,
    Indicator,
    Intensity,
    Scenario,
    Signpost,
    Source,
)
from .model.estimates import Estimate, ProbabilityEstimate, parse_estimate
from .projection import Diagnostics, Projection, Summary

if TYPE_CHECKING:
    from . import plot
    from .report import build_report, write_report

try:
    __version__ = version("recogmodel")
except PackageNotFoundError:  # pragma: no cover - running from a source tree, not installed
    __version__ = "0+unknown"

__all__ = [
    "Baseline",
    "Case",
    "CaseFolder",
    "Correlation",
    "Diagnostics",
    "Driver",
    "Effect",
    "Estimate",
    "Event",
    "EventEffects",
    "Exploration",
    "ExploreWarning",
    "HistoryPoint",
    "Indicator",
    "InputError",
    "Intensity",
    "MissingExtraError",
    "Observation",
    "ObservationOutsideEnsembleWarning",
    "Posterior",
    "Priorities",
    "ProbabilityEstimate",
    "Projection",
    "ProjectionTooLargeError",
    "RecogmodelError",
    "Scenario",
    "ScenarioFileError",
    "Sensitivity",
    "Signpost",
    "SignpostTable",
    "Source",
    "Summary",
    "__version__",
    "build_report",
    "explore",
    "load_case",
    "parse_estimate",
    "plot",
    "priorities",
    "project",
    "read_observations",
    "schema",
    "sensitivity",
    "signposts",
    "update",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """Plots and reports are imported on first use: importing the library stays light."""
    if name == "plot":
        return importlib.import_module(f"{__name__}.plot")
    if name in ("build_report", "write_report"):
        return getattr(importlib.import_module(f"{__name__}.report"), name)
    raise AttributeError(f"module 'recogmodel' has no attribute {name!r}")
