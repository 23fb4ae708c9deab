"""Statistics and number formatting shared by every chapter.

- Intervals: :func:`proportion_interval` (Wilson score interval, via scipy) for rates measured by
  counting, never zero-width, even at a rate of 0 or 1; :func:`binomial_variance` and
  :func:`binomial_standard_error`, ``p (1 - p) / n`` and its square root, of a rate counted on ``n`` trials.
- Fits: :func:`r_squared`, the coefficient of determination used by every fit in the book.
- Dynamics: :func:`spectral_radius`, the largest eigenvalue modulus of a recurrent matrix.
- Schedules: :func:`log_spaced_integers`, the log-spaced steps at which training runs log and keep
  snapshots.
- Precision: :func:`round_significant`, :func:`decimals_for_error` and :func:`format_estimate` print a
  number with the digits its computation supports (a sampled estimate to its standard error, a float32
  result to at most 5 significant digits), so that the same code prints the same text on any IEEE
  machine; :func:`format_number` writes numbers for prose (``8.7 × 10⁵``, never ``8.7e+05``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binomtest

from tinymech.errors import InvalidInputError


def proportion_interval(
    successes: int, trials: int, *, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Rate and Wilson score interval, via ``scipy.stats.binomtest(...).proportion_ci(method="wilson")``.

    Unlike ``rate +- z sqrt(rate (1 - rate) / trials)``, the interval is not empty when the rate is exactly
    0 or 1.

    Returns:
        ``(rate, low, high)``.

    Raises:
        InvalidInputError: if ``trials < 1`` or ``successes`` is not in ``[0, trials]``.
    """
    successes, trials = int(successes), int(trials)
    if trials < 1 or not 0 <= successes <= trials:
        raise InvalidInputError(
            f"need 0 <= successes <= trials and trials >= 1, found {successes}/{trials}"
        )
    interval = binomtest(successes, trials).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    return successes / trials, float(interval.low), float(interval.high)


def binomial_variance(rate, trials):
    """Variance ``p (1 - p) / n`` of a rate ``p`` counted on ``n`` independent trials (sampling's mean
    squared error at ``n`` samples).

    Args:
        rate: ``p``, a number or an array in [0, 1].
        trials: ``n``, a positive number or an array broadcasting with ``rate``.

    Returns:
        A float64 array (a numpy scalar for scalar inputs).
    """
    p = np.asarray(rate, dtype=np.float64)
    return p * (1 - p) / trials


def binomial_standard_error(rate, trials):
    """Binomial standard error ``sqrt(p (1 - p) / n)`` of a rate counted on ``n`` trials (0 at a rate of
    exactly 0 or 1; :func:`proportion_interval` is the interval to report there).

    Returns:
        A float64 array (a numpy scalar for scalar inputs).
    """
    return np.sqrt(binomial_variance(rate, trials))


def spectral_radius(matrix):
    """Largest eigenvalue modulus of a square matrix, or of each of a batch ``(..., N, N)``.

    Returns:
        For a numpy ``(N, N)`` matrix a float; for a numpy batch an array ``(...)``; for a torch tensor
        (the temporal-superposition ensembles) a tensor ``(...)`` computed by torch.
    """
    if type(matrix).__module__.split(".")[0] == "torch":
        import torch

        return torch.linalg.eigvals(matrix).abs().max(dim=-1).values
    moduli = np.abs(np.linalg.eigvals(matrix))
    return float(moduli.max()) if moduli.ndim == 1 else moduli.max(axis=-1)


def format_rate(successes: int, trials: int) -> str:
    """``"k/N = r [low, high]"`` with the 95% Wilson interval, rates in percent to one decimal."""
    rate, low, high = proportion_interval(successes, trials)
    return f"{successes}/{trials} = {100 * rate:.1f}% [{100 * low:.1f}, {100 * high:.1f}]"


def r_squared(target, prediction, *, per_column: bool = False):
    """Coefficient of determination ``1 - SS_res / SS_tot`` of ``prediction`` for ``target``.

    ``SS_tot`` is taken about the mean of each column (axis 0).  With ``per_column`` the R^2 of every
    column of a ``(samples, k)`` target is returned separately, else the pooled value over all columns.
    A constant target counts as fit (R^2 = 1) when its residual is zero up to rounding, else 0.

    Args:
        target, prediction: arrays of the same shape, ``(samples,)`` or ``(samples, k)``.

    Raises:
        InvalidInputError: if the shapes differ.
    """
    target = np.asarray(target, dtype=np.float64)
    prediction = np.asarray(prediction, dtype=np.float64)
    if target.shape != prediction.shape:
        raise InvalidInputError(
            f"target and prediction must have the same shape, got {target.shape} and "
            f"{prediction.shape}"
        )
    residual = np.sum((target - prediction) ** 2, axis=0)
    total = np.sum((target - target.mean(axis=0)) ** 2, axis=0)
    scale = np.sum(target**2, axis=0) + 1e-300
    if not per_column:
        residual, total, scale = residual.sum(), total.sum(), scale.sum()
    constant = total <= 1e-24 * scale
    fit_exactly = residual <= 1e-20 * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(
            constant,
            np.where(fit_exactly, 1.0, 0.0),
            1.0 - residual / np.where(constant, 1.0, total),
        )
    return value if per_column else float(value)


def log_spaced_integers(stop: int, count: int) -> list[int]:
    """About ``count`` distinct integers from 1 to ``stop``, evenly spaced in log: ``round(stop ** (i / (count - 1)))``.

    The schedule of training curves and snapshots (AlgZoo training, miiii snapshots, temporal
    superposition snapshots, which add step 0 or shift by one as they need).

    Raises:
        InvalidInputError: if ``stop < 1`` or ``count < 2``.
    """
    if stop < 1 or count < 2:
        raise InvalidInputError(
            f"need stop >= 1 and count >= 2, got stop={stop}, count={count}"
        )
    return sorted({min(stop, max(1, round(stop ** (i / (count - 1))))) for i in range(count)})


def supported_digits(value: float, spread: float, *, max_digits: int = 8) -> int:
    """Significant digits of ``value`` that a spread of ``spread`` leaves reproducible: the most whose last
    place is at least ten times ``spread``, between 1 and ``max_digits`` (``max_digits`` for a zero spread).

    The spread is how far the value moves under changes that should not matter (rounding on another CPU,
    the last bit of stored weights); ten times it keeps a rounding boundary out of reach in all but rare cases.

    Raises:
        InvalidInputError: if ``value`` or ``spread`` is not finite, ``spread < 0`` or ``max_digits < 1``.
    """
    value, spread = float(value), float(spread)
    if not (math.isfinite(value) and math.isfinite(spread)) or spread < 0 or max_digits < 1:
        raise InvalidInputError(
            f"need finite value and spread >= 0 and max_digits >= 1, got {value}, {spread}, "
            f"{max_digits}"
        )
    if spread == 0 or value == 0:
        return max_digits
    place = math.ceil(math.log10(10 * spread))
    return max(1, min(max_digits, math.floor(math.log10(abs(value))) - place + 1))


def round_significant(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits (0 stays 0; non-finite values are refused).

    Raises:
        InvalidInputError: if ``value`` is not finite or ``digits < 1``.
    """
    value = float(value)
    if not math.isfinite(value):
        raise InvalidInputError(f"cannot round a non-finite value {value!r}")
    if digits < 1:
        raise InvalidInputError(f"digits must be >= 1, got {digits}")
    if value == 0.0:
        return 0.0
    exponent = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - exponent)


def decimals_for_error(error: float) -> int:
    """Decimal places that show one significant digit of ``error`` (e.g. 0.00019 -> 4).

    Raises:
        InvalidInputError: if ``error`` is not positive and finite.
    """
    error = float(error)
    if not (math.isfinite(error) and error > 0):
        raise InvalidInputError(f"an uncertainty must be positive and finite, got {error!r}")
    return max(0, -math.floor(math.log10(error)))


def round_to_error(value: float, error: float) -> float:
    """``value`` rounded to the decimal place of the first significant digit of ``error``."""
    return round(float(value), decimals_for_error(error))


def format_estimate(value: float, error: float, *, percent: bool = False) -> str:
    """``"value ± error"`` with one significant digit of ``error`` and ``value`` to the same place.

    Example: ``format_estimate(0.990391, 0.000190)`` gives ``"0.9904 ± 0.0002"``.  With ``percent`` both
    are multiplied by 100 and a ``%`` is appended.
    """
    scale = 100.0 if percent else 1.0
    value, error = scale * float(value), scale * float(error)
    places = decimals_for_error(error)
    text = f"{value:.{places}f} ± {error:.{places}f}"
    return text + "%" if percent else text


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_number(value: float, digits: int = 2) -> str:
    """A number for prose with ``digits`` significant digits: plain between 10^-3 and 10^6, else ``a × 10ᵇ``.

    Integers are printed with thousands separators; never Python's ``e`` notation.
    """
    value = float(value)
    if not math.isfinite(value):
        raise InvalidInputError(f"cannot format a non-finite value {value!r} for prose")
    if value == 0:
        return "0"
    rounded = round_significant(value, digits)
    exponent = math.floor(math.log10(abs(rounded)))
    if -3 <= exponent < 6:
        places = max(0, digits - 1 - exponent)
        return f"{rounded:,.{places}f}"
    mantissa = rounded / 10**exponent
    mantissa_text = f"{mantissa:.{digits - 1}f}"
    prefix = (
        ""
        if mantissa_text in ("1", "1.0", "-1", "-1.0") and digits == 1
        else f"{mantissa_text} × "
    )
    return f"{prefix}10{str(exponent).translate(_SUPERSCRIPTS)}"
