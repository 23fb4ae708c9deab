"""Stored results: a payload file and its record, one checksum over both.

A result is two files side by side: ``NAME.pth`` (a ``torch.save``'d state dict or dict of tensors and
plain values) and ``NAME.json``, its *record*: the metadata (seed, settings, accuracies, ...), the sha256
of the payload's bytes (``payload_sha256``), the record format (``format``) and a ``checksum``: the
sha256 of the payload's sha256 and of every other field of the record, in canonical JSON.  Editing either
file, or dropping the record, makes :func:`load_result` refuse the result with a message that says what
was expected and what was found.

Results committed with the package live under :data:`RESULTS_DIR` (``tinymech/results/``); which ones
exist and how each is recomputed is :mod:`tinymech.registry`'s business.  A file that a user gives by
path (for instance AlgZoo's official weights) is *foreign*: :func:`load_foreign_state_dict` checks a
record beside it only if that record is one of ours and ignores anything else.

Nothing here computes, trains or overwrites anything unless asked; output paths are checked by
:func:`check_output` before any work starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch

from tinymech.errors import InvalidInputError, ResultError

RESULTS_DIR = Path(__file__).resolve().parent / "results"
#: The ``format`` field that marks a record as one of ours.
RECORD_FORMAT = "tinymech-result/1"
#: Record fields filled in by :func:`save_result`, never by the caller.
_RESERVED = ("format", "payload_sha256", "checksum", "torch_version")


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def record_checksum(record: dict) -> str:
    """The checksum of a record: sha256 of its canonical JSON without the ``checksum`` field.

    The record holds ``payload_sha256``, so the checksum covers the payload's bytes and the metadata.
    """
    body = {key: value for key, value in record.items() if key != "checksum"}
    return hashlib.sha256(_canonical(body).encode("ascii")).hexdigest()


def record_path(path: str | Path) -> Path:
    """The record ``NAME.json`` that belongs to the payload ``NAME.pth``."""
    return Path(path).with_suffix(".json")


def check_output(path: str | Path, *, overwrite: bool = False) -> Path:
    """Check, before any work, that a result can be written at ``path`` (``.pth``) and its record beside it.

    Args:
        path: the payload file to write; must end in ``.pth``.
        overwrite: allow replacing an existing payload or record.

    Returns:
        ``path`` as an absolute :class:`~pathlib.Path`.

    Raises:
        ResultError: if the suffix is not ``.pth``; if the payload or its record exists and ``overwrite``
            is False; if the path is a folder; or if the folder it goes in cannot be created or written.
    """
    path = Path(path).expanduser().absolute()
    if path.suffix != ".pth":
        raise ResultError(
            f"an output file must end in .pth (its record goes beside it in .json), got {path.name!r}"
        )
    if path.is_dir():
        raise ResultError(f"output {path} is a folder, expected a .pth file path")
    if not overwrite:
        for existing in (path, record_path(path)):
            if existing.exists():
                raise ResultError(
                    f"{existing} exists; nothing was computed. Choose another output, or pass "
                    "overwrite=True (command line: --overwrite) to replace it"
                )
    folder = path.parent
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ResultError(f"cannot create folder {folder}: {probe} is a file")
    if not os.access(probe, os.W_OK):
        raise ResultError(
            f"cannot write to {probe} (no write permission); choose another output"
        )
    return path


def _atomic_write(path: Path, write) -> None:
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_result(
    path: str | Path, payload: Any, metadata: dict, *, overwrite: bool = False
) -> Path:
    """Write ``payload`` to ``path`` (``.pth``) and its record (metadata plus checksums) beside it.

    Args:
        path: destination ending in ``.pth``; the record goes to the same name with ``.json``.
        payload: a state dict or other object of tensors and plain Python values.
        metadata: a JSON object of facts about the result (seed, settings, accuracies, ...); the fields
            ``format``, ``payload_sha256``, ``torch_version`` and ``checksum`` are filled in here.
        overwrite: replace an existing result (refused otherwise).

    Returns:
        The path of the ``.pth`` file.

    Raises:
        ResultError: see :func:`check_output`.
        InvalidInputError: if ``metadata`` is not a dict of JSON values (NaN and infinity included), or
            uses a reserved field.
    """
    path = check_output(path, overwrite=overwrite)
    if not isinstance(metadata, dict):
        raise InvalidInputError(f"metadata must be a dict, got {type(metadata).__name__}")
    reserved = sorted(set(metadata) & set(_RESERVED))
    if reserved:
        raise InvalidInputError(
            f"metadata uses reserved fields {reserved}; they are filled in by save_result"
        )
    try:
        _canonical(metadata)
    except (TypeError, ValueError) as error:
        raise InvalidInputError(
            f"metadata must be plain JSON values (finite numbers, strings, lists, dicts): "
            f"{error}"
        ) from error
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, lambda temporary: torch.save(payload, temporary))
    record = dict(metadata)
    record.update(
        format=RECORD_FORMAT, payload_sha256=sha256_of(path), torch_version=torch.__version__
    )
    record["checksum"] = record_checksum(record)
    text = json.dumps(record, indent=1, sort_keys=True) + "\n"
    _atomic_write(record_path(path), lambda temporary: Path(temporary).write_text(text))
    return path


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultError(f"record {path} is not valid JSON: {error}") from error


def is_our_record(path: str | Path) -> bool:
    """Whether ``path`` (a ``.json`` file) is a record written by :func:`save_result` (any integrity)."""
    path = Path(path)
    try:
        value = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(value, dict) and value.get("format") == RECORD_FORMAT


def read_record(path: str | Path) -> dict:
    """The verified record of the result ``NAME.pth`` (read from ``NAME.json``); the payload is not read.

    The record's checksum is checked, so an edited field is refused; the payload's sha256 is checked by
    :func:`load_result`.

    Raises:
        ResultError: if the record is missing, not valid JSON, not a JSON object, not one of ours, or
            its checksum does not match its fields.
    """
    meta = record_path(path)
    if not meta.exists():
        raise ResultError(
            f"result {Path(path).name} has no record {meta.name} beside it; a result without "
            "its record is refused (recompute it, see `tinymech list`)"
        )
    record = _read_json(meta)
    if not isinstance(record, dict):
        raise ResultError(
            f"record {meta} holds a JSON {type(record).__name__}, expected an object"
        )
    if record.get("format") != RECORD_FORMAT:
        raise ResultError(
            f"record {meta} has format {record.get('format')!r}, expected {RECORD_FORMAT!r}"
        )
    found = record_checksum(record)
    if record.get("checksum") != found:
        raise ResultError(
            f"record {meta} was edited or corrupted: checksum expected {record.get('checksum')}, "
            f"found {found} (recompute the result instead of editing its record)"
        )
    return record


def _torch_load(path: Path) -> Any:
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises several types for unreadable or unsafe files
        raise ResultError(
            f"{path} is not a readable torch file: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}"
        ) from error


def load_result(path: str | Path) -> tuple[Any, dict]:
    """Load a result written by :func:`save_result`, verifying the record and the payload first.

    Returns:
        ``(payload, record)``.

    Raises:
        ResultError: if the payload is missing, the record is missing or fails :func:`read_record`, or the
            payload's sha256 differs from the recorded one (the message gives both).
    """
    path = Path(path)
    if not path.is_file():
        raise ResultError(f"result {path} does not exist")
    record = read_record(path)
    found = sha256_of(path)
    if record.get("payload_sha256") != found:
        raise ResultError(
            f"result {path} is corrupted or was changed: payload sha256 expected "
            f"{record.get('payload_sha256')}, found {found}"
        )
    return _torch_load(path), record


def load_foreign_state_dict(path: str | Path) -> tuple[Any, dict | None]:
    """Read a file that a user gives by path, e.g. an official AlgZoo ``.pth`` state dict.

    If a record of ours sits beside it, the result is verified like a committed one
    (:func:`load_result`); any other file beside it (for instance an unrelated ``.json`` of the same
    stem) is ignored.

    Returns:
        ``(payload, record or None)``.

    Raises:
        ResultError: if the file is missing or unreadable, or our record beside it does not match.
    """
    path = Path(path)
    if not path.is_file():
        raise ResultError(f"no file at {path}")
    if is_our_record(record_path(path)):
        return load_result(path)
    return _torch_load(path), None
