"""The journal's commands: record, journal, score and diff, through the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recogmodel.cli import main
from recogmodel.journal import read_journal

from .journal_helpers import case_copy as case_copy
from .journal_helpers import copy_case

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of one command."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_record_then_journal_lists_the_entries(
    case_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``record`` appends an entry with its note; ``journal`` lists every entry."""
    code, out, _ = run(
        capsys, "record", str(case_copy), "--draws", "300", "--seed", "1", "--note", "one"
    )
    assert code == 0
    assert "journal.jsonl:1: 3 scenarios, prior weights" in out
    run(capsys, "record", str(case_copy), "--draws", "300", "--seed", "2")
    code, out, _ = run(capsys, "journal", str(case_copy))
    assert code == 0
    assert "2 entries" in out
    assert "one" in out
    assert [e.data["runs"]["baseline"]["seed"] for e in read_journal(case_copy)] == [1, 2]


def test_journal_reports_a_damaged_line_and_exits_2(
    case_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line cut short is reported with its number, exit 2, and is still in the file."""
    run(capsys, "record", str(case_copy), "--draws", "200", "--seed", "1")
    file = case_copy / "journal.jsonl"
    with file.open("a", encoding="utf-8") as handle:
        handle.write('{"schema": 1, "recorded"')
    code, out, err = run(capsys, "journal", str(case_copy))
    assert code == 2
    assert f"{file}:2: cut short" in err
    assert "1 entries" in out
    code, _, err = run(capsys, "record", str(case_copy), "--draws", "200", "--seed", "1")
    assert code == 2
    assert ":2: " in err
    assert file.read_text(encoding="utf-8").endswith('"recorded"')


def test_score_prints_a_table_and_writes_files_and_figures(
    case_copy: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``score`` prints the summary and writes the scores, a calibration and a revision figure."""
    run(capsys, "record", str(case_copy), "--draws", "300", "--seed", "1")
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "indicator,year,value\nbilateral_trade,2026,330\nbilateral_trade,2027,360\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "score", str(case_copy), "--observed", str(observed), "-o", str(tmp_path / "s.csv"),
        "--calibration", str(tmp_path / "c.svg"), "--revision", str(tmp_path / "r.svg"),
        "--indicator", "bilateral_trade", "--year", "2027",
    )  # fmt: skip
    assert code == 0
    assert "mixture" in out
    assert "skill vs last" in out
    for name in ("s.csv", "c.svg", "r.svg"):
        assert (tmp_path / name).stat().st_size > 0
    code, _, err = run(capsys, "score", str(case_copy), "--observed", str(observed), "-o", "x.txt")
    assert code == 2
    assert "--output" in err


def test_diff_lists_the_edits_and_draws_a_waterfall(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``diff OLD NEW`` prints each edit and its share; ``--figure`` saves a waterfall."""
    old, new = copy_case(tmp_path / "old"), copy_case(tmp_path / "new")
    text = (new / "deepening.yaml").read_text(encoding="utf-8")
    (new / "deepening.yaml").write_text(
        text.replace("drift: 0.00 to 0.06", "drift: 0.04 to 0.10", 1), encoding="utf-8"
    )
    figure = tmp_path / "w.png"
    code, out, _ = run(
        capsys, "diff", str(old), str(new), "--scenario", "deepening", "--years", "2030",
        "--draws", "300", "--figure", str(figure), "--indicator", "bilateral_trade",
        "--year", "2030",
    )  # fmt: skip
    assert code == 0
    assert "indicators.bilateral_trade.drift: 0 to 0.06 (normal) -> 0.04 to 0.1" in out
    assert "100%" in out
    assert figure.stat().st_size > 0


def test_diff_of_dates_needs_the_journal(
    case_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two dates without ``--journal`` are refused; with it, their entries are diffed."""
    code, _, err = run(capsys, "diff", "2026-01-01", "2026-02-01")
    assert code == 2
    assert "--journal" in err
    run(capsys, "record", str(case_copy), "--draws", "200", "--seed", "1")
    day = read_journal(case_copy)[0].date
    code, out, _ = run(
        capsys, "diff", day, day, "--journal", str(case_copy), "--draws", "200", "--years", "2030"
    )
    assert code == 0
    assert "baseline: 0 edits" in out
