"""Full-batch training of the miiii transformer with per-task logs and log-spaced snapshots.

Source of the recipe: Syrkis & Søgaard (2024), Table 2 and the chapter brief: AdamW with betas
(0.9, 0.98) and weight decay on all parameters, full batch, no schedule, the Grokfast EMA filter
between backward and step, the ln q weighted loss.  Snapshots (taken at log-spaced epochs) keep only
what the chapter analyses: the token and positional embeddings and the per-digit Fourier spectra of
every MLP neuron at the last position; the full weights are kept only at the end.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch
from tqdm import tqdm

from tinymech.errors import InvalidInputError
from tinymech.stats import log_spaced_integers

from .fourier import neuron_spectrum
from .grokfast import GrokfastEMA
from .loss import per_task_loss, weighted_task_loss
from .model import MiiiiTransformer
from .tasks import TaskData, make_task


@dataclass(frozen=True)
class TrainingConfig:
    """Every setting of one run (defaults: the paper's Table 2 except p, d and epochs).

    Attributes:
        task: "miiii", "basis", "masked" or "nanda".
        p: base of the digits (paper: 113).
        d: residual width (paper: 256).
        heads: attention heads (paper: 4).
        epochs: full-batch steps (paper: 65,536).
        lr: AdamW learning rate (paper: 3e-4).
        weight_decay: AdamW weight decay on all parameters (paper: 1/3).
        dropout: dropout probability (paper: 0.1).
        grokfast_lambda: Grokfast amplification (paper: 0.5); 0 disables the filter.
        grokfast_alpha: Grokfast EMA decay (paper: 0.98).
        train_fraction: share of the p^2 inputs used for training (repository: 0.5).
        seed: seed of the split, the T_basis shuffle, the init and dropout.
        log_every: evaluate train/validation accuracy every this many epochs.
        n_snapshots: about how many log-spaced snapshot epochs (plus epoch 0; at least 2), see
            :func:`snapshot_epochs`.
        snapshot_horizon: the epoch the log-spaced snapshots run up to (0: ``epochs``); a run stopped
            early by a time limit records its planned horizon here, so that rerunning its config
            reproduces it exactly.
    """

    task: str = "miiii"
    p: int = 113
    d: int = 256
    heads: int = 4
    epochs: int = 65536
    lr: float = 3e-4
    weight_decay: float = 1 / 3
    dropout: float = 0.1
    grokfast_lambda: float = 0.5
    grokfast_alpha: float = 0.98
    train_fraction: float = 0.5
    seed: int = 0
    log_every: int = 10
    n_snapshots: int = 12
    snapshot_horizon: int = 0

    def __post_init__(self) -> None:
        """Refuse settings that cannot describe a run (see the attribute list), naming the field."""
        from .tasks import TASK_NAMES, is_prime

        problems = []
        if self.task not in TASK_NAMES:
            problems.append(f"task {self.task!r} is not one of {', '.join(TASK_NAMES)}")
        if not (isinstance(self.p, int) and self.p >= 3 and is_prime(self.p)):
            problems.append(
                f"p must be a prime >= 3 (the digits' base; tasks are n mod q for primes q < p), got {self.p}"
            )
        for name in ("d", "heads", "epochs", "log_every"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 1):
                problems.append(f"{name} must be a positive integer, got {value!r}")
        if not (isinstance(self.n_snapshots, int) and self.n_snapshots >= 2):
            problems.append(
                f"n_snapshots must be an integer >= 2 (epoch 1 and the last epoch at least), "
                f"got {self.n_snapshots!r}"
            )
        if (
            isinstance(self.d, int)
            and isinstance(self.heads, int)
            and self.heads >= 1
            and self.d % self.heads
        ):
            problems.append(f"d ({self.d}) must be divisible by heads ({self.heads})")
        if not (isinstance(self.snapshot_horizon, int) and self.snapshot_horizon >= 0):
            problems.append(
                f"snapshot_horizon must be a non-negative integer, got {self.snapshot_horizon!r}"
            )
        checks = {
            "lr": (0 < self.lr < 1),
            "weight_decay": 0 <= self.weight_decay < 100,
            "dropout": 0 <= self.dropout < 1,
            "grokfast_lambda": 0 <= self.grokfast_lambda < 100,
            "grokfast_alpha": 0 <= self.grokfast_alpha < 1,
            "train_fraction": 0 < self.train_fraction < 1,
        }
        ranges = {
            "lr": "(0, 1)",
            "weight_decay": "[0, 100)",
            "dropout": "[0, 1)",
            "grokfast_lambda": "[0, 100)",
            "grokfast_alpha": "[0, 1)",
            "train_fraction": "(0, 1)",
        }
        for name, ok in checks.items():
            if not ok:
                problems.append(
                    f"{name} must lie in {ranges[name]}, got {getattr(self, name)!r}"
                )
        if problems:
            raise InvalidInputError("invalid miiii training settings: " + "; ".join(problems))


def snapshot_epochs(epochs: int, n_snapshots: int) -> list[int]:
    """Epoch 0 plus about ``n_snapshots`` log-spaced epochs from 1 to ``epochs`` (ascending, distinct).

    The log-spaced part is :func:`tinymech.stats.log_spaced_integers` (``round(epochs ** (i / (n - 1)))``),
    the schedule every chapter uses; it gives exactly the epochs of the committed runs (checked in
    ``tests/test_miiii_checkpoints.py``).

    Raises:
        InvalidInputError: if ``epochs < 1`` or ``n_snapshots < 2``.
    """
    if epochs < 1 or n_snapshots < 2:
        raise InvalidInputError(
            f"need epochs >= 1 and n_snapshots >= 2, got {epochs} and {n_snapshots}"
        )
    return [0] + log_spaced_integers(epochs, n_snapshots)


@torch.no_grad()
def evaluate(model: MiiiiTransformer, data: TaskData) -> dict[str, torch.Tensor]:
    """Per-task accuracy and cross-entropy on the training and validation rows (eval mode).

    Returns:
        dict with ``train_acc``, ``valid_acc``, ``train_loss``, ``valid_loss``, each ``(n_tasks,)``.
    """
    was_training = model.training
    model.eval()
    device = model.W_U.device
    logits = model(data.inputs.to(device)).cpu()
    model.train(was_training)
    correct = (logits.argmax(-1) == data.labels).float()
    out = {}
    for split, mask in (("train", data.train_mask), ("valid", ~data.train_mask)):
        out[f"{split}_acc"] = correct[mask].mean(0)
        out[f"{split}_loss"] = per_task_loss(logits[mask], data.labels[mask])
    return out


@torch.no_grad()
def take_snapshot(model: MiiiiTransformer, data: TaskData) -> dict[str, torch.Tensor]:
    """The analysed state of a model: embeddings and the neuron spectra of :func:`neuron_spectrum`.

    Returns:
        ``token_embedding`` ``(p + 1, d)``, ``position_embedding`` ``(3, d)`` (float32) and
        ``neuron_spectrum`` ``(4d, 2, p // 2 + 1)`` (float16, to keep files small).
    """
    was_training = model.training
    model.eval()
    cache: dict[str, torch.Tensor] = {}
    model(data.inputs.to(model.W_U.device), cache=cache)
    model.train(was_training)
    spectra = neuron_spectrum(cache["mlp_post"][:, -1].cpu(), data.p)
    return {
        "token_embedding": model.token_embedding.detach().cpu().clone(),
        "position_embedding": model.position_embedding.detach().cpu().clone(),
        "neuron_spectrum": torch.from_numpy(spectra).to(torch.float16),
    }


@dataclass
class TrainingResult:
    """Logs, snapshots and final weights of a run.

    Attributes:
        config: the run's settings.
        log: ``epoch`` ``(n_logs,)`` and ``train_acc``/``valid_acc``/``train_loss``/``valid_loss``
            ``(n_logs, n_tasks)``.
        snapshots: ``epoch`` ``(n_snap,)`` and the stacked fields of :func:`take_snapshot`.
        final_state: the final ``state_dict``.
        moduli: q of each task.
    """

    config: TrainingConfig
    log: dict[str, torch.Tensor]
    snapshots: dict[str, torch.Tensor]
    final_state: dict[str, torch.Tensor]
    moduli: tuple[int, ...] = field(default=())

    def payload(self) -> dict:
        """A ``torch.save``-able dict (for :func:`tinymech.store.save_checkpoint`)."""
        return {
            "config": asdict(self.config),
            "log": self.log,
            "snapshots": self.snapshots,
            "final_state": self.final_state,
            "moduli": torch.tensor(self.moduli),
        }


def build_model(config: TrainingConfig, moduli: tuple[int, ...]) -> MiiiiTransformer:
    """The model of ``config`` with its seeded He init."""
    torch.manual_seed(config.seed)
    return MiiiiTransformer(config.p, config.d, config.heads, moduli, dropout=config.dropout)


def train(
    config: TrainingConfig,
    *,
    device: str = "cpu",
    progress: bool = True,
    time_limit_s: float | None = None,
) -> TrainingResult:
    """Train one run full batch and return its logs, snapshots and final weights.

    Args:
        config: the run's settings (see :class:`TrainingConfig`).
        device: torch device ("cpu", "cuda"); the paper's p = 113, d = 256 run needs a GPU in practice
            (about 2.2-2.5 s per epoch on one CPU thread, per the brief).
        progress: show a tqdm bar with the mean validation accuracy.
        time_limit_s: stop at the first logged epoch after this many seconds; the returned config then
            has ``epochs`` = the epoch reached and ``snapshot_horizon`` = the planned horizon.

    Raises:
        ValueError: from :func:`make_task` / :class:`MiiiiTransformer` for invalid settings.
    """
    data = make_task(
        config.task, config.p, train_fraction=config.train_fraction, seed=config.seed
    )
    model = build_model(config, data.moduli).to(device)
    # On a GPU the fused AdamW kernel updates every parameter in one launch (same update rule).
    optimizer = torch.optim.AdamW(
        model.parameters(),
        lr=config.lr,
        betas=(0.9, 0.98),
        weight_decay=config.weight_decay,
        fused=torch.device(device).type == "cuda",
    )
    grokfast = (
        GrokfastEMA(
            model.parameters(), alpha=config.grokfast_alpha, lamb=config.grokfast_lambda
        )
        if config.grokfast_lambda > 0
        else None
    )
    x_train = data.inputs[data.train_mask].to(device)
    y_train = data.labels[data.train_mask].to(device)
    weights = data.task_weights.to(device)
    model.check_tokens(
        x_train
    )  # once: the loop below calls model.logits, which makes no host sync
    horizon = config.snapshot_horizon or config.epochs
    snap_at = {
        e for e in snapshot_epochs(horizon, config.n_snapshots) if e <= config.epochs
    } | {config.epochs}
    start = time.perf_counter()
    logs: dict[str, list] = {
        "epoch": [],
        "train_acc": [],
        "valid_acc": [],
        "train_loss": [],
        "valid_loss": [],
    }
    snaps: dict[str, list] = {"epoch": []}

    def record(epoch: int) -> float:
        metrics = evaluate(model, data)
        logs["epoch"].append(epoch)
        for key, value in metrics.items():
            logs[key].append(value)
        if epoch in snap_at:
            snaps["epoch"].append(epoch)
            for key, value in take_snapshot(model, data).items():
                snaps.setdefault(key, []).append(value)
        return float(metrics["valid_acc"].mean())

    model.train()
    valid_acc = record(0)
    bar = tqdm(range(1, config.epochs + 1), disable=not progress, mininterval=2.0)
    for epoch in bar:
        optimizer.zero_grad(set_to_none=True)
        loss = weighted_task_loss(model.logits(x_train), y_train, data.moduli, weights)
        loss.backward()
        if grokfast is not None:
            grokfast.filter_()
        optimizer.step()
        if epoch % config.log_every == 0 or epoch in snap_at or epoch == config.epochs:
            if (
                time_limit_s is not None
                and epoch < config.epochs
                and time.perf_counter() - start > time_limit_s
            ):
                snap_at.add(epoch)
                valid_acc = record(epoch)
                config = replace(config, epochs=epoch, snapshot_horizon=horizon)
                break
            valid_acc = record(epoch)
            bar.set_postfix(loss=f"{loss.item():.3f}", valid_acc=f"{valid_acc:.3f}")
    log = {"epoch": torch.tensor(logs["epoch"])}
    log.update({k: torch.stack(v) for k, v in logs.items() if k != "epoch"})
    snapshots = {"epoch": torch.tensor(snaps["epoch"])}
    snapshots.update({k: torch.stack(v) for k, v in snaps.items() if k != "epoch"})
    final_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    return TrainingResult(config, log, snapshots, final_state, data.moduli)


def grokking_epoch(
    log: dict[str, torch.Tensor], threshold: float | np.ndarray = 0.9
) -> np.ndarray:
    """First logged epoch at which each task's validation accuracy reaches ``threshold`` (nan if never).

    Args:
        log: a :class:`TrainingResult` log.
        threshold: one accuracy for all tasks, or ``(n_tasks,)`` per-task accuracies (e.g. halfway
            from chance to perfect, ``(1 + 1/q) / 2``).

    Returns:
        ``(n_tasks,)`` float array of epochs.
    """
    acc = log["valid_acc"].numpy()
    epochs = log["epoch"].numpy().astype(float)
    reached = acc >= np.asarray(threshold, dtype=float)
    return np.where(reached.any(0), epochs[np.argmax(reached, axis=0)], math.nan)
