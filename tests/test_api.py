"""The public surface: what `import recogmodel` offers, pinned so changes are deliberate."""

from __future__ import annotations

from importlib.metadata import version

import recogmodel as rm

PUBLIC = [
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


def test_public_names_are_pinned_and_sorted() -> None:
    """__all__ lists exactly the public names, sorted."""
    assert rm.__all__ == PUBLIC
    assert sorted(rm.__all__) == rm.__all__
    for name in rm.__all__:
        assert hasattr(rm, name)


def test_version_comes_from_package_metadata() -> None:
    """__version__ is the installed distribution's version."""
    assert rm.__version__ == version("recogmodel")


def test_errors_inherit_the_builtins_they_resemble() -> None:
    """Every error is a RecogmodelError and also the built-in it resembles."""
    assert issubclass(rm.ScenarioFileError, rm.InputError)
    assert issubclass(rm.InputError, ValueError)
    assert issubclass(rm.ProjectionTooLargeError, MemoryError)
    assert issubclass(rm.MissingExtraError, ImportError)
    for err in (rm.InputError, rm.ProjectionTooLargeError, rm.MissingExtraError):
        assert issubclass(err, rm.RecogmodelError)
