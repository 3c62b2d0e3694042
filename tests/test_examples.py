"""Every example runs headless from a fresh folder and leaves what its story promises."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from .conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
# What each example must leave in its working folder, and a line it must print.
PROMISES = {
    "quickstart.py": (["fan_bilateral_trade.png"], "bilateral_trade"),
    "compare_scenarios.py": (
        ["compare_bilateral_trade.png", "compare_recognising_states.png"],
        "Deepening",
    ),
    "another_case_in_python.py": (["norland_transits.png"], "transits"),
    "change_one_assumption.py": ([], "bilateral_trade"),
}


def test_every_example_has_a_promise() -> None:
    """Each example file is listed here, so none goes untested."""
    assert sorted(p.name for p in EXAMPLES) == sorted(PROMISES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(example: Path, tmp_path: Path) -> None:
    """The example exits 0 with no display, prints its story's numbers, writes its files."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "error"}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, str(example)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    files, line = PROMISES[example.name]
    assert line in done.stdout
    for name in files:
        path = tmp_path / name
        assert path.is_file(), f"{example.name} did not write {name}"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    module_doc = example.read_text(encoding="utf-8").split('"""')[1]
    assert len(module_doc.split()) > 40, "each example tells its story in its docstring"
