"""The ``recogmodel`` command: validate files, print schemas, run and plot scenarios.

Exit codes: 0 success; 2 bad input (the message on stderr, never a traceback), including
a file or folder that cannot be read or written; 1 an internal error (with a hint to
report it); 130 interrupted. Where outputs go is checked before anything is computed, and
everything written to the terminal has its control characters shown escaped, so text
from a case file cannot act on the terminal.

``parser`` holds the argparse tree, ``arguments`` reads the values of the flags,
``commands`` runs each command on a :class:`recogmodel.Study`, ``tables`` and ``progress``
write what the terminal shows.
"""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING, Any, TextIO, cast

from .._files import check_output
from .._text import escape_controls
from ..errors import InputError, RecogmodelError
from .commands import COMMANDS, EXIT_INPUT, EXIT_INTERNAL
from .parser import build_parser

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

__all__ = ["main"]

ISSUES = "https://github.com/recogmodel/recogmodel/issues"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        The arguments after the program's name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 success, 2 bad input, 1 an internal error, 130 interrupted.
    """
    out, err = TerminalText.around(sys.stdout), TerminalText.around(sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse exits 2)
        return int(exc.code or 0)
    try:
        check_outputs(args)
        return COMMANDS[args.command](args, out, err)
    except InputError as exc:
        err.write(f"{exc}\n")
        return EXIT_INPUT
    except RecogmodelError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_INPUT
    except OSError as exc:  # a file or folder that cannot be read or written
        err.write(f"error: {file_problem(exc)}\n")
        return EXIT_INPUT
    except RecursionError:
        err.write("error: the input is nested too deeply to read\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130
    except Exception:
        err.write(
            "internal error: this is a bug in recogmodel, not in your input. Please report "
            f"it at {ISSUES} with the text below.\n"
        )
        traceback.print_exc(file=err)
        return EXIT_INTERNAL


#: Per command: (attribute of the parsed arguments, its flag, whether it is a folder).
OUTPUTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "run": (("output", "--output", True), ("out", "--out", True)),
    "report": (("output", "--output", False), ("pdf", "--pdf", False)),
    "explore": (("output", "--output", False),),
    "signposts": (("figure", "--figure", False),),
}


def check_outputs(args: argparse.Namespace) -> None:
    """Check that every output the command was asked for can be written, before computing.

    Parameters
    ----------
    args
        The parsed arguments.

    Raises
    ------
    InputError
        Naming the flag and the path, if an output cannot be written there.
    """
    for attribute, flag, folder in OUTPUTS.get(args.command, ()):
        path = getattr(args, attribute, None)
        if path is not None:
            check_output(path, folder=folder, name=flag)


def file_problem(exc: OSError) -> str:
    """A file-system error as the path, what went wrong, and what was expected.

    Parameters
    ----------
    exc
        The error raised by the operating system.

    Returns
    -------
    str
        ``PATH: what went wrong; expected ...``.
    """
    path = exc.filename if exc.filename is not None else "(a file)"
    reason = exc.strerror or type(exc).__name__
    expected = {
        IsADirectoryError: "expected a file, not a folder",
        NotADirectoryError: "expected a folder, not a file",
        FileExistsError: "expected a folder or a path that does not exist yet",
        PermissionError: "expected a path this user may read or write",
        FileNotFoundError: "expected a path that exists",
    }
    hint = next((text for kind, text in expected.items() if isinstance(exc, kind)), "")
    return f"{path}: {reason}" + (f"; {hint}" if hint else "")


class TerminalText:
    r"""A text stream that shows control characters escaped, so analyst text stays text.

    Line breaks and tabs pass; escape sequences, bells, carriage returns and the like
    are written as ``\x1b``. Code that means to control the terminal (the progress
    line) writes to :attr:`raw`.

    Parameters
    ----------
    raw
        The stream written to.
    """

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    @classmethod
    def around(cls, stream: TextIO) -> TextIO:
        """``stream`` wrapped, typed as the stream it stands for.

        Parameters
        ----------
        stream
            The stream to wrap.

        Returns
        -------
        TextIO
            The wrapper.
        """
        return cast("TextIO", cls(stream))

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters escaped.

        Parameters
        ----------
        text
            What to write.

        Returns
        -------
        int
            The number of characters written.
        """
        return self.raw.write(escape_controls(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
