"""Operation counting: the one rule by which every estimator of an RNN's accuracy charges its compute.

**Counting rule** (multiply-adds; ARC's where Hilton's notes give one {cite}`hilton2024heuristic`):

- a forward pass of M_{d,n}, hence one sample of sampling: ``n d (d + 1) + n d`` (72 for M4,3);
- the solid angle of an intersection of ``k`` half-spaces computed from scratch: ``5 k^3``
  (:func:`volume_operations`; ARC's estimators of M4,3);
- linear algebra: the multiply-adds it does; a division, square root or elementary function: 10;
- the exact method for sequence length 3 clips polygons: 3 per test of a vertex against a plane, 12 per
  new vertex, 25 per vertex of an area (:mod:`tinymech.algzoo.exact.cones`); for length 2, each sector
  it visits costs one forward pass plus 10 per angle it solves for (:func:`sector_operations`).

This module imports no estimator: the estimators, the method table (:mod:`tinymech.algzoo.methods`) and
the harness (:mod:`tinymech.algzoo.estimation`) build on it.
"""

from __future__ import annotations

from tinymech.algzoo.evaluation import MAX_SAMPLES
from tinymech.errors import InvalidInputError


#: Multiply-adds charged for a division, a square root, or an elementary function (exp, log, the normal CDF,
#: density or quantile): the one rule every estimator's operation count uses.
SPECIAL_FUNCTION_OPERATIONS = 10


def forward_operations(hidden_size: int, seq_len: int) -> int:
    """Multiply-adds of one forward pass of M_{d,n}: ``n d (d + 1) + n d`` (ARC's count: 72 for M4,3)."""
    return seq_len * hidden_size * (hidden_size + 1) + seq_len * hidden_size


def volume_operations(half_spaces: int) -> int:
    """ARC's count for the solid angle of ``k`` half-spaces computed from scratch: ``5 k^3`` (Hilton's notes)."""
    return 5 * half_spaces**3


def sector_operations(hidden_size: int, sectors_visited: int, angles_solved: int) -> int:
    """The count of the exact method for sequence length 2: a forward pass per sector, an arctangent per angle."""
    return (
        sectors_visited * forward_operations(hidden_size, 2)
        + SPECIAL_FUNCTION_OPERATIONS * angles_solved
    )


def check_sample_budget(budget: int | None, samples: int, per_sample: int) -> None:
    """Refuse a budget that buys more than :data:`tinymech.algzoo.evaluation.MAX_SAMPLES` sequences (about
    10 hours of M16,10 forward passes on one core): the rule of every sampling estimator.

    Raises:
        InvalidInputError: above the cap, saying the largest budget accepted.
    """
    if budget is not None and samples > MAX_SAMPLES:
        raise InvalidInputError(
            f"a budget of {budget:,} operations buys {samples:,} sequences, above the cap of "
            f"2**36 = {MAX_SAMPLES:,} (at {per_sample:,} operations each, budgets up to "
            f"{MAX_SAMPLES * per_sample:,} are accepted)"
        )
