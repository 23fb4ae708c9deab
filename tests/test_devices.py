"""The --device option: the CPU path unchanged, clear errors, and (only where a GPU exists) the GPU path."""

from __future__ import annotations

import math

import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.training import train
from tinymech.devices import resolve_device
from tinymech.errors import InvalidInputError

no_gpu = not torch.cuda.is_available()


def test_resolve_device_accepts_cpu_and_refuses_others():
    assert resolve_device("cpu") == torch.device("cpu")
    for bad in ("tpu", "gpu", "", 3):
        with pytest.raises(InvalidInputError, match="device must be"):
            resolve_device(bad)


@pytest.mark.skipif(not no_gpu, reason="a CUDA device is present")
def test_cuda_without_a_gpu_is_one_clear_error():
    with pytest.raises(InvalidInputError, match="no CUDA device is available"):
        resolve_device("cuda")
    with pytest.raises(InvalidInputError, match="no CUDA device"):
        sampled_accuracy(ReLURNN(4, 3), 100, device="cuda")


def test_cpu_device_is_the_default_path():
    first = train(3, 3, n_train=4096, batch_size=256, curve_points=0, progress=False)
    second = train(
        3, 3, n_train=4096, batch_size=256, curve_points=0, progress=False, device="cpu"
    )
    for key, value in first.model.state_dict().items():
        assert torch.equal(value, second.model.state_dict()[key])
    assert (
        sampled_accuracy(first.model, 50_000, seed=2).correct
        == sampled_accuracy(first.model, 50_000, seed=2, device="cpu").correct
    )


@pytest.mark.skipif(no_gpu, reason="no CUDA device (not run on the book's machines)")
def test_cuda_path_agrees_with_the_cpu_within_sampling_error():
    result = train(
        4, 3, n_train=8192, batch_size=256, curve_points=0, progress=False, device="cuda"
    )
    assert next(result.model.parameters()).device.type == "cpu"
    cpu = sampled_accuracy(result.model, 2**18, seed=1)
    gpu = sampled_accuracy(result.model, 2**18, seed=1, device="cuda")
    # the same sequences; only rounding differs, so the counts differ by a handful at most
    assert abs(cpu.correct - gpu.correct) <= 5 + 4 * math.sqrt(cpu.samples) * 1e-3
    assert (
        next(result.model.parameters()).device.type == "cpu"
    )  # the caller's model was not moved
