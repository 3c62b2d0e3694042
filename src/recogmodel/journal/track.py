"""A case's track record: its journal's entries, scored on what the journal itself has seen.

Every entry that recorded posterior weights also recorded the observations it used, so a
journal carries its own evidence: :func:`track_record` scores each entry on the
observations that later entries recorded and it had not used (what came to light after
it), for the years it forecast. The
report shows it as its "Track record" section (:func:`track_record_html`, a
self-contained piece of HTML with every value escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from ..io.observations import as_observations
from .file import read_journal
from .score import MIXTURE, score

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from .file import Journal

__all__ = ["TrackRecord", "track_record", "track_record_html"]


@dataclass(frozen=True)
class TrackRecord:
    """A journal's entries and, where the journal holds observations, their scores."""

    journal: Journal
    entries: list[dict[str, Any]]
    """One row per entry (:meth:`~recogmodel.journal.JournalEntry.to_row`)."""
    observations: int
    """How many distinct observations the journal recorded."""
    scores: list[dict[str, Any]]
    """The mixture's summary per entry (:meth:`~recogmodel.journal.Scores.summary`)."""


def track_record(source: str | Path) -> TrackRecord | None:
    """The track record of a case folder (or journal file), or ``None`` without a journal.

    Parameters
    ----------
    source
        A case folder or a journal file.

    Returns
    -------
    TrackRecord or None
        ``None`` when the journal has no entry. Damaged lines are not scored; they are
        listed by :attr:`Journal.damaged` of :attr:`TrackRecord.journal`.
    """
    journal = read_journal(source)
    if not len(journal):
        return None
    entries = journal.entries
    known = [_recorded(entry.data) for entry in entries]  # what each entry had seen
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for found in known:
        seen.update(found)
    summary: list[dict[str, Any]] = []
    for i, entry in enumerate(entries):
        # Only what came to light after the entry: observations it had used are no test.
        later = {k: o for found in known[i + 1 :] for k, o in found.items() if k not in known[i]}
        if later:
            one = type(journal)(journal.path, [entry])
            scores = score(one, as_observations(list(later.values())))
            summary += [r for r in scores.summary() if r["scenario"] == MIXTURE]
    return TrackRecord(journal, journal.to_rows(), len(seen), summary)


def _recorded(entry: Mapping[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """The observations an entry used, by indicator and year."""
    found = entry["weights"].get("observations", [])
    return {(o["indicator"], int(o["year"])): o for o in found}


def track_record_html(source: str | Path) -> str | None:
    """The report's "Track record" section, or ``None`` when the case has no journal.

    Parameters
    ----------
    source
        A case folder or a journal file.

    Returns
    -------
    str or None
        A ``<section id="track-record">`` with the entries and, when the journal holds
        observations, each entry's scores; every value escaped.
    """
    record = track_record(source)
    if record is None:
        return None
    scored = {r["line"]: r for r in record.scores}
    head = ["Recorded", "Note", "Scenarios", "Weights", "Cells scored", "CRPS", "In 50 %"]
    head += ["In 90 %", "Skill vs last value", "Skill vs drift only"]
    body = []
    for row in record.entries:
        s = scored.get(row["line"])
        cells = [row["entry"], row["note"] or "—", str(row["scenarios"]), row["weights"]]
        if s is None:
            cells += ["0", "—", "—", "—", "—", "—"]
        else:
            cells += [
                str(s["cells"]),
                f"{s['crps']:.3g}",
                f"{s['coverage_50']:.0%}",
                f"{s['coverage_90']:.0%}",
                _share(s["skill_persistence"]),
                _share(s["skill_drift_only"]),
            ]
        body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    damaged = "".join(
        f'<p class="muted">Line {d.line} of the journal cannot be read: {escape(d.reason)}.</p>'
        for d in record.journal.damaged
    )
    basis = (
        f"Each entry is scored, as the mixture of its scenarios weighted as recorded, on the "
        f"observations recorded by later entries that it had not used ({record.observations} "
        f"observations in all; CRPS in the indicators' units; skill above 0 beats the "
        f"reference). An entry with nothing observed since is not scored."
        if record.observations
        else "The journal has recorded no observation yet, so no entry is scored."
    )
    return (
        '<section id="track-record" class="major">\n<h2>Track record</h2>\n'
        f"<p>{len(record.entries)} forecasts are recorded in "
        f"<code>{escape(record.journal.path.name)}</code>. {escape(basis)}</p>\n"
        '<div class="table-wrap">\n<table>\n<thead><tr>'
        + "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + f"\n</tbody>\n</table>\n</div>\n{damaged}</section>\n"
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:+.0%}"
