"""Helpers moved out of the chapters: table rows and claim rows computed from made-up payloads whose
answers are known, and their refusals of bad input."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from tinymech.autoencoder.outcome_table import outcome_row, recovery_setting
from tinymech.autoencoder.outcomes import ASYMMETRIC_FAILURE, OTHER, PERFECT, SYMMETRIC_FAILURE
from tinymech.autoencoder.plotting import recovery_figure
from tinymech.autoencoder.resampling_claims import resampling_claim
from tinymech.errors import InvalidInputError
from tinymech.miiii.plots import accuracy_curves_figure
from tinymech.miiii.tables import by_kind, scale_row, setting_text, task_rows
from tinymech.temporal_superposition.phase_rows import classes_text, rows_at


def test_outcome_row_counts_failures_recoveries_and_final_outcomes():
    # three seeds over three checkpoints: seed 0 fails then recovers, seed 1 stays failed, seed 2 is perfect
    log = torch.tensor(
        [
            [SYMMETRIC_FAILURE, SYMMETRIC_FAILURE, OTHER],
            [SYMMETRIC_FAILURE, SYMMETRIC_FAILURE, PERFECT],
            [PERFECT, SYMMETRIC_FAILURE, PERFECT],
        ]
    )
    run = {
        "outcome_log": log,
        "first_failure": torch.tensor([100, 100, -1]),
        "first_perfect": torch.tensor([1100, -1, 50]),
        "recovered": torch.tensor([True, False, False]),
    }
    row = outcome_row("AdamW", 7, run)
    assert row[0] == 7 and row[1] == "AdamW"
    assert row[2].startswith("2/3")  # seeds 0 and 1 were ever in symmetric failure
    assert row[3] == 1  # seed 1 is in it at the end
    assert row[4] == "1,000"
    assert row[5] == "2 / 0 / 0"
    del run["recovered"]
    with pytest.raises(InvalidInputError, match="recovered"):
        outcome_row("AdamW", 7, run)
    assert (
        ASYMMETRIC_FAILURE not in log
    )  # the made-up log has no asymmetric failure: the middle count is 0


def test_recovery_setting_states_the_setting_and_the_rate():
    label, measured, criterion = recovery_setting("10⁻³", 3, 200, "25,000", (1, 100))
    assert label == "lr 10⁻³, 25,000 epochs"
    assert measured.value == pytest.approx(3 / 200)
    assert criterion.holds(measured)  # 3/200 overlaps 1/100


def test_resampling_claim_reads_the_verdict_at_the_main_learning_rate():
    methods = ["none", "anthropic"]
    lrs = [3e-4, 1e-3]
    counts = np.array([[0, 0], [2, 180]])  # anthropic revives 180 of 200 at 1e-3, 2 at 3e-4
    names = {3e-4: "3 × 10⁻⁴", 1e-3: "10⁻³"}
    row = resampling_claim(
        "it revives",
        1,
        "quote",
        counts=counts,
        methods=methods,
        lrs=lrs,
        checkpoints=200,
        lr_names=names,
        source="key",
    )
    assert row.measured.value == pytest.approx(0.9)
    assert row.verdict.startswith("reproduced")
    assert "floor" in row.note  # no run recovers without intervention at 1e-3
    with pytest.raises(InvalidInputError, match="'none' method"):
        resampling_claim(
            "x",
            1,
            "q",
            counts=counts,
            methods=["a", "b"],
            lrs=lrs,
            checkpoints=200,
            lr_names=names,
            source="key",
        )
    with pytest.raises(InvalidInputError, match="counts must be"):
        resampling_claim(
            "x",
            1,
            "q",
            counts=counts[:1],
            methods=methods,
            lrs=lrs,
            checkpoints=200,
            lr_names=names,
            source="key",
        )


def test_the_recovery_figure_stacks_the_latent_plane_under_two_panels():
    steps = np.array([0, 10_000, 20_000])
    norms, biases = np.ones((3, 7)), np.zeros((3, 7))
    W = torch.randn(2, 7, generator=torch.Generator().manual_seed(0))
    fig = recovery_figure(
        steps, norms, biases, (0, 10_000), W, torch.zeros(7), highlighted=2, final_title="end"
    )
    norm_ax, bias_ax, plane_ax = fig.axes[:3]
    assert plane_ax.get_position().y1 < norm_ax.get_position().y0  # the plane is below
    assert max(line.get_linewidth() for line in norm_ax.get_lines()) == 2.2
    plt.close(fig)
    with pytest.raises(ValueError, match="one row per step"):
        recovery_figure(
            steps,
            norms[:2],
            biases[:2],
            (0, 1),
            W,
            torch.zeros(7),
            highlighted=0,
            final_title="",
        )


def test_phase_rows_pick_probabilities_and_state_classes():
    table = [{"p": 0.1, "best_class": "sparse"}, {"p": 0.5, "best_class": "dense"}]
    assert rows_at(table, (0.1 + 1e-9,)) == table[:1]
    assert classes_text(table) == "0.1: sparse, 0.5: dense"
    with pytest.raises(InvalidInputError):
        classes_text([{"p": 0.1}])
    with pytest.raises(InvalidInputError):
        rows_at([{"best_class": "x"}], (0.1,))


def test_miiii_tables_format_settings_tasks_and_scales():
    assert setting_text(65_536) == "65,536"
    assert setting_text(0.001) == "0.001"
    log = {
        "train_acc": np.array([[0.5, 0.4], [1.0, 0.9]]),
        "valid_acc": np.array([[0.5, 0.3], [0.99, 0.2]]),
    }
    rows = task_rows(log, [120.0, math.nan], [2, 3])
    assert rows == [
        ["2", "0.500", "1.000", "0.990", "120"],
        ["3", "0.333", "0.900", "0.200", "never"],
    ]
    with pytest.raises(InvalidInputError):
        task_rows(log, [1.0], [2, 3])
    assert (
        by_kind({"nanda": 0.951, "miiii": -0.004, "basis": 0.0})
        == "nanda +0.95, miiii +0.00, basis +0.00"
    )
    assert scale_row("s", "paper", lambda m: m * 2, (1, 3)) == ["s", "paper", 2, 6]


def test_the_accuracy_curves_stack_training_over_validation():
    log = {
        "epoch": np.array([0, 10, 100]),
        "train_acc": np.array([[0.5, 0.3], [0.9, 0.6], [1.0, 1.0]]),
        "valid_acc": np.array([[0.5, 0.3], [0.6, 0.4], [0.9, 0.8]]),
    }
    fig = accuracy_curves_figure(log, "run", [2, 3])
    top, bottom = fig.axes
    assert "training" in top.get_title() and "validation" in bottom.get_title()
    assert top.get_lines()[0].get_xdata()[0] == 1  # epoch 0 drawn at 1 on the log axis
    plt.close(fig)
    with pytest.raises(InvalidInputError, match="one column per task"):
        accuracy_curves_figure(log, "run", [2, 3, 5])
