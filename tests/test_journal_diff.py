"""What changed between two versions: the edits, and each one's part of the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel.journal import INTERACTION, append_entry, edits, forecast_entry, read_journal

from .journal_helpers import WHEN, copy_case

if TYPE_CHECKING:
    from pathlib import Path


def edited(tmp_path: Path, *changes: tuple[str, str, str]) -> tuple[Path, Path]:
    """An old copy of the case and a new one with ``(file, old text, new text)`` edits."""
    old, new = copy_case(tmp_path / "old"), copy_case(tmp_path / "new")
    for file, before, after in changes:
        text = (new / file).read_text(encoding="utf-8")
        assert before in text
        (new / file).write_text(text.replace(before, after, 1), encoding="utf-8")
    return old, new


DRIFT = ("deepening.yaml", "    drift: 0.00 to 0.06", "    drift: 0.04 to 0.10")
PROJECTS = ("deepening.yaml", "    drift: -0.02 to 0.03", "    drift: 0.05 to 0.10")


def test_one_edited_field_takes_the_whole_change(tmp_path: Path) -> None:
    """A diff of one edited field attributes at least 99 % of the change to that field."""
    old, new = edited(tmp_path, DRIFT)
    result = rm.diff(old, new, scenario="deepening", years=[2030], draws=1000, seed=3)
    assert [e.name for e in result.edits] == ["indicators.bilateral_trade.drift"]
    for statistic in ("median", "range_90"):
        share = result.share("indicators.bilateral_trade.drift", "bilateral_trade", 2030, statistic)
        assert share is not None
        assert share >= 0.99
        assert abs(result.share(INTERACTION, "bilateral_trade", 2030, statistic) or 0) < 0.01


def test_two_independent_edits_each_take_their_own_share(tmp_path: Path) -> None:
    """Two edits on different indicators: trade's change is trade's own; projects, which
    follow trade a year later (a link), take a share of both.
    """
    old, new = edited(tmp_path, DRIFT, PROJECTS)
    result = rm.diff(old, new, scenario="deepening", years=[2030, 2035], draws=1000, seed=3)
    trade, projects = "indicators.bilateral_trade.drift", "indicators.russian_projects.drift"
    assert [e.name for e in result.edits] == [trade, projects]
    for year in (2030, 2035):
        assert result.share(trade, "bilateral_trade", year) == pytest.approx(1.0, abs=0.01)
        assert result.share(projects, "bilateral_trade", year) == pytest.approx(0.0, abs=0.01)
        own = result.share(projects, "russian_projects", year) or 0.0
        followed = result.share(trade, "russian_projects", year) or 0.0
        assert own > 0.5
        assert followed > 0.01  # through the link from trade
        together = result.share(INTERACTION, "russian_projects", year) or 0.0
        assert 0 < together < 0.25  # faster trade lifts projects more where they grow faster
        assert own + followed + together == pytest.approx(1.0, abs=1e-9)


def test_effects_and_interaction_add_up_to_the_change(tmp_path: Path) -> None:
    """For every statistic, the edits' effects and the remainder sum to the whole change."""
    old, new = edited(tmp_path, DRIFT, PROJECTS)
    result = rm.diff(old, new, scenario="deepening", years=[2030], draws=500, seed=1)
    totals: dict[tuple[str, str], float] = {}
    for r in result.rows:
        totals[(r.indicator, r.statistic)] = totals.get((r.indicator, r.statistic), 0) + r.effect
        assert r.change == pytest.approx(r.new - r.old)
    for r in result.rows:
        assert totals[(r.indicator, r.statistic)] == pytest.approx(r.change, abs=1e-9)


def test_edits_are_dotted_names_with_old_and_new_values(tmp_path: Path) -> None:
    """Edits name the field as a file does; edits of words are listed but not projected."""
    old, new = edited(
        tmp_path,
        DRIFT,
        ("deepening.yaml", "title: Deepening economic partnership", "title: Deeper"),
    )
    found = edits(rm.load_case(old)["deepening"], rm.load_case(new)["deepening"])
    by_name = {e.name: e for e in found}
    assert set(by_name) == {"indicators.bilateral_trade.drift", "scenario.title"}
    assert by_name["scenario.title"].old == "Deepening economic partnership"
    assert by_name["scenario.title"].new == "Deeper"
    assert not by_name["scenario.title"].numeric
    assert by_name["indicators.bilateral_trade.drift"].new["low"] == pytest.approx(0.04)
    result = rm.diff(old, new, scenario="deepening", years=[2030], draws=300, seed=1)
    assert {r.edit for r in result.rows} == {"indicators.bilateral_trade.drift", INTERACTION}
    assert "(words only)" in str(result)


def test_a_stated_order_is_kept_and_checked(tmp_path: Path) -> None:
    """Edits go in the order given; a name that is not an edit is refused."""
    old, new = edited(tmp_path, DRIFT, PROJECTS)
    projects = "indicators.russian_projects.drift"
    result = rm.diff(old, new, scenario="deepening", years=[2030], draws=200, order=[projects])
    assert result.edits[0].name == projects
    with pytest.raises(rm.InputError, match="is not an edit"):
        rm.diff(old, new, scenario="deepening", draws=200, order=["drivers.nothing"])


def test_two_journal_entries_are_diffed_by_date(tmp_path: Path) -> None:
    """Two entries of a journal, found by their dates, diff as the case versions they hold."""
    old, new = edited(tmp_path, DRIFT)
    for folder, day in ((old, 1), (new, 2)):
        study = rm.Study(folder, scenarios=["deepening"], draws=100, seed=1)
        entry = forecast_entry(study.projections, study.folder, recorded=WHEN.replace(day=day))
        append_entry(entry, tmp_path / "journal.jsonl")
    journal = read_journal(tmp_path / "journal.jsonl")
    first, second = journal.entry("2026-03-01"), journal.entry("2026-03-02")
    result = rm.diff(first, second, scenario="deepening", years=[2030], draws=500, seed=2)
    assert [e.name for e in result.edits] == ["indicators.bilateral_trade.drift"]
    assert result.share("indicators.bilateral_trade.drift", "bilateral_trade", 2030) == 1.0
