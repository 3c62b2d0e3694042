"""The journal file: append-only JSON Lines, damaged lines kept and reported at their line."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import pytest

import recogmodel as rm
from recogmodel.journal import SCHEMA_VERSION, append_entry, journal_path, read_journal

if TYPE_CHECKING:
    from pathlib import Path


def entry(day: int, note: str = "") -> dict[str, Any]:
    """A minimal entry (the file layer reads only the schema version and the date)."""
    return {
        "schema": SCHEMA_VERSION,
        "recorded": f"2026-01-{day:02d}T12:00:00+00:00",
        "note": note,
        "scenarios": ["baseline"],
        "weights": {"kind": "prior", "values": {"baseline": 1.0}},
        "runs": {"baseline": {"draws": 10}},
        "content_hash": "sha256:00",
        "recogmodel": "0",
    }


def test_append_adds_one_line_with_its_schema_version(tmp_path: Path) -> None:
    """Each entry is one line with the schema version; the line numbers count from 1."""
    first = append_entry(entry(1), tmp_path)
    second = append_entry(entry(2), tmp_path)
    lines = (tmp_path / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["schema"] for line in lines] == [SCHEMA_VERSION] * 2
    assert (first.line, second.line) == (1, 2)
    journal = read_journal(tmp_path)
    assert [e.date for e in journal] == ["2026-01-01", "2026-01-02"]
    assert journal.damaged == ()


def test_interrupted_append_loses_no_entry_and_is_reported_at_its_line(tmp_path: Path) -> None:
    """A line cut short by a crash is reported at its number; nothing earlier is lost."""
    append_entry(entry(1), tmp_path)
    append_entry(entry(2), tmp_path)
    file = journal_path(tmp_path)
    line = json.dumps(entry(3))
    with file.open("a", encoding="utf-8") as handle:  # the crash: half a line, no newline
        handle.write(line[: len(line) // 2])
    before = file.read_bytes()
    journal = read_journal(tmp_path)
    assert [e.line for e in journal] == [1, 2]
    assert [d.line for d in journal.damaged] == [3]
    assert "cut short" in journal.damaged[0].reason
    with pytest.raises(rm.JournalError) as caught:
        append_entry(entry(4), tmp_path)
    assert caught.value.line == 3
    assert str(file) in str(caught.value)
    assert file.read_bytes() == before  # neither dropped nor overwritten


def test_a_write_that_fails_part_way_takes_back_only_its_own_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write interrupted after some bytes leaves the journal exactly as it was."""
    append_entry(entry(1), tmp_path)
    file = journal_path(tmp_path)
    before = file.read_bytes()
    real_write = os.write
    calls = []

    def half_then_fail(fd: int, data: Any) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real_write(fd, bytes(data[: len(data) // 2]))

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        append_entry(entry(2), tmp_path)
    monkeypatch.undo()
    assert file.read_bytes() == before
    assert len(read_journal(tmp_path)) == 1


def test_a_corrupt_middle_line_and_a_newer_schema_are_reported(tmp_path: Path) -> None:
    """Invalid JSON and entries of a newer schema are kept as damaged lines, by number."""
    file = journal_path(tmp_path)
    newer = dict(entry(3), schema=SCHEMA_VERSION + 1)
    file.write_text(
        json.dumps(entry(1)) + "\n{not json\n" + json.dumps(newer) + "\n", encoding="utf-8"
    )
    journal = read_journal(file)
    assert [e.line for e in journal] == [1]
    assert [(d.line, d.reason.split(":")[0]) for d in journal.damaged] == [
        (2, "not valid JSON"),
        (3, f"written with schema {SCHEMA_VERSION + 1}, newer than this recogmodel reads (1); "
         "upgrade recogmodel"),
    ]  # fmt: skip
    with pytest.raises(rm.JournalError, match=r"journal.jsonl:2: "):
        journal.check()


def test_a_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    """A case without a journal has no entries, and no damaged line."""
    journal = read_journal(tmp_path)
    assert (len(journal), journal.damaged) == (0, ())
    assert "0 entries" in str(journal)


def test_entries_are_found_by_date(tmp_path: Path) -> None:
    """An entry is found by its day (the last of that day); an unknown day lists the dates."""
    append_entry(entry(1, "a"), tmp_path)
    append_entry(entry(1, "b"), tmp_path)
    append_entry(entry(2, "c"), tmp_path)
    journal = read_journal(tmp_path)
    assert journal.entry("2026-01-01").note == "b"
    assert journal.entry("2026-01-02T12:00:00+00:00").note == "c"
    with pytest.raises(rm.InputError, match="dates: 2026-01-01, 2026-01-02"):
        journal.entry("2025-12-31")
    rows = journal.to_rows()
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0]["weights"] == "prior"
