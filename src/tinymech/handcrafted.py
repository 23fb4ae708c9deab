"""Handcrafted 2nd-argmax RNNs whose mechanism is known by construction.

Sources: ARC's AlgZoo post and repository {cite}`arc2026algzoo` {cite}`algzoo2026repo`, as summarised in
the project brief; the constructions are rebuilt here from their mathematical description.
"""

from __future__ import annotations

import numpy as np

from tinymech.architectures import ReLURNN


def handcrafted_2() -> ReLURNN:
    """Handcrafted M2,2, exactly 100% accurate.

    ``W_hi = (1, -1)``, ``W_hh = [[-1, 1], [1, -1]]``, ``W_oh = [[1, -1], [-1, 1]]``: after two steps
    ``h = (ReLU(x1 - x0), ReLU(x0 - x1))`` so the logit difference is ``2 (x0 - x1)``, positive exactly
    when the second-largest entry is at position 1.
    """
    return ReLURNN.from_weights([1.0, -1.0], [[-1.0, 1.0], [1.0, -1.0]], [[1.0, -1.0], [-1.0, 1.0]])


def handcrafted_3(lam: float = 100.0, *, dtype=None) -> ReLURNN:
    """Handcrafted M4,3 (ARC), accuracy tending to 100% as ``lam`` grows (99.989% in float32 at 100).

    With ``fc1 = [[1, -lam-1, lam], [-1, -lam, lam+1]]``, ``fc2 = [[1, 1], [-lam, lam+1], [lam+1, -lam]]``,
    ``U = [[1,0,0,-1],[0,1,-1,0]]``, ``V = [[1,0,0,1],[0,1,1,0]]``:
    ``W_hi = U^T fc1[:, 2:]``, ``W_hh = U^T fc1[:, :2] inv(fc1[:, 1:]) U``, ``W_oh = fc2 V``.

    Raises:
        ValueError: if ``lam`` is not positive.
    """
    import torch

    if not lam > 0:
        raise ValueError(f"lam must be positive, got {lam}")
    fc1 = np.array([[1.0, -lam - 1, lam], [-1.0, -lam, lam + 1]])
    fc2 = np.array([[1.0, 1.0], [-lam, lam + 1], [lam + 1, -lam]])
    U = np.array([[1.0, 0, 0, -1], [0, 1, -1, 0]])
    V = np.array([[1.0, 0, 0, 1], [0, 1, 1, 0]])
    W_hi = U.T @ fc1[:, 2:]
    W_hh = U.T @ fc1[:, :2] @ np.linalg.inv(fc1[:, 1:]) @ U
    W_oh = fc2 @ V
    return ReLURNN.from_weights(W_hi, W_hh, W_oh, dtype=dtype or torch.float32)
