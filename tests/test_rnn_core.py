"""The RNN substrate: model layout, tasks, trace, standardization, training schedule."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.standardization import permute, rescale, standardize
from tinymech.algzoo.tasks import get_task, second_argmax
from tinymech.algzoo.trace import trace
from tinymech.algzoo.training import learning_rate_multiplier
from tinymech.errors import InvalidInputError

finite = st.floats(-3, 3, allow_nan=False, width=64)


def random_weights(rng: np.random.Generator, d: int, n: int) -> RNNWeights:
    return RNNWeights(
        rng.normal(size=d), rng.normal(size=(d, d)) / math.sqrt(d), rng.normal(size=(n, d))
    )


def test_second_argmax_known_answers():
    x = torch.tensor([[3.0, 1.0, 2.0], [0.5, -1.0, 0.7], [-2.0, -1.0, -3.0]])
    assert second_argmax(x).tolist() == [2, 0, 0]


def test_tasks_reject_bad_shapes_and_names():
    with pytest.raises(ValueError, match=r"\(batch, seq_len\)"):
        second_argmax(torch.zeros(3))
    with pytest.raises(ValueError, match="seq_len >= 2"):
        second_argmax(torch.zeros(4, 1))
    with pytest.raises(ValueError, match="2nd_argmax"):
        get_task("third_argmax")


def test_model_keeps_algzoo_state_dict_layout():
    model = ReLURNN(16, 10)
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert shapes == {
        "rnn.weight_ih_l0": (16, 1),
        "rnn.weight_hh_l0": (16, 16),
        "linear.weight": (10, 16),
    }
    assert sum(p.numel() for p in model.parameters()) == 432  # ARC: M16,10 has 432 parameters


def test_trace_matches_torch_forward():
    torch.manual_seed(0)
    model = ReLURNN(5, 4)
    x = torch.randn(64, 4)
    recorded = trace(model, x.numpy())
    assert (
        recorded.hidden.shape
        == recorded.preactivation.shape
        == recorded.activation_pattern.shape
        == (64, 4, 5)
    )
    np.testing.assert_allclose(recorded.logits, model(x).detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(recorded.hidden, np.maximum(recorded.preactivation, 0))


@given(seed=st.integers(0, 2**31), scale=st.floats(1e-3, 1e3))
def test_positive_homogeneity(seed, scale):
    """A bias-free ReLU network satisfies f(c x) = c f(x) for every c > 0."""
    rng = np.random.default_rng(seed)
    weights = random_weights(rng, 4, 3)
    x = rng.normal(size=(8, 3))
    np.testing.assert_allclose(
        trace(weights, scale * x).logits,
        scale * trace(weights, x).logits,
        rtol=1e-9,
        atol=1e-12 * scale,
    )


@given(seed=st.integers(0, 2**31), scales=arrays(np.float64, 3, elements=st.floats(1e-2, 1e2)))
def test_neuron_rescaling_leaves_logits_unchanged(seed, scales):
    rng = np.random.default_rng(seed)
    weights = random_weights(rng, 3, 3)
    x = rng.normal(size=(16, 3))
    np.testing.assert_allclose(
        trace(rescale(weights, scales), x).logits,
        trace(weights, x).logits,
        rtol=1e-9,
        atol=1e-9,
    )


def test_standardize_gives_unit_input_weights_and_same_logits():
    rng = np.random.default_rng(3)
    weights = random_weights(rng, 6, 3)
    standardized = standardize(weights)
    np.testing.assert_allclose(np.abs(standardized.W_hi), 1.0)
    assert np.all(np.diff((standardized.W_hi < 0).astype(int)) >= 0), (
        "positive-input neurons come first"
    )
    x = rng.normal(size=(32, 3))
    np.testing.assert_allclose(
        trace(standardized, x).logits, trace(weights, x).logits, rtol=1e-9, atol=1e-9
    )


def test_rescale_and_permute_reject_bad_arguments():
    weights = random_weights(np.random.default_rng(0), 2, 2)
    with pytest.raises(ValueError, match="positive"):
        rescale(weights, [1.0, -1.0])
    with pytest.raises(ValueError, match="shape"):
        rescale(weights, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="permutation"):
        permute(weights, [0, 0])


def test_learning_rate_schedule_closed_form():
    n_steps, warmup = 2**20, 2**14
    assert learning_rate_multiplier(0, n_steps, warmup) == 0.0
    assert learning_rate_multiplier(warmup // 2, n_steps, warmup) == pytest.approx(
        0.5 * 0.01 ** (warmup / n_steps)
    )
    assert learning_rate_multiplier(n_steps // 4, n_steps, warmup) == pytest.approx(0.1)
    assert learning_rate_multiplier(n_steps // 2, n_steps, warmup) == pytest.approx(0.01)
    assert learning_rate_multiplier(n_steps, n_steps, warmup) == pytest.approx(0.01)


def test_trace_fields_shapes_and_dtypes_are_pinned():
    """Every analysis reads the trace by these names (as TransformerLens pins its activation names):
    renaming a field or changing a shape or dtype must be a deliberate change of this test."""
    import dataclasses

    from tinymech.algzoo.trace import RNNTrace

    batch, n, d = 5, 4, 3
    rng = np.random.default_rng(0)
    weights = RNNWeights(rng.normal(size=d), rng.normal(size=(d, d)), rng.normal(size=(n, d)))
    recorded = trace(weights, rng.normal(size=(batch, n)))
    expected = {
        "inputs": ((batch, n), np.float64),
        "preactivation": ((batch, n, d), np.float64),
        "hidden": ((batch, n, d), np.float64),
        "activation_pattern": ((batch, n, d), np.bool_),
        "logits": ((batch, n), np.float64),
        "logit_scale": ((batch, 1), np.float64),
    }
    assert [f.name for f in dataclasses.fields(RNNTrace)] == list(expected)
    for name, (shape, dtype) in expected.items():
        value = getattr(recorded, name)
        assert isinstance(value, np.ndarray) and value.shape == shape, name
        assert value.dtype == dtype, name
    assert recorded.predictions.shape == (batch,)
    assert np.array_equal(recorded.hidden, np.maximum(recorded.preactivation, 0.0))
    assert np.array_equal(recorded.activation_pattern, recorded.preactivation > 0)


def test_the_linear_piece_of_the_traced_pattern_reproduces_the_trace():
    """One masked linear piece (tinymech.algzoo.linear_pieces) serves the exact methods, the fixed-mask
    estimator and the phase wheel: on an input of its pattern it gives the trace's pre-activations,
    hidden state transitions and logits."""
    from tinymech.algzoo.linear_pieces import linear_piece, state_transition

    rng = np.random.default_rng(3)
    n, d = 6, 5
    weights = RNNWeights(
        rng.normal(size=d), rng.normal(size=(d, d)) / 2, rng.normal(size=(n, d))
    )
    x = rng.normal(size=n)
    recorded = trace(weights, x)
    piece = linear_piece(weights, recorded.activation_pattern[0])
    for t in range(n):
        np.testing.assert_allclose(
            piece.preactivation_maps[t] @ x, recorded.preactivation[0, t], atol=1e-12
        )
    np.testing.assert_allclose(piece.logit_map @ x, recorded.logits[0], atol=1e-12)
    impulse = np.concatenate([x[:3], np.zeros(n - 3)])  # zero inputs after step 2
    after = trace(weights, impulse)
    transition = state_transition(weights, after.activation_pattern[0, 3:])
    np.testing.assert_allclose(transition @ after.hidden[0, 2], after.hidden[0, -1], atol=1e-12)
    assert np.array_equal(state_transition(weights, np.zeros((0, d))), np.eye(d))
    with pytest.raises(InvalidInputError, match="pattern of shape"):
        linear_piece(weights, np.ones((n, d + 1)))
