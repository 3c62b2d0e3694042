"""Recording a forecast: what an entry holds, and what repeats it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

import recogmodel as rm
from recogmodel.journal import LEVELS, SAMPLE_DRAWS, content_hash, drift_only, read_journal

from .journal_helpers import KEPT
from .journal_helpers import case_copy as case_copy
from .journal_helpers import recorded as recorded

if TYPE_CHECKING:
    from pathlib import Path


def test_an_entry_holds_every_scenario_indicator_year_and_level(recorded: Path) -> None:
    """Quantiles at every level, a thinned sample and a drift-only sample for every cell."""
    entry = read_journal(recorded)[0]
    data = entry.data
    assert entry.scenarios == KEPT
    assert data["levels"] == list(LEVELS)
    assert entry.note == "first"
    assert entry.date == "2026-03-01"
    for s in KEPT:
        assert data["runs"][s]["seed"] == 11
        assert data["runs"][s]["draws"] == 800
        for k in entry.indicators:
            table = data["quantiles"][s][k]
            assert sorted(table) == sorted(f"{q:g}" for q in LEVELS)
            assert all(len(column) == len(entry.years) for column in table.values())
            assert entry.sample(s, k).shape == (len(entry.years), SAMPLE_DRAWS)
            assert entry.sample(s, k, reference=True).shape == (len(entry.years), SAMPLE_DRAWS)
    assert data["weights"] == {"kind": "prior", "values": dict.fromkeys(KEPT, 0.333333)}
    assert data["content_hash"] == content_hash(recorded)
    assert data["recogmodel"] == rm.__version__
    assert {r["scenario"] for r in data["signposts"]} == set(KEPT)


def test_recorded_quantiles_are_the_projections(recorded: Path) -> None:
    """The recorded quantiles are the projection's own, to six significant digits."""
    entry = read_journal(recorded)[0]
    proj = rm.project(rm.load_case(recorded)["deepening"], draws=800, seed=11)
    expected = proj.quantiles("bilateral_trade", LEVELS)
    got = [
        [entry.quantile("deepening", "bilateral_trade", y, q) for q in LEVELS] for y in proj.years
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert entry.scenario("deepening") == proj.scenario


def test_study_record_with_observations_records_the_posterior(case_copy: Path) -> None:
    """Given observations, the weights recorded are the posterior, with what it used."""
    study = rm.Study(case_copy, scenarios=["baseline", "stalled"], draws=500, seed=3)
    seen = [rm.Observation(indicator="bilateral_trade", year=2026, value=250.0)]
    entry = study.record("after talks", observations=seen)
    weights = entry.data["weights"]
    assert weights["kind"] == "posterior"
    assert weights["observations"] == [
        {"indicator": "bilateral_trade", "year": 2026, "value": 250.0, "source": None}
    ]
    expected = study.update(seen).weights
    assert list(weights["values"].values()) == pytest.approx(list(expected), rel=1e-5)
    assert weights["prior"] == {"baseline": 0.5, "stalled": 0.5}
    assert entry.line == 1
    assert len(read_journal(case_copy)) == 1


def test_the_content_hash_follows_the_case_files_not_the_journal(case_copy: Path) -> None:
    """Editing a case file changes the hash; writing the journal does not."""
    before = content_hash(case_copy)
    (case_copy / "journal.jsonl").write_text("", encoding="utf-8")
    assert content_hash(case_copy) == before
    with (case_copy / "stalled.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    assert content_hash(case_copy) != before
    assert before.startswith("sha256:")
    assert len(before) == 7 + 64


def test_the_drift_only_model_has_no_driver_push_and_no_event(case_copy: Path) -> None:
    """The reference model fires no event, and its drivers move no indicator."""
    scenario = rm.load_case(case_copy)["deepening"]
    reference = drift_only(scenario)
    proj = rm.project(reference, draws=200, seed=1)
    assert not proj.fired.any()
    assert all(
        e.size.ppf(0.5) == 0 for d in reference.case.drivers.values() for e in d.effects.values()
    )
    assert all(not c.between[0].startswith("drivers.") for c in reference.correlations)
