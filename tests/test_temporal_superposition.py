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
    swept_angle,
)
from tinymech.stats import spectral_radius
from tinymech.errors import InvalidInputError
from tinymech.catalog import load
from tinymech.temporal_superposition.experiments import RUNS, compute_run
from tinymech.temporal_superposition.models import RNNEnsemble
from tinymech.temporal_superposition.task import (
    delayed_targets,
    feature_importance,
    sample_inputs,
)

torch.set_num_threads(1)


def random_ensemble(
    kind: str, n_models: int, n_inputs: int, n_hidden: int, seed: int
) -> RNNEnsemble:
    return RNNEnsemble(
        kind, n_models, n_inputs, n_hidden, generator=torch.Generator().manual_seed(seed)
    ).double()


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
    mean, se = monte_carlo_loss(
        model,
        k=3,
        seq_len=15,
        p=p,
        n_sequences=40_000,
        generator=torch.Generator().manual_seed(2),
    )
    assert torch.all((exact - mean).abs() < 4 * se), (exact, mean, se)


@pytest.mark.parametrize("p", [0.5, 0.05])
def test_exact_loss_matches_monte_carlo_vector_input_with_importance(p: float) -> None:
    model = random_ensemble("linear", 2, 5, 3, seed=3)
    w = model.weights()
    importance = feature_importance(5, 0.7).double()
    exact = expected_loss_linear(
        w["W_x"],
        w["W_h"],
        w["W_y"],
        k=2,
        seq_len=10,
        p=p,
        importance=importance,
        reduction="sum",
    )
    mean, se = monte_carlo_loss(
        model,
        k=2,
        seq_len=10,
        p=p,
        n_sequences=30_000,
        importance=importance,
        generator=torch.Generator().manual_seed(4),
        reduction="sum",
    )
    assert torch.all((exact - mean).abs() < 4 * se), (exact, mean, se)


def test_exact_loss_matches_monte_carlo_trained_weights() -> None:
    payload, meta = load("temporal_superposition/linear_k3")
    chosen = [0, len(payload["p"]) // 2, len(payload["p"]) - 1]
    for i in chosen:
        model = RNNEnsemble.from_weights(
            "linear", *(payload[n][i : i + 1].double() for n in ("W_x", "W_h", "W_y"))
        )
        p = float(payload["p"][i])
        mean, se = monte_carlo_loss(
            model,
            k=3,
            seq_len=meta["seq_len"],
            p=p,
            n_sequences=40_000,
            generator=torch.Generator().manual_seed(i),
        )
        assert abs(float(payload["loss"][i]) - float(mean)) < 4 * float(se)


def test_loss_terms_add_up_to_exact_loss() -> None:
    model = random_ensemble("linear", 4, 1, 2, seed=5)
    w = model.weights()
    c = projections(w["W_y"], feature_directions(w["W_x"], w["W_h"], 15))[..., 0, 0]
    for p in (1.0, 0.2):
        terms = loss_terms_linear(c, k=3, p=p, reduction="sum")
        exact = expected_loss_linear(
            w["W_x"], w["W_h"], w["W_y"], k=3, seq_len=15, p=p, reduction="sum"
        )
        torch.testing.assert_close(sum(terms.values()), exact)


@pytest.mark.parametrize("k", [0, 1, 4])
def test_delay_line_has_zero_loss_and_zero_weights_cost_the_signal(k: int) -> None:
    model = delay_line(k)
    w = model.weights()
    for p in (1.0, 0.1):
        assert (
            float(expected_loss_linear(w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p))
            == 0.0
        )
        assert (
            float(sparse_limit_loss_relu(w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p))
            == 0.0
        )
        zero = expected_loss_linear(
            0 * w["W_x"], w["W_h"], w["W_y"], k=k, seq_len=k + 6, p=p, reduction="sum"
        )
        assert math.isclose(
            float(zero), p / 3 * 6, rel_tol=1e-12
        )  # p nu per step with a target


def test_sparse_limit_matches_monte_carlo_for_small_p() -> None:
    model = random_ensemble("ssm", 3, 1, 2, seed=6)
    w = model.weights()
    p = 0.01
    approx = sparse_limit_loss_relu(w["W_x"], w["W_h"], w["W_y"], k=3, seq_len=15, p=p)
    mean, se = monte_carlo_loss(
        model,
        k=3,
        seq_len=15,
        p=p,
        n_sequences=60_000,
        generator=torch.Generator().manual_seed(7),
    )
    # O(p^2) correction: a few percent at p = 0.01
    assert torch.all((approx - mean).abs() < 4 * se + 0.05 * approx), (approx, mean, se)


def test_negative_projections_are_free_in_sparse_limit() -> None:
    w_x = torch.tensor([[[1.0], [0.0]]], dtype=torch.float64)
    rotation = torch.tensor(
        [[[0.0, -1.0], [1.0, 0.0]]], dtype=torch.float64
    )  # 90 degrees a step
    readout = feature_directions(w_x, rotation, 4)[:, 3]  # w_y = w_3
    loss = sparse_limit_loss_relu(
        w_x, rotation, readout, k=3, seq_len=4, p=0.1, reduction="sum"
    )
    # c_0 = c_2 = 0, c_1 = -1 (free), c_3 = 1 (perfect recall): no cost at leading order
    assert float(loss) == 0.0


@settings(max_examples=20, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(2, 8),
    st.sampled_from(["linear", "ssm"]),
    st.integers(0, 1000),
)
def test_time_loop_and_convolution_agree(
    n_inputs: int, n_hidden: int, seq_len: int, kind: str, seed: int
) -> None:
    model = random_ensemble(kind, 2, n_inputs, n_hidden, seed)
    x = sample_inputs(
        2, 3, seq_len, n_inputs, 0.5, generator=torch.Generator().manual_seed(seed)
    ).double()
    loop = model.run_with_trace(x, record_hidden=True).output
    fast = model.run_with_trace(x, record_hidden=False).output
    torch.testing.assert_close(loop, fast)


def test_impulse_response_equals_feature_directions_for_linear_recurrence() -> None:
    model = random_ensemble("ssm", 3, 2, 3, seed=8)
    hidden, readout = impulse_response(model, 6, feature=1)
    w = feature_directions(model.W_x.detach(), model.W_h.detach(), 6)[..., 1]
    torch.testing.assert_close(hidden, w)
    torch.testing.assert_close(
        readout,
        projections(
            model.W_y.detach(), feature_directions(model.W_x.detach(), model.W_h.detach(), 6)
        )[..., 1],
    )


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 1.5), st.floats(1.0, 179.0), st.integers(1, 5))
def test_rotation_gives_swept_angle_spectral_radius_and_eigen_angle(
    rho: float, theta: float, k: int
) -> None:
    angle = math.radians(theta)
    W_h = rho * torch.tensor(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]],
        dtype=torch.float64,
    )
    W_x = torch.tensor([[1.0], [0.0]], dtype=torch.float64)
    w = feature_directions(W_x, W_h, k + 1)[..., 0]
    assert math.isclose(float(swept_angle(w, k)), k * theta, rel_tol=1e-9)
    assert math.isclose(float(spectral_radius(W_h)), rho, rel_tol=1e-9)
    assert math.isclose(float(eigen_angle(W_h)), theta, rel_tol=1e-6)


def test_feature_dimensionality_known_geometries() -> None:
    angles = torch.arange(5, dtype=torch.float64) * 2 * math.pi / 5
    pentagon = torch.stack([angles.cos(), angles.sin()])
    torch.testing.assert_close(
        feature_dimensionality(pentagon), torch.full((5,), 0.4, dtype=torch.float64)
    )
    orthogonal_and_dead = torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(
        feature_dimensionality(orthogonal_and_dead),
        torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64),
    )
    antipodal = torch.tensor([[1.0, -1.0]], dtype=torch.float64)
    torch.testing.assert_close(
        feature_dimensionality(antipodal), torch.tensor([0.5, 0.5], dtype=torch.float64)
    )


def test_inputs_have_the_stated_moments() -> None:
    n = 200_000
    x = sample_inputs(
        2, n, 1, 1, torch.tensor([0.3, 1.0]), generator=torch.Generator().manual_seed(9)
    ).double()
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
        expected_loss_linear(
            torch.zeros(2, 1),
            torch.zeros(2, 2),
            torch.zeros(2, 1),
            k=0,
            seq_len=3,
            p=0.5,
            reduction="max",
        )
    with pytest.raises(ValueError, match="choose one of"):
        compute_run("no_such_run")


def test_committed_runs_hold_one_loss_per_member() -> None:
    for name in RUNS:
        payload, _ = load(f"temporal_superposition/{name}")
        assert len(payload["p"]) == payload["loss"].numel() == len(payload["seed_index"])
        assert torch.isfinite(payload["loss"]).all()


@settings(max_examples=25, deadline=None)
@given(st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
def test_rotation_basis_makes_recurrence_a_scaled_rotation(
    a: float, b: float, c: float, d: float
) -> None:
    from tinymech.temporal_superposition.geometry import rotation_basis

    W_h = torch.tensor([[a, b], [c, d]], dtype=torch.float64)
    eigenvalues = torch.linalg.eigvals(W_h)
    P = rotation_basis(W_h)
    if abs(float(eigenvalues[0].imag)) < 1e-6 or abs(float(torch.linalg.det(P))) < 1e-6:
        return
    rotated = torch.linalg.solve(P, W_h @ P)
    assert math.isclose(float(rotated[0, 0]), float(rotated[1, 1]), abs_tol=1e-6)
    assert math.isclose(float(rotated[0, 1]), -float(rotated[1, 0]), abs_tol=1e-6)
    assert math.isclose(
        float(torch.linalg.det(rotated)) ** 0.5, float(spectral_radius(W_h)), rel_tol=1e-6
    )


def test_change_of_hidden_basis_keeps_projections_and_k_theta() -> None:
    from tinymech.temporal_superposition.analysis import scalar_geometry

    model = random_ensemble("linear", 3, 1, 2, seed=11)
    w = model.weights()
    A = torch.tensor([[2.0, 0.5], [-0.3, 0.7]], dtype=torch.float64)
    moved = {
        "W_x": A @ w["W_x"],
        "W_h": A @ w["W_h"] @ torch.linalg.inv(A),
        "W_y": torch.linalg.inv(A).T @ w["W_y"],
        "p": torch.ones(3),
    }
    before = scalar_geometry({**w, "p": torch.ones(3)}, 3, 8)
    after = scalar_geometry(moved, 3, 8)
    torch.testing.assert_close(before["c"], after["c"])
    torch.testing.assert_close(before["k_theta"], after["k_theta"])
    torch.testing.assert_close(before["spectral_radius"], after["spectral_radius"])


def test_minimising_exact_loss_beats_zero_weights_and_reaches_committed_optimum() -> None:
    from tinymech.temporal_superposition.training import minimise_exact_loss

    weights, loss = minimise_exact_loss(p=0.3, k=3, n_restarts=4, max_iter=200)
    zero_loss = 0.3 / 3 * 12 / 15  # predicting 0: p nu on the 12 of 15 steps with a target
    assert (
        float(loss.max()) < zero_loss
    )  # every restart improves on predicting 0 (local minima exist)
    payload, _ = load("temporal_superposition/linear_exact_k3")
    at_p = (payload["p"] - 0.3).abs() < 1e-6
    assert (
        float(loss.min()) >= float(payload["loss"][at_p].min()) - 1e-6
    )  # committed best is no worse


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


def synthetic_staircase(
    drop_decades: list[float], *, n: int = 200, width: float = 0.05
) -> tuple[torch.Tensor, torch.Tensor]:
    """Loss with one sharp sigmoidal drop (by a factor 3) at each given log10(step + 1)."""
    from tinymech.temporal_superposition.experiments import log_snapshot_steps

    steps = torch.tensor(log_snapshot_steps(10_000, n), dtype=torch.float64)
    x = torch.log10(steps + 1)
    log_loss = sum(-math.log10(3) * torch.sigmoid((x - m) / width) for m in drop_decades)
    return steps, 10 ** (log_loss + torch.zeros_like(x))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 3), st.floats(0.6, 1.0))
def test_detect_plateaus_counts_the_steps_of_a_synthetic_staircase(
    n_steps: int, first: float
) -> None:
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
    W_h = (
        torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        * 0.5
    )
    cos = readout_cosines(torch.tensor([[1.0], [0.0]]), W_h, torch.tensor([[1.0], [0.0]]), 4)
    assert torch.allclose(
        cos, torch.cos(torch.arange(4) * theta), atol=1e-6
    )  # w_s is s * 30 degrees away
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
    small = RNNEnsemble(
        "linear", 3, 1, 2, generator=torch.Generator().manual_seed(0), init_scale=1e-2
    )
    assert torch.allclose(small.W_h, 1e-2 * big.W_h) and torch.allclose(
        small.W_y, 1e-2 * big.W_y
    )
    with pytest.raises(ValueError, match="init_scale"):
        RNNEnsemble("linear", 1, 1, 2, init_scale=0.0)


# --- snapshot schedule, deterministic sampling -------------------------------------------------------


def test_log_snapshot_steps_is_the_schedule_of_every_committed_run() -> None:
    from tinymech.temporal_superposition.experiments import log_snapshot_steps

    checked = 0
    for name, cfg in RUNS.items():
        if cfg.snapshot_log > 0:
            payload, _ = load(f"temporal_superposition/{name}")
            assert payload["snapshot_step"].tolist() == list(
                log_snapshot_steps(cfg.steps, cfg.snapshot_log)
            )
            checked += 1
    assert checked >= 2
    steps = log_snapshot_steps(4000, 120)
    assert (
        steps[0] == 0
        and steps[-1] == 3999
        and len(steps) == 94
        and list(steps) == sorted(set(steps))
    )
    with pytest.raises(InvalidInputError, match="count >= 3"):
        log_snapshot_steps(4000, 2)


def test_sparse_input_stream_is_reproducible_and_has_the_stated_moments() -> None:
    from tinymech.temporal_superposition.task import CHUNK_SEQUENCES, sparse_input_stream

    n = CHUNK_SEQUENCES + 1000  # two chunks
    p = torch.tensor([0.3, 1.0])
    x = torch.cat(list(sparse_input_stream(2, n, 3, 1, p, seed=5)), dim=1)
    again = torch.cat(list(sparse_input_stream(2, n, 3, 1, p, seed=5)), dim=1)
    fewer = torch.cat(list(sparse_input_stream(2, 100, 3, 1, p, seed=5)), dim=1)
    other = torch.cat(list(sparse_input_stream(2, 100, 3, 1, p, seed=6)), dim=1)
    assert x.shape == (2, n, 3, 1) and x.dtype == torch.float64
    assert (
        torch.equal(x, again)
        and torch.equal(x[:, :100], fewer)
        and not torch.equal(fewer, other)
    )
    values = x.reshape(2, -1)
    count = values.shape[1]
    for i, prob in enumerate(p.tolist()):
        active = float((values[i] > 0).double().mean())
        assert abs(active - prob) < 4 * math.sqrt(prob * (1 - prob) / count) + 1e-12
        var1, var2 = prob / 3 - (prob / 2) ** 2, prob / 5 - (prob / 3) ** 2
        assert abs(float(values[i].mean()) - prob / 2) < 4 * math.sqrt(var1 / count)
        assert abs(float((values[i] ** 2).mean()) - prob / 3) < 4 * math.sqrt(var2 / count)
    with pytest.raises(InvalidInputError, match="seed"):
        next(sparse_input_stream(1, 1, 1, 1, 0.5, seed=-1))
    with pytest.raises(InvalidInputError, match="p must lie"):
        next(sparse_input_stream(1, 1, 1, 1, float("nan"), seed=0))


@pytest.mark.parametrize("p", [1.0, 0.3, 0.05])
def test_exact_loss_matches_numpy_monte_carlo_and_the_truncated_formula_does_not(
    p: float,
) -> None:
    from tinymech.temporal_superposition.exact_loss import exact_versus_sampled

    payload, _ = load("temporal_superposition/linear_exact_k3")
    best = int(payload["loss"][(payload["p"] - p).abs() < 1e-6].argmin()) + int(
        torch.nonzero((payload["p"] - p).abs() < 1e-6)[0]
    )
    weights = {n: payload[n][best] for n in ("W_x", "W_h", "W_y")}
    r = exact_versus_sampled(weights, k=3, seq_len=15, p=p, n_sequences=30_000, seed=11)
    assert abs(r["z"]) < 4
    if (
        p >= 0.3
    ):  # composition interference is of order p^2: the comparison can reject its omission at dense p
        assert abs(r["z_without_composition"]) > 10
    again = exact_versus_sampled(weights, k=3, seq_len=15, p=p, n_sequences=30_000, seed=11)
    assert again == r  # the same numbers from the same seed


def test_monte_carlo_loss_refuses_two_sources_of_randomness() -> None:
    model = random_ensemble("linear", 1, 1, 2, seed=0)
    with pytest.raises(InvalidInputError, match="not both"):
        monte_carlo_loss(
            model, k=1, seq_len=4, p=0.5, n_sequences=10, seed=0, generator=torch.Generator()
        )


def test_sparse_limit_control_charges_what_the_relu_makes_free() -> None:
    from tinymech.temporal_superposition.exact_loss import sparse_limit_versus_sampled

    theta = (
        math.pi / 2
    )  # a quarter turn a step: with w_y = w_3, c_1 = -1 is parked, c_0 = c_2 = 0
    W_h = torch.tensor(
        [[[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]]],
        dtype=torch.float64,
    )
    W_h = 0.5 * W_h
    W_x = torch.tensor([[[1.0], [0.0]]], dtype=torch.float64)
    W_y = feature_directions(W_x, W_h, 4)[:, 3] / 0.5**6  # c_3 = 1
    p = 0.01
    r = sparse_limit_versus_sampled(
        {"W_x": W_x, "W_h": W_h, "W_y": W_y}, k=3, seq_len=8, p=p, n_sequences=20_000, seed=1
    )
    c = projections(W_y, feature_directions(W_x, W_h, 8))[0, :, 0, 0]
    positive_cost = sum(float(torch.relu(c[s])) ** 2 * (8 - s) for s in range(8) if s != 3)
    assert math.isclose(r["sparse_limit"], p / 3 * positive_cost / 8, rel_tol=1e-9)
    negative_cost = sum(float(c[s]) ** 2 * (8 - s) for s in range(8) if s != 3 and c[s] < 0)
    assert math.isclose(
        r["linear_leading_order"] - r["sparse_limit"], p / 3 * negative_cost / 8, rel_tol=1e-9
    )
    assert r["linear_gap"] > r["gap"] + 4 * r["gap_error"]


def test_feature_recall_of_a_delay_line_and_of_a_silent_network() -> None:
    from tinymech.temporal_superposition.analysis import feature_recall

    perfect = feature_recall(delay_line(2), k=2, p=0.2, n_sequences=500, seed=1)
    torch.testing.assert_close(perfect, torch.ones(1, 1, dtype=torch.float64))
    line = delay_line(2)
    silent = RNNEnsemble.from_weights(
        "linear", line.W_x.detach(), line.W_h.detach(), 0 * line.W_y.detach()
    )
    torch.testing.assert_close(
        feature_recall(silent, k=2, p=0.2, n_sequences=500, seed=1),
        torch.zeros(1, 1, dtype=torch.float64),
    )


def test_random_weights_are_reproducible_and_in_the_initial_range() -> None:
    from tinymech.temporal_superposition.models import random_weights

    a, b = random_weights(3, 2, 4, seed=7), random_weights(3, 2, 4, seed=7)
    assert (
        a["W_x"].shape == (3, 4, 2)
        and a["W_h"].shape == (3, 4, 4)
        and a["W_y"].shape == (3, 4, 2)
    )
    for name in a:
        assert torch.equal(a[name], b[name]) and a[name].dtype == torch.float64
        assert float(a[name].abs().max()) <= 0.5  # 1 / sqrt(4)
    with pytest.raises(InvalidInputError):
        random_weights(0, 1, 1, seed=0)


# --- the staircase reading ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("departures", "order"),
    [
        ([10, 20, 30, -1], "in order"),
        ([10, 20, 20, 40], "tie"),
        ([10, 20, -1, 5], "incomplete"),
        ([10, 30, 20, -1], "out of order"),
        ([30, -1, 10, -1], "out of order"),
    ],
)
def test_departure_order_counts_only_strict_order(departures: list[int], order: str) -> None:
    from tinymech.temporal_superposition.staircase import departure_order

    assert departure_order(torch.tensor(departures), 3) == order


def test_departure_order_needs_two_directions() -> None:
    from tinymech.temporal_superposition.staircase import departure_order

    with pytest.raises(InvalidInputError, match="k >= 2"):
        departure_order(torch.tensor([1, 2]), 1)


def synthetic_run(leave_at: list[float]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A two-step staircase; all directions aligned on the middle plateau, leaving at the given log10 steps."""
    steps, loss = synthetic_staircase([1.0, 2.5])
    x = torch.log10(steps + 1)
    cosines = torch.stack(
        [torch.where((x > 0.5) & (x < t), 1.0, 0.0) for t in leave_at], dim=1
    ).double()
    return steps, loss, cosines


def test_read_staircase_finds_alignment_then_ordered_or_tied_departures() -> None:
    from tinymech.temporal_superposition.staircase import read_staircase

    steps, loss, cosines = synthetic_run([2.2, 2.4, 2.6, 9.0])
    reading = read_staircase(steps, loss, cosines, k=3)
    assert reading.is_staircase and reading.found.n_drops == 2 and reading.order == "in order"
    assert reading.alignment == 1.0 and math.log10(reading.align_step + 1) > 0.5
    assert reading.departures[3] == -1
    steps, loss, cosines = synthetic_run([2.2, 2.2, 2.6, 9.0])
    assert read_staircase(steps, loss, cosines, k=3).order == "tie"
    one_drop = synthetic_staircase([1.0])[1]
    assert not read_staircase(steps, one_drop, cosines, k=3).is_staircase
    never_aligned = cosines.clone()
    never_aligned[:, 0] = 0.5
    assert not read_staircase(steps, loss, never_aligned, k=3).is_staircase


def test_the_committed_small_init_runs_read_as_before() -> None:
    from tinymech.temporal_superposition.staircase import read_staircase, readout_cosines

    run, _ = load("temporal_superposition/linear_k3_small_init")
    cosines = readout_cosines(
        run["snapshot_W_x"].double(),
        run["snapshot_W_h"].double(),
        run["snapshot_W_y"].double(),
        6,
    )
    reading = read_staircase(
        run["snapshot_step"], run["snapshot_loss"][:, 0].double(), cosines[:, 0], k=3
    )
    assert (
        reading.is_staircase and reading.order == "in order"
    )  # seed 0 at p = 1: w_0, w_1, w_2 leave in turn


# --- analysis: shares, classes, transition, recall -----------------------------------------------------


def test_interference_free_share_and_signs_on_handcrafted_projections() -> None:
    from tinymech.temporal_superposition.analysis import (
        interference_free_share,
        off_target_signs,
    )

    c = torch.tensor(
        [0.0, -3.0, 0.0, 1.0, 0.0, -0.4], dtype=torch.float64
    )  # the sparse SSM's pattern, k = 3
    assert float(interference_free_share(c[:, None, None], 3)) == 1.0
    symmetric = torch.tensor([0.5, -0.5, 0.3, 7.0, -0.3], dtype=torch.float64)
    assert math.isclose(float(interference_free_share(symmetric[:, None, None], 3)), 0.5)
    C = torch.zeros(3, 2, 2, dtype=torch.float64)
    C[1] = torch.tensor(
        [[5.0, -0.2], [0.1, 5.0]]
    )  # the diagonal at k = 1 is recall, not interference
    C[0, 0, 1], C[2, 1, 0], C[2, 0, 0] = -0.3, 0.04, -1.0
    assert off_target_signs(C, 1) == (
        3,
        4,
    )  # -0.2, -0.3, -1.0 negative; 0.1 positive; 0.04 negligible
    assert math.isclose(
        float(interference_free_share(C, 1)),
        (0.04 + 0.09 + 1.0) / (0.04 + 0.01 + 0.09 + 0.0016 + 1.0),
    )
    with pytest.raises(InvalidInputError):
        interference_free_share(c, 3)


def test_transition_summaries_of_a_handcrafted_table() -> None:
    from tinymech.temporal_superposition.analysis import (
        expected_class_fraction,
        radius_gap,
        transition_point,
    )

    rows = [
        ("dense", 1.0, 0.8),
        ("other", 0.5, 0.9),
        ("sparse", 0.3, 0.6),
        ("dense", 0.2, 0.7),
        ("sparse", 0.1, 0.5),
        ("sparse", 0.05, 0.4),
    ]
    table = [{"best_class": c, "p": p, "spectral_radius": r} for c, p, r in rows]
    assert expected_class_fraction(table, dense_at=(1.0, 0.5), sparse_at=(0.1, 0.05, 0.01)) == (
        3,
        4,
    )
    assert transition_point(table) == 0.1  # p = 0.2 is dense, so 0.3 does not count
    assert transition_point(table[:1]) is None
    assert math.isclose(
        radius_gap(table, dense_at=(1.0, 0.5), sparse_at=(0.1, 0.05)), 0.5 - 0.8
    )
    with pytest.raises(InvalidInputError):
        radius_gap(table, dense_at=(0.7,), sparse_at=(0.1,))


def test_sharp_recall_and_kept_features_rules() -> None:
    from tinymech.temporal_superposition.analysis import kept_features, sharp_recall

    c = torch.tensor(
        [
            [-0.2, -0.6, 0.0, 1.0, 0.005, 0.0],  # the claimed picture
            [-0.2, 0.3, 0.0, 1.0, 0.0, 0.0],  # an intermediate readout > 0.05
            [-0.2, -0.6, 0.0, 1.0, 0.2, 0.0],  # slow forgetting
            [0.0, 0.0, 0.0, 0.5, 0.0, 0.0],
        ]
    )  # poor recall
    assert sharp_recall(c, 3).tolist() == [True, False, False, False]
    kept, between = kept_features(torch.tensor([[0.99, 0.9, 0.1], [0.95, 0.5, 0.0]]))
    assert kept == [[0, 1], [0]] and between == 1


def test_spiral_sink_band_and_neighbour_gaps() -> None:
    from tinymech.temporal_superposition.analysis import is_spiral_sink
    from tinymech.temporal_superposition.geometry import neighbour_gaps

    angles = torch.tensor([90.0, 90.0, 0.0, 540.0, 200.0])
    radius = torch.tensor([0.8, 1.2, 0.8, 0.8, 0.8])
    assert is_spiral_sink(angles, radius).tolist() == [True, False, False, False, False]
    turn = torch.arange(5, dtype=torch.float64) * 2 * math.pi / 5
    gaps = neighbour_gaps(torch.stack([turn.cos(), turn.sin()]))
    torch.testing.assert_close(gaps, torch.full((5,), 72.0, dtype=torch.float64))
    cross = torch.tensor(
        [[1.0, 0.0, -1.0, 0.0, 0.3], [0.0, 1.0, 0.0, -1.0, 0.3]], dtype=torch.float64
    )
    active = torch.tensor([True, True, True, True, False])
    torch.testing.assert_close(
        neighbour_gaps(cross, active), torch.full((4,), 90.0, dtype=torch.float64)
    )
    with pytest.raises(InvalidInputError):
        neighbour_gaps(cross, torch.tensor([True, False, False, False, False]))


def test_committed_tied_runs_have_the_readout_tied_to_the_output_direction() -> None:
    for name, k in (("ssm_k3_tied", 3), ("ssm_k5_tied", 5)):
        payload, record = load(f"temporal_superposition/{name}")
        assert record["tied"] and RUNS[name].tied
        output_direction = (
            torch.linalg.matrix_power(payload["W_h"].double(), k) @ payload["W_x"].double()
        )
        torch.testing.assert_close(
            payload["W_y"].double(), output_direction, rtol=1e-5, atol=1e-6
        )
