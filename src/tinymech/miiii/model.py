"""The one-block transformer of the miiii paper, in PyTorch.

Source: Syrkis & Søgaard (2024) and their paper-era (JAX) code as described in the chapter brief:
token embedding ``(p + 1, d)`` plus positional embedding ``(3, d)``; one block without biases or
LayerNorm; multi-head attention whose heads are summed through per-head output maps, scores scaled by
``1 / sqrt(d / heads)``, no causal mask; ``x = dropout(x + attn(x))``, ``x = dropout(x + ReLU(x W_in)
W_out)`` with an MLP ``d -> 4d -> d``; one unembedding per task, read at the last position, with the
logits of classes ``>= q`` set to ``-inf`` (the paper's code multiplied them by a 0/1 mask instead;
:func:`zero_masked_logits` reproduces that for comparison).  He (fan-in, truncated normal) init.
"""

from __future__ import annotations

import math

import torch
from torch import nn

N_POSITIONS = 3


def he_truncated_normal_(tensor: torch.Tensor, fan_in: int) -> torch.Tensor:
    """Fill ``tensor`` in place with He init: a normal truncated at 2 std, std ``sqrt(2 / fan_in)``.

    The std of the untruncated normal is divided by 0.87962566 so that the truncated samples have
    variance ``2 / fan_in`` (as ``jax.nn.initializers.he_normal`` does).
    """
    std = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    with torch.no_grad():
        nn.init.trunc_normal_(tensor, mean=0.0, std=std, a=-2 * std, b=2 * std)
    return tensor


class MiiiiTransformer(nn.Module):
    """One-block transformer with one masked unembedding per task.

    Args:
        p: the base; the vocabulary is ``p + 1`` tokens (digits and the separator ``p``).
        d: residual width (the paper's best: 256).
        heads: attention heads (d must be divisible by it; paper: 4).
        moduli: the modulus q of each task; task t has q_t classes.
        dropout: dropout probability after each residual addition (paper: 0.1).

    Raises:
        ValueError: if ``d`` is not divisible by ``heads``, or a modulus is < 2.
    """

    def __init__(
        self,
        p: int,
        d: int,
        heads: int,
        moduli: tuple[int, ...] | list[int],
        dropout: float = 0.1,
    ):
        super().__init__()
        if d % heads != 0:
            raise ValueError(f"d must be divisible by heads, got d = {d}, heads = {heads}")
        if len(moduli) == 0 or min(moduli) < 2:
            raise ValueError(
                f"moduli must be a non-empty list of integers >= 2, got {list(moduli)}"
            )
        self.p, self.d, self.heads = p, d, heads
        self.moduli = tuple(int(q) for q in moduli)
        d_head = d // heads
        max_q = max(self.moduli)
        self.token_embedding = nn.Parameter(he_truncated_normal_(torch.empty(p + 1, d), p + 1))
        self.position_embedding = nn.Parameter(
            he_truncated_normal_(torch.empty(N_POSITIONS, d), N_POSITIONS)
        )
        self.W_Q = nn.Parameter(he_truncated_normal_(torch.empty(heads, d, d_head), d))
        self.W_K = nn.Parameter(he_truncated_normal_(torch.empty(heads, d, d_head), d))
        self.W_V = nn.Parameter(he_truncated_normal_(torch.empty(heads, d, d_head), d))
        self.W_O = nn.Parameter(he_truncated_normal_(torch.empty(heads, d_head, d), d_head))
        self.W_in = nn.Parameter(he_truncated_normal_(torch.empty(d, 4 * d), d))
        self.W_out = nn.Parameter(he_truncated_normal_(torch.empty(4 * d, d), 4 * d))
        self.W_U = nn.Parameter(
            he_truncated_normal_(torch.empty(len(self.moduli), d, max_q), d)
        )
        class_mask = torch.arange(max_q)[None, :] < torch.tensor(self.moduli)[:, None]
        self.register_buffer("class_mask", class_mask, persistent=False)
        self.dropout = nn.Dropout(dropout)

    @property
    def n_neurons(self) -> int:
        """Width of the MLP hidden layer (4 d)."""
        return self.W_in.shape[1]

    def forward(
        self, tokens: torch.Tensor, cache: dict[str, torch.Tensor] | None = None
    ) -> torch.Tensor:
        """Per-task logits at the last position.

        Args:
            tokens: ``(batch, 3)`` long tensor of tokens in ``[0, p]``.
            cache: if a dict is given, it is filled with named activations (TransformerLens style):
                ``embed`` ``(batch, 3, d)``, ``attention_pattern`` ``(batch, heads, 3, 3)``,
                ``resid_mid`` ``(batch, 3, d)``, ``mlp_pre`` and ``mlp_post`` ``(batch, 3, 4d)``
                (pre/post ReLU), ``resid_final`` ``(batch, 3, d)``.

        Returns:
            ``(batch, n_tasks, max_q)`` logits; classes ``>= q`` of task q are ``-inf``.

        Raises:
            ValueError: if ``tokens`` does not have shape ``(batch, 3)`` or holds a token outside ``[0, p]``.
        """
        self.check_tokens(tokens)
        return self.logits(tokens, cache)

    def check_tokens(self, tokens: torch.Tensor) -> None:
        """Refuse tokens that are not ``(batch, 3)`` or hold a token outside ``[0, p]``.

        Reading the range is a host synchronisation on a GPU, so the training loop checks its fixed batch
        once and then calls :meth:`logits`.

        Raises:
            ValueError: naming the shape or the range found.
        """
        if tokens.ndim != 2 or tokens.shape[1] != N_POSITIONS:
            raise ValueError(
                f"tokens must have shape (batch, {N_POSITIONS}), got {tuple(tokens.shape)}"
            )
        if tokens.numel() and (int(tokens.min()) < 0 or int(tokens.max()) > self.p):
            raise ValueError(
                f"tokens must lie in [0, {self.p}], found [{int(tokens.min())}, {int(tokens.max())}]"
            )

    def logits(
        self, tokens: torch.Tensor, cache: dict[str, torch.Tensor] | None = None
    ) -> torch.Tensor:
        """:meth:`forward` without :meth:`check_tokens` (for tokens already checked); same arguments."""
        x = self.token_embedding[tokens] + self.position_embedding[None]
        # Only the last position feeds the unembedding, so without a cache the query, the MLP and the
        # residual are computed there alone (same logits, a third of the MLP cost).
        rows = slice(None) if cache is not None else slice(-1, None)
        q = torch.einsum("bsd,hde->bhse", x[:, rows], self.W_Q)
        k = torch.einsum("bsd,hde->bhse", x, self.W_K)
        v = torch.einsum("bsd,hde->bhse", x, self.W_V)
        pattern = torch.softmax(
            q @ k.transpose(-1, -2) / math.sqrt(self.d // self.heads), dim=-1
        )
        attn_out = torch.einsum("bhse,hed->bsd", pattern @ v, self.W_O)
        resid_mid = self.dropout(x[:, rows] + attn_out)
        mlp_pre = resid_mid @ self.W_in
        mlp_post = torch.relu(mlp_pre)
        resid_final = self.dropout(resid_mid + mlp_post @ self.W_out)
        logits = torch.einsum("bd,tdc->btc", resid_final[:, -1], self.W_U)
        if cache is not None:
            cache.update(
                embed=x,
                attention_pattern=pattern,
                resid_mid=resid_mid,
                mlp_pre=mlp_pre,
                mlp_post=mlp_post,
                resid_final=resid_final,
            )
        return logits.masked_fill(~self.class_mask, float("-inf"))


def float64_copy(model: MiiiiTransformer) -> MiiiiTransformer:
    """A float64 copy of ``model`` in eval mode (no dropout), for analyses.

    Float32 sums differ in their last bits between CPU kernels; computed in float64, activations,
    argmaxes and the counts derived from them come out the same on every machine.
    """
    copy = (
        MiiiiTransformer(model.p, model.d, model.heads, model.moduli, dropout=0.0)
        .double()
        .eval()
    )
    copy.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    return copy


def zero_masked_logits(
    logits: torch.Tensor, moduli: tuple[int, ...] | list[int]
) -> torch.Tensor:
    """The paper-era code's masking: logits multiplied by a 0/1 mask, so classes ``>= q`` read 0.

    With this mask a task whose valid logits are all negative predicts an impossible class ``>= q``
    (the 0 wins the argmax).  Args: ``logits`` ``(batch, n_tasks, max_q)`` (``-inf`` entries allowed),
    ``moduli`` of length ``n_tasks``.  Returns a tensor of the same shape.

    Raises:
        ValueError: if the number of moduli does not match ``logits.shape[1]``.
    """
    if logits.ndim != 3 or logits.shape[1] != len(moduli):
        raise ValueError(
            f"logits must be (batch, {len(moduli)}, max_q), got {tuple(logits.shape)}"
        )
    mask = torch.arange(logits.shape[2])[None, :] < torch.tensor(list(moduli))[:, None]
    return torch.where(mask, logits, torch.zeros(()))
