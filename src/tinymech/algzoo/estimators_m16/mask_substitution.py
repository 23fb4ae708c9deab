"""Why fixed activation masks have a floor: the mask-substitution experiment and the measures around it.

The fixed-mask estimate (:mod:`.activation_masks`) runs every input of a case ``(m, s)`` with one
activation pattern.  This module measures, on sampled inputs, where that presumption loses the accuracy:

- **Mask substitution** (:func:`substitution_measures`): the network is run with its *true* activation
  masks on some steps (the ReLU applied to its own pre-activation) and the case's *fixed* masks on the
  others, for each scheme of :func:`schemes`: true masks from step 0 up to step ``k`` for every ``k``;
  up to the second-largest input's step ``s``; up to the later impulse ``max(m, s)``; only before the first
  impulse ``min(m, s)``; only after the later one; only between them.  Per model: the hybrid's accuracy
  minus the network's on the same inputs (its *bias*, paired, so its standard error is small) and the
  fraction of inputs on which the hybrid predicts what the network predicts (*agreement*).
- **A predicted state** (:func:`two_impulse_states`): the go/no-go test of one positive attempt.  ARC's
  identities {cite}`arc2026algzoo` say the trained network computes running maxima ``max(0, x_0..x_t)``
  and leave-one-out maxima ``max(0, x_j : j != i)``; once both of the two largest inputs have been read,
  every one of these is a function of the two largest alone.  So the model of the hidden state at the
  later impulse ``T = max(m, s)`` is the network's state at ``T`` on the *two-impulse input*: the two
  largest inputs in place and every other input 0 (the ``max(0, .)`` floor).  Substituted for the true
  state at ``T``, with fixed masks after it, it passes the go/no-go test when the bias is at most
  :data:`GO_BIAS` and the agreement at least :data:`GO_AGREEMENT` on the noisy ensemble.
- **Pattern variety** (:func:`pattern_variety`): per case, the number of distinct activation patterns on
  the steps from the first to the later impulse among :data:`VARIETY_SAMPLES` inputs of the case, and the
  share of inputs the most frequent ``K`` patterns cover (the mass a ``K``-pattern mixture describes).
- **Decision margins** (:func:`relative_margins`): ``(largest logit - second largest) / |largest logit|``
  per input; an estimator whose logits are off by a relative ``delta`` can get wrong every input whose
  margin is below ``delta``.

All in float64 numpy on Gaussian sequences of the deterministic stream
(:func:`tinymech.algzoo.evaluation.gaussian_sequences`).
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.estimators_m16.activation_masks import (
    activation_masks,
    representative_input,
)
from tinymech.algzoo.estimators_m16.input_law import arrange_into_case, case_of, cases
from tinymech.algzoo.evaluation import gaussian_sequences, predictions
from tinymech.errors import InvalidInputError

#: The go/no-go test of a predicted state: bias at most this (absolute, every model of the noisy ensemble
#: on average) ...
GO_BIAS = 0.01
#: ... and agreement with the network at least this.
GO_AGREEMENT = 0.95
#: Inputs per case for the pattern variety, and the mixture sizes ``K`` whose coverage is reported.
VARIETY_SAMPLES = 2048
MIXTURE_SIZES = (1, 10, 100, 1000)
#: Relative margins below which the fraction of inputs is reported.
MARGIN_LEVELS = (0.001, 0.003, 0.01, 0.03, 0.1)


def _sequences(samples: int, seq_len: int, seed: int) -> np.ndarray:
    return np.concatenate(
        [
            b.numpy()
            for b in gaussian_sequences(samples, seq_len, seed=seed, dtype=torch.float64)
        ]
    )


def case_mask_table(weights: RNNWeights) -> np.ndarray:
    """The fixed masks of every case, ``(n, n, n, d)`` at ``[m, s]`` (zeros on the diagonal)."""
    n, d = weights.output_size, weights.hidden_size
    table = np.zeros((n, n, n, d))
    for m, s in cases(n):
        table[m, s] = activation_masks(weights, representative_input(m, s, n))
    return table


def schemes(seq_len: int) -> dict[str, callable]:
    """The substitution schemes: ``{name: rule(t, m, s) -> (batch,) bool}``, True where step ``t`` uses
    the true mask (``m``, ``s`` are ``(batch,)`` positions of the two largest inputs)."""
    out = {"fixed masks throughout": lambda t, m, s: np.zeros(len(m), dtype=bool)}
    for k in range(seq_len):
        out[f"true to step {k}"] = lambda t, m, s, k=k: np.full(len(m), t <= k)
    out["true to the second-largest's step"] = lambda t, m, s: t <= s
    out["true to the later impulse"] = lambda t, m, s: t <= np.maximum(m, s)
    out["true before the first impulse only"] = lambda t, m, s: t < np.minimum(m, s)
    out["true after the later impulse only"] = lambda t, m, s: t > np.maximum(m, s)
    out["true between the impulses only"] = lambda t, m, s: (
        (t >= np.minimum(m, s)) & (t <= np.maximum(m, s))
    )
    return out


def hybrid_logits(
    weights: RNNWeights,
    x: np.ndarray,
    fixed: np.ndarray,
    use_true,
    *,
    state: np.ndarray | None = None,
    state_step: np.ndarray | None = None,
) -> np.ndarray:
    """Logits ``(batch, n_logits)`` of the network run with true masks where ``use_true(t) (batch,)`` holds
    and the masks ``fixed (batch, n, d)`` elsewhere; where ``state`` ``(batch, d)`` is given, the hidden
    state after step ``state_step (batch,)`` is replaced by it."""
    h = np.zeros((len(x), weights.hidden_size))
    for t in range(x.shape[1]):
        pre = h @ weights.W_hh.T + x[:, t, None] * weights.W_hi
        mask = np.where(use_true(t)[:, None], pre > 0, fixed[:, t] > 0.5)
        h = mask * pre
        if state is not None:
            h = np.where((state_step == t)[:, None], state, h)
    return h @ weights.W_oh.T


def true_run(weights: RNNWeights, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The network in float64: logits ``(batch, n_logits)``, masks ``(batch, n, d)`` bool and states
    ``(batch, n, d)``."""
    batch, n = x.shape
    h = np.zeros((batch, weights.hidden_size))
    masks = np.empty((batch, n, weights.hidden_size), dtype=bool)
    states = np.empty((batch, n, weights.hidden_size))
    for t in range(n):
        pre = h @ weights.W_hh.T + x[:, t, None] * weights.W_hi
        masks[:, t] = pre > 0
        h = masks[:, t] * pre
        states[:, t] = h
    return h @ weights.W_oh.T, masks, states


def two_impulse_states(weights: RNNWeights, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model of the hidden state at the later impulse (module docstring): states ``(batch, d)`` and
    their steps ``T = max(m, s)`` ``(batch,)``."""
    m, s = case_of(x)
    rows = np.arange(len(x))
    impulses = np.zeros_like(x)
    impulses[rows, m], impulses[rows, s] = x[rows, m], x[rows, s]
    _, _, states = true_run(weights, impulses)
    step = np.maximum(m, s)
    return states[rows, step], step


def substitution_measures(weights: RNNWeights, samples: int, *, seed: int) -> dict:
    """Per scheme of :func:`schemes` (and ``"predicted state at the later impulse"``): the network's
    accuracy, the hybrid's, their difference (bias) with its paired standard error, and the agreement, on
    ``samples`` Gaussian sequences of seed ``seed``; also ``"margins"``, the relative decision margins
    ``(samples,)`` of the network."""
    if samples < 2:
        raise InvalidInputError(f"need at least two samples, got {samples}")
    x = _sequences(samples, weights.output_size, seed)
    m, s = case_of(x)
    table = case_mask_table(weights)
    fixed = table[m, s]
    logits, _, _ = true_run(weights, x)
    network = predictions(logits)
    right = network == s
    out: dict = {"network_accuracy": float(right.mean())}
    rules = {
        name: (lambda t, rule=rule: rule(t, m, s), None, None)
        for name, rule in schemes(x.shape[1]).items()
    }
    state, step = two_impulse_states(weights, x)
    rules["predicted state at the later impulse"] = (
        lambda t: np.zeros(len(x), bool),
        state,
        step,
    )
    true_state = true_run(weights, x)[2][np.arange(len(x)), step]
    rules["true state at the later impulse"] = (
        lambda t: np.zeros(len(x), bool),
        true_state,
        step,
    )
    for name, (use_true, st, stp) in rules.items():
        hybrid = predictions(
            hybrid_logits(weights, x, fixed, use_true, state=st, state_step=stp)
        )
        difference = (hybrid == s).astype(float) - right
        out[name] = {
            "accuracy": float((hybrid == s).mean()),
            "bias": float(difference.mean()),
            "bias_standard_error": float(difference.std(ddof=1) / np.sqrt(len(x))),
            "agreement": float((hybrid == network).mean()),
        }
    out["margins"] = relative_margins(logits)
    return out


def relative_margins(logits: np.ndarray) -> np.ndarray:
    """``(largest - second largest logit) / |largest logit|`` per row, ``(batch,)``."""
    top_two = np.sort(logits, axis=1)[:, -2:]
    return (top_two[:, 1] - top_two[:, 0]) / np.maximum(np.abs(top_two[:, 1]), 1e-300)


def pattern_variety(
    weights: RNNWeights, *, samples: int = VARIETY_SAMPLES, sizes=MIXTURE_SIZES, seed: int = 0
) -> dict:
    """Per case ``(n (n - 1),)``: distinct activation patterns on the steps ``min(m, s)..max(m, s)`` among
    ``samples`` inputs of the case (drawn exactly from the case law by
    :func:`~.input_law.arrange_into_case`), and the share of inputs covered by the ``K`` most frequent
    patterns for each ``K`` in ``sizes`` (``(len(sizes), cases)``)."""
    n = weights.output_size
    all_cases = cases(n)
    base = _sequences(samples, n, seed)
    distinct = np.zeros(len(all_cases), dtype=np.int64)
    coverage = np.zeros((len(sizes), len(all_cases)))
    for c, (m, s) in enumerate(all_cases):
        x = arrange_into_case(base, m, s)
        _, masks, _ = true_run(weights, x)
        window = masks[:, min(m, s) : max(m, s) + 1].reshape(len(x), -1)
        _, counts = np.unique(np.packbits(window, axis=1), axis=0, return_counts=True)
        counts = np.sort(counts)[::-1]
        distinct[c] = len(counts)
        coverage[:, c] = [counts[:k].sum() / len(x) for k in sizes]
    return {"distinct": distinct, "coverage": coverage, "sizes": list(sizes)}
