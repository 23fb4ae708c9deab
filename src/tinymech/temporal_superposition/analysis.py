"""Summaries of trained runs: solution classes by swept angle, seed fractions, per-feature recall.

Everything reads the payloads of :func:`.loading.load_or_train` (weights stacked over members).
"""

from __future__ import annotations

import torch

from .geometry import feature_directions, impulse_response, projections, spectral_radius, swept_angle
from .models import RNNEnsemble
from .task import delayed_targets, sample_inputs

#: Swept-angle bands (degrees) of the two solutions of the SSM: dense ~90, sparse ~270.
DENSE_BAND = (45.0, 180.0)
SPARSE_BAND = (180.0, 360.0)


def ensemble_from_payload(kind: str, payload: dict, members: torch.Tensor | list[int] | None = None) -> RNNEnsemble:
    """An untied ensemble holding the chosen members' weights (all members by default)."""
    index = torch.arange(len(payload["p"])) if members is None else torch.as_tensor(members)
    return RNNEnsemble.from_weights(kind, payload["W_x"][index], payload["W_h"][index], payload["W_y"][index])


def scalar_geometry(payload: dict, k: int, n_steps: int) -> dict[str, torch.Tensor]:
    """Feature directions and projections of scalar-input, linear-recurrence members.

    Returns:
        Dict with ``directions (M, S, N_h)``, ``c (M, S)``, ``swept_angle (M,)`` (degrees, only for
        ``N_h = 2``, else NaN), ``spectral_radius (M,)``.
    """
    w = feature_directions(payload["W_x"], payload["W_h"], n_steps)
    c = projections(payload["W_y"], w)[..., 0, 0]
    directions = w[..., 0]
    angle = swept_angle(directions, k) if directions.shape[-1] == 2 else torch.full((len(c),), float("nan"))
    return {"directions": directions, "c": c, "swept_angle": angle,
            "spectral_radius": spectral_radius(payload["W_h"])}


def solution_class(angle: torch.Tensor) -> list[str]:
    """``"dense"`` (swept angle in 45-180 degrees), ``"sparse"`` (180-360) or ``"other"``, per member."""
    labels = []
    for value in angle.tolist():
        if DENSE_BAND[0] <= value < DENSE_BAND[1]:
            labels.append("dense")
        elif SPARSE_BAND[0] <= value < SPARSE_BAND[1]:
            labels.append("sparse")
        else:
            labels.append("other")
    return labels


def best_seed_per_p(payload: dict) -> dict[float, int]:
    """Index of the member with the lowest evaluated loss for each ``p`` (best of seeds)."""
    best = {}
    for p in sorted(set(payload["p"].tolist()), reverse=True):
        members = torch.nonzero(payload["p"] == p).view(-1)
        best[p] = int(members[payload["loss"][members].argmin()])
    return best


def phase_table(payload: dict, k: int) -> list[dict]:
    """Per ``p``: seed fractions in each solution class and the best seed's angle, radius, loss, c_s.

    A seed counts only if its loss is within 25% of the best seed's loss at that ``p`` (``converged``);
    the others are optimisation failures, counted separately.
    """
    geometry = scalar_geometry(payload, k, k + 12)
    labels = solution_class(geometry["swept_angle"])
    rows = []
    for p, best in best_seed_per_p(payload).items():
        members = torch.nonzero(payload["p"] == p).view(-1).tolist()
        converged = [m for m in members if payload["loss"][m] <= 1.25 * payload["loss"][best]]
        rows.append({
            "p": p, "n_seeds": len(members), "n_converged": len(converged),
            "dense": sum(labels[m] == "dense" for m in converged),
            "sparse": sum(labels[m] == "sparse" for m in converged),
            "other": sum(labels[m] == "other" for m in converged),
            "best": best, "best_class": labels[best],
            "swept_angle": float(geometry["swept_angle"][best]),
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
