"""Tests for tinymech.autoencoder: closed forms, handcrafted models, the optimizer, the detectors."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech import tms
from tinymech.autoencoder import experiments, studies
from tinymech.autoencoder.analysis import (
    mean_with_error,
    neighbour_gap_difference,
    norm_ratio,
    passed_through_before,
    plateau_loss_ratio,
    radius_levels,
    splay_roughness,
)
from tinymech.autoencoder.geometry import (
    angular_neighbours,
    latent_zones,
    minimal_separation_angle,
    splay,
    tilt_coefficients,
    tilt_loss_change,
    unit_directions,
)
from tinymech.autoencoder.model import (
    initial_parameters,
    loss_and_gradients,
    loss_per_seed,
    symmetric_failure_loss_floor,
)
from tinymech.autoencoder.optimizer import VectorisedAdam
from tinymech.autoencoder.outcomes import (
    ASYMMETRIC_FAILURE,
    OTHER,
    PERFECT,
    SYMMETRIC_FAILURE,
    asymmetric_recovery,
    classify,
    first_step,
)
from tinymech.autoencoder.resampling import (
    anthropic_resample,
    attractor_repulsor,
    mean_live_norm,
)
from tinymech.autoencoder.rates import (
    every_run,
    rate,
    wilson_above,
    wilson_below,
    wilson_entirely_above,
    wilson_overlaps,
)
from tinymech.autoencoder.training import train
from tinymech.errors import InvalidInputError
from tinymech.report import verdict

torch.set_num_threads(1)


def regular_polygon(
    n: int, radius_squared: float, *, dead: int | None = None, dead_bias: float | None = None
):
    """Handcrafted model (tinymech.tms): live features on a regular polygon, b = 1 - r^2; optional dead feature."""
    return tms.regular_polygon(n, radius_squared, dead=dead, dead_bias=dead_bias, phase=0.3)


def test_analytic_gradient_matches_autograd():
    W, b = initial_parameters(7, range(4))
    b = b + 0.1 * torch.randn(
        b.shape, generator=torch.Generator().manual_seed(1), dtype=torch.float64
    )
    W_auto, b_auto = W.clone().requires_grad_(), b.clone().requires_grad_()
    loss_per_seed(W_auto, b_auto).sum().backward()
    loss, dW, db = loss_and_gradients(W, b)
    torch.testing.assert_close(loss, loss_per_seed(W, b))
    torch.testing.assert_close(dW, W_auto.grad, rtol=0, atol=1e-14)
    torch.testing.assert_close(db, b_auto.grad, rtol=0, atol=1e-14)


@pytest.mark.parametrize("kind", ["adam", "adamw"])
def test_vectorised_adam_matches_torch(kind):
    W, b = initial_parameters(6, range(3))
    W_ref, b_ref = W.clone().requires_grad_(), b.clone().requires_grad_()
    reference = (
        torch.optim.AdamW([W_ref, b_ref], lr=3e-3)
        if kind == "adamw"
        else torch.optim.Adam([W_ref, b_ref], lr=3e-3)
    )
    ours = VectorisedAdam(lr=torch.full((3,), 3e-3), kind=kind)
    for _ in range(30):
        reference.zero_grad()
        loss_per_seed(W_ref, b_ref).sum().backward()
        reference.step()
        _, dW, db = loss_and_gradients(W, b)
        ours.step([W, b], [dW, db])
    torch.testing.assert_close(W, W_ref.detach(), rtol=0, atol=1e-8)  # round-off only
    torch.testing.assert_close(b, b_ref.detach(), rtol=0, atol=1e-8)


def test_seeds_train_independently():
    """A seed trained in a batch with others ends where it ends when trained alone."""
    W, b = initial_parameters(7, [3, 11, 42])
    together = train(W, b, lr=torch.tensor([1e-3, 1e-2, 3e-3]), epochs=300, log_every=300)
    alone = train(W[1:2], b[1:2], lr=1e-2, epochs=300, log_every=300)
    # batched and single matrix products round differently; Adam amplifies round-off a little
    torch.testing.assert_close(together.W[1:2], alone.W, rtol=0, atol=1e-7)


def test_bad_inputs_raise():
    with pytest.raises(InvalidInputError, match="n > m"):
        initial_parameters(2, range(3))
    with pytest.raises(InvalidInputError, match="optimizer must be one of"):
        VectorisedAdam(lr=torch.ones(2), kind="sgd")
    with pytest.raises(InvalidInputError, match="shape"):
        loss_per_seed(torch.zeros(2, 7), torch.zeros(7))
    with pytest.raises(InvalidInputError, match="choose one of"):
        studies.compute_experiment("no_such_experiment")
    W, b = initial_parameters(7, range(2))
    with pytest.raises(InvalidInputError, match="keep_at"):
        train(W, b, lr=1e-3, epochs=10, keep_at=(11,))
    with pytest.raises(InvalidInputError, match="W must have shape"):
        norm_ratio(W[0])
    with pytest.raises(InvalidInputError, match="same shape"):
        passed_through_before(torch.zeros(3), torch.zeros(4))
    with pytest.raises(InvalidInputError, match="at least one trial"):
        rate(0, 0)


@pytest.mark.parametrize("n", [6, 7, 8])
def test_handcrafted_perfect_and_symmetric_failure(n):
    threshold = 1 / (1 - math.cos(2 * math.pi / n))
    W, b = regular_polygon(n, threshold + 0.3)
    assert float(loss_per_seed(W[None], b[None])) == pytest.approx(0.0, abs=1e-12)
    assert int(classify(W[None], b[None])) == PERFECT
    threshold_failed = 1 / (1 - math.cos(2 * math.pi / (n - 1)))
    W, b = regular_polygon(n, threshold_failed + 1.0, dead=n - 1)
    assert float(loss_per_seed(W[None], b[None])) == pytest.approx(
        symmetric_failure_loss_floor(n), rel=1e-12
    )
    assert symmetric_failure_loss_floor(n) * n**2 == pytest.approx((n - 1) / n, rel=1e-14)
    assert int(classify(W[None], b[None])) == SYMMETRIC_FAILURE
    # 1/n is the least-squares bias of the dead output: moving it either way raises the loss
    for shift in (-1e-3, 1e-3):
        b_shifted = b.clone()
        b_shifted[n - 1] += shift
        assert float(loss_per_seed(W[None], b_shifted[None])) > symmetric_failure_loss_floor(n)
    # unequal live norms with one dead feature: asymmetric failure; two dead: other
    W_long = W.clone()
    W_long[:, 0] *= 1.15
    b_long = b.clone()
    b_long[0] = 1 - float(W_long[:, 0].norm()) ** 2
    assert int(classify(W_long[None], b_long[None], regular_ratio=1.1)) == ASYMMETRIC_FAILURE
    assert int(classify(W_long[None], b_long[None], regular_ratio=1.2)) == SYMMETRIC_FAILURE
    W_two = W.clone()
    W_two[:, 0] = 0.0
    assert int(classify(W_two[None], b[None])) == OTHER


@settings(max_examples=25, deadline=None)
@given(angle=st.floats(-math.pi, math.pi), seed=st.integers(0, 10_000))
def test_rotation_of_latent_plane_changes_nothing(angle, seed):
    """The model sees W only through W^T W: rotating the latent plane leaves loss and outcome alone."""
    W, b = initial_parameters(7, [seed])
    rotation = torch.tensor(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]],
        dtype=torch.float64,
    )
    torch.testing.assert_close(
        loss_per_seed(rotation @ W, b), loss_per_seed(W, b), rtol=1e-12, atol=1e-15
    )
    assert torch.equal(classify(rotation @ W, b), classify(W, b))


@settings(max_examples=20, deadline=None)
@given(
    amplitude=st.floats(1e-4, 0.02),
    dead_bias=st.sampled_from([0.0, 1 / 7, 0.3]),
    jitter=st.floats(0.0, 0.05),
)
def test_tilt_polynomial_is_exact(amplitude, dead_bias, jitter):
    """n^2 dL = linear eps + quadratic eps^2 + eps^4 (geometry module docstring), also off symmetry."""
    n = 7
    W, b = regular_polygon(n, 2.3, dead=n - 1, dead_bias=dead_bias)
    W[:, 0] *= 1 + jitter
    directions = unit_directions(36)
    change = tilt_loss_change(W, b, n - 1, directions, amplitude, dead_bias) * n**2
    linear, quadratic = tilt_coefficients(W, b, n - 1, directions, dead_bias)
    torch.testing.assert_close(
        change,
        linear * amplitude + quadratic * amplitude**2 + amplitude**4,
        rtol=1e-9,
        atol=1e-15,
    )


@pytest.mark.parametrize("dead_bias", [1 / 7, 0.0])
def test_symmetric_failure_is_a_local_minimum_in_every_direction(dead_bias):
    n = 7
    W, b = regular_polygon(n, 2.3, dead=n - 1, dead_bias=dead_bias)
    directions = unit_directions(360)
    linear, quadratic = tilt_coefficients(W, b, n - 1, directions, dead_bias)
    assert float(linear.abs().max()) < 1e-12  # the regular hexagon's vectors sum to zero
    assert bool((quadratic > 0).all())
    assert bool((tilt_loss_change(W, b, n - 1, directions, 1e-2, dead_bias) > 0).all())


def test_latent_zones_and_separation_angle():
    n = 7
    threshold = 1 / (1 - math.cos(2 * math.pi / n))
    W, b = regular_polygon(n, threshold + 0.5)
    # feature vectors as latent points: the latent of e_i lies in zone i only
    assert torch.equal(latent_zones(W, b, W.T), torch.eye(n, dtype=torch.bool))
    assert not bool(
        latent_zones(W, b, torch.zeros(1, 2)).any()
    )  # the origin is in no zone (b < 0)
    W, b = regular_polygon(n, threshold)
    neighbour, gap = angular_neighbours(W, torch.ones(n, dtype=torch.bool))
    assert float(gap.sum()) == pytest.approx(2 * math.pi)
    norms = W.norm(dim=0)
    # at the threshold radius the regular n-gon's gap equals the minimal separation angle
    torch.testing.assert_close(
        minimal_separation_angle(norms, norms[neighbour]), gap, rtol=1e-6, atol=0
    )
    # shorter features need wider gaps
    short, long = minimal_separation_angle(torch.tensor([1.2, 2.0]), torch.tensor([2.0, 2.0]))
    assert float(short) > float(long)
    assert float(splay(W)) == pytest.approx(n * math.sqrt(threshold))


def test_resampling_methods():
    n = 7
    W, b = regular_polygon(n, 2.3, dead=n - 1)
    W[:, n - 1] = torch.tensor([1e-5, 2e-5], dtype=torch.float64)
    W[:, 0] *= 1.1  # break the symmetry so that the attractor direction is defined
    W, b = W[None], b[None]
    dead = torch.tensor([n - 1])
    W_a, b_a, sampled = anthropic_resample(
        W, b, dead, generator=torch.Generator().manual_seed(0)
    )
    assert int(sampled) == n - 1  # the dead example has by far the largest loss
    assert float(W_a[0, :, n - 1].norm()) == pytest.approx(0.2 * float(mean_live_norm(W, dead)))
    assert float(b_a[0, n - 1]) == 0.0
    torch.testing.assert_close(W_a[..., : n - 1], W[..., : n - 1])
    W_r, b_r, pushed = attractor_repulsor(
        W, b, dead, 0.1, generator=torch.Generator().manual_seed(0), noise=0.0
    )
    total = W[0, :, : n - 1].sum(dim=1)
    cosine = torch.dot(W_r[0, :, n - 1], -total) / (W_r[0, :, n - 1].norm() * total.norm())
    assert float(cosine) == pytest.approx(1.0)
    expected = torch.zeros(n, dtype=torch.bool)
    expected[: n - 1] = (W[0, :, : n - 1] * -total[:, None]).sum(dim=0) > 0
    assert torch.equal(pushed[0], expected)
    torch.testing.assert_close(b_r[0] - b[0], 0.1 * expected.to(torch.float64))


def test_recovery_detector():
    log = torch.tensor(
        [
            [OTHER, OTHER, OTHER],
            [SYMMETRIC_FAILURE, PERFECT, SYMMETRIC_FAILURE],
            [PERFECT, PERFECT, SYMMETRIC_FAILURE],
        ]
    )
    assert asymmetric_recovery(log).tolist() == [True, False, False]
    assert first_step(log, torch.tensor([0, 10, 20]), PERFECT).tolist() == [20, 10, -1]


def test_training_reaches_a_symmetric_failure_and_escapes():
    """Seed 23 of n = 6 (committed settings) plateaus in symmetric failure with b_dead ~ 1/6, then recovers."""
    W, b = initial_parameters(6, [23])
    run = train(W, b, lr=1e-3, epochs=5000, log_every=250, keep_parameters=True)
    failed = torch.nonzero(run.outcomes[:, 0] == SYMMETRIC_FAILURE).flatten()
    assert failed.numel() > 0
    at = int(failed[0])
    dead = int(run.W_log[at, 0].norm(dim=0).argmin())
    assert float(run.b_log[at, 0, dead]) == pytest.approx(1 / 6, abs=0.03)
    assert bool(asymmetric_recovery(run.outcomes)[0])


def _tiny_failure_sweep(n: int = 7) -> dict:
    """A sweep entry holding two handcrafted symmetric failures (live hexagon, feature n-1 dead)."""
    W, b = regular_polygon(n, 2.6, dead=n - 1)
    W[:, n - 1] = torch.tensor([1e-3, -2e-3], dtype=torch.float64)
    W2 = W.clone()
    W2[:, 0] *= 1.02
    W_fail = torch.stack([W, W2])
    b_fail = torch.stack([b, b])
    log = torch.full((3, 10), OTHER, dtype=torch.int8)
    log[1:, 5] = SYMMETRIC_FAILURE
    log[:, 9] = SYMMETRIC_FAILURE  # seed 9 stays longest
    return {
        "failure_W": W_fail,
        "failure_b": b_fail,
        "failure_dead": torch.tensor([n - 1, n - 1]),
        "failure_seed": torch.tensor([5, 9]),
        "outcome_log": log,
    }


def test_adjacent_pair_is_next_to_the_dead_direction():
    W, b = regular_polygon(7, 2.6, dead=6)
    a, c = 0, 1  # put the dead vector on the bisector of features 0 and 1
    W[:, 6] = 1e-3 * (W[:, a] + W[:, c])
    assert set(experiments.adjacent_pair(W, 6)) == {a, c}


def test_chaos_map_and_resampling_shapes_on_handcrafted_failures():
    sweep_n = _tiny_failure_sweep()
    chaos = experiments.chaos_map(
        sweep_n, features=7, deltas=3, delta_max=0.1, lrs=2, lr_min=1e-3, lr_max=1e-2, epochs=20
    )
    assert chaos["splay"].shape == (3, 2) and chaos["outcome"].shape == (3, 2)
    assert experiments.longest_failure(sweep_n) == 1 and int(chaos["seed"]) == 9
    assert float(chaos["splay_start"]) == pytest.approx(float(splay(sweep_n["failure_W"][1])))
    result = experiments.resampling_comparison(
        sweep_n,
        features=7,
        checkpoints=2,
        lrs=(1e-3,),
        deltas=(0.0, 0.1),
        epochs=20,
        log_every=10,
        seed=0,
    )
    assert result["methods"] == ["none", "anthropic", "attractor d=0", "attractor d=0.1"]
    assert result["recovered"].shape == (4, 1, 2)
    assert not bool(result["recovered"].any())  # 20 epochs at lr 1e-3 cannot leave the failure


def test_checking_and_snapshots_do_not_change_training():
    """check_every and keep_at only read the parameters: the run is bit for bit the one without them, the
    snapshots are the logged parameters, and the first outcome steps agree with the coarser log."""
    W, b = initial_parameters(6, [23, 5])
    plain = train(W, b, lr=3e-3, epochs=1500, log_every=250, keep_parameters=True)
    checked = train(
        W, b, lr=3e-3, epochs=1500, log_every=250, check_every=10, keep_at=(500, 1500)
    )
    assert torch.equal(plain.W, checked.W) and torch.equal(plain.outcomes, checked.outcomes)
    index = int(torch.nonzero(plain.steps == 500)[0])
    assert torch.equal(checked.snapshots[500][0], plain.W_log[index])
    assert torch.equal(checked.snapshots[1500][1], plain.b)
    for code in (PERFECT, SYMMETRIC_FAILURE, OTHER):
        coarse = first_step(plain.outcomes, plain.steps, code)
        fine = checked.first_seen[code]
        assert bool(
            ((fine >= 0) | (coarse < 0)).all()
        )  # seen at a log step => seen by the finer check
        assert bool(((coarse < 0) | (fine <= coarse)).all())  # and not later
        assert bool(
            (fine[fine >= 0] % 10 == 0).all()
        )  # checked every 10 steps (log steps are multiples)


def test_norm_ratio_and_radius_levels_of_handcrafted_circles():
    regular, b = regular_polygon(7, 3.0)
    two = regular.clone()
    two[:, :3] *= 0.5  # three features on an inner circle of half the radius
    three = two.clone()
    three[:, 0] *= 1.3
    W = torch.stack([regular, two, three])
    torch.testing.assert_close(
        norm_ratio(W), torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64)
    )
    assert radius_levels(W).tolist() == [1, 2, 3]
    assert radius_levels(W, tolerance=0.5).tolist() == [1, 2, 2]


def test_shorter_features_in_wider_gaps_give_a_positive_gap_difference():
    n = 7
    W, _ = regular_polygon(n, 3.0)
    assert math.isnan(
        float(neighbour_gap_difference(W[None]))
    )  # one circle: no shorter feature
    # two short features (radius 1) among five long ones (radius 2), at handpicked angles
    angles = (
        torch.tensor([0.0, 80.0, 130.0, 180.0, 260.0, 300.0, 340.0], dtype=torch.float64)
        * math.pi
        / 180
    )
    radii = torch.tensor([1.0, 2.0, 2.0, 1.0, 2.0, 2.0, 2.0], dtype=torch.float64)
    W = torch.stack([radii * torch.cos(angles), radii * torch.sin(angles)])[None]
    # feature gaps (mean of the two neighbouring angles): 0: (20 + 80) / 2 = 50, 3: (50 + 80) / 2 = 65;
    # the five long ones: 65, 50, 60, 40, 30 -> mean 49; short mean 57.5 -> difference 8.5 degrees
    assert float(neighbour_gap_difference(W)) == pytest.approx(8.5, abs=1e-9)
    # with the norms permuted so that features 2 and 6 (gaps 50, 30) count as short, the sign flips
    swapped = torch.tensor(
        [[2.0, 2.0, 1.0, 2.0, 2.0, 2.0, 1.0]], dtype=torch.float64
    )  # short: 50, 30 vs 56
    assert float(neighbour_gap_difference(W, swapped)) == pytest.approx(-16.0, abs=1e-9)


def test_passed_through_before_uses_strict_order_and_never():
    via = torch.tensor([10, 20, -1, 5, 30])
    target = torch.tensor([20, 20, 10, -1, 10])
    assert passed_through_before(via, target).tolist() == [True, False, False, True, False]


def test_splay_roughness_counts_jumps_between_neighbouring_cells():
    smooth = torch.linspace(0, 1, 11, dtype=torch.float64)[:, None].expand(11, 3).clone()
    rough = smooth.clone()
    rough[5, 1] += 2.0  # one spike: two jumps out of ten pairs in column 1
    rough[:, 2] = torch.tensor([0.0, 1.0] * 5 + [0.0], dtype=torch.float64)  # ten jumps
    assert splay_roughness(smooth, 0.5).tolist() == [0.0, 0.0, 0.0]
    assert splay_roughness(rough, 0.5).tolist() == [0.0, 0.2, 1.0]


def test_rate_criteria_decide_by_the_wilson_interval():
    # the post's 1 in 100 has the Wilson interval [0.18%, 5.45%]
    post = (1, 100)
    overlaps, above = wilson_overlaps(post, 200), wilson_entirely_above(post, 200)
    two_percent, forty_percent = rate(4, 200), rate(81, 200)  # [0.8%, 5.0%] and [33.9%, 47.4%]
    assert verdict(two_percent, overlaps, refuted_if=above) == "reproduced"
    assert verdict(forty_percent, overlaps, refuted_if=above) == "refuted"
    assert (
        verdict(rate(0, 200), overlaps, refuted_if=above) == "reproduced"
    )  # [0, 1.9%] overlaps
    # 12/200 = 6.0% [3.5%, 10.2%]: overlaps the post's interval, not entirely above it
    assert overlaps.holds(rate(12, 200)) and not above.holds(rate(12, 200))
    # 15/200 = 7.5% [4.6%, 12.0%]: overlaps; 25/200 = 12.5% [8.6%, 17.8%]: entirely above
    assert overlaps.holds(rate(15, 200)) and above.holds(rate(25, 200))
    most, few = wilson_above(0.5, 200), wilson_below(0.5, 200)
    assert most.holds(rate(118, 200)) and not most.holds(
        rate(110, 200)
    )  # 59% [52.1, 65.6]; 55% [48.1, 61.7]
    assert few.holds(rate(0, 200)) and not few.holds(rate(90, 200))
    assert every_run(34).holds(rate(34, 34)) and not every_run(34).holds(rate(33, 34))
    assert rate(4, 200).show() == "4/200 = 2.0% [0.8, 5.0]"


def test_rate_criteria_report_margins_whose_sign_is_the_test():
    post = (1, 100)
    for criterion in (
        wilson_overlaps(post, 200),
        wilson_entirely_above(post, 200),
        wilson_above(0.5, 200),
        wilson_below(0.5, 200),
    ):
        for k in (0, 4, 12, 25, 90, 110, 118, 200):
            distance, flip = criterion.margin_of(rate(k, 200))
            assert criterion.holds(rate(k, 200)) == (distance >= 0), (criterion.description, k)
            assert "%" in flip
    # 118/200: Wilson low end 52.1%, 2.1 points above one half
    distance, _ = wilson_above(0.5, 200).margin_of(rate(118, 200))
    assert abs(distance - 0.021) < 0.001


def test_plateau_loss_ratio_is_one_on_a_handcrafted_symmetric_failure():
    n = 7
    W, b = regular_polygon(n, 3.0, dead=n - 1)
    perfect_W, perfect_b = regular_polygon(n, 3.0)
    # two runs, three logged epochs; only the symmetric-failure epochs count
    W_log = torch.stack([torch.stack([perfect_W, W, W]), torch.stack([W, W, perfect_W])])
    b_log = torch.stack([torch.stack([perfect_b, b, b]), torch.stack([b, b, perfect_b])])
    log = torch.tensor(
        [
            [PERFECT, SYMMETRIC_FAILURE],
            [SYMMETRIC_FAILURE, SYMMETRIC_FAILURE],
            [SYMMETRIC_FAILURE, PERFECT],
        ]
    )
    assert plateau_loss_ratio(log, W_log, b_log) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(InvalidInputError, match="no logged epoch"):
        plateau_loss_ratio(torch.full((3, 2), PERFECT), W_log, b_log)


def test_mean_with_error_leaves_out_nan():
    mean, error, count = mean_with_error(torch.tensor([1.0, float("nan"), 3.0, 2.0]))
    assert (mean, count) == (2.0, 3) and error == pytest.approx(1 / math.sqrt(3))


def test_the_frozen_dead_feature_settles_at_zero_on_a_regular_polygon_and_towards_shorter_features_otherwise():
    from tinymech.autoencoder.analysis import frozen_dead_optimum

    n = 7
    W, b = regular_polygon(
        n, 3.0, dead=n - 1
    )  # a symmetric failure: the live features a regular hexagon
    settled = frozen_dead_optimum(W[None], b[None], torch.tensor([n - 1]))
    assert float(settled.norm()) < 1e-9
    shorter = W.clone()
    shorter[:, [0, 1]] *= (
        0.9  # two neighbouring live features shortened, as in the post's example
    )
    settled = frozen_dead_optimum(shorter[None], b[None], torch.tensor([n - 1]))[0]
    towards = shorter[:, 0] + shorter[:, 1]
    assert 0 < float(settled.norm()) < 0.1
    assert float(settled @ towards / (settled.norm() * towards.norm())) > 0.9
    with pytest.raises(InvalidInputError):
        frozen_dead_optimum(W[None], b[None], torch.tensor([n]))
