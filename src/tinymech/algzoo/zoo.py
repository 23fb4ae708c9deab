"""Named models and the one loader for them: committed models, handcrafted models, AlgZoo files.

AlgZoo's published weights live on a cloud bucket that cannot be reached from where this book is
built, so the trained models here (``m2_2``, ``m4_3``, ``m16_10``) were trained with AlgZoo's recipe
(:mod:`tinymech.algzoo.training`) and committed as registered results ``rnn/<name>``
(:data:`RESULTS`, gathered by :mod:`tinymech.catalog`).  :func:`load_model` also reads an official AlgZoo ``.pth`` state dict from a
path, so every analysis runs unchanged on the official weights.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import torch

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import SampledAccuracy
from tinymech.algzoo.tasks import get_task
from tinymech.algzoo.training import train
from tinymech.errors import InvalidInputError
from tinymech.registry import Entry, table
from tinymech.registry import load as load_result_entry
from tinymech import store
from tinymech.store import check_output, load_result, save_result

VALIDATION_SAMPLES = 2**24
VALIDATION_SEED = 2**31 - 1  # distinct from every training seed
#: Sequences per forward pass of :func:`validation_accuracy` (part of the method: it sets the stream's batches).
VALIDATION_BATCH = 2**18
#: How the ``validation_accuracy`` and ``seeds_tried`` figures of the trained-model records are computed
#: (:func:`validation_accuracy`); recorded as ``validation_method`` in new records.  Records without that
#: field (every committed one) were computed by this method, which reproduces them from the committed weights
#: (tests/test_validation_records.py).
VALIDATION_METHOD = (
    "torch.randn with torch.Generator().manual_seed(validation_seed), batches of 2**18 float32 "
    "sequences, prediction torch.argmax of the logits"
)


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


def validation_accuracy(
    model: ReLURNN, *, task: str = "2nd_argmax", samples: int = VALIDATION_SAMPLES
) -> SampledAccuracy:
    """The validation accuracy of a trained model, by :data:`VALIDATION_METHOD`: the figure its record holds.

    This is the method the committed records were computed with (before sampling moved to
    :func:`tinymech.algzoo.evaluation.sampled_accuracy`'s machine-independent stream and tie rule), kept so
    that retraining reproduces them: ``torch.randn`` with a generator seeded with :data:`VALIDATION_SEED`,
    :data:`VALIDATION_BATCH` float32 sequences at a time, the prediction the logits' ``argmax``.
    ``torch.randn``'s kernels differ between CPUs in the last bits, which moves the count of correct
    predictions by a few of the 2**24 (about 1/50 of a standard error) on other machines; the book judges
    the trained models with :func:`~tinymech.algzoo.evaluation.sampled_accuracy`, not with this figure.

    Args:
        model: a float32 M_{d,n} (not changed).
        task: the target (see :mod:`tinymech.algzoo.tasks`).
        samples: number of sequences.

    Raises:
        InvalidInputError: a model that is not a float32 :class:`ReLURNN`, or a length below 2.
    """
    if not isinstance(model, ReLURNN) or model.linear.weight.dtype != torch.float32:
        raise InvalidInputError("validation_accuracy takes a float32 ReLURNN")
    if model.output_size < 2:
        raise InvalidInputError(
            f"a model with {model.output_size} logit has no second-largest input to find"
        )
    target_of = get_task(task)
    generator = torch.Generator().manual_seed(VALIDATION_SEED)
    correct, remaining = 0, samples
    with torch.no_grad():
        while remaining > 0:
            size = min(VALIDATION_BATCH, remaining)
            x = torch.randn(size, model.output_size, generator=generator, dtype=torch.float32)
            correct += int((model(x).argmax(-1) == target_of(x)).sum())
            remaining -= size
    accuracy = correct / samples
    return SampledAccuracy(
        accuracy, math.sqrt(accuracy * (1 - accuracy) / samples), int(samples), correct
    )


def check_model_record(record: dict, where: str, *, entry: ZooEntry | None = None) -> None:
    """Check the fields and types of a trained model's record (and, with ``entry``, that it is that model).

    Fields: ``name``, ``task`` (strings), ``hidden_size``, ``seq_len``, ``n_train`` (positive integers),
    ``seed`` (a non-negative integer), ``seeds_tried`` (seed -> accuracy, the kept seed among them, its
    accuracy the validation accuracy), ``validation_accuracy`` (a number in [0, 1]).

    Raises:
        InvalidInputError: a missing field or a value of the wrong type or range (the message names it and
            ``where``), or a record of another model than ``entry``.
    """

    def is_int(value, low):
        return isinstance(value, int) and not isinstance(value, bool) and value >= low

    def is_accuracy(value):
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 <= value <= 1
        )

    checks = {
        "name": (lambda v: isinstance(v, str), "a string"),
        "task": (lambda v: isinstance(v, str), "a string"),
        "hidden_size": (lambda v: is_int(v, 1), "a positive integer"),
        "seq_len": (lambda v: is_int(v, 1), "a positive integer"),
        "n_train": (lambda v: is_int(v, 1), "a positive integer"),
        "seed": (lambda v: is_int(v, 0), "a non-negative integer"),
        "validation_accuracy": (is_accuracy, "a number in [0, 1]"),
        "seeds_tried": (
            lambda v: (
                isinstance(v, dict)
                and v
                and all(isinstance(k, str) and is_accuracy(a) for k, a in v.items())
            ),
            "a non-empty object of seed -> accuracy in [0, 1]",
        ),
    }
    missing = [key for key in checks if key not in record]
    if missing:
        raise InvalidInputError(
            f"{where} is not a trained-model result: its record lacks {missing}"
        )
    for key, (test, expected) in checks.items():
        if not test(record[key]):
            raise InvalidInputError(
                f"{where}: record field {key} must be {expected}, got {record[key]!r}"
            )
    kept = record["seeds_tried"].get(str(record["seed"]))
    if kept != record["validation_accuracy"]:
        raise InvalidInputError(
            f"{where}: the kept seed {record['seed']} has accuracy {kept!r} in seeds_tried, but the "
            f"record's validation accuracy is {record['validation_accuracy']!r}"
        )
    if entry is not None:
        found = (record["name"], record["task"], record["hidden_size"], record["seq_len"])
        expected = (entry.name, entry.task, entry.hidden_size, entry.seq_len)
        if found != expected:
            raise InvalidInputError(
                f"{where} holds a model (name, task, hidden size, length) {found}, expected {expected}"
            )


def check_model_payload(state_dict, record: dict, where: str) -> ReLURNN:
    """Check that a stored state dict is the architecture its record names; returns the model.

    Raises:
        InvalidInputError: weights that are not an AlgZoo state dict, or whose hidden size or length differs
            from the record's ``hidden_size`` and ``seq_len``.
    """
    try:
        model = ReLURNN.from_state_dict(state_dict)
    except InvalidInputError as error:
        raise InvalidInputError(f"{where}: {error}") from None
    found = (model.hidden_size, model.output_size)
    named = (record.get("hidden_size"), record.get("seq_len"))
    if found != named:
        raise InvalidInputError(
            f"{where}: its weights are an M{found[0]},{found[1]} (hidden size {found[0]}, length "
            f"{found[1]}) but its record names hidden size {named[0]} and length {named[1]}"
        )
    return model


def check_stored_model(entry, payload, record: dict) -> None:
    """The registry's check of a stored trained model (``verify`` of its entry): the record's fields and
    types, the model it names against the entry's (``entry.arguments["name"]``), and the weights against
    the record.

    Raises:
        InvalidInputError: see :func:`check_model_record` and :func:`check_model_payload`.
    """
    check_model_record(record, entry.name, entry=get_entry(entry.arguments["name"]))
    check_model_payload(payload, record, entry.name)


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
    from tinymech.store import load_foreign_state_dict

    if not isinstance(name_or_path, (str, os.PathLike)) or not isinstance(
        os.fspath(name_or_path), str
    ):
        raise InvalidInputError(
            f"expected a model name or the path of a .pth file, got {type(name_or_path).__name__}"
        )
    text = os.fspath(name_or_path)
    variable = _environment_variable_holding(text)
    if variable is not None and (text in MODELS or Path(text).suffix != ".pth"):
        raise InvalidInputError(
            f"{variable} must be the path of a .pth file (an official AlgZoo state dict), got "
            f"{text!r}; unset it to use the model trained here"
        )
    if text in MODELS:
        entry = MODELS[text]
        if entry.handcrafted:
            from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax

            return handcrafted_2nd_argmax(entry.seq_len).eval()
        state_dict, _ = load_result_entry(
            RESULTS[entry.result_name], recompute=retrain, progress=progress
        )
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
    converted = sorted(
        {
            str(value.dtype).removeprefix("torch.")
            for value in state_dict.values()
            if isinstance(value, torch.Tensor)
            and value.is_floating_point()
            and value.dtype != torch.float32
        }
    )
    model = ReLURNN.from_state_dict(state_dict).eval()
    if converted:
        warnings.warn(
            f"{path.name}: weights stored in {', '.join(converted)} were converted to float32 "
            "(every analysis here runs the model in float32)",
            stacklevel=2,
        )
    _check_named_architecture(path, model, variable)
    return model


#: AlgZoo's file names: ``<task>_<hidden size>_<length>_<training sequences>_<seed>.pth``.
_ALGZOO_NAME = re.compile(r"^(?P<task>2nd_argmax|argmax)_(?P<d>\d+)_(?P<n>\d+)(?:_\d+)*\.pth$")


def _environment_variable_holding(text: str) -> str | None:
    """The ``TINYMECH_<MODEL>_PATH`` variable (e.g. ``TINYMECH_M2_2_PATH``) whose value is ``text``."""
    for name in MODELS:
        variable = f"TINYMECH_{name.upper()}_PATH"
        if os.environ.get(variable) == text:
            return variable
    return None


def _check_named_architecture(path: Path, model: ReLURNN, variable: str | None) -> None:
    """Refuse a file whose AlgZoo-style name, or the ``TINYMECH_<MODEL>_PATH`` variable naming it, says
    another size than the weights it holds."""
    found = (model.hidden_size, model.output_size)
    if variable is not None:
        entry = MODELS[variable.removeprefix("TINYMECH_").removesuffix("_PATH").lower()]
        if found != (entry.hidden_size, entry.seq_len):
            raise InvalidInputError(
                f"{variable} names {path.name}, which holds an M{found[0]},{found[1]}; expected an "
                f"M{entry.hidden_size},{entry.seq_len} (hidden size {entry.hidden_size}, length "
                f"{entry.seq_len})"
            )
    match = _ALGZOO_NAME.match(path.name)
    if match and (int(match["d"]), int(match["n"])) != found:
        raise InvalidInputError(
            f"{path.name}: its name says hidden size {match['d']} and length {match['n']}, but it "
            f"holds an M{found[0]},{found[1]}; rename it if the name is wrong"
        )


def model_metadata(name: str) -> dict:
    """The verified record of a committed trained model (seed, n_train, validation accuracy, ...)."""
    return load_result_entry(RESULTS[get_entry(name).result_name])[1]


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
    """Train ``entry`` once per seed and keep the most accurate on 2**24 fresh validation sequences
    (:func:`validation_accuracy`).

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
        validation = validation_accuracy(result.model, task=entry.task)
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
        "validation_method": VALIDATION_METHOD,
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
    output: str | Path | None = None,
    overwrite: bool = False,
    earlier: dict | None = None,
    install: bool = False,
) -> Path:
    """Keep the best of single-seed results of one named model, as :func:`best_of_seeds` would.

    Seeds can be trained one per core (``tinymech train NAME --seed S --output FILE``) and merged
    afterwards; the result is what ``best_of_seeds`` would have written for those seeds (same selection
    rule: the highest accuracy on the 2**24 validation sequences), with every seed's accuracy in
    ``seeds_tried``.  Every file's record is checked (:func:`check_model_record`) and its weights against
    its record (:func:`check_model_payload`) before anything is written.

    Args:
        name: a trained entry of :data:`MODELS`.
        paths: single-seed ``.pth`` files written by :func:`train_named_model` (records verified).
        output: where to write (a ``.pth`` path; checked before anything is read).
        overwrite: replace an existing file (refused otherwise).
        earlier: optional record of earlier attempts (e.g. a pilot at fewer sequences), stored
            under ``earlier_attempts`` in the record.
        install: instead of ``output``, replace the committed result ``rnn/<name>`` (what
            ``tinymech merge NAME FILE... --install`` does); the committed record's ``earlier_attempts``
            (M16,10's pilot, which its chapter reads) is carried over unless ``earlier`` is given.  The
            results computed from it must then be recomputed (the registry refuses them until they are).

    Raises:
        InvalidInputError: for an unknown or handcrafted name, no files, files of another model, task or
            training size, a record with missing fields or wrong types, weights of another size than
            their record names, a file holding more than one seed, a seed given twice, or both or
            neither of ``output`` and ``install``.
        ResultError: for a missing or corrupted file or record, or an existing output without ``overwrite``.
    """
    entry = get_entry(name)
    if not entry.trained:
        raise InvalidInputError(f"{name!r} is handcrafted; nothing to merge")
    if (output is None) == (not install):
        raise InvalidInputError(
            "give exactly one of output= (a new .pth file) and install=True"
        )
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        paths = [store.as_path(p, "a file to merge") for p in paths]
    except TypeError:
        raise InvalidInputError(
            f"paths must be a list of .pth files, got {type(paths).__name__}"
        ) from None
    if not paths:
        raise InvalidInputError("no files to merge: give the single-seed .pth files")
    if earlier is not None and not isinstance(earlier, dict):
        raise InvalidInputError(f"earlier must be a dict, got {type(earlier).__name__}")
    if install:
        committed = RESULTS[entry.result_name].path
        output = check_output(committed, overwrite=True)
        overwrite = True
        if earlier is None and committed.exists():
            earlier = model_metadata(name).get("earlier_attempts")
    else:
        output = check_output(output, overwrite=overwrite)
    if output in [p.expanduser().absolute() for p in paths]:
        raise InvalidInputError(f"the output {output.name} is one of the files to merge")
    loaded = [load_result(path) for path in paths]
    for path, (state_dict, meta) in zip(paths, loaded):
        check_model_record(meta, path.name, entry=entry)
        check_model_payload(state_dict, meta, path.name)
        if len(meta["seeds_tried"]) != 1:
            raise InvalidInputError(
                f"{path.name} holds seeds {sorted(meta['seeds_tried'])}, expected exactly one"
            )
    sizes = {meta["n_train"] for _, meta in loaded}
    if len(sizes) != 1:
        raise InvalidInputError(
            f"files trained on different numbers of sequences: {sorted(sizes)}"
        )
    validations = {
        (
            meta.get("validation_method", VALIDATION_METHOD),
            meta.get("validation_samples"),
            meta.get("validation_seed"),
        )
        for _, meta in loaded
    }
    if len(validations) != 1:
        raise InvalidInputError(
            "files validated differently (method, samples, seed): "
            f"{sorted(validations, key=str)}; their accuracies cannot be compared"
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
    if install:
        metadata["result"] = entry.result_name
    else:
        metadata.pop("result", None)
    if earlier is not None:
        metadata["earlier_attempts"] = earlier
    return save_result(output, state_dict, metadata, overwrite=overwrite)


#: The chapter that reads each trained model, and rough single-core minutes to retrain it.
_MODEL_CHAPTERS = {"m2_2": "m2_2_regions", "m4_3": "m4_3_symmetries", "m16_10": "m16_10"}
_MODEL_MINUTES = {"m2_2": 4, "m4_3": 6, "m16_10": 175}

#: The committed trained models (``rnn/<name>``) and the five single-seed M16,10 models.
RESULTS: dict[str, Entry] = table(
    *(
        Entry(
            f"rnn/{m.name}",
            _MODEL_CHAPTERS[m.name],
            f"{m.description}: best of seeds {', '.join(map(str, m.seeds))} on {m.n_train:,} sequences each",
            compute_model,
            {"name": m.name},
            minutes=_MODEL_MINUTES[m.name],
            verify=check_stored_model,
        )
        for m in MODELS.values()
        if m.trained
    ),
    *(
        Entry(
            f"rnn/m16_10_seed{seed}_full_recipe",
            "m16_10",
            f"M16,10 seed {seed} alone on AlgZoo's full 2^30 sequences",
            compute_model,
            {"name": "m16_10", "seeds": [seed], "n_train": 2**30},
            minutes=35,
            verify=check_stored_model,
        )
        for seed in range(5)
    ),
)
