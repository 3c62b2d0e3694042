r"""Analyst text made safe for a terminal, and the limits on the text a case may hold.

Text in a case file reaches the terminal in tables, headings and messages. A control
character there (an escape sequence, a bell, a carriage return) would act on the terminal
instead of being read, so :func:`escape_controls` shows each as an escape (``\x1b``).
The file models use :data:`OneLine` for labels, titles and units (one line, no control
characters, at most :data:`ONE_LINE_MAX` characters) and :data:`Prose` for descriptions,
narratives and notes (line breaks allowed, at most :data:`PROSE_MAX` characters).
"""

from __future__ import annotations

import re
from typing import Annotated, TypeAlias

from pydantic import AfterValidator, Field, StringConstraints

__all__ = ["ONE_LINE_MAX", "PROSE_MAX", "OneLine", "Prose", "escape_controls"]

#: Longest label, title or unit, in characters.
ONE_LINE_MAX = 200
#: Longest description, narrative or note, in characters.
PROSE_MAX = 5_000

# C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
_OTHER_CONTROLS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROLS = "\x00-\x1f" + _OTHER_CONTROLS
_ANY_CONTROL = re.compile(f"[{_CONTROLS}]")
# The same, but for tab and line feed.
_CONTROL_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_CONTROLS}]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, lines: bool = True) -> str:
    r"""``text`` with every control character shown as an escape (``\x1b``, ``\u202e``).

    Parameters
    ----------
    text
        Text to show on a terminal.
    lines
        Whether line breaks and tabs are kept (true) or escaped as well.

    Returns
    -------
    str
        The text, unchanged when it holds no control character.
    """
    pattern = _CONTROL_BUT_LINES if lines else _ANY_CONTROL
    return pattern.sub(_escaped, text)


def _one_line(text: str) -> str:
    found = _ANY_CONTROL.search(text)
    if found is not None:
        what = "a line break" if found.group() in "\r\n" else "a control character"
        raise ValueError(
            f"holds {what} ({escape_controls(found.group(), lines=False)}) at character "
            f"{found.start() + 1}; expected one line of plain text"
        )
    return text


def _prose(text: str) -> str:
    found = _CONTROL_BUT_LINES.search(text.replace("\r\n", "\n"))
    if found is not None:
        raise ValueError(
            f"holds a control character ({escape_controls(found.group(), lines=False)}) at "
            f"character {found.start() + 1}; expected plain text"
        )
    return text


#: One line of plain text: a label, title or unit.
OneLine: TypeAlias = Annotated[
    str,
    StringConstraints(max_length=ONE_LINE_MAX),
    AfterValidator(_one_line),
    Field(json_schema_extra={"pattern": f"^[^{_CONTROLS}]*$"}),
]
#: Plain text that may run over several lines: a description, narrative or note.
Prose: TypeAlias = Annotated[str, StringConstraints(max_length=PROSE_MAX), AfterValidator(_prose)]
