"""Named models and the one loader for them: committed checkpoints, handcrafted models, AlgZoo files.

AlgZoo's published weights live on a cloud bucket that cannot be reached from where this book is
built, so the trained models here (``m2_2``, ``m4_3``, ``m16_10``) were trained with AlgZoo's recipe
(:mod:`tinymech.training`) and committed with metadata and a sha256.  :func:`load_model` also reads an
official AlgZoo ``.pth`` state dict from a path, so every analysis runs unchanged on the official weights.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

from tinymech.architectures import ReLURNN
from tinymech.checkpoints import CHECKPOINT_DIR, CheckpointError, load_checkpoint, save_checkpoint
from tinymech.evaluation import sampled_accuracy
from tinymech.training import train

VALIDATION_SAMPLES = 2**24
VALIDATION_SEED = 2**31 - 1  # distinct from every training seed


@dataclass(frozen=True)
class ZooEntry:
    """A named model.

    Attributes:
        name: registry key, e.g. ``"m2_2"``.
        hidden_size: d.
        seq_len: n (also the number of logits).
        description: one line for ``tinymech list``.
        builder: ``"module:function"`` for handcrafted models (built on demand), None for trained ones.
        n_train: training sequences per seed for trained models.
        seeds: the seeds tried; the best on validation is kept.
        zoo_accuracy: the accuracy of AlgZoo's model of the same size (zoo chart), for comparison.
    """

    name: str
    hidden_size: int
    seq_len: int
    description: str
    builder: str | None = None
    n_train: int = 0
    seeds: tuple[int, ...] = field(default_factory=tuple)
    zoo_accuracy: float | None = None
    task: str = "2nd_argmax"

    @property
    def trained(self) -> bool:
        return self.builder is None


MODELS: dict[str, ZooEntry] = {
    entry.name: entry
    for entry in [
        ZooEntry("m2_2", 2, 2, "M2,2: 10 parameters, trained here", n_train=2**26, seeds=(0, 1, 2, 3),
                 zoo_accuracy=1 - 1 / 13_000),
        ZooEntry("m4_3", 4, 3, "M4,3: 32 parameters, trained here", n_train=2**26, seeds=(0, 1, 2, 3),
                 zoo_accuracy=0.985),
        ZooEntry("m16_10", 16, 10, "M16,10: 432 parameters, trained here", n_train=2**30, seeds=(0, 1, 2, 3, 4),
                 zoo_accuracy=0.948),
        ZooEntry("handcrafted_2", 2, 2, "handcrafted M2,2 (ARC), exactly 100%",
                 builder="tinymech.handcrafted:handcrafted_2"),
        ZooEntry("handcrafted_3", 4, 3, "handcrafted M4,3 (ARC), lambda = 100, ~99.99%",
                 builder="tinymech.handcrafted:handcrafted_3"),
        ZooEntry("handcrafted_10", 22, 10, "handcrafted 22-neuron leave-one-out-maximum model (ARC), ~99%",
                 builder="tinymech.leave_one_out:handcrafted_10"),
    ]
}


def get_entry(name: str) -> ZooEntry:
    """The registry entry of a named model.

    Raises:
        ValueError: for an unknown name; the message lists the known ones.
    """
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"no model named {name!r}; choose one of: {', '.join(MODELS)} "
                         "(or give the path of a .pth file)") from None


def checkpoint_path(name: str) -> Path:
    """Where the committed checkpoint of a trained named model lives (``.pth``; metadata in ``.json``)."""
    entry = get_entry(name)
    if not entry.trained:
        raise ValueError(f"{name!r} is handcrafted and has no checkpoint")
    return CHECKPOINT_DIR / "rnn" / f"{name}.pth"


def load_model(name_or_path: str | os.PathLike, *, retrain: bool = False, progress: bool = True) -> ReLURNN:
    """Load a named model or an AlgZoo-format ``.pth`` file.

    Args:
        name_or_path: a key of :data:`MODELS`, or the path of a ``.pth`` file.  A file with a
            ``.json`` beside it (written by :func:`tinymech.checkpoints.save_checkpoint`) has its sha256
            verified; a bare AlgZoo state dict (official ``2nd_argmax_{d}_{n}_{n_seqs}_{seed}.pth``) is
            checked for AlgZoo's keys and shapes.
        retrain: for a trained named model, train it again with its recorded recipe (best of seeds,
            progress bar) instead of loading the committed checkpoint; nothing is written.  Use
            :func:`train_named_model` to write a checkpoint.
        progress: show progress bars when retraining.

    Returns:
        A float32 :class:`ReLURNN` in eval mode.

    Raises:
        ValueError: unknown name, or a state dict with missing keys or wrong shapes.
        CheckpointError: a missing file or a sha256 mismatch.
    """
    text = os.fspath(name_or_path)
    if text in MODELS:
        entry = MODELS[text]
        if entry.builder is not None:
            module_name, function_name = entry.builder.split(":")
            builder: Callable[[], ReLURNN] = getattr(importlib.import_module(module_name), function_name)
            return builder().eval()
        if retrain:
            return best_of_seeds(entry, progress=progress)[0].eval()
        state_dict, _ = load_checkpoint(checkpoint_path(text))
        return ReLURNN.from_state_dict(state_dict).eval()
    path = Path(text)
    if path.suffix != ".pth":
        get_entry(text)  # raises the "no model named" error listing the known names
    if not path.exists():
        raise CheckpointError(f"no checkpoint file at {path}")
    if path.with_suffix(".json").exists():
        state_dict, _ = load_checkpoint(path)
    else:
        try:
            state_dict = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as error:  # torch raises several types for unreadable files
            raise CheckpointError(f"{path} is not a readable torch state dict: {error}") from error
    if not isinstance(state_dict, dict):
        raise ValueError(f"{path} holds a {type(state_dict).__name__}, expected an AlgZoo state dict")
    return ReLURNN.from_state_dict(state_dict).eval()


def model_metadata(name: str) -> dict:
    """Metadata of a committed trained model (seed, n_train, validation accuracy, ...), sha256 verified."""
    return load_checkpoint(checkpoint_path(name))[1]


def best_of_seeds(entry: ZooEntry, *, seeds=None, n_train: int | None = None,
                  progress: bool = True) -> tuple[ReLURNN, dict]:
    """Train ``entry`` once per seed and keep the most accurate on 2**24 fresh validation sequences.

    Returns:
        ``(model, metadata)`` where metadata records every seed's validation accuracy, the chosen seed,
        its validation accuracy and standard error, the training curve and the recipe.
    """
    seeds = tuple(entry.seeds if seeds is None else seeds)
    n_train = n_train or entry.n_train
    results = {}
    best = None
    for seed in seeds:
        result = train(entry.hidden_size, entry.seq_len, task=entry.task, seed=seed, n_train=n_train,
                       progress=progress)
        validation = sampled_accuracy(result.model, VALIDATION_SAMPLES, task=entry.task, seed=VALIDATION_SEED)
        results[seed] = validation.accuracy
        if best is None or validation.accuracy > best[1].accuracy:
            best = (result, validation)
    result, validation = best
    metadata = {
        "name": entry.name,
        "task": entry.task,
        "hidden_size": entry.hidden_size,
        "seq_len": entry.seq_len,
        "seed": result.seed,
        "seeds_tried": {str(s): a for s, a in results.items()},
        "n_train": result.n_train,
        "recipe": "AlgZoo: AdamW lr 0.04/sqrt(d), wd 1e-3, batch 1024, warm-up min(2^14, steps/64), "
                  "exponential decay to 0.01 at half the run",
        "validation_accuracy": validation.accuracy,
        "validation_standard_error": validation.standard_error,
        "validation_samples": validation.samples,
        "validation_seed": VALIDATION_SEED,
        "training_seconds_per_seed": result.seconds,
        "curve": result.curve,
    }
    return result.model, metadata


def _writable_output(name: str, output, overwrite: bool) -> Path:
    """Where a named model's checkpoint will be written; refused before any work if it exists."""
    output = Path(output) if output is not None else checkpoint_path(name)
    if output.exists() and not overwrite:
        raise CheckpointError(f"{output} exists; pass overwrite=True (CLI: --overwrite) to replace it")
    return output


def train_named_model(name: str, *, seeds=None, n_train: int | None = None, output: Path | None = None,
                      overwrite: bool = False, progress: bool = True) -> Path:
    """Train a named model (best of seeds) and write its checkpoint with metadata.

    Args:
        name: a trained entry of :data:`MODELS`.
        seeds, n_train: override the entry's recipe.
        output: where to write (default: the committed checkpoint location).
        overwrite: replace an existing file (refused otherwise).

    Raises:
        ValueError: for a handcrafted or unknown name.
        CheckpointError: if the output exists and ``overwrite`` is False.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise ValueError(f"{name!r} is handcrafted; nothing to train")
    output = _writable_output(name, output, overwrite)
    model, metadata = best_of_seeds(entry, seeds=seeds, n_train=n_train, progress=progress)
    return save_checkpoint(output, model.state_dict(), metadata, overwrite=overwrite)


def merge_seed_checkpoints(name: str, paths, *, output: Path | None = None, overwrite: bool = False,
                           earlier: dict | None = None) -> Path:
    """Keep the best of single-seed checkpoints of one named model, as :func:`best_of_seeds` would.

    Seeds can be trained one per core (``tinymech train NAME --seed S --output FILE``) and merged
    afterwards; the result is the checkpoint ``best_of_seeds`` would have written for those seeds
    (same selection rule: the highest accuracy on the 2**24 validation sequences), with every seed's
    accuracy in ``seeds_tried``.

    Args:
        name: a trained entry of :data:`MODELS`.
        paths: single-seed ``.pth`` files written by :func:`train_named_model` (sha256 verified).
        output: where to write (default: the committed checkpoint location).
        overwrite: replace an existing file (refused otherwise).
        earlier: optional record of earlier attempts (e.g. a pilot at fewer sequences), stored
            under ``earlier_attempts`` in the metadata.

    Raises:
        ValueError: for an unknown or handcrafted name, no files, files of another model, task or
            training size, a file holding more than one seed, or a seed given twice.
        CheckpointError: for a missing or corrupted file, or an existing output without ``overwrite``.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise ValueError(f"{name!r} is handcrafted; nothing to merge")
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no checkpoints to merge")
    output = _writable_output(name, output, overwrite)
    loaded = [load_checkpoint(path) for path in paths]
    for path, (_, meta) in zip(paths, loaded):
        found = (meta.get("name"), meta.get("task"), meta.get("hidden_size"), meta.get("seq_len"))
        expected = (entry.name, entry.task, entry.hidden_size, entry.seq_len)
        if found != expected:
            raise ValueError(f"{path.name} is a checkpoint of {found}, expected {expected}")
        if len(meta.get("seeds_tried", {})) != 1:
            raise ValueError(f"{path.name} holds seeds {sorted(meta.get('seeds_tried', {}))}, expected exactly one")
    sizes = {meta["n_train"] for _, meta in loaded}
    if len(sizes) != 1:
        raise ValueError(f"checkpoints trained on different numbers of sequences: {sorted(sizes)}")
    seeds = [meta["seed"] for _, meta in loaded]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"a seed is given more than once: {sorted(seeds)}")
    state_dict, best = max(loaded, key=lambda item: item[1]["validation_accuracy"])
    metadata = {k: v for k, v in best.items() if k not in ("sha256", "torch_version")}
    metadata["seeds_tried"] = {str(meta["seed"]): meta["validation_accuracy"]
                               for _, meta in sorted(loaded, key=lambda item: item[1]["seed"])}
    metadata["merged_from"] = [path.name for path in paths]
    if earlier is not None:
        metadata["earlier_attempts"] = earlier
    return save_checkpoint(output, state_dict, metadata, overwrite=overwrite)
