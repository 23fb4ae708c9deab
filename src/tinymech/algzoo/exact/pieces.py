"""Linear pieces of a bias-free ReLU RNN: the base of the exact methods.

On the set of inputs sharing one activation pattern (a linear region, a polyhedral cone) every
pre-activation and every logit is a linear function of the input: :func:`tinymech.algzoo.linear_pieces.linear_piece`.
:func:`pattern_linear_maps` is that piece, refused where its maps overflow float64; the 2-input method
(:mod:`.sectors`) and the 3-input method (:mod:`.solid_angles`) both build on it.  Source: ARC's analysis
of M2,2 and M4,3 {cite}`arc2026algzoo`.
"""

from __future__ import annotations

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.linear_pieces import LinearPiece, linear_piece
from tinymech.errors import InvalidInputError

__all__ = ["LinearPiece", "pattern_linear_maps"]


def pattern_linear_maps(weights: RNNWeights, activation_pattern: np.ndarray) -> LinearPiece:
    """Linear maps of the pre-activations and logits for a fixed activation pattern
    (:func:`tinymech.algzoo.linear_pieces.linear_piece`), all finite.

    Args:
        weights: the model's weights.
        activation_pattern: ``(seq_len, hidden)`` booleans (True: the neuron is on after that step).

    Raises:
        InvalidInputError: if the pattern's hidden size does not match the weights, or the maps overflow
            float64 (weights too large).
    """
    piece = linear_piece(weights, activation_pattern)
    if not (
        np.all(np.isfinite(piece.preactivation_maps)) and np.all(np.isfinite(piece.logit_map))
    ):
        raise InvalidInputError(
            "the linear maps of an activation pattern overflow float64: the weights are too "
            f"large (largest |weight| {max(np.abs(w).max() for w in (weights.W_hi, weights.W_hh, weights.W_oh)):.3g})"
        )
    return piece
