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
from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.leave_one_out import (
    arc_features,
    candidate_features,
    fit_exact_features,
    fit_features,
    keep_top_inputs,
    leave_one_out_logits,
    leave_one_out_max,
    leave_one_out_maxima_final,
    match_subcircuit,
    readers_linear_model_r_squared,
    running_max,
    second_running_max,
    single_neuron_ablations,
    steps_since_max,
    top_inputs_accuracy,
)
from tinymech.algzoo.handcrafted import (
    handcrafted_2nd_argmax,
    leave_one_out_expected_accuracy,
    leave_one_out_weights,
)
from tinymech.algzoo.standardization import permute, rescale
from tinymech.algzoo.tasks import second_argmax
from tinymech.algzoo.trace import trace
from tinymech.algzoo.zoo import load_model
from tinymech.errors import InvalidInputError

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
    assert abs(result.accuracy - expected) < 4 * math.sqrt(
        expected * (1 - expected) / result.samples
    )


def test_handcrafted_is_exact_with_two_positive_entries_and_minus_sign_picks_the_argmax():
    x = np.abs(np.random.default_rng(1).standard_normal((2000, 10)))
    target = second_argmax(torch.tensor(x)).numpy()
    assert np.all(leave_one_out_logits(x).argmax(1) == target)
    assert np.all(leave_one_out_logits(x, sign=-2.0).argmax(1) == x.argmax(1))
    assert np.all(
        handcrafted_2nd_argmax(10)(torch.tensor(x, dtype=torch.float32)).argmax(1).numpy()
        == target
    )


def test_subcircuit_found_exactly_in_handcrafted_model_under_rescaling_and_permutation():
    weights = leave_one_out_weights(10)
    rng = np.random.default_rng(2)
    order = rng.permutation(22)
    disguised = permute(rescale(weights, rng.uniform(0.3, 3.0, 22)), order)
    match = match_subcircuit(disguised)
    assert match.relative_error < 1e-12
    assert [int(order[i]) for i in match.neurons] == [
        0,
        1,
        3,
        2,
        4,
    ]  # Q, P, F2, G, F3 in handcrafted order


def test_subcircuit_error_is_positive_for_a_random_model():
    rng = np.random.default_rng(3)
    w = RNNWeights(
        rng.standard_normal(16),
        rng.standard_normal((16, 16)) * 0.3,
        rng.standard_normal((10, 16)),
    )
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
    np.testing.assert_array_equal(
        keep_top_inputs(x, 2).numpy(), [[0, 0, 2.0, 1.0], [3.0, 2.0, 0, 0]]
    )
    with pytest.raises(ValueError):
        keep_top_inputs(x, 5)


def test_top_inputs_accuracy_of_the_handcrafted_model_is_exact_where_the_target_survives():
    # two positive inputs survive the zeroing and the handcrafted model is exact with two positive inputs
    result = top_inputs_accuracy(load_model("handcrafted_10"), 2**16, k=2, seed=0)
    assert result.correct_eligible == result.eligible and result.eligible_accuracy == 1.0
    expected = 1 - 11 / 1024  # P(at least two of ten standard Gaussians are positive)
    assert abs(result.eligible_fraction - expected) < 4 * math.sqrt(
        expected * (1 - expected) / result.samples
    )
    assert result.accuracy >= result.eligible_fraction and 0 < result.standard_error < 1e-3


def test_top_inputs_accuracy_with_all_inputs_kept_is_the_sampled_accuracy():
    model = load_model("m2_2")
    kept = top_inputs_accuracy(model, 2**12, k=2, seed=5)
    assert kept.accuracy == sampled_accuracy(model, 2**12, seed=5).accuracy
    assert kept.correct_eligible == kept.full_correct_eligible


def test_single_neuron_ablations_of_a_silent_neuron_and_of_the_running_max():
    weights = leave_one_out_weights(10)
    # a 23rd neuron that reads nothing and feeds nothing: silencing it changes nothing
    d = weights.hidden_size
    padded = RNNWeights(
        np.r_[weights.W_hi, 0.0],
        np.pad(weights.W_hh, ((0, 1), (0, 1))),
        np.pad(weights.W_oh, ((0, 0), (0, 1))),
    )
    ablated = single_neuron_ablations(padded, 2**13, seed=1)
    baseline = sampled_accuracy(load_model("handcrafted_10"), 2**13, seed=1).accuracy
    assert ablated.shape == (d + 1,) and ablated[-1] == baseline
    # silencing P (the running-max increment) also freezes Q = 0, and every leave-one-out feature breaks
    assert ablated[1] < 0.05


def test_arc_features_fit_the_handcrafted_neurons_exactly_and_only_a_slope_is_fit():
    x = np.random.default_rng(6).standard_normal((1000, 10))
    run = trace(leave_one_out_weights(10), x)
    fits = fit_exact_features(run.hidden, arc_features(x))
    # Q, P, G, F2, F3 are neurons 0, 1, 2, 3, 4 of the handcrafted model
    np.testing.assert_array_equal(fits.best_neuron, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(fits.best_neuron_r_squared, 1.0, atol=1e-12)
    # one regressor plus intercept: R^2 is the squared correlation
    h = run.hidden[:, 1:, 7].ravel()
    phi = arc_features(x)["running max - x"][:, 1:].ravel()
    assert fits.r_squared[7, 2] == pytest.approx(np.corrcoef(h, phi)[0, 1] ** 2)
    with pytest.raises(InvalidInputError):
        fit_exact_features(run.hidden, {"wrong shape": x[:, :5]})


def test_distinct_assignment_gives_each_feature_its_own_neuron():
    from tinymech.algzoo.leave_one_out import FeatureFits

    # neuron 0 fits both features best; the assignment gives feature 1 to neuron 1 (total 0.9 + 0.7)
    fits = FeatureFits(["a", "b"], np.array([[0.9, 0.8], [0.1, 0.7], [0.0, 0.2]]))
    np.testing.assert_array_equal(fits.best_neuron, [0, 0])
    neurons, r2 = fits.distinct_assignment()
    np.testing.assert_array_equal(neurons, [0, 1])
    np.testing.assert_allclose(r2, [0.9, 0.7])
    with pytest.raises(InvalidInputError):
        FeatureFits(["a", "b", "c"], np.ones((2, 3))).distinct_assignment()


def test_partial_r_squared_separates_a_feature_from_one_that_agrees_with_it_on_most_steps():
    from tinymech.algzoo.leave_one_out import partial_r_squared

    rng = np.random.default_rng(0)
    base = rng.standard_normal((400, 10))
    extra = rng.standard_normal((400, 10))
    near_copy = base + 0.05 * extra  # agrees with base almost everywhere
    noise = 0.01 * rng.standard_normal((400, 10))
    hidden = np.stack([2 * base + 1 + noise, base + extra + noise, near_copy], axis=-1)
    share = partial_r_squared(hidden, base, near_copy)
    assert share[0] < 0.05  # the neuron is the base feature: nothing left for the near copy
    assert share[1] > 0.5  # the neuron carries what base does not
    assert share[2] > 0.99  # the neuron is the near copy exactly
    with pytest.raises(InvalidInputError):
        partial_r_squared(hidden, base[:, :5], near_copy)
