"""Claims about resampling a dead feature, measured at every learning rate of the resampling study.

Each claim's verdict is read at the main learning rate (AdamW's default, 10⁻³); the other learning rates
are shown as other settings, each beside its own no-intervention floor.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from tinymech.autoencoder.rates import rate, wilson_above, wilson_below
from tinymech.errors import InvalidInputError
from tinymech.report import Claim

#: The learning rate whose result decides the verdict.
MAIN_LR = 1e-3
#: The budget of the study, as the rows say it.
BUDGET = "the post proposes no budget; ours is 3,000 epochs after the intervention"


def resampling_claim(
    claim: str,
    method: int | Sequence[int],
    quote: str,
    *,
    counts: np.ndarray,
    methods: Sequence[str],
    lrs: Sequence[float],
    checkpoints: int,
    lr_names: dict,
    source: str,
    note: str = "",
    setting: str = "",
) -> Claim:
    """One claim about a resampling method, with the no-intervention runs as its null control.

    Args:
        claim: the claim, in the book's words; quote: the source's.
        method: the method's row in ``counts``, or one row per learning rate (a best-of choice made per
            learning rate).
        counts: ``(len(methods), len(lrs))`` checkpoints that recovered after each method.
        methods: the methods' names (one is ``"none"``, no intervention).
        lrs: the learning rates (one is :data:`MAIN_LR`); lr_names: how the rows write each.
        checkpoints: checkpoints per learning rate.
        source: the citation key.
        note, setting: added to the row's note and to its settings.

    Raises:
        InvalidInputError: no ``"none"`` method, no main learning rate, or counts of the wrong shape.
    """
    if "none" not in methods or MAIN_LR not in lrs:
        raise InvalidInputError(f"need a 'none' method and the learning rate {MAIN_LR}")
    if np.shape(counts) != (len(methods), len(lrs)):
        raise InvalidInputError(
            f"counts must be (methods, learning rates) = {(len(methods), len(lrs))}, got {np.shape(counts)}"
        )
    main = list(lrs).index(MAIN_LR)
    none = list(methods).index("none")

    def method_at(l: int) -> int:
        return method if isinstance(method, int) else method[l]

    def at_lr(l: int) -> tuple:
        floor = int(counts[none, l])
        return (
            f"lr {lr_names[lrs[l]]} (no intervention {floor}/{checkpoints})",
            rate(int(counts[method_at(l), l]), checkpoints),
            None,
            rate(floor, checkpoints),
        )

    none_main = int(counts[none, main])
    floor_note = (
        [
            f"floor: without intervention no run recovers in 3,000 epochs at lr {lr_names[MAIN_LR]} "
            f"either ({none_main}/{checkpoints})"
        ]
        if none_main == 0
        else []
    )
    return Claim(
        claim,
        source,
        quote,
        rate(int(counts[method_at(main), main]), checkpoints),
        wilson_above(
            0.5,
            checkpoints,
            description="most checkpoints recover (95% Wilson interval above 50%)",
        ),
        null=rate(none_main, checkpoints),
        null_label="no intervention, same checkpoints",
        refuted_if=wilson_below(0.5, checkpoints),
        setting_differs=BUDGET + (f"; {setting}" if setting else ""),
        other_settings=tuple(at_lr(l) for l in range(len(lrs)) if l != main),
        note="; ".join(([note] if note else []) + floor_note),
    )
