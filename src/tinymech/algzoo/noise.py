"""Noisy copies of a model's weights: the ensembles on which an accuracy estimate is judged.

ARC's recipe for the mean squared error of an estimate of accuracy: "add noise to the model's weights
(enough to significantly alter the model's accuracy) and check the squared error of the method on
average over the choice of noisy model" {cite}`arc2026algzoo`.  Hilton's notes on M4,3 use zero-mean
Gaussian noise of standard deviation 0.05 on every weight {cite}`hilton2024heuristic`.  That is
``scale="absolute"``; two other scales are used in this book and named here so that every chapter
draws its noise from this one function.
"""

from __future__ import annotations

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError

#: ``absolute``: ``W + sigma * eps`` (ARC, Hilton's notes); ``matrix_rms``: ``W + sigma * rms(W) * eps``
#: per matrix (the M4,3 chapter's noisy-model study); ``entry_relative``: ``W * (1 + sigma * eps)`` per
#: entry (the M2,2 chapter's check of the exact method).
NOISE_SCALES = ("absolute", "matrix_rms", "entry_relative")


def noisy_weights(weights: RNNWeights, sigma: float, rng: np.random.Generator, *,
                  scale: str = "absolute") -> RNNWeights:
    """One noisy copy of ``weights``, drawing standard Gaussian noise for ``W_hi``, ``W_hh``, ``W_oh`` in order.

    Args:
        weights: the model's weights (shapes ``(d,)``, ``(d, d)``, ``(n, d)``).
        sigma: noise level, non-negative (units: weight units for ``absolute``, fractions otherwise).
        rng: numpy generator; the same generator state gives the same noise on every machine.
        scale: one of :data:`NOISE_SCALES`.

    Raises:
        InvalidInputError: if ``sigma`` is negative or not finite, or ``scale`` is unknown.
    """
    if not (isinstance(sigma, (int, float, np.floating)) and 0 <= sigma < float("inf")):
        raise InvalidInputError(f"sigma must be a non-negative finite number, got {sigma!r}")
    if scale not in NOISE_SCALES:
        raise InvalidInputError(f"unknown noise scale {scale!r}; choose one of: {', '.join(NOISE_SCALES)}")

    def perturb(matrix: np.ndarray) -> np.ndarray:
        noise = rng.standard_normal(matrix.shape)
        if scale == "absolute":
            return matrix + sigma * noise
        if scale == "matrix_rms":
            return matrix + sigma * float(np.sqrt(np.mean(matrix**2))) * noise
        return matrix * (1 + sigma * noise)

    return RNNWeights(perturb(weights.W_hi), perturb(weights.W_hh), perturb(weights.W_oh))
