"""Statistics the M16,10 chapter computes for the model, its seeds and its null networks alike.

Each function takes one network (or one of its analyses) and returns a number, so the chapter can apply it
to the trained seeds, to random networks of each seed's scale and to the handcrafted model; the thresholds
are the sources' (the reader's notes: a complex pair of modulus 1.115 and period 5.4 steps; a comment's
ranges of Φ_post's spectral radius).
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.algzoo import phase_wheel as pw
from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.evaluation import gaussian_sequences
from tinymech.algzoo.null_models import mean_and_standard_error
from tinymech.errors import InvalidInputError
from tinymech.report import Measurement

#: The notes' leading complex pair of W_hh in the official model: modulus and period in steps.
NOTES_MODULUS, NOTES_PERIOD = 1.115, 5.4
#: A comment's ranges of Φ_post's spectral radius, maximum first (forward) and second-largest first.
FORWARD_RADIUS_RANGE, REVERSE_RADIUS_RANGE = (0.76, 1.05), (1.37, 2.91)


def null_measurement(values) -> Measurement:
    """Mean and standard error of a statistic over an ensemble of null networks.

    Raises:
        InvalidInputError: fewer than two values, or a non-finite one.
    """
    mean, error = mean_and_standard_error(values)
    return Measurement(mean, error)


def gaussian_batch(samples: int, length: int, seed: int) -> np.ndarray:
    """``(samples, length)`` standard Gaussian sequences (float64), the same on every machine
    (:func:`tinymech.algzoo.evaluation.gaussian_sequences`, batches concatenated)."""
    return np.concatenate(
        [x.numpy() for x in gaussian_sequences(samples, length, seed=seed, dtype=torch.float64)]
    )


def shuffled_weights(weights: RNNWeights, rng: np.random.Generator) -> RNNWeights:
    """The null control of the subcircuit search: W_hi permuted and the entries of W_hh shuffled at random
    (same values, no structure), W_oh unchanged."""
    return RNNWeights(
        rng.permutation(weights.W_hi),
        rng.permutation(weights.W_hh.ravel()).reshape(weights.W_hh.shape),
        weights.W_oh,
    )


def has_notes_pair(network, *, tolerance: float = 0.1) -> bool:
    """Whether W_hh has a complex pair within ``tolerance`` of the notes' modulus and period, each relative
    error measured in log (``|log(|λ| / 1.115)| ≤ tolerance`` and likewise for the period)."""
    pair = pw.nearest_complex_pair(network, modulus=NOTES_MODULUS, period=NOTES_PERIOD)
    return (
        pair is not None
        and abs(np.log(abs(pair) / NOTES_MODULUS)) <= tolerance
        and abs(np.log(pw.rotation_period(pair) / NOTES_PERIOD)) <= tolerance
    )


def in_range(values, low: float, high: float) -> float:
    """Fraction of ``values`` in ``[low, high]``.

    Raises:
        InvalidInputError: no values, or ``low > high``.
    """
    values = np.asarray(values, dtype=np.float64)
    if not values.size or low > high:
        raise InvalidInputError(
            f"in_range needs values and low <= high, got {values!r}, {low}, {high}"
        )
    return float(np.mean((values >= low) & (values <= high)))


def spectra_statistics(summary: pw.PhaseWheelSummary) -> dict[str, float]:
    """The statistics of one network's masks and Φ_post spectra that the chapter's claims test.

    Keys: ``identical`` (mean share of mask sequences equal to those at S/M = 0.8), ``crossing`` (share of
    mask entries that change), the shares of gaps whose spectral radius lies in the comment's forward and
    reverse ranges, the share of gaps where the reverse spectral gap is the larger (ties within 10⁻⁹ are
    not larger: a complex pair's gap is 0 up to rounding), and the smallest forward top-3 and reverse top-1
    shares of ``||W_oh Φ_post||²``.
    """
    radius, gap = summary.spectra.spectral_radius, summary.spectra.spectral_gap
    share = summary.spectra.top_share
    return {
        "identical": float(summary.masks.identical.mean()),
        "crossing": summary.masks.crossing_fraction,
        "forward radius in range": in_range(radius[0], *FORWARD_RADIUS_RANGE),
        "reverse radius in range": in_range(radius[1], *REVERSE_RADIUS_RANGE),
        "reverse gap larger": float(np.mean(gap[1] > gap[0] + 1e-9)),
        "forward top-3 share, smallest": float(share[0, :, 2].min()),
        "reverse top-1 share, smallest": float(share[1, :, 0].min()),
    }


def g_is_minus_f(analysis) -> float:
    """1 if ``f + g`` of an offset analysis is constant over positions to 10⁻⁹ of ``max |f|`` (g = −f up to
    the separable fit's constant), else 0."""
    total = analysis.f + analysis.g
    return float(np.abs(total - total.mean(axis=0)).max() <= 1e-9 * np.abs(analysis.f).max())
