"""The tinymech command line: results and error messages."""

import json

import pytest

from tinymech.cli import main


def test_exact_json(capsys):
    assert main(["exact", "handcrafted_2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == 1.0 and result["seq_len"] == 2


def test_evaluate_json(capsys):
    assert main(["evaluate", "handcrafted_2", "--samples", "4096", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == 1.0 and result["samples"] == 4096


def test_list_verifies_every_result_and_shows_recorded_accuracy(capsys):
    assert main(["list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    rows = {row["name"]: row for row in listing["results"]}
    assert all(row["status"] == "ok" for row in rows.values()), [
        r for r in rows.values() if r["status"] != "ok"
    ]
    assert 0.99 < rows["rnn/m2_2"]["validation_accuracy"] <= 1.0
    assert "handcrafted_10" in {m["model"] for m in listing["models"]}


def test_unknown_model_is_a_clear_error(capsys):
    assert main(["exact", "m9_9"]) == 2
    assert "choose one of: m2_2" in capsys.readouterr().err


def test_non_positive_samples_is_a_usage_error(capsys):
    assert main(["evaluate", "m2_2", "--samples", "-5"]) == 2
    assert "positive integer" in capsys.readouterr().err


def test_train_checks_its_output_before_training(capsys, tmp_path):
    existing = tmp_path / "m.pth"
    existing.write_bytes(b"")
    assert (
        main(["train", "m2_2", "--seed", "0", "--n-train", "1024", "--output", str(existing)])
        == 2
    )
    assert "exists; nothing was computed" in capsys.readouterr().err
