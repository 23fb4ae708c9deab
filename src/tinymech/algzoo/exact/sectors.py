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
#: A logit difference whose norm is below this times the norm of the same form computed with absolute
#: weights is identically zero (as in :mod:`.cones`): the logits tie on the whole sector.
ZERO_FORM_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Sector:
    """A sector ``start < theta < end`` (radians, in ``[0, 2 pi]``, except that the sector merged across the
    ray at angle 0 starts below 0) of the input plane ``(x0, x1)``.

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


def zero_angles(
    form: np.ndarray, start: float, end: float, *, margin: float = 0.0
) -> list[float]:
    """Angles ``t`` in ``(start + margin, end - margin)`` where ``form . (cos t, sin t) = 0``, increasing.

    The interval may reach below 0 or above ``2 pi`` (a sector merged across the ray at angle 0 starts
    below 0): every angle ``base + k pi`` inside it is returned, in the interval's own coordinates.

    Args:
        form: ``(2,)`` coefficients of a linear form on the plane; a zero form has no zero angle (it is
            zero everywhere, not changing sign).
        start, end: the interval (radians), ``start <= end``.
        margin: distance (radians) kept from both ends.
    """
    if not np.any(form):
        return []
    base = math.atan2(-form[0], form[1]) % math.pi  # form0 cos t + form1 sin t = 0
    low, high = start + margin, end - margin
    first = math.floor((low - base) / math.pi)
    candidates = (
        base + k * math.pi for k in range(first, first + int((high - low) / math.pi) + 3)
    )
    return [a for a in candidates if low < a < high]


def angle_in_sector(angle: float, start: float, end: float) -> bool:
    """Whether the ray at ``angle`` lies in ``[start, end)``, angles compared modulo ``2 pi`` (a sector
    may start below 0, see :func:`sectors`)."""
    return (angle - start) % TWO_PI < end - start


def max_sectors(hidden_size: int, extra_rays: int = 2) -> int:
    """An upper bound on the sectors :func:`sectors` returns: ``2 d + 4 + extra_rays``.

    Step 1's activation pattern changes only at ``x0 = 0``; on each half-plane ``x0 > 0``, ``x0 < 0`` every
    step-2 pre-activation is one linear form, which vanishes on at most one ray there; so at most ``2 d``
    rays besides the 4 axis cuts and the extra rays.
    """
    return 2 * hidden_size + 4 + extra_rays


def sectors(
    model: ReLURNN | RNNWeights, *, extra_rays=(), margin: float = 1e-12, progress: bool = False
) -> list[Sector]:
    """All sectors of constant activation pattern of a 2-input RNN, split also at ``extra_rays``.

    The plane is cut at the axes, then each interval is split at any zero of a pre-activation of the
    pattern found at its middle, recursively; an interval with no such zero has one pattern throughout
    (a pattern can only change where one of its own pre-activations crosses zero).

    Args:
        model: an M_{d,2} (or its weights).
        extra_rays: additional angles (radians) to cut at, e.g. the label boundary ``x0 = x1``.
        margin: angles closer than this (radians) to a cut are not cut again.
        progress: a progress bar (tqdm) of the sectors found, out of :func:`max_sectors`.

    Returns:
        Sectors in increasing order of angle, covering the circle once; neighbours with the same
        activation pattern are merged, so the sector across the ray at angle 0 may start below 0.

    Raises:
        InvalidInputError: if the model does not have two inputs per sequence (checked by the output size).
    """
    weights = as_weights(model)
    if weights.output_size != 2:
        raise InvalidInputError(
            f"sectors need a 2-input model (n = 2), got output size {weights.output_size}"
        )
    cuts = sorted(
        {
            0.0,
            TWO_PI,
            *(k * math.pi / 2 for k in range(1, 4)),
            *(a % TWO_PI for a in extra_rays),
        }
    )
    from tqdm import tqdm

    pending = list(zip(cuts[:-1], cuts[1:]))
    found: list[Sector] = []
    bar = tqdm(
        total=max_sectors(weights.hidden_size, len(cuts) - 5),
        desc="sectors",
        unit="sector",
        disable=not progress,
    )
    while pending:
        start, end = pending.pop()
        middle = 0.5 * (start + end)
        piece = pattern_linear_maps(
            weights, trace(weights, unit_vector(middle)[None]).activation_pattern[0]
        )
        forms = piece.preactivation_maps.reshape(-1, 2)
        zeros = sorted(
            {z for form in forms for z in zero_angles(form, start, end, margin=margin)}
        )
        if zeros:
            edges = [start, *zeros, end]
            pending.extend(zip(edges[:-1], edges[1:]))
        else:
            found.append(Sector(start, end, piece))
            bar.update(1)
    bar.close()
    return _merge_equal_neighbours(
        sorted(found, key=lambda s: s.start), keep_cuts=set(cuts) - _AXIS_CUTS
    )


_AXIS_CUTS = {0.0, TWO_PI, *(k * math.pi / 2 for k in range(1, 4))}


def _merge_equal_neighbours(found: list[Sector], keep_cuts: set[float]) -> list[Sector]:
    """Merge neighbouring sectors with the same activation pattern (the axis cuts are only a start),
    also across the ray at angle 0, whose sector is then given a negative start; cuts in ``keep_cuts``
    are kept."""
    merged: list[Sector] = []
    for sector in found:
        if (
            merged
            and sector.start not in keep_cuts
            and np.array_equal(
                merged[-1].piece.activation_pattern, sector.piece.activation_pattern
            )
        ):
            merged[-1] = Sector(merged[-1].start, sector.end, merged[-1].piece)
        else:
            merged.append(sector)
    if (
        len(merged) > 1
        and 0.0 not in keep_cuts
        and np.array_equal(
            merged[0].piece.activation_pattern, merged[-1].piece.activation_pattern
        )
    ):
        last = merged.pop()
        merged[0] = Sector(last.start - TWO_PI, merged[0].end, merged[0].piece)
    return merged


def exact_error_rate_2(model: ReLURNN | RNNWeights, *, progress: bool = False) -> float:
    """Exact error rate of an M_{d,2} on the 2nd-argmax task under standard Gaussian inputs.

    The target is the position of the smaller entry: 1 where ``x1 < x0``.  The model predicts 1 where
    ``logit_1 - logit_0 > 0``; where the two logits are equal on a whole sector (equal or zero readout
    rows, every hidden unit off; up to float64 rounding, :data:`ZERO_FORM_TOLERANCE`) it predicts 0, the
    tie rule of sampling (:func:`tinymech.algzoo.evaluation.predictions`).  On each sector (also cut at the label boundary ``x0 = x1``) the logit
    difference is linear, so it changes sign at most at one ray; the error rate is the total angle where
    prediction and target differ, over ``2 pi``.

    Args:
        model: an M_{d,2} or its weights.
        progress: a progress bar of the sectors (:func:`sectors`).

    Returns:
        The error rate in [0, 1] (float64; exact up to rounding).
    """
    weights = as_weights(model)
    absolute = RNNWeights(np.abs(weights.W_hi), np.abs(weights.W_hh), np.abs(weights.W_oh))
    wrong = 0.0
    for sector in sectors(
        weights, extra_rays=(math.pi / 4, 5 * math.pi / 4), progress=progress
    ):
        target_is_one = math.cos(sector.middle) > math.sin(
            sector.middle
        )  # x1 < x0 inside the sector
        difference = sector.logit_difference
        if np.linalg.norm(difference) <= 1e3 * ZERO_FORM_TOLERANCE * np.linalg.norm(
            sector.piece.logit_map
        ):
            magnitude = pattern_linear_maps(
                absolute, sector.piece.activation_pattern
            ).logit_map.sum(axis=0)
            if np.linalg.norm(difference) <= ZERO_FORM_TOLERANCE * np.linalg.norm(magnitude):
                difference = np.zeros(
                    2
                )  # equal logits (up to rounding) on the whole sector: a tie, position 0
        edges = [sector.start, *zero_angles(difference, sector.start, sector.end), sector.end]
        for a, b in zip(edges[:-1], edges[1:]):
            predicts_one = float(difference @ unit_vector(0.5 * (a + b))) > 0
            if predicts_one != target_is_one:
                wrong += b - a
    return wrong / TWO_PI


@dataclass(frozen=True)
class NoisyModelCheck:
    """The exact method against sampling on noisy copies of one model (ARC's noisy-model recipe).

    Attributes:
        exact: ``(k,)`` exact accuracies of the noisy models.
        sampled: ``(k,)`` sampled accuracies of the same models.
        samples: sequences sampled per model.
        sigma: noise level; scale: the noise recipe (:data:`tinymech.algzoo.noise.NOISE_SCALES`).
    """

    exact: np.ndarray
    sampled: np.ndarray
    samples: int
    sigma: float
    scale: str

    @property
    def z(self) -> np.ndarray:
        """``(sampled - exact) / sqrt(p (1 - p) / samples)`` with ``p`` the exact accuracy (its variance
        floored at one sequence's worth, ``1 / samples``, where ``p`` is 0 or 1)."""
        variance = np.maximum(self.exact * (1 - self.exact), 1.0 / self.samples)
        return (self.sampled - self.exact) / np.sqrt(variance / self.samples)

    @property
    def mean_squared_z(self) -> float:
        """Mean of ``z**2``: about 1 if sampling error is the only difference."""
        return float(np.mean(self.z**2))

    def chi_square_interval(self, confidence: float = 0.99) -> tuple[float, float]:
        """Central ``confidence`` interval of the mean of ``k`` squared standard normals (chi-square with
        ``k`` degrees of freedom over ``k``): where :attr:`mean_squared_z` falls if the exact method is right."""
        from scipy.stats import chi2

        k = len(self.exact)
        tail = (1 - confidence) / 2
        return float(chi2.ppf(tail, k) / k), float(chi2.ppf(1 - tail, k) / k)


def exact_versus_sampling_on_noisy_models(
    model: ReLURNN | RNNWeights,
    *,
    sigma: float,
    n_models: int,
    samples: int,
    seed: int = 0,
    scale: str = "entry_relative",
) -> NoisyModelCheck:
    """Exact accuracy (:func:`exact_error_rate_2`) against sampling on ``n_models`` noisy copies of an M_{d,2}.

    The noisy copies come from :func:`tinymech.algzoo.noise.noisy_weights` (``scale``, drawn in order from
    ``numpy.random.default_rng(seed)``); copy ``k`` is sampled in float32 on ``samples`` sequences of the
    input stream ``seed + 1 + k`` (:func:`tinymech.algzoo.evaluation.sampled_accuracy`).  Source of the
    recipe: ARC's AlgZoo post {cite}`arc2026algzoo`.

    Raises:
        InvalidInputError: for a model that is not M_{d,2}, ``n_models < 1``, or a bad ``sigma``, ``scale``
            or sample count.
    """
    from tinymech.algzoo.evaluation import sampled_accuracy
    from tinymech.algzoo.noise import noisy_weights

    weights = as_weights(model)
    if weights.output_size != 2:
        raise InvalidInputError(
            f"the 2-input exact method needs n = 2, got output size {weights.output_size}"
        )
    if (
        isinstance(n_models, bool)
        or not isinstance(n_models, (int, np.integer))
        or n_models < 1
    ):
        raise InvalidInputError(f"n_models must be a positive integer, got {n_models!r}")
    rng = np.random.default_rng(seed)
    exact, sampled = [], []
    for k in range(n_models):
        noisy = noisy_weights(weights, sigma, rng, scale=scale)
        exact.append(1.0 - exact_error_rate_2(noisy))
        sampled.append(
            sampled_accuracy(
                ReLURNN.from_weights(noisy.W_hi, noisy.W_hh, noisy.W_oh),
                samples,
                seed=seed + 1 + k,
            ).accuracy
        )
    return NoisyModelCheck(
        np.array(exact), np.array(sampled), int(samples), float(sigma), scale
    )
