"""Standardization of a bias-free ReLU RNN by positive neuron rescaling (and an ordering of neurons).

Rescaling hidden neuron ``i`` by ``c_i > 0`` (``h_i -> c_i h_i``) and compensating,
``W_hi -> C W_hi``, ``W_hh -> C W_hh C^{-1}``, ``W_oh -> W_oh C^{-1}``, leaves every logit unchanged
because ``ReLU(c z) = c ReLU(z)`` for ``c > 0``.  ARC standardizes so that ``W_hi`` is in ``{+1, -1}``
{cite}`arc2026algzoo`; neurons whose input weight is (nearly) zero are scaled instead so that their
incoming recurrent row has unit norm.  Neurons are then ordered: positive input weight first.
"""

from __future__ import annotations

import numpy as np

from tinymech.algzoo.architectures import RNNWeights


def rescale(weights: RNNWeights, scales) -> RNNWeights:
    """Rescale hidden neurons by positive ``scales`` ``(d,)``; logits are unchanged.

    Raises:
        ValueError: if ``scales`` has the wrong shape or a non-positive entry.
    """
    c = np.asarray(scales, dtype=np.float64)
    if c.shape != (weights.hidden_size,):
        raise ValueError(f"expected scales of shape ({weights.hidden_size},), got {c.shape}")
    if not np.all(c > 0):
        raise ValueError(f"scales must be positive (ReLU commutes only with positive scaling), got {c}")
    return RNNWeights(c * weights.W_hi, c[:, None] * weights.W_hh / c[None, :], weights.W_oh / c[None, :])


def permute(weights: RNNWeights, order) -> RNNWeights:
    """Reorder hidden neurons: new neuron ``k`` is old neuron ``order[k]``; logits are unchanged."""
    order = np.asarray(order)
    if sorted(order.tolist()) != list(range(weights.hidden_size)):
        raise ValueError(f"order must be a permutation of 0..{weights.hidden_size - 1}, got {order.tolist()}")
    return RNNWeights(weights.W_hi[order], weights.W_hh[np.ix_(order, order)], weights.W_oh[:, order])


def standardize(weights: RNNWeights, *, relative_tolerance: float = 1e-3, reorder: bool = True) -> RNNWeights:
    """Rescale so that ``|W_hi| = 1`` (ARC's standardization) and put positive-input neurons first.

    Args:
        weights: the model's weights.
        relative_tolerance: an input weight smaller than this times ``max |W_hi|`` counts as zero; such a
            neuron is scaled so that its row of ``W_hh`` has unit Euclidean norm instead.
        reorder: sort neurons by the sign of their input weight (+1 first, then -1, then 0), keeping the
            original order within a group.

    Returns:
        Standardized weights with the same logits on every input.
    """
    W_hi = weights.W_hi
    magnitude = np.abs(W_hi)
    zero_input = magnitude <= relative_tolerance * magnitude.max()
    row_norms = np.linalg.norm(weights.W_hh, axis=1)
    base = np.where(zero_input, np.where(row_norms > 0, row_norms, 1.0), magnitude)
    standardized = rescale(weights, 1.0 / base)
    if reorder:
        group = np.where(zero_input, 2, np.where(W_hi > 0, 0, 1))
        standardized = permute(standardized, np.argsort(group, kind="stable"))
    return standardized
