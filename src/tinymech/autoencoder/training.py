"""Train many seeds of the toy autoencoder at once (vectorised; one core)."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from tinymech.errors import InvalidInputError

from .model import check_parameters, loss_and_gradients
from .optimizer import VectorisedAdam
from .outcomes import OUTCOME_NAMES, classify


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
        first_seen: with ``check_every``, the first checked step at which each seed had each outcome,
            ``(outcomes, seeds)`` indexed by the outcome code (-1: never seen); else None.
        snapshots: parameters ``(W, b)`` after the steps listed in ``keep_at``, by step.
    """

    W: torch.Tensor
    b: torch.Tensor
    steps: torch.Tensor
    losses: torch.Tensor
    outcomes: torch.Tensor
    W_log: torch.Tensor | None
    b_log: torch.Tensor | None
    optimizer: VectorisedAdam
    first_seen: torch.Tensor | None = None
    snapshots: dict[int, tuple[torch.Tensor, torch.Tensor]] = field(default_factory=dict)


def train(
    weights: torch.Tensor,
    b: torch.Tensor,
    *,
    lr: float | torch.Tensor,
    epochs: int,
    optimizer: str = "adamw",
    weight_decay: float = 0.01,
    log_every: int = 100,
    keep_parameters: bool = False,
    check_every: int | None = None,
    keep_at: tuple[int, ...] = (),
    state: VectorisedAdam | None = None,
    progress: bool = False,
) -> TrainingRun:
    """Full-batch training of a batch of toy autoencoders on the identity dataset (one step per epoch).

    Args:
        weights, b: initial parameters ``(seeds, m, n)``, ``(seeds, n)``; not modified (copied).
        lr: learning rate, a float or one per seed ``(seeds,)``.
        epochs: number of full-batch steps (the dataset is n examples, so one step = one epoch).
        optimizer: ``"adamw"`` (the post's) or ``"adam"``.
        weight_decay: AdamW decoupled weight decay (torch default 0.01).
        log_every: log loss and outcome every this many steps (and at step 0 and the last step).
        keep_parameters: also keep W and b at every logged step (memory: logs x seeds x (m+1) x n).
        check_every: also classify every this many steps (and at the logged ones) and record the first
            step at which each outcome is seen (``TrainingRun.first_seen``); None: only at logged steps.
        keep_at: steps (from 1 to ``epochs``) after which to keep a copy of the parameters.
        state: an optimizer to continue with (its moments and step count), instead of a fresh one.
        progress: show a tqdm bar.

    Checking and logging read the parameters and never change them, so a run trains the same with or
    without them.

    Returns:
        A :class:`TrainingRun`.

    Raises:
        InvalidInputError: on bad shapes, ``epochs < 1``, ``log_every < 1``, ``check_every < 1`` or a
            ``keep_at`` step outside ``[1, epochs]``.
    """
    seeds, _, _ = check_parameters(weights, b)
    if epochs < 1 or log_every < 1 or (check_every is not None and check_every < 1):
        raise InvalidInputError(
            f"epochs, log_every and check_every must be >= 1, found {epochs}, {log_every}, "
            f"{check_every}"
        )
    if any(not 1 <= s <= epochs for s in keep_at):
        raise InvalidInputError(
            f"keep_at steps must lie in [1, {epochs}], found {tuple(keep_at)}"
        )
    weights, b = weights.clone(), b.clone()
    if state is None:
        lr_tensor = torch.as_tensor(lr, dtype=torch.float64).expand(seeds).clone()
        state = VectorisedAdam(lr=lr_tensor, kind=optimizer, weight_decay=weight_decay)
    steps, losses, outcomes, W_log, b_log = [], [], [], [], []
    first_seen = (
        torch.full((len(OUTCOME_NAMES), seeds), -1, dtype=torch.long) if check_every else None
    )
    snapshots: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}

    def see(step: int, outcome: torch.Tensor) -> None:
        if first_seen is not None:
            for code in OUTCOME_NAMES:
                new = (outcome == code) & (first_seen[code] < 0)
                first_seen[code][new] = step

    def log(step: int, loss: torch.Tensor) -> None:
        outcome = classify(weights, b)
        steps.append(step)
        losses.append(loss.clone())
        outcomes.append(outcome)
        see(step, outcome)
        if keep_parameters:
            W_log.append(weights.clone())
            b_log.append(b.clone())

    for step in tqdm(range(epochs), disable=not progress, mininterval=1.0):
        loss, dW, db = loss_and_gradients(weights, b)
        if step in keep_at:
            snapshots[step] = (weights.clone(), b.clone())
        if step % log_every == 0:
            log(step, loss)
        elif check_every and step % check_every == 0:
            see(step, classify(weights, b))
        state.step([weights, b], [dW, db])
    if epochs in keep_at:
        snapshots[epochs] = (weights.clone(), b.clone())
    log(epochs, loss_and_gradients(weights, b)[0])
    return TrainingRun(
        W=weights,
        b=b,
        steps=torch.tensor(steps),
        losses=torch.stack(losses),
        outcomes=torch.stack(outcomes),
        W_log=torch.stack(W_log) if keep_parameters else None,
        b_log=torch.stack(b_log) if keep_parameters else None,
        optimizer=state,
        first_seen=first_seen,
        snapshots=snapshots,
    )
