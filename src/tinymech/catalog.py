"""The catalog: every registered result, gathered from the subpackages' ``RESULTS`` tables, loaded by name.

Each subpackage lists its registered results beside the code that computes them:

- :data:`tinymech.algzoo.studies.RESULTS`: the trained RNNs (:data:`tinymech.algzoo.zoo.RESULTS`) and the
  studies of the M4,3 and estimators chapters;
- :data:`tinymech.temporal_superposition.experiments.RESULTS`, :data:`tinymech.autoencoder.studies.RESULTS`,
  :data:`tinymech.miiii.runs.RESULTS`: the other chapters' runs.

This module sits above them all (no subpackage imports it) and loads a result by name with the rule of
:func:`tinymech.registry.load`.  Notebooks read committed results with ``load(name)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinymech import registry
from tinymech.algzoo.studies import RESULTS as ALGZOO
from tinymech.autoencoder.studies import RESULTS as AUTOENCODER
from tinymech.errors import InvalidInputError
from tinymech.miiii.runs import RESULTS as MIIII
from tinymech.registry import Entry
from tinymech.temporal_superposition.experiments import RESULTS as TEMPORAL_SUPERPOSITION

#: Every registered result by name, in the order ``tinymech list`` shows them.
CATALOG: dict[str, Entry] = registry.table(
    *ALGZOO.values(),
    *TEMPORAL_SUPERPOSITION.values(),
    *AUTOENCODER.values(),
    *MIIII.values(),
)


def names(chapter: str | None = None) -> list[str]:
    """Registered names, optionally only those a chapter (notebook stem) reads."""
    return [
        name for name, entry in CATALOG.items() if chapter is None or entry.chapter == chapter
    ]


def get(name: str) -> Entry:
    """The registry entry of ``name``.

    Raises:
        InvalidInputError: for an unknown name; the message lists the registered ones.
    """
    if not isinstance(name, str):
        raise InvalidInputError(f"a result name must be a string, got {type(name).__name__}")
    try:
        return CATALOG[name]
    except KeyError:
        raise InvalidInputError(
            f"no registered result {name!r}; choose one of: {', '.join(CATALOG)}"
        ) from None


def load(
    name: str,
    *,
    recompute: bool = False,
    output: str | Path | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> tuple[Any, dict]:
    """Load the registered result ``name`` by the rule of :func:`tinymech.registry.load`.

    Returns:
        ``(payload, record)``.

    Raises:
        InvalidInputError: an unknown name (the message lists the registered ones); see
            :func:`tinymech.registry.load` for the rest.
        ResultError: see :func:`tinymech.registry.load`.
    """
    return registry.load(
        get(name), recompute=recompute, output=output, overwrite=overwrite, progress=progress
    )


def verified_record(name: str) -> dict:
    """The record of ``name`` after the checks of :func:`load` (the payload's hash included).

    Raises:
        InvalidInputError, ResultError: see :func:`load`.
    """
    return load(name)[1]
