"""How many threads a computation of independent parts runs on.

The engine's chunks and the update's scenarios are independent, and the work in each is
numpy calls that release the GIL (random fills, ufuncs, sorts, BLAS), so threads share the
cores of one process without copies; every thread writes its own part, so the numbers are
the same on any number of threads.
"""

from __future__ import annotations

import os

from ._checks import whole_number

__all__ = ["thread_count", "usable_cores"]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def thread_count(workers: int | None, parts: int) -> int:
    """Threads for ``parts`` independent parts: ``workers`` if given (checked), else one
    per usable core; never more than there are parts, never fewer than one.
    """
    wanted = usable_cores() if workers is None else whole_number("workers", workers)
    return max(1, min(wanted, parts))
