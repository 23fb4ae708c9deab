"""The chapter's offline experiments: each trains many runs and returns what the chapter measures.

Experiments, each a function returning a dict of tensors:

- :func:`seed_sweep`: many seeds per n, the outcome of every run over time, the symmetric-failure
  checkpoints and the trajectories of a few asymmetric recoveries;
- :func:`chaos_map`: from one symmetric failure, push the biases of two adjacent live features by
  ``Delta`` and train at each learning rate; the splay ``sum_j ||W_j||`` after a fixed budget;
- :func:`resampling_comparison`: from the symmetric-failure checkpoints, no intervention vs Anthropic's
  resampling vs the post's attractor/repulsor reseeding, over learning rates (and ``Delta``);
- :func:`learning_rate_sweep`: the same seeds at several learning rates; its long version continues the
  same runs to 100,000 epochs, checks the outcome of every run every 10 epochs and keeps the parameters
  at 25,000 and 100,000 epochs.

Each is a registered result (:mod:`.studies`, which holds their settings' entries); the notebook reads
them with ``tinymech.catalog.load("autoencoder/NAME")``.
"""

from __future__ import annotations

import math

import torch

from tinymech.errors import InvalidInputError

from .geometry import splay
from .model import initial_parameters
from .outcomes import PERFECT, SYMMETRIC_FAILURE, asymmetric_recovery, dead_feature, first_step
from .resampling import anthropic_resample, attractor_repulsor, live_mask
from .training import train

#: Settings of the committed runs (ours; the post states AdamW and 25,000 epochs for n = 7 only).
SWEEP_SETTINGS = dict(
    features=(6, 7, 8),
    seeds=1000,
    lr=1e-3,
    epochs=25_000,
    optimizer="adamw",
    weight_decay=0.01,
    log_every=250,
)
ADAM_SETTINGS = dict(SWEEP_SETTINGS, features=(7,), optimizer="adam", weight_decay=0.0)
CHAOS_SETTINGS = dict(
    features=7, deltas=41, delta_max=0.3, lrs=41, lr_min=1e-4, lr_max=1e-1, epochs=3000
)
RESAMPLING_SETTINGS = dict(
    features=7,
    checkpoints=200,
    lrs=(1e-3, 3e-3, 1e-2),
    deltas=(0.0, 0.05, 0.1, 0.2, 0.4),
    epochs=3000,
    log_every=50,
    seed=0,
)
LR_SWEEP_SETTINGS = dict(
    features=7, seeds=200, lrs=(3e-4, 1e-3, 3e-3, 1e-2), epochs=25_000, log_every=250
)
#: The same runs as ``lr_sweep`` (its first 25,000 epochs are identical), continued to 100,000 epochs.
LR_SWEEP_LONG_SETTINGS = dict(
    LR_SWEEP_SETTINGS, epochs=100_000, check_every=10, keep_at=(25_000, 100_000)
)
#: The registered experiments and what each holds (``tinymech list``).
EXPERIMENTS = {
    "seed_sweep": "1,000 seeds each for n = 6, 7, 8 (AdamW, lr 1e-3, 25,000 epochs): outcome of every run",
    "seed_sweep_adam": "1,000 seeds for n = 7 with Adam (no weight decay)",
    "chaos_map": "splay after 3,000 epochs over a (Delta, learning rate) grid from one symmetric failure",
    "resampling": "recovery of 200 symmetric failures: no intervention, Anthropic resampling, attractor/repulsor",
    "lr_sweep": "200 seeds of n = 7 at four learning rates",
    "lr_sweep_long": "the lr_sweep runs continued to 100,000 epochs; outcome checked every 10 epochs; parameters "
    "at 25,000 and 100,000 epochs",
}
#: Experiments computed from another one's committed result.
EXPERIMENT_INPUTS = {"chaos_map": ("seed_sweep",), "resampling": ("seed_sweep",)}


def seed_sweep(
    *,
    features: tuple[int, ...],
    seeds: int,
    lr: float,
    epochs: int,
    optimizer: str,
    weight_decay: float,
    log_every: int,
    trajectories: int = 3,
    progress: bool = False,
) -> dict:
    """Train ``seeds`` models for each n in ``features`` and record how each run ends.

    Returns:
        ``{"n=<n>": {...}}`` with, per n: ``outcome_log`` ``(logs, seeds)``, ``steps`` ``(logs,)``,
        ``final_loss`` ``(seeds,)``, ``W``/``b`` final parameters, ``recovered`` (asymmetric recovery,
        bool ``(seeds,)``), ``first_failure``/``first_perfect`` steps (-1 if never), and for the seeds that
        were ever in symmetric failure: ``failure_seed`` ``(k,)``, ``failure_W`` ``(k, m, n)``,
        ``failure_b`` ``(k, n)``, ``failure_dead`` ``(k,)`` (parameters at the first logged failure), and
        ``trajectory_seed``/``trajectory_W`` ``(t, logs, m, n)``/``trajectory_b`` for up to
        ``trajectories`` recoveries.
    """
    results = {}
    for n in features:
        W0, b0 = initial_parameters(n, range(seeds))
        run = train(
            W0,
            b0,
            lr=lr,
            epochs=epochs,
            optimizer=optimizer,
            weight_decay=weight_decay,
            log_every=log_every,
            keep_parameters=True,
            progress=progress,
        )
        log = run.outcomes
        recovered = asymmetric_recovery(log)
        failed_ever = (log == SYMMETRIC_FAILURE).any(dim=0)
        first_failure = first_step(log, run.steps, SYMMETRIC_FAILURE)
        failure_index = (log == SYMMETRIC_FAILURE).to(torch.int64).argmax(dim=0)
        ids = torch.nonzero(failed_ever).flatten()
        W_fail = run.W_log[failure_index[ids], ids]
        b_fail = run.b_log[failure_index[ids], ids]
        recovered_ids = torch.nonzero(recovered).flatten()[:trajectories]
        results[f"n={n}"] = {
            "outcome_log": log.to(torch.int8),
            "steps": run.steps,
            "final_loss": run.losses[-1].clone(),  # clone: a view would save the whole log
            "W": run.W,
            "b": run.b,
            "recovered": recovered,
            "first_failure": first_failure,
            "first_perfect": first_step(log, run.steps, PERFECT),
            "failure_seed": ids,
            "failure_W": W_fail,
            "failure_b": b_fail,
            "failure_dead": dead_feature(W_fail, b_fail),
            "trajectory_seed": recovered_ids,
            "trajectory_W": run.W_log[:, recovered_ids].transpose(0, 1).contiguous(),
            "trajectory_b": run.b_log[:, recovered_ids].transpose(0, 1).contiguous(),
        }
    return results


def learning_rate_sweep(
    *,
    features: int,
    seeds: int,
    lrs: tuple[float, ...],
    epochs: int,
    log_every: int,
    check_every: int | None = None,
    keep_at: tuple[int, ...] = (),
    progress: bool = False,
) -> dict:
    """Seeds ``0 .. seeds-1`` of one n at several learning rates (AdamW, weight decay 0.01), one batch.

    Args:
        features: n; seeds: number of seeds; lrs: learning rates; epochs: training length;
        log_every: outcome log interval.
        check_every: also check every run's outcome every this many epochs and return the first epoch
            at which each outcome was seen (None: not returned).
        keep_at: epochs after which the parameters are returned.

    Returns:
        dict with ``lr`` ``(lrs,)``, ``steps`` ``(logs,)``, ``outcome_log`` int8 ``(logs, lrs, seeds)``,
        ``recovered`` bool ``(lrs, seeds)``, ``first_failure`` and ``first_perfect`` ``(lrs, seeds)``; with
        ``check_every``: ``first_seen`` ``(outcomes, lrs, seeds)`` (-1: never) and ``check_every``; for each
        epoch e in ``keep_at``: ``W_<e>`` ``(lrs, seeds, 2, n)`` and ``b_<e>`` ``(lrs, seeds, n)``.
    """
    W0, b0 = initial_parameters(features, range(seeds))
    W = W0.repeat(len(lrs), 1, 1)
    b = b0.repeat(len(lrs), 1)
    lr = torch.tensor(lrs, dtype=torch.float64).repeat_interleave(seeds)
    run = train(
        W,
        b,
        lr=lr,
        epochs=epochs,
        log_every=log_every,
        check_every=check_every,
        keep_at=keep_at,
        progress=progress,
    )
    log = run.outcomes
    shape = (len(lrs), seeds)
    result = {
        "lr": torch.tensor(lrs, dtype=torch.float64),
        "steps": run.steps,
        "outcome_log": log.to(torch.int8).reshape(log.shape[0], *shape),
        "recovered": asymmetric_recovery(log).reshape(shape),
        "first_failure": first_step(log, run.steps, SYMMETRIC_FAILURE).reshape(shape),
        "first_perfect": first_step(log, run.steps, PERFECT).reshape(shape),
    }
    if check_every is not None:
        result["first_seen"] = run.first_seen.reshape(-1, *shape)
        result["check_every"] = torch.tensor(check_every)
    for epoch, (W_kept, b_kept) in run.snapshots.items():
        result[f"W_{epoch}"] = W_kept.reshape(*shape, *W_kept.shape[1:])
        result[f"b_{epoch}"] = b_kept.reshape(*shape, -1)
    return result


def longest_failure(sweep_n: dict) -> int:
    """Row (into the ``failure_*`` arrays) of the seed that stayed longest in symmetric failure."""
    log = sweep_n["outcome_log"][:, sweep_n["failure_seed"]]
    return int((log == SYMMETRIC_FAILURE).sum(dim=0).argmax())


def adjacent_pair(weights: torch.Tensor, dead: int) -> tuple[int, int]:
    """The two angularly adjacent live features whose bisector is closest to the dead feature's direction.

    Args:
        weights: one model, ``(2, n)``; dead: the dead feature's index.

    Raises:
        InvalidInputError: if W is not 2-D with two latent dimensions.
    """
    if weights.ndim != 2 or weights.shape[0] != 2:
        raise InvalidInputError(f"W must have shape (2, n), found {tuple(weights.shape)}")
    live = [j for j in range(weights.shape[1]) if j != dead]
    angles = torch.atan2(weights[1, live], weights[0, live])
    order = [live[k] for k in torch.argsort(angles).tolist()]
    dead_direction = weights[:, dead] / weights[:, dead].norm().clamp_min(1e-300)
    best, best_score = (order[0], order[1]), -math.inf
    for a, c in zip(order, order[1:] + order[:1]):
        bisector = weights[:, a] / weights[:, a].norm() + weights[:, c] / weights[:, c].norm()
        score = float(bisector @ dead_direction / bisector.norm().clamp_min(1e-300))
        if score > best_score:
            best, best_score = (a, c), score
    return best


def chaos_map(
    sweep_n: dict,
    *,
    features: int,
    deltas: int,
    delta_max: float,
    lrs: int,
    lr_min: float,
    lr_max: float,
    epochs: int,
    progress: bool = False,
) -> dict:
    """Splay ``sum_j ||W_j||`` after ``epochs`` steps over a (Delta, learning rate) grid.

    Starts from the longest-lasting symmetric failure of ``sweep_n`` (the seed sweep's entry for
    ``n = features``), adds ``Delta`` to the biases of the two adjacent live features picked by
    :func:`adjacent_pair` (the post's ``b_6`` and ``b_1``), and trains every grid cell as one batch with a
    fresh AdamW (weight decay 0.01).

    Returns:
        dict with ``delta`` ``(deltas,)``, ``lr`` ``(lrs,)``, ``splay`` and ``outcome`` ``(deltas, lrs)``,
        ``splay_start`` (scalar), ``seed``, ``dead``, ``pair``.
    """
    row = longest_failure(sweep_n)
    W, b = sweep_n["failure_W"][row], sweep_n["failure_b"][row]
    dead = int(sweep_n["failure_dead"][row])
    pair = adjacent_pair(W, dead)
    delta = torch.linspace(0.0, delta_max, deltas, dtype=torch.float64)
    lr = torch.logspace(math.log10(lr_min), math.log10(lr_max), lrs, dtype=torch.float64)
    grid_delta, grid_lr = torch.meshgrid(delta, lr, indexing="ij")
    cells = grid_delta.numel()
    W_batch = W.expand(cells, -1, -1).clone()
    b_batch = b.expand(cells, -1).clone()
    for j in pair:
        b_batch[:, j] += grid_delta.flatten()
    run = train(
        W_batch,
        b_batch,
        lr=grid_lr.flatten(),
        epochs=epochs,
        log_every=epochs,
        progress=progress,
    )
    return {
        "delta": delta,
        "lr": lr,
        "splay": splay(run.W).reshape(deltas, lrs),
        "outcome": run.outcomes[-1].reshape(deltas, lrs),
        "splay_start": splay(W),
        "seed": sweep_n["failure_seed"][row],
        "dead": torch.tensor(dead),
        "pair": torch.tensor(pair),
    }


def resampling_comparison(
    sweep_n: dict,
    *,
    features: int,
    checkpoints: int,
    lrs: tuple[float, ...],
    deltas: tuple[float, ...],
    epochs: int,
    log_every: int,
    seed: int,
    progress: bool = False,
) -> dict:
    """Recovery from symmetric failure under three interventions, all trained as one batch.

    For each of the first ``checkpoints`` symmetric-failure checkpoints of ``sweep_n`` and each learning
    rate: no intervention; Anthropic's resampling; the post's attractor/repulsor with each ``Delta``.
    Every run continues with a fresh AdamW (weight decay 0.01) for ``epochs`` steps; the moments of
    re-initialised entries are zero anyway since the optimizer is fresh.

    Returns:
        dict with ``methods`` (list of names, ``"none"``, ``"anthropic"``, ``"attractor d=<Delta>"``),
        ``lr`` ``(lrs,)``, ``recovered`` bool ``(methods, lrs, checkpoints)`` (perfect at the end),
        ``steps_to_perfect`` ``(methods, lrs, checkpoints)`` (first logged perfect step, -1 if never),
        ``seed`` ``(checkpoints,)``.
    """
    count = min(checkpoints, sweep_n["failure_seed"].numel())
    W, b = sweep_n["failure_W"][:count], sweep_n["failure_b"][:count]
    dead = sweep_n["failure_dead"][:count]
    generator = torch.Generator().manual_seed(seed)
    methods, starts = ["none"], [(W, b)]
    W_a, b_a, _ = anthropic_resample(W, b, dead, generator=generator)
    methods.append("anthropic")
    starts.append((W_a, b_a))
    for d in deltas:
        W_r, b_r, _ = attractor_repulsor(W, b, dead, d, generator=generator)
        methods.append(f"attractor d={d:g}")
        starts.append((W_r, b_r))
    W_all = torch.cat([torch.cat([s[0] for s in starts]) for _ in lrs])
    b_all = torch.cat([torch.cat([s[1] for s in starts]) for _ in lrs])
    lr_all = torch.tensor(lrs, dtype=torch.float64).repeat_interleave(len(methods) * count)
    run = train(W_all, b_all, lr=lr_all, epochs=epochs, log_every=log_every, progress=progress)
    shape = (len(lrs), len(methods), count)
    recovered = (run.outcomes[-1] == PERFECT).reshape(shape).transpose(0, 1)
    steps = first_step(run.outcomes, run.steps, PERFECT).reshape(shape).transpose(0, 1)
    return {
        "methods": methods,
        "lr": torch.tensor(lrs, dtype=torch.float64),
        "recovered": recovered.contiguous(),
        "steps_to_perfect": steps.contiguous(),
        "seed": sweep_n["failure_seed"][:count],
        "live_mask_check": live_mask(features, dead).sum(dim=1),
    }
