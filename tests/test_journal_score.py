"""Scoring recorded forecasts: scoringrules' numbers, calibration, skill and the mixture."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import scoringrules as sr

import recogmodel as rm
from recogmodel.journal import MIXTURE, append_entry, forecast_entry, read_journal

from .journal_helpers import WHEN, observed
from .journal_helpers import case_copy as case_copy
from .journal_helpers import recorded as recorded

if TYPE_CHECKING:
    from pathlib import Path

YEARS = tuple(range(2026, 2036))


def only(case: Path, scenario: str, *, draws: int = 4000, seed: int = 2) -> rm.Journal:
    """The journal of ``case`` after recording one scenario alone."""
    study = rm.Study(case, scenarios=[scenario], draws=draws, seed=seed)
    append_entry(forecast_entry(study.projections, study.folder, recorded=WHEN), case)
    return read_journal(case)


def test_scores_equal_scoringrules_on_the_same_numbers(recorded: Path) -> None:
    """CRPS, interval scores, Brier and log scores are scoringrules' on the recorded numbers."""
    seen = observed(rm.load_case(recorded)["stalled"], 5, (2027, 2030))
    scores = rm.score(recorded, seen)
    entry = read_journal(recorded)[0]
    rows = [r for r in scores.rows if r.scenario == "deepening"]
    assert len(rows) == len(seen)
    for r in rows:
        sample = entry.sample("deepening", r.indicator)[entry.years.index(r.year)]
        assert r.crps == pytest.approx(float(sr.crps_ensemble(r.observed, sample)))
        q = {
            level: entry.quantile("deepening", r.indicator, r.year, level) for level in LEVELS_USED
        }
        assert r.interval_score_50 == pytest.approx(
            float(sr.interval_score(r.observed, q[0.25], q[0.75], 0.5))
        )
        assert r.interval_score_90 == pytest.approx(
            float(sr.interval_score(r.observed, q[0.05], q[0.95], 0.1))
        )
        assert r.covered_90 == (q[0.05] <= r.observed <= q[0.95])
        reference = entry.sample("deepening", r.indicator, reference=True)
        assert r.crps_drift_only == pytest.approx(
            float(sr.crps_ensemble(r.observed, reference[entry.years.index(r.year)]))
        )
    for s in scores.signpost_rows:
        assert s.brier == pytest.approx(float(sr.brier_score(float(s.happened), s.probability)))
        assert s.log_score == pytest.approx(
            float(sr.log_score(float(s.happened), min(max(s.probability, 1 / 1600), 1 - 1 / 1600)))
        )


LEVELS_USED = (0.05, 0.25, 0.75, 0.95)


@pytest.mark.slow
def test_coverage_on_draws_of_its_own_scenario_is_nominal(case_copy: Path) -> None:
    """Scored on trajectories of its own scenario, the ranges hold as often as they say."""
    journal = only(case_copy, "baseline")
    scenario = rm.load_case(case_copy)["baseline"]
    runs = 40
    inside: dict[float, list[float]] = {0.5: [], 0.9: []}
    for seed in range(runs):
        scores = rm.score(journal, observed(scenario, 1000 + seed, YEARS))
        for row in scores.coverage("baseline"):
            inside[row["nominal"]].append(row["observed"])
    for nominal, shares in inside.items():
        # Cells of one trajectory move together: count trajectories, not cells (conservative).
        error = np.sqrt(nominal * (1 - nominal) / runs)
        assert abs(np.mean(shares) - nominal) < 3 * error


def test_a_forecast_scores_better_on_its_own_scenario(case_copy: Path) -> None:
    """On average over seeds, CRPS is lower on observations of its own scenario."""
    journal = only(case_copy, "baseline", draws=2000)
    own = rm.load_case(case_copy)["baseline"]
    drifts = {
        k: {"drift": "0.15 to 0.25"}
        for k, i in own.case.indicators.items()
        if i.scale != "linear" and not i.derived
    }
    other = own.with_changes({"indicators": drifts}, name="other")
    mean_own: list[float] = []
    mean_other: list[float] = []
    for seed in range(8):
        for scenario, means in ((own, mean_own), (other, mean_other)):
            rows = rm.score(journal, observed(scenario, 300 + seed, YEARS)).rows
            means.append(float(np.mean([r.crps for r in rows if r.scenario == "baseline"])))
    assert np.mean(mean_own) < 0.8 * np.mean(mean_other)


def test_rows_carry_the_documented_fields(recorded: Path) -> None:
    """Rows carry entry, scenario, indicator, year, observed and the scores; the mixture too."""
    seen = [rm.Observation(indicator="bilateral_trade", year=2027, value=320.0)]
    rows = rm.score(recorded, seen).to_rows()
    assert {r["scenario"] for r in rows} == {"baseline", "deepening", "stalled", MIXTURE}
    first = rows[0]
    for key in ("entry", "scenario", "indicator", "year", "observed", "crps",
                "interval_score_50", "interval_score_90", "covered_50", "covered_90"):  # fmt: skip
        assert key in first
    assert (first["entry"], first["indicator"], first["year"]) == (
        "2026-03-01",
        "bilateral_trade",
        2027,
    )


def test_a_mixture_of_one_scenario_is_that_scenario(case_copy: Path) -> None:
    """With all its weight on one scenario, the mixture scores as that scenario does."""
    study = rm.Study(case_copy, scenarios=["baseline", "deepening"], draws=600, seed=4)
    prior = {"baseline": 0.0, "deepening": 1.0}
    append_entry(
        forecast_entry(study.projections, study.folder, prior=prior, recorded=WHEN), case_copy
    )
    seen = observed(study.folder["deepening"], 9, (2028, 2031))
    rows = rm.score(case_copy, seen).rows
    mixture = [r.crps for r in rows if r.scenario == MIXTURE]
    deepening = [r.crps for r in rows if r.scenario == "deepening"]
    np.testing.assert_allclose(mixture, deepening)


def test_persistence_is_no_change_from_the_last_value_known(recorded: Path) -> None:
    """The persistence reference is the last observation before the year, else the case's."""
    seen = [
        rm.Observation(indicator="bilateral_trade", year=2026, value=310.0),
        rm.Observation(indicator="bilateral_trade", year=2028, value=400.0),
    ]
    rows = [r for r in rm.score(recorded, seen).rows if r.scenario == "baseline"]
    known = read_journal(recorded)[0].data["last_known"]["bilateral_trade"][1]
    assert rows[0].crps_persistence == pytest.approx(abs(310.0 - known))
    assert rows[1].crps_persistence == pytest.approx(90.0)


def crossing(signpost: dict[str, Any], year: int, *, crossed: bool) -> rm.Observation:
    """An observation of a signpost's indicator that crosses its threshold, or stops short."""
    threshold = signpost["above"] if signpost["above"] is not None else signpost["below"]
    up = signpost["above"] is not None
    value = (
        threshold * (1.5 if up == crossed else 0.5)
        if threshold
        else (1.0 if up == crossed else -1.0)
    )
    return rm.Observation(indicator=signpost["indicator"], year=year, value=value)


def test_signposts_are_scored_once_decided(recorded: Path) -> None:
    """A signpost crossed is scored as happened; one whose year passed uncrossed as not."""
    rows = [r for r in read_journal(recorded)[0].data["signposts"] if r["scenario"] == "baseline"]
    first = rows[0]
    second = next(r for r in rows if r["indicator"] != first["indicator"])
    seen = [
        crossing(first, first["by"] - 1, crossed=True),
        crossing(second, second["by"], crossed=False),
    ]
    scores = rm.score(recorded, seen)
    decided = {(s.signpost, s.happened) for s in scores.signpost_rows if s.scenario == "baseline"}
    watched = {first["indicator"], second["indicator"]}
    assert (first["signpost"], True) in decided
    assert (second["signpost"], False) in decided
    undecided = {r["signpost"] for r in rows if r["indicator"] not in watched}
    assert not undecided & {name for name, _ in decided}


def test_scores_are_written_as_csv_and_json(recorded: Path, tmp_path: Path) -> None:
    """The rows go to CSV and JSON, with the summary and the signposts in the JSON."""
    seen = observed(rm.load_case(recorded)["baseline"], 2, (2027,))
    scores = rm.score(recorded, seen)
    with scores.to_csv(tmp_path / "s.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(scores.rows)
    data = json.loads(scores.to_json(tmp_path / "s.json").read_text(encoding="utf-8"))
    assert len(data["cells"]) == len(scores.rows)
    assert {r["scenario"] for r in data["summary"]} == {"baseline", "deepening", "stalled", MIXTURE}
    assert "skill vs drift" in str(scores)


def test_a_damaged_journal_is_not_scored(recorded: Path) -> None:
    """Scoring a journal with a damaged line raises, naming the line."""
    with (recorded / "journal.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"schema": 1, "rec')
    with pytest.raises(rm.JournalError, match=r"journal.jsonl:2: "):
        rm.score(recorded, [rm.Observation(indicator="bilateral_trade", year=2027, value=1.0)])


def test_the_summary_is_per_entry_scenario_and_indicator(recorded: Path) -> None:
    """By indicator, each row averages that indicator's cells, in its own unit."""
    seen = observed(rm.load_case(recorded)["baseline"], 4, (2027, 2028))
    scores = rm.score(recorded, seen)
    rows = scores.summary(by_indicator=True)
    trade = next(
        r for r in rows if (r["scenario"], r["indicator"]) == ("stalled", "bilateral_trade")
    )
    cells = [c for c in scores.rows if (c.scenario, c.indicator) == ("stalled", "bilateral_trade")]
    assert trade["cells"] == 2
    assert trade["crps"] == pytest.approx(np.mean([c.crps for c in cells]))
    assert len(rows) == 4 * len(read_journal(recorded)[0].indicators)
    assert "bilateral_trade" in scores.table(by_indicator=True)
