"""Negation symmetries of 3-input RNNs and the half-space count they allow."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.handcrafted import handcrafted_3
from tinymech.algzoo.exact.solid_angles import exact_accuracy_3, solid_angle_accuracy
from tinymech.algzoo.standardization import standardize
from tinymech.algzoo.symmetries import (
    find_negation_symmetries,
    involutions,
    symmetrize,
    symmetry_distance,
    symmetry_reduced_accuracy,
    transform,
)
from tinymech.algzoo.tasks import second_argmax
from tinymech.algzoo.trace import trace


def random_weights(hidden_size: int, seed: int):
    rng = np.random.default_rng(seed)
    return ReLURNN.from_weights(rng.normal(size=hidden_size), rng.normal(size=(hidden_size, hidden_size)),
                                rng.normal(size=(3, hidden_size)), dtype=torch.float64).weights()


def test_involution_counts():
    assert [len(involutions(d)) for d in range(1, 6)] == [1, 2, 4, 10, 26]
    with pytest.raises(ValueError, match="1..8"):
        involutions(9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(involutions(4)))
def test_transformed_model_computes_logits_of_negated_input(seed, permutation):
    weights = random_weights(4, seed)
    x = np.random.default_rng(seed).normal(size=(64, 3))
    np.testing.assert_allclose(trace(transform(weights, permutation), x).logits, trace(weights, -x).logits,
                               rtol=1e-10, atol=1e-10)
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
    x = torch.randn(2**20, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    x[:, 0] = x[:, 0].abs()
    with torch.no_grad():
        p = float((model(x).argmax(-1) == second_argmax(x)).double().mean())
    se = math.sqrt(p * (1 - p) / len(x))
    assert abs(symmetry_reduced_accuracy(weights).accuracy - p) <= 4 * se


def test_symmetrized_model_is_exact_under_the_half_space_count():
    weights = symmetrize(random_weights(4, 11), (1, 0, 3, 2))
    assert symmetry_reduced_accuracy(weights).accuracy == pytest.approx(exact_accuracy_3(weights), abs=1e-10)


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
