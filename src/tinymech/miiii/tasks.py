"""Tasks of the miiii chapter: T_miiii, its controls T_basis and T_masked, and Nanda's modular addition.

Source: Syrkis & Søgaard (2024), "Mechanistic Interpretability on Irreducible Integer Identifiers"
(T_miiii, T_basis, T_masked) and Nanda et al. (2023) (T_nanda).  Inputs follow the paper-era code:
three tokens ``(x0, x1, p)`` where ``n = x0 + p * x1`` (x0 is the low digit, as in the paper's
equation 2), ``p`` is a separator token and the answer is read at the last position.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

TASK_NAMES = ("miiii", "basis", "masked", "nanda")
MASKED_MODULI = (2, 3, 5, 7)


def is_prime(n: int) -> bool:
    """Whether the integer ``n`` is prime (trial division; n is at most a few hundred here)."""
    return n >= 2 and all(n % q for q in range(2, int(n**0.5) + 1))


def primes_below(p: int) -> list[int]:
    """All primes q with 2 <= q < p, ascending (sieve of Eratosthenes).

    Raises:
        ValueError: if ``p`` < 3 (there would be no task).
    """
    if p < 3:
        raise ValueError(f"p must be >= 3 so that at least one prime q < p exists, got {p}")
    sieve = [True] * p
    sieve[0] = sieve[1] = False
    for i in range(2, int(p**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = [False] * len(sieve[i * i :: i])
    return [i for i, is_prime in enumerate(sieve) if is_prime]


@dataclass(frozen=True)
class TaskData:
    """A full-batch dataset: every input, its labels per task, the split and the task weights.

    Attributes:
        name: "miiii", "basis", "masked" or "nanda".
        p: base of the two digits (and the vocabulary size minus one).
        moduli: the modulus q of each task, length ``n_tasks``.
        inputs: ``(p**2, 3)`` long tensor of tokens ``(x0, x1, p)``, row ``x0 + p * x1``.
        labels: ``(p**2, n_tasks)`` long tensor, class in ``[0, q)`` per task.
        train_mask: ``(p**2,)`` bool tensor, True for training rows (the rest is validation).
        task_weights: ``(n_tasks,)`` float tensor, the loss weight of each task (0 for masked tasks).
    """

    name: str
    p: int
    moduli: tuple[int, ...]
    inputs: torch.Tensor
    labels: torch.Tensor
    train_mask: torch.Tensor
    task_weights: torch.Tensor

    @property
    def n_tasks(self) -> int:
        """Number of tasks (primes below p for miiii; 1 for nanda)."""
        return len(self.moduli)


def digit_inputs(p: int) -> torch.Tensor:
    """All ``p**2`` inputs as tokens ``(x0, x1, p)``; row index ``n = x0 + p * x1``. Shape ``(p**2, 3)``."""
    n = torch.arange(p * p)
    return torch.stack([n % p, n // p, torch.full_like(n, p)], dim=1)


def make_task(name: str, p: int, *, train_fraction: float = 0.5, seed: int = 0) -> TaskData:
    """Build one of the chapter's tasks with a random train/validation split.

    Args:
        name: "miiii" (n mod q for all primes q < p), "basis" (miiii with whole label rows shuffled
            across inputs), "masked" (miiii with q in {2, 3, 5, 7} given loss weight 0) or "nanda"
            ((x0 + x1) mod p, one task).
        p: the base; inputs are all ``p**2`` digit pairs.
        train_fraction: fraction of the ``p**2`` inputs used for training, in (0, 1); the rest is the
            validation set (0.5 follows the authors' final repository configuration; the paper's text
            says 0.3).
        seed: seed of the split and of the T_basis shuffle.

    Raises:
        ValueError: for an unknown name, a non-prime-friendly p, or a train fraction outside (0, 1).
    """
    if name not in TASK_NAMES:
        raise ValueError(
            f"unknown task {name!r}, please choose one of: {', '.join(TASK_NAMES)}"
        )
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction}")
    inputs = digit_inputs(p)
    n = inputs[:, 0] + p * inputs[:, 1]
    generator = torch.Generator().manual_seed(seed)
    if name == "nanda":
        moduli: tuple[int, ...] = (p,)
        labels = ((inputs[:, 0] + inputs[:, 1]) % p)[:, None]
    else:
        moduli = tuple(primes_below(p))
        labels = torch.stack([n % q for q in moduli], dim=1)
    weights = torch.ones(len(moduli))
    if name == "basis":
        labels = labels[torch.randperm(p * p, generator=generator)]
    if name == "masked":
        weights = torch.tensor([0.0 if q in MASKED_MODULI else 1.0 for q in moduli])
        if weights.sum() == 0:
            raise ValueError(
                f"T_masked needs p > 11 so that some task keeps its weight, got p = {p}"
            )
    order = torch.randperm(p * p, generator=generator)
    train_mask = torch.zeros(p * p, dtype=torch.bool)
    train_mask[order[: int(round(train_fraction * p * p))]] = True
    return TaskData(name, p, moduli, inputs, labels, train_mask, weights)
