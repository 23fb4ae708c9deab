"""The statistic behind each of the miiii chapter's claims, measured on one set of four runs.

The chapter measures the claims of Syrkis & Søgaard (2024) on two sets of runs: its CPU-scale study
(p = 47, d = 128, its own learning rate, weight decay and Grokfast lambda) and the paper's scale (p = 113,
d = 256, every setting of the paper's Table 2, stopped by a wall-time limit before the paper's 65,536
epochs).  :func:`measure_claims` computes the same statistics for either set, with the functions the
chapter explains (:mod:`.grokking`, :mod:`.fourier`, :mod:`.neurons`), so that the two scales are compared
number for number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.errors import InvalidInputError

from . import fourier, grokking, neurons
from .tasks import make_task

RUN_KINDS = ("miiii", "nanda", "basis", "masked")
SMALL_MODULI = (2, 3, 5, 7)
MASKED_FIRST = (11, 13, 17, 19)
# The paper's table of active frequencies of the neuron-averaged spectrum (epochs -> count).
PAPER_WALL = {256: 0, 1024: 0, 4096: 10, 16384: 18, 65536: 10}


@dataclass(frozen=True)
class ClaimMeasures:
    """Every claim statistic of one run set (see :func:`measure_claims`).

    Attributes:
        p, d: the runs' base and width.
        epochs: the epochs each run trained, by run kind; ``horizon`` the planned epochs of miiii.
        moduli: q of each miiii task.
        epochs_half: ``(n_tasks,)`` epoch miiii got halfway from chance to perfect (nan: not yet).
        order: moduli in the order they got halfway (ties by increasing q).
        small_order_gap: the smallest gap in epochs between consecutive tasks of q = 2, 3, 5, 7 in that
            order (negative if a later one got halfway first: the claim's margin), nan if one never did.
        log_every: the logging interval, the resolution of every epoch above.
        n_generalised, n_perfect: tasks halfway, and at least 0.99 of the way, by the end.
        slowest_q, slowest_progress, slowest_se: the task with the least progress from chance at the end,
            its progress and the binomial standard error of it.
        rho, rho_n, rho_critical: Spearman correlation of q and the epoch halfway over the tasks q >= 11
            that got there, their number, and the 5% critical value (nan below 4 tasks).
        nanda_half: epoch Nanda's task got halfway.
        all_half: epoch every miiii task had got halfway (nan if some never did).
        slower_ratio: ``all_half / nanda_half``, or its lower bound ``epochs / nanda_half`` when some task
            never got halfway (then ``slower_ratio_is_bound``).
        correlation: Pearson correlation of the two digit positions' embeddings, by run kind.
        marks: components holding 50% and 90% of the squared singular values of the digit-token
            embedding, by run kind.
        purity, noise_purity: share of the top-2 singular vectors' power in one frequency, by run kind,
            and its Gaussian level ``H_m / m``.
        active1, active2: active frequencies of the token-embedding spectrum above mean + 1 std and mean
            + 2 std, by run kind.
        nanda_active: Nanda's active frequencies (mean + 1 std).
        calibrated: active frequencies by the threshold calibrated on Gaussian embeddings of the same shape
            (:func:`.fourier.noise_amplitude_threshold`, 99th percentile), by run kind (sorted lists).
        peak, noise_peak: spectrum peak over mean by run kind, and the 99th percentile of Gaussian
            embeddings of the same shape.
        snapshot_epochs, wall_counts: miiii's snapshot epochs and the neuron-averaged spectrum's active
            frequencies (mean + 2 std) at each.
        paper_wall: the count at each of the paper's epochs that the run reached.
        wall: the wall test of :func:`.neurons.frequency_wall` between q = 2, 3, 5, 7 learnt and every
            task halfway (or the end of the run).
        masked_order: T_masked's moduli in the order they got halfway; ``masked_overlap`` how many of its
            first four are the paper's 11, 13, 17, 19.
        delay, delay_se: mean progress from chance on q >= 11, T_masked minus miiii, at T_masked's last
            epoch, with its standard error.
        n_valid: validation inputs per task.
    """

    p: int
    d: int
    epochs: dict
    horizon: int
    moduli: list
    epochs_half: np.ndarray
    order: list
    small_order_gap: float
    log_every: int
    n_generalised: int
    n_perfect: int
    slowest_q: int
    slowest_progress: float
    slowest_se: float
    rho: float
    rho_n: int
    rho_critical: float
    nanda_half: float
    all_half: float
    slower_ratio: float
    slower_ratio_is_bound: bool
    correlation: dict
    marks: dict
    purity: dict
    noise_purity: float
    active1: dict
    active2: dict
    nanda_active: list
    calibrated: dict
    peak: dict
    noise_peak: float
    snapshot_epochs: list
    wall_counts: list
    paper_wall: dict
    wall: neurons.FrequencyWall
    masked_order: list
    masked_overlap: int
    delay: float
    delay_se: float
    n_valid: int


def _check_runs(runs: dict) -> None:
    missing = [kind for kind in RUN_KINDS if kind not in runs]
    if missing:
        raise InvalidInputError(
            f"runs must hold the payloads of {', '.join(RUN_KINDS)}; missing {missing}"
        )
    p = {kind: runs[kind]["config"]["p"] for kind in RUN_KINDS}
    if len(set(p.values())) != 1:
        raise InvalidInputError(f"the four runs must share one p, got {p}")


def measure_claims(runs: dict) -> ClaimMeasures:
    """Measure every claim statistic of the chapter on one set of runs.

    Args:
        runs: payloads (as loaded by :func:`tinymech.registry.load`) keyed "miiii", "nanda", "basis" and
            "masked", all at one p.

    Returns:
        A :class:`ClaimMeasures`.

    Raises:
        InvalidInputError: if a run is missing or the runs differ in p.
    """
    _check_runs(runs)
    config = runs["miiii"]["config"]
    p, d = config["p"], config["d"]
    moduli = [int(q) for q in runs["miiii"]["moduli"]]
    log = runs["miiii"]["log"]
    half = grokking.generalisation_epochs(log, moduli)
    order = grokking.generalisation_order(half, moduli)
    small = np.array([half[moduli.index(q)] for q in SMALL_MODULI])
    gap = float(np.diff(small).min()) if np.isfinite(small).all() else math.nan
    final = log["valid_acc"][-1].numpy()
    n_valid = int(
        (
            ~make_task(
                "miiii", p, train_fraction=config["train_fraction"], seed=config["seed"]
            ).train_mask
        ).sum()
    )
    progress = grokking.progress_from_chance(final, moduli)
    slowest = int(progress.argmin())
    slowest_se = float(
        grokking.accuracy_standard_error(final[slowest], n_valid) / (1 - 1 / moduli[slowest])
    )
    large = [t for t, q in enumerate(moduli) if q >= 11]
    reached = [t for t in large if np.isfinite(half[t])]
    rho = (
        grokking.order_correlation([moduli[t] for t in large], half[large])
        if len(reached) >= 4
        else math.nan
    )
    rho_critical = (
        grokking.spearman_critical_value(len(reached)) if len(reached) >= 4 else math.nan
    )
    nanda_half = float(grokking.generalisation_epochs(runs["nanda"]["log"], [p])[0])
    complete = bool(np.isfinite(half).all())
    all_half = float(half.max()) if complete else math.nan
    slower = (all_half if complete else float(log["epoch"][-1])) / nanda_half

    embeddings = {
        kind: runs[kind]["final_state"]["token_embedding"][:p].numpy() for kind in RUN_KINDS
    }
    spectra = {kind: fourier.embedding_spectrum(embeddings[kind]) for kind in RUN_KINDS}
    noise_amplitude = fourier.noise_amplitude_threshold(p, d, quantile=0.99)

    snapshots = runs["miiii"]["snapshots"]
    snap_epochs = [int(e) for e in snapshots["epoch"]]
    counts = neurons.averaged_active_frequency_count(
        snapshots["neuron_spectrum"].numpy(), n_std=2.0
    )
    small_done = float(small.max()) if np.isfinite(small).all() else math.nan
    stop = all_half if complete else float(log["epoch"][-1])
    wall = neurons.frequency_wall(snap_epochs, counts, start=small_done, stop=stop)

    masked_log = runs["masked"]["log"]
    masked_order = grokking.generalisation_order(
        grokking.generalisation_epochs(masked_log, moduli), moduli
    )
    masked_end = int(masked_log["epoch"][-1])
    large_q = [moduli[t] for t in large]
    chance_span = 1 - 1 / np.array(large_q)
    mean_progress, se = {}, {}
    for kind in ("miiii", "masked"):
        acc = grokking.validation_accuracy_at(runs[kind]["log"], masked_end)[large]
        mean_progress[kind] = float(grokking.progress_from_chance(acc, large_q).mean())
        se[kind] = float(
            np.sqrt(((grokking.accuracy_standard_error(acc, n_valid) / chance_span) ** 2).sum())
            / len(large)
        )

    return ClaimMeasures(
        p=p,
        d=d,
        epochs={kind: int(runs[kind]["config"]["epochs"]) for kind in RUN_KINDS},
        horizon=int(config["snapshot_horizon"] or config["epochs"]),
        moduli=moduli,
        epochs_half=half,
        order=order,
        small_order_gap=gap,
        log_every=int(config["log_every"]),
        n_generalised=int(np.isfinite(half).sum()),
        n_perfect=int((progress >= 0.99).sum()),
        slowest_q=moduli[slowest],
        slowest_progress=float(progress[slowest]),
        slowest_se=slowest_se,
        rho=float(rho),
        rho_n=len(reached),
        rho_critical=float(rho_critical),
        nanda_half=nanda_half,
        all_half=all_half,
        slower_ratio=float(slower),
        slower_ratio_is_bound=not complete,
        correlation={
            kind: fourier.positional_correlation(
                runs[kind]["final_state"]["position_embedding"]
            )
            for kind in RUN_KINDS
        },
        marks={
            kind: tuple(int(m) for m in fourier.singular_value_marks(embeddings[kind])[1:])
            for kind in RUN_KINDS
        },
        purity={
            kind: float(fourier.singular_vector_purity(embeddings[kind], 2).mean())
            for kind in RUN_KINDS
        },
        noise_purity=float(fourier.noise_purity(p)),
        active1={
            kind: len(fourier.active_frequencies(spectra[kind], n_std=1.0))
            for kind in RUN_KINDS
        },
        active2={
            kind: len(fourier.active_frequencies(spectra[kind], n_std=2.0))
            for kind in RUN_KINDS
        },
        nanda_active=[int(k) for k in fourier.active_frequencies(spectra["nanda"], n_std=1.0)],
        calibrated={
            kind: [
                int(k)
                for k in fourier.calibrated_active_frequencies(
                    embeddings[kind], noise_amplitude
                )
            ]
            for kind in RUN_KINDS
        },
        peak={kind: float(fourier.peak_to_mean(spectra[kind])) for kind in RUN_KINDS},
        noise_peak=float(fourier.noise_peak_to_mean(p, d, quantile=0.99)),
        snapshot_epochs=snap_epochs,
        wall_counts=[int(c) for c in counts],
        paper_wall={
            e: int(counts[snap_epochs.index(e)]) for e in PAPER_WALL if e in snap_epochs
        },
        wall=wall,
        masked_order=masked_order,
        masked_overlap=len(set(masked_order[:4]) & set(MASKED_FIRST)),
        delay=mean_progress["masked"] - mean_progress["miiii"],
        delay_se=float(np.hypot(se["masked"], se["miiii"])),
        n_valid=n_valid,
    )
