"""Figures of the miiii chapter: training and validation accuracy per task over training."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from tinymech.errors import InvalidInputError


def accuracy_curves_figure(log: dict, title_run: str, task_moduli: Sequence[int]):
    """Training (top) and validation (bottom) accuracy of each task against the epoch (log scale), one
    colour per task, panels stacked so each keeps the column's width.

    Args:
        log: a run's log: ``epoch`` ``(t,)``, ``train_acc`` and ``valid_acc`` ``(t, tasks)``.
        title_run: the run's name, in the titles.
        task_moduli: the modulus ``q`` of each task (the legend).

    Raises:
        InvalidInputError: accuracies without one column per task.
    """
    train, valid = np.asarray(log["train_acc"]), np.asarray(log["valid_acc"])
    if train.shape != valid.shape or train.shape[1] != len(task_moduli):
        raise InvalidInputError(
            f"accuracies {train.shape} and {valid.shape} need one column per task ({len(task_moduli)})"
        )
    colours = plt.cm.viridis(np.linspace(0, 0.95, len(task_moduli)))
    legend_rows = -(-len(task_moduli) // 6)
    fig, axes = plt.subplots(2, 1, figsize=(7.2, 7.0 + 0.3 * legend_rows), sharex=True)
    epochs = np.asarray(log["epoch"]).clip(min=1)
    for ax, split, acc in zip(axes, ("training", "validation"), (train, valid)):
        for t, q in enumerate(task_moduli):
            ax.plot(epochs, acc[:, t], color=colours[t], lw=1.1, label=f"q = {q}")
        ax.set_xscale("log")
        ax.set_ylabel("accuracy")
        ax.set_title(f"{title_run}: {split} accuracy")
    axes[1].set_xlabel("epoch (log scale; epoch 0 drawn at 1)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=6, frameon=False)
    fig.tight_layout(rect=(0, 0.035 * legend_rows + 0.02, 1, 1))
    return fig
