"""Accuracy by sampling: the baseline every mechanistic estimate is compared with.

Source: ARC's AlgZoo post {cite}`arc2026algzoo`: accuracy on standard Gaussian sequences, estimated from
fresh samples; its standard error is ``sqrt(p (1 - p) / n)``.

Two choices make a sampled accuracy the same on every machine:

- **Inputs.**  Sequences are drawn by numpy's PCG64 generator (bit-identical across platforms, unlike
  ``torch.randn``, whose vectorised kernels differ between CPUs) in fixed chunks of
  :data:`CHUNK_SEQUENCES`; chunk ``c`` of seed ``s`` comes from ``numpy.random.default_rng([s, c])``.
  So a seed means one set of sequences whatever the batch size, and the first ``n`` sequences of a seed
  are the same for every ``n``.
- **Ties.**  Logits within :func:`tie_tolerance` of the largest count as tied, and a tie goes to the
  lowest position (``torch.argmax``'s rule for exact ties), so that rounding, which differs between CPUs,
  cannot decide a prediction.  The tolerance is relative to the size of the terms summed into the logits
  (:func:`readout_scale`: ``max_i sum_j |W_oh[i, j] h_j|``, the scale of the readout's rounding error),
  not to the logits themselves: logits that cancel to zero in exact arithmetic are rounding noise, and
  noise relative to noise would decide the prediction.  This matters for models
  whose logits tie exactly in exact arithmetic, such as ARC's handcrafted 22-neuron M16,10 when at most
  one input is positive; for trained models a gap that small is rare (it moves an accuracy by less than
  its standard error).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
from tqdm import tqdm

from tinymech.algzoo.tasks import get_task
from tinymech.errors import InvalidInputError
from tinymech.stats import binomial_standard_error

#: Sequences per chunk of the input stream (see the module docstring).
CHUNK_SEQUENCES = 2**16
#: The largest number of samples accepted (about 10 hours of M16,10 forward passes on one core).
MAX_SAMPLES = 2**36
#: Relative tolerance below which two logits count as tied, per floating type.
#: float64: 1e-9, well above both float64 rounding (1e-16 per operation) and the perturbation run's 1e-12
#: (:mod:`tinymech.perturb`), so that neither decides a tie.
TIE_TOLERANCE = {torch.float32: 1e-5, torch.float64: 1e-9}


def gaussian_sequences(
    samples: int,
    seq_len: int,
    *,
    seed: int,
    dtype: torch.dtype = torch.float32,
    batch_chunks: int = 4,
) -> Iterator[torch.Tensor]:
    """Standard Gaussian sequences, ``(batch, seq_len)`` tensors, the same on every machine.

    Args:
        samples: total number of sequences (positive).
        seq_len: sequence length.
        seed: the stream's seed (a non-negative integer).
        dtype: ``torch.float32`` or ``torch.float64`` (drawn natively in that precision).
        batch_chunks: chunks of :data:`CHUNK_SEQUENCES` per yielded batch (does not change the sequences).

    Raises:
        InvalidInputError: for a non-positive ``samples`` or ``seq_len``, a negative seed or another dtype.
    """
    if not isinstance(samples, (int, np.integer)) or samples <= 0:
        raise InvalidInputError(
            f"the number of samples must be a positive integer, got {samples!r}"
        )
    if not isinstance(seq_len, (int, np.integer)) or seq_len <= 0:
        raise InvalidInputError(f"seq_len must be a positive integer, got {seq_len!r}")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidInputError(f"seed must be a non-negative integer, got {seed!r}")
    if dtype not in (torch.float32, torch.float64):
        raise InvalidInputError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    numpy_dtype = np.float32 if dtype == torch.float32 else np.float64
    chunk, produced = 0, 0
    while produced < samples:
        parts = []
        for _ in range(batch_chunks):
            size = min(CHUNK_SEQUENCES, samples - produced)
            if size <= 0:
                break
            rng = np.random.default_rng([int(seed), chunk])
            parts.append(rng.standard_normal((size, seq_len), dtype=numpy_dtype))
            produced += size
            chunk += 1
        yield torch.from_numpy(np.concatenate(parts))


def tie_tolerance(dtype: torch.dtype) -> float:
    """Relative tolerance of :func:`predictions` for logits of ``dtype`` (``1e-5`` float32, ``1e-9`` float64)."""
    return TIE_TOLERANCE.get(dtype, 1e-9)


def readout_scale(
    hidden: torch.Tensor | np.ndarray, W_oh: torch.Tensor | np.ndarray
) -> torch.Tensor | np.ndarray:
    """The size of the terms summed into the logits ``W_oh h``: ``max_i sum_j |W_oh[i, j] h_j|``, ``(batch, 1)``.

    The rounding error of a logit is a multiple of this, whatever the logits themselves (which may cancel
    to zero); :func:`predictions` measures ties against it.  ``hidden`` is ``(batch, d)``, ``W_oh`` ``(n, d)``;
    numpy in, numpy out (torch likewise).
    """
    if isinstance(hidden, np.ndarray):
        return (np.abs(hidden) @ np.abs(np.asarray(W_oh)).T).max(axis=-1, keepdims=True)
    return (hidden.abs() @ W_oh.abs().T).max(dim=-1, keepdim=True).values


def predictions(
    logits: torch.Tensor | np.ndarray, *, scale: torch.Tensor | np.ndarray | None = None
) -> torch.Tensor | np.ndarray:
    """Predicted positions ``(batch,)`` from logits ``(batch, n)`` with the tie rule of the module docstring.

    Works on torch tensors and numpy arrays (returning the same kind).

    Args:
        logits: ``(batch, n)``.
        scale: ``(batch, 1)`` size of the terms summed into each row's logits (:func:`readout_scale`); ties
            are within :func:`tie_tolerance` times the larger of it and the largest absolute logit.  Default:
            the largest absolute logit alone.

    Raises:
        InvalidInputError: if any logit is not finite (the weights overflowed or are not finite).
    """
    is_numpy = isinstance(logits, np.ndarray)
    values = torch.from_numpy(logits) if is_numpy else logits
    if values.ndim != 2:
        raise InvalidInputError(
            f"expected logits of shape (batch, n), got shape {tuple(values.shape)}"
        )
    if not bool(torch.isfinite(values).all()):
        bad = int((~torch.isfinite(values)).any(-1).sum())
        raise InvalidInputError(
            f"the logits are not finite for {bad} of {values.shape[0]} inputs: the weights are "
            "not finite or too large for the floating type"
        )
    top = values.max(dim=-1, keepdim=True).values
    size = values.abs().max(dim=-1, keepdim=True).values
    if scale is not None:
        scale = torch.from_numpy(np.asarray(scale)) if isinstance(scale, np.ndarray) else scale
        size = torch.maximum(size, scale.to(values.dtype).reshape(-1, 1))
    tied = values >= top - tie_tolerance(values.dtype) * size
    result = tied.to(torch.uint8).argmax(dim=-1)  # first True: the lowest tied position
    return result.numpy() if is_numpy else result


#: Rows per block of :func:`relu_rnn_last_hidden` (the working set stays in the core's cache).
HIDDEN_BLOCK = 4096


def relu_rnn_last_hidden(model, x: torch.Tensor, *, block: int = HIDDEN_BLOCK) -> torch.Tensor:
    """The last hidden state ``(batch, d)`` of an AlgZoo ``ReLURNN`` on inputs ``x (batch, seq_len)``,
    bit-identical to ``model.rnn(x.unsqueeze(-1))[0][:, -1]`` and about twice as fast on one thread.

    It does what ``torch.nn.RNN`` does on the CPU (the input projections of all steps first, then
    ``relu(W_hh h + W_ih x_t)`` step by step, by the same ``linear`` calls in the same order), without
    keeping every step's state, in blocks of ``block`` rows (each row's arithmetic does not depend on
    the block).  Checked bit for bit against ``torch.nn.RNN`` by the tests.
    """
    W_ih, W_hh = model.rnn.weight_ih_l0, model.rnn.weight_hh_l0
    parts = []
    for start in range(0, x.shape[0], block):
        projected = torch.nn.functional.linear(x[start : start + block].T.unsqueeze(-1), W_ih)
        h = projected[0].relu()
        for t in range(1, x.shape[1]):
            h = torch.nn.functional.linear(h, W_hh).add_(projected[t]).relu_()
        parts.append(h)
    return parts[0] if len(parts) == 1 else torch.cat(parts)


def model_predictions(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """:func:`predictions` of ``model`` on inputs ``x (batch, seq_len)``; for an AlgZoo RNN the ties are
    measured against :func:`readout_scale` of its last hidden state (other models: the largest logit)."""
    from tinymech.algzoo.architectures import ReLURNN

    if isinstance(model, ReLURNN):
        hidden = relu_rnn_last_hidden(model, x)
        return predictions(
            model.linear(hidden), scale=readout_scale(hidden, model.linear.weight)
        )
    return predictions(model(x))


@dataclass(frozen=True)
class SampledAccuracy:
    """Accuracy estimated from ``samples`` fresh Gaussian sequences.

    Attributes:
        accuracy: fraction correct, in [0, 1].
        standard_error: ``sqrt(accuracy (1 - accuracy) / samples)`` (zero when the accuracy is 0 or 1;
            use :attr:`interval` then).
        samples: number of sequences.
        correct: number of correct predictions.
    """

    accuracy: float
    standard_error: float
    samples: int
    correct: int

    @property
    def error_rate(self) -> float:
        return 1.0 - self.accuracy

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson score interval of the accuracy (never zero-width, also at 0 or 1)."""
        from tinymech.stats import proportion_interval

        _, low, high = proportion_interval(self.correct, self.samples)
        return low, high


def sampled_accuracy(
    model: torch.nn.Module,
    samples: int,
    *,
    seq_len: int | None = None,
    task: str = "2nd_argmax",
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
    progress: bool | None = None,
    device: str = "cpu",
) -> SampledAccuracy:
    """Accuracy of ``model`` on ``samples`` standard Gaussian sequences (see the module docstring).

    Args:
        model: maps ``(batch, seq_len)`` inputs to ``(batch, n)`` logits.
        samples: number of sequences, 1 to :data:`MAX_SAMPLES`.
        seq_len: sequence length; default the model's ``output_size``.
        task: the target function's name (see :mod:`tinymech.algzoo.tasks`).
        seed: seed of the input stream (:func:`gaussian_sequences`).
        dtype: floating type of inputs and forward pass, ``torch.float32`` or ``torch.float64``; a
            model of another type is run as a copy cast to it (the caller's model is never changed).
        progress: show a progress bar (default: only above 2**26 samples).
        device: ``"cpu"`` (default) or ``"cuda"`` (:mod:`tinymech.devices`): the same sequences, drawn
            on the CPU and moved; on another device a copy of the model runs there.

    Raises:
        InvalidInputError: a bad sample count, seed, dtype or task, a sequence length that the task
            cannot take or that does not match the model's number of logits, or logits that are not
            finite; everything but the last is checked before any work.
    """
    if (
        isinstance(samples, bool)
        or not isinstance(samples, (int, np.integer))
        or not 0 < samples <= MAX_SAMPLES
    ):
        raise InvalidInputError(
            f"the number of samples must be an integer from 1 to 2**36 = {MAX_SAMPLES:,}, "
            f"got {samples!r}"
        )
    if not isinstance(model, torch.nn.Module):
        raise InvalidInputError(
            f"expected a torch model (e.g. a ReLURNN from load_model), got {type(model).__name__}"
        )
    if dtype not in (torch.float32, torch.float64):
        raise InvalidInputError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise InvalidInputError(f"seed must be a non-negative integer, got {seed!r}")
    try:
        target_of = get_task(task)
    except (ValueError, TypeError) as error:
        raise InvalidInputError(str(error)) from None
    logits = getattr(model, "output_size", None)
    if seq_len is None:
        if logits is None:
            raise InvalidInputError(
                f"give seq_len: a {type(model).__name__} has no output_size to take it from"
            )
        seq_len = logits
    if isinstance(seq_len, bool) or not isinstance(seq_len, (int, np.integer)) or seq_len < 1:
        raise InvalidInputError(f"seq_len must be a positive integer, got {seq_len!r}")
    minimum = 2 if task == "2nd_argmax" else 1
    if seq_len < minimum:
        raise InvalidInputError(
            f"task {task!r} needs sequences of length >= {minimum}, got seq_len {seq_len} "
            "(a model with one logit has no second-largest input)"
        )
    if logits is not None and seq_len != logits:
        raise InvalidInputError(
            f"seq_len {seq_len} does not match the model's readout: it has {logits} logits, one per "
            f"position of a length-{logits} sequence"
        )
    from tinymech.devices import resolve_device

    on = resolve_device(device)
    model = _in_dtype(model, dtype)
    if on.type != "cpu":
        model = copy.deepcopy(model).to(on)
    correct = 0
    show = samples > 2**26 if progress is None else progress
    with (
        torch.no_grad(),
        tqdm(
            total=samples, disable=not show, unit="seq", unit_scale=True, desc="sampling"
        ) as bar,
    ):
        for x in gaussian_sequences(samples, seq_len, seed=seed, dtype=dtype):
            x = x if on.type == "cpu" else x.to(on)
            predicted = model_predictions(model, x)
            if logits is None and int(predicted.max()) >= seq_len:
                raise InvalidInputError(
                    f"the model predicts position {int(predicted.max())} of a length-{seq_len} "
                    "sequence: its number of logits does not match seq_len"
                )
            correct += int((predicted == target_of(x)).sum())
            bar.update(len(x))
    accuracy = correct / samples
    return SampledAccuracy(
        accuracy, float(binomial_standard_error(accuracy, samples)), int(samples), correct
    )


def _in_dtype(model: torch.nn.Module, dtype: torch.dtype) -> torch.nn.Module:
    """``model`` itself if all its parameters are ``dtype``, else a copy cast to ``dtype``."""
    import copy

    parameters = list(model.parameters()) + list(model.buffers())
    if all(p.dtype == dtype for p in parameters if p.is_floating_point()):
        return model
    return copy.deepcopy(model).to(dtype)
