"""Training an ensemble of k-delay models with Adam (settings are ours; the paper's were not available).

One call trains ``M`` independent models side by side (one per ``(p, seed)`` pair, say): each member
draws its own initial weights and its own data, and the summed loss gives each member exactly its
own gradient, so Adam's element-wise update treats members as separate runs.
"""

from __future__ import annotations

import torch
from tqdm import tqdm

from tinymech.errors import InvalidInputError

from .models import RNNEnsemble
from .task import delayed_targets, sample_inputs


def train_ensemble(
    kind: str,
    *,
    p: torch.Tensor,
    k: int | torch.Tensor,
    n_inputs: int = 1,
    n_hidden: int = 2,
    importance: torch.Tensor | None = None,
    tied: bool = False,
    seed: int = 0,
    steps: int = 4000,
    lr: float = 3e-3,
    batch_size: int = 512,
    seq_len: int | None = None,
    record_every: int = 10,
    snapshot_every: int = 0,
    snapshot_steps: tuple[int, ...] = (),
    init_scale: float = 1.0,
    progress: bool = True,
) -> tuple[RNNEnsemble, torch.Tensor, dict[str, torch.Tensor]]:
    """Train one model per entry of ``p`` on the k-delay task (our working settings; the paper's were not available).

    Args:
        kind: ``"linear"``, ``"ssm"`` or ``"relu"``.
        p: feature probability of each member, shape ``(M,)``.
        k: delay, or one delay per member, shape ``(M,)`` (untied readout only).
        n_inputs: features ``N_x``; n_hidden: hidden units ``N_h``.
        importance: per-feature loss weights ``(N_x,)`` (default all 1).
        tied: tie the readout to ``W_h^k W_x``.
        seed: seed of the random generator for weights and data.
        steps: Adam steps; lr: learning rate; batch_size: sequences per step and member.
        seq_len: sequence length (default ``max(k) + 12``).
        record_every: record the training loss every this many steps.
        snapshot_every: if positive, keep a copy of the weights every this many steps.
        snapshot_steps: further steps at which to keep a copy (e.g. log-spaced, for staircase curves);
            a snapshot at step ``n`` holds the weights after update ``n`` (counting from 0).
        init_scale: factor on the initial weights (see :class:`.models.RNNEnsemble`).
        progress: show a tqdm progress bar.

    Returns:
        ``(model, loss_history, snapshots)``; ``loss_history`` has shape ``(steps // record_every, M)``
        and holds each member's batch loss (importance-weighted squared error summed over features,
        averaged over time steps and sequences); ``snapshots`` maps ``W_x``, ``W_h``, ``W_y`` to
        tensors of shape ``(n_snapshots, M, ...)`` and ``step`` to the step numbers
        (empty when no snapshot is asked for).

    Raises:
        InvalidInputError: if ``p`` is not one-dimensional or a setting is out of range.
    """
    p = torch.as_tensor(p, dtype=torch.float32)
    if p.ndim != 1:
        raise InvalidInputError(f"p must have shape (M,), found {tuple(p.shape)}")
    if steps < 1 or batch_size < 1 or record_every < 1:
        raise InvalidInputError(
            f"steps, batch_size and record_every must be >= 1, found {steps}, {batch_size}, "
            f"{record_every}"
        )
    k_values = torch.as_tensor(k).reshape(-1)
    if k_values.numel() not in (1, len(p)):
        raise InvalidInputError(
            f"k must be an int or have shape ({len(p)},), found {tuple(k_values.shape)}"
        )
    if tied and k_values.numel() > 1:
        raise InvalidInputError("a tied readout needs a single delay k")
    seq_len = int(k_values.max()) + 12 if seq_len is None else seq_len
    weights = (
        torch.ones(n_inputs)
        if importance is None
        else torch.as_tensor(importance, dtype=torch.float32)
    )
    if weights.shape != (n_inputs,):
        raise InvalidInputError(
            f"importance must have shape ({n_inputs},), found {tuple(weights.shape)}"
        )
    generator = torch.Generator().manual_seed(seed)
    model = RNNEnsemble(
        kind,
        len(p),
        n_inputs,
        n_hidden,
        k=int(k_values[0]),
        tied=tied,
        generator=generator,
        init_scale=init_scale,
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    history, snapshots = [], []
    extra_snapshots = set(int(n) for n in snapshot_steps)
    for step in tqdm(range(steps), disable=not progress, desc=f"{kind} k={k_values.tolist()}"):
        x = sample_inputs(len(p), batch_size, seq_len, n_inputs, p, generator=generator)
        error = (model(x) - delayed_targets(x, k)) ** 2 * weights
        per_member = error.sum(-1).mean(dim=(1, 2))
        optimiser.zero_grad()
        per_member.sum().backward()
        optimiser.step()
        if step % record_every == 0:
            history.append(per_member.detach())
        if (snapshot_every > 0 and step % snapshot_every == 0) or step in extra_snapshots:
            snapshots.append((step, model.weights()))
    stacked = {}
    if snapshots:
        stacked = {
            name: torch.stack([w[name] for _, w in snapshots]) for name in ("W_x", "W_h", "W_y")
        }
        stacked["step"] = torch.tensor([step for step, _ in snapshots])
    return model, torch.stack(history), stacked


def minimise_exact_loss(
    *,
    p: float,
    k: int,
    n_restarts: int = 16,
    n_hidden: int = 2,
    seq_len: int | None = None,
    seed: int = 0,
    max_iter: int = 500,
) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Minimise the exact expected loss (Eq. 5) of a scalar linear RNN with L-BFGS from random starts.

    Possible only because the expected loss is known in closed form: no sampling noise, float64.

    Args:
        p: feature probability; k: delay; n_restarts: random initialisations (uniform in +-1);
        n_hidden: ``N_h``; seq_len: default ``k + 12``; seed: generator seed; max_iter: L-BFGS iterations.

    Returns:
        ``(weights, loss)``: ``W_x (R, N_h, 1)``, ``W_h (R, N_h, N_h)``, ``W_y (R, N_h, 1)`` and the
        expected loss of each restart ``(R,)`` (mean over time steps).
    """
    from .exact_loss import expected_loss_linear

    seq_len = k + 12 if seq_len is None else seq_len
    generator = torch.Generator().manual_seed(seed)
    shapes = {
        "W_x": (n_restarts, n_hidden, 1),
        "W_h": (n_restarts, n_hidden, n_hidden),
        "W_y": (n_restarts, n_hidden, 1),
    }
    params = {
        name: (
            2 * torch.rand(shape, generator=generator, dtype=torch.float64) - 1
        ).requires_grad_()
        for name, shape in shapes.items()
    }
    optimiser = torch.optim.LBFGS(
        list(params.values()),
        max_iter=max_iter,
        line_search_fn="strong_wolfe",
        tolerance_grad=1e-12,
        tolerance_change=1e-15,
    )

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = expected_loss_linear(
            params["W_x"], params["W_h"], params["W_y"], k=k, seq_len=seq_len, p=p
        ).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        loss = expected_loss_linear(
            params["W_x"], params["W_h"], params["W_y"], k=k, seq_len=seq_len, p=p
        )
    return {name: value.detach().float() for name, value in params.items()}, loss.float()
