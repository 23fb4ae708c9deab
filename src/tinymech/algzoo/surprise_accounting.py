"""Surprise accounting for M2,2: how many bits of the weights' description the explanation needs.

ARC {cite}`arc2026algzoo` counts, for the standardized M2,2: 14 bits for the signs of the 10 weights and
4 comparisons of ``W_hh`` entries with magnitude 1; 4 bits for whether each blue/green piece has
``a0 < a1`` or ``a0 > a1``; and ``log2(1 / relative gap)`` bits for each yellow near-equality
``a0 ~ a1`` (about 11 bits each, ~22 together) -- in all ~40 bits, "full understanding".  Here each term
is computed from the weights: the sign and comparison bits are counted only for the facts that hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.logit_difference import LogitDifferencePiece


@dataclass(frozen=True)
class SurpriseTerm:
    """One term of the account: ``bits`` for ``what``, with whether the fact holds for these weights."""

    what: str
    bits: float
    holds: bool


def arc_sign_pattern_holds(standardized: RNNWeights) -> dict[str, bool]:
    """Entrywise check of ARC's sign/magnitude pattern for a standardized M2,2.

    ``W_hi = (+1, -1)``; ``W_hh = [[[-1, 0), [1, inf)], [[1, inf), [-1, 0)]]``;
    ``W_oh = [[(0, inf), (-inf, 0)], [(-inf, 0), (0, inf)]]``.

    Raises:
        ValueError: if the weights are not those of an M2,2.
    """
    if standardized.hidden_size != 2 or standardized.output_size != 2:
        raise ValueError(f"expected M2,2 weights, got d = {standardized.hidden_size}, n = {standardized.output_size}")
    W_hi, W_hh, W_oh = standardized.W_hi, standardized.W_hh, standardized.W_oh
    return {
        "W_hi = (+1, -1)": bool(np.allclose(W_hi, [1.0, -1.0])),
        "W_hh[0,0] in [-1, 0)": bool(-1 <= W_hh[0, 0] < 0),
        "W_hh[0,1] >= 1": bool(W_hh[0, 1] >= 1),
        "W_hh[1,0] >= 1": bool(W_hh[1, 0] >= 1),
        "W_hh[1,1] in [-1, 0)": bool(-1 <= W_hh[1, 1] < 0),
        "W_oh[0,0] > 0": bool(W_oh[0, 0] > 0),
        "W_oh[0,1] < 0": bool(W_oh[0, 1] < 0),
        "W_oh[1,0] < 0": bool(W_oh[1, 0] < 0),
        "W_oh[1,1] > 0": bool(W_oh[1, 1] > 0),
    }


def surprise_account(standardized: RNNWeights, pieces: list[LogitDifferencePiece]) -> list[SurpriseTerm]:
    """ARC's surprise account of M2,2, term by term, computed from the weights and the pieces.

    Args:
        standardized: M2,2 weights standardized so that ``W_hi`` is in ``{+1, -1}``.
        pieces: the pieces of the logit difference (:func:`tinymech.algzoo.logit_difference.logit_difference_pieces`).

    Returns:
        Terms: one bit per weight sign (10), one bit per ``W_hh`` magnitude comparison with 1 (4), one bit
        per blue/green piece's ordering of ``a0``, ``a1``, and ``log2(1 / relative gap)`` per yellow piece.
    """
    checks = arc_sign_pattern_holds(standardized)
    signs_hold = all(checks[k] for k in checks if k.startswith("W_oh")) and checks["W_hi = (+1, -1)"] and all(
        (standardized.W_hh[i, j] < 0) == (i == j) for i in range(2) for j in range(2))
    magnitudes_hold = all(checks[k] for k in checks if k.startswith("W_hh"))
    terms = [
        SurpriseTerm("signs of the 10 weights", 10.0, signs_hold),
        SurpriseTerm("4 comparisons of |W_hh| entries with 1", 4.0, magnitudes_hold),
    ]
    blue_green = [p for p in pieces if p.colour != "yellow"]
    terms.append(SurpriseTerm(f"a0 < a1 or a0 > a1 on {len(blue_green)} blue/green pieces", float(len(blue_green)),
                              all(p.a0 > 0 and p.a1 > 0 for p in blue_green)))
    for piece in pieces:
        if piece.colour == "yellow":
            terms.append(SurpriseTerm(
                f"yellow near-equality a0 ~ a1 at {math.degrees(piece.start):.0f}-{math.degrees(piece.end):.0f} deg",
                math.log2(1.0 / piece.relative_gap) if piece.relative_gap > 0 else math.inf, piece.a0 > 0 and piece.a1 > 0))
    return terms
