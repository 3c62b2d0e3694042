"""Fuzzing the command with mutated case folders: exit 0 or 2, never a traceback.

A valid case folder (the small case and one scenario) is mutated: keys dropped,
duplicated and retyped, numbers pushed to extremes, files swapped for folders, links and
devices. For every mutation, ``recogmodel run -o`` must exit 0 or 2, never print a
traceback or call itself a bug, and write nothing when it exits 2.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recogmodel.cli import main

from .case_files import CASE_YAML

SCENARIO_YAML = """\
scenario: alt
title: An alternative
narrative: Why it might happen.
extends: baseline
draws: 30
drivers:
  trade_push:
    weight: 0.3 to 0.5
correlations:
  - [drivers.trade_push.weight, indicators.trade.drift, 0.4]
signposts:
  - indicator: trade
    by: 2028
    above: 400
"""
FILES = {"case.yaml": CASE_YAML, "alt.yaml": SCENARIO_YAML}

#: Values a key may be retyped to, or a number pushed to.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    "",
    "text",
    "5% to 95%",
    [],
    [1, 2, 3],
    {},
    {"dist": "beta", "alpha": 0, "beta": 2},
    {"dist": "normal"},
    "\x1b]0;title\x07",
    "line\nbreak",
    "x" * 300,
]
EXTREMES: list[float] = [
    1e308,
    -1e308,
    1e300,
    5e-324,
    -5e-324,
    300.0,
    -300.0,
    1e6,
    math.inf,
    -math.inf,
    math.nan,
    2.0**63,
    -(2.0**63),
]
SWAPS = ("folder", "link-dev-zero", "link-outside", "dangling-link", "link-loop", "fifo", "empty")


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and item path of ``data``, parents before children."""
    out = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*path, i))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, str, Any]]:
    """One to three mutations, each (file, kind, details)."""
    steps: list[tuple[str, str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        file = draw(st.sampled_from(sorted(FILES)))
        kind = draw(st.sampled_from(["drop", "duplicate", "retype", "extreme", "swap"]))
        if kind == "swap":
            steps.append((file, kind, draw(st.sampled_from(SWAPS))))
        elif kind == "duplicate":
            steps.append((file, kind, draw(st.integers(0, 200))))
        else:
            value = draw(st.sampled_from(EXTREMES if kind == "extreme" else ODD_VALUES))
            steps.append((file, kind, (draw(st.integers(0, 10_000)), value)))
    return steps


def _mutate_data(text: str, kind: str, details: Any) -> str:
    """The file's text with one key dropped, retyped, or a number pushed to an extreme."""
    data = yaml.safe_load(text)
    index, value = details
    if kind == "extreme":
        paths = [p for p in _paths(data) if isinstance(_parent(data, p)[p[-1]], int | float)]
    else:
        paths = _paths(data)
    if not paths:
        return text
    path = paths[index % len(paths)]
    parent = _parent(data, path)
    if kind == "drop":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _duplicate_line(text: str, index: int) -> str:
    lines = text.splitlines()
    i = index % len(lines)
    return "\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]]) + "\n"


def _swap(folder: Path, name: str, how: str) -> None:
    """Put something that is not a plain file where ``name`` was."""
    path = folder / name
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    if how == "folder":
        path.mkdir()
    elif how == "link-dev-zero":
        path.symlink_to("/dev/zero")
    elif how == "link-outside":
        outside = folder.parent / f"outside-{name}"
        outside.write_text(FILES[name], encoding="utf-8")
        path.symlink_to(outside)
    elif how == "dangling-link":
        path.symlink_to(folder / "missing.yaml")
    elif how == "link-loop":
        path.symlink_to(path)
    elif how == "fifo":
        os.mkfifo(path)
    else:
        path.write_text("", encoding="utf-8")


def _build(folder: Path, steps: list[tuple[str, str, Any]]) -> None:
    texts = dict(FILES)
    swaps = []
    for file, kind, details in steps:
        if kind == "swap":
            swaps.append((file, details))
        elif kind == "duplicate":
            texts[file] = _duplicate_line(texts[file], details)
        else:
            # An earlier duplicate may have made the text invalid YAML: then keep it.
            with contextlib.suppress(yaml.YAMLError):
                texts[file] = _mutate_data(texts[file], kind, details)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    for file, how in swaps:
        _swap(folder, file, how)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=mutations())
def test_mutated_case_exits_0_or_2_and_writes_nothing_on_2(
    steps: list[tuple[str, str, Any]],
) -> None:
    """Any mutation of a valid case: exit 0 or 2, no traceback, nothing written on 2."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        folder = root / "case"
        folder.mkdir()
        _build(folder, steps)
        out = root / "out"
        errors = root / "stderr"
        with (
            errors.open("w+", encoding="utf-8") as err,
            contextlib.redirect_stdout(err),
            contextlib.redirect_stderr(err),
        ):
            code = main(
                [
                    "run",
                    str(folder),
                    "--draws",
                    "30",
                    "--seed",
                    "1",
                    "--priorities",
                    "0",
                    "--figures",
                    "none",
                    "-o",
                    str(out),
                ]
            )
            err.seek(0)
            shown = err.read()
        assert code in (0, 2), f"{steps}\n{shown}"
        assert "Traceback" not in shown, f"{steps}\n{shown}"
        assert "internal error" not in shown, f"{steps}\n{shown}"
        if code == 2:
            assert not out.exists(), f"{steps}: wrote {sorted(out.iterdir())}"
            assert not [p for p in root.iterdir() if p.name.startswith(".out.")], steps
        else:
            assert (out / "summary.csv").is_file(), steps
    finally:
        shutil.rmtree(root, ignore_errors=True)
