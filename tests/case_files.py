"""Case files written out by hand for the loader tests, and the table rows they share.

``CASE_YAML`` is the small case of ``conftest.py`` as text, so that every line number a
test expects can be read off it; ``test_folder.test_case_text_is_the_small_case`` keeps
the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

import recogmodel as rm

if TYPE_CHECKING:
    from pathlib import Path

CASE = "case.yaml"

# The small case of conftest.py written out by hand, so that every line number below can be
# read off this text. `test_case_text_is_the_small_case` keeps the two in step.
#
#   8 drivers:            26 indicators:         55 events:
#  11 trade_push weight   32 trade baseline year  58 recognition probability
#  13 intensity start     33 trade baseline value 65 contract year
#  17 effect on share     35 trade drift          66 contract probability
#  18 trade_push sources  52 count baseline value
#  19 security:           54 count bounds
CASE_YAML = """\
case: small
title: A small case
actor: Someland
start: 2025
horizon: 2030
sources:
  src: {title: A source, date: 2025-07}
drivers:
  trade_push:
    label: Trade push
    weight: 0.2 to 0.4
    intensity:
      start: 0.6
      trend: 0 to 0.03
    effects:
      trade: 0.1 to 0.3
      share: 0.2
    sources: [src]
  security:
    label: Security
    weight: 0.5
    intensity: 0.5
    effects:
      count: 1.0
    sources: [src]
indicators:
  trade:
    label: Trade
    unit: USD m
    scale: log
    baseline:
      year: 2024
      value: 250 to 350
      sources: [src]
    drift: -0.02 to 0.04
    volatility: 0.1
  share:
    label: Exports share
    unit: share
    scale: logit
    baseline:
      year: 2025
      value: 0.02
      sources: [src]
    volatility: 0.2
  count:
    label: Recognitions
    unit: states
    scale: linear
    baseline:
      year: 2025
      value: 1
      sources: [src]
    bounds: [1, 50]
events:
  recognition:
    label: Another state recognises
    probability: unlikely
    recurring: true
    effects:
      indicators: {count: 1}
      drivers: {security: 0.05}
  contract:
    label: Contract signed
    year: 2027
    probability: 0.5
    effects:
      indicators: {trade: 0.2}
"""


def case_text(*edits: tuple[int, str, str]) -> str:
    """CASE_YAML with, for each (N, OLD, NEW), OLD replaced by NEW on line N.

    N always counts lines of CASE_YAML; a NEW holding newlines adds lines after line N.
    """
    lines = CASE_YAML.splitlines()
    for number, old, new in edits:
        assert old in lines[number - 1], f"line {number} is {lines[number - 1]!r}"
        lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines) + "\n"


def with_scenario(name: str, text: str) -> dict[str, str | bytes | Sparse]:
    """The valid case plus one scenario file."""
    return {"case.yaml": CASE_YAML, name: text}


@dataclass(frozen=True)
class Sparse:
    """A file of ``size`` bytes written by seeking, so it takes no room on disk."""

    size: int


def write(folder: Path, files: dict[str, str | bytes | Sparse]) -> None:
    """Write each file into ``folder``: text, raw bytes, or a sparse file."""
    for name, content in files.items():
        path = folder / name
        if isinstance(content, Sparse):
            with path.open("wb") as f:
                f.seek(content.size - 1)
                f.write(b"\0")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@dataclass(frozen=True)
class Bad:
    """Files that must be refused, and the problem the refusal must hold."""

    files: dict[str, str | bytes | Sparse]
    file: str
    line: int
    field: str
    expected: tuple[str, ...]
    count: int = 1


def bad(
    id: str,
    files: dict[str, str | bytes | Sparse],
    at: tuple[str, int, str],
    *expected: str,
    count: int = 1,
    xfail: str | None = None,
) -> Any:
    """One row of the table: ``at`` is (file name, line, dotted field)."""
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(Bad(files, *at, expected, count), id=id, marks=marks)


def assert_refused_at_its_line(tmp_path: Path, bad: Bad) -> None:
    """Loading ``bad.files`` fails with a problem at ``bad``'s file, line and field."""
    write(tmp_path, bad.files)
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    error = info.value
    shown = str(error)
    hits = [p for p in error.problems if p.file == tmp_path / bad.file and p.field == bad.field]
    assert hits, shown
    problem = hits[0]
    assert problem.line == bad.line, shown
    for fragment in bad.expected:
        assert fragment in problem.message, shown
    assert f"{tmp_path / bad.file}:{bad.line}: {bad.field}: {problem.message}" in shown
    assert len(error.problems) == bad.count, shown
