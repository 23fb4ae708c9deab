"""Summaries of trained runs: solution classes by swept angle, seed fractions, per-feature recall.

Everything reads the payloads of the registered runs (:mod:`.experiments`; weights stacked over members).
"""

from __future__ import annotations

import torch

from .geometry import (
    feature_directions,
    impulse_response,
    k_theta,
    projections,
    rotation_basis,
    spectral_radius,
    swept_angle,
)
from .models import RNNEnsemble
from .task import delayed_targets, sample_inputs

#: Swept-angle band (degrees) of the dense spiral solution.
DENSE_BAND = (45.0, 180.0)
#: An intermediate projection below this is "parked" in the interference-free space.
PARKED_THRESHOLD = -1.0


def ensemble_from_payload(kind: str, payload: dict, members: torch.Tensor | list[int] | None = None) -> RNNEnsemble:
    """An untied ensemble holding the chosen members' weights (all members by default)."""
    index = torch.arange(len(payload["p"])) if members is None else torch.as_tensor(members)
    return RNNEnsemble.from_weights(kind, payload["W_x"][index], payload["W_h"][index], payload["W_y"][index])


def scalar_geometry(payload: dict, k: int, n_steps: int) -> dict[str, torch.Tensor]:
    """Feature directions and projections of scalar-input, linear-recurrence members.

    Returns:
        Dict with ``directions (M, S, N_h)`` and ``readout (M, N_h)`` (for ``N_h = 2`` expressed in
        each member's :func:`.geometry.rotation_basis`, where ``W_h`` is a scaled rotation), ``c (M, S)``,
        ``k_theta (M,)`` (degrees, from the eigenvalue angle; the order parameter), ``swept_angle (M,)``
        (degrees, summed between the drawn arrows; NaN unless ``N_h = 2``), ``spectral_radius (M,)``.
    """
    w = feature_directions(payload["W_x"], payload["W_h"], n_steps)
    c = projections(payload["W_y"], w)[..., 0, 0]
    directions, readout = w[..., 0], payload["W_y"][..., 0]
    if directions.shape[-1] == 2:
        bases = torch.stack([rotation_basis(W_h) for W_h in payload["W_h"]])
        directions = torch.linalg.solve(bases.unsqueeze(1), directions.unsqueeze(-1)).squeeze(-1)
        readout = (bases.transpose(-1, -2) @ readout.unsqueeze(-1)).squeeze(-1)
        angle = swept_angle(directions, k)
    else:
        angle = torch.full((len(c),), float("nan"))
    return {"directions": directions, "readout": readout, "c": c, "k_theta": k_theta(payload["W_h"], k),
            "swept_angle": angle, "spectral_radius": spectral_radius(payload["W_h"])}


def solution_class(angle: torch.Tensor, c: torch.Tensor, k: int) -> list[str]:
    """Label each member's solution from its ``k theta`` ``(M,)`` (degrees) and projections ``c (M, S)``.

    ``"sparse"``: an intermediate feature is parked in the interference-free space
    (``min_{s<k} c_s < -1``); ``"dense"``: no parked feature and a swept angle in 45-180 degrees;
    ``"other"``: anything else (faster spirals, period-two solutions, dead readouts).
    """
    parked = c[:, :k].min(dim=1).values < PARKED_THRESHOLD if k > 0 else torch.zeros(len(c), dtype=torch.bool)
    labels = []
    for is_parked, value in zip(parked.tolist(), angle.tolist()):
        if is_parked:
            labels.append("sparse")
        elif DENSE_BAND[0] <= value < DENSE_BAND[1]:
            labels.append("dense")
        else:
            labels.append("other")
    return labels


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
        rows.append({
            "p": p, "n_seeds": len(members), "n_converged": len(converged),
            "dense": sum(labels[m] == "dense" for m in converged),
            "sparse": sum(labels[m] == "sparse" for m in converged),
            "other": sum(labels[m] == "other" for m in converged),
            "sparse_any": sum(labels[m] == "sparse" for m in members),
            "dense_any": sum(labels[m] == "dense" for m in members),
            "best": best, "best_class": labels[best],
            "k_theta": float(geometry["k_theta"][best]),
            "spectral_radius": float(geometry["spectral_radius"][best]),
            "loss": float(payload["loss"][best]),
            "c": geometry["c"][best],
        })
    return rows


@torch.no_grad()
def feature_recall(model: RNNEnsemble, *, k: torch.Tensor, p: float, n_sequences: int = 4000,
                   seed: int = 0) -> torch.Tensor:
    """Fraction of each feature's target variance recalled: ``1 - E[(yhat_i - y_i)^2] / E[y_i^2]``.

    Measured on time steps with a target (``t > k``); 1 means perfect recall, 0 means the feature is
    not represented (predicting 0).  Returns shape ``(M, N_x)``.
    """
    n_models, _, n_x = model.W_x.shape
    seq_len = int(torch.as_tensor(k).max()) + 12
    x = sample_inputs(n_models, n_sequences, seq_len, n_x, p, generator=torch.Generator().manual_seed(seed))
    y = delayed_targets(x, k)
    t = torch.arange(seq_len).view(1, 1, -1, 1)
    mask = (t >= torch.as_tensor(k).view(-1, 1, 1, 1)).to(x.dtype)
    error = (((model(x) - y) ** 2) * mask).sum(dim=(1, 2))
    signal = ((y**2) * mask).sum(dim=(1, 2))
    return 1 - error / signal


@torch.no_grad()
def readout_impulse(model: RNNEnsemble, n_steps: int) -> torch.Tensor:
    """Readout ``W_y^T h_s`` (before ReLU) after a unit input on each feature: shape ``(M, S, N_x, N_x)``.

    Entry ``[m, s, i, j]``: output ``i`` at lag ``s`` after feature ``j``; equals ``C_s`` for linear recurrence.
    """
    n_x = model.W_x.shape[-1]
    return torch.stack([impulse_response(model, n_steps, j)[1] for j in range(n_x)], dim=-1)
