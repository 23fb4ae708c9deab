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
from scipy.optimize import linear_sum_assignment

from tinymech.algzoo.architectures import ReLURNN, RNNWeights, as_weights
from tinymech.algzoo.evaluation import gaussian_sequences, predictions, sampled_accuracy
from tinymech.algzoo.standardization import rescale
from tinymech.algzoo.tasks import second_argmax
from tinymech.errors import InvalidInputError
from tinymech.stats import binomial_standard_error
from tinymech.stats import r_squared

# ---------------------------------------------------------------------------------------------------
# Features (pure functions of the inputs)
# ---------------------------------------------------------------------------------------------------


def _as_batch(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 1:
        raise InvalidInputError(
            f"expected inputs of shape (batch, seq_len) with seq_len >= 1, got shape {x.shape}"
        )
    return x


def running_max(x) -> np.ndarray:
    """``max(0, x_0, ..., x_t)`` for every step ``t``: shape ``(batch, seq_len)`` from ``(batch, seq_len)``."""
    return np.maximum.accumulate(np.maximum(_as_batch(x), 0.0), axis=1)


def leave_one_out_max(x, lag: int) -> np.ndarray:
    """``max(0, {x_j : j <= t, j != t - lag})`` for every step ``t``, shape ``(batch, seq_len)``.

    Where ``t - lag < 0`` nothing is left out and the value is the running max.

    Raises:
        InvalidInputError: if ``lag`` is negative.
    """
    x = _as_batch(x)
    if lag < 0:
        raise InvalidInputError(f"lag must be >= 0, got {lag}")
    positive = np.maximum(x, 0.0)
    batch, seq_len = x.shape
    out = running_max(x)
    # prefix max up to t - lag - 1 and the max of the last `lag` inputs (t - lag + 1 .. t)
    prefix = np.concatenate(
        [np.zeros((batch, 1)), np.maximum.accumulate(positive, axis=1)], axis=1
    )
    for t in range(lag, seq_len):
        recent = positive[:, t - lag + 1 : t + 1].max(axis=1) if lag > 0 else np.zeros(batch)
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
        top2 = np.sort(np.concatenate([top2, x[:, t : t + 1]], axis=1), axis=1)[:, -2:]
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


def fit_r_squared(target: np.ndarray, design: np.ndarray) -> float:
    """Coefficient of determination (:func:`tinymech.stats.r_squared`) of the least-squares fit of
    ``target (samples,)`` on ``design (samples, k)`` plus an intercept column.  A constant target gives
    R^2 = 1 if fit exactly, else 0."""
    design = np.column_stack([design, np.ones(len(target))])
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    return r_squared(target, design @ coefficients)


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

    @property
    def best_neuron(self) -> np.ndarray:
        """``(k,)`` index of the neuron that fits each feature best."""
        return self.r_squared.argmax(axis=0)

    @property
    def best_neuron_r_squared(self) -> np.ndarray:
        """``(k,)`` R^2 of that neuron."""
        return self.r_squared.max(axis=0)

    def distinct_assignment(self) -> tuple[np.ndarray, np.ndarray]:
        """One distinct neuron per feature, maximising the summed R^2 (``scipy.optimize.linear_sum_assignment``).

        Correlated features (``running max - x`` and the leave-one-out maxima minus ``x`` agree on most
        steps) can all be fit best by one neuron; ARC's claim is that different neurons carry them, so
        each feature gets its own neuron here.

        Returns:
            ``(neurons (k,), r_squared (k,))``.

        Raises:
            InvalidInputError: if there are more features than neurons.
        """
        d, k = self.r_squared.shape
        if k > d:
            raise InvalidInputError(f"cannot give {k} features distinct neurons among {d}")
        rows, columns = linear_sum_assignment(self.r_squared, maximize=True)
        neurons = np.empty(k, dtype=np.int64)
        neurons[columns] = rows
        return neurons, self.r_squared[neurons, np.arange(k)]


def fit_features(hidden: np.ndarray, x: np.ndarray, *, first_step: int = 1) -> FeatureFits:
    """Fit every neuron against every ARC-style feature (see :class:`FeatureFits`).

    Args:
        hidden: ``(batch, seq_len, d)`` activations from :func:`tinymech.algzoo.trace.trace`.
        x: the inputs ``(batch, seq_len)`` of that trace.
        first_step: earliest step pooled into the fit.

    Raises:
        InvalidInputError: if shapes disagree.
    """
    x = _as_batch(x)
    if hidden.ndim != 3 or hidden.shape[:2] != x.shape:
        raise InvalidInputError(
            f"hidden must be (batch, seq_len, d) matching x {x.shape}, got {hidden.shape}"
        )
    features = candidate_features(x)
    current = x[:, first_step:].reshape(-1)
    names = list(features)
    table = np.zeros((hidden.shape[2], len(names)))
    for j, name in enumerate(names):
        f = features[name][:, first_step:].reshape(-1)
        design = np.column_stack([f, current])
        for i in range(hidden.shape[2]):
            table[i, j] = fit_r_squared(hidden[:, first_step:, i].reshape(-1), design)
    return FeatureFits(names, table)


def arc_features(x) -> dict[str, np.ndarray]:
    """The five features of ARC's isolated subcircuit, exactly as ARC writes them, ``(batch, seq_len)`` each.

    In this module's indexing (``h[:, t]`` after reading ``x_t``), with ``R_t = max(0, x_0..x_t)``:
    ``previous running max`` ``R_{t-1}`` (ARC's neuron 2), ``running max increment`` ``R_t - R_{t-1}``
    (neuron 4), ``running max - x`` ``R_t - x_t`` (neuron 7), ``leave-one-out max, lag 1 - x`` (neuron 6)
    and ``leave-one-out max, lag 2 - x`` (neuron 1), where the leave-one-out maximum of lag ``k`` leaves
    out ``x_{t-k}`` (:func:`leave_one_out_max`).  Source: ARC's AlgZoo post {cite}`arc2026algzoo`, e.g.
    neuron 1 ~ ``max(0, x_0, ..., x_{t-4}, x_{t-2}, x_{t-1}) - x_{t-1}`` in ARC's indexing (state after
    ``t`` inputs).  Unlike :func:`candidate_features` the latest input enters with coefficient -1, so a
    neuron "is" the feature when ``h ~ a * feature + c``.
    """
    x = _as_batch(x)
    current = running_max(x)
    previous = leave_one_out_max(x, 0)
    return {
        "previous running max": previous,
        "running max increment": current - previous,
        "running max - x": current - x,
        "leave-one-out max, lag 1 - x": leave_one_out_max(x, 1) - x,
        "leave-one-out max, lag 2 - x": leave_one_out_max(x, 2) - x,
    }


def fit_exact_features(
    hidden: np.ndarray, features: dict[str, np.ndarray], *, first_step: int = 1
) -> FeatureFits:
    """R^2 of ``h_i[t] ~ a * feature[t] + c`` for every neuron and feature (one slope and an intercept).

    Args:
        hidden: ``(batch, seq_len, d)`` activations.
        features: name -> ``(batch, seq_len)`` values (e.g. :func:`arc_features`).
        first_step: earliest step pooled into the fit.

    Returns:
        :class:`FeatureFits` with ``r_squared`` of shape ``(d, k)``; a constant feature scores 0.

    Raises:
        InvalidInputError: if shapes disagree or no feature is given.
    """
    if hidden.ndim != 3 or not features:
        raise InvalidInputError(
            f"need hidden (batch, seq_len, d) and at least one feature, got {hidden.shape} "
            f"and {len(features)} features"
        )
    h = hidden[:, first_step:].reshape(-1, hidden.shape[2])
    names = list(features)
    table = np.zeros((hidden.shape[2], len(names)))
    for j, name in enumerate(names):
        if features[name].shape != hidden.shape[:2]:
            raise InvalidInputError(
                f"feature {name!r} has shape {features[name].shape}, expected {hidden.shape[:2]}"
            )
        phi = features[name][:, first_step:].reshape(-1)
        centred = phi - phi.mean()
        variance = centred @ centred
        if variance == 0:
            continue
        slope = centred @ (h - h.mean(axis=0)) / variance  # (d,)
        table[:, j] = r_squared(h, h.mean(axis=0) + np.outer(centred, slope), per_column=True)
    return FeatureFits(names, table)


def partial_r_squared(
    hidden: np.ndarray, base: np.ndarray, added: np.ndarray, *, first_step: int = 1
) -> np.ndarray:
    """Per neuron, the share of what ``h ~ a * base + c`` leaves unexplained that ``added`` explains.

    ``(R^2(base, added) - R^2(base)) / (1 - R^2(base))`` with both fits by least squares with an intercept,
    pooled over (sample, step) pairs with ``t >= first_step``.  Two features that agree on most steps (a
    leave-one-out maximum and the running maximum, which differ only when the left-out input is the
    maximum) both fit a neuron well; the partial R^2 of the second after the first says whether the
    neuron carries anything of the second beyond the first.

    Args:
        hidden: ``(batch, seq_len, d)`` activations.
        base, added: ``(batch, seq_len)`` feature values.

    Returns:
        ``(d,)`` values in [0, 1] (0 where the base already explains everything).

    Raises:
        InvalidInputError: if the shapes disagree.
    """
    if hidden.ndim != 3 or base.shape != hidden.shape[:2] or added.shape != hidden.shape[:2]:
        raise InvalidInputError(
            f"need hidden (batch, seq_len, d) and features (batch, seq_len), got {hidden.shape}, "
            f"{base.shape} and {added.shape}"
        )
    h = hidden[:, first_step:].reshape(-1, hidden.shape[2])
    h = h - h.mean(axis=0)
    total = (h**2).sum(axis=0)

    def residual(columns: list[np.ndarray]) -> np.ndarray:
        design = np.column_stack(
            [c[:, first_step:].reshape(-1) - c[:, first_step:].mean() for c in columns]
        )
        coefficients, *_ = np.linalg.lstsq(design, h, rcond=None)
        return ((h - design @ coefficients) ** 2).sum(axis=0)

    after_base, after_both = residual([base]), residual([base, added])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            after_base > 1e-12 * np.maximum(total, 1e-300),
            (after_base - after_both) / after_base,
            0.0,
        )
    return np.clip(share, 0.0, 1.0)


def readers_linear_model_r_squared(
    hidden: np.ndarray, x: np.ndarray, *, first_step: int = 1
) -> np.ndarray:
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
        raise InvalidInputError(
            f"first_step must be >= 1 (the second running max needs two inputs), got {first_step}"
        )
    r1 = np.maximum.accumulate(x, axis=1)[:, first_step:].reshape(-1)
    r2 = second_running_max(x)[:, first_step:].reshape(-1)
    delta = steps_since_max(x)[:, first_step:].reshape(-1)
    h = hidden[:, first_step:].reshape(-1, hidden.shape[2])
    fitted = np.zeros_like(h)
    for value in np.unique(delta):
        rows = delta == value
        design = np.column_stack([r1[rows], r2[rows], np.ones(rows.sum())])
        coefficients, *_ = np.linalg.lstsq(design, h[rows], rcond=None)
        fitted[rows] = design @ coefficients
    return r_squared(h, fitted, per_column=True)


# ---------------------------------------------------------------------------------------------------
# ARC's isolated subcircuit as a template, and the nearest match in a model
# ---------------------------------------------------------------------------------------------------

#: Roles of ARC's subcircuit, in the order of their neurons 2, 4, 6, 7, 1.
SUBCIRCUIT_ROLES = (
    "Q: previous running max",
    "P: running max increment",
    "F2: leave-one-out max lag 1 - x",
    "G: running max - x",
    "F3: leave-one-out max lag 2 - x",
)
#: ARC's neuron numbers for the roles (official weights).
SUBCIRCUIT_ARC_NEURONS = (2, 4, 6, 7, 1)
SUBCIRCUIT_INPUT = np.array([0.0, 1.0, -1.0, -1.0, -1.0])
SUBCIRCUIT_RECURRENT = np.array(
    [
        [
            1.0,
            1.0,
            0.0,
            0.0,
            0.0,
        ],  # Q <- Q + P                 (running max of the inputs before)
        [
            -1.0,
            -1.0,
            0.0,
            0.0,
            0.0,
        ],  # P <- ReLU(x - Q - P)        (increment of the running max)
        [1.0, 0.0, 0.0, 0.0, 0.0],  # F2 <- ReLU(Q - x)
        [1.0, 1.0, 0.0, 0.0, 0.0],  # G <- ReLU(Q + P - x)
        [
            1.0,
            1.0,
            1.0,
            -1.0,
            0.0,
        ],  # F3 <- ReLU(F2 + (Q + P - G) - x), Q + P - G = previous input
    ]
)


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
        InvalidInputError: if the model has fewer than 5 neurons.
    """
    d = weights.hidden_size
    if d < 5:
        raise InvalidInputError(f"the subcircuit has 5 neurons; the model has {d}")
    base = rescale(weights, _unit_input_scales(weights))
    best = (np.inf, None)
    for q in range(d):
        for p in range(d):
            if p == q or base.W_hh[p, q] == 0:
                continue
            scales = np.ones(d)
            scales[q] = abs(base.W_hh[p, q])
            w = rescale(base, scales)
            rows = np.column_stack(
                [w.W_hi, w.W_hh]
            )  # (d, 1 + d): row r = incoming weights of neuron r

            def row_cost(r, template_row, assigned):
                target = np.zeros(1 + d)
                target[0] = template_row[0]
                for col, value in zip(assigned, template_row[1:]):
                    target[1 + col] = value
                return np.sum((rows[r] - target) ** 2)

            base_cost = row_cost(
                q, np.r_[SUBCIRCUIT_INPUT[0], SUBCIRCUIT_RECURRENT[0, :2]], (q, p)
            ) + row_cost(p, np.r_[SUBCIRCUIT_INPUT[1], SUBCIRCUIT_RECURRENT[1, :2]], (q, p))
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
                        cost = partial + row_cost(
                            f3, np.r_[-1.0, 1.0, 1.0, 1.0, -1.0], (q, p, f2, g)
                        )
                        if cost < best[0]:
                            best = (cost, (q, p, f2, g, f3), rows)
    cost, neurons, rows = best
    matched = rows[list(neurons)]
    template = np.zeros_like(matched)
    template[:, 0] = SUBCIRCUIT_INPUT
    for a, col in enumerate(neurons):
        template[:, 1 + col] = SUBCIRCUIT_RECURRENT[:, a]
    deviation = matched - template
    return SubcircuitMatch(
        tuple(int(v) for v in neurons),
        float(np.linalg.norm(deviation) / np.linalg.norm(template)),
        float(np.abs(deviation).max()),
        matched,
        template,
    )


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
        InvalidInputError: if ``k`` is not in ``1 .. n``.
    """
    if x.ndim != 2 or not 1 <= k <= x.shape[1]:
        raise InvalidInputError(
            f"expected (batch, n) inputs and 1 <= k <= n, got shape {tuple(x.shape)} and k = {k}"
        )
    top = x.topk(k, dim=-1).indices
    kept = torch.zeros_like(x)
    return kept.scatter(-1, top, x.gather(-1, top))


@dataclass(frozen=True)
class TopInputsAccuracy:
    """Accuracy with all but the ``k`` largest inputs zeroed, scored against the original sequence.

    Attributes:
        samples: sequences drawn; correct: right predictions among them.
        eligible: sequences with at least two positive inputs, where zeroing the others (to 0, below the
            second-largest) leaves the second argmax unchanged; correct_eligible: right among them.
        full_correct_eligible: right predictions of the model on the same eligible sequences with all
            inputs kept (the comparison for the edited inputs).

    With fewer than two positive inputs a zero becomes the second-largest entry of the edited sequence,
    so a model that returns the edited sequence's second argmax is wrong there: its accuracy over all
    sequences is the eligible fraction, ``1 - (n + 1) / 2^n`` in expectation (``1 - 11/1024`` for
    ``n = 10``).  (A model may still be right there by chance, e.g. through ties.)
    """

    samples: int
    correct: int
    eligible: int
    correct_eligible: int
    full_correct_eligible: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.samples

    @property
    def standard_error(self) -> float:
        return float(binomial_standard_error(self.accuracy, self.samples))

    @property
    def eligible_accuracy(self) -> float:
        """Accuracy on the sequences whose target the zeroing leaves unchanged."""
        return self.correct_eligible / self.eligible if self.eligible else float("nan")

    @property
    def eligible_standard_error(self) -> float:
        p = self.eligible_accuracy
        return (
            float(binomial_standard_error(p, self.eligible)) if self.eligible else float("nan")
        )

    @property
    def full_eligible_accuracy(self) -> float:
        """The model's accuracy with all inputs kept, on the same eligible sequences."""
        return self.full_correct_eligible / self.eligible if self.eligible else float("nan")

    @property
    def eligible_fraction(self) -> float:
        """Fraction of sequences with at least two positive inputs: the accuracy over all sequences of a
        model that returns the second argmax of the edited sequence."""
        return self.eligible / self.samples


def top_inputs_accuracy(
    model: ReLURNN, samples: int, *, k: int = 2, seed: int = 0
) -> TopInputsAccuracy:
    """Accuracy of ``model`` (float32) on Gaussian sequences with all but the top ``k`` inputs zeroed.

    Inputs come from :func:`tinymech.algzoo.evaluation.gaussian_sequences` (the same on every machine) and
    predictions use its tie rule.  Source: a reader's comment on ARC's post: "Zeroing out all the inputs
    except the largest two gets the network to 100%" {cite}`arc2026algzoo`.

    Raises:
        InvalidInputError: for a bad sample count or seed, or ``k`` outside ``1 .. n``.
    """
    model = model.float()
    correct = eligible = correct_eligible = full_correct_eligible = 0
    with torch.no_grad():
        for x in gaussian_sequences(samples, model.output_size, seed=seed):
            target = second_argmax(x)
            right = predictions(model(keep_top_inputs(x, k))) == target
            full_right = predictions(model(x)) == target
            two_positive = (x > 0).sum(dim=1) >= 2
            correct += int(right.sum())
            eligible += int(two_positive.sum())
            correct_eligible += int((right & two_positive).sum())
            full_correct_eligible += int((full_right & two_positive).sum())
    return TopInputsAccuracy(
        int(samples), correct, eligible, correct_eligible, full_correct_eligible
    )


def ablate_neuron(weights: RNNWeights, neuron: int) -> ReLURNN:
    """The model with ``neuron`` silenced at every step (its input and recurrent row set to 0, so its
    activation is always 0).

    Raises:
        InvalidInputError: for an index outside ``0 .. d-1``.
    """
    if not 0 <= neuron < weights.hidden_size:
        raise InvalidInputError(f"neuron must be in 0..{weights.hidden_size - 1}, got {neuron}")
    W_hi, W_hh = weights.W_hi.copy(), weights.W_hh.copy()
    W_hi[neuron] = 0.0
    W_hh[neuron] = 0.0
    return ReLURNN.from_weights(W_hi, W_hh, weights.W_oh)


def single_neuron_ablations(
    model: ReLURNN | RNNWeights, samples: int, *, seed: int = 0
) -> np.ndarray:
    """Sampled accuracy with each neuron silenced (:func:`ablate_neuron`), ``(d,)``.

    Every ablated model sees the same ``samples`` sequences (:func:`tinymech.algzoo.evaluation.sampled_accuracy`
    with ``seed``), so differences between neurons are not sampling noise between input sets.  Source: a
    reader's comment on ARC's post: "Almost all ablations hurt the accuracy dramatically - the model
    makes use of all neurons" {cite}`arc2026algzoo`.

    Raises:
        InvalidInputError: for a bad sample count or seed.
    """
    weights = as_weights(model)
    return np.array(
        [
            sampled_accuracy(ablate_neuron(weights, i), samples, seed=seed).accuracy
            for i in range(weights.hidden_size)
        ]
    )
