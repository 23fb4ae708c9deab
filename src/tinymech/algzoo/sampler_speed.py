"""The M16,10 sampler against a plain torch loop and one core's arithmetic bound (issue 27).

Three numbers in sequences per second on one thread:

- the book's sampler, :func:`tinymech.algzoo.evaluation.sampled_accuracy` (numpy PCG64 inputs in fixed
  chunks, the tie rule, the target);
- :func:`plain_loop`, a plain float32 torch loop of about 20 lines doing the same work on the same inputs
  (the same chunks, ``relu(h W_hh^T + x_t W_hi)`` step by step, the argmax of the logits against the
  second argmax of the inputs), without the tie rule;
- :func:`arithmetic_bound`: one core's float32 multiply-add rate, measured on a large matrix product,
  divided by the forward pass's ``n d (d + 1) + n d`` multiply-adds.

Measured, never asserted (``tools/benchmark_sampler.py`` prints them).
"""

from __future__ import annotations

import time

import torch

from tinymech.algzoo.architectures import ReLURNN, RNNWeights
from tinymech.algzoo.operations import forward_operations
from tinymech.algzoo.evaluation import gaussian_sequences, sampled_accuracy
from tinymech.algzoo.tasks import second_argmax


def plain_loop(weights: RNNWeights, samples: int, *, seed: int = 0) -> int:
    """Correct predictions of a plain float32 torch loop on the sampler's sequences (no tie rule)."""
    W_hi = torch.tensor(weights.W_hi, dtype=torch.float32)
    W_hh = torch.tensor(weights.W_hh, dtype=torch.float32).T.contiguous()
    W_oh = torch.tensor(weights.W_oh, dtype=torch.float32).T.contiguous()
    correct = 0
    with torch.no_grad():
        for x in gaussian_sequences(samples, weights.output_size, seed=seed):
            h = torch.zeros(len(x), weights.hidden_size)
            for t in range(x.shape[1]):
                h = torch.relu(h @ W_hh + x[:, t : t + 1] * W_hi)
            correct += int(((h @ W_oh).argmax(1) == second_argmax(x)).sum())
    return correct


def multiply_add_rate(size: int = 1024, repeats: int = 5) -> float:
    """Float32 multiply-adds per second of one thread on a ``size`` square matrix product (best of
    ``repeats``)."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return size**3 / best


def arithmetic_bound(hidden_size: int, seq_len: int) -> float:
    """Sequences per second one core could evaluate if the forward pass ran at the matrix-product rate."""
    return multiply_add_rate() / forward_operations(hidden_size, seq_len)


def _rate(function, samples: int) -> float:
    function(min(samples, 2**16))  # warm-up
    start = time.perf_counter()
    function(samples)
    return samples / (time.perf_counter() - start)


def sampler_comparison(weights: RNNWeights, *, samples: int = 2**21, seed: int = 0) -> dict:
    """``{"sampler", "plain_loop", "bound"}`` in sequences per second on one thread, the two ratios, and
    the two correct counts (they differ only where the tie rule decides a prediction)."""
    torch.set_num_threads(1)
    model = ReLURNN.from_weights(weights.W_hi, weights.W_hh, weights.W_oh).eval()
    sampler = _rate(lambda k: sampled_accuracy(model, k, seed=seed), samples)
    plain = _rate(lambda k: plain_loop(weights, k, seed=seed), samples)
    bound = arithmetic_bound(weights.hidden_size, weights.output_size)
    return {
        "sampler": sampler,
        "plain_loop": plain,
        "bound": bound,
        "sampler_over_plain": sampler / plain,
        "sampler_over_bound": sampler / bound,
        "sampler_correct": sampled_accuracy(model, samples, seed=seed).correct,
        "plain_correct": plain_loop(weights, samples, seed=seed),
    }
