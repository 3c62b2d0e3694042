"""Numbers as an analyst writes them, read into the mapping form of an estimate family.

``0.3`` and ``"30%"`` are fixed; ``"A to B"`` is a 90 % interval (lognormal when both
ends are above 0, normal otherwise; ``"5% to 25%"`` and ``"1,000 to 3,000"`` are
understood); a mapping with a ``dist`` key names its family; an estimative word
(``"likely"``) is allowed only where a probability goes. The estimate models
(:mod:`recogmodel.model.estimates`) validate the mapping this returns.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .words import ALL_WORDS, normalise_word

__all__ = ["EXPECTED", "mapping_form", "word_here"]

_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_RE = re.compile(rf"^\s*(?P<a>{_NUM})\s*(?P<pa>%?)\s*$")
_INTERVAL_RE = re.compile(
    rf"^\s*(?P<a>{_NUM})\s*(?P<pa>%?)\s+to\s+(?P<b>{_NUM})\s*(?P<pb>%?)\s*$", re.IGNORECASE
)
_FAMILIES = ("normal", "lognormal", "uniform", "triangular", "pert", "beta", "mixture")
#: What every message about an unreadable estimate says was expected.
EXPECTED = 'expected a number, "A to B" (a 90% interval), or a mapping with dist: ' + " | ".join(
    _FAMILIES
)


def mapping_form(value: Any, *, allow_words: bool = False) -> Any:
    """The mapping form of a family for a number, a text or a mapping an analyst wrote.

    Parameters
    ----------
    value
        A number, a text (``"0.2 to 0.4"``, ``"5%"``, ``"likely"``) or a mapping with a
        ``dist`` key (passed through after checks).
    allow_words
        Whether estimative words are allowed (only where a probability goes).

    Returns
    -------
    dict
        E.g. ``{"dist": "fixed", "value": 0.3}`` or
        ``{"dist": "lognormal", "low": 0.2, "high": 0.4}``.

    Raises
    ------
    ValueError
        With a message that says what was expected.
    """
    if isinstance(value, bool):
        raise ValueError(f"got {str(value).lower()}; {EXPECTED}")
    if isinstance(value, int | float):
        return {"dist": "fixed", "value": value}
    if isinstance(value, str):
        return _parse_text(value, allow_words=allow_words)
    if isinstance(value, dict):
        if "dist" not in value:
            keys = ", ".join(str(k) for k in value)
            raise ValueError(f"a distribution needs a 'dist' key (got keys: {keys}); {EXPECTED}")
        if value["dist"] == "word" and not allow_words:
            raise ValueError(word_here(str(value.get("word", ""))))
        return value
    raise ValueError(f"got {type(value).__name__}; {EXPECTED}")


def word_here(word: str) -> str:
    """The message for a probability word written where no probability goes.

    Parameters
    ----------
    word
        The word as written.

    Returns
    -------
    str
        What is wrong and what was expected.
    """
    return f"'{word}' is a probability word, but this field is not a probability; {EXPECTED}"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _interval(text: str) -> dict[str, Any] | None:
    m = _INTERVAL_RE.match(text)
    if m is None:
        return None
    if m["pa"] and not m["pb"]:
        raise ValueError(
            f'"{text}": only the low end is a percentage; write "5% to 25%" or "5 to 25%"'
        )
    scale = 0.01 if m["pb"] else 1.0
    low, high = _number(m["a"]) * scale, _number(m["b"]) * scale
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f'"{text}": both ends must be finite numbers')
    if not low < high:
        raise ValueError(f'"{text}": low end must be below high end')
    dist = "lognormal" if low > 0 and high > 0 else "normal"
    return {"dist": dist, "low": low, "high": high}


def _parse_text(text: str, *, allow_words: bool) -> Any:
    interval = _interval(text)
    if interval is not None:
        return interval
    m = _NUMBER_RE.match(text)
    if m is not None:
        return {"dist": "fixed", "value": _number(m["a"]) * (0.01 if m["pa"] else 1.0)}
    word = normalise_word(text)
    if word in ALL_WORDS:
        if not allow_words:
            raise ValueError(word_here(text))
        return {"dist": "word", "word": word}
    hint = " or a probability word such as 'likely'" if allow_words else ""
    raise ValueError(f'could not read "{text}"; {EXPECTED}{hint}')
