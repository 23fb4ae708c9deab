"""Exact accuracy of short 2nd-argmax RNNs on standard Gaussian inputs.

The base, :mod:`.pieces`, gives the linear maps of one activation pattern; :mod:`.sectors` integrates
angles for sequence length 2; for length 3, :mod:`.solid_angles` enumerates linear regions with linear
programs (and keeps them, for figures and symmetry studies) and :mod:`.cones` computes the same accuracy
by clipping spherical polygons, about 50 times faster.  :func:`exact_accuracy` dispatches on the
sequence length.  Source: ARC's analyses of M2,2 and M4,3 {cite}`arc2026algzoo`.
"""

from __future__ import annotations

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError

#: Sequence lengths with an exact method.
EXACT_LENGTHS = (2, 3)


def exact_accuracy(model: ReLURNN | RNNWeights) -> float:
    """Exact accuracy of a 2nd-argmax RNN on standard Gaussian sequences (float64, exact up to rounding).

    Dispatches on the sequence length ``n`` (the model's output size): ``n = 2`` by angular integration
    over sectors (:func:`.sectors.exact_error_rate_2`); ``n = 3`` by solid angles of cones on the sphere,
    computed by polygon clipping (:func:`.cones.clipped_exact_accuracy_3`; it agrees with
    :func:`.solid_angles.exact_accuracy_3` to ~1e-12 on trained, handcrafted and random models, except on
    two slivers of ARC's handcrafted M4,3 at lambda = 100 (area ~2e-7 each) that the linear-program
    method mis-measures, where sampling inside them sides with clipping).

    Raises:
        InvalidInputError: for other sequence lengths, or non-finite weights.
    """
    weights = as_weights(model)
    if weights.output_size == 2:
        from tinymech.algzoo.exact.sectors import exact_error_rate_2

        return 1.0 - exact_error_rate_2(weights)
    if weights.output_size == 3:
        from tinymech.algzoo.exact.cones import clipped_exact_accuracy_3

        return clipped_exact_accuracy_3(weights)
    raise InvalidInputError(f"exact accuracy needs sequence length 2 or 3 (the lengths with an exact method), "
                            f"got a model with {weights.output_size} logits")
