"""Summaries of trained runs: solution classes, the phase transition, interference-free share, recall.

Everything reads the payloads of the registered runs (:mod:`.experiments`; weights stacked over members)
and computes in float64 from the stored float32 weights, so that what a notebook prints does not depend
on the CPU.  The rules (thresholds, classes) are ours; each function states its rule.
"""

from __future__ import annotations

import torch

from tinymech.errors import InvalidInputError

from .geometry import (
    feature_directions,
    impulse_response,
    k_theta,
    projections,
    rotation_basis,
    swept_angle,
)
from tinymech.stats import spectral_radius
from .models import RNNEnsemble
from .task import delayed_targets, sparse_input_stream

#: Swept-angle band (degrees) of the dense spiral solution.
DENSE_BAND = (45.0, 180.0)
#: An intermediate projection below this is "parked" in the interference-free space.
PARKED_THRESHOLD = -1.0


def ensemble_from_payload(
    kind: str, payload: dict, members: torch.Tensor | list[int] | None = None
) -> RNNEnsemble:
    """An untied ensemble holding the chosen members' weights (all members by default)."""
    index = torch.arange(len(payload["p"])) if members is None else torch.as_tensor(members)
    return RNNEnsemble.from_weights(
        kind, payload["W_x"][index], payload["W_h"][index], payload["W_y"][index]
    )


def scalar_geometry(payload: dict, k: int, n_steps: int) -> dict[str, torch.Tensor]:
    """Feature directions and projections of scalar-input, linear-recurrence members.

    Returns:
        Dict of float64 tensors: ``directions (M, S, N_h)`` and ``readout (M, N_h)`` (for ``N_h = 2`` expressed in
        each member's :func:`.geometry.rotation_basis`, where ``W_h`` is a scaled rotation), ``c (M, S)``,
        ``k_theta (M,)`` (degrees, from the eigenvalue angle; the order parameter), ``swept_angle (M,)``
        (degrees, summed between the drawn arrows; NaN unless ``N_h = 2``), ``spectral_radius (M,)``.
    """
    W_x, W_h, W_y = (payload[name].double() for name in ("W_x", "W_h", "W_y"))
    w = feature_directions(W_x, W_h, n_steps)
    c = projections(W_y, w)[..., 0, 0]
    directions, readout = w[..., 0], W_y[..., 0]
    if directions.shape[-1] == 2:
        bases = torch.stack([rotation_basis(matrix) for matrix in W_h])
        directions = torch.linalg.solve(bases.unsqueeze(1), directions.unsqueeze(-1)).squeeze(
            -1
        )
        readout = (bases.transpose(-1, -2) @ readout.unsqueeze(-1)).squeeze(-1)
        angle = swept_angle(directions, k)
    else:
        angle = torch.full((len(c),), float("nan"))
    return {
        "directions": directions,
        "readout": readout,
        "c": c,
        "k_theta": k_theta(W_h, k),
        "swept_angle": angle,
        "spectral_radius": spectral_radius(W_h),
    }


def solution_class(angle: torch.Tensor, c: torch.Tensor, k: int) -> list[str]:
    """Label each member's solution from its ``k theta`` ``(M,)`` (degrees) and projections ``c (M, S)``.

    ``"sparse"``: an intermediate feature is parked in the interference-free space
    (``min_{s<k} c_s < -1``); ``"dense"``: no parked feature and a swept angle in 45-180 degrees;
    ``"other"``: anything else (faster spirals, period-two solutions, dead readouts).
    """
    parked = (
        c[:, :k].min(dim=1).values < PARKED_THRESHOLD
        if k > 0
        else torch.zeros(len(c), dtype=torch.bool)
    )
    labels = []
    for is_parked, value in zip(parked.tolist(), angle.tolist()):
        if is_parked:
            labels.append("sparse")
        elif DENSE_BAND[0] <= value < DENSE_BAND[1]:
            labels.append("dense")
        else:
            labels.append("other")
    return labels


def is_spiral_sink(
    k_theta_deg: torch.Tensor, radius: torch.Tensor, *, band: tuple[float, float] = DENSE_BAND
) -> torch.Tensor:
    """Whether each linear recurrence is a spiral sink with the dense regime's swept angle.

    A *spiral sink* rotates and shrinks the hidden state: complex eigenvalues inside the unit circle, so
    ``k theta`` is strictly between 0 and ``180 k`` and the spectral radius is below 1.  We also ask that
    ``k theta`` lie in ``band`` (degrees; the dense band of :func:`solution_class`).

    Args:
        k_theta_deg: ``(M,)`` from :func:`.geometry.k_theta`; radius: ``(M,)`` spectral radii.

    Returns:
        Boolean tensor ``(M,)``.
    """
    k_theta_deg, radius = torch.as_tensor(k_theta_deg), torch.as_tensor(radius)
    if k_theta_deg.shape != radius.shape:
        raise InvalidInputError(
            f"k_theta and radius must have the same shape, found {tuple(k_theta_deg.shape)} "
            f"and {tuple(radius.shape)}"
        )
    return (k_theta_deg >= band[0]) & (k_theta_deg < band[1]) & (radius < 1)


def members_at(payload: dict, p: float) -> torch.Tensor:
    """Indices of the members trained at feature probability ``p`` (compared to 1e-6)."""
    return torch.nonzero((payload["p"].double() - p).abs() < 1e-6).view(-1)


def best_seed_per_p(payload: dict) -> dict[float, int]:
    """Index of the member with the lowest evaluated loss for each ``p`` (best of seeds).

    Keys are the values of ``p`` rounded to 6 digits, in decreasing order.
    """
    best = {}
    for p in sorted({round(value, 6) for value in payload["p"].tolist()}, reverse=True):
        members = members_at(payload, p)
        best[p] = int(members[payload["loss"][members].argmin()])
    return best


def phase_table(payload: dict, k: int) -> list[dict]:
    """Per ``p``: seed counts in each solution class (:func:`solution_class`) and the best seed's
    class, ``k theta``, spectral radius, loss and projections ``c_s``.

    A seed counts only if its loss is within 25% of the best seed's loss at that ``p`` (``converged``);
    the others are optimisation failures, counted separately.
    """
    geometry = scalar_geometry(payload, k, k + 12)
    labels = solution_class(geometry["k_theta"], geometry["c"], k)
    rows = []
    for p, best in best_seed_per_p(payload).items():
        members = members_at(payload, p).tolist()
        converged = [m for m in members if payload["loss"][m] <= 1.25 * payload["loss"][best]]
        rows.append(
            {
                "p": p,
                "n_seeds": len(members),
                "n_converged": len(converged),
                "dense": sum(labels[m] == "dense" for m in converged),
                "sparse": sum(labels[m] == "sparse" for m in converged),
                "other": sum(labels[m] == "other" for m in converged),
                "sparse_any": sum(labels[m] == "sparse" for m in members),
                "dense_any": sum(labels[m] == "dense" for m in members),
                "best": best,
                "best_class": labels[best],
                "k_theta": float(geometry["k_theta"][best]),
                "spectral_radius": float(geometry["spectral_radius"][best]),
                "loss": float(payload["loss"][best]),
                "c": geometry["c"][best],
            }
        )
    return rows


@torch.no_grad()
def feature_recall(
    model: RNNEnsemble,
    *,
    k: int | torch.Tensor,
    p: float,
    n_sequences: int = 4000,
    seed: int = 0,
) -> torch.Tensor:
    """Fraction of each feature's target variance recalled: ``1 - E[(yhat_i - y_i)^2] / E[y_i^2]``.

    Measured on time steps with a target (``t > k``) of ``n_sequences`` sequences per member from
    :func:`.task.sparse_input_stream` (numpy, the same on every machine), in the model's dtype; 1 means
    perfect recall, 0 means the feature is not represented (predicting 0), negative is worse than 0.

    Args:
        model: ``M`` models with ``N_x`` features; k: delay, or one per member ``(M,)``; p: feature
            probability; n_sequences: sequences per member; seed: the stream's seed.

    Returns:
        Tensor of shape ``(M, N_x)``.
    """
    n_models, _, n_x = model.W_x.shape
    seq_len = int(torch.as_tensor(k).max()) + 12
    t = torch.arange(seq_len).view(1, 1, -1, 1)
    mask = (t >= torch.as_tensor(k).view(-1, 1, 1, 1)).to(model.W_x.dtype)
    error = torch.zeros(n_models, n_x, dtype=model.W_x.dtype)
    signal = torch.zeros(n_models, n_x, dtype=model.W_x.dtype)
    for x in sparse_input_stream(
        n_models, n_sequences, seq_len, n_x, p, seed=seed, dtype=model.W_x.dtype
    ):
        y = delayed_targets(x, k)
        error += (((model(x) - y) ** 2) * mask).sum(dim=(1, 2))
        signal += ((y**2) * mask).sum(dim=(1, 2))
    return 1 - error / signal


@torch.no_grad()
def readout_impulse(model: RNNEnsemble, n_steps: int) -> torch.Tensor:
    """Readout ``W_y^T h_s`` (before ReLU) after a unit input on each feature: shape ``(M, S, N_x, N_x)``.

    Entry ``[m, s, i, j]``: output ``i`` at lag ``s`` after feature ``j``; equals ``C_s`` for linear recurrence.
    """
    n_x = model.W_x.shape[-1]
    return torch.stack([impulse_response(model, n_steps, j)[1] for j in range(n_x)], dim=-1)


def interference_free_share(C: torch.Tensor, k: int) -> torch.Tensor:
    """Share of the off-target projection mass that lies in the interference-free space (negative readout).

    Off-target entries are every ``C_s[i, j]`` except the recall entries ``C_k[i, i]``: a positive one
    is read out by the ReLU as interference, a negative one costs nothing (Eq. 6).  The share is
    ``sum of C^2 over negative off-target entries / sum of C^2 over all off-target entries``: 1 when all
    interference is parked where the ReLU readout is zero, about 1/2 for a readout blind to the sign.

    Args:
        C: projections ``(..., S, N_x, N_x)`` (from :func:`.geometry.projections`; for a scalar input
            ``c[..., None, None]``); k: delay (``0 <= k < S``).

    Returns:
        Tensor of shape ``(...)`` (NaN where every off-target entry is exactly 0).

    Raises:
        InvalidInputError: if ``k`` is out of range or the last two axes are not square.
    """
    C = torch.as_tensor(C)
    if C.ndim < 3 or C.shape[-1] != C.shape[-2] or not 0 <= k < C.shape[-3]:
        raise InvalidInputError(
            f"need projections (..., S, N_x, N_x) with 0 <= k < S, found shape "
            f"{tuple(C.shape)} and k={k}"
        )
    off_target = torch.ones(C.shape[-3:], dtype=torch.bool)
    off_target[k] = ~torch.eye(C.shape[-1], dtype=torch.bool)
    squared = C**2 * off_target
    negative = (squared * (C < 0)).sum(dim=(-3, -2, -1))
    return negative / squared.sum(dim=(-3, -2, -1))


def expected_class_fraction(
    table: list[dict], *, dense_at: tuple[float, ...], sparse_at: tuple[float, ...]
) -> tuple[int, int]:
    """How many probe values of ``p`` have a best seed in the class the phase transition predicts.

    The claim (a dense regime for dense input, a sparse one for sparse input) predicts the ``"dense"``
    class of :func:`solution_class` at every ``p`` in ``dense_at`` and ``"sparse"`` at every ``p`` in
    ``sparse_at``.

    Args:
        table: rows of :func:`phase_table`; dense_at, sparse_at: probe values of ``p`` (compared to 1e-6;
            values absent from the table are skipped).

    Returns:
        ``(matches, probes)``: probes found in the table, and how many of them match.
    """
    matches, probes = 0, 0
    for row in table:
        for expected, values in (("dense", dense_at), ("sparse", sparse_at)):
            if any(abs(row["p"] - value) < 1e-6 for value in values):
                probes += 1
                matches += row["best_class"] == expected
    return matches, probes


def transition_point(table: list[dict]) -> float | None:
    """The largest ``p`` from which down the best seed is in the sparse class at every ``p`` of the grid.

    Args:
        table: rows of :func:`phase_table` (any order).

    Returns:
        That ``p``, or None when the best seed at the sparsest ``p`` is not sparse.
    """
    point = None
    for row in sorted(table, key=lambda r: r["p"]):
        if row["best_class"] != "sparse":
            break
        point = row["p"]
    return point


def radius_gap(
    table: list[dict], *, dense_at: tuple[float, ...], sparse_at: tuple[float, ...]
) -> float:
    """``max rho`` of the best seeds at the sparse probes minus ``min rho`` at the dense probes.

    Negative when every sparse-input solution has a smaller spectral radius than every dense-input one.

    Raises:
        InvalidInputError: if the table holds no probe of either kind.
    """

    def radii(values: tuple[float, ...]) -> list[float]:
        return [
            row["spectral_radius"]
            for row in table
            if any(abs(row["p"] - v) < 1e-6 for v in values)
        ]

    sparse, dense = radii(sparse_at), radii(dense_at)
    if not sparse or not dense:
        raise InvalidInputError(f"the table has no row at p = {sparse_at} or at p = {dense_at}")
    return max(sparse) - min(dense)


def sharp_recall(
    c: torch.Tensor,
    k: int,
    *,
    recall: tuple[float, float] = (0.9, 1.1),
    intermediate_max: float = 0.05,
    late_max: float = 0.01,
) -> torch.Tensor:
    """Whether a readout impulse response recalls at lag ``k`` with the claimed geometry (our thresholds).

    ``c_k`` within ``recall``; every intermediate readout ``c_s`` (``s < k``) at most
    ``intermediate_max`` (so ReLU(c_s) is about 0: the intermediate features sit in the interference-free
    space); every later readout ``ReLU(c_s)`` (``s > k``) at most ``late_max`` (sharp forgetting).

    Args:
        c: readouts after a unit input ``(M, S)`` with ``S > k + 1`` (:func:`readout_impulse`).

    Returns:
        Boolean tensor ``(M,)``.
    """
    if c.ndim != 2 or c.shape[1] <= k + 1:
        raise InvalidInputError(f"c must have shape (M, S > {k + 1}), found {tuple(c.shape)}")
    recalled = (c[:, k] >= recall[0]) & (c[:, k] <= recall[1])
    quiet = (
        c[:, :k].amax(dim=1) <= intermediate_max
        if k > 0
        else torch.ones(len(c), dtype=torch.bool)
    )
    forgotten = torch.relu(c[:, k + 1 :]).amax(dim=1) <= late_max
    return recalled & quiet & forgotten


def kept_features(
    recall: torch.Tensor, *, kept: float = 0.8, dropped: float = 0.2
) -> tuple[list[list[int]], int]:
    """Features recalled (recall at least ``kept``) per row, and the number of cells in between.

    All-or-none recall means every cell is at least ``kept`` or at most ``dropped``.

    Args:
        recall: ``(R, N_x)`` fractions of variance recalled (:func:`feature_recall`).

    Returns:
        ``(kept_per_row, n_in_between)``.
    """
    recall = torch.as_tensor(recall)
    if recall.ndim != 2 or not 0 <= dropped < kept <= 1:
        raise InvalidInputError(
            f"need recall (R, N_x) and 0 <= dropped < kept <= 1, found shape "
            f"{tuple(recall.shape)}, {dropped}, {kept}"
        )
    rows = [
        [i for i in range(recall.shape[1]) if float(recall[r, i]) >= kept]
        for r in range(recall.shape[0])
    ]
    between = int(((recall > dropped) & (recall < kept)).sum())
    return rows, between


def off_target_signs(C: torch.Tensor, k: int, *, negligible: float = 0.05) -> tuple[int, int]:
    """Signs of the non-negligible off-target projections: how many are negative, out of how many.

    Off-target entries are as in :func:`interference_free_share` (every ``C_s[i, j]`` except ``C_k[i, i]``);
    an entry with ``|C| <= negligible`` counts as zero and is left out.  Unlike the squared-mass share,
    each entry counts once, so a few large negative entries cannot hide positive ones.  An untrained
    network gives about half negative.

    Args:
        C: projections ``(S, N_x, N_x)`` of one model; k: delay; negligible: the magnitude that counts as 0.

    Returns:
        ``(negative, non_negligible)``.

    Raises:
        InvalidInputError: on a wrong shape, ``k`` out of range or a negative ``negligible``.
    """
    C = torch.as_tensor(C)
    if C.ndim != 3 or C.shape[-1] != C.shape[-2] or not 0 <= k < C.shape[0] or negligible < 0:
        raise InvalidInputError(
            f"need projections (S, N_x, N_x) with 0 <= k < S and negligible >= 0, found shape "
            f"{tuple(C.shape)}, k={k}, negligible={negligible}"
        )
    off_target = torch.ones(C.shape, dtype=torch.bool)
    off_target[k] = ~torch.eye(C.shape[-1], dtype=torch.bool)
    counted = off_target & (C.abs() > negligible)
    return int((counted & (C < 0)).sum()), int(counted.sum())
