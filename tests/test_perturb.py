"""The perturbation run (TINYMECH_PERTURB=1): off by default, and when on it really moves every float input
that the loaders hand to analyses, by rounding scale and no more, the same way on every run."""

import numpy as np
import pytest
import torch

from tinymech import perturb as perturbation
from tinymech import catalog as registry
from tinymech.algzoo.handcrafted import handcrafted_2, handcrafted_3, leave_one_out_weights
from tinymech.algzoo.null_models import random_ensemble
from tinymech.algzoo.zoo import load_model
from tinymech.temporal_superposition.models import random_weights


@pytest.fixture
def off(monkeypatch):
    monkeypatch.delenv(perturbation.ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setenv(perturbation.ENVIRONMENT_VARIABLE, "1")


def _state(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_off_by_default_returns_the_object_itself(off):
    value = {"a": torch.ones(3), "b": np.ones(2)}
    assert not perturbation.enabled()
    assert perturbation.perturb(value, "x") is value
    payload, _ = registry.load("rnn/m2_2")
    again, _ = registry.load("rnn/m2_2")
    assert all(torch.equal(payload[k], again[k]) for k in payload)
    assert torch.equal(
        handcrafted_2().rnn.weight_hh_l0, torch.tensor([[-1.0, 1.0], [1.0, -1.0]])
    )


def test_a_bad_value_of_the_variable_is_refused(monkeypatch):
    monkeypatch.setenv(perturbation.ENVIRONMENT_VARIABLE, "yes")
    with pytest.raises(ValueError, match="must be 0 or 1"):
        perturbation.enabled()


def test_float32_moves_exactly_one_unit_in_the_last_place_and_zeros_stay():
    x = torch.tensor([1.0, -3.5, 0.0, 1e-20, 7.0] * 200, dtype=torch.float32)
    y = perturbation.perturb(x, "t", force=True)
    assert y.dtype == torch.float32 and not torch.equal(x, y)
    ulp = np.spacing(np.abs(x.numpy()))
    steps = np.abs(y.numpy().astype(np.float64) - x.numpy()) / ulp
    nonzero = x.numpy() != 0
    # one ulp up, or one ulp down (half an ulp in units of the upper spacing at a power of two)
    assert np.all(np.isin(steps[nonzero], (0.5, 1.0)))
    assert np.all(y.numpy()[~nonzero] == 0)
    assert 0.3 < np.mean(y.numpy()[nonzero] > x.numpy()[nonzero]) < 0.7  # both directions


def test_float64_moves_by_relative_1e_12_at_most():
    x = np.linspace(-5, 5, 1001)
    y = perturbation.perturb(x, "t", force=True)
    relative = np.abs(y[x != 0] - x[x != 0]) / np.abs(x[x != 0])
    assert (
        relative.max() <= perturbation.FLOAT64_RELATIVE
        and relative.max() > 0.5 * perturbation.FLOAT64_RELATIVE
    )
    assert np.all(y[x == 0] == 0)


def test_integers_and_booleans_are_left_alone_and_containers_are_walked():
    value = {
        "i": torch.arange(4),
        "b": np.array([True, False]),
        "f": [np.ones(3)],
        "s": "text",
        "x": 1.5,
    }
    out = perturbation.perturb(value, "t", force=True)
    assert torch.equal(out["i"], value["i"]) and np.array_equal(out["b"], value["b"])
    assert out["s"] == "text" and out["x"] == 1.5
    assert not np.array_equal(out["f"][0], value["f"][0])


def test_same_name_same_perturbation_other_name_other():
    x = np.linspace(1, 2, 100)
    a, b, c = (perturbation.perturb(x, name, force=True) for name in ("a", "a", "b"))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_every_loader_perturbs_when_on(off, monkeypatch):
    payload, _ = registry.load("rnn/m2_2")
    hand2, hand3, loo = (
        _state(handcrafted_2()),
        _state(handcrafted_3(100.0, dtype=torch.float64)),
        leave_one_out_weights(10),
    )
    hand3_single = _state(handcrafted_3(100.0))
    hand10, ensemble = _state(load_model("handcrafted_10")), random_ensemble(loo, 2, seed=0)
    untrained = random_weights(2, 1, 2, seed=0)
    monkeypatch.setenv(perturbation.ENVIRONMENT_VARIABLE, "1")
    moved, _ = registry.load("rnn/m2_2")
    assert all(not torch.equal(payload[k], moved[k]) for k in payload)
    assert torch.allclose(payload["linear.weight"], moved["linear.weight"], rtol=2.5e-7, atol=0)
    # ARC's M4,3 is perturbed in float64, before its weights are rounded: in float32 the rounding absorbs it,
    # as it absorbs another CPU's float64 rounding
    assert all(torch.equal(hand3_single[k], v) for k, v in _state(handcrafted_3(100.0)).items())
    for before, after in (
        (hand2, _state(handcrafted_2())),
        (hand3, _state(handcrafted_3(100.0, dtype=torch.float64))),
        (hand10, _state(load_model("handcrafted_10"))),
    ):
        assert any(not torch.equal(before[k], after[k]) for k in before)
        assert all(
            torch.equal(before[k] == 0, after[k] == 0) for k in before
        )  # the zero pattern is kept
    assert not np.array_equal(loo.W_hh, leave_one_out_weights(10).W_hh)
    assert not np.array_equal(ensemble[0].W_hh, random_ensemble(loo, 2, seed=0)[0].W_hh)
    assert not torch.equal(untrained["W_h"], random_weights(2, 1, 2, seed=0)["W_h"])


def test_a_committed_result_keeps_its_counts_and_settings_and_moves_the_rest():
    payload = {
        "lr": torch.tensor([3e-4, 1e-3]),
        "regions": torch.tensor([7.0, 18.0], dtype=torch.float64),
        "W": torch.tensor([0.5, -1.25], dtype=torch.float64),
    }
    out = perturbation.perturb_result(payload, "r", force=True)
    assert torch.equal(out["lr"], payload["lr"])
    assert torch.equal(out["regions"], payload["regions"]) and not torch.equal(
        out["W"], payload["W"]
    )
    # built in code, whole numbers are perturbed too (a handcrafted model's exact integers)
    assert not torch.equal(
        perturbation.perturb(payload, "r", force=True)["regions"], payload["regions"]
    )
