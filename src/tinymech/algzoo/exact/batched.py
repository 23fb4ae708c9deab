"""The exact accuracy of many M_{d,3} at once: :func:`tinymech.algzoo.exact.cones.clipped_accuracy`
batched over an ensemble.

:func:`~tinymech.algzoo.exact.cones.clipped_accuracy` spends about 37,000 multiply-adds on the M4,3
trained here, but on one model its numpy calls each handle a few dozen polygons, so nearly all of its
wall time is the interpreter's.  Here every step runs once for all models of an ensemble: the wedges of
the ``(x_0, x_1)`` plane of every model in one set of array operations, then every lune of every model
clipped in the same batches (each polygon remembers its model).  The arithmetic per polygon is that of
:mod:`~tinymech.algzoo.exact.cones` (:func:`~tinymech.algzoo.exact.cones.clip_counted`,
:func:`~tinymech.algzoo.exact.cones.areas_counted`), so each model's accuracy agrees with the one-model
method up to the order of float64 sums (the tests: 1e-12), and each model's operation count, by the same
rule, is the same.  Algorithm: ours; problem: ARC's {cite}`arc2026algzoo`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights, as_weights
from tinymech.algzoo.exact.cones import (
    FOUR_PI,
    ORDERINGS,
    SEQ_LEN,
    WEDGE_TOLERANCE,
    ZERO_FORM_TOLERANCE,
    PLANE_TOLERANCE,
    NEW_VERTEX,
    PLANE_TEST,
    PolygonBatch,
    areas_counted,
    close_half_circles,
)
from tinymech.errors import InvalidInputError


@dataclass(frozen=True)
class BatchAccuracy:
    """Result of :func:`batched_accuracies`.

    Attributes:
        accuracy: ``(N,)`` exact accuracies on standard Gaussian inputs (float64).
        operations: ``(N,)`` multiply-adds of each model by the rule of
            :mod:`tinymech.algzoo.exact.cones` (the same count as the one-model method).
        seconds: wall time of the whole batch.
    """

    accuracy: np.ndarray
    operations: np.ndarray
    seconds: float

    @property
    def seconds_per_model(self) -> float:
        return self.seconds / len(self.accuracy)


def _stack(models) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    weights = [as_weights(m) for m in models]
    if not weights:
        raise InvalidInputError("batched_accuracies needs at least one model")
    shapes = {(w.hidden_size, w.output_size) for w in weights}
    if len(shapes) != 1 or next(iter(shapes))[1] != SEQ_LEN:
        raise InvalidInputError(
            f"batched_accuracies needs 3-input models of one hidden size, got (d, n) = {sorted(shapes)}"
        )
    return tuple(np.stack([getattr(w, k) for w in weights]) for k in ("W_hi", "W_hh", "W_oh"))


def _is_zero(forms: np.ndarray, magnitudes: np.ndarray) -> np.ndarray:
    return np.linalg.norm(forms, axis=-1) <= ZERO_FORM_TOLERANCE * np.linalg.norm(
        magnitudes, axis=-1
    )


def _wedges(W_hi: np.ndarray, W_hh: np.ndarray, operations: np.ndarray):
    """:func:`tinymech.algzoo.exact.cones.wedges` of every model: ``(model, start, end, forms3,
    magnitudes3)`` of every wedge, ``forms3`` ``(K, d, 3)``; adds each model's count to ``operations``."""
    n, d = W_hi.shape
    abs_hi, abs_hh = np.abs(W_hi), np.abs(W_hh)
    parts = []
    for sign in (1.0, -1.0):
        gain = np.where(W_hi * sign > 0, W_hi, 0.0)
        forms2 = np.stack([np.einsum("nij,nj->ni", W_hh, gain), W_hi], axis=-1)  # (N, d, 2)
        magnitudes2 = np.stack([np.einsum("nij,nj->ni", abs_hh, np.abs(gain)), abs_hi], axis=-1)
        zero2 = _is_zero(forms2, magnitudes2)
        centre = 0.0 if sign > 0 else math.pi
        root = np.arctan2(-forms2[..., 0], forms2[..., 1])
        candidates = root[..., None] + np.array([0.0, math.pi, -math.pi, 2 * math.pi])
        valid = (
            ~zero2[..., None]
            & (centre - math.pi / 2 < candidates)
            & (candidates < centre + math.pi / 2)
        )
        operations += d * d + 10 * valid.reshape(n, -1).sum(axis=1)
        fixed = np.broadcast_to([centre - math.pi / 2, centre, centre + math.pi / 2], (n, 3))
        edges = np.sort(
            np.concatenate([fixed, np.where(valid, candidates, np.inf).reshape(n, -1)], axis=1),
            axis=1,
        )
        start, end = edges[:, :-1], edges[:, 1:]
        with np.errstate(invalid="ignore"):  # inf - inf past the last edge
            keep = np.isfinite(end) & (end - start > WEDGE_TOLERANCE)  # duplicates: width 0
        model, slot = np.nonzero(keep)
        start, end = start[model, slot], end[model, slot]
        middle = 0.5 * (start + end)
        direction = np.stack([np.cos(middle), np.sin(middle)], axis=1)
        f2, m2 = forms2[model], magnitudes2[model]
        step2 = (np.einsum("kij,kj->ki", f2, direction) > 0) & ~zero2[model]
        gains2 = np.where(step2[..., None], f2, 0.0)
        magnitude_gain = np.where(step2[..., None], m2, 0.0)
        forms3 = np.concatenate(
            [np.einsum("kij,kjl->kil", W_hh[model], gains2), W_hi[model][..., None]], axis=2
        )
        magnitudes3 = np.concatenate(
            [
                np.einsum("kij,kjl->kil", abs_hh[model], magnitude_gain),
                abs_hi[model][..., None],
            ],
            axis=2,
        )
        operations += (2 * d + 2 * d * d) * np.bincount(model, minlength=n)
        parts.append((model, start, end, forms3, magnitudes3))
    # the one-model method lists a model's wedges for x_0 > 0, then x_0 < 0: keep that order per model
    model, start, end, forms3, magnitudes3 = (np.concatenate(p) for p in zip(*parts))
    order = np.argsort(model, kind="stable")
    return model[order], start[order], end[order], forms3[order], magnitudes3[order]


def _pad(vertices: np.ndarray, width: int) -> np.ndarray:
    if vertices.shape[1] >= width:
        return vertices
    return np.concatenate(
        [vertices, np.zeros((len(vertices), width - vertices.shape[1], 3))], axis=1
    )


def _clip(batch: PolygonBatch, normals, model, operations) -> PolygonBatch:
    """:func:`tinymech.algzoo.exact.cones.clip` with the same arithmetic on every kept vertex, for large
    batches: no index gathers, and the padding trimmed to the longest polygon; adds each polygon's
    operations to its model's count."""
    vertices, count = batch.vertices, batch.count
    rows, width, _ = vertices.shape
    if rows == 0:
        return batch
    tolerance = PLANE_TOLERANCE
    signed = np.einsum("bmi,bi->bm", vertices, normals)
    index = np.arange(width)
    valid = index[None, :] < count[:, None]
    last = index[None, :] == count[:, None] - 1
    signed_next = np.where(last, signed[:, :1], np.roll(signed, -1, axis=1))
    inside = valid & (signed >= -tolerance)
    crossing = valid & (
        ((signed > tolerance) & (signed_next < -tolerance))
        | ((signed < -tolerance) & (signed_next > tolerance))
    )
    row, col = np.nonzero(crossing)
    following = np.where(col == count[row] - 1, 0, col + 1)
    a, b = signed[row, col], signed_next[row, col]
    points = (
        a[:, None] * vertices[row, following] - b[:, None] * vertices[row, col]
    ) * np.sign(a - b)[:, None]
    points = points / np.linalg.norm(points, axis=-1, keepdims=True)
    # kept vertices in cyclic order: each inside vertex, then the crossing on its outgoing edge
    kept = inside.astype(np.int64) + crossing
    before = np.cumsum(kept, axis=1) - kept
    new_count = kept.sum(axis=1)
    new_vertices = np.zeros((rows, max(int(new_count.max()), 1), 3))
    kept_row, kept_col = np.nonzero(inside)
    new_vertices[kept_row, before[kept_row, kept_col]] = vertices[kept_row, kept_col]
    new_vertices[row, before[row, col] + inside[row, col]] = points
    operations += np.bincount(
        model,
        weights=PLANE_TEST * count + NEW_VERTEX * crossing.sum(axis=1),
        minlength=len(operations),
    ).astype(np.int64)
    new_vertices, new_count = _close_half_circles(
        new_vertices, new_count, vertices, signed, valid, normals, tolerance
    )
    return PolygonBatch(new_vertices, np.where(new_count >= 3, new_count, 0))


def _close_half_circles(vertices, count, old_vertices, signed, valid, normals, tolerance):
    """:func:`tinymech.algzoo.exact.cones.close_half_circles` on the few polygons that need it, found
    without copying the batch (consecutive vertices compared through two views of it)."""
    rows, width, _ = vertices.shape
    if width < 2:
        return vertices, count
    threshold = -1 + 1e-9
    inner = np.einsum("bmi,bmi->bm", vertices[:, :-1], vertices[:, 1:]) < threshold
    inner &= np.arange(width - 1)[None, :] < count[:, None] - 1
    wrap = (
        np.einsum(
            "bi,bi->b", vertices[np.arange(rows), np.maximum(count - 1, 0)], vertices[:, 0]
        )
        < threshold
    )
    need = np.flatnonzero((inner.any(axis=1) | wrap) & (count >= 2))
    if len(need) == 0:
        return vertices, count
    fixed, fixed_count = close_half_circles(
        vertices[need],
        count[need],
        old_vertices[need],
        signed[need],
        valid[need],
        normals[need],
        tolerance,
    )
    vertices, count = _pad(vertices, fixed.shape[1]), count.copy()
    vertices[need], count[need] = _pad(fixed, vertices.shape[1]), fixed_count
    return vertices, count


def batched_accuracies(models) -> BatchAccuracy:
    """Exact 2nd-argmax accuracies of many M_{d,3} (one hidden size), all in the same batches.

    Each model's result is that of :func:`tinymech.algzoo.exact.cones.clipped_accuracy` (float64; the
    tests hold it to 1e-12 and the operation counts to equality), at a fraction of its time per model
    once there are a few dozen models.

    Args:
        models: a sequence of ``N >= 1`` models or weights, all with 3 logits and one hidden size.

    Returns:
        :class:`BatchAccuracy` (accuracies and operation counts ``(N,)``).

    Raises:
        InvalidInputError: for an empty sequence, or models that are not 3-input or differ in size.
    """
    started = time.perf_counter()
    W_hi, W_hh, W_oh = _stack(models)
    n, d = W_hi.shape
    operations = np.zeros(n, dtype=np.int64)
    model, start, end, forms, magnitudes = _wedges(W_hi, W_hh, operations)
    k = len(model)
    vertices = np.zeros((k, 4 + d, 3))
    vertices[:, 0, 2], vertices[:, 2, 2] = 1.0, -1.0
    vertices[:, 1, :2] = np.stack([np.cos(start), np.sin(start)], axis=1)
    vertices[:, 3, :2] = np.stack([np.cos(end), np.sin(end)], axis=1)
    polygons, owner = PolygonBatch(vertices, np.full(k, 4)), np.arange(k)
    patterns = np.zeros((k, d), dtype=bool)
    zero = _is_zero(forms, magnitudes)
    units = (
        np.where(zero[..., None], 0.0, forms)
        / np.where(zero, 1.0, np.linalg.norm(forms, axis=-1))[..., None]
    )
    for i in range(d):
        rows = model[owner]
        on = _clip(polygons, units[owner, i], rows, operations)
        off = _clip(polygons, -units[owner, i], rows, operations)
        dead = zero[owner, i]  # identically zero: the neuron stays off, no split
        off = PolygonBatch(_pad(off.vertices, polygons.vertices.shape[1]), off.count)
        on.count[dead] = 0
        off.vertices[dead, : polygons.vertices.shape[1]] = polygons.vertices[dead]
        off.count[dead] = polygons.count[dead]
        width = max(on.vertices.shape[1], off.vertices.shape[1])
        both = PolygonBatch(
            np.concatenate([_pad(on.vertices, width), _pad(off.vertices, width)]),
            np.concatenate([on.count, off.count]),
        )
        owner, patterns = np.concatenate([owner, owner]), np.concatenate([patterns, patterns])
        patterns[: len(on), i] = True
        alive = both.count >= 3
        polygons, owner, patterns = both.take(alive), owner[alive], patterns[alive]
    rows = model[owner]
    logit_maps = np.einsum("rkd,rd,rdj->rkj", W_oh[rows], patterns, forms[owner])
    logit_magnitudes = np.einsum(
        "rkd,rd,rdj->rkj", np.abs(W_oh[rows]), patterns, magnitudes[owner]
    )
    operations += SEQ_LEN * d * SEQ_LEN * np.bincount(rows, minlength=n)
    cells, area = _correct_cells(polygons, rows, logit_maps, logit_magnitudes, operations)
    accuracy = np.bincount(cells, weights=area, minlength=n) / FOUR_PI
    return BatchAccuracy(accuracy, operations, time.perf_counter() - started)


def _correct_cells(polygons, rows, logit_maps, logit_magnitudes, operations):
    n = len(operations)
    """:func:`tinymech.algzoo.exact.cones.correct_cells` on polygons of many models: ``(model, area)``."""
    r = len(polygons)
    batch = PolygonBatch(
        np.repeat(polygons.vertices, len(ORDERINGS), axis=0),
        np.repeat(polygons.count, len(ORDERINGS)),
    )
    region = np.repeat(np.arange(r), len(ORDERINGS))
    which = np.tile(np.arange(len(ORDERINGS)), r)
    ordering_normals = np.stack([normals for _, normals in ORDERINGS])
    labels = np.array([label for label, _ in ORDERINGS])[which]
    for k in range(2):
        batch = _clip(batch, ordering_normals[which, k], rows[region], operations)
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
        clipped = _clip(batch, units, rows[region], operations)
        clipped = PolygonBatch(_pad(clipped.vertices, batch.vertices.shape[1]), clipped.count)
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
    area, counted = areas_counted(batch)
    operations += np.bincount(rows[region], weights=counted, minlength=n).astype(np.int64)
    return rows[region], area


def batched_accuracy(model: RNNWeights) -> float:
    """The exact accuracy of one M_{d,3} by :func:`batched_accuracies` (a batch of one)."""
    return float(batched_accuracies([model]).accuracy[0])
