"""Surprise accounting for M2,2: how many bits of the weights' description the explanation needs.

ARC's AlgZoo post {cite}`arc2026algzoo` walks through the steps of its explanation of the standardized M2,2
and totals "around 40 bits", which it calls a full understanding.  The terms here are our reading of those
steps: one bit for each sign of the 10 weights and for each of 4 comparisons of a ``W_hh`` entry with
magnitude 1; one bit for whether each blue/green piece has ``a0 < a1`` or ``a0 > a1``; and
``log2(1 / relative gap)`` bits for each yellow near-equality ``a0 ~ a1`` (ARC: 1 part in 2^11).  Each term is
computed from the weights: the sign and comparison bits are counted only for the facts that hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.logit_difference import LogitDifferencePiece
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class SurpriseTerm:
    """One term of the account: ``bits`` for ``what``, with whether the fact holds for these weights."""

    what: str
    bits: float
    holds: bool


#: ARC's facts about the standardized M2,2, in the order :func:`arc_sign_pattern_holds` reports them.
SIGN_PATTERN_FACTS = (
    "W_hi = (+1, -1)",
    "W_hh[0,0] in [-1, 0)",
    "W_hh[0,1] >= 1",
    "W_hh[1,0] >= 1",
    "W_hh[1,1] in [-1, 0)",
    "W_oh[0,0] > 0",
    "W_oh[0,1] < 0",
    "W_oh[1,0] < 0",
    "W_oh[1,1] > 0",
)


def sign_pattern_table(W_hi, W_hh, W_oh) -> np.ndarray:
    """ARC's sign/magnitude facts for a batch of *standardized* M2,2 weights.

    Args:
        W_hi: ``(batch, 2)``; W_hh: ``(batch, 2, 2)``; W_oh: ``(batch, 2, 2)``.

    Returns:
        ``(batch, 9)`` booleans, columns in the order of :data:`SIGN_PATTERN_FACTS`.

    Raises:
        InvalidInputError: if the weights are not those of M2,2 networks.
    """
    W_hi, W_hh, W_oh = (np.asarray(w, dtype=np.float64) for w in (W_hi, W_hh, W_oh))
    if (
        W_hi.ndim != 2
        or W_hi.shape[1:] != (2,)
        or W_hh.shape[1:] != (2, 2)
        or W_oh.shape[1:] != (2, 2)
    ):
        raise InvalidInputError(
            f"expected M2,2 weights (batch, 2), (batch, 2, 2), (batch, 2, 2); got "
            f"{W_hi.shape}, {W_hh.shape}, {W_oh.shape}"
        )
    return np.stack(
        [
            np.isclose(W_hi[:, 0], 1.0) & np.isclose(W_hi[:, 1], -1.0),
            (-1 <= W_hh[:, 0, 0]) & (W_hh[:, 0, 0] < 0),
            W_hh[:, 0, 1] >= 1,
            W_hh[:, 1, 0] >= 1,
            (-1 <= W_hh[:, 1, 1]) & (W_hh[:, 1, 1] < 0),
            W_oh[:, 0, 0] > 0,
            W_oh[:, 0, 1] < 0,
            W_oh[:, 1, 0] < 0,
            W_oh[:, 1, 1] > 0,
        ],
        axis=1,
    )


def arc_sign_pattern_holds(standardized: RNNWeights) -> dict[str, bool]:
    """Entrywise check of ARC's sign/magnitude pattern for a standardized M2,2 {cite}`arc2026algzoo`.

    ``W_hi = (+1, -1)``; ``W_hh = [[[-1, 0), [1, inf)], [[1, inf), [-1, 0)]]``;
    ``W_oh = [[(0, inf), (-inf, 0)], [(-inf, 0), (0, inf)]]``.

    Raises:
        InvalidInputError: if the weights are not those of an M2,2.
    """
    if standardized.hidden_size != 2 or standardized.output_size != 2:
        raise InvalidInputError(
            f"expected M2,2 weights, got d = {standardized.hidden_size}, "
            f"n = {standardized.output_size}"
        )
    row = sign_pattern_table(
        standardized.W_hi[None], standardized.W_hh[None], standardized.W_oh[None]
    )[0]
    return {fact: bool(holds) for fact, holds in zip(SIGN_PATTERN_FACTS, row)}


def sign_pattern_null(n_models: int, *, seed: int = 0, chunk: int = 2**18):
    """How often a random M2,2 with standard Gaussian weights satisfies ARC's pattern after standardization.

    The null control of the pattern: the facts say something about training only if random networks
    rarely show them.  Networks are drawn in chunks of ``chunk`` from ``numpy.random.default_rng(seed)``
    (``W_hi (chunk, 2)``, ``W_hh (chunk, 2, 2)``, ``W_oh (chunk, 2, 2)`` in that order), standardized by
    :func:`tinymech.algzoo.standardization.standardize_batch` and checked by :func:`sign_pattern_table`.

    Returns:
        A :class:`tinymech.algzoo.logit_difference.NullFrequency` (networks satisfying all nine facts,
        and the fraction satisfying each).

    Raises:
        InvalidInputError: if ``n_models < 1``.
    """
    from tinymech.algzoo.logit_difference import NullFrequency
    from tinymech.algzoo.standardization import standardize_batch

    if n_models < 1:
        raise InvalidInputError(f"need at least one model, got {n_models}")
    rng = np.random.default_rng(seed)
    count, per_fact, drawn = 0, np.zeros(len(SIGN_PATTERN_FACTS)), 0
    while drawn < n_models:
        size = min(chunk, n_models - drawn)
        table = sign_pattern_table(
            *standardize_batch(
                rng.standard_normal((size, 2)),
                rng.standard_normal((size, 2, 2)),
                rng.standard_normal((size, 2, 2)),
            )
        )
        count += int(table.all(axis=1).sum())
        per_fact += table.sum(axis=0)
        drawn += size
    return NullFrequency(
        n_models, count, dict(zip(SIGN_PATTERN_FACTS, (per_fact / n_models).tolist()))
    )


def surprise_account(
    standardized: RNNWeights, pieces: list[LogitDifferencePiece]
) -> list[SurpriseTerm]:
    """ARC's surprise account of M2,2, term by term, computed from the weights and the pieces.

    Args:
        standardized: M2,2 weights standardized so that ``W_hi`` is in ``{+1, -1}``.
        pieces: the pieces of the logit difference (:func:`tinymech.algzoo.logit_difference.logit_difference_pieces`).

    Returns:
        Terms: one bit per weight sign (10), one bit per ``W_hh`` magnitude comparison with 1 (4), one bit
        per blue/green piece's ordering of ``a0``, ``a1``, and ``log2(1 / relative gap)`` per yellow piece.
    """
    checks = arc_sign_pattern_holds(standardized)
    signs_hold = (
        all(checks[k] for k in checks if k.startswith("W_oh"))
        and checks["W_hi = (+1, -1)"]
        and all((standardized.W_hh[i, j] < 0) == (i == j) for i in range(2) for j in range(2))
    )
    magnitudes_hold = all(checks[k] for k in checks if k.startswith("W_hh"))
    terms = [
        SurpriseTerm("signs of the 10 weights", 10.0, signs_hold),
        SurpriseTerm("4 comparisons of |W_hh| entries with 1", 4.0, magnitudes_hold),
    ]
    blue_green = [p for p in pieces if p.colour != "yellow"]
    terms.append(
        SurpriseTerm(
            f"a0 < a1 or a0 > a1 on {len(blue_green)} blue/green pieces",
            float(len(blue_green)),
            all(p.a0 > 0 and p.a1 > 0 for p in blue_green),
        )
    )
    for piece in pieces:
        if piece.colour == "yellow":
            terms.append(
                SurpriseTerm(
                    f"yellow near-equality a0 ~ a1 at {math.degrees(piece.start):.0f}-{math.degrees(piece.end):.0f} deg",
                    math.log2(1.0 / piece.relative_gap) if piece.relative_gap > 0 else math.inf,
                    piece.a0 > 0 and piece.a1 > 0,
                )
            )
    return terms
