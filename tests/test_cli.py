"""The command line: exact output, exit codes, files written, and the installed script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import recogmodel as rm
from recogmodel.cli import main

from .conftest import small_case_data

FIXED_CASE = """\
case: fixed
title: Everything fixed
actor: Nobody
start: 2025
horizon: 2027
sources:
  s: {title: A source}
drivers:
  push:
    label: Push
    weight: 1
    intensity: 0.5
    effects: {trade: 0.2, count: 1}
    sources: [s]
indicators:
  trade:
    label: Trade
    unit: USD m
    scale: log
    baseline: {year: 2025, value: 100, sources: [s]}
  count:
    label: Count
    unit: states
    scale: linear
    baseline: {year: 2025, value: 1, sources: [s]}
  share:
    label: Share
    unit: share
    scale: logit
    baseline: {year: 2025, value: 0.05, sources: [s]}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fixed_folder(tmp_path: Path) -> Path:
    """A case whose every number is fixed and noise-free: its output is exact."""
    folder = tmp_path / "fixed"
    folder.mkdir()
    (folder / "case.yaml").write_text(FIXED_CASE, encoding="utf-8")
    (folder / "faster.yaml").write_text(
        "scenario: faster\ntitle: Faster\ndrivers:\n  push: {intensity: 1}\n", encoding="utf-8"
    )
    return folder


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    """The small case of conftest as a folder with one extra scenario."""
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "case.yaml").write_text(yaml.safe_dump(small_case_data()), encoding="utf-8")
    (folder / "alt.yaml").write_text(
        "scenario: alt\ntitle: Alternative\nindicators:\n  trade: {drift: 0.05}\n",
        encoding="utf-8",
    )
    return folder


def test_run_prints_exact_tables(capsys: pytest.CaptureFixture[str], fixed_folder: Path) -> None:
    """Run prints one table per scenario: median (5% – 95%) per indicator and year."""
    code, out, err = run(capsys, "run", str(fixed_folder), "--draws", "10", "--seed", "3")
    assert code == 0, err
    assert out == (
        "baseline: Baseline (10 draws, seed 3, median and 90% range)\n"
        "indicator  unit    2027\n"
        "Trade      USD m   122 (122 – 122)\n"
        "Count      states  2 (2 – 2)\n"
        "Share      share   5.0% (5.0% – 5.0%)\n"
        "\n"
        "faster: Faster (10 draws, seed 3, median and 90% range)\n"
        "indicator  unit    2027\n"
        "Trade      USD m   149 (149 – 149)\n"
        "Count      states  3 (3 – 3)\n"
        "Share      share   5.0% (5.0% – 5.0%)\n"
        "\n"
    )
    assert err == ""


def test_run_chooses_scenarios_and_years(
    capsys: pytest.CaptureFixture[str], fixed_folder: Path
) -> None:
    """--scenario picks scenarios; --years picks the columns."""
    code, out, _ = run(
        capsys,
        "run",
        str(fixed_folder),
        "--scenario",
        "faster",
        "--years",
        "2026,2027",
        "--draws",
        "5",
        "--seed",
        "1",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("faster: Faster")
    assert lines[1].split() == ["indicator", "unit", "2026", "2027"]
    assert lines[2].split()[:3] == ["Trade", "USD", "m"]
    assert "baseline" not in out


def test_run_without_out_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    fixed_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --out, run writes no file anywhere."""
    monkeypatch.chdir(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert run(capsys, "run", str(fixed_folder), "--draws", "5", "--seed", "1")[0] == 0
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_run_with_out_writes_figures_and_tables(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """--out writes the CSV, the JSON and every figure, in the chosen format."""
    out_dir = tmp_path / "out"
    code, out, _ = run(
        capsys,
        "run",
        str(small_folder),
        "--draws",
        "300",
        "--seed",
        "2",
        "--out",
        str(out_dir),
        "--format",
        "svg",
        "--figures",
        "compare,dashboard,fan",
    )
    assert code == 0
    names = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}
    indicators = ["trade", "share", "count"]
    expected = {"summary.csv", "projection.json", "driver_weights.svg"}
    expected |= {f"compare_{k}.svg" for k in indicators}
    for scenario in ("baseline", "alt"):
        expected |= {f"{scenario}/dashboard.svg"}
        expected |= {f"{scenario}/fan_{k}.svg" for k in indicators}
    assert names == expected | {"manifest.json"}
    assert f"wrote {len(expected)} files to {out_dir}" in out
    record = json.loads((out_dir / "projection.json").read_text())
    assert [p["scenario"]["name"] for p in record["projections"]] == ["baseline", "alt"]
    assert all(p["seed"] == 2 for p in record["projections"])


def test_validate_reports_valid_folders(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """Validate prints one line per valid folder, each event's chance by the horizon, exit 0."""
    code, out, err = run(capsys, "validate", str(small_folder))
    assert code == 0
    assert out == (
        f"{small_folder}: valid (2 scenarios: baseline, alt)\n"
        "  chances by 2030 (per-year chances compound):\n"
        "    contract: 50 % in 2027: 50 % by 2030\n"
        "    recognition: unlikely a year: 67–95 % by 2030\n"  # 1 - (1 - p)^5, p in 20–45 %
    )
    assert err == ""


def test_validate_warns_of_numbers_too_large_for_their_scale(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """A valid case with a likely unit mistake: exit 0, a warning at the number's line."""
    (small_folder / "big.yaml").write_text(
        "scenario: big\nindicators:\n  trade: {drift: 300}\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "validate", str(small_folder))
    assert code == 0
    assert out.startswith(f"{small_folder}: valid (3 scenarios: baseline, alt, big)\n")
    assert err.startswith(
        f"warning: {small_folder / 'big.yaml'}:3: indicators.trade.drift: 300 log units a year "
        "is a factor of e^300"
    )
    assert err.count("\n") == 1


def test_file_system_errors_are_input_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, small_folder: Path
) -> None:
    """An OSError from the file system exits 2 with the path, not as a bug."""
    import recogmodel.cli.commands as commands

    def full(*args: object, **kwargs: object) -> int:
        raise IsADirectoryError(21, "Is a directory", "somewhere/x.yaml")

    monkeypatch.setitem(commands.COMMANDS, "validate", full)
    code, _, err = run(capsys, "validate", str(small_folder))
    assert code == 2
    assert err == ("error: somewhere/x.yaml: Is a directory; expected a file, not a folder\n")


def test_validate_prints_every_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """An invalid file gives exit 2 and FILE:LINE: field: message lines on stderr."""
    (small_folder / "bad.yaml").write_text(
        "scenario: bad\nindicators:\n  trade: {drift: likely}\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "validate", str(small_folder))
    assert code == 2
    assert out == ""
    assert err.startswith(f"{small_folder / 'bad.yaml'}:3: indicators.trade.drift: 'likely'")
    assert "Traceback" not in err


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """Schema prints the JSON Schema of each kind of file."""
    for kind in ("case", "scenario"):
        code, out, _ = run(capsys, "schema", kind)
        assert code == 0
        assert json.loads(out) == rm.schema(kind)
    assert json.loads(run(capsys, "schema")[1]) == rm.schema("case")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nowhere"], "no case.yaml here"),
        (["run", "{folder}", "--scenario", "nope"], "no scenario named 'nope'"),
        (["run", "{folder}", "--years", "2050"], "--years: 2050 is not a projected year"),
        (["run", "{folder}", "--draws", "0"], "expected a whole number >= 1, got 0"),
        (["run", "{folder}", "--draws", "many"], "expected a whole number, got 'many'"),
        (["run", "{folder}", "--format", "gif"], "invalid choice: 'gif'"),
        (["schema", "other"], "invalid choice: 'other'"),
        (["launch"], "invalid choice: 'launch'"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], fixed_folder: Path, args: list[str], message: str
) -> None:
    """Bad arguments or files exit 2 with a message on stderr, never a traceback."""
    code, out, err = run(capsys, *[a.format(folder=fixed_folder) for a in args])
    assert out == ""
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_internal_error_exits_1_with_a_hint(
    capsys: pytest.CaptureFixture[str], fixed_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (an unexpected exception) exits 1 and asks to report it."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("recogmodel.study.project", broken)
    code, _, err = run(capsys, "run", str(fixed_folder))
    assert code == 1
    assert "internal error: this is a bug in recogmodel" in err
    assert "RuntimeError: boom" in err


@pytest.mark.parametrize(
    "command", ["validate", "schema", "run", "signposts", "update", "report", "explore"]
)
def test_every_command_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """--help on every command exits 0 and shows an example."""
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "example" in out
    assert f"recogmodel {command}" in out


def test_progress_never_goes_to_a_pipe_as_a_terminal_line(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """A slow run writes no carriage returns or terminal codes when stderr is a pipe."""
    code, _, err = run(capsys, "run", str(small_folder), "--draws", "50000", "--seed", "1")
    assert code == 0
    assert "\r" not in err
    assert "\033" not in err


def test_installed_console_script_runs(fixed_folder: Path) -> None:
    """The installed `recogmodel` script validates a folder like the in-process call."""
    script = shutil.which("recogmodel", path=str(Path(sys.executable).parent))
    assert script is not None, "the console script is not installed beside this Python"
    done = subprocess.run(
        [script, "validate", str(fixed_folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{fixed_folder}: valid (2 scenarios: baseline, faster)\n"


def test_run_lists_what_to_research_next(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """Run prints the priorities section after each table; --priorities 0 drops it."""
    code, out, _ = run(capsys, "run", str(small_folder), "--draws", "2000", "--seed", "1")
    assert code == 0
    assert out.count("What to research next") == 2
    code, out, _ = run(
        capsys, "run", str(small_folder), "--draws", "500", "--seed", "1", "--priorities", "0"
    )
    assert "What to research next" not in out


def test_signposts_command_prints_the_table(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """Signposts prints each signpost's probability per scenario and can save the heat map."""
    (small_folder / "alt.yaml").write_text(
        "scenario: alt\ntitle: Alternative\nindicators:\n  trade: {drift: 0.1}\n"
        "signposts:\n  - {indicator: trade, by: 2029, above: 500}\n",
        encoding="utf-8",
    )
    figure = tmp_path / "matrix.svg"
    code, out, err = run(
        capsys,
        "signposts",
        str(small_folder),
        "--draws",
        "2000",
        "--seed",
        "4",
        "--figure",
        str(figure),
    )
    assert code == 0, err
    assert "Trade above 500 USD m by 2029" in out  # the indicator's label, not its id
    assert out.splitlines()[2].split()[2:4] == ["baseline", "alt"]
    row = next(line for line in out.splitlines() if line.startswith("Trade above 500"))
    assert row.split()[7] == "alt"  # declared by alt
    assert row.split()[-1] == "alt"  # and favours it
    assert figure.read_bytes().startswith(b"<?xml")


def test_signposts_suggest_prints_yaml_for_every_scenario(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """--suggest proposes signposts that point to each scenario, as YAML to paste."""
    (small_folder / "alt.yaml").write_text(
        "scenario: alt\ntitle: Alternative\nindicators:\n  trade: {drift: 0.1}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "signposts", str(small_folder), "--suggest", "--draws", "1000", "--seed", "4"
    )
    assert code == 0, err
    assert "# alt.yaml\nsignposts:\n  - {indicator: trade" in out
    block = out[out.index("# alt.yaml") :].split("\n\n")[0]
    loaded = yaml.safe_load(block)
    assert loaded["signposts"][0]["indicator"] == "trade"
    assert "above" in loaded["signposts"][0]


def test_update_command_weighs_the_scenarios(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """Update reads observations and prints the posterior; far-off values become a note."""
    observed = tmp_path / "obs.csv"
    observed.write_text("indicator,year,value\ntrade,2030,900\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "update",
        str(small_folder),
        "--observed",
        str(observed),
        "--draws",
        "2000",
        "--seed",
        "1",
    )
    assert code == 0, err
    assert "posterior" in out
    assert out.splitlines()[-1].split()[0] == "posterior"
    far = tmp_path / "far.csv"
    far.write_text("indicator,year,value\ntrade,2030,1e9\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "update",
        str(small_folder),
        "--observed",
        str(far),
        "--draws",
        "500",
        "--seed",
        "1",
    )
    assert code == 0
    assert err.startswith("note: ")


def test_update_command_reports_bad_files_at_their_line(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """A bad observation exits 2 with its file and line."""
    observed = tmp_path / "obs.csv"
    observed.write_text("indicator,year,value\ntrade,2030,lots\n", encoding="utf-8")
    code, _, err = run(capsys, "update", str(small_folder), "--observed", str(observed))
    assert code == 2
    assert err.startswith(f"{observed}:2: value:")


def test_report_command_writes_one_html_file(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """Report writes the HTML file it names and says so; a bad scenario writes nothing."""
    target = tmp_path / "report.html"
    code, out, err = run(
        capsys, "report", str(small_folder), "--draws", "300", "--seed", "1", "-o", str(target)
    )
    assert code == 0, err
    assert out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    missing = tmp_path / "missing.html"
    code, _, err = run(
        capsys, "report", str(small_folder), "--scenario", "nope", "-o", str(missing)
    )
    assert code == 2
    assert "nope" in err
    assert not missing.exists()


def test_explore_command_sweeps_and_describes_a_region(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """Explore prints the spread of outcomes, the region where a condition holds, a CSV."""
    table = tmp_path / "sweep.csv"
    code, out, err = run(
        capsys,
        "explore",
        str(small_folder),
        "--over",
        "indicators.trade.drift=0 to 0.1",
        "--samples",
        "20",
        "--draws",
        "100",
        "--seed",
        "5",
        "--where",
        "trade > 400 in 2030",
        "-o",
        str(table),
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "baseline: 20 points x 100 draws over 1 assumptions (seed 5)"
    assert any(line.startswith("trade median above 400 in 2030:") for line in lines)
    assert any(line.startswith("indicators.trade.drift  0 – 0.1") for line in lines)
    assert table.read_text().startswith("point,year,indicators.trade.drift,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--over", "indicators.trade.drfit=0:1"], "did you mean indicators.trade.drift"),
        (["--over", "indicators.trade.drift=1 to 0"], "low end must be below high end"),
        (["--over", "indicators.trade.drift", "--where", "trade >> 3"], "INDICATOR > VALUE"),
    ],
)
def test_explore_command_refuses_bad_arguments(
    capsys: pytest.CaptureFixture[str], small_folder: Path, args: list[str], message: str
) -> None:
    """Bad --over or --where arguments exit 2 with a message naming them."""
    code, out, err = run(capsys, "explore", str(small_folder), "--samples", "4", *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_run_prints_what_the_study_projects(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """Run's tables are the tables of Study's projections for the same options, each followed
    by its events' chances by the horizon (per-year chances compound).
    """
    from recogmodel.cli.tables import projection_table
    from recogmodel.model.basis import chances_text

    code, out, _ = run(
        capsys, "run", str(small_folder), "--draws", "400", "--seed", "6", "--priorities", "0"
    )
    assert code == 0
    study = rm.Study(small_folder, draws=400, seed=6)
    years = study.default_years()
    expected = "".join(
        projection_table(p, years) + "\n" + chances_text({n: p.scenario}) + "\n"
        for n, p in study.projections.items()
    )
    assert out == expected
    assert "recognition: unlikely a year: 67–95 % by 2030" in out


def test_run_without_a_seed_prints_one_shared_seed(
    capsys: pytest.CaptureFixture[str], fixed_folder: Path
) -> None:
    """Without --seed, every scenario is run with the same fresh seed, printed in its heading."""
    code, out, _ = run(capsys, "run", str(fixed_folder), "--draws", "5")
    assert code == 0
    seeds = {line.split("seed ")[1].split(",")[0] for line in out.splitlines() if "seed " in line}
    assert len(seeds) == 1
    assert int(seeds.pop()) > 2**64


def test_report_command_line_rebuilds_the_report(small_folder: Path, tmp_path: Path) -> None:
    """The rebuild command names the folder, the chosen scenarios, draws, seed, years, file."""
    from recogmodel.cli.commands import reproduce_command
    from recogmodel.cli.parser import build_parser

    options = ["--scenario", "alt", "--draws", "300", "--seed", "1", "--years", "2028,2030"]
    target = str(tmp_path / "page.html")
    args = build_parser().parse_args(["report", str(small_folder), *options, "-o", target])
    study = rm.Study(args.path, scenarios=args.scenarios, draws=args.draws, seed=args.seed)
    assert reproduce_command(args, study) == (
        "recogmodel report small --scenario alt --draws 300 --seed 1 --years 2028,2030 -o page.html"
    )
    plain = build_parser().parse_args(["report", "cases/small", "-o", "out/report.html"])
    study = rm.Study(small_folder, draws=None, seed=None)
    command = reproduce_command(plain, study)
    assert command.startswith(f"recogmodel report small --draws 10000 --seed {study.fresh_seed}")
    assert command.endswith(" -o out/report.html")
