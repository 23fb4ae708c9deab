"""The chapters' figure functions: they draw what they are given and refuse what they cannot draw."""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from tinymech.algzoo import m4_3_numbers
from tinymech.algzoo.plots import m2_2, m4_3, m16_10
from tinymech.errors import InvalidInputError
from tinymech.stats import format_number


def _pieces():
    return [
        SimpleNamespace(start=-math.pi / 2, end=math.pi / 4, colour="green"),
        SimpleNamespace(start=math.pi / 4, end=math.pi, colour="yellow"),
        SimpleNamespace(start=math.pi, end=3 * math.pi / 2, colour="blue"),
    ]


def test_the_sectors_figure_draws_one_wedge_per_piece_and_one_bar_per_offset():
    fig = m2_2.sectors_figure(_pieces(), [math.pi / 4 + 1e-4], [1e-4, -2e-4])
    disk, zoom = fig.axes
    assert len(disk.patches) == 3
    assert [p.get_facecolor()[:3] for p in disk.patches] == [
        matplotlib.colors.to_rgb(m2_2.COLOURS[c]) for c in ("green", "yellow", "blue")
    ]
    widths = sorted(bar.get_width() for bar in zoom.patches)
    assert widths == pytest.approx([-2e-4 * 2**11, 1e-4 * 2**11])
    plt.close(fig)


def test_the_sectors_figure_refuses_an_unknown_colour_and_empty_input():
    with pytest.raises(InvalidInputError, match="unknown colour"):
        m2_2.sectors_figure([SimpleNamespace(start=0, end=1, colour="red")], [], [0.1])
    with pytest.raises(InvalidInputError, match="at least one piece"):
        m2_2.sectors_figure([], [], [])


def test_the_sphere_map_greys_region_edges_and_colours_the_rest_by_correctness():
    region = np.zeros((4, 6), dtype=int)
    region[:, 3:] = 1
    correct = np.zeros((4, 6), dtype=bool)
    correct[:, :3] = True
    fig = m4_3.sphere_map_figure(region, correct, 2)
    image = fig.axes[0].get_images()[0].get_array()
    assert np.allclose(image[0, 0], m4_3.CORRECT_COLOUR)
    assert np.allclose(image[0, 5], m4_3.WRONG_COLOUR)
    assert np.allclose(image[0, 3], (0.5, 0.5, 0.5, 1.0))  # the edge between the two regions
    assert "2 linear regions" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(InvalidInputError, match="one shape"):
        m4_3.sphere_map_figure(region, correct[:2], 2)


def test_the_lambda_figure_plots_error_rates_and_names_the_sweep_samples():
    sweep = {
        "lam": np.array([1.0, 10.0, 100.0]),
        "exact_float64": np.array([0.9, 0.99, 0.999]),
        "exact_float32_weights": np.array([0.9, 0.99, 0.998]),
        "sampled_float32": np.array([0.9, 0.99, 0.997]),
        "sampled_float32_se": np.array([1e-3, 1e-3, 1e-3]),
    }
    fig = m4_3.lambda_figure(sweep, 2**22)
    (ax,) = fig.axes
    assert np.allclose(ax.get_lines()[0].get_ydata(), [0.1, 0.01, 0.001])
    assert any("$2^{22}$" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close(fig)
    del sweep["sampled_float32_se"]
    with pytest.raises(InvalidInputError, match="sampled_float32_se"):
        m4_3.lambda_figure(sweep, 2**22)


def test_the_cost_figure_draws_sampling_lines_and_refuses_missing_rows():
    row = SimpleNamespace(sampling_variance=0.01, seconds=0.5, mse=1e-4)
    by_key = {(s, k): row for s in (0.01, 0.05) for k in ("half_space", "symmetrized", "exact")}
    names = {"half_space": "half", "symmetrized": "sym"}
    fig = m4_3.cost_figure(by_key, (0.01, 0.05), 1e-6, names)
    line = fig.axes[0].get_lines()[0]
    assert np.allclose(
        line.get_ydata() * line.get_xdata(), 0.01 * 1e-6
    )  # MSE = p(1-p) t_sample / t
    plt.close(fig)
    del by_key[0.05, "exact"]
    with pytest.raises(InvalidInputError, match="needs rows"):
        m4_3.cost_figure(by_key, (0.01, 0.05), 1e-6, names)


def test_z_text_states_a_bound_below_one_standard_error():
    assert m4_3_numbers.z_text(0.99) == "less than one standard error"
    assert m4_3_numbers.z_text(-2.34) == "2.3 standard errors"
    with pytest.raises(InvalidInputError, match="finite"):
        m4_3_numbers.z_text(float("nan"))


def test_error_and_samples_gives_the_samples_of_equal_standard_error():
    # p(1-p) = 0.0196 and an error of 1.4e-3: 0.0196 / 1.96e-6 = 10,000 samples
    error, samples = m4_3_numbers.error_and_samples(1.4e-3, 0.0196, 0.0)
    assert samples == format_number(10_000.0, 8)
    assert error == format_number(1.4e-3, 8)
    # last place at least ten times the spread: 1e-5 keeps two digits (1e-4), 2e-5 one (1e-3)
    assert m4_3_numbers.error_and_samples(1.4e-3, 0.0196, 1e-5)[0] == format_number(1.4e-3, 2)
    assert m4_3_numbers.error_and_samples(1.4e-3, 0.0196, 2e-5)[0] == format_number(1.4e-3, 1)
    with pytest.raises(InvalidInputError, match="non-zero"):
        m4_3_numbers.error_and_samples(0.0, 0.0196, 0.0)


def test_the_m16_10_figures_draw_what_they_are_given_and_refuse_misfits():
    curves = {0: [(1e3, 0.5), (1e6, 0.9)], 2: [(1e3, 0.6), (1e6, 0.94)]}
    fig = m16_10.training_curves_figure(curves, kept_seed=2)
    assert [line.get_label() for line in fig.axes[0].get_lines()][:2] == [
        "seed 0",
        "seed 2 (kept)",
    ]
    plt.close(fig)
    fig = m16_10.training_curves_figure({}, None)
    assert "no training curve" in fig.axes[0].texts[0].get_text()
    plt.close(fig)
    fig = m16_10.ablation_figure([0.2, 0.4, 0.3], 0.9)
    assert [bar.get_height() for bar in fig.axes[0].patches] == pytest.approx([0.2, 0.4, 0.3])
    plt.close(fig)
    with pytest.raises(InvalidInputError, match="one label per column"):
        m16_10.r_squared_figure(np.zeros((16, 3)), ["a", "b"], [0, 1], 2)
    with pytest.raises(InvalidInputError, match="one shape"):
        m16_10.spiral_figure(np.array([1j]), np.zeros((10, 2)), np.zeros((9, 2)))
    with pytest.raises(InvalidInputError, match="spectral radii"):
        m16_10.phi_post_figure([1, 2], np.zeros((2, 3)), [1, 2], np.zeros((2, 2, 4)), [0.1] * 4)


def test_the_phi_post_figure_stacks_its_two_panels():
    gaps, ratios = [1, 2, 3], [0.2, 0.5, 0.8]
    fig = m16_10.phi_post_figure(gaps, np.ones((2, 3)), gaps, np.ones((2, 3, 3)), ratios)
    radius, masks = fig.axes[:2]
    assert (
        radius.get_position().y0 > masks.get_position().y1
    )  # one above the other, not side by side
    assert len(masks.get_yticklabels()) == 6
    plt.close(fig)
