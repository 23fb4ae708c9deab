"""Tests of tinymech.algzoo.leave_one_out: features against brute force, the handcrafted model, the subcircuit
search and the ablation helpers."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.leave_one_out import (
    candidate_features,
    fit_features,
    keep_top_inputs,
    leave_one_out_logits,
    leave_one_out_max,
    leave_one_out_maxima_final,
    match_subcircuit,
    readers_linear_model_r_squared,
    running_max,
    second_running_max,
    steps_since_max,
)
from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax, leave_one_out_expected_accuracy, leave_one_out_weights
from tinymech.algzoo.standardization import permute, rescale
from tinymech.algzoo.tasks import second_argmax
from tinymech.algzoo.trace import trace
from tinymech.algzoo.zoo import load_model

sequences = arrays(np.float64, (3, 7), elements=st.floats(-5, 5, allow_nan=False))


@settings(max_examples=50, deadline=None)
@given(sequences, st.integers(0, 6))
def test_leave_one_out_max_matches_brute_force(x, lag):
    result = leave_one_out_max(x, lag)
    for b in range(x.shape[0]):
        for t in range(x.shape[1]):
            kept = [x[b, j] for j in range(t + 1) if j != t - lag]
            assert result[b, t] == max([0.0, *kept])


@settings(max_examples=50, deadline=None)
@given(sequences)
def test_running_features_match_brute_force(x):
    rm, r2, since = running_max(x), second_running_max(x), steps_since_max(x)
    final = leave_one_out_maxima_final(x)
    for b in range(x.shape[0]):
        for t in range(x.shape[1]):
            prefix = x[b, : t + 1]
            assert rm[b, t] == max(0.0, prefix.max())
            assert r2[b, t] == (np.sort(prefix)[-2] if t > 0 else -np.inf)
            assert since[b, t] == t - int(np.argmax(prefix))
        for i in range(x.shape[1]):
            assert final[b, i] == max(0.0, np.delete(x[b], i).max())


def test_handcrafted_logits_are_the_closed_form():
    x = np.random.default_rng(0).standard_normal((500, 10))
    logits = trace(leave_one_out_weights(10), x).logits
    np.testing.assert_allclose(logits, leave_one_out_logits(x), atol=1e-12)
    assert leave_one_out_weights(10).hidden_size == 22


def test_handcrafted_accuracy_within_four_standard_errors_of_its_expectation():
    expected = leave_one_out_expected_accuracy(10)
    assert math.isclose(expected, 1 - 10 / 1024 * 8 / 9 - 1 / 1024 * 9 / 10)
    result = sampled_accuracy(load_model("handcrafted_10"), 2**18, seed=3)
    assert abs(result.accuracy - expected) < 4 * math.sqrt(expected * (1 - expected) / result.samples)


def test_handcrafted_is_exact_with_two_positive_entries_and_minus_sign_picks_the_argmax():
    x = np.abs(np.random.default_rng(1).standard_normal((2000, 10)))
    target = second_argmax(torch.tensor(x)).numpy()
    assert np.all(leave_one_out_logits(x).argmax(1) == target)
    assert np.all(leave_one_out_logits(x, sign=-2.0).argmax(1) == x.argmax(1))
    assert np.all(handcrafted_2nd_argmax(10)(torch.tensor(x, dtype=torch.float32)).argmax(1).numpy() == target)


def test_subcircuit_found_exactly_in_handcrafted_model_under_rescaling_and_permutation():
    weights = leave_one_out_weights(10)
    rng = np.random.default_rng(2)
    order = rng.permutation(22)
    disguised = permute(rescale(weights, rng.uniform(0.3, 3.0, 22)), order)
    match = match_subcircuit(disguised)
    assert match.relative_error < 1e-12
    assert [int(order[i]) for i in match.neurons] == [0, 1, 3, 2, 4]  # Q, P, F2, G, F3 in handcrafted order


def test_subcircuit_error_is_positive_for_a_random_model():
    rng = np.random.default_rng(3)
    from tinymech.algzoo.architectures import RNNWeights

    w = RNNWeights(rng.standard_normal(16), rng.standard_normal((16, 16)) * 0.3, rng.standard_normal((10, 16)))
    assert match_subcircuit(w).relative_error > 0.3


def test_feature_fits_recover_handcrafted_neurons():
    x = np.random.default_rng(4).standard_normal((2000, 10))
    run = trace(leave_one_out_weights(10), x)
    fits = fit_features(run.hidden, x)
    names = fits.feature_names
    assert fits.r_squared[0, names.index("previous running max")] > 1 - 1e-9  # Q
    assert fits.r_squared[1, names.index("running max increment")] > 1 - 1e-9  # P
    assert fits.r_squared[3, names.index("leave-one-out max, lag 1")] > 1 - 1e-9  # F2
    assert fits.r_squared[21, :].max() < 0.5  # D_10, a delayed input, is no such feature
    assert set(candidate_features(x)) == set(names)
    r2 = readers_linear_model_r_squared(run.hidden, x)
    assert r2.shape == (22,) and np.all(r2 <= 1 + 1e-12)


def test_keep_top_inputs():
    x = torch.tensor([[0.5, -1.0, 2.0, 1.0], [3.0, 2.0, 1.0, 0.0]])
    np.testing.assert_array_equal(keep_top_inputs(x, 2).numpy(), [[0, 0, 2.0, 1.0], [3.0, 2.0, 0, 0]])
    with pytest.raises(ValueError):
        keep_top_inputs(x, 5)
