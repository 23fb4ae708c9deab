"""Train many seeds of the toy autoencoder at once (vectorised; one core)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tqdm import tqdm

from .model import check_parameters, loss_and_gradients
from .optimizer import VectorisedAdam
from .outcomes import classify


@dataclass
class TrainingRun:
    """Result of :func:`train`.

    Attributes:
        W, b: final parameters, ``(seeds, m, n)`` and ``(seeds, n)``.
        steps: logged steps, ``(logs,)`` (step 0 = before training).
        losses: per-seed loss at the logged steps, ``(logs, seeds)``.
        outcomes: per-seed outcome (see :mod:`.outcomes`) at the logged steps, ``(logs, seeds)``.
        W_log, b_log: parameters at the logged steps, ``(logs, seeds, m, n)`` and ``(logs, seeds, n)``,
            or None when not kept.
        optimizer: the optimizer, with its state (to continue training).
    """

    W: torch.Tensor
    b: torch.Tensor
    steps: torch.Tensor
    losses: torch.Tensor
    outcomes: torch.Tensor
    W_log: torch.Tensor | None
    b_log: torch.Tensor | None
    optimizer: VectorisedAdam


def train(
    W: torch.Tensor,
    b: torch.Tensor,
    *,
    lr: float | torch.Tensor,
    epochs: int,
    optimizer: str = "adamw",
    weight_decay: float = 0.01,
    log_every: int = 100,
    keep_parameters: bool = False,
    state: VectorisedAdam | None = None,
    progress: bool = False,
) -> TrainingRun:
    """Full-batch training of a batch of toy autoencoders on the identity dataset (one step per epoch).

    Args:
        W, b: initial parameters ``(seeds, m, n)``, ``(seeds, n)``; not modified (copied).
        lr: learning rate, a float or one per seed ``(seeds,)``.
        epochs: number of full-batch steps (the dataset is n examples, so one step = one epoch).
        optimizer: ``"adamw"`` (the post's) or ``"adam"``.
        weight_decay: AdamW decoupled weight decay (torch default 0.01).
        log_every: log loss and outcome every this many steps (and at step 0 and the last step).
        keep_parameters: also keep W and b at every logged step (memory: logs x seeds x (m+1) x n).
        state: an optimizer to continue with (its moments and step count), instead of a fresh one.
        progress: show a tqdm bar.

    Returns:
        A :class:`TrainingRun`.

    Raises:
        ValueError: on bad shapes, ``epochs < 1`` or ``log_every < 1``.
    """
    seeds, _, _ = check_parameters(W, b)
    if epochs < 1 or log_every < 1:
        raise ValueError(f"epochs and log_every must be >= 1, found {epochs}, {log_every}")
    W, b = W.clone(), b.clone()
    if state is None:
        lr_tensor = torch.as_tensor(lr, dtype=torch.float64).expand(seeds).clone()
        state = VectorisedAdam(lr=lr_tensor, kind=optimizer, weight_decay=weight_decay)
    steps, losses, outcomes, W_log, b_log = [], [], [], [], []

    def log(step: int, loss: torch.Tensor) -> None:
        steps.append(step)
        losses.append(loss.clone())
        outcomes.append(classify(W, b))
        if keep_parameters:
            W_log.append(W.clone())
            b_log.append(b.clone())

    for step in tqdm(range(epochs), disable=not progress, mininterval=1.0):
        loss, dW, db = loss_and_gradients(W, b)
        if step % log_every == 0:
            log(step, loss)
        state.step([W, b], [dW, db])
    log(epochs, loss_and_gradients(W, b)[0])
    return TrainingRun(
        W=W,
        b=b,
        steps=torch.tensor(steps),
        losses=torch.stack(losses),
        outcomes=torch.stack(outcomes),
        W_log=torch.stack(W_log) if keep_parameters else None,
        b_log=torch.stack(b_log) if keep_parameters else None,
        optimizer=state,
    )
