"""What the book shows: computed numbers in prose, and the one rule that decides every verdict.

Numbers in prose come from code: a notebook calls :func:`glue` and the markdown refers to the value with
``{glue:text}`name```.  :func:`glue` refuses a float unless told its precision (``digits`` significant
digits or the ``error`` that limits it), so no number is shown with more digits than its computation
supports on another machine.

Every chapter ends with :func:`claims_table`.  Each row is a :class:`Claim`: the claim, the source (a
citation key) and what the source says, our :class:`Measurement` with its uncertainty, where a random or
shuffled model could pass the same test a null control's measurement, and a :class:`Criterion` written
as code before looking at the number.  :func:`verdict` turns those into one of :data:`VERDICTS`:

1. nothing measured: **not tested** (the row says why);
2. the null control meets the criterion: **not discriminative**, whatever our number is;
3. our number meets the criterion: **reproduced**;
4. it meets the weaker ``partial`` criterion: **partly**;
5. it meets the ``refuted_if`` criterion (the claim's opposite, established): **refuted**;
6. otherwise: **differs**.

The idea of stating the test before running it follows QuantEcon's lectures; the table layout follows
the project's style guide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from tinymech.errors import InvalidInputError
from tinymech.stats import decimals_for_error, format_estimate, round_significant

VERDICTS = ("reproduced", "partly", "differs", "refuted", "not discriminative", "not tested")
#: sphinx-design badge colour of each verdict (the word is always shown too).
VERDICT_STYLE = {"reproduced": "success", "partly": "info", "differs": "warning", "refuted": "danger",
                 "not discriminative": "secondary", "not tested": "light"}


def _format_bound(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.1e}"


@dataclass(frozen=True)
class Measurement:
    """A measured number with its uncertainty.

    Attributes:
        value: the number (a yes/no fact is 1 or 0; a count is an integer).
        uncertainty: one standard error (0 for an exact or deterministic number).
        text: how the table shows it (default: ``value ± uncertainty`` to the uncertainty's first digit,
            or ``digits`` significant digits when exact).
        digits: significant digits of an exact number's default text.
    """

    value: float
    uncertainty: float = 0.0
    text: str | None = None
    digits: int = 4

    def __post_init__(self) -> None:
        if not (math.isfinite(float(self.value)) and math.isfinite(float(self.uncertainty))):
            raise InvalidInputError(f"a measurement must be finite, got {self.value!r} ± {self.uncertainty!r}")
        if self.uncertainty < 0:
            raise InvalidInputError(f"an uncertainty must be non-negative, got {self.uncertainty!r}")

    def show(self) -> str:
        """The text shown in a table."""
        if self.text is not None:
            return self.text
        if self.uncertainty > 0:
            return format_estimate(self.value, self.uncertainty)
        value = float(self.value)
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{round_significant(value, self.digits):g}"


@dataclass(frozen=True)
class Criterion:
    """A test of a claim, written before looking at the number.

    Attributes:
        description: the test in words, shown in the table.
        test: ``test(value, uncertainty) -> bool``.
    """

    description: str
    test: Callable[[float, float], bool]

    def holds(self, measurement: Measurement) -> bool:
        return bool(self.test(float(measurement.value), float(measurement.uncertainty)))


def at_least(threshold: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``value - z * uncertainty >= threshold`` (above the threshold by ``z`` standard errors)."""
    words = description or f"≥ {_format_bound(threshold)}" + (f" by {z:g} SE" if z else "")
    return Criterion(words, lambda v, u: v - z * u >= threshold)


def at_most(threshold: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``value + z * uncertainty <= threshold``."""
    words = description or f"≤ {_format_bound(threshold)}" + (f" by {z:g} SE" if z else "")
    return Criterion(words, lambda v, u: v + z * u <= threshold)


def within(target: float, tolerance: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``|value - target| <= tolerance + z * uncertainty``."""
    words = description or f"within {_format_bound(tolerance)} of {_format_bound(target)}"
    return Criterion(words, lambda v, u: abs(v - target) <= tolerance + z * u)


def between(low: float, high: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``low - z u <= value <= high + z u``."""
    words = description or f"between {_format_bound(low)} and {_format_bound(high)}"
    return Criterion(words, lambda v, u: low - z * u <= v <= high + z * u)


def is_true(description: str = "holds") -> Criterion:
    """Passes when a yes/no fact (value 1 or 0) is 1."""
    return Criterion(description, lambda v, u: v == 1)


def verdict(measured: Measurement | None, criterion: Criterion, *, null: Measurement | None = None,
            partial: Criterion | None = None, refuted_if: Criterion | None = None) -> str:
    """The verdict of a claim by the rule in the module docstring (one of :data:`VERDICTS`)."""
    if measured is None:
        return "not tested"
    if null is not None and criterion.holds(null):
        return "not discriminative"
    if criterion.holds(measured):
        return "reproduced"
    if partial is not None and partial.holds(measured):
        return "partly"
    if refuted_if is not None and refuted_if.holds(measured):
        return "refuted"
    return "differs"


@dataclass(frozen=True)
class Claim:
    """One row of a chapter's closing table.

    Attributes:
        claim: the claim in a few words, in the source's terms.
        source: citation key(s) of the source, e.g. ``"arc2026algzoo"`` (shown as an author-year citation).
        source_says: the source's number or words, quoted from the source document.
        measured: our measurement, or None when the claim is not tested here.
        criterion: the test, stated before looking at the number.
        null: the null control's measurement, where a random, shuffled or structural baseline could pass.
        null_label: what the null control is (e.g. "random RNNs of the same shape").
        partial: a weaker criterion that earns "partly".
        refuted_if: a criterion that establishes the claim's opposite ("refuted").
        note: a short remark (for "not tested": why).
    """

    claim: str
    source: str
    source_says: str
    measured: Measurement | None
    criterion: Criterion
    null: Measurement | None = None
    null_label: str = ""
    partial: Criterion | None = None
    refuted_if: Criterion | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return verdict(self.measured, self.criterion, null=self.null, partial=self.partial,
                       refuted_if=self.refuted_if)


def not_tested(claim: str, source: str, source_says: str, reason: str) -> Claim:
    """A row for a claim that is not tested here, with the reason."""
    return Claim(claim, source, source_says, None, Criterion("—", lambda v, u: False), note=reason)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _criterion_cell(row: Claim) -> str:
    parts = [row.criterion.description]
    if row.partial is not None:
        parts.append(f"partly: {row.partial.description}")
    if row.refuted_if is not None:
        parts.append(f"refuted: {row.refuted_if.description}")
    return "; ".join(parts)


def verdict_badge(word: str) -> str:
    """MyST markup of a verdict: a coloured sphinx-design badge with the word."""
    if word not in VERDICTS:
        raise InvalidInputError(f"verdict {word!r} is not one of {VERDICTS}")
    return f"{{bdg-{VERDICT_STYLE[word]}}}`{word}`"


class ClaimsTable:
    """A rendered claims table: MyST Markdown (a table MyST-NB renders as HTML) plus the rows."""

    def __init__(self, rows: list[Claim]):
        self.rows = list(rows)

    @property
    def verdicts(self) -> list[str]:
        return [row.verdict for row in self.rows]

    def counts(self) -> dict[str, int]:
        """How many rows have each verdict (every verdict listed, zeros included)."""
        found = self.verdicts
        return {word: found.count(word) for word in VERDICTS}

    def _repr_markdown_(self) -> str:
        lines = ["| claim | source says | ours | null control | criterion | verdict |",
                 "|---|---|---|---|---|---|"]
        for row in self.rows:
            citation = " ".join(f"{{cite:p}}`{key.strip()}`" for key in row.source.split(","))
            source = f"{citation}: {_cell(row.source_says)}"
            ours = row.measured.show() if row.measured is not None else "—"
            if row.note:
                ours = f"{ours} ({_cell(row.note)})" if row.measured is not None else _cell(row.note)
            null = f"{_cell(row.null_label)}: {_cell(row.null.show())}" if row.null is not None else "—"
            cells = [_cell(row.claim), source, _cell(ours), null, _cell(_criterion_cell(row)),
                     verdict_badge(row.verdict)]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {word}" for word, n in self.counts().items() if n)
        return f"<claims table: {len(self.rows)} rows: {counts}>"


class Table:
    """A result table rendered by MyST-NB as an HTML table (MyST Markdown output).

    Args:
        columns: header cells.
        rows: one list of cells per row (already formatted text; ``None`` shows as a dash).
        caption: an optional sentence shown above the table.
    """

    def __init__(self, columns: list[str], rows: list[list], *, caption: str = ""):
        if any(len(row) != len(columns) for row in rows):
            raise InvalidInputError(f"every row needs {len(columns)} cells, got {[len(r) for r in rows]}")
        self.columns, self.rows, self.caption = list(columns), [list(r) for r in rows], caption

    def _repr_markdown_(self) -> str:
        lines = [f"**{_cell(self.caption)}**", ""] if self.caption else []
        lines += ["| " + " | ".join(_cell(c) for c in self.columns) + " |", "|" + "---|" * len(self.columns)]
        for row in self.rows:
            lines.append("| " + " | ".join("—" if c is None else _cell(c) for c in row) + " |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<table: {len(self.rows)} rows x {len(self.columns)} columns>"


def claims_table(rows: list[Claim]) -> ClaimsTable:
    """The chapter's closing table; also glues ``claims_count_<verdict>`` (spaces as underscores) and
    ``claims_count_total`` for the book's overview page.

    Raises:
        InvalidInputError: if there are no rows, or a row is not a :class:`Claim`.
    """
    if not rows or not all(isinstance(row, Claim) for row in rows):
        raise InvalidInputError("claims_table needs a non-empty list of Claim rows")
    table = ClaimsTable(rows)
    for word, count in table.counts().items():
        glue(f"claims_count_{word.replace(' ', '_')}", count)
    glue("claims_count_total", len(table.rows))
    return table


def glue(name: str, value, *, digits: int | None = None, error: float | None = None) -> None:
    """Glue ``value`` under ``name`` for ``{glue:text}`` / ``{glue:figure}`` in markdown cells.

    A thin wrapper over :func:`myst_nb.glue` that hides the output, so the number appears only where the
    prose refers to it.  Floats must say their precision: ``digits`` significant digits (a float32
    result: at most 5; an exact float64 one: the digits that survive rescaling), or the ``error`` (a
    standard error) whose first digit is the last one kept.  Integers, booleans, strings and figures are
    glued as they are.

    Raises:
        InvalidInputError: a float without ``digits`` or ``error``, a non-finite float, or both given.
    """
    from myst_nb import glue as myst_glue

    if isinstance(value, (np.integer,)):
        value = int(value)
    if isinstance(value, (np.floating, float)) and not isinstance(value, bool):
        value = float(value)
        if not math.isfinite(value):
            raise InvalidInputError(f"glue {name!r}: the value {value!r} is not finite")
        if (digits is None) == (error is None):
            raise InvalidInputError(f"glue {name!r}: a float needs exactly one of digits= (significant digits) "
                                    f"or error= (the uncertainty that limits it); got {value!r}")
        value = round_significant(value, digits) if digits is not None else round(value, decimals_for_error(error))
    elif digits is not None or error is not None:
        raise InvalidInputError(f"glue {name!r}: digits and error apply to floats only, got a {type(value).__name__}")
    myst_glue(name, value, display=False)
