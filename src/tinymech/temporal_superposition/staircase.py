"""Staircase learning curves: plateaus and drops of a loss curve, and when each feature direction leaves the readout.

Claim 3 of the brief (Sharma et al. 2026): from a small initialisation the linear RNN's loss falls
in a staircase, first all feature directions ``w_s`` align with the readout, then they separate in
time order.  The rule used to count steps is stated in :func:`detect_plateaus`; it is ours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .geometry import feature_directions


@dataclass(frozen=True)
class Staircase:
    """Plateaus and drops found in one loss curve.

    Attributes:
        plateaus: ``(first_step, last_step, level)`` of each plateau, in training order (level = loss
            at the plateau's last point).
        drop_steps: for each drop, the step at which the loss falls fastest (per log step).
        n_drops: number of drops; a staircase has at least two.
    """

    plateaus: list[tuple[float, float, float]]
    drop_steps: list[float]

    @property
    def n_drops(self) -> int:
        return len(self.drop_steps)


def detect_plateaus(steps: torch.Tensor, loss: torch.Tensor, *, flat_slope: float = 0.1,
                    min_decades: float = 0.25, min_drop: float = 0.1) -> Staircase:
    """Plateaus and drops of a loss curve on log-log axes (our rule, stated here).

    With ``x = log10(step + 1)`` and ``y = log10(loss)``, an interval between consecutive points is
    *flat* when ``|dy/dx| < flat_slope`` (the loss changes by less than a factor ``10**flat_slope``
    per decade of steps).  A *plateau* is a maximal run of flat intervals spanning at least
    ``min_decades`` decades.  A *drop* is a fall by more than a fraction ``min_drop`` between two
    consecutive *anchors* (the plateaus, plus the first and the last point where no plateau covers
    them); its step is the start of the steepest interval in between.

    Args:
        steps: training steps, shape ``(n,)``, strictly increasing, ``>= 0``.
        loss: loss at those steps, shape ``(n,)``, positive.
        flat_slope, min_decades, min_drop: the thresholds of the rule.

    Returns:
        A :class:`Staircase`.

    Raises:
        ValueError: on mismatched shapes, fewer than 3 points, non-increasing steps or a
            non-positive loss.
    """
    steps = torch.as_tensor(steps, dtype=torch.float64)
    loss = torch.as_tensor(loss, dtype=torch.float64)
    if steps.ndim != 1 or steps.shape != loss.shape or len(steps) < 3:
        raise ValueError(f"steps and loss must have the same shape (n,), n >= 3; found {tuple(steps.shape)} "
                         f"and {tuple(loss.shape)}")
    if (steps < 0).any() or (torch.diff(steps) <= 0).any():
        raise ValueError("steps must be >= 0 and strictly increasing")
    if (loss <= 0).any():
        raise ValueError("loss must be positive for a log-log curve")
    x, y = torch.log10(steps + 1), torch.log10(loss)
    slope = torch.diff(y) / torch.diff(x)  # (n - 1,)
    flat = (slope.abs() < flat_slope).tolist()
    plateaus: list[tuple[int, int]] = []  # point indices (first, last)
    start = None
    for i, is_flat in enumerate(flat + [False]):
        if is_flat and start is None:
            start = i
        elif not is_flat and start is not None:
            if x[i] - x[start] >= min_decades:
                plateaus.append((start, i))
            start = None
    levels = [(a, b, float(loss[b])) for a, b in plateaus]
    # anchors: the first point (unless a plateau starts there), the plateaus, the last point (likewise)
    anchors = list(plateaus)
    if not anchors or anchors[0][0] > 0:
        anchors.insert(0, (0, 0))
    if anchors[-1][1] < len(steps) - 1:
        anchors.append((len(steps) - 1, len(steps) - 1))
    drops: list[float] = []
    for (_, end), (begin, _) in zip(anchors[:-1], anchors[1:]):
        if begin > end and float(loss[begin]) < (1 - min_drop) * float(loss[end]):
            steepest = end + int(torch.argmin(slope[end:begin]))
            drops.append(float(steps[steepest]))
    return Staircase(plateaus=[(float(steps[a]), float(steps[b]), level) for a, b, level in levels],
                     drop_steps=drops)


def readout_cosines(W_x: torch.Tensor, W_h: torch.Tensor, W_y: torch.Tensor, n_steps: int) -> torch.Tensor:
    """Cosine between each feature direction ``w_s`` and the readout ``w_y`` (scalar input).

    Cosines are taken in the network's own hidden basis (the sign, ``sign c_s``, is basis-free;
    the size is not, except that 1 means ``w_s`` parallel to ``w_y`` for every ``s``).

    Args:
        W_x: ``(..., N_h, 1)``; W_h: ``(..., N_h, N_h)``; W_y: ``(..., N_h, 1)``; n_steps: lags ``S``.

    Returns:
        Tensor of shape ``(..., S)``.

    Raises:
        ValueError: if the input is not scalar (``N_x != 1``).
    """
    if W_x.shape[-1] != 1 or W_y.shape[-1] != 1:
        raise ValueError(f"readout_cosines needs scalar input (N_x = 1), found W_x {tuple(W_x.shape)}")
    w = feature_directions(W_x, W_h, n_steps)[..., 0]  # (..., S, N_h)
    readout = W_y[..., 0].unsqueeze(-2)  # (..., 1, N_h)
    return (w * readout).sum(-1) / (w.norm(dim=-1) * readout.norm(dim=-1)).clamp_min(1e-30)


def departure_steps(steps: torch.Tensor, cosines: torch.Tensor, *, start: int, angle_deg: float = 20.0) -> torch.Tensor:
    """First step, at or after snapshot ``start``, at which each ``w_s`` is more than ``angle_deg`` from the readout.

    With ``start`` the moment all ``w_s`` are aligned with the readout, the order of these steps over
    ``s`` is the order in which the feature directions separate (brief, claim 3).

    Args:
        steps: shape ``(n,)``; cosines: ``(n, S)`` from :func:`readout_cosines`; start: snapshot index;
        angle_deg: the angle (degrees, in ``(0, 180)``) that counts as having left the readout.

    Returns:
        Tensor of shape ``(S,)``: the departure step, or -1 for a direction that never leaves.

    Raises:
        ValueError: on mismatched shapes, ``start`` out of range or an angle outside ``(0, 180)``.
    """
    if cosines.ndim != 2 or cosines.shape[0] != len(steps):
        raise ValueError(f"cosines must have shape ({len(steps)}, S), found {tuple(cosines.shape)}")
    if not 0 <= start < len(steps) or not 0 < angle_deg < 180:
        raise ValueError(f"need 0 <= start < {len(steps)} and 0 < angle_deg < 180, found {start}, {angle_deg}")
    away = cosines[start:] < math.cos(math.radians(angle_deg))  # (n - start, S)
    first = away.to(torch.int8).argmax(dim=0)
    departed = torch.as_tensor(steps)[start + first]
    return torch.where(away.any(dim=0), departed, torch.full_like(departed, -1))
