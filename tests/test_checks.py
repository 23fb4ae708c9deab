"""Nonsense refused by the library's checks: criteria, glue's precision rule, sampled accuracy's inputs
(and the caller's model left alone), the estimation harness's inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax
from tinymech.errors import InvalidInputError
from tinymech.report import Measurement, at_least, at_most, between, glue, verdict, within


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: at_least(0.9, z=-3), "z must be >= 0"),
        (lambda: at_most(0.9, z=-1), "z must be >= 0"),
        (lambda: at_least(math.nan), "threshold must be finite"),
        (lambda: at_least(math.inf), "threshold must be finite"),
        (lambda: at_most(np.float64("nan")), "threshold must be finite"),
        (lambda: at_least(0.9, z=math.nan), "z must be finite"),
        (lambda: at_least("0.9"), "must be a real number, got str"),
        (lambda: at_least(True), "must be a real number, got bool"),
        (lambda: between(1, 0), "needs low <= high"),
        (lambda: between(math.nan, 1), "lower bound must be finite"),
        (lambda: between(0, 1, z=-2), "z must be >= 0"),
        (lambda: within(0.5, -1), "tolerance must be >= 0"),
        (lambda: within(math.nan, 1), "target must be finite"),
        (lambda: within(0.5, math.inf), "tolerance must be finite"),
        (lambda: within(0.5, 0.1, z=-0.5), "z must be >= 0"),
    ],
)
def test_criteria_that_make_no_sense_are_refused(make, words):
    with pytest.raises(InvalidInputError, match=words):
        make()


def test_sensible_criteria_still_judge():
    assert verdict(Measurement(0.89, 0.01), at_least(0.9, z=3)).startswith("differs")
    assert verdict(Measurement(0.95, 0.01), at_least(0.9, z=3)) == "reproduced"
    assert verdict(Measurement(0.5, 0.0), between(0, 1)) == "reproduced"
    assert verdict(Measurement(0.5, 0.0), between(0.5, 0.5)) == "reproduced"  # equal bounds
    assert verdict(Measurement(0.5, 0.0), within(0.5, 0)) == "reproduced"  # zero tolerance
    assert verdict(Measurement(2, 0.0), at_least(np.int64(1), z=0)) == "reproduced"


@pytest.fixture
def glued(monkeypatch):
    values = {}
    import myst_nb

    monkeypatch.setattr(
        myst_nb, "glue", lambda name, value, display=True: values.update({name: value})
    )
    return values


@pytest.mark.parametrize(
    "value",
    [
        torch.tensor(0.123456789),
        torch.tensor([0.123456789]),
        np.float32(0.123456789),
        np.array(0.123456789),
        [0.123456789, 1],
        (1, [0.5]),
        [torch.tensor(0.25)],
    ],
)
def test_glue_refuses_floats_of_every_type_without_their_precision(glued, value):
    with pytest.raises(InvalidInputError, match="needs exactly one of digits="):
        glue("x", value)
    assert glued == {}


def test_glue_rounds_floats_of_every_type(glued):
    glue("tensor", torch.tensor(0.123456789), digits=3)
    glue("list", [0.123456789, 2, "a"], digits=2)
    glue("integer_tensor", torch.tensor(7))
    glue("numpy_bool", np.bool_(True))
    glue("error", np.float64(0.987654), error=0.003)
    assert glued == {
        "tensor": 0.123,
        "list": [0.12, 2, "a"],
        "integer_tensor": 7,
        "numpy_bool": True,
        "error": 0.988,
    }
    assert isinstance(glued["numpy_bool"], bool)


@pytest.mark.parametrize(
    "value, words",
    [
        (str(0.1 + 0.2), "unformatted float"),
        (repr(float(np.float32(0.9998826))), "unformatted float"),
        (["0.30000000000000004"], "unformatted float"),
        (torch.zeros(3), r"not a tensor of shape \(3,\)"),
        (np.zeros((2, 2)), r"not an array of shape \(2, 2\)"),
        (1 + 2j, "complex"),
    ],
)
def test_glue_refuses_strings_of_unformatted_floats_and_arrays(glued, value, words):
    with pytest.raises(InvalidInputError, match=words):
        glue("x", value)


def test_glue_keeps_formatted_strings_and_checks_its_own_arguments(glued):
    for text in ("0.99991457", "1.000000000", "16777216", "0.98 ± 0.01", "-0.026", "+0.07"):
        glue("s", text)
        assert glued["s"] == text
    with pytest.raises(InvalidInputError, match="digits must be a positive integer"):
        glue("x", 0.5, digits=0)
    with pytest.raises(InvalidInputError, match="error must be finite"):
        glue("x", 0.5, error=math.nan)
    with pytest.raises(InvalidInputError, match="holds none"):
        glue("x", [1, 2], digits=2)


def test_sampled_accuracy_never_changes_the_callers_model():
    model = handcrafted_2nd_argmax(3)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(InvalidInputError, match="dtype must be torch.float32 or torch.float64"):
        sampled_accuracy(model, 1000, dtype=torch.float16)
    result = sampled_accuracy(model, 4096, dtype=torch.float64)
    assert 0 < result.accuracy <= 1
    for key, value in model.state_dict().items():
        assert value.dtype == torch.float32, key  # not cast to float16, nor left in float64
        assert torch.equal(value, before[key]), key


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"seq_len": 5}, "seq_len 5 does not match the model's readout: it has 2 logits"),
        ({"seq_len": 0}, "seq_len must be a positive integer"),
        ({"seq_len": 2.0}, "seq_len must be a positive integer"),
        ({"task": "nope"}, "unknown task 'nope'"),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"dtype": torch.bfloat16}, "dtype must be"),
    ],
)
def test_sampled_accuracy_refuses_inputs_that_do_not_fit_before_any_work(kwargs, words):
    with pytest.raises(InvalidInputError, match=words):
        sampled_accuracy(handcrafted_2nd_argmax(2), 2**30, **kwargs)  # refused before sampling


def test_a_model_with_one_logit_has_no_second_argmax():
    with pytest.raises(InvalidInputError, match="needs sequences of length >= 2"):
        sampled_accuracy(ReLURNN(2, 1), 100)


def test_a_model_without_output_size_needs_its_length_and_a_matching_readout():
    class Plain(torch.nn.Module):
        def forward(self, x):
            return torch.cat(
                [x - 100, x], dim=1
            )  # 2n logits for n positions, the top in the second half

    with pytest.raises(InvalidInputError, match="give seq_len"):
        sampled_accuracy(Plain(), 100)
    with pytest.raises(InvalidInputError, match="its number of logits does not match"):
        sampled_accuracy(Plain(), 10_000, seq_len=3)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda e: e.sampling_mse([0.9], [100.0], 0), "per_sample .* positive integer"),
        (lambda e: e.sampling_mse([0.9], [100.0], -5), "per_sample .* positive integer"),
        (lambda e: e.sampling_mse([0.9], [100.0], 1.5), "per_sample .* positive integer"),
        (
            lambda e: e.sampling_mse([1.2], [100.0], 10),
            r"accuracies must be finite numbers in \[0, 1\]",
        ),
        (lambda e: e.sampling_mse([math.nan], [100.0], 10), "accuracies must be finite"),
        (lambda e: e.sampling_mse([], [100.0], 10), "at least one"),
        (
            lambda e: e.sampling_mse([0.5], [-100.0], 10),
            "operation counts must be finite and non-negative",
        ),
        (lambda e: e.sampling_mse([0.5], [math.inf], 10), "operation counts must be finite"),
        (lambda e: e.equal_compute_ratio(-1e-4, 100.0, [0.9], 10), "must be finite and >= 0"),
        (
            lambda e: e.equal_compute_ratio(math.nan, 100.0, [0.9], 10),
            "must be finite and >= 0",
        ),
        (lambda e: e.equal_compute_ratio("0.1", 100.0, [0.9], 10), "mse must be a number"),
        (lambda e: e.equal_compute_ratio(1e-4, 100.0, [1.5], 10), r"in \[0, 1\]"),
        (lambda e: e.equal_compute_ratio(1e-4, 100.0, [0.9], 0), "per_sample"),
    ],
)
def test_the_harness_refuses_nonsense_inputs(call, words):
    from tinymech.algzoo import estimation

    with pytest.raises(InvalidInputError, match=words):
        call(estimation)


def test_the_harness_closed_forms_still_hold():
    from tinymech.algzoo import estimation

    mse = estimation.sampling_mse([0.9, 0.5], [100.0, 1000.0], 10)
    assert mse == pytest.approx([(0.09 + 0.25) / 2 / 10, (0.09 + 0.25) / 2 / 100])
    ratio = estimation.equal_compute_ratio(0.0, 100.0, [0.9], 10)
    assert ratio["rms_ratio"] == 0.0  # an exact estimator (zero MSE) beats sampling
    ratio = estimation.equal_compute_ratio(0.009, 100.0, [0.9], 10)
    assert ratio["rms_ratio"] == pytest.approx(1.0)  # the same MSE as 10 samples


@pytest.mark.parametrize(
    "call, words",
    [
        (
            lambda: __import__("tinymech.store").store.save_result(None, {}, {}),
            "must be a string or a path, got NoneType",
        ),
        (lambda: __import__("tinymech.store").store.check_output(b"x.pth"), "got bytes"),
        (lambda: __import__("tinymech.store").store.load_result(5), "got int"),
        (
            lambda: __import__("tinymech.store").store.load_foreign_state_dict(None),
            "got NoneType",
        ),
        (
            lambda: __import__("tinymech.algzoo.zoo").algzoo.zoo.load_model(None),
            "expected a model name or the path",
        ),
        (lambda: __import__("tinymech.algzoo.zoo").algzoo.zoo.load_model(5), "got int"),
        (
            lambda: __import__("tinymech.algzoo.zoo").algzoo.zoo.merge_seed_checkpoints(
                "m2_2", 5, output="never.pth"
            ),
            "paths must be a list of .pth files",
        ),
        (lambda: sampled_accuracy("m2_2", 10), "expected a torch model"),
        (lambda: Measurement("a"), "value must be a number, got str"),
        (lambda: Measurement(None), "value must be a number, got NoneType"),
        (lambda: Measurement(0.5, "0.1"), "uncertainty must be a number"),
        (lambda: glue(5, 1), "glue's name must be a non-empty string"),
        (
            lambda: ReLURNN.from_weights(["a", "b"], np.eye(2), np.eye(2)),
            "arrays of real numbers",
        ),
    ],
)
def test_library_calls_with_wrong_types_are_one_clear_error(call, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidInputError, match=words):
        call()
    assert list(tmp_path.iterdir()) == []
