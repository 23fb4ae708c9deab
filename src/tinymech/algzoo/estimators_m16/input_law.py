"""The input law of one case: Gaussian sequences given the positions of their two largest entries.

Every estimator of this package splits the accuracy of a 2nd-argmax RNN over the ``n (n - 1)`` cases
``(m, s)``: ``m`` the position of the largest input, ``s`` that of the second largest.  For
``x ~ N(0, I_n)`` each case has probability ``1 / (n (n - 1))`` (exchangeability), and the accuracy is
the average over cases of the case accuracy ``P(prediction = s | case)``.  The idea of conditioning on
``(m, s)`` follows the leave-one-out picture of ARC's AlgZoo post {cite}`arc2026algzoo`.

Given a case the input law is exact and simple once one conditions on the second-largest value ``b``:
``x_s = b``; ``x_m`` is a standard normal truncated to ``(b, inf)``; the ``n - 2`` other inputs are
independent standard normals truncated to ``(-inf, b)``; ``b`` has the density of the second order
statistic, ``n (n - 1) phi(b) (1 - Phi(b)) Phi(b)^(n - 2)``.  :func:`top_two_moments` integrates the
first two moments of that law over ``b`` with ``scipy.integrate.quad`` (deterministic); they depend on
``n`` only, not on the weights, so they are computed once and cost no operations per model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import integrate
from scipy.special import log_ndtr

from tinymech.errors import InvalidInputError

#: Integration range of the second-largest value ``b`` (its density is below 1e-30 outside).
_B_RANGE = (-12.0, 12.0)


@dataclass(frozen=True)
class TopTwoMoments:
    """Means and covariances of a Gaussian sequence given the positions of its two largest entries.

    "other" is any of the ``n - 2`` remaining positions (they are exchangeable).

    Attributes:
        seq_len: ``n``.
        mean_largest, mean_second, mean_other: means of ``x_m``, ``x_s`` and an other input.
        var_largest, var_second, var_other: their variances.
        cov_largest_second, cov_largest_other, cov_second_other: covariances.
        cov_other_other: covariance of two distinct other inputs.
    """

    seq_len: int
    mean_largest: float
    mean_second: float
    mean_other: float
    var_largest: float
    var_second: float
    var_other: float
    cov_largest_second: float
    cov_largest_other: float
    cov_second_other: float
    cov_other_other: float


def _check_seq_len(seq_len: int) -> None:
    if isinstance(seq_len, bool) or not isinstance(seq_len, (int, np.integer)) or seq_len < 3:
        raise InvalidInputError(
            f"the case law needs a sequence length of at least 3, got {seq_len!r}"
        )


@lru_cache(maxsize=16)
def top_two_moments(seq_len: int = 10) -> TopTwoMoments:
    """First two moments of the case law (see the module docstring), by 1-D quadrature over ``b``.

    Raises:
        InvalidInputError: for ``seq_len < 3``.
    """
    _check_seq_len(seq_len)
    n = int(seq_len)
    log_norm = np.log(n * (n - 1))

    def density(b: float) -> float:
        return float(
            np.exp(
                log_norm
                - 0.5 * b * b
                - 0.5 * np.log(2 * np.pi)
                + log_ndtr(-b)
                + (n - 2) * log_ndtr(b)
            )
        )

    def upper_mean(b: float) -> float:  # E[x_m | b]: mean of N(0, 1) truncated to (b, inf)
        return float(np.exp(-0.5 * b * b - 0.5 * np.log(2 * np.pi) - log_ndtr(-b)))

    def lower_mean(b: float) -> float:  # E[other | b]: mean of N(0, 1) truncated to (-inf, b)
        return -float(np.exp(-0.5 * b * b - 0.5 * np.log(2 * np.pi) - log_ndtr(b)))

    def expect(function) -> float:
        return integrate.quad(
            lambda b: function(b) * density(b), *_B_RANGE, limit=400, epsabs=1e-14, epsrel=1e-12
        )[0]

    mean_largest = expect(upper_mean)
    mean_second = expect(lambda b: b)
    mean_other = expect(lower_mean)
    return TopTwoMoments(
        seq_len=n,
        mean_largest=mean_largest,
        mean_second=mean_second,
        mean_other=mean_other,
        var_largest=expect(lambda b: 1 + b * upper_mean(b)) - mean_largest**2,
        var_second=expect(lambda b: b * b) - mean_second**2,
        var_other=expect(lambda b: 1 + b * lower_mean(b)) - mean_other**2,
        cov_largest_second=expect(lambda b: b * upper_mean(b)) - mean_largest * mean_second,
        cov_largest_other=expect(lambda b: upper_mean(b) * lower_mean(b))
        - mean_largest * mean_other,
        cov_second_other=expect(lambda b: b * lower_mean(b)) - mean_second * mean_other,
        cov_other_other=expect(lambda b: lower_mean(b) ** 2) - mean_other**2,
    )


def cases(seq_len: int = 10) -> list[tuple[int, int]]:
    """All cases ``(m, s)``, ``m != s``, in lexicographic order (90 for ``n = 10``).

    Raises:
        InvalidInputError: for ``seq_len < 3``.
    """
    _check_seq_len(seq_len)
    return [(m, s) for m in range(seq_len) for s in range(seq_len) if m != s]


def case_mean_covariance(m: int, s: int, seq_len: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Mean ``(n,)`` and covariance ``(n, n)`` of ``x`` given the case ``(m, s)``.

    Raises:
        InvalidInputError: for positions outside ``[0, n)`` or ``m == s``.
    """
    check_case(m, s, seq_len)
    law = top_two_moments(seq_len)
    mean = np.full(seq_len, law.mean_other)
    mean[m], mean[s] = law.mean_largest, law.mean_second
    cov = np.full((seq_len, seq_len), law.cov_other_other)
    np.fill_diagonal(cov, law.var_other)
    cov[m, :] = cov[:, m] = law.cov_largest_other
    cov[s, :] = cov[:, s] = law.cov_second_other
    cov[m, m], cov[s, s] = law.var_largest, law.var_second
    cov[m, s] = cov[s, m] = law.cov_largest_second
    return mean, cov


def check_case(m: int, s: int, seq_len: int) -> None:
    """Refuse a case ``(m, s)`` that is not two distinct positions below ``seq_len``.

    Raises:
        InvalidInputError: for a bad case or sequence length.
    """
    _check_seq_len(seq_len)
    if not (0 <= m < seq_len and 0 <= s < seq_len) or m == s:
        raise InvalidInputError(
            f"a case is two distinct positions in [0, {seq_len}), got (m, s) = ({m}, {s})"
        )


def case_of(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(m, s)`` of the largest and second-largest entry of each row of ``x (batch, n)``.

    Uses AlgZoo's definition of the second largest (``argsort(-1)[..., -2]``, numpy's stable sort).
    """
    order = np.argsort(np.asarray(x), axis=-1, kind="stable")
    return order[..., -1], order[..., -2]


def case_index(m, s, seq_len: int = 10):
    """Index of case ``(m, s)`` in :func:`cases` (vectorised over arrays of positions)."""
    m, s = np.asarray(m), np.asarray(s)
    return m * (seq_len - 1) + s - (s > m)


def arrange_into_case(x: np.ndarray, m, s) -> np.ndarray:
    """Rearrange each row of ``x (batch, n)`` so that its largest entry sits at ``m`` and its second
    largest at ``s``, the other entries keeping their relative order.

    If the rows are i.i.d. standard Gaussian sequences, the result is an exact draw from the case law
    (the other entries of a Gaussian sequence are in uniformly random order).  Used by stratified
    sampling.  ``m`` and ``s`` are integers or ``(batch,)`` arrays.
    """
    x = np.asarray(x)
    batch, n = x.shape
    m = np.broadcast_to(np.asarray(m), (batch,))
    s = np.broadcast_to(np.asarray(s), (batch,))
    top, second = case_of(x)
    rows = np.arange(batch)
    is_top_two = np.zeros_like(x, dtype=bool)
    is_top_two[rows, top] = True
    is_top_two[rows, second] = True
    rest = x[~is_top_two].reshape(batch, n - 2)
    free = np.ones_like(x, dtype=bool)
    free[rows, m] = False
    free[rows, s] = False
    out = np.empty_like(x)
    out[free] = rest.reshape(-1)
    out[rows, m] = x[rows, top]
    out[rows, s] = x[rows, second]
    return out


def case_probability(seq_len: int = 10) -> float:
    """Probability of each case, ``1 / (n (n - 1))``."""
    _check_seq_len(seq_len)
    return 1.0 / (seq_len * (seq_len - 1))


__all__ = [
    "TopTwoMoments",
    "top_two_moments",
    "cases",
    "case_mean_covariance",
    "case_of",
    "case_index",
    "arrange_into_case",
    "case_probability",
]
