"""Study: the one pipeline, one rule for draws and seeds, the same numbers everywhere."""

from __future__ import annotations

import csv
import html
import re
from typing import TYPE_CHECKING

import pytest
import yaml

import recogmodel as rm
from recogmodel.cli import main
from recogmodel.engine import DEFAULT_DRAWS

from .conftest import SHIPPED, small_case_data

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small case with one seeded scenario and one without a seed or draws."""
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(small_case_data()))
    (tmp_path / "seeded.yaml").write_text(
        yaml.safe_dump({"scenario": "seeded", "title": "Seeded", "seed": 42, "draws": 300})
    )
    (tmp_path / "plain.yaml").write_text(yaml.safe_dump({"scenario": "plain", "title": "Plain"}))
    return tmp_path


def test_arguments_override_the_scenario_which_overrides_the_defaults(folder: Path) -> None:
    """draws/seed given to Study win; else the scenario's; else the default and a shared seed."""
    study = rm.Study(folder)
    seeded, plain = study.folder["seeded"], study.folder["plain"]
    assert study.draws_for(seeded) == 300
    assert study.seed_for(seeded) == 42
    assert study.draws_for(plain) == DEFAULT_DRAWS
    assert study.seed_for(plain) == study.fresh_seed == study.seed_for(study.folder["baseline"])
    given = rm.Study(folder, draws=120, seed=7)
    assert given.draws_for(seeded) == 120
    assert given.seed_for(seeded) == 7


def test_projections_are_computed_once_and_kept(folder: Path) -> None:
    """The projections mapping is built on first use and the same objects come back."""
    study = rm.Study(folder, scenarios=["seeded", "baseline"], draws=200)
    first = study.projections
    assert list(first) == ["seeded", "baseline"]
    assert study.projections["seeded"] is first["seeded"]
    assert first["seeded"].draws == 200
    assert first["seeded"].seed == 42


def test_a_study_without_seeds_can_be_repeated_from_its_recorded_seed(folder: Path) -> None:
    """A fresh seed is recorded; a study given it reproduces the numbers exactly."""
    study = rm.Study(folder, scenarios=["plain"], draws=200)
    again = rm.Study(folder, scenarios=["plain"], draws=200, seed=study.fresh_seed)
    a = study.projections["plain"].values("trade")
    b = again.projections["plain"].values("trade")
    assert (a == b).all()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"scenarios": ["baseline", "baseline"]}, "scenarios"),
        ({"scenarios": []}, "scenarios"),
        ({"draws": 0}, "draws"),
        ({"seed": -1}, "seed"),
        ({"sampling": "sobol"}, "sampling"),
    ],
)
def test_bad_options_are_input_errors(folder: Path, options: dict[str, object], field: str) -> None:
    """Options are checked when the study is made, by their Python names."""
    with pytest.raises(rm.InputError) as caught:
        rm.Study(folder, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_an_unknown_scenario_is_named_with_the_known_ones(folder: Path) -> None:
    """A scenario the folder lacks is refused with the list of those it has."""
    with pytest.raises(rm.UnknownScenarioError, match="expected one of: baseline"):
        rm.Study(folder, scenarios=["nonexistent"])


def test_analyses_read_the_studys_projections(folder: Path) -> None:
    """Signposts, update and sensitivity use the projections the study holds."""
    study = rm.Study(folder, scenarios=["baseline", "seeded"], draws=400, seed=3)
    table = study.signposts()
    assert table.scenarios == ("baseline", "seeded")
    proj = study.projections["baseline"]
    value = float(proj.summary(2028)["trade"].median)
    with pytest.warns(rm.IndistinguishableScenariosWarning):  # one model, two seeds
        posterior = study.update([("trade", 2028, value)])
    assert set(posterior) == {"baseline", "seeded"}
    result = study.sensitivity("trade", 2028)
    assert result.indicator == "trade"


@pytest.mark.slow
def test_command_csv_report_and_study_print_the_same_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """For the shipped case the terminal, summary.csv, the report and Study agree."""
    options = ["--scenario", "baseline", "--scenario", "deepening", "--draws", "2000"]
    options += ["--seed", "5"]
    out = tmp_path / "out"
    assert main(["run", str(SHIPPED), *options, "--out", str(out)]) == 0
    terminal = capsys.readouterr().out
    page = tmp_path / "report.html"
    assert main(["report", str(SHIPPED), *options, "-o", str(page)]) == 0
    capsys.readouterr()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))

    study = rm.Study(SHIPPED, scenarios=["baseline", "deepening"], draws=2000, seed=5)
    with (out / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    for name, proj in study.projections.items():
        row = proj.summary(2030)["bilateral_trade"]
        median, low, high = (
            row.formatted(v, e)
            for v, e in (
                (row.median, row.median_error),
                (row.low, row.low_error),
                (row.high, row.high_error),
            )
        )
        assert f"{median} ({low} – {high})" in terminal
        assert re.search(rf"{re.escape(median)}\s+{re.escape(low)}\s*–\s*{re.escape(high)}", text)
        stored = next(
            float(r["value"])
            for r in rows
            if (r["scenario"], r["indicator"], r["year"], float(r["quantile"]))
            == (name, "bilateral_trade", "2030", 0.5)
        )
        assert stored == pytest.approx(row.median, rel=1e-9)
