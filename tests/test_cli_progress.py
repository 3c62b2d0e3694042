"""The progress line: shown on a terminal after a moment, never on a pipe, cleared at the end."""

from __future__ import annotations

import io

from recogmodel.cli.progress import ProgressLine


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Claim to be a terminal."""
        return True


def test_progress_is_shown_on_a_terminal() -> None:
    """On a terminal, a run slower than the delay writes a progress line, then clears it."""
    term = Terminal()
    with ProgressLine(term) as progress:
        progress.started -= 10  # as if the run had been going for ten seconds
        progress("baseline", 5_000, 10_000)
    assert "\rbaseline: 5,000/10,000 draws (50%)" in term.getvalue()
    assert term.getvalue().endswith("\r\033[K")


def test_counter_shows_its_label_and_unit() -> None:
    """A counter reports (done, total) under its own label, in the line's unit."""
    term = Terminal()
    progress = ProgressLine(term, unit="points")
    progress.started -= 10
    progress.counter("explore baseline")(3, 4)
    assert term.getvalue() == "\rexplore baseline: 3/4 points (75%)\033[K"


def test_progress_waits_for_the_delay_and_writes_plain_lines_to_a_pipe() -> None:
    """A quick run writes nothing; a long one on a pipe writes plain lines, now and then."""
    quick, pipe = Terminal(), io.StringIO()
    with ProgressLine(quick) as progress:
        progress("baseline", 1, 2)
    with ProgressLine(pipe) as progress:
        progress.started -= 10
        progress("baseline", 1, 4)
        progress("baseline", 2, 4)  # too soon after the last line
        progress("baseline", 4, 4)  # the end is always said once a line was
    assert quick.getvalue() == ""
    assert pipe.getvalue() == "baseline: 1/4 draws (25%)\nbaseline: 4/4 draws (100%)\n"


def test_quiet_progress_writes_nothing() -> None:
    """A quiet line writes nothing, even on a terminal after a long while."""
    term = Terminal()
    with ProgressLine(term, quiet=True) as progress:
        progress.started -= 10
        progress("baseline", 1, 2)
    assert term.getvalue() == ""
