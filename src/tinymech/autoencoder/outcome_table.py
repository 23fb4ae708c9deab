"""The autoencoder chapter's table of training outcomes: how often runs pass through symmetric failure, and
how they end (:mod:`tinymech.autoencoder.outcomes` gives the classification)."""

from __future__ import annotations

from tinymech.autoencoder.outcomes import ASYMMETRIC_FAILURE, OTHER, PERFECT, SYMMETRIC_FAILURE
from tinymech.errors import InvalidInputError
from tinymech.stats import format_rate


def outcome_row(label: str, n: int, run: dict) -> list:
    """One row of the outcome table for a sweep of seeds.

    Args:
        label: the optimizer's name.
        n: the number of features.
        run: a sweep's payload: ``outcome_log`` ``(checkpoints, seeds)`` of outcome codes, and per seed
            ``first_failure``, ``first_perfect`` (epochs) and ``recovered`` (booleans).

    Returns:
        ``[n, label, share ever in symmetric failure, count in it at the end, median epochs from the first
        failure to perfect (or a dash when none recovered), "perfect / asymmetric failure / other" at the end]``.

    Raises:
        InvalidInputError: a payload without those keys.
    """
    missing = [
        k
        for k in ("outcome_log", "first_failure", "first_perfect", "recovered")
        if k not in run
    ]
    if missing:
        raise InvalidInputError(f"an outcome sweep needs {missing}")
    log = run["outcome_log"].long()
    ever = (log == SYMMETRIC_FAILURE).any(dim=0)
    took = (run["first_perfect"] - run["first_failure"])[run["recovered"]]
    final = [int((log[-1] == code).sum()) for code in (PERFECT, ASYMMETRIC_FAILURE, OTHER)]
    return [
        n,
        label,
        format_rate(int(ever.sum()), log.shape[1]),
        int((log[-1] == SYMMETRIC_FAILURE).sum()),
        f"{int(took.median()):,}" if took.numel() else "— (none recovered)",
        " / ".join(map(str, final)),
    ]


def recovery_setting(
    lr_name: str, recovered: int, seeds: int, epochs: str, source_rate: tuple[int, int]
) -> tuple:
    """One other setting of the recovery-rate claim: its label, the measured rate and the criterion for
    that number of runs (the 95% Wilson interval overlaps the source's rate ``source_rate = (k, n)``).

    Raises:
        InvalidInputError: more recoveries than seeds (from :func:`tinymech.autoencoder.rates.rate`).
    """
    from tinymech.autoencoder.rates import rate, wilson_overlaps

    return (
        f"lr {lr_name}, {epochs} epochs",
        rate(recovered, seeds),
        wilson_overlaps(source_rate, seeds),
    )
