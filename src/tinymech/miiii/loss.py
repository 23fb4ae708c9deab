"""The miiii loss: per-task cross-entropy divided by ln q, averaged over tasks.

Source: Syrkis & Søgaard (2024), eq. 12: the expected cross-entropy of a uniform guess over q classes
is ln q, so dividing by it makes every task start at a loss of about 1.  The paper writes a sum over
tasks; the brief's reading of the code, followed here, is a mean (a constant factor 1 / n_tasks).
"""

from __future__ import annotations

import math

import torch


def per_task_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy (nats) of each task over the batch.

    Args:
        logits: ``(batch, n_tasks, max_q)``; masked classes may be ``-inf``.
        labels: ``(batch, n_tasks)`` long tensor.

    Returns:
        ``(n_tasks,)`` tensor of mean cross-entropies.

    Raises:
        ValueError: if the shapes disagree.
    """
    if logits.ndim != 3 or labels.shape != logits.shape[:2]:
        raise ValueError(
            f"expected logits (batch, n_tasks, max_q) and labels (batch, n_tasks), got "
            f"{tuple(logits.shape)} and {tuple(labels.shape)}"
        )
    log_probs = torch.log_softmax(logits, dim=-1)
    return -log_probs.gather(-1, labels[..., None]).squeeze(-1).mean(dim=0)


def weighted_task_loss(
    logits: torch.Tensor,
    labels: torch.Tensor,
    moduli: tuple[int, ...] | list[int],
    task_weights: torch.Tensor,
) -> torch.Tensor:
    """``mean_t w_t * CE_t / ln q_t``: the scalar training loss of miiii (eq. 12 of the paper, averaged).

    Args:
        logits: ``(batch, n_tasks, max_q)``.
        labels: ``(batch, n_tasks)``.
        moduli: q of each task, length ``n_tasks``.
        task_weights: ``(n_tasks,)`` weights (1, or 0 for the tasks T_masked hides).

    Raises:
        ValueError: if the number of moduli or weights does not match ``n_tasks``.
    """
    if len(moduli) != logits.shape[1] or task_weights.shape != (logits.shape[1],):
        raise ValueError(
            f"need {logits.shape[1]} moduli and weights, got {len(moduli)} and {tuple(task_weights.shape)}"
        )
    log_q = torch.tensor(
        [math.log(q) for q in moduli], dtype=logits.dtype, device=logits.device
    )
    return (task_weights * per_task_loss(logits, labels) / log_q).mean()
