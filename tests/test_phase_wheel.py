"""Tests of tinymech.algzoo.phase_wheel: clean inputs, offset antisymmetry, Phi_post exactness, homogeneity of
masks, and the surrogate reproducing the model where its masks hold."""

import numpy as np
import pytest

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.exact.pieces import pattern_linear_maps
from tinymech.algzoo.phase_wheel import (
    clean_inputs,
    discrimination_offset,
    effective_rank,
    mask_stability,
    masked_linear_surrogate,
    pca,
    phi_post,
    post_impulse_masks,
    recurrent_eigenvalues,
    second_impulse_input,
)
from tinymech.algzoo.trace import trace


def random_weights(seed=0, d=16, n=10):
    rng = np.random.default_rng(seed)
    return RNNWeights(rng.standard_normal(d), rng.standard_normal((d, d)) * 0.35, rng.standard_normal((n, d)))


def test_clean_inputs():
    clean = clean_inputs(10, 1.0, 0.8)
    assert clean.inputs.shape == (90, 10)
    assert np.all(clean.inputs.max(1) == 1.0) and np.all(np.sort(clean.inputs, 1)[:, -2] == 0.8)
    assert clean.forward.sum() == 45
    with pytest.raises(ValueError):
        clean_inputs(10, 0.5, 0.8)


def test_offset_is_antisymmetric_and_separable_fit_has_g_equal_minus_f():
    analysis = discrimination_offset(random_weights(1))
    off_diagonal = ~np.eye(10, dtype=bool)
    np.testing.assert_array_equal(analysis.offset[off_diagonal],
                                  -analysis.offset.transpose(1, 0, 2)[off_diagonal])
    total = analysis.f + analysis.g
    np.testing.assert_allclose(total - total.mean(0), 0.0, atol=1e-10)  # g = -f + constant, automatically
    assert 0.0 <= analysis.separable_r_squared <= 1.0


def test_separable_offset_gives_r_squared_one():
    # a linear RNN (all neurons stay on: positive weights, positive inputs) has an exactly separable offset
    rng = np.random.default_rng(2)
    w = RNNWeights(np.abs(rng.standard_normal(6)), np.abs(rng.standard_normal((6, 6))) * 0.2,
                   rng.standard_normal((10, 6)))
    assert discrimination_offset(w).separable_r_squared == pytest.approx(1.0, abs=1e-12)


def test_phi_post_reproduces_final_state_and_pattern_linear_maps():
    w = random_weights(3)
    for gap in (1, 4, 8):
        for forward in (True, False):
            masks = post_impulse_masks(w, gap, forward)
            x = np.zeros(10)
            x[0], x[gap] = (1.0, 0.8) if forward else (0.8, 1.0)
            run = trace(w, x[None])
            h_second = run.hidden[0, gap]
            np.testing.assert_allclose(phi_post(w, masks) @ h_second, run.hidden[0, -1], atol=1e-12)
            piece = pattern_linear_maps(w, run.activation_pattern[0])
            np.testing.assert_allclose(piece.logit_map @ x, run.logits[0], atol=1e-12)
            pre = x[0] * second_impulse_input(w, gap) + x[gap] * w.W_hi
            np.testing.assert_allclose(np.maximum(pre, 0), h_second, atol=1e-12)


def test_masks_depend_on_magnitudes_only_through_the_ratio():
    w = random_weights(4)
    for gap in (2, 5):
        a = post_impulse_masks(w, gap, True, large=1.0, small=0.6)
        b = post_impulse_masks(w, gap, True, large=3.7, small=0.6 * 3.7)
        np.testing.assert_array_equal(a, b)
    stability = mask_stability(w, [0.8])
    assert stability.identical.all()


def test_surrogate_is_exact_on_clean_inputs_and_on_rescaled_pairs():
    w = random_weights(5)
    surrogate = masked_linear_surrogate(w)
    clean = clean_inputs()
    np.testing.assert_allclose(surrogate.final_state(clean.inputs), trace(w, clean.inputs).hidden[:, -1], atol=1e-12)
    np.testing.assert_allclose(surrogate.final_state(2.5 * clean.inputs),
                               trace(w, 2.5 * clean.inputs).hidden[:, -1], atol=1e-11)


def test_pca_effective_rank_and_eigenvalues():
    rng = np.random.default_rng(6)
    line = np.outer(rng.standard_normal(50), rng.standard_normal(4))
    assert effective_rank(line) == pytest.approx(1.0)
    assert pca(line).explained_variance_ratio[0] == pytest.approx(1.0)
    angle = 2 * np.pi / 5.4
    rotation = 1.1 * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    eigenvalues = recurrent_eigenvalues(RNNWeights(np.ones(2), rotation, np.ones((2, 2))))
    np.testing.assert_allclose(np.abs(eigenvalues), 1.1)
    assert 2 * np.pi / abs(np.angle(eigenvalues[0])) == pytest.approx(5.4)
