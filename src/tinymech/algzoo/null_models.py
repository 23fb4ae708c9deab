"""Null models for the M16,10 chapter: random RNNs with a trained model's shape and weight scale.

A statistic measured on a trained network only says something about training if a network without the
trained structure does not show it too.  The null model of the chapter is a random RNN of the same
shape with Gaussian matrices matched to the trained model's scale: ``W_hi`` and ``W_oh`` to its root
mean square weight, and ``W_hh`` either to its root mean square too (``recurrent="rms"``) or to its
spectral radius (``recurrent="spectral_radius"``).  The two differ a lot for a trained M16,10: a
Gaussian 16 x 16 matrix has spectral radius about ``4 rms`` (circular law), so matching the trained
``W_hh``'s rms (about 3) gives a random network whose state grows about twelvefold per step, while
the trained matrix's spectral radius is below 1.  Structural baselines (a model without rotation,
such as ARC's handcrafted leave-one-out-maximum model) are built in :mod:`tinymech.algzoo.handcrafted`.
"""

from __future__ import annotations

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError
from tinymech.stats import spectral_radius


def _rms(matrix: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(matrix))))


#: How :func:`random_like` scales the random ``W_hh``.
RECURRENT_SCALES = ("rms", "spectral_radius")


def gaussian_weights(
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
    *,
    recurrent_divisor: float = 1.0,
) -> RNNWeights:
    """A random M_{d,n} with standard Gaussian weights, drawn ``W_hi (d,)``, ``W_hh (d, d)``, ``W_oh (n, d)``
    in that order from ``rng`` (the same generator state gives the same network on every machine); ``W_hh``
    is divided by ``recurrent_divisor`` (``sqrt(d)`` keeps its spectral radius near 1).  The one builder
    of Gaussian RNNs: the null controls, the random-model checks and the fuzz suite draw theirs with it.
    """
    return RNNWeights(
        rng.standard_normal(hidden_size),
        rng.standard_normal((hidden_size, hidden_size)) / recurrent_divisor,
        rng.standard_normal((output_size, hidden_size)),
    )


def random_like(
    model: ReLURNN | RNNWeights, rng: np.random.Generator, *, recurrent: str = "spectral_radius"
) -> RNNWeights:
    """A random RNN with the shape and weight scale of ``model``.

    ``W_hi (d,)``, ``W_hh (d, d)``, ``W_oh (n, d)`` are drawn standard Gaussian in that order from ``rng``
    (a generator state gives the same network on every machine).  ``W_hi`` and ``W_oh`` are rescaled to
    exactly the model's root mean square; ``W_hh`` to the model's root mean square
    (``recurrent="rms"``) or to its spectral radius (``recurrent="spectral_radius"``, the default: the
    random network's dynamics then neither explode nor die faster than the model's; see the module
    docstring).

    Raises:
        InvalidInputError: if ``rng`` is not a numpy Generator, ``recurrent`` is unknown, or a matrix of
            ``model`` has zero scale (nothing to match).
    """
    weights = as_weights(model)
    if not isinstance(rng, np.random.Generator):
        raise InvalidInputError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}"
        )
    if recurrent not in RECURRENT_SCALES:
        raise InvalidInputError(
            f"unknown recurrent scale {recurrent!r}; choose one of: {', '.join(RECURRENT_SCALES)}"
        )
    drawn = []
    for name in ("W_hi", "W_hh", "W_oh"):
        matrix = getattr(weights, name)
        noise = rng.standard_normal(matrix.shape)
        if name == "W_hh" and recurrent == "spectral_radius":
            scale, target, current = (
                "spectral radius",
                spectral_radius(matrix),
                spectral_radius(noise),
            )
        else:
            scale, target, current = "root mean square", _rms(matrix), _rms(noise)
        if target == 0.0:
            raise InvalidInputError(
                f"{name} of the model has {scale} 0: no weight scale to match"
            )
        drawn.append(noise * (target / current))
    return RNNWeights(*drawn)


def random_ensemble(
    model: ReLURNN | RNNWeights,
    count: int,
    *,
    seed: int = 0,
    recurrent: str = "spectral_radius",
) -> list[RNNWeights]:
    """``count`` networks from :func:`random_like`, drawn in order from ``numpy.random.default_rng(seed)``
    (each perturbed at rounding scale in the perturbation run, ``TINYMECH_PERTURB=1``: :mod:`tinymech.perturb`).

    Raises:
        InvalidInputError: if ``count`` is not a positive integer or ``seed`` is negative.
    """
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
        raise InvalidInputError(f"count must be a positive integer, got {count!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidInputError(f"seed must be a non-negative integer, got {seed!r}")
    from tinymech.perturb import perturb

    rng = np.random.default_rng(seed)
    return [
        perturb(
            random_like(model, rng, recurrent=recurrent),
            f"random_ensemble/{seed}/{recurrent}/{i}",
        )
        for i in range(int(count))
    ]


def mean_and_standard_error(values) -> tuple[float, float]:
    """Mean of an ensemble's statistic and its standard error ``std / sqrt(count)`` (ddof 1).

    Raises:
        InvalidInputError: for fewer than two values or a non-finite value.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if len(values) < 2 or not np.all(np.isfinite(values)):
        raise InvalidInputError(f"need at least two finite values, got {values!r}")
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))
