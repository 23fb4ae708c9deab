"""The perturbation run: every floating-point array handed to an analysis, moved at the scale of rounding.

Another CPU (another instruction set, another BLAS code path, another number of threads) changes the last
bits of a computation, not its value.  A printed number that such a change can alter is not a continuous
function of its input at that point: an argmax decided by a tie, a value sitting on a threshold, an
eigenvector of a repeated eigenvalue, a sort of equal keys.  A second machine samples a few rounding
differences; perturbing every input at rounding scale finds every output of this kind.

When the environment variable :data:`ENVIRONMENT_VARIABLE` (``TINYMECH_PERTURB``) is ``1``, the loaders
that hand arrays to analyses pass them through :func:`perturb_result` or :func:`perturb`:

- :func:`tinymech.registry.load` (every committed result, trained models included);
- :func:`tinymech.algzoo.zoo.load_model` for a file given by path, and the handcrafted constructors of
  :mod:`tinymech.algzoo.handcrafted` (their exact symmetries are what makes degenerate subspaces); ARC's
  M4,3 is computed in float64 and then rounded, so it is perturbed in float64 before the rounding;
- the builders of untrained weights that notebooks analyse (:func:`tinymech.algzoo.null_models.random_ensemble`,
  :func:`tinymech.temporal_superposition.models.random_weights`).

In a committed result (:func:`perturb_result`) some float arrays are left alone, because no CPU rounds
them: arrays of whole numbers (counts, sizes and integer settings stored as floats), and the arrays stored
under the keys in :data:`SETTING_KEYS`: the settings a run was made at, and sampled accuracies ``k / 2^24``
that float32 holds exactly (one unit in their last place would be one sample more or fewer).  Models and
weights built in code (:func:`perturb`) are perturbed entirely, whole numbers included: the exact integers
of a handcrafted model are what makes its degeneracies.

Each float64 entry ``x`` becomes ``x (1 + 1e-12 u)`` with ``u`` uniform in ``[-1, 1]``; each float32
(or float16/bfloat16) entry moves one unit in the last place up or down at random.  Zeros stay zero (a
stored zero is exact on every machine).  The draws come from numpy's PCG64 seeded by a fixed seed and
the name of what is loaded, so the perturbation is the same on every run and independent of load order.
Off (the default), :func:`perturb` returns its argument itself.
"""

from __future__ import annotations

import os
import zlib
from typing import Any

import numpy as np
import torch

#: The environment variable that switches the perturbation run on (value ``1``).
ENVIRONMENT_VARIABLE = "TINYMECH_PERTURB"
#: Relative size of the perturbation of float64 entries.
FLOAT64_RELATIVE = 1e-12
#: The fixed seed (combined with the name of what is perturbed).
SEED = 20261204
#: Keys under which a committed result stores exact values (left alone by :func:`perturb_result`): the
#: settings it was computed at (learning rates, perturbation sizes, lambda of a sweep, noise levels) and
#: sampled accuracies ``[k / 2^24, standard error]`` stored exactly in float32 (the M4,3 studies).
SETTING_KEYS = frozenset(
    {
        "lr",
        "delta",
        "lam",
        "sigma",
        "trained_sampled_float32",
        "trained_sampled_float64",
        "handcrafted_sampled_float32",
        "handcrafted_sampled_float64",
    }
)


def enabled() -> bool:
    """Whether the perturbation run is on (``TINYMECH_PERTURB=1``); read at every call.

    Raises:
        ValueError: if the variable is set to anything but ``0``, ``1`` or the empty string.
    """
    value = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if value not in ("", "0", "1"):
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be 0 or 1 (or unset), got {value!r}")
    return value == "1"


def _generator(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode("utf-8"))])


def _perturb_numpy(array: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if array.dtype == np.float64:
        return array * (1.0 + FLOAT64_RELATIVE * rng.uniform(-1.0, 1.0, array.shape))
    direction = np.where(rng.random(array.shape) < 0.5, -np.inf, np.inf).astype(array.dtype)
    moved = np.nextafter(array, direction)
    return np.where(array == 0, array, moved).astype(array.dtype)


def _perturb_tensor(tensor: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    if tensor.dtype in (torch.float64, torch.float32):
        values = tensor.detach().cpu().numpy()
        return torch.from_numpy(np.ascontiguousarray(_perturb_numpy(values, rng))).to(
            tensor.device
        )
    # float16, bfloat16: one unit in the last place through torch (numpy has no bfloat16)
    direction = torch.from_numpy(
        np.where(rng.random(tuple(tensor.shape)) < 0.5, -np.inf, np.inf)
    ).to(tensor.dtype)
    moved = torch.nextafter(tensor.detach(), direction)
    return torch.where(tensor == 0, tensor, moved)


def _whole(array) -> bool:
    values = array.detach().cpu().numpy() if isinstance(array, torch.Tensor) else array
    return bool(np.all(np.floor(values) == values))


def _walk(value: Any, rng: np.random.Generator, result: bool) -> Any:
    if isinstance(value, torch.nn.Parameter):
        return value  # parameters are changed in place through their module (see perturb)
    if isinstance(value, torch.Tensor):
        if not value.is_floating_point() or (result and _whole(value)):
            return value
        return _perturb_tensor(value, rng)
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "f" or (result and _whole(value)):
            return value
        return _perturb_numpy(value, rng)
    if isinstance(value, dict):
        return type(value)(
            (key, item if result and key in SETTING_KEYS else _walk(item, rng, result))
            for key, item in value.items()
        )
    if isinstance(value, list):
        return [_walk(item, rng, result) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_walk(item, rng, result) for item in value)
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        import dataclasses

        changes = {
            f.name: _walk(getattr(value, f.name), rng, result)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


def perturb(value: Any, name: str, *, force: bool = False) -> Any:
    """``value`` with every floating-point array perturbed at rounding scale, if the run is on.

    Args:
        value: a tensor, numpy array, ``torch.nn.Module`` (its floating-point parameters and buffers are
            changed in place), dataclass, or a dict/list/tuple of them (walked recursively; a new container
            is returned).  Integers, booleans, strings and Python floats are left alone.
        name: what is perturbed (a result name, a model name); with :data:`SEED` it seeds the draws.
        force: perturb even when :func:`enabled` is False (for tests).

    Returns:
        ``value`` itself when the run is off; otherwise the perturbed value (see the module docstring).
    """
    if not (force or enabled()):
        return value
    rng = _generator(name)
    if isinstance(value, torch.nn.Module):
        with torch.no_grad():
            for _, tensor in sorted(value.state_dict(keep_vars=True).items()):
                if tensor.is_floating_point():
                    tensor.copy_(_perturb_tensor(tensor, rng))
        return value
    return _walk(value, rng, False)


def perturb_result(payload: Any, name: str, *, force: bool = False) -> Any:
    """A committed result's payload with its computed floating-point arrays perturbed, if the run is on.

    As :func:`perturb`, except that arrays of whole numbers and arrays stored under :data:`SETTING_KEYS`
    are left alone (see the module docstring).
    """
    if not (force or enabled()):
        return payload
    return _walk(payload, _generator(name), True)
