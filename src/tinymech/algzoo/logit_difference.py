"""M2,2's logit difference as a piecewise-linear function on sectors, classified as ARC does.

ARC {cite}`arc2026algzoo`: with ``Delta(x0, x1) = logit_1 - logit_0`` and no biases, Delta is positively
homogeneous and piecewise linear; on each piece ``Delta = a0 x0 - a1 x1`` with ``a0, a1 > 0``.  A piece is
*blue* where ``a0 < a1``, *green* where ``a0 > a1``, *yellow* where ``a0 ~ a1`` (ARC: to within one part
in 2^11).  The model predicts position 1 (the 2nd argmax when ``x1 < x0``) where ``Delta > 0``; a yellow
piece that contains the line ``x0 = x1`` errs on the thin sector between that line and the ray
``a0 x0 = a1 x1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.exact.sectors import sectors

COLOURS = ("blue", "green", "yellow")


@dataclass(frozen=True)
class LogitDifferencePiece:
    """One sector of constant activation pattern with ``Delta = a0 x0 - a1 x1`` on it.

    Attributes:
        start, end: bounding angles (radians) of the sector in the ``(x0, x1)`` plane.
        a0, a1: the coefficients (dimensionless; ``Delta`` is in logit units per input unit).
        activation_pattern: ``(2, hidden)`` booleans.
        colour: "blue" (a0 < a1), "green" (a0 > a1) or "yellow" (relative gap below the threshold).
    """

    start: float
    end: float
    a0: float
    a1: float
    activation_pattern: np.ndarray
    colour: str

    @property
    def relative_gap(self) -> float:
        """``|a0 - a1| / max(|a0|, |a1|)``: how nearly equal the coefficients are."""
        scale = max(abs(self.a0), abs(self.a1))
        return abs(self.a0 - self.a1) / scale if scale > 0 else 0.0

    @property
    def contains_diagonal(self) -> bool:
        """Whether the sector contains a ray of the label boundary ``x0 = x1`` (angle pi/4 or 5 pi/4)."""
        return any(self.start < a < self.end for a in (math.pi / 4, 5 * math.pi / 4))


def logit_difference_pieces(model: ReLURNN | RNNWeights, *, yellow_threshold: float = 0.01) -> list[LogitDifferencePiece]:
    """The pieces of ``Delta`` for an M_{d,2}, in increasing angle.

    Args:
        model: a 2-input model.
        yellow_threshold: a piece whose relative gap ``|a0 - a1| / max(a0, a1)`` is below this is yellow
            (ARC's yellow pieces agree to ~2^-11 ~ 5e-4, far below the default 1e-2).

    Raises:
        ValueError: if the model does not have sequence length 2.
    """
    pieces = []
    for sector in sectors(model):
        c0, c1 = sector.logit_difference
        a0, a1 = float(c0), float(-c1)
        gap = abs(a0 - a1) / max(abs(a0), abs(a1), 1e-300)
        colour = "yellow" if gap < yellow_threshold else ("blue" if a0 < a1 else "green")
        pieces.append(LogitDifferencePiece(sector.start, sector.end, a0, a1, sector.piece.activation_pattern, colour))
    return pieces


def decision_boundary_rays(pieces: list[LogitDifferencePiece]) -> list[float]:
    """Angles (radians) of the rays where ``Delta`` changes sign, from the pieces."""
    rays = []
    for piece in pieces:
        base = math.atan2(piece.a0, piece.a1) % math.pi  # a0 cos t - a1 sin t = 0
        rays += [a for a in (base, base + math.pi) if piece.start <= a < piece.end]
    return sorted(rays)


def error_rate_from_yellow_pieces(pieces: list[LogitDifferencePiece]) -> float:
    """ARC's account of the error: the angle between ``x0 = x1`` and ``a0 x0 = a1 x1`` in each yellow
    piece that contains the diagonal, summed and divided by ``2 pi``.

    For ``a0 ~ a1`` this is ``~ sum |a0 - a1| / (2 (a0 + a1)) / (2 pi)``, i.e. about ``1 / (2 pi 2^11)``
    for two pieces each with a relative gap of ``2^-11``.
    """
    total = 0.0
    for piece in pieces:
        if piece.colour == "yellow" and piece.contains_diagonal:
            total += abs(math.atan2(piece.a0, piece.a1) - math.pi / 4)
    return total / (2 * math.pi)
