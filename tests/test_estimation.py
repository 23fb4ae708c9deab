"""The estimation harness: operation counts, ensembles, error curves, ARC's M4,3 estimators, the command line."""

from __future__ import annotations

import json
import itertools
import math

import numpy as np
import pytest
import torch

from tinymech.algzoo.arc_estimators import (
    EARLIER_REBUILD,
    HILTON_RULES,
    original_assumptions,
    original_error_parts,
    original_estimate,
    paired_standard_form,
    symmetric_reduction_estimate,
)
from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.estimation import (
    equal_compute_ratio,
    error_curve,
    reference_accuracies,
    run_ensemble,
    sampling_mse,
)
from tinymech.algzoo.methods import METHODS, estimate, methods_for
from tinymech.algzoo.operations import forward_operations, volume_operations
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.exact.cones import (
    AREA_PER_VERTEX,
    NEW_VERTEX,
    PLANE_TEST,
    OperationCounter,
    PolygonBatch,
    areas,
    clip,
)
from tinymech.algzoo.handcrafted import handcrafted_2, handcrafted_3
from tinymech.algzoo.noise import noisy_ensemble, noisy_weights, seed_ensemble
from tinymech.algzoo.standardization import permute, rescale
from tinymech.algzoo.zoo import load_model
from tinymech.cli import main
from tinymech.errors import InvalidInputError

STANDARD_ERRORS = 3


@pytest.fixture(scope="module")
def handcrafted64() -> RNNWeights:
    return handcrafted_3(100.0, dtype=torch.float64).weights()


@pytest.fixture(scope="module")
def trained() -> RNNWeights:
    return load_model("m4_3").weights()


# --- operation counts ---------------------------------------------------------------------------------


def test_counts_of_known_small_cases():
    assert forward_operations(4, 3) == 72  # ARC's count for one sample of M4,3
    assert forward_operations(16, 10) == 10 * 16 * 17 + 10 * 16
    assert [volume_operations(k) for k in (4, 5, 6)] == [320, 625, 1080]
    # Hilton's 71,000 for the original version: 18 volumes of 4 half-spaces, 56 of 5, 28 of 6
    assert (
        18 * volume_operations(4) + 56 * volume_operations(5) + 28 * volume_operations(6)
        == 71_000
    )
    # clipping the octant triangle by x_0 + x_1 - x_2 >= 0 keeps e_0 and e_1 and cuts two edges
    octant = PolygonBatch(np.eye(3)[None], np.array([3]))
    counter = OperationCounter()
    clipped = clip(octant, np.array([[1.0, 1.0, -1.0]]) / math.sqrt(3), counter)
    assert counter.operations == 3 * PLANE_TEST + 2 * NEW_VERTEX
    assert clipped.count[0] == 4
    counter = OperationCounter()
    area = areas(clipped, counter)[0]
    assert counter.operations == 4 * AREA_PER_VERTEX
    # the cut removes the triangle (e_2, (e_0 + e_2)/sqrt 2, (e_1 + e_2)/sqrt 2), of area pi/2 - 2 atan(1/sqrt 2)...
    # checked against the octant's pi/2 minus the area of that triangle by Girard's theorem
    corner = np.array([[0, 0, 1.0], [1, 0, 1], [0, 1, 1]])
    corner /= np.linalg.norm(corner, axis=1, keepdims=True)
    removed = areas(PolygonBatch(corner[None], np.array([3])))[0]
    assert area == pytest.approx(math.pi / 2 - removed, abs=1e-14)


def test_original_estimate_counts_102_volumes(trained, handcrafted64):
    for weights, rules in itertools.product(
        (trained, handcrafted64), (HILTON_RULES, EARLIER_REBUILD)
    ):
        result = original_estimate(weights, rules=rules)
        assert result.details["volumes"] == {"4": 18, "5": 56, "6": 28}
        assert result.details["likely"] == 14 and result.details["unlikely"] == 4
        # the linear algebra around the volumes, counted term by term in original_estimate (Hilton's
        # boundaries: 4 more for the averages of a and b drawn separately)
        overhead = (4 * 10 + 32) + 14 + 4 * 32 + 2 * 24 + 14 * 4 * 34 + 14 * 2 * 54
        overhead += 4 if rules.own_coefficients else 0
        assert result.operations == 71_000 + overhead


def test_symmetric_reduction_counts_24_volumes(trained):
    result = symmetric_reduction_estimate(trained)
    assert result.details["volumes"] == {"6": 24}
    assert result.operations >= 24 * volume_operations(6)


# --- ensembles --------------------------------------------------------------------------------------


def test_noisy_ensemble_is_seeded_and_prefix_stable(trained):
    small = noisy_ensemble(trained, 0.05, 3, seed=7)
    large = noisy_ensemble(trained, 0.05, 5, seed=7)
    assert all(np.array_equal(a.W_hh, b.W_hh) for a, b in zip(small.models, large.models))
    rng = np.random.default_rng(7)
    first = noisy_weights(trained, 0.05, rng)
    assert np.array_equal(first.W_oh, small.models[0].W_oh)
    differences = np.concatenate([(m.W_hh - trained.W_hh).ravel() for m in large.models])
    assert abs(differences.std() - 0.05) < 0.01 and abs(differences.mean()) < 0.01
    with pytest.raises(InvalidInputError, match="positive number of models"):
        noisy_ensemble(trained, 0.05, 0)


def test_seed_ensemble_loads_the_committed_seeds():
    ensemble = seed_ensemble([f"rnn/m16_10_seed{s}_full_recipe" for s in range(5)])
    assert len(ensemble) == 5 and ensemble.kind == "training seeds"
    assert not np.array_equal(ensemble.models[0].W_hh, ensemble.models[1].W_hh)
    with pytest.raises(InvalidInputError, match="at least one model"):
        seed_ensemble([])


# --- the harness against closed forms -----------------------------------------------------------------


def test_sampling_mse_matches_mean_p_one_minus_p_over_k(trained):
    """Sampling's measured MSE on an ensemble agrees with mean p (1 - p) / k within its own uncertainty."""
    ensemble = noisy_ensemble(trained, 0.05, 96, seed=3)
    references = reference_accuracies(ensemble.models)
    per_sample = forward_operations(4, 3)
    budgets = [k * per_sample for k in (16, 256)]
    curve = error_curve(run_ensemble(ensemble.models, "sampling", budgets=budgets), references)
    predicted = sampling_mse(references.accuracy, budgets, per_sample)
    assert np.all(np.abs(curve.mse - predicted) <= STANDARD_ERRORS * curve.mse_standard_error)
    assert np.all(np.abs(curve.bias) <= STANDARD_ERRORS * curve.bias_standard_error)
    assert curve.mse == pytest.approx(curve.bias**2 + curve.variance)


def test_exact_method_has_zero_mse_against_high_count_sampling(trained):
    """The exact method's MSE against sampled references is what their own sampling error adds: zero."""
    ensemble = noisy_ensemble(trained, 0.05, 8, seed=5)
    sampled = reference_accuracies(ensemble.models, samples=2**18, method="sampling")
    assert sampled.method == "sampling" and sampled.variance > 0
    curve = error_curve(run_ensemble(ensemble.models, "exact"), sampled)
    # each squared error is se^2 chi^2_1: mean se^2, with standard error sqrt(2) mean(se^2) / sqrt(models)
    assert abs(curve.mse[0] - sampled.variance) <= STANDARD_ERRORS * math.sqrt(
        2
    ) * sampled.variance / math.sqrt(8)
    assert curve.operations[0] > 0
    with pytest.raises(InvalidInputError, match="need the number of samples"):
        reference_accuracies(ensemble.models, method="sampling")
    with pytest.raises(InvalidInputError, match="has no exact method"):
        reference_accuracies([load_model("handcrafted_10").weights()], method="exact")


def test_equal_compute_ratio_of_sampling_itself_is_one():
    p = np.array([0.9, 0.8, 0.95])
    per_sample = 72
    mse = float(sampling_mse(p, 72 * 100, per_sample))
    ratio = equal_compute_ratio(mse, 72 * 100, p, per_sample)
    assert ratio["rms_ratio"] == pytest.approx(1.0) and ratio["compute_ratio"] == pytest.approx(
        1.0
    )
    assert ratio["equivalent_samples"] == pytest.approx(100)
    assert equal_compute_ratio(0.0, 1000, p, per_sample)["rms_ratio"] == 0.0


# --- ARC's estimators -------------------------------------------------------------------------------


def test_pairing_and_standard_form(handcrafted64, trained):
    paired = paired_standard_form(handcrafted64)
    assert np.array_equal(paired.weights.W_hi, [1.0, 1.0, -1.0, -1.0])
    assert paired.order == (0, 1, 2, 3) and paired.residual < 1e-12  # exactly U^T W' U
    shuffled = permute(rescale(trained, [0.5, 2.0, 1.5, 3.0]), [2, 0, 3, 1])
    assert original_estimate(shuffled, rules=EARLIER_REBUILD).estimate == pytest.approx(
        original_estimate(trained, rules=EARLIER_REBUILD).estimate, abs=1e-12
    )
    # Hilton's rule (b) keeps thin subregions whose cones have vertices within clipping's plane
    # tolerance (1e-8) of a plane: the rounding of the standard form moves the estimate by ~1e-9
    assert original_estimate(shuffled).estimate == pytest.approx(
        original_estimate(trained).estimate, abs=1e-8
    )
    with pytest.raises(InvalidInputError, match="two neurons with positive"):
        paired_standard_form(
            RNNWeights(np.array([1.0, 1.0, 1.0, -1.0]), np.eye(4), np.ones((3, 4)))
        )
    with pytest.raises(InvalidInputError, match="hidden size 4 and 3 logits"):
        paired_standard_form(handcrafted_2())


def test_assumptions_hold_exactly_for_arcs_handcrafted_model(handcrafted64, trained):
    exact = original_assumptions(handcrafted64)
    assert max(v for k, v in exact.items() if " = " in k) < 1e-12
    trained_deviations = [v for k, v in original_assumptions(trained).items() if " = " in k]
    assert 0 < max(trained_deviations) < 0.1  # near, not exact: the trained model is not ARC's


def test_estimators_agree_with_exact_accuracy_on_arcs_handcrafted_model(handcrafted64):
    exact = exact_accuracy(handcrafted64)
    # the symmetric reduction is exact on a model that is exactly reduced (no residual, no noise)
    reduced = symmetric_reduction_estimate(handcrafted64)
    assert reduced.details["noiseless"] and reduced.estimate == pytest.approx(exact, abs=1e-10)
    # the earlier rebuild approximates the step-3 gates: within its stated error (Hilton: ~3% RMS); by
    # Hilton's rules the clean model is far off (tests/test_arc_rules.py)
    assert abs(original_estimate(handcrafted64, rules=EARLIER_REBUILD).estimate - exact) < 0.03
    # with every approximation but the averaging switched off it is exact here (the averages are exact)
    assert original_error_parts(handcrafted64)["averaged"] == pytest.approx(exact, abs=1e-10)


def test_estimators_within_their_error_on_noisy_models(trained):
    ensemble = noisy_ensemble(trained, 0.05, 6, seed=11)
    references = reference_accuracies(ensemble.models).accuracy
    for method, tolerance in (("arc_original", 0.2), ("arc_symmetric_reduction", 0.2)):
        values = np.array([estimate(m, method).estimate for m in ensemble.models])
        assert np.all(np.abs(values - references) < tolerance), method
        assert np.all((values >= 0) & (values <= 1))


# --- the interface and the command line ---------------------------------------------------------------


def test_methods_for_lengths():
    assert methods_for(3)[:2] == ["sampling", "exact"]
    assert {"arc_original", "arc_symmetric_reduction"} <= set(methods_for(3))
    assert "exact" not in methods_for(10) and "sampling" in methods_for(10)
    assert all(m.mechanistic for name, m in METHODS.items() if name.startswith("arc_"))


def test_estimate_interface_and_errors(trained):
    result = estimate(trained, "exact")
    assert result.estimate == pytest.approx(exact_accuracy(trained), abs=1e-15)
    assert result.operations > 0 and result.seconds > 0
    sampled = estimate(trained, "sampling", budget=72 * 1000, seed=1)
    assert sampled.operations == 72 * 1000 and sampled.details["samples"] == 1000
    with pytest.raises(
        InvalidInputError,
        match="unknown method 'nope'; for sequence length 3 choose one of: sampling, exact",
    ):
        estimate(trained, "nope")
    with pytest.raises(
        InvalidInputError, match="does not apply to sequence length 10; choose one of: sampling"
    ):
        estimate(load_model("handcrafted_10"), "arc_original")
    with pytest.raises(InvalidInputError, match="positive number of operations"):
        estimate(trained, "sampling", budget=0)
    with pytest.raises(InvalidInputError, match="buys no sample"):
        estimate(trained, "sampling", budget=71)


def test_command_line_estimate(capsys, tmp_path):
    assert main(["estimate", "handcrafted_3", "--method", "arc_original", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"method", "estimate", "operations", "seconds"} <= set(result)
    assert result["method"] == "arc_original" and result["operations"] > 71_000
    assert main(["estimate", "m2_2", "--method", "exact", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["estimate"] == pytest.approx(exact_accuracy(load_model("m2_2")), abs=1e-12)
    # any AlgZoo-format file
    path = tmp_path / "model.pth"
    torch.save(load_model("m4_3").state_dict(), path)
    assert (
        main(
            [
                "estimate",
                str(path),
                "--method",
                "sampling",
                "--budget",
                str(72 * 4096),
                "--seed",
                "3",
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["samples"] == 4096 and result["operations"] == 72 * 4096
    assert main(["estimate", "m16_10", "--method", "arc_original"]) == 2
    assert (
        "does not apply to sequence length 10; choose one of: sampling"
        in capsys.readouterr().err
    )
    assert main(["estimate", "m4_3", "--method", "nope"]) == 2
    assert (
        "choose one of: sampling, exact, arc_original, arc_original_earlier, arc_symmetric_reduction"
        in capsys.readouterr().err
    )


def test_every_estimator_refuses_a_budget_it_cannot_spend_at_once():
    """A budget above what an estimator can finish or spend is refused before any work, with the largest
    it accepts: sampling and its variants at 2**36 sequences, the Genz-ladder estimators above twice
    their largest setting.  Methods without a budget (exact, ARC's) ignore it."""
    import time

    from tinymech.algzoo.methods import METHODS
    from tinymech.algzoo.operations import check_sample_budget, forward_operations
    from tinymech.algzoo.evaluation import MAX_SAMPLES

    rng = np.random.default_rng(0)
    weights = RNNWeights(
        rng.normal(size=5), rng.normal(size=(5, 5)) / 3, rng.normal(size=(4, 5))
    )
    for name in (
        "sampling",
        "stratified_sampling",
        "control_variate_sampling",
        "fixed_masks",
        "moment_propagation",
    ):
        assert METHODS[name].applies_to(4)
        started = time.perf_counter()
        with pytest.raises(
            InvalidInputError,
            match="above (the cap of 2\\*\\*36|what this estimator can spend)",
        ):
            estimate(weights, name, budget=10**18)
        assert time.perf_counter() - started < 5
    per_sample = forward_operations(5, 4)
    check_sample_budget(
        MAX_SAMPLES * per_sample, MAX_SAMPLES, per_sample
    )  # the cap itself is accepted
    with pytest.raises(InvalidInputError, match="budgets up to"):
        check_sample_budget(MAX_SAMPLES * per_sample + per_sample, MAX_SAMPLES + 1, per_sample)
