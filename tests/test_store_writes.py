"""Writes of results: whole or not at all, exclusive, the same bytes every time, nothing left behind."""

from __future__ import annotations

import errno
import multiprocessing
import os
import subprocess
import sys
import threading

import pytest
import torch

from tinymech import store
from tinymech.errors import ResultError
from tinymech.store import check_output, load_result, record_path, save_result


def _payload(value: float = 1.0) -> dict:
    return {"w": torch.full((3, 3), value)}


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_saving_the_same_result_twice_gives_the_same_bytes(tmp_path):
    first = save_result(tmp_path / "a.pth", _payload(), {"seed": 1})
    second = save_result(tmp_path / "sub" / "other_name.pth", _payload(), {"seed": 1})
    assert first.read_bytes() == second.read_bytes()
    assert record_path(first).read_bytes() == record_path(second).read_bytes()
    again = save_result(tmp_path / "a.pth", _payload(), {"seed": 1}, overwrite=True)
    assert store.sha256_of(again) == store.sha256_of(second)


def _race(tmp_path, trial: int, writers: int = 2) -> tuple[list, list]:
    """``writers`` threads save different results to one output at the same moment."""
    target = tmp_path / f"race{trial}.pth"
    barrier = threading.Barrier(writers)
    outcomes: list = [None] * writers

    def write(index):
        barrier.wait()
        try:
            save_result(target, _payload(float(index)), {"writer": index})
            outcomes[index] = "ok"
        except ResultError as error:
            outcomes[index] = str(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, target


def test_two_writers_to_one_output_one_wins_and_the_result_is_whole(tmp_path):
    for trial in range(12):
        outcomes, target = _race(tmp_path, trial)
        assert outcomes.count("ok") == 1, outcomes
        loser = next(o for o in outcomes if o != "ok")
        assert "exists" in loser or "meanwhile" in loser or "another process" in loser
        payload, record = load_result(target)  # a consistent pair: checksum and payload agree
        assert float(payload["w"][0, 0]) == record["writer"]
    assert _leftovers(tmp_path) == []


def _fork_writer(target, index, start):
    start.wait()
    try:
        save_result(target, _payload(float(index)), {"writer": index})
    except ResultError:
        os._exit(3)
    os._exit(0)


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_two_processes_writing_one_output(tmp_path):
    context = multiprocessing.get_context("fork")
    for trial in range(4):
        target = tmp_path / f"p{trial}.pth"
        start = context.Event()
        processes = [
            context.Process(target=_fork_writer, args=(target, i, start)) for i in range(2)
        ]
        for process in processes:
            process.start()
        start.set()
        for process in processes:
            process.join(60)
        assert sorted(p.exitcode for p in processes) == [0, 3]
        payload, record = load_result(target)
        assert float(payload["w"][0, 0]) == record["writer"]
    assert _leftovers(tmp_path) == []


def test_an_overwrite_interrupted_between_its_two_moves_keeps_the_old_result(
    tmp_path, monkeypatch
):
    target = save_result(tmp_path / "r.pth", _payload(1.0), {"version": 1})
    before = (target.read_bytes(), record_path(target).read_bytes())
    real_place = store._place
    calls = []

    def interrupted_place(temporary, destination, *, overwrite):
        calls.append(destination)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_place(temporary, destination, overwrite=overwrite)

    monkeypatch.setattr(store, "_place", interrupted_place)
    with pytest.raises(KeyboardInterrupt):
        save_result(target, _payload(2.0), {"version": 2}, overwrite=True)
    assert (target.read_bytes(), record_path(target).read_bytes()) == before
    assert load_result(target)[1]["version"] == 1
    assert _leftovers(tmp_path) == []


_KILLED_BETWEEN_MOVES = """
import os, sys, torch
from tinymech import store
real = store._place
calls = []
def place(temporary, destination, *, overwrite):
    calls.append(destination)
    if len(calls) == 2:
        os._exit(9)  # killed: no cleanup runs
    real(temporary, destination, overwrite=overwrite)
store._place = place
store.save_result(sys.argv[1], {"w": torch.full((3, 3), 2.0)}, {"version": 2}, overwrite=True)
"""


def test_an_overwrite_killed_between_its_two_moves_leaves_the_old_result_loadable(tmp_path):
    target = save_result(tmp_path / "r.pth", _payload(1.0), {"version": 1})
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_BETWEEN_MOVES, str(target)], check=False
    )
    assert done.returncode == 9
    payload, record = load_result(target)
    assert record["version"] == 1 and float(payload["w"][0, 0]) == 1.0
    # the next overwrite completes and cleans up after the killed one
    save_result(target, _payload(3.0), {"version": 3}, overwrite=True)
    payload, record = load_result(target)
    assert record["version"] == 3 and float(payload["w"][0, 0]) == 3.0
    assert _leftovers(tmp_path) == []


def test_a_full_disk_leaves_nothing_behind_but_the_message(tmp_path, monkeypatch):
    def full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(ResultError, match="No space left on device; nothing was written"):
        save_result(tmp_path / "r.pth", _payload(), {"seed": 0})
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    save_result(tmp_path / "r.pth", _payload(), {"seed": 0})  # a re-run is not blocked
    load_result(tmp_path / "r.pth")


def test_an_interrupted_save_removes_its_temporary_files(tmp_path, monkeypatch):
    def interrupted(_descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_result(tmp_path / "r.pth", _payload(), {"seed": 0})
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_save(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".r.pth.{dead.pid}.abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    stale_record = tmp_path / f".r.json.{dead.pid}.xyz.tmp"
    stale_record.write_text("{}")
    mine = tmp_path / f".r.pth.{os.getpid()}.live.tmp"  # a live writer's file is left alone
    mine.write_bytes(b"y")
    save_result(tmp_path / "r.pth", _payload(), {"seed": 0})
    assert not stale.exists() and not stale_record.exists() and mine.exists()


def test_a_lock_of_a_killed_writer_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".r.pth.lock").write_text(str(dead.pid))
    save_result(tmp_path / "r.pth", _payload(), {"seed": 0})
    assert _leftovers(tmp_path) == []


def test_a_record_path_that_is_a_folder_is_refused_before_work(tmp_path):
    (tmp_path / "r.json").mkdir()
    with pytest.raises(ResultError, match="is a folder"):
        check_output(tmp_path / "r.pth", overwrite=True)
    with pytest.raises(ResultError, match="is a folder"):
        check_output(tmp_path / "r.pth")


def test_without_overwrite_nothing_is_replaced_even_if_it_appears_after_the_check(
    tmp_path, monkeypatch
):
    target = tmp_path / "r.pth"
    real_check = store.check_output

    def check_then_someone_writes(path, *, overwrite=False):
        checked = real_check(path, overwrite=overwrite)
        monkeypatch.setattr(store, "check_output", real_check)
        save_result(target, _payload(7.0), {"writer": "other"})
        return checked

    monkeypatch.setattr(store, "check_output", check_then_someone_writes)
    with pytest.raises(ResultError, match="another process meanwhile"):
        save_result(target, _payload(1.0), {"writer": "me"})
    assert load_result(target)[1]["writer"] == "other"
    assert _leftovers(tmp_path) == []


def test_a_disk_that_fills_up_on_the_record_leaves_no_orphan_payload(tmp_path, monkeypatch):
    real_fsync = os.fsync
    calls = []

    def full_on_second(descriptor):
        calls.append(descriptor)
        if len(calls) == 2:  # the payload's temporary file is written, the record's is not
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(store.os, "fsync", full_on_second)
    with pytest.raises(ResultError, match="nothing was written"):
        save_result(tmp_path / "r.pth", _payload(), {"seed": 0})
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    check_output(tmp_path / "r.pth")  # a re-run is not blocked by an orphan


def test_an_overwrite_that_fails_on_a_full_disk_keeps_the_old_result(tmp_path, monkeypatch):
    target = save_result(tmp_path / "r.pth", _payload(1.0), {"version": 1})
    before = (target.read_bytes(), record_path(target).read_bytes())

    def full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(ResultError, match="No space left"):
        save_result(target, _payload(2.0), {"version": 2}, overwrite=True)
    assert (target.read_bytes(), record_path(target).read_bytes()) == before
    assert _leftovers(tmp_path) == []
