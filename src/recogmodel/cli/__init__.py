"""The ``recogmodel`` command: validate files, print schemas, run and plot scenarios.

Exit codes: 0 success; 2 bad input (the message on stderr, never a traceback); 1 an
internal error (with a hint to report it); 130 interrupted.

``parser`` holds the argparse tree, ``arguments`` reads the values of the flags,
``commands`` runs each command on a :class:`recogmodel.Study`, ``tables`` and ``progress``
write what the terminal shows.
"""

from __future__ import annotations

import sys
import traceback
from typing import TYPE_CHECKING

from ..errors import InputError, RecogmodelError
from .commands import COMMANDS, EXIT_INPUT, EXIT_INTERNAL
from .parser import build_parser

if TYPE_CHECKING:
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
    out, err = sys.stdout, sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse exits 2)
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args, out, err)
    except InputError as exc:
        err.write(f"{exc}\n")
        return EXIT_INPUT
    except RecogmodelError as exc:
        err.write(f"error: {exc}\n")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
