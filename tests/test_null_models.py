"""Tests of tinymech.algzoo.null_models: random networks matched to a model's weight scale."""

import numpy as np
import pytest

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.null_models import (
    mean_and_standard_error,
    random_ensemble,
    random_like,
)
from tinymech.stats import spectral_radius
from tinymech.errors import InvalidInputError


def model_weights():
    rng = np.random.default_rng(0)
    return RNNWeights(
        3.0 * rng.standard_normal(16),
        0.2 * rng.standard_normal((16, 16)),
        rng.standard_normal((10, 16)),
    )


def rms(matrix):
    return np.sqrt(np.mean(matrix**2))


def test_random_like_matches_shapes_rms_and_spectral_radius_exactly():
    model = model_weights()
    for recurrent in ("rms", "spectral_radius"):
        random = random_like(model, np.random.default_rng(1), recurrent=recurrent)
        assert random.W_hh.shape == (16, 16) and random.W_oh.shape == (10, 16)
        assert rms(random.W_hi) == pytest.approx(rms(model.W_hi)) and rms(
            random.W_oh
        ) == pytest.approx(rms(model.W_oh))
        if recurrent == "rms":
            assert rms(random.W_hh) == pytest.approx(rms(model.W_hh))
        else:
            assert spectral_radius(random.W_hh) == pytest.approx(spectral_radius(model.W_hh))
        assert not np.allclose(random.W_hh, model.W_hh)


def test_rms_matched_recurrent_weights_have_about_sqrt_d_times_the_spectral_radius():
    # circular law: a Gaussian d x d matrix with entry scale sigma has spectral radius ~ sigma sqrt(d)
    model = model_weights()
    radii = [
        spectral_radius(w.W_hh) / rms(w.W_hh)
        for w in random_ensemble(model, 200, seed=2, recurrent="rms")
    ]
    assert 3.0 < np.mean(radii) < 5.0  # sqrt(16) = 4, with finite-size spread


def test_random_ensemble_is_reproducible_and_checks_its_arguments():
    model = model_weights()
    first, second = random_ensemble(model, 3, seed=4), random_ensemble(model, 3, seed=4)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.W_hh, b.W_hh)
    assert not np.array_equal(first[0].W_hh, first[1].W_hh)
    with pytest.raises(InvalidInputError):
        random_ensemble(model, 0)
    with pytest.raises(InvalidInputError):
        random_like(model, np.random.default_rng(0), recurrent="frobenius")
    with pytest.raises(InvalidInputError):
        random_like(
            RNNWeights(np.zeros(2), np.eye(2), np.ones((2, 2))), np.random.default_rng(0)
        )


def test_mean_and_standard_error():
    mean, error = mean_and_standard_error([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5 and error == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)
    with pytest.raises(InvalidInputError):
        mean_and_standard_error([1.0])
