"""Reading the temporal-superposition chapter's phase tables: rows at chosen feature probabilities, and the
predicted class of each row as prose.

A phase table is a list of rows, one per feature probability ``p``, as
:func:`tinymech.temporal_superposition.analysis.phase_table` returns it (keys ``p`` and ``best_class``
among others).
"""

from __future__ import annotations

from tinymech.errors import InvalidInputError

#: Two probabilities closer than this are the same value of ``p`` (the tables store them as floats).
P_TOLERANCE = 1e-6


def rows_at(table: list[dict], values: tuple[float, ...]) -> list[dict]:
    """The rows of ``table`` whose ``p`` is one of ``values`` (to :data:`P_TOLERANCE`), in table order.

    Raises:
        InvalidInputError: a row without ``p``.
    """
    if any("p" not in row for row in table):
        raise InvalidInputError("every row of a phase table needs its feature probability 'p'")
    return [r for r in table if any(abs(r["p"] - v) < P_TOLERANCE for v in values)]


def classes_text(table: list[dict]) -> str:
    """``"p: class, p: class, ..."``, the best seed's class at each ``p`` (``p`` in ``%g``).

    Raises:
        InvalidInputError: a row without ``p`` or ``best_class``.
    """
    if any("p" not in row or "best_class" not in row for row in table):
        raise InvalidInputError("every row needs 'p' and 'best_class'")
    return ", ".join(f"{r['p']:g}: {r['best_class']}" for r in table)
