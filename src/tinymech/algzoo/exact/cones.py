"""Fast exact accuracy of a 3-input 2nd-argmax RNN, by clipping spherical polygons in batches.

The same quantity as :func:`tinymech.algzoo.exact.solid_angles.exact_accuracy_3`: the fraction of the
unit sphere of inputs ``x = (x_0, x_1, x_2)`` where ``argmax(logits)`` is the 2nd-argmax, which equals
the accuracy on standard Gaussian inputs because a bias-free ReLU RNN is positively homogeneous.  The
method there enumerates linear regions with linear programs; this one uses the order in which an RNN
reads its inputs and never solves a linear program:

1. **Step 1** depends on ``x_0`` only: its activation pattern is fixed on each half-space ``x_0 > 0``,
   ``x_0 < 0``.
2. **Step 2** depends on ``(x_0, x_1)`` only: each neuron's pre-activation vanishes on a line of that
   plane, so the activation pattern is fixed on *wedges* of the plane, found by sorting angles.  A
   wedge times the ``x_2`` axis is a lune of the sphere, between the poles ``+-e_2``.
3. **Step 3**: each neuron's pre-activation is linear on a lune, so its plane cuts the lune's
   polygons in two (neuron on, neuron off).  Polygons are clipped great circle by great circle
   (Sutherland and Hodgman's algorithm, on the sphere), all polygons of a level in one batch.
4. **Cells**: each region is clipped by the two planes of one of the 6 orderings ``x_a > x_b > x_c``
   (label ``b``) and by the planes ``logit_b = logit_j`` (``j != b``); what is left is where the model
   is right.  Its area is a sum of spherical triangles from the polygon's centroid (Van Oosterom and
   Strackee's formula).

**Operation count** (multiply-adds, our rule, since ARC gives none for clipping): 3 per test of a
vertex against a plane, 12 per new vertex where an edge crosses a plane, 25 per vertex in an area
(a division, square root or arctangent counted as 10), plus the multiply-adds of the linear maps
(:data:`PLANE_TEST`, :data:`NEW_VERTEX`, :data:`AREA_PER_VERTEX`).  Source of the problem: ARC's
analysis of M4,3 {cite}`arc2026algzoo`; the algorithm is ours.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.errors import InvalidInputError

SEQ_LEN = 3
FOUR_PI = 4.0 * math.pi
#: Multiply-adds of one test of a vertex against a plane (a dot product of 3-vectors).
PLANE_TEST = 3
#: Multiply-adds of one new vertex where an edge crosses a plane (6), normalised (3 + a square root
#: and a division, counted as 10 together... rounded to 12 in all).
NEW_VERTEX = 12
#: Multiply-adds per vertex of an area: the dot with the centroid (3), with the next vertex (3), a cross
#: and triple product (9) and an arctangent (10).
AREA_PER_VERTEX = 25
# The three tolerances sit far above rounding and above the perturbation run's 1e-12 (tinymech.perturb): a
# model with exact coincidences (ARC's handcrafted M4,3) otherwise gets sliver cells whose number, and so the
# operation count, is decided by the last bits of its weights.  Dropping them moves an accuracy by < 1e-8.
#: A linear form whose norm is below this times the norm of the same form computed with absolute
#: weights is identically zero.
ZERO_FORM_TOLERANCE = 1e-9
#: A vertex within this distance of a plane counts as on it (unit vectors and unit normals).
PLANE_TOLERANCE = 1e-8
#: Wedges of the ``(x_0, x_1)`` plane narrower than this (radians) are dropped (probability < 1e-9).
WEDGE_TOLERANCE = 1e-9


@dataclass
class OperationCounter:
    """A running count of multiply-adds by the rule of the module docstring."""

    operations: int = 0

    def add(self, count) -> None:
        self.operations += int(count)


@dataclass
class PolygonBatch:
    """Convex spherical polygons with at most ``M`` vertices each, padded.

    Attributes:
        vertices: ``(B, M, 3)`` unit vectors; those of polygon ``b`` are ``vertices[b, :count[b]]`` in
            cyclic order (the rest is padding).
        count: ``(B,)`` number of vertices; below 3 means an empty polygon.
    """

    vertices: np.ndarray
    count: np.ndarray

    def __len__(self) -> int:
        return len(self.count)

    def take(self, index) -> "PolygonBatch":
        return PolygonBatch(self.vertices[index], self.count[index])


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def clip(
    polygons: PolygonBatch,
    normals: np.ndarray,
    counter: OperationCounter | None = None,
    *,
    tolerance: float | None = None,
) -> PolygonBatch:
    """Clip each polygon to the half-space ``normal . x >= 0`` (one normal per polygon).

    Sutherland and Hodgman's algorithm on the sphere: walk the edges, keep the vertices inside (within
    ``tolerance`` of the plane counts as inside), and add the point where an edge crosses the great
    circle (the positive combination ``(s_a b - s_b a) / (s_a - s_b)`` of its ends ``a, b`` with
    signed distances ``s_a, s_b``), normalised.

    Args:
        polygons: a batch of ``B`` convex polygons.
        normals: ``(B, 3)`` unit normals.
        counter: adds ``PLANE_TEST`` per vertex tested and ``NEW_VERTEX`` per crossing.
        tolerance: default :data:`PLANE_TOLERANCE`.

    Returns:
        The clipped batch (same order; a polygon with fewer than 3 vertices left is empty).
    """
    clipped, operations = clip_counted(polygons, normals, tolerance=tolerance)
    if counter is not None:
        counter.add(int(operations.sum()))
    return clipped


def clip_counted(
    polygons: PolygonBatch, normals: np.ndarray, *, tolerance: float | None = None
) -> tuple[PolygonBatch, np.ndarray]:
    """:func:`clip`, returning also the operations of each polygon, ``(B,)`` int64 (same rule)."""
    tolerance = PLANE_TOLERANCE if tolerance is None else tolerance
    vertices, count = polygons.vertices, polygons.count
    batch, width, _ = vertices.shape
    if batch == 0:
        return polygons, np.zeros(0, dtype=np.int64)
    signed = np.einsum("bmi,bi->bm", vertices, normals)
    index = np.arange(width)
    valid = index[None, :] < count[:, None]
    following = np.where(index[None, :] + 1 < count[:, None], index[None, :] + 1, 0)
    signed_next = np.take_along_axis(signed, following, axis=1)
    vertices_next = np.take_along_axis(vertices, following[..., None], axis=1)
    inside = valid & (signed >= -tolerance)
    crossing = valid & (
        ((signed > tolerance) & (signed_next < -tolerance))
        | ((signed < -tolerance) & (signed_next > tolerance))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        points = (
            signed[..., None] * vertices_next - signed_next[..., None] * vertices
        ) * np.sign(signed - signed_next)[..., None]
        points = points / np.linalg.norm(points, axis=-1, keepdims=True)
    merged = np.stack([vertices, np.where(crossing[..., None], points, 0.0)], axis=2).reshape(
        batch, 2 * width, 3
    )
    keep = np.stack([inside, crossing], axis=2).reshape(batch, 2 * width)
    order = np.argsort(~keep, axis=1, kind="stable")[:, : width + 1]
    new_vertices = np.take_along_axis(merged, order[..., None], axis=1)
    new_count = keep.sum(axis=1)
    operations = PLANE_TEST * count.astype(np.int64) + NEW_VERTEX * crossing.sum(axis=1)
    new_vertices, new_count = close_half_circles(
        new_vertices, new_count, vertices, signed, valid, normals, tolerance
    )
    return PolygonBatch(new_vertices, np.where(new_count >= 3, new_count, 0)), operations


def close_half_circles(
    vertices: np.ndarray,
    count: np.ndarray,
    old_vertices: np.ndarray,
    signed: np.ndarray,
    valid: np.ndarray,
    normals: np.ndarray,
    tolerance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Insert the midpoint of any new edge that is half a great circle.

    When the clipping plane passes through two antipodal vertices (cones whose planes share a line, such
    as the 6 orderings, which all contain ``(1, 1, 1)``), the new edge between them is half a great circle
    and its two ends do not say which half; its midpoint, on the side of the removed vertices, does.
    """
    batch, width, _ = vertices.shape
    if batch == 0:
        return vertices, count
    index = np.arange(width)
    last = (
        index[None, :] == count[:, None] - 1
    )  # its next vertex is the first (a gather, no arithmetic)
    nxt = np.where(last[..., None], vertices[:, :1], np.roll(vertices, -1, axis=1))
    antipodal = (
        (index[None, :] < count[:, None])
        & (np.einsum("bmi,bmi->bm", vertices, nxt) < -1 + 1e-9)
        & (count[:, None] >= 2)
    )
    rows = np.flatnonzero(antipodal.any(axis=1))
    if len(rows) == 0:
        return vertices, count
    vertices = np.concatenate([vertices, np.zeros((batch, 1, 3))], axis=1)
    count = count.copy()
    for b in rows:
        position = int(np.flatnonzero(antipodal[b])[0])
        start = vertices[b, position]
        inside = valid[b] & (signed[b] > tolerance)
        outside = valid[b] & (signed[b] < -tolerance)
        if not inside.any() or not outside.any():
            continue  # nothing strictly inside: the polygon is a half circle, empty; or nothing was cut
        # a convex polygon with two antipodal vertices is a lune: its other vertices lie on two half great
        # circles; the kept one is on one side of the new edge, the removed one on the other
        kept = old_vertices[b][inside][np.argmax(signed[b][inside])]
        removed = old_vertices[b][outside][np.argmin(signed[b][outside])]
        middle = np.cross(normals[b], start)
        middle /= np.linalg.norm(middle)
        if (
            np.linalg.det(np.array([start, kept, middle]))
            * np.linalg.det(np.array([start, kept, removed]))
            < 0
        ):
            middle = -middle
        n = int(count[b])
        vertices[b, position + 2 : n + 1] = vertices[b, position + 1 : n].copy()
        vertices[b, position + 1] = middle
        count[b] = n + 1
    return vertices, count


def areas(polygons: PolygonBatch, counter: OperationCounter | None = None) -> np.ndarray:
    """Areas (steradians) of a batch of convex spherical polygons, ``(B,)``.

    Each polygon is cut into triangles from the normalised mean of its vertices, and each triangle
    ``(c, a, b)`` has area ``2 atan2(|c . (a x b)|, 1 + c.a + a.b + b.c)`` (Van Oosterom and Strackee).
    Repeated vertices give empty triangles, so no deduplication is needed.
    """
    result, operations = areas_counted(polygons)
    if counter is not None:
        counter.add(int(operations.sum()))
    return result


def areas_counted(polygons: PolygonBatch) -> tuple[np.ndarray, np.ndarray]:
    """:func:`areas`, returning also the operations of each polygon, ``(B,)`` int64 (same rule)."""
    vertices, count = polygons.vertices, polygons.count
    batch, width, _ = vertices.shape
    result = np.zeros(batch)
    if batch == 0:
        return result, np.zeros(0, dtype=np.int64)
    index = np.arange(width)
    valid = index[None, :] < count[:, None]
    centre = np.where(valid[..., None], vertices, 0.0).sum(axis=1)
    norm = np.linalg.norm(centre, axis=1)
    usable = (count >= 3) & (norm > 0)
    centre = centre / np.where(norm > 0, norm, 1.0)[:, None]
    following = np.where(index[None, :] + 1 < count[:, None], index[None, :] + 1, 0)
    a = vertices
    b = np.take_along_axis(vertices, following[..., None], axis=1)
    triple = np.abs(np.einsum("bi,bmi->bm", centre, np.cross(a, b)))
    denominator = (
        1.0
        + np.einsum("bi,bmi->bm", centre, a)
        + np.einsum("bmi,bmi->bm", a, b)
        + np.einsum("bi,bmi->bm", centre, b)
    )
    triangle = 2.0 * np.arctan2(triple, denominator)
    result = np.where(usable, np.where(valid, triangle, 0.0).sum(axis=1), 0.0)
    return result, np.where(usable, AREA_PER_VERTEX * count.astype(np.int64), 0)


def lune(start: float, end: float) -> np.ndarray:
    """The polygon ``(4, 3)`` of the lune ``{x : angle of (x_0, x_1) in [start, end]}``, ``end - start < pi``.

    Vertices: the pole ``e_2``, the equator at ``start``, the pole ``-e_2``, the equator at ``end``.
    """
    return np.array(
        [
            [0.0, 0.0, 1.0],
            [math.cos(start), math.sin(start), 0.0],
            [0.0, 0.0, -1.0],
            [math.cos(end), math.sin(end), 0.0],
        ]
    )


def cone_polygons(normals, counter: OperationCounter | None = None) -> PolygonBatch:
    """Polygons of the cones ``{x : normals[b] @ x >= 0}``, computed from scratch, in one batch.

    The first two half-spaces make a lune (vertices ``p``, ``m_0``, ``-p``, ``m_1`` with ``p`` on both
    planes and ``m_i`` midway along plane ``i``); the others clip it (:func:`clip`).  The pair used for
    the lune is the least parallel pair with the first normal.

    Args:
        normals: ``(B, k, 3)`` with ``k >= 2``; rows of any positive scale, not zero.
        counter: counts the clipping by the rule of the module docstring (and 30 for the lune).

    Raises:
        InvalidInputError: for a wrong shape or a zero normal.
    """
    normals = np.asarray(normals, dtype=np.float64)
    if normals.ndim != 3 or normals.shape[1] < 2 or normals.shape[2] != SEQ_LEN:
        raise InvalidInputError(
            f"expected normals of shape (B, k >= 2, 3), got {normals.shape}"
        )
    lengths = np.linalg.norm(normals, axis=-1)
    if np.any(lengths == 0):
        raise InvalidInputError("a zero normal does not define a half-space")
    units = normals / lengths[..., None]
    batch, k, _ = units.shape
    partner = 1 + np.argmax(
        np.linalg.norm(np.cross(units[:, :1], units[:, 1:]), axis=-1), axis=1
    )
    first = units[:, 0]
    second = units[np.arange(batch), partner]
    pole = np.cross(first, second)
    pole_length = np.linalg.norm(pole, axis=1)
    parallel = pole_length < 1e-15
    pole = pole / np.where(parallel, 1.0, pole_length)[:, None]
    middle0 = np.cross(first, pole)
    middle0 *= np.where(np.einsum("bi,bi->b", middle0, second) >= 0, 1.0, -1.0)[:, None]
    middle1 = np.cross(second, pole)
    middle1 *= np.where(np.einsum("bi,bi->b", middle1, first) >= 0, 1.0, -1.0)[:, None]
    vertices = np.zeros((batch, 4 + k, 3))
    vertices[:, :4] = np.stack([pole, middle0, -pole, middle1], axis=1)
    polygons = PolygonBatch(vertices, np.where(parallel, 0, 4))
    if counter is not None:
        counter.add(30 * batch)
    for j in range(1, k):
        normal = units[:, j]
        skip = j == partner
        clipped = clip(polygons, normal, None)
        clipped.vertices[skip, : polygons.vertices.shape[1]] = polygons.vertices[skip]
        clipped.count[skip] = polygons.count[skip]
        if counter is not None:
            counter.add(PLANE_TEST * int(polygons.count[~skip].sum()))
        polygons = clipped
    if np.any(parallel):
        # the first two planes are parallel: the cone is empty (opposite normals) or a hemisphere clipped
        # by the rest; fall back to the rest with the first normal moved last
        rest = np.concatenate([units[parallel][:, 1:], units[parallel][:, :1]], axis=1)
        if k > 2:
            fallback = cone_polygons(rest, counter)
            width = max(polygons.vertices.shape[1], fallback.vertices.shape[1])
            vertices = _pad(polygons.vertices, width)
            vertices[parallel] = _pad(fallback.vertices, width)
            count = polygons.count.copy()
            count[parallel] = fallback.count
            polygons = PolygonBatch(vertices, count)
    return polygons


def cone_areas(normals, counter: OperationCounter | None = None) -> np.ndarray:
    """Solid angles (steradians) of the cones ``{x : normals[b] @ x >= 0}``, ``(B,)`` (see :func:`cone_polygons`)."""
    return areas(cone_polygons(normals, counter), counter)


def _is_zero(forms: np.ndarray, magnitudes: np.ndarray) -> np.ndarray:
    return np.linalg.norm(forms, axis=-1) <= ZERO_FORM_TOLERANCE * np.linalg.norm(
        magnitudes, axis=-1
    )


def _weights_of(model: ReLURNN | RNNWeights) -> RNNWeights:
    weights = as_weights(model)
    if weights.output_size != SEQ_LEN:
        raise InvalidInputError(
            f"the clipping method needs a 3-input model (n = 3 logits), got output size "
            f"{weights.output_size}"
        )
    return weights


@dataclass(frozen=True)
class Wedge:
    """A wedge ``start < angle(x_0, x_1) < end`` with the maps of steps 1 and 2 on it.

    Attributes:
        start, end: radians, ``end - start <= pi / 2``.
        step3_forms: ``(d, 3)``; ``step3_forms @ x`` is the step-3 pre-activation on the wedge.
        step3_magnitudes: the same computed with absolute weights (a bound on rounding).
        pattern: ``(2, d)`` booleans, the activation pattern of steps 1 and 2 on the wedge.
    """

    start: float
    end: float
    step3_forms: np.ndarray
    step3_magnitudes: np.ndarray
    pattern: np.ndarray


def wedges(weights: RNNWeights, counter: OperationCounter | None = None) -> list[Wedge]:
    """The wedges of the ``(x_0, x_1)`` plane on which steps 1 and 2 have one activation pattern.

    The plane is first cut into its 4 quadrants (so that every wedge is narrower than ``pi``, as a
    clipped polygon must be), then at every angle where a step-2 pre-activation of the quadrant's
    step-1 pattern vanishes.
    """
    counter = counter if counter is not None else OperationCounter()
    W_hi, W_hh = weights.W_hi, weights.W_hh
    abs_hi, abs_hh = np.abs(W_hi), np.abs(W_hh)
    d = weights.hidden_size
    found = []
    for sign in (1.0, -1.0):  # x_0 > 0, x_0 < 0
        step1 = W_hi * sign > 0
        gain = np.where(step1, W_hi, 0.0)  # h_1 = gain * x_0
        forms2 = np.stack([W_hh @ gain, W_hi], axis=1)  # z_2 = forms2 @ (x_0, x_1)
        magnitudes2 = np.stack([abs_hh @ np.abs(gain), abs_hi], axis=1)
        counter.add(d * d)
        zero2 = _is_zero(forms2, magnitudes2)
        centre = 0.0 if sign > 0 else math.pi
        cuts = []
        for i in np.flatnonzero(~zero2):
            root = math.atan2(-forms2[i, 0], forms2[i, 1])  # forms2[i] . (cos t, sin t) = 0
            for angle in (root, root + math.pi, root - math.pi, root + 2 * math.pi):
                if centre - math.pi / 2 < angle < centre + math.pi / 2:
                    cuts.append(angle)
        counter.add(10 * len(cuts))
        edges = sorted({centre - math.pi / 2, centre, centre + math.pi / 2, *cuts})
        for start, end in zip(edges[:-1], edges[1:]):
            if end - start <= WEDGE_TOLERANCE:
                continue
            middle = 0.5 * (start + end)
            direction = np.array([math.cos(middle), math.sin(middle)])
            step2 = (forms2 @ direction > 0) & ~zero2
            gains2 = np.where(step2[:, None], forms2, 0.0)  # h_2 = gains2 @ (x_0, x_1)
            magnitudes_gain = np.where(step2[:, None], magnitudes2, 0.0)
            forms3 = np.hstack([W_hh @ gains2, W_hi[:, None]])
            magnitudes3 = np.hstack([abs_hh @ magnitudes_gain, abs_hi[:, None]])
            counter.add(2 * d + 2 * d * d)
            found.append(Wedge(start, end, forms3, magnitudes3, np.stack([step1, step2])))
    return found


@dataclass(frozen=True)
class ConeAccuracy:
    """Result of :func:`clipped_accuracy`.

    Attributes:
        accuracy: exact accuracy on standard Gaussian inputs (float64).
        operations: multiply-adds by the rule of the module docstring.
        n_wedges: wedges of the ``(x_0, x_1)`` plane (quadrants cut at step-2 zeros).
        n_regions: nonempty (wedge, step-3 pattern) polygons.
        n_cells: nonempty (region, ordering) cells where the model is right.
        covered: total area of the regions over ``4 pi`` (1 up to rounding: a check).
        seconds: wall time.
    """

    accuracy: float
    operations: int
    n_wedges: int
    n_regions: int
    n_cells: int
    covered: float
    seconds: float


def _orderings() -> list[tuple[int, np.ndarray]]:
    import itertools

    result = []
    for a, b, c in itertools.permutations(range(SEQ_LEN)):
        normals = np.zeros((2, SEQ_LEN))
        normals[0, a], normals[0, b] = 1, -1
        normals[1, b], normals[1, c] = 1, -1
        result.append((b, _unit(normals)))
    return result


ORDERINGS = _orderings()


@dataclass(frozen=True)
class ClippedRegions:
    """The linear regions of an M_{d,3} as clipped polygons (pieces of regions cut at wedge edges).

    Attributes:
        polygons: the nonempty polygons, ``R`` of them.
        patterns: ``(R, 3, d)`` booleans, the activation pattern of each (steps 1, 2, 3).
        logit_maps: ``(R, 3, 3)``; ``logit_maps[r] @ x`` are the logits on polygon ``r``.
        logit_magnitudes: the same computed with absolute weights (a bound on rounding).
        n_wedges: the number of wedges of the ``(x_0, x_1)`` plane.
    """

    polygons: PolygonBatch
    patterns: np.ndarray
    logit_maps: np.ndarray
    logit_magnitudes: np.ndarray
    n_wedges: int


def expected_regions(hidden_size: int) -> int:
    """About how many polygons :func:`clipped_regions` returns for a hidden size ``d`` (before it runs):
    ``(2 d + 4) (d + 1) + d (d - 1)``.

    There are at most ``2 d + 4`` wedges (:func:`wedges`: 4 quadrant cuts and at most one zero ray per
    step-2 neuron in each half-plane).  In a lune the ``d`` step-3 great circles are ``d`` chords from one
    edge to the other, each adding one region, and each crossing of two inside the lune adds one more; the
    ``d (d - 1)`` crossing points of ``d`` great circles spread over the wedges in proportion to their
    angles.  Measured on random Gaussian M_{d,3}: 16% above the count at d = 8, within 4% at d = 16 to 48
    (in both directions); above it where neurons are dead or share planes.
    """
    d = hidden_size
    return (2 * d + 4) * (d + 1) + d * (d - 1)


def clipped_regions(
    model: ReLURNN | RNNWeights,
    counter: OperationCounter | None = None,
    *,
    progress: bool = False,
) -> ClippedRegions:
    """Steps 1 to 3 of the module docstring: every wedge's lune split by every step-3 neuron's plane
    (``progress``: a tqdm bar over the neurons).

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    weights = _weights_of(model)
    counter = counter if counter is not None else OperationCounter()
    found = wedges(weights, counter)
    d = weights.hidden_size
    polygons = PolygonBatch(
        np.stack([np.vstack([lune(w.start, w.end), np.zeros((d, 3))]) for w in found]),
        np.full(len(found), 4),
    )
    owner = np.arange(len(found))  # the wedge of each polygon
    patterns = np.zeros((len(found), d), dtype=bool)  # step-3 pattern so far
    forms = np.stack([w.step3_forms for w in found])
    magnitudes = np.stack([w.step3_magnitudes for w in found])
    zero = _is_zero(forms, magnitudes)  # (wedges, d)
    units = (
        np.where(zero[..., None], 0.0, forms)
        / np.where(zero, 1.0, np.linalg.norm(forms, axis=-1))[..., None]
    )
    from tqdm import tqdm

    for i in tqdm(range(d), desc="step-3 planes", unit="plane", disable=not progress):
        on = clip(polygons, units[owner, i], counter)
        off = clip(polygons, -units[owner, i], counter)
        dead = zero[owner, i]  # identically zero: the neuron stays off, no split
        on.count[dead] = 0
        off.vertices[dead, : polygons.vertices.shape[1]] = polygons.vertices[dead]
        off.count[dead] = polygons.count[dead]
        width = max(on.vertices.shape[1], off.vertices.shape[1])
        both = PolygonBatch(
            np.concatenate([_pad(on.vertices, width), _pad(off.vertices, width)]),
            np.concatenate([on.count, off.count]),
        )
        owner = np.concatenate([owner, owner])
        patterns = np.concatenate([patterns, patterns])
        patterns[: len(on), i] = True
        alive = both.count >= 3
        polygons, owner, patterns = both.take(alive), owner[alive], patterns[alive]
    logit_maps = np.einsum("kd,rd,rdj->rkj", weights.W_oh, patterns, forms[owner])
    logit_magnitudes = np.einsum(
        "kd,rd,rdj->rkj", np.abs(weights.W_oh), patterns, magnitudes[owner]
    )
    counter.add(len(owner) * SEQ_LEN * d * SEQ_LEN)
    earlier = (
        np.stack([found[k].pattern for k in owner])
        if len(owner)
        else np.zeros((0, 2, d), dtype=bool)
    )
    full_patterns = np.concatenate([earlier, patterns[:, None, :]], axis=1)
    return ClippedRegions(polygons, full_patterns, logit_maps, logit_magnitudes, len(found))


def correct_cells(
    regions: ClippedRegions, counter: OperationCounter | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Step 4 of the module docstring: the area where the model is right in every (region, ordering).

    Returns:
        ``(region, area)``: for each nonempty cell, the index of its region and its area (steradians).
    """
    polygons, logit_maps, logit_magnitudes = (
        regions.polygons,
        regions.logit_maps,
        regions.logit_magnitudes,
    )
    n_regions = len(polygons)
    batch = PolygonBatch(
        np.repeat(polygons.vertices, len(ORDERINGS), axis=0),
        np.repeat(polygons.count, len(ORDERINGS)),
    )
    region = np.repeat(np.arange(n_regions), len(ORDERINGS))
    which = np.tile(np.arange(len(ORDERINGS)), n_regions)
    ordering_normals = np.stack([normals for _, normals in ORDERINGS])
    labels = np.array([label for label, _ in ORDERINGS])[which]
    for k in range(2):
        batch = clip(batch, ordering_normals[which, k], counter)
        alive = batch.count >= 3
        batch, region, which, labels = (
            batch.take(alive),
            region[alive],
            which[alive],
            labels[alive],
        )
    for k in range(2):
        others = np.array([[1, 2], [0, 2], [0, 1]])[labels, k]
        difference = logit_maps[region, labels] - logit_maps[region, others]
        magnitude = logit_magnitudes[region, labels] + logit_magnitudes[region, others]
        tie = _is_zero(difference, magnitude)
        units = (
            np.where(tie[:, None], 0.0, difference)
            / np.where(tie, 1.0, np.linalg.norm(difference, axis=1))[:, None]
        )
        clipped = clip(batch, units, counter)
        # an exact tie: torch.argmax's first maximum wins, so the label wins iff it comes first
        keep_all = tie & (labels < others)
        clipped.vertices[keep_all, : batch.vertices.shape[1]] = batch.vertices[keep_all]
        clipped.count[keep_all] = batch.count[keep_all]
        clipped.count[tie & ~keep_all] = 0
        alive = clipped.count >= 3
        batch, region, which, labels = (
            clipped.take(alive),
            region[alive],
            which[alive],
            labels[alive],
        )
    return region, areas(batch, counter)


def clipped_accuracy(
    model: ReLURNN | RNNWeights, *, check_coverage: bool = False, progress: bool = False
) -> ConeAccuracy:
    """Exact 2nd-argmax accuracy of an M_{d,3} by batched polygon clipping (see the module docstring).

    Agrees with :func:`tinymech.algzoo.exact.solid_angles.exact_accuracy_3` to ~1e-12 (the tests check
    trained, handcrafted and random models) and is about 50 times faster.  Ties between logits that are
    equal by construction go to the lowest position (``torch.argmax``'s rule), as there.

    Args:
        model: an M_{d,3} (any hidden size d) or its weights (float64 arithmetic throughout).
        check_coverage: also compute the total area of the regions (not counted as operations).
        progress: a progress bar over the step-3 planes (:func:`clipped_regions`).

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    started = time.perf_counter()
    counter = OperationCounter()
    regions = clipped_regions(model, counter, progress=progress)
    covered = float(areas(regions.polygons).sum() / FOUR_PI) if check_coverage else float("nan")
    _, correct = correct_cells(regions, counter)
    return ConeAccuracy(
        float(correct.sum() / FOUR_PI),
        counter.operations,
        regions.n_wedges,
        len(regions.polygons),
        int(np.sum(correct > 0)),
        covered,
        time.perf_counter() - started,
    )


def _pad(vertices: np.ndarray, width: int) -> np.ndarray:
    if vertices.shape[1] >= width:
        return vertices
    return np.concatenate(
        [vertices, np.zeros((len(vertices), width - vertices.shape[1], 3))], axis=1
    )


def clipped_exact_accuracy_3(model: ReLURNN | RNNWeights) -> float:
    """Exact accuracy of an M_{d,3} on standard Gaussian inputs (:func:`clipped_accuracy`).

    Raises:
        InvalidInputError: if the model does not have 3 logits.
    """
    return clipped_accuracy(model).accuracy
