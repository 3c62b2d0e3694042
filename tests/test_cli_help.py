"""Every example that ``--help`` shows runs as written and exits 0."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

from recogmodel.cli import main
from recogmodel.cli.parser import build_parser

ROOT = Path(__file__).resolve().parents[1]

#: The files the examples name, as a user would have them beside the case folder.
OBSERVED_CSV = "indicator,year,value\nbilateral_trade,2026,320\n"
OBSERVED_YAML = "- {indicator: bilateral_trade, year: 2026, value: 320}\n"


def help_examples() -> list[str]:
    """Every example command line in the help of the command and of each sub-command."""
    parser = build_parser()
    epilogs = [parser.epilog or ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            epilogs += [sub.epilog or "" for sub in action.choices.values()]
    examples: list[str] = []
    for epilog in epilogs:
        lines = iter(epilog.splitlines())
        for line in lines:
            if not line.strip().startswith("recogmodel "):
                continue
            text = line.strip()
            while text.endswith("\\"):
                text = text[:-1] + next(lines).strip()
            examples.append(text)
    return sorted(set(examples))


def test_the_help_shows_examples_of_every_command() -> None:
    """The examples cover every command the parser has."""
    commands = {shlex.split(e)[1] for e in help_examples()}
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert commands == set(subparsers.choices)


@pytest.mark.slow
@pytest.mark.parametrize("example", help_examples(), ids=lambda e: " ".join(e.split()[1:3]))
def test_every_help_example_runs(
    example: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example exits 0 in a folder holding the shipped case and the files it names
    (an old copy of the case for ``diff``, a journal for the commands that read one).
    """
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "russia_taliban").symlink_to(ROOT / "scenarios" / "russia_taliban")
    (tmp_path / "old_case").symlink_to(ROOT / "scenarios" / "russia_taliban")
    (tmp_path / "observed.csv").write_text(OBSERVED_CSV, encoding="utf-8")
    (tmp_path / "obs.yaml").write_text(OBSERVED_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    words = shlex.split(example)
    if "journal.jsonl" in words and words[1] != "record":  # a journal to read: record one
        record = ["record", "scenarios/russia_taliban", "--journal", "journal.jsonl"]
        assert main([*record, "--draws", "200", "--seed", "1"]) == 0
        capsys.readouterr()
    target = None
    if ">" in words:
        target = tmp_path / words[words.index(">") + 1]
        words = words[: words.index(">")]
    code = main(words[1:])
    out, err = capsys.readouterr()
    assert code == 0, err
    if target is not None:
        target.write_text(out, encoding="utf-8")
        assert target.stat().st_size > 0
