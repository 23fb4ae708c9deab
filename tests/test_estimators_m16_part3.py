"""Issue 27's M16,10 additions: RQMC sampling, mask substitution, split-half settings."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import stats

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.estimation import sampling_mse
from tinymech.algzoo.methods import METHODS, estimate
from tinymech.algzoo.estimators_m16 import mask_substitution as ms
from tinymech.algzoo.estimators_m16.activation_masks import (
    activation_masks,
    representative_input,
)
from tinymech.algzoo.estimators_m16.input_law import case_of
from tinymech.algzoo.linear_pieces import linear_piece
from tinymech.algzoo.estimators_m16.rqmc import (
    per_sequence_operations,
    rqmc_mse_at,
    rqmc_operations,
    rqmc_replicates,
    sobol_gaussian_sequences,
)
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.errors import InvalidInputError


def small_weights(d: int = 5, n: int = 4, seed: int = 0) -> RNNWeights:
    rng = np.random.default_rng(seed)
    return RNNWeights(
        rng.standard_normal(d),
        rng.standard_normal((d, d)) / np.sqrt(d),
        rng.standard_normal((n, d)),
    )


def test_sobol_gaussians_are_stratified_in_every_coordinate():
    # a scrambled Sobol net of 2^10 points has exactly one point in each of 2^10 intervals per coordinate
    x = np.concatenate(list(sobol_gaussian_sequences(2**10, 6, seed=3)))
    u = stats.norm.cdf(x.astype(np.float64))
    for j in range(6):
        counts = np.bincount((u[:, j] * 2**10).astype(int), minlength=2**10)
        assert counts.max() == 1 and counts.min() == 1
    assert np.isfinite(x).all() and x.dtype == np.float32


def test_sobol_gaussians_refuse_bad_sizes():
    with pytest.raises(InvalidInputError):
        next(sobol_gaussian_sequences(0, 3, seed=0))


def test_rqmc_is_registered_and_agrees_with_sampling():
    assert "rqmc_sampling" in METHODS and not METHODS["rqmc_sampling"].mechanistic
    w = small_weights(d=6, n=5, seed=1)
    budget = rqmc_operations(6, 5, 2**14)
    result = estimate(w, "rqmc_sampling", budget=budget, seed=0)
    assert result.details["samples"] == 2**14 and result.operations == budget
    model = ReLURNN.from_weights(w.W_hi, w.W_hh, w.W_oh)
    reference = sampled_accuracy(model, 2**18, seed=11)
    se = math.sqrt(reference.accuracy * (1 - reference.accuracy) / 2**14)
    assert abs(result.estimate - reference.accuracy) < 4 * se


def test_rqmc_beats_plain_sampling_variance_on_a_small_model():
    # independent scrambles: RQMC's variance at 2^12 points is below plain sampling's p(1-p)/N
    w = small_weights(d=6, n=5, seed=1)
    estimates = rqmc_replicates(w, log2_samples=(12,), replicates=24, seed=5)[:, 0]
    p = estimates.mean()
    plain = p * (1 - p) / 2**12
    # measured 0.40 of plain's; with 23 degrees of freedom a sample variance 2.5x the true one has
    # probability about 3e-4, so the test fails only if RQMC does not gain here
    assert estimates.var(ddof=1) < plain


def test_rqmc_mse_at_interpolates_the_measured_ratio():
    study = {"samples": [2**5, 2**6], "ratio": [1.0, 0.5], "plain_variance": 0.1}
    ops = [rqmc_operations(16, 10, 2**5), rqmc_operations(16, 10, 2**6)]
    mse = rqmc_mse_at(study, ops)
    np.testing.assert_allclose(mse, [0.1 / 2**5, 0.5 * 0.1 / 2**6])
    below = rqmc_mse_at(study, [per_sequence_operations(16, 10) // 2])
    assert math.isinf(below[0])


def test_fixed_masks_hybrid_is_the_masked_linear_map():
    w = small_weights(d=5, n=4, seed=2)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4))
    masks = activation_masks(w, representative_input(0, 1, 4))
    fixed = np.broadcast_to(masks, (64, 4, 5))
    logits = ms.hybrid_logits(w, x, fixed, lambda t: np.zeros(64, dtype=bool))
    np.testing.assert_allclose(logits, x @ linear_piece(w, masks).logit_map.T, atol=1e-12)


def test_true_masks_everywhere_is_the_network():
    w = small_weights(d=5, n=4, seed=3)
    x = np.random.default_rng(1).standard_normal((32, 4))
    model = ReLURNN.from_weights(w.W_hi, w.W_hh, w.W_oh, dtype=torch.float64)
    expected = model(torch.from_numpy(x)).detach().numpy()
    fixed = np.zeros((32, 4, 5))
    hybrid = ms.hybrid_logits(w, x, fixed, lambda t: np.ones(32, dtype=bool))
    np.testing.assert_allclose(hybrid, expected, atol=1e-12)
    np.testing.assert_allclose(ms.true_run(w, x)[0], expected, atol=1e-12)


def test_substitution_measures_bracket_the_extremes():
    w = small_weights(d=6, n=5, seed=4)
    out = ms.substitution_measures(w, 2**11, seed=0)
    last = out["true to step 4"]
    assert last["bias"] == 0 and last["agreement"] == 1
    # the true state substituted at the later impulse is "true to the later impulse"
    assert out["true state at the later impulse"] == out["true to the later impulse"]
    assert out["margins"].shape == (2**11,) and (out["margins"] >= 0).all()


def test_two_impulse_state_keeps_only_the_two_largest():
    w = small_weights(d=5, n=4, seed=5)
    x = np.array([[0.3, 2.0, -1.0, 1.5], [1.0, -0.5, 0.2, 0.1]])
    states, steps = ms.two_impulse_states(w, x)
    np.testing.assert_array_equal(steps, [3, 2])
    m, s = case_of(x)
    impulses = np.zeros_like(x)
    impulses[[0, 1], m], impulses[[0, 1], s] = x[[0, 1], m], x[[0, 1], s]
    _, _, all_states = ms.true_run(w, impulses)
    np.testing.assert_allclose(states, all_states[[0, 1], steps])


def test_pattern_variety_counts_are_consistent():
    w = small_weights(d=4, n=4, seed=6)
    out = ms.pattern_variety(w, samples=256, sizes=(1, 10, 10**6))
    assert (out["distinct"] >= 1).all() and (out["distinct"] <= 256).all()
    assert (np.diff(out["coverage"], axis=0) >= 0).all()
    np.testing.assert_allclose(out["coverage"][-1], 1.0)


def test_plain_sampling_mse_is_the_reference_for_the_ratio():
    # the ratio's denominator is the harness's closed form at N sequences
    p = np.array([0.8, 0.9])
    assert sampling_mse(p, [2880 * 100], 2880)[0] == pytest.approx(np.mean(p * (1 - p)) / 100)


# --- the sampler's forward pass ----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(16, 10), (4, 3), (2, 2), (7, 1)])
def test_fast_last_hidden_is_bit_identical_to_torch_rnn(shape, dtype):
    from tinymech.algzoo.evaluation import gaussian_sequences, relu_rnn_last_hidden

    d, n = shape
    torch.manual_seed(d * 10 + n)
    model = ReLURNN(d, n).to(dtype).eval()
    x = next(gaussian_sequences(5000, n, seed=1, dtype=dtype, batch_chunks=1))
    with torch.no_grad():
        expected = model.rnn(x.unsqueeze(-1))[0][:, -1]
        for block in (4096, 333, 5000):
            assert torch.equal(relu_rnn_last_hidden(model, x, block=block), expected)


def test_sampled_accuracy_counts_are_those_of_torch_rnn():
    from tinymech.algzoo.evaluation import gaussian_sequences, predictions, readout_scale
    from tinymech.algzoo.tasks import second_argmax

    torch.manual_seed(0)
    model = ReLURNN(16, 10).eval()
    correct = 0
    with torch.no_grad():
        for x in gaussian_sequences(3 * 2**16, 10, seed=4):
            hidden = model.rnn(x.unsqueeze(-1))[0][:, -1]
            logits = model.linear(hidden)
            chosen = predictions(logits, scale=readout_scale(hidden, model.linear.weight))
            correct += int((chosen == second_argmax(x)).sum())
    assert sampled_accuracy(model, 3 * 2**16, seed=4).correct == correct
