"""The masked linear piece of a bias-free ReLU RNN: the network with its activation pattern held fixed.

A bias-free ReLU RNN is positively homogeneous and piecewise linear in its input ``x``: on the set of
inputs sharing one activation pattern ``D`` (which neurons are on after which step; the trace's
``activation_pattern``, :mod:`tinymech.algzoo.trace`) every pre-activation, every hidden state and every
logit is a linear function of ``x``.  With ``H_{-1} = 0`` and, per step ``t``,

    ``P_t = W_hh H_{t-1} + W_hi e_t^T``,   ``H_t = diag(D[t]) P_t``,

``P_t x`` is the pre-activation and ``H_t x`` the hidden state at step ``t``, and ``W_oh H_{n-1}`` the
logits' map.  :func:`linear_piece` computes these maps; :func:`state_transition` the same recurrence
started from a hidden state with zero inputs, ``diag(D[k]) W_hh ... diag(D[1]) W_hh``.  Every analysis
that holds a pattern fixed calls one of them: the exact methods (:mod:`tinymech.algzoo.exact.pieces`),
the fixed-mask estimator of M16,10 (:mod:`tinymech.algzoo.estimators_m16.activation_masks`) and the phase
wheel's ``Phi_post`` (:mod:`tinymech.algzoo.phase_wheel`).  Source: ARC's analysis of M2,2 and M4,3
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
        preactivation_maps: ``(seq_len, hidden, seq_len)`` float64; ``preactivation_maps[t] @ x`` is the
            pre-activation at step ``t`` for every input ``x`` of this pattern.
        logit_map: ``(n, seq_len)`` float64; ``logit_map @ x`` are the logits.
    """

    activation_pattern: np.ndarray
    preactivation_maps: np.ndarray
    logit_map: np.ndarray


def _pattern(weights: RNNWeights, activation_pattern) -> np.ndarray:
    pattern = np.asarray(activation_pattern)
    if pattern.ndim != 2 or pattern.shape[1] != weights.hidden_size:
        raise InvalidInputError(
            f"expected a pattern of shape (seq_len, {weights.hidden_size}), got {pattern.shape}"
        )
    return pattern.astype(bool)


def _propagate(
    weights: RNNWeights, pattern: np.ndarray, hidden_map: np.ndarray, *, inputs: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The one recurrence ``P_t = W_hh H_{t-1} (+ W_hi e_t^T)``, ``H_t = diag(D[t]) P_t``: every ``P_t``
    ``(steps, hidden, columns)`` and the last ``H`` ``(hidden, columns)``, from ``H_{-1} = hidden_map``;
    with ``inputs``, column ``t`` of the maps is input ``t``."""
    pre_maps = np.empty((len(pattern), *hidden_map.shape))
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is the caller's to refuse
        for t, mask in enumerate(pattern):
            pre_maps[t] = weights.W_hh @ hidden_map
            if inputs:
                pre_maps[t][:, t] += weights.W_hi
            hidden_map = mask[:, None] * pre_maps[t]
    return pre_maps, hidden_map


def linear_piece(weights: RNNWeights, activation_pattern) -> LinearPiece:
    """The linear maps of the pre-activations and logits for a fixed activation pattern.

    Args:
        weights: the model's weights.
        activation_pattern: ``(seq_len, hidden)`` booleans or 0/1 numbers (on: the neuron is on after that
            step), e.g. ``trace(model, x).activation_pattern[0]``.

    Returns:
        The :class:`LinearPiece`; its maps are inf or NaN where they overflow float64 (the exact methods
        refuse those, :func:`tinymech.algzoo.exact.pieces.pattern_linear_maps`).

    Raises:
        InvalidInputError: if the pattern is not ``(seq_len, hidden)``.
    """
    pattern = _pattern(weights, activation_pattern)
    seq_len, d = pattern.shape
    pre_maps, hidden_map = _propagate(weights, pattern, np.zeros((d, seq_len)), inputs=True)
    with np.errstate(over="ignore", invalid="ignore"):
        logit_map = weights.W_oh @ hidden_map
    return LinearPiece(pattern, pre_maps, logit_map)


def state_transition(weights: RNNWeights, activation_pattern) -> np.ndarray:
    """The map ``(hidden, hidden)`` from a hidden state to the state ``k`` steps later with zero inputs, when
    the pattern of those steps is ``activation_pattern (k, hidden)``: ``diag(D[k-1]) W_hh ... diag(D[0]) W_hh``
    (the identity for ``k = 0``).

    Raises:
        InvalidInputError: if the pattern is not ``(k, hidden)``.
    """
    pattern = _pattern(weights, activation_pattern)
    return _propagate(weights, pattern, np.eye(weights.hidden_size), inputs=False)[1]
