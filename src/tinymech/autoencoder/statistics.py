"""Confidence intervals for rates measured over seeds (a thin wrapper over scipy)."""

from __future__ import annotations

from scipy.stats import binomtest


def proportion_interval(successes: int, trials: int, *, confidence: float = 0.95) -> tuple[float, float, float]:
    """Rate and Wilson score interval, via ``scipy.stats.binomtest(...).proportion_ci(method="wilson")``.

    Returns:
        ``(rate, low, high)``.

    Raises:
        ValueError: if ``trials < 1`` or ``successes`` is not in ``[0, trials]``.
    """
    successes, trials = int(successes), int(trials)
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, found {successes}/{trials}")
    interval = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    return successes / trials, float(interval.low), float(interval.high)


def format_rate(successes: int, trials: int) -> str:
    """``"k/N = r [low, high]"`` with the 95% Wilson interval, rates in percent to one decimal."""
    rate, low, high = proportion_interval(successes, trials)
    return f"{successes}/{trials} = {100 * rate:.1f}% [{100 * low:.1f}, {100 * high:.1f}]"
