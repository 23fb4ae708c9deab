"""The Toy Model of Superposition (Elhage et al. 2022), the ``k = 0`` reference point of the chapter.

``h = W x`` and ``xhat = ReLU(W^T h + b)`` with tied weights ``W (N_h, N_x)`` and a bias ``b``;
features are Uniform[0, 1] with probability ``p`` (else 0), the loss is the importance-weighted
squared error.  The forward pass and the loss are the shared ones of :mod:`tinymech.tms` (also used by
the autoencoder chapter).  Settings from the TMS paper: AdamW, lr 1e-3, batch 1024, 10,000 steps.
"""

from __future__ import annotations

import torch
from torch import nn
from tqdm import tqdm

from tinymech import tms

from .task import sample_inputs


class ToyModelEnsemble(nn.Module):
    """``M`` toy models of superposition: weights ``W (M, N_h, N_x)``, biases ``b (M, N_x)``.

    Raises:
        ValueError: if a size is not positive.
    """

    def __init__(
        self,
        n_models: int,
        n_features: int,
        n_hidden: int,
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        if min(n_models, n_features, n_hidden) < 1:
            raise ValueError(f"sizes must be >= 1, found {n_models}, {n_features}, {n_hidden}")
        self.W = nn.Parameter(
            torch.randn(n_models, n_hidden, n_features, generator=generator)
            * (2 / (n_hidden + n_features)) ** 0.5
        )
        self.b = nn.Parameter(torch.zeros(n_models, n_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruction of ``x`` of shape ``(M, B, N_x)``; returns the same shape (:func:`tinymech.tms.reconstruct`)."""
        return tms.reconstruct(self.W, self.b, x)


def train_toy_model(
    *,
    p: float,
    importance: torch.Tensor,
    n_hidden: int = 2,
    n_models: int = 4,
    steps: int = 10_000,
    lr: float = 1e-3,
    batch_size: int = 1024,
    seed: int = 0,
    progress: bool = True,
) -> tuple[ToyModelEnsemble, torch.Tensor]:
    """Train ``n_models`` toy models (TMS settings); returns the ensemble and its final batch loss ``(M,)``.

    The loss is :func:`tinymech.tms.loss`: importance-weighted squared error summed over features and
    averaged over the batch, per member.

    Args:
        p: feature probability; importance: ``(N_x,)`` loss weights; n_hidden: ``N_h``;
        steps, lr, batch_size: AdamW settings; seed: generator seed; progress: tqdm bar.
    """
    generator = torch.Generator().manual_seed(seed)
    n_features = importance.numel()
    model = ToyModelEnsemble(n_models, n_features, n_hidden, generator=generator)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr)
    for _ in tqdm(range(steps), disable=not progress, desc="toy model"):
        x = sample_inputs(n_models, batch_size, 1, n_features, p, generator=generator)[:, :, 0]
        per_member = tms.loss(model.W, model.b, x, importance=importance)
        optimiser.zero_grad()
        per_member.sum().backward()
        optimiser.step()
    return model, per_member.detach()
