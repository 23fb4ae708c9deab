"""Named models and the one loader for them: committed models, handcrafted models, AlgZoo files.

AlgZoo's published weights live on a cloud bucket that cannot be reached from where this book is
built, so the trained models here (``m2_2``, ``m4_3``, ``m16_10``) were trained with AlgZoo's recipe
(:mod:`tinymech.algzoo.training`) and committed as registered results ``rnn/<name>``
(:mod:`tinymech.registry`).  :func:`load_model` also reads an official AlgZoo ``.pth`` state dict from a
path, so every analysis runs unchanged on the official weights.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.training import train
from tinymech.errors import InvalidInputError
from tinymech.store import check_output, load_result, save_result

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
        handcrafted: built on demand by :func:`tinymech.algzoo.handcrafted.handcrafted_2nd_argmax`
            instead of loaded from a committed result.
        n_train: training sequences per seed for trained models.
        seeds: the seeds tried; the best on validation is kept.
        zoo_accuracy: the accuracy of AlgZoo's model of the same size (zoo chart), for comparison.
    """

    name: str
    hidden_size: int
    seq_len: int
    description: str
    handcrafted: bool = False
    n_train: int = 0
    seeds: tuple[int, ...] = field(default_factory=tuple)
    zoo_accuracy: float | None = None
    task: str = "2nd_argmax"

    @property
    def trained(self) -> bool:
        return not self.handcrafted

    @property
    def result_name(self) -> str:
        """The registered result holding a trained model's weights (``rnn/<name>``)."""
        if self.handcrafted:
            raise InvalidInputError(f"{self.name!r} is handcrafted and has no stored result")
        return f"rnn/{self.name}"


MODELS: dict[str, ZooEntry] = {
    entry.name: entry
    for entry in [
        ZooEntry(
            "m2_2",
            2,
            2,
            "M2,2: 10 parameters, trained here",
            n_train=2**26,
            seeds=(0, 1, 2, 3),
            zoo_accuracy=1 - 1 / 13_000,
        ),
        ZooEntry(
            "m4_3",
            4,
            3,
            "M4,3: 32 parameters, trained here",
            n_train=2**26,
            seeds=(0, 1, 2, 3),
            zoo_accuracy=0.985,
        ),
        ZooEntry(
            "m16_10",
            16,
            10,
            "M16,10: 432 parameters, trained here",
            n_train=2**30,
            seeds=(0, 1, 2, 3, 4),
            zoo_accuracy=0.948,
        ),
        ZooEntry(
            "handcrafted_2", 2, 2, "handcrafted M2,2 (ARC), exactly 100%", handcrafted=True
        ),
        ZooEntry(
            "handcrafted_3",
            4,
            3,
            "handcrafted M4,3 (ARC), lambda = 100, ~99.99%",
            handcrafted=True,
        ),
        ZooEntry(
            "handcrafted_10",
            22,
            10,
            "handcrafted 22-neuron leave-one-out-maximum model (ARC), ~99%",
            handcrafted=True,
        ),
    ]
}


def get_entry(name: str) -> ZooEntry:
    """The registry entry of a named model.

    Raises:
        InvalidInputError: for an unknown name; the message lists the known ones.
    """
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"no model named {name!r}; choose one of: {', '.join(MODELS)} "
            "(or give the path of a .pth file)"
        ) from None


def load_model(
    name_or_path: str | os.PathLike, *, retrain: bool = False, progress: bool = True
) -> ReLURNN:
    """Load a named model or an AlgZoo-format ``.pth`` file.

    Args:
        name_or_path: a key of :data:`MODELS`, or the path of a ``.pth`` file.  A file given by path is
            read as a foreign file (:func:`tinymech.store.load_foreign_state_dict`): a record of ours
            beside it is verified, anything else beside it is ignored; the state dict must have
            AlgZoo's keys and shapes and finite weights.
        retrain: for a trained named model, train it again with its recorded recipe (best of seeds,
            progress bar) instead of loading it; nothing is written (``tinymech run rnn/NAME`` writes).
        progress: show progress bars when retraining.

    Returns:
        A float32 :class:`ReLURNN` in eval mode (its weights perturbed at rounding scale in the
        perturbation run, ``TINYMECH_PERTURB=1``: :mod:`tinymech.perturb`).

    Raises:
        InvalidInputError: unknown name, or a state dict with missing keys, wrong shapes or non-finite values.
        ResultError: a missing, unreadable or corrupted file, or a committed model whose record does not match.
    """
    from tinymech.registry import load
    from tinymech.store import load_foreign_state_dict

    text = os.fspath(name_or_path)
    if text in MODELS:
        entry = MODELS[text]
        if entry.handcrafted:
            from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax

            return handcrafted_2nd_argmax(entry.seq_len).eval()
        state_dict, _ = load(entry.result_name, recompute=retrain, progress=progress)
        return ReLURNN.from_state_dict(state_dict).eval()
    path = Path(text)
    if path.suffix != ".pth":
        get_entry(text)  # raises the "no model named" error listing the known names
    from tinymech.perturb import perturb

    state_dict, _ = load_foreign_state_dict(path)
    state_dict = perturb(
        state_dict, path.name
    )  # unchanged unless TINYMECH_PERTURB=1 (tinymech.perturb)
    if not isinstance(state_dict, dict):
        raise InvalidInputError(
            f"{path} holds a {type(state_dict).__name__}, expected an AlgZoo state dict"
        )
    return ReLURNN.from_state_dict(state_dict).eval()


def model_metadata(name: str) -> dict:
    """The verified record of a committed trained model (seed, n_train, validation accuracy, ...)."""
    from tinymech.registry import verified_record

    return verified_record(get_entry(name).result_name)


def compute_model(
    name: str,
    *,
    seeds=None,
    n_train: int | None = None,
    progress: bool = True,
    device: str = "cpu",
) -> tuple[dict, dict]:
    """Train a named model (best of seeds) and return ``(state_dict, metadata)``; nothing is written.

    This is how the registry recomputes ``rnn/<name>`` (and the single-seed ``rnn/m16_10_seed*`` results).
    On another device than the CPU (:mod:`tinymech.devices`) the metadata records it.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise InvalidInputError(f"{name!r} is handcrafted; nothing to train")
    model, metadata = best_of_seeds(
        entry, seeds=seeds, n_train=n_train, progress=progress, device=device
    )
    if device != "cpu":
        metadata["device"] = str(device)
    return model.state_dict(), metadata


def best_of_seeds(
    entry: ZooEntry,
    *,
    seeds=None,
    n_train: int | None = None,
    progress: bool = True,
    device: str = "cpu",
) -> tuple[ReLURNN, dict]:
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
        result = train(
            entry.hidden_size,
            entry.seq_len,
            task=entry.task,
            seed=seed,
            n_train=n_train,
            progress=progress,
            device=device,
        )
        validation = sampled_accuracy(
            result.model,
            VALIDATION_SAMPLES,
            task=entry.task,
            seed=VALIDATION_SEED,
            device=device,
        )
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


def train_named_model(
    name: str,
    *,
    output: str | Path,
    seeds=None,
    n_train: int | None = None,
    overwrite: bool = False,
    progress: bool = True,
    device: str = "cpu",
) -> Path:
    """Train a named model (best of ``seeds``) and write it with its record to ``output``.

    The output is checked before training starts.  To replace a committed model use
    ``tinymech run rnn/NAME --overwrite`` (the registry's rule) instead.

    Args:
        name: a trained entry of :data:`MODELS`.
        output: a ``.pth`` path.
        seeds, n_train: override the entry's recipe.
        overwrite: replace an existing file (refused otherwise).
        device: ``"cpu"`` or ``"cuda"`` (:mod:`tinymech.devices`).

    Raises:
        InvalidInputError: for a handcrafted or unknown name, or an unavailable device.
        ResultError: if the output exists and ``overwrite`` is False, or cannot be written.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise InvalidInputError(f"{name!r} is handcrafted; nothing to train")
    from tinymech.devices import resolve_device

    resolve_device(device)
    output = check_output(output, overwrite=overwrite)
    state_dict, metadata = compute_model(
        name, seeds=seeds, n_train=n_train, progress=progress, device=device
    )
    return save_result(output, state_dict, metadata, overwrite=overwrite)


def merge_seed_checkpoints(
    name: str,
    paths,
    *,
    output: str | Path,
    overwrite: bool = False,
    earlier: dict | None = None,
) -> Path:
    """Keep the best of single-seed results of one named model, as :func:`best_of_seeds` would.

    Seeds can be trained one per core (``tinymech train NAME --seed S --output FILE``) and merged
    afterwards; the result is what ``best_of_seeds`` would have written for those seeds (same selection
    rule: the highest accuracy on the 2**24 validation sequences), with every seed's accuracy in
    ``seeds_tried``.

    Args:
        name: a trained entry of :data:`MODELS`.
        paths: single-seed ``.pth`` files written by :func:`train_named_model` (records verified).
        output: where to write (a ``.pth`` path; checked before anything is read).
        overwrite: replace an existing file (refused otherwise).
        earlier: optional record of earlier attempts (e.g. a pilot at fewer sequences), stored
            under ``earlier_attempts`` in the record.

    Raises:
        InvalidInputError: for an unknown or handcrafted name, no files, files of another model, task or
            training size, a file holding more than one seed, or a seed given twice.
        ResultError: for a missing or corrupted file or record, or an existing output without ``overwrite``.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise InvalidInputError(f"{name!r} is handcrafted; nothing to merge")
    paths = [Path(p) for p in paths]
    if not paths:
        raise InvalidInputError("no files to merge: give the single-seed .pth files")
    output = check_output(output, overwrite=overwrite)
    loaded = [load_result(path) for path in paths]
    required = (
        "name",
        "task",
        "hidden_size",
        "seq_len",
        "seed",
        "seeds_tried",
        "n_train",
        "validation_accuracy",
    )
    for path, (_, meta) in zip(paths, loaded):
        missing = [key for key in required if key not in meta]
        if missing:
            raise InvalidInputError(
                f"{path.name} is not a trained-model result: its record lacks {missing}"
            )
        found = (meta["name"], meta["task"], meta["hidden_size"], meta["seq_len"])
        expected = (entry.name, entry.task, entry.hidden_size, entry.seq_len)
        if found != expected:
            raise InvalidInputError(f"{path.name} holds a model {found}, expected {expected}")
        if len(meta["seeds_tried"]) != 1:
            raise InvalidInputError(
                f"{path.name} holds seeds {sorted(meta['seeds_tried'])}, expected exactly one"
            )
    sizes = {meta["n_train"] for _, meta in loaded}
    if len(sizes) != 1:
        raise InvalidInputError(
            f"files trained on different numbers of sequences: {sorted(sizes)}"
        )
    seeds = [meta["seed"] for _, meta in loaded]
    if len(set(seeds)) != len(seeds):
        raise InvalidInputError(f"a seed is given more than once: {sorted(seeds)}")
    state_dict, best = max(loaded, key=lambda item: item[1]["validation_accuracy"])
    metadata = {
        k: v
        for k, v in best.items()
        if k not in ("format", "payload_sha256", "checksum", "torch_version")
    }
    metadata["seeds_tried"] = {
        str(meta["seed"]): meta["validation_accuracy"]
        for _, meta in sorted(loaded, key=lambda item: item[1]["seed"])
    }
    metadata["merged_from"] = [path.name for path in paths]
    if earlier is not None:
        metadata["earlier_attempts"] = earlier
    return save_result(output, state_dict, metadata, overwrite=overwrite)
