"""Staircase learning curves: plateaus and drops of a loss curve, and when each feature direction leaves the readout.

The claim tested (attributed to Sharma et al. 2026; not stated in their abstract): from a small
initialisation the linear RNN's loss falls in a staircase, first all feature directions ``w_s`` align
with the readout, then they separate in time order.  The rules are ours: plateaus and drops in
:func:`detect_plateaus`, departures from the readout in :func:`departure_steps`, the order of the
departures in :func:`departure_order` and the whole reading of a run in :func:`read_staircase`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from tinymech.errors import InvalidInputError

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


def detect_plateaus(
    steps: torch.Tensor,
    loss: torch.Tensor,
    *,
    flat_slope: float = 0.1,
    min_decades: float = 0.25,
    min_drop: float = 0.1,
) -> Staircase:
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
        InvalidInputError: on mismatched shapes, fewer than 3 points, non-increasing steps or a
            non-positive loss.
    """
    steps = torch.as_tensor(steps, dtype=torch.float64)
    loss = torch.as_tensor(loss, dtype=torch.float64)
    if steps.ndim != 1 or steps.shape != loss.shape or len(steps) < 3:
        raise InvalidInputError(
            f"steps and loss must have the same shape (n,), n >= 3; found {tuple(steps.shape)} "
            f"and {tuple(loss.shape)}"
        )
    if (steps < 0).any() or (torch.diff(steps) <= 0).any():
        raise InvalidInputError("steps must be >= 0 and strictly increasing")
    if (loss <= 0).any():
        raise InvalidInputError("loss must be positive for a log-log curve")
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
    return Staircase(
        plateaus=[(float(steps[a]), float(steps[b]), level) for a, b, level in levels],
        drop_steps=drops,
    )


def readout_cosines(
    W_x: torch.Tensor, W_h: torch.Tensor, W_y: torch.Tensor, n_steps: int
) -> torch.Tensor:
    """Cosine between each feature direction ``w_s`` and the readout ``w_y`` (scalar input).

    Cosines are taken in the network's own hidden basis (the sign, ``sign c_s``, is basis-free;
    the size is not, except that 1 means ``w_s`` parallel to ``w_y`` for every ``s``).

    Args:
        W_x: ``(..., N_h, 1)``; W_h: ``(..., N_h, N_h)``; W_y: ``(..., N_h, 1)``; n_steps: lags ``S``.

    Returns:
        Tensor of shape ``(..., S)``.

    Raises:
        InvalidInputError: if the input is not scalar (``N_x != 1``).
    """
    if W_x.shape[-1] != 1 or W_y.shape[-1] != 1:
        raise InvalidInputError(
            f"readout_cosines needs scalar input (N_x = 1), found W_x {tuple(W_x.shape)}"
        )
    w = feature_directions(W_x, W_h, n_steps)[..., 0]  # (..., S, N_h)
    readout = W_y[..., 0].unsqueeze(-2)  # (..., 1, N_h)
    return (w * readout).sum(-1) / (w.norm(dim=-1) * readout.norm(dim=-1)).clamp_min(1e-30)


def departure_steps(
    steps: torch.Tensor, cosines: torch.Tensor, *, start: int, angle_deg: float = 20.0
) -> torch.Tensor:
    """First step, at or after snapshot ``start``, at which each ``w_s`` is more than ``angle_deg`` from the readout.

    With ``start`` the moment all ``w_s`` are aligned with the readout, the order of these steps over
    ``s`` is the order in which the feature directions separate (the staircase claim, see the module docstring).

    Args:
        steps: shape ``(n,)``; cosines: ``(n, S)`` from :func:`readout_cosines`; start: snapshot index;
        angle_deg: the angle (degrees, in ``(0, 180)``) that counts as having left the readout.

    Returns:
        Tensor of shape ``(S,)``: the departure step, or -1 for a direction that never leaves.

    Raises:
        InvalidInputError: on mismatched shapes, ``start`` out of range or an angle outside ``(0, 180)``.
    """
    if cosines.ndim != 2 or cosines.shape[0] != len(steps):
        raise InvalidInputError(
            f"cosines must have shape ({len(steps)}, S), found {tuple(cosines.shape)}"
        )
    if not 0 <= start < len(steps) or not 0 < angle_deg < 180:
        raise InvalidInputError(
            f"need 0 <= start < {len(steps)} and 0 < angle_deg < 180, found {start}, {angle_deg}"
        )
    away = cosines[start:] < math.cos(math.radians(angle_deg))  # (n - start, S)
    first = away.to(torch.int8).argmax(dim=0)
    departed = torch.as_tensor(steps)[start + first]
    return torch.where(away.any(dim=0), departed, torch.full_like(departed, -1))


#: Departure orders of the intermediate directions (see :func:`departure_order`).
ORDERS = ("in order", "tie", "incomplete", "out of order")


def departure_order(departures: torch.Tensor, k: int) -> str:
    """Whether the intermediate directions ``w_0 .. w_{k-1}`` left the readout in lag order.

    Only a strict order is an order: two directions that leave between the same two snapshots are a
    *tie* (the snapshots cannot tell which left first).

    Args:
        departures: departure step of each lag, shape ``(S,)`` with ``S >= k``, ``-1`` for a direction that
            never leaves (from :func:`departure_steps`).
        k: delay; lags ``0 .. k-1`` are the intermediate features, the ones that must leave the readout.

    Returns:
        ``"out of order"`` if a longer lag left strictly before a shorter one; else ``"in order"`` if all
        ``k`` left at strictly increasing steps; else ``"tie"`` if two left at the same step; else
        ``"incomplete"`` (some never left, the others in order).

    Raises:
        InvalidInputError: if ``k < 2`` (an order needs two directions) or ``departures`` is shorter than ``k``.
    """
    departures = torch.as_tensor(departures).reshape(-1)
    if k < 2 or len(departures) < k:
        raise InvalidInputError(
            f"need k >= 2 and at least k departure steps, found k={k}, {len(departures)} steps"
        )
    left = [int(d) for d in departures[:k] if int(d) >= 0]
    if any(left[j] < left[i] for i in range(len(left)) for j in range(i + 1, len(left))):
        return "out of order"
    if len(left) == k and all(a < b for a, b in zip(left, left[1:])):
        return "in order"
    if len(set(left)) < len(left):
        return "tie"
    return "incomplete"


@dataclass(frozen=True)
class StaircaseReading:
    """One training run read as a staircase (the rule is in :func:`read_staircase`).

    Attributes:
        found: plateaus and drops of the loss curve (:func:`detect_plateaus`).
        alignment: at the best-aligned snapshot, the smallest cosine between a ``w_s`` and the readout.
        align_step: the step of that snapshot.
        departures: per lag, the step at which ``w_s`` leaves the readout after ``align_step`` (-1: never).
        drops_after_alignment: drops at or after ``align_step``.
        order: :func:`departure_order` of the intermediate directions.
        is_staircase: at least two drops, every ``w_s`` aligned with the readout in between (cosine above
            ``aligned_cosine``), then at least one drop.
    """

    found: Staircase
    alignment: float
    align_step: float
    departures: torch.Tensor
    drops_after_alignment: int
    order: str
    is_staircase: bool


def read_staircase(
    steps: torch.Tensor,
    loss: torch.Tensor,
    cosines: torch.Tensor,
    *,
    k: int,
    aligned_cosine: float = 0.99,
    angle_deg: float = 20.0,
    tie_tolerance: float = 1e-9,
) -> StaircaseReading:
    """Read one run's learning curve and feature directions as the staircase of claim 3 (our rule).

    1. Plateaus and drops of the loss: :func:`detect_plateaus`.
    2. Alignment: the snapshot at which the least aligned direction is best aligned with the readout
       (the largest ``min_s cos(w_s, w_y)``; snapshots within ``tie_tolerance`` of the largest count as
       tied and the earliest is taken, so that rounding cannot choose).
    3. Departures from that snapshot on: :func:`departure_steps` with ``angle_deg``.
    4. A *staircase*: at least two drops, alignment above ``aligned_cosine`` and at least one drop at or
       after the aligned snapshot (the directions separate in a later drop than the one that aligned them).
    5. Order of the intermediate directions ``w_0 .. w_{k-1}``: :func:`departure_order` (ties are not order).

    Args:
        steps: snapshot steps ``(n,)``; loss: loss at those steps ``(n,)``; cosines: ``(n, S)`` from
            :func:`readout_cosines` with ``S > k``; k: delay.

    Raises:
        InvalidInputError: on mismatched shapes or invalid thresholds.
    """
    steps = torch.as_tensor(steps)
    cosines = torch.as_tensor(cosines, dtype=torch.float64)
    if cosines.ndim != 2 or cosines.shape[0] != len(steps) or cosines.shape[1] <= k:
        raise InvalidInputError(
            f"cosines must have shape ({len(steps)}, S > {k}), found {tuple(cosines.shape)}"
        )
    if not 0 < aligned_cosine < 1 or tie_tolerance < 0:
        raise InvalidInputError(
            f"need 0 < aligned_cosine < 1 and tie_tolerance >= 0, found {aligned_cosine}, "
            f"{tie_tolerance}"
        )
    found = detect_plateaus(steps, loss)
    alignment = cosines.min(dim=-1).values
    start = int(torch.nonzero(alignment >= alignment.max() - tie_tolerance)[0])
    departures = departure_steps(steps, cosines, start=start, angle_deg=angle_deg)
    align_step = float(steps[start])
    drops_after = sum(step >= align_step for step in found.drop_steps)
    is_staircase = (
        found.n_drops >= 2 and float(alignment[start]) > aligned_cosine and drops_after >= 1
    )
    return StaircaseReading(
        found=found,
        alignment=float(alignment[start]),
        align_step=align_step,
        departures=departures,
        drops_after_alignment=drops_after,
        order=departure_order(departures, k),
        is_staircase=is_staircase,
    )
