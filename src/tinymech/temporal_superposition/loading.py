"""The one loader of the chapter: committed results, or a fresh training run when asked."""

from __future__ import annotations

from pathlib import Path

from ..checkpoints import CHECKPOINT_DIR, CheckpointError, load_checkpoint, save_checkpoint
from .experiments import config, execute_run

RESULTS_DIR = CHECKPOINT_DIR / "temporal_superposition"


def checkpoint_path(name: str) -> Path:
    """Path of run ``name``'s checkpoint (``.pth``); raises ValueError for an unknown run."""
    config(name)
    return RESULTS_DIR / f"{name}.pth"


def load_or_train(name: str, *, retrain: bool = False, progress: bool = False) -> tuple[dict, dict]:
    """Load run ``name`` (see :mod:`.experiments`), or train it and overwrite the checkpoint if ``retrain``.

    Returns:
        ``(payload, metadata)`` as written by :func:`.experiments.execute_run`.

    Raises:
        ValueError: for an unknown run name.
        CheckpointError: if the checkpoint is missing or its sha256 does not match (never retrains
            silently; run ``python -m tinymech.temporal_superposition.train NAME``).
    """
    path = checkpoint_path(name)
    if retrain:
        payload, metadata = execute_run(name, progress=progress)
        save_checkpoint(path, payload, metadata, overwrite=True)
        return load_checkpoint(path)
    if not path.exists():
        raise CheckpointError(f"no checkpoint for run {name!r} at {path.name}; train it with "
                              f"`python -m tinymech.temporal_superposition.train {name}`")
    return load_checkpoint(path)
