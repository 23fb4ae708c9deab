"""Linear pieces of a bias-free ReLU RNN: the base of the exact methods.

A bias-free ReLU RNN is positively homogeneous and piecewise linear in its input ``x``: on the set of
inputs sharing one activation pattern (which neurons are on at which step) every pre-activation and every
logit is a linear function of ``x``.  These sets are polyhedral cones (linear regions).
:func:`pattern_linear_maps` gives those linear maps; the 2-input method (:mod:`.sectors`) and the 3-input
method (:mod:`.solid_angles`) both build on it.  Source: ARC's analysis of M2,2 and M4,3
{cite}`arc2026algzoo`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class LinearPiece:
    """The RNN restricted to one activation pattern.

    Attributes:
        activation_pattern: ``(seq_len, hidden)`` booleans.
        preactivation_maps: ``(seq_len, hidden, seq_len)``; ``preactivation_maps[t] @ x`` is the
            pre-activation at step ``t`` for every input ``x`` of this pattern.
        logit_map: ``(n, seq_len)``; ``logit_map @ x`` are the logits.
    """

    activation_pattern: np.ndarray
    preactivation_maps: np.ndarray
    logit_map: np.ndarray


def pattern_linear_maps(weights: RNNWeights, activation_pattern: np.ndarray) -> LinearPiece:
    """Linear maps of the pre-activations and logits for a fixed activation pattern.

    Args:
        weights: the model's weights.
        activation_pattern: ``(seq_len, hidden)`` booleans (True: the neuron is on after that step).

    Raises:
        InvalidInputError: if the pattern's hidden size does not match the weights, or the maps overflow
            float64 (weights too large).
    """
    pattern = np.asarray(activation_pattern, dtype=bool)
    if pattern.ndim != 2 or pattern.shape[1] != weights.hidden_size:
        raise InvalidInputError(
            f"expected a pattern of shape (seq_len, {weights.hidden_size}), got {pattern.shape}"
        )
    seq_len, d = pattern.shape
    hidden_map = np.zeros((d, seq_len))
    pre_maps = np.empty((seq_len, d, seq_len))
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, once
        for t in range(seq_len):
            pre_maps[t] = weights.W_hh @ hidden_map
            pre_maps[t][:, t] += weights.W_hi
            hidden_map = pattern[t][:, None] * pre_maps[t]
        logit_map = weights.W_oh @ hidden_map
    if not (np.all(np.isfinite(pre_maps)) and np.all(np.isfinite(logit_map))):
        raise InvalidInputError(
            "the linear maps of an activation pattern overflow float64: the weights are too "
            f"large (largest |weight| {max(np.abs(w).max() for w in (weights.W_hi, weights.W_hh, weights.W_oh)):.3g})"
        )
    return LinearPiece(pattern, pre_maps, logit_map)
