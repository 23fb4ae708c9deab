"""The chapter's training runs: named configurations, each one :func:`train_ensemble` call.

All settings are ours (the paper's were not available): Adam, lr 3e-3, batch 512, sequence length
``k + 12``, untied readout, ``N_h = 2`` unless stated.  The paper's main figures tie the readout to the
output direction (``w_y = w_k``): ``ssm_k3_tied`` and ``ssm_k5_tied`` train the SSM phase transition that
way; ``ssm_k3`` and ``ssm_k5`` are the untied variant.  Each run trains every ``(p, seed)`` pair of its
grid as one ensemble member.  Every run is a registered result (:data:`RESULTS`, :mod:`tinymech.registry`):
``tinymech run temporal_superposition/NAME --overwrite`` recomputes it, and the notebook reads it with
``tinymech.catalog.load("temporal_superposition/NAME")``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from tinymech.errors import InvalidInputError
from tinymech.registry import Entry, table
from tinymech.stats import log_spaced_integers

from .exact_loss import expected_loss_linear, monte_carlo_loss
from .task import feature_importance
from .toy_model import train_toy_model
from .training import minimise_exact_loss, train_ensemble

P_GRID = (1.0, 0.7, 0.5, 0.4, 0.35, 0.3, 0.25, 0.2, 0.1, 0.05, 0.02)


@dataclass(frozen=True)
class RunConfig:
    """One ensemble training run.

    Attributes:
        kind: model kind ("linear", "ssm", "relu"; "tms" for the toy model; "linear_exact" for
        L-BFGS on the exact loss, with ``n_seeds`` restarts and ``steps`` iterations); k_values: delays; p_values: feature probabilities; n_seeds: members per
        ``(k, p)`` pair (members are ordered k, then p, then seed);
        n_inputs, n_hidden: sizes; importance_decay: importance ratio; steps, lr, batch_size:
        optimiser settings; seed: generator seed; snapshot_every: keep the weights every this many
        steps (0: never); snapshot_log: also keep the weights at this many log-spaced steps (0: none);
        tied: readout tied to ``w_k`` (the paper's main figures); init_scale: factor on the
        initial weights (1: uniform in ``+-1/sqrt(N_h)``).
    """

    kind: str
    k_values: tuple[int, ...]
    p_values: tuple[float, ...]
    n_seeds: int
    n_inputs: int = 1
    n_hidden: int = 2
    importance_decay: float = 1.0
    steps: int = 4000
    lr: float = 3e-3
    batch_size: int = 512
    seed: int = 0
    snapshot_every: int = 0
    snapshot_log: int = 0
    tied: bool = False
    init_scale: float = 1.0

    @property
    def description(self) -> str:
        """One line for ``tinymech list``."""
        delays = ", ".join(map(str, self.k_values))
        readout = ", tied readout" if self.tied else ""
        return (
            f"{self.kind} RNN{'s' if self.n_seeds > 1 else ''}, k = {delays}, {len(self.p_values)} value(s) of p "
            f"x {self.n_seeds} seeds, N_x = {self.n_inputs}, N_h = {self.n_hidden}{readout}"
        )


RUNS: dict[str, RunConfig] = {
    "linear_k3": RunConfig(
        "linear", (3,), (1.0, 0.5, 0.3, 0.1, 0.05, 0.02), 3, snapshot_every=25
    ),
    "linear_k3_small_init": RunConfig(
        "linear", (3,), (1.0, 0.3), 4, snapshot_log=120, init_scale=1e-2
    ),
    "linear_k3_small_init_tied": RunConfig(
        "linear", (3,), (1.0, 0.3), 4, snapshot_log=120, init_scale=1e-2, tied=True
    ),
    "linear_exact_k3": RunConfig(
        "linear_exact", (3,), (1.0, 0.5, 0.3, 0.1, 0.05, 0.02), 16, steps=500, lr=0.0
    ),
    "ssm_k3": RunConfig("ssm", (3,), P_GRID, 6),
    "ssm_k5": RunConfig("ssm", (5,), P_GRID, 6),
    "ssm_k3_tied": RunConfig("ssm", (3,), P_GRID, 6, tied=True),
    "ssm_k5_tied": RunConfig("ssm", (5,), P_GRID, 6, tied=True),
    "relu_k3": RunConfig("relu", (3,), (0.1, 0.05, 0.02), 6),
    "spatial": RunConfig(
        "relu",
        (0, 1, 2, 3, 4),
        (0.05,),
        4,
        n_inputs=5,
        importance_decay=0.7,
        steps=5000,
        batch_size=256,
    ),
    "highdim_k2": RunConfig(
        "ssm", (2,), (0.05,), 4, n_inputs=10, n_hidden=5, steps=5000, batch_size=256
    ),
    "toy_model": RunConfig(
        "tms",
        (0,),
        (0.05,),
        4,
        n_inputs=5,
        importance_decay=0.9,
        steps=10_000,
        lr=1e-3,
        batch_size=1024,
    ),
}


def log_snapshot_steps(steps: int, count: int) -> tuple[int, ...]:
    """Step 0 and about ``count - 1`` steps up to ``steps - 1`` spaced evenly in log: ``n - 1`` for each ``n`` in
    :func:`tinymech.stats.log_spaced_integers` ``(steps, count - 1)``.

    A snapshot at step ``n`` holds the weights after update ``n`` (counting from 0), so step ``n - 1`` is
    the model after ``n`` updates.  For the settings of every committed run (``steps = 4000``,
    ``count = 120``: 94 distinct steps) this is exactly the schedule the runs were trained with.

    Raises:
        InvalidInputError: if ``steps < 2`` or ``count < 3``.
    """
    if steps < 2 or count < 3:
        raise InvalidInputError(
            f"need steps >= 2 and count >= 3, found steps={steps}, count={count}"
        )
    return tuple(
        sorted({0, *(min(steps - 1, n - 1) for n in log_spaced_integers(steps, count - 1))})
    )


def config(name: str) -> RunConfig:
    """The configuration of run ``name``.

    Raises:
        InvalidInputError: if there is no such run (the message lists the valid names).
    """
    if name not in RUNS:
        raise InvalidInputError(f"no run {name!r}, please choose one of: {', '.join(RUNS)}")
    return RUNS[name]


def compute_run(name: str, *, progress: bool = True, n_eval: int = 20_000) -> tuple[dict, dict]:
    """Train run ``name`` and evaluate each member's expected loss.

    Returns:
        ``(payload, metadata)``: payload tensors ``k (M,)``, ``p (M,)``, ``seed_index (M,)``, ``W_x``, ``W_h``,
        ``W_y``, ``loss_history (R, M)`` (training loss every 10 steps), ``snapshot_*`` (weights
        during training, if the run keeps them; with ``snapshot_log`` also ``snapshot_loss (n, M)``,
        the exact Eq. 5 loss of the linear RNN at each snapshot) and ``loss (M,)`` (exact Eq. 5
        for the linear RNN, else a Monte Carlo estimate on ``n_eval`` fresh sequences);
        metadata is the configuration as a dict.
    """
    cfg = config(name)
    if cfg.kind == "tms":
        return _execute_toy_model(name, cfg, progress)
    if cfg.kind == "linear_exact":
        return _execute_exact_minimisation(name, cfg, progress)
    grid = [
        (k, p, seed) for k in cfg.k_values for p in cfg.p_values for seed in range(cfg.n_seeds)
    ]
    k = torch.tensor([g[0] for g in grid])
    p = torch.tensor([g[1] for g in grid], dtype=torch.float32)
    importance = feature_importance(cfg.n_inputs, cfg.importance_decay)
    torch.set_num_threads(1)
    log_steps = log_snapshot_steps(cfg.steps, cfg.snapshot_log) if cfg.snapshot_log > 0 else ()
    model, history, snapshots = train_ensemble(
        cfg.kind,
        p=p,
        k=k if len(cfg.k_values) > 1 else cfg.k_values[0],
        n_inputs=cfg.n_inputs,
        n_hidden=cfg.n_hidden,
        importance=importance,
        seed=cfg.seed,
        steps=cfg.steps,
        lr=cfg.lr,
        batch_size=cfg.batch_size,
        snapshot_every=cfg.snapshot_every,
        snapshot_steps=log_steps,
        tied=cfg.tied,
        init_scale=cfg.init_scale,
        progress=progress,
    )
    weights = model.weights()
    seq_len = max(cfg.k_values) + 12
    if cfg.kind == "linear":
        loss = torch.stack(
            [
                expected_loss_linear(
                    weights["W_x"][i],
                    weights["W_h"][i],
                    weights["W_y"][i],
                    k=int(k[i]),
                    seq_len=seq_len,
                    p=float(p[i]),
                    importance=importance,
                )
                for i in range(len(p))
            ]
        )
    else:
        generator = torch.Generator().manual_seed(cfg.seed + 1)
        loss, _ = monte_carlo_loss(
            model,
            k=k,
            seq_len=seq_len,
            p=p,
            n_sequences=n_eval,
            importance=importance,
            generator=generator,
        )
    if cfg.kind == "linear" and cfg.snapshot_log > 0:
        snapshots["loss"] = torch.stack(
            [
                expected_loss_linear(
                    snapshots["W_x"][:, i],
                    snapshots["W_h"][:, i],
                    snapshots["W_y"][:, i],
                    k=int(k[i]),
                    seq_len=seq_len,
                    p=float(p[i]),
                    importance=importance,
                )
                for i in range(len(p))
            ],
            dim=1,
        )
    payload = {
        "k": k,
        "p": p,
        "seed_index": torch.tensor([g[2] for g in grid]),
        "loss_history": history,
        "loss": loss,
        **weights,
        **{f"snapshot_{name}": value for name, value in snapshots.items()},
    }
    metadata = {"run": name, **asdict(cfg), "seq_len": seq_len, "n_eval": n_eval}
    return payload, metadata


def _execute_toy_model(name: str, cfg: RunConfig, progress: bool) -> tuple[dict, dict]:
    """Train the toy model of superposition (TMS settings; ``kind = "tms"``)."""
    torch.set_num_threads(1)
    importance = feature_importance(cfg.n_inputs, cfg.importance_decay)
    model, loss = train_toy_model(
        p=cfg.p_values[0],
        importance=importance,
        n_hidden=cfg.n_hidden,
        n_models=cfg.n_seeds,
        steps=cfg.steps,
        lr=cfg.lr,
        batch_size=cfg.batch_size,
        seed=cfg.seed,
        progress=progress,
    )
    payload = {
        "k": torch.zeros(cfg.n_seeds, dtype=torch.long),
        "p": torch.full((cfg.n_seeds,), cfg.p_values[0]),
        "seed_index": torch.arange(cfg.n_seeds),
        "W": model.W.detach().clone(),
        "b": model.b.detach().clone(),
        "loss": loss,
    }
    return payload, {"run": name, **asdict(cfg), "optimiser": "AdamW"}


def _execute_exact_minimisation(name: str, cfg: RunConfig, progress: bool) -> tuple[dict, dict]:
    """Minimise Eq. 5 directly for each ``p`` (``kind = "linear_exact"``)."""
    from tqdm import tqdm

    torch.set_num_threads(1)
    k = cfg.k_values[0]
    parts = []
    for p in tqdm(cfg.p_values, disable=not progress, desc="exact loss, L-BFGS"):
        weights, loss = minimise_exact_loss(
            p=p,
            k=k,
            n_restarts=cfg.n_seeds,
            n_hidden=cfg.n_hidden,
            seed=cfg.seed,
            max_iter=cfg.steps,
        )
        parts.append((weights, loss))
    payload = {name: torch.cat([w[name] for w, _ in parts]) for name in ("W_x", "W_h", "W_y")}
    payload["loss"] = torch.cat([loss for _, loss in parts])
    payload["p"] = torch.tensor(cfg.p_values, dtype=torch.float32).repeat_interleave(
        cfg.n_seeds
    )
    payload["k"] = torch.full_like(payload["p"], k, dtype=torch.long)
    payload["seed_index"] = torch.arange(cfg.n_seeds).repeat(len(cfg.p_values))
    return payload, {
        "run": name,
        **asdict(cfg),
        "seq_len": k + 12,
        "optimiser": "L-BFGS on Eq. 5",
    }


#: Every run as a registered result ``temporal_superposition/<name>``.
RESULTS: dict[str, Entry] = table(
    *(
        Entry(
            f"temporal_superposition/{name}",
            "temporal_superposition",
            config.description,
            compute_run,
            {"name": name},
        )
        for name, config in RUNS.items()
    )
)
