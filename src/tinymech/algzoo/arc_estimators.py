"""ARC's two mechanistic estimates of M4,3's accuracy, rebuilt from their description in Hilton's notes.

Hilton's notes {cite}`hilton2024heuristic` estimate the accuracy of M4,3 from its weights in two ways,
and ARC's AlgZoo post {cite}`arc2026algzoo` reports that they "roughly match the computational efficiency
of sampling".  Both start from the same picture of M4,3 after ARC's standardization (``|W_hi| = 1``):
two neurons with positive input weight paired with two with negative input weight, so that neurons
``(0, 1, 2, 3)`` behave like ``(u, v, -v, -u)``.  Nothing here is copied from the notes; where their
description leaves a choice open, the choice made is stated in the docstring (**choice**) and in the
chapter "Estimators versus sampling".

- :func:`original_estimate`, the notes' "original version": average paired coefficients so that step 2
  has 4 linear regions of ``(x_0, x_1)``; cut each by the 6 orderings of the inputs (18 nonempty
  subregions, 4 of them scored at chance); in the others replace the ReLU gates of step 3 by random
  variables independent of the input, correlated through one latent ``Z ~ Bernoulli(q)``.  Every
  quantity is a solid angle of a cone of 4, 5 or 6 half-spaces.
- :func:`symmetric_reduction_estimate`, the notes' version "based on George's approach": fit the
  weights by a 2-neuron network through ``U`` and ``V`` (least squares), propagate the reduced network
  exactly and the residual weights as Gaussian noise (covariance propagation), and integrate over the
  24 (sign region, ordering) subregions of the final reduced state.

Operation counts follow ARC's rule (Hilton's notes): a volume of ``k`` half-spaces costs ``5 k^3``
multiply-adds; the linear algebra around them is counted as the multiply-adds it does.  Each result also
reports what the volumes cost with this book's polygon clipping (:mod:`tinymech.algzoo.exact.cones`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.operations import SPECIAL_FUNCTION_OPERATIONS as ELEMENTARY
from tinymech.algzoo.operations import volume_operations
from tinymech.algzoo.exact.cones import FOUR_PI, OperationCounter, areas, cone_polygons
from tinymech.algzoo.standardization import permute, rescale
from tinymech.errors import InvalidInputError

#: The reduction of Hilton's notes: 4 neurons -> 2 through ``U`` (pre-activations) and ``V`` (readout).
U = np.array([[1.0, 0, 0, -1], [0, 1, -1, 0]])
V = np.array([[1.0, 0, 0, 1], [0, 1, 1, 0]])
#: Probability of the latent variable of the original version's gates (Hilton's notes: q = 0.2).
LATENT_PROBABILITY = 0.2
#: Quasi-random points per Gaussian orthant probability (Genz's algorithm in scipy); against 100,000
#: points the symmetric-reduction estimate moves by ~3e-4, a hundred times below its error.
GENZ_POINTS = 5_000


def _orderings() -> list[tuple[tuple[int, int, int], np.ndarray]]:
    result = []
    for a, b, c in itertools.permutations(range(3)):
        normals = np.zeros((2, 3))
        normals[0, a], normals[0, b] = 1, -1
        normals[1, b], normals[1, c] = 1, -1
        result.append(((a, b, c), normals))
    return result


ORDERINGS = _orderings()


@dataclass(frozen=True)
class PairedWeights:
    """M4,3 in ARC's standard form with its neurons paired as ``(u, v, -v, -u)``.

    Attributes:
        weights: standardized weights (``W_hi = (1, 1, -1, -1)``), neurons ordered ``(p_0, p_1, q_1, q_0)``
            where ``q_i`` is the negative-input partner of the positive-input ``p_i``.
        order: the original neuron of each new position.
        residual: relative least-squares residual of ``W_hh ~ U^T W' U`` for the chosen pairing.
    """

    weights: RNNWeights
    order: tuple[int, int, int, int]
    residual: float


def paired_standard_form(model: ReLURNN | RNNWeights) -> PairedWeights:
    """Standardize an M4,3 (``|W_hi| = 1``) and pair its neurons as the notes' ``U`` and ``V`` assume.

    **Choice**: of the two ways to pair the two positive-input neurons with the two negative-input
    ones, the one whose ``W_hh`` is closest (least squares) to the form ``U^T W' U`` is kept.

    Raises:
        InvalidInputError: if the model is not M_{4,3}, or its input weights are not two positive and
            two negative (the sign pattern both of ARC's estimates start from).
    """
    weights = as_weights(model)
    if weights.hidden_size != 4 or weights.output_size != 3:
        raise InvalidInputError(
            f"ARC's M4,3 estimators need hidden size 4 and 3 logits, got "
            f"{weights.hidden_size} and {weights.output_size}"
        )
    signs = np.sign(weights.W_hi)
    positive, negative = np.flatnonzero(signs > 0), np.flatnonzero(signs < 0)
    if len(positive) != 2 or len(negative) != 2:
        raise InvalidInputError(
            "ARC's M4,3 estimators assume two neurons with positive and two with negative "
            f"input weight; this model's input weights are {np.round(weights.W_hi, 4).tolist()}"
        )
    standard = rescale(weights, 1.0 / np.abs(weights.W_hi))
    best = None
    for q0, q1 in ((negative[0], negative[1]), (negative[1], negative[0])):
        order = (int(positive[0]), int(positive[1]), int(q1), int(q0))
        candidate = permute(standard, order)
        reduced = U @ candidate.W_hh @ U.T / 4
        residual = float(
            np.linalg.norm(candidate.W_hh - U.T @ reduced @ U) / np.linalg.norm(candidate.W_hh)
        )
        if best is None or residual < best.residual:
            best = PairedWeights(candidate, order, residual)
    return best


@dataclass(frozen=True)
class ArcEstimate:
    """An estimate of accuracy with its operation counts.

    Attributes:
        estimate: the estimated accuracy.
        operations: multiply-adds by ARC's rule (5 k^3 per volume of k half-spaces, plus linear algebra).
        details: JSON-serialisable facts: volumes by size, the clipping count of the same volumes, and
            method-specific quantities.
    """

    estimate: float
    operations: int
    details: dict = field(default_factory=dict)


def original_assumptions(model: ReLURNN | RNNWeights) -> dict:
    """How far an M4,3 is from the equalities the original version assumes (after standardization).

    With ``a`` (``x_0 > 0``) and ``b`` (``x_0 < 0``) the coefficients of ``x_0`` in the step-2
    pre-activations, the notes assume ``a_3 = -a_0``, ``a_2 = -a_1``, the same for ``b``, and ``a = b``;
    (``c``, the coefficients of ``x_1``, are ``W_hi = (1, 1, -1, -1)`` after standardization, so their
    equalities hold exactly.)  Returned: each relative deviation ``|x - y| / (|x| + |y|)`` (0 when the
    equality holds), the sign pattern of ``W_hh`` and of ``W_oh``, and the pairing residual.
    """
    paired = paired_standard_form(model)
    W = paired.weights
    a = W.W_hh[:, 0] + W.W_hh[:, 1]
    b = -(W.W_hh[:, 2] + W.W_hh[:, 3])

    def deviation(x: float, y: float) -> float:
        return float(abs(x - y) / max(abs(x) + abs(y), 1e-300))

    return {
        "a_3 = -a_0": deviation(a[3], -a[0]),
        "a_2 = -a_1": deviation(a[2], -a[1]),
        "b_3 = -b_0": deviation(b[3], -b[0]),
        "b_2 = -b_1": deviation(b[2], -b[1]),
        **{f"a_{i} = b_{i}": deviation(a[i], b[i]) for i in range(4)},
        "W_hh signs": np.sign(W.W_hh).astype(int).tolist(),
        "W_oh signs": np.sign(W.W_oh).astype(int).tolist(),
        "a": a.tolist(),
        "b": b.tolist(),
        "pairing residual": paired.residual,
        "order": list(paired.order),
    }


def _wedge_middle(region_normals: np.ndarray) -> np.ndarray:
    """A direction ``(x_0, x_1)`` in the middle of the wedge ``{region_normals[:, :2] @ (x_0, x_1) > 0}``."""
    first, second = region_normals[0, :2], region_normals[1, :2]
    rays = []
    for this, other in ((first, second), (second, first)):
        ray = np.array([-this[1], this[0]])
        rays.append(ray if other @ ray > 0 else -ray)
    return rays[0] / np.linalg.norm(rays[0]) + rays[1] / np.linalg.norm(rays[1])


@dataclass(frozen=True)
class OriginalRules:
    """The three choices that Hilton's notes {cite}`hilton2024heuristic` settle for the original version.

    The first rebuild of this book worked from a summary of the notes and chose each differently
    (:data:`EARLIER_REBUILD`); :data:`HILTON_RULES` follows the notes.  Each flag is one departure, so the
    rules can be switched on one at a time.

    Attributes:
        rarer_gate_follows_latent: (a) in each subregion, the gate state that is rarer follows the latent
            ``Z`` (notes: "if p ≤ 1/2 ... and if p > 1/2 then we approximate 1 − 1[z>0] the same way");
            False: every gate increases with ``Z`` (or the fixed ``gate_signs`` of
            :func:`original_estimate`).
        unlikely_between: (b) the 4 unlikely subregions are those of the two thin regions where ``x_2``
            lies between ``x_0`` and ``x_1`` (the notes: "only 4 are likely, since x0 and x1 are fairly
            close in these regions"); False: where ``x_2`` lies beyond both, on the thin region's side.
        own_coefficients: (c) step 2 keeps each region's own coefficients (``b`` in the region where
            neurons 0 and 1 are on and in the thin region at negative ``x_0``, ``a`` in the other two)
            and averages only the boundaries, each boundary ray with the coefficients of its own side
            of ``x_0 = 0``; False: the coefficients are averaged too (``a`` with ``b`` and each pair), so
            that step 2 is ``(u, v, -v, -u)`` with one boundary line per pair.
    """

    rarer_gate_follows_latent: bool = True
    unlikely_between: bool = True
    own_coefficients: bool = True

    def departures(self) -> list[str]:
        """Names of the rules on which these rules depart from Hilton's notes (empty for :data:`HILTON_RULES`)."""
        names = {
            "rarer_gate_follows_latent": "(a) every gate follows Z",
            "unlikely_between": "(b) unlikely: x_2 beyond both",
            "own_coefficients": "(c) step 2 coefficients averaged",
        }
        return [text for key, text in names.items() if not getattr(self, key)]


#: The original version as Hilton's notes describe it.
HILTON_RULES = OriginalRules()
#: The book's first rebuild, from a summary of the notes: all three rules chosen differently.
EARLIER_REBUILD = OriginalRules(False, False, False)
#: The rules switched on one at a time from the earlier rebuild, then all three (the chapter's ablation).
RULE_STEPS = {
    "earlier rebuild": EARLIER_REBUILD,
    "+ (a) rarer gate state follows Z": OriginalRules(True, False, False),
    "+ (b) unlikely: x_2 between x_0 and x_1": OriginalRules(False, True, False),
    "+ (c) own coefficients at step 2": OriginalRules(False, False, True),
    "Hilton's rules (a, b, c)": HILTON_RULES,
}


def _unlikely(
    signs: tuple[int, int],
    ordering: tuple[int, int, int],
    region_normals: np.ndarray,
    rules: OriginalRules = HILTON_RULES,
) -> bool:
    """Whether a subregion is scored at chance (:class:`OriginalRules`, rule b)."""
    if signs[0] == signs[1]:
        return False
    if rules.unlikely_between:
        return ordering[1] == 2  # x_2 second largest: between x_0 and x_1
    middle = _wedge_middle(region_normals)
    x2_position = ordering.index(2)  # 0: x_2 largest, 2: smallest
    return x2_position == (0 if middle.sum() > 0 else 2)


def original_estimate(
    model: ReLURNN | RNNWeights,
    *,
    q: float = LATENT_PROBABILITY,
    rules: OriginalRules = HILTON_RULES,
    gate_signs=None,
) -> ArcEstimate:
    """The "original version" of Hilton's notes: regions of ``(x_0, x_1)``, orderings, latent gates.

    Steps (on :func:`paired_standard_form` weights, ``c = W_hi = (1, 1, -1, -1)``), with the notes'
    ``alpha_3 = (a_3 - a_0) / 2``, ``alpha_2 = (a_2 - a_1) / 2``, ``beta_3, beta_2`` the same of ``b``:

    1. Step 2's pre-activation is ``a x_0 + c x_1`` for ``x_0 > 0`` and ``b x_0 + c x_1`` for
       ``x_0 < 0``.  The notes average paired coefficients to draw the boundaries: 4 regions of
       ``(x_0, x_1)`` (neurons 0 and 1 on; 2 and 3; the thin ones, 1 and 3 at positive ``x_0``, 0 and 2
       at negative ``x_0``), and keep each region's own coefficients ``a`` or ``b`` (rule c of
       :class:`OriginalRules`).
    2. Each region is cut by the 6 orderings; 18 subregions are not empty (volumes of 4 half-spaces).
    3. The 4 unlikely subregions, where ``x_2`` lies between ``x_0`` and ``x_1`` in a thin region (rule
       b), are scored 1/3 (chance).
    4. In each of the 14 likely subregions ``R``, ``p_i = P(neuron i on at step 3 | R)`` (4 volumes of
       5 half-spaces).  The gate of the rarer state is replaced by ``p + sqrt(p (1 - p)) (Z - q) /
       sqrt(q (1 - q))`` with ``p`` its probability, ``Z ~ Bernoulli(q)``: the mean and variance of a
       0/1 gate, independent of ``x`` (rule a).  For each ``Z`` the logits are linear on ``R`` and the
       label wins on a cone of 6 half-spaces (2 volumes per subregion).

    Volumes: 18 of 4 half-spaces, 56 of 5 and 28 of 6 when all 18 subregions are nonempty; by ARC's
    rule ``5 k^3`` that is 71,000 multiply-adds, plus the linear algebra counted here.

    Args:
        model: an M4,3 (two positive and two negative input weights) or its weights.
        q: probability of the latent variable, in (0, 1).
        rules: :data:`HILTON_RULES` (default) or a variant such as :data:`EARLIER_REBUILD`.
        gate_signs: 4 fixed signs (``+1``: the gate increases with ``Z``) for rules without rule a;
            default ``(1, 1, 1, 1)``.

    Raises:
        InvalidInputError: see :func:`paired_standard_form`; ``q`` outside (0, 1); ``gate_signs``
            given together with rule a; or, with rule c, a model whose averaged boundaries do not
            tile the plane (the notes' ``gamma_0/alpha_3 < gamma_1/alpha_2``,
            ``gamma_0/beta_3 < gamma_1/beta_2`` with positive ``alpha, beta``).
    """
    if not 0 < q < 1:
        raise InvalidInputError(f"the latent probability q must be in (0, 1), got {q!r}")
    if gate_signs is not None and rules.rarer_gate_follows_latent:
        raise InvalidInputError(
            "gate_signs fixes the signs of the gates; Hilton's rule (a) sets them from p "
            "(pass rules with rarer_gate_follows_latent=False)"
        )
    gate_signs = (1, 1, 1, 1) if gate_signs is None else gate_signs
    counter, clipping = OperationCounter(), OperationCounter()
    paired = paired_standard_form(model)
    counter.add(4 * ELEMENTARY + 4 + 16 + 12)  # standardization: 4 divisions, rescaled matrices
    W = paired.weights
    boundaries, kept = _original_subregions(W, counter, rules)
    volumes = {4: 0, 5: 0, 6: 0}
    estimate_area = 0.0
    probability = areas(cone_polygons(np.stack([s[2] for s in kept]), clipping), clipping)
    volumes[4] += len(kept)
    unlikely = [i for i, s in enumerate(kept) if _unlikely(s[0], s[1], s[2], rules)]
    likely = [i for i in range(len(kept)) if i not in unlikely and probability[i] > 0]
    estimate_area += probability[unlikely].sum() / 3
    # p_i: 4 volumes of 5 half-spaces per likely subregion
    neuron_normals = np.stack(
        [np.vstack([kept[i][2], kept[i][3][n]]) for i in likely for n in range(4)]
    )
    on_area = areas(cone_polygons(neuron_normals, clipping), clipping).reshape(len(likely), 4)
    volumes[5] += 4 * len(likely)
    gate_probability = np.clip(on_area / probability[likely][:, None], 0.0, 1.0)
    spread = np.sqrt(gate_probability * (1 - gate_probability))
    if rules.rarer_gate_follows_latent:
        # the rarer state follows Z: the gate itself if p <= 1/2, its complement 1 - gate if p > 1/2
        spread = np.where(gate_probability <= 0.5, spread, -spread)
    else:
        spread = spread * np.asarray(gate_signs, dtype=float)[None, :]
    gates = {
        1: gate_probability + spread * math.sqrt((1 - q) / q),
        0: gate_probability - spread * math.sqrt(q / (1 - q)),
    }
    counter.add(len(likely) * 4 * (ELEMENTARY + 2 * ELEMENTARY + 4))
    correct_normals, weights_z = [], []
    for row, i in enumerate(likely):
        _, ordering, normals, forms3 = kept[i]
        label = ordering[1]
        for z, probability_z in ((1, q), (0, 1 - q)):
            logits = W.W_oh @ (gates[z][row][:, None] * forms3)  # (3, 3) logit map given Z
            comparisons = []
            for other in (j for j in range(3) if j != label):
                difference = logits[label] - logits[other]
                if np.linalg.norm(difference) > 1e-12 * np.linalg.norm(logits):
                    comparisons.append(difference)
                else:  # equal logits (every gate 0 given Z): the first position wins the tie
                    comparisons.append(normals[0] if label < other else -normals[0])
            correct_normals.append(np.vstack([normals, *comparisons]))
            weights_z.append(probability_z)
    counter.add(len(likely) * 2 * (12 + 36 + 6))
    correct = areas(cone_polygons(np.stack(correct_normals), clipping), clipping)
    volumes[6] += len(correct_normals)
    estimate_area += float(np.dot(weights_z, correct))
    counter.add(sum(volume_operations(k) * n for k, n in volumes.items()))
    return ArcEstimate(
        estimate_area / FOUR_PI,
        counter.operations,
        {
            "volumes": {str(k): n for k, n in volumes.items()},
            "subregions": len(kept),
            "likely": len(likely),
            "unlikely": len(unlikely),
            **boundaries,
            "departures": rules.departures(),
            "unlikely_probability": float(probability[unlikely].sum() / FOUR_PI),
            "operations_by_clipping": counter.operations
            - sum(volume_operations(k) * n for k, n in volumes.items())
            + clipping.operations,
        },
    )


def _first(pair):
    return pair[0]


def hilton_boundaries(W: RNNWeights) -> dict:
    """The notes' averaged step-2 coefficients of standardized, paired weights ``W``.

    ``alpha_3 = (a_3 - a_0) / 2``, ``alpha_2 = (a_2 - a_1) / 2``, ``beta_3 = (b_3 - b_0) / 2``,
    ``beta_2 = (b_2 - b_1) / 2``, ``gamma_0 = (c_0 - c_3) / 2``, ``gamma_1 = (c_1 - c_2) / 2``, with ``a``
    (``x_0 > 0``) and ``b`` (``x_0 < 0``) the coefficients of ``x_0`` in the step-2 pre-activations
    and ``c = W_hi`` those of ``x_1``.
    """
    a = W.W_hh[:, 0] + W.W_hh[:, 1]
    b = -(W.W_hh[:, 2] + W.W_hh[:, 3])
    c = W.W_hi
    return {
        "alpha_3": float((a[3] - a[0]) / 2),
        "alpha_2": float((a[2] - a[1]) / 2),
        "beta_3": float((b[3] - b[0]) / 2),
        "beta_2": float((b[2] - b[1]) / 2),
        "gamma_0": float((c[0] - c[3]) / 2),
        "gamma_1": float((c[1] - c[2]) / 2),
    }


def step2_regions(W: RNNWeights, rules: OriginalRules) -> tuple[dict, list]:
    """The 4 regions of step 2 of :func:`original_estimate` on standardized, paired weights ``W``.

    Returns:
        ``(boundaries, regions)``: the averaged coefficients (:func:`hilton_boundaries`, or ``alpha``
        and ``beta`` of the earlier rebuild) and a list of ``((sign_u, sign_v), normals (2, 3),
        h_2 map (4, 3))``: on ``{x : normals @ x >= 0}`` the approximate ``h_2`` is ``map @ x``.
        ``sign_u > 0`` where neuron 0 (not 3) is on, ``sign_v > 0`` where neuron 1 (not 2) is on.
        With rule c a region of angle ``pi`` or more is listed as its two halves cut at ``x_0 = 0``.

    Raises:
        InvalidInputError: with rule c, if ``gamma_0`` or ``gamma_1`` is not positive.
    """
    a = W.W_hh[:, 0] + W.W_hh[:, 1]
    b = -(W.W_hh[:, 2] + W.W_hh[:, 3])
    regions = []
    if not rules.own_coefficients:
        mean = 0.5 * (a + b)
        alpha, beta = 0.5 * (mean[0] - mean[3]), 0.5 * (mean[1] - mean[2])
        u_form, v_form = np.array([alpha, 1.0, 0.0]), np.array([beta, 1.0, 0.0])
        for sign_u, sign_v in itertools.product((1, -1), repeat=2):
            hidden2 = np.array(
                [
                    u_form * (sign_u > 0),
                    v_form * (sign_v > 0),
                    -v_form * (sign_v < 0),
                    -u_form * (sign_u < 0),
                ]
            )
            normals = np.array([sign_u * u_form, sign_v * v_form])
            regions.append(((sign_u, sign_v), normals, hidden2))
        return {"alpha": float(alpha), "beta": float(beta)}, regions
    boundaries = hilton_boundaries(W)
    alpha3, alpha2, beta3, beta2, gamma0, gamma1 = boundaries.values()
    if min(gamma0, gamma1) <= 0:
        raise InvalidInputError(
            f"Hilton's step-2 regions need gamma_0, gamma_1 > 0; this model has {gamma0:.4g}, "
            f"{gamma1:.4g}"
        )
    # each boundary is a ray on its own side of x_0 = 0, drawn with that side's averaged coefficients:
    # neuron 0 (not 3) is on above the u ray, neuron 1 (not 2) above the v ray
    u_a, v_a = np.array([-alpha3, gamma0, 0.0]), np.array([-alpha2, gamma1, 0.0])
    u_b, v_b = np.array([-beta3, gamma0, 0.0]), np.array([-beta2, gamma1, 0.0])
    positive = sorted(
        [(math.atan2(alpha3, gamma0), u_a), (math.atan2(alpha2, gamma1), v_a)], key=_first
    )
    negative = sorted(
        [
            (math.pi + math.atan2(beta3, gamma0), u_b),
            (math.pi + math.atan2(beta2, gamma1), v_b),
        ],
        key=_first,
    )
    pieces = [  # (start ray, end ray, coefficients): rays (angle of (x_0, x_1), form), counter-clockwise
        (positive[1], negative[0], b),  # neurons 0, 1 on
        (negative[1], (positive[0][0] + 2 * math.pi, positive[0][1]), a),  # neurons 2, 3 on
        (positive[0], positive[1], a),  # thin region at positive x_0
        (negative[0], negative[1], b),  # thin region at negative x_0
    ]
    axis = np.array([1.0, 0.0, 0.0])
    for (start, start_form), (end, end_form), coefficients in pieces:
        middle = np.array([math.cos(0.5 * (start + end)), math.sin(0.5 * (start + end)), 0.0])
        alpha_u, alpha_v = (alpha3, alpha2) if middle[0] > 0 else (beta3, beta2)
        signs = (
            1 if gamma0 * middle[1] - alpha_u * middle[0] > 0 else -1,
            1 if gamma1 * middle[1] - alpha_v * middle[0] > 0 else -1,
        )
        on = np.array([signs[0] > 0, signs[1] > 0, signs[1] < 0, signs[0] < 0])
        hidden2 = np.where(on[:, None], np.stack([coefficients, W.W_hi, 0 * a], axis=1), 0.0)
        if end - start < math.pi - 1e-9:
            halves = [(start_form, end_form, middle)]
        else:  # a wedge of pi or more is not the intersection of two half-planes: cut it at x_0 = 0
            cut = 0.5 * math.pi + math.pi * round(
                (0.5 * (start + end) - 0.5 * math.pi) / math.pi
            )
            halves = [
                (
                    start_form,
                    axis,
                    np.array([math.cos(0.5 * (start + cut)), math.sin(0.5 * (start + cut)), 0]),
                ),
                (
                    axis,
                    end_form,
                    np.array([math.cos(0.5 * (cut + end)), math.sin(0.5 * (cut + end)), 0]),
                ),
            ]
        for first, second, inner in halves:
            normals = np.array(
                [first * np.sign(first @ inner), second * np.sign(second @ inner)]
            )
            regions.append((signs, normals, hidden2))
    return boundaries, regions


def _original_subregions(
    W: RNNWeights, counter: OperationCounter, rules: OriginalRules = HILTON_RULES
) -> tuple[dict, list]:
    """Step 1 and 2 of :func:`original_estimate`: the averaged coefficients and the nonempty subregions
    ``((sign_u, sign_v), ordering, normals (4, 3), step-3 forms (4, 3))``."""
    boundaries, regions = step2_regions(W, rules)
    counter.add(8 + 4 + 2 + (4 if rules.own_coefficients else 0))
    subregions = []
    for signs, region_normals, hidden2 in regions:  # h_2 = hidden2 @ x on the region
        forms3 = W.W_hh @ hidden2
        forms3[:, 2] += W.W_hi  # z_3 = forms3 @ x
        counter.add(4 * 4 * 2)
        for ordering, ordering_normals in ORDERINGS:
            normals = np.vstack([region_normals, ordering_normals])
            subregions.append((signs, ordering, normals, forms3))
    # which subregions are empty is decided in the plane (x_0, x_1): each region is a wedge there
    kept = [s for s in subregions if _wedge_meets(s[2][:2], s[1])]
    counter.add(2 * len(subregions))
    return boundaries, kept


def original_error_parts(
    model: ReLURNN | RNNWeights, *, rules: OriginalRules = HILTON_RULES
) -> dict:
    """Where the original version's error comes from: its three approximations switched on one by one.

    Returns (accuracies):
        ``"averaged"``: the network with step 2 averaged (4 regions, by ``rules``), every other step
        exact (step-3 gates enumerated: 16 patterns per subregion, volumes of 10 half-spaces);
        ``"averaged_chance"``: the same with the 4 unlikely subregions scored 1/3;
        ``"original"``: :func:`original_estimate` (latent gates as well).

    Raises:
        InvalidInputError: see :func:`original_estimate`.
    """
    W = paired_standard_form(model).weights
    _, kept = _original_subregions(W, OperationCounter(), rules)
    patterns = np.array(list(itertools.product((True, False), repeat=4)))
    cones = []
    for _, ordering, normals, forms3 in kept:
        label = ordering[1]
        others = [j for j in range(3) if j != label]
        for pattern in patterns:
            logits = W.W_oh @ (pattern[:, None] * forms3)
            sides = np.where(pattern[:, None], forms3, -forms3)
            comparisons = []
            for other in others:
                difference = logits[label] - logits[other]
                if np.linalg.norm(difference) > 1e-12 * np.linalg.norm(logits):
                    comparisons.append(difference)
                else:  # the two logits are equal (every neuron off): the first position wins the tie
                    comparisons.append(normals[0] if label < other else -normals[0])
            cones.append(np.vstack([normals, sides, *comparisons]))
    correct = (
        areas(cone_polygons(np.stack(cones))).reshape(len(kept), len(patterns)).sum(axis=1)
        / FOUR_PI
    )
    probability = areas(cone_polygons(np.stack([s[2] for s in kept]))) / FOUR_PI
    unlikely = np.array([_unlikely(s[0], s[1], s[2], rules) for s in kept])
    return {
        "averaged": float(correct.sum()),
        "averaged_chance": float(correct[~unlikely].sum() + probability[unlikely].sum() / 3),
        "original": original_estimate(model, rules=rules).estimate,
    }


def _wedge_meets(region_normals: np.ndarray, ordering: tuple[int, int, int]) -> bool:
    """Whether the wedge ``{region_normals[:, :2] @ (x_0, x_1) > 0}`` meets the ordering's side of ``x_0 = x_1``.

    The wedge's edges are the rays where one form vanishes and the other is positive; it meets the
    half-plane ``x_0 > x_1`` (or ``<``) iff one of its edge rays or its middle does.
    """
    first, second = region_normals[0, :2], region_normals[1, :2]
    rays = []
    for this, other in ((first, second), (second, first)):
        ray = np.array([-this[1], this[0]])
        rays.append(ray if other @ ray > 0 else -ray)
    middle = _wedge_middle(region_normals)
    side = (
        1.0 if ordering.index(0) < ordering.index(1) else -1.0
    )  # x_0 before x_1 in the order: x_0 > x_1
    return any(
        side * (point[0] - point[1]) > 1e-12 * np.linalg.norm(point)
        for point in (*rays, middle)
    )


def _relu_second_moment(covariance: np.ndarray) -> np.ndarray:
    """``E[ReLU(g) ReLU(g)^T]`` for ``g ~ N(0, covariance)`` (the arc-cosine kernel of degree 1)."""
    std = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    outer = np.outer(std, std)
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.clip(
            np.where(outer > 0, covariance / np.where(outer > 0, outer, 1.0), 0.0), -1.0, 1.0
        )
    angle = np.arccos(correlation)
    return outer * (np.sin(angle) + (math.pi - angle) * np.cos(angle)) / (2 * math.pi)


def symmetric_reduction_estimate(model: ReLURNN | RNNWeights, *, seed: int = 0) -> ArcEstimate:
    """The notes' version "based on George's approach": a 2-neuron reduction plus propagated residual noise.

    Steps (on :func:`paired_standard_form` weights):

    1. Least squares: ``W'_hi = U W_hi / 2``, ``W'_hh = U W_hh U^T / 4``, ``W'_oh = W_oh V^T / 2``
       (``U U^T = V V^T = 2 I``); residuals ``E_hi, E_hh``.  The pre-activation at step ``t`` is
       written ``U^T r_t + n_t``: ``r_t`` the reduced state, ``n_t`` the residual.
    2. Reduced network, exact: since ``U ReLU(U^T r) = r``, ``r_{t+1} = W'_hh r_t + W'_hi x_t``, a linear
       map of the inputs (mean 0, covariance exact).
    3. Residual, as noise: ``ReLU(U^T r + n) ~ ReLU(U^T r) + n / 2`` (the gate replaced by the
       probability that the pre-activation is positive, 1/2 for a zero-mean Gaussian), so
       ``n_{t+1} = E_hh ReLU(U^T r_t) + E_hi x_t + W_hh n_t / 2``, treated as zero-mean Gaussian and
       independent of the reduced state (presumption of independence).  **Choice**: its covariance
       uses the exact second moment of ``ReLU(U^T r_t)`` (the arc-cosine kernel).
    4. Logits: ``W_oh ReLU(U^T r_3) + W_oh n_3 / 2``.  **Choice**: the readout uses the actual ``W_oh``
       (its residual is then exact, not noise).  On each of the 4 sign regions of ``r_3`` the first
       term is linear in ``x``; the second is Gaussian noise ``xi`` on the 3 logits.
    5. The estimate sums, over the 4 sign regions and 6 orderings (label ``b``), the probability that
       ``x`` is in the subregion and ``logit_b + xi_b > logit_j + xi_j`` for both ``j != b``: the Gaussian
       measure of a cone of 6 half-spaces in ``(x, xi)``.  **Choice**: computed by Genz's algorithm
       (scipy's ``multivariate_normal.cdf``, quasi-random with a fixed ``seed``) after cutting the
       subregion's cone into simplicial cones, instead of by sampling as in the notes; when the noise
       vanishes (an exactly reduced model) the cone is measured exactly by clipping.

    Volumes: 24 of 6 half-spaces; by ARC's rule that is 25,920 multiply-adds (the notes count 7,680,
    which is ``24 x 5 x 4^3``: 24 volumes of 4 half-spaces), plus the linear algebra counted here.

    Raises:
        InvalidInputError: see :func:`paired_standard_form`.
    """
    from scipy.stats import multivariate_normal

    counter = OperationCounter()
    paired = paired_standard_form(model)
    counter.add(4 * ELEMENTARY + 4 + 16 + 12)
    W = paired.weights
    reduced_hi = U @ W.W_hi / 2
    reduced_hh = U @ W.W_hh @ U.T / 4
    residual_hi = W.W_hi - U.T @ reduced_hi
    residual_hh = W.W_hh - U.T @ reduced_hh @ U
    counter.add(8 + 16 * 2 + 8 + 4 + 16 * 2 + 16)
    # reduced state r_t = maps[t] @ x; residual noise covariance
    reduced_map = np.zeros((2, 3))
    noise = np.zeros((4, 4))
    for t in range(3):
        if t > 0:
            hidden_covariance = _relu_second_moment(U.T @ reduced_map @ reduced_map.T @ U)
            noise = (
                residual_hh @ hidden_covariance @ residual_hh.T
                + 0.25 * W.W_hh @ noise @ W.W_hh.T
            )
            counter.add(2 * 3 * 2 + 16 * 2 + 4 * (3 + ELEMENTARY) + 64 * 4)
        noise = noise + np.outer(residual_hi, residual_hi)
        reduced_map = reduced_hh @ reduced_map
        reduced_map[:, t] += reduced_hi
        counter.add(16 + 12 + 2)
    logit_noise = 0.25 * W.W_oh @ noise @ W.W_oh.T
    counter.add(48 + 36)
    signal = float(np.linalg.norm(W.W_oh) * np.linalg.norm(reduced_map))
    noiseless = float(np.sqrt(max(np.trace(logit_noise), 0.0))) <= 1e-9 * signal
    total = 0.0
    volumes = 0
    for sign0, sign1 in itertools.product((1, -1), repeat=2):
        gates = np.array([sign0 > 0, sign1 > 0, sign1 < 0, sign0 < 0], dtype=float)
        logit_map = W.W_oh @ (gates[:, None] * (U.T @ reduced_map))
        counter.add(4 * 2 * 3 + 3 * 4 * 3)
        region_normals = np.array([sign0 * reduced_map[0], sign1 * reduced_map[1]])
        for ordering, ordering_normals in ORDERINGS:
            label = ordering[1]
            others = [j for j in range(3) if j != label]
            x_normals = np.vstack([region_normals, ordering_normals])
            differences = np.array([logit_map[label] - logit_map[j] for j in others])
            volumes += 1
            if noiseless:
                total += (
                    float(areas(cone_polygons(np.vstack([x_normals, differences])[None]))[0])
                    / FOUR_PI
                )
                continue
            selector = np.zeros((2, 3))
            selector[:, label] = 1.0
            selector[0, others[0]] = selector[1, others[1]] = -1.0
            noise_covariance = (
                selector @ logit_noise @ selector.T
            )  # of (xi_b - xi_j) for both j
            counter.add(2 * 3 * 3 + 2 * 3 * 2)
            total += _orthant_measure(
                x_normals, differences, noise_covariance, seed, multivariate_normal
            )
    counter.add(volumes * volume_operations(6))
    return ArcEstimate(
        total,
        counter.operations,
        {
            "volumes": {"6": volumes},
            "pairing_residual": paired.residual,
            "logit_noise_rms": float(np.sqrt(max(np.trace(logit_noise), 0.0) / 3)),
            "noiseless": noiseless,
        },
    )


def _orthant_measure(
    x_normals: np.ndarray,
    differences: np.ndarray,
    noise_covariance: np.ndarray,
    seed: int,
    multivariate_normal,
) -> float:
    """``P(x_normals @ x >= 0, differences @ x + delta >= 0)`` for ``x ~ N(0, I_3)``, ``delta ~ N(0, noise_covariance)``.

    The cone of ``x`` is cut into simplicial cones (a fan from one vertex of its polygon); each gives 5
    linear forms of the 5 independent Gaussians ``(x, delta)``, whose positive orthant has the measure
    ``P(w <= 0)`` of the centred Gaussian ``w`` with their covariance (Genz's algorithm).
    """
    polygon = cone_polygons(x_normals[None])
    count = int(polygon.count[0])
    if count < 3:
        return 0.0
    vertices = polygon.vertices[0, :count]
    total = 0.0
    for i in range(1, count - 1):
        corner = np.array([vertices[0], vertices[i], vertices[i + 1]])
        determinant = float(np.linalg.det(corner))
        if abs(determinant) < 1e-12:
            continue
        # inward facet normals of the simplicial cone spanned by the corner's rows: the dual basis
        facets = np.linalg.inv(corner).T
        forms = np.zeros((5, 5))
        forms[:3, :3] = facets
        forms[3:, :3] = differences
        forms[3:, 3:] = np.eye(2)
        covariance = forms @ np.diag([1.0, 1.0, 1.0, 0.0, 0.0]) @ forms.T
        covariance[3:, 3:] += noise_covariance
        # P(forms y >= 0) with y = (x, delta): a centred Gaussian is symmetric, so this is its cdf at 0
        scale = np.sqrt(np.diag(covariance))
        correlation = covariance / np.outer(scale, scale)
        distribution = multivariate_normal(
            mean=np.zeros(5),
            cov=correlation,
            allow_singular=True,
            maxpts=GENZ_POINTS,
            abseps=1e-6,
            releps=0.0,
        )
        total += float(distribution.cdf(np.zeros(5), rng=np.random.default_rng(seed)))
    return total


# --- the registered study -----------------------------------------------------------------------------

#: The methods of :data:`tinymech.algzoo.methods.METHODS` that a noisy study runs on every model.
STUDY_METHODS = ("exact", "arc_original", "arc_original_earlier", "arc_symmetric_reduction")
#: Gate sign patterns tried on the earlier rebuild, whose gates have fixed signs (first: the one it used).
GATE_SIGN_PATTERNS = ((1, 1, 1, 1), (1, 1, -1, -1), (1, -1, -1, 1), (1, -1, 1, -1))
#: Sampling budgets of the study: ``2^j`` samples, ``j = 0 .. 16``.
SAMPLE_COUNTS = tuple(2**j for j in range(17))
