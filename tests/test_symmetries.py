"""Negation symmetries of 3-input RNNs and the half-space count they allow."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import gaussian_sequences
from tinymech.algzoo.handcrafted import handcrafted_3
from tinymech.algzoo.exact.solid_angles import exact_accuracy_3, solid_angle_accuracy
from tinymech.algzoo.standardization import standardize
from tinymech.algzoo.null_models import gaussian_weights as gaussian_rnn
from tinymech.algzoo.symmetries import (
    CostRow,
    find_negation_symmetries,
    involutions,
    lambda_sweep_summary,
    mse_versus_compute,
    negation_symmetry_null,
    symmetrize,
    symmetry_distance,
    symmetry_reduced_accuracy,
    transform,
)
from tinymech.algzoo.tasks import second_argmax
from tinymech.algzoo.trace import trace
from tinymech.errors import InvalidInputError


def random_weights(hidden_size: int, seed: int):
    rng = np.random.default_rng(seed)
    return ReLURNN.from_weights(
        rng.normal(size=hidden_size),
        rng.normal(size=(hidden_size, hidden_size)),
        rng.normal(size=(3, hidden_size)),
        dtype=torch.float64,
    ).weights()


def test_involution_counts():
    assert [len(involutions(d)) for d in range(1, 6)] == [1, 2, 4, 10, 26]
    with pytest.raises(ValueError, match="1..8"):
        involutions(9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(involutions(4)))
def test_transformed_model_computes_logits_of_negated_input(seed, permutation):
    weights = random_weights(4, seed)
    x = np.random.default_rng(seed).normal(size=(64, 3))
    np.testing.assert_allclose(
        trace(transform(weights, permutation), x).logits,
        trace(weights, -x).logits,
        rtol=1e-10,
        atol=1e-10,
    )
    symmetric = symmetrize(weights, permutation)
    assert symmetry_distance(symmetric, permutation).distance < 1e-12


def test_handcrafted_3_has_an_exact_negation_symmetry():
    weights = standardize(handcrafted_3(100.0, dtype=torch.float64).weights())
    best = find_negation_symmetries(weights)[0]
    assert best.distance < 1e-12
    assert best.permutation == (3, 2, 1, 0)  # neurons (0, 3) and (1, 2) carry +z and -z
    full = solid_angle_accuracy(weights)
    half = symmetry_reduced_accuracy(weights)
    assert half.accuracy == pytest.approx(full.accuracy, abs=1e-10)
    assert half.n_regions < full.n_regions


def test_half_space_count_matches_sampling_on_the_half_space():
    weights = random_weights(4, 3)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh, dtype=torch.float64)
    x = next(gaussian_sequences(2**20, 3, seed=0, dtype=torch.float64, batch_chunks=16))
    x[:, 0] = x[:, 0].abs()
    with torch.no_grad():
        p = float((model(x).argmax(-1) == second_argmax(x)).double().mean())
    se = math.sqrt(p * (1 - p) / len(x))
    assert abs(symmetry_reduced_accuracy(weights).accuracy - p) <= 4 * se


def test_symmetrized_model_is_exact_under_the_half_space_count():
    weights = symmetrize(random_weights(4, 11), (1, 0, 3, 2))
    assert symmetry_reduced_accuracy(weights).accuracy == pytest.approx(
        exact_accuracy_3(weights), abs=1e-10
    )


def test_bad_permutations():
    weights = random_weights(3, 0)
    with pytest.raises(ValueError, match="permutation"):
        transform(weights, (0, 0, 1))
    with pytest.raises(ValueError, match="involution"):
        symmetrize(weights, (1, 2, 0))


def test_symmetrized_estimate_is_exact_for_a_symmetric_model_and_close_for_a_perturbed_one():
    from tinymech.algzoo.noise import noisy_weights
    from tinymech.algzoo.symmetries import symmetrized_half_space_accuracy

    weights = handcrafted_3(10.0, dtype=torch.float64).weights()
    estimate = symmetrized_half_space_accuracy(weights)
    assert estimate.symmetry.permutation == (3, 2, 1, 0)
    assert estimate.accuracy == pytest.approx(exact_accuracy_3(weights), abs=1e-10)
    same = noisy_weights(weights, 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(same.W_hh, weights.W_hh)
    with pytest.raises(ValueError, match="non-negative"):
        noisy_weights(weights, -1.0, np.random.default_rng(0))


def test_mse_versus_compute_closed_form():
    """Two noisy models with exact accuracies 0.9 and 0.8: sampling's variance is (0.09 + 0.16) / 2 = 0.125;
    an estimator off by 0.01 and 0.02 has MSE 2.5e-4; at 1e-6 s per sample, sampling reaches MSE
    0.125e-6 / 0.5 = 2.5e-7 in the estimator's 0.5 s, so the estimator needs 1,000 times sampling's compute
    (sampling matches its MSE with 0.125 / 2.5e-4 = 500 samples)."""
    study = {
        "0.1": {
            "exact": np.array([0.9, 0.8]),
            "exact_seconds": np.array([1.0, 1.0]),
            "half_space": np.array([0.91, 0.78]),
            "half_space_seconds": np.array([0.4, 0.6]),
            "symmetrized": np.array([0.9, 0.8]),
            "symmetrized_seconds": np.array([0.5, 0.5]),
        }
    }
    rows = {row.estimator: row for row in mse_versus_compute(study, 1e-6)}
    half = rows["half_space"]
    assert half.mse == pytest.approx(2.5e-4) and half.sampling_variance == pytest.approx(0.125)
    assert half.sampling_mse == pytest.approx(2.5e-7) and half.compute_ratio == pytest.approx(
        1000.0
    )
    assert half.matched_samples == pytest.approx(500.0)
    assert rows["symmetrized"].compute_ratio == 0.0 and rows["exact"].mse == 0.0
    assert rows["exact"].sampling_mse == pytest.approx(1.25e-7)
    with pytest.raises(InvalidInputError, match="lacks"):
        mse_versus_compute({"0.1": {"exact": np.array([0.9])}}, 1e-6)
    with pytest.raises(InvalidInputError, match="positive"):
        mse_versus_compute(study, 0.0)


def test_lambda_sweep_summary_recovers_a_power_law_and_the_float32_peak():
    lams = np.array([1.0, 10.0, 100.0, 1000.0])
    sweep = {
        "lam": lams,
        "exact_float64": 1 - 0.3 * lams**-2.0,
        "sampled_float32": np.array([0.7, 0.99, 0.999, 0.95]),
        "sampled_float32_se": np.full(4, 1e-4),
    }
    summary = lambda_sweep_summary(sweep)
    assert summary.float64_exponent == pytest.approx(-2.0, abs=1e-9)
    assert summary.float32_best_lam == 100.0 and summary.float32_best_accuracy == 0.999
    assert summary.float32_falls_after
    sweep["sampled_float32"] = np.array([0.7, 0.99, 0.999, 0.9999])
    assert not lambda_sweep_summary(sweep).float32_falls_after


def test_trained_m4_3_is_closer_to_a_negation_symmetry_than_random_networks():
    """The null control: standardized Gaussian M4,3 are far from every negation symmetry; the trained model
    is within 0.1 and the handcrafted one exactly symmetric."""
    from tinymech.algzoo.zoo import load_model

    null = negation_symmetry_null(200, seed=4)
    trained = find_negation_symmetries(standardize(load_model("m4_3").weights()))[0].distance
    assert trained < 0.1 < null.min()
    assert (
        negation_symmetry_null(3, seed=4).tolist() == null[:3].tolist()
    )  # same draws in order
    assert gaussian_rnn(4, 3, np.random.default_rng(0)).W_oh.shape == (3, 4)


def test_exact_accuracy_of_m4_3_survives_rescaling_to_eight_digits():
    """Neuron rescaling leaves the function unchanged; the exact count must agree to at least 9 digits
    across rescalings (so 8 are printed); the last bit of each float32 weight leaves 5."""
    from tinymech.algzoo.standardization import digits_to_show
    from tinymech.algzoo.zoo import load_model

    weights = load_model("m4_3").weights()
    assert digits_to_show(weights, exact_accuracy_3, max_digits=8, rescalings=4, moves=0) == 8
    assert digits_to_show(weights, exact_accuracy_3, max_digits=8, rescalings=4) == 5
