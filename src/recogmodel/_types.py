"""The small vocabularies every layer shares, as ``Literal`` types (one definition each)."""

from __future__ import annotations

from typing import Literal, TypeAlias

#: The space an indicator moves in: ``log`` for positive amounts, ``logit`` for shares.
Scale: TypeAlias = Literal["log", "logit", "linear"]
#: How the engine samples uncertain parameters: plain Monte Carlo or Latin hypercube.
Sampling: TypeAlias = Literal["random", "lhs"]
#: What an assumption slot of a case is (see :class:`recogmodel.model.Parameter`).
Role: TypeAlias = Literal[
    "weight",
    "start",
    "trend",
    "effect",
    "baseline",
    "drift",
    "volatility",
    "probability",
    "jump",
    "shift",
    "link",
    "reversion_level",
    "reversion_rate",
    "hazard_driver",
    "hazard_indicator",
    "half_life",
]
#: The entity kinds a role belongs to, in the order of :attr:`Parameter.keys`.
ROLE_KEYS: dict[str, tuple[str, ...]] = {
    "weight": ("driver",),
    "start": ("driver",),
    "trend": ("driver",),
    "effect": ("driver", "indicator"),
    "baseline": ("indicator",),
    "drift": ("indicator",),
    "volatility": ("indicator",),
    "probability": ("event",),
    "jump": ("event", "indicator"),
    "shift": ("event", "driver"),
    "link": ("indicator", "indicator"),
    "reversion_level": ("indicator",),
    "reversion_rate": ("indicator",),
    "hazard_driver": ("event", "driver"),
    "hazard_indicator": ("event", "indicator"),
    "half_life": ("event",),
}
