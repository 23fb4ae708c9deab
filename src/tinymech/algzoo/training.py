"""Training AlgZoo RNNs with AlgZoo's recipe, one thread, fixed seeds, a progress bar.

Recipe (from the alg-zoo README and training code, {cite}`algzoo2026repo`): AdamW with learning rate
``0.04 / sqrt(d)`` and weight decay ``1e-3``; every step draws a fresh batch of 1024 standard Gaussian
sequences; the learning-rate multiplier is ``min(step / warmup, 1) * max(0.01 ** (2 step / n_steps), 0.01)``
(linear warm-up, exponential decay reaching the floor 0.01 at half the run).  AlgZoo uses
``n_train = 2**30`` sequences and ``warmup = 2**14`` steps; for a smaller ``n_train`` we scale the
warm-up to ``min(2**14, n_steps // 64)`` steps so that warm-up and decay do not overlap.
Zoo models are the best of several seeds: "local minima can be hard to avoid for tiny models".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.tasks import get_task
from tinymech.errors import InvalidInputError
from tinymech.stats import log_spaced_integers

ALGZOO_N_TRAIN = 2**30
ALGZOO_WARMUP_STEPS = 2**14


@dataclass
class TrainingResult:
    """Outcome of :func:`train`.

    Attributes:
        model: the trained model (float32).
        seed: the seed of initialisation and data.
        n_train: number of training sequences seen.
        curve: ``[(sequences_seen, accuracy), ...]`` on a fixed held-out batch at log-spaced steps.
        seconds: wall-clock training time.
    """

    model: ReLURNN
    seed: int
    n_train: int
    curve: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0


def learning_rate_multiplier(step: int, n_steps: int, warmup_steps: int) -> float:
    """AlgZoo's schedule: linear warm-up, then exponential decay to a floor of 0.01 at half the run."""
    return min(step / warmup_steps, 1.0) * max(0.01 ** (2 * step / n_steps), 0.01)


def train(
    hidden_size: int,
    seq_len: int,
    *,
    task: str = "2nd_argmax",
    seed: int = 0,
    n_train: int = ALGZOO_N_TRAIN,
    batch_size: int = 1024,
    learning_rate: float | None = None,
    weight_decay: float = 1e-3,
    curve_points: int = 24,
    progress: bool = True,
    device: str = "cpu",
) -> TrainingResult:
    """Train M_{hidden_size, seq_len} on ``task`` with AlgZoo's recipe.

    Args:
        hidden_size: d, hidden neurons.
        seq_len: n, the sequence length (= number of logits for position tasks).
        task: a name from :data:`tinymech.algzoo.tasks.TASKS`.
        seed: seeds both the initialisation and the training data.
        n_train: training sequences (a multiple of ``batch_size``); AlgZoo uses ``2**30``.
        batch_size: sequences per step (AlgZoo: 1024).
        learning_rate: peak learning rate; default AlgZoo's ``0.04 / sqrt(hidden_size)``.
        weight_decay: AdamW weight decay (AlgZoo: 1e-3).
        curve_points: number of log-spaced points at which accuracy on a fixed batch of 2**16
            held-out sequences is recorded (fewer than 2: no curve, as for benchmarks).
        progress: show a tqdm progress bar.
        device: ``"cpu"`` (default) or ``"cuda"`` (:mod:`tinymech.devices`): the batches are drawn on
            the CPU as always and moved; the returned model is on the CPU.

    Returns:
        A :class:`TrainingResult`.

    Raises:
        InvalidInputError: for non-positive sizes or an ``n_train`` smaller than one batch.
    """
    if hidden_size < 1 or seq_len < 2:
        raise InvalidInputError(
            f"need hidden_size >= 1 and seq_len >= 2, got {hidden_size}, {seq_len}"
        )
    if n_train < batch_size:
        raise InvalidInputError(
            f"n_train ({n_train}) must be at least one batch ({batch_size})"
        )
    from tinymech.devices import resolve_device

    on = resolve_device(device)
    torch.set_num_threads(1)
    target_of = get_task(task)
    n_steps = n_train // batch_size
    warmup_steps = max(1, min(ALGZOO_WARMUP_STEPS, n_steps // 64))
    peak_lr = learning_rate if learning_rate is not None else 0.04 / math.sqrt(hidden_size)

    torch.manual_seed(seed)
    model = ReLURNN(hidden_size, seq_len).to(on)
    optimizer = torch.optim.AdamW(model.parameters(), lr=peak_lr, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: learning_rate_multiplier(step, n_steps, warmup_steps)
    )
    data = torch.Generator().manual_seed(seed)
    held_out = torch.randn(
        2**16, seq_len, generator=torch.Generator().manual_seed(10_000 + seed)
    ).to(on)
    held_out_target = target_of(held_out)
    record_at = set() if curve_points < 2 else set(log_spaced_integers(n_steps, curve_points))
    curve: list[tuple[int, float]] = []

    start = time.perf_counter()
    for step in tqdm(
        range(1, n_steps + 1),
        disable=not progress,
        desc=f"M{hidden_size},{seq_len} seed {seed}",
        mininterval=2.0,
        unit="step",
    ):
        x = torch.randn(batch_size, seq_len, generator=data).to(on)
        loss = torch.nn.functional.cross_entropy(model(x), target_of(x))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        if step in record_at:
            with torch.no_grad():
                accuracy = (
                    (model(held_out).argmax(-1) == held_out_target).double().mean().item()
                )
            curve.append((step * batch_size, accuracy))
    return TrainingResult(
        model=model.cpu(),
        seed=seed,
        n_train=n_steps * batch_size,
        curve=curve,
        seconds=time.perf_counter() - start,
    )
