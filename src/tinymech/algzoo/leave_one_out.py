"""Leave-one-out-maximum features of M16,10, the handcrafted 22-neuron model, feature fits and ablations.

Source: ARC's AlgZoo post {cite}`arc2026algzoo`.  After rescaling, ARC's M16,10 has an approximately
isolated subcircuit (their neurons 2, 4, 6, 7, 1) computing running maxima and "leave-one-out maxima"
``max(0, x_j for j != i)``; generalising it, ARC built a 22-neuron RNN that forms all 10 leave-one-out
maxima and reaches 99%.  Two readers' comments add a linear fit of some neurons in the running max,
second running max and time since the max (R^2 ~ 0.95), and ablations (keeping only the two largest
inputs gives 100%; nearly every neuron ablation hurts).

Indexing convention used throughout: ``trace(model, x).hidden[:, t]`` is the state after reading
``x_0 .. x_t``.  A leave-one-out maximum at step ``t`` with lag ``k`` is
``max(0, {x_j : j <= t, j != t - k})`` (lag 0 leaves out the most recent input).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.evaluation import sampled_accuracy
from tinymech.algzoo.standardization import rescale
from tinymech.algzoo.tasks import second_argmax

# ---------------------------------------------------------------------------------------------------
# Features (pure functions of the inputs)
# ---------------------------------------------------------------------------------------------------


def _as_batch(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"expected inputs of shape (batch, seq_len) with seq_len >= 1, got shape {x.shape}")
    return x


def running_max(x) -> np.ndarray:
    """``max(0, x_0, ..., x_t)`` for every step ``t``: shape ``(batch, seq_len)`` from ``(batch, seq_len)``."""
    return np.maximum.accumulate(np.maximum(_as_batch(x), 0.0), axis=1)


def leave_one_out_max(x, lag: int) -> np.ndarray:
    """``max(0, {x_j : j <= t, j != t - lag})`` for every step ``t``, shape ``(batch, seq_len)``.

    Where ``t - lag < 0`` nothing is left out and the value is the running max.

    Raises:
        ValueError: if ``lag`` is negative.
    """
    x = _as_batch(x)
    if lag < 0:
        raise ValueError(f"lag must be >= 0, got {lag}")
    positive = np.maximum(x, 0.0)
    batch, seq_len = x.shape
    out = running_max(x)
    # prefix max up to t - lag - 1 and the max of the last `lag` inputs (t - lag + 1 .. t)
    prefix = np.concatenate([np.zeros((batch, 1)), np.maximum.accumulate(positive, axis=1)], axis=1)
    for t in range(lag, seq_len):
        recent = positive[:, t - lag + 1: t + 1].max(axis=1) if lag > 0 else np.zeros(batch)
        out[:, t] = np.maximum(prefix[:, t - lag], recent)
    return out


def leave_one_out_maxima_final(x) -> np.ndarray:
    """The ``n`` leave-one-out maxima of whole sequences: ``L_i = max(0, x_j for j != i)``, ``(batch, n)``."""
    x = _as_batch(x)
    n = x.shape[1]
    return np.stack([leave_one_out_max(x, n - 1 - i)[:, -1] for i in range(n)], axis=1)


def second_running_max(x) -> np.ndarray:
    """Second-largest of ``x_0 .. x_t`` (no clipping at 0; ``-inf`` at ``t = 0``), ``(batch, seq_len)``."""
    x = _as_batch(x)
    top2 = np.full((x.shape[0], 2), -np.inf)
    out = np.empty_like(x)
    for t in range(x.shape[1]):
        top2 = np.sort(np.concatenate([top2, x[:, t:t + 1]], axis=1), axis=1)[:, -2:]
        out[:, t] = top2[:, 0]
    return out


def steps_since_max(x) -> np.ndarray:
    """``t - argmax(x_0 .. x_t)`` for every step, integers ``(batch, seq_len)``."""
    x = _as_batch(x)
    argmax_so_far = np.zeros(x.shape, dtype=np.int64)
    best = x[:, 0].copy()
    where = np.zeros(x.shape[0], dtype=np.int64)
    for t in range(x.shape[1]):
        better = x[:, t] > best
        best = np.where(better, x[:, t], best)
        where = np.where(better, t, where)
        argmax_so_far[:, t] = where
    return np.arange(x.shape[1])[None, :] - argmax_so_far


def candidate_features(x) -> dict[str, np.ndarray]:
    """ARC-style features at every step, each ``(batch, seq_len)``.

    ``running max`` = ``max(0, x_0..x_t)``; ``previous running max`` = ``max(0, x_0..x_{t-1})`` (= the
    leave-one-out max of lag 0); ``running max increment`` = their difference; ``leave-one-out max, lag k``
    for ``k = 1 .. seq_len - 1``.  A neuron "is" a feature when it fits ``a * feature + b * x_t``
    (ARC's features subtract the most recent input).
    """
    x = _as_batch(x)
    current = running_max(x)
    previous = leave_one_out_max(x, 0)
    features = {
        "running max": current,
        "previous running max": previous,
        "running max increment": current - previous,
    }
    for lag in range(1, x.shape[1]):
        features[f"leave-one-out max, lag {lag}"] = leave_one_out_max(x, lag)
    return features


# ---------------------------------------------------------------------------------------------------
# Fits of neuron activations
# ---------------------------------------------------------------------------------------------------


def r_squared(target: np.ndarray, design: np.ndarray) -> float:
    """Coefficient of determination of the least-squares fit of ``target (samples,)`` on ``design
    (samples, k)`` (an intercept column is added).  A constant target gives R^2 = 1 if fit exactly, else 0."""
    design = np.column_stack([design, np.ones(len(target))])
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    residual = target - design @ coefficients
    total = np.sum((target - target.mean()) ** 2)
    if total == 0.0:
        return 1.0 if np.allclose(residual, 0.0) else 0.0
    return float(1.0 - residual @ residual / total)


@dataclass(frozen=True)
class FeatureFits:
    """R^2 of each neuron's activation against each feature.

    Attributes:
        feature_names: ``(k,)`` names, as in :func:`candidate_features`.
        r_squared: ``(hidden, k)``; fit of ``h_i[t]`` by ``a * feature[t] + b * x_t + c``, pooled over
            samples and the steps ``t >= first_step``.
        best_feature: ``(hidden,)`` index of the best feature per neuron.
    """

    feature_names: list[str]
    r_squared: np.ndarray

    @property
    def best_feature(self) -> np.ndarray:
        return self.r_squared.argmax(axis=1)

    @property
    def best_r_squared(self) -> np.ndarray:
        return self.r_squared.max(axis=1)


def fit_features(hidden: np.ndarray, x: np.ndarray, *, first_step: int = 1) -> FeatureFits:
    """Fit every neuron against every ARC-style feature (see :class:`FeatureFits`).

    Args:
        hidden: ``(batch, seq_len, d)`` activations from :func:`tinymech.algzoo.trace.trace`.
        x: the inputs ``(batch, seq_len)`` of that trace.
        first_step: earliest step pooled into the fit.

    Raises:
        ValueError: if shapes disagree.
    """
    x = _as_batch(x)
    if hidden.ndim != 3 or hidden.shape[:2] != x.shape:
        raise ValueError(f"hidden must be (batch, seq_len, d) matching x {x.shape}, got {hidden.shape}")
    features = candidate_features(x)
    current = x[:, first_step:].reshape(-1)
    names = list(features)
    table = np.zeros((hidden.shape[2], len(names)))
    for j, name in enumerate(names):
        f = features[name][:, first_step:].reshape(-1)
        design = np.column_stack([f, current])
        for i in range(hidden.shape[2]):
            table[i, j] = r_squared(hidden[:, first_step:, i].reshape(-1), design)
    return FeatureFits(names, table)


def readers_linear_model_r_squared(hidden: np.ndarray, x: np.ndarray, *, first_step: int = 1) -> np.ndarray:
    """R^2 per neuron of the reader's model: ``h = alpha(delta) R1 + beta(delta) R2 + gamma(delta)``.

    ``R1`` is the running max, ``R2`` the second running max (both without clipping at 0) and ``delta``
    the number of steps since the max; the coefficients are fit separately for every ``delta``
    (source: a reader's comment on ARC's post, R^2 ~ 0.95 for neurons {1, 6, 7, 8} of the official model).
    The R^2 is over all pooled (sample, step) pairs with ``t >= first_step``.

    Returns:
        ``(d,)`` R^2 values.
    """
    x = _as_batch(x)
    if first_step < 1:
        raise ValueError(f"first_step must be >= 1 (the second running max needs two inputs), got {first_step}")
    r1 = np.maximum.accumulate(x, axis=1)[:, first_step:].reshape(-1)
    r2 = second_running_max(x)[:, first_step:].reshape(-1)
    delta = steps_since_max(x)[:, first_step:].reshape(-1)
    h = hidden[:, first_step:].reshape(-1, hidden.shape[2])
    residual = np.zeros_like(h)
    for value in np.unique(delta):
        rows = delta == value
        design = np.column_stack([r1[rows], r2[rows], np.ones(rows.sum())])
        coefficients, *_ = np.linalg.lstsq(design, h[rows], rcond=None)
        residual[rows] = h[rows] - design @ coefficients
    total = np.sum((h - h.mean(axis=0)) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 1.0 - np.sum(residual**2, axis=0) / total, 0.0)


# ---------------------------------------------------------------------------------------------------
# ARC's isolated subcircuit as a template, and the nearest match in a model
# ---------------------------------------------------------------------------------------------------

#: Roles of ARC's subcircuit, in the order of their neurons 2, 4, 6, 7, 1.
SUBCIRCUIT_ROLES = ("Q: previous running max", "P: running max increment", "F2: leave-one-out max lag 1 - x",
                    "G: running max - x", "F3: leave-one-out max lag 2 - x")
#: ARC's neuron numbers for the roles (official weights).
SUBCIRCUIT_ARC_NEURONS = (2, 4, 6, 7, 1)
SUBCIRCUIT_INPUT = np.array([0.0, 1.0, -1.0, -1.0, -1.0])
SUBCIRCUIT_RECURRENT = np.array([
    [1.0, 1.0, 0.0, 0.0, 0.0],    # Q <- Q + P                 (running max of the inputs before)
    [-1.0, -1.0, 0.0, 0.0, 0.0],  # P <- ReLU(x - Q - P)        (increment of the running max)
    [1.0, 0.0, 0.0, 0.0, 0.0],    # F2 <- ReLU(Q - x)
    [1.0, 1.0, 0.0, 0.0, 0.0],    # G <- ReLU(Q + P - x)
    [1.0, 1.0, 1.0, -1.0, 0.0],   # F3 <- ReLU(F2 + (Q + P - G) - x), Q + P - G = previous input
])


@dataclass(frozen=True)
class SubcircuitMatch:
    """Nearest match of ARC's 5-neuron subcircuit (roles :data:`SUBCIRCUIT_ROLES`) in a model.

    Attributes:
        neurons: ``(5,)`` the model's neuron index for each role.
        relative_error: ``||W_match - T|| / ||T||`` over the 5 rows (input weight and all ``d`` recurrent
            weights, template zero outside the subcircuit), after rescaling.
        max_abs_deviation: largest entry of ``|W_match - T|``.
        rows: ``(5, 1 + d)`` rescaled rows ``[W_hi, W_hh]`` of the matched neurons (columns in the model's order).
        template: ``(5, 1 + d)`` the template in the same layout.
    """

    neurons: tuple[int, ...]
    relative_error: float
    max_abs_deviation: float
    rows: np.ndarray
    template: np.ndarray


def _unit_input_scales(weights: RNNWeights) -> np.ndarray:
    magnitude = np.abs(weights.W_hi)
    rows = np.linalg.norm(weights.W_hh, axis=1)
    return 1.0 / np.where(magnitude > 1e-12, magnitude, np.where(rows > 0, rows, 1.0))


def match_subcircuit(weights: RNNWeights) -> SubcircuitMatch:
    """Search all assignments of the 5 roles to distinct neurons for the closest copy of ARC's subcircuit.

    Every neuron is rescaled to ``|W_hi| = 1`` (ARC's standardization); the Q neuron (input weight 0 in
    the template) is instead rescaled so that the P neuron reads it with weight of magnitude 1.  The
    cost is the squared deviation from the template of the 5 rows (input weight and all recurrent
    weights; entries outside the subcircuit should be 0).  The cost splits into per-row terms given
    (Q, P), so the search is exhaustive: ``d (d-1)`` pairs times ``d^3`` vectorised completions.

    Raises:
        ValueError: if the model has fewer than 5 neurons.
    """
    d = weights.hidden_size
    if d < 5:
        raise ValueError(f"the subcircuit has 5 neurons; the model has {d}")
    base = rescale(weights, _unit_input_scales(weights))
    best = (np.inf, None)
    for q in range(d):
        for p in range(d):
            if p == q or base.W_hh[p, q] == 0:
                continue
            scales = np.ones(d)
            scales[q] = abs(base.W_hh[p, q])
            w = rescale(base, scales)
            rows = np.column_stack([w.W_hi, w.W_hh])  # (d, 1 + d): row r = incoming weights of neuron r

            def row_cost(r, template_row, assigned):
                target = np.zeros(1 + d)
                target[0] = template_row[0]
                for col, value in zip(assigned, template_row[1:]):
                    target[1 + col] = value
                return np.sum((rows[r] - target) ** 2)

            base_cost = (row_cost(q, np.r_[SUBCIRCUIT_INPUT[0], SUBCIRCUIT_RECURRENT[0, :2]], (q, p))
                         + row_cost(p, np.r_[SUBCIRCUIT_INPUT[1], SUBCIRCUIT_RECURRENT[1, :2]], (q, p)))
            if base_cost >= best[0]:
                continue
            others = [r for r in range(d) if r not in (q, p)]
            f2_cost = {r: row_cost(r, np.r_[-1.0, 1.0, 0.0], (q, p)) for r in others}
            g_cost = {r: row_cost(r, np.r_[-1.0, 1.0, 1.0], (q, p)) for r in others}
            for f2 in others:
                for g in others:
                    if g == f2:
                        continue
                    partial = base_cost + f2_cost[f2] + g_cost[g]
                    if partial >= best[0]:
                        continue
                    for f3 in others:
                        if f3 in (f2, g):
                            continue
                        cost = partial + row_cost(f3, np.r_[-1.0, 1.0, 1.0, 1.0, -1.0], (q, p, f2, g))
                        if cost < best[0]:
                            best = (cost, (q, p, f2, g, f3), rows)
    cost, neurons, rows = best
    matched = rows[list(neurons)]
    template = np.zeros_like(matched)
    template[:, 0] = SUBCIRCUIT_INPUT
    for a, col in enumerate(neurons):
        template[:, 1 + col] = SUBCIRCUIT_RECURRENT[:, a]
    deviation = matched - template
    return SubcircuitMatch(tuple(int(v) for v in neurons), float(np.linalg.norm(deviation) / np.linalg.norm(template)),
                           float(np.abs(deviation).max()), matched, template)


# ---------------------------------------------------------------------------------------------------
# The handcrafted model's logits in closed form
# ---------------------------------------------------------------------------------------------------


def leave_one_out_logits(x, *, sign: float = 2.0) -> np.ndarray:
    """The handcrafted model's logits in closed form: ``max(0, x_i) + sign * max(0, x_j for j != i)``.

    Args:
        x: ``(batch, n)`` inputs.
        sign: coefficient of the leave-one-out max (the construction uses +2; ``-2`` is the brief's sign).

    Returns:
        ``(batch, n)`` logits.
    """
    x = _as_batch(x)
    return np.maximum(x, 0.0) + sign * leave_one_out_maxima_final(x)


# ---------------------------------------------------------------------------------------------------
# Ablations
# ---------------------------------------------------------------------------------------------------


def keep_top_inputs(x: torch.Tensor, k: int = 2) -> torch.Tensor:
    """Zero every input except the ``k`` largest of each sequence, ``(batch, n)`` -> ``(batch, n)``.

    The target (second argmax) is unchanged when ``k >= 2`` and the kept values are positive.

    Raises:
        ValueError: if ``k`` is not in ``1 .. n``.
    """
    if x.ndim != 2 or not 1 <= k <= x.shape[1]:
        raise ValueError(f"expected (batch, n) inputs and 1 <= k <= n, got shape {tuple(x.shape)} and k = {k}")
    top = x.topk(k, dim=-1).indices
    kept = torch.zeros_like(x)
    return kept.scatter(-1, top, x.gather(-1, top))


def top_inputs_accuracy(model: ReLURNN, samples: int, *, k: int = 2, seed: int = 0) -> tuple[float, float]:
    """Accuracy (and its standard error) of ``model`` on Gaussian sequences with all but the top ``k``
    inputs zeroed, scored against the second argmax of the original sequence.
    Source: a reader's comment on ARC's post ("100%" for k = 2)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(samples, model.output_size, generator=generator)
    with torch.no_grad():
        correct = (model.float()(keep_top_inputs(x, k)).argmax(-1) == second_argmax(x)).double()
    p = float(correct.mean())
    return p, float(np.sqrt(p * (1 - p) / samples))


def ablate_neuron(weights: RNNWeights, neuron: int) -> ReLURNN:
    """The model with ``neuron`` silenced at every step (its input and recurrent row set to 0, so its
    activation is always 0).

    Raises:
        ValueError: for an index outside ``0 .. d-1``.
    """
    if not 0 <= neuron < weights.hidden_size:
        raise ValueError(f"neuron must be in 0..{weights.hidden_size - 1}, got {neuron}")
    W_hi, W_hh = weights.W_hi.copy(), weights.W_hh.copy()
    W_hi[neuron] = 0.0
    W_hh[neuron] = 0.0
    return ReLURNN.from_weights(W_hi, W_hh, weights.W_oh)


def single_neuron_ablations(model: ReLURNN, samples: int, *, seed: int = 0) -> np.ndarray:
    """Sampled accuracy with each neuron silenced, ``(d,)`` (same inputs for every neuron).
    Source: a reader's comment on ARC's post ("almost all ablations hurt the accuracy dramatically")."""
    weights = model.weights()
    return np.array([sampled_accuracy(ablate_neuron(weights, i), samples, seed=seed).accuracy
                     for i in range(weights.hidden_size)])
