"""The output folder of ``run``: its manifest, what a later run removes, and its JSON's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recogmodel.cli.outputs import MANIFEST, listed_files, tidy_folder, write_manifest

from .test_cli import run, small_folder

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["small_folder"]  # the fixture, shared with the other command tests


def files_in(folder: Path) -> set[str]:
    """Every file under ``folder``, as relative POSIX paths."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_manifest_lists_every_file_the_run_wrote(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """manifest.json lists every file of the run, and only those."""
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "run", str(small_folder), "--draws", "200", "--seed", "1", "-o", str(out)
    )
    assert code == 0, err
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["command"] == "run"
    assert set(manifest["files"]) == files_in(out) - {MANIFEST}
    assert {"summary.csv", "projection.json", "baseline/dashboard.png"} <= set(manifest["files"])


def test_a_later_run_removes_only_what_the_last_manifest_listed(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """A second run removes the first run's stale files, keeps the user's, and says both."""
    out = tmp_path / "out"
    options = ["--draws", "200", "--seed", "1", "-o", str(out), "--figures", "dashboard"]
    assert run(capsys, "run", str(small_folder), *options)[0] == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "run", str(small_folder), "--scenario", "baseline", *options)
    assert code == 0
    assert not (out / "alt").exists()  # the stale scenario's folder went with its files
    assert (out / "notes.txt").read_text() == "mine"
    assert "removed 1 files" in err
    assert "alt/dashboard.png" in err
    assert "notes.txt" in err
    assert "left alone" in err
    assert files_in(out) == {
        MANIFEST,
        "notes.txt",
        "summary.csv",
        "projection.json",
        "baseline/dashboard.png",
    }


def test_a_manifest_never_removes_a_path_outside_the_folder(tmp_path: Path) -> None:
    """Paths in a manifest that leave the folder are ignored, so nothing outside is removed."""
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep", encoding="utf-8")
    listing = {"files": ["../precious.txt", str(outside), "a.txt"]}
    (out / MANIFEST).write_text(json.dumps(listing), encoding="utf-8")
    assert listed_files(out) == ["a.txt"]
    (out / "a.txt").write_text("stale", encoding="utf-8")
    removed, others = tidy_folder(out, listed_files(out), [])
    assert removed == ["a.txt"]
    assert others == []
    assert outside.read_text() == "keep"


def test_an_unreadable_manifest_lists_nothing(tmp_path: Path) -> None:
    """A manifest that is not JSON, or not a manifest, lists no file to remove."""
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    assert listed_files(tmp_path) == []
    write_manifest(tmp_path, [tmp_path / "x.csv"], command="run")
    assert listed_files(tmp_path) == ["x.csv"]


def test_projection_json_has_one_shape_for_one_scenario(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """With one scenario, projection.json is still a list under 'projections'."""
    out = tmp_path / "one"
    options = ["--draws", "200", "--seed", "1", "-o", str(out), "--figures", "none"]
    assert run(capsys, "run", str(small_folder), "--scenario", "alt", *options)[0] == 0
    record = json.loads((out / "projection.json").read_text())
    assert [p["scenario"]["name"] for p in record["projections"]] == ["alt"]


def test_one_scenario_draws_no_comparison(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """A single-scenario run draws no 'by scenario' chart, even when asked for."""
    out = tmp_path / "one"
    options = ["--draws", "200", "--seed", "1", "-o", str(out), "--figures", "compare,dashboard"]
    assert run(capsys, "run", str(small_folder), "--scenario", "alt", *options)[0] == 0
    assert not any(name.startswith(("compare_", "driver_weights")) for name in files_in(out))
    assert "alt/dashboard.png" in files_in(out)


def test_run_of_a_scenario_file_runs_that_scenario_alone(
    capsys: pytest.CaptureFixture[str], small_folder: Path
) -> None:
    """``run CASE/alt.yaml`` projects alt only; ``run CASE/case.yaml`` projects them all."""
    code, out, _ = run(
        capsys, "run", str(small_folder / "alt.yaml"), "--draws", "50", "--seed", "1"
    )
    assert code == 0
    assert out.startswith("alt: Alternative")
    assert "\nbaseline:" not in out
    code, out, _ = run(
        capsys, "run", str(small_folder / "case.yaml"), "--draws", "50", "--seed", "1"
    )
    assert code == 0
    assert "\nalt: Alternative" in out
    assert out.startswith("baseline:")


def test_an_unknown_kind_of_figure_fails_before_projecting(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """``--figures fans`` exits 2, names the kinds, and writes nothing."""
    out = tmp_path / "out"
    code, _, err = run(capsys, "run", str(small_folder), "-o", str(out), "--figures", "fans")
    assert code == 2
    assert "'fans'" in err
    assert "tornado" in err
    assert not out.exists()


def test_the_output_option_has_one_spelling(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """The run command takes -o/--output like every command; --out still works."""
    for flag in ("-o", "--output", "--out"):
        out = tmp_path / flag.strip("-")
        options = ["--draws", "50", "--seed", "1", flag, str(out), "--figures", "none"]
        assert run(capsys, "run", str(small_folder), *options)[0] == 0
        assert (out / "summary.csv").is_file()


def test_run_fits_80_columns_and_names_by_label(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At COLUMNS=80 no line of the shipped case's run is longer than 80; labels, not ids."""
    monkeypatch.setenv("COLUMNS", "80")
    case = str(ROOT / "scenarios" / "russia_taliban")
    code, out, _ = run(capsys, "run", case, "--scenario", "baseline", "--draws", "500")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Russia–Afghanistan trade" in out
    assert "bilateral_trade" not in out
    assert "why: " in out  # rationales are there, wrapped whole
    assert "…" not in out
    code, out, _ = run(capsys, "run", case, "--scenario", "baseline", "--draws", "500", "--ids")
    assert out.splitlines()[2].startswith("bilateral_trade")


def test_quiet_run_says_nothing_on_stderr(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """--quiet leaves stderr empty, notes about the output folder included."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    options = ["--draws", "50", "-o", str(out), "--figures", "none", "--quiet"]
    code, _, err = run(capsys, "run", str(small_folder), *options)
    assert code == 0
    assert err == ""


@pytest.mark.slow
def test_report_brief_with_a_pdf(
    capsys: pytest.CaptureFixture[str], small_folder: Path, tmp_path: Path
) -> None:
    """``report --brief --pdf`` writes the page and its PDF, where Chromium is installed."""
    from recogmodel.report.pdf import chromium

    if chromium() is None:
        pytest.skip("chromium is missing: install Debian's chromium package to run this")
    page, pdf = tmp_path / "brief.html", tmp_path / "brief.pdf"
    options = ["--draws", "200", "--seed", "1", "--brief", "-o", str(page), "--pdf", str(pdf)]
    code, out, err = run(capsys, "report", str(small_folder), *options)
    assert code == 0, err
    assert f"wrote {pdf}" in out
    assert pdf.read_bytes().startswith(b"%PDF")
