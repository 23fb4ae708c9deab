"""Noisy copies of a model's weights: the ensembles on which an accuracy estimate is judged.

ARC's recipe for the mean squared error of an estimate of accuracy: "add noise to the model's weights
(enough to significantly alter the model's accuracy) and check the squared error of the method on
average over the choice of noisy model" {cite}`arc2026algzoo`.  Hilton's notes on M4,3 use zero-mean
Gaussian noise of standard deviation 0.05 on every weight {cite}`hilton2024heuristic`.  That is
``scale="absolute"``; two other scales are used in this book and named here so that every chapter
draws its noise from this one function.  An :class:`Ensemble` is the set of models on which an
estimate is judged: noisy copies of one model (:func:`noisy_ensemble`), or the models trained from
several seeds (:func:`seed_ensemble`), which ARC calls the better but costlier way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError

#: ``absolute``: ``W + sigma * eps`` (ARC, Hilton's notes); ``matrix_rms``: ``W + sigma * rms(W) * eps``
#: per matrix (the M4,3 chapter's noisy-model study); ``entry_relative``: ``W * (1 + sigma * eps)`` per
#: entry (the M2,2 chapter's check of the exact method).
NOISE_SCALES = ("absolute", "matrix_rms", "entry_relative")


def noisy_weights(
    weights: RNNWeights, sigma: float, rng: np.random.Generator, *, scale: str = "absolute"
) -> RNNWeights:
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
        raise InvalidInputError(
            f"unknown noise scale {scale!r}; choose one of: {', '.join(NOISE_SCALES)}"
        )

    def perturb(matrix: np.ndarray) -> np.ndarray:
        noise = rng.standard_normal(matrix.shape)
        if scale == "absolute":
            return matrix + sigma * noise
        if scale == "matrix_rms":
            return matrix + sigma * float(np.sqrt(np.mean(matrix**2))) * noise
        return matrix * (1 + sigma * noise)

    return RNNWeights(perturb(weights.W_hi), perturb(weights.W_hh), perturb(weights.W_oh))


@dataclass(frozen=True)
class Ensemble:
    """Models on which an estimator's mean squared error is measured.

    Attributes:
        name: what it is, in words (shown in figures).
        models: the weights, one per model.
        kind: ``"noisy weights"`` (ARC's cheap recipe) or ``"training seeds"`` (ARC's better one).
        settings: how it was made (model, noise level and scale, count, seed; or the result names),
            JSON-serialisable.
    """

    name: str
    models: tuple[RNNWeights, ...]
    kind: str
    settings: dict

    def __len__(self) -> int:
        return len(self.models)


def noisy_ensemble(
    weights: RNNWeights,
    sigma: float,
    count: int,
    *,
    seed: int = 0,
    scale: str = "absolute",
    name: str | None = None,
) -> Ensemble:
    """``count`` noisy copies of ``weights`` (:func:`noisy_weights`), all drawn from one seeded generator.

    ARC's recipe {cite}`arc2026algzoo`: zero-mean Gaussian noise of standard deviation ``sigma`` on every
    weight (``scale="absolute"``); Hilton's notes use ``sigma = 0.05`` and 256 models for M4,3
    {cite}`hilton2024heuristic`.  Model ``k`` is the ``k``-th draw of ``numpy.random.default_rng(seed)``,
    so the ensemble is the same on every machine and its first models do not depend on ``count``.

    Raises:
        InvalidInputError: if ``count`` is not a positive integer; see also :func:`noisy_weights`.
    """
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise InvalidInputError(f"an ensemble needs a positive number of models, got {count!r}")
    rng = np.random.default_rng(seed)
    models = tuple(noisy_weights(weights, sigma, rng, scale=scale) for _ in range(int(count)))
    return Ensemble(
        name or f"{count} models, {scale} noise {sigma:g}",
        models,
        "noisy weights",
        {"sigma": float(sigma), "scale": scale, "count": int(count), "seed": int(seed)},
    )


def seed_ensemble(result_names, *, name: str | None = None) -> Ensemble:
    """The committed models ``result_names`` (results of :data:`tinymech.algzoo.zoo.RESULTS`), e.g. the five
    training seeds ``rnn/m16_10_seed{0..4}_full_recipe``: ARC's better way to measure MSE, over the seeds
    used to train the model {cite}`arc2026algzoo`.

    Raises:
        InvalidInputError: no names, or a name that is not a committed model; ResultError: a missing or
            corrupted result.
    """
    from tinymech.algzoo.architectures import ReLURNN
    from tinymech.algzoo.zoo import RESULTS
    from tinymech.registry import load

    def model_entry(result: str):
        if result not in RESULTS:
            raise InvalidInputError(
                f"no committed model {result!r}; choose one of: {', '.join(RESULTS)}"
            )
        return RESULTS[result]

    names = list(result_names)
    if not names:
        raise InvalidInputError(
            "an ensemble needs at least one model: give registered result names"
        )
    models = tuple(
        ReLURNN.from_state_dict(load(model_entry(result))[0]).weights() for result in names
    )
    return Ensemble(
        name or f"{len(names)} training seeds", models, "training seeds", {"results": names}
    )
