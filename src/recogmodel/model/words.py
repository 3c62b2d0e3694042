"""Estimative probability words and the published yardsticks that read them.

ICD 203 (US Intelligence Community Directive 203, 2015) gives each band two names; both
are accepted. The UK Professional Head of Intelligence Assessment (PHIA) yardstick leaves
gaps between its bands. A word is read as a uniform draw over its band.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["ALL_WORDS", "YARDSTICKS", "Yardstick", "normalise_word"]

#: The yardsticks a case may read its probability words on.
Yardstick: TypeAlias = Literal["icd203", "phia"]

#: Published bands of the estimative words, by yardstick.
YARDSTICKS: dict[str, dict[str, tuple[float, float]]] = {
    "icd203": {
        "almost no chance": (0.01, 0.05),
        "remote": (0.01, 0.05),
        "very unlikely": (0.05, 0.20),
        "highly improbable": (0.05, 0.20),
        "unlikely": (0.20, 0.45),
        "improbable": (0.20, 0.45),
        "roughly even chance": (0.45, 0.55),
        "roughly even odds": (0.45, 0.55),
        "likely": (0.55, 0.80),
        "probable": (0.55, 0.80),
        "very likely": (0.80, 0.95),
        "highly probable": (0.80, 0.95),
        "almost certain": (0.95, 0.99),
        "almost certainly": (0.95, 0.99),
        "nearly certain": (0.95, 0.99),
    },
    "phia": {
        "remote chance": (0.0, 0.05),
        "highly unlikely": (0.10, 0.20),
        "unlikely": (0.25, 0.35),
        "realistic possibility": (0.40, 0.50),
        "likely": (0.55, 0.75),
        "probably": (0.55, 0.75),
        "highly likely": (0.80, 0.90),
        "almost certain": (0.95, 1.0),
    },
}

#: Every word of every yardstick.
ALL_WORDS = frozenset(w for words in YARDSTICKS.values() for w in words)


def normalise_word(word: str) -> str:
    """A probability word as the yardsticks spell it: lower case, single spaces.

    Parameters
    ----------
    word
        The word or phrase as written, e.g. ``"Roughly  Even chance"``.

    Returns
    -------
    str
        The phrase in lower case with runs of white space made single spaces.
    """
    return " ".join(word.lower().split())
