"""The chapter's registered results: each offline experiment of :mod:`.experiments` with its settings.

:func:`compute_experiment` recomputes one (``tinymech run autoencoder/NAME``); the notebook reads them
with ``tinymech.catalog.load("autoencoder/NAME")``.  ``chaos_map`` and ``resampling`` start from the
committed ``seed_sweep`` (its checksum is recorded and checked on every load).
"""

from __future__ import annotations

import torch

from tinymech.errors import InvalidInputError
from tinymech.registry import Entry, load, table

from .experiments import (
    ADAM_SETTINGS,
    CHAOS_SETTINGS,
    EXPERIMENT_INPUTS,
    EXPERIMENTS,
    LR_SWEEP_LONG_SETTINGS,
    LR_SWEEP_SETTINGS,
    RESAMPLING_SETTINGS,
    SWEEP_SETTINGS,
    chaos_map,
    learning_rate_sweep,
    resampling_comparison,
    seed_sweep,
)


def compute_experiment(name: str, *, progress: bool = False) -> tuple[dict, dict]:
    """Run one experiment with its committed settings; return ``(payload, metadata)`` (nothing saved).

    ``chaos_map`` and ``resampling`` start from the committed ``seed_sweep`` (read through the registry).

    Raises:
        InvalidInputError: for an unknown experiment name.
    """
    if name not in EXPERIMENTS:
        raise InvalidInputError(
            f"no experiment {name!r}, please choose one of: {', '.join(EXPERIMENTS)}"
        )
    torch.set_num_threads(1)
    settings = {
        "seed_sweep": SWEEP_SETTINGS,
        "seed_sweep_adam": ADAM_SETTINGS,
        "lr_sweep": LR_SWEEP_SETTINGS,
        "lr_sweep_long": LR_SWEEP_LONG_SETTINGS,
        "chaos_map": CHAOS_SETTINGS,
        "resampling": RESAMPLING_SETTINGS,
    }[name]
    metadata = {
        "experiment": name,
        **{k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
    }
    if name == "seed_sweep":
        return seed_sweep(**settings, progress=progress), metadata
    if name == "seed_sweep_adam":
        return seed_sweep(**settings, trajectories=0, progress=progress), metadata
    if name in ("lr_sweep", "lr_sweep_long"):
        return learning_rate_sweep(**settings, progress=progress), metadata
    sweep = load(RESULTS["autoencoder/seed_sweep"])[0][f"n={CHAOS_SETTINGS['features']}"]
    if name == "chaos_map":
        return chaos_map(sweep, **settings, progress=progress), metadata
    return resampling_comparison(sweep, **settings, progress=progress), metadata


#: Every experiment as a registered result ``autoencoder/<name>``.
RESULTS: dict[str, Entry] = table(
    *(
        Entry(
            f"autoencoder/{name}",
            "autoencoder_failure",
            description,
            compute_experiment,
            {"name": name},
            inputs=tuple(f"autoencoder/{i}" for i in EXPERIMENT_INPUTS.get(name, ())),
        )
        for name, description in EXPERIMENTS.items()
    )
)
