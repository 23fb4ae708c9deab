"""The chapter's named runs, their checkpoint files and the one loader the notebook uses.

Checkpoints live in ``tinymech/checkpoints/miiii/<run>.pth`` (+ ``.json`` with the sha256); they are
written by ``python -m tinymech.miiii.train --save <run> ...`` (or ``load_or_train(run, retrain=True)``).
"""

from __future__ import annotations

from dataclasses import asdict, replace

import torch

from ..checkpoints import CHECKPOINT_DIR, CheckpointError, load_checkpoint, save_checkpoint
from .model import MiiiiTransformer
from .training import TrainingConfig, TrainingResult, train

RUN_DIR = CHECKPOINT_DIR / "miiii"

# The chapter's settings (ours, not the paper's): p = 47, d = 128, lr 3e-3, weight decay 1, Grokfast
# lambda 2, chosen from short explorations (checkpoints/miiii/exploration.json: d = 64 memorised all
# but q = 2, 3, 5; d = 128 and lr 3e-3 were faster; weight decay 3 stopped fitting); dropout 0.1,
# 4 heads, alpha 0.98, train fraction 0.5 follow the paper/repository.  miiii and T_masked were
# stopped by a wall-time limit (``--max-minutes``): ``epochs`` is the epoch each reached and
# ``snapshot_horizon`` the planned length its log-spaced snapshots aim at, so
# ``load_or_train(name, retrain=True)`` reproduces them exactly.
_CHAPTER = TrainingConfig(p=47, d=128, lr=3e-3, weight_decay=1.0, grokfast_lambda=2.0, log_every=100)
RUNS: dict[str, TrainingConfig] = {
    "nanda_p47_d128": replace(_CHAPTER, task="nanda", epochs=6000, n_snapshots=8, log_every=50),
    "miiii_p47_d128": replace(_CHAPTER, task="miiii", epochs=108900, n_snapshots=16, snapshot_horizon=120000),
    "masked_p47_d128": replace(_CHAPTER, task="masked", epochs=68900, n_snapshots=8, snapshot_horizon=120000),
    "basis_p47_d128": replace(_CHAPTER, task="basis", epochs=3000, n_snapshots=6, log_every=50),
}


def save_result(name: str, result: TrainingResult, *, extra_metadata: dict | None = None,
                overwrite: bool = False) -> None:
    """Write a run to ``RUN_DIR/<name>.pth`` with its config and final mean accuracies as metadata."""
    meta = {"run": name, "config": asdict(result.config),
            "final_train_acc": [round(float(a), 6) for a in result.log["train_acc"][-1]],
            "final_valid_acc": [round(float(a), 6) for a in result.log["valid_acc"][-1]],
            "moduli": list(result.moduli)}
    meta.update(extra_metadata or {})
    save_checkpoint(RUN_DIR / f"{name}.pth", result.payload(), meta, overwrite=overwrite)


def load_or_train(name: str, *, retrain: bool = False, device: str = "cpu") -> dict:
    """Load the committed run ``name`` (verifying its sha256), or retrain it when asked.

    Args:
        name: a key of :data:`RUNS`.
        retrain: train from scratch with the registered config and overwrite the checkpoint
            (minutes of CPU; never done silently).
        device: device for retraining.

    Returns:
        The payload: ``config`` (dict), ``log``, ``snapshots``, ``final_state``, ``moduli``.

    Raises:
        ValueError: for an unknown run name.
        CheckpointError: if the checkpoint is missing or its sha256 does not match.
    """
    if name not in RUNS:
        raise ValueError(f"unknown run {name!r}, please choose one of: {', '.join(sorted(RUNS))}")
    path = RUN_DIR / f"{name}.pth"
    if retrain:
        save_result(name, train(RUNS[name], device=device), overwrite=True)
    if not path.exists():
        config = RUNS[name]
        raise CheckpointError(
            f"checkpoint {path.name} is missing; train it with: python -m tinymech.miiii.train "
            f"--task {config.task} --p {config.p} --d {config.d} --epochs {config.epochs} --save {name} "
            "(or call load_or_train(name, retrain=True))")
    payload, _ = load_checkpoint(path)
    return payload


def model_from_payload(payload: dict) -> MiiiiTransformer:
    """Rebuild the final model of a loaded run (eval mode)."""
    config = TrainingConfig(**payload["config"])
    model = MiiiiTransformer(config.p, config.d, config.heads, tuple(int(q) for q in payload["moduli"]),
                             dropout=config.dropout)
    model.load_state_dict({k: v.float() for k, v in payload["final_state"].items()})
    return model.eval()


def with_epochs(config: TrainingConfig, epochs: int) -> TrainingConfig:
    """A copy of ``config`` with another number of epochs."""
    return replace(config, epochs=epochs)
