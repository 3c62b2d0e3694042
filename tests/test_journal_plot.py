"""The journal's figures: calibration, revision and waterfall draw what they say."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest
from matplotlib.patches import Rectangle

import recogmodel as rm
from recogmodel.journal import INTERACTION, read_journal
from recogmodel.plot.journal import calibration, revision, waterfall

from .journal_helpers import case_copy as case_copy
from .journal_helpers import copy_case
from .journal_helpers import recorded as recorded

if TYPE_CHECKING:
    from pathlib import Path

SEEN = [
    rm.Observation(indicator="bilateral_trade", year=2027, value=320.0),
    rm.Observation(indicator="bilateral_trade", year=2028, value=900.0),
]


def test_calibration_draws_each_range_at_its_coverage(recorded: Path) -> None:
    """One point per central range, at its nominal level and observed coverage."""
    scores = rm.score(recorded, SEEN)
    ax = calibration(scores)
    points = np.asarray(ax.lines[1].get_xydata(), dtype=float)  # the diagonal comes first
    expected = [(r["nominal"], r["observed"]) for r in scores.coverage()]
    np.testing.assert_allclose(points, expected)
    assert "mixture" in ax.get_title(loc="left")
    with pytest.raises(rm.InputError, match="no scored cell"):
        calibration(scores, scenario="nowhere")


def test_revision_follows_one_cell_across_entries(recorded: Path) -> None:
    """One median per entry that forecast the cell, and the observed line."""
    rm.Study(recorded, draws=300, seed=2).record("second")
    journal = read_journal(recorded)
    ax = revision(journal, "bilateral_trade", 2030, scenario="baseline", observed=500.0)
    medians = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    expected = [e.quantile("baseline", "bilateral_trade", 2030, 0.5) for e in journal]
    np.testing.assert_allclose(medians, expected, rtol=0.02)
    assert [t.get_text() for t in ax.get_xticklabels()] == [e.date for e in journal]
    assert np.asarray(ax.lines[1].get_ydata(), dtype=float)[0] == 500.0


def test_waterfall_steps_from_old_to_new(tmp_path: Path) -> None:
    """Bars go old, each edit, the interaction, new; the steps add up to the change."""
    old, new = copy_case(tmp_path / "old"), copy_case(tmp_path / "new")
    text = (new / "deepening.yaml").read_text(encoding="utf-8")
    (new / "deepening.yaml").write_text(
        text.replace("drift: 0.00 to 0.06", "drift: 0.04 to 0.10", 1), encoding="utf-8"
    )
    result = rm.diff(old, new, scenario="deepening", years=[2030], draws=300, seed=1)
    ax = waterfall(result, "bilateral_trade", 2030)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["old", "indicators.bilateral_trade.drift", INTERACTION, "new"]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    first = result.rows[0]
    assert bars[1].get_height() == pytest.approx(first.effect)
    assert bars[-1].get_y() + bars[-1].get_height() == pytest.approx(first.new)
