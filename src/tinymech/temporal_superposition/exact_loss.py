"""Expected loss of the k-delay task in closed form (Sharma et al. 2026; their Eqs. 5 and 6 as stated here).

For linear recurrence ``yhat_t = sigma_y(sum_{s<t} C_s x_{t-s})`` with ``C_s = W_y^T W_h^s W_x``.
Inputs are independent with ``E[x] = p mu`` and ``E[x^2] = p nu``.

*Linear readout (Eq. 5).*  For scalar input, per time step ``t > k``::

    E[(yhat_t - y_t)^2] = p nu (c_k - 1)^2                     task benefit
                          - 2 p^2 mu^2 sum_{s != k} c_s        mean correction
                          + p nu sum_{s != k} c_s^2            projection interference
                          + p^2 mu^2 sum_{s != s'} c_s c_s'    composition interference (all pairs, k included)

with all sums over lags ``s < t``; for ``t <= k`` the target is 0 and only the two interference
terms remain.  :func:`expected_loss_linear` evaluates the same expectation for vector inputs.

*ReLU readout, sparse limit (Eq. 6).*  When at most one input is active in a window, a lone input
``u`` at lag ``s`` gives the error ``u^2 (ReLU(c_s) - [s = k])^2``, so
``E[L] = p nu sum_t sum_{s<t} (ReLU(c_s) - [s = k])^2 + O(p^2)``.  Negative projections cost
nothing: the half-space opposite the readout is the *interference-free space*.

Losses are per sequence, summed over features (weighted by importance) and either summed over
time (``reduction="sum"``, Eq. 5 as written) or averaged over time (``"mean"``, the training loss).
"""

from __future__ import annotations

import torch

from tinymech.errors import InvalidInputError

from .geometry import feature_directions, projections
from .models import RNNEnsemble
from .task import (
    UNIFORM_MEAN,
    UNIFORM_SECOND_MOMENT,
    delayed_targets,
    sample_inputs,
    sparse_input_stream,
)

REDUCTIONS = ("mean", "sum")


def _check(k: int, seq_len: int, p: float, reduction: str) -> None:
    if not 0 <= k < seq_len:
        raise InvalidInputError(f"delay k must satisfy 0 <= k < seq_len={seq_len}, found {k}")
    if not 0 < p <= 1:
        raise InvalidInputError(f"feature probability p must lie in (0, 1], found {p}")
    if reduction not in REDUCTIONS:
        raise InvalidInputError(f"reduction must be one of {REDUCTIONS}, found {reduction!r}")


def _lag_coefficients(C: torch.Tensor, k: int) -> torch.Tensor:
    """Error coefficients ``a[t, s, i, j]`` of input ``x_{t-s, j}`` in output error ``i`` at time t."""
    seq_len, n_x = C.shape[-3], C.shape[-1]
    t = torch.arange(1, seq_len + 1).view(-1, 1)
    s = torch.arange(seq_len).view(1, -1)
    seen = (s < t).to(C.dtype)  # (T, S)
    target = ((s == k) & (t > k)).to(C.dtype)
    eye = torch.eye(n_x, dtype=C.dtype)
    return C.unsqueeze(-4) * seen[..., None, None] - target[..., None, None] * eye


def expected_loss_linear(
    W_x: torch.Tensor,
    W_h: torch.Tensor,
    W_y: torch.Tensor,
    *,
    k: int,
    seq_len: int,
    p: float,
    importance: torch.Tensor | None = None,
    mu: float = UNIFORM_MEAN,
    nu: float = UNIFORM_SECOND_MOMENT,
    reduction: str = "mean",
) -> torch.Tensor:
    """Exact expected loss of a linear RNN on the k-delay task (Eq. 5, any ``N_x``).

    Args:
        W_x: shape ``(..., N_h, N_x)``; W_h: ``(..., N_h, N_h)``; W_y: ``(..., N_h, N_x)``.
        k: delay; seq_len: sequence length ``T``; p: feature probability.
        importance: per-feature loss weights, shape ``(N_x,)`` (default all 1).
        mu, nu: first and second moment of the magnitude ``U`` (Uniform[0, 1] by default).
        reduction: ``"mean"`` (average over time steps) or ``"sum"`` (Eq. 5).

    Returns:
        Tensor of shape ``(...)``.

    Raises:
        InvalidInputError: on an invalid ``k``, ``p``, ``reduction`` or importance shape.
    """
    _check(k, seq_len, p, reduction)
    C = projections(W_y, feature_directions(W_x, W_h, seq_len))  # (..., S, N_x, N_x)
    n_x = C.shape[-1]
    if importance is None:
        importance = torch.ones(n_x, dtype=C.dtype)
    if importance.shape != (n_x,):
        raise InvalidInputError(
            f"importance must have shape ({n_x},), found {tuple(importance.shape)}"
        )
    a = _lag_coefficients(C, k)  # (..., T, S, N_x, N_x)
    square = (a**2).sum(dim=(-3, -1))  # (..., T, N_x)
    total = a.sum(dim=(-3, -1))
    per_output = p * nu * square + p**2 * mu**2 * (total**2 - square)
    per_t = (per_output * importance.to(C.dtype)).sum(-1)
    return per_t.mean(-1) if reduction == "mean" else per_t.sum(-1)


def loss_terms_linear(
    c: torch.Tensor,
    *,
    k: int,
    p: float,
    mu: float = UNIFORM_MEAN,
    nu: float = UNIFORM_SECOND_MOMENT,
    reduction: str = "mean",
) -> dict[str, torch.Tensor]:
    """The four terms of Eq. 5 for scalar input, from the projections ``c_s``.

    Args:
        c: projections ``c_s`` for ``s = 0 .. T-1``, shape ``(..., T)`` (``T`` is the sequence length).
        k, p, mu, nu, reduction: as in :func:`expected_loss_linear`.

    Returns:
        Dict with keys ``task_benefit``, ``mean_correction``, ``projection_interference``,
        ``composition_interference``, each of shape ``(...)``; they add up to the expected loss.
    """
    seq_len = c.shape[-1]
    _check(k, seq_len, p, reduction)
    t = torch.arange(1, seq_len + 1).view(-1, 1)
    s = torch.arange(seq_len).view(1, -1)
    seen = (s < t).to(c.dtype)  # (T, S)
    has_target = (t.view(-1) > k).to(c.dtype)
    not_k = (s != k).to(c.dtype)
    cs = c.unsqueeze(-2) * seen  # (..., T, S)
    c_k = c[..., k].unsqueeze(-1)
    terms = {
        "task_benefit": p * nu * (c_k - 1) ** 2 * has_target,
        "mean_correction": -2 * p**2 * mu**2 * (cs * not_k).sum(-1) * has_target,
        "projection_interference": p * nu * (cs**2 * not_k).sum(-1),
        "composition_interference": p**2 * mu**2 * (cs.sum(-1) ** 2 - (cs**2).sum(-1)),
    }
    # for t <= k the lag-k term is unseen, so there is no target and no mean correction
    return {
        name: (v.mean(-1) if reduction == "mean" else v.sum(-1)) for name, v in terms.items()
    }


def sparse_limit_loss_relu(
    W_x: torch.Tensor,
    W_h: torch.Tensor,
    W_y: torch.Tensor,
    *,
    k: int,
    seq_len: int,
    p: float,
    importance: torch.Tensor | None = None,
    nu: float = UNIFORM_SECOND_MOMENT,
    reduction: str = "mean",
) -> torch.Tensor:
    """Leading-order (in ``p``) expected loss of the SSM (linear recurrence, ReLU readout), Eq. 6.

    ``E[L] = p nu sum_t sum_{s<t} sum_{i,j} I_i (ReLU(C_s[i, j]) - [s = k] delta_ij)^2 + O(p^2)``.

    Args and returns as in :func:`expected_loss_linear`.
    """
    _check(k, seq_len, p, reduction)
    C = projections(W_y, feature_directions(W_x, W_h, seq_len))
    n_x = C.shape[-1]
    if importance is None:
        importance = torch.ones(n_x, dtype=C.dtype)
    if importance.shape != (n_x,):
        raise InvalidInputError(
            f"importance must have shape ({n_x},), found {tuple(importance.shape)}"
        )
    target = torch.zeros(seq_len, n_x, n_x, dtype=C.dtype)
    target[k] = torch.eye(n_x, dtype=C.dtype)
    per_lag = ((torch.relu(C) - target) ** 2 * importance.to(C.dtype).view(-1, 1)).sum((-2, -1))
    times_seen = torch.arange(
        seq_len, 0, -1, dtype=C.dtype
    )  # lag s is seen at T - s time steps
    total = p * nu * (per_lag * times_seen).sum(-1)
    return total / seq_len if reduction == "mean" else total


@torch.no_grad()
def monte_carlo_loss(
    model: RNNEnsemble,
    *,
    k: int | torch.Tensor,
    seq_len: int,
    p: float | torch.Tensor,
    n_sequences: int,
    importance: torch.Tensor | None = None,
    seed: int | None = None,
    generator: torch.Generator | None = None,
    chunk: int = 20_000,
    reduction: str = "mean",
) -> tuple[torch.Tensor, torch.Tensor]:
    """Monte Carlo estimate of the expected per-sequence loss and its standard error.

    Args:
        model: ensemble of ``M`` models; its dtype is used for the inputs.
        k, seq_len, importance, reduction: as in :func:`expected_loss_linear`.
        p: feature probability, a float or one per member, shape ``(M,)``; k likewise.
        n_sequences: number of sampled sequences per model.
        seed: draw the sequences from :func:`.task.sparse_input_stream` (numpy, the same on every
            machine): use this for anything that is printed.
        generator: otherwise, draw them with :func:`.task.sample_inputs` from this torch generator in
            chunks of ``chunk`` sequences (how the committed runs were evaluated).

    Returns:
        ``(mean, standard_error)``, each of shape ``(M,)``.

    Raises:
        InvalidInputError: on an invalid ``k``, ``p``, ``reduction``, a non-positive ``n_sequences``, or
            both ``seed`` and ``generator``.
    """
    for value in torch.as_tensor(p, dtype=torch.float64).reshape(-1).tolist():
        for delay in torch.as_tensor(k).reshape(-1).tolist():
            _check(delay, seq_len, value, reduction)
    if n_sequences < 2:
        raise InvalidInputError(
            f"n_sequences must be >= 2 for a standard error, found {n_sequences}"
        )
    if seed is not None and generator is not None:
        raise InvalidInputError(
            "give either seed (numpy stream) or generator (torch), not both"
        )
    n_models, _, n_x = model.W_x.shape
    dtype = model.W_x.dtype
    weights = (torch.ones(n_x) if importance is None else torch.as_tensor(importance)).to(dtype)
    if seed is not None:
        batches = sparse_input_stream(
            n_models, n_sequences, seq_len, n_x, p, seed=seed, dtype=dtype
        )
    else:
        sizes = [min(chunk, n_sequences - start) for start in range(0, n_sequences, chunk)]
        batches = (
            sample_inputs(
                n_models,
                size,
                seq_len,
                n_x,
                torch.as_tensor(p, dtype=torch.float32),
                generator=generator,
            ).to(dtype)
            for size in sizes
        )
    losses = []
    for x in batches:
        error = (model(x) - delayed_targets(x, k)) ** 2 * weights
        per_t = error.sum(-1)
        losses.append(per_t.mean(-1) if reduction == "mean" else per_t.sum(-1))
    loss = torch.cat(losses, dim=1)
    return loss.mean(1), loss.std(1) / n_sequences**0.5


def exact_versus_sampled(
    weights: dict[str, torch.Tensor],
    *,
    k: int,
    seq_len: int,
    p: float,
    n_sequences: int,
    seed: int,
) -> dict[str, float]:
    """The exact loss of a scalar linear RNN against a Monte Carlo estimate, with a control that has power.

    The control drops the composition-interference term from the exact loss: if the sampled loss
    could not tell the full formula from the truncated one, agreement would mean little.

    Args:
        weights: one model, ``W_x (N_h, 1)``, ``W_h (N_h, N_h)``, ``W_y (N_h, 1)`` (converted to float64).
        k, seq_len, p: as in :func:`expected_loss_linear`; n_sequences, seed: the Monte Carlo sample
            (:func:`.task.sparse_input_stream`).

    Returns:
        ``exact``, ``sampled``, ``standard_error``, ``z`` (``(exact - sampled) / standard_error``),
        ``exact_without_composition`` and ``z_without_composition``.

    Raises:
        InvalidInputError: if the input is not scalar or a setting is invalid.
    """
    W_x, W_h, W_y = (torch.as_tensor(weights[name]).double() for name in ("W_x", "W_h", "W_y"))
    if W_x.ndim != 2 or W_x.shape[-1] != 1:
        raise InvalidInputError(
            f"need one scalar-input model, W_x of shape (N_h, 1), found {tuple(W_x.shape)}"
        )
    exact = float(expected_loss_linear(W_x, W_h, W_y, k=k, seq_len=seq_len, p=p))
    c = projections(W_y, feature_directions(W_x, W_h, seq_len))[..., 0, 0]
    terms = loss_terms_linear(c, k=k, p=p)
    truncated = float(sum(terms.values()) - terms["composition_interference"])
    model = RNNEnsemble.from_weights("linear", W_x[None], W_h[None], W_y[None])
    mean, se = monte_carlo_loss(
        model, k=k, seq_len=seq_len, p=p, n_sequences=n_sequences, seed=seed
    )
    mean, se = float(mean[0]), float(se[0])
    return {
        "exact": exact,
        "sampled": mean,
        "standard_error": se,
        "z": (exact - mean) / se,
        "exact_without_composition": truncated,
        "z_without_composition": (truncated - mean) / se,
    }


def sparse_limit_versus_sampled(
    weights: dict[str, torch.Tensor],
    *,
    k: int,
    seq_len: int,
    p: float,
    n_sequences: int,
    seed: int,
) -> dict[str, float]:
    """The sparse-limit loss of SSMs (Eq. 6), summed over members, against a Monte Carlo estimate, with a control.

    The control is the same leading order without the ReLU, ``p nu sum_t sum_{s<t} (c_s - [s = k])^2``
    (the order-``p`` terms of the exact linear loss), which charges negative projections too: it is
    what the sparse limit would be without an interference-free space.

    Args:
        weights: ``M`` scalar-input models, ``W_x (M, N_h, 1)``, ``W_h (M, N_h, N_h)``, ``W_y (M, N_h, 1)``
            (converted to float64); the losses of the members are added up.
        k, seq_len, p: as in :func:`expected_loss_linear`; n_sequences, seed: the Monte Carlo sample per
            member (:func:`.task.sparse_input_stream`).

    Returns:
        ``sparse_limit``, ``sampled``, ``standard_error``, ``gap`` (relative: ``sparse_limit / sampled - 1``),
        ``gap_error`` (its standard error, ``sparse_limit * se / sampled^2``), ``linear_leading_order`` and
        ``linear_gap``.

    Raises:
        InvalidInputError: if the input is not scalar or a setting is invalid.
    """
    W_x, W_h, W_y = (torch.as_tensor(weights[name]).double() for name in ("W_x", "W_h", "W_y"))
    if W_x.ndim != 3 or W_x.shape[-1] != 1:
        raise InvalidInputError(
            f"need scalar-input models, W_x of shape (M, N_h, 1), found {tuple(W_x.shape)}"
        )
    approx = float(sparse_limit_loss_relu(W_x, W_h, W_y, k=k, seq_len=seq_len, p=p).sum())
    c = projections(W_y, feature_directions(W_x, W_h, seq_len))[..., 0, 0]
    terms = loss_terms_linear(c, k=k, p=p)
    linear = float((terms["task_benefit"] + terms["projection_interference"]).sum())
    model = RNNEnsemble.from_weights("ssm", W_x, W_h, W_y)
    mean, se = monte_carlo_loss(
        model, k=k, seq_len=seq_len, p=p, n_sequences=n_sequences, seed=seed
    )
    mean, se = float(mean.sum()), float((se**2).sum() ** 0.5)
    return {
        "sparse_limit": approx,
        "sampled": mean,
        "standard_error": se,
        "gap": approx / mean - 1,
        "gap_error": approx * se / mean**2,
        "linear_leading_order": linear,
        "linear_gap": linear / mean - 1,
    }
