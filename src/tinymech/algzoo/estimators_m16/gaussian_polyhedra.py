"""Gaussian measures of polyhedra, without sampling inputs, with their operation counts.

Both mechanistic estimators of this package end in the probability that a Gaussian vector lies in an
orthant, ``P(Y > 0)`` for ``Y ~ N(mean, cov)``: the logit differences of moment propagation, or the rows
``A x`` of a polyhedral cone in input space (``cov = A A^T``, possibly singular).  It is computed with
Genz's algorithm as implemented in ``scipy.stats.multivariate_normal.cdf`` (Genz 1992; Genz and Bretz
2009: a sequence of conditional one-dimensional normal integrals, integrated by a randomly shifted
lattice rule).  The lattice and its shifts are fixed by ``maxpts`` and a seed, so the result is
deterministic; its error falls faster than sampling's, and it never evaluates the network.

Operation counts follow the counting rule (:mod:`tinymech.algzoo.operations`): multiply-adds as ARC
counts them {cite}`arc2026algzoo`, and :data:`SPECIAL_FUNCTION_OPERATIONS` for a division, a square root
or an elementary function (a normal CDF, density or quantile).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from tinymech.algzoo.operations import SPECIAL_FUNCTION_OPERATIONS
from tinymech.errors import InvalidInputError

#: Randomly shifted copies of the lattice in scipy's implementation (its error estimate uses them).
GENZ_BATCHES = 10
#: The fewest lattice points accepted (two points per shifted copy).
MIN_GENZ_POINTS = 20


def _is_prime(number: int) -> bool:
    if number < 2:
        return False
    return all(number % divisor for divisor in range(2, math.isqrt(number) + 1))


def _lattice_size(batch_size: int) -> int:
    """The prime lattice size scipy's Genz integration uses for a requested batch of points: the largest
    prime at most ``batch_size // 10`` and at least 3 (scipy's prime list always starts 2, 3), so that the
    count matches its schedule exactly."""
    candidate = max(batch_size // GENZ_BATCHES, 1)
    while candidate > 3 and not _is_prime(candidate):
        candidate -= 1
    return max(candidate, 3)


def genz_points(maxpts: int, dimension: int) -> int:
    """Lattice points scipy's ``multivariate_normal.cdf`` evaluates for ``maxpts`` in ``dimension``
    dimensions when its error tolerance is never reached (``abseps=0``), replicating its schedule.

    Dimensions 1 and 2 use closed forms (0 points).

    Raises:
        InvalidInputError: for ``maxpts < MIN_GENZ_POINTS`` or ``dimension < 1``.
    """
    if (
        isinstance(maxpts, bool)
        or not isinstance(maxpts, (int, np.integer))
        or maxpts < MIN_GENZ_POINTS
    ):
        raise InvalidInputError(
            f"maxpts must be an integer >= {MIN_GENZ_POINTS}, got {maxpts!r}"
        )
    if dimension < 1:
        raise InvalidInputError(f"dimension must be positive, got {dimension}")
    if dimension <= 2:
        return 0
    batch_size = min(int(maxpts), dimension * 1000)
    used = 0
    while used < maxpts:
        batch_size = round(math.sqrt(2) * batch_size)
        used += GENZ_BATCHES * _lattice_size(batch_size)
    return used


def genz_operations(rows: int, rank: int, points: int) -> int:
    """Operations of Genz's algorithm for ``rows`` constraints of a covariance of rank ``rank``.

    Preparation (scaled, pivoted Cholesky factor): ``rows^2 rank / 2`` multiply-adds, ``rows^2`` normal
    CDFs, and per pivot a square root and a reciprocal.  Per lattice point and constraint row ``i``: a
    dot product with the ``min(i, rank)`` previous variables and four arithmetic operations (the pivots'
    reciprocals are precomputed); per pivot row two normal CDFs and one quantile.
    """
    preparation = (
        rows * rows * rank // 2
        + rows * rows * SPECIAL_FUNCTION_OPERATIONS
        + 2 * rank * SPECIAL_FUNCTION_OPERATIONS
    )
    per_point = (
        sum(min(i, rank) for i in range(rows))
        + 4 * rows
        + 3 * rank * SPECIAL_FUNCTION_OPERATIONS
    )
    return int(preparation + points * per_point)


def orthant_probability(
    mean: np.ndarray, cov: np.ndarray, *, maxpts: int, seed: int = 0, rank: int | None = None
) -> tuple[float, int]:
    """``P(Y > 0)`` for ``Y ~ N(mean, cov)`` by Genz's algorithm (scipy), and its operation count.

    Args:
        mean: ``(k,)``.
        cov: ``(k, k)`` symmetric positive semi-definite (singular allowed).
        maxpts: lattice points (see :func:`genz_points`); at least :data:`MIN_GENZ_POINTS`.
        seed: seed of the lattice shifts (numpy ``default_rng``).
        rank: the rank of ``cov`` if known (for the operation count; default ``k``).

    Returns:
        ``(probability, operations)``; the probability is clipped to ``[0, 1]``.

    Raises:
        InvalidInputError: for mismatched shapes, non-finite entries or a too-small ``maxpts``.
    """
    mean = np.asarray(mean, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    k = mean.shape[0] if mean.ndim == 1 else -1
    if mean.ndim != 1 or cov.shape != (k, k):
        raise InvalidInputError(
            f"expected mean (k,) and cov (k, k), got {mean.shape} and {cov.shape}"
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(cov))):
        raise InvalidInputError("mean and covariance must be finite")
    points = genz_points(maxpts, k)
    rank = k if rank is None else int(rank)
    if k == 1:
        sd = math.sqrt(max(cov[0, 0], 0.0))
        probability = float(mean[0] > 0) if sd == 0 else float(stats.norm.cdf(mean[0] / sd))
        return probability, 2 + SPECIAL_FUNCTION_OPERATIONS
    probability = stats.multivariate_normal.cdf(
        np.full(k, np.inf),
        mean=mean,
        cov=cov,
        allow_singular=True,
        lower_limit=np.zeros(k),
        maxpts=int(maxpts),
        abseps=0.0,
        releps=0.0,
        rng=np.random.default_rng(seed),
    )
    return float(min(max(probability, 0.0), 1.0)), genz_operations(k, rank, points)


def cone_setup_operations(rows: int, dimension: int) -> int:
    """Operations of turning ``rows`` constraint normals in ``dimension`` dimensions into the covariance of
    :func:`cone_probability`: squared norms and scaling (``2 rows dimension``), a square root and a
    reciprocal per row, and the Gram matrix (``rows (rows + 1) dimension / 2``)."""
    return (
        2 * rows * dimension
        + 2 * rows * SPECIAL_FUNCTION_OPERATIONS
        + rows * (rows + 1) * dimension // 2
    )


def cone_probability(rows: np.ndarray, *, maxpts: int, seed: int = 0) -> tuple[float, int]:
    """Standard Gaussian measure of the polyhedral cone ``{x : rows @ x > 0}``, and its operations.

    Args:
        rows: ``(k, n)`` constraint normals (any scale; zero rows are refused).
        maxpts, seed: as in :func:`orthant_probability`.

    Returns:
        ``(probability, operations)``: the Genz integration plus :func:`cone_setup_operations`.

    Raises:
        InvalidInputError: for a zero or non-finite row.
    """
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim != 2 or not np.all(np.isfinite(rows)):
        raise InvalidInputError(
            f"expected finite constraint rows (k, n), got shape {rows.shape}"
        )
    norms = np.linalg.norm(rows, axis=1)
    if np.any(norms == 0):
        raise InvalidInputError(
            f"constraint rows {np.flatnonzero(norms == 0).tolist()} are zero"
        )
    k, n = rows.shape
    unit = rows / norms[:, None]
    probability, operations = orthant_probability(
        np.zeros(k), unit @ unit.T, maxpts=maxpts, seed=seed, rank=min(k, n)
    )
    return probability, operations + cone_setup_operations(k, n)
