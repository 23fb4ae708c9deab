"""The AlgZoo RNN M_{d,n}: a one-layer bias-free ReLU RNN with scalar inputs and a linear readout.

h_0 = 0,  h_{t+1} = ReLU(W_hh h_t + W_hi x_t),  logits = W_oh h_n.

Source: ARC's AlgZoo post and repository {cite}`arc2026algzoo`.  The module layout and state-dict keys
(``rnn.weight_ih_l0`` (d, 1), ``rnn.weight_hh_l0`` (d, d), ``linear.weight`` (n, d)) are AlgZoo's, so an
official ``.pth`` state dict loads with :meth:`ReLURNN.load_state_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

STATE_DICT_SHAPES = {
    "rnn.weight_ih_l0": lambda d, n: (d, 1),
    "rnn.weight_hh_l0": lambda d, n: (d, d),
    "linear.weight": lambda d, n: (n, d),
}


@dataclass(frozen=True)
class RNNWeights:
    """The three weight matrices of M_{d,n} as float64 numpy arrays.

    Attributes:
        W_hi: input weights, shape ``(d,)`` (AlgZoo stores ``(d, 1)``).
        W_hh: recurrent weights, shape ``(d, d)``.
        W_oh: readout weights, shape ``(n, d)``.
    """

    W_hi: np.ndarray
    W_hh: np.ndarray
    W_oh: np.ndarray

    @property
    def hidden_size(self) -> int:
        return self.W_hh.shape[0]

    @property
    def output_size(self) -> int:
        return self.W_oh.shape[0]


class ReLURNN(nn.Module):
    """M_{d,n}: bias-free ReLU RNN over scalar inputs, logits read from the last hidden state.

    Args:
        hidden_size: d, the number of hidden neurons.
        output_size: n, the number of logits (for the 2nd-argmax task, the sequence length).

    Input ``(batch, seq_len)`` floats; output logits ``(batch, output_size)``.
    """

    def __init__(self, hidden_size: int, output_size: int):
        super().__init__()
        if hidden_size < 1 or output_size < 1:
            raise ValueError(f"hidden_size and output_size must be positive, got {hidden_size}, {output_size}")
        self.rnn = nn.RNN(input_size=1, hidden_size=hidden_size, nonlinearity="relu", bias=False, batch_first=True)
        self.linear = nn.Linear(hidden_size, output_size, bias=False)

    @property
    def hidden_size(self) -> int:
        return self.rnn.hidden_size

    @property
    def output_size(self) -> int:
        return self.linear.out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, output_size)`` for inputs ``(batch, seq_len)``."""
        if x.ndim != 2:
            raise ValueError(f"expected inputs of shape (batch, seq_len), got shape {tuple(x.shape)}")
        hidden, _ = self.rnn(x.unsqueeze(-1))
        return self.linear(hidden[:, -1])

    def weights(self) -> RNNWeights:
        """The weights as float64 numpy arrays (see :class:`RNNWeights`)."""
        return RNNWeights(
            W_hi=self.rnn.weight_ih_l0.detach().double().numpy()[:, 0].copy(),
            W_hh=self.rnn.weight_hh_l0.detach().double().numpy().copy(),
            W_oh=self.linear.weight.detach().double().numpy().copy(),
        )

    @classmethod
    def from_weights(cls, W_hi, W_hh, W_oh, *, dtype: torch.dtype = torch.float32) -> "ReLURNN":
        """Build a model from arrays ``W_hi (d,)`` or ``(d, 1)``, ``W_hh (d, d)``, ``W_oh (n, d)``.

        Raises:
            ValueError: if the shapes do not fit together.
        """
        W_hi = np.asarray(W_hi, dtype=np.float64).reshape(-1)
        W_hh = np.asarray(W_hh, dtype=np.float64)
        W_oh = np.asarray(W_oh, dtype=np.float64)
        d = W_hi.shape[0]
        if W_hh.shape != (d, d) or W_oh.ndim != 2 or W_oh.shape[1] != d:
            raise ValueError(
                f"expected W_hi (d,), W_hh (d, d), W_oh (n, d) with d = {d}; "
                f"got {W_hi.shape}, {W_hh.shape}, {W_oh.shape}"
            )
        model = cls(d, W_oh.shape[0]).to(dtype)
        with torch.no_grad():
            model.rnn.weight_ih_l0.copy_(torch.as_tensor(W_hi[:, None], dtype=dtype))
            model.rnn.weight_hh_l0.copy_(torch.as_tensor(W_hh, dtype=dtype))
            model.linear.weight.copy_(torch.as_tensor(W_oh, dtype=dtype))
        return model

    @classmethod
    def from_state_dict(cls, state_dict: dict) -> "ReLURNN":
        """Build a model from an AlgZoo-format state dict, inferring d and n from the shapes.

        Raises:
            ValueError: if keys are missing or unexpected, or shapes are inconsistent (the message
                lists what was expected and what was found).
        """
        expected = set(STATE_DICT_SHAPES)
        found = set(state_dict)
        if found != expected:
            raise ValueError(
                f"not an AlgZoo RNN state dict: expected keys {sorted(expected)}, "
                f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
            )
        d, n = state_dict["linear.weight"].shape[1], state_dict["linear.weight"].shape[0]
        for key, shape_of in STATE_DICT_SHAPES.items():
            if tuple(state_dict[key].shape) != shape_of(d, n):
                raise ValueError(
                    f"state dict entry {key} has shape {tuple(state_dict[key].shape)}, "
                    f"expected {shape_of(d, n)} for hidden size {d} and output size {n}"
                )
        model = cls(d, n)
        model.load_state_dict({k: v.float() for k, v in state_dict.items()})
        return model


def as_weights(model: "ReLURNN | RNNWeights") -> RNNWeights:
    """The :class:`RNNWeights` of a model, or the weights themselves: every analysis accepts either."""
    return model.weights() if isinstance(model, ReLURNN) else model
