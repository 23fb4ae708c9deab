"""How the M4,3 chapter states two kinds of number: a distance in standard errors, and an estimator's error
with the samples whose standard error equals it, each to the digits that the exact accuracy's spread leaves.
"""

from __future__ import annotations

import math

from tinymech.errors import InvalidInputError
from tinymech.stats import format_number, supported_digits


def z_text(z: float) -> str:
    """A distance in standard errors, as prose.

    Below 1 only the bound is stated ("less than one standard error"): the exact value's last bits (its
    spread under rescalings and last-bit moves) can move a small ``z`` across a rounding boundary of its first
    decimal.  At 1 or more: ``"2.3 standard errors"`` (the absolute value, one decimal).

    Raises:
        InvalidInputError: ``z`` is not finite.
    """
    if not math.isfinite(z):
        raise InvalidInputError(f"a distance in standard errors must be finite, got {z!r}")
    return "less than one standard error" if abs(z) < 1 else f"{abs(z):.1f} standard errors"


def error_and_samples(error: float, variance: float, spread: float) -> tuple[str, str]:
    """An estimator's error of an accuracy and the number of samples whose standard error equals it.

    Args:
        error: estimate minus exact accuracy (non-zero).
        variance: ``p (1 - p)`` of the exact accuracy ``p`` (one sample's variance).
        spread: how far the exact accuracy moves under rescalings and last-bit moves of the weights.

    Returns:
        The error and ``variance / error²`` as text, each to the digits the spread supports; the samples'
        relative spread is twice the error's (``1 / error²``).

    Raises:
        InvalidInputError: a zero or non-finite error, a non-positive variance or a negative spread.
    """
    if not math.isfinite(error) or error == 0:
        raise InvalidInputError(f"the error must be finite and non-zero, got {error!r}")
    if not variance > 0 or not spread >= 0:
        raise InvalidInputError(
            f"need variance > 0 and spread >= 0, got {variance!r} and {spread!r}"
        )
    samples = variance / error**2
    return (
        format_number(error, supported_digits(error, spread)),
        format_number(samples, supported_digits(samples, 2 * samples * spread / abs(error))),
    )
