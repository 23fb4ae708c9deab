"""Standardization of a bias-free ReLU RNN by positive neuron rescaling (and an ordering of neurons).

Rescaling hidden neuron ``i`` by ``c_i > 0`` (``h_i -> c_i h_i``) and compensating,
``W_hi -> C W_hi``, ``W_hh -> C W_hh C^{-1}``, ``W_oh -> W_oh C^{-1}``, leaves every logit unchanged
because ``ReLU(c z) = c ReLU(z)`` for ``c > 0``.  ARC standardizes so that ``W_hi`` is in ``{+1, -1}``
{cite}`arc2026algzoo`; neurons whose input weight is (nearly) zero are scaled instead so that their
incoming recurrent row has unit norm.  Neurons are then ordered: positive input weight first.

The same symmetry measures how many digits of a float64 result are real: a quantity of the function
(an exact accuracy, say) must not change under rescaling, so whatever changes is rounding.
:func:`rescaling_check` computes a quantity on randomly rescaled copies, and on copies whose weights are
moved by one unit in the last place of the precision they are stored in (:func:`moved_weights`: float32
for a trained model, whose digits below that are digits of the weights' rounding, not of the model), and
gives the significant digits that are safe to print on any machine (:func:`digits_to_show`) and the
rounding error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError
from tinymech.stats import round_significant, supported_digits


def rescale(weights: RNNWeights, scales) -> RNNWeights:
    """Rescale hidden neurons by positive ``scales`` ``(d,)``; logits are unchanged.

    Raises:
        InvalidInputError: if ``scales`` has the wrong shape or a non-positive or non-finite entry.
    """
    c = np.asarray(scales, dtype=np.float64)
    if c.shape != (weights.hidden_size,):
        raise InvalidInputError(
            f"expected scales of shape ({weights.hidden_size},), got {c.shape}"
        )
    if not np.all((c > 0) & np.isfinite(c)):
        raise InvalidInputError(
            f"scales must be positive and finite (ReLU commutes only with positive "
            f"scaling), got {c}"
        )
    return RNNWeights(
        c * weights.W_hi, c[:, None] * weights.W_hh / c[None, :], weights.W_oh / c[None, :]
    )


def permute(weights: RNNWeights, order) -> RNNWeights:
    """Reorder hidden neurons: new neuron ``k`` is old neuron ``order[k]``; logits are unchanged.

    Raises:
        InvalidInputError: if ``order`` is not a permutation of ``0..d-1``.
    """
    order = np.asarray(order)
    if sorted(order.tolist()) != list(range(weights.hidden_size)):
        raise InvalidInputError(
            f"order must be a permutation of 0..{weights.hidden_size - 1}, got {order.tolist()}"
        )
    return RNNWeights(
        weights.W_hi[order], weights.W_hh[np.ix_(order, order)], weights.W_oh[:, order]
    )


def standardize(
    weights: RNNWeights, *, relative_tolerance: float = 1e-3, reorder: bool = True
) -> RNNWeights:
    """Rescale so that ``|W_hi| = 1`` (ARC's standardization) and put positive-input neurons first.

    Args:
        weights: the model's weights.
        relative_tolerance: an input weight smaller than this times ``max |W_hi|`` counts as zero; such a
            neuron is scaled so that its row of ``W_hh`` has unit Euclidean norm instead.
        reorder: sort neurons by the sign of their input weight (+1 first, then -1, then 0), keeping the
            original order within a group.

    Returns:
        Standardized weights with the same logits on every input.
    """
    W_hi = weights.W_hi
    magnitude = np.abs(W_hi)
    zero_input = magnitude <= relative_tolerance * magnitude.max()
    row_norms = np.linalg.norm(weights.W_hh, axis=1)
    base = np.where(zero_input, np.where(row_norms > 0, row_norms, 1.0), magnitude)
    standardized = rescale(weights, 1.0 / base)
    if reorder:
        group = np.where(zero_input, 2, np.where(W_hi > 0, 0, 1))
        standardized = permute(standardized, np.argsort(group, kind="stable"))
    return standardized


def random_rescalings(
    hidden_size: int, count: int, *, seed: int = 0, max_factor: float = 4.0
) -> np.ndarray:
    """``count`` random positive neuron scales ``(count, hidden_size)``, log-uniform in
    ``[1 / max_factor, max_factor]`` from ``numpy.random.default_rng(seed)``.

    Raises:
        InvalidInputError: if ``count < 1`` or ``max_factor <= 1``.
    """
    if count < 1 or not max_factor > 1:
        raise InvalidInputError(
            f"need count >= 1 and max_factor > 1, got count={count}, max_factor={max_factor}"
        )
    rng = np.random.default_rng(seed)
    return np.exp(
        rng.uniform(-math.log(max_factor), math.log(max_factor), size=(count, hidden_size))
    )


def moved_weights(weights: RNNWeights, *, seed: int = 0) -> RNNWeights:
    """``weights`` with every nonzero entry moved at random by the rounding of the precision it is stored in.

    If every entry is a float32 number (a trained model's weights, read in float64), each moves one float32
    unit in the last place up or down; otherwise each is multiplied by ``1 + 1e-12 u``, ``u`` uniform in
    ``[-1, 1]`` (the perturbation run's float64 scale, :mod:`tinymech.perturb`).  Zeros stay zero.  Draws come
    from ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    arrays = (weights.W_hi, weights.W_hh, weights.W_oh)
    single = all(np.array_equal(a.astype(np.float32).astype(np.float64), a) for a in arrays)
    moved = []
    for a in arrays:
        if single:
            target = np.where(rng.random(a.shape) < 0.5, -np.inf, np.inf).astype(np.float32)
            b = np.nextafter(a.astype(np.float32), target).astype(np.float64)
        else:
            b = a * (1.0 + 1e-12 * rng.uniform(-1.0, 1.0, a.shape))
        moved.append(np.where(a == 0, a, b))
    return RNNWeights(*moved)


def rescaled_values(
    weights: RNNWeights,
    quantity: Callable[[RNNWeights], float],
    *,
    rescalings: int = 16,
    seed: int = 0,
    max_factor: float = 4.0,
    moves: int = 0,
) -> np.ndarray:
    """``quantity`` of ``weights``, of ``rescalings`` randomly rescaled copies (:func:`random_rescalings`) and
    of ``moves`` copies with their weights moved at storage precision (:func:`moved_weights`).

    A function of the network (an exact accuracy, a logit difference ratio) is the same for all rescaled
    copies in exact arithmetic; their spread is the rounding error of its computation.  The moved copies
    add what the last bit of each stored weight decides.

    Returns:
        ``(rescalings + moves + 1,)`` float64 values, the unchanged one first.
    """
    scales = random_rescalings(
        weights.hidden_size, rescalings, seed=seed, max_factor=max_factor
    )
    return np.array(
        [float(quantity(weights))]
        + [float(quantity(rescale(weights, c))) for c in scales]
        + [float(quantity(moved_weights(weights, seed=seed + 1 + k))) for k in range(moves)]
    )


def agreeing_digits(values, *, max_digits: int = 17) -> int:
    """The most significant digits (up to ``max_digits``) to which all ``values`` round to the same number
    (0 if they differ already in the first digit).

    Raises:
        InvalidInputError: if ``values`` is empty or has a non-finite entry.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise InvalidInputError(f"need finite values, got {values}")
    if np.all(values == values[0]):
        return max_digits
    agreed = 0
    for digits in range(1, max_digits + 1):
        if len({round_significant(v, digits) for v in values}) > 1:
            break
        agreed = digits
    return agreed


@dataclass(frozen=True)
class RescalingCheck:
    """A float64 quantity of a network, recomputed on randomly rescaled copies of its weights.

    Attributes:
        values: ``(rescalings + moves + 1,)``, the unchanged value first (:func:`rescaled_values`).
        max_digits: the most significant digits :attr:`digits` may give.
    """

    values: np.ndarray
    max_digits: int = 8

    @property
    def value(self) -> float:
        return float(self.values[0])

    @property
    def agreeing(self) -> int:
        """Significant digits on which all values agree (:func:`agreeing_digits`)."""
        return agreeing_digits(self.values, max_digits=self.max_digits + 1)

    @property
    def spread(self) -> float:
        """Max minus min of :attr:`values`."""
        return float(self.values.max() - self.values.min())

    @property
    def digits(self) -> int:
        """Significant digits safe to print: :func:`tinymech.stats.supported_digits` of the value and
        :attr:`spread` (the most whose last place is at least ten times the spread), at most ``max_digits``.

        Measured from the spread, not from where the values happen to agree, so that a copy of the values
        moved by less than their spread (another CPU, the perturbation run) gives the same count.
        """
        return supported_digits(self.value, self.spread, max_digits=self.max_digits)

    @property
    def rounding_bound(self) -> float:
        """A bound on the rounding error that is the same on every machine: one unit in the significant
        place after the :attr:`digits` shown (all values agree to ``digits + 1`` digits, so their spread is
        below it)."""
        if self.value == 0:
            return float(np.finfo(np.float64).tiny)
        return 10.0 ** (math.floor(math.log10(abs(self.value))) - self.digits)

    @property
    def rms(self) -> float:
        """Root-mean-square change from the unrescaled value: the computation's rounding error, floored at
        float64's machine epsilon times ``|value|`` (or the smallest normal float for 0)."""
        spread = float(np.sqrt(np.mean((self.values - self.values[0]) ** 2)))
        return max(
            spread,
            float(np.finfo(np.float64).eps) * abs(self.value),
            float(np.finfo(np.float64).tiny),
        )


def rescaling_check(
    weights: RNNWeights,
    quantity: Callable[[RNNWeights], float],
    *,
    max_digits: int = 8,
    rescalings: int = 16,
    seed: int = 0,
    moves: int = 4,
) -> RescalingCheck:
    """:func:`rescaled_values` wrapped as a :class:`RescalingCheck` (digits to print, rounding error).

    ``moves`` copies with the weights moved at their storage precision (:func:`moved_weights`) are included,
    so that the digits shown are those that survive both the model's exact symmetries and the last bit of
    every stored weight (the perturbation run, :mod:`tinymech.perturb`, moves them so).

    Raises:
        InvalidInputError: if the rescaled values disagree in their first significant digit (the quantity
            is not a function of the network alone), or ``max_digits < 1``.
    """
    if max_digits < 1:
        raise InvalidInputError(f"max_digits must be >= 1, got {max_digits}")
    check = RescalingCheck(
        rescaled_values(weights, quantity, rescalings=rescalings, seed=seed, moves=moves),
        max_digits,
    )
    if check.agreeing == 0:
        raise InvalidInputError(
            f"the quantity changes in its first digit under neuron rescaling "
            f"({check.values.min():.3g} to {check.values.max():.3g}): it is not a function "
            "of the network"
        )
    return check


def digits_to_show(
    weights: RNNWeights,
    quantity: Callable[[RNNWeights], float],
    *,
    max_digits: int = 8,
    rescalings: int = 16,
    seed: int = 0,
    moves: int = 4,
) -> int:
    """Significant digits of ``quantity(weights)`` that are safe to print on any IEEE machine.

    One fewer than the digits on which ``quantity`` agrees across random exact neuron rescalings and
    ``moves`` copies with the weights moved at storage precision (:func:`rescaling_check`), at most
    ``max_digits`` and at least 1.

    Raises:
        InvalidInputError: if the rescaled values disagree in their first significant digit (the quantity
            is not a function of the network alone).
    """
    return rescaling_check(
        weights, quantity, max_digits=max_digits, rescalings=rescalings, seed=seed, moves=moves
    ).digits


def standardize_batch(W_hi, W_hh, W_oh, *, relative_tolerance: float = 1e-3):
    """:func:`standardize` applied to many networks at once (the same rule, vectorised), for null models.

    Args:
        W_hi: ``(batch, d)``; W_hh: ``(batch, d, d)``; W_oh: ``(batch, n, d)``.
        relative_tolerance: as in :func:`standardize`.

    Returns:
        The standardized ``(W_hi, W_hh, W_oh)`` with the same shapes.

    Raises:
        InvalidInputError: if the shapes do not fit together.
    """
    W_hi, W_hh, W_oh = (np.asarray(w, dtype=np.float64) for w in (W_hi, W_hh, W_oh))
    if (
        W_hi.ndim != 2
        or W_hh.shape != W_hi.shape + W_hi.shape[-1:]
        or W_oh.ndim != 3
        or W_oh.shape[0] != W_hi.shape[0]
        or W_oh.shape[2] != W_hi.shape[1]
    ):
        raise InvalidInputError(
            f"expected W_hi (batch, d), W_hh (batch, d, d), W_oh (batch, n, d); got "
            f"{W_hi.shape}, {W_hh.shape}, {W_oh.shape}"
        )
    magnitude = np.abs(W_hi)
    zero_input = magnitude <= relative_tolerance * magnitude.max(axis=1, keepdims=True)
    row_norms = np.linalg.norm(W_hh, axis=2)
    base = np.where(zero_input, np.where(row_norms > 0, row_norms, 1.0), magnitude)
    c = 1.0 / base
    W_hi, W_hh, W_oh = c * W_hi, c[:, :, None] * W_hh / c[:, None, :], W_oh / c[:, None, :]
    group = np.where(zero_input, 2, np.where(np.asarray(W_hi) > 0, 0, 1))
    order = np.argsort(group, axis=1, kind="stable")
    rows = np.arange(len(order))[:, None]
    return (
        W_hi[rows, order],
        W_hh[rows[:, :, None], order[:, :, None], order[:, None, :]],
        W_oh[rows[:, :, None], np.arange(W_oh.shape[1])[None, :, None], order[:, None, :]],
    )
