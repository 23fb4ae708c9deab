"""Named models: AlgZoo-format files, committed models, merging seeds, and clear errors."""

import json
import shutil

import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN
from tinymech.errors import ResultError
from tinymech.store import load_result, save_result
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.zoo import MODELS, load_model, model_metadata
from tinymech.catalog import get


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
    with pytest.raises(
        ValueError, match=r"rnn.weight_hh_l0 has shape \(4, 5\), expected \(4, 4\)"
    ):
        load_model(wrong)


def test_a_file_with_our_record_is_verified(tmp_path):
    path = save_result(tmp_path / "model.pth", ReLURNN(2, 2).state_dict(), {"note": "test"})
    assert load_result(path)[1]["note"] == "test"
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ResultError, match="payload sha256 expected"):
        load_model(path)


def test_an_unrelated_json_beside_an_official_file_is_ignored(tmp_path):
    torch.manual_seed(1)
    original = ReLURNN(2, 2)
    path = tmp_path / "2nd_argmax_2_2_1073741824_0.pth"
    torch.save(original.state_dict(), path)
    path.with_suffix(".json").write_text(json.dumps({"comment": "someone else's notes"}))
    x = torch.randn(8, 2)
    torch.testing.assert_close(load_model(path)(x), original(x))


def test_committed_model_copied_with_an_edited_record_is_refused(tmp_path):
    source = get("rnn/m2_2").path
    copy = tmp_path / "m2_2.pth"
    shutil.copy(source, copy)
    record = json.loads(source.with_suffix(".json").read_text())
    record["validation_accuracy"] = 1.0
    copy.with_suffix(".json").write_text(json.dumps(record))
    with pytest.raises(ResultError, match="was edited or corrupted"):
        load_model(copy)


def test_unknown_model_lists_known_names():
    with pytest.raises(ValueError, match="m2_2, m4_3, m16_10, handcrafted_2"):
        load_model("m3_3")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ResultError, match="no file at"):
        load_model(tmp_path / "absent.pth")


def test_non_positive_sample_count_is_refused():
    with pytest.raises(ValueError, match="must be an integer from 1 to 2\\*\\*36"):
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


def _seed_checkpoint(
    directory, seed, accuracy, *, n_train=2**20, name="m2_2", hidden_size=2, seq_len=2
):
    """A single-seed checkpoint with the metadata `tinymech train NAME --seed S` writes."""
    torch.manual_seed(seed)
    meta = {
        "name": name,
        "task": "2nd_argmax",
        "hidden_size": hidden_size,
        "seq_len": seq_len,
        "seed": seed,
        "seeds_tried": {str(seed): accuracy},
        "n_train": n_train,
        "validation_accuracy": accuracy,
        "curve": [[1024, 0.5], [n_train, accuracy]],
    }
    return save_result(
        directory / f"seed{seed}.pth", ReLURNN(hidden_size, seq_len).state_dict(), meta
    )


def test_merge_keeps_the_most_accurate_seed_and_records_all(tmp_path):
    from tinymech.algzoo.zoo import merge_seed_checkpoints

    paths = [_seed_checkpoint(tmp_path, s, a) for s, a in ((3, 0.91), (0, 0.97), (1, 0.95))]
    out = merge_seed_checkpoints(
        "m2_2", paths, output=tmp_path / "merged.pth", earlier={"pilot": {"0": 0.5}}
    )
    state, meta = load_result(out)
    assert meta["seed"] == 0 and meta["validation_accuracy"] == 0.97
    assert meta["seeds_tried"] == {"0": 0.97, "1": 0.95, "3": 0.91}
    assert meta["earlier_attempts"] == {"pilot": {"0": 0.5}}
    best_state, _ = load_result(paths[1])
    for key in best_state:
        torch.testing.assert_close(state[key], best_state[key])
    with pytest.raises(ResultError, match="exists"):
        merge_seed_checkpoints("m2_2", paths, output=out)


def test_merge_refuses_inconsistent_checkpoints(tmp_path):
    from tinymech.algzoo.zoo import merge_seed_checkpoints

    a = _seed_checkpoint(tmp_path, 0, 0.9)
    (tmp_path / "b").mkdir()
    other_size = _seed_checkpoint(tmp_path / "b", 1, 0.9, n_train=2**22)
    with pytest.raises(ValueError, match="different numbers of sequences"):
        merge_seed_checkpoints("m2_2", [a, other_size], output=tmp_path / "m.pth")
    (tmp_path / "c").mkdir()
    same_seed = _seed_checkpoint(tmp_path / "c", 0, 0.8)
    with pytest.raises(ValueError, match="more than once"):
        merge_seed_checkpoints("m2_2", [a, same_seed], output=tmp_path / "m.pth")
    (tmp_path / "d").mkdir()
    other_model = _seed_checkpoint(
        tmp_path / "d", 2, 0.9, name="m4_3", hidden_size=4, seq_len=3
    )
    with pytest.raises(ValueError, match="expected \\('m2_2'"):
        merge_seed_checkpoints("m2_2", [a, other_model], output=tmp_path / "m.pth")
    with pytest.raises(ValueError, match="no files to merge"):
        merge_seed_checkpoints("m2_2", [], output=tmp_path / "m.pth")
    with pytest.raises(ValueError, match="handcrafted"):
        merge_seed_checkpoints("handcrafted_2", [a], output=tmp_path / "m.pth")
