"""Adam and AdamW vectorised over independent seeds, with a per-seed learning rate.

The update is the one of ``torch.optim.Adam`` / ``torch.optim.AdamW`` (Kingma & Ba 2015; Loshchilov &
Hutter 2019, decoupled weight decay), written out so that every seed can have its own learning
rate, which lets a whole (perturbation x learning-rate) grid train as one batch.  The tests check it step by step against ``torch.optim.AdamW``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from tinymech.errors import InvalidInputError

OPTIMIZERS = ("adam", "adamw")


@dataclass
class VectorisedAdam:
    """Adam(W) state for a list of parameter tensors whose first axis is the seed.

    Attributes:
        lr: learning rate per seed, shape ``(seeds,)``.
        kind: ``"adam"`` (no weight decay) or ``"adamw"`` (decoupled weight decay).
        weight_decay: AdamW decay (torch default 0.01); ignored for ``"adam"``.
        betas, eps: as in torch (0.9, 0.999), 1e-8.
    """

    lr: torch.Tensor
    kind: str = "adamw"
    weight_decay: float = 0.01
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    step_count: int = 0
    first_moments: list[torch.Tensor] = field(default_factory=list)
    second_moments: list[torch.Tensor] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in OPTIMIZERS:
            raise InvalidInputError(
                f"optimizer must be one of {OPTIMIZERS}, found {self.kind!r}"
            )
        if self.lr.ndim != 1:
            raise InvalidInputError(
                f"lr must have shape (seeds,), found {tuple(self.lr.shape)}"
            )
        if bool((self.lr <= 0).any()):
            raise InvalidInputError("every learning rate must be positive")

    def _lr_like(self, p: torch.Tensor) -> torch.Tensor:
        if p.shape[0] != self.lr.shape[0]:
            raise InvalidInputError(
                f"parameter has {p.shape[0]} seeds, lr has {self.lr.shape[0]}"
            )
        return self.lr.to(p.dtype).reshape((-1,) + (1,) * (p.ndim - 1))

    def step(self, params: list[torch.Tensor], grads: list[torch.Tensor]) -> None:
        """Update ``params`` in place from ``grads`` (same shapes, first axis = seed)."""
        if not self.first_moments:
            self.first_moments = [torch.zeros_like(p) for p in params]
            self.second_moments = [torch.zeros_like(p) for p in params]
        self.step_count += 1
        beta1, beta2 = self.betas
        correction1 = 1 - beta1**self.step_count
        correction2_sqrt = (1 - beta2**self.step_count) ** 0.5
        for p, g, m1, m2 in zip(params, grads, self.first_moments, self.second_moments):
            lr = self._lr_like(p)
            if self.kind == "adamw" and self.weight_decay:
                p.mul_(1 - lr * self.weight_decay)
            m1.mul_(beta1).add_(g, alpha=1 - beta1)
            m2.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            denominator = (m2.sqrt() / correction2_sqrt).add_(self.eps)
            p.sub_(lr / correction1 * m1 / denominator)
