"""Tests of the M16,10 estimators: closed forms, exact counts, and the Genz cone measures against sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import stats

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.estimators_m16.activation_masks import (
    case_cone_rows,
    fixed_mask_case_accuracies,
    fixed_mask_operations,
    map_operations,
    representative_input,
    run_fixed_masks,
)
from tinymech.algzoo.estimators_m16.common import points_for_budget
from tinymech.algzoo.estimation import sampling_mse
from tinymech.algzoo.linear_pieces import linear_piece
from tinymech.algzoo.methods import METHODS, estimate
from tinymech.algzoo.estimators_m16.analysis import (
    constant_guess_mse,
    control_variate_mse,
    stratified_mse,
)
from tinymech.algzoo.estimators_m16.gaussian_polyhedra import (
    cone_probability,
    genz_operations,
    genz_points,
    orthant_probability,
)
from tinymech.algzoo.estimators_m16.input_law import (
    arrange_into_case,
    case_index,
    case_mean_covariance,
    case_of,
    cases,
    top_two_moments,
)
from tinymech.algzoo.estimators_m16.moment_propagation import (
    moment_propagation_case_accuracies,
    moment_propagation_operations,
    propagate_case_moments,
    rectified_gaussian_moments,
)
from tinymech.algzoo.estimators_m16.sampling_baselines import (
    run_control_variate,
    run_stratified,
    stratified_case_correct,
    surrogate_correct,
    surrogate_maps,
)
from tinymech.algzoo.estimators_m16.study import choose_noise_level, reference_counts
from tinymech.algzoo.evaluation import gaussian_sequences, sampled_accuracy
from tinymech.algzoo.trace import trace
from tinymech.errors import InvalidInputError


def small_weights(d: int = 5, n: int = 4, seed: int = 0) -> RNNWeights:
    rng = np.random.default_rng(seed)
    return RNNWeights(
        rng.standard_normal(d),
        rng.standard_normal((d, d)) / np.sqrt(d),
        rng.standard_normal((n, d)),
    )


def gaussian_rows(samples: int, n: int, seed: int) -> np.ndarray:
    return np.concatenate(
        [b.numpy() for b in gaussian_sequences(samples, n, seed=seed, dtype=torch.float64)]
    )


# --- the case law -----------------------------------------------------------------------------------


def test_top_two_moments_closed_forms_for_three_inputs():
    # For n = 3 the second largest is the median: mean 0; the largest has mean 3 / (2 sqrt(pi)).
    law = top_two_moments(3)
    assert law.mean_second == pytest.approx(0.0, abs=1e-10)
    assert law.mean_largest == pytest.approx(3 / (2 * math.sqrt(math.pi)), abs=1e-10)


@pytest.mark.parametrize("n", [3, 5, 10])
def test_top_two_moments_identities(n):
    # The means of all order statistics sum to 0, and each order statistic's covariances with all of them
    # sum to 1 (Cov(X_(i), sum_j X_(j)) = Cov(X_(i), sum_j X_j) = 1 for standard normal samples).
    law = top_two_moments(n)
    assert law.mean_largest + law.mean_second + (n - 2) * law.mean_other == pytest.approx(
        0.0, abs=1e-10
    )
    assert law.var_largest + law.cov_largest_second + (
        n - 2
    ) * law.cov_largest_other == pytest.approx(1.0, abs=1e-9)
    assert law.cov_largest_second + law.var_second + (
        n - 2
    ) * law.cov_second_other == pytest.approx(1.0, abs=1e-9)
    row_other = (
        law.cov_largest_other
        + law.cov_second_other
        + law.var_other
        + (n - 3) * law.cov_other_other
    )
    assert row_other == pytest.approx(1.0, abs=1e-9)


def test_case_law_agrees_with_sampling():
    n = 10
    x = gaussian_rows(2**18, n, seed=5)
    arranged = arrange_into_case(x, 3, 7)
    mean, cov = case_mean_covariance(3, 7, n)
    sample_mean = arranged.mean(0)
    standard_error = arranged.std(0) / math.sqrt(len(x))
    assert np.all(np.abs(sample_mean - mean) < 4 * standard_error)
    assert np.allclose(np.cov(arranged.T), cov, atol=0.01)


def test_arrange_into_case_places_the_top_two_and_keeps_the_rest_in_order():
    x = gaussian_rows(64, 6, seed=1)
    arranged = arrange_into_case(x, 4, 0)
    m, s = case_of(arranged)
    assert np.all(m == 4) and np.all(s == 0)
    assert np.allclose(np.sort(arranged, 1), np.sort(x, 1))
    top, second = case_of(x)
    for row, a, b in zip(range(len(x)), top, second):
        rest = [v for j, v in enumerate(x[row]) if j not in (a, b)]
        assert np.allclose(arranged[row, [1, 2, 3, 5]], rest)


def test_case_index_matches_case_order():
    all_cases = cases(7)
    m, s = np.array(all_cases).T
    assert np.array_equal(case_index(m, s, 7), np.arange(len(all_cases)))


def test_case_law_refuses_bad_cases():
    with pytest.raises(InvalidInputError):
        case_mean_covariance(2, 2, 10)
    with pytest.raises(InvalidInputError):
        top_two_moments(2)


# --- Gaussian polyhedra -----------------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 6, 9])
def test_equicorrelated_orthant_probability_is_one_over_k_plus_one(k):
    # Correlation 1/2: Y_i = (Z_i + Z_0) / sqrt(2), and P(all Y_i > 0) = 1 / (k + 1).
    cov = 0.5 * np.eye(k) + 0.5
    probability, _ = orthant_probability(np.zeros(k), cov, maxpts=20000, seed=0)
    assert probability == pytest.approx(1 / (k + 1), abs=2e-4)


def test_order_cone_measures_are_exact_fractions():
    # x_0 > x_1 > ... > x_4: probability 1 / 5!; the case region of (m, s) in n = 10: 1 / 90.
    rows = np.zeros((4, 5))
    for i in range(4):
        rows[i, i], rows[i, i + 1] = 1, -1
    assert cone_probability(rows, maxpts=20000)[0] == pytest.approx(1 / 120, rel=2e-3)
    order_rows = case_cone_rows(np.zeros((10, 10)), 2, 5)[:9]
    assert cone_probability(order_rows, maxpts=20000)[0] == pytest.approx(1 / 90, rel=2e-3)


def test_genz_points_replicate_scipy_schedule():
    qmvnt = pytest.importorskip("scipy.stats._qmvnt")
    for maxpts, k in [(20, 9), (100, 9), (1000, 18), (5000, 18), (30000, 9)]:
        cov = 0.5 * np.eye(k) + 0.5
        _, _, used = qmvnt._qauto(
            qmvnt._qmvn,
            cov,
            np.zeros(k),
            np.full(k, np.inf),
            np.random.default_rng(0),
            error=0.0,
            limit=maxpts,
        )
        assert genz_points(maxpts, k) == used


def test_genz_operations_small_case_by_hand():
    # 3 rows, rank 2, 10 points: preparation 3*3*2//2 + 9*10 + 2*2*10 = 139; per point (0+1+2) + 12 + 3*2*10 = 75.
    assert genz_operations(3, 2, 10) == 139 + 750


def test_orthant_probability_refuses_bad_input():
    with pytest.raises(InvalidInputError):
        orthant_probability(np.zeros(3), np.eye(2), maxpts=100)
    with pytest.raises(InvalidInputError):
        orthant_probability(np.zeros(3), np.eye(3), maxpts=5)
    with pytest.raises(InvalidInputError):
        cone_probability(np.zeros((2, 3)), maxpts=100)


# --- estimate 2: fixed masks -----------------------------------------------------------------------


def test_masked_linear_map_is_exact_where_the_pattern_holds():
    weights = small_weights(6, 5, seed=2)
    x = gaussian_rows(200, 5, seed=3)
    record = trace(weights, x)
    for row in range(0, 200, 17):
        B = linear_piece(weights, record.activation_pattern[row].astype(float)).logit_map
        assert np.allclose(B @ x[row], record.logits[row], atol=1e-10)


def test_representative_input_is_the_case_mean():
    mean, _ = case_mean_covariance(1, 4, 6)
    assert np.allclose(representative_input(1, 4, 6), mean)


def test_fixed_mask_cone_measures_agree_with_sampling_the_surrogate():
    # The case accuracy of estimate 2 is the Gaussian measure of a cone; sampling the linear surrogate
    # B_c x on inputs of each case must agree within 4 standard errors (plus the Genz error, ~1e-3).
    weights = small_weights(6, 5, seed=4)
    result = fixed_mask_case_accuracies(weights, maxpts=20000, seed=0)
    maps = surrogate_maps(weights)
    x = gaussian_rows(2**17, 5, seed=9)
    m, s = case_of(x)
    right = surrogate_correct(maps, x)
    for c, (a, b) in enumerate(cases(5)):
        chosen = (m == a) & (s == b)
        rate = right[chosen].mean()
        error = math.sqrt(max(rate * (1 - rate), 1e-4) / chosen.sum())
        assert abs(result.accuracy[a, b] - rate) < 4 * error + 2e-3, (a, b)


def test_fixed_mask_operation_counts():
    # d = 2, n = 3: forward 3*2*3 = 18; Jacobian (0+2) + (4+2) + (8+2) + readout 3*2*3 = 36; differences 6.
    assert map_operations(2, 3, 3) == 60
    weights = small_weights(4, 4, seed=0)
    result = fixed_mask_case_accuracies(weights, maxpts=40)
    assert result.operations <= fixed_mask_operations(
        4, 4, 40
    )  # tied logits drop constraint rows
    assert result.operations == sum(result.breakdown.values())
    clean = fixed_mask_case_accuracies(small_weights(16, 5, seed=8), maxpts=40)
    assert clean.operations == fixed_mask_operations(16, 5, 40)


def test_fixed_mask_budget_selects_affordable_points():
    weights = small_weights(4, 4)
    cost = fixed_mask_operations(4, 4, 80)
    estimate, operations, details = run_fixed_masks(weights, cost, 0)
    assert details["maxpts_per_case"] == 80 and operations <= cost and 0 <= estimate <= 1
    with pytest.raises(InvalidInputError, match="smallest cost"):
        points_for_budget(10, lambda p: 1000 * p, 100)


def test_single_impulse_model_known_case_accuracies():
    # d = 1, W_hh = 0, W_hi = 1, W_oh = (0, 0, 1): logits (0, 0, ReLU(x_2)).  The network predicts 2 when
    # x_2 > 0 and position 0 (a three-way tie, lowest position) otherwise.
    # Case (2, 0), x_2 the largest: right iff x_2 <= 0, i.e. all three negative: 1/8.  The representative
    # input has x_2 > 0, so the surrogate's logits are (0, 0, x_2): it also predicts 0 iff x_2 < 0, so
    # estimate 2 is exact there.
    # Case (0, 2), x_2 the median: right iff x_2 > 0: 1/2.  The representative's x_2 is the median's mean,
    # 0, so its mask is off and the surrogate ties everywhere: estimate 2 says 0, wrong by 1/2.
    weights = RNNWeights(np.array([1.0]), np.zeros((1, 1)), np.array([[0.0], [0.0], [1.0]]))
    result = fixed_mask_case_accuracies(weights, maxpts=20000)
    assert result.accuracy[2, 0] == pytest.approx(1 / 8, abs=1e-3)
    assert result.accuracy[0, 2] == 0.0
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh, dtype=torch.float64)
    x = gaussian_rows(2**16, 3, seed=2)
    m, s = case_of(x)
    with torch.no_grad():
        right = model(torch.from_numpy(x)).argmax(1).numpy() == s
    chosen = (m == 0) & (s == 2)
    assert right[chosen].mean() == pytest.approx(0.5, abs=4 * math.sqrt(0.25 / chosen.sum()))


# --- estimate 1: moment propagation ----------------------------------------------------------------


def test_rectified_gaussian_moments_closed_forms():
    mean, cov, gate = rectified_gaussian_moments(
        np.zeros(2), np.array([[1.0, 0.5], [0.5, 1.0]]), order=8
    )
    assert np.allclose(mean, 1 / math.sqrt(2 * math.pi))
    assert np.allclose(np.diag(cov), 0.5 - 1 / (2 * math.pi))
    assert np.allclose(gate, 0.5)
    theta = math.acos(
        0.5
    )  # arc-cosine kernel: E[ReLU(X) ReLU(Y)] = (sin t + (pi - t) cos t) / (2 pi)
    exact = (math.sin(theta) + (math.pi - theta) * math.cos(theta)) / (2 * math.pi) - 1 / (
        2 * math.pi
    )
    assert cov[0, 1] == pytest.approx(exact, abs=2e-4)
    _, linear, _ = rectified_gaussian_moments(
        np.zeros(2), np.array([[1.0, 0.5], [0.5, 1.0]]), order=1
    )
    assert linear[0, 1] == pytest.approx(0.25 * 0.5)


def test_rectified_gaussian_moments_with_means_against_quadrature():
    mean = np.array([0.7, -0.3])
    cov = np.array([[2.0, -0.6], [-0.6, 0.5]])
    _, out, _ = rectified_gaussian_moments(mean, cov, order=8)
    rng = np.random.default_rng(0)
    z = np.maximum(rng.multivariate_normal(mean, cov, size=2**21), 0)
    assert out[0, 1] == pytest.approx(np.cov(z.T)[0, 1], abs=3e-3)


def test_propagation_first_step_is_exact():
    weights = small_weights(5, 4, seed=1)
    _, _, gates, pre_means = propagate_case_moments(weights, 1, return_gates=True)
    for c, (m, s) in enumerate(cases(4)):
        mean, cov = case_mean_covariance(m, s, 4)
        assert np.allclose(pre_means[c, 0], weights.W_hi * mean[0])
        assert np.allclose(
            gates[c, 0],
            stats.norm.cdf(
                weights.W_hi * mean[0] / (np.abs(weights.W_hi) * math.sqrt(cov[0, 0]))
            ),
        )


def test_moment_propagation_operation_counts_and_order_check():
    weights = small_weights(4, 4)
    result = moment_propagation_case_accuracies(weights, order=2, maxpts=40)
    assert result.operations == moment_propagation_operations(4, 4, 2, 40)
    with pytest.raises(InvalidInputError):
        moment_propagation_case_accuracies(weights, order=0)


def test_gaussian_readout_agrees_with_sampling_the_gaussian():
    weights = small_weights(5, 4, seed=3)
    mean_logits, cov_logits = propagate_case_moments(weights, 1)
    result = moment_propagation_case_accuracies(weights, order=1, maxpts=20000)
    rng = np.random.default_rng(0)
    for c, (m, s) in enumerate(cases(4)[:4]):
        logits = rng.multivariate_normal(
            mean_logits[c], cov_logits[c], size=2**16, method="eigh"
        )
        rate = (np.argmax(logits, 1) == s).mean()
        assert result.accuracy[m, s] == pytest.approx(
            rate, abs=4 * math.sqrt(rate * (1 - rate) / 2**16) + 2e-3
        )


# --- sampling baselines and the study ---------------------------------------------------------------


def test_reference_counts_match_sampled_accuracy():
    weights = small_weights(4, 4, seed=5)
    counts = reference_counts(weights, samples=2**14, seed=3)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh)
    assert counts["correct"].sum() == sampled_accuracy(model, 2**14, seed=3).correct
    assert counts["total"].sum() == 2**14
    assert np.all(counts["both"] <= np.minimum(counts["correct"], counts["surrogate"]))


def test_stratified_and_control_variate_are_unbiased():
    weights = small_weights(6, 4, seed=6)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh)
    reference = sampled_accuracy(model, 2**18, seed=11)
    estimate, _, details = run_stratified(weights, 2**15 * 3 * 4 * 6, 1)
    assert abs(estimate - reference.accuracy) < 4 * math.hypot(
        details["standard_error"], reference.standard_error
    )
    estimate, _, details = run_control_variate(weights, 10**8, 2)
    assert (
        abs(estimate - reference.accuracy)
        < 4 * math.hypot(details["standard_error"], reference.standard_error) + 2e-3
    )


def test_stratified_draws_each_case_equally():
    weights = small_weights(4, 4)
    correct = stratified_case_correct(weights, 7, seed=0)
    assert correct.shape == (12,) and np.all((0 <= correct) & (correct <= 7))


def test_noise_rule_picks_the_first_level_that_spreads():
    weights = small_weights(4, 4)
    result = choose_noise_level(weights, grid=(0.0, 1.0), threshold=0.01, models=4, samples=256)
    assert result["sd"][0] == 0.0  # no noise: every copy is the same model
    assert result["sd"][1] >= 0.01 and result["sigma"] == 1.0
    assert (
        choose_noise_level(weights, grid=(0.0,), threshold=0.01, models=2, samples=64)["sigma"]
        == 0.0
    )
    with pytest.raises(InvalidInputError):
        choose_noise_level(weights, grid=(), models=4)


# --- analysis ---------------------------------------------------------------------------------------


def test_stratified_mse_removes_the_between_case_variance():
    case_p = np.array([[0.6, 1.0]])
    plain = sampling_mse([0.8], [200 * 10], 10)[0]
    stratified = stratified_mse(case_p, [200 * 10], 10)[0]
    assert plain == pytest.approx(0.16 / 200)
    assert stratified == pytest.approx(0.24 / 2 / 200)
    assert stratified_mse(case_p, [10], 10)[0] == np.inf  # less than one sequence per case


def test_control_variate_mse_with_a_perfect_surrogate_is_its_known_mean_error():
    counts = {
        "total": np.array([[100]]),
        "correct": np.array([[80]]),
        "surrogate": np.array([[80]]),
        "both": np.array([[80]]),
    }
    mse = control_variate_mse(
        counts,
        {20: np.array([0.81])},
        [10**6],
        fixed_operations={20: 1000},
        per_sample=10,
        share=8,
    )
    assert mse[0] == pytest.approx(0.01**2)


def test_constant_guess_is_the_spread():
    assert constant_guess_mse([0.4, 0.6]) == pytest.approx(0.01)


def test_methods_are_registered_and_labelled_honestly():
    assert METHODS["moment_propagation"].mechanistic and METHODS["fixed_masks"].mechanistic
    assert not METHODS["stratified_sampling"].mechanistic
    assert not METHODS["control_variate_sampling"].mechanistic
    for name in (
        "moment_propagation",
        "fixed_masks",
        "stratified_sampling",
        "control_variate_sampling",
    ):
        assert METHODS[name].applies_to(10) and not METHODS[name].applies_to(2)
    weights = small_weights(5, 4)
    result = estimate(weights, "fixed_masks", budget=fixed_mask_operations(5, 4, 40))
    direct = fixed_mask_case_accuracies(weights, maxpts=40)
    assert (
        result.estimate == pytest.approx(direct.estimate)
        and result.operations == direct.operations
    )
    with pytest.raises(InvalidInputError, match="smallest cost"):
        estimate(weights, "moment_propagation", budget=100)
