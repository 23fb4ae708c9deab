"""The command line under interruption, closed pipes and the inputs that gave tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from tinymech.algzoo.architectures import ReLURNN
from tinymech.cli import main

TINYMECH = [sys.executable, "-m", "tinymech.cli"]


def _one_error_line(capsys, words: str) -> None:
    err = capsys.readouterr().err
    assert words in err, err
    assert err.count("\n") == 1 or "usage:" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["miiii", "--threads", "2**-1"], "expected a positive integer, got '2**-1'"),
        (["miiii", "--threads", "0.5"], "expected a positive integer, got '0.5'"),
        (["miiii", "--threads", "2**40"], "thread count from 1 to 1024"),
        (["evaluate", "m2_2", "--samples", "2**99999999"], "expected a positive integer"),
        (["list", "--chapter", "nope"], "no chapter 'nope'; choose one of"),
        (["list", "--chapter", "m"], "several chapters start so"),
        (["merge", "m2_2", "OUT/a.pth"], "say where to write"),
        (
            ["evaluate", "OUT/one_logit.pth", "--samples", "10"],
            "needs sequences of length >= 2",
        ),
        (["bench", "--output", "OUT/folder.json"], "is a folder"),
        (["run", "rnn/m2_2", "--output", "OUT/record_folder.pth"], "is a folder"),
    ],
)
def test_inputs_that_gave_tracebacks_are_one_line_and_exit_2(argv, words, tmp_path, capsys):
    torch.save(ReLURNN(2, 1).state_dict(), tmp_path / "one_logit.pth")
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "record_folder.json").mkdir()
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    _one_error_line(capsys, words)


def test_a_bfloat16_state_dict_is_read_and_the_conversion_said(tmp_path, capsys):
    path = tmp_path / "half.pth"
    torch.manual_seed(0)
    torch.save({k: v.bfloat16() for k, v in ReLURNN(2, 2).state_dict().items()}, path)
    assert main(["evaluate", str(path), "--samples", "1000", "--json"]) == 0
    captured = capsys.readouterr()
    assert 0 <= json.loads(captured.out)["accuracy"] <= 1
    assert captured.err.startswith("tinymech: warning: half.pth: weights stored in bfloat16")


def test_list_accepts_a_chapters_short_name_and_shows_compute_time(capsys):
    assert main(["list", "--chapter", "m2_2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert [row["name"] for row in rows] == ["rnn/m2_2"]
    assert rows[0]["compute_minutes"] == 4 and rows[0]["chapter"] == "m2_2_regions"
    assert main(["list", "--chapter", "m16_10"]) == 0
    out = capsys.readouterr().out
    assert "rnn/m16_10 " in out and "about 175 single-core minutes" in out
    assert "rnn/m2_2 " not in out


def test_estimate_help_lists_the_methods_for_each_sequence_length(capsys):
    assert main(["estimate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "any length: sampling" in out
    assert "lengths 2, 3: exact" in out
    assert "length 3: arc_original, arc_original_earlier, arc_symmetric_reduction" in out
    assert "lengths 3 to 16: moment_propagation, fixed_masks" in out


def test_an_interruption_in_the_library_is_one_line_and_exit_130(monkeypatch, tmp_path, capsys):
    from tinymech.algzoo import zoo

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(zoo, "compute_model", interrupted)
    output = tmp_path / "m.pth"
    assert main(["train", "m2_2", "--seed", "0", "--output", str(output)]) == 130
    err = capsys.readouterr().err
    assert err == "tinymech train: interrupted; no output file was written or changed\n"
    assert list(tmp_path.iterdir()) == []


def _start_training(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*TINYMECH, "train", "m2_2", "--seed", "0", "--n-train", "2**24", "--output", "m.pth"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    seen = b""
    deadline = time.monotonic() + 120
    while b"seq" not in seen and b"%" not in seen and time.monotonic() < deadline:
        chunk = os.read(process.stderr.fileno(), 256)  # the progress bar: training has started
        if not chunk:
            break
        seen += chunk
    return process, seen


@pytest.mark.parametrize(
    "signum, status, word",
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_ctrl_c_and_sigterm_exit_with_one_line_and_no_partial_file(
    tmp_path, signum, status, word
):
    process, seen = _start_training(tmp_path)
    process.send_signal(signum)
    rest = process.stderr.read()
    process.wait(60)
    err = (seen + rest).decode()
    assert process.returncode == status, err
    assert "Traceback" not in err
    assert (
        err.rstrip()
        .splitlines()[-1]
        .endswith(f"tinymech train: {word}; no output file was written or changed")
    )
    assert list(tmp_path.iterdir()) == []  # no payload, record, temporary file or lock


def test_a_closed_pipe_ends_quietly(tmp_path):
    process = subprocess.Popen(
        [*TINYMECH, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    process.stdout.close()  # like `tinymech list | head -0`
    err = process.stderr.read().decode()
    process.wait(120)
    assert process.returncode == 141, err
    assert err == ""
