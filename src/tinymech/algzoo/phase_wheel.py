"""The phase wheel of M16,10 on clean two-impulse inputs: trajectories, the discrimination offset,
post-second-impulse masks D[t], Phi_post, comparator clipping, and the masked-linear surrogate on
Gaussian inputs; :func:`phase_wheel_summary` collects every statistic the chapter tests, so that the
trained model, random networks and structural baselines are measured by the same code.

Source: a reader's notes on ARC's official M16,10 (the phase-wheel comment {cite}`phasewheel2026` and its
public analysis notes {cite}`mrsirrisrm2026notes`), and a reader's comment on ARC's post
{cite}`arc2026algzoo` (comparator clipping patterns).  Everything is measured on the "clean" set: the
largest value ``M`` at position ``m``, the second ``S`` at ``s``, zeros elsewhere, all ``n (n - 1)``
ordered pairs (``M = 1.0``, ``S = 0.8`` in the notes).

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
from tinymech.algzoo.evaluation import predictions, readout_scale
from tinymech.algzoo.linear_pieces import state_transition
from tinymech.algzoo.trace import trace
from tinymech.errors import InvalidInputError
from tinymech.stats import r_squared


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
        InvalidInputError: unless ``large > small`` and ``seq_len >= 2``.
    """
    if not large > small or seq_len < 2:
        raise InvalidInputError(
            f"need large > small and seq_len >= 2, got {large}, {small}, {seq_len}"
        )
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
        raise InvalidInputError(f"expected points of shape (samples, d), got {points.shape}")
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


def complex_pairs(eigenvalues) -> np.ndarray:
    """One member (positive imaginary part) of each complex-conjugate pair, by decreasing modulus.

    An eigenvalue counts as complex when ``|Im lambda| > 1e-9 max(1, max |lambda|)`` (real eigenvalues
    of a real matrix come out of LAPACK with an imaginary part of exactly 0 or at rounding level).

    Returns:
        ``(pairs,)`` complex, possibly empty.
    """
    eigenvalues = np.asarray(eigenvalues, dtype=np.complex128).reshape(-1)
    scale = max(1.0, float(np.abs(eigenvalues).max())) if eigenvalues.size else 1.0
    upper = eigenvalues[eigenvalues.imag > 1e-9 * scale]
    return upper[np.argsort(-np.abs(upper), kind="stable")]


def rotation_period(eigenvalue: complex) -> float:
    """Period in steps of the rotation of a complex eigenvalue, ``2 pi / |arg lambda|`` (inf if real).

    Raises:
        InvalidInputError: for a zero eigenvalue (no rotation is defined).
    """
    eigenvalue = complex(eigenvalue)
    if eigenvalue == 0:
        raise InvalidInputError("a zero eigenvalue has no rotation period")
    angle = abs(np.angle(eigenvalue))
    return float(2 * np.pi / angle) if angle > 0 else float("inf")


def nearest_complex_pair(
    model: ReLURNN | RNNWeights, *, modulus: float, period: float
) -> complex | None:
    """The complex eigenvalue of ``W_hh`` nearest a reference pair, or None if ``W_hh`` has none.

    Distance: ``|log(|lambda| / modulus)| + |log(period(lambda) / period)|``, relative errors in the
    modulus and in the period weighted alike (the reader's notes give the official model's primary
    oscillator as ``0.43 +- 1.03j``, ``|lambda| = 1.115``, period 5.4 steps {cite}`mrsirrisrm2026notes`).

    Raises:
        InvalidInputError: unless ``modulus > 0`` and ``period > 2`` (a period of 2 steps or less is
            not a rotation of a real matrix's complex pair).
    """
    if not (modulus > 0 and period > 2):
        raise InvalidInputError(
            f"need modulus > 0 and period > 2 steps, got {modulus!r} and {period!r}"
        )
    pairs = complex_pairs(recurrent_eigenvalues(model))
    if len(pairs) == 0:
        return None
    periods = 2 * np.pi / np.abs(np.angle(pairs))
    distance = np.abs(np.log(np.abs(pairs) / modulus)) + np.abs(np.log(periods / period))
    return complex(pairs[int(np.argmin(distance))])


def impulse_response(model: ReLURNN | RNNWeights, *, value: float = 1.0) -> np.ndarray:
    """Hidden states ``(n, d)`` after a single impulse ``value`` at position 0 and zeros after it."""
    weights = as_weights(model)
    x = np.zeros((1, weights.output_size))
    x[0, 0] = value
    return trace(weights, x).hidden[0]


def turning_angle(points) -> float:
    """Net angle in degrees through which a planar trajectory turns around its own centre.

    The points ``(steps, 2)`` are centred on their mean; each step's change of polar angle is taken in
    ``(-180, 180]`` degrees, and the changes are summed with their signs, so a trajectory that swings
    back and forth scores near 0 and one that circles the centre k times scores ``360 k``.  A rotating
    phase with period ``P`` steps turns about ``360 / P`` degrees per step.

    Raises:
        InvalidInputError: unless ``points`` has shape ``(steps, 2)`` with ``steps >= 2``, or a point
            sits exactly at the centre (its angle is undefined).
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] < 2:
        raise InvalidInputError(f"expected points of shape (steps >= 2, 2), got {points.shape}")
    centred = points - points.mean(axis=0)
    radius = np.linalg.norm(centred, axis=1)
    if np.any(radius <= 1e-12 * max(1.0, float(radius.max()))):
        raise InvalidInputError(
            "a point lies at the trajectory's centre: its angle is undefined"
        )
    angles = np.arctan2(centred[:, 1], centred[:, 0])
    steps = np.angle(np.exp(1j * np.diff(angles)))  # wrapped to (-pi, pi]
    return float(np.degrees(steps.sum()))


def countdown_readout(model: ReLURNN | RNNWeights, clean: CleanInputs) -> np.ndarray:
    """How often the readout at an intermediate step counts down to the second argmax.

    For each step ``t`` the logits ``W_oh h_t`` are read out early; the reader's claim is that once both
    impulses have arrived (``t >= max(m, s)``) the prediction is ``s + (n - 1 - t)``, the position ``s``
    would have in a sequence ending now {cite}`mrsirrisrm2026notes`.

    Caution: leading zeros keep ``h = 0`` in a bias-free RNN, so ``h_t`` of a clean pair equals the final
    state of the same pair shifted ``n - 1 - t`` positions later, and the countdown at step ``t`` is just
    the model's accuracy on those shifted pairs: any model that is right on the clean set passes,
    whether or not its state rotates (tested).

    Returns:
        ``(n,)``: fraction of pairs with ``t >= max(m, s)`` whose early prediction (tie rule of
        :func:`tinymech.algzoo.evaluation.predictions`) equals ``s + n - 1 - t``; NaN where no pair qualifies.
    """
    weights = as_weights(model)
    run = trace(weights, clean.inputs)
    n = clean.inputs.shape[1]
    result = np.full(n, np.nan)
    for t in range(n):
        ready = np.maximum(clean.m, clean.s) <= t
        if ready.any():
            early = run.hidden[ready, t]
            predicted = predictions(
                early @ weights.W_oh.T, scale=readout_scale(early, weights.W_oh)
            )
            result[t] = float(np.mean(predicted == clean.s[ready] + (n - 1 - t)))
    return result


def clean_accuracy(model: ReLURNN | RNNWeights, clean: CleanInputs) -> float:
    """Fraction of the clean pairs whose prediction is ``s`` (tie rule of
    :func:`tinymech.algzoo.evaluation.predictions`)."""
    return float(np.mean(trace(as_weights(model), clean.inputs).predictions == clean.s))


#: Singular values of a point cloud within this fraction of the largest count as equal
#: (:func:`degenerate_extent`): far above rounding and the perturbation run (float32 weights one unit in
#: the last place move them by about 1e-7), far below the gaps of a trained model (1e-2 and more).
SINGULAR_VALUE_TOLERANCE = 1e-4


def degenerate_extent(singular_values, components: int) -> int:
    """The number of leading components that a basis-free statistic must use in place of ``components``.

    The first ``components`` principal components span a well-defined subspace only if the
    ``components``-th singular value is larger than the next; if they are equal (within
    :data:`SINGULAR_VALUE_TOLERANCE` of the largest), the components are any basis of a degenerate
    subspace and any change in the last bit of the SVD rotates them.  Then the whole degenerate subspace
    is taken: the count is raised until the next singular value is strictly smaller.

    Args:
        singular_values: decreasing, ``(k,)``.
        components: the number asked for, ``1 <= components <= k``.
    """
    values = np.asarray(singular_values, dtype=np.float64)
    tolerance = SINGULAR_VALUE_TOLERANCE * (values[0] if len(values) else 0.0)
    count = components
    while count < len(values) and values[count - 1] - values[count] <= tolerance:
        count += 1
    return count


@dataclass(frozen=True)
class PlaneReadout:
    """:func:`plane_readout` of one network.

    Attributes:
        accuracy: fraction of clean pairs right from the projection.
        components: the leading components actually used: the number asked for, or more where the last
            asked for is one of several equal ones (:func:`degenerate_extent`).
    """

    accuracy: float
    components: int


def plane_readout(
    model: ReLURNN | RNNWeights, clean: CleanInputs, *, components: int = 2
) -> PlaneReadout:
    """Accuracy on the clean set when the readout sees only the main spiral's leading plane.

    The final states of the clean set are projected onto their mean plus their first ``components``
    principal components, and ``W_oh`` reads the projection.  If position is a phase in a plane (the
    phase-wheel comment: "The W_out projection converts phase angle to position logits"
    {cite}`phasewheel2026`), two components keep the accuracy; a code spread over many dimensions (a
    delay line, as in the handcrafted model) loses it.  The statistic is basis-free: where the
    ``components``-th singular value is repeated, the projection is onto the whole degenerate subspace
    (:func:`degenerate_extent`), so it is a continuous function of the weights.

    Raises:
        InvalidInputError: unless ``1 <= components <= d``.
    """
    weights = as_weights(model)
    if not 1 <= components <= weights.hidden_size:
        raise InvalidInputError(
            f"components must be in 1..{weights.hidden_size}, got {components}"
        )
    final = trace(weights, clean.inputs).hidden[:, -1]
    main = pca(final)
    singular = np.sqrt(np.maximum(main.explained_variance_ratio, 0.0))
    used = degenerate_extent(singular, components)
    basis = main.components[:used]
    projected = main.mean + (final - main.mean) @ basis.T @ basis
    right = (
        predictions(projected @ weights.W_oh.T, scale=readout_scale(projected, weights.W_oh))
        == clean.s
    )
    return PlaneReadout(float(np.mean(right)), used)


def plane_readout_accuracy(
    model: ReLURNN | RNNWeights, clean: CleanInputs, *, components: int = 2
) -> float:
    """:attr:`PlaneReadout.accuracy` of :func:`plane_readout`.

    Raises:
        InvalidInputError: unless ``1 <= components <= d``.
    """
    return plane_readout(model, clean, components=components).accuracy


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


def final_states(
    model: ReLURNN | RNNWeights, seq_len: int, large: float, small: float
) -> np.ndarray:
    """``(n, n, d)`` final hidden states of the clean set, ``[m, s]`` = large at ``m``, small at ``s``."""
    weights = as_weights(model)
    clean = clean_inputs(seq_len, large, small)
    states = np.full((seq_len, seq_len, weights.hidden_size), np.nan)
    states[clean.m, clean.s] = trace(weights, clean.inputs).hidden[:, -1]
    return states


def discrimination_offset(
    model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8
) -> OffsetAnalysis:
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
    g = coefficients[n - 1 :]
    return OffsetAnalysis(states, offset, f, g, r_squared(target, design @ coefficients))


@dataclass(frozen=True)
class OffsetRemoval:
    """The clean set read out with the offset's leading directions projected out of the final states.

    Attributes:
        components: how many principal components of ``f`` were removed.
        accuracy: fraction of clean pairs predicted ``s`` after the projection.
        pair_share: fraction of clean pairs predicted ``m`` or ``s`` after it (one of the two inputs'
            positions, whichever).
        accuracy_before, pair_share_before: the same without the projection.
    """

    components: int
    accuracy: float
    pair_share: float
    accuracy_before: float
    pair_share_before: float


def remove_offset(
    model: ReLURNN | RNNWeights, analysis: OffsetAnalysis, *, components: int = 2
) -> OffsetRemoval:
    """Project the offset's leading ``components`` principal directions (PCA of ``f``) out of the clean
    final states and read them out with ``W_oh``.

    The phase-wheel comment: "The main spiral does the bulk of the position encoding, and the offset
    provides a correction to shift the readout between M and S" {cite}`phasewheel2026`.  If so, the
    projection keeps the prediction on one of the two positions (``pair_share``) and loses the choice
    between them (``accuracy`` falls towards half of ``pair_share``).

    Raises:
        InvalidInputError: unless ``0 <= components <= d``.
    """
    weights = as_weights(model)
    n, d = analysis.offset.shape[0], weights.hidden_size
    if not 0 <= components <= d:
        raise InvalidInputError(f"components must be in 0..{d}, got {components}")
    m, s = np.nonzero(~np.eye(n, dtype=bool))
    final = analysis.final_forward[m, s]
    basis = pca(analysis.f).components[:components] if components else np.zeros((0, d))
    projected = final - final @ basis.T @ basis

    def scores(states: np.ndarray) -> tuple[float, float]:
        predicted = predictions(states @ weights.W_oh.T)
        return float(np.mean(predicted == s)), float(
            np.mean((predicted == s) | (predicted == m))
        )

    (accuracy, pair), (before, pair_before) = scores(projected), scores(final)
    return OffsetRemoval(components, accuracy, pair, before, pair_before)


def offset_logit_contrast(model: ReLURNN | RNNWeights, analysis: OffsetAnalysis) -> float:
    """Fraction of ordered pairs where the offset, read through ``W_oh``, favours ``s`` over ``m``.

    The phase-wheel comment: "For a forward case, the offset suppresses the early position (M) and
    boosts the late position (S). For the reverse case, the offset sign flips" {cite}`phasewheel2026`.
    With ``c = W_oh offset(m, s)`` the test is ``c[s] > c[m]``.  Two cautions (both tested): the
    reverse half is the forward half again, because ``offset(s, m) = -offset(m, s)``; and the contrast is
    ``(l_fwd[s] - l_fwd[m]) + (l_rev[m] - l_rev[s])`` for the logits of the two runs, positive whenever
    the model is right on both, so any model right on the clean set passes.

    Returns:
        a fraction of the ``n (n - 1)`` ordered pairs.
    """
    weights = as_weights(model)
    n = analysis.offset.shape[0]
    m, s = np.nonzero(~np.eye(n, dtype=bool))
    contrast = analysis.offset[m, s] @ weights.W_oh.T  # (pairs, n)
    rows = np.arange(len(m))
    return float(np.mean(contrast[rows, s] > contrast[rows, m]))


def forward_reverse_plane_cosines(analysis: OffsetAnalysis) -> np.ndarray:
    """Cosines of the principal angles between the leading planes of the forward and reverse spirals.

    Forward: the final states with the maximum first (``m < s``); reverse: with the second-largest
    first.  Each set's first two principal components span a plane; ``(1, 1)`` means the same plane
    (the phase-wheel comment: "The main spiral shape does not differ between forward (M first) and
    reverse (S first) cases" {cite}`phasewheel2026`).

    Returns:
        ``(2,)`` cosines, largest first.
    """
    n = analysis.final_forward.shape[0]
    m, s = np.nonzero(~np.eye(n, dtype=bool))
    states = analysis.final_forward[m, s]
    forward_plane = pca(states[m < s]).components[:2]
    reverse_plane = pca(states[m > s]).components[:2]
    return np.sort(np.cos(subspace_angles(forward_plane.T, reverse_plane.T)))[::-1]


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
        position_correlation: correlation, over positions ``p`` and neurons, of ``f(p)`` with the mean
            final state over pairs with ``s = p``, both centred over positions (the phase-wheel comment's
            "position-by-position correlation").  Centring removes the arbitrary constant of the
            separable fit (``f -> f + c``, ``g -> g - c`` fits equally well), which a correlation with
            the gauge ``f(0) = 0`` depends on.
        position_correlation_gauge_f0: the same without centring, positions 1..n-1, in the gauge
            ``f(0) = 0`` (changes if the constant is moved).
        offset_norm, main_norm: mean Euclidean norm of ``offset[m, s]`` and of the final states.
        main_pca, f_pca: the two PCAs.
    """

    cosines: np.ndarray
    subspace_cosines: np.ndarray
    position_correlation: float
    position_correlation_gauge_f0: float
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
    subspace_cosines = np.cos(subspace_angles(f_pca.components[:2].T, main.components[:2].T))[
        ::-1
    ]
    s_index = np.nonzero(off_diagonal)[1]
    by_s = np.stack([forward_states[s_index == p].mean(axis=0) for p in range(n)])
    centred = np.corrcoef(
        (by_s - by_s.mean(axis=0)).ravel(), (analysis.f - analysis.f.mean(axis=0)).ravel()
    )[0, 1]
    gauge_f0 = np.corrcoef(by_s[1:].ravel(), analysis.f[1:].ravel())[0, 1]
    offset_norm = float(np.linalg.norm(analysis.offset[off_diagonal], axis=1).mean())
    main_norm = float(np.linalg.norm(forward_states, axis=1).mean())
    return SpiralAlignment(
        cosines,
        np.sort(subspace_cosines)[::-1],
        float(centred),
        float(gauge_f0),
        offset_norm,
        main_norm,
        main,
        f_pca,
    )


# ---------------------------------------------------------------------------------------------------
# Masks D[t] and Phi_post
# ---------------------------------------------------------------------------------------------------


def post_impulse_masks(
    model: ReLURNN | RNNWeights,
    gap: int,
    forward: bool,
    *,
    large: float = 1.0,
    small: float = 0.8,
) -> np.ndarray:
    """Activation patterns from the second impulse to the end, first impulse at position 0.

    Returns:
        ``(n - gap, d)`` booleans: ``D[j]`` is the pattern ``j`` steps after the second impulse (``j = 0``
        is the step that reads it).  By the zero-input argument in the module docstring, a first impulse
        at ``p > 0`` gives the first ``n - gap - p`` of these rows exactly.

    Raises:
        InvalidInputError: unless ``1 <= gap <= n - 1``.
    """
    weights = as_weights(model)
    n = weights.output_size
    if not 1 <= gap <= n - 1:
        raise InvalidInputError(f"gap must be in 1..{n - 1}, got {gap}")
    x = np.zeros((1, n))
    x[0, 0], x[0, gap] = (large, small) if forward else (small, large)
    return trace(weights, x).activation_pattern[0, gap:]


def phi_post(weights: RNNWeights, masks: np.ndarray) -> np.ndarray:
    """``Phi_post = diag(D[k]) W_hh ... diag(D[1]) W_hh`` for masks ``(k + 1, d)`` (``D[0]`` unused).

    Maps the state right after the second impulse to the state ``k`` steps later when the masks hold;
    the identity for ``k = 0``: :func:`tinymech.algzoo.linear_pieces.state_transition` of ``masks[1:]``.
    Returns ``(d, d)``.
    """
    return state_transition(weights, masks[1:])


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
        spectral_gap: ``(2, n - 2)`` relative gap ``1 - |lambda_2| / |lambda_1|`` between the two
            largest eigenvalue moduli of ``Phi_post`` (0 when they are equal, e.g. a complex pair, or
            when ``Phi_post`` is zero).
        top_share: ``(2, n - 2, 3)`` share of ``||W_oh Phi_post||_F^2`` in the top 1, 2, 3 singular values.
    """

    gaps: np.ndarray
    spectral_radius: np.ndarray
    spectral_gap: np.ndarray
    top_share: np.ndarray


def phi_post_spectra(
    model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8
) -> PhiPostSpectra:
    """Spectral radius, spectral gap and readout singular-value shares of ``Phi_post`` by gap and
    direction (see :class:`PhiPostSpectra`; the phase-wheel comment reports them for the official
    model {cite}`phasewheel2026`).  A zero ``W_oh Phi_post`` has shares of 0."""
    weights = as_weights(model)
    n = weights.output_size
    gaps = np.arange(1, n - 1)
    radius = np.zeros((2, len(gaps)))
    gap_ratio = np.zeros((2, len(gaps)))
    share = np.zeros((2, len(gaps), 3))
    for row, forward in enumerate((True, False)):
        for col, gap in enumerate(gaps):
            operator = phi_post(
                weights,
                post_impulse_masks(weights, int(gap), forward, large=large, small=small),
            )
            moduli = np.sort(np.abs(np.linalg.eigvals(operator)))[::-1]
            radius[row, col] = moduli[0]
            gap_ratio[row, col] = (
                1.0 - moduli[1] / moduli[0] if moduli[0] > 0 and len(moduli) > 1 else 0.0
            )
            power = np.linalg.svd(weights.W_oh @ operator, compute_uv=False) ** 2
            share[row, col] = np.cumsum(power)[:3] / power.sum() if power.sum() > 0 else 0.0
    return PhiPostSpectra(gaps, radius, gap_ratio, share)


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

    @property
    def crossing_fraction(self) -> float:
        """Fraction of (order, gap, ratio, step, neuron) mask entries that differ from the reference: how
        often a ReLU boundary is crossed as ``S / M`` varies (every gap weighted alike)."""
        return float(1.0 - self.entry_agreement.mean())


def mask_stability(
    model: ReLURNN | RNNWeights, ratios, *, reference_ratio: float = 0.8
) -> MaskStability:
    """Compare the masks at each ``S / M`` in ``ratios`` with those at ``reference_ratio`` (``M = 1``).

    Raises:
        InvalidInputError: if a ratio is not in ``(0, 1)``.
    """
    weights = as_weights(model)
    ratios = np.asarray(ratios, dtype=np.float64)
    if np.any((ratios <= 0) | (ratios >= 1)):
        raise InvalidInputError(f"ratios S / M must lie in (0, 1), got {ratios}")
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


@dataclass(frozen=True)
class ComparatorClipping:
    """Clipping patterns of the comparator neurons at the second impulse of a clean pair.

    A reader's comment on ARC's post: "when max input comes first, there is a unique clipping pattern
    for each gap between max and 2nd val. When 2nd val comes first, all comparators clip due to max
    val" {cite}`arc2026algzoo`.  The reader's list of comparator neurons belongs to the official weights;
    here a comparator is any neuron with a negative input weight (the input is compared against what
    the recurrent weights bring in, as ARC's ``running max - x`` neurons do).

    Attributes:
        comparators: ``(c,)`` indices of the neurons with ``W_hi < 0``.
        forward_patterns: ``(n - 1, c)`` booleans, comparator active at the step that reads ``S``
            (maximum first at position 0, ``S`` at position ``gap``), one row per gap.
        reverse_clipped: ``(n - 1, c)`` booleans, comparator clipped (inactive) at the step that reads
            ``M`` when ``S`` came first.
    """

    comparators: np.ndarray
    forward_patterns: np.ndarray
    reverse_clipped: np.ndarray

    @property
    def distinct_forward_fraction(self) -> float:
        """Distinct forward patterns divided by the number of gaps (1: a unique pattern per gap)."""
        if self.forward_patterns.shape[1] == 0:
            return 1.0 / len(self.forward_patterns)
        return len({row.tobytes() for row in self.forward_patterns}) / len(
            self.forward_patterns
        )

    @property
    def reverse_clipped_fraction(self) -> float:
        """Fraction of (gap, comparator) entries clipped at the ``M`` step (1: all clip); 0 without comparators."""
        return float(self.reverse_clipped.mean()) if self.reverse_clipped.size else 0.0


def comparator_clipping(
    model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8
) -> ComparatorClipping:
    """Comparator clipping patterns on the clean set (see :class:`ComparatorClipping`)."""
    weights = as_weights(model)
    comparators = np.flatnonzero(weights.W_hi < 0)
    n = weights.output_size
    forward = np.stack(
        [
            post_impulse_masks(weights, gap, True, large=large, small=small)[0]
            for gap in range(1, n)
        ]
    )[:, comparators]
    reverse = np.stack(
        [
            post_impulse_masks(weights, gap, False, large=large, small=small)[0]
            for gap in range(1, n)
        ]
    )[:, comparators]
    return ComparatorClipping(comparators, forward, ~reverse)


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
            raise InvalidInputError(f"expected inputs of shape (batch, {n}), got {x.shape}")
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
                pre = (
                    first_val[chosen, None] * self.w_first[g]
                    + second_val[chosen, None] * self.weights.W_hi
                )
                h = masks[0] * np.maximum(pre, 0.0)
                steps_after = n - 1 - second[chosen]
                for k in np.unique(steps_after):
                    pick = steps_after == k
                    operator = phi_post(self.weights, masks[: k + 1])
                    out[np.nonzero(chosen)[0][pick]] = h[pick] @ operator.T
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted positions ``(batch,)`` (tie rule of :func:`tinymech.algzoo.evaluation.predictions`)."""
        final = self.final_state(x)
        return predictions(
            final @ self.weights.W_oh.T, scale=readout_scale(final, self.weights.W_oh)
        )


def masked_linear_surrogate(
    model: ReLURNN | RNNWeights, *, large: float = 1.0, small: float = 0.8
) -> MaskedLinearSurrogate:
    """Build the surrogate with masks from the clean set at ``(large, small)``, first impulse at 0."""
    weights = as_weights(model)
    n = weights.output_size
    w_first = np.zeros((n, weights.hidden_size))
    masks = {}
    for gap in range(1, n):
        w_first[gap] = second_impulse_input(weights, gap)
        for forward in (True, False):
            masks[(gap, forward)] = post_impulse_masks(
                weights, gap, forward, large=large, small=small
            )
    return MaskedLinearSurrogate(w_first, masks, weights)


# ---------------------------------------------------------------------------------------------------
# Every statistic the chapter tests, for one network
# ---------------------------------------------------------------------------------------------------

#: S / M ratios at which :func:`phase_wheel_summary` compares masks with those at 0.8.
SUMMARY_RATIOS = tuple(np.round(np.linspace(0.05, 0.95, 19), 2))


@dataclass(frozen=True)
class PhaseWheelSummary:
    """The phase-wheel statistics of one network on the clean set (``M = 1``, ``S = 0.8``).

    Measured by one function on the trained model, random networks (:mod:`tinymech.algzoo.null_models`)
    and structural baselines, so that every null control is the same computation.

    Attributes:
        clean_accuracy: :func:`clean_accuracy`.
        countdown: mean over steps ``1 .. n - 2`` of :func:`countdown_readout`.
        plane_readout_accuracy: :func:`plane_readout_accuracy` with two components;
        plane_readout_components: the components it used (more than two where the second principal
            component is one of several equal ones: :func:`degenerate_extent`).
        impulse_turning_degrees: ``|`` :func:`turning_angle` ``|`` of the single-impulse trajectory, steps
            ``1 .. n - 1``, in the plane of its own first two principal components.
        offset: the :class:`OffsetAnalysis`; alignment: its :class:`SpiralAlignment`.
        f_effective_rank: :func:`effective_rank` of ``f``.
        offset_logit_contrast: :func:`offset_logit_contrast`.
        forward_reverse_plane_cosine: smaller of :func:`forward_reverse_plane_cosines`.
        spectra: :class:`PhiPostSpectra`; masks: :class:`MaskStability` over :data:`SUMMARY_RATIOS`;
        comparators: :class:`ComparatorClipping`.
    """

    clean_accuracy: float
    countdown: float
    plane_readout_accuracy: float
    plane_readout_components: int
    impulse_turning_degrees: float
    offset: OffsetAnalysis
    alignment: SpiralAlignment
    f_effective_rank: float
    offset_logit_contrast: float
    forward_reverse_plane_cosine: float
    spectra: PhiPostSpectra
    masks: MaskStability
    comparators: ComparatorClipping

    @property
    def separable_r_squared(self) -> float:
        return self.offset.separable_r_squared

    @property
    def norm_ratio(self) -> float:
        """Mean offset norm over mean final-state norm."""
        return self.alignment.offset_norm / self.alignment.main_norm


def phase_wheel_summary(model: ReLURNN | RNNWeights) -> PhaseWheelSummary:
    """Every phase-wheel statistic of ``model`` (see :class:`PhaseWheelSummary`); about 0.1 s for M16,10."""
    weights = as_weights(model)
    n = weights.output_size
    clean = clean_inputs(n, 1.0, 0.8)
    impulse = impulse_response(weights)[1:]
    plane = pca(impulse).project(impulse)[:, :2]
    try:
        turning = abs(turning_angle(plane))
    except (
        InvalidInputError
    ):  # a degenerate trajectory (e.g. a point at its centre) does not turn
        turning = 0.0
    offset = discrimination_offset(weights)
    readout = plane_readout(weights, clean)
    return PhaseWheelSummary(
        clean_accuracy=clean_accuracy(weights, clean),
        countdown=float(np.nanmean(countdown_readout(weights, clean)[1 : n - 1])),
        plane_readout_accuracy=readout.accuracy,
        plane_readout_components=readout.components,
        impulse_turning_degrees=turning,
        offset=offset,
        alignment=spiral_alignment(offset),
        f_effective_rank=effective_rank(offset.f),
        offset_logit_contrast=offset_logit_contrast(weights, offset),
        forward_reverse_plane_cosine=float(forward_reverse_plane_cosines(offset).min()),
        spectra=phi_post_spectra(weights),
        masks=mask_stability(weights, SUMMARY_RATIOS),
        comparators=comparator_clipping(weights),
    )
