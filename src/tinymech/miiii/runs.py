"""The chapter's named runs.

Each run is a registered result ``miiii/<run>`` (:mod:`tinymech.registry`): the notebook reads it with
``tinymech.catalog.load("miiii/<run>")`` and ``tinymech run miiii/<run> --overwrite`` retrains it.
Runs with other settings are trained with ``tinymech miiii ... --output FILE``.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from tinymech.errors import InvalidInputError
from tinymech.registry import Entry, table

from .model import MiiiiTransformer
from .training import TrainingConfig, TrainingResult, train

# The chapter's settings (ours, not the paper's): p = 47, d = 128, lr 3e-3, weight decay 1, Grokfast
# lambda 2, chosen from short explorations (the registered log miiii/exploration: d = 64 memorised all
# but q = 2, 3, 5; d = 128 and lr 3e-3 were faster; weight decay 3 stopped fitting); dropout 0.1,
# 4 heads, alpha 0.98, train fraction 0.5 follow the paper/repository.  miiii and T_masked were
# stopped by a wall-time limit (``--max-minutes``): ``epochs`` is the epoch each reached and
# ``snapshot_horizon`` the planned length its log-spaced snapshots aim at, so
# recomputing them (``tinymech run miiii/NAME``) reproduces them exactly.
_CHAPTER = TrainingConfig(
    p=47, d=128, lr=3e-3, weight_decay=1.0, grokfast_lambda=2.0, log_every=100
)
RUNS: dict[str, TrainingConfig] = {
    "nanda_p47_d128": replace(_CHAPTER, task="nanda", epochs=6000, n_snapshots=8, log_every=50),
    "miiii_p47_d128": replace(
        _CHAPTER, task="miiii", epochs=108900, n_snapshots=16, snapshot_horizon=120000
    ),
    "masked_p47_d128": replace(
        _CHAPTER, task="masked", epochs=68900, n_snapshots=8, snapshot_horizon=120000
    ),
    "basis_p47_d128": replace(_CHAPTER, task="basis", epochs=3000, n_snapshots=6, log_every=50),
}
# The paper's scale: p = 113, d = 256 and every other setting of its Table 2 (the TrainingConfig defaults),
# 17 log-spaced snapshots (every power of two up to 65,536, so the paper's epochs 256, 1,024, 4,096, 16,384
# and 65,536 are on the schedule), trained on one NVIDIA H200 by tools/miiii_paper_scale.py, the four runs at
# once, each stopped by its 7.5-minute wall-time limit (``epochs`` = the epoch reached, ``snapshot_horizon``
# = the paper's 65,536).  On a CPU one epoch takes about 2.6 s, so `tinymech run` recomputes them in hours.
_PAPER = TrainingConfig(log_every=64, n_snapshots=17, snapshot_horizon=65536)
PAPER_SCALE_RUNS: dict[str, TrainingConfig] = {
    "miiii_p113_d256": replace(_PAPER, task="miiii", epochs=12160),
    "nanda_p113_d256": replace(_PAPER, task="nanda", epochs=19264),
    "basis_p113_d256": replace(_PAPER, task="basis", epochs=12288),
    "masked_p113_d256": replace(_PAPER, task="masked", epochs=12096),
}
RUNS.update(PAPER_SCALE_RUNS)


def run_metadata(result: TrainingResult, **extra) -> dict:
    """The record of a run: its config and final per-task accuracies (rounded to 6 digits), plus ``extra``."""
    return {
        "config": asdict(result.config),
        "final_train_acc": [round(float(a), 6) for a in result.log["train_acc"][-1]],
        "final_valid_acc": [round(float(a), 6) for a in result.log["valid_acc"][-1]],
        "moduli": list(result.moduli),
        **extra,
    }


def compute_run(name: str, *, device: str = "cpu", progress: bool = False) -> tuple[dict, dict]:
    """Train the registered run ``name`` from scratch (minutes to hours of CPU); nothing is written.

    The registry (:func:`tinymech.registry.load` with ``recompute=True``) writes it when asked.

    Raises:
        InvalidInputError: for an unknown run name.
    """
    if name not in RUNS:
        raise InvalidInputError(
            f"unknown run {name!r}, please choose one of: {', '.join(sorted(RUNS))}"
        )
    result = train(RUNS[name], device=device, progress=progress)
    return result.payload(), run_metadata(result, run=name, device=device)


def model_from_payload(payload: dict) -> MiiiiTransformer:
    """Rebuild the final model of a loaded run (eval mode)."""
    config = TrainingConfig(**payload["config"])
    model = MiiiiTransformer(
        config.p,
        config.d,
        config.heads,
        tuple(int(q) for q in payload["moduli"]),
        dropout=config.dropout,
    )
    model.load_state_dict({k: v.float() for k, v in payload["final_state"].items()})
    return model.eval()


#: Every run as a registered result ``miiii/<name>``, and the hand-kept log of the exploratory runs.
RESULTS: dict[str, Entry] = table(
    *(
        Entry(
            f"miiii/{name}",
            "miiii",
            f"{config.task} at p = {config.p}, d = {config.d}, {config.epochs:,} epochs",
            compute_run,
            {"name": name},
        )
        for name, config in RUNS.items()
    ),
    Entry(
        "miiii/exploration",
        "miiii",
        "log of the short exploratory runs that chose the chapter's settings (kept by hand)",
        None,
    ),
)
