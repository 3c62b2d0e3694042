"""Reading YAML: safe, with the line of every value, refusing what no hand-written file needs."""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path
from typing import Any

import pytest

import recogmodel as rm
from recogmodel.io import folder
from recogmodel.io.yaml import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, read_bounded, read_yaml

from .case_files import (
    CASE,
    CASE_YAML,
    Bad,
    Sparse,
    assert_refused_at_its_line,
    bad,
    case_text,
    with_scenario,
    write,
)

# Nine lines that expand to 10**9 values if aliases are followed blindly.
ALIAS_BOMB = """\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

YAML_INPUTS = [
    bad(
        "duplicate-key",
        {CASE: case_text((11, "weight: 0.2 to 0.4", "weight: 0.2 to 0.4\n    weight: 0.3"))},
        (CASE, 12, "drivers.trade_push.weight"),
        "duplicate key 'weight' (first at line 11)",
        "expected each key once",
    ),
    bad(
        "duplicate-top-level-key",
        {CASE: CASE_YAML + "start: 2024\n"},
        (CASE, 69, "start"),
        "duplicate key 'start' (first at line 4)",
    ),
    bad(
        "duplicate-key-in-scenario",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ndrivers:\n  trade_push: {weight: 0.3}\n  trade_push: {weight: 0.4}\n",
        ),
        ("alt.yaml", 4, "drivers.trade_push"),
        "duplicate key 'trade_push' (first at line 3)",
    ),
    bad(
        "tab-indentation",
        {CASE: case_text((13, "      start", "\t  start"))},
        (CASE, 13, "(document)"),
        "tab character in indentation; expected spaces",
    ),
    bad(
        "invalid-yaml-syntax",
        {CASE: case_text((14, "trend: 0 to 0.03", "trend: 0 to 0.03: x"))},
        (CASE, 14, "(document)"),
        "not valid YAML: mapping values are not allowed here",
    ),
    bad(
        "empty-file",
        {CASE: ""},
        (CASE, 1, "(document)"),
        "the file is empty; expected a mapping of keys to values",
    ),
    bad(
        "comments-only-file",
        {CASE: "# nothing yet\n"},
        (CASE, 1, "(document)"),
        "the file is empty",
    ),
    bad(
        "top-level-list",
        {CASE: "- case: small\n- title: A small case\n"},
        (CASE, 1, "(document)"),
        "expected a mapping of keys to values",
    ),
    bad(
        "scenario-top-level-list",
        with_scenario("alt.yaml", "- scenario: alt\n"),
        ("alt.yaml", 1, "(document)"),
        "expected a mapping of keys to values",
    ),
    bad(
        "alias-bomb",
        {CASE: ALIAS_BOMB},
        # The line is that of the anchored value being repeated, not of the alias that
        # pushed the count over the limit (see the report).
        (CASE, 1, "e.7.8.8.8.4"),
        "expands to more than 100,000 values",
        "expected a plain, hand-written file",
    ),
    bad(
        "file-over-1-MB",
        {CASE: Sparse(100_000_001)},
        (CASE, 1, "(document)"),
        "file is 100.0 MB; case and scenario files are limited to 1 MB",
    ),
    bad(
        "not-utf8",
        {CASE: b"case: \xff\xfe\n"},
        (CASE, 1, "(document)"),
        "not UTF-8 text",
    ),
    bad(
        "python-tag-on-scalar",
        {CASE: case_text((36, "0.1", "!!python/object/apply:os.system 'echo hi'"))},
        (CASE, 36, "indicators.trade.volatility"),
        "tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        "expected plain numbers, text, true/false, null, lists and mappings",
    ),
    bad(
        "python-tag-on-list",
        {CASE: case_text((18, "[src]", "!!python/object/apply:os.system [src]"))},
        (CASE, 18, "drivers.trade_push.sources"),
        "tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
    ),
    bad(
        "custom-tag",
        {CASE: case_text((36, "0.1", "!units 0.1"))},
        (CASE, 36, "indicators.trade.volatility"),
        "tag !units is not allowed",
    ),
    bad(
        "merge-key",
        {
            CASE: case_text(
                (
                    7,
                    "  src: {title: A source, date: 2025-07}",
                    "  src: &src {title: A source, date: 2025-07}\n  other:\n    <<: *src",
                )
            )
        },
        (CASE, 9, "sources.other"),
        "merge keys (<<) are not supported; write the keys out",
    ),
]


def test_table_is_large_enough() -> None:
    """The table of malformed YAML covers at least 15 cases."""
    assert len(YAML_INPUTS) >= 15


@pytest.mark.parametrize("bad", YAML_INPUTS)
def test_malformed_yaml_is_refused_at_its_line(tmp_path: Path, bad: Bad) -> None:
    """Malformed YAML is refused naming its file, line and field, and what was expected."""
    assert_refused_at_its_line(tmp_path, bad)


def test_every_key_and_item_keeps_its_line(tmp_path: Path) -> None:
    """read_yaml gives plain data and the line of each key and list item."""
    file = tmp_path / "x.yaml"
    file.write_text("a: 1\nb:\n  c: [x, y]\n  d:\n    - 2\n    - 3\n", encoding="utf-8")
    located = read_yaml(file)
    assert located.data == {"a": 1, "b": {"c": ["x", "y"], "d": [2, 3]}}
    assert located.where[("a",)] == (file, 1)
    assert located.where[("b", "c")] == (file, 3)
    assert located.where[("b", "d", 1)] == (file, 6)
    assert located.locate(("b", "d", 1, "missing")) == (file, 6)


def test_a_list_at_the_top_is_allowed_only_when_asked(tmp_path: Path) -> None:
    """mapping=False reads a top-level list; by default a mapping is required."""
    file = tmp_path / "list.yaml"
    file.write_text("- 1\n- 2\n", encoding="utf-8")
    assert read_yaml(file, mapping=False).data == [1, 2]
    with pytest.raises(rm.ScenarioFileError, match="expected a mapping of keys to values"):
        read_yaml(file)


def test_old_import_paths_still_work() -> None:
    """read_yaml and the limits are still importable from recogmodel.io.folder."""
    assert folder.read_yaml is read_yaml
    assert (folder.MAX_FILE_BYTES, folder.MAX_NODES) == (MAX_FILE_BYTES, MAX_NODES)


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 100 MB file is refused from its size alone: it is never read."""
    write(tmp_path, {CASE: Sparse(100_000_001)})
    big = tmp_path / CASE

    def guard(real: Any) -> Any:
        def opener(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and Path(file) == big:
                raise AssertionError("the oversized file was opened")
            return real(file, *args, **kwargs)

        return opener

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(builtins, "open", guard(builtins.open))
    monkeypatch.setattr(io, "open", guard(io.open))
    for method in ("open", "read_text", "read_bytes"):
        monkeypatch.setattr(Path, method, refuse)
    with pytest.raises(rm.ScenarioFileError, match="limited to 1 MB") as info:
        rm.load_case(tmp_path)
    assert info.value.file == big
    assert info.value.line == 1


def test_file_of_exactly_the_size_limit_loads(tmp_path: Path) -> None:
    """A file of exactly MAX_FILE_BYTES bytes is still read (the limit is inclusive)."""
    padding = "#" * (MAX_FILE_BYTES - len(CASE_YAML.encode()))
    write(tmp_path, {CASE: CASE_YAML + padding})
    assert (tmp_path / CASE).stat().st_size == MAX_FILE_BYTES
    assert list(rm.load_case(tmp_path)) == ["baseline"]


def test_plain_anchors_and_aliases_are_expanded(tmp_path: Path) -> None:
    """An anchor used a few times is an ordinary value, not a refusal."""
    text = case_text(
        (7, "  src: {title: A source, date: 2025-07}", "  src: &s {title: A source}\n  copy: *s")
    )
    write(tmp_path, {CASE: text})
    case = rm.load_case(tmp_path).case
    assert case.sources["copy"] == case.sources["src"]


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO where a scenario file goes is refused at once: nothing waits for a writer."""
    write(tmp_path, {CASE: CASE_YAML})
    os.mkfifo(tmp_path / "alt.yaml")
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'alt.yaml'}: (document): is a FIFO (named pipe); expected a regular file"
    )


def test_device_is_refused_by_name(tmp_path: Path) -> None:
    """A device is not read, however it is reached."""
    with pytest.raises(rm.ScenarioFileError, match="is a device; expected a regular file"):
        read_bounded(Path("/dev/zero"))


def test_link_outside_the_folder_is_refused(tmp_path: Path) -> None:
    """A scenario file that links outside the case folder is refused, naming the target."""
    folder = tmp_path / "case"
    folder.mkdir()
    write(folder, {CASE: CASE_YAML})
    (tmp_path / "other.yaml").write_text("scenario: alt\n", encoding="utf-8")
    (folder / "alt.yaml").symlink_to(tmp_path / "other.yaml")
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(folder)
    assert str(info.value) == (
        f"{folder / 'alt.yaml'}: (document): is a link to {tmp_path / 'other.yaml'}, outside "
        "the case folder; expected a file inside the folder"
    )


def test_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    """A link to a file inside the case folder reads as that file."""
    write(tmp_path, {CASE: CASE_YAML, "real.txt": "scenario: alt\n"})
    (tmp_path / "alt.yaml").symlink_to(tmp_path / "real.txt")
    assert list(rm.load_case(tmp_path)) == ["baseline", "alt"]


def test_read_stops_one_byte_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose size is wrong (still growing) is read to the limit plus one byte only."""
    file = tmp_path / "big.yaml"
    file.write_bytes(b"#" * 5000)
    real_read, real_fstat = os.read, os.fstat
    asked: list[int] = []

    def lying(fd: int) -> os.stat_result:
        r = real_fstat(fd)
        return os.stat_result(
            (
                r.st_mode,
                r.st_ino,
                r.st_dev,
                r.st_nlink,
                r.st_uid,
                r.st_gid,
                10,
                int(r.st_atime),
                int(r.st_mtime),
                int(r.st_ctime),
            )
        )

    def counted(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", counted)
    monkeypatch.setattr(os, "fstat", lying)
    with pytest.raises(rm.ScenarioFileError, match="file is more than 0 MB"):
        read_bounded(file, limit=100)
    assert sum(asked) == 101


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 600])
def test_nesting_is_limited_at_the_line_it_crosses(tmp_path: Path, depth: int) -> None:
    """Nesting up to MAX_DEPTH reads; deeper is refused at its line, with no RecursionError."""
    file = tmp_path / "deep.yaml"
    # The top-level mapping is one level; the list under `x` opens `depth - 1` more.
    file.write_text("a: 1\nx:\n  " + "[" * (depth - 1) + "]" * (depth - 1) + "\n")
    if depth <= MAX_DEPTH:
        assert read_yaml(file).data["a"] == 1
        return
    with pytest.raises(rm.ScenarioFileError) as info:
        read_yaml(file)
    assert str(info.value) == (
        f"{file}:3: (document): lists and mappings nested more than {MAX_DEPTH} deep; "
        "expected a plain, hand-written file"
    )
