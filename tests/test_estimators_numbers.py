"""The estimators and performance chapters' number formatting and claim measurements, and their figures."""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from tinymech.algzoo import estimators_numbers as numbers
from tinymech.algzoo.plots import estimators as plots
from tinymech.errors import InvalidInputError
from tinymech.report import Measurement


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0123, "0.012 s"),
        (59, "59 s"),
        (90, "1.5 minutes"),
        (7200, "2.0 hours"),
        (3 * 86400, "3.0 days"),
        (2.5 * 365 * 86400, "2.5 years"),
    ],
)
def test_a_duration_is_in_the_largest_unit_at_least_one(seconds, text):
    assert numbers.duration(seconds) == text


@pytest.mark.parametrize("bad", [-1.0, math.inf, math.nan])
def test_a_duration_refuses_a_negative_or_infinite_time(bad):
    with pytest.raises(InvalidInputError, match="duration"):
        numbers.duration(bad)


def test_a_deviation_below_rounding_level_states_only_the_bound():
    assert numbers.deviation_text(3e-16) == "below 10⁻⁹"
    assert numbers.deviation_text(0.0) == "below 10⁻⁹"
    assert numbers.deviation_text(0.0437) == "0.044"
    with pytest.raises(InvalidInputError):
        numbers.deviation_text(-0.1)


def test_powers_of_ten_are_written_with_superscripts():
    assert numbers.power_of_ten(10**6) == "10⁶"
    assert numbers.power_of_ten(10**10) == "10¹⁰"
    assert numbers.power_of_ten(1) == "10⁰"
    with pytest.raises(InvalidInputError):
        numbers.power_of_ten(0)


def test_lengths_are_any_a_list_or_a_range():
    assert numbers.lengths_text(None) == "any"
    assert numbers.lengths_text((2, 3)) == "2, 3"
    assert numbers.lengths_text((3,)) == "3"
    assert numbers.lengths_text(tuple(range(2, 11))) == "2–10"


def test_about_is_a_factor_1_5_and_partly_2():
    rules = numbers.about(0.03, "3%")
    assert rules["criterion"].holds(Measurement(0.044))
    assert not rules["criterion"].holds(Measurement(0.046))
    assert rules["partial"].holds(Measurement(0.059))
    assert not rules["partial"].holds(Measurement(0.061))
    with pytest.raises(InvalidInputError):
        numbers.about(0.0, "nothing")


def test_sqrt_pq_is_the_rms_of_one_samples_standard_deviation():
    measured = numbers.sqrt_pq([0.5, 0.9])
    assert measured.value == pytest.approx(math.sqrt((0.25 + 0.09) / 2))
    assert measured.text == "41%"
    with pytest.raises(InvalidInputError):
        numbers.sqrt_pq([0.5, 1.2])


def _summary(rms=0.03, bias=0.01, ratio=2.0):
    return SimpleNamespace(
        rms=rms,
        rms_standard_error=0.001,
        bias=bias,
        bias_standard_error=0.003,
        versus_sampling={"rms_ratio": ratio},
    )


def test_bias_gap_and_best_ratio_compare_two_estimators():
    original, reduction = _summary(bias=-0.02, ratio=3.0), _summary(bias=0.01, ratio=2.2)
    gap = numbers.bias_gap(original, reduction)
    assert gap.value == pytest.approx(-0.01)
    assert gap.uncertainty == pytest.approx(math.hypot(0.003, 0.003))
    assert numbers.best_ratio([original, reduction]).value == 2.2
    assert numbers.rms_measurement(original).text == "3.0 ± 0.1%"


def test_factor_measurement_carries_the_relative_standard_error_of_the_mse():
    row = {
        "factor_plain": 40.0,
        "mse": 0.01,
        "mse_standard_error": 0.002,
        "label": "fixed masks",
    }
    row |= {"rms": 0.1, "operations": 1e6}
    measured = numbers.factor_measurement(row)
    assert measured.value == 40.0 and measured.uncertainty == pytest.approx(8.0)
    assert measured.text.startswith("best: fixed masks, 40 × sampling's MSE")


def test_operations_and_seconds_read_the_sampling_curve_or_the_method():
    summary = {
        "sampling": SimpleNamespace(
            operations=np.array([60, 600]), seconds=np.array([1e-3, 2e-3])
        ),
        "methods": {"exact": SimpleNamespace(operations=5000, seconds=0.01)},
    }
    assert list(numbers.operations_of(summary, "sampling")) == [60, 600]
    assert numbers.operations_of(summary, "exact") == 5000
    assert numbers.seconds_of(summary, "exact") == 0.01


def test_the_mse_figure_draws_one_panel_per_model_and_refuses_three():
    k = np.array([1.0, 10.0, 100.0])
    method = SimpleNamespace(mse=1e-3, mse_standard_error=1e-4, operations=500.0)
    summary = {
        "sampling": SimpleNamespace(
            mse=0.2 / k, mse_standard_error=0.01 / k, operations=60 * k
        ),
        "sampling_predicted": 0.2 / k,
        "methods": {name: method for name in (*plots.POINT_METHODS, "exact")},
        "accuracy": np.full(8, 0.8),
    }
    style = {name: "C0" for name in ("sampling", "exact", *plots.POINT_METHODS)}
    markers = {name: "o" for name in plots.POINT_METHODS}
    fig = plots.mse_figure(
        {"a": summary, "b": summary},
        {"a": "A", "b": "B"},
        numbers.operations_of,
        "ops",
        style,
        markers,
        style,
    )
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "A"
    assert fig.axes[0].get_ylabel() == "mean squared error over 8 models"
    plt.close(fig)
    with pytest.raises(InvalidInputError, match="one or two"):
        plots.mse_figure(
            dict.fromkeys("abc", summary), {}, numbers.operations_of, "", {}, {}, {}
        )


def test_the_error_figure_refuses_shapes_that_do_not_agree():
    with pytest.raises(InvalidInputError, match="case_error"):
        plots.m16_error_figure(np.zeros((3, 4)), np.zeros(3), np.zeros(3), {}, {})
