"""Exact accuracy of short 2nd-argmax RNNs on standard Gaussian inputs.

The base, :mod:`.pieces`, gives the linear maps of one activation pattern; :mod:`.sectors` integrates
angles for sequence length 2; for length 3, :mod:`.solid_angles` enumerates linear regions with linear
programs (and keeps them, for figures and symmetry studies) and :mod:`.cones` computes the same accuracy
by clipping spherical polygons, about 50 times faster.  :func:`exact_accuracy` dispatches on the
sequence length, after estimating its work (:func:`estimated_work`) and refusing what it cannot finish
in about a minute (:data:`MAX_PIECES`).  :mod:`.fuzz` checks every exact method against sampling on
random models.  Source: ARC's analyses of M2,2 and M4,3 {cite}`arc2026algzoo`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError

#: Sequence lengths with an exact method.
EXACT_LENGTHS = (2, 3)
#: The most pieces (sectors for length 2, linear regions for length 3) :func:`exact_accuracy` visits
#: unless told otherwise (``max_pieces``, ``tinymech exact --max-pieces``).  A piece costs ``O(d^2)``
#: operations in both methods, so the work grows as ``d^3`` (length 2) and ``d^4`` (length 3); these
#: limits (hidden sizes up to 997 and 80) take about a minute on one core of the machine the tests run on
#: (extrapolated from 13 s at d = 600 and 9.5 s at d = 48).
MAX_PIECES = {2: 2_000, 3: 20_000}
#: Above this share of its limit a run shows a progress bar (tqdm) unless told otherwise.
PROGRESS_SHARE = 0.1


class WorkLimitError(InvalidInputError):
    """An exact computation refused before it started because its estimated work is above the limit."""


@dataclass(frozen=True)
class WorkEstimate:
    """What an exact method will visit, estimated from the hidden size before it starts.

    Attributes:
        seq_len, hidden_size: the model's ``n`` and ``d``.
        pieces: sectors (length 2; an upper bound, :func:`.sectors.max_sectors`) or linear regions
            (length 3; an estimate, :func:`.cones.expected_regions`).
        kind: ``"sectors"`` or ``"linear regions"``.
        limit: the largest number of pieces allowed by default (:data:`MAX_PIECES`).
    """

    seq_len: int
    hidden_size: int
    pieces: int
    kind: str
    limit: int


def estimated_work(model: ReLURNN | RNNWeights) -> WorkEstimate:
    """The pieces the exact method for ``model``'s sequence length will visit (closed forms in ``d``).

    Raises:
        InvalidInputError: for a sequence length without an exact method.
    """
    weights = as_weights(model)
    n, d = weights.output_size, weights.hidden_size
    if n == 2:
        from tinymech.algzoo.exact.sectors import max_sectors

        return WorkEstimate(n, d, max_sectors(d), "sectors", MAX_PIECES[n])
    if n == 3:
        from tinymech.algzoo.exact.cones import expected_regions

        return WorkEstimate(n, d, expected_regions(d), "linear regions", MAX_PIECES[n])
    raise InvalidInputError(
        f"exact accuracy needs sequence length 2 or 3 (the lengths with an exact method), "
        f"got a model with {n} logits"
    )


def check_work(model: ReLURNN | RNNWeights, max_pieces: int | None = None) -> WorkEstimate:
    """:func:`estimated_work`, refusing a model whose pieces exceed ``max_pieces`` (default :data:`MAX_PIECES`).

    Raises:
        WorkLimitError: above the limit, with the estimate and how to raise the limit, in one line.
        InvalidInputError: for a sequence length without an exact method, or a bad ``max_pieces``.
    """
    if max_pieces is not None and (
        isinstance(max_pieces, bool) or not isinstance(max_pieces, int) or max_pieces < 1
    ):
        raise InvalidInputError(f"max_pieces must be a positive integer, got {max_pieces!r}")
    work = estimated_work(model)
    limit = work.limit if max_pieces is None else max_pieces
    if work.pieces > limit:
        raise WorkLimitError(
            f"M{work.hidden_size},{work.seq_len} has about {work.pieces:,} {work.kind} to visit "
            f"(work growing as d^{3 if work.seq_len == 2 else 4}), above the limit of {limit:,}; "
            f"to run anyway, raise it: tinymech exact --max-pieces {work.pieces}, or "
            f"exact_accuracy(model, max_pieces={work.pieces})"
        )
    return work


def exact_accuracy(
    model: ReLURNN | RNNWeights, *, max_pieces: int | None = None, progress: bool | None = None
) -> float:
    """Exact accuracy of a 2nd-argmax RNN on standard Gaussian sequences (float64, exact up to rounding).

    Dispatches on the sequence length ``n`` (the model's output size): ``n = 2`` by angular integration
    over sectors (:func:`.sectors.exact_error_rate_2`); ``n = 3`` by solid angles of cones on the sphere,
    computed by polygon clipping (:func:`.cones.clipped_exact_accuracy_3`; it agrees with
    :func:`.solid_angles.exact_accuracy_3` to ~1e-12 on trained, handcrafted and random models, except on
    two slivers of ARC's handcrafted M4,3 at lambda = 100 (area ~2e-7 each) that the linear-program
    method mis-measures, where sampling inside them sides with clipping).  Logits that are equal on a set
    of positive measure (a tie) go to the lowest position, as in sampling
    (:func:`tinymech.algzoo.evaluation.predictions`).

    Args:
        model: an M_{d,2} or M_{d,3}, or its weights.
        max_pieces: refuse above this many pieces (:func:`check_work`; default :data:`MAX_PIECES`).
        progress: a progress bar; default: when the pieces exceed :data:`PROGRESS_SHARE` of the limit.

    Raises:
        WorkLimitError: if the estimated pieces exceed the limit (before any work).
        InvalidInputError: for other sequence lengths, or non-finite weights.
    """
    weights = as_weights(model)
    work = check_work(weights, max_pieces)
    show = work.pieces > PROGRESS_SHARE * work.limit if progress is None else progress
    if weights.output_size == 2:
        from tinymech.algzoo.exact.sectors import exact_error_rate_2

        return 1.0 - exact_error_rate_2(weights, progress=show)
    from tinymech.algzoo.exact.cones import clipped_accuracy

    return clipped_accuracy(weights, progress=show).accuracy
