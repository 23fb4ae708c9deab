"""Figures of the M4,3 chapter: the regions on the sphere of inputs, mean squared error against compute on
noisy copies, and the handcrafted model's error rate against λ."""

from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from tinymech.errors import InvalidInputError

#: Colours of correct and wrong inputs on the sphere map (cividis: distinct in greyscale).
CORRECT_COLOUR, WRONG_COLOUR = plt.cm.cividis(0.85), plt.cm.cividis(0.1)
#: Colour of each accuracy estimator in the cost figure.
ESTIMATOR_COLOUR = {
    "sampling": plt.cm.viridis(0.15),
    "half_space": plt.cm.viridis(0.45),
    "symmetrized": plt.cm.viridis(0.7),
    "exact": plt.cm.viridis(0.95),
}


def sphere_map_figure(region: np.ndarray, correct: np.ndarray, n_regions: int) -> Figure:
    """The equal-area map of the sphere of inputs: correct (light) and wrong (dark) inputs, region edges grey.

    Args:
        region: ``(n_height, n_longitude)`` region index of each pixel (the map of
            :func:`tinymech.algzoo.exact.solid_angles.sphere_map`).
        correct: ``(n_height, n_longitude)`` booleans, the prediction is right there.
        n_regions: the number of linear regions, for the title.

    Raises:
        InvalidInputError: the two maps differ in shape or are not two-dimensional.
    """
    region, correct = np.asarray(region), np.asarray(correct, dtype=bool)
    if region.ndim != 2 or region.shape != correct.shape:
        raise InvalidInputError(
            f"region and correct must be maps of one shape, got {region.shape} and {correct.shape}"
        )
    edges = (np.diff(region, axis=0, prepend=region[:1]) != 0) | (
        np.diff(region, axis=1, prepend=region[:, :1]) != 0
    )
    image = np.where(correct[..., None], np.array(CORRECT_COLOUR), np.array(WRONG_COLOUR))
    image[edges] = (0.5, 0.5, 0.5, 1.0)
    fig, ax = plt.subplots(figsize=(7.2, 3.8))
    ax.imshow(
        image, extent=(0, 360, -1, 1), origin="lower", aspect="auto", interpolation="nearest"
    )
    for k in range(1, 6):
        ax.axvline(60 * k, color="white", lw=1.2, ls="--")
    ax.set_xticks(range(0, 361, 60))
    ax.set_xlabel("longitude around (1, 1, 1) (degrees; $x_0$ largest at 0)")
    ax.set_ylabel("height $x \\cdot (1,1,1)/\\sqrt{3}$")
    ax.set_title(f"Trained M4,3: correct (light), wrong (dark); {n_regions} linear regions")
    fig.tight_layout()
    return fig


def cost_figure(
    by_key: Mapping, sigmas: tuple[float, float], seconds_per_sample: float, names: Mapping
) -> Figure:
    """Mean squared error against compute on noisy copies of M4,3, at two noise scales.

    Args:
        by_key: the rows of :func:`tinymech.algzoo.symmetries.mse_versus_compute`, keyed by
            ``(sigma, estimator)``, for the estimators ``"half_space"``, ``"symmetrized"`` and ``"exact"``.
        sigmas: the small and the large noise scale (dotted and solid sampling lines).
        seconds_per_sample: the cost of one sampled sequence, in seconds.
        names: each estimator's name for the legend.

    Raises:
        InvalidInputError: a row is missing or the cost of a sample is not positive.
    """
    missing = [
        (s, k)
        for s in sigmas
        for k in ("half_space", "symmetrized", "exact")
        if (s, k) not in by_key
    ]
    if missing or not seconds_per_sample > 0:
        raise InvalidInputError(
            f"cost_figure needs rows {missing} and seconds_per_sample > 0 "
            f"(got {seconds_per_sample!r})"
        )
    small, large = sigmas
    budget = np.logspace(-6, 2, 50)
    fig, ax = plt.subplots(figsize=(7.2, 6.2))
    for sigma, style, marker in ((small, ":", "s"), (large, "-", "o")):
        ax.loglog(
            budget,
            by_key[sigma, "exact"].sampling_variance * seconds_per_sample / budget,
            style,
            color=ESTIMATOR_COLOUR["sampling"],
            label=f"sampling, σ = {sigma:g}",
        )
        for key in ("half_space", "symmetrized"):
            row = by_key[sigma, key]
            ax.scatter(
                [row.seconds],
                [row.mse],
                color=ESTIMATOR_COLOUR[key],
                edgecolor="k",
                zorder=3,
                marker=marker,
                label=f"{names[key]}, σ = {sigma:g}",
            )
    ax.scatter(
        [by_key[large, "exact"].seconds],
        [1e-16],
        marker="v",
        color=ESTIMATOR_COLOUR["exact"],
        edgecolor="k",
        zorder=3,
        label="exact count (rounding only; drawn at 10⁻¹⁶)",
    )
    ax.set_xlabel("compute (seconds on one CPU core)")
    ax.set_ylabel("mean squared error of the accuracy")
    ax.set_title("Noisy copies of M4,3: estimates against sampling")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, frameon=False)
    fig.tight_layout()
    return fig


def lambda_figure(sweep: Mapping, sweep_samples: int) -> Figure:
    """The handcrafted M4,3's error rate against λ: exact with float64 weights, exact with the weights
    rounded to float32, and sampled with float32 forward passes (``sweep_samples`` sequences per λ).

    Args:
        sweep: the ``lambda_sweep`` of the ``m4_3/study_handcrafted`` result (tensors ``lam``,
            ``exact_float64``, ``exact_float32_weights``, ``sampled_float32``, ``sampled_float32_se``).
        sweep_samples: sequences sampled per λ, for the legend.

    Raises:
        InvalidInputError: a column is missing.
    """
    columns = ("lam", "exact_float64", "exact_float32_weights", "sampled_float32")
    missing = [c for c in (*columns, "sampled_float32_se") if c not in sweep]
    if missing:
        raise InvalidInputError(f"the λ sweep lacks {missing}")
    lams = np.asarray(sweep["lam"])
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    ax.loglog(
        lams,
        1 - np.asarray(sweep["exact_float64"]),
        "o-",
        color=plt.cm.viridis(0.1),
        label="exact, float64 weights",
    )
    ax.loglog(
        lams,
        1 - np.asarray(sweep["exact_float32_weights"]),
        "s--",
        color=plt.cm.viridis(0.5),
        label="exact, weights rounded to float32",
    )
    ax.errorbar(
        lams,
        1 - np.asarray(sweep["sampled_float32"]),
        yerr=np.asarray(sweep["sampled_float32_se"]),
        fmt="^:",
        color=plt.cm.viridis(0.85),
        label=f"sampled, float32 forward pass ($2^{{{round(np.log2(sweep_samples))}}}$)",
    )
    ax.set_xlabel("λ")
    ax.set_ylabel("error rate")
    ax.set_title("Handcrafted M4,3: error rate against λ")
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    return fig
