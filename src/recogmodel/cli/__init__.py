"""cli."""

from ._all import (
    main,
)

__all__ = [
    "main",
]
