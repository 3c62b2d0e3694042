"""No input crashes, hangs or leaves half a result behind: one row per failure of issue 16.

Each row rebuilds one input that failed (a unit mistake, a device where a file goes, deep
nesting, an output that cannot be written, control characters, a scenario ending early,
one draw...), runs one command on it in this process, and checks the exit code, the
message (file, line and field, or the path) and that no output was written.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

import recogmodel as rm
from recogmodel._files import atomic_write, check_output, staged_folder
from recogmodel._text import ONE_LINE_MAX, escape_controls
from recogmodel.cli import main
from recogmodel.errors import InputError
from recogmodel.study import Study

from .case_files import CASE_YAML, Sparse, case_text, write

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

CASE = "case.yaml"
CORRELATED = (
    "scenario: one\ndraws: 1\ncorrelations:\n"
    "  - [drivers.trade_push.weight, indicators.trade.drift, 0.5]\n"
)


def _link_to(target: str, name: str = "alt.yaml") -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).symlink_to(target)

    return make


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "alt.yaml")


def _folder_named_yaml(folder: Path) -> None:
    (folder / "x.yaml").mkdir()


def _a_file(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder.parent / name).write_text("kept\n", encoding="utf-8")

    return make


def _outside_file(folder: Path) -> None:
    outside = folder.parent / "elsewhere.yaml"
    outside.write_text("scenario: alt\n", encoding="utf-8")
    (folder / "alt.yaml").symlink_to(outside)


@dataclass(frozen=True)
class Row:
    """An input rebuilt from the issue, the command run on it, and what must come out."""

    files: dict[str, str | bytes | Sparse]
    command: tuple[str, ...]
    code: int
    expected: tuple[str, ...]
    make: Callable[[Path], None] | None = None
    #: Whether the command may project: false when the input must fail before computing.
    computes: bool = True
    #: Paths under the test's folder that must not exist afterwards.
    absent: tuple[str, ...] = ("out",)
    absent_text: tuple[str, ...] = field(default=())


def row(id: str, *args: Any, **kwargs: Any) -> Any:
    """One row of the table."""
    return pytest.param(Row(*args, **kwargs), id=id)


def _scenario(name: str, text: str) -> dict[str, str | bytes | Sparse]:
    return {CASE: CASE_YAML, name: text}


RUN = ("run", "{case}", "--draws", "50", "--seed", "1", "--priorities", "0", "-o", "{out}")

FAILURES = [
    # 1. A unit mistake passes validation, then overflows and crashes.
    row(
        "1-effect-300-warned-by-validate",
        {CASE: case_text((16, "trade: 0.1 to 0.3", "trade: 300"))},
        ("validate", "{case}"),
        0,
        (
            "warning: {case}/case.yaml:16: drivers.trade_push.effects.trade: 300 log units a "
            "year is a factor of e^300",
            "did you mean a value in USD m?",
        ),
    ),
    row(
        "1-effect-300-warned-by-run",
        {CASE: case_text((16, "trade: 0.1 to 0.3", "trade: 300"))},
        ("run", "{case}", "--draws", "20", "--priorities", "0"),
        0,
        ("warning: {case}/case.yaml:16: drivers.trade_push.effects.trade: 300 log units",),
    ),
    row(
        "1-effect-1e300-stops-run",
        {CASE: case_text((16, "trade: 0.1 to 0.3", "trade: 1e300"))},
        RUN,
        2,
        (
            "indicators.trade: the projection of scenario 'baseline' grows beyond any number "
            "in 2025",
            "the assumptions pushing it: drivers.trade_push.effects.trade",
        ),
    ),
    row(
        "1-effect-3000-stops-run",
        {CASE: case_text((16, "trade: 0.1 to 0.3", "trade: 3000"))},
        RUN,
        2,
        ("indicators.trade:", "overflows", "drivers.trade_push.effects.trade"),
    ),
    # 2. Reads are unbounded for anything but a regular file.
    row(
        "2-scenario-links-to-dev-zero",
        {CASE: CASE_YAML},
        ("validate", "{case}"),
        2,
        ("{case}/alt.yaml: (document): is a link to /dev/zero, outside the case folder",),
        make=_link_to("/dev/zero"),
    ),
    row(
        "2-scenario-links-to-dev-urandom",
        {CASE: CASE_YAML},
        RUN,
        2,
        ("{case}/alt.yaml: (document): is a link to /dev/urandom, outside the case folder",),
        make=_link_to("/dev/urandom"),
        computes=False,
    ),
    row(
        "2-scenario-is-a-fifo",
        {CASE: CASE_YAML},
        ("validate", "{case}"),
        2,
        ("{case}/alt.yaml: (document): is a FIFO (named pipe); expected a regular file",),
        make=_fifo,
    ),
    row(
        "2-link-outside-the-folder",
        {CASE: CASE_YAML},
        ("validate", "{case}"),
        2,
        ("{case}/alt.yaml: (document): is a link to", "outside the case folder"),
        make=_outside_file,
    ),
    row(
        "2-case-file-links-to-dev-zero",
        {},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml: (document): is a link to /dev/zero",),
        make=_link_to("/dev/zero", CASE),
    ),
    # 3. About 500 levels of nesting raised RecursionError.
    row(
        "3-nesting-600-deep",
        _scenario("alt.yaml", "scenario: alt\nnarrative: x\nx:\n  " + "[" * 600 + "]" * 600),
        ("validate", "{case}"),
        2,
        ("{case}/alt.yaml:4: (document): lists and mappings nested more than 32 deep",),
    ),
    # 4. File-system errors were reported as bugs, after all the computing.
    row(
        "4-out-names-a-file",
        {CASE: CASE_YAML},
        (*RUN[:-1], "{tmp}/taken"),
        2,
        ("{tmp}/taken: --output: exists and is not a folder; expected a folder",),
        make=_a_file("taken"),
        computes=False,
    ),
    row(
        "4-out-cannot-be-written",
        {CASE: CASE_YAML},
        (*RUN[:-1], "/proc/recogmodel-out"),
        2,
        ("/proc/recogmodel-out: --output: cannot write in /proc",),
        computes=False,
    ),
    row(
        "4-report-output-is-a-folder",
        {CASE: CASE_YAML},
        ("report", "{case}", "--draws", "20", "-o", "{case}"),
        2,
        ("{case}: --output: is a folder; expected the path of a file to write",),
        computes=False,
    ),
    row(
        "4-folder-named-x-yaml",
        {CASE: CASE_YAML},
        RUN,
        2,
        ("{case}/x.yaml: (document): is a folder; expected a regular file",),
        make=_folder_named_yaml,
        computes=False,
    ),
    row(
        "4-case-file-is-a-folder",
        {},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml: (document): is a folder; expected a regular file",),
        make=lambda folder: (folder / CASE).mkdir(),
    ),
    # 5. Analyst text reached the terminal raw.
    row(
        "5-escape-codes-in-a-unit",
        {CASE: case_text((29, "unit: USD m", 'unit: "\\e]0;owned\\a USD m"'))},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:29: indicators.trade.unit: holds a control character (\\x1b)",),
        absent_text=("\x1b", "\x07"),
    ),
    row(
        "5-escape-codes-in-a-key-are-shown-escaped",
        {CASE: case_text((21, "weight: 0.5", 'weight: 0.5\n    "\\e]0;owned\\a": 1'))},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:22: drivers.security.\\x1b]0;owned\\x07: unknown field",),
        absent_text=("\x1b", "\x07"),
    ),
    row(
        "5-newline-in-a-title",
        {CASE: case_text((2, "title: A small case", 'title: "A small\\ncase"'))},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:2: title: holds a line break (\\n) at character 8",),
    ),
    row(
        "5-label-of-900-kb",
        {CASE: case_text((28, "label: Trade", "label: " + "x" * 900_000))},
        RUN,
        2,
        (
            f"{{case}}/case.yaml:28: indicators.trade.label: string should have at most "
            f"{ONE_LINE_MAX} characters",
        ),
        computes=False,
    ),
    # 6. A valid case failed with the default years when a scenario ends early.
    row(
        "6-scenario-horizon-sets-default-years",
        _scenario("short.yaml", "scenario: short\nhorizon: 2029\n"),
        ("run", "{case}", "--scenario", "short", "--draws", "20", "--priorities", "0"),
        0,
        ("unit    2029\n",),
    ),
    row(
        "6-years-beyond-a-scenario-name-it",
        _scenario("short.yaml", "scenario: short\nhorizon: 2029\n"),
        (*RUN, "--years", "2030"),
        2,
        (
            "--years: 2030 is not a projected year; expected one of 2025..2029 (the years of "
            "scenario 'short')",
        ),
        computes=False,
    ),
    # 7. One draw with correlations crashed writing JSON (the correlation was NaN).
    row(
        "7-one-draw-with-correlations",
        _scenario("one.yaml", CORRELATED),
        ("run", "{case}", "--scenario", "one", "--priorities", "0", "-o", "{out}"),
        0,
        ("one: one (1 draws",),
        absent=(),
    ),
    # 8. The smaller items.
    row(
        "8-history-year-after-the-start",
        {
            CASE: case_text(
                (
                    34,
                    "sources: [src]",
                    "sources: [src]\n    history:\n      2027: {value: 3, sources: [src]}",
                )
            )
        },
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:36: indicators.trade.history.2027: history year 2027 is after",),
    ),
    row(
        "8-negative-history-on-a-log-scale",
        {
            CASE: case_text(
                (
                    34,
                    "sources: [src]",
                    "sources: [src]\n    history:\n      2020: {value: -5, sources: [src]}",
                )
            )
        },
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:36: indicators.trade.history.2020.value: -5 lies outside (0, ∞)",),
    ),
    row(
        "8-file-name-suggestion-is-valid",
        _scenario("Boom-2.yaml", "narrative: A boom.\n"),
        ("validate", "{case}"),
        2,
        (
            "{case}/Boom-2.yaml:1: scenario: a scenario file needs 'scenario: boom_2'",
            "the file renamed boom_2.yaml",
        ),
    ),
    row(
        "8-beta-alpha-0-at-alpha",
        {CASE: case_text((11, "weight: 0.2 to 0.4", "weight: {dist: beta, alpha: 0, beta: 2}"))},
        ("validate", "{case}"),
        2,
        ("{case}/case.yaml:11: drivers.trade_push.weight.alpha: input should be greater than 0",),
        absent_text=("weight.beta:",),
    ),
    row(
        "8-one-failing-file-is-reported-once",
        {
            CASE: CASE_YAML,
            "a.yaml": "scenario: a\ndraws: 0\n",
            "b.yaml": "scenario: b\nextends: a\n",
            "c.yaml": "scenario: c\nextends: b\n",
        },
        ("validate", "{case}"),
        2,
        ("{case}/a.yaml:2: draws:",),
        absent_text=("which is not a scenario of this case",),
    ),
]


@pytest.mark.parametrize("row", FAILURES)
def test_each_failure_of_the_issue_is_handled(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    row: Row,
) -> None:
    """Each input the issue found failing: its exit code, its message, nothing written."""
    folder = tmp_path / "case"
    folder.mkdir()
    write(folder, dict(row.files))
    if row.make is not None:
        row.make(folder)
    places = {"case": str(folder), "out": str(tmp_path / "out"), "tmp": str(tmp_path)}
    if not row.computes:

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("projected before the input was checked")

        monkeypatch.setattr(Study, "project", refuse)
    before = sorted(p.name for p in tmp_path.iterdir())
    started = time.monotonic()
    code = main([part.format(**places) for part in row.command])
    out, err = capsys.readouterr()
    shown = out + err
    assert time.monotonic() - started < 30, "took too long"
    assert code == row.code, shown
    assert "Traceback" not in shown, shown
    assert "internal error" not in shown, shown
    for fragment in row.expected:
        assert fragment.format(**places) in shown, shown
    for fragment in row.absent_text:
        assert fragment not in shown, shown
    for name in row.absent:
        assert not (tmp_path / name).exists(), shown
    if code == 2:
        assert sorted(p.name for p in tmp_path.iterdir()) == before, "something was written"


def test_one_draw_with_correlations_writes_strict_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One draw: the achieved correlation is 0, and projection.json is strict JSON."""
    write(tmp_path, _scenario("one.yaml", CORRELATED))
    code = main(
        [
            "run",
            str(tmp_path),
            "--scenario",
            "one",
            "--priorities",
            "0",
            "-o",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = (tmp_path / "out" / "projection.json").read_text(encoding="utf-8")
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in projection.json"))
    proj = rm.Study(tmp_path, scenarios=["one"]).projection("one")
    assert [c[3] for c in proj.diagnostics.correlations] == [0.0]


def test_a_failure_while_writing_leaves_the_folder_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose figures fail part-way leaves its output folder exactly as it was."""
    (tmp_path / "case").mkdir()
    write(tmp_path / "case", {CASE: CASE_YAML})
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("old\n", encoding="utf-8")
    import recogmodel.plot.batch as batch

    def broken(*args: object, **kwargs: object) -> list[Path]:
        raise OSError(28, "No space left on device", str(out / "compare_trade.png"))

    monkeypatch.setattr(batch, "render_figures", broken)
    code = main(
        ["run", str(tmp_path / "case"), "--draws", "20", "--priorities", "0", "-o", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]
    assert (out / "summary.csv").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"]


def test_staged_folder_moves_files_in_only_at_the_end(tmp_path: Path) -> None:
    """Files written into the staged folder appear in the target only when the block ends."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "other.txt").write_text("left alone", encoding="utf-8")
    (target / "a.txt").write_text("old", encoding="utf-8")
    with staged_folder(target) as stage:
        atomic_write(stage / "a.txt", "new")
        atomic_write(stage / "sub" / "b.txt", "b")
        assert (target / "a.txt").read_text(encoding="utf-8") == "old"
        assert stage.parent == tmp_path
        assert stage.name.startswith(".out.")
    assert (target / "a.txt").read_text(encoding="utf-8") == "new"
    assert (target / "sub" / "b.txt").read_text(encoding="utf-8") == "b"
    assert (target / "other.txt").read_text(encoding="utf-8") == "left alone"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_staged_folder_that_fails_leaves_nothing(tmp_path: Path) -> None:
    """A block that raises leaves no target and no temporary folder behind."""

    def half_written() -> None:
        with staged_folder(tmp_path / "out") as stage:
            atomic_write(stage / "a.txt", "half")
            raise RuntimeError("failed")

    with pytest.raises(RuntimeError):
        half_written()
    assert list(tmp_path.iterdir()) == []


def test_staged_new_folder_gets_plain_permissions(tmp_path: Path) -> None:
    """A target made by the move has the permissions a plain mkdir gives, not 0700."""
    with staged_folder(tmp_path / "out") as stage:
        atomic_write(stage / "a.txt", "a")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~mask


@pytest.mark.parametrize(
    ("make", "folder", "expected"),
    [
        (lambda p: p.write_text("x"), True, "exists and is not a folder"),
        (lambda p: p.mkdir(), False, "is a folder; expected the path of a file"),
        (lambda p: p.parent.joinpath("f").write_text("x"), True, None),
    ],
    ids=["file-for-folder", "folder-for-file", "new-folder"],
)
def test_check_output_refuses_what_cannot_be_written(
    tmp_path: Path, make: Callable[[Path], object], folder: bool, expected: str | None
) -> None:
    """check_output names the path and what was expected, and leaves no probe behind."""
    target = tmp_path / "target"
    make(target)
    before = sorted(tmp_path.iterdir())
    if expected is None:
        assert check_output(target, folder=folder, name="out") == target
    else:
        with pytest.raises(InputError) as info:
            check_output(target, folder=folder, name="out")
        assert str(info.value).startswith(f"{target}: out: ")
        assert expected in str(info.value)
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the mode")
def test_unreadable_case_file_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case.yaml this user may not read: exit 2, the path, permission denied."""
    write(tmp_path, {CASE: CASE_YAML})
    (tmp_path / CASE).chmod(0)
    assert main(["validate", str(tmp_path)]) == 2
    assert (
        f"{tmp_path / CASE}: (document): cannot read: Permission denied" in capsys.readouterr().err
    )


def test_escape_controls_shows_every_control_character() -> None:
    """Escape sequences, bells, C1 codes and bidi overrides are shown; lines stay lines."""
    assert escape_controls("a\x1b]0;t\x07b\nc\td\r\x9b\u202e") == (
        "a\\x1b]0;t\\x07b\nc\td\\r\\x9b\\u202e"
    )
    assert escape_controls("a\nb", lines=False) == "a\\nb"
    assert escape_controls("plain text – ünïcode") == "plain text – ünïcode"


def test_terminal_output_has_control_characters_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Prose with an escape code cannot reach the terminal: refused at its line, shown escaped."""
    write(tmp_path, _scenario("alt.yaml", 'scenario: alt\nnarrative: "why \\e[2J"\n'))
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'alt.yaml'}:2: narrative: holds a control character (\\x1b)" in err
    assert "\x1b" not in err
