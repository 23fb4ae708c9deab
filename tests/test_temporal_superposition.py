"""Tests of the temporal superposition chapter: closed forms, Monte Carlo agreement, geometry."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech.temporal_superposition.exact_loss import (
    expected_loss_linear,
    loss_terms_linear,
    monte_carlo_loss,
    sparse_limit_loss_relu,
)
from tinymech.temporal_superposition.geometry import (
    eigen_angle,
    feature_dimensionality,
    feature_directions,
    impulse_response,
    projections,
    spectral_radius,
    swept_angle,
)
from tinymech.registry import load
from tinymech.temporal_superposition.experiments import RUNS, execute_run
from tinymech.temporal_superposition.models import RNNEnsemble
from tinymech.temporal_superposition.task import delayed_targets, feature_importance, sample_inputs

torch.set_num_threads(1)


def random_ensemble(kind: str, n_models: int, n_inputs: int, n_hidden: int, seed: int) -> RNNEnsemble:
    return RNNEnsemble(kind, n_models, n_inputs, n_hidden, generator=torch.Generator().manual_seed(seed)).double()


def delay_line(k: int) -> RNNEnsemble:
    """Handcrafted shift register with ``N_h = k + 1``: ``c_s = [s = k]``, a perfect k-delay."""
    n_hidden = k + 1
    W_x = torch.zeros(1, n_hidden, 1, dtype=torch.float64)
    W_x[0, 0, 0] = 1.0
    W_h = torch.diag(torch.ones(k, dtype=torch.float64), -1).unsqueeze(0)
    W_y = torch.zeros(1, n_hidden, 1, dtype=torch.float64)
    W_y[0, k, 0] = 1.0
    return RNNEnsemble.from_weights("linear", W_x, W_h, W_y)


@pytest.mark.parametrize("p", [1.0, 0.3, 0.05])
def test_exact_loss_matches_monte_carlo_random_weights(p: float) -> None:
    model = random_ensemble("linear", 3, 1, 2, seed=1)
    w = model.weights()
    exact = expected_loss_linear(w["W_x"], w["W_h"], w["W_y"], k=3, seq_len=15, p=p)
    mean, se = monte_carlo_loss(model, k=3, seq_len=15, p=p, n_sequences=40_000,
                                generator=torch.Generator().manual_seed(2))
    assert torch.all((exact - mean).abs() < 4 * se), (exact, mean, se)


@pytest.mark.parametrize("p", [0.5, 0.05])
def test_exact_loss_matches_monte_carlo_vector_input_with_importance(p: float) -> None:
    model = random_ensemble("linear", 2, 5, 3, seed=3)
    w = model.weights()
    importance = feature_importance(5, 0.7).double()
    exact = expected_loss_linear(w["W_x"], w["W_h"], w["W_y"], k=2, seq_len=10, p=p, importance=importance,
                                 reduction="sum")
    mean, se = monte_carlo_loss(model, k=2, seq_len=10, p=p, n_sequences=30_000, importance=importance,
                                generator=torch.Generator().manual_seed(4), reduction="sum")
    assert torch.all((exact - mean).abs() < 4 * se), (exact, mean, se)


def test_exact_loss_matches_monte_carlo_trained_weights() -> None:
    payload, meta = load("temporal_superposition/linear_k3")
    chosen = [0, len(payload["p"]) // 2, len(payload["p"]) - 1]
    for i in chosen:
        model = RNNEnsemble.from_weights("linear", *(payload[n][i : i + 1].double() for n in ("W_x", "W_h", "W_y")))
        p = float(payload["p"][i])
        mean, se = monte_carlo_loss(model, k=3, seq_len=meta["seq_len"], p=p, n_sequences=40_000,
                                    generator=torch.Generator().manual_seed(i))
        assert abs(float(payload["loss"][i]) - float(mean)) < 4 * float(se)


def test_loss_terms_add_up_to_exact_loss() -> None:
    model = random_ensemble("linear", 4, 1, 2, seed=5)
    w = model.weights()
    c = projections(w["W_y"], feature_directions(w["W_x"], w["W_h"], 15))[..., 0, 0]
    for p in (1.0, 0.2):
        terms = loss_terms_linear(c, k=3, p=p, reduction="sum")
        exact = expected_loss_linear(w["W_x"], w["W_h"], w["W_y"], k=3, seq_len=15, p=p, reduction="sum")
        torch.testing.assert_close(sum(terms.values()), exact)


@pytest.mark.parametrize("k", [0, 1, 4])
def test_delay_line_has_zero_loss_and_zero_weights_cost_the_signal(k: int) -> None:
    model = delay_line(k)
    w = model.weights()
    for p in (1.0, 0.1):
        assert float(expected_loss_linear(w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p)) == 0.0
        assert float(sparse_limit_loss_relu(w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p)) == 0.0
        zero = expected_loss_linear(0 * w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p, reduction="sum")
        assert math.isclose(float(zero), p / 3 * 6, rel_tol=1e-12)  # p nu per step with a target


def test_sparse_limit_matches_monte_carlo_for_small_p() -> None:
    model = random_ensemble("ssm", 3, 1, 2, seed=6)
    w = model.weights()
    p = 0.01
    approx = sparse_limit_loss_relu(w["W_x"], w["W_h"], w["W_y"], k=3, seq_len=15, p=p)
    mean, se = monte_carlo_loss(model, k=3, seq_len=15, p=p, n_sequences=60_000,
                                generator=torch.Generator().manual_seed(7))
    # O(p^2) correction: a few percent at p = 0.01
    assert torch.all((approx - mean).abs() < 4 * se + 0.05 * approx), (approx, mean, se)


def test_negative_projections_are_free_in_sparse_limit() -> None:
    w_x = torch.tensor([[[1.0], [0.0]]], dtype=torch.float64)
    rotation = torch.tensor([[[0.0, -1.0], [1.0, 0.0]]], dtype=torch.float64)  # 90 degrees a step
    readout = feature_directions(w_x, rotation, 4)[:, 3]  # w_y = w_3
    loss = sparse_limit_loss_relu(w_x, rotation, readout, k=3, seq_len=4, p=0.1, reduction="sum")
    # c_0 = c_2 = 0, c_1 = -1 (free), c_3 = 1 (perfect recall): no cost at leading order
    assert float(loss) == 0.0


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(2, 8), st.sampled_from(["linear", "ssm"]),
       st.integers(0, 1000))
def test_time_loop_and_convolution_agree(n_inputs: int, n_hidden: int, seq_len: int, kind: str, seed: int) -> None:
    model = random_ensemble(kind, 2, n_inputs, n_hidden, seed)
    x = sample_inputs(2, 3, seq_len, n_inputs, 0.5, generator=torch.Generator().manual_seed(seed)).double()
    loop = model.run_with_trace(x, record_hidden=True).output
    fast = model.run_with_trace(x, record_hidden=False).output
    torch.testing.assert_close(loop, fast)


def test_impulse_response_equals_feature_directions_for_linear_recurrence() -> None:
    model = random_ensemble("ssm", 3, 2, 3, seed=8)
    hidden, readout = impulse_response(model, 6, feature=1)
    w = feature_directions(model.W_x.detach(), model.W_h.detach(), 6)[..., 1]
    torch.testing.assert_close(hidden, w)
    torch.testing.assert_close(readout, projections(model.W_y.detach(), feature_directions(
        model.W_x.detach(), model.W_h.detach(), 6))[..., 1])


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 1.5), st.floats(1.0, 179.0), st.integers(1, 5))
def test_rotation_gives_swept_angle_spectral_radius_and_eigen_angle(rho: float, theta: float, k: int) -> None:
    angle = math.radians(theta)
    W_h = rho * torch.tensor([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]],
                             dtype=torch.float64)
    W_x = torch.tensor([[1.0], [0.0]], dtype=torch.float64)
    w = feature_directions(W_x, W_h, k + 1)[..., 0]
    assert math.isclose(float(swept_angle(w, k)), k * theta, rel_tol=1e-9)
    assert math.isclose(float(spectral_radius(W_h)), rho, rel_tol=1e-9)
    assert math.isclose(float(eigen_angle(W_h)), theta, rel_tol=1e-6)


def test_feature_dimensionality_known_geometries() -> None:
    angles = torch.arange(5, dtype=torch.float64) * 2 * math.pi / 5
    pentagon = torch.stack([angles.cos(), angles.sin()])
    torch.testing.assert_close(feature_dimensionality(pentagon), torch.full((5,), 0.4, dtype=torch.float64))
    orthogonal_and_dead = torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(feature_dimensionality(orthogonal_and_dead), torch.tensor([1.0, 1.0, 0.0],
                                                                                          dtype=torch.float64))
    antipodal = torch.tensor([[1.0, -1.0]], dtype=torch.float64)
    torch.testing.assert_close(feature_dimensionality(antipodal), torch.tensor([0.5, 0.5], dtype=torch.float64))


def test_inputs_have_the_stated_moments() -> None:
    n = 200_000
    x = sample_inputs(2, n, 1, 1, torch.tensor([0.3, 1.0]), generator=torch.Generator().manual_seed(9)).double()
    x = x.reshape(2, n)
    active = (x > 0).double().mean(1)
    assert abs(float(active[0]) - 0.3) < 4 * math.sqrt(0.3 * 0.7 / n)
    mean, second = x.mean(1), (x**2).mean(1)
    for i, p in enumerate((0.3, 1.0)):
        var1, var2 = p / 3 - (p / 2) ** 2, p / 5 - (p / 3) ** 2
        assert abs(float(mean[i]) - p / 2) < 4 * math.sqrt(var1 / n)
        assert abs(float(second[i]) - p / 3) < 4 * math.sqrt(var2 / n)


def test_per_model_delays_match_single_delay() -> None:
    x = sample_inputs(3, 4, 8, 2, 0.5, generator=torch.Generator().manual_seed(10))
    k = torch.tensor([0, 2, 5])
    y = delayed_targets(x, k)
    for m in range(3):
        torch.testing.assert_close(y[m], delayed_targets(x[m], int(k[m])))
    assert torch.all(y[2, :, :5] == 0)


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError, match="p must lie in"):
        sample_inputs(1, 1, 1, 1, 0.0)
    with pytest.raises(ValueError, match="delay k"):
        delayed_targets(torch.zeros(2, 5, 1), 5)
    with pytest.raises(ValueError, match="choose one of"):
        RNNEnsemble("gru", 1, 1, 2)
    with pytest.raises(ValueError, match="tied"):
        RNNEnsemble("relu", 1, 1, 2, tied=True)
    with pytest.raises(ValueError, match="reduction"):
        expected_loss_linear(torch.zeros(2, 1), torch.zeros(2, 2), torch.zeros(2, 1), k=0, seq_len=3, p=0.5,
                             reduction="max")
    with pytest.raises(ValueError, match="choose one of"):
        execute_run("no_such_run")


def test_committed_runs_hold_one_loss_per_member() -> None:
    for name in RUNS:
        payload, _ = load(f"temporal_superposition/{name}")
        assert len(payload["p"]) == payload["loss"].numel() == len(payload["seed_index"])
        assert torch.isfinite(payload["loss"]).all()


@settings(max_examples=25, deadline=None)
@given(st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
def test_rotation_basis_makes_recurrence_a_scaled_rotation(a: float, b: float, c: float, d: float) -> None:
    from tinymech.temporal_superposition.geometry import rotation_basis

    W_h = torch.tensor([[a, b], [c, d]], dtype=torch.float64)
    eigenvalues = torch.linalg.eigvals(W_h)
    P = rotation_basis(W_h)
    if abs(float(eigenvalues[0].imag)) < 1e-6 or abs(float(torch.linalg.det(P))) < 1e-6:
        return
    rotated = torch.linalg.solve(P, W_h @ P)
    assert math.isclose(float(rotated[0, 0]), float(rotated[1, 1]), abs_tol=1e-6)
    assert math.isclose(float(rotated[0, 1]), -float(rotated[1, 0]), abs_tol=1e-6)
    assert math.isclose(float(torch.linalg.det(rotated)) ** 0.5, float(spectral_radius(W_h)), rel_tol=1e-6)


def test_change_of_hidden_basis_keeps_projections_and_k_theta() -> None:
    from tinymech.temporal_superposition.analysis import scalar_geometry

    model = random_ensemble("linear", 3, 1, 2, seed=11)
    w = model.weights()
    A = torch.tensor([[2.0, 0.5], [-0.3, 0.7]], dtype=torch.float64)
    moved = {"W_x": A @ w["W_x"], "W_h": A @ w["W_h"] @ torch.linalg.inv(A),
             "W_y": torch.linalg.inv(A).T @ w["W_y"], "p": torch.ones(3)}
    before = scalar_geometry({**w, "p": torch.ones(3)}, 3, 8)
    after = scalar_geometry(moved, 3, 8)
    torch.testing.assert_close(before["c"], after["c"])
    torch.testing.assert_close(before["k_theta"], after["k_theta"])
    torch.testing.assert_close(before["spectral_radius"], after["spectral_radius"])


def test_minimising_exact_loss_beats_zero_weights_and_reaches_committed_optimum() -> None:
    from tinymech.temporal_superposition.training import minimise_exact_loss

    weights, loss = minimise_exact_loss(p=0.3, k=3, n_restarts=4, max_iter=200)
    zero_loss = 0.3 / 3 * 12 / 15  # predicting 0: p nu on the 12 of 15 steps with a target
    assert float(loss.max()) < zero_loss  # every restart improves on predicting 0 (local minima exist)
    payload, _ = load("temporal_superposition/linear_exact_k3")
    at_p = (payload["p"] - 0.3).abs() < 1e-6
    assert float(loss.min()) >= float(payload["loss"][at_p].min()) - 1e-6  # committed best is no worse


def test_solution_classes_of_handcrafted_geometries() -> None:
    from tinymech.temporal_superposition.analysis import solution_class

    c = torch.tensor([[0.0, -3.0, 0.0, 1.0], [0.1, 0.2, 0.3, 0.3], [0.3, 0.1, -0.5, 0.6]])
    angle = torch.tensor([270.0, 90.0, 450.0])
    assert solution_class(angle, c, 3) == ["sparse", "dense", "other"]


def test_toy_model_reconstruction_shape_and_relu() -> None:
    from tinymech.temporal_superposition.toy_model import ToyModelEnsemble

    model = ToyModelEnsemble(2, 5, 2, generator=torch.Generator().manual_seed(0))
    x = sample_inputs(2, 7, 1, 5, 0.5)[:, :, 0]
    out = model(x)
    assert out.shape == (2, 7, 5) and torch.all(out >= 0)


def synthetic_staircase(drop_decades: list[float], *, n: int = 200, width: float = 0.05) -> tuple[torch.Tensor, torch.Tensor]:
    """Loss with one sharp sigmoidal drop (by a factor 3) at each given log10(step + 1)."""
    from tinymech.temporal_superposition.experiments import log_spaced_steps

    steps = torch.tensor(log_spaced_steps(10_000, n), dtype=torch.float64)
    x = torch.log10(steps + 1)
    log_loss = sum(-math.log10(3) * torch.sigmoid((x - m) / width) for m in drop_decades)
    return steps, 10 ** (log_loss + torch.zeros_like(x))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 3), st.floats(0.6, 1.0))
def test_detect_plateaus_counts_the_steps_of_a_synthetic_staircase(n_steps: int, first: float) -> None:
    from tinymech.temporal_superposition.staircase import detect_plateaus

    drops = [first + 1.0 * j for j in range(n_steps)]
    steps, loss = synthetic_staircase(drops)
    found = detect_plateaus(steps, loss)
    assert found.n_drops == n_steps
    assert len(found.plateaus) == n_steps + 1
    for drop, step in zip(drops, found.drop_steps):
        assert abs(math.log10(step + 1) - drop) < 0.15


def test_detect_plateaus_sees_no_plateau_in_a_power_law_and_rejects_bad_input() -> None:
    from tinymech.temporal_superposition.staircase import detect_plateaus

    steps = torch.arange(1, 1000, dtype=torch.float64)
    found = detect_plateaus(steps, (steps + 1) ** -1.0)
    assert found.plateaus == [] and found.n_drops == 1
    with pytest.raises(ValueError, match="positive"):
        detect_plateaus(steps, torch.zeros_like(steps))
    with pytest.raises(ValueError, match="increasing"):
        detect_plateaus(steps.flip(0), steps)


def test_departure_steps_and_readout_cosines_on_a_rotation() -> None:
    from tinymech.temporal_superposition.staircase import departure_steps, readout_cosines

    theta = math.radians(30)
    W_h = torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]]) * 0.5
    cos = readout_cosines(torch.tensor([[1.0], [0.0]]), W_h, torch.tensor([[1.0], [0.0]]), 4)
    assert torch.allclose(cos, torch.cos(torch.arange(4) * theta), atol=1e-6)  # w_s is s * 30 degrees away
    steps = torch.arange(100)
    angles = torch.stack([torch.where(steps < t, 0.0, 90.0) for t in (30, 10, 70)], dim=1)
    trajectories = torch.cos(torch.deg2rad(angles))
    assert departure_steps(steps, trajectories, start=0).tolist() == [30, 10, 70]
    assert departure_steps(steps, trajectories, start=80).tolist() == [80, 80, 80]
    assert departure_steps(steps, torch.ones(100, 2), start=0).tolist() == [-1, -1]
    with pytest.raises(ValueError, match="angle_deg"):
        departure_steps(steps, trajectories, start=0, angle_deg=0.0)


def test_small_initialisation_scales_the_initial_weights() -> None:
    big = RNNEnsemble("linear", 3, 1, 2, generator=torch.Generator().manual_seed(0))
    small = RNNEnsemble("linear", 3, 1, 2, generator=torch.Generator().manual_seed(0), init_scale=1e-2)
    assert torch.allclose(small.W_h, 1e-2 * big.W_h) and torch.allclose(small.W_y, 1e-2 * big.W_y)
    with pytest.raises(ValueError, match="init_scale"):
        RNNEnsemble("linear", 1, 1, 2, init_scale=0.0)
