"""The forecast journal: record what the model said, score it, and explain what changed.

- :mod:`.file`: the append-only ``journal.jsonl`` beside a case (:func:`read_journal`,
  :func:`append_entry`, :class:`Journal`, :class:`JournalEntry`).
- :mod:`.record`: one dated forecast as an entry (:func:`forecast_entry`).
- :mod:`.score`: recorded forecasts scored against what was observed (:func:`score`,
  :class:`Scores`), with ``scoringrules``.
- :mod:`.diff`: what changed between two versions of a case, and how much of the change
  of the ranges each edit explains (:func:`diff`, :class:`Diff`).

The journal sits above ``analysis/`` (it records signposts and posteriors) and below
``plot/``; the figures of scores and diffs are in :mod:`recogmodel.plot.journal`.
"""

from .diff import INTERACTION, STATISTICS, Attribution, Diff, Edit, diff, edits
from .file import (
    JOURNAL_FILE,
    SCHEMA_VERSION,
    DamagedLine,
    Journal,
    JournalEntry,
    append_entry,
    journal_path,
    read_journal,
)
from .record import LEVELS, SAMPLE_DRAWS, content_hash, drift_only, forecast_entry
from .score import MIXTURE, ScoreRow, Scores, SignpostScore, forecast_quantiles, score

__all__ = [
    "INTERACTION",
    "JOURNAL_FILE",
    "LEVELS",
    "MIXTURE",
    "SAMPLE_DRAWS",
    "SCHEMA_VERSION",
    "STATISTICS",
    "Attribution",
    "DamagedLine",
    "Diff",
    "Edit",
    "Journal",
    "JournalEntry",
    "ScoreRow",
    "Scores",
    "SignpostScore",
    "append_entry",
    "content_hash",
    "diff",
    "drift_only",
    "edits",
    "forecast_entry",
    "forecast_quantiles",
    "journal_path",
    "read_journal",
    "score",
]
