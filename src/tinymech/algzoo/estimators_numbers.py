"""How the estimators and performance chapters state their numbers: durations, rounding-level deviations,
powers of ten, the registered methods' lengths, and the measurements their claims rows are scored on.

Every function here formats or packages numbers the chapters compute; none computes an estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from tinymech.errors import InvalidInputError
from tinymech.report import Criterion, Measurement, between
from tinymech.stats import format_estimate, format_number

#: Digits to superscripts, for powers written as text (``10⁶``).
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Below this a relative deviation is rounding noise (1e-16, or 1e-13 with weights perturbed at rounding
#: scale): only the bound is a property of the model.
ROUNDING_LEVEL = 1e-9
_UNITS = (("years", 3600 * 24 * 365), ("days", 3600 * 24), ("hours", 3600), ("minutes", 60))


def _finite(name: str, value: float, *, positive: bool = False) -> float:
    value = float(value)
    if not math.isfinite(value) or (positive and value <= 0) or (not positive and value < 0):
        kind = "positive" if positive else "non-negative"
        raise InvalidInputError(f"{name} must be a finite {kind} number, got {value!r}")
    return value


def duration(seconds: float) -> str:
    """A time in the largest unit that is at least 1 (seconds to years), to 2 significant digits.

    Raises:
        InvalidInputError: ``seconds`` is negative or not finite.
    """
    seconds = _finite("a duration in seconds", seconds)
    for name, size in _UNITS:
        if seconds >= size:
            return f"{format_number(seconds / size, 2)} {name}"
    return f"{format_number(seconds, 2)} s"


def deviation_text(value: float) -> str:
    """A relative deviation from an equality, as text: ``"below 10⁻⁹"`` under :data:`ROUNDING_LEVEL`
    (ARC's handcrafted model's exact equalities leave only rounding noise), else 2 significant digits.

    Raises:
        InvalidInputError: ``value`` is negative or not finite.
    """
    value = _finite("a relative deviation", value)
    return "below 10⁻⁹" if value < ROUNDING_LEVEL else f"{value:.2g}"


def power_of_ten(value: int) -> str:
    """``10⁶`` for 1,000,000: the nearest power of ten of a positive number, as text.

    Raises:
        InvalidInputError: ``value`` is not positive and finite.
    """
    value = _finite("a power of ten", value, positive=True)
    return f"10{str(round(math.log10(value))).translate(SUPERSCRIPTS)}"


def lengths_text(lengths: Sequence[int] | None) -> str:
    """The sequence lengths a registered method accepts, as text: ``"any"`` (``None``), ``"2, 3"``, or a
    range ``"2–10"`` for more than two."""
    if lengths is None:
        return "any"
    if len(lengths) > 2:
        return f"{lengths[0]}–{lengths[-1]}"
    return ", ".join(map(str, lengths))


def about(target: float, what: str) -> dict[str, Criterion]:
    """The chapter's rule for "about ``target``": reproduced within a factor 1.5, partly within 2.

    Returns:
        ``{"criterion": ..., "partial": ...}``, to be spread into a :class:`tinymech.report.Claim`.

    Raises:
        InvalidInputError: ``target`` is not positive and finite.
    """
    target = _finite("an 'about' target", target, positive=True)
    return {
        "criterion": between(
            target / 1.5, 1.5 * target, description=f"within a factor 1.5 of {what}"
        ),
        "partial": between(target / 2, 2 * target, description="within a factor 2"),
    }


def rms_measurement(summary) -> Measurement:
    """An estimator's RMS error over an ensemble (``summary.rms`` with its standard error), shown in %."""
    return Measurement(
        summary.rms,
        summary.rms_standard_error,
        text=format_estimate(100 * summary.rms, 100 * summary.rms_standard_error) + "%",
    )


def per_model(
    measure: Callable[[str], Measurement], main: str, other: str, other_label: str, differs: str
) -> dict:
    """A claims row's measurement on model ``main``, with model ``other`` shown beside it (as
    ``other_label``) and the setting that differs from the source's, to be spread into a Claim."""
    return {
        "measured": measure(main),
        "other_settings": ((other_label, measure(other)),),
        "setting_differs": differs,
    }


def best_ratio(candidates: Sequence) -> Measurement:
    """The smallest RMS ratio to sampling at equal compute among estimator summaries ``candidates``
    (each with ``versus_sampling["rms_ratio"]``)."""
    best = min(candidates, key=lambda m: m.versus_sampling["rms_ratio"])
    every = ", ".join(f"{m.versus_sampling['rms_ratio']:.1f}" for m in candidates)
    return Measurement(
        best.versus_sampling["rms_ratio"],
        text=f"best RMS ratio {best.versus_sampling['rms_ratio']:.1f} at equal compute (of {every})",
    )


def sqrt_pq(accuracy) -> Measurement:
    """The RMS of ``sqrt(p (1 - p))`` over an ensemble's accuracies (one sample's standard deviation, in
    RMS), shown in whole percent.

    Raises:
        InvalidInputError: an accuracy outside [0, 1] or none at all.
    """
    p = np.asarray(accuracy, dtype=float)
    if p.size == 0 or not np.all((p >= 0) & (p <= 1)):
        raise InvalidInputError(f"accuracies must be a non-empty array in [0, 1], got {p!r}")
    value = math.sqrt(np.mean(p * (1 - p)))
    return Measurement(value, text=f"{100 * value:.0f}%")


def bias_gap(original, reduction) -> Measurement:
    """``|bias of reduction| - |bias of original|`` with the two standard errors combined in quadrature
    (negative: the reduction has the lower bias)."""
    return Measurement(
        abs(reduction.bias) - abs(original.bias),
        math.hypot(reduction.bias_standard_error, original.bias_standard_error),
        text=f"|bias| {100 * abs(reduction.bias):.1f}% against {100 * abs(original.bias):.1f}%",
    )


def best_cells(row: Mapping) -> list[str]:
    """One M16,10 estimate at its best budget as table cells: label, operations, bias, standard deviation
    of errors, RMS error, and the factors to plain, stratified and RQMC sampling's MSE."""
    return [
        row["label"],
        format_number(row["operations"], 2),
        f"{row['bias']:+.3f}",
        f"{math.sqrt(row['variance']):.3f}",
        f"{row['rms']:.3f}",
        format_number(row["factor_plain"], 2),
        format_number(row["factor_stratified"], 2),
        format_number(row["factor_rqmc"], 2),
    ]


def factor_measurement(row: Mapping) -> Measurement:
    """The factor of an estimate's MSE to sampling's at equal operations, with the relative standard error
    of the estimate's MSE over the ensemble carried over."""
    relative = row["mse_standard_error"] / row["mse"]
    return Measurement(
        row["factor_plain"],
        row["factor_plain"] * relative,
        text=f"best: {row['label']}, {format_number(row['factor_plain'], 2)} × sampling's MSE "
        f"(standard error {format_number(row['factor_plain'] * relative, 1)}; RMS error "
        f"{row['rms']:.3f} at {format_number(row['operations'], 2)} operations)",
    )


def operations_of(summary: Mapping, method: str) -> float:
    """Operations per model of ``method`` (``"sampling"``: the sampling curve's) in an M4,3 study summary."""
    if method == "sampling":
        return summary["sampling"].operations
    return summary["methods"][method].operations


def seconds_of(summary: Mapping, method: str) -> float:
    """Seconds per model of ``method`` (``"sampling"``: the sampling curve's) in an M4,3 study summary."""
    if method == "sampling":
        return summary["sampling"].seconds
    return summary["methods"][method].seconds
