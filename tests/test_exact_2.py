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
from tinymech.algzoo.exact.sectors import sectors, unit_vector
from tinymech.algzoo.logit_difference import error_rate_from_yellow_pieces, logit_difference_pieces
from tinymech.algzoo.standardization import standardize
from tinymech.algzoo.surprise_accounting import arc_sign_pattern_holds
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
    weights = RNNWeights(np.array([1.0, -1.0]), np.zeros((2, 2)), np.array([[0.0, 0.0], [1.0, -1.0]]))
    assert exact_accuracy(weights) == pytest.approx(0.25, abs=1e-12)


@pytest.mark.parametrize("hidden_size, seed", [(2, 0), (3, 1), (5, 2), (8, 3)])
def test_exact_agrees_with_sampling_on_random_models(hidden_size, seed):
    torch.manual_seed(seed)
    model = ReLURNN(hidden_size, 2)
    sampled = sampled_accuracy(model, 2**21, seed=seed + 100)
    assert abs(exact_accuracy(model) - sampled.accuracy) < 4 * sampled.standard_error


def test_exact_agrees_with_sampling_on_trained_m2_2():
    model = load_model("m2_2")
    sampled = sampled_accuracy(model, 2**22, seed=7)
    exact = exact_accuracy(model)
    assert abs(exact - sampled.accuracy) < 4 * max(sampled.standard_error, math.sqrt(exact * (1 - exact) / 2**22))


def test_sectors_cover_the_circle_with_correct_linear_maps():
    torch.manual_seed(4)
    weights = ReLURNN(4, 2).weights()
    found = sectors(weights)
    assert sum(s.width for s in found) == pytest.approx(2 * math.pi)
    for sector in found:
        x = unit_vector(sector.start + 0.3 * sector.width)
        np.testing.assert_allclose(sector.piece.logit_map @ x, trace(weights, x).logits[0], atol=1e-12)


def test_pattern_linear_maps_reproduce_trace_for_three_inputs():
    rng = np.random.default_rng(0)
    weights = RNNWeights(rng.normal(size=4), rng.normal(size=(4, 4)), rng.normal(size=(3, 4)))
    x = rng.normal(size=3)
    recorded = trace(weights, x)
    piece = pattern_linear_maps(weights, recorded.activation_pattern[0])
    np.testing.assert_allclose(piece.logit_map @ x, recorded.logits[0], atol=1e-12)
    np.testing.assert_allclose(np.einsum("thn,n->th", piece.preactivation_maps, x), recorded.preactivation[0],
                               atol=1e-12)


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
    assert error_rate_from_yellow_pieces(pieces) == pytest.approx(1 - exact_accuracy(model), rel=1e-9)
