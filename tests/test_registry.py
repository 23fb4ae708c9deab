"""The store and the registry: one checksum over payload and record, one loader with one rule."""

import inspect
import json
import shutil

import pytest
import torch

from tinymech import catalog, store
from tinymech import registry as low
from tinymech.errors import InvalidInputError, ResultError
from tinymech.store import (
    RESULTS_DIR,
    load_foreign_state_dict,
    load_result,
    read_record,
    save_result,
)


@pytest.mark.parametrize("name", catalog.names())
def test_every_registered_result_loads_verified(name):
    payload, record = catalog.load(name)
    assert record["result"] == name
    assert record["format"] == store.RECORD_FORMAT


def test_every_committed_file_is_registered_and_paired():
    files = {
        str(p.relative_to(RESULTS_DIR).with_suffix(""))
        for p in RESULTS_DIR.rglob("*")
        if p.is_file()
    }
    assert files == set(catalog.names())
    for path in RESULTS_DIR.rglob("*.pth"):
        assert path.with_suffix(".json").exists(), path


@pytest.mark.parametrize("name", catalog.names())
def test_every_catalogued_result_names_a_function_that_takes_its_arguments(name):
    entry = catalog.get(name)
    if entry.compute is None:  # a record kept by hand
        assert "kept by hand" in entry.description
        return
    assert callable(entry.compute) and entry.compute.__name__.startswith("compute_")
    inspect.signature(entry.compute).bind(**entry.arguments, progress=False)
    assert set(entry.inputs) <= set(catalog.names())


def test_round_trip_and_every_kind_of_tampering_is_refused(tmp_path):
    path = save_result(tmp_path / "r.pth", {"x": torch.arange(3)}, {"seed": 1, "accuracy": 0.5})
    payload, record = load_result(path)
    assert torch.equal(payload["x"], torch.arange(3)) and record["seed"] == 1
    record_file = path.with_suffix(".json")
    original = record_file.read_text()

    edited = json.loads(original)
    edited["accuracy"] = 0.9
    record_file.write_text(json.dumps(edited))
    with pytest.raises(ResultError, match="edited or corrupted: checksum expected"):
        load_result(path)
    record_file.write_text("[1, 2]")
    with pytest.raises(ResultError, match="holds a JSON list, expected an object"):
        load_result(path)
    record_file.write_text("{not json")
    with pytest.raises(ResultError, match="not valid JSON"):
        load_result(path)
    record_file.unlink()
    with pytest.raises(ResultError, match="has no record"):
        load_result(path)
    record_file.write_text(original)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ResultError, match="payload sha256 expected"):
        load_result(path)


def test_save_checks_the_output_and_the_metadata_before_writing(tmp_path):
    path = save_result(tmp_path / "a.pth", {"x": torch.zeros(1)}, {})
    with pytest.raises(ResultError, match="exists"):
        save_result(path, {"x": torch.ones(1)}, {})
    (tmp_path / "b.json").write_text("{}")
    with pytest.raises(ResultError, match="b.json exists"):
        save_result(tmp_path / "b.pth", {}, {})
    with pytest.raises(ResultError, match="must end in .pth"):
        save_result(tmp_path / "c.pt", {}, {})
    with pytest.raises(InvalidInputError, match="reserved fields"):
        save_result(tmp_path / "d.pth", {}, {"checksum": "x"})
    with pytest.raises(InvalidInputError, match="plain JSON values"):
        save_result(tmp_path / "e.pth", {}, {"value": float("nan")})
    assert not (tmp_path / "d.pth").exists() and not (tmp_path / "e.pth").exists()


def test_foreign_files_ignore_unrelated_json_but_verify_our_records(tmp_path):
    foreign = tmp_path / "official.pth"
    torch.save({"w": torch.ones(2)}, foreign)
    foreign.with_suffix(".json").write_text(json.dumps({"format": "someone-else"}))
    payload, record = load_foreign_state_dict(foreign)
    assert record is None and torch.equal(payload["w"], torch.ones(2))
    ours = save_result(tmp_path / "ours.pth", {"w": torch.ones(2)}, {"note": "x"})
    assert load_foreign_state_dict(ours)[1]["note"] == "x"
    ours.write_bytes(ours.read_bytes() + b"!")
    with pytest.raises(ResultError, match="payload sha256"):
        load_foreign_state_dict(ours)


def _fake_entry(monkeypatch, tmp_path, calls):
    def compute(*, progress=False, value=1.0):
        calls.append(value)
        return {"x": torch.tensor([value])}, {"value": value}

    monkeypatch.setattr(store, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(low, "RESULTS_DIR", tmp_path)
    entry = low.Entry("fake/one", "none", "a test result", compute, {"value": 2.0})
    monkeypatch.setitem(catalog.CATALOG, "fake/one", entry)
    return entry


def test_recompute_writes_only_when_asked_and_checks_outputs_first(monkeypatch, tmp_path):
    calls = []
    entry = _fake_entry(monkeypatch, tmp_path, calls)
    with pytest.raises(ResultError, match="is missing"):
        catalog.load("fake/one")
    payload, metadata = catalog.load("fake/one", recompute=True)
    assert calls == [2.0] and metadata["value"] == 2.0 and not (tmp_path / "fake").exists()
    catalog.load("fake/one", recompute=True, overwrite=True)
    assert catalog.load("fake/one")[1]["value"] == 2.0
    taken = tmp_path / "taken.pth"
    taken.write_bytes(b"")
    with pytest.raises(ResultError, match="exists; nothing was computed"):
        catalog.load("fake/one", recompute=True, output=taken)
    assert calls == [2.0, 2.0]  # the refused call computed nothing
    with pytest.raises(InvalidInputError, match="only apply with recompute"):
        catalog.load("fake/one", overwrite=True)
    assert entry.command == "tinymech run fake/one --overwrite"


def test_a_result_computed_from_an_older_input_is_refused(monkeypatch, tmp_path):
    shutil.copytree(RESULTS_DIR / "rnn", tmp_path / "rnn")
    shutil.copytree(RESULTS_DIR / "m4_3", tmp_path / "m4_3")
    monkeypatch.setattr(low, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(store, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(low.Entry, "path", property(lambda self: tmp_path / f"{self.name}.pth"))
    catalog.load("m4_3/study_m4_3")
    model = tmp_path / "rnn" / "m4_3.pth"
    payload, record = load_result(model)
    record = {
        k: v
        for k, v in record.items()
        if k not in ("format", "payload_sha256", "checksum", "torch_version")
    }
    save_result(model, payload, {**record, "note": "retrained"}, overwrite=True)
    with pytest.raises(ResultError, match="computed from another version of rnn/m4_3"):
        catalog.load("m4_3/study_m4_3")


def test_unknown_names_list_the_registered_ones():
    with pytest.raises(InvalidInputError, match="choose one of: rnn/m2_2"):
        catalog.load("rnn/m9_9")
    with pytest.raises(InvalidInputError, match="kept by hand"):
        catalog.load("miiii/exploration", recompute=True)


def test_read_record_needs_no_payload_read(tmp_path):
    path = save_result(tmp_path / "r.pth", {}, {"k": 1})
    assert read_record(path)["k"] == 1
