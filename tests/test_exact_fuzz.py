"""Every exact method against sampling on random models (:mod:`tinymech.algzoo.exact.fuzz`), and ties.

The larger run for releases is ``tinymech fuzz-exact --models N`` (default
:data:`~tinymech.algzoo.exact.fuzz.RELEASE_MODELS`).
"""

import math

import numpy as np
import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.methods import estimate
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.exact.fuzz import (
    FAMILIES,
    GRID_POINTS,
    SUITE_GRID_MODELS,
    SUITE_MODELS,
    SUITE_SAMPLES,
    Z_LIMIT,
    angle_grid_accuracy,
    fuzz_exact,
    fuzz_model,
    random_model,
)
from tinymech.algzoo.exact.solid_angles import exact_accuracy_3
from tinymech.algzoo.trace import trace
from tinymech.errors import InvalidInputError


def test_exact_methods_agree_with_float64_sampling_on_random_models():
    """Fuzz: SUITE_MODELS (480) random models, two thirds M_{d,2} (d = 1..32) and one third M_{d,3}
    (d = 1..8), of every family (Gaussian, sparse, integer, all-negative input weights, near-dead), each
    method against 2**16 float64 samples within 5 standard errors.

    Detection: a standard error is at most sqrt(0.25 / 2**16) = 0.002, so a method off by 0.015 or more on
    a model is flagged with probability above 0.99 (z > 7.5 - 5 standard normals).  A defect that moves
    the accuracy of 3% of the drawn models by that much is then missed with probability below
    (1 - 0.03 * 0.99)**480 ~ 6e-7; one confined to 3% of a single (family, length) group (64 models of length 2,
    32 of length 3) is missed with probability 0.97**64 = 0.14 (0.97**32 = 0.38): the angle-grid test
    below covers length 2 more finely.  Before the wrap-around fix this test flagged 3 of its 480 models.
    A false alarm (sampling alone beyond 5 standard errors somewhere) has probability below 480 * 3 *
    5.7e-7 ~ 1e-3 for these seeds, and none occurs.
    """
    report = fuzz_exact(SUITE_MODELS, seed=0, samples=SUITE_SAMPLES)
    assert report.n_models == SUITE_MODELS
    for family in FAMILIES:
        assert report.count(family=family, seq_len=2) >= SUITE_MODELS // 15
        assert report.count(family=family, seq_len=3) >= SUITE_MODELS // 15 - 1
    assert {case.hidden_size for case in report.cases if case.seq_len == 2} >= {1, 32}
    assert {case.hidden_size for case in report.cases if case.seq_len == 3} == set(range(1, 9))
    assert any("solid_angles" in case.exact for case in report.cases)
    bad = [
        (case.index, case.family, case.hidden_size, case.seq_len, case.disagreeing)
        for case in report.disagreements
    ]
    assert bad == []
    assert report.max_abs_z < Z_LIMIT


def test_length_2_exact_method_agrees_with_an_angle_grid_on_random_models():
    """Fuzz on a finer, deterministic reference: SUITE_GRID_MODELS (400) random M_{d,2} (d = 1..32, every
    family) against 2**16 equally spaced angles, which bound their own error by (2 d + 8) / 2**16 (at most
    1.1e-3; see :func:`angle_grid_accuracy`).  A defect that moves the length-2 accuracy by more than
    that bound on 3% of these models is missed with probability 0.97**400 ~ 5e-6, and one on 3% of one
    family (80 models) with probability 0.97**80 = 0.087.  Before the wrap-around fix this test flagged
    5 of its 400 models."""
    failures = []
    for index in range(SUITE_GRID_MODELS):
        family, weights = fuzz_model(index, seed=1, seq_len=2)
        grid, bound = angle_grid_accuracy(weights, GRID_POINTS)
        exact = exact_accuracy(weights)
        if abs(grid - exact) > bound:
            failures.append((index, family, weights.hidden_size, exact, grid))
    assert failures == []


def test_angle_grid_bound_holds_on_a_closed_form():
    """Delta = x1 (closed form of test_exact_2): accuracy 1/4 exactly; the grid is within its bound."""
    weights = RNNWeights(
        np.array([1.0, -1.0]), np.zeros((2, 2)), np.array([[0.0, 0.0], [1.0, -1.0]])
    )
    grid, bound = angle_grid_accuracy(weights, 1000)
    assert abs(grid - 0.25) <= bound
    assert bound == pytest.approx(12 / 1000)
    with pytest.raises(InvalidInputError, match="2-input"):
        angle_grid_accuracy(RNNWeights(np.ones(2), np.eye(2), np.ones((3, 2))))


def test_families_have_their_stated_structure():
    rng = np.random.default_rng(0)
    integer = random_model("integer", 6, 2, rng)
    assert all(
        np.array_equal(w, np.round(w)) and np.abs(w).max() <= 2
        for w in (integer.W_hi, integer.W_hh, integer.W_oh)
    )
    sparse = random_model("sparse", 20, 3, rng)
    assert (
        0.45 < np.mean(np.concatenate([sparse.W_hh.ravel(), sparse.W_oh.ravel()]) == 0) < 0.75
    )
    assert np.all(random_model("negative_input", 8, 2, rng).W_hi <= 0)
    dead = random_model("near_dead", 8, 3, rng)
    assert np.all(dead.W_hi <= 0) and np.all(dead.W_hh <= 0)
    x = np.random.default_rng(1).standard_normal((1000, 3))
    x[:, -1] = np.abs(x[:, -1])  # a positive last input: every unit is off, every logit 0
    assert np.all(trace(dead, x).logits == 0)
    assert fuzz_model(7, 3)[1].W_hh.tobytes() == fuzz_model(7, 3)[1].W_hh.tobytes()
    with pytest.raises(InvalidInputError, match="unknown family"):
        random_model("cauchy", 2, 2, rng)
    with pytest.raises(InvalidInputError):
        fuzz_exact(0)


def _float64_model(weights: RNNWeights) -> ReLURNN:
    return ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh, dtype=torch.float64)


def _closed_form_cases():
    """Degenerate models whose accuracy has a closed form under the tie rule (a tie goes to position 0)."""
    zero2 = RNNWeights(
        np.array([1.0, -1.0]), np.array([[0.5, 0.0], [0.0, 0.5]]), np.zeros((2, 2))
    )
    equal2 = RNNWeights(
        np.array([1.0, -2.0]), np.array([[0.3, -0.1], [0.2, 0.4]]), np.array([[1.5, -0.5]] * 2)
    )
    zero3 = RNNWeights(np.array([1.0, -1.0, 0.5]), np.eye(3) * 0.5, np.zeros((3, 3)))
    # an all-dead model: no unit is ever on, so every logit is 0 and position 0 is predicted everywhere
    dead3 = RNNWeights(np.zeros(3), np.ones((3, 3)), np.ones((3, 3)))
    # every position always predicted 0 is right where x0 is the 2nd largest: 1/3 for n = 3, 1/2 for n = 2
    return [
        ("zero readout, n=2", zero2, 0.5),
        ("equal readout rows, n=2", equal2, 0.5),
        ("zero readout, n=3", zero3, 1 / 3),
        ("all dead, n=3", dead3, 1 / 3),
    ]


@pytest.mark.parametrize(
    "name, weights, accuracy", _closed_form_cases(), ids=[c[0] for c in _closed_form_cases()]
)
def test_ties_of_positive_measure_go_to_position_0_in_every_method(name, weights, accuracy):
    """Logits equal on a set of positive measure (zero or equal readout rows, dead models): sampling's tie
    rule gives position 0, and every exact method counts the same way (closed forms: 1/2 and 1/3)."""
    sampled = sampled_accuracy(_float64_model(weights), 2**16, seed=5, dtype=torch.float64)
    values = [exact_accuracy(weights), estimate(weights, "exact").estimate]
    if weights.output_size == 3:
        values.append(exact_accuracy_3(weights))
    assert values == pytest.approx([accuracy] * len(values), abs=1e-12)
    assert abs(sampled.accuracy - accuracy) < 5 * math.sqrt(accuracy * (1 - accuracy) / 2**16)


def test_partial_ties_and_dead_half_spaces_agree_with_sampling():
    """Ties between two of three logits (equal readout rows 1 and 2: position 1 wins where they lead),
    a dead half-space (all logits 0 there: position 0) and zero rows, in one model each, against 2**18
    float64 samples within 5 standard errors."""
    rng = np.random.default_rng(11)
    W_oh = rng.standard_normal((3, 4))
    W_oh[2] = W_oh[1]
    partial = RNNWeights(rng.standard_normal(4), rng.standard_normal((4, 4)), W_oh)
    half_dead = RNNWeights(
        -np.abs(rng.standard_normal(5)),
        -np.abs(rng.standard_normal((5, 5))),
        rng.standard_normal((2, 5)),
    )
    W_hh = rng.standard_normal((6, 6))
    W_hh[2] = 0
    zero_rows = RNNWeights(
        rng.standard_normal(6) * (np.arange(6) != 4),
        W_hh,
        np.vstack([rng.standard_normal(6), np.zeros(6), rng.standard_normal(6)]),
    )
    for weights in (partial, half_dead, zero_rows):
        sampled = sampled_accuracy(_float64_model(weights), 2**18, seed=9, dtype=torch.float64)
        exact = exact_accuracy(weights)
        error = math.sqrt(max(exact * (1 - exact), 2**-18) / 2**18)
        assert abs(sampled.accuracy - exact) < 5 * error
        assert estimate(weights, "exact").estimate == pytest.approx(exact, abs=1e-12)


def test_fuzz_flags_a_planted_defect(monkeypatch):
    """Null control: the length-2 method shifted by 0.05 is flagged on every length-2 model (a standard
    error at 2**14 samples is at most 0.004, so 0.05 is over 12 of them) and no length-3 model is."""
    import tinymech.algzoo.exact.sectors as sectors_module

    honest = sectors_module.exact_error_rate_2
    monkeypatch.setattr(
        sectors_module,
        "exact_error_rate_2",
        lambda weights, **options: honest(weights) + (0.05 if honest(weights) < 0.5 else -0.05),
    )
    report = fuzz_exact(15, seed=2, samples=2**14, grid_points=2**12)
    flagged = {case.index for case in report.disagreements}
    assert flagged == {case.index for case in report.cases if case.seq_len == 2}
    assert all(
        "exact_accuracy (angle grid)" in case.disagreeing for case in report.disagreements
    )


def test_command_line_fuzz_exact(capsys):
    import json

    from tinymech.cli import main

    assert (
        main(["fuzz-exact", "--models", "6", "--seed", "3", "--samples", "4096", "--json"]) == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert (
        result["models"] == 6
        and result["disagreements"] == 0
        and result["length_2"] + result["length_3"] == 6
    )
    assert main(["fuzz-exact", "--models", "0"]) == 2


def test_work_estimates_are_bounds_or_close_and_refusals_come_at_once(tmp_path, capsys):
    """The length-2 count is an upper bound (checked on random models of every family); the length-3
    estimate is within 20% on Gaussian models; above the limit the exact method, the estimator and the
    command refuse before any work, with the estimate, in one line."""
    import time

    from tinymech.algzoo.exact import MAX_PIECES, WorkLimitError, check_work, estimated_work
    from tinymech.algzoo.exact.cones import clipped_accuracy
    from tinymech.algzoo.exact.sectors import sectors
    from tinymech.cli import main

    for index in range(30):
        _, weights = fuzz_model(index, seed=4, seq_len=2)
        found = sectors(weights, extra_rays=(math.pi / 4, 5 * math.pi / 4), margin=1e-12)
        assert len(found) <= estimated_work(weights).pieces
    for d in (16, 24):
        rng = np.random.default_rng(d)
        weights = RNNWeights(
            rng.normal(size=d), rng.normal(size=(d, d)) / math.sqrt(d), rng.normal(size=(3, d))
        )
        assert clipped_accuracy(weights).n_regions == pytest.approx(
            estimated_work(weights).pieces, rel=0.2
        )
    big2 = RNNWeights(np.ones(3000), np.zeros((3000, 3000)), np.ones((2, 3000)))
    big3 = RNNWeights(np.ones(300), np.zeros((300, 300)), np.ones((3, 300)))
    for weights in (big2, big3):
        started = time.perf_counter()
        with pytest.raises(
            WorkLimitError,
            match=r"has about [\d,]+ (sectors|linear regions) to visit.*--max-pieces",
        ):
            exact_accuracy(weights)
        with pytest.raises(WorkLimitError):
            estimate(weights, "exact")
        assert (
            time.perf_counter() - started < 5
        )  # refused before the work, which takes minutes to hours
        assert estimated_work(weights).pieces > MAX_PIECES[weights.output_size]
    assert check_work(big3, max_pieces=10**6).pieces == estimated_work(big3).pieces
    with pytest.raises(InvalidInputError, match="max_pieces"):
        check_work(big3, max_pieces=0)
    path = tmp_path / "big.pth"
    torch.save(ReLURNN.from_weights(big3.W_hi, big3.W_hh, big3.W_oh).state_dict(), path)
    assert main(["exact", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "M300,3 has about 271,504 linear regions to visit" in error
    assert main(["exact", "m4_3", "--max-pieces", "10", "--json"]) == 2
    assert "above the limit of 10" in capsys.readouterr().err
