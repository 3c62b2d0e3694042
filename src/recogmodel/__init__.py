"""recogmodel: policy-scenario modelling.

An actor's stated interests become weighted drivers, the drivers move measurable
indicators, and a vectorised Monte Carlo engine projects every indicator's range year by
year under the analyst's assumptions.

``import recogmodel`` loads only the errors; every other public name is imported on first
use (lazy loading as in Scientific Python's SPEC 1), so a projection loads the model and
the engine, and only an analysis, a plot or a report loads those parts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ExploreWarning,
    IndistinguishableScenariosWarning,
    InputError,
    JournalError,
    MissingExtraError,
    ObservationFileError,
    ObservationOutsideEnsembleWarning,
    Problem,
    ProjectionTooLargeError,
    RecogmodelError,
    RecogmodelWarning,
    ScenarioFileError,
    TooFewDrawsWarning,
    UnknownScenarioError,
)

if TYPE_CHECKING:
    from . import plot
    from .analysis import (
        Observation,
        Posterior,
        Priorities,
        Sensitivity,
        SignpostSuggestions,
        SignpostTable,
        priorities,
        read_observations,
        sensitivity,
        signposts,
        suggest_signposts,
        update,
    )
    from .engine import project
    from .exploration import Exploration, explore
    from .io.folder import CaseFolder, load_case
    from .io.schema import schema
    from .journal import Diff, Journal, JournalEntry, Scores, diff, read_journal, score
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
    from .model.estimates import Estimate, EstimateBase, ProbabilityEstimate, parse_estimate
    from .projection import Diagnostics, Projection, Summary
    from .report import build_report, write_report
    from .study import Study

    __version__: str

__all__ = [
    "Baseline",
    "Case",
    "CaseFolder",
    "Correlation",
    "Diagnostics",
    "Diff",
    "Driver",
    "Effect",
    "Estimate",
    "EstimateBase",
    "Event",
    "EventEffects",
    "Exploration",
    "ExploreWarning",
    "HistoryPoint",
    "Indicator",
    "IndistinguishableScenariosWarning",
    "InputError",
    "Intensity",
    "Journal",
    "JournalEntry",
    "JournalError",
    "MissingExtraError",
    "Observation",
    "ObservationFileError",
    "ObservationOutsideEnsembleWarning",
    "Posterior",
    "Priorities",
    "ProbabilityEstimate",
    "Problem",
    "Projection",
    "ProjectionTooLargeError",
    "RecogmodelError",
    "RecogmodelWarning",
    "Scenario",
    "ScenarioFileError",
    "Scores",
    "Sensitivity",
    "Signpost",
    "SignpostSuggestions",
    "SignpostTable",
    "Source",
    "Study",
    "Summary",
    "TooFewDrawsWarning",
    "UnknownScenarioError",
    "__version__",
    "build_report",
    "diff",
    "explore",
    "load_case",
    "parse_estimate",
    "plot",
    "priorities",
    "project",
    "read_journal",
    "read_observations",
    "schema",
    "score",
    "sensitivity",
    "signposts",
    "suggest_signposts",
    "update",
    "write_report",
]

#: Names imported on first use, and the module that holds each (SPEC 1's lazy loading):
#: ``import recogmodel`` costs almost nothing, and each part is loaded when first used.
_LAZY = {
    "project": "engine",
    "CaseFolder": "io.folder",
    "load_case": "io.folder",
    "schema": "io.schema",
    **dict.fromkeys(
        [
            "Baseline",
            "Case",
            "Correlation",
            "Driver",
            "Effect",
            "Event",
            "EventEffects",
            "HistoryPoint",
            "Indicator",
            "Intensity",
            "Scenario",
            "Signpost",
            "Source",
        ],
        "model",
    ),
    **dict.fromkeys(
        ["Estimate", "EstimateBase", "ProbabilityEstimate", "parse_estimate"], "model.estimates"
    ),
    **dict.fromkeys(["Diagnostics", "Projection", "Summary"], "projection"),
    "Observation": "analysis",
    "Posterior": "analysis",
    "Priorities": "analysis",
    "Sensitivity": "analysis",
    "SignpostTable": "analysis",
    "SignpostSuggestions": "analysis",
    "suggest_signposts": "analysis",
    "priorities": "analysis",
    "read_observations": "analysis",
    "sensitivity": "analysis",
    "signposts": "analysis",
    "update": "analysis",
    "Exploration": "exploration",
    "explore": "exploration",
    "Diff": "journal",
    "Journal": "journal",
    "JournalEntry": "journal",
    "Scores": "journal",
    "diff": "journal",
    "read_journal": "journal",
    "score": "journal",
    "build_report": "report",
    "write_report": "report",
    "Study": "study",
}


def __getattr__(name: str) -> Any:
    """Import the heavier parts (plots, analyses, report) when first asked for.

    ``__version__`` is read from the package metadata on first use too: looking it up
    scans the installed distributions, which ``import recogmodel`` need not wait for.
    """
    if name == "__version__":
        from .projection import library_version

        globals()[name] = value = library_version()
        return value
    if name == "plot":
        return importlib.import_module(f"{__name__}.plot")
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'recogmodel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
