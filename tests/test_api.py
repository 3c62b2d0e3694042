"""The public surface: what `import recogmodel` offers, pinned so changes are deliberate."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import version

import pytest

import recogmodel as rm

from .conftest import SHIPPED

PUBLIC = [
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


def test_warnings_share_one_base() -> None:
    """Every warning the library gives is a RecogmodelWarning (a UserWarning)."""
    assert issubclass(rm.RecogmodelWarning, UserWarning)
    for warning in (
        rm.ObservationOutsideEnsembleWarning,
        rm.ExploreWarning,
        rm.IndistinguishableScenariosWarning,
    ):
        assert issubclass(warning, rm.RecogmodelWarning)
    assert issubclass(rm.ObservationFileError, rm.InputError)
    assert not issubclass(rm.ObservationFileError, rm.ScenarioFileError)


def test_parse_estimate_returns_an_estimate() -> None:
    """parse_estimate gives an estimate object, not its mapping form."""
    est = rm.parse_estimate("0.2 to 0.4")
    assert isinstance(est, rm.EstimateBase)
    assert est.dist == "lognormal"
    assert isinstance(rm.parse_estimate("likely", probability=True), rm.EstimateBase)
    with pytest.raises(rm.InputError, match="probability word"):
        rm.parse_estimate("likely")


def test_case_folder_is_a_mapping_of_scenarios() -> None:
    """A loaded folder maps scenario names to scenarios; an unknown name is a KeyError."""
    folder = rm.load_case(SHIPPED)
    assert isinstance(folder, Mapping)
    assert next(iter(folder)) == "baseline"
    assert all(isinstance(s, rm.Scenario) for s in folder.values())
    assert folder.get("nonexistent") is None
    with pytest.raises(rm.UnknownScenarioError, match="expected one of: baseline"):
        folder["nonexistent"]


def test_import_loads_only_what_a_projection_needs() -> None:
    """`import recogmodel` imports neither matplotlib, Jinja2, scipy.stats nor the analyses."""
    code = (
        "import sys, recogmodel\n"
        "heavy = ('matplotlib', 'jinja2', 'scipy.stats', 'recogmodel.analysis',"
        " 'recogmodel.report', 'recogmodel.plot', 'recogmodel.study')\n"
        "print(sorted({m.split('._')[0] for m in sys.modules if m.startswith(heavy)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
