"""Tests of tinymech.miiii: tasks, model masking, loss, Grokfast, Fourier analyses, training, loading."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinymech.errors import InvalidInputError
from tinymech.miiii import fourier, grokking, neurons, runs
from tinymech.miiii.grokfast import GrokfastEMA
from tinymech.miiii.loss import per_task_loss, weighted_task_loss
from tinymech.miiii.model import MiiiiTransformer, float64_copy, zero_masked_logits
from tinymech.miiii.tasks import make_task, primes_below
from tinymech.miiii.training import (
    TrainingConfig,
    evaluate,
    grokking_epoch,
    snapshot_epochs,
    train,
)

torch.set_num_threads(1)


# ---------------------------------------------------------------- tasks
def test_primes_below_known_values():
    assert primes_below(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert len(primes_below(113)) == 29  # the paper's 29 tasks
    with pytest.raises(ValueError, match="p must be >= 3"):
        primes_below(2)


def test_miiii_labels_are_remainders_of_the_base_p_number():
    data = make_task("miiii", 13, seed=1)
    x0, x1, sep = data.inputs.T
    assert torch.all(sep == 13)
    n = x0 + 13 * x1
    assert torch.equal(n, torch.arange(169))
    for t, q in enumerate(data.moduli):
        assert torch.equal(data.labels[:, t], n % q)
    assert int(data.train_mask.sum()) == round(0.5 * 169)


def test_controls_basis_shuffles_rows_masked_zeroes_small_moduli_nanda_adds():
    miiii = make_task("miiii", 17, seed=3)
    basis = make_task("basis", 17, seed=3)
    assert not torch.equal(basis.labels, miiii.labels)
    # whole rows are moved: the multiset of label rows is unchanged
    key = lambda labels: sorted(map(tuple, labels.tolist()))  # noqa: E731
    assert key(basis.labels) == key(miiii.labels)
    masked = make_task("masked", 17)
    assert masked.task_weights.tolist() == [
        0.0 if q in (2, 3, 5, 7) else 1.0 for q in masked.moduli
    ]
    nanda = make_task("nanda", 17)
    assert nanda.moduli == (17,)
    assert torch.equal(nanda.labels[:, 0], (nanda.inputs[:, 0] + nanda.inputs[:, 1]) % 17)
    with pytest.raises(ValueError, match="unknown task"):
        make_task("mod", 17)
    with pytest.raises(ValueError, match="p > 11"):
        make_task("masked", 11)
    with pytest.raises(ValueError, match="train_fraction"):
        make_task("miiii", 17, train_fraction=1.0)


# ---------------------------------------------------------------- model
def test_logits_of_impossible_classes_are_minus_infinity_and_shapes_are_checked():
    torch.manual_seed(0)
    model = MiiiiTransformer(11, 16, 4, (2, 3, 5, 7)).eval()
    logits = model(make_task("miiii", 11).inputs)
    assert logits.shape == (121, 4, 7)
    for t, q in enumerate((2, 3, 5, 7)):
        assert torch.isinf(logits[:, t, q:]).all() and torch.isfinite(logits[:, t, :q]).all()
    with pytest.raises(ValueError, match="shape"):
        model(torch.zeros(4, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="must lie in"):
        model(torch.full((1, 3), 12))
    with pytest.raises(ValueError, match="divisible"):
        MiiiiTransformer(11, 10, 4, (2, 3))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), batch=st.integers(1, 20))
def test_cached_full_forward_equals_last_position_fast_path(seed, batch):
    torch.manual_seed(seed)
    model = MiiiiTransformer(7, 8, 2, (2, 3, 5)).eval()
    tokens = torch.randint(0, 8, (batch, 3))
    cache: dict = {}
    full = model(tokens, cache=cache)
    fast = model(tokens)
    torch.testing.assert_close(
        full.nan_to_num(neginf=0), fast.nan_to_num(neginf=0), rtol=1e-5, atol=1e-5
    )
    assert cache["mlp_post"].shape == (batch, 3, 32)


def test_zero_mask_lets_an_impossible_class_win_when_valid_logits_are_negative():
    logits = torch.tensor([[[-1.0, -2.0, float("-inf")], [3.0, -1.0, 0.5]]])  # tasks q = 2, 3
    zero = zero_masked_logits(logits, (2, 3))
    assert zero[0, 0].argmax().item() == 2  # the 0 of class 2 >= q beats -1 and -2
    assert zero[0, 1].argmax().item() == 0  # unchanged when a valid logit is positive
    with pytest.raises(ValueError):
        zero_masked_logits(logits, (2,))


# ---------------------------------------------------------------- loss
def test_uniform_prediction_has_loss_one_per_task():
    moduli = (2, 3, 5, 7)
    logits = torch.zeros(10, 4, 7).masked_fill(
        torch.arange(7)[None, :] >= torch.tensor(moduli)[:, None], -math.inf
    )
    labels = torch.stack([torch.randint(0, q, (10,)) for q in moduli], 1)
    assert torch.allclose(
        per_task_loss(logits, labels), torch.log(torch.tensor(moduli, dtype=torch.float))
    )
    assert weighted_task_loss(logits, labels, moduli, torch.ones(4)).item() == pytest.approx(
        1.0
    )
    assert weighted_task_loss(
        logits, labels, moduli, torch.tensor([0.0, 0, 1, 1])
    ).item() == pytest.approx(0.5)


def test_masked_tasks_get_no_gradient_on_their_unembedding():
    torch.manual_seed(0)
    data = make_task("masked", 17)
    model = MiiiiTransformer(17, 16, 4, data.moduli)
    weighted_task_loss(
        model(data.inputs), data.labels, data.moduli, data.task_weights
    ).backward()
    grad = model.W_U.grad
    assert torch.all(grad[:4] == 0) and grad[4:].abs().sum() > 0


# ---------------------------------------------------------------- grokfast
@pytest.mark.parametrize("init", ["zero", "first"])
def test_grokfast_closed_form_for_a_constant_gradient(init):
    alpha, lamb, g = 0.9, 2.0, torch.tensor([1.0, -3.0])
    param = torch.nn.Parameter(torch.zeros(2))
    ema = GrokfastEMA([param], alpha=alpha, lamb=lamb, init=init)
    for t in range(1, 6):
        param.grad = g.clone()
        ema.filter_()
        ema_t = (1 - alpha**t) * g if init == "zero" else g  # EMA of a constant
        assert torch.allclose(param.grad, g + lamb * ema_t, atol=1e-6)
    with pytest.raises(ValueError, match="alpha"):
        GrokfastEMA([param], alpha=1.0)


# ---------------------------------------------------------------- fourier
def test_pure_cosine_embedding_has_exactly_its_frequency_active():
    p, k = 31, 5
    t = np.arange(p)[:, None]
    emb = np.cos(2 * np.pi * k * t / p) * np.array([[1.0, -2.0, 0.5]])
    spectrum = fourier.embedding_spectrum(emb)
    assert spectrum.shape == (16,)
    assert fourier.active_frequencies(spectrum).tolist() == [k]
    s, k50, k90 = fourier.singular_value_marks(emb)
    assert k50 == k90 == 1 and s[1] < 1e-10


def test_neuron_spectrum_separates_the_two_digits():
    p = 13
    n = np.arange(p * p)
    x0, x1 = n % p, n // p
    acts = np.stack([np.cos(2 * np.pi * 3 * x0 / p), np.sin(2 * np.pi * 4 * x1 / p)], 1)
    spectra = fourier.neuron_spectrum(acts, p)
    assert spectra.shape == (2, 2, 7)
    # k = 0 along the other digit holds the marginal variance; every k >= 1 there is empty
    assert spectra[0, 0].argmax() == 3 and spectra[0, 1, 1:].max() < 1e-9
    assert spectra[1, 1].argmax() == 4 and spectra[1, 0, 1:].max() < 1e-9
    assert fourier.neuron_active_frequency_count(spectra).tolist() == [1, 1]


def test_periodic_variance_fraction_exact_and_chance_level():
    p, q = 47, 5
    t = np.arange(p)
    exact = np.stack([np.cos(2 * np.pi * 2 * t / q), (t % q == 1).astype(float)], 1)
    assert np.allclose(fourier.periodic_variance_fraction(exact, t, q), 1.0)
    # random values: E[R^2] = (q - 1) / (N - 1); 400 columns, mean within 4 standard errors
    values = np.random.default_rng(0).normal(size=(p, 400))
    r2 = fourier.periodic_variance_fraction(values, t, q)
    assert abs(r2.mean() - (q - 1) / (p - 1)) < 4 * r2.std() / np.sqrt(r2.size)


def test_per_modulus_spectrum_finds_the_frequency_a_p_point_fft_smears():
    p, q, k = 47, 7, 2
    t = np.arange(p)[:, None]
    emb = np.cos(2 * np.pi * k * t / q) * np.ones((1, 4))
    per_q = fourier.per_modulus_spectrum(emb, q)
    assert per_q.argmax() == k and np.sort(per_q)[-2] < 1e-9
    # the p-point FFT puts it at the non-integer bin p k / q = 13.4: two bins share it, leaking
    full = fourier.embedding_spectrum(emb)
    assert set(np.argsort(full)[-2:]) == {13, 14}


def test_positional_correlation_handcrafted():
    pos = np.array([[1.0, 2.0, 3.0], [-2.0, -4.0, -6.0], [0.0, 0.0, 1.0]])
    assert fourier.positional_correlation(pos) == pytest.approx(-1.0)


# ---------------------------------------------------------------- training and loading
def test_snapshot_epochs_are_log_spaced_and_start_at_zero():
    assert snapshot_epochs(1000, 4) == [0, 1, 10, 100, 1000]
    assert snapshot_epochs(120000, 8) == [0, 1, 5, 28, 150, 799, 4246, 22573, 120000]
    with pytest.raises(InvalidInputError):
        snapshot_epochs(0, 3)
    with pytest.raises(InvalidInputError, match="n_snapshots"):
        snapshot_epochs(100, 1)


def test_short_training_run_fits_the_training_set_and_logs_everything():
    config = TrainingConfig(
        task="miiii",
        p=11,
        d=32,
        epochs=150,
        lr=3e-3,
        weight_decay=0.0,
        dropout=0.0,
        log_every=50,
        n_snapshots=3,
    )
    result = train(config, progress=False)
    assert result.log["epoch"].tolist() == [0, 1, 12, 50, 100, 150]
    assert result.log["train_acc"].shape == (6, 4)
    assert result.log["train_acc"][-1].min() > 0.9  # 60 rows are memorised
    assert result.snapshots["epoch"].tolist() == [0, 1, 12, 150]
    assert result.snapshots["neuron_spectrum"].shape == (4, 128, 2, 6)
    model = MiiiiTransformer(11, 32, 4, result.moduli, dropout=0.0)
    model.load_state_dict(result.final_state)
    again = evaluate(model, make_task("miiii", 11))
    assert torch.allclose(again["valid_acc"], result.log["valid_acc"][-1])
    assert np.isfinite(grokking_epoch(result.log, threshold=0.5)[0])


def test_unknown_run_and_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="unknown run"):
        runs.compute_run("no-such-run")
    with pytest.raises(ValueError, match="p must be a prime"):
        TrainingConfig(p=12)
    with pytest.raises(ValueError, match="divisible by heads"):
        TrainingConfig(p=11, d=10, heads=4)
    with pytest.raises(ValueError, match="dropout must lie in"):
        TrainingConfig(p=11, dropout=1.5)
    with pytest.raises(InvalidInputError, match="n_snapshots must be an integer >= 2"):
        TrainingConfig(p=11, n_snapshots=1)


def test_pooled_modulus_score_is_one_for_noise_and_large_for_a_periodic_signal():
    rng = np.random.default_rng(1)
    p, q = 47, 3
    t = np.arange(p)
    noise = rng.normal(size=(p, 300))
    assert fourier.modulus_scores(noise, t, [q], pooled=True)[0] == pytest.approx(1.0, abs=0.2)
    periodic = np.stack([np.cos(2 * np.pi * t / q), np.sin(2 * np.pi * t / q)], 1)
    assert fourier.modulus_scores(periodic, t, [q], pooled=True)[0] == pytest.approx(
        (p - 1) / (q - 1)
    )


def test_accuracy_by_mask_counts_impossible_predictions():
    from tinymech.miiii.masking import accuracy_by_mask

    data = make_task("miiii", 11)
    torch.manual_seed(0)
    model = MiiiiTransformer(11, 16, 4, data.moduli)
    with torch.no_grad():
        model.W_U[0] = -model.W_U[0].abs()  # task q = 2 ...
        model.token_embedding.abs_()
        model.position_embedding.abs_()
        model.W_in.zero_()  # ... so its logits are all <= 0 for positive residuals
        model.W_O.zero_()
    result = accuracy_by_mask(model, data)
    assert result["impossible"][0] == pytest.approx(1.0)
    assert result["zero_valid"][0] == 0.0 and result["inf_valid"][0] > 0.0
    # every input of task q = 2 changes its prediction; a changed prediction is always an impossible one
    assert int(result["n_inputs"]) == 121 and int(result["changed"][0]) == 121
    assert torch.equal(result["changed"], (result["impossible"] * 121).round().long())
    from tinymech.miiii.model import float64_copy

    with torch.no_grad():
        logits = float64_copy(model)(data.inputs)
    valid = torch.arange(logits.shape[2]) < data.moduli[0]
    assert float(result["largest_logit"][0]) == pytest.approx(
        float(logits[:, 0, valid].abs().max())
    )


def test_time_limited_run_records_a_config_that_reproduces_it_exactly():
    config = TrainingConfig(task="miiii", p=11, d=16, epochs=400, log_every=10, n_snapshots=4)
    stopped = train(config, progress=False, time_limit_s=0.0)  # stops at the first logged epoch
    assert stopped.config.epochs == 1 and stopped.config.snapshot_horizon == 400
    again = train(stopped.config, progress=False)
    assert again.snapshots["epoch"].tolist() == stopped.snapshots["epoch"].tolist() == [0, 1]
    for key, value in stopped.final_state.items():
        assert torch.equal(again.final_state[key], value)


def test_command_line_trains_and_reports_per_task_accuracy(capsys):
    import json

    from tinymech.cli import miiii_main as main

    assert (
        main(
            [
                "--task",
                "nanda",
                "--p",
                "7",
                "--d",
                "8",
                "--heads",
                "2",
                "--epochs",
                "3",
                "--log-every",
                "1",
                "--n-snapshots",
                "2",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(summary["final_valid_acc"]) == {"7"}


# ---------------------------------------------------------------- singular vectors, spectra
def test_singular_vector_purity_is_one_for_a_sinusoidal_embedding_and_h_m_over_m_for_noise():
    p = 47
    t = np.arange(p)[:, None]
    sinusoid = np.hstack(
        [np.cos(2 * np.pi * 5 * t / p), 0.5 * np.sin(2 * np.pi * 5 * t / p)]
    ) @ np.ones((2, 6))
    sinusoid += np.cos(2 * np.pi * 9 * t / p) * np.linspace(
        -1, 1, 6
    )  # a second, orthogonal direction
    assert np.allclose(fourier.singular_vector_purity(sinusoid, 2), 1.0)
    # Gaussian matrices: the expected purity is H_m / m exactly (uniform point of the simplex)
    assert fourier.noise_purity(3) == 1.0 and fourier.noise_purity(5) == pytest.approx(0.75)
    rng = np.random.default_rng(0)
    scores = np.concatenate(
        [fourier.singular_vector_purity(rng.standard_normal((p, 32)), 2) for _ in range(400)]
    )
    assert abs(scores.mean() - fourier.noise_purity(p)) < 4 * scores.std() / np.sqrt(
        scores.size
    )
    with pytest.raises(InvalidInputError, match="n_vectors"):
        fourier.singular_vector_purity(sinusoid, 7)
    with pytest.raises(InvalidInputError, match="odd"):
        fourier.noise_purity(4)


def test_peak_to_mean_of_flat_and_peaked_spectra_and_its_noise_level():
    assert fourier.peak_to_mean(np.array([9.0, 2.0, 2.0, 2.0])) == 1.0
    assert fourier.peak_to_mean(np.array([0.0, 4.0, 1.0, 1.0])) == pytest.approx(2.0)
    # a single key frequency stands far above the noise level of Gaussian embeddings of the same shape
    p, d = 31, 16
    t = np.arange(p)[:, None]
    key = np.cos(2 * np.pi * 4 * t / p) * np.ones((1, d)) + 0.1 * np.random.default_rng(
        1
    ).standard_normal((p, d))
    noise_level = fourier.noise_peak_to_mean(p, d, n_samples=200)
    assert 1.0 < noise_level < 2.0
    assert fourier.peak_to_mean(fourier.embedding_spectrum(key)) > 5 * noise_level
    assert fourier.noise_peak_to_mean(p, d, quantile=0.5, n_samples=200) < noise_level
    with pytest.raises(InvalidInputError):
        fourier.peak_to_mean(np.zeros(5))


def test_leaking_moduli_lists_the_harmonics_within_half_a_bin():
    # 47 * 2 / 7 = 13.43 and 47 * 3 / 11 = 12.82 land within half a bin of 13; 47 * 5 / 17 = 13.82 belongs to 14
    assert fourier.leaking_moduli(13, 47, [7, 11, 17]) == [(7, 2), (11, 3)]
    assert fourier.leaking_moduli(14, 47, [7, 11, 17]) == [(17, 5)]
    assert fourier.leaking_moduli(1, 47, [2, 3]) == []


# ---------------------------------------------------------------- grokking
def test_halfway_threshold_and_progress_from_chance():
    moduli = [2, 5]
    assert np.allclose(grokking.halfway_thresholds(moduli), [0.75, 0.6])
    assert np.allclose(
        grokking.progress_from_chance([[0.5, 0.2], [1.0, 1.0], [0.75, 0.6]], moduli),
        [[0, 0], [1, 1], [0.5, 0.5]],
    )
    with pytest.raises(InvalidInputError):
        grokking.progress_from_chance([0.5, 0.5, 0.5], moduli)
    assert grokking.accuracy_standard_error([1.0, 0.5], 100).tolist() == [0.0, 0.05]


def test_generalisation_epochs_order_tie_rule_and_accuracy_at_an_epoch():
    log = {
        "epoch": torch.tensor([0, 10, 20, 30]),
        "valid_acc": torch.tensor(
            [[0.5, 0.3, 0.2], [0.8, 0.3, 0.2], [0.9, 0.7, 0.7], [1.0, 0.9, 0.7]]
        ),
    }
    moduli = [2, 3, 5]  # halfway: 0.75, 0.667, 0.6
    epochs = grokking.generalisation_epochs(log, moduli)
    assert epochs.tolist() == [10.0, 20.0, 20.0]
    assert grokking.generalisation_order(epochs, moduli) == [2, 3, 5]  # q = 3 and 5 tie: by q
    assert grokking.generalisation_order([np.nan, 5.0, 1.0], moduli) == [5, 3]
    assert grokking.validation_accuracy_at(log, 15).tolist() == pytest.approx([0.9, 0.7, 0.7])
    with pytest.raises(InvalidInputError, match="ends at epoch 30"):
        grokking.validation_accuracy_at(log, 31)


def test_spearman_critical_value_holds_its_level_under_random_orders():
    n = 10
    critical = grokking.spearman_critical_value(n)
    rng = np.random.default_rng(0)
    ranks = np.argsort(rng.random((40_000, n)), axis=1)
    rho = 1 - 6 * ((ranks - np.arange(n)) ** 2).sum(axis=1) / (n * (n * n - 1))
    # the t approximation's level at n = 10 is 0.054 (the ranks are discrete); SE of the rate ~0.001
    assert 0.045 < (np.abs(rho) >= critical).mean() < 0.06
    assert grokking.order_correlation([2, 3, 5, 7], [1, 2, 3, 4]) == pytest.approx(1.0)
    assert grokking.order_correlation([2, 3, 5, 7, 11], [5, 4, np.nan, 2, 1]) == pytest.approx(
        -1.0
    )
    with pytest.raises(InvalidInputError):
        grokking.spearman_critical_value(3)


# ---------------------------------------------------------------- neurons
def test_neurons_per_modulus_counts_strong_neurons_with_ties_to_the_smaller_q():
    scores = np.array([[5.0, 1.0, 1.0], [4.0, 4.0, 1.0], [1.0, 2.0, 9.0], [2.0, 2.5, 1.0]])
    assert neurons.neurons_per_modulus(scores, threshold=3.0).tolist() == [2, 0, 1]
    with pytest.raises(InvalidInputError):
        neurons.neurons_per_modulus(np.array([[np.nan, 1.0]]))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n_std=st.sampled_from([1.0, 2.0, 3.0]))
def test_averaged_active_frequency_count_never_exceeds_cantellis_bound(seed, n_std):
    spectra = np.random.default_rng(seed).gamma(0.3, size=(3, 5, 2, 12))
    counts = neurons.averaged_active_frequency_count(spectra, n_std=n_std)
    assert np.all(counts <= 2 * 11 / (1 + n_std**2))


def test_averaged_active_frequency_count_finds_one_shared_frequency():
    spectra = np.ones((2, 4, 2, 12))
    spectra[1, :, 0, 5] = 10.0  # every neuron: frequency 5 along x0, at the second snapshot
    assert neurons.averaged_active_frequency_count(spectra).tolist() == [0, 1]
    with pytest.raises(InvalidInputError):
        neurons.averaged_active_frequency_count(np.ones((2, 4, 3, 12)))


def test_frequency_wall_on_the_papers_table_and_on_a_count_that_only_falls():
    epochs = [256, 1024, 4096, 16384, 65536]
    wall = neurons.frequency_wall(epochs, [0, 0, 10, 18, 10], start=4096, stop=40000)
    assert (wall.before, wall.peak, wall.peak_epoch, wall.final) == (10, 18, 16384, 10)
    assert wall.ratio == pytest.approx(1.8)
    falling = neurons.frequency_wall(epochs, [4, 3, 3, 0, 0], start=4096, stop=40000)
    assert falling.ratio == 0  # a peak of 0 is a ratio of 0, not a floored 1/3
    with pytest.raises(InvalidInputError, match="need snapshots"):
        neurons.frequency_wall(epochs, [0, 0, 10, 18, 10], start=20000, stop=40000)


def test_float64_activations_match_the_float32_forward_pass():
    torch.manual_seed(0)
    data = make_task("miiii", 11)
    model = MiiiiTransformer(11, 16, 4, data.moduli).eval()
    acts = neurons.last_position_activations(model, data)
    cache: dict = {}
    with torch.no_grad():
        model(data.inputs, cache=cache)
    assert acts.dtype == np.float64 and acts.shape == (121, 64)
    assert np.allclose(acts, cache["mlp_post"][:, -1].numpy(), atol=1e-5)
    assert float64_copy(model).W_U.dtype == torch.float64 and model.W_U.dtype == torch.float32


def test_the_paper_scale_script_trains_and_records_every_task_on_a_cpu(tmp_path):
    """tools/miiii_paper_scale.py (the GPU runs' script) at p = 11 on a CPU: four verified results."""
    import subprocess
    import sys
    from pathlib import Path

    from tinymech.store import load_result

    script = Path(__file__).resolve().parents[1] / "tools" / "miiii_paper_scale.py"
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--out",
            str(tmp_path),
            "--p",
            "13",
            "--d",
            "16",
            "--epochs",
            "40",
            "--log-every",
            "10",
            "--n-snapshots",
            "3",
            "--device",
            "cpu",
            "--probe-epochs",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for task in ("miiii", "nanda", "basis", "masked"):
        payload, record = load_result(tmp_path / f"{task}_p13_d16.pth")
        assert payload["config"]["task"] == task and payload["config"]["epochs"] == 40
        assert record["device"] == "cpu" and len(record["final_valid_acc"]) == len(
            payload["moduli"]
        )


def test_the_null_calibrated_threshold_marks_noise_rarely_and_a_planted_frequency_always():
    from tinymech.miiii.fourier import calibrated_active_frequencies, noise_amplitude_threshold

    p, d = 47, 32
    threshold = noise_amplitude_threshold(p, d, quantile=0.95, n_samples=400, seed=1)
    rng = np.random.default_rng(7)  # fresh draws, not the calibration's
    marked = [
        calibrated_active_frequencies(rng.standard_normal((p, d)) * 3.0, threshold).size > 0
        for _ in range(400)
    ]
    assert 0.01 < np.mean(marked) < 0.10  # about 5% of noise embeddings, whatever their scale
    t = np.arange(p)[:, None]
    planted = rng.standard_normal((p, d)) + 4 * np.cos(
        2 * np.pi * 6 * t / p
    ) * rng.standard_normal((1, d))
    assert 6 in calibrated_active_frequencies(planted, threshold).tolist()
    with pytest.raises(InvalidInputError, match="constant over tokens"):
        calibrated_active_frequencies(np.ones((p, d)), threshold)
