"""What the book shows: computed numbers in prose, and the one rule that decides every verdict.

Numbers in prose come from code: a notebook calls :func:`glue` and the markdown refers to the value with
``{glue:text}`name```.  :func:`glue` refuses a float unless told its precision (``digits`` significant
digits or the ``error`` that limits it), so no number is shown with more digits than its computation
supports on another machine.

A chapter collects its claims in a :class:`Claims` register, each section adding its row right after its
measurement, and its closing cell renders the register: a table of the sources' claims and a table of
*further checks* (the book's own hypotheses and other papers' claims, counted apart).  Each row is a
:class:`Claim`: the claim, the source (a citation key) and the source's own words, our :class:`Measurement`
(or :class:`Seeds`, one measurement per committed seed) with its uncertainty, where a random or shuffled model
could pass the same test a null control's measurement, and a :class:`Criterion` written as code.
:func:`verdict` turns those into one of :data:`VERDICTS` by the steps in :data:`RULE`, which the book's first
page prints.  Every numeric criterion also reports its *margin*: how far the value is from the threshold, and
the threshold at which the verdict would change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import numpy as np

from tinymech.errors import InvalidInputError
from tinymech.stats import decimals_for_error, format_estimate, format_number, round_significant

#: Suffix of a verdict measured at settings the source did not use (a finding about our reproduction).
AT_OUR_SETTINGS = " at our settings"
#: The findings, before the settings flag.
FINDINGS = ("reproduced", "partly", "not discriminative", "differs", "refuted", "not tested")
#: Every verdict a row can get.
VERDICTS = FINDINGS + tuple(
    word + AT_OUR_SETTINGS for word in ("reproduced", "partly", "not discriminative", "differs")
)
#: The rule, step by step, as the first page prints it (tests check it against :func:`verdict`).
RULE = (
    ("not tested", "nothing was measured (the row says why)"),
    (
        "reproduced",
        "our number meets the criterion and the null control does not (or there is no null control)",
    ),
    ("not discriminative", "our number meets the criterion and the null control meets it too"),
    (
        "partly",
        "our number fails the criterion but meets the weaker criterion stated in the row",
    ),
    (
        "refuted",
        "our number meets the row's criterion for the claim's opposite, beyond its uncertainty, measured "
        "in the source's own setting",
    ),
    (
        "differs",
        "our number fails the criterion, whatever the null control does (the row says what it did)",
    ),
    (
        "… at our settings",
        "the row was measured at settings the source did not use (another model, scale, "
        "learning rate, budget or statistic; the row names them): the verdict says so, is never "
        "refuted, and is counted apart, as a finding about our reproduction",
    ),
)
#: Rule for claims measured on several seeds: ours meets the criterion when every seed meets it, meets the
#: weaker criterion ("partly") when at least one seed does and the null control does not meet it (seeds that
#: do what the null does are no partial support), and the null control meets it when more than half of its
#: seeds do.
SEED_RULE = (
    "every seed meets the criterion: it is met; some but not all: partly, unless the null control "
    "meets it too (then it is not met); none: it is not met; a per-seed null control meets it when more "
    "than half of its seeds do"
)
#: Groups of findings a chapter's prose can list claims by (:meth:`Claims.names`), so no verdict word is typed there.
MET, PARTLY, NULL_MET, NOT_MET = (
    ("reproduced",),
    ("partly",),
    ("not discriminative",),
    ("differs", "refuted"),
)
#: sphinx-design badge colour and a symbol of each finding (the symbol tells badges apart without colour).
VERDICT_STYLE = {
    "reproduced": ("success", "✓"),
    "partly": ("info", "◐"),
    "not discriminative": ("secondary", "○"),
    "differs": ("warning", "✗"),
    "refuted": ("danger", "⊘"),
    "not tested": ("light", "–"),
}
#: Symbol added to a badge measured at our settings.
SETTINGS_SYMBOL = "△"


def _format_bound(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.1e}"


def _short(value: float) -> str:
    """A margin or flip threshold to 2 significant digits (it describes a distance, not a result), in prose
    notation (``1.1 × 10²⁰``, never ``1.1e+20``)."""
    return format_number(float(value), 2)


def _flip(value: float, margin: float) -> str:
    """The value at which a verdict flips, to the digits its ``margin`` from the threshold needs."""
    if value == 0 or margin == 0:
        return format_number(value, 3) if value else "0"
    digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(abs(margin))) + 2
    return format_number(value, min(max(digits, 2), 12))


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
        for name in ("value", "uncertainty"):
            number = getattr(self, name)
            if isinstance(number, (str, bytes)) or not isinstance(
                _plain_number(number), (int, float)
            ):
                raise InvalidInputError(
                    f"a measurement's {name} must be a number, got {type(number).__name__} "
                    f"{number!r}"
                )
        if not (math.isfinite(float(self.value)) and math.isfinite(float(self.uncertainty))):
            raise InvalidInputError(
                f"a measurement must be finite, got {self.value!r} ± {self.uncertainty!r}"
            )
        if self.uncertainty < 0:
            raise InvalidInputError(
                f"an uncertainty must be non-negative, got {self.uncertainty!r}"
            )

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
class Seeds:
    """One measurement per committed seed of a trained model.

    Attributes:
        measurements: the per-seed measurements, in seed order.
        labels: the seeds' names (e.g. ``"000"``), as many as measurements.
    """

    measurements: tuple[Measurement, ...]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.measurements or len(self.measurements) != len(self.labels):
            raise InvalidInputError(
                f"Seeds needs one label per measurement and at least one; got "
                f"{len(self.measurements)} measurements and {len(self.labels)} labels"
            )
        if not all(isinstance(m, Measurement) for m in self.measurements):
            raise InvalidInputError("Seeds holds Measurement objects only")

    def show(self) -> str:
        return ", ".join(
            f"{label}: {m.show()}" for label, m in zip(self.labels, self.measurements)
        )

    def count(self, criterion: Criterion) -> int:
        """How many seeds meet ``criterion``."""
        return sum(criterion.holds(m) for m in self.measurements)


def _meets(measured: Measurement | Seeds, criterion: Criterion, *, null: bool = False) -> str:
    """'all', 'some' or 'none' for seeds (by :data:`SEED_RULE`); 'all' or 'none' for one measurement."""
    if isinstance(measured, Measurement):
        return "all" if criterion.holds(measured) else "none"
    k, n = measured.count(criterion), len(measured.measurements)
    if null:
        return "all" if 2 * k > n else "none"
    return "all" if k == n else ("some" if k else "none")


@dataclass(frozen=True)
class Criterion:
    """A test of a claim.

    Attributes:
        description: the test in words, shown in the table.
        test: ``test(value, uncertainty) -> bool``.
        margin: optional ``margin(value, uncertainty) -> (distance, flip)`` or ``(distance, label, value)``:
            the signed distance of the value from the threshold (positive: the test passes by that much) and
            the threshold at which the verdict would change, in words or as a label and a number.  The helpers below set it for every numeric criterion.
    """

    description: str
    test: Callable[[float, float], bool]
    margin: Callable[[float, float], tuple] | None = None

    def holds(self, measurement: Measurement) -> bool:
        return bool(self.test(float(measurement.value), float(measurement.uncertainty)))

    def margin_of(self, measurement: Measurement) -> tuple[float, str] | None:
        """``(distance, flip)`` of ``measurement``, or None for a yes/no or custom criterion.

        The flip value is printed with the digits that tell it from the threshold: 2 significant digits of
        the margin, so a value a hair from its bound is not rounded onto it.
        """
        if self.margin is None:
            return None
        result = self.margin(float(measurement.value), float(measurement.uncertainty))
        if len(result) == 2:
            return result
        distance, label, value = result
        return distance, f"{label} {_flip(value, distance)}"

    def margin_text(self, measured: Measurement | Seeds) -> str:
        """The margin in words: ``"margin +0.03; flips at ≥ 0.93"`` (per seed for :class:`Seeds`)."""
        if self.margin is None:
            return ""
        if isinstance(measured, Measurement):
            distance, flip = self.margin_of(measured)
            return f"margin {'+' if distance >= 0 else '−'}{_short(abs(distance))}; flips at {flip}"
        distances = [self.margin_of(m)[0] for m in measured.measurements]
        return "margins " + ", ".join(
            f"{'+' if d >= 0 else '−'}{_short(abs(d))}" for d in distances
        )


def _finite(name: str, value, *, non_negative: bool = False) -> float:
    """A criterion's setting as a float: a finite real number (and ``>= 0`` where asked).

    Raises:
        InvalidInputError: for anything else (NaN, infinity, a bool, a string, a negative z or tolerance).
    """
    value = _plain_number(value) if not isinstance(value, (list, tuple)) else value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInputError(
            f"a criterion's {name} must be a real number, got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not math.isfinite(value):
        raise InvalidInputError(f"a criterion's {name} must be finite, got {value!r}")
    if non_negative and value < 0:
        raise InvalidInputError(
            f"a criterion's {name} must be >= 0, got {value!r}"
            + (
                " (a negative z would pass a value below the threshold)"
                if name == "z"
                else " (nothing is within a negative distance)"
            )
        )
    return value


def at_least(threshold: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``value - z * uncertainty >= threshold`` (above the threshold by ``z`` standard errors).

    Raises:
        InvalidInputError: a threshold that is not a finite number, or ``z`` negative or not finite.
    """
    threshold, z = _finite("threshold", threshold), _finite("z", z, non_negative=True)
    words = description or f"≥ {_format_bound(threshold)}" + (f" by {z:g} SE" if z else "")
    return Criterion(
        words,
        lambda v, u: v - z * u >= threshold,
        lambda v, u: (v - z * u - threshold, "threshold", v - z * u),
    )


def at_most(threshold: float, *, z: float = 2.0, description: str | None = None) -> Criterion:
    """Passes when ``value + z * uncertainty <= threshold``.

    Raises:
        InvalidInputError: a threshold that is not a finite number, or ``z`` negative or not finite.
    """
    threshold, z = _finite("threshold", threshold), _finite("z", z, non_negative=True)
    words = description or f"≤ {_format_bound(threshold)}" + (f" by {z:g} SE" if z else "")
    return Criterion(
        words,
        lambda v, u: v + z * u <= threshold,
        lambda v, u: (threshold - v - z * u, "threshold", v + z * u),
    )


def within(
    target: float, tolerance: float, *, z: float = 2.0, description: str | None = None
) -> Criterion:
    """Passes when ``|value - target| <= tolerance + z * uncertainty``.

    Raises:
        InvalidInputError: a target that is not a finite number, or a tolerance or ``z`` negative or not
            finite.
    """
    target = _finite("target", target)
    tolerance = _finite("tolerance", tolerance, non_negative=True)
    z = _finite("z", z, non_negative=True)
    words = description or f"within {_format_bound(tolerance)} of {_format_bound(target)}"
    return Criterion(
        words,
        lambda v, u: abs(v - target) <= tolerance + z * u,
        lambda v, u: (
            tolerance + z * u - abs(v - target),
            "tolerance",
            max(abs(v - target) - z * u, 0.0),
        ),
    )


def between(
    low: float, high: float, *, z: float = 2.0, description: str | None = None
) -> Criterion:
    """Passes when ``low - z u <= value <= high + z u``.

    Raises:
        InvalidInputError: bounds that are not finite numbers or not ordered (``low > high``), or ``z``
            negative or not finite.
    """
    low, high = _finite("lower bound", low), _finite("upper bound", high)
    z = _finite("z", z, non_negative=True)
    if low > high:
        raise InvalidInputError(
            f"between(low, high) needs low <= high, got low {low!r} > high {high!r}"
        )
    words = description or f"between {_format_bound(low)} and {_format_bound(high)}"

    def margin(v: float, u: float) -> tuple[float, str, float]:
        below, above = v + z * u - low, high + z * u - v
        if below <= above:
            return below, "lower bound", v + z * u
        return above, "upper bound", v - z * u

    return Criterion(words, lambda v, u: low - z * u <= v <= high + z * u, margin)


def is_true(description: str = "holds") -> Criterion:
    """Passes when a yes/no fact (value 1 or 0) is 1 (no margin: it is not a threshold)."""
    return Criterion(description, lambda v, u: v == 1)


def verdict(
    measured: Measurement | Seeds | None,
    criterion: Criterion,
    *,
    null: Measurement | Seeds | None = None,
    partial: Criterion | None = None,
    refuted_if: Criterion | None = None,
    setting_differs: str = "",
) -> str:
    """The verdict of a claim by :data:`RULE` (one of :data:`VERDICTS`).

    Args:
        measured: our measurement, per seed as :class:`Seeds` for a trained model (:data:`SEED_RULE`), or None.
        criterion: the claim's test.
        null: the null control's measurement (per seed where it depends on the model), or None.
        partial: a weaker criterion that earns "partly".
        refuted_if: a criterion for the claim's opposite (ignored when ``setting_differs`` is given).
        setting_differs: the settings the source did not use (e.g. ``"lr 3e-3 instead of 3e-4"``), or "".
    """
    if measured is None:
        return "not tested"
    ours = _meets(measured, criterion)
    null_meets = null is not None and _meets(null, criterion, null=True) == "all"
    if ours == "all":
        word = "not discriminative" if null_meets else "reproduced"
    elif (ours == "some" and not null_meets) or (
        partial is not None and _meets(measured, partial) == "all"
    ):
        word = "partly"
    elif (
        refuted_if is not None and not setting_differs and _meets(measured, refuted_if) == "all"
    ):
        word = "refuted"
    else:
        word = "differs"
    return word + AT_OUR_SETTINGS if setting_differs else word


def finding(word: str) -> str:
    """The finding of a verdict without the settings flag: ``"differs at our settings"`` → ``"differs"``."""
    if word not in VERDICTS:
        raise InvalidInputError(f"verdict {word!r} is not one of {VERDICTS}")
    return word.removesuffix(AT_OUR_SETTINGS)


@dataclass(frozen=True)
class Claim:
    """One row of a chapter's claims tables.

    Attributes:
        claim: the claim in a few words, in the source's terms.
        source: citation key(s) of the source, e.g. ``"arc2026algzoo"`` (shown as an author-year citation).
        source_says: the source's own words, in quote marks (“…”), optionally with a few words of context
            outside them; a test checks every quotation against the source texts.  "—" for a further check
            that no source states.
        measured: our measurement (:class:`Seeds` for a trained model's seeds), or None when not tested.
        criterion: the test.
        null: the null control's measurement, where a random, shuffled or structural baseline could pass.
        null_label: what the null control is (e.g. "random RNNs of the same shape").
        partial: a weaker criterion that earns "partly".
        refuted_if: a criterion that establishes the claim's opposite ("refuted").
        setting_differs: settings the source did not use, in words; the verdict says "at our settings".
        further: why the row is not one of the source's claims (e.g. "the book's hypothesis"); such a row
            goes to the chapter's *further checks* table.
        other_settings: the same claim measured at other settings, ``((label, measurement), ...)``, or
            ``(label, measurement, criterion)`` where the criterion depends on the setting (e.g. its number of
            runs); shown in the row with whether each meets the criterion.  One claim is one row: ``measured`` is the
            setting closest to the source's, and it alone decides the verdict.
        note: a short remark (for "not tested": why).
    """

    claim: str
    source: str
    source_says: str
    measured: Measurement | Seeds | None
    criterion: Criterion
    null: Measurement | Seeds | None = None
    null_label: str = ""
    partial: Criterion | None = None
    refuted_if: Criterion | None = None
    setting_differs: str = ""
    further: str = ""
    other_settings: tuple[tuple, ...] = ()
    note: str = ""

    @property
    def verdict(self) -> str:
        return verdict(
            self.measured,
            self.criterion,
            null=self.null,
            partial=self.partial,
            refuted_if=self.refuted_if,
            setting_differs=self.setting_differs,
        )


def not_tested(
    claim: str, source: str, source_says: str, reason: str, *, further: str = ""
) -> Claim:
    """A row for a claim that is not tested here, with the reason."""
    return Claim(
        claim,
        source,
        source_says,
        None,
        Criterion("—", lambda v, u: False),
        note=reason,
        further=further,
    )


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _criterion_cell(row: Claim) -> str:
    parts = [row.criterion.description]
    if isinstance(row.measured, Seeds):
        k, n = row.measured.count(row.criterion), len(row.measured.measurements)
        parts[0] += f" on every seed ({k} of {n} seeds meet it)"
        if 0 < k < n and row.partial is None:
            parts.append("partly: on some seeds, unless the null control meets the criterion")
    if row.measured is not None:
        margin = row.criterion.margin_text(row.measured)
        if margin:
            parts.append(margin)
    if row.partial is not None:
        parts.append(f"partly: {row.partial.description}")
    if row.refuted_if is not None and not row.setting_differs:
        parts.append(f"refuted: {row.refuted_if.description}")
    return "; ".join(parts)


def _null_cell(row: Claim) -> str:
    if row.null is None:
        return "—"
    if isinstance(row.null, Seeds):
        k, n = row.null.count(row.criterion), len(row.null.measurements)
        did = f"meets the criterion on {k} of {n} seeds"
    else:
        did = "meets the criterion" if row.criterion.holds(row.null) else "fails the criterion"
    return f"{_cell(row.null_label)}: {_cell(row.null.show())} ({did})"


def _other_setting(
    row: Claim,
    label: str,
    measured: Measurement | Seeds,
    criterion: Criterion | None = None,
    null: Measurement | Seeds | None = None,
) -> str:
    """One other setting of a row: its value and whether it meets the criterion (and, given that setting's null
    control, whether the null meets it too, which makes the pass not discriminative)."""
    criterion = criterion or row.criterion
    met = _meets(measured, criterion) == "all"
    if met and null is not None and _meets(null, criterion, null=True) == "all":
        return f"{label}: {measured.show()} (meets, and so does its null control: not discriminative)"
    return f"{label}: {measured.show()} ({'meets' if met else 'fails'})"


def verdict_badge(word: str) -> str:
    """MyST markup of a verdict: a sphinx-design badge with a symbol and the word (told apart without colour)."""
    base = finding(word)
    style, symbol = VERDICT_STYLE[base]
    if word != base:
        symbol = SETTINGS_SYMBOL + symbol
    return f"{{bdg-{style}}}`{symbol} {word}`"


def legend() -> str:
    """The line above every claims table that says what each badge means."""
    return (
        "Verdicts: "
        + "; ".join(
            f"{verdict_badge(word)} {words}"
            for word, words in [(w, d) for w, d in RULE if w in FINDINGS]
        )
        + f"; {SETTINGS_SYMBOL} before a symbol: measured at settings the source did not use (named in the "
        f"row), counted apart."
    )


class ClaimsTable:
    """A rendered claims table: MyST Markdown (a table MyST-NB renders as HTML) plus the rows.

    The verdict comes first in each row, so it stays readable on a narrow (phone) screen.
    """

    def __init__(self, rows: list[Claim], *, title: str = ""):
        self.rows = list(rows)
        self.title = title

    @property
    def verdicts(self) -> list[str]:
        return [row.verdict for row in self.rows]

    def counts(self) -> dict[str, int]:
        """How many rows (one row is one claim) have each verdict, every verdict listed, zeros included."""
        found = self.verdicts
        return {word: found.count(word) for word in VERDICTS}

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.title}**", ""] if self.title else []
        lines += [
            legend(),
            "",
            "| verdict | claim | source says | ours | null control | criterion |",
            "|---|---|---|---|---|---|",
        ]
        for row in self.rows:
            citation = " ".join(f"{{cite:p}}`{key.strip()}`" for key in row.source.split(","))
            source = f"{citation}: {_cell(row.source_says)}"
            ours = row.measured.show() if row.measured is not None else "—"
            if row.note:
                ours = (
                    f"{ours} ({_cell(row.note)})"
                    if row.measured is not None
                    else _cell(row.note)
                )
            if row.other_settings:
                ours += "; other settings: " + "; ".join(
                    _other_setting(row, *s) for s in row.other_settings
                )
            claim = row.claim + (
                f" (at our settings: {row.setting_differs})" if row.setting_differs else ""
            )
            if row.further:
                claim += f" ({row.further})"
            cells = [
                verdict_badge(row.verdict),
                _cell(claim),
                source,
                _cell(ours),
                _null_cell(row),
                _cell(_criterion_cell(row)),
            ]
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
            raise InvalidInputError(
                f"every row needs {len(columns)} cells, got {[len(r) for r in rows]}"
            )
        self.columns, self.rows, self.caption = list(columns), [list(r) for r in rows], caption

    def _repr_markdown_(self) -> str:
        lines = [f"**{_cell(self.caption)}**", ""] if self.caption else []
        lines += [
            "| " + " | ".join(_cell(c) for c in self.columns) + " |",
            "|" + "---|" * len(self.columns),
        ]
        for row in self.rows:
            lines.append("| " + " | ".join("—" if c is None else _cell(c) for c in row) + " |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<table: {len(self.rows)} rows x {len(self.columns)} columns>"


class ClaimsTables:
    """A chapter's two claims tables, rendered together: the sources' claims, then the further checks."""

    def __init__(self, rows: list[Claim]):
        self.sources = ClaimsTable(
            [r for r in rows if not r.further], title="The sources' claims"
        )
        self.further = ClaimsTable(
            [r for r in rows if r.further],
            title="Further checks (the book's own hypotheses and other papers' claims)",
        )

    @property
    def rows(self) -> list[Claim]:
        return self.sources.rows + self.further.rows

    @property
    def verdicts(self) -> list[str]:
        return self.sources.verdicts + self.further.verdicts

    def _repr_markdown_(self) -> str:
        parts = [self.sources._repr_markdown_()] if self.sources.rows else []
        if self.further.rows:
            parts.append(self.further._repr_markdown_())
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        return f"<claims tables: {len(self.sources.rows)} sources' claims, {len(self.further.rows)} further checks>"


def _glue_counts(prefix: str, table: ClaimsTable) -> None:
    counts = table.counts()
    for word in FINDINGS:
        glue(f"{prefix}_{word.replace(' ', '_')}", counts[word])
    settings = {finding(w): n for w, n in counts.items() if w.endswith(AT_OUR_SETTINGS) and n}
    glue(f"{prefix}_at_our_settings", sum(settings.values()))
    glue(
        f"{prefix}_at_our_settings_detail",
        ", ".join(f"{n} {word}" for word, n in settings.items()) if settings else "none",
    )
    glue(f"{prefix}_total", len(table.rows))


class Claims:
    """A chapter's register of claims: each section adds its rows right after its measurement
    (:meth:`add`), and the closing cell renders them (:meth:`tables`).

    Args:
        rows: rows to start with.
        seeds_setting: where the sources analyse a model the book does not have (ARC's own M16,10 file, say),
            the setting of every row measured on the committed seeds of a model trained here (rows whose
            ``measured`` is :class:`Seeds`): those rows are at our settings, with these words, unless they
            name their own.
    """

    def __init__(self, rows: Sequence[Claim] = (), *, seeds_setting: str = ""):
        self.rows: list[Claim] = []
        self.seeds_setting = seeds_setting
        self.add(*rows)

    def add(self, *rows: Claim) -> None:
        """Append rows (each a :class:`Claim`).

        Raises:
            InvalidInputError: a row that is not a Claim, or a claim already registered under the same words.
        """
        for row in rows:
            if not isinstance(row, Claim):
                raise InvalidInputError(
                    f"Claims.add takes Claim rows, got a {type(row).__name__}"
                )
            if (
                self.seeds_setting
                and isinstance(row.measured, Seeds)
                and not row.setting_differs
            ):
                row = replace(row, setting_differs=self.seeds_setting)
            if any(
                r.claim == row.claim and r.setting_differs == row.setting_differs
                for r in self.rows
            ):
                raise InvalidInputError(f"the claim {row.claim!r} is already registered")
            self.rows.append(row)

    def names(self, findings: Sequence[str]) -> list[str]:
        """The claims (sources' table) whose finding, settings flag aside, is one of ``findings``."""
        unknown = set(findings) - set(FINDINGS)
        if unknown:
            raise InvalidInputError(
                f"unknown findings {sorted(unknown)}; use words of {FINDINGS}"
            )
        return [r.claim for r in self.rows if not r.further and finding(r.verdict) in findings]

    def by_seed_count(self) -> dict[str, list[str]]:
        """The claims measured per seed, by how many seeds meet the criterion: ``"every"``, ``"some"``, ``"none"``."""
        groups: dict[str, list[str]] = {"every": [], "some": [], "none": []}
        for r in self.rows:
            if isinstance(r.measured, Seeds):
                k, n = r.measured.count(r.criterion), len(r.measured.measurements)
                groups["every" if k == n else "some" if k else "none"].append(r.claim)
        return groups

    def tables(self) -> ClaimsTables:
        """The chapter's two tables; also glues, for the first page, ``claims_count_<finding>`` (spaces as
        underscores), ``claims_count_at_our_settings`` (and ``_detail``) and ``claims_count_total`` for the
        sources' claims, and the same under ``further_count_`` for the further checks.

        Raises:
            InvalidInputError: if there are no rows.
        """
        if not self.rows:
            raise InvalidInputError("a claims register needs at least one row")
        tables = ClaimsTables(self.rows)
        _glue_counts("claims_count", tables.sources)
        _glue_counts("further_count", tables.further)
        return tables


def claims_table(rows: list[Claim]) -> ClaimsTables:
    """The chapter's closing tables from a list of rows (see :meth:`Claims.tables`).

    Raises:
        InvalidInputError: if there are no rows, or a row is not a :class:`Claim`.
    """
    if not rows:
        raise InvalidInputError("claims_table needs a non-empty list of Claim rows")
    return Claims(rows).tables()


#: A string that reads as a non-integer number with this many significant digits or more (trailing zeros
#: not counted) is how ``str()`` or ``repr()`` prints a computed float: :func:`glue` refuses it.
UNFORMATTED_DIGITS = 10


def _looks_unformatted(text: str) -> bool:
    stripped = text.strip()
    try:
        float(stripped)
    except ValueError:
        return False
    mantissa = stripped.lower().lstrip("+-").split("e")[0]
    if "." not in mantissa and "e" not in stripped.lower():
        return False  # an integer: exact
    digits = mantissa.replace(".", "").lstrip("0").rstrip("0")
    return len(digits) >= UNFORMATTED_DIGITS


def _plain_number(value):
    """A torch or numpy scalar (or a one-element array) as a Python number; anything else unchanged."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        torch = None
    if torch is not None and isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise InvalidInputError(
                f"glue takes a number, not a tensor of shape {tuple(value.shape)}; glue its entries "
                "one by one or as a list with digits= or error="
            )
        return value.item()
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise InvalidInputError(
                f"glue takes a number, not an array of shape {value.shape}; glue a list with "
                "digits= or error="
            )
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _glued_value(name: str, value, digits, error):
    """``value`` rounded by glue's rule (see :func:`glue`), recursively through lists and tuples."""
    value = _plain_number(value)
    if isinstance(value, (list, tuple)):
        has_float = False

        def visit(item):
            nonlocal has_float
            item = _plain_number(item)
            if isinstance(item, (list, tuple)):
                return type(item)(visit(i) for i in item)
            if isinstance(item, float):
                has_float = True
                return _glued_value(name, item, digits, error)
            if isinstance(item, str) and _looks_unformatted(item):
                raise InvalidInputError(
                    f"glue {name!r}: the string {item!r} is an unformatted float; format it to the "
                    "digits it supports"
                )
            return item

        rounded = type(value)(visit(item) for item in value)
        if not has_float and (digits is not None or error is not None):
            raise InvalidInputError(
                f"glue {name!r}: digits and error apply to floats only, and the list holds none"
            )
        return rounded
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"glue {name!r}: the value {value!r} is not finite")
        if (digits is None) == (error is None):
            raise InvalidInputError(
                f"glue {name!r}: a float needs exactly one of digits= (significant digits) "
                f"or error= (the uncertainty that limits it); got {value!r}"
            )
        return (
            round_significant(value, digits)
            if digits is not None
            else round(value, decimals_for_error(error))
        )
    if isinstance(value, complex):
        raise InvalidInputError(
            f"glue {name!r}: a complex number cannot be glued, got {value!r}"
        )
    if digits is not None or error is not None:
        raise InvalidInputError(
            f"glue {name!r}: digits and error apply to floats only, got a {type(value).__name__}"
        )
    if isinstance(value, str) and _looks_unformatted(value):
        raise InvalidInputError(
            f"glue {name!r}: the string {value!r} is an unformatted float ({UNFORMATTED_DIGITS} or "
            "more significant digits); format it to the digits it supports, or glue the float with "
            "digits= or error="
        )
    return value


def glue(name: str, value, *, digits: int | None = None, error: float | None = None) -> None:
    """Glue ``value`` under ``name`` for ``{glue:text}`` / ``{glue:figure}`` in markdown cells.

    A thin wrapper over :func:`myst_nb.glue` that hides the output, so the number appears only where the
    prose refers to it.  Where MyST-NB is not installed (a notebook launched on Colab or Binder, whose
    prose has the values written in), the value is shown instead: a figure displayed, anything else
    printed as ``name = value``.  Floats must say their precision: ``digits`` significant digits (a float32
    result: at most 5; an exact float64 one: the digits that survive rescaling), or the ``error`` (a
    standard error) whose first digit is the last one kept.  The rule holds for every numeric type: torch
    and numpy scalars (and one-element arrays) are read as Python numbers, and the floats in a list or
    tuple are rounded alike.  Integers, booleans, strings and figures are glued as they are, except a
    string that is an unformatted float (:data:`UNFORMATTED_DIGITS` or more significant digits, as
    ``str(x)`` prints one).

    Raises:
        InvalidInputError: a float (alone or in a list) without ``digits`` or ``error``, a non-finite
            float, both given, a multi-element tensor or array, or an unformatted float string.
    """
    if not isinstance(name, str) or not name:
        raise InvalidInputError(f"glue's name must be a non-empty string, got {name!r}")
    if digits is not None and (
        isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or digits < 1
    ):
        raise InvalidInputError(
            f"glue {name!r}: digits must be a positive integer, got {digits!r}"
        )
    if error is not None:
        error = _finite("error", error, non_negative=True)
        if error == 0:
            raise InvalidInputError(
                f"glue {name!r}: error must be positive (an exact number takes digits=)"
            )
    value = _glued_value(name, value, digits, error)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        _show_glued(name, value)
    else:
        myst_glue(name, value, display=False)


def _show_glued(name: str, value) -> None:
    """What :func:`glue` shows without MyST-NB: a figure or rich object displayed, a value printed."""
    if hasattr(value, "_repr_mimebundle_") or hasattr(value, "savefig"):
        try:
            from IPython.display import display
        except ImportError:  # plain Python: nothing to draw on
            print(f"{name} = <{type(value).__name__}>")
        else:
            display(value)
        return
    text = getattr(value, "data", value)  # IPython.display.Markdown holds its text in .data
    print(f"{name} = {text}")
