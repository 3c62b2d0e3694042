"""The progress line: work done, on one line of a terminal, once a run takes a moment.

Nothing is written when the stream is not a terminal (a pipe, a file, a test's capture),
nor during the first half second, so quick runs and scripted runs stay quiet.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import TextIO

__all__ = ["ProgressLine"]


class ProgressLine:
    """One line of a terminal that says how far a run has got, rewritten in place.

    Called as ``line(label, done, total)``, which is the form
    :meth:`recogmodel.Study.project` calls its ``progress`` with (the label is the
    scenario); :meth:`counter` gives the ``(done, total)`` form that sweeps and the report
    call. Used as a context manager, the line is cleared when the block ends.

    Parameters
    ----------
    stream
        Where to write (the command's standard error).
    unit
        What ``done`` and ``total`` count, shown after them ("draws", "points"...).
    """

    #: Seconds before the line first appears.
    DELAY = 0.5

    def __init__(self, stream: TextIO, unit: str = "draws") -> None:
        self.stream = stream
        self.unit = unit
        self.started = time.monotonic()
        self.shown = False
        self.live = _is_terminal(stream)

    def __call__(self, label: str, done: int, total: int) -> None:
        """Show ``label: done/total unit (share)``, replacing what the line showed."""
        if not self.live or time.monotonic() - self.started < self.DELAY:
            return
        self.shown = True
        share = done / total if total else 1.0
        self.stream.write(f"\r{label}: {done:,}/{total:,} {self.unit} ({share:.0%})\033[K")
        self.stream.flush()

    def counter(self, label: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback that shows ``label`` on this line."""

        def progress(done: int, total: int) -> None:
            self(label, done, total)

        return progress

    def close(self) -> None:
        """Clear the line, if it was shown."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
