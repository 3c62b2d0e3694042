"""Randomness in one place: a seed becomes entropy once, streams are spawned from it.

Nothing here or anywhere in the library touches NumPy's global random state.
"""

from __future__ import annotations

import numpy as np


def entropy(seed: int | None) -> int:
    """The entropy of ``SeedSequence(seed)``: the seed itself, or fresh entropy for ``None``.

    Recording this number lets any run, seeded or not, be repeated exactly.
    """
    return int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]


def stream(entropy: int, *key: int) -> np.random.SeedSequence:
    """The seed sequence of one independent stream, named by its spawn key."""
    return np.random.SeedSequence(entropy, spawn_key=key)


def generator(entropy: int, *key: int) -> np.random.Generator:
    """A generator on the stream named ``key`` (see :func:`stream`).

    The bit generator is SFC64 (Doty-Humphrey's small fast chaotic generator, one of
    NumPy's own): statistically as sound as NumPy's default PCG64 for Monte Carlo, and
    about a fifth faster at the normals that most of a projection's time goes to. Streams
    are made independent by the seed sequence's spawn keys, which is how NumPy advises
    seeding it.
    """
    return np.random.Generator(np.random.SFC64(stream(entropy, *key)))
