"""One trace of an RNN run: every analysis of the RNN chapters reads from it.

For M_{d,n} on inputs ``x`` of shape ``(batch, seq_len)`` the trace records, per time step ``t``:
``preactivation[:, t] = W_hh h_{t-1} + W_hi x_t`` (with ``h_{-1} = 0``), ``hidden[:, t] = ReLU(preactivation)``
and ``activation_pattern[:, t] = preactivation > 0``; all three have shape ``(batch, seq_len, hidden)``.
``logits = W_oh hidden[:, -1]`` has shape ``(batch, n)``.  Idea after TransformerLens' ``run_with_cache``.

The trace is computed in float64 numpy from the model's weights, so analyses are not limited by
float32 rounding; :func:`trace` checks nothing about the task.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class RNNTrace:
    """Per-step activations of a bias-free ReLU RNN.

    Attributes:
        inputs: ``(batch, seq_len)``.
        preactivation: ``(batch, seq_len, hidden)``.
        hidden: ``(batch, seq_len, hidden)``, the ReLU of ``preactivation``.
        activation_pattern: ``(batch, seq_len, hidden)`` booleans, ``preactivation > 0``.
        logits: ``(batch, n)`` read from the last hidden state.
        logit_scale: ``(batch, 1)`` size of the terms summed into the logits
            (:func:`tinymech.algzoo.evaluation.readout_scale`), against which ties are measured.
    """

    inputs: np.ndarray
    preactivation: np.ndarray
    hidden: np.ndarray
    activation_pattern: np.ndarray
    logits: np.ndarray
    logit_scale: np.ndarray

    @property
    def predictions(self) -> np.ndarray:
        """Predicted positions ``(batch,)``: argmax of the logits with the tie rule of
        :func:`tinymech.algzoo.evaluation.predictions` (float64 tolerance)."""
        from tinymech.algzoo.evaluation import predictions

        return predictions(self.logits, scale=self.logit_scale)


def trace(model: ReLURNN | RNNWeights, inputs) -> RNNTrace:
    """Run ``model`` on ``inputs`` and record every step (see the module docstring).

    Args:
        model: a :class:`ReLURNN` or its :class:`RNNWeights`.
        inputs: array-like ``(batch, seq_len)``; a single sequence ``(seq_len,)`` is treated as a batch of one.

    Raises:
        InvalidInputError: if ``inputs`` has more than two dimensions or is not finite.
    """
    weights = as_weights(model)
    x = np.asarray(inputs, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise InvalidInputError(
            f"expected inputs of shape (batch, seq_len), got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise InvalidInputError("inputs must be finite")
    batch, seq_len = x.shape
    d = weights.hidden_size
    pre = np.empty((batch, seq_len, d))
    hidden = np.empty((batch, seq_len, d))
    h = np.zeros((batch, d))
    for t in range(seq_len):
        pre[:, t] = h @ weights.W_hh.T + x[:, t, None] * weights.W_hi[None, :]
        h = np.maximum(pre[:, t], 0.0)
        hidden[:, t] = h
    from tinymech.algzoo.evaluation import readout_scale

    logits = h @ weights.W_oh.T
    return RNNTrace(x, pre, hidden, pre > 0, logits, readout_scale(h, weights.W_oh))
