"""Shared statistics, number formatting, and sampling that gives the same sequences everywhere."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from tinymech.algzoo.evaluation import (
    CHUNK_SEQUENCES,
    gaussian_sequences,
    predictions,
    readout_scale,
    sampled_accuracy,
)
from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax, leave_one_out_expected_accuracy
from tinymech.stats import (
    decimals_for_error,
    format_estimate,
    format_number,
    log_spaced_integers,
    proportion_interval,
    r_squared,
    round_significant,
)


def test_r_squared_closed_forms():
    x = np.linspace(-1, 1, 101)
    assert r_squared(2 * x + 1, 2 * x + 1) == 1.0
    assert r_squared(x, np.zeros_like(x)) == pytest.approx(
        0.0
    )  # predicting the mean explains nothing
    assert r_squared(x, -x) == pytest.approx(-3.0)  # residual 4 x^2 against total x^2
    target = np.column_stack([x, x**2])
    per_column = r_squared(
        target, np.column_stack([x, np.full_like(x, (x**2).mean())]), per_column=True
    )
    np.testing.assert_allclose(per_column, [1.0, 0.0], atol=1e-12)
    assert (
        r_squared(np.ones(5), np.ones(5)) == 1.0 and r_squared(np.ones(5), np.zeros(5)) == 0.0
    )


def test_wilson_interval_is_not_empty_at_the_ends():
    rate, low, high = proportion_interval(0, 100)
    assert rate == 0 and low == 0 and 0.03 < high < 0.04  # Wilson: z^2 / (n + z^2) = 0.0370
    rate, low, high = proportion_interval(4, 200)
    assert low < 0.01 < high  # 4 of 200 is consistent with 1 in 100


def test_log_spaced_integers():
    assert log_spaced_integers(1000, 4) == [1, 10, 100, 1000]
    assert log_spaced_integers(5, 10) == [1, 2, 3, 4, 5]


@given(st.floats(min_value=1e-6, max_value=1e6), st.integers(min_value=1, max_value=6))
def test_round_significant_keeps_the_digits_asked(value, digits):
    rounded = round_significant(value, digits)
    assert abs(rounded - value) <= 0.5 * 10 ** (math.floor(math.log10(value)) - digits + 1) * (
        1 + 1e-9
    )


def test_formatting_for_people():
    assert format_estimate(0.990391, 0.000190) == "0.9904 ± 0.0002"
    assert format_estimate(0.98, 0.004, percent=True) == "98.0 ± 0.4%"
    assert decimals_for_error(0.05) == 2
    assert format_number(8.7e5) == "870,000"
    assert format_number(2.3e27) == "2.3 × 10²⁷"
    assert format_number(1.4e-5) == "1.4 × 10⁻⁵"
    assert format_number(0.0123, 2) == "0.012"
    assert "e" not in format_number(123456789.0)


def test_a_seed_means_the_same_sequences_whatever_the_batch_size():
    samples = CHUNK_SEQUENCES + 1234
    one = torch.cat(list(gaussian_sequences(samples, 3, seed=5, batch_chunks=1)))
    many = torch.cat(list(gaussian_sequences(samples, 3, seed=5, batch_chunks=8)))
    assert torch.equal(one, many) and one.shape == (samples, 3)
    prefix = torch.cat(list(gaussian_sequences(1000, 3, seed=5)))
    assert torch.equal(prefix, one[:1000])
    assert not torch.equal(prefix, torch.cat(list(gaussian_sequences(1000, 3, seed=6))))
    assert abs(float(one.mean())) < 0.02 and abs(float(one.std()) - 1) < 0.02


def test_tie_rule_gives_ties_to_the_lowest_position():
    logits = torch.tensor(
        [[1.0, 1.0 + 1e-7, 0.0], [0.0, 0.0, 0.0], [0.5, 2.0, 1.0], [3.0, -1.0, 3.0 + 2e-6]]
    )
    assert predictions(logits).tolist() == [0, 0, 1, 0]
    assert predictions(logits.double()).tolist() == [1, 0, 1, 2]  # float64's tolerance is 1e-9
    assert predictions(logits.numpy()).tolist() == [0, 0, 1, 0]
    # logits that cancel to rounding noise: tied against the size of the summed terms, not against each other
    noise = torch.tensor([[-1e-7, 3e-7, 2e-7]])
    assert predictions(noise).tolist() == [1]  # without the scale, noise decides
    assert predictions(noise, scale=torch.tensor([[1.0]])).tolist() == [0]
    assert predictions(noise.double(), scale=torch.tensor([[1.0]])).tolist() == [
        1
    ]  # float64: 1e-9 of 1


def test_readout_scale_is_the_size_of_the_summed_terms():
    hidden = np.array([[1.0, -2.0], [0.0, 0.5]])
    W_oh = np.array([[1.0, 1.0], [-3.0, 0.0]])
    assert readout_scale(hidden, W_oh).tolist() == [[3.0], [0.5]]
    assert torch.equal(
        readout_scale(torch.from_numpy(hidden), torch.from_numpy(W_oh)),
        torch.tensor([[3.0], [0.5]], dtype=torch.float64),
    )


def test_handcrafted_model_with_exact_ties_matches_its_closed_form():
    """The 22-neuron model's logits tie exactly when at most one input is positive; with the tie rule the
    sampled accuracy is deterministic and agrees with the closed form (ties are equally likely to be right)."""
    result = sampled_accuracy(handcrafted_2nd_argmax(10), 2**18, seed=3)
    expected = leave_one_out_expected_accuracy(10)
    assert abs(result.accuracy - expected) < 4 * math.sqrt(
        expected * (1 - expected) / result.samples
    )


@pytest.mark.skipif(
    os.environ.get("ATEN_CPU_CAPABILITY") == "default", reason="already the portable kernels"
)
def test_sampled_accuracy_is_the_same_under_portable_cpu_kernels():
    """A second CPU configuration (ATen's portable kernels, one thread) counts exactly the same correct
    predictions, for a trained model and for the handcrafted model whose logits tie."""
    code = (
        "import json; from tinymech.algzoo.evaluation import sampled_accuracy; "
        "from tinymech.algzoo.zoo import load_model; "
        "print(json.dumps([sampled_accuracy(load_model(n), 2**17, seed=11).correct "
        "for n in ('m16_10', 'handcrafted_10', 'm4_3')]))"
    )
    here = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1"}
    there = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout
    )
    assert here == there


def test_supported_digits_keep_the_last_place_ten_times_the_spread():
    from tinymech.errors import InvalidInputError
    from tinymech.stats import supported_digits

    assert supported_digits(0.98042547, 1.6e-7) == 5  # last place 1e-5 >= 1.6e-6
    assert supported_digits(1.143e-4, 1.5e-8) == 3  # last place 1e-6 >= 1.5e-7
    assert supported_digits(2.5, 0.0) == 8 and supported_digits(2.5, 10.0) == 1
    with pytest.raises(InvalidInputError):
        supported_digits(1.0, -1.0)
