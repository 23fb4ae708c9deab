"""Algorithmic tasks as pure functions from input sequences to target positions.

Source: ARC's AlgZoo (``alg-zoo`` repository, "2nd argmax" family) {cite}`algzoo2026repo`.
Inputs are standard Gaussian sequences, ``x ~ N(0, I_n)``; a task maps a batch ``(batch, seq_len)``
to integer targets ``(batch,)``.
"""

from __future__ import annotations

from typing import Callable

import torch


def second_argmax(x: torch.Tensor) -> torch.Tensor:
    """Position of the second-largest entry of each sequence.

    Args:
        x: inputs, shape ``(batch, seq_len)`` with ``seq_len >= 2``.

    Returns:
        Long tensor ``(batch,)``; AlgZoo's definition ``argsort(-1)[..., -2]``.

    Raises:
        ValueError: if ``x`` is not 2-D or ``seq_len < 2``.
    """
    _check_batch(x, minimum_length=2)
    return x.argsort(dim=-1)[..., -2]


def argmax(x: torch.Tensor) -> torch.Tensor:
    """Position of the largest entry, shape ``(batch,)`` from ``(batch, seq_len)``."""
    _check_batch(x, minimum_length=1)
    return x.argmax(dim=-1)


def _check_batch(x: torch.Tensor, *, minimum_length: int) -> None:
    if x.ndim != 2:
        raise ValueError(
            f"expected inputs of shape (batch, seq_len), got shape {tuple(x.shape)}"
        )
    if x.shape[1] < minimum_length:
        raise ValueError(f"expected seq_len >= {minimum_length}, got {x.shape[1]}")


TASKS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "2nd_argmax": second_argmax,
    "argmax": argmax,
}


def get_task(name: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The task function registered under ``name``.

    Raises:
        ValueError: for an unknown name; the message lists the known ones.
    """
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(
            f"unknown task {name!r}; choose one of: {', '.join(sorted(TASKS))}"
        ) from None
