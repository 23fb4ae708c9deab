"""Tests of tinymech.algzoo.phase_wheel: clean inputs, offset antisymmetry, Phi_post exactness, homogeneity of
masks, and the surrogate reproducing the model where its masks hold."""

import numpy as np
import pytest

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.exact.pieces import pattern_linear_maps
from tinymech.algzoo.handcrafted import leave_one_out_weights
from tinymech.algzoo.phase_wheel import (
    clean_accuracy,
    clean_inputs,
    comparator_clipping,
    complex_pairs,
    countdown_readout,
    discrimination_offset,
    effective_rank,
    forward_reverse_plane_cosines,
    impulse_response,
    mask_stability,
    masked_linear_surrogate,
    nearest_complex_pair,
    offset_logit_contrast,
    pca,
    phase_wheel_summary,
    phi_post,
    phi_post_spectra,
    plane_readout_accuracy,
    post_impulse_masks,
    recurrent_eigenvalues,
    rotation_period,
    second_impulse_input,
    spiral_alignment,
    turning_angle,
)
from tinymech.algzoo.trace import trace
from tinymech.errors import InvalidInputError


def random_weights(seed=0, d=16, n=10):
    rng = np.random.default_rng(seed)
    return RNNWeights(
        rng.standard_normal(d), rng.standard_normal((d, d)) * 0.35, rng.standard_normal((n, d))
    )


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
    np.testing.assert_array_equal(
        analysis.offset[off_diagonal], -analysis.offset.transpose(1, 0, 2)[off_diagonal]
    )
    total = analysis.f + analysis.g
    np.testing.assert_allclose(
        total - total.mean(0), 0.0, atol=1e-10
    )  # g = -f + constant, automatically
    assert 0.0 <= analysis.separable_r_squared <= 1.0


def test_separable_offset_gives_r_squared_one():
    # a linear RNN (all neurons stay on: positive weights, positive inputs) has an exactly separable offset
    rng = np.random.default_rng(2)
    w = RNNWeights(
        np.abs(rng.standard_normal(6)),
        np.abs(rng.standard_normal((6, 6))) * 0.2,
        rng.standard_normal((10, 6)),
    )
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
            np.testing.assert_allclose(
                phi_post(w, masks) @ h_second, run.hidden[0, -1], atol=1e-12
            )
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
    np.testing.assert_allclose(
        surrogate.final_state(clean.inputs), trace(w, clean.inputs).hidden[:, -1], atol=1e-12
    )
    np.testing.assert_allclose(
        surrogate.final_state(2.5 * clean.inputs),
        trace(w, 2.5 * clean.inputs).hidden[:, -1],
        atol=1e-11,
    )


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


# ---------------------------------------------------------------------------------------------------
# Rotation: eigenvalue pairs and turning angles
# ---------------------------------------------------------------------------------------------------


def rotation_block(modulus, period):
    angle = 2 * np.pi / period
    return modulus * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def test_complex_pairs_rotation_period_and_nearest_pair():
    from scipy.linalg import block_diag

    W_hh = block_diag(rotation_block(1.1, 5.4), rotation_block(0.7, 3.0), [[1.3]])
    weights = RNNWeights(np.ones(5), W_hh, np.ones((3, 5)))
    pairs = complex_pairs(recurrent_eigenvalues(weights))
    assert len(pairs) == 2 and np.all(pairs.imag > 0)
    np.testing.assert_allclose(np.abs(pairs), [1.1, 0.7])
    assert rotation_period(pairs[0]) == pytest.approx(5.4)
    assert rotation_period(1.3) == float("inf")
    nearest = nearest_complex_pair(weights, modulus=0.75, period=3.2)
    assert abs(nearest) == pytest.approx(0.7) and rotation_period(nearest) == pytest.approx(3.0)
    assert nearest_complex_pair(weights, modulus=1.115, period=5.4) == pytest.approx(pairs[0])
    diagonal = RNNWeights(np.ones(3), np.diag([0.5, -0.2, 1.0]), np.ones((2, 3)))
    assert nearest_complex_pair(diagonal, modulus=1.1, period=5.4) is None
    with pytest.raises(InvalidInputError):
        nearest_complex_pair(weights, modulus=1.1, period=2.0)
    with pytest.raises(InvalidInputError):
        rotation_period(0.0)


def test_turning_angle_counts_turns_and_ignores_back_and_forth():
    for turns, direction in ((1, 1), (2, -1)):
        angles = direction * np.linspace(0, 2 * np.pi * turns, 12 * turns + 1)[:-1]
        circle = 3.0 + 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
        # 12 points per turn, 12 turns - 1 steps measured: (12 turns - 1) * 30 degrees
        assert turning_angle(circle) == pytest.approx(direction * (12 * turns - 1) * 30.0)
    # back and forth along an arc, ending where it started: every step is under 180 degrees, net 0
    arc = np.r_[np.tile([0.2, 0.6, 1.0, 0.6], 3), 0.2]
    swing = np.column_stack([np.cos(arc), np.sin(arc)])
    assert turning_angle(swing) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(InvalidInputError):
        turning_angle(np.zeros((3, 3)))


def test_impulse_response_is_the_trace_of_one_impulse():
    w = random_weights(7)
    x = np.zeros((1, 10))
    x[0, 0] = 2.0
    np.testing.assert_allclose(impulse_response(w, value=2.0), trace(w, x).hidden[0])


# ---------------------------------------------------------------------------------------------------
# Countdown, clean accuracy and the plane readout
# ---------------------------------------------------------------------------------------------------


def test_countdown_is_the_accuracy_on_pairs_shifted_to_the_end():
    w = random_weights(8)
    clean = clean_inputs()
    countdown = countdown_readout(w, clean)
    final = trace(w, clean.inputs).predictions
    index = {(m, s): i for i, (m, s) in enumerate(zip(clean.m, clean.s))}
    assert np.isnan(countdown[0])
    for t in range(1, 10):
        shift = 9 - t
        ready = [(m, s) for m, s in zip(clean.m, clean.s) if max(m, s) <= t]
        expected = np.mean(
            [final[index[(m + shift, s + shift)]] == s + shift for m, s in ready]
        )
        assert countdown[t] == pytest.approx(expected)


def test_handcrafted_model_passes_the_countdown_without_any_rotation():
    hand = leave_one_out_weights(10)
    assert np.abs(recurrent_eigenvalues(hand)).max() < 1e-6  # nilpotent W_hh: nothing rotates
    clean = clean_inputs()
    assert clean_accuracy(hand, clean) == 1.0
    np.testing.assert_array_equal(countdown_readout(hand, clean)[1:], 1.0)


def test_plane_readout_keeps_accuracy_with_all_components_and_loses_a_delay_line_code():
    clean = clean_inputs()
    w = random_weights(9)
    assert plane_readout_accuracy(w, clean, components=16) == pytest.approx(
        clean_accuracy(w, clean)
    )
    hand = leave_one_out_weights(10)
    assert plane_readout_accuracy(hand, clean, components=22) == 1.0
    assert (
        plane_readout_accuracy(hand, clean, components=2) < 0.5
    )  # position sits in a 20-neuron delay line
    with pytest.raises(InvalidInputError):
        plane_readout_accuracy(w, clean, components=0)


# ---------------------------------------------------------------------------------------------------
# Offset statistics
# ---------------------------------------------------------------------------------------------------


def test_offset_logit_contrast_is_the_sum_of_the_two_runs_margins():
    w = random_weights(10)
    analysis = discrimination_offset(w)
    states = analysis.final_forward
    contrast_pairs = []
    for m in range(10):
        for s in range(10):
            if m == s:
                continue
            forward_logits, reverse_logits = w.W_oh @ states[m, s], w.W_oh @ states[s, m]
            margin = (forward_logits[s] - forward_logits[m]) + (
                reverse_logits[m] - reverse_logits[s]
            )
            contrast = w.W_oh @ analysis.offset[m, s]
            assert contrast[s] - contrast[m] == pytest.approx(margin)
            contrast_pairs.append(margin > 0)
    assert offset_logit_contrast(w, analysis) == pytest.approx(np.mean(contrast_pairs))
    hand = leave_one_out_weights(10)  # right on every clean pair, hence on every contrast
    assert offset_logit_contrast(hand, discrimination_offset(hand)) == 1.0


def test_forward_and_reverse_planes_coincide_in_a_two_neuron_network():
    rng = np.random.default_rng(11)
    w = RNNWeights(
        rng.standard_normal(2), 0.5 * rng.standard_normal((2, 2)), rng.standard_normal((10, 2))
    )
    np.testing.assert_allclose(
        forward_reverse_plane_cosines(discrimination_offset(w)), 1.0, atol=1e-9
    )


def test_position_correlation_does_not_depend_on_the_gauge_of_the_separable_fit():
    from dataclasses import replace

    analysis = discrimination_offset(random_weights(12))
    shift = 5.0 * np.random.default_rng(13).standard_normal(
        16
    )  # one constant vector, per neuron
    moved = replace(analysis, f=analysis.f + shift, g=analysis.g - shift)  # fits equally well
    before, after = spiral_alignment(analysis), spiral_alignment(moved)
    assert after.position_correlation == pytest.approx(before.position_correlation, abs=1e-12)
    assert (
        abs(after.position_correlation_gauge_f0 - before.position_correlation_gauge_f0) > 1e-3
    )


def test_spiral_alignment_of_a_linear_network_has_unit_cosines_where_f_is_one_direction():
    # a diagonal W_hh with one positive neuron: every state is a multiple of e_0, so f and the main
    # spiral share their only direction
    d = 3
    w = RNNWeights(np.array([1.0, 0.0, 0.0]), np.diag([0.9, 0.0, 0.0]), np.ones((10, d)))
    alignment = spiral_alignment(discrimination_offset(w))
    assert alignment.cosines[0, 0] == pytest.approx(1.0)
    assert alignment.offset_norm > 0 and alignment.main_norm > 0


# ---------------------------------------------------------------------------------------------------
# Phi_post spectra, masks and comparators
# ---------------------------------------------------------------------------------------------------


def test_phi_post_spectra_of_an_always_active_network_are_powers_of_w_hh():
    # positive input weights and a positive diagonal W_hh keep every neuron on: Phi_post = W_hh^k
    diagonal = np.array([0.9, 0.6, 0.3])
    W_oh = np.outer(
        np.arange(1.0, 11.0), [1.0, 2.0, 0.5]
    )  # rank one: the top singular value is all
    w = RNNWeights(np.ones(3), np.diag(diagonal), W_oh)
    spectra = phi_post_spectra(w)
    steps = 9 - spectra.gaps
    np.testing.assert_allclose(spectra.spectral_radius, np.tile(0.9**steps, (2, 1)))
    np.testing.assert_allclose(spectra.spectral_gap, np.tile(1 - (0.6 / 0.9) ** steps, (2, 1)))
    np.testing.assert_allclose(spectra.top_share, 1.0)
    assert mask_stability(w, [0.1, 0.5, 0.9]).crossing_fraction == 0.0


def test_comparators_of_the_handcrafted_model_clip_as_the_reader_describes():
    hand = leave_one_out_weights(
        10
    )  # comparators: G (2) and F_2..F_10 (3..11), all with W_hi = -1
    clipping = comparator_clipping(hand)
    np.testing.assert_array_equal(clipping.comparators, np.arange(2, 12))
    for gap in range(1, 10):
        # maximum first: only F_{gap+1}, whose leave-one-out maximum leaves the maximum out, is clipped
        expected = np.ones(10, dtype=bool)
        expected[gap] = False  # F_{gap+1} is comparator number gap (G is number 0)
        np.testing.assert_array_equal(clipping.forward_patterns[gap - 1], expected)
    assert clipping.distinct_forward_fraction == 1.0
    assert clipping.reverse_clipped_fraction == 1.0  # S first: M exceeds every stored maximum


def test_phase_wheel_summary_of_the_handcrafted_model():
    summary = phase_wheel_summary(leave_one_out_weights(10))
    assert (
        summary.clean_accuracy == 1.0
        and summary.countdown == 1.0
        and summary.offset_logit_contrast == 1.0
    )
    assert 0 < summary.norm_ratio < 1 and 0 <= summary.separable_r_squared <= 1


def test_removing_no_offset_direction_changes_nothing_and_removing_all_leaves_no_order():
    from tinymech.algzoo.phase_wheel import remove_offset
    from tinymech.algzoo.zoo import load_model

    weights = load_model("m16_10").weights()
    analysis = discrimination_offset(weights)
    kept = remove_offset(weights, analysis, components=0)
    assert (
        kept.accuracy
        == kept.accuracy_before
        == pytest.approx(clean_accuracy(weights, clean_inputs(10, 1.0, 0.8)))
    )
    assert kept.pair_share == kept.pair_share_before
    # with every direction of the hidden state removed the logits are all 0: the tie rule picks one position,
    # which is one of the pair's two positions in 2 of every n pairs
    empty = remove_offset(weights, analysis, components=weights.hidden_size)
    assert empty.pair_share == pytest.approx(2 / weights.output_size)
    with pytest.raises(InvalidInputError):
        remove_offset(weights, analysis, components=weights.hidden_size + 1)
