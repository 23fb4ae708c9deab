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
from tinymech.algzoo.exact.sectors import TWO_PI, angle_in_sector, sectors
from tinymech.algzoo.null_models import gaussian_weights
from tinymech.errors import InvalidInputError

COLOURS = ("blue", "green", "yellow")
#: Relative gap ``|a0 - a1| / max(a0, a1)`` below which a piece is yellow (our choice; ARC's yellow pieces
#: agree to ~2^-11 ~ 5e-4).
YELLOW_THRESHOLD = 0.01


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
        """Whether the sector contains a ray of the label boundary ``x0 = x1`` (angle pi/4 or 5 pi/4, compared
        modulo ``2 pi``: the sector across angle 0 starts below 0)."""
        return any(
            angle_in_sector(a, self.start, self.end) and a % TWO_PI != self.start % TWO_PI
            for a in (math.pi / 4, 5 * math.pi / 4)
        )


def logit_difference_pieces(
    model: ReLURNN | RNNWeights, *, yellow_threshold: float = YELLOW_THRESHOLD
) -> list[LogitDifferencePiece]:
    """The pieces of ``Delta`` for an M_{d,2}, in increasing angle.

    Args:
        model: a 2-input model.
        yellow_threshold: a piece whose relative gap ``|a0 - a1| / max(a0, a1)`` is below this is yellow
            (default :data:`YELLOW_THRESHOLD`).

    Raises:
        InvalidInputError: if the model does not have sequence length 2 (:func:`tinymech.algzoo.exact.sectors.sectors`).
    """
    pieces = []
    for sector in sectors(model):
        c0, c1 = sector.logit_difference
        a0, a1 = float(c0), float(-c1)
        gap = abs(a0 - a1) / max(abs(a0), abs(a1), 1e-300)
        colour = "yellow" if gap < yellow_threshold else ("blue" if a0 < a1 else "green")
        pieces.append(
            LogitDifferencePiece(
                sector.start, sector.end, a0, a1, sector.piece.activation_pattern, colour
            )
        )
    return pieces


def decision_boundary_rays(pieces: list[LogitDifferencePiece]) -> list[float]:
    """Angles (radians, in ``[0, 2 pi)``) of the rays where ``Delta = 0`` inside a piece ``[start, end)``, in
    increasing order (pieces on which ``Delta`` is identically zero have none).  Angles are compared
    modulo ``2 pi``, since the piece across angle 0 starts below 0
    (:func:`tinymech.algzoo.exact.sectors.angle_in_sector`)."""
    rays = []
    for piece in pieces:
        if piece.a0 == 0 and piece.a1 == 0:
            continue  # Delta is identically zero here: no ray where it changes sign
        base = math.atan2(piece.a0, piece.a1) % math.pi  # a0 cos t - a1 sin t = 0
        rays += [
            a for a in (base, base + math.pi) if angle_in_sector(a, piece.start, piece.end)
        ]
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


#: The two rays of the label boundary ``x0 = x1`` (radians).
DIAGONAL_RAYS = (math.pi / 4, 5 * math.pi / 4)


def boundary_offsets(pieces: list[LogitDifferencePiece]) -> tuple[float, float]:
    """Signed angles (radians) from each diagonal ray (45 and 225 degrees) to the nearest ray of the
    decision boundary ``Delta = 0``.

    The inputs between a diagonal ray and its boundary ray are misclassified, so when both boundary rays
    lie this close to the diagonal the error rate is ``(|offset_45| + |offset_225|) / (2 pi)``.

    Raises:
        InvalidInputError: if ``Delta`` has no zero ray (the model predicts one position everywhere).
    """
    rays = decision_boundary_rays(pieces)
    if not rays:
        raise InvalidInputError(
            "the logit difference has no zero: the model predicts one position on every input"
        )
    wrap = lambda a: (a + math.pi) % (2 * math.pi) - math.pi  # noqa: E731
    return tuple(
        min((wrap(ray - diagonal) for ray in rays), key=abs) for diagonal in DIAGONAL_RAYS
    )


def arc_piece_facts(pieces: list[LogitDifferencePiece]) -> dict[str, bool]:
    """ARC's facts about the pieces of M2,2's logit difference {cite}`arc2026algzoo`, checked one by one.

    - on every piece ``Delta = a0 x0 - a1 x1`` with ``a0, a1 > 0``;
    - there are blue and green pieces and exactly two yellow ones;
    - each ray of the decision boundary ``Delta = 0`` lies in a yellow piece.
    """
    yellow = [p for p in pieces if p.colour == "yellow"]
    rays = decision_boundary_rays(pieces)
    in_yellow = [
        any(p.colour == "yellow" and angle_in_sector(ray, p.start, p.end) for p in pieces)
        for ray in rays
    ]
    return {
        "a0, a1 > 0 on every piece": all(p.a0 > 0 and p.a1 > 0 for p in pieces),
        "blue, green and two yellow pieces": (
            len(yellow) == 2
            and any(p.colour == "blue" for p in pieces)
            and any(p.colour == "green" for p in pieces)
        ),
        "boundary rays inside yellow pieces": bool(rays) and all(in_yellow),
    }


def yellow_bits(pieces: list[LogitDifferencePiece]) -> list[float]:
    """``log2(max(a0, a1) / |a0 - a1|)`` for each yellow piece, in increasing angle: how many bits the
    near-equality ``a0 ~ a1`` holds to (ARC's surprise of a yellow piece; ``inf`` for exact equality)."""
    return [
        math.log2(1.0 / p.relative_gap) if p.relative_gap > 0 else math.inf
        for p in pieces
        if p.colour == "yellow"
    ]


@dataclass(frozen=True)
class NullFrequency:
    """How often random networks satisfy a set of facts.

    Attributes:
        n_models: random networks drawn.
        count: networks satisfying every fact.
        per_fact: fraction of networks satisfying each fact.
    """

    n_models: int
    count: int
    per_fact: dict

    @property
    def fraction(self) -> float:
        return self.count / self.n_models

    @property
    def standard_error(self) -> float:
        """Binomial standard error ``sqrt(f (1 - f) / n)``, floored at one network's worth, ``1 / n``."""
        f = self.fraction
        return max(math.sqrt(f * (1 - f) / self.n_models), 1.0 / self.n_models)


def piece_facts_null(n_models: int, *, seed: int = 0) -> NullFrequency:
    """How often a Gaussian M2,2 (:func:`tinymech.algzoo.null_models.gaussian_weights` with d = n = 2) satisfies :func:`arc_piece_facts`.

    Raises:
        InvalidInputError: if ``n_models < 1``.
    """
    if n_models < 1:
        raise InvalidInputError(f"need at least one model, got {n_models}")
    rng = np.random.default_rng(seed)
    table = np.array(
        [
            list(arc_piece_facts(logit_difference_pieces(gaussian_weights(2, 2, rng))).values())
            for _ in range(n_models)
        ]
    )
    names = list(arc_piece_facts([]).keys())
    return NullFrequency(
        n_models, int(table.all(axis=1).sum()), dict(zip(names, table.mean(axis=0).tolist()))
    )
