"""The phase wheel of M16,10 on clean two-impulse inputs: trajectories, the discrimination offset,
post-second-impulse masks D[t], Phi_post, and the masked-linear surrogate on Gaussian inputs.

Source: a reader's notes on ARC's official M16,10 (the phase-wheel comment {cite}`phasewheel2026` and its
public analysis notes).  Everything is measured on the "clean" set: the largest value ``M`` at position
``m``, the second ``S`` at ``s``, zeros elsewhere, all ``n (n - 1)`` ordered pairs (``M = 1.0``,
``S = 0.8`` in the notes).

Two facts used below follow from the model having no biases: zeros keep ``h = 0``, so a clean run only
depends on the positions through the gap and the number of steps left; and the network is positively
homogeneous, so scaling ``M`` and ``S`` together scales every state and leaves every activation pattern
unchanged: masks can depend on the magnitudes only through the ratio ``S / M``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import subspace_angles

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.trace import trace


# ---------------------------------------------------------------------------------------------------
# Clean inputs and trajectories
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanInputs:
    """All ordered pairs of a two-impulse set.

    Attributes:
        inputs: ``(n (n - 1), n)``; ``large`` at ``m``, ``small`` at ``s``, zeros elsewhere.
        m, s: ``(n (n - 1),)`` positions of the largest and second-largest value.
    """

    inputs: np.ndarray
    m: np.ndarray
    s: np.ndarray

    @property
    def forward(self) -> np.ndarray:
        """``(pairs,)`` True where the maximum comes first (``m < s``)."""
        return self.m < self.s


def clean_inputs(seq_len: int = 10, large: float = 1.0, small: float = 0.8) -> CleanInputs:
    """The clean two-impulse set (pairs in lexicographic order of ``(m, s)``).

    Raises:
        ValueError: unless ``large > small`` and ``seq_len >= 2``.
    """
    if not large > small or seq_len < 2:
        raise ValueError(f"need large > small and seq_len >= 2, got {large}, {small}, {seq_len}")
    pairs = [(m, s) for m in range(seq_len) for s in range(seq_len) if m != s]
    m, s = (np.array(v) for v in zip(*pairs))
    x = np.zeros((len(pairs), seq_len))
    x[np.arange(len(pairs)), m] = large
    x[np.arange(len(pairs)), s] = small
    return CleanInputs(x, m, s)


@dataclass(frozen=True)
class PCA:
    """Principal components of a point cloud ``(samples, d)``.

    Attributes:
        mean: ``(d,)``; components: ``(d, d)`` rows are unit directions by decreasing variance;
        explained_variance_ratio: ``(d,)``.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance_ratio: np.ndarray

    def project(self, points: np.ndarray) -> np.ndarray:
        """Coordinates ``(..., d)`` of ``points (..., d)`` along the components."""
        return (points - self.mean) @ self.components.T


def pca(points: np.ndarray) -> PCA:
    """PCA by SVD of the centred points ``(samples, d)``; signs fixed so each component's largest
    loading is positive (deterministic output)."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2:
        raise ValueError(f"expected points of shape (samples, d), got {points.shape}")
    mean = points.mean(axis=0)
    _, singular, vt = np.linalg.svd(points - mean, full_matrices=True)
    signs = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
    vt = vt * np.where(signs == 0, 1.0, signs)[:, None]
    variance = np.zeros(len(vt))
    variance[: len(singular)] = singular**2
    total = variance.sum()
    return PCA(mean, vt, variance / total if total > 0 else variance)


def recurrent_eigenvalues(model: ReLURNN | RNNWeights) -> np.ndarray:
    """Eigenvalues of ``W_hh`` sorted by decreasing modulus, ``(d,)`` complex.  The phase wheel's
    rotation appears as a complex pair; its period in steps is ``2 pi / |arg lambda|``."""
    eigenvalues = np.linalg.eigvals(as_weights(model).W_hh)
    return eigenvalues[np.lexsort((-eigenvalues.imag, -np.abs(eigenvalues)))]


def countdown_readout(model: ReLURNN | RNNWeights, clean: CleanInputs) -> np.ndarray:
    """How often the readout at an intermediate step counts down to the second argmax.

    For each step ``t`` the logits ``W_oh h_t`` are read out early; the notes' claim is that once both
    impulses have arrived (``t >= max(m, s)``) the prediction is ``s + (n - 1 - t)``, the position ``s``
    would have in a sequence ending now.

    Returns:
        ``(n,)``: fraction of pairs with ``t >= max(m, s)`` and ``s + n - 1 - t <= n - 1`` (always true)
        whose early prediction equals ``s + n - 1 - t``; NaN where no pair qualifies.
    """
    weights = as_weights(model)
    run = trace(weights, clean.inputs)
    n = clean.inputs.shape[1]
    early = run.hidden @ weights.W_oh.T  # (pairs, n steps, n logits)
    result = np.full(n, np.nan)
    for t in range(n):
        ready = np.maximum(clean.m, clean.s) <= t
        if ready.any():
            predicted = early[ready, t].argmax(-1)
            result[t] = float(np.mean(predicted == clean.s[ready] + (n - 1 - t)))
    return result


# ---------------------------------------------------------------------------------------------------
# Discrimination offset
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffsetAnalysis:
    """The discrimination offset and its separable fit.

    Attributes:
        final_forward: ``(n, n, d)``; ``[m, s]`` is the final state with ``M`` at ``m`` and ``S`` at ``s``
            (the diagonal is NaN).
        offset: ``(n, n, d)``; ``offset[m, s] = h(M at m, S at s) - h(S at m, M at s)``.
        f, g: ``(n, d)`` the least-squares separable fit ``offset[m, s] ~ f(m) + g(s)`` (gauge
            ``f(0) = 0``; ``g = -f`` up to the gauge is forced by the antisymmetry).
        separable_r_squared: R^2 of that fit over the ``n (n - 1)`` pairs and all neurons.
    """

    final_forward: np.ndarray
    offset: np.ndarray
    f: np.ndarray
    g: np.ndarray
    separable_r_squared: float


def final_states(model: ReLURNN | RNNWeights, seq_len: int, large: float, small: float) -> np.ndarray:
    """``(n, n, d)`` final hidden states of the clean set, ``[m, s]`` = large at ``m``, small at ``s``."""
    weights = as_weights(model)
    clean = clean_inputs(seq_len, large, small)
    states = np.full((seq_len, seq_len, weights.hidden_size), np.nan)
    states[clean.m, clean.s] = trace(weights, clean.inputs).hidden[:, -1]
    return states


def discrimination_offset(model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8) -> OffsetAnalysis:
    """Offset between forward and reverse final states and its separable fit (see :class:`OffsetAnalysis`)."""
    weights = as_weights(model)
    n = weights.output_size
    states = final_states(weights, n, large, small)
    offset = states - states.transpose(1, 0, 2)  # h(M at m, S at s) - h(M at s, S at m)
    m, s = np.nonzero(~np.eye(n, dtype=bool))
    # columns: f(1..n-1) (gauge f(0) = 0), then g(0..n-1)
    design = np.zeros((len(m), (n - 1) + n))
    rows = np.arange(len(m))
    design[rows[m > 0], m[m > 0] - 1] = 1.0
    design[rows, n - 1 + s] = 1.0
    target = offset[m, s]
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    f = np.vstack([np.zeros(weights.hidden_size), coefficients[: n - 1]])
    g = coefficients[n - 1:]
    residual = target - design @ coefficients
    total = np.sum((target - target.mean(axis=0)) ** 2)
    r2 = float(1.0 - np.sum(residual**2) / total) if total > 0 else 1.0
    return OffsetAnalysis(states, offset, f, g, r2)


def effective_rank(matrix: np.ndarray) -> float:
    """Participation ratio ``(sum s_i^2)^2 / sum s_i^4`` of the singular values of the centred rows of
    ``matrix (samples, d)``: 1 for a rank-one cloud, k for k equal directions."""
    centred = matrix - matrix.mean(axis=0)
    power = np.linalg.svd(centred, compute_uv=False) ** 2
    return float(power.sum() ** 2 / np.sum(power**2)) if power.sum() > 0 else 0.0


@dataclass(frozen=True)
class SpiralAlignment:
    """How the offset spiral ``f`` sits relative to the main spiral (the final states of the clean set).

    Attributes:
        cosines: ``(2, 4)`` absolute cosines of f's PC1, PC2 with the main PC1..PC4.
        subspace_cosines: ``(2,)`` cosines of the principal angles between the planes of f's PC1-2 and
            the main PC1-2 (1, 1: the same plane, whatever the order of the components).
        position_correlation: correlation of ``f(p)`` with the mean final state over pairs with ``s = p``,
            over positions 1..n-1 and neurons (the notes' "position-by-position correlation").
        offset_norm, main_norm: mean Euclidean norm of ``offset[m, s]`` and of the final states.
        main_pca, f_pca: the two PCAs.
    """

    cosines: np.ndarray
    subspace_cosines: np.ndarray
    position_correlation: float
    offset_norm: float
    main_norm: float
    main_pca: PCA
    f_pca: PCA


def spiral_alignment(analysis: OffsetAnalysis) -> SpiralAlignment:
    """Compare the offset spiral with the main spiral (definitions in :class:`SpiralAlignment`)."""
    n = analysis.offset.shape[0]
    off_diagonal = ~np.eye(n, dtype=bool)
    forward_states = analysis.final_forward[off_diagonal]  # (n (n-1), d); includes both orders
    main = pca(forward_states)
    f_pca = pca(analysis.f)
    cosines = np.abs(f_pca.components[:2] @ main.components[:4].T)
    subspace_cosines = np.cos(subspace_angles(f_pca.components[:2].T, main.components[:2].T))[::-1]
    s_index = np.nonzero(off_diagonal)[1]
    by_s = np.stack([forward_states[s_index == p].mean(axis=0) for p in range(n)])
    correlation = float(np.corrcoef(by_s[1:].ravel(), analysis.f[1:].ravel())[0, 1])
    offset_norm = float(np.linalg.norm(analysis.offset[off_diagonal], axis=1).mean())
    main_norm = float(np.linalg.norm(forward_states, axis=1).mean())
    return SpiralAlignment(cosines, np.sort(subspace_cosines)[::-1], correlation, offset_norm, main_norm, main, f_pca)


# ---------------------------------------------------------------------------------------------------
# Masks D[t] and Phi_post
# ---------------------------------------------------------------------------------------------------


def post_impulse_masks(model: ReLURNN | RNNWeights, gap: int, forward: bool, *, large: float = 1.0,
                       small: float = 0.8) -> np.ndarray:
    """Activation patterns from the second impulse to the end, first impulse at position 0.

    Returns:
        ``(n - gap, d)`` booleans: ``D[j]`` is the pattern ``j`` steps after the second impulse (``j = 0``
        is the step that reads it).  By the zero-input argument in the module docstring, a first impulse
        at ``p > 0`` gives the first ``n - gap - p`` of these rows exactly.

    Raises:
        ValueError: unless ``1 <= gap <= n - 1``.
    """
    weights = as_weights(model)
    n = weights.output_size
    if not 1 <= gap <= n - 1:
        raise ValueError(f"gap must be in 1..{n - 1}, got {gap}")
    x = np.zeros((1, n))
    x[0, 0], x[0, gap] = (large, small) if forward else (small, large)
    return trace(weights, x).activation_pattern[0, gap:]


def phi_post(weights: RNNWeights, masks: np.ndarray) -> np.ndarray:
    """``Phi_post = diag(D[k]) W_hh ... diag(D[1]) W_hh`` for masks ``(k + 1, d)`` (``D[0]`` unused).

    Maps the state right after the second impulse to the state ``k`` steps later when the masks hold;
    the identity for ``k = 0``.  Returns ``(d, d)``.
    """
    d = weights.hidden_size
    product = np.eye(d)
    for mask in masks[1:]:
        product = (mask[:, None] * weights.W_hh) @ product
    return product


def second_impulse_input(weights: RNNWeights, gap: int) -> np.ndarray:
    """``w_first[gap] = W_hh u``, ``u`` the state ``gap - 1`` steps after a unit first impulse: the
    pre-activation at the second impulse is ``first_val * w_first[gap] + second_val * W_hi`` for every
    positive ``first_val``.  Returns ``(d,)``."""
    x = np.zeros((1, gap))
    x[0, 0] = 1.0
    return weights.W_hh @ trace(weights, x).hidden[0, -1]


@dataclass(frozen=True)
class PhiPostSpectra:
    """Per gap (1..n-2) and direction, for the first impulse at position 0.

    Attributes:
        gaps: ``(n - 2,)``.
        spectral_radius: ``(2, n - 2)`` of ``Phi_post`` over the ``n - 1 - gap`` steps after the
            second impulse; row 0 forward (``M`` first), row 1 reverse.
        top_share: ``(2, n - 2, 3)`` share of ``||W_oh Phi_post||_F^2`` in the top 1, 2, 3 singular values.
    """

    gaps: np.ndarray
    spectral_radius: np.ndarray
    top_share: np.ndarray


def phi_post_spectra(model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8) -> PhiPostSpectra:
    """Spectral radius and readout singular-value shares of ``Phi_post`` by gap and direction."""
    weights = as_weights(model)
    n = weights.output_size
    gaps = np.arange(1, n - 1)
    radius = np.zeros((2, len(gaps)))
    share = np.zeros((2, len(gaps), 3))
    for row, forward in enumerate((True, False)):
        for col, gap in enumerate(gaps):
            operator = phi_post(weights, post_impulse_masks(weights, int(gap), forward, large=large, small=small))
            radius[row, col] = np.abs(np.linalg.eigvals(operator)).max()
            power = np.linalg.svd(weights.W_oh @ operator, compute_uv=False) ** 2
            share[row, col] = np.cumsum(power)[:3] / power.sum()
    return PhiPostSpectra(gaps, radius, share)


@dataclass(frozen=True)
class MaskStability:
    """Do the post-second-impulse masks depend only on (gap, direction)?

    Attributes:
        ratios: ``(r,)`` values of ``S / M`` tested (by homogeneity only the ratio matters).
        identical: ``(2, n - 1, r)`` True where the whole mask sequence equals the one at the reference ratio.
        entry_agreement: ``(2, n - 1, r)`` fraction of (step, neuron) entries that agree.
    """

    ratios: np.ndarray
    identical: np.ndarray
    entry_agreement: np.ndarray


def mask_stability(model: ReLURNN | RNNWeights, ratios, *, reference_ratio: float = 0.8) -> MaskStability:
    """Compare the masks at each ``S / M`` in ``ratios`` with those at ``reference_ratio`` (``M = 1``).

    Raises:
        ValueError: if a ratio is not in ``(0, 1)``.
    """
    weights = as_weights(model)
    ratios = np.asarray(ratios, dtype=np.float64)
    if np.any((ratios <= 0) | (ratios >= 1)):
        raise ValueError(f"ratios S / M must lie in (0, 1), got {ratios}")
    n = weights.output_size
    identical = np.zeros((2, n - 1, len(ratios)), dtype=bool)
    agreement = np.zeros((2, n - 1, len(ratios)))
    for row, forward in enumerate((True, False)):
        for gap in range(1, n):
            reference = post_impulse_masks(weights, gap, forward, small=reference_ratio)
            for k, ratio in enumerate(ratios):
                masks = post_impulse_masks(weights, gap, forward, small=float(ratio))
                identical[row, gap - 1, k] = np.array_equal(masks, reference)
                agreement[row, gap - 1, k] = np.mean(masks == reference)
    return MaskStability(ratios, identical, agreement)


# ---------------------------------------------------------------------------------------------------
# Masked-linear surrogate on Gaussian inputs
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaskedLinearSurrogate:
    """The notes' surrogate: only the two largest inputs, masks frozen at the clean reference.

    ``pre = first_val * w_first[gap] + second_val * W_hi``; ``h_second = D[0] * ReLU(pre)``;
    ``h_final = Phi_post[(gap, dir)][steps after] @ h_second``; prediction ``argmax W_oh h_final``.

    Attributes:
        w_first: ``(n, d)`` (row ``gap``; row 0 unused).
        masks: dict ``(gap, forward) -> (n - gap, d)`` reference masks.
        weights: the model's weights.
    """

    w_first: np.ndarray
    masks: dict
    weights: RNNWeights

    def final_state(self, x: np.ndarray) -> np.ndarray:
        """Surrogate final states ``(batch, d)`` for inputs ``(batch, n)``."""
        x = np.asarray(x, dtype=np.float64)
        n = self.weights.output_size
        if x.ndim != 2 or x.shape[1] != n:
            raise ValueError(f"expected inputs of shape (batch, {n}), got {x.shape}")
        order = np.argsort(x, axis=1)
        m, s = order[:, -1], order[:, -2]
        rows = np.arange(len(x))
        first, second = np.minimum(m, s), np.maximum(m, s)
        first_val, second_val = x[rows, first], x[rows, second]
        gap = second - first
        forward = m < s
        out = np.zeros((len(x), self.weights.hidden_size))
        for g in range(1, n):
            for direction in (True, False):
                masks = self.masks[(g, direction)]
                chosen = (gap == g) & (forward == direction)
                if not chosen.any():
                    continue
                pre = first_val[chosen, None] * self.w_first[g] + second_val[chosen, None] * self.weights.W_hi
                h = masks[0] * np.maximum(pre, 0.0)
                steps_after = n - 1 - second[chosen]
                for k in np.unique(steps_after):
                    pick = steps_after == k
                    operator = phi_post(self.weights, masks[: k + 1])
                    out[np.nonzero(chosen)[0][pick]] = h[pick] @ operator.T
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted positions ``(batch,)``."""
        return (self.final_state(x) @ self.weights.W_oh.T).argmax(-1)


def masked_linear_surrogate(model: ReLURNN | RNNWeights, *, large: float = 1.0,
                            small: float = 0.8) -> MaskedLinearSurrogate:
    """Build the surrogate with masks from the clean set at ``(large, small)``, first impulse at 0."""
    weights = as_weights(model)
    n = weights.output_size
    w_first = np.zeros((n, weights.hidden_size))
    masks = {}
    for gap in range(1, n):
        w_first[gap] = second_impulse_input(weights, gap)
        for forward in (True, False):
            masks[(gap, forward)] = post_impulse_masks(weights, gap, forward, large=large, small=small)
    return MaskedLinearSurrogate(w_first, masks, weights)
