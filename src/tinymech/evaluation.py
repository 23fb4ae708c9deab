"""Accuracy by sampling: the baseline every mechanistic estimate is compared with.

Source: ARC's AlgZoo post {cite}`arc2026algzoo`: accuracy on standard Gaussian sequences, estimated from
fresh samples; its standard error is ``sqrt(p (1 - p) / n)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from tinymech.tasks import get_task


@dataclass(frozen=True)
class SampledAccuracy:
    """Accuracy estimated from ``samples`` fresh Gaussian sequences.

    Attributes:
        accuracy: fraction correct, in [0, 1].
        standard_error: ``sqrt(accuracy (1 - accuracy) / samples)``.
        samples: number of sequences.
    """

    accuracy: float
    standard_error: float
    samples: int

    @property
    def error_rate(self) -> float:
        return 1.0 - self.accuracy


def sampled_accuracy(
    model: torch.nn.Module,
    samples: int,
    *,
    seq_len: int | None = None,
    task: str = "2nd_argmax",
    seed: int = 0,
    batch_size: int = 2**18,
    dtype: torch.dtype = torch.float32,
) -> SampledAccuracy:
    """Accuracy of ``model`` on ``samples`` standard Gaussian sequences.

    Args:
        model: maps ``(batch, seq_len)`` inputs to ``(batch, n)`` logits.
        samples: number of sequences (positive).
        seq_len: sequence length; default the model's ``output_size``.
        task: the target function's name (see :mod:`tinymech.tasks`).
        seed: seed of the sampled inputs.
        batch_size: sequences per forward pass.
        dtype: floating type of inputs (the model is cast to it for the evaluation).

    Raises:
        ValueError: if ``samples`` is not positive.
    """
    if samples <= 0:
        raise ValueError(f"the number of samples must be positive, got {samples}")
    seq_len = seq_len if seq_len is not None else model.output_size
    target_of = get_task(task)
    generator = torch.Generator().manual_seed(seed)
    model = model.to(dtype)
    correct = 0
    remaining = samples
    with torch.no_grad():
        while remaining > 0:
            size = min(batch_size, remaining)
            x = torch.randn(size, seq_len, generator=generator, dtype=dtype)
            correct += int((model(x).argmax(-1) == target_of(x)).sum())
            remaining -= size
    accuracy = correct / samples
    return SampledAccuracy(accuracy, math.sqrt(max(accuracy * (1 - accuracy), 0.0) / samples), samples)
