"""Checkpoint files with metadata and a verified sha256.

A checkpoint is two files side by side: ``NAME.pth`` (a ``torch.save``'d state dict, or any
``torch.save``-able object of tensors and plain Python values) and ``NAME.json`` (metadata, which
records the sha256 of the ``.pth`` bytes).  :func:`load_checkpoint` refuses a file whose bytes do
not hash to the recorded value, so a truncated or edited checkpoint never loads silently.

Checkpoints shipped with the package live under ``tinymech/checkpoints/`` (see
:data:`CHECKPOINT_DIR`).  Nothing here trains or overwrites anything unless asked.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import torch

CHECKPOINT_DIR = Path(__file__).resolve().parent / "checkpoints"


class CheckpointError(ValueError):
    """A checkpoint is missing, corrupted (sha256 mismatch) or has the wrong contents."""


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_checkpoint(path: str | Path, payload: Any, metadata: dict, *, overwrite: bool = False) -> Path:
    """Save ``payload`` with ``torch.save`` to ``path`` (``.pth``) and ``metadata`` plus its sha256 beside it.

    Args:
        path: destination ending in ``.pth``; the metadata goes to the same name with ``.json``.
        payload: a state dict or other ``torch.save``-able object.
        metadata: JSON-serialisable facts about the checkpoint (seed, training size, accuracy, ...).
            The keys ``sha256`` and ``torch_version`` are filled in here.
        overwrite: an existing file is only replaced when this is True.

    Returns:
        The path of the ``.pth`` file.

    Raises:
        CheckpointError: if ``path`` does not end in ``.pth`` or exists and ``overwrite`` is False.
    """
    path = Path(path)
    if path.suffix != ".pth":
        raise CheckpointError(f"checkpoint path must end in .pth, got {path.name!r}")
    if path.exists() and not overwrite:
        raise CheckpointError(f"{path} exists; pass overwrite=True to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(payload, path)
    meta = dict(metadata)
    meta["sha256"] = sha256_of(path)
    meta["torch_version"] = torch.__version__
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return path


def read_metadata(path: str | Path) -> dict:
    """Metadata stored beside a checkpoint ``NAME.pth`` in ``NAME.json``.

    Raises:
        CheckpointError: if the metadata file is missing or is not valid JSON.
    """
    meta_path = Path(path).with_suffix(".json")
    if not meta_path.exists():
        raise CheckpointError(f"no metadata file {meta_path} beside checkpoint {Path(path).name}")
    try:
        return json.loads(meta_path.read_text())
    except json.JSONDecodeError as error:
        raise CheckpointError(f"metadata {meta_path} is not valid JSON: {error}") from error


def load_checkpoint(path: str | Path, *, verify: bool = True) -> tuple[Any, dict]:
    """Load a checkpoint saved by :func:`save_checkpoint`, verifying its sha256 first.

    Args:
        path: the ``.pth`` file.
        verify: check the file's sha256 against the metadata (default True).

    Returns:
        ``(payload, metadata)``.

    Raises:
        CheckpointError: if the file is missing, its metadata is missing, or its sha256 differs
            from the recorded one (the message gives both).
    """
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"checkpoint {path} does not exist")
    metadata = read_metadata(path)
    if verify:
        expected = metadata.get("sha256")
        found = sha256_of(path)
        if expected != found:
            raise CheckpointError(
                f"checkpoint {path} is corrupted or was changed: sha256 expected {expected}, found {found}"
            )
    payload = torch.load(path, map_location="cpu", weights_only=True)
    return payload, metadata
