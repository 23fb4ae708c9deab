"""Exact accuracy of 3-input RNNs by solid angles: closed forms, Monte-Carlo agreement, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.handcrafted import handcrafted_2, handcrafted_3
from tinymech.algzoo.exact import exact_accuracy
from tinymech.algzoo.exact.solid_angles import (
    FOUR_PI,
    exact_accuracy_3,
    has_interior,
    orderings,
    solid_angle_accuracy,
    spherical_polygon_area,
    split_cone,
)
from tinymech.algzoo.standardization import rescale

STANDARD_ERRORS = 4


def random_model(hidden_size: int, seed: int) -> ReLURNN:
    rng = np.random.default_rng(seed)
    return ReLURNN.from_weights(
        rng.normal(size=hidden_size),
        rng.normal(size=(hidden_size, hidden_size)),
        rng.normal(size=(3, hidden_size)),
        dtype=torch.float64,
    )


def fraction_inside(normals: np.ndarray, samples: int, seed: int) -> tuple[float, float]:
    x = np.random.default_rng(seed).normal(size=(samples, 3))
    p = float(np.mean(np.all(x @ np.asarray(normals).T >= 0, axis=1)))
    return p, math.sqrt(p * (1 - p) / samples)


def test_closed_form_areas():
    assert spherical_polygon_area(np.zeros((0, 3))) == pytest.approx(FOUR_PI)
    assert spherical_polygon_area([[0, 0, 2.0]]) == pytest.approx(2 * math.pi)
    assert spherical_polygon_area(np.eye(3)) == pytest.approx(
        FOUR_PI / 8, abs=1e-14
    )  # an octant
    assert spherical_polygon_area([[1.0, 0, 0], [0, 1.0, 0]]) == pytest.approx(
        math.pi
    )  # quarter lune
    assert spherical_polygon_area([[1.0, 0, 0], [-1.0, 0, 0]]) == 0.0
    for _, normals in orderings():  # each ordering of 3 inputs is a lune of angle pi / 3
        assert spherical_polygon_area(normals) == pytest.approx(FOUR_PI / 6, abs=1e-14)
    # the plane x0 + x1 + x2 = 0 is perpendicular to the edge of the lune x0 > x1 > x2 and halves it
    half_lune = np.vstack([orderings()[0][1], [1.0, 1.0, 1.0]])
    assert spherical_polygon_area(half_lune) == pytest.approx(FOUR_PI / 12, abs=1e-14)


@pytest.mark.parametrize("seed", range(3))
def test_random_cone_area_matches_monte_carlo(seed):
    normals = np.random.default_rng(100 + seed).normal(size=(4, 3)) + np.array([0, 0, 1.5])
    area = spherical_polygon_area(normals) / FOUR_PI
    p, se = fraction_inside(normals, 2**19, seed)
    assert abs(area - p) <= STANDARD_ERRORS * se + 1e-6


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_vertex_shortcut_agrees_with_linear_program(seed):
    rng = np.random.default_rng(seed)
    normals = rng.normal(size=(3, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    form = rng.normal(size=3)
    kept = split_cone(normals, form)
    for side_normals, on in (
        (np.vstack([normals, form]), True),
        (np.vstack([normals, -form]), False),
    ):
        assert has_interior(side_normals) == any(flag == on for _, flag in kept)


def test_handcrafted_3_matches_float64_sampling():
    model = handcrafted_3(100.0, dtype=torch.float64)
    exact = exact_accuracy_3(model)
    sampled = sampled_accuracy(model, 2**21, seed=1, dtype=torch.float64)
    assert abs(exact - sampled.accuracy) <= STANDARD_ERRORS * sampled.standard_error
    assert 0.9999 < exact < 1.0


@pytest.mark.parametrize("hidden_size, seed", [(1, 0), (3, 1), (5, 3)])
def test_random_models_match_sampling(hidden_size, seed):
    model = random_model(hidden_size, seed)
    result = solid_angle_accuracy(model)
    assert result.coverage_error < 1e-9  # the cells tile the sphere
    sampled = sampled_accuracy(model, 2**20, seed=seed, dtype=torch.float64)
    assert abs(result.accuracy - sampled.accuracy) <= STANDARD_ERRORS * sampled.standard_error


def test_regions_have_the_pattern_the_model_computes():
    from tinymech.algzoo.trace import trace

    model = random_model(4, 7)
    result = solid_angle_accuracy(model)
    x = np.random.default_rng(0).normal(size=(2000, 3))
    patterns = trace(model, x).activation_pattern
    for region in result.regions:
        inside = np.all(x @ region.normals.T > 1e-9, axis=1)
        assert np.all(patterns[inside] == region.activation_pattern)


def test_zero_model_ties_predict_position_zero():
    # every logit is 0: torch's argmax returns 0, which is right iff x_0 is the middle value
    model = ReLURNN.from_weights(np.ones(2), np.zeros((2, 2)), np.zeros((3, 2)))
    assert exact_accuracy_3(model) == pytest.approx(1 / 3, abs=1e-12)


def test_rescaling_neurons_leaves_accuracy_unchanged():
    weights = random_model(4, 5).weights()
    scaled = rescale(weights, [0.5, 2.0, 3.0, 0.1])
    assert exact_accuracy_3(scaled) == pytest.approx(exact_accuracy_3(weights), abs=1e-12)


def test_dispatch_and_bad_input():
    model = handcrafted_3(10.0)
    assert exact_accuracy(model) == pytest.approx(exact_accuracy_3(model), abs=1e-12)
    with pytest.raises(ValueError, match="3-input"):
        exact_accuracy_3(handcrafted_2())
    with pytest.raises(ValueError, match="needs sequence length 2 or 3"):
        exact_accuracy(ReLURNN(4, 4))
    with pytest.raises(ValueError, match="zero normal"):
        spherical_polygon_area([[0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="no interior"):
        solid_angle_accuracy(model, domain=[[1.0, 0, 0], [-1.0, 0, 0]])


def test_equal_area_map_fraction_approaches_exact_accuracy():
    from tinymech.algzoo.exact.solid_angles import sphere_map

    model = random_model(4, 2)
    grid = sphere_map(model, n_longitude=240, n_height=120)
    # equal-area grid: the fraction of correct cells is a quadrature of the solid angle
    assert abs(grid.correct.mean() - exact_accuracy_3(model)) < 1e-2
    assert grid.region.max() + 1 <= solid_angle_accuracy(model).n_regions


# --- the clipping method (tinymech.algzoo.exact.cones) ----------------------------------------------


def _agreement_models():
    from tinymech.algzoo.zoo import load_model

    models = {
        "trained m4_3": load_model("m4_3").weights(),
        "handcrafted lambda 10": handcrafted_3(10.0, dtype=torch.float64).weights(),
        "handcrafted lambda 1": handcrafted_3(1.0, dtype=torch.float64).weights(),
        "all logits zero": ReLURNN.from_weights(
            np.ones(2), np.zeros((2, 2)), np.zeros((3, 2))
        ).weights(),
    }
    for hidden_size, seed in [(1, 0), (2, 1), (3, 2), (4, 3), (4, 4), (5, 5), (6, 6)]:
        models[f"random d={hidden_size}"] = random_model(hidden_size, seed).weights()
    return models


@pytest.mark.parametrize("name, weights", list(_agreement_models().items()))
def test_clipping_equals_linear_programs(name, weights):
    from tinymech.algzoo.exact.cones import clipped_accuracy

    fast = clipped_accuracy(weights, check_coverage=True)
    slow = solid_angle_accuracy(weights)
    assert fast.accuracy == pytest.approx(slow.accuracy, abs=1e-12), name
    assert fast.covered == pytest.approx(1.0, abs=1e-12)  # the region polygons tile the sphere
    assert fast.operations > 0


def test_clipping_is_right_where_linear_programs_lose_two_slivers():
    """ARC's handcrafted M4,3 at lambda = 100: the two methods differ by ~6e-9, all of it in two regions of
    area ~1.9e-7 sr.  Uniform points inside those regions (they are tiny, hence flat: a tangent-plane
    projection is uniform to ~1e-7) side with clipping."""
    from matplotlib.path import Path

    from tinymech.algzoo.exact.cones import areas, clipped_regions, correct_cells
    from tinymech.algzoo.trace import trace

    weights = handcrafted_3(100.0, dtype=torch.float64).weights()
    regions = clipped_regions(weights)
    region_area = areas(regions.polygons)
    index, cell_area = correct_cells(regions)
    correct = np.bincount(index, weights=cell_area, minlength=len(region_area))
    slow = solid_angle_accuracy(weights)
    slow_correct = {
        region.activation_pattern.tobytes(): region.correct_solid_angle
        for region in slow.regions
    }
    rng = np.random.default_rng(0)
    differing = 0
    for r, pattern in enumerate(regions.patterns):
        if (
            region_area[r] > 1e-6
            or abs(slow_correct.get(pattern.tobytes(), 0.0) - correct[r]) < 1e-10
        ):
            continue
        differing += 1
        vertices = regions.polygons.vertices[r, : regions.polygons.count[r]]
        centre = vertices.sum(0) / np.linalg.norm(vertices.sum(0))
        e1 = vertices[0] - (vertices[0] @ centre) * centre
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(centre, e1)
        flat = vertices / (vertices @ centre)[:, None]
        polygon = np.stack([flat @ e1, flat @ e2], axis=1)
        low, high = polygon.min(0), polygon.max(0)
        points = low + (high - low) * rng.random((400_000, 2))
        points = points[Path(polygon).contains_points(points)]
        x = centre + points[:, :1] * e1 + points[:, 1:] * e2
        run = trace(weights, x)
        assert np.all(run.activation_pattern.reshape(len(x), -1) == pattern.reshape(-1))
        sampled = float(np.mean(run.predictions == np.argsort(x, axis=1)[:, -2]))
        error = math.sqrt(sampled * (1 - sampled) / len(x))
        assert abs(correct[r] / region_area[r] - sampled) <= STANDARD_ERRORS * error + 1e-4
        assert abs(slow_correct[pattern.tobytes()] / region_area[r] - sampled) > 10 * error
    assert differing == 2
    fast = float(correct.sum() / FOUR_PI)
    assert 5e-9 < fast - slow.accuracy < 7e-9


def test_cone_polygons_match_girard_also_when_planes_share_a_line():
    from tinymech.algzoo.exact.cones import cone_areas

    rng = np.random.default_rng(3)
    for k in (2, 3, 4, 6):
        normals = rng.normal(size=(50, k, 3)) + np.array([0, 0, 0.7])
        expected = [spherical_polygon_area(n) for n in normals]
        assert np.allclose(cone_areas(normals), expected, atol=1e-12)
    # planes through the common line (1, 1, 1), as the 6 orderings are: the cones are lunes
    axis = np.ones(3) / math.sqrt(3)
    for _ in range(50):
        normals = np.cross(axis, rng.normal(size=(4, 3)))
        expected = spherical_polygon_area(normals)
        assert cone_areas(normals[None])[0] == pytest.approx(expected, abs=1e-12)
