"""The scenario engine: a vectorised Monte Carlo projection of every indicator.

One algorithm in five modules, in the order the numbers are made: :mod:`.plan` compiles a
scenario, :mod:`.streams` draws its random numbers, :mod:`.chunk` steps the years of a
chunk of draws with the parts in :mod:`.dynamics`, and :mod:`.run` plans the chunks and
assembles the result.

Per draw (all draws of a chunk at once, looping over years only):

1. every uncertain assumption is sampled through its inverse CDF from uniforms (plain Monte
   Carlo, or a Latin hypercube per block), with requested rank correlations induced by
   Iman–Conover, and draws outside a parameter's domain clipped into it (and counted);
2. under ``salience: relative`` (the default) driver weights are normalised to sum to 1
   (a draw whose weights are all 0 exerts no pressure); under ``absolute`` they are used
   as given; an event's chance ``P`` by a year ``Y`` becomes the per-year hazard
   ``1 - (1 - P)^(1 / (Y - start))``;
3. for each step ``y`` events fire first, with chances that a hazard moves on the
   log-odds scale by last year's state; then intensities
   ``I_d(y) = clip(start_d + trend_d (y - start) + shifts of events fired so far, 0, 1)``
   (fading shifts decaying), pressures ``P_k(y) = sum_d w_d I_d(y) E_dk``, and each
   indicator in its own scale
   ``z_k(y) = z_k(y-1) + drift_k + P_k(y) + volatility_k eps_k(y) + jumps fired at y``
   plus its links (sources' changes ``lag`` years before), its reversion and the change of
   its fading jumps, level by level (what a formula or a same-year link needs first),
   back-transformed and clipped to its bounds (the clipped value is where it moves on
   from); derived indicators are their formulas of the year's values.

Reproducibility: draws are cut into fixed blocks of :data:`BLOCK` draws, block ``i`` draws
all its random numbers, in a fixed order, from its own generator spawned from one
``SeedSequence``. Chunks (what is held in memory at once) are runs of whole blocks, so the
numbers depend on the seed and the number of draws, never on the chunk size or on where
the chunks run.
"""

from .run import DEFAULT_DRAWS, project
from .streams import BLOCK

__all__ = ["BLOCK", "DEFAULT_DRAWS", "project"]
