"""Tests for tinymech.tms, the tied toy model of superposition y = ReLU(W^T W x + b): closed forms and known models."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech import tms
from tinymech.errors import InvalidInputError

torch.set_num_threads(1)


@pytest.mark.parametrize("n, expected", [(3, 2 / 3), (4, 1.0), (6, 2.0)])
def test_zero_loss_radius_of_small_polygons(n, expected):
    assert tms.zero_loss_radius_squared(n) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("n", [5, 6, 7, 8, 12])
def test_regular_polygon_has_zero_loss_exactly_from_the_threshold_radius(n):
    threshold = tms.zero_loss_radius_squared(n)
    for radius_squared in (threshold, threshold + 0.5, 3 * threshold):
        W, b = tms.regular_polygon(n, radius_squared, phase=0.3)
        assert (
            float(tms.loss(W[None], b[None])) <= 1e-28
        )  # rounding of the zero neighbour outputs only
        Y = tms.reconstruct(W[None], b[None])[0]
        torch.testing.assert_close(Y, torch.eye(n, dtype=torch.float64), rtol=0, atol=1e-14)


@pytest.mark.parametrize("n", [5, 7, 8])
def test_regular_polygon_below_the_threshold_leaks_into_both_neighbours(n):
    """Just below the threshold each example's two neighbours read 1 - r^2 (1 - cos(2 pi / n)) > 0, nothing else."""
    threshold = tms.zero_loss_radius_squared(n)
    radius_squared = 0.97 * threshold
    assert radius_squared > 1 / (
        1 - math.cos(4 * math.pi / n)
    )  # second neighbours stay cut by the ReLU
    leak = 1 - radius_squared * (1 - math.cos(2 * math.pi / n))
    W, b = tms.regular_polygon(n, radius_squared)
    # Elhage et al.'s loss: sum over features, mean over the n examples; MSE: mean over n^2 entries
    assert float(tms.loss(W[None], b[None])) == pytest.approx(2 * leak**2, rel=1e-12)
    assert float(tms.mean_squared_error(W[None], b[None])) == pytest.approx(
        2 * leak**2 / n, rel=1e-12
    )


@pytest.mark.parametrize("n", [6, 7, 8])
def test_symmetric_failure_loss_is_the_dead_outputs_least_squares_error(n):
    """W_d = 0, b_d = 1/n, the rest a zero-loss (n-1)-gon: the dead output errs by (n-1)/n over the n examples."""
    W, b = tms.regular_polygon(n, tms.zero_loss_radius_squared(n - 1) + 1.0, dead=n - 1)
    assert float(tms.loss(W[None], b[None])) == pytest.approx((n - 1) / n**2, rel=1e-12)
    assert float(tms.mean_squared_error(W[None], b[None])) == pytest.approx(
        (n - 1) / n**3, rel=1e-12
    )
    errors = tms.squared_errors(W[None], b[None])[0]
    assert float(errors[:, : n - 1].sum()) <= 1e-28  # the live outputs are exact
    assert float(errors[:, n - 1].sum()) == pytest.approx((n - 1) / n, rel=1e-12)


def test_the_identity_dataset_is_the_identity_input():
    generator = torch.Generator().manual_seed(0)
    W = torch.randn(5, 2, 7, generator=generator, dtype=torch.float64)
    b = torch.randn(5, 7, generator=generator, dtype=torch.float64)
    x = tms.identity_inputs(7, models=5)
    assert torch.equal(tms.preactivations(W, b), tms.preactivations(W, b, x))
    assert torch.equal(tms.squared_errors(W, b), tms.squared_errors(W, b, x))


def test_antipodal_pair_reconstructs_one_active_feature_and_weights_the_interference():
    """Elhage et al.'s n = 2, m = 1 antipodal pair W = [1, -1], b = 0: exact on one-hot inputs; with both
    features on (a > c), the output is (a - c, 0), so the error is c^2 on each feature."""
    W = torch.tensor([[[1.0, -1.0]]], dtype=torch.float64)
    b = torch.zeros(1, 2, dtype=torch.float64)
    a, c = 0.7, 0.25
    x = torch.tensor([[[0.6, 0.0], [0.0, 0.3], [a, c]]], dtype=torch.float64)
    y = tms.reconstruct(W, b, x)
    torch.testing.assert_close(y[0, :2], x[0, :2], rtol=0, atol=0)
    torch.testing.assert_close(
        y[0, 2], torch.tensor([a - c, 0.0], dtype=torch.float64), rtol=0, atol=1e-15
    )
    importance = torch.tensor([1.0, 0.5], dtype=torch.float64)
    # only the third input errs: (1 + 0.5) c^2, averaged over the batch of three
    assert float(tms.loss(W, b, x, importance)) == pytest.approx(1.5 * c**2 / 3, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(angle=st.floats(-math.pi, math.pi), seed=st.integers(0, 10_000))
def test_rotating_the_latent_space_changes_nothing(angle, seed):
    """The model sees W only through W^T W."""
    generator = torch.Generator().manual_seed(seed)
    W = torch.randn(3, 2, 6, generator=generator, dtype=torch.float64)
    b = 0.1 * torch.randn(3, 6, generator=generator, dtype=torch.float64)
    x = torch.rand(3, 10, 6, generator=generator, dtype=torch.float64)
    rotation = torch.tensor(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]],
        dtype=torch.float64,
    )
    torch.testing.assert_close(
        tms.loss(rotation @ W, b, x), tms.loss(W, b, x), rtol=1e-12, atol=1e-15
    )


def test_the_temporal_chapters_toy_model_is_this_model():
    from tinymech.temporal_superposition.toy_model import ToyModelEnsemble

    model = ToyModelEnsemble(3, 5, 2, generator=torch.Generator().manual_seed(0))
    x = torch.rand(3, 8, 5, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert torch.equal(model(x), tms.reconstruct(model.W, model.b, x))


def test_bad_input_raises_a_clear_error():
    W, b = torch.zeros(2, 2, 5), torch.zeros(2, 5)
    with pytest.raises(InvalidInputError, match=r"W must have shape \(models, m, n\)"):
        tms.reconstruct(W[0], b)
    with pytest.raises(InvalidInputError, match=r"b must have shape"):
        tms.reconstruct(W, b[:, :4])
    with pytest.raises(InvalidInputError, match=r"x must have shape"):
        tms.reconstruct(W, b, torch.zeros(2, 3, 4))
    with pytest.raises(InvalidInputError, match=r"importance must have shape"):
        tms.loss(W, b, torch.zeros(2, 3, 5), torch.ones(4))
    with pytest.raises(InvalidInputError, match="n >= 3"):
        tms.regular_polygon(2, 1.0)
    with pytest.raises(InvalidInputError, match="feature index"):
        tms.regular_polygon(6, 2.0, dead=6)
