"""What the journal tests share: a small copy of the shipped case, a journal recorded from
it, and observations drawn from a scenario's own ensemble.

A test module takes a fixture by importing it under its own name
(``from .journal_helpers import case_copy as case_copy``).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel.journal import append_entry, forecast_entry

from .conftest import SHIPPED

if TYPE_CHECKING:
    from pathlib import Path

#: The scenarios the copy keeps (each extends the baseline only).
KEPT = ("baseline", "deepening", "stalled")

#: When the recorded entries are said to be made.
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def copy_case(folder: Path) -> Path:
    """The shipped case with three of its scenarios, copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("case", *KEPT):
        shutil.copy(SHIPPED / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    """A copy of the shipped case (three scenarios) that a test may write a journal beside."""
    return copy_case(tmp_path / "case")


@pytest.fixture
def recorded(case_copy: Path) -> Path:
    """The copy with one entry in its journal (800 draws, seed 11, recorded at WHEN)."""
    study = rm.Study(case_copy, draws=800, seed=11)
    append_entry(
        forecast_entry(study.projections, study.folder, note="first", recorded=WHEN), case_copy
    )
    return case_copy


def observed(scenario: rm.Scenario, seed: int, years: tuple[int, ...]) -> list[rm.Observation]:
    """One trajectory of every indicator of ``scenario`` (a draw of its own), in ``years``."""
    proj = rm.project(scenario, draws=4, seed=seed)  # the first draw of a few
    return [
        rm.Observation(indicator=k, year=y, value=float(proj.values(k)[0, proj.year_index(y)]))
        for k in proj.indicators
        for y in years
    ]
