"""Rows of the miiii chapter's tables: training settings, per-task accuracies, and statistics at two scales."""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from tinymech.errors import InvalidInputError


def setting_text(value) -> str:
    """A training setting as the table shows it: integers with thousands separators, other numbers to 4
    significant digits (``0.001``, ``1e+05``)."""
    return f"{value:,}" if isinstance(value, int) else f"{value:.4g}"


def task_rows(
    log: dict, epochs_half: Sequence[float], moduli: Sequence[int]
) -> list[list[str]]:
    """One row per task: ``q``, chance ``1/q``, final training and validation accuracy, and the epoch at
    which the task got halfway from chance to perfect (``"never"`` where ``epochs_half`` is NaN).

    Raises:
        InvalidInputError: ``epochs_half`` or the log's accuracies without one entry per task.
    """
    train, valid = np.asarray(log["train_acc"]), np.asarray(log["valid_acc"])
    if len(epochs_half) != len(moduli) or train.shape[1] != len(moduli):
        raise InvalidInputError(
            f"{len(moduli)} tasks need as many halfway epochs ({len(epochs_half)}) and accuracy columns "
            f"({train.shape[1]})"
        )
    return [
        [
            str(q),
            f"{1 / q:.3f}",
            f"{float(train[-1, t]):.3f}",
            f"{float(valid[-1, t]):.3f}",
            "never" if math.isnan(epochs_half[t]) else f"{int(epochs_half[t]):,}",
        ]
        for t, q in enumerate(moduli)
    ]


#: Columns of :func:`task_rows`.
TASK_COLUMNS = ["q", "chance", "train", "valid", "epoch halfway"]


def by_kind(values: dict, digits: int = 2) -> str:
    """Nanda's, miiii's and T_basis's value, signed, to ``digits`` decimals (no ``-0.00``)."""
    return ", ".join(
        f"{kind} {round(values[kind], digits) + 0.0:+.{digits}f}"
        for kind in ("nanda", "miiii", "basis")
    )


def scale_row(name: str, paper: str, measure: Callable, scales: Sequence) -> list:
    """One row of the scale table: the statistic, the paper's value, and ``measure`` of the claim measures
    at each scale (:class:`tinymech.miiii.claim_measures.ClaimMeasures`)."""
    return [name, paper, *(measure(m) for m in scales)]
