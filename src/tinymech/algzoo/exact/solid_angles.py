"""Exact accuracy of a 3-input 2nd-argmax RNN (any hidden size) by solid angles of its linear regions.

A bias-free ReLU RNN is positively homogeneous and piecewise linear.  Its linear regions (sets of inputs
sharing one activation pattern) are polyhedral cones ``{x : normals @ x >= 0}`` in ``R^3``; on each the
logits are linear (:func:`tinymech.algzoo.exact.sectors.pattern_linear_maps`).  Standard Gaussian inputs are
rotation invariant, so the accuracy is the solid angle (area on the unit sphere) of the inputs where
``argmax(logits)`` equals the 2nd-argmax, divided by ``4 pi``.  Source: ARC's analysis of M4,3
{cite}`arc2026algzoo`; the enumeration and the area computation below are ours.

The method, in order:

1. **Enumerate regions.**  Start from one cone (all of ``R^3``, or a half-space when a symmetry lets us
   visit only half of the inputs).  At step ``t`` each neuron's pre-activation is linear on a cone
   (it depends on the pattern of earlier steps only), so its hyperplane splits the cone in two:
   neuron on (``form . x >= 0``) and off.  A part without interior is pruned by a linear-programming
   feasibility check (:func:`has_interior`, scipy's HiGHS); once a cone is pointed, its vertices decide
   the split without a linear program (:func:`split_cone`; the tests check both agree).
2. **Cells.**  Intersect each region with the 6 orderings ``x_a > x_b > x_c`` (label ``b``) and with
   ``logit_b >= logit_j`` for ``j != b`` (prediction ``b``).
3. **Areas.**  A cone's spherical polygon has area ``sum of interior angles - (k - 2) pi`` (Girard's
   theorem, :func:`spherical_polygon_area`); its vertices are the extreme rays ``+-(n_i x n_j)``.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from tinymech.errors import InvalidInputError
from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.exact.pieces import LinearPiece, pattern_linear_maps

FOUR_PI = 4.0 * math.pi
SEQ_LEN = 3

#: A linear form (coefficient vector) whose norm is below this times the norm of the same form computed
#: with absolute weights (a bound on the summed terms, hence on float64 rounding) is identically zero,
#: e.g. a neuron whose pre-activation map vanishes, or two logits that are equal by construction.
ZERO_FORM_TOLERANCE = 1e-12
#: A cone whose inscribed-ball radius (in the box ``|x|_inf <= 1``) is below this counts as empty;
#: such slivers have solid angle below ``~1e-10`` steradian.
INTERIOR_TOLERANCE = 1e-11


def _unit_rows(normals) -> np.ndarray:
    normals = np.asarray(normals, dtype=np.float64).reshape(-1, SEQ_LEN)
    return normals / np.linalg.norm(normals, axis=1, keepdims=True) if len(normals) else normals


def has_interior(normals, *, tolerance: float = INTERIOR_TOLERANCE) -> bool:
    """Whether the cone ``{x in R^3 : normals @ x >= 0}`` has a nonempty interior (linear program).

    Solves ``max s`` subject to ``n_i . x >= s`` for unit normals ``n_i`` and ``|x|_inf <= 1`` with
    scipy's HiGHS; the interior is nonempty iff the optimum ``s`` is positive (above ``tolerance``).

    Args:
        normals: ``(k, 3)`` inward normals (any positive scale); ``k = 0`` is all of ``R^3``.

    Raises:
        RuntimeError: if the linear program fails (it is always feasible with ``x = 0, s = 0``).
    """
    normals = _unit_rows(normals)
    if len(normals) == 0:
        return True
    # variables (x0, x1, x2, s); minimise -s;  -n.x + s <= 0
    a_ub = np.hstack([-normals, np.ones((len(normals), 1))])
    result = linprog(
        c=[0, 0, 0, -1],
        A_ub=a_ub,
        b_ub=np.zeros(len(normals)),
        bounds=[(-1, 1)] * SEQ_LEN + [(0, 1)],
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"feasibility linear program failed: {result.message}")
    return -result.fun > tolerance


def _lune_angle(normals: np.ndarray, plane_basis: np.ndarray) -> float:
    """Opening angle (radians) of the 2-D cone ``{y : (normals @ plane_basis.T) y >= 0}``."""
    projected = normals @ plane_basis.T
    angles = np.sort(np.arctan2(projected[:, 1], projected[:, 0]))
    gaps = np.diff(np.concatenate([angles, angles[:1] + 2 * math.pi]))
    spread = 2 * math.pi - gaps.max()  # the smallest arc holding every normal
    return max(0.0, math.pi - spread)


def cone_vertices(normals, *, tolerance: float = 1e-12) -> np.ndarray:
    """Unit extreme rays of a pointed cone ``{x : normals @ x >= 0}`` in cyclic (counter-clockwise) order.

    Every vertex of the spherical polygon lies on two of its great circles, so it is ``+-(n_i x n_j)``
    for some pair; the candidates inside every half-space are kept, duplicates merged.

    Args:
        normals: ``(k, 3)`` inward normals spanning ``R^3``.
        tolerance: slack allowed in ``n . v >= 0``; vertices closer than ``1000 tolerance`` merge.

    Returns:
        ``(m, 3)`` unit vectors; ``m < 3`` means the polygon has no area.
    """
    normals = _unit_rows(normals)
    first, second = np.triu_indices(len(normals), 1)
    rays = np.cross(normals[first], normals[second])
    lengths = np.linalg.norm(rays, axis=1)
    rays = rays[lengths > 1e-12] / lengths[lengths > 1e-12, None]
    candidates = np.vstack([rays, -rays])
    candidates = candidates[np.all(candidates @ normals.T >= -tolerance, axis=1)]
    vertices: list[np.ndarray] = []
    for vertex in candidates:
        if all(np.linalg.norm(vertex - kept) > 1e3 * tolerance for kept in vertices):
            vertices.append(vertex)
    if len(vertices) < 3:
        return np.asarray(vertices, dtype=np.float64).reshape(-1, SEQ_LEN)
    vertices_array = np.array(vertices)
    centre = vertices_array.sum(0)
    centre /= np.linalg.norm(centre)
    e1 = vertices_array[0] - (vertices_array[0] @ centre) * centre
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(centre, e1)
    order = np.argsort(np.arctan2(vertices_array @ e2, vertices_array @ e1))
    return vertices_array[order]


def girard_area(vertices: np.ndarray) -> float:
    """Area of a convex spherical polygon from its ``(k, 3)`` unit vertices in cyclic order.

    Girard's theorem: area = sum of interior angles - ``(k - 2) pi`` (steradians).  The interior angle
    at ``v`` is the angle between the great-circle tangents from ``v`` towards its two neighbours.
    """
    k = len(vertices)
    if k < 3:
        return 0.0
    angle_sum = 0.0
    for i in range(k):
        v, previous, following = vertices[i], vertices[i - 1], vertices[(i + 1) % k]
        to_previous = previous - (previous @ v) * v
        to_following = following - (following @ v) * v
        angle_sum += math.atan2(
            np.linalg.norm(np.cross(to_previous, to_following)), to_previous @ to_following
        )
    return max(0.0, angle_sum - (k - 2) * math.pi)


def spherical_polygon_area(normals) -> float:
    """Solid angle (steradians) of the cone ``{x in R^3 : normals @ x >= 0}``.

    Handles every convex cone: all of ``R^3`` (``4 pi``), a half-space (``2 pi``), a wedge whose normals
    span a plane (a lune, ``2 x`` its opening angle), and a pointed cone (Girard's theorem on its
    vertices, :func:`girard_area`).

    Args:
        normals: ``(k, 3)`` inward normals, nonzero rows.

    Raises:
        InvalidInputError: if a row is (numerically) zero.
    """
    normals = np.asarray(normals, dtype=np.float64).reshape(-1, SEQ_LEN)
    if len(normals) == 0:
        return FOUR_PI
    if np.any(np.linalg.norm(normals, axis=1) == 0):
        raise InvalidInputError("a zero normal does not define a half-space")
    normals = _unit_rows(normals)
    _, singular_values, right = np.linalg.svd(normals)
    rank = int(np.sum(singular_values > 1e-12 * singular_values[0]))
    if rank == 1:
        return 2 * math.pi if np.all(normals @ normals[0] > 0) else 0.0
    if rank == 2:
        return 2 * _lune_angle(normals, right[:2])
    return girard_area(cone_vertices(normals))


def orderings() -> list[tuple[tuple[int, int, int], np.ndarray]]:
    """The 6 orderings ``x_a > x_b > x_c`` as ``((a, b, c), normals (2, 3))``; the label is ``b``."""
    result = []
    for a, b, c in itertools.permutations(range(SEQ_LEN)):
        normals = np.zeros((2, SEQ_LEN))
        normals[0, a], normals[0, b] = 1, -1
        normals[1, b], normals[1, c] = 1, -1
        result.append(((a, b, c), normals))
    return result


@dataclass(frozen=True)
class Cell:
    """A linear region intersected with one ordering of the inputs.

    Attributes:
        ordering: ``(a, b, c)`` with ``x_a > x_b > x_c``; the label (2nd-argmax) is ``b``.
        solid_angle: area of the cell on the unit sphere (steradians).
        correct_solid_angle: area of the part where ``argmax(logits) = b``.
    """

    ordering: tuple[int, int, int]
    solid_angle: float
    correct_solid_angle: float

    @property
    def label(self) -> int:
        return self.ordering[1]


@dataclass(frozen=True)
class LinearRegion3:
    """One activation pattern of a 3-input RNN with nonempty interior.

    Attributes:
        normals: ``(k, 3)``; the region is ``{x : normals @ x >= 0}``.
        piece: the RNN's linear maps on the region (pattern ``(3, hidden)``, logit map ``(n, 3)``).
        cells: the region cut by the 6 input orderings (empty cells left out).
    """

    normals: np.ndarray
    piece: LinearPiece
    cells: tuple[Cell, ...] = field(default_factory=tuple)

    @property
    def activation_pattern(self) -> np.ndarray:
        return self.piece.activation_pattern

    @property
    def solid_angle(self) -> float:
        return sum(cell.solid_angle for cell in self.cells)

    @property
    def correct_solid_angle(self) -> float:
        return sum(cell.correct_solid_angle for cell in self.cells)


@dataclass(frozen=True)
class SolidAngleAccuracy:
    """Result of :func:`solid_angle_accuracy`.

    Attributes:
        accuracy: exact accuracy on standard Gaussian inputs (over the visited domain, see below).
        regions: the linear regions found.
        domain_solid_angle: area of the visited domain (``4 pi``, or ``2 pi`` for a half-space).
        covered_solid_angle: sum of the cells' areas; equals ``domain_solid_angle`` up to rounding
            (a check of the enumeration).
        linear_programs: number of feasibility linear programs solved.
        vertex_checks: number of splits decided from a pointed cone's vertices.
        seconds: wall-clock time of the computation.
    """

    accuracy: float
    regions: tuple[LinearRegion3, ...]
    domain_solid_angle: float
    covered_solid_angle: float
    linear_programs: int
    vertex_checks: int
    seconds: float

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_cells(self) -> int:
        return sum(len(region.cells) for region in self.regions)

    @property
    def coverage_error(self) -> float:
        """``|covered - domain| / domain``: zero up to rounding when no region was lost."""
        return abs(self.covered_solid_angle - self.domain_solid_angle) / self.domain_solid_angle


def _is_zero(form: np.ndarray, magnitude: np.ndarray) -> bool:
    """Whether ``form`` is zero up to the rounding of sums whose terms have absolute sizes ``magnitude``."""
    return bool(np.linalg.norm(form) <= ZERO_FORM_TOLERANCE * np.linalg.norm(magnitude))


def _absolute(weights: RNNWeights) -> RNNWeights:
    return RNNWeights(np.abs(weights.W_hi), np.abs(weights.W_hh), np.abs(weights.W_oh))


def _weights_of(model: ReLURNN | RNNWeights) -> RNNWeights:
    weights = as_weights(model)
    if weights.output_size != SEQ_LEN:
        raise InvalidInputError(
            f"solid angles need a 3-input model (n = 3 logits), got output size {weights.output_size}"
        )
    return weights


def _rank(normals: np.ndarray) -> int:
    if len(normals) == 0:
        return 0
    singular_values = np.linalg.svd(normals, compute_uv=False)
    return int(np.sum(singular_values > 1e-12 * singular_values[0]))


@dataclass
class _SplitCounter:
    linear_programs: int = 0
    vertex_checks: int = 0


def split_cone(
    normals: np.ndarray,
    form: np.ndarray,
    counter: _SplitCounter | None = None,
    *,
    tolerance: float = 1e-12,
) -> list[tuple[np.ndarray, bool]]:
    """Split a cone with interior by the hyperplane ``form . x = 0``; keep the parts with interior.

    A pointed cone (normals of rank 3) is decided by its vertices: the hyperplane cuts the interior iff
    ``form`` takes both signs (beyond ``tolerance``) on the unit vertices, and otherwise the cone lies on
    one side and is returned unchanged.  Other cones (all of ``R^3``, half-spaces, wedges) are decided by
    the linear program of :func:`has_interior` for each side.

    Args:
        normals: ``(k, 3)`` inward unit normals of a cone with nonempty interior.
        form: ``(3,)`` nonzero linear form.
        counter: optional tally of linear programs and vertex checks.

    Returns:
        A list of ``(normals, on)`` for the parts with interior, ``on`` True for the side ``form . x > 0``.
    """
    counter = counter if counter is not None else _SplitCounter()
    unit = form / np.linalg.norm(form)
    sides = [
        (np.vstack([normals, unit[None]]), True),
        (np.vstack([normals, -unit[None]]), False),
    ]
    vertices = cone_vertices(normals) if _rank(normals) == SEQ_LEN else np.zeros((0, SEQ_LEN))
    if len(vertices) >= 3:
        counter.vertex_checks += 1
        values = vertices @ unit
        if values.max() <= tolerance:
            return [(normals, False)]
        if values.min() >= -tolerance:
            return [(normals, True)]
        return sides
    kept = []
    for side in sides:
        counter.linear_programs += 1
        if has_interior(side[0]):
            kept.append(side)
    return kept


def enumerate_regions(
    model: ReLURNN | RNNWeights, *, domain=None
) -> tuple[list[tuple[np.ndarray, np.ndarray]], dict]:
    """Activation patterns of a 3-input RNN with nonempty interior, by splitting cones step by step.

    At step ``t`` the pre-activation maps of every neuron are linear on each cone found after step
    ``t - 1`` (they depend on earlier steps' patterns only); each neuron's hyperplane splits the cone
    (:func:`split_cone`).  A pre-activation that is identically zero leaves the neuron off.

    Args:
        model: an M_{d,3} (any hidden size d) or its weights.
        domain: optional ``(k, 3)`` normals restricting the search to ``{x : domain @ x >= 0}``
            (e.g. ``[[1, 0, 0]]`` for the half-space ``x_0 >= 0``).

    Returns:
        ``(regions, counts)``: a list of ``(normals (k, 3), activation_pattern (3, d))``, and a dict with
        the number of ``linear_programs`` and ``vertex_checks`` done.

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    weights = _weights_of(model)
    d = weights.hidden_size
    absolute = _absolute(weights)
    start = np.zeros((0, SEQ_LEN)) if domain is None else _unit_rows(domain)
    cones = [(start, np.zeros((SEQ_LEN, d), dtype=bool))]
    counter = _SplitCounter()
    for t in range(SEQ_LEN):
        next_cones = []
        for normals, pattern in cones:
            forms = pattern_linear_maps(weights, pattern).preactivation_maps[
                t
            ]  # (d, 3), needs pattern[:t]
            magnitudes = pattern_linear_maps(absolute, pattern).preactivation_maps[t]
            parts = [(normals, pattern)]
            for i in range(d):
                if _is_zero(
                    forms[i], magnitudes[i]
                ):  # pre-activation identically 0: the neuron stays off
                    continue
                new_parts = []
                for part_normals, part_pattern in parts:
                    for split_normals, on in split_cone(part_normals, forms[i], counter):
                        new_pattern = part_pattern.copy()
                        new_pattern[t, i] = on
                        new_parts.append((split_normals, new_pattern))
                parts = new_parts
            next_cones.extend(parts)
        cones = next_cones
    return cones, {
        "linear_programs": counter.linear_programs,
        "vertex_checks": counter.vertex_checks,
    }


def _cells(
    normals: np.ndarray, logit_map: np.ndarray, logit_magnitude: np.ndarray
) -> tuple[Cell, ...]:
    cells = []
    for ordering, ordering_normals in orderings():
        cell_normals = np.vstack([normals, ordering_normals])
        area = spherical_polygon_area(cell_normals)
        if area <= 0:
            continue
        label = ordering[1]
        label_normals, wins = [], True
        for j in range(SEQ_LEN):
            if j == label:
                continue
            form = logit_map[label] - logit_map[j]
            if _is_zero(form, logit_magnitude[label] + logit_magnitude[j]):
                wins = wins and label < j  # exact tie: torch.argmax returns the first maximum
            else:
                label_normals.append(form)
        correct = (
            spherical_polygon_area(np.vstack([cell_normals, *label_normals])) if wins else 0.0
        )
        cells.append(Cell(ordering, area, min(correct, area)))
    return tuple(cells)


def solid_angle_accuracy(model: ReLURNN | RNNWeights, *, domain=None) -> SolidAngleAccuracy:
    """Exact 2nd-argmax accuracy of a 3-input RNN on standard Gaussian inputs, with its linear regions.

    See the module docstring for the method.  With ``domain`` the accuracy is over the inputs in that
    cone only (Gaussian inputs conditioned on it), which a symmetry of the model can make equal to the
    full accuracy (:mod:`tinymech.algzoo.symmetries`).

    Args:
        model: an M_{d,3} or its weights (float64 arithmetic is used throughout).
        domain: optional ``(k, 3)`` normals of the visited cone (default: all of ``R^3``).

    Raises:
        InvalidInputError: if the model does not have 3 logits, or the domain has no interior.
    """
    started = time.perf_counter()
    weights = _weights_of(model)
    if domain is not None and not has_interior(domain):
        raise InvalidInputError("the domain cone has no interior")
    absolute = _absolute(weights)
    found, counts = enumerate_regions(weights, domain=domain)
    regions = []
    for normals, pattern in found:
        piece = pattern_linear_maps(weights, pattern)
        magnitude = pattern_linear_maps(absolute, pattern).logit_map
        regions.append(
            LinearRegion3(normals, piece, _cells(normals, piece.logit_map, magnitude))
        )
    domain_area = FOUR_PI if domain is None else spherical_polygon_area(domain)
    covered = sum(region.solid_angle for region in regions)
    correct = sum(region.correct_solid_angle for region in regions)
    return SolidAngleAccuracy(
        correct / domain_area,
        tuple(regions),
        domain_area,
        covered,
        counts["linear_programs"],
        counts["vertex_checks"],
        time.perf_counter() - started,
    )


def exact_accuracy_3(model: ReLURNN | RNNWeights) -> float:
    """Exact accuracy of an M_{d,3} on the 2nd-argmax task under standard Gaussian inputs.

    The solid-angle fraction of the sphere where ``argmax(logits)`` is the 2nd-argmax
    (:func:`solid_angle_accuracy`); exact up to float64 rounding (~1e-12).

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    return solid_angle_accuracy(model).accuracy


@dataclass(frozen=True)
class SphereMap:
    """The unit sphere of inputs in Lambert's cylindrical equal-area projection around ``(1, 1, 1)``.

    Longitude ``phi`` turns around the axis ``u = (1, 1, 1) / sqrt(3)`` (the 6 orderings are the sectors
    between the meridians where two inputs are equal, every ``pi / 3``); the height is ``x . u``.  Equal
    areas of the map are equal probabilities of a Gaussian input.

    Attributes:
        longitude: ``(n_longitude,)`` radians in ``[0, 2 pi)``, ``phi = 0`` at the direction ``x_0`` largest.
        height: ``(n_height,)`` in ``(-1, 1)``.
        region: ``(n_height, n_longitude)`` integer id of the activation pattern at each point.
        correct: ``(n_height, n_longitude)`` booleans, prediction equals the 2nd-argmax.
    """

    longitude: np.ndarray
    height: np.ndarray
    region: np.ndarray
    correct: np.ndarray


def sphere_map(
    model: ReLURNN | RNNWeights, *, n_longitude: int = 720, n_height: int = 360
) -> SphereMap:
    """Evaluate the model on a grid of the sphere (see :class:`SphereMap`), in float64.

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    from tinymech.algzoo.trace import trace

    weights = _weights_of(model)
    axis = np.ones(SEQ_LEN) / math.sqrt(SEQ_LEN)
    e1 = np.array([2.0, -1.0, -1.0]) / math.sqrt(6.0)
    e2 = np.cross(axis, e1)
    longitude = (np.arange(n_longitude) + 0.5) * 2 * math.pi / n_longitude
    height = -1 + (np.arange(n_height) + 0.5) * 2 / n_height
    phi, z = np.meshgrid(longitude, height)
    radial = np.sqrt(1 - z**2)
    x = (
        (radial * np.cos(phi))[..., None] * e1
        + (radial * np.sin(phi))[..., None] * e2
        + z[..., None] * axis
    )
    run = trace(weights, x.reshape(-1, SEQ_LEN))
    patterns = run.activation_pattern.reshape(len(x.reshape(-1, SEQ_LEN)), -1)
    _, region = np.unique(patterns, axis=0, return_inverse=True)
    label = np.argsort(x.reshape(-1, SEQ_LEN), axis=1)[:, -2]
    correct = run.predictions == label
    return SphereMap(longitude, height, region.reshape(z.shape), correct.reshape(z.shape))
