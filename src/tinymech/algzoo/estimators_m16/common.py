"""What the M16,10 case estimators share: the lengths they apply to, their per-case result, the model
check and the budget ladder of Genz's lattice points.

The four estimators (:mod:`.moment_propagation`, :mod:`.activation_masks`, :mod:`.sampling_baselines`)
import these public names; none borrows another's privates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError

#: Sequence lengths the case estimators apply to (at least three inputs; 90 cases at n = 10).
CASE_LENGTHS = tuple(range(3, 17))


@dataclass(frozen=True)
class CaseEstimates:
    """Per-case accuracies of a mechanistic estimator.

    Attributes:
        accuracy: ``(n, n)`` estimated ``P(correct | case (m, s))`` at ``[m, s]`` (diagonal 0).
        operations: total operations.
        breakdown: operations by stage.
    """

    accuracy: np.ndarray
    operations: int
    breakdown: dict = field(default_factory=dict)

    @property
    def estimate(self) -> float:
        """The accuracy estimate: the average of the case accuracies."""
        n = self.accuracy.shape[0]
        return float(self.accuracy.sum() / (n * (n - 1)))


def check_model(weights: RNNWeights) -> None:
    """Refuse a model the case estimators cannot take.

    Raises:
        InvalidInputError: for a sequence length below 3.
    """
    n = weights.output_size
    if n < 3:
        raise InvalidInputError(
            f"the case estimators need a sequence length of at least 3, got {n}"
        )


#: The settings of Genz's ``maxpts`` a budget chooses from: 20 doubled up to 15 times.
GENZ_LADDER = tuple(20 * 2**k for k in range(16))


def points_for_budget(budget: int | None, operations_for, default: int) -> int:
    """The largest Genz ``maxpts`` (on a doubling ladder from 20 to 20 * 2**15) whose operations fit ``budget``.

    Raises:
        InvalidInputError: if even the smallest setting exceeds the budget, or the budget exceeds twice the
            largest setting's cost where the cost grows with ``maxpts`` (it could not be spent; the message
            gives the costs).
    """
    if budget is None:
        return default
    ladder = GENZ_LADDER
    if budget > 2 * operations_for(ladder[-1]) and operations_for(ladder[-1]) > operations_for(
        ladder[0]
    ):
        raise InvalidInputError(
            f"a budget of {budget:,} operations is above what this estimator can spend: its "
            f"largest setting (maxpts {ladder[-1]:,}) costs {operations_for(ladder[-1]):,} "
            "operations"
        )
    fitting = [p for p in ladder if operations_for(p) <= budget]
    if not fitting:
        raise InvalidInputError(
            f"a budget of {budget:,} operations is below this estimator's smallest cost "
            f"({operations_for(ladder[0]):,} operations)"
        )
    return fitting[-1]
