"""Rates counted over runs, as claim measurements, and criteria judged by their 95% Wilson intervals.

A rate such as "1 run in 100 recovered" is a count ``k`` of ``N`` runs.  :func:`rate` turns it into a
:class:`tinymech.report.Measurement` (value ``k / N``, shown as ``k/N = r% [low, high]``), and the
criteria below decide with the Wilson score interval of :func:`tinymech.stats.proportion_interval`,
which is never empty, not even at ``k = 0`` or ``k = N``.  Each criterion is fixed by the design (the
number of runs ``N``) and the claim, before any count is looked at; it recovers ``k`` as
``round(value * N)``.
"""

from __future__ import annotations

import math

from tinymech.errors import InvalidInputError
from tinymech.report import Criterion, Measurement
from tinymech.stats import format_rate, proportion_interval


def _check_trials(trials: int) -> int:
    trials = int(trials)
    if trials < 1:
        raise InvalidInputError(f"a rate needs at least one trial, found {trials}")
    return trials


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _interval(value: float, trials: int) -> tuple[float, float]:
    _, low, high = proportion_interval(round(value * trials), trials)
    return low, high


def rate(successes: int, trials: int) -> Measurement:
    """``k/N`` as a measurement: value ``k/N``, binomial standard error, text ``k/N = r% [low, high]``.

    Raises:
        InvalidInputError: if ``trials < 1`` or ``successes`` is not in ``[0, trials]``.
    """
    trials = _check_trials(trials)
    value, _, _ = proportion_interval(successes, trials)
    return Measurement(
        value, math.sqrt(value * (1 - value) / trials), text=format_rate(successes, trials)
    )


def wilson_above(threshold: float, trials: int, *, description: str | None = None) -> Criterion:
    """Passes when the 95% Wilson interval of ``k/N`` lies above ``threshold`` (its low end > threshold)."""
    trials = _check_trials(trials)
    words = description or f"95% Wilson interval above {100 * threshold:g}%"
    return Criterion(
        words,
        lambda v, u: _interval(v, trials)[0] > threshold,
        lambda v, u: (
            _interval(v, trials)[0] - threshold,
            f"threshold {_percent(_interval(v, trials)[0])} (the interval's low end)",
        ),
    )


def wilson_below(threshold: float, trials: int, *, description: str | None = None) -> Criterion:
    """Passes when the 95% Wilson interval of ``k/N`` lies below ``threshold`` (its high end < threshold)."""
    trials = _check_trials(trials)
    words = description or f"95% Wilson interval below {100 * threshold:g}%"
    return Criterion(
        words,
        lambda v, u: _interval(v, trials)[1] < threshold,
        lambda v, u: (
            threshold - _interval(v, trials)[1],
            f"threshold {_percent(_interval(v, trials)[1])} (the interval's high end)",
        ),
    )


def wilson_overlaps(
    reference: tuple[int, int], trials: int, *, description: str | None = None
) -> Criterion:
    """Passes when the 95% Wilson intervals of ``k/N`` and of the ``reference`` count ``(k_ref, N_ref)`` overlap.

    This is how "consistent with the source's rate" is judged when the source's rate is itself a count.
    """
    trials = _check_trials(trials)
    _, ref_low, ref_high = proportion_interval(*reference)
    words = description or (
        f"95% Wilson intervals overlap ({reference[0]}/{reference[1]}: "
        f"[{100 * ref_low:.1f}%, {100 * ref_high:.1f}%])"
    )

    def test(value: float, uncertainty: float) -> bool:
        low, high = _interval(value, trials)
        return low <= ref_high and ref_low <= high

    def margin(value: float, uncertainty: float) -> tuple[float, str]:
        low, high = _interval(value, trials)
        gap = max(low - ref_high, ref_low - high)  # > 0: the intervals are apart by that much
        return -gap, f"a source interval reaching {_percent(low if low > ref_high else high)}"

    return Criterion(words, test, margin)


def wilson_entirely_above(
    reference: tuple[int, int], trials: int, *, description: str | None = None
) -> Criterion:
    """Passes when the 95% Wilson interval of ``k/N`` lies entirely above that of the ``reference`` count."""
    trials = _check_trials(trials)
    _, _, ref_high = proportion_interval(*reference)
    words = description or f"95% Wilson interval entirely above {100 * ref_high:.1f}%"
    return Criterion(
        words,
        lambda v, u: _interval(v, trials)[0] > ref_high,
        lambda v, u: (
            _interval(v, trials)[0] - ref_high,
            f"a source interval reaching {_percent(_interval(v, trials)[0])}",
        ),
    )


def every_run(trials: int, *, description: str = "every run (k = N)") -> Criterion:
    """Passes when ``k = N``: a claim about all runs."""
    trials = _check_trials(trials)
    return Criterion(description, lambda v, u: round(v * trials) == trials)
