"""The device a tensor computation runs on: ``"cpu"`` (the default, the book's) or ``"cuda"``.

Only tensor code takes a device: training an RNN (:func:`tinymech.algzoo.training.train`) and sampling
its accuracy (:func:`tinymech.algzoo.evaluation.sampled_accuracy`).  On every device the inputs are drawn
on the CPU exactly as before (numpy PCG64 for sampling, torch's CPU generator for training) and moved, so a
seed means the same sequences everywhere; the arithmetic on a GPU rounds differently, so its numbers are
not the book's committed ones.  The CPU path is unchanged by this module.
"""

from __future__ import annotations

import torch

from tinymech.errors import InvalidInputError

#: Device names accepted (a CUDA index may follow: ``"cuda:1"``).
DEVICES = ("cpu", "cuda")


def resolve_device(name: str | torch.device = "cpu") -> torch.device:
    """The ``torch.device`` for ``name``.

    Raises:
        InvalidInputError: for a name other than ``cpu`` or ``cuda[:index]``, or ``cuda`` when no CUDA
            device is available (one line saying so).
    """
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError):
        raise InvalidInputError(f"device must be 'cpu' or 'cuda', got {name!r}") from None
    if device.type not in DEVICES:
        raise InvalidInputError(f"device must be 'cpu' or 'cuda', got {name!r}")
    if device.type == "cuda" and not torch.cuda.is_available():
        raise InvalidInputError(
            f"device {name!r} asked for, but no CUDA device is available on this machine "
            "(torch.cuda.is_available() is False); use --device cpu"
        )
    return device
