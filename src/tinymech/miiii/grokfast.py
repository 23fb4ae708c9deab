"""The Grokfast EMA gradient filter (Lee et al., 2024), applied between ``backward`` and ``step``.

``ema <- alpha * ema + (1 - alpha) * g`` then ``g <- g + lambda * ema``.  Grokfast's own code starts
the EMA at the first gradient (``init="first"``); the miiii paper's (JAX) code starts it at zero
(``init="zero"``, the default here, as in the paper being reproduced).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


class GrokfastEMA:
    """Amplify the slow (low-frequency) component of the gradient sequence.

    Args:
        parameters: the parameters whose ``.grad`` is filtered.
        alpha: EMA decay in [0, 1) (paper: 0.98).
        lamb: amplification lambda >= 0 (paper's best: 0.5; Grokfast: 2).
        init: "zero" (EMA starts at 0) or "first" (EMA starts at the first gradient).

    Raises:
        ValueError: for alpha outside [0, 1), negative lambda or an unknown init.
    """

    def __init__(
        self,
        parameters: Iterable[torch.nn.Parameter],
        alpha: float = 0.98,
        lamb: float = 0.5,
        init: str = "zero",
    ):
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"alpha must be in [0, 1), got {alpha}")
        if lamb < 0:
            raise ValueError(f"lamb must be >= 0, got {lamb}")
        if init not in ("zero", "first"):
            raise ValueError(f"init must be 'zero' or 'first', got {init!r}")
        self.parameters = [p for p in parameters if p.requires_grad]
        self.alpha, self.lamb, self.init = alpha, lamb, init
        self.ema: list[torch.Tensor] | None = None

    @torch.no_grad()
    def filter_(self) -> None:
        """Update the EMA with the current gradients and add ``lamb * ema`` to them, in place."""
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in self.parameters]
        if self.ema is None:
            self.ema = [
                g.clone() if self.init == "first" else torch.zeros_like(g) for g in grads
            ]
            if self.init == "first":
                for p, e in zip(self.parameters, self.ema):
                    if p.grad is not None:
                        p.grad.add_(e, alpha=self.lamb)
                return
        for p, g, e in zip(self.parameters, grads, self.ema):
            e.mul_(self.alpha).add_(g, alpha=1.0 - self.alpha)
            if p.grad is not None:
                p.grad.add_(e, alpha=self.lamb)
