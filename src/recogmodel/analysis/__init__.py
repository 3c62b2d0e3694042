"""What the ensemble says beyond its ranges: sensitivity, signposts, which scenario we are in,
and what to research next.

Everything here is computed from projections already run (no extra runs):

- :func:`sensitivity` (:mod:`.sensitivity`) ranks every sampled assumption by how much it
  moves one indicator, in one year or every year at once: standardised rank regression
  coefficients (SRRC) with the regression's R² by default, or the moment-independent PAWN
  index; a swing in the indicator's own units; and a noise floor from dummy assumptions
  that do nothing.
- :func:`signposts` (:mod:`.signposts`) gives the probability that each signpost is
  reached under each scenario, its Bayes factor for the scenario that declares it, whether
  it points away from that scenario, and its value of information;
  :func:`suggest_signposts` (:mod:`.suggestions`) proposes the thresholds that would tell
  each scenario from the others best.
- :func:`update` (:mod:`.posterior`) weighs scenarios by how well each one's ensemble
  predicted what was observed (Bayes' rule on the joint likelihood of the observations);
  the observations are :class:`Observation` objects or read from a file with
  :func:`read_observations` (both from :mod:`recogmodel.io.observations`).
- :func:`priorities` (:mod:`.priorities`) combines the sensitivity ranking with the
  analyst's Key Assumptions Check: the assumptions that move the range most and are least
  supported come first.

Every result is a typed, immutable object that prints as a table and gives plain rows
(``to_rows()``) for export and plots. The methods and their formulas are described in
``docs/methodology.md``.
"""

from ..errors import ObservationOutsideEnsembleWarning
from ..io.observations import Observation, read_observations
from .posterior import Posterior, update
from .priorities import SUPPORT_WEIGHTS, Priorities, PriorityRow, priorities
from .sensitivity import SWING_SHARE, Sensitivity, SensitivityMethod, SensitivityRow, sensitivity
from .signposts import SignpostRow, SignpostTable, signposts
from .suggestions import SignpostSuggestion, SignpostSuggestions, suggest_signposts

__all__ = [
    "SUPPORT_WEIGHTS",
    "SWING_SHARE",
    "Observation",
    "ObservationOutsideEnsembleWarning",
    "Posterior",
    "Priorities",
    "PriorityRow",
    "Sensitivity",
    "SensitivityMethod",
    "SensitivityRow",
    "SignpostRow",
    "SignpostSuggestion",
    "SignpostSuggestions",
    "SignpostTable",
    "priorities",
    "read_observations",
    "sensitivity",
    "signposts",
    "suggest_signposts",
    "update",
]
