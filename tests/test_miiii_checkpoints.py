"""The committed miiii runs load (verified by the registry) and their final weights reproduce their logs."""

from __future__ import annotations

import pytest
import torch

from tinymech.miiii.runs import RUNS, model_from_payload
from tinymech.catalog import load
from tinymech.miiii.tasks import make_task
from tinymech.miiii.training import TrainingConfig, evaluate, snapshot_epochs

torch.set_num_threads(1)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_committed_run_matches_its_registered_config_and_its_log(name):
    payload, _ = load(f"miiii/{name}")
    config = TrainingConfig(**payload["config"])
    assert config == RUNS[name]
    data = make_task(
        config.task, config.p, train_fraction=config.train_fraction, seed=config.seed
    )
    metrics = evaluate(model_from_payload(payload), data)
    assert payload["log"]["epoch"][-1] == config.epochs
    for key in ("train_acc", "valid_acc"):
        assert torch.allclose(metrics[key], payload["log"][key][-1], atol=1e-6)
    snapshots = payload["snapshots"]
    assert snapshots["epoch"][0] == 0 and snapshots["epoch"][-1] == config.epochs
    # the snapshot schedule (tinymech.stats.log_spaced_integers) gives exactly the committed epochs
    horizon = config.snapshot_horizon or config.epochs
    planned = [e for e in snapshot_epochs(horizon, config.n_snapshots) if e <= config.epochs]
    assert snapshots["epoch"].tolist() == sorted(set(planned) | {config.epochs})
    assert torch.equal(
        snapshots["token_embedding"][-1], payload["final_state"]["token_embedding"]
    )
