"""The one loader: named models, AlgZoo-format files, checksums, and clear errors."""

import json
import shutil

import pytest
import torch

from tinymech.architectures import ReLURNN
from tinymech.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from tinymech.evaluation import sampled_accuracy
from tinymech.zoo import MODELS, checkpoint_path, load_model, model_metadata


def test_algzoo_format_file_round_trip(tmp_path):
    """An official-style file (a bare state dict, AlgZoo's name) loads and computes the same logits."""
    torch.manual_seed(0)
    original = ReLURNN(4, 3)
    path = tmp_path / "2nd_argmax_4_3_1073741824_0.pth"
    torch.save(original.state_dict(), path)
    loaded = load_model(path)
    x = torch.randn(32, 3)
    torch.testing.assert_close(loaded(x), original(x))


def test_missing_keys_and_wrong_shapes_are_reported(tmp_path):
    state = ReLURNN(4, 3).state_dict()
    missing = tmp_path / "missing.pth"
    torch.save({k: v for k, v in state.items() if k != "linear.weight"}, missing)
    with pytest.raises(ValueError, match=r"missing \['linear.weight'\]"):
        load_model(missing)
    wrong = tmp_path / "wrong.pth"
    state["rnn.weight_hh_l0"] = torch.zeros(4, 5)
    torch.save(state, wrong)
    with pytest.raises(ValueError, match=r"rnn.weight_hh_l0 has shape \(4, 5\), expected \(4, 4\)"):
        load_model(wrong)


def test_checksum_mismatch_is_refused(tmp_path):
    path = save_checkpoint(tmp_path / "model.pth", ReLURNN(2, 2).state_dict(), {"note": "test"})
    assert load_checkpoint(path)[1]["note"] == "test"
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="sha256 expected"):
        load_model(path)


def test_committed_checkpoint_corruption_is_detected(tmp_path):
    source = checkpoint_path("m2_2")
    copy = tmp_path / "m2_2.pth"
    shutil.copy(source, copy)
    meta = json.loads(source.with_suffix(".json").read_text())
    meta["sha256"] = "0" * 64
    copy.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="corrupted"):
        load_model(copy)


def test_save_refuses_to_overwrite(tmp_path):
    path = save_checkpoint(tmp_path / "a.pth", {"x": torch.zeros(1)}, {})
    with pytest.raises(CheckpointError, match="overwrite"):
        save_checkpoint(path, {"x": torch.ones(1)}, {})


def test_unknown_model_lists_known_names():
    with pytest.raises(ValueError, match="m2_2, m4_3, m16_10, handcrafted_2"):
        load_model("m3_3")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint file"):
        load_model(tmp_path / "absent.pth")


def test_non_positive_sample_count_is_refused():
    with pytest.raises(ValueError, match="positive"):
        sampled_accuracy(load_model("handcrafted_2"), 0)


@pytest.mark.parametrize("name", [n for n, e in MODELS.items() if e.trained])
def test_committed_models_meet_their_recorded_accuracy(name):
    """Each committed model loads (sha256 verified) and its accuracy on fresh samples agrees with the
    recorded validation accuracy within 4 standard errors of the combined estimate."""
    meta = model_metadata(name)
    model = load_model(name)
    assert model.hidden_size == meta["hidden_size"] and model.output_size == meta["seq_len"]
    fresh = sampled_accuracy(model, 2**18, seed=12345)
    combined = (fresh.standard_error**2 + meta["validation_standard_error"] ** 2) ** 0.5
    assert abs(fresh.accuracy - meta["validation_accuracy"]) < 4 * combined + 1e-12
