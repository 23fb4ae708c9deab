"""The registry: the entry type of a committed result, and the one loader with one rule.

Every trained model, study and run that a chapter reads is a registered result named
``"<folder>/<stem>"`` (for instance ``"rnn/m2_2"`` or ``"temporal_superposition/ssm_k3"``), with the
chapter that reads it, the function that recomputes it and the other results it is computed from.  Its
files are ``tinymech/results/<name>.pth`` and its record ``<name>.json`` (:mod:`tinymech.store`).

This module knows no result: each subpackage lists its own entries beside the code that computes them
(a ``RESULTS`` table), and :mod:`tinymech.catalog`, above every subpackage, gathers them and loads by
name.  This module imports no subpackage.

The rule of :func:`load`:

1. By default, load the committed result and verify it: the payload's sha256, the record's checksum,
   and that every result it was computed from is still the version it was computed from.  Nothing is
   ever recomputed silently; a failed check raises :class:`~tinymech.errors.ResultError`.
2. ``recompute=True`` computes the result afresh with its registered settings.  It is written only when
   asked: to ``output``, or over the committed files with ``overwrite=True``.  The destination is checked
   before any work starts.

The command line exposes the same rule: ``tinymech list`` and ``tinymech run NAME (--output PATH |
--overwrite)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tinymech.errors import InvalidInputError, ResultError
from tinymech.perturb import perturb_result
from tinymech.store import RESULTS_DIR, check_output, load_result, read_record, save_result


def result_path(name: str) -> Path:
    """The committed payload file (``.pth``) of the registered result ``name``."""
    return RESULTS_DIR / f"{name}.pth"


@dataclass(frozen=True)
class Entry:
    """A registered result.

    Attributes:
        name: ``"<folder>/<stem>"``; the files are ``RESULTS_DIR / (name + ".pth" | ".json")``.
        chapter: the notebook (stem) that reads it.
        description: one line for ``tinymech list``.
        compute: the function that recomputes it, called with ``arguments`` and ``progress`` and
            returning ``(payload, metadata)``; None for a record kept by hand (an exploration log).
        arguments: keyword arguments of ``compute``.
        inputs: names of the registered results it is computed from; their checksums are stored in its
            record (``inputs``) and checked on every load.
        minutes: rough single-core minutes to recompute, for ``tinymech list``.
        verify: optional ``verify(entry, payload, record)`` that raises
            :class:`~tinymech.errors.InvalidInputError` if a stored payload or record is not what the entry
            names (for a trained RNN: :func:`tinymech.algzoo.zoo.check_stored_model`); see
            :func:`check_identity`.
    """

    name: str
    chapter: str
    description: str
    compute: Callable[..., tuple[Any, dict]] | None
    arguments: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    minutes: float | None = None
    verify: Callable[[Entry, Any, dict], None] | None = None

    @property
    def path(self) -> Path:
        """The committed payload file (``.pth``)."""
        return result_path(self.name)

    @property
    def command(self) -> str:
        """The command line that recomputes it over the committed files."""
        return f"tinymech run {self.name} --overwrite"

    def compute_function(self) -> Callable[..., tuple[Any, dict]]:
        """The function that recomputes it.

        Raises:
            InvalidInputError: for a record kept by hand.
        """
        if self.compute is None:
            raise InvalidInputError(
                f"{self.name} is a record kept by hand ({self.description}); "
                "there is nothing to recompute"
            )
        return self.compute


def table(*entries: Entry) -> dict[str, Entry]:
    """A ``RESULTS`` table: the entries by name.

    Raises:
        InvalidInputError: if two entries share a name.
    """
    found: dict[str, Entry] = {}
    for entry in entries:
        if entry.name in found:
            raise InvalidInputError(f"two registered results are named {entry.name!r}")
        found[entry.name] = entry
    return found


def committed_record(name: str) -> dict:
    """The verified record of the committed result ``name``, whatever its entry.

    The payload's sha256 and the record's checksum are checked, and every input the record names must
    still be the version it was computed from.

    Raises:
        ResultError: a missing, corrupted or edited result, or one computed from another version of an
            input.
    """
    path = result_path(name)
    if not path.exists():
        raise ResultError(f"committed result {name} is missing ({path})")
    record = load_result(path)[1]
    _check_versions(name, record, f"tinymech run {name} --overwrite")
    return record


def _check_versions(name: str, record: dict, command: str) -> None:
    for dependency, checksum in record.get("inputs", {}).items():
        current = read_record(result_path(dependency))["checksum"]
        if current != checksum:
            raise ResultError(
                f"{name} was computed from another version of {dependency} "
                f"(checksum {checksum[:12]}..., now {current[:12]}...); recompute it with "
                f"`{command}`"
            )


def _check_inputs(entry: Entry, record: dict) -> None:
    recorded = record.get("inputs", {})
    if set(recorded) != set(entry.inputs):
        raise ResultError(
            f"{entry.name} records inputs {sorted(recorded)}, expected {sorted(entry.inputs)}; "
            f"recompute it with `{entry.command}`"
        )
    _check_versions(entry.name, record, entry.command)


def verified_record(entry: Entry) -> dict:
    """The record of ``entry`` after the checks of :func:`load` (the payload's hash included).

    Raises:
        ResultError: see :func:`load`.
    """
    return load(entry)[1]


def check_identity(entry: Entry, payload: Any, record: dict) -> None:
    """Refuse a stored result that is not ``entry``'s: its record must name it (``result``), and the entry's
    ``verify`` (a trained RNN's: the architecture of its name's model, the record's fields and types) must
    accept the payload and record.

    Raises:
        ResultError: a record of another result (for instance another model's files copied over this
            one's), or a payload or record that the entry's ``verify`` refuses.
    """
    if record.get("result") != entry.name:
        raise ResultError(
            f"the files of {entry.name} hold the result {record.get('result')!r}: they belong to "
            f"another name; restore them (git checkout) or recompute with `{entry.command}`"
        )
    if entry.verify is not None:
        try:
            entry.verify(entry, payload, record)
        except InvalidInputError as error:
            raise ResultError(f"{error}; recompute it with `{entry.command}`") from None


def load(
    entry: Entry,
    *,
    recompute: bool = False,
    output: str | Path | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> tuple[Any, dict]:
    """Load a registered result by the rule in the module docstring.

    :func:`tinymech.catalog.load` finds the entry of a name and calls this.

    Args:
        entry: the result's entry (from a subpackage's ``RESULTS`` table or :mod:`tinymech.catalog`).
        recompute: compute it afresh with the registered settings instead of loading it.
        output: with ``recompute``, write the fresh result here (a ``.pth`` path) instead of nowhere.
        overwrite: with ``recompute`` and no ``output``, replace the committed files; with ``output``,
            allow replacing an existing file there.
        progress: progress bars while recomputing.

    Returns:
        ``(payload, record)``; for a fresh result that was not written, the record is its metadata.  In the
        perturbation run (``TINYMECH_PERTURB=1``, :mod:`tinymech.perturb`) a committed payload's
        floating-point arrays are perturbed at rounding scale after verification.

    Raises:
        InvalidInputError: ``output`` or ``overwrite`` without ``recompute``, or a result kept by hand
            asked to be recomputed.
        ResultError: a missing, corrupted or edited result, one computed from another version of its
            inputs, or an output that exists (checked before any work).
    """
    if not isinstance(entry, Entry):
        raise InvalidInputError(
            f"expected a registry Entry, got {type(entry).__name__} "
            "(load a result by name with tinymech.catalog.load)"
        )
    name = entry.name
    if not recompute:
        if output is not None or overwrite:
            raise InvalidInputError("output and overwrite only apply with recompute=True")
        if not entry.path.exists():
            how = (
                f"recompute it with `{entry.command}`"
                if entry.compute
                else "it is a record kept by hand"
            )
            raise ResultError(f"committed result {name} is missing ({entry.path}); {how}")
        payload, record = load_result(entry.path)
        check_identity(entry, payload, record)
        _check_inputs(entry, record)
        return perturb_result(
            payload, name
        ), record  # unchanged unless TINYMECH_PERTURB=1 (tinymech.perturb)
    function = entry.compute_function()
    destination = None
    if output is not None:
        destination = check_output(output, overwrite=overwrite)
    elif overwrite:
        destination = check_output(entry.path, overwrite=True)
    inputs = {
        dependency: committed_record(dependency)["checksum"] for dependency in entry.inputs
    }
    payload, metadata = function(**entry.arguments, progress=progress)
    metadata = {**metadata, "result": name, **({"inputs": inputs} if inputs else {})}
    if destination is not None:
        save_result(destination, payload, metadata, overwrite=overwrite)
        return load_result(destination)
    return payload, metadata
