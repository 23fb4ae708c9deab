"""Bad input gets one clear message: what was expected and what was found.

Each case names the input, the documented exception type (API) or exit status 2 (command line), and the words
the message must contain.  Nothing here trains or computes anything expensive: outputs are checked before work.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.cli import main
from tinymech.errors import InvalidInputError, ResultError


def _state(d=2, n=2):
    torch.manual_seed(0)
    return ReLURNN(d, n).state_dict()


def _api_cases(tmp_path):
    from tinymech.algzoo.evaluation import gaussian_sequences, sampled_accuracy
    from tinymech.algzoo.exact import exact_accuracy
    from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax
    from tinymech.algzoo.noise import noisy_weights
    from tinymech.algzoo.tasks import get_task, second_argmax
    from tinymech.algzoo.trace import trace
    from tinymech.algzoo.zoo import load_model
    from tinymech.miiii.training import TrainingConfig
    from tinymech.catalog import load
    from tinymech.report import Measurement, glue
    from tinymech.store import load_result, save_result

    weights = ReLURNN(2, 2).weights()
    nan_file = tmp_path / "nan.pth"
    state = _state()
    state["rnn.weight_hh_l0"][0, 0] = float("nan")
    torch.save(state, nan_file)
    list_file = tmp_path / "lists.pth"
    torch.save({k: v.tolist() for k, v in _state().items()}, list_file)
    garbage = tmp_path / "garbage.pth"
    garbage.write_bytes(b"not a torch file at all")
    not_dict = tmp_path / "tensor.pth"
    torch.save(torch.zeros(3), not_dict)
    good = save_result(tmp_path / "good.pth", _state(), {"seed": 1})
    bad_record = tmp_path / "bad_record.pth"
    shutil.copy(good, bad_record)
    bad_record.with_suffix(".json").write_text(json.dumps([1, 2, 3]))
    edited = tmp_path / "edited.pth"
    shutil.copy(good, edited)
    record = json.loads(good.with_suffix(".json").read_text())
    record["seed"] = 2
    edited.with_suffix(".json").write_text(json.dumps(record))
    no_record = tmp_path / "no_record.pth"
    shutil.copy(good, no_record)
    huge = RNNWeights(np.full(2, 1e200), np.full((2, 2), 1e200), np.full((2, 2), 1e200))
    overflowing = ReLURNN.from_weights(
        [1e30, -1e30], [[1e30, 1e30], [1e30, 1e30]], [[1e30, 0], [0, 1e30]]
    )
    return [
        (
            "NaN weights from arrays",
            lambda: ReLURNN.from_weights([np.nan, 1], np.eye(2), np.eye(2)),
            InvalidInputError,
            "must be finite",
        ),
        (
            "infinite weights from arrays",
            lambda: RNNWeights(np.array([np.inf, 1.0]), np.eye(2), np.eye(2)),
            InvalidInputError,
            "must be finite",
        ),
        (
            "weights that overflow float32",
            lambda: ReLURNN.from_weights([1e39, 1], np.eye(2), np.eye(2)),
            InvalidInputError,
            "as torch.float32 must be finite",
        ),
        (
            "weights whose pattern maps overflow float64",
            lambda: exact_accuracy(huge),
            InvalidInputError,
            "overflow float64",
        ),
        (
            "logits that overflow in the forward pass",
            lambda: sampled_accuracy(overflowing, 1000),
            InvalidInputError,
            "logits are not finite",
        ),
        (
            "mismatched weight shapes",
            lambda: RNNWeights(np.ones(2), np.ones((3, 3)), np.ones((2, 2))),
            InvalidInputError,
            r"expected W_hi \(d,\), W_hh \(d, d\)",
        ),
        (
            "a state dict file with NaN",
            lambda: load_model(nan_file),
            InvalidInputError,
            "rnn.weight_hh_l0 must be finite",
        ),
        (
            "a state dict of lists",
            lambda: load_model(list_file),
            InvalidInputError,
            "must be a floating-point tensor",
        ),
        (
            "a file holding a tensor",
            lambda: load_model(not_dict),
            InvalidInputError,
            "expected an AlgZoo state dict",
        ),
        (
            "a file that is not a torch file",
            lambda: load_model(garbage),
            ResultError,
            "not a readable torch file",
        ),
        (
            "a missing file",
            lambda: load_model(tmp_path / "absent.pth"),
            ResultError,
            "no file at",
        ),
        (
            "an unknown model name",
            lambda: load_model("m3_3"),
            InvalidInputError,
            "choose one of: m2_2, m4_3",
        ),
        (
            "a record that is not an object",
            lambda: load_result(bad_record),
            ResultError,
            "holds a JSON list",
        ),
        (
            "an edited record",
            lambda: load_result(edited),
            ResultError,
            "edited or corrupted: checksum expected",
        ),
        (
            "a result without its record",
            lambda: load_result(no_record),
            ResultError,
            "has no record",
        ),
        (
            "inputs of three dimensions",
            lambda: trace(weights, np.zeros((2, 2, 2))),
            InvalidInputError,
            r"expected inputs of shape \(batch, seq_len\)",
        ),
        (
            "non-finite inputs",
            lambda: trace(weights, np.array([[np.nan, 1.0]])),
            InvalidInputError,
            "finite",
        ),
        (
            "a sequence too short for the task",
            lambda: second_argmax(torch.zeros(3, 1)),
            ValueError,
            "seq_len >= 2",
        ),
        ("an unknown task", lambda: get_task("3rd_argmax"), ValueError, "choose one of"),
        (
            "zero samples",
            lambda: sampled_accuracy(ReLURNN(2, 2), 0),
            InvalidInputError,
            r"from 1 to 2\*\*36",
        ),
        (
            "10^23 samples",
            lambda: sampled_accuracy(ReLURNN(2, 2), 10**23),
            InvalidInputError,
            r"from 1 to 2\*\*36",
        ),
        (
            "a negative seed",
            lambda: next(gaussian_sequences(10, 2, seed=-1)),
            InvalidInputError,
            "non-negative",
        ),
        (
            "exact accuracy of a length-10 model",
            lambda: exact_accuracy(ReLURNN(2, 10)),
            InvalidInputError,
            "needs sequence length 2 or 3",
        ),
        (
            "a handcrafted model of length 5",
            lambda: handcrafted_2nd_argmax(5),
            InvalidInputError,
            "choose one of: 2, 3, 10",
        ),
        (
            "negative noise",
            lambda: noisy_weights(weights, -0.1, np.random.default_rng(0)),
            InvalidInputError,
            "non-negative finite",
        ),
        (
            "an unknown noise scale",
            lambda: noisy_weights(weights, 0.1, np.random.default_rng(0), scale="pct"),
            InvalidInputError,
            "choose one of: absolute",
        ),
        (
            "an unknown registered result",
            lambda: load("rnn/m9_9"),
            InvalidInputError,
            "no registered result",
        ),
        (
            "overwrite without recompute",
            lambda: load("rnn/m2_2", overwrite=True),
            InvalidInputError,
            "only apply with recompute",
        ),
        (
            "a miiii p that is not prime",
            lambda: TrainingConfig(p=12),
            InvalidInputError,
            "p must be a prime",
        ),
        (
            "a miiii dropout of 1.5",
            lambda: TrainingConfig(p=11, dropout=1.5),
            InvalidInputError,
            r"dropout must lie in \[0, 1\)",
        ),
        (
            "a glued float without precision",
            lambda: glue("x", 0.123),
            InvalidInputError,
            "needs exactly one of digits",
        ),
        (
            "a non-finite measurement",
            lambda: Measurement(float("nan")),
            InvalidInputError,
            "must be finite",
        ),
        (
            "metadata with NaN",
            lambda: save_result(tmp_path / "m.pth", {}, {"a": float("nan")}),
            InvalidInputError,
            "plain JSON values",
        ),
    ]


def test_api_bad_inputs(tmp_path):
    cases = _api_cases(tmp_path)
    assert len(cases) >= 25
    for what, call, error_type, words in cases:
        with pytest.raises(error_type, match=words):
            call()
        print("ok:", what)


@pytest.mark.parametrize(
    "argv, words",
    [
        (["exact", "m9_9"], "no model named 'm9_9'; choose one of"),
        (["evaluate", "m2_2", "--samples", "0"], "expected a positive integer"),
        (["evaluate", "m2_2", "--samples", "1e23"], r"from 1 to 2\*\*36"),
        (["evaluate", "m2_2", "--samples", "many"], "expected a positive integer, got 'many'"),
        (["exact", "m16_10"], "needs sequence length 2 or 3"),
        (
            ["estimate", "m2_2", "--method", "nope"],
            "unknown method 'nope'; for sequence length 2 choose one of: sampling",
        ),
        (["estimate", "m16_10", "--method", "exact"], "does not apply to sequence length 10"),
        (["estimate", "m2_2", "--method", "sampling", "--budget", "3"], "buys no sample"),
        (["run", "rnn/m9_9", "--overwrite"], "no registered result 'rnn/m9_9'"),
        (["run", "rnn/m2_2"], "say where to write"),
        (["run", "miiii/exploration", "--output", "OUT/x.pth"], "kept by hand"),
        (["run", "rnn/m2_2", "--output", "OUT/model.pt"], "must end in .pth"),
        (["run", "rnn/m2_2", "--output", "OUT/taken.pth"], "exists; nothing was computed"),
        (["train", "m2_2", "--output", "OUT/model.txt"], "must end in .pth"),
        (["train", "handcrafted_2", "--output", "OUT/h.pth"], "handcrafted; nothing to train"),
        (["merge", "m2_2", "OUT/absent.pth", "--output", "OUT/merged.pth"], "does not exist"),
        (["miiii", "--p", "12", "--epochs", "1"], "p must be a prime"),
        (
            ["miiii", "--p", "11", "--d", "10", "--heads", "4"],
            r"d \(10\) must be divisible by heads \(4\)",
        ),
        (["miiii", "--p", "11", "--output", "OUT/taken.pth"], "exists; nothing was computed"),
        (["miiii", "--p", "11", "--device", "cuda:7"], "torch sees no CUDA device"),
        (["bench", "--output", "OUT/bench.txt"], "must end in .json"),
        (["bench", "--output", "OUT/taken.json"], "exists; nothing was run"),
        (["evaluate", "OUT/garbage.pth", "--samples", "10"], "not a readable torch file"),
    ],
)
def test_command_line_bad_inputs_exit_2_with_one_line(argv, words, tmp_path, capsys):
    (tmp_path / "taken.pth").write_bytes(b"")
    (tmp_path / "taken.json").write_text("{}")
    (tmp_path / "garbage.pth").write_bytes(b"garbage")
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 or "usage:" in err, (
        err
    )  # one line (argparse adds its usage line)
    import re

    assert re.search(words, err), err


def test_list_reports_a_broken_record_instead_of_failing(monkeypatch, tmp_path, capsys):
    from tinymech import registry, store

    shutil.copytree(store.RESULTS_DIR, tmp_path / "results")
    monkeypatch.setattr(
        registry.Entry, "path", property(lambda self: tmp_path / "results" / f"{self.name}.pth")
    )
    record = tmp_path / "results" / "rnn" / "m2_2.json"
    data = json.loads(record.read_text())
    del data["validation_accuracy"]
    record.write_text(json.dumps(data))
    assert main(["list", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["results"]}
    assert rows["rnn/m2_2"]["status"].startswith("error: record")
    assert rows["rnn/m4_3"]["status"] == "ok"


def test_sampled_accuracy_of_one_has_an_interval_that_is_not_zero_width():
    from tinymech.algzoo.evaluation import sampled_accuracy
    from tinymech.algzoo.handcrafted import handcrafted_2nd_argmax

    result = sampled_accuracy(handcrafted_2nd_argmax(2), 1000)
    assert result.accuracy == 1.0 and result.standard_error == 0.0
    low, high = result.interval
    assert 0.99 < low < 1.0 and high == pytest.approx(1.0)
