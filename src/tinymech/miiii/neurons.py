"""MLP neurons of a miiii model: activations on every input, the modulus each neuron follows, and the
number of active frequencies through training (the paper's "wall").

Source: Syrkis & Søgaard (2024), section "Analysis of Neuron Activations and Frequencies": the
activations after the ReLU are periodic in ``(x0, x1)``; averaged over neurons, the number of active
frequencies (a frequency is active when its amplitude exceeds mean + 2 std, "a frequently used signal
processing default") goes 0, 0, 10, 18, 10 at epochs 256, 1,024, 4,096, 16,384, 65,536: no significant
frequencies, frequencies emerging, "a wall of frequencies", and a count similar to before, the wall
coming as the remaining tasks are learned.  :func:`neurons_per_modulus` is this chapter's own: each
neuron is assigned the modulus q in whose ``n mod q`` it is most periodic (:func:`.fourier.modulus_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from tinymech.errors import InvalidInputError

from .model import MiiiiTransformer, float64_copy
from .tasks import TaskData


@torch.no_grad()
def last_position_activations(model: MiiiiTransformer, data: TaskData) -> np.ndarray:
    """Post-ReLU MLP activations at the last position for every input, computed in float64.

    Float64 makes the numbers derived from them (scores, counts, argmaxes) the same on every CPU.

    Returns:
        ``(p**2, 4 d)`` array; row ``n = x0 + p x1`` (the order of :func:`.tasks.make_task`).
    """
    cache: dict[str, torch.Tensor] = {}
    float64_copy(model)(data.inputs, cache=cache)
    return cache["mlp_post"][:, -1].numpy()


def neurons_per_modulus(scores: np.ndarray, threshold: float = 3.0) -> np.ndarray:
    """How many neurons have each modulus as the one they are most periodic in.

    A neuron counts only if its best score exceeds ``threshold`` (times chance).  Tie rule: a neuron
    equally periodic in two moduli goes to the first (smallest q, as the columns are ordered).

    Args:
        scores: ``(n_neurons, n_moduli)`` from :func:`.fourier.modulus_scores` (columns ordered by q).
        threshold: minimum best score.

    Returns:
        ``(n_moduli,)`` int counts; their sum is the number of neurons above the threshold.

    Raises:
        InvalidInputError: if ``scores`` is not 2-D or holds a non-finite value.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 2 or not np.all(np.isfinite(s)):
        raise InvalidInputError(
            f"scores must be a finite (n_neurons, n_moduli) array, got shape {s.shape}"
        )
    strong = s.max(axis=1) > threshold
    return np.bincount(s.argmax(axis=1)[strong], minlength=s.shape[1])


def averaged_active_frequency_count(spectra: np.ndarray, n_std: float = 2.0) -> np.ndarray:
    """Active frequencies of the neuron-averaged spectrum, per snapshot (the paper's count).

    The per-digit spectra of all neurons (:func:`.fourier.neuron_spectrum`) are averaged over neurons;
    the ``2 (p // 2)`` non-constant amplitudes (x0 and x1 axes pooled) count as active above their mean
    + ``n_std`` std.  By Cantelli's inequality at most a share ``1 / (1 + n_std^2)`` of the amplitudes can
    be active (a fifth at 2 std), whatever the spectrum.

    Args:
        spectra: ``(n_snapshots, n_neurons, 2, n_freq)`` (float16 snapshots are averaged in float64).

    Returns:
        ``(n_snapshots,)`` int counts.

    Raises:
        InvalidInputError: if ``spectra`` is not 4-D with 2 digit axes.
    """
    s = np.asarray(spectra, dtype=np.float64)
    if s.ndim != 4 or s.shape[2] != 2 or s.shape[3] < 3:
        raise InvalidInputError(
            f"spectra must be (n_snapshots, n_neurons, 2, n_freq >= 3), got {s.shape}"
        )
    body = s.mean(axis=1)[:, :, 1:].reshape(s.shape[0], -1)
    threshold = body.mean(axis=1, keepdims=True) + n_std * body.std(axis=1, keepdims=True)
    return (body > threshold).sum(axis=1)


@dataclass(frozen=True)
class FrequencyWall:
    """The paper's "wall" test on a count of active frequencies through training.

    Attributes:
        before: the count at the last snapshot at or before ``start`` (the first tasks learnt).
        peak: the largest count at a snapshot in ``(start, stop]`` (the remaining tasks being learnt).
        peak_epoch: the epoch of that snapshot (the first one, if several share the peak).
        final: the count at the last snapshot.
        ratio: ``peak / max(before, final, 1)`` (only the denominator is floored, at 1, so a count of 0
            before and after does not divide by 0); the paper's 18 against 10 and 10 gives 1.8, no rise gives
            at most 1, and a peak of 0 gives 0.
    """

    before: int
    peak: int
    peak_epoch: int
    final: int
    ratio: float


def frequency_wall(epochs, counts, start: int, stop: int) -> FrequencyWall:
    """Does the count rise while the remaining tasks are learnt, and fall back afterwards?

    Args:
        epochs: ``(n_snapshots,)`` ascending snapshot epochs.
        counts: ``(n_snapshots,)`` active-frequency counts at those epochs.
        start: the epoch the first tasks are learnt (the wall is looked for after it).
        stop: the epoch the last task is learnt.

    Raises:
        InvalidInputError: if the shapes differ, ``start >= stop``, or no snapshot lies in
            ``(start, stop]`` or at or before ``start`` (the test needs all three counts).
    """
    e = np.asarray(epochs, dtype=float)
    c = np.asarray(counts, dtype=float)
    if e.ndim != 1 or e.shape != c.shape:
        raise InvalidInputError(
            f"epochs and counts must be 1-D of one length, got {e.shape} and {c.shape}"
        )
    if not start < stop:
        raise InvalidInputError(f"need start < stop, got {start} and {stop}")
    window = (e > start) & (e <= stop)
    earlier = e <= start
    if not window.any() or not earlier.any():
        raise InvalidInputError(
            f"need snapshots at or before epoch {start} and in ({start}, {stop}], "
            f"found epochs {e.astype(int).tolist()}"
        )
    before = int(c[earlier][-1])
    inside = np.flatnonzero(window)
    top = inside[int(np.argmax(c[inside]))]
    peak, final = int(c[top]), int(c[-1])
    return FrequencyWall(before, peak, int(e[top]), final, peak / max(before, final, 1))
