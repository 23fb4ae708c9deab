"""The M16,10 chapter's per-network statistics: closed forms on built networks, and the null controls'
shuffles keep what they must keep."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from tinymech.algzoo import m16_10_statistics as stats
from tinymech.algzoo.architectures import RNNWeights
from tinymech.errors import InvalidInputError


def _rotation(modulus: float, period: float, size: int = 4) -> RNNWeights:
    """A W_hh with one complex pair of the given modulus and period (and small real eigenvalues)."""
    angle = 2 * np.pi / period
    W_hh = np.diag([0.1] * size).astype(np.float64)
    W_hh[:2, :2] = modulus * np.array(
        [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
    )
    return RNNWeights(np.ones(size), W_hh, np.ones((3, size)))


def test_the_notes_pair_is_found_within_ten_percent_and_not_beyond():
    assert stats.has_notes_pair(_rotation(1.115, 5.4))
    assert stats.has_notes_pair(_rotation(1.115 * 1.09, 5.4))
    assert not stats.has_notes_pair(_rotation(1.115 * 1.2, 5.4))
    assert not stats.has_notes_pair(_rotation(1.115, 5.4 * 1.2))


def test_shuffled_weights_keep_the_values_and_the_readout():
    weights = _rotation(1.0, 4.0)
    shuffled = stats.shuffled_weights(weights, np.random.default_rng(0))
    assert sorted(shuffled.W_hh.ravel()) == sorted(weights.W_hh.ravel())
    assert sorted(shuffled.W_hi) == sorted(weights.W_hi)
    assert np.array_equal(shuffled.W_oh, weights.W_oh)


def test_in_range_counts_the_closed_interval_and_refuses_nonsense():
    assert stats.in_range([0.76, 1.05, 1.2, 0.5], 0.76, 1.05) == 0.5
    with pytest.raises(InvalidInputError):
        stats.in_range([], 0, 1)
    with pytest.raises(InvalidInputError):
        stats.in_range([1.0], 2, 1)


def test_spectra_statistics_on_a_made_up_summary():
    spectra = SimpleNamespace(
        spectral_radius=np.array([[0.8, 2.0], [1.5, 3.0]]),
        spectral_gap=np.array([[0.1, 0.2], [0.3, 0.2 + 1e-12]]),
        top_share=np.array(
            [[[0.5, 0.7, 0.9], [0.4, 0.6, 0.8]], [[0.6, 0.8, 0.95], [0.3, 0.5, 0.7]]]
        ),
    )
    masks = SimpleNamespace(
        identical=np.array([True, False, True, True]), crossing_fraction=0.01
    )
    values = stats.spectra_statistics(SimpleNamespace(spectra=spectra, masks=masks))
    assert values["identical"] == 0.75
    assert values["forward radius in range"] == 0.5
    assert values["reverse radius in range"] == 0.5
    assert values["reverse gap larger"] == 0.5  # the second gap is a tie within 1e-9
    assert values["forward top-3 share, smallest"] == 0.8
    assert values["reverse top-1 share, smallest"] == 0.3


def test_g_is_minus_f_up_to_a_constant_only():
    f = np.array([[1.0, 2.0], [3.0, -1.0]])
    assert stats.g_is_minus_f(SimpleNamespace(f=f, g=-f + 5.0)) == 1.0
    assert (
        stats.g_is_minus_f(SimpleNamespace(f=f, g=-f + np.array([[0.0, 0.0], [0.1, 0.0]])))
        == 0.0
    )


def test_null_measurement_is_the_mean_and_its_standard_error():
    measured = stats.null_measurement([1.0, 2.0, 3.0])
    assert measured.value == 2.0
    assert measured.uncertainty == pytest.approx(1.0 / np.sqrt(3))


def test_gaussian_batch_has_the_requested_shape_and_is_reproducible():
    a = stats.gaussian_batch(100, 10, seed=3)
    assert a.shape == (100, 10)
    assert np.array_equal(a, stats.gaussian_batch(100, 10, seed=3))
