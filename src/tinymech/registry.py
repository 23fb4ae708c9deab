"""One registry of every committed result, and the one loader with one rule.

Every trained model, study and run that a chapter reads is registered here under a name
``"<folder>/<stem>"`` (for instance ``"rnn/m2_2"`` or ``"temporal_superposition/ssm_k3"``), with the
chapter that reads it, the function that recomputes it and the other results it is computed from.  Its
files are ``tinymech/results/<name>.pth`` and its record ``<name>.json`` (:mod:`tinymech.store`).

The rule of :func:`load`:

1. By default, load the committed result and verify it: the payload's sha256, the record's checksum,
   and that every result it was computed from is still the version it was computed from.  Nothing is
   ever recomputed silently; a failed check raises :class:`~tinymech.errors.ResultError`.
2. ``recompute=True`` computes the result afresh with its registered settings.  It is written only when
   asked: to ``output``, or over the committed files with ``overwrite=True``.  The destination is checked
   before any work starts.

The command line exposes the same rule: ``tinymech list`` and ``tinymech run NAME (--output PATH |
--overwrite)``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from tinymech.errors import InvalidInputError, ResultError
from tinymech.perturb import perturb_result
from tinymech.store import RESULTS_DIR, check_output, load_result, read_record, save_result


@dataclass(frozen=True)
class Entry:
    """A registered result.

    Attributes:
        name: ``"<folder>/<stem>"``; the files are ``RESULTS_DIR / (name + ".pth" | ".json")``.
        chapter: the notebook (stem) that reads it.
        description: one line for ``tinymech list``.
        compute: ``"module:function"`` that recomputes it, called with ``arguments`` and ``progress``
            and returning ``(payload, metadata)``; None for a record kept by hand (an exploration log).
        arguments: keyword arguments of ``compute``.
        inputs: names of the registered results it is computed from; their checksums are stored in its
            record (``inputs``) and checked on every load.
        minutes: rough single-core minutes to recompute, for ``tinymech list``.
    """

    name: str
    chapter: str
    description: str
    compute: str | None
    arguments: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    minutes: float | None = None

    @property
    def path(self) -> Path:
        """The committed payload file (``.pth``)."""
        return RESULTS_DIR / f"{self.name}.pth"

    @property
    def command(self) -> str:
        """The command line that recomputes it over the committed files."""
        return f"tinymech run {self.name} --overwrite"

    def compute_function(self) -> Callable[..., tuple[Any, dict]]:
        if self.compute is None:
            raise InvalidInputError(
                f"{self.name} is a record kept by hand ({self.description}); "
                "there is nothing to recompute"
            )
        module_name, function_name = self.compute.split(":")
        return getattr(importlib.import_module(module_name), function_name)


def _algzoo_entries() -> list[Entry]:
    from tinymech.algzoo.zoo import MODELS

    entries = [
        Entry(
            f"rnn/{m.name}",
            _MODEL_CHAPTERS[m.name],
            f"{m.description}: best of seeds {', '.join(map(str, m.seeds))} on {m.n_train:,} sequences each",
            "tinymech.algzoo.zoo:compute_model",
            {"name": m.name},
            minutes={"m2_2": 4, "m4_3": 6, "m16_10": 175}[m.name],
        )
        for m in MODELS.values()
        if m.trained
    ]
    entries += [
        Entry(
            f"rnn/m16_10_seed{seed}_full_recipe",
            "m16_10",
            f"M16,10 seed {seed} alone on AlgZoo's full 2^30 sequences",
            "tinymech.algzoo.zoo:compute_model",
            {"name": "m16_10", "seeds": [seed], "n_train": 2**30},
            minutes=35,
        )
        for seed in range(5)
    ]
    entries += [
        Entry(
            "m4_3/study_m4_3",
            "m4_3_symmetries",
            "M4,3 trained here: sampled references, timings, noisy-model study",
            "tinymech.algzoo.symmetries:compute_trained_study",
            {"model_name": "m4_3"},
            inputs=("rnn/m4_3",),
            minutes=12,
        ),
        Entry(
            "m4_3/study_handcrafted",
            "m4_3_symmetries",
            "ARC's handcrafted M4,3: sampled references, lambda sweep, random-model checks",
            "tinymech.algzoo.symmetries:compute_handcrafted_study",
            minutes=8,
        ),
    ]
    entries += _m4_3_estimator_entries()
    entries += _m16_10_estimator_entries()
    return entries


def _m4_3_estimator_entries() -> list[Entry]:
    return [
        Entry(
            f"estimators/{name}_noisy",
            "estimators",
            f"{label}: ARC's two estimators, the exact method and sampling on 256 noisy models (sigma 0.05)",
            "tinymech.algzoo.arc_estimators:compute_noisy_study",
            {"model_name": name, "sigma": 0.05, "count": 256, "seed": 0},
            inputs=inputs,
            minutes=5,
        )
        for name, label, inputs in (
            ("m4_3", "M4,3 trained here", ("rnn/m4_3",)),
            ("handcrafted_3", "ARC's handcrafted M4,3", ()),
        )
    ] + [
        Entry(
            "estimators/exact_timing",
            "estimators",
            "exact M4,3 accuracy: polygon clipping against linear programs, times on one thread",
            "tinymech.algzoo.exact.cones:compute_timing",
            inputs=("rnn/m4_3",),
            minutes=1,
        )
    ]


def _m16_10_estimator_entries() -> list[Entry]:
    from tinymech.algzoo.estimators_m16.study import SEED_MODELS

    return [
        Entry(
            "estimators/m16_10_ensembles",
            "estimators",
            "M16,10: noise rule, 64 noisy models and 5 trained seeds, reference counts per case",
            "tinymech.algzoo.estimators_m16.study:compute_ensembles",
            inputs=("rnn/m16_10", *SEED_MODELS),
            minutes=16,
        ),
        Entry(
            "estimators/m16_10_curves",
            "estimators",
            "M16,10: every estimator setting on both ensembles, with sampling checks",
            "tinymech.algzoo.estimators_m16.study:compute_curves",
            inputs=("estimators/m16_10_ensembles",),
            minutes=25,
        ),
        Entry(
            "estimators/m16_10_diagnostics",
            "estimators",
            "M16,10: sampled gates, logit moments and mask agreement per case (error analysis)",
            "tinymech.algzoo.estimators_m16.diagnostics:compute_diagnostics",
            inputs=("rnn/m16_10",),
            minutes=1,
        ),
        Entry(
            "estimators/m16_10_rqmc",
            "estimators",
            "M16,10: randomized quasi-Monte Carlo (scrambled Sobol) estimates on both ensembles",
            "tinymech.algzoo.estimators_m16.study_part3:compute_rqmc",
            inputs=("estimators/m16_10_ensembles",),
            minutes=4,
        ),
        Entry(
            "estimators/m16_10_mask_substitution",
            "estimators",
            "M16,10: mask substitution, a predicted state, pattern variety and decision margins",
            "tinymech.algzoo.estimators_m16.study_part3:compute_mask_substitution",
            inputs=("estimators/m16_10_ensembles", "rnn/m16_10"),
            minutes=4,
        ),
    ]


_MODEL_CHAPTERS = {"m2_2": "m2_2_regions", "m4_3": "m4_3_symmetries", "m16_10": "m16_10"}


def _chapter_entries() -> list[Entry]:
    from tinymech.autoencoder.experiments import EXPERIMENTS, EXPERIMENT_INPUTS
    from tinymech.miiii.runs import RUNS as MIIII_RUNS
    from tinymech.temporal_superposition.experiments import RUNS as TS_RUNS

    entries = [
        Entry(
            f"temporal_superposition/{name}",
            "temporal_superposition",
            config.description,
            "tinymech.temporal_superposition.experiments:execute_run",
            {"name": name},
        )
        for name, config in TS_RUNS.items()
    ]
    entries += [
        Entry(
            f"autoencoder/{name}",
            "autoencoder_failure",
            description,
            "tinymech.autoencoder.experiments:run_experiment",
            {"name": name},
            inputs=tuple(f"autoencoder/{i}" for i in EXPERIMENT_INPUTS.get(name, ())),
        )
        for name, description in EXPERIMENTS.items()
    ]
    entries += [
        Entry(
            f"miiii/{name}",
            "miiii",
            f"{config.task} at p = {config.p}, d = {config.d}, {config.epochs:,} epochs",
            "tinymech.miiii.runs:compute_run",
            {"name": name},
        )
        for name, config in MIIII_RUNS.items()
    ]
    entries.append(
        Entry(
            "miiii/exploration",
            "miiii",
            "log of the short exploratory runs that chose the chapter's settings (kept by hand)",
            None,
        )
    )
    return entries


@lru_cache(maxsize=1)
def registry() -> dict[str, Entry]:
    """Every registered result by name (built on first use)."""
    entries = _algzoo_entries() + _chapter_entries()
    return {entry.name: entry for entry in entries}


def names(chapter: str | None = None) -> list[str]:
    """Registered names, optionally only those a chapter (notebook stem) reads."""
    return [
        name
        for name, entry in registry().items()
        if chapter is None or entry.chapter == chapter
    ]


def get(name: str) -> Entry:
    """The registry entry of ``name``.

    Raises:
        InvalidInputError: for an unknown name; the message lists the registered ones.
    """
    if not isinstance(name, str):
        raise InvalidInputError(f"a result name must be a string, got {type(name).__name__}")
    try:
        return registry()[name]
    except KeyError:
        raise InvalidInputError(
            f"no registered result {name!r}; choose one of: {', '.join(registry())}"
        ) from None


def verified_record(name: str) -> dict:
    """The record of ``name`` after the checks of :func:`load` (the payload's hash included).

    Raises:
        ResultError: see :func:`load`.
    """
    return load(name)[1]


def _check_inputs(entry: Entry, record: dict) -> None:
    recorded = record.get("inputs", {})
    if set(recorded) != set(entry.inputs):
        raise ResultError(
            f"{entry.name} records inputs {sorted(recorded)}, expected {sorted(entry.inputs)}; "
            f"recompute it with `{entry.command}`"
        )
    for dependency, checksum in recorded.items():
        current = read_record(get(dependency).path)["checksum"]
        if current != checksum:
            raise ResultError(
                f"{entry.name} was computed from another version of {dependency} "
                f"(checksum {checksum[:12]}..., now {current[:12]}...); recompute it with "
                f"`{entry.command}`"
            )


def load(
    name: str,
    *,
    recompute: bool = False,
    output: str | Path | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> tuple[Any, dict]:
    """Load a registered result by the rule in the module docstring.

    Args:
        name: a registered name (see :func:`names`).
        recompute: compute it afresh with the registered settings instead of loading it.
        output: with ``recompute``, write the fresh result here (a ``.pth`` path) instead of nowhere.
        overwrite: with ``recompute`` and no ``output``, replace the committed files; with ``output``,
            allow replacing an existing file there.
        progress: progress bars while recomputing.

    Returns:
        ``(payload, record)``; for a fresh result that was not written, the record is its metadata.  In the
        perturbation run (``TINYMECH_PERTURB=1``, :mod:`tinymech.perturb`) a committed payload's
        floating-point arrays are perturbed at rounding scale after verification.

    Raises:
        InvalidInputError: unknown name, ``output`` or ``overwrite`` without ``recompute``, or a
            result kept by hand asked to be recomputed.
        ResultError: a missing, corrupted or edited result, one computed from another version of its
            inputs, or an output that exists (checked before any work).
    """
    entry = get(name)
    if not recompute:
        if output is not None or overwrite:
            raise InvalidInputError("output and overwrite only apply with recompute=True")
        if not entry.path.exists():
            how = (
                f"recompute it with `{entry.command}`"
                if entry.compute
                else "it is a record kept by hand"
            )
            raise ResultError(f"committed result {name} is missing ({entry.path}); {how}")
        payload, record = load_result(entry.path)
        _check_inputs(entry, record)
        return perturb_result(
            payload, name
        ), record  # unchanged unless TINYMECH_PERTURB=1 (tinymech.perturb)
    function = entry.compute_function()
    destination = None
    if output is not None:
        destination = check_output(output, overwrite=overwrite)
    elif overwrite:
        destination = check_output(entry.path, overwrite=True)
    inputs = {
        dependency: verified_record(dependency)["checksum"] for dependency in entry.inputs
    }
    payload, metadata = function(**entry.arguments, progress=progress)
    metadata = {**metadata, "result": name, **({"inputs": inputs} if inputs else {})}
    if destination is not None:
        save_result(destination, payload, metadata, overwrite=overwrite)
        return load_result(destination)
    return payload, metadata
