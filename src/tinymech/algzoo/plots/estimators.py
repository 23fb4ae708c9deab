"""Figures of the estimators chapter: mean squared error versus compute of ARC's M4,3 estimators against
sampling, one panel per model."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from tinymech.errors import InvalidInputError

#: ARC's estimators drawn as points (the exact method is a vertical line, sampling a curve).
POINT_METHODS = ("arc_original", "arc_original_earlier", "arc_symmetric_reduction")


def mse_figure(
    summaries: Mapping[str, Mapping],
    titles: Mapping[str, str],
    axis_of: Callable[[Mapping, str], float],
    xlabel: str,
    colours: Mapping[str, object],
    markers: Mapping[str, str],
    labels: Mapping[str, str],
) -> Figure:
    """MSE versus compute over each model's noisy ensemble, one panel per model (at most two).

    Sampling is drawn measured (dots, ± 2 standard errors) and in closed form (dashed, mean ``p(1-p)/k``);
    each of :data:`POINT_METHODS` is one point with ± 2 standard errors; the exact method is a dotted
    vertical line at its cost (zero error).

    Args:
        summaries: per model, the summary of :func:`tinymech.algzoo.studies.estimators.summarize_study`
            (keys ``"sampling"``, ``"sampling_predicted"``, ``"methods"``, ``"accuracy"``).
        titles: per model, the panel's title.
        axis_of: ``(summary, method) -> x`` (operations or seconds per model; ``method`` may be
            ``"sampling"``, then an array).
        xlabel: the horizontal axis' label.
        colours, markers, labels: per method name ("sampling", "exact" and :data:`POINT_METHODS`).

    Raises:
        InvalidInputError: no model, or more than two (the book shows at most two panels across).
    """
    if not 1 <= len(summaries) <= 2:
        raise InvalidInputError(f"the MSE figure draws one or two models, got {len(summaries)}")
    fig, axes = plt.subplots(1, len(summaries), figsize=(7.2, 3.4), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (model, summary) in zip(axes, summaries.items()):
        curve = summary["sampling"]
        x = axis_of(summary, "sampling")
        ax.plot(
            x,
            summary["sampling_predicted"],
            color=colours["sampling"],
            lw=1,
            ls="--",
            label="sampling, mean p(1-p)/k",
        )
        ax.errorbar(
            x,
            curve.mse,
            yerr=2 * curve.mse_standard_error,
            fmt="o",
            ms=3,
            color=colours["sampling"],
            label="sampling, measured ± 2 SE",
        )
        for method in POINT_METHODS:
            m = summary["methods"][method]
            ax.errorbar(
                [axis_of(summary, method)],
                [m.mse],
                yerr=[2 * m.mse_standard_error],
                fmt=markers[method],
                ms=7,
                color=colours[method],
                label=labels[method],
            )
        ax.axvline(
            axis_of(summary, "exact"),
            color=colours["exact"],
            lw=2,
            ls=":",
            label="exact: zero error",
        )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_title(titles[model])
        ax.grid(alpha=0.3, which="both", lw=0.5)
    first = next(iter(summaries.values()))
    axes[0].set_ylabel(f"mean squared error over {len(first['accuracy'])} models")
    handles, legend_labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.22, 1, 1))
    return fig


def m16_mse_figure(
    budgets,
    lines: Mapping[str, Mapping[str, object]],
    points: Mapping[str, Mapping[str, tuple]],
    titles: Mapping[str, str],
    colours: Mapping[str, object],
    markers: Mapping[str, str],
    labels: Mapping[str, str],
) -> Figure:
    """M16,10's MSE versus operations per model, one panel per ensemble (at most two): the samplers as
    lines, each mechanistic estimate as points (one per setting).

    Args:
        budgets: operations per model of the samplers' lines.
        lines: per ensemble, the samplers' MSE at ``budgets`` (keys ``"plain"``, ``"stratified"``,
            ``"control_variate"``, ``"rqmc"``) and ``"constant_guess"``, the best constant guess' MSE.
        points: per ensemble, per estimate, ``(operations, mse)`` of its settings.
        titles: per ensemble, the panel's title.
        colours, markers: per sampler or estimate (``"sampling"`` for plain sampling).
        labels: per estimate, its legend label.

    Raises:
        InvalidInputError: no ensemble, or more than two.
    """
    if not 1 <= len(lines) <= 2:
        raise InvalidInputError(
            f"the M16,10 figure draws one or two ensembles, got {len(lines)}"
        )
    fig, axes = plt.subplots(1, len(lines), figsize=(7.2, 4.2), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (group, curves) in zip(axes, lines.items()):
        ax.plot(budgets, curves["plain"], color=colours["sampling"], label="sampling")
        ax.plot(
            budgets,
            curves["stratified"],
            color=colours["stratified"],
            ls="--",
            label="stratified sampling",
        )
        ax.plot(
            budgets,
            curves["control_variate"],
            color=colours["control_variate"],
            ls=":",
            lw=1.8,
            label="control variate",
        )
        ax.plot(
            budgets,
            curves["rqmc"],
            color=colours["rqmc"],
            ls="-.",
            label="RQMC (scrambled Sobol)",
        )
        ax.axhline(curves["constant_guess"], color="grey", lw=0.8, label="best constant guess")
        for method, (operations, mse) in points[group].items():
            ax.scatter(
                operations,
                mse,
                marker=markers[method],
                s=24,
                color=colours[method],
                edgecolor="black",
                linewidth=0.5,
                zorder=3,
                label=labels[method],
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(titles[group])
        ax.set_xlabel("operations per model (multiply-adds)")
        ax.grid(alpha=0.3, which="major", lw=0.5)
    axes[0].set_ylabel("mean squared error")
    handles, legend_labels = axes[-1].get_legend_handles_labels()
    fig.legend(handles, legend_labels, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.24, 1, 1))
    return fig


def m16_error_figure(
    case_error,
    gate_error,
    pattern_match,
    colours: Mapping[str, object],
    markers: Mapping[str, str],
) -> Figure:
    """Where M16,10's two estimates err: fixed masks' mean error per case (left, position of the largest by
    position of the second largest), and per step moment propagation's gate error and the share of inputs
    off fixed masks' pattern (right).

    Args:
        case_error: ``(n, n)`` mean error of fixed masks per case (NaN where no case).
        gate_error: ``(n,)`` RMS gate error of moment propagation per step.
        pattern_match: ``(n,)`` share of inputs on fixed masks' pattern per step.
        colours, markers: per estimate (``"moment_propagation"``, ``"fixed_masks"``).

    Raises:
        InvalidInputError: the shapes do not agree.
    """
    case_error, gate_error = np.asarray(case_error), np.asarray(gate_error)
    pattern_match = np.asarray(pattern_match)
    n = len(gate_error)
    if case_error.shape != (n, n) or pattern_match.shape != (n,):
        raise InvalidInputError(
            f"case_error must be ({n}, {n}) and pattern_match ({n},) for {n} steps, got "
            f"{case_error.shape} and {pattern_match.shape}"
        )
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.8))
    image = axes[0].imshow(
        case_error, cmap="cividis", vmin=np.nanmin(case_error), vmax=np.nanmax(case_error)
    )
    axes[0].set_xlabel("position s of the second largest")
    axes[0].set_ylabel("position m of the largest")
    axes[0].set_xticks(range(n))
    axes[0].set_yticks(range(n))
    fig.colorbar(image, ax=axes[0], label="fixed masks: mean case error")
    steps = np.arange(n)
    axes[1].plot(
        steps,
        gate_error,
        markers["moment_propagation"] + "-",
        color=colours["moment_propagation"],
        lw=2,
        mec="black",
        mew=0.5,
        label="moment propagation: gate error (RMS)",
    )
    axes[1].plot(
        steps,
        1 - pattern_match,
        markers["fixed_masks"] + "--",
        color=colours["fixed_masks"],
        mec="black",
        mew=0.5,
        label="fixed masks: inputs off pattern",
    )
    axes[1].set_xlabel("step t")
    axes[1].set_ylabel("fraction")
    axes[1].set_xticks(steps)
    axes[1].set_ylim(0, 1)
    axes[1].set_yticks([0, 0.25, 0.5, 0.75, 1])
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
