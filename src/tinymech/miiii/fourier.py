"""Fourier, per-modulus and singular-value analyses of miiii embeddings and MLP neurons.

Sources: Syrkis & Søgaard (2024) (|FFT| of the token embedding along the token axis with the L2 norm
over d, "active" frequencies above mean + k std, Pearson correlation of the two digit positions'
embeddings, singular values with 50% / 90% marks, active frequencies of an MLP neuron) and Nanda et
al. (2023) (key frequencies).  :func:`periodic_variance_fraction` and :func:`per_modulus_spectrum`
are this chapter's own: a q-periodic function of a digit t in [0, p) does not sit on an integer bin
of a p-point FFT (its frequencies are p k / q), so instead we project on the q-periodic functions of
t directly, i.e. on the class means of t mod q, and Fourier-analyse those q means.
"""

from __future__ import annotations

import numpy as np
import torch

from tinymech.errors import InvalidInputError


def _as_numpy(x: torch.Tensor | np.ndarray) -> np.ndarray:
    return (
        x.detach().cpu().double().numpy()
        if isinstance(x, torch.Tensor)
        else np.asarray(x, dtype=float)
    )


def embedding_spectrum(embedding: torch.Tensor | np.ndarray) -> np.ndarray:
    """|DFT| along the token axis, L2 norm over the embedding dimension.

    Args:
        embedding: ``(p, d)`` rows = digit tokens 0..p-1 (drop the separator row first).

    Returns:
        ``(p // 2 + 1,)`` amplitudes for frequencies ``k = 0 .. p // 2`` (cycles per p tokens).

    Raises:
        InvalidInputError: if ``embedding`` is not 2-D.
    """
    e = _as_numpy(embedding)
    if e.ndim != 2:
        raise InvalidInputError(f"embedding must be (p, d), got shape {e.shape}")
    return np.linalg.norm(np.abs(np.fft.rfft(e, axis=0)), axis=1)


def active_frequencies(spectrum: np.ndarray, n_std: float = 1.0) -> np.ndarray:
    """Frequencies ``k >= 1`` whose amplitude exceeds mean + ``n_std`` std of the ``k >= 1`` amplitudes.

    The constant (k = 0) term is excluded from the statistics and from the answer.  The brief reports
    the code's threshold as mean + 1 std, the paper's text as mean + 2 std.

    Args:
        spectrum: ``(n_freq,)`` amplitudes, index = frequency.

    Returns:
        Sorted int array of active frequencies.

    Raises:
        InvalidInputError: if the spectrum has fewer than 3 entries.
    """
    s = np.asarray(spectrum, dtype=float)
    if s.ndim != 1 or s.size < 3:
        raise InvalidInputError(f"spectrum must be 1-D with >= 3 entries, got shape {s.shape}")
    body = s[1:]
    return np.flatnonzero(body > body.mean() + n_std * body.std()) + 1


def neuron_spectrum(activations: torch.Tensor | np.ndarray, p: int) -> np.ndarray:
    """Per-digit Fourier spectrum of MLP neurons over the ``p x p`` input grid.

    For neuron j, ``a_j(x0, x1)`` is centred; ``S[j, 0, k]`` is the L2 norm over x1 of the |DFT| along
    x0 at frequency k (by Parseval, the marginal of the 2-D spectrum on the x0 axis), ``S[j, 1, k]``
    the same along x1.

    Args:
        activations: ``(p**2, n_neurons)``, row ``n = x0 + p * x1`` (last-position ``mlp_post``).
        p: the base.

    Returns:
        ``(n_neurons, 2, p // 2 + 1)``.

    Raises:
        InvalidInputError: if the number of rows is not ``p**2``.
    """
    a = _as_numpy(activations)
    if a.ndim != 2 or a.shape[0] != p * p:
        raise InvalidInputError(f"activations must be ({p * p}, n_neurons), got {a.shape}")
    grid = a.T.reshape(-1, p, p)  # (neuron, x1, x0)
    grid = grid - grid.mean(axis=(1, 2), keepdims=True)
    along_x0 = np.linalg.norm(np.abs(np.fft.rfft(grid, axis=2)), axis=1)
    along_x1 = np.linalg.norm(np.abs(np.fft.rfft(grid, axis=1)), axis=2)
    return np.stack([along_x0, along_x1], axis=1)


def neuron_active_frequency_count(spectra: np.ndarray, n_std: float = 2.0) -> np.ndarray:
    """Number of active frequencies of each neuron, pooling both digits.

    The ``2 * (p // 2)`` non-constant amplitudes of a neuron (x0 and x1 axes together) are active when
    above mean + ``n_std`` std of those pooled amplitudes.  (Our operationalisation: the paper counts a
    neuron's active frequencies without giving the rule.)

    Args:
        spectra: ``(n_neurons, 2, n_freq)`` from :func:`neuron_spectrum`.

    Returns:
        ``(n_neurons,)`` int counts.
    """
    s = np.asarray(spectra, dtype=float)
    if s.ndim != 3 or s.shape[1] != 2:
        raise InvalidInputError(f"spectra must be (n_neurons, 2, n_freq), got {s.shape}")
    body = s[:, :, 1:].reshape(s.shape[0], -1)
    threshold = body.mean(axis=1, keepdims=True) + n_std * body.std(axis=1, keepdims=True)
    return (body > threshold).sum(axis=1)


def periodic_variance_fraction(
    values: torch.Tensor | np.ndarray, residues: np.ndarray, q: int
) -> np.ndarray:
    """Fraction of each column's variance explained by a function of ``residue mod q``.

    The projection of centred values on the q-periodic functions is the class mean of each residue;
    the fraction is ``||class means broadcast||^2 / ||centred values||^2`` (the R^2 of a one-way ANOVA).
    For values unrelated to the residue its expectation is ``(q - 1) / (N - 1)``.

    Args:
        values: ``(N, m)`` (e.g. token embedding ``(p, d)`` or neuron activations ``(p**2, n_neurons)``).
        residues: ``(N,)`` integers; taken mod q.
        q: modulus >= 2.

    Returns:
        ``(m,)`` fractions in [0, 1] (``nan`` for a constant column).

    Raises:
        InvalidInputError: if shapes disagree or q < 2.
    """
    v = _as_numpy(values)
    r = np.asarray(residues, dtype=int) % q if q >= 2 else None
    if r is None:
        raise InvalidInputError(f"q must be >= 2, got {q}")
    if v.ndim != 2 or r.shape != (v.shape[0],):
        raise InvalidInputError(
            f"values must be (N, m) and residues (N,), got {v.shape} and {np.shape(residues)}"
        )
    centred = v - v.mean(axis=0)
    counts = np.bincount(r, minlength=q).astype(float)
    sums = np.zeros((q, v.shape[1]))
    np.add.at(sums, r, centred)
    means = sums / np.maximum(counts, 1)[:, None]
    explained = (counts[:, None] * means**2).sum(axis=0)
    total = (centred**2).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return explained / total


def per_modulus_spectrum(embedding: torch.Tensor | np.ndarray, q: int) -> np.ndarray:
    """Fourier amplitudes of the q-periodic part of a digit embedding, on the modulus' own basis.

    The rows ``t = 0 .. p-1`` are averaged within each class ``t mod q`` (the projection on the
    q-periodic functions); the q class means are then transformed with a q-point DFT, i.e. projected on
    ``cos/sin(2 pi k t / q)``, and the L2 norm over d is taken.

    Args:
        embedding: ``(p, d)`` digit-token embedding (the q class means are centred).
        q: modulus, ``2 <= q <= p``.

    Returns:
        ``(q // 2 + 1,)`` amplitudes for ``k = 0 .. q // 2`` (k = 0 is ~0 after centring).

    Raises:
        InvalidInputError: if q is outside ``[2, p]``.
    """
    e = _as_numpy(embedding)
    p = e.shape[0]
    if not 2 <= q <= p:
        raise InvalidInputError(f"q must be in [2, {p}], got {q}")
    t = np.arange(p) % q
    means = np.stack([e[t == c].mean(axis=0) for c in range(q)])
    means = means - means.mean(axis=0)
    return np.linalg.norm(np.abs(np.fft.rfft(means, axis=0)), axis=1)


def positional_correlation(position_embedding: torch.Tensor | np.ndarray) -> float:
    """Pearson correlation over d between the embeddings of positions 0 (x0) and 1 (x1).

    The paper reports -0.64 (miiii) and 0.95 (Nanda's task) without code; this is the brief's reading.

    Raises:
        InvalidInputError: if fewer than 2 positions are given.
    """
    pos = _as_numpy(position_embedding)
    if pos.ndim != 2 or pos.shape[0] < 2:
        raise InvalidInputError(
            f"position_embedding must be (n_positions >= 2, d), got {pos.shape}"
        )
    return float(np.corrcoef(pos[0], pos[1])[0, 1])


def correlation_standard_error(r: float, n: int) -> float:
    """Standard error ``sqrt((1 - r^2) / (n - 2))`` of a Pearson correlation ``r`` over ``n`` pairs.

    The usual large-sample error (for the positional correlation, ``n = d`` embedding dimensions): a
    correlation within two of it of 0 is no evidence of a sign.

    Raises:
        InvalidInputError: if ``n < 3`` or ``|r| > 1``.
    """
    if n < 3 or not -1 <= r <= 1:
        raise InvalidInputError(f"need n >= 3 pairs and |r| <= 1, got n = {n}, r = {r}")
    return float(np.sqrt((1 - r * r) / (n - 2)))


def singular_value_marks(matrix: torch.Tensor | np.ndarray) -> tuple[np.ndarray, int, int]:
    """Singular values and how many components reach 50% and 90% of the squared-singular-value sum.

    Args:
        matrix: ``(m, n)``, e.g. the digit-token embedding ``(p, d)`` (not centred, as in the paper).

    Returns:
        ``(singular_values, k50, k90)``; ``k50`` is the smallest k with cumulative variance >= 0.5.
    """
    m = _as_numpy(matrix)
    if m.ndim != 2:
        raise InvalidInputError(f"matrix must be 2-D, got shape {m.shape}")
    s = np.linalg.svd(m, compute_uv=False)
    cumulative = np.cumsum(s**2) / np.sum(s**2)
    return (
        s,
        int(np.searchsorted(cumulative, 0.5) + 1),
        int(np.searchsorted(cumulative, 0.9) + 1),
    )


def modulus_scores(
    values: torch.Tensor | np.ndarray,
    numbers: np.ndarray,
    moduli: list[int] | tuple[int, ...],
    *,
    pooled: bool = False,
) -> np.ndarray:
    """How much more of the variance is q-periodic than chance, for every modulus.

    ``score = R^2_q / chance`` with ``R^2_q`` from :func:`periodic_variance_fraction` on
    ``numbers mod q`` and ``chance = (q - 1) / (N - 1)``; 1 means "as periodic as noise".

    Args:
        values: ``(N, m)``, e.g. digit embeddings ``(p, d)`` (numbers = digits) or last-position neuron
            activations ``(p**2, n_neurons)`` (numbers = ``n = x0 + p x1``).
        numbers: ``(N,)`` integers.
        moduli: the q to test.
        pooled: score all m columns together (variance-weighted) instead of each column.

    Returns:
        ``(m, len(moduli))`` scores, or ``(len(moduli),)`` when pooled.
    """
    v = _as_numpy(values)
    n_rows = v.shape[0]
    weights = ((v - v.mean(axis=0)) ** 2).sum(axis=0)
    scores = []
    for q in moduli:
        fraction = periodic_variance_fraction(v, numbers, q)
        if pooled:
            fraction = np.nansum(fraction * weights) / weights.sum()
        scores.append(fraction / ((q - 1) / (n_rows - 1)))
    return np.stack(scores, axis=-1)


def singular_vector_purity(matrix: torch.Tensor | np.ndarray, n_vectors: int = 2) -> np.ndarray:
    """How sinusoidal the top left singular vectors are: the share of each one's non-constant DFT power
    in its single strongest frequency.

    The paper calls the top singular vectors of the token embedding "periodic" by visual inspection;
    this puts a number on it.  A sinusoid at an integer frequency scores 1; for a Gaussian matrix the
    expected score is :func:`noise_purity` (a few tenths at most).  The singular vectors are centred first
    (their mean is the k = 0 term); their sign does not matter.

    Args:
        matrix: ``(p, d)``, e.g. the digit-token embedding.
        n_vectors: how many of the top left singular vectors to score.

    Returns:
        ``(n_vectors,)`` shares in [0, 1].

    Raises:
        InvalidInputError: if ``matrix`` is not 2-D with at least 3 rows, or ``n_vectors`` is not in
            ``[1, min(matrix.shape)]``.
    """
    m = _as_numpy(matrix)
    if m.ndim != 2 or m.shape[0] < 3:
        raise InvalidInputError(f"matrix must be (p >= 3, d), got shape {m.shape}")
    if not 1 <= n_vectors <= min(m.shape):
        raise InvalidInputError(f"n_vectors must be in [1, {min(m.shape)}], got {n_vectors}")
    u = np.linalg.svd(m, full_matrices=False)[0][:, :n_vectors]
    power = np.abs(np.fft.rfft(u - u.mean(axis=0), axis=0)[1:]) ** 2
    return power.max(axis=0) / power.sum(axis=0)


def noise_purity(p: int) -> float:
    """Expected :func:`singular_vector_purity` of a Gaussian ``(p, d)`` matrix, for odd ``p``: ``H_m / m``.

    A left singular vector of a Gaussian matrix points in a uniformly random direction; centred and
    transformed, its power splits over the ``m = (p - 1) / 2`` non-constant frequencies (two real
    dimensions each) as a uniform point of the simplex, whose largest share has expectation
    ``H_m / m = (1 + 1/2 + ... + 1/m) / m``.

    Raises:
        InvalidInputError: if ``p`` is not an odd integer >= 3.
    """
    if not (isinstance(p, (int, np.integer)) and p >= 3 and p % 2 == 1):
        raise InvalidInputError(f"p must be an odd integer >= 3, got {p!r}")
    m = (p - 1) // 2
    return float(sum(1 / i for i in range(1, m + 1)) / m)


def peak_to_mean(spectrum: np.ndarray) -> float:
    """Largest non-constant amplitude over the mean of the non-constant amplitudes (``k >= 1``).

    1 for a perfectly flat spectrum; a few key frequencies make it large.

    Raises:
        InvalidInputError: if the spectrum has fewer than 2 entries or a non-positive mean.
    """
    s = np.asarray(spectrum, dtype=float)
    if s.ndim != 1 or s.size < 2 or not s[1:].mean() > 0:
        raise InvalidInputError(
            f"spectrum must be 1-D with >= 2 entries and a positive mean, got shape {s.shape}"
        )
    return float(s[1:].max() / s[1:].mean())


def leaking_moduli(frequency: int, p: int, moduli) -> list[tuple[int, int]]:
    """The ``(q, j)`` whose q-periodic harmonic ``j`` lands within half a bin of ``frequency`` in a p-point FFT.

    A function of ``t mod q`` has its harmonic j at the non-integer frequency ``p j / q`` of a p-point
    DFT; it leaks into the bins nearest that point.  This lists which moduli a bin can stand for.

    Returns:
        ``[(q, j), ...]`` with ``|p j / q - frequency| < 1/2``, ``1 <= j <= q // 2``, in the order of ``moduli``.
    """
    return [
        (int(q), j)
        for q in moduli
        for j in range(1, int(q) // 2 + 1)
        if abs(p * j / q - frequency) < 0.5
    ]


def noise_peak_to_mean(
    p: int, d: int, *, quantile: float = 0.99, n_samples: int = 2000, seed: int = 0
) -> float:
    """The ``quantile`` of :func:`peak_to_mean` of :func:`embedding_spectrum` over Gaussian ``(p, d)`` embeddings.

    What a spectrum without any periodic structure scores: an embedding below this is "flat".  The
    embeddings are drawn with ``numpy.random.default_rng(seed)`` (the same numbers on every machine).

    Raises:
        InvalidInputError: if ``p < 3``, ``d < 1``, ``n_samples < 10`` or ``quantile`` is not in (0, 1).
    """
    return _gaussian_quantile(
        p, d, lambda g: peak_to_mean(embedding_spectrum(g)), quantile, n_samples, seed
    )


def _gaussian_quantile(
    p: int, d: int, statistic, quantile: float, n_samples: int, seed: int
) -> float:
    """The ``quantile`` of ``statistic(g)`` over ``n_samples`` standard Gaussian ``(p, d)`` embeddings ``g``
    drawn with ``numpy.random.default_rng(seed)``; the null distributions of this module's noise levels."""
    if p < 3 or d < 1 or n_samples < 10 or not 0 < quantile < 1:
        raise InvalidInputError(
            f"need p >= 3, d >= 1, n_samples >= 10 and 0 < quantile < 1, got p = {p}, "
            f"d = {d}, n_samples = {n_samples}, quantile = {quantile}"
        )
    rng = np.random.default_rng(seed)
    return float(
        np.quantile(
            [statistic(rng.standard_normal((p, d))) for _ in range(n_samples)], quantile
        )
    )


def _token_scale(e: np.ndarray) -> float:
    """Root mean square of the embedding after removing its mean over tokens (1 for a standard Gaussian)."""
    centred = e - e.mean(axis=0, keepdims=True)
    return float(np.sqrt(np.mean(centred**2)))


def noise_amplitude_threshold(
    p: int, d: int, *, quantile: float = 0.99, n_samples: int = 2000, seed: int = 0
) -> float:
    """A threshold for an active frequency calibrated on noise: the ``quantile`` of the largest ``k >= 1``
    amplitude of :func:`embedding_spectrum` over standard Gaussian ``(p, d)`` embeddings.

    With it, a Gaussian embedding (scaled as in :func:`calibrated_active_frequencies`) has no active
    frequency in a fraction ``quantile`` of draws, whatever its shape; the relative rule of
    :func:`active_frequencies` (mean + k std) marks some frequencies in any spectrum.  The embeddings are
    drawn with ``numpy.random.default_rng(seed)``.

    Raises:
        InvalidInputError: if ``p < 3``, ``d < 1``, ``n_samples < 10`` or ``quantile`` is not in (0, 1).
    """
    return _gaussian_quantile(
        p,
        d,
        lambda g: embedding_spectrum(g / _token_scale(g))[1:].max(),
        quantile,
        n_samples,
        seed,
    )


def calibrated_active_frequencies(
    embedding: torch.Tensor | np.ndarray, threshold: float
) -> np.ndarray:
    """Frequencies ``k >= 1`` whose amplitude, for the embedding scaled to unit per-entry spread over tokens,
    exceeds ``threshold`` (from :func:`noise_amplitude_threshold` for the same shape).

    Args:
        embedding: ``(p, d)`` rows = digit tokens.
        threshold: the null-calibrated amplitude.

    Returns:
        Sorted int array of active frequencies.

    Raises:
        InvalidInputError: if ``embedding`` is not 2-D or is constant over tokens.
    """
    e = _as_numpy(embedding)
    if e.ndim != 2:
        raise InvalidInputError(f"embedding must be (p, d), got shape {e.shape}")
    scale = _token_scale(e)
    if not scale > 0:
        raise InvalidInputError(
            "the embedding is constant over tokens: no spectrum to threshold"
        )
    return np.flatnonzero(embedding_spectrum(e / scale)[1:] > threshold) + 1
