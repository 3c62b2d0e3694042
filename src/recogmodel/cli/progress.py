"""The progress line: work done, on one line of a terminal, once a run takes a moment.

On a terminal the line is rewritten in place; on anything else (a pipe, a log file) a
plain line is written now and then, so a long run says it is alive without filling the
log. Nothing is written during the first half second, so quick runs stay quiet.
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
    quiet
        Write nothing at all.
    """

    #: Seconds before the line first appears.
    DELAY = 0.5
    #: Seconds between two plain lines on a stream that is not a terminal.
    EVERY = 5.0

    def __init__(self, stream: TextIO, unit: str = "draws", *, quiet: bool = False) -> None:
        # The terminal itself, not a filter that escapes control characters: this line
        # moves the cursor on purpose, and writes only numbers and scenario names.
        self.stream = getattr(stream, "raw", stream)
        self.unit = unit
        self.started = time.monotonic()
        self.shown = False
        self.quiet = quiet
        self.live = _is_terminal(stream)
        self.last_plain: float | None = None

    def __call__(self, label: str, done: int, total: int) -> None:
        """Show ``label: done/total unit (share)``: in place on a terminal, else a plain line."""
        now = time.monotonic()
        if self.quiet or now - self.started < self.DELAY:
            return
        share = done / total if total else 1.0
        text = f"{label}: {done:,}/{total:,} {self.unit} ({share:.0%})"
        if self.live:
            self.shown = True
            self.stream.write(f"\r{text}\033[K")
        else:
            finished = done >= total and self.last_plain is not None
            if not finished and self.last_plain is not None and now - self.last_plain < self.EVERY:
                return
            if self.last_plain is None and now - self.started < self.EVERY:
                return
            self.last_plain = now
            self.stream.write(f"{text}\n")
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
