r"""The journal file: an append-only JSON Lines file of dated forecasts beside a case.

One line is one entry, a JSON object that carries the schema version it was written with
(``"schema"``). Lines are only ever added: :func:`append_entry` checks that every line
already there can be read, writes the new line in one call to the end of the file and
``fsync``\\ s it, and takes back its own bytes if the write fails part way. A line that
cannot be read (a crash cut it short, or an edit broke it) is never dropped or written
over: :func:`read_journal` keeps it as a :class:`DamagedLine` with its line number, and
appending refuses to go on until the analyst has mended it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from ..errors import InputError, JournalError, Problem
from ..text.tables import text_table

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..model import Scenario

__all__ = [
    "JOURNAL_FILE",
    "SCHEMA_VERSION",
    "DamagedLine",
    "Journal",
    "JournalEntry",
    "append_entry",
    "journal_path",
    "read_journal",
]

#: The journal's file name, beside the case's ``case.yaml``.
JOURNAL_FILE = "journal.jsonl"

#: The version of the entry format this library writes (and the newest it reads).
SCHEMA_VERSION = 1


def journal_path(source: str | Path) -> Path:
    """The journal file of a case folder, or ``source`` itself if it is a ``.jsonl`` file.

    Parameters
    ----------
    source
        A case folder or a journal file.

    Returns
    -------
    Path
        ``source / "journal.jsonl"`` for a folder, else ``source``.
    """
    path = Path(source)
    return path if path.suffix == ".jsonl" else path / JOURNAL_FILE


@dataclass(frozen=True)
class DamagedLine:
    """A line of a journal that cannot be read as an entry, kept as it is."""

    line: int
    """Its line number (from 1)."""
    reason: str
    """Why it cannot be read."""

    def problem(self, path: Path) -> Problem:
        """The line as a problem of the journal file, for an error message."""
        return Problem(
            "",
            f"{self.reason}; the line is kept as it is (mend or remove it by hand)",
            path,
            self.line,
        )


@dataclass(frozen=True)
class JournalEntry:
    """One recorded forecast: what the model said on one day.

    ``data`` is the entry as written (see ``docs/journal.md`` for its fields); the
    properties read the parts every use needs.
    """

    line: int
    """Its line number in the journal (from 1)."""
    data: Mapping[str, Any]
    """The entry as written."""

    @property
    def recorded(self) -> datetime:
        """When it was recorded (UTC)."""
        return datetime.fromisoformat(str(self.data["recorded"]))

    @property
    def date(self) -> str:
        """The day it was recorded, ``YYYY-MM-DD``: the entry's name in scores and diffs."""
        return self.recorded.date().isoformat()

    @property
    def note(self) -> str | None:
        """The analyst's note, if any."""
        note = self.data.get("note")
        return None if note is None else str(note)

    @property
    def scenarios(self) -> tuple[str, ...]:
        """The scenarios forecast, in order."""
        return tuple(self.data["scenarios"])

    @property
    def years(self) -> tuple[int, ...]:
        """The years forecast."""
        return tuple(int(y) for y in self.data["years"])

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators forecast."""
        return tuple(self.data["indicators"])

    @property
    def weights(self) -> dict[str, float]:
        """The scenario weights recorded with the forecast (prior or posterior)."""
        return {k: float(v) for k, v in self.data["weights"]["values"].items()}

    def quantile(self, scenario: str, indicator: str, year: int, level: float) -> float:
        """One recorded quantile.

        Parameters
        ----------
        scenario, indicator, year
            The cell.
        level
            A recorded level (``0.05``, ``0.1``, ``0.25``, ``0.5``, ``0.75``, ``0.9``,
            ``0.95``).

        Returns
        -------
        float
        """
        table = self.data["quantiles"][scenario][indicator]
        return float(table[_level_key(level)][self.years.index(year)])

    def sample(self, scenario: str, indicator: str, *, reference: bool = False) -> NDArray[Any]:
        """The thinned draws of one indicator, shape (years, draws).

        Parameters
        ----------
        scenario, indicator
            Which draws.
        reference
            The draws of the drift-only reference model (no drivers, no events) instead.
        """
        key = "reference_sample" if reference else "sample"
        return np.asarray(self.data[key][scenario][indicator], dtype=float)

    def scenario(self, name: str) -> Scenario:
        """The scenario as it was when the forecast was recorded.

        Parameters
        ----------
        name
            A recorded scenario.

        Returns
        -------
        Scenario
        """
        from ..model import Scenario

        return Scenario.model_validate(self.data["runs"][name]["scenario"])

    def to_row(self) -> dict[str, Any]:
        """The entry in one row: line, date, scenarios, weights, hash, version, note."""
        runs = self.data["runs"]
        return {
            "line": self.line,
            "entry": self.date,
            "recorded": self.data["recorded"],
            "scenarios": len(self.scenarios),
            "weights": self.data["weights"]["kind"],
            "draws": min(int(r["draws"]) for r in runs.values()),
            "content_hash": str(self.data["content_hash"]),
            "recogmodel": str(self.data["recogmodel"]),
            "note": self.note or "",
        }


class Journal(Sequence[JournalEntry]):
    """The entries of a journal file in order, and any lines that cannot be read.

    Parameters
    ----------
    path
        The journal file.
    entries
        Its readable entries.
    damaged
        Its unreadable lines.
    """

    def __init__(
        self, path: Path, entries: Sequence[JournalEntry], damaged: Sequence[DamagedLine] = ()
    ) -> None:
        self.path = path
        self.entries = tuple(entries)
        self.damaged = tuple(damaged)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[JournalEntry]: ...
    def __getitem__(self, index: int | slice) -> JournalEntry | Sequence[JournalEntry]:
        return self.entries[index]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r}, entries={len(self)}, damaged={len(self.damaged)})"

    def check(self) -> None:
        """Raise :class:`~recogmodel.errors.JournalError` if a line cannot be read."""
        if self.damaged:
            raise JournalError([d.problem(self.path) for d in self.damaged])

    def entry(self, when: str) -> JournalEntry:
        """The entry recorded on a day (the last of that day), or at an exact time.

        Parameters
        ----------
        when
            ``YYYY-MM-DD``, or the ``recorded`` time as written.

        Returns
        -------
        JournalEntry

        Raises
        ------
        InputError
            If no entry was recorded then; the message lists the dates there are.
        """
        found = [e for e in self.entries if when in (e.date, str(e.data["recorded"]))]
        if not found:
            dates = ", ".join(dict.fromkeys(e.date for e in self.entries)) or "none"
            raise InputError(
                [Problem("when", f"no entry of {self.path} was recorded on {when}; dates: {dates}")]
            )
        return found[-1]

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per entry (see :meth:`JournalEntry.to_row`)."""
        return [e.to_row() for e in self.entries]

    def __str__(self) -> str:
        head = ["line", "entry", "scenarios", "weights", "draws", "content hash", "version", "note"]
        body = [
            [
                str(r["line"]),
                r["entry"],
                str(r["scenarios"]),
                r["weights"],
                f"{r['draws']:,}",
                r["content_hash"][:15],
                r["recogmodel"],
                r["note"],
            ]
            for r in self.to_rows()
        ]
        lines = [f"{self.path}: {len(self)} entries"]
        if body:
            lines += text_table(head, body, left=2, text=3)
        lines += [f"damaged: {d.problem(self.path)}" for d in self.damaged]
        return "\n".join(lines)


def read_journal(source: str | Path) -> Journal:
    """Read a journal: every entry, and every line that cannot be read, with its number.

    Parameters
    ----------
    source
        A case folder (its ``journal.jsonl``) or a journal file. A journal not written yet
        reads as empty.

    Returns
    -------
    Journal
        Its entries in order; :attr:`Journal.damaged` lists the unreadable lines (a line
        cut short by an interrupted write, a line edited into invalid JSON, an entry of a
        newer schema).
    """
    path = journal_path(source)
    if not path.exists():
        return Journal(path, [])
    raw = path.read_bytes()
    entries: list[JournalEntry] = []
    damaged: list[DamagedLine] = []
    lines = raw.split(b"\n")
    last = len(lines) - 1 if lines[-1] == b"" else len(lines)
    for number, line in enumerate(lines[:last], start=1):
        if not line.strip():
            continue
        cut = number == last and not raw.endswith(b"\n")
        reason = _unreadable(line, cut)
        if reason is not None:
            damaged.append(DamagedLine(number, reason))
        else:
            entries.append(JournalEntry(number, json.loads(line)))
    return Journal(path, entries, damaged)


def _unreadable(line: bytes, cut: bool) -> str | None:
    """Why a line is not an entry, or ``None`` if it is one."""
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        why = "cut short (no end of line)" if cut else "not valid JSON"
        return f"{why}: {exc}"
    if cut:
        return "cut short (no end of line)"
    if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
        return "not a journal entry (no schema version)"
    if data["schema"] > SCHEMA_VERSION:
        return (
            f"written with schema {data['schema']}, newer than this recogmodel reads "
            f"({SCHEMA_VERSION}); upgrade recogmodel"
        )
    return None


def append_entry(entry: Mapping[str, Any], path: str | Path) -> JournalEntry:
    """Append one entry to a journal, atomically, and ``fsync`` it.

    Parameters
    ----------
    entry
        The entry (as built by :func:`recogmodel.journal.record.forecast_entry`).
    path
        A case folder or a journal file (made if missing).

    Returns
    -------
    JournalEntry
        The entry as read back, with its line number.

    Raises
    ------
    JournalError
        If a line already in the journal cannot be read: nothing is written then.
    """
    file = journal_path(path)
    journal = read_journal(file)
    journal.check()
    text = json.dumps(dict(entry), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    data = (text + "\n").encode("utf-8")
    existed = file.exists()
    line = file.read_bytes().count(b"\n") + 1 if existed else 1
    fd = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)  # take back only the bytes this call wrote
            os.fsync(fd)
            raise
    finally:
        os.close(fd)
    if not existed:
        _sync_folder(file.parent)
    return JournalEntry(line, json.loads(text))


def _sync_folder(folder: Path) -> None:
    """Flush a folder's listing, so that a new file survives a crash (POSIX only)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _level_key(level: float) -> str:
    """A quantile level as the journal writes it (``0.05``, ``0.5``)."""
    return f"{level:g}"
