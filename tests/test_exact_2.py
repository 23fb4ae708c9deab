"""Exact accuracy of 2-input RNNs by angular integration, against sampling and known answers."""

import math

import numpy as np
import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.handcrafted import handcrafted_2
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.exact.pieces import pattern_linear_maps
from tinymech.algzoo.exact.sectors import (
    NoisyModelCheck,
    exact_versus_sampling_on_noisy_models,
    sectors,
    unit_vector,
    zero_angles,
)
from tinymech.algzoo.logit_difference import (
    LogitDifferencePiece,
    arc_piece_facts,
    boundary_offsets,
    decision_boundary_rays,
    error_rate_from_yellow_pieces,
    logit_difference_pieces,
    piece_facts_null,
    yellow_bits,
)
from tinymech.algzoo.standardization import (
    RescalingCheck,
    agreeing_digits,
    digits_to_show,
    rescaling_check,
    standardize,
    standardize_batch,
)
from tinymech.algzoo.surprise_accounting import (
    arc_sign_pattern_holds,
    sign_pattern_null,
    sign_pattern_table,
)
from tinymech.errors import InvalidInputError
from tinymech.algzoo.trace import trace
from tinymech.algzoo.zoo import load_model


def test_handcrafted_m2_2_is_exactly_perfect():
    model = handcrafted_2()
    assert exact_accuracy(model) == 1.0
    assert sampled_accuracy(model, 2**20).accuracy == 1.0
    pieces = logit_difference_pieces(model)
    assert all(p.a0 == p.a1 == 2.0 for p in pieces)  # Delta = 2 (x0 - x1) everywhere


def test_logit_difference_x1_is_right_on_a_quarter_of_the_circle():
    """Closed form: with h = (ReLU(x1), ReLU(-x1)) after step 2 the logit difference is x1, so the model
    answers "position 1" where x1 > 0; that is right where x1 < x0.  Agreement holds on the sectors
    0..45 degrees (x1 > 0, x1 < x0) and 180..225 degrees (x1 < 0, x1 > x0): 90 of 360 degrees."""
    weights = RNNWeights(
        np.array([1.0, -1.0]), np.zeros((2, 2)), np.array([[0.0, 0.0], [1.0, -1.0]])
    )
    assert exact_accuracy(weights) == pytest.approx(0.25, abs=1e-12)


@pytest.mark.parametrize("hidden_size, seed", [(2, 0), (3, 1), (5, 2), (8, 3)])
def test_exact_agrees_with_sampling_on_random_models(hidden_size, seed):
    torch.manual_seed(seed)
    model = ReLURNN(hidden_size, 2)
    sampled = sampled_accuracy(model, 2**21, seed=seed + 100)
    assert abs(exact_accuracy(model) - sampled.accuracy) < 4 * sampled.standard_error


#: A standard Gaussian M2,2 (seed 194 of ``gaussian_m2_2``, rounded to 4 decimals) whose first and last
#: sectors merge across angle 0 with a zero of the logit difference at a negative angle; before the
#: wrap-around fix the exact method said 0.9392 for it.
WRAPPED_M2_2 = RNNWeights(
    np.array([-0.8101, 0.8522]),
    np.array([[-0.1606, 0.8344], [1.0991, 1.465]]),
    np.array([[-1.0133, 0.4065], [1.1838, -0.9329]]),
)


def test_wrap_around_sector_finds_its_zero_below_angle_0():
    """Regression: the sector merged across angle 0 starts below 0, and the logit difference's zero there
    was missed (the search looked in [0, 2 pi) only), so its wrong part was counted as right."""
    found = sectors(WRAPPED_M2_2, extra_rays=(math.pi / 4, 5 * math.pi / 4))
    first = found[0]
    assert first.start < 0 < first.end
    zeros = zero_angles(first.logit_difference, first.start, first.end)
    assert len(zeros) == 1 and zeros[0] < 0
    assert float(first.logit_difference @ unit_vector(zeros[0])) == pytest.approx(
        0.0, abs=1e-12
    )
    sampled = sampled_accuracy(
        ReLURNN.from_weights(WRAPPED_M2_2.W_hi, WRAPPED_M2_2.W_hh, WRAPPED_M2_2.W_oh),
        2**20,
        seed=3,
        dtype=torch.float64,
    )
    exact = exact_accuracy(WRAPPED_M2_2)
    assert abs(exact - sampled.accuracy) < 5 * sampled.standard_error
    assert abs(exact - 0.9392) > 0.1  # the value before the fix is far outside
    rays = decision_boundary_rays(logit_difference_pieces(WRAPPED_M2_2))
    assert any(ray % (2 * math.pi) == pytest.approx(zeros[0] % (2 * math.pi)) for ray in rays)


def test_zero_angles_in_intervals_across_angle_0():
    form = np.array([1.0, 1.0])  # cos t + sin t = 0 at t = -pi/4 + k pi
    assert zero_angles(form, -1.0, 1.0) == pytest.approx([-math.pi / 4])
    assert zero_angles(form, 0.0, 2 * math.pi) == pytest.approx(
        [3 * math.pi / 4, 7 * math.pi / 4]
    )
    assert zero_angles(form, -4.0, 4.0) == pytest.approx(
        [-math.pi / 4 - math.pi, -math.pi / 4, 3 * math.pi / 4]
    )
    assert zero_angles(form, -1.0, 1.0, margin=0.1) == pytest.approx([-math.pi / 4])
    assert zero_angles(form, -1.0, 1.0, margin=0.3) == []  # -pi/4 is within 0.3 of -1
    assert zero_angles(form, -math.pi / 4, 1.0) == []  # open interval
    assert zero_angles(np.zeros(2), -1.0, 1.0) == []


def test_exact_agrees_with_sampling_on_trained_m2_2():
    model = load_model("m2_2")
    sampled = sampled_accuracy(model, 2**22, seed=7)
    exact = exact_accuracy(model)
    assert abs(exact - sampled.accuracy) < 4 * max(
        sampled.standard_error, math.sqrt(exact * (1 - exact) / 2**22)
    )


def test_sectors_cover_the_circle_with_correct_linear_maps():
    torch.manual_seed(4)
    weights = ReLURNN(4, 2).weights()
    found = sectors(weights)
    assert sum(s.width for s in found) == pytest.approx(2 * math.pi)
    for sector in found:
        x = unit_vector(sector.start + 0.3 * sector.width)
        np.testing.assert_allclose(
            sector.piece.logit_map @ x, trace(weights, x).logits[0], atol=1e-12
        )


def test_pattern_linear_maps_reproduce_trace_for_three_inputs():
    rng = np.random.default_rng(0)
    weights = RNNWeights(rng.normal(size=4), rng.normal(size=(4, 4)), rng.normal(size=(3, 4)))
    x = rng.normal(size=3)
    recorded = trace(weights, x)
    piece = pattern_linear_maps(weights, recorded.activation_pattern[0])
    np.testing.assert_allclose(piece.logit_map @ x, recorded.logits[0], atol=1e-12)
    np.testing.assert_allclose(
        np.einsum("thn,n->th", piece.preactivation_maps, x),
        recorded.preactivation[0],
        atol=1e-12,
    )


def test_exact_rejects_unsupported_sequence_length():
    with pytest.raises(ValueError, match="needs sequence length 2 or 3"):
        exact_accuracy(ReLURNN(3, 4))


def test_trained_m2_2_has_arc_structure():
    """ARC's claims about M2,2 hold for the model trained here (standardized sign pattern; the error is
    the yellow pieces' angle between x0 = x1 and the decision boundary)."""
    model = load_model("m2_2")
    assert all(arc_sign_pattern_holds(standardize(model.weights())).values())
    pieces = logit_difference_pieces(model)
    assert all(p.a0 > 0 and p.a1 > 0 for p in pieces)
    assert error_rate_from_yellow_pieces(pieces) == pytest.approx(
        1 - exact_accuracy(model), rel=1e-9
    )


def test_boundary_offsets_are_the_error_wedges():
    """The handcrafted model's boundary is the diagonal itself; for the trained model the two wedges between
    the diagonal rays and the boundary rays are the whole error rate (ARC's account)."""
    assert boundary_offsets(logit_difference_pieces(handcrafted_2())) == pytest.approx(
        (0.0, 0.0), abs=1e-15
    )
    model = load_model("m2_2")
    offsets = boundary_offsets(logit_difference_pieces(model))
    assert sum(abs(o) for o in offsets) / (2 * math.pi) == pytest.approx(
        1 - exact_accuracy(model), rel=1e-9
    )
    with pytest.raises(InvalidInputError, match="no zero"):
        boundary_offsets(
            logit_difference_pieces(
                RNNWeights(np.array([1.0, -1.0]), np.zeros((2, 2)), np.zeros((2, 2)))
            )
        )


def test_arc_piece_facts_separate_trained_from_handcrafted():
    assert all(arc_piece_facts(logit_difference_pieces(load_model("m2_2"))).values())
    facts = arc_piece_facts(logit_difference_pieces(handcrafted_2()))
    assert (
        facts["a0, a1 > 0 on every piece"] and not facts["blue, green and two yellow pieces"]
    )  # all yellow


def test_yellow_bits_closed_form():
    """bits = log2(max(a0, a1) / |a0 - a1|); only yellow pieces count; equal coefficients give inf."""
    pattern = np.ones((2, 2), dtype=bool)
    pieces = [
        LogitDifferencePiece(0.0, 1.0, 1.0, 1.0 + 2.0**-10, pattern, "yellow"),
        LogitDifferencePiece(1.0, 2.0, 1.0, 3.0, pattern, "blue"),
        LogitDifferencePiece(2.0, 3.0, 2.0, 2.0, pattern, "yellow"),
    ]
    assert yellow_bits(pieces) == [pytest.approx(10 + math.log2(1 + 2.0**-10)), math.inf]


def test_batch_standardization_and_sign_table_equal_the_single_model_functions():
    rng = np.random.default_rng(5)
    W_hi, W_hh, W_oh = (
        rng.normal(size=(200, 2)),
        rng.normal(size=(200, 2, 2)),
        rng.normal(size=(200, 2, 2)),
    )
    W_hi[7, 0] = 1e-7  # a neuron with (nearly) zero input weight takes the row-norm branch
    table = sign_pattern_table(*standardize_batch(W_hi, W_hh, W_oh))
    for k in range(200):
        single = standardize(RNNWeights(W_hi[k], W_hh[k], W_oh[k]))
        assert list(arc_sign_pattern_holds(single).values()) == table[k].tolist()


def test_sign_pattern_null_matches_closed_forms():
    """Standardization leaves the diagonal of W_hh and the signs of W_oh unchanged and makes W_hi = (+1, -1)
    exactly when the input weights have opposite signs, so for Gaussian weights:
    P(W_hi fact) = 1/2, P(W_hh[i,i] in [-1, 0)) = Phi(0) - Phi(-1), P(each W_oh sign) = 1/2."""
    from scipy.stats import norm

    null = sign_pattern_null(2**18, seed=3)
    se = lambda p: math.sqrt(p * (1 - p) / null.n_models)  # noqa: E731
    expected = {
        "W_hi = (+1, -1)": 0.5,
        "W_hh[0,0] in [-1, 0)": norm.cdf(0) - norm.cdf(-1),
        "W_hh[1,1] in [-1, 0)": norm.cdf(0) - norm.cdf(-1),
        "W_oh[0,1] < 0": 0.5,
        "W_oh[1,1] > 0": 0.5,
    }
    for fact, p in expected.items():
        assert abs(null.per_fact[fact] - p) < 4 * se(p), fact
    assert (
        null.fraction < 1e-3
    )  # the full pattern is rare: it carries information about training


def test_piece_facts_null_is_rare_and_deterministic():
    first, second = piece_facts_null(300, seed=1), piece_facts_null(300, seed=1)
    assert first == second
    assert first.fraction < 0.05
    assert first.standard_error >= 1 / 300


def test_exact_versus_sampling_on_noisy_models():
    model = load_model("m2_2")
    check = exact_versus_sampling_on_noisy_models(
        model, sigma=0.3, n_models=4, samples=2**16, seed=2
    )
    low, high = check.chi_square_interval(0.999)
    assert low <= check.mean_squared_z <= high
    np.testing.assert_allclose(
        check.z,
        (check.sampled - check.exact) / np.sqrt(check.exact * (1 - check.exact) / 2**16),
    )
    same = exact_versus_sampling_on_noisy_models(model, sigma=0.0, n_models=2, samples=2**10)
    assert same.exact.tolist() == [exact_accuracy(model)] * 2
    with pytest.raises(InvalidInputError, match="n = 2"):
        exact_versus_sampling_on_noisy_models(ReLURNN(4, 3), sigma=0.1, n_models=1, samples=16)


def test_chi_square_interval_closed_form():
    """Table values of the chi-square distribution with 12 degrees of freedom: 3.0738 and 28.2995 bound
    the central 99%."""
    check = NoisyModelCheck(np.full(12, 0.5), np.full(12, 0.5), 100, 0.1, "entry_relative")
    low, high = check.chi_square_interval(0.99)
    assert low == pytest.approx(3.0738 / 12, rel=1e-4) and high == pytest.approx(
        28.2995 / 12, rel=1e-4
    )


def test_digits_to_show():
    assert agreeing_digits([0.123451, 0.123459]) == 4
    assert agreeing_digits([2.0, 2.0], max_digits=9) == 9
    assert agreeing_digits([1.0, 9.0]) == 0
    model = load_model("m2_2")
    # rescaling alone leaves 8 digits of the exact accuracy; the last bit of each float32 weight leaves 6
    assert (
        digits_to_show(model.weights(), exact_accuracy, max_digits=8, rescalings=4, moves=0)
        == 8
    )
    assert digits_to_show(model.weights(), exact_accuracy, max_digits=8, rescalings=4) == 6
    # the error rate (1e-4) moves in its third digit when a float32 weight moves one unit in its last place
    assert digits_to_show(model.weights(), lambda w: 1 - exact_accuracy(w), rescalings=4) == 3
    # W_hi[0] itself is not a function of the network: rescaling moves its first digit
    with pytest.raises(InvalidInputError, match="not a function"):
        digits_to_show(model.weights(), lambda w: w.W_hi[0], rescalings=4)
    # a quantity that rescaling moves at the 1e-6 level keeps about 5 digits; one fewer is shown
    shown = digits_to_show(
        model.weights(), lambda w: 0.5 + 1e-6 * abs(w.W_hi[0]) / 6.4, rescalings=8, moves=0
    )
    assert 3 <= shown <= 5


def test_rescaling_check_rms_and_floor():
    check = RescalingCheck(np.array([1.0, 1.0 + 3e-12, 1.0 - 3e-12]))
    assert check.rms == pytest.approx(math.sqrt(2 / 3) * 3e-12)
    assert check.digits == 8 and check.agreeing == 9 and check.spread == pytest.approx(6e-12)
    assert check.rounding_bound == pytest.approx(1e-8)  # values agree to 9 digits: 1.00000000x
    # the last place shown is at least ten times the spread
    assert RescalingCheck(np.array([0.98, 0.98 + 2e-7])).digits == 5
    assert RescalingCheck(np.array([0.98, 0.98 + 2e-8])).digits == 6
    assert max(abs(check.values - check.value)) < check.rounding_bound
    assert RescalingCheck(np.array([0.5, 0.5])).rms == pytest.approx(
        np.finfo(np.float64).eps * 0.5
    )
    with pytest.raises(InvalidInputError, match="max_digits"):
        rescaling_check(load_model("m2_2").weights(), exact_accuracy, max_digits=0)
