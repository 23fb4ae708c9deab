"""Handcrafted 2nd-argmax RNNs whose mechanism is known by construction.

:func:`handcrafted_2nd_argmax` gives ARC's model for sequence length 2 (exactly 100%), 3 (M4,3 at
``lam = 100``) and 10 (the 22-neuron leave-one-out-maximum model).  Sources: ARC's AlgZoo post and
repository {cite}`arc2026algzoo` {cite}`algzoo2026repo`; the constructions are rebuilt here from their
mathematical description, not copied.
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.errors import InvalidInputError
from tinymech.perturb import perturb

#: Sequence lengths with a handcrafted model.
HANDCRAFTED_LENGTHS = (2, 3, 10)


def handcrafted_2nd_argmax(seq_len: int, *, dtype: torch.dtype = torch.float32) -> ReLURNN:
    """ARC's handcrafted 2nd-argmax RNN for sequence length 2, 3 or 10.

    - 2: :func:`handcrafted_2` (M2,2, exactly 100%);
    - 3: :func:`handcrafted_3` at ``lam = 100`` (M4,3; ARC's post: 99.99%);
    - 10: the 22-neuron model of :func:`leave_one_out_weights` (M22,10; ARC's post: 99%).

    Raises:
        InvalidInputError: for other lengths (the message lists 2, 3 and 10).
    """
    if seq_len == 2:
        return handcrafted_2().to(dtype)
    if seq_len == 3:
        return handcrafted_3(dtype=dtype)
    if seq_len == 10:
        w = _leave_one_out_weights(10)
        return perturb(
            ReLURNN.from_weights(w.W_hi, w.W_hh, w.W_oh, dtype=dtype), "handcrafted_10"
        )
    raise InvalidInputError(
        f"no handcrafted 2nd-argmax model for sequence length {seq_len!r}; "
        f"choose one of: {', '.join(map(str, HANDCRAFTED_LENGTHS))}"
    )


def handcrafted_2() -> ReLURNN:
    """Handcrafted M2,2, exactly 100% accurate.

    ``W_hi = (1, -1)``, ``W_hh = [[-1, 1], [1, -1]]``, ``W_oh = [[1, -1], [-1, 1]]``: after two steps
    ``h = (ReLU(x1 - x0), ReLU(x0 - x1))`` so the logit difference is ``2 (x0 - x1)``, positive exactly
    when the second-largest entry is at position 1.
    """
    return perturb(
        ReLURNN.from_weights(
            [1.0, -1.0], [[-1.0, 1.0], [1.0, -1.0]], [[1.0, -1.0], [-1.0, 1.0]]
        ),
        "handcrafted_2",
    )


def handcrafted_3(lam: float = 100.0, *, dtype=None) -> ReLURNN:
    """Handcrafted M4,3 (ARC), accuracy tending to 100% as ``lam`` grows (ARC's post: 99.99%).

    With ``fc1 = [[1, -lam-1, lam], [-1, -lam, lam+1]]``, ``fc2 = [[1, 1], [-lam, lam+1], [lam+1, -lam]]``,
    ``U = [[1,0,0,-1],[0,1,-1,0]]``, ``V = [[1,0,0,1],[0,1,1,0]]``:
    ``W_hi = U^T fc1[:, 2:]``, ``W_hh = U^T fc1[:, :2] inv(fc1[:, 1:]) U``, ``W_oh = fc2 V``.  In the
    perturbation run (``TINYMECH_PERTURB=1``, :mod:`tinymech.perturb`) these float64 weights are perturbed by
    1e-12 before they are rounded to ``dtype``.

    Raises:
        InvalidInputError: if ``lam`` is not a positive finite number.
    """
    if not (isinstance(lam, (int, float)) and 0 < lam < float("inf")):
        raise InvalidInputError(f"lam must be a positive finite number, got {lam!r}")
    fc1 = np.array([[1.0, -lam - 1, lam], [-1.0, -lam, lam + 1]])
    fc2 = np.array([[1.0, 1.0], [-lam, lam + 1], [lam + 1, -lam]])
    U = np.array([[1.0, 0, 0, -1], [0, 1, -1, 0]])
    V = np.array([[1.0, 0, 0, 1], [0, 1, 1, 0]])
    W_hi = U.T @ fc1[:, 2:]
    W_hh = U.T @ fc1[:, :2] @ np.linalg.inv(fc1[:, 1:]) @ U
    W_oh = fc2 @ V
    # The weights are computed in float64 (an inverse) and then rounded to dtype, the same way on every IEEE
    # machine; the perturbation run therefore perturbs the float64 construction, before the rounding.
    weights = perturb(RNNWeights(W_hi.reshape(-1), W_hh, W_oh), f"handcrafted_3/{lam!r}")
    return ReLURNN.from_weights(
        weights.W_hi, weights.W_hh, weights.W_oh, dtype=dtype or torch.float32
    )


def leave_one_out_weights(seq_len: int = 10) -> RNNWeights:
    """Weights of the handcrafted leave-one-out-maximum RNN for sequences of length ``n = seq_len``.

    Hidden size ``2 n + 2``.  With ``h[t]`` the state after reading ``x_0 .. x_t`` (all features include 0
    in the maximum):

    - ``Q = max(0, x_0..x_{t-1})`` and ``P = max(0, x_0..x_t) - Q`` (ARC's neurons 2, 4):
      ``P <- ReLU(x_t - P - Q)``, ``Q <- ReLU(P + Q)``, because ``ReLU(a - b) = max(a, b) - b``;
      so ``P + Q`` is the running max.
    - ``G = P + Q - x_t``: ``G <- ReLU(P + Q - x_t)`` (ARC's neuron 7); hence ``x_t = P + Q - G`` is
      available linearly one step later.
    - ``F_k = max(0, {x_j : j <= t, j != t - k + 1}) - x_t`` for ``k = 2 .. n`` (ARC's 6 and 1 are
      ``F_2``, ``F_3``): ``F_2 <- ReLU(Q - x_t)`` and ``F_{k+1} <- ReLU(F_k + (P + Q - G) - x_t)``, since
      leaving out the input ``k`` steps back now is leaving out ``k - 1`` steps back before, then adding
      ``x_t`` to the max.
    - a delay line ``D_k = max(0, x_{t-k+1})`` for ``k = 1 .. n``: ``D_1 <- ReLU(x_t)``, ``D_{k+1} <- D_k``.

    After the last input (``t = n - 1``): ``L_i = max(0, x_j for j != i)`` is ``Q`` for ``i = n - 1``
    and ``F_{n-i} + (P + Q - G)`` otherwise; ``max(0, x_i) = D_{n-i}``.  The readout is
    ``logit_i = max(0, x_i) + 2 L_i``.  (The brief and the comment in ARC's code write ``- 2``; with a
    minus sign the largest logit would be the argmax's, see :func:`leave_one_out_logits`.)
    Neuron order: ``Q, P, G, F_2 .. F_n, D_1 .. D_n``.  Perturbed at rounding scale in the perturbation
    run (``TINYMECH_PERTURB=1``, :mod:`tinymech.perturb`), as every handcrafted model is.

    Raises:
        InvalidInputError: if ``seq_len < 2``.
    """
    return perturb(_leave_one_out_weights(seq_len), f"leave_one_out_weights/{seq_len!r}")


def _leave_one_out_weights(seq_len: int) -> RNNWeights:
    """The exact weights of :func:`leave_one_out_weights` (never perturbed)."""
    n = seq_len
    if not isinstance(n, int) or n < 2:
        raise InvalidInputError(f"seq_len must be an integer >= 2, got {n!r}")
    d = 2 * n + 2
    Q, P, G = 0, 1, 2
    F = {k: 3 + (k - 2) for k in range(2, n + 1)}  # 3 .. n + 1
    D = {k: n + 1 + k for k in range(1, n + 1)}  # n + 2 .. 2 n + 1
    W_hi = np.zeros(d)
    W_hh = np.zeros((d, d))
    W_oh = np.zeros((n, d))
    W_hi[P] = 1.0
    W_hh[P, [P, Q]] = -1.0
    W_hh[Q, [P, Q]] = 1.0
    W_hi[G] = -1.0
    W_hh[G, [P, Q]] = 1.0
    W_hi[F[2]] = -1.0
    W_hh[F[2], Q] = 1.0
    for k in range(2, n):
        W_hi[F[k + 1]] = -1.0
        W_hh[F[k + 1], F[k]] = 1.0
        W_hh[F[k + 1], [P, Q]] = 1.0
        W_hh[F[k + 1], G] = -1.0
    W_hi[D[1]] = 1.0
    for k in range(1, n):
        W_hh[D[k + 1], D[k]] = 1.0
    for i in range(n):
        W_oh[i, D[n - i]] = 1.0
        if i == n - 1:
            W_oh[i, Q] += 2.0
        else:
            W_oh[i, F[n - i]] += 2.0
            W_oh[i, [P, Q]] += 2.0
            W_oh[i, G] -= 2.0
    return RNNWeights(W_hi, W_hh, W_oh)


def leave_one_out_expected_accuracy(seq_len: int = 10) -> float:
    """Accuracy of ``argmax_i [max(0, x_i) + 2 L_i]`` on standard Gaussian inputs.

    Ties (below) may be broken at random or by any rule blind to which tied position is right, such as the
    lowest position (:func:`tinymech.algzoo.evaluation.predictions`): by exchangeability each tied position is
    the right one with the same chance, so the expectation is the same.

    With the largest entry ``M`` at ``a`` and the second ``S`` at ``s``, ``logit_s - logit_a = (S^+ - M^+)
    + 2 (M^+ - S^+) = M^+ - S^+ > 0`` when ``M > 0``, and ``logit_s - logit_i = S^+ - x_i^+ > 0`` for the
    others when ``S > 0``.  So the answer is right whenever at least two entries are positive.  With
    exactly one positive entry the ``n - 1`` non-positive entries tie (right with chance ``1 / (n - 1)``);
    with none, all ``n`` logits are 0 (chance ``1 / n``).  The number of positive entries is
    Binomial(n, 1/2).
    """
    n = seq_len
    one_positive = n / 2.0**n
    none_positive = 1 / 2.0**n
    return 1.0 - one_positive * (1 - 1 / (n - 1)) - none_positive * (1 - 1 / n)
