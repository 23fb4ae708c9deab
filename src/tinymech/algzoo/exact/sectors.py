"""Exact accuracy of M_{d,2} on Gaussian inputs, by angular integration over sectors.

With two inputs the linear regions of a bias-free ReLU RNN (:mod:`.pieces`) are sectors of the plane
bounded by rays; because standard Gaussian inputs are rotation invariant, the accuracy is the total angle
of the correctly classified sectors divided by ``2 pi``.  Source: ARC's analysis of M2,2
{cite}`arc2026algzoo`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.errors import InvalidInputError
from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.exact.pieces import LinearPiece, pattern_linear_maps
from tinymech.algzoo.trace import trace

TWO_PI = 2.0 * math.pi


@dataclass(frozen=True)
class Sector:
    """A sector ``start < theta < end`` (radians, in ``[0, 2 pi]``) of the input plane ``(x0, x1)``.

    Attributes:
        start, end: bounding angles of the rays.
        piece: the linear piece of the RNN on this sector.
    """

    start: float
    end: float
    piece: LinearPiece

    @property
    def width(self) -> float:
        return self.end - self.start

    @property
    def middle(self) -> float:
        return 0.5 * (self.start + self.end)

    @property
    def logit_difference(self) -> np.ndarray:
        """Coefficients ``(c0, c1)`` of ``logit_1 - logit_0 = c0 x0 + c1 x1`` on this sector."""
        return self.piece.logit_map[1] - self.piece.logit_map[0]


def unit_vector(theta: float) -> np.ndarray:
    return np.array([math.cos(theta), math.sin(theta)])


def _zeros_of_linear_form(form: np.ndarray, start: float, end: float, margin: float) -> list[float]:
    """Angles in ``(start + margin, end - margin)`` where ``form . (cos t, sin t) = 0``."""
    if not np.any(form):
        return []
    base = math.atan2(-form[0], form[1]) % math.pi  # form0 cos t + form1 sin t = 0
    return [a for a in (base, base + math.pi) if start + margin < a < end - margin]


def sectors(model: ReLURNN | RNNWeights, *, extra_rays=(), margin: float = 1e-12) -> list[Sector]:
    """All sectors of constant activation pattern of a 2-input RNN, split also at ``extra_rays``.

    The plane is cut at the axes, then each interval is split at any zero of a pre-activation of the
    pattern found at its middle, recursively; an interval with no such zero has one pattern throughout
    (a pattern can only change where one of its own pre-activations crosses zero).

    Args:
        model: an M_{d,2} (or its weights).
        extra_rays: additional angles (radians) to cut at, e.g. the label boundary ``x0 = x1``.
        margin: angles closer than this (radians) to a cut are not cut again.

    Returns:
        Sectors in increasing order of angle, covering the circle once; neighbours with the same
        activation pattern are merged, so the sector across the ray at angle 0 may start below 0.

    Raises:
        InvalidInputError: if the model does not have two inputs per sequence (checked by the output size).
    """
    weights = as_weights(model)
    if weights.output_size != 2:
        raise InvalidInputError(f"sectors need a 2-input model (n = 2), got output size {weights.output_size}")
    cuts = sorted({0.0, TWO_PI, *(k * math.pi / 2 for k in range(1, 4)), *(a % TWO_PI for a in extra_rays)})
    pending = list(zip(cuts[:-1], cuts[1:]))
    found: list[Sector] = []
    while pending:
        start, end = pending.pop()
        middle = 0.5 * (start + end)
        piece = pattern_linear_maps(weights, trace(weights, unit_vector(middle)[None]).activation_pattern[0])
        forms = piece.preactivation_maps.reshape(-1, 2)
        zeros = sorted({z for form in forms for z in _zeros_of_linear_form(form, start, end, margin)})
        if zeros:
            edges = [start, *zeros, end]
            pending.extend(zip(edges[:-1], edges[1:]))
        else:
            found.append(Sector(start, end, piece))
    return _merge_equal_neighbours(sorted(found, key=lambda s: s.start), keep_cuts=set(cuts) - _AXIS_CUTS)


_AXIS_CUTS = {0.0, TWO_PI, *(k * math.pi / 2 for k in range(1, 4))}


def _merge_equal_neighbours(found: list[Sector], keep_cuts: set[float]) -> list[Sector]:
    """Merge neighbouring sectors with the same activation pattern (the axis cuts are only a start),
    also across the ray at angle 0, whose sector is then given a negative start; cuts in ``keep_cuts``
    are kept."""
    merged: list[Sector] = []
    for sector in found:
        if merged and sector.start not in keep_cuts and np.array_equal(
                merged[-1].piece.activation_pattern, sector.piece.activation_pattern):
            merged[-1] = Sector(merged[-1].start, sector.end, merged[-1].piece)
        else:
            merged.append(sector)
    if len(merged) > 1 and 0.0 not in keep_cuts and np.array_equal(
            merged[0].piece.activation_pattern, merged[-1].piece.activation_pattern):
        last = merged.pop()
        merged[0] = Sector(last.start - TWO_PI, merged[0].end, merged[0].piece)
    return merged


def exact_error_rate_2(model: ReLURNN | RNNWeights) -> float:
    """Exact error rate of an M_{d,2} on the 2nd-argmax task under standard Gaussian inputs.

    The target is the position of the smaller entry: 1 where ``x1 < x0``.  The model predicts 1 where
    ``logit_1 - logit_0 > 0``.  On each sector (also cut at the label boundary ``x0 = x1``) the logit
    difference is linear, so it changes sign at most at one ray; the error rate is the total angle where
    prediction and target differ, over ``2 pi``.

    Returns:
        The error rate in [0, 1] (float64; exact up to rounding).
    """
    wrong = 0.0
    for sector in sectors(model, extra_rays=(math.pi / 4, 5 * math.pi / 4)):
        target_is_one = math.cos(sector.middle) > math.sin(sector.middle)  # x1 < x0 inside the sector
        difference = sector.logit_difference
        edges = [sector.start, *_zeros_of_linear_form(difference, sector.start, sector.end, 0.0), sector.end]
        for a, b in zip(edges[:-1], edges[1:]):
            predicts_one = float(difference @ unit_vector(0.5 * (a + b))) > 0
            if predicts_one != target_is_one:
                wrong += b - a
    return wrong / TWO_PI
