"""When does each task generalise, in which order, and how far has it got?

Source of the claims tested with these functions: Syrkis & Søgaard (2024): every task groks; q = 2, 3, 5,
7 generalise first and in that order; "the remaining 25 tasks generalized around epoch 40000 in no
particular order"; T_miiii, being harder than Nanda et al.'s modular addition, "can be expected to
generalize slower".

Chance accuracy is 1/q, so one accuracy threshold would be unfair across moduli.  Every function here
measures a task by its *progress from chance*, ``(accuracy - 1/q) / (1 - 1/q)`` (0 at chance, 1 when
perfect), and calls a task generalised at the first logged epoch where its validation accuracy is
halfway from chance to perfect, ``(1 + 1/q) / 2``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.stats
import torch

from tinymech.errors import InvalidInputError
from tinymech.stats import binomial_standard_error

from .training import grokking_epoch


def _moduli_array(moduli) -> np.ndarray:
    q = np.asarray(list(moduli), dtype=float)
    if q.ndim != 1 or q.size == 0 or np.any(q < 2):
        raise InvalidInputError(
            f"moduli must be a non-empty list of integers >= 2, got {list(moduli)}"
        )
    return q


def halfway_thresholds(moduli) -> np.ndarray:
    """Validation accuracy halfway from chance (1/q) to perfect, ``(1 + 1/q) / 2``, per task ``(n_tasks,)``.

    Raises:
        InvalidInputError: if a modulus is < 2 or none is given.
    """
    return (1 + 1 / _moduli_array(moduli)) / 2


def progress_from_chance(accuracy, moduli) -> np.ndarray:
    """``(accuracy - 1/q) / (1 - 1/q)`` per task: 0 at chance, 1 at perfect accuracy.

    Args:
        accuracy: ``(..., n_tasks)`` accuracies in [0, 1].
        moduli: the q of each task, length ``n_tasks``.

    Raises:
        InvalidInputError: if the last axis does not match the moduli.
    """
    acc = (
        accuracy.numpy()
        if isinstance(accuracy, torch.Tensor)
        else np.asarray(accuracy, dtype=float)
    )
    q = _moduli_array(moduli)
    if acc.shape[-1:] != q.shape:
        raise InvalidInputError(
            f"accuracy must end with one entry per task ({q.size}), got shape {acc.shape}"
        )
    return (acc - 1 / q) / (1 - 1 / q)


def accuracy_standard_error(accuracy, n_inputs: int) -> np.ndarray:
    """Binomial standard error ``sqrt(a (1 - a) / n)`` of accuracies measured on ``n_inputs`` inputs.

    The validation split is a sample of the inputs a task could be asked about; this is the sampling
    error of its accuracy (0 at an accuracy of exactly 0 or 1).

    Raises:
        InvalidInputError: if ``n_inputs < 1``.
    """
    if n_inputs < 1:
        raise InvalidInputError(f"n_inputs must be >= 1, got {n_inputs}")
    return binomial_standard_error(accuracy, n_inputs)


def generalisation_epochs(log: dict[str, torch.Tensor], moduli) -> np.ndarray:
    """First logged epoch at which each task's validation accuracy is halfway from chance to perfect.

    Args:
        log: a training log with ``epoch`` ``(n_logs,)`` and ``valid_acc`` ``(n_logs, n_tasks)``.
        moduli: the q of each task.

    Returns:
        ``(n_tasks,)`` float epochs; ``nan`` for a task that never gets halfway.
    """
    return grokking_epoch(log, threshold=halfway_thresholds(moduli))


def generalisation_order(epochs, moduli) -> list[int]:
    """The moduli that generalised, sorted by the epoch they got halfway.

    Tie rule: tasks that got halfway at the same logged epoch are listed by increasing q (the log cannot
    tell them apart).  Tasks with a ``nan`` epoch (never halfway) are left out.
    """
    e = np.asarray(epochs, dtype=float)
    q = [int(m) for m in moduli]
    if e.shape != (len(q),):
        raise InvalidInputError(f"need one epoch per modulus ({len(q)}), got shape {e.shape}")
    return [m for _, m in sorted((float(t), m) for t, m in zip(e, q) if not math.isnan(t))]


def validation_accuracy_at(log: dict[str, torch.Tensor], epoch: int) -> np.ndarray:
    """Validation accuracies ``(n_tasks,)`` at the first logged epoch >= ``epoch``.

    Raises:
        InvalidInputError: if the log ends before ``epoch``.
    """
    logged = log["epoch"].numpy()
    row = int(np.searchsorted(logged, epoch))
    if row >= logged.size:
        raise InvalidInputError(
            f"the log ends at epoch {int(logged[-1])}, before epoch {epoch}"
        )
    return log["valid_acc"][row].numpy()


def spearman_critical_value(n: int, alpha: float = 0.05) -> float:
    """Two-sided critical |Spearman rho| at level ``alpha`` for ``n`` pairs (t approximation).

    ``rho_c = t_c / sqrt(n - 2 + t_c^2)`` with ``t_c`` the ``1 - alpha/2`` quantile of Student's t with
    ``n - 2`` degrees of freedom (the approximation behind ``scipy.stats.spearmanr``'s p-value); below it
    an order is "no particular order" at that level.

    Raises:
        InvalidInputError: if ``n < 4`` or ``alpha`` is not in (0, 1).
    """
    if n < 4 or not 0 < alpha < 1:
        raise InvalidInputError(
            f"need n >= 4 pairs and 0 < alpha < 1, got n = {n}, alpha = {alpha}"
        )
    t = scipy.stats.t.ppf(1 - alpha / 2, n - 2)
    return float(t / math.sqrt(n - 2 + t * t))


def order_correlation(moduli, epochs) -> float:
    """Spearman correlation between q and the epoch each task generalised (tasks with ``nan`` left out).

    Near 0: no particular order; near 1: the tasks generalise in order of q.

    Raises:
        InvalidInputError: if fewer than 3 tasks generalised.
    """
    pairs = [(int(q), float(e)) for q, e in zip(moduli, epochs) if not math.isnan(float(e))]
    if len(pairs) < 3:
        raise InvalidInputError(
            f"need at least 3 generalised tasks for an order, got {len(pairs)}"
        )
    q, e = zip(*pairs)
    return float(scipy.stats.spearmanr(q, e).statistic)
