"""The command's own tables: the signpost table fitted to the terminal, worded by label."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml

import recogmodel as rm
from recogmodel.cli.tables import signpost_table

from .conftest import small_case_data

if TYPE_CHECKING:
    from pathlib import Path

SCENARIOS = ("baseline", "quick_recognition", "trade_boom", "slow_decline")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> rm.Study:
    """Four scenarios with long names, each with a signpost; one on a whole-number count."""
    folder = tmp_path_factory.mktemp("case") / "signposted"
    folder.mkdir()
    data = small_case_data()
    data["indicators"]["count"]["integer"] = True
    del data["drivers"]["security"]["effects"]["count"]  # a count moves by events alone
    (folder / "case.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    signposts = {
        "baseline": {"indicator": "trade", "by": 2028, "above": 400},
        "quick_recognition": {"indicator": "count", "by": 2029, "above": 1.5},
        "trade_boom": {"indicator": "trade", "by": 2030, "above": 600},
        "slow_decline": {"indicator": "share", "by": 2030, "below": 0.01},
    }
    for name in SCENARIOS:
        scenario: dict[str, Any] = {"scenario": name, "title": name.replace("_", " ").title()}
        if name != "baseline":
            scenario["extends"] = "baseline"
        scenario["signposts"] = [signposts[name]]
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    return rm.Study(folder, draws=300, seed=2)


def cases_of(study: rm.Study) -> dict[str, rm.Case]:
    """Each scenario's case by name."""
    return {name: p.scenario.case for name, p in study.projections.items()}


@pytest.mark.parametrize("width", [80, 120])
def test_the_signpost_table_fits_the_width(study: rm.Study, width: int) -> None:
    """At 80 and at 120 columns no line is longer than the width, and every signpost and
    every scenario's chance is still there.
    """
    text = signpost_table(study.signposts(), cases_of(study), width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    words = set(text.split())  # a label may wrap within its column
    for label in ["Recognitions: 2 or more states by 2029", "Trade above 600 USD m by 2030"]:
        assert set(label.split(" ")) <= words
    assert set(SCENARIOS) <= words


def test_a_wide_terminal_gets_one_column_per_scenario(study: rm.Study) -> None:
    """With room, the table has a header row naming every scenario, one row per signpost."""
    lines = signpost_table(study.signposts(), cases_of(study), width=240).splitlines()
    header = next(line for line in lines if line.startswith("signpost"))
    assert set(header.split()[2 : 2 + len(SCENARIOS)]) == set(SCENARIOS)
    assert sum(line.startswith(("Trade", "Recognitions", "Exports")) for line in lines) == 4


def test_ids_name_the_indicators_by_id(study: rm.Study) -> None:
    """``ids=True`` words the signposts with the indicators' ids."""
    text = signpost_table(study.signposts(), cases_of(study), width=240, ids=True)
    assert "count: 2 or more states by 2029" in text
    assert "Recognitions" not in text


def test_no_signpost_says_so(tmp_path: Path) -> None:
    """A study whose scenarios declare no signpost says so under the heading."""
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "case.yaml").write_text(yaml.safe_dump(small_case_data()), encoding="utf-8")
    bare = rm.Study(folder, draws=100, seed=1)
    text = signpost_table(bare.signposts(), cases_of(bare), width=80)
    assert text.splitlines()[-1] == "no scenario declares a signpost"
