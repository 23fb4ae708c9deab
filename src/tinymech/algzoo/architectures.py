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

from tinymech.errors import InvalidInputError


def check_finite(name: str, values) -> None:
    """Refuse NaN or infinite weights, saying how many and where.

    Raises:
        InvalidInputError: if ``values`` has a non-finite entry.
    """
    array = (
        values.detach().cpu().double().numpy()  # any float type (bfloat16 has no numpy type)
        if isinstance(values, torch.Tensor)
        else np.asarray(values)
    )
    bad = ~np.isfinite(array)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidInputError(
            f"weights {name} must be finite; found {int(bad.sum())} NaN or infinite "
            f"entries (first at index {first}: {array[first]})"
        )


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

    def __post_init__(self) -> None:
        """Check shapes and values.

        Raises:
            InvalidInputError: if the shapes do not fit together or a weight is NaN or infinite.
        """
        shapes = tuple(np.shape(w) for w in (self.W_hi, self.W_hh, self.W_oh))
        d = shapes[0][0] if len(shapes[0]) == 1 else None
        if (
            d is None
            or d < 1
            or shapes[1] != (d, d)
            or len(shapes[2]) != 2
            or shapes[2][1] != d
            or shapes[2][0] < 1
        ):
            raise InvalidInputError(
                f"expected W_hi (d,), W_hh (d, d), W_oh (n, d) with d, n >= 1; got {shapes}"
            )
        for name in ("W_hi", "W_hh", "W_oh"):
            check_finite(name, getattr(self, name))

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
        if (
            not (isinstance(hidden_size, int) and isinstance(output_size, int))
            or hidden_size < 1
            or output_size < 1
        ):
            raise InvalidInputError(
                f"hidden_size and output_size must be positive, got {hidden_size}, {output_size}"
            )
        self.rnn = nn.RNN(
            input_size=1,
            hidden_size=hidden_size,
            nonlinearity="relu",
            bias=False,
            batch_first=True,
        )
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
            raise InvalidInputError(
                f"expected inputs of shape (batch, seq_len), got shape {tuple(x.shape)}"
            )
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
            InvalidInputError: if the shapes do not fit together, a weight is not finite, or a weight
                overflows ``dtype``.
        """
        try:
            W_hi, W_hh, W_oh = (
                np.asarray(
                    w.detach().cpu().double() if isinstance(w, torch.Tensor) else w,
                    dtype=np.float64,
                )
                for w in (W_hi, W_hh, W_oh)
            )
        except (TypeError, ValueError) as error:
            raise InvalidInputError(
                f"weights must be arrays of real numbers: {error}"
            ) from None
        if W_hi.ndim == 2 and W_hi.shape[1] == 1:
            W_hi = W_hi[:, 0]
        if W_hi.ndim != 1:
            raise InvalidInputError(
                f"expected W_hi of shape (d,) or (d, 1), got {W_hi.shape} (it is not reshaped)"
            )
        weights = RNNWeights(
            W_hi,
            np.asarray(W_hh, dtype=np.float64),
            np.asarray(W_oh, dtype=np.float64),
        )
        W_hi, W_hh, W_oh = weights.W_hi, weights.W_hh, weights.W_oh
        d = W_hi.shape[0]
        for name, array in (("W_hi", W_hi), ("W_hh", W_hh), ("W_oh", W_oh)):
            check_finite(f"{name} as {dtype}", torch.as_tensor(array, dtype=dtype))
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
            InvalidInputError: if keys are missing or unexpected, a value is not a tensor, shapes are
                inconsistent, or a weight is not finite (also after conversion to float32); the message
                lists what was expected and what was found.
        """
        if not isinstance(state_dict, dict):
            raise InvalidInputError(
                f"expected an AlgZoo state dict (a dict of tensors), got {type(state_dict).__name__}"
            )
        expected = set(STATE_DICT_SHAPES)
        found = set(state_dict)
        if found != expected:
            raise InvalidInputError(
                f"not an AlgZoo RNN state dict: expected keys {sorted(expected)}, "
                f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
            )
        for key in STATE_DICT_SHAPES:
            if (
                not isinstance(state_dict[key], torch.Tensor)
                or not state_dict[key].is_floating_point()
            ):
                raise InvalidInputError(
                    f"state dict entry {key} must be a floating-point tensor, got "
                    f"{type(state_dict[key]).__name__}"
                    f"{' of ' + str(state_dict[key].dtype) if isinstance(state_dict[key], torch.Tensor) else ''}"
                )
        if state_dict["linear.weight"].ndim != 2:
            raise InvalidInputError(
                f"state dict entry linear.weight must be 2-D (n, d), got shape "
                f"{tuple(state_dict['linear.weight'].shape)}"
            )
        d, n = state_dict["linear.weight"].shape[1], state_dict["linear.weight"].shape[0]
        if d < 1 or n < 1:
            raise InvalidInputError(
                f"state dict entry linear.weight has shape {(n, d)}; expected (n, d) with n, d >= 1"
            )
        for key, shape_of in STATE_DICT_SHAPES.items():
            if tuple(state_dict[key].shape) != shape_of(d, n):
                raise InvalidInputError(
                    f"state dict entry {key} has shape {tuple(state_dict[key].shape)}, "
                    f"expected {shape_of(d, n)} for hidden size {d} and output size {n}"
                )
        for key in STATE_DICT_SHAPES:
            check_finite(key, state_dict[key])
            check_finite(f"{key} as float32", state_dict[key].float())
        model = cls(d, n)
        model.load_state_dict({k: v.float() for k, v in state_dict.items()})
        return model


def as_weights(model: "ReLURNN | RNNWeights") -> RNNWeights:
    """The :class:`RNNWeights` of a model, or the weights themselves: every analysis accepts either.

    Raises:
        InvalidInputError: for anything else, or a model with non-finite weights.
    """
    if isinstance(model, ReLURNN):
        return model.weights()
    if isinstance(model, RNNWeights):
        return model
    raise InvalidInputError(f"expected a ReLURNN or RNNWeights, got {type(model).__name__}")
