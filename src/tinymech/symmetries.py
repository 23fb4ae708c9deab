"""Approximate symmetries of a 3-input 2nd-argmax RNN, and how they cut the exact accuracy computation.

For ``n = 3`` the 2nd-argmax is the middle value, so the label is unchanged when every input is negated:
``label(-x) = label(x)``.  A model can share that symmetry through a relabelling of its neurons.  With
standardized weights (``|W_hi| = 1``, :func:`tinymech.standardization.standardize`), a permutation
``sigma`` of the hidden neurons with

    ``W_hi[sigma] = -W_hi``,   ``W_hh[sigma][:, sigma] = W_hh``,   ``W_oh[:, sigma] = W_oh``

gives hidden states ``h_t(-x) = h_t(x)[sigma]`` at every step (induction on ``t``; ReLU commutes with
permutations), hence ``logits(-x) = logits(x)``: the model is right on ``-x`` iff it is right on ``x``,
and its accuracy equals its accuracy on the half-space ``x_0 >= 0``.  The exact count then visits only
the linear regions of that half-space.  When the symmetry is only approximate, the half-space count is
an estimate whose error we measure.  Source of the idea (exploit approximate symmetries of M4,3 to cut
compute): ARC's AlgZoo post {cite}`arc2026algzoo`; the construction here is ours.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from tinymech.architectures import ReLURNN, RNNWeights
from tinymech.solid_angles import SolidAngleAccuracy, solid_angle_accuracy

HALF_SPACE_X0 = np.array([[1.0, 0.0, 0.0]])


@dataclass(frozen=True)
class NegationSymmetry:
    """A neuron permutation paired with input negation, and how far the weights are from fixed by it.

    Attributes:
        permutation: ``(d,)``; neuron ``i`` at input ``-x`` plays neuron ``permutation[i]`` at ``x``.
        input_distance, recurrent_distance, readout_distance: relative Frobenius distances
            ``|T(W) - W| / |W|`` for ``W_hi``, ``W_hh``, ``W_oh``, where ``T`` is the transformation
            (zero for an exact symmetry).
    """

    permutation: tuple[int, ...]
    input_distance: float
    recurrent_distance: float
    readout_distance: float

    @property
    def distance(self) -> float:
        """The largest of the three relative distances."""
        return max(self.input_distance, self.recurrent_distance, self.readout_distance)


def transform(weights: RNNWeights, permutation) -> RNNWeights:
    """Image of the weights under negation of the input and the neuron permutation ``permutation``.

    ``(W_hi, W_hh, W_oh) -> (-W_hi[p], W_hh[p][:, p], W_oh[:, p])``.  The transformed model computes
    ``logits'(x) = logits(-x)``.

    Raises:
        ValueError: if ``permutation`` is not a permutation of ``0..d-1``.
    """
    p = np.asarray(permutation)
    if sorted(p.tolist()) != list(range(weights.hidden_size)):
        raise ValueError(f"expected a permutation of 0..{weights.hidden_size - 1}, got {p.tolist()}")
    return RNNWeights(-weights.W_hi[p], weights.W_hh[np.ix_(p, p)], weights.W_oh[:, p])


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def symmetry_distance(weights: RNNWeights, permutation) -> NegationSymmetry:
    """How far ``weights`` are from being fixed by (negation, ``permutation``); see :class:`NegationSymmetry`.

    Meaningful on standardized weights (:func:`tinymech.standardization.standardize`), where the positive
    rescalings that would also preserve the function are fixed.
    """
    image = transform(weights, permutation)
    return NegationSymmetry(tuple(int(i) for i in permutation), _relative(image.W_hi, weights.W_hi),
                            _relative(image.W_hh, weights.W_hh), _relative(image.W_oh, weights.W_oh))


def involutions(d: int) -> list[tuple[int, ...]]:
    """All permutations of ``0..d-1`` that are their own inverse (``d <= 8``; there are 764 for d = 8).

    Raises:
        ValueError: if ``d`` is not in 1..8 (the search is exhaustive).
    """
    if not 1 <= d <= 8:
        raise ValueError(f"exhaustive involution search supports hidden sizes 1..8, got {d}")
    return [p for p in itertools.permutations(range(d)) if all(p[p[i]] == i for i in range(d))]


def find_negation_symmetries(weights: RNNWeights) -> list[NegationSymmetry]:
    """Every involutive neuron permutation paired with input negation, closest to a symmetry first.

    Args:
        weights: standardized weights of an M_{d,n} with ``d <= 8``.

    Returns:
        :class:`NegationSymmetry` records sorted by :attr:`NegationSymmetry.distance`.
    """
    found = [symmetry_distance(weights, p) for p in involutions(weights.hidden_size)]
    return sorted(found, key=lambda s: s.distance)


def symmetrize(weights: RNNWeights, permutation) -> RNNWeights:
    """The nearest exactly symmetric weights: the average of ``weights`` and their transform.

    For an involution ``p`` the transform is an involution of weight space, so the average is fixed by it.

    Raises:
        ValueError: if ``permutation`` is not an involution.
    """
    p = np.asarray(permutation)
    if not np.array_equal(p[p], np.arange(len(p))):
        raise ValueError(f"symmetrize needs an involution (p[p[i]] = i), got {p.tolist()}")
    image = transform(weights, p)
    return RNNWeights(0.5 * (weights.W_hi + image.W_hi), 0.5 * (weights.W_hh + image.W_hh),
                      0.5 * (weights.W_oh + image.W_oh))


@dataclass(frozen=True)
class SymmetryReducedAccuracy:
    """The accuracy counted on the half-space ``x_0 >= 0`` only (exact when the negation symmetry is).

    Attributes:
        accuracy: the estimate (exact accuracy on the half-space).
        half: the full :class:`tinymech.solid_angles.SolidAngleAccuracy` of the half-space count.
    """

    accuracy: float
    half: SolidAngleAccuracy

    @property
    def n_regions(self) -> int:
        return self.half.n_regions

    @property
    def seconds(self) -> float:
        return self.half.seconds


def symmetry_reduced_accuracy(model: ReLURNN | RNNWeights) -> SymmetryReducedAccuracy:
    """Accuracy estimate that visits only the linear regions in ``x_0 >= 0``.

    Exact when the model is fixed by a negation symmetry (see the module docstring); otherwise its
    error is the difference between the accuracies on the two half-spaces, over two.  Any hidden size.

    Raises:
        ValueError: if the model does not have 3 logits.
    """
    half = solid_angle_accuracy(model, domain=HALF_SPACE_X0)
    return SymmetryReducedAccuracy(half.accuracy, half)
