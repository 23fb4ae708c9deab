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
import io
import json
import os
import re
import shutil
import signal
import tempfile
import threading
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


def as_path(path: Any, what: str = "a result path") -> Path:
    """``path`` as a :class:`~pathlib.Path`.

    Raises:
        InvalidInputError: if it is not a string or path (``None``, a number, bytes, ...).
    """
    if isinstance(path, Path):
        return path
    if isinstance(path, str) or (
        isinstance(path, os.PathLike) and isinstance(os.fspath(path), str)
    ):
        if not str(path):
            raise InvalidInputError(f"{what} must not be empty")
        return Path(path)
    raise InvalidInputError(f"{what} must be a string or a path, got {type(path).__name__}")


def record_path(path: str | Path) -> Path:
    """The record ``NAME.json`` that belongs to the payload ``NAME.pth``."""
    return as_path(path).with_suffix(".json")


def _check_not_folder(path: Path) -> None:
    for target in (path, record_path(path)):
        if target.is_dir():
            raise ResultError(f"output {target} is a folder, expected a file path")


def check_output(path: str | Path, *, overwrite: bool = False) -> Path:
    """Check, before any work, that a result can be written at ``path`` (``.pth``) and its record beside it.

    Args:
        path: the payload file to write; must end in ``.pth``.
        overwrite: allow replacing an existing payload or record.

    Returns:
        ``path`` as an absolute :class:`~pathlib.Path`.

    Raises:
        ResultError: if the suffix is not ``.pth``; if the payload or its record exists and ``overwrite``
            is False; if either is a folder; or if the folder it goes in cannot be created or written.
    """
    path = as_path(path, "an output path").expanduser().absolute()
    if path.suffix != ".pth":
        raise ResultError(
            f"an output file must end in .pth (its record goes beside it in .json), got {path.name!r}"
        )
    _check_not_folder(path)
    if not overwrite:
        for existing in (path, record_path(path)):
            if existing.exists() or existing.is_symlink():
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


def check_file_output(path: str | Path, suffix: str, *, overwrite: bool = False) -> Path:
    """Check, before any work, that a single file (e.g. a ``.json`` of benchmark figures) can be written.

    Raises:
        ResultError: a wrong suffix, an existing file without ``overwrite``, a folder at ``path``, or a
            folder that cannot be created or written.
    """
    path = as_path(path, "an output path").expanduser().absolute()
    if path.suffix != suffix:
        raise ResultError(f"the output must end in {suffix}, got {path.name!r}")
    if path.is_dir():
        raise ResultError(f"output {path} is a folder, expected a {suffix} file path")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise ResultError(
            f"{path} exists; nothing was run. Pass --overwrite to replace it, or choose another output"
        )
    probe = path.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ResultError(f"cannot create folder {path.parent}: {probe} is a file")
    if not os.access(probe, os.W_OK):
        raise ResultError(
            f"cannot write to {probe} (no write permission); choose another output"
        )
    return path


#: Temporary files are ``.NAME.<pid>.<random>.tmp`` beside their destination; a lock is ``.NAME.lock``.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of ``path`` left by a writer that was killed (its process is gone)."""
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        match = _TEMPORARY.match(sibling.name)
        if (
            match
            and match["name"] in (path.name, record_path(path).name)
            and not _process_alive(int(match["pid"]))
        ):
            sibling.unlink(missing_ok=True)


def _write_temporary(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, flushed to disk; removed on any failure."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


class _Lock:
    """An exclusive lock ``.NAME.lock`` beside ``path`` (holding the owner's pid), for the commit of a result.

    A lock whose owner process is gone (killed mid-commit) is taken over.
    """

    def __init__(self, path: Path):
        self.path = path.parent / f".{path.name}.lock"

    def __enter__(self):
        for _ in range(2):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    owner = int(self.path.read_text() or "0")
                except (OSError, ValueError):
                    owner = 0
                if owner and _process_alive(owner):
                    raise ResultError(
                        f"another process (pid {owner}) is writing {self.path.parent / self.path.name[1:-5]}"
                        "; nothing was written. Wait for it, or choose another output"
                    ) from None
                self.path.unlink(missing_ok=True)  # its owner was killed: take it over
                continue
            with os.fdopen(descriptor, "w") as stream:
                stream.write(str(os.getpid()))
            return self
        raise ResultError(f"cannot take the lock {self.path}; nothing was written")

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)
        return False


def _previous(path: Path) -> Path:
    """Where an overwrite keeps the old payload until the new record is in place."""
    return path.parent / f".{path.name}.previous"


def _place(temporary: Path, destination: Path, *, overwrite: bool) -> None:
    """Move a finished temporary file to ``destination``; without ``overwrite`` never replace a file."""
    if overwrite:
        os.replace(temporary, destination)
        return
    try:
        os.link(temporary, destination)  # atomic, and fails if the destination exists
    except FileExistsError:
        raise ResultError(
            f"{destination} was written by another process meanwhile; this result was not "
            "written (nothing of the other one was changed). Choose another output"
        ) from None
    except OSError:  # a file system without hard links: under the lock, check then rename
        if destination.exists():
            raise ResultError(
                f"{destination} was written by another process meanwhile; this result was not written"
            ) from None
        os.replace(temporary, destination)
        return
    temporary.unlink(missing_ok=True)


def _commit(path: Path, payload: bytes, text: bytes, *, overwrite: bool) -> None:
    """Write the payload and its record so that the result appears whole or not at all.

    Both files are written in full to temporary files first (a full disk fails here, leaving nothing).
    Under an exclusive lock, the payload then the record are moved into place.  An overwrite keeps the
    old payload as ``.NAME.pth.previous`` until the new record is in place and puts it back if anything
    fails in between; if the process dies in between, :func:`load_result` still finds the old result
    (the old record names the old payload's sha256).  SIGINT is deferred during the two moves.
    """
    meta = record_path(path)
    _remove_stale_temporaries(path)
    temporaries: list[Path] = []
    try:
        try:
            temporaries.append(_write_temporary(path, payload))
            temporaries.append(_write_temporary(meta, text))
        except OSError as error:
            raise ResultError(
                f"cannot write {path}: {error.strerror or error}; nothing was written"
            ) from None
        with _Lock(path), _deferred_interrupt():
            _check_not_folder(path)
            if not overwrite:
                for existing in (path, meta):
                    if existing.exists() or existing.is_symlink():
                        raise ResultError(
                            f"{existing} was written by another process meanwhile; this result "
                            "was not written (the other one is untouched). Choose another output"
                        )
            previous = _previous(path)
            kept = False
            if overwrite and path.exists() and meta.exists():
                previous.unlink(missing_ok=True)
                try:
                    os.link(path, previous)
                except OSError:  # no hard links on this file system
                    shutil.copy2(path, previous)
                kept = True
            placed_payload = False
            try:
                _place(temporaries[0], path, overwrite=overwrite)
                placed_payload = True
                _place(temporaries[1], meta, overwrite=overwrite)
            except BaseException:
                if kept:
                    os.replace(previous, path)
                elif placed_payload:
                    path.unlink(missing_ok=True)
                raise
            if kept:
                previous.unlink(missing_ok=True)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


class _deferred_interrupt:
    """Hold back SIGINT (Ctrl-C) while a result is being moved into place; re-raise it afterwards."""

    def __enter__(self):
        self.received = False
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum, frame):
        self.received = True

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        if self.received and exc[0] is None:
            raise KeyboardInterrupt
        return False


def write_file(path: str | Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write one file whole or not at all (a temporary file moved into place); without ``overwrite``
    an existing file is never replaced, also one that appeared after :func:`check_file_output`.

    Raises:
        ResultError: the file exists (without ``overwrite``), or cannot be written (nothing is left).
    """
    path = Path(path).expanduser().absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _write_temporary(path, data)
    except OSError as error:
        raise ResultError(
            f"cannot write {path}: {error.strerror or error}; nothing was written"
        ) from None
    try:
        _place(temporary, path, overwrite=overwrite)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def payload_bytes(payload: Any) -> bytes:
    """The bytes :func:`save_result` writes for ``payload``: ``torch.save`` to memory, so the archive's
    inner folder is always ``archive`` (saving to a file path names it after the file) and saving the
    same payload twice gives the same bytes."""
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def save_result(
    path: str | Path, payload: Any, metadata: dict, *, overwrite: bool = False
) -> Path:
    """Write ``payload`` to ``path`` (``.pth``) and its record (metadata plus checksums) beside it.

    The result appears whole or not at all (:func:`_commit`): a second writer to the same output loses
    without touching the first; without ``overwrite`` nothing is ever replaced; an interrupted overwrite
    leaves the old result loadable; a failed write (a full disk) leaves nothing behind.  The same payload
    and metadata give the same bytes.

    Args:
        path: destination ending in ``.pth``; the record goes to the same name with ``.json``.
        payload: a state dict or other object of tensors and plain Python values.
        metadata: a JSON object of facts about the result (seed, settings, accuracies, ...); the fields
            ``format``, ``payload_sha256``, ``torch_version`` and ``checksum`` are filled in here.
        overwrite: replace an existing result (refused otherwise).

    Returns:
        The path of the ``.pth`` file.

    Raises:
        ResultError: see :func:`check_output`; also if another process wrote the output meanwhile, or the
            files cannot be written (the message says why; nothing is left behind).
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
    data = payload_bytes(payload)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ResultError(
            f"cannot create folder {path.parent}: {error.strerror or error}"
        ) from None
    record = dict(metadata)
    record.update(
        format=RECORD_FORMAT,
        payload_sha256=hashlib.sha256(data).hexdigest(),
        torch_version=torch.__version__,
    )
    record["checksum"] = record_checksum(record)
    text = (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")
    _commit(path, data, text, overwrite=overwrite)
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
    path = as_path(path)
    if not path.is_file():
        raise ResultError(f"result {path} does not exist")
    record = read_record(path)
    found = sha256_of(path)
    previous = _previous(path)
    if (
        record.get("payload_sha256") != found
        and previous.is_file()
        and sha256_of(previous) == record.get("payload_sha256")
    ):
        # an overwrite died between moving its payload and its record: the old result is whole
        return _torch_load(previous), record
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
    path = as_path(path, "a file path")
    if not path.is_file():
        raise ResultError(f"no file at {path}")
    if is_our_record(record_path(path)):
        return load_result(path)
    return _torch_load(path), None
