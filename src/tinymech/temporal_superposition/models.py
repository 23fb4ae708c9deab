"""Bias-free recurrent models of the temporal superposition paper (Sharma et al. 2026).

``h_t = W_x x_t + W_h sigma_h(h_{t-1})`` with ``h_0 = 0`` and ``yhat_t = sigma_y(W_y^T h_t)``:

=============  ===============  ===============
kind           sigma_h          sigma_y
=============  ===============  ===============
``linear``     identity         identity
``ssm``        identity         ReLU
``relu``       ReLU             ReLU
=============  ===============  ===============

The "SSM" (linear recurrence, ReLU readout) is the paper's main object.  With a *tied* readout the
readout is the output direction itself, ``W_y := w_k = W_h^k W_x`` (linear recurrence only).

:class:`RNNEnsemble` holds ``M`` independent models as stacked weights so one optimiser step trains
all of them (Adam is element-wise, so members do not interact).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from tinymech.errors import InvalidInputError

MODEL_KINDS = ("linear", "ssm", "relu")


@dataclass(frozen=True)
class EnsembleTrace:
    """Activations of one forward pass of an :class:`RNNEnsemble` (not the AlgZoo RNNs'
    :class:`tinymech.algzoo.trace.RNNTrace`, whose fields differ).

    Attributes:
        hidden: hidden states ``h_t``, shape ``(M, B, T, N_h)`` (None if not recorded).
        readout: pre-activation readout ``W_y^T h_t``, shape ``(M, B, T, N_x)``.
        output: prediction ``yhat_t``, shape ``(M, B, T, N_x)``.
    """

    hidden: torch.Tensor | None
    readout: torch.Tensor
    output: torch.Tensor


class RNNEnsemble(nn.Module):
    """``M`` bias-free RNNs of one kind, trained side by side.

    Args:
        kind: ``"linear"``, ``"ssm"`` or ``"relu"`` (see module docstring).
        n_models: ensemble size ``M``.
        n_inputs: input (and output) features ``N_x``.
        n_hidden: hidden units ``N_h``.
        k: delay of the task (used only by a tied readout).
        tied: readout tied to the output direction ``W_h^k W_x`` (not allowed for ``relu``).
        generator: random generator for the initial weights (uniform in ``+-init_scale/sqrt(N_h)``).
        init_scale: factor on the initial weights (1: the chapter's default; ``<< 1``: the small
            initialisation under which deep linear networks learn in stages).

    Raises:
        InvalidInputError: on an unknown kind, non-positive sizes, or a tied ReLU RNN.
    """

    def __init__(
        self,
        kind: str,
        n_models: int,
        n_inputs: int,
        n_hidden: int,
        *,
        k: int = 0,
        tied: bool = False,
        generator: torch.Generator | None = None,
        init_scale: float = 1.0,
    ) -> None:
        super().__init__()
        if kind not in MODEL_KINDS:
            raise InvalidInputError(
                f"no model kind {kind!r}, please choose one of: {', '.join(MODEL_KINDS)}"
            )
        if min(n_models, n_inputs, n_hidden) < 1:
            raise InvalidInputError(
                f"sizes must be >= 1, found n_models={n_models}, n_inputs={n_inputs}, "
                f"n_hidden={n_hidden}"
            )
        if tied and kind == "relu":
            raise InvalidInputError(
                "a tied readout W_y = W_h^k W_x needs linear recurrence; kind 'relu' must be untied"
            )
        if k < 0:
            raise InvalidInputError(f"delay k must be >= 0, found {k}")
        if not init_scale > 0:
            raise InvalidInputError(f"init_scale must be > 0, found {init_scale}")
        self.kind, self.k, self.tied = kind, k, tied
        scale = init_scale * n_hidden**-0.5

        def uniform(*shape: int) -> nn.Parameter:
            return nn.Parameter((2 * torch.rand(shape, generator=generator) - 1) * scale)

        self.W_x = uniform(n_models, n_hidden, n_inputs)
        self.W_h = uniform(n_models, n_hidden, n_hidden)
        self._W_y = None if tied else uniform(n_models, n_hidden, n_inputs)

    @property
    def W_y(self) -> torch.Tensor:
        """Readout weights, shape ``(M, N_h, N_x)`` (``W_h^k W_x`` when tied)."""
        if self._W_y is not None:
            return self._W_y
        return torch.linalg.matrix_power(self.W_h, self.k) @ self.W_x

    def _linear_recurrence_readout(self, x: torch.Tensor) -> torch.Tensor:
        """``W_y^T h_t = sum_{s<t} C_s x_{t-s}`` as one block-Toeplitz matmul (linear recurrence only)."""
        n_models, batch, seq_len, n_inputs = x.shape
        directions = [self.W_x]
        for _ in range(seq_len - 1):
            directions.append(self.W_h @ directions[-1])
        C = self.W_y.transpose(-1, -2).unsqueeze(1) @ torch.stack(
            directions, 1
        )  # (M, S, N_x, N_x)
        lag = torch.arange(seq_len).view(-1, 1) - torch.arange(seq_len).view(1, -1)  # t - t'
        kernel = (
            C[:, lag.clamp_min(0)] * (lag >= 0).to(x.dtype)[None, :, :, None, None]
        )  # (M, T, T', i, j)
        kernel = kernel.permute(0, 2, 4, 1, 3).reshape(
            n_models, seq_len * n_inputs, seq_len * n_inputs
        )
        return (x.reshape(n_models, batch, -1) @ kernel).reshape(x.shape)

    def run_with_trace(self, x: torch.Tensor, *, record_hidden: bool = True) -> EnsembleTrace:
        """Run the models on inputs ``x`` of shape ``(M, B, T, N_x)`` and return every activation.

        With ``record_hidden=False`` and linear recurrence the readout is computed without the time
        loop (``hidden`` is then None); the result is the same up to float rounding.

        Raises:
            InvalidInputError: if ``x`` does not have shape ``(M, B, T, N_x)`` for this ensemble.
        """
        n_models, n_hidden, n_inputs = self.W_x.shape
        if x.ndim != 4 or x.shape[0] != n_models or x.shape[-1] != n_inputs:
            raise InvalidInputError(
                f"x must have shape ({n_models}, B, T, {n_inputs}), found {tuple(x.shape)}"
            )
        if self.kind != "relu" and not record_hidden:
            readout = self._linear_recurrence_readout(x)
            output = readout if self.kind == "linear" else torch.relu(readout)
            return EnsembleTrace(hidden=None, readout=readout, output=output)
        drive = (x @ self.W_x.transpose(-1, -2).unsqueeze(1)).unbind(2)  # T tensors (M, B, N_h)
        recurrent = self.W_h.transpose(-1, -2)
        hidden = [drive[0]]
        for t in range(1, x.shape[2]):
            state = torch.relu(hidden[-1]) if self.kind == "relu" else hidden[-1]
            hidden.append(torch.baddbmm(drive[t], state, recurrent))
        hidden_t = torch.stack(hidden, dim=2)
        readout = torch.einsum("mhi,mbth->mbti", self.W_y, hidden_t)
        output = readout if self.kind == "linear" else torch.relu(readout)
        return EnsembleTrace(hidden=hidden_t, readout=readout, output=output)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predictions ``yhat`` of shape ``(M, B, T, N_x)`` for inputs ``x`` of the same shape."""
        return self.run_with_trace(x, record_hidden=False).output

    def weights(self) -> dict[str, torch.Tensor]:
        """Detached copies of ``W_x (M, N_h, N_x)``, ``W_h (M, N_h, N_h)``, ``W_y (M, N_h, N_x)``."""
        return {
            "W_x": self.W_x.detach().clone(),
            "W_h": self.W_h.detach().clone(),
            "W_y": self.W_y.detach().clone(),
        }

    @classmethod
    def from_weights(
        cls, kind: str, W_x: torch.Tensor, W_h: torch.Tensor, W_y: torch.Tensor
    ) -> "RNNEnsemble":
        """An untied ensemble with the given weights (shapes as in :meth:`weights`)."""
        n_models, n_hidden, n_inputs = W_x.shape
        if W_h.shape != (n_models, n_hidden, n_hidden) or W_y.shape != W_x.shape:
            raise InvalidInputError(
                f"weight shapes disagree: W_x {tuple(W_x.shape)}, W_h {tuple(W_h.shape)}, "
                f"W_y {tuple(W_y.shape)}; expected W_h (M, N_h, N_h) and W_y like W_x"
            )
        model = cls(kind, n_models, n_inputs, n_hidden)
        model.W_x = nn.Parameter(W_x.detach().clone())
        model.W_h = nn.Parameter(W_h.detach().clone())
        model._W_y = nn.Parameter(W_y.detach().clone())
        return model


def random_weights(
    n_models: int, n_inputs: int, n_hidden: int, *, seed: int, init_scale: float = 1.0
) -> dict[str, torch.Tensor]:
    """Untrained weights from the initial distribution of :class:`RNNEnsemble`, drawn by numpy's PCG64.

    Every entry is uniform in ``+-init_scale / sqrt(N_h)``, as at the start of training, but drawn from
    ``numpy.random.default_rng(seed)`` in float64, so that a null control built on them is the same on
    every machine.

    Args:
        n_models: ``M``; n_inputs: ``N_x``; n_hidden: ``N_h``; seed: a non-negative integer;
        init_scale: factor on the range.

    Returns:
        ``W_x (M, N_h, N_x)``, ``W_h (M, N_h, N_h)`` and ``W_y (M, N_h, N_x)``, float64 (perturbed at rounding
        scale in the perturbation run, ``TINYMECH_PERTURB=1``: :mod:`tinymech.perturb`).

    Raises:
        InvalidInputError: on a non-positive size or scale, or a negative seed.
    """
    if min(n_models, n_inputs, n_hidden) < 1 or not init_scale > 0 or seed < 0:
        raise InvalidInputError(
            f"need positive sizes and scale and a non-negative seed, found n_models={n_models}, "
            f"n_inputs={n_inputs}, n_hidden={n_hidden}, init_scale={init_scale}, seed={seed}"
        )
    rng = np.random.default_rng(seed)
    scale = init_scale * n_hidden**-0.5
    shapes = {
        "W_x": (n_models, n_hidden, n_inputs),
        "W_h": (n_models, n_hidden, n_hidden),
        "W_y": (n_models, n_hidden, n_inputs),
    }
    from tinymech.perturb import perturb

    weights = {
        name: torch.from_numpy(rng.uniform(-scale, scale, shape))
        for name, shape in shapes.items()
    }
    return perturb(
        weights, f"random_weights/{n_models}/{n_inputs}/{n_hidden}/{seed}/{init_scale!r}"
    )
