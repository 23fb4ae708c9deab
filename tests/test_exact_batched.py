"""The exact M_{d,3} accuracy batched over an ensemble against the one-model method and against sampling."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.exact.batched import batched_accuracies, batched_accuracy
from tinymech.algzoo.exact.cones import clipped_accuracy
from tinymech.algzoo.handcrafted import handcrafted_3
from tinymech.algzoo.noise import noisy_ensemble
from tinymech.algzoo.zoo import load_model
from tinymech.errors import InvalidInputError

#: Float64 sums in another order: the batched and one-model accuracies agree to this (absolute).
TOLERANCE = 1e-12


def _random_models(count: int, hidden_size: int, seed: int) -> list[RNNWeights]:
    rng = np.random.default_rng(seed)
    return [
        RNNWeights(
            rng.normal(size=hidden_size),
            rng.normal(size=(hidden_size, hidden_size)) / 2,
            rng.normal(size=(3, hidden_size)),
        )
        for _ in range(count)
    ]


def test_batched_equals_the_one_model_method_on_trained_handcrafted_noisy_and_random_models():
    trained = load_model("m4_3").weights()
    handcrafted = handcrafted_3(100.0, dtype=torch.float64).weights()
    models = [
        trained,
        handcrafted,
        *noisy_ensemble(trained, 0.05, 12, seed=5).models,
        *noisy_ensemble(handcrafted, 0.05, 12, seed=5).models,
        *_random_models(24, 4, 0),
    ]
    batch = batched_accuracies(models)
    singles = [clipped_accuracy(m) for m in models]
    np.testing.assert_allclose(
        batch.accuracy, [r.accuracy for r in singles], rtol=0, atol=TOLERANCE
    )
    assert batch.operations.tolist() == [r.operations for r in singles]
    assert batch.seconds > 0 and batch.seconds_per_model == batch.seconds / len(models)


def test_a_model_gets_the_same_answer_alone_and_in_any_batch():
    models = _random_models(10, 4, 1)
    together = batched_accuracies(models).accuracy
    reversed_batch = batched_accuracies(models[::-1]).accuracy[::-1]
    alone = [batched_accuracy(m) for m in models]
    np.testing.assert_allclose(together, reversed_batch, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(together, alone, rtol=0, atol=TOLERANCE)


def test_other_hidden_sizes_against_the_one_model_method():
    for hidden_size in (2, 6):
        models = _random_models(6, hidden_size, hidden_size)
        batch = batched_accuracies(models)
        expected = [clipped_accuracy(m) for m in models]
        np.testing.assert_allclose(
            batch.accuracy, [r.accuracy for r in expected], rtol=0, atol=TOLERANCE
        )
        assert batch.operations.tolist() == [r.operations for r in expected]


def test_batched_agrees_with_sampling_within_its_confidence_interval():
    models = _random_models(4, 4, 7)
    batch = batched_accuracies(models)
    for k, weights in enumerate(models):
        model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh)
        sampled = sampled_accuracy(model, 2**18, seed=100 + k)
        # 4.5 standard errors: a false alarm in fewer than 1 in 100,000 runs per model
        assert abs(batch.accuracy[k] - sampled.accuracy) < 4.5 * sampled.standard_error
    assert (
        np.ptp(batch.accuracy) > 0.01
    )  # the random models differ: the check is not of one number


def test_bad_input():
    with pytest.raises(InvalidInputError, match="at least one model"):
        batched_accuracies([])
    with pytest.raises(InvalidInputError, match="one hidden size"):
        batched_accuracies(_random_models(1, 4, 0) + _random_models(1, 5, 0))
    with pytest.raises(InvalidInputError, match="3-input"):
        batched_accuracies([load_model("m2_2")])
