"""The exact methods against sampling on random models: a fuzz test of every method that calls itself exact.

The exact methods are checked on the trained and handcrafted models elsewhere; those share a structure
that random models do not, and a defect that shows only on some weights (the sector merged across angle 0,
fixed in :mod:`.sectors`, was wrong on about 4% of standard Gaussian M2,2s) passes such tests.  Here each
model is drawn at random from one of :data:`FAMILIES`, its exact accuracy is computed by every exact
method that applies, and each is compared with the accuracy sampled in float64 on fresh Gaussian
sequences (:func:`tinymech.algzoo.evaluation.sampled_accuracy`, with its tie rule: logits within a
relative ``1e-12`` of the largest are tied and a tie goes to the lowest position; the exact methods
count ties the same way).  A method *disagrees* on a model when ``|sampled - exact|`` exceeds
:data:`Z_LIMIT` standard errors ``sqrt(p (1 - p) / N)`` (``p`` the exact accuracy, its variance floored
at one sequence's worth ``1 / N``), which sampling alone does with probability ``5.7e-7`` per model.

The unit tests run :data:`SUITE_MODELS` models; ``tinymech fuzz-exact --models N`` runs more, with
another ``--seed`` for models nobody has seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tinymech.algzoo.architectures import RNNWeights
from tinymech.algzoo.null_models import gaussian_weights
from tinymech.errors import InvalidInputError

#: The families of random models, each drawn by :func:`random_model`:
#: ``gaussian`` (standard Gaussian weights), ``sparse`` (Gaussian, each weight zero with probability 0.6:
#: zero rows and columns, equal readout rows), ``integer`` (integers from -2 to 2: exact ties between
#: logits, boundaries through several rays at once, equal or zero readout rows), ``negative_input``
#: (input weights ``-|N(0, 1)|``) and ``near_dead`` (input and recurrent weights ``-|N(0, 1)|``: every
#: hidden unit is off after a positive last input, so on half the inputs all logits are 0 and tie).
FAMILIES = ("gaussian", "sparse", "integer", "negative_input", "near_dead")
#: Hidden sizes drawn (uniformly, inclusive) per sequence length.
HIDDEN_SIZES = {2: (1, 32), 3: (1, 8)}
#: Models of sequence length 3 use the linear-program method (:mod:`.solid_angles`) too up to this hidden
#: size (it is about 50 times slower than clipping).
LINEAR_PROGRAM_MAX_HIDDEN = 4
#: A method disagrees with sampling beyond this many standard errors.
Z_LIMIT = 5.0
#: Models fuzzed by the unit tests (``tests/test_exact_fuzz.py``) and sequences sampled for each.
SUITE_MODELS = 480
SUITE_SAMPLES = 2**16
#: Length-2 models checked against an angle grid (:func:`angle_grid_accuracy`) by the unit tests, and its
#: number of angles.
SUITE_GRID_MODELS = 400
GRID_POINTS = 2**16
#: Models of ``tinymech fuzz-exact`` when ``--models`` is not given.
RELEASE_MODELS = 3000


def random_model(
    family: str, hidden_size: int, seq_len: int, rng: np.random.Generator
) -> RNNWeights:
    """A random M_{d,n} of one of :data:`FAMILIES`, drawn ``W_hi``, ``W_hh``, ``W_oh`` in order from ``rng``.

    Args:
        family: a name of :data:`FAMILIES`.
        hidden_size: ``d >= 1``.
        seq_len: ``n`` (also the number of logits).
        rng: the generator (consumed).

    Raises:
        InvalidInputError: for an unknown family or a non-positive size.
    """
    if family not in FAMILIES:
        raise InvalidInputError(
            f"unknown family {family!r}; choose one of: {', '.join(FAMILIES)}"
        )
    if hidden_size < 1 or seq_len < 1:
        raise InvalidInputError(
            f"hidden size and sequence length must be positive, got {hidden_size}, {seq_len}"
        )
    shapes = [(hidden_size,), (hidden_size, hidden_size), (seq_len, hidden_size)]
    if family == "integer":
        W_hi, W_hh, W_oh = (
            rng.integers(-2, 3, size=shape).astype(np.float64) for shape in shapes
        )
    else:
        drawn = gaussian_weights(hidden_size, seq_len, rng)
        W_hi, W_hh, W_oh = drawn.W_hi, drawn.W_hh, drawn.W_oh
        if family == "sparse":
            W_hi, W_hh, W_oh = (w * (rng.random(w.shape) >= 0.6) for w in (W_hi, W_hh, W_oh))
        elif family == "negative_input":
            W_hi = -np.abs(W_hi)
        elif family == "near_dead":
            W_hi, W_hh = -np.abs(W_hi), -np.abs(W_hh)
    return RNNWeights(W_hi, W_hh, W_oh)


def fuzz_model(
    index: int, seed: int = 0, *, seq_len: int | None = None
) -> tuple[str, RNNWeights]:
    """Model ``index`` of the fuzz stream ``seed``: ``(family, weights)``.

    The family cycles through :data:`FAMILIES` and the sequence length (unless given) through 2, 2, 3 (so
    any 15 consecutive models hold every pair); the hidden size is uniform in :data:`HIDDEN_SIZES` and the
    weights come from ``numpy.random.default_rng([seed, index, seq_len])``.

    Raises:
        InvalidInputError: for a sequence length other than 2 or 3.
    """
    family = FAMILIES[index % len(FAMILIES)]
    if seq_len is None:
        seq_len = 3 if index % 3 == 2 else 2
    if seq_len not in HIDDEN_SIZES:
        raise InvalidInputError(f"the fuzz draws sequence lengths 2 and 3, got {seq_len}")
    rng = np.random.default_rng([int(seed), int(index), int(seq_len)])
    low, high = HIDDEN_SIZES[seq_len]
    return family, random_model(family, int(rng.integers(low, high + 1)), seq_len, rng)


def angle_grid_accuracy(weights: RNNWeights, points: int = 2**16) -> tuple[float, float]:
    """Accuracy of an M_{d,2} on ``points`` equally spaced angles (cell midpoints), with a bound on its error.

    Rotation invariance makes the accuracy the mean over the circle of ``correct(t)``, which changes only at
    a ray where the logit difference changes sign (at most one per sector of constant activation pattern;
    at most ``2 d + 6`` sectors with the axes and diagonals as cuts, see :func:`.sectors.sectors`) or at the
    2 rays of ``x0 = x1``; each such ray spoils at most one cell.  So ``|grid - exact| <= (2 d + 8) /
    points``.  The logits are computed in float64 (the forward pass of :func:`tinymech.algzoo.trace.trace`)
    and decided with the sampling tie rule (:func:`tinymech.algzoo.evaluation.predictions`).

    Returns:
        ``(accuracy, bound)``.

    Raises:
        InvalidInputError: for a model that is not M_{d,2}.
    """
    from tinymech.algzoo.evaluation import predictions

    if weights.output_size != 2:
        raise InvalidInputError(
            f"the angle grid needs a 2-input model, got output size {weights.output_size}"
        )
    angles = (np.arange(points) + 0.5) * (2 * math.pi / points)
    x = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    hidden = np.maximum(np.outer(x[:, 0], weights.W_hi), 0.0)
    hidden = np.maximum(hidden @ weights.W_hh.T + np.outer(x[:, 1], weights.W_hi), 0.0)
    correct = predictions(hidden @ weights.W_oh.T) == (x[:, 1] < x[:, 0])
    return float(correct.mean()), (2 * weights.hidden_size + 8) / points


def exact_methods(weights: RNNWeights) -> dict[str, float]:
    """The accuracy of ``weights`` by every exact method that applies: the dispatcher
    (:func:`tinymech.algzoo.exact.exact_accuracy`), the estimator ``exact`` of
    :data:`tinymech.algzoo.methods.METHODS`, and for length 3 up to :data:`LINEAR_PROGRAM_MAX_HIDDEN`
    hidden units the linear-program method (:func:`.solid_angles.exact_accuracy_3`)."""
    from tinymech.algzoo.methods import estimate
    from tinymech.algzoo.exact import exact_accuracy

    values = {
        "exact_accuracy": exact_accuracy(weights),
        "estimate exact": estimate(weights, "exact").estimate,
    }
    if weights.output_size == 3 and weights.hidden_size <= LINEAR_PROGRAM_MAX_HIDDEN:
        from tinymech.algzoo.exact.solid_angles import exact_accuracy_3

        values["solid_angles"] = exact_accuracy_3(weights)
    return values


@dataclass(frozen=True)
class FuzzCase:
    """One random model's exact accuracies against its sampled accuracy.

    Attributes:
        index, seed: the model is :func:`fuzz_model` ``(index, seed)``.
        family, hidden_size, seq_len: what was drawn.
        exact: accuracy by method name (:func:`exact_methods`).
        sampled: accuracy on ``samples`` float64 sequences of the input stream ``seed * 2**20 + index``.
        samples: sequences sampled.
        grid, grid_bound: for length 2 when asked, the angle-grid accuracy and its error bound
            (:func:`angle_grid_accuracy`); else None.
    """

    index: int
    seed: int
    family: str
    hidden_size: int
    seq_len: int
    exact: dict
    sampled: float
    samples: int
    grid: float | None = None
    grid_bound: float | None = None

    def z(self, method: str) -> float:
        """``(sampled - exact) / sqrt(max(p (1 - p), 1 / N) / N)`` for one method."""
        p = self.exact[method]
        return (self.sampled - p) / math.sqrt(
            max(p * (1 - p), 1.0 / self.samples) / self.samples
        )

    @property
    def disagreeing(self) -> list[str]:
        """Methods beyond :data:`Z_LIMIT` standard errors, and (named ``"METHOD (angle grid)"``) those
        farther from the angle grid than its bound."""
        far = [method for method in self.exact if abs(self.z(method)) > Z_LIMIT]
        if self.grid is not None:
            far += [
                f"{method} (angle grid)"
                for method, value in self.exact.items()
                if abs(value - self.grid) > self.grid_bound
            ]
        return far

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "seed": self.seed,
            "family": self.family,
            "hidden_size": self.hidden_size,
            "seq_len": self.seq_len,
            "exact": dict(self.exact),
            "sampled": self.sampled,
            "samples": self.samples,
            "z": {method: self.z(method) for method in self.exact},
            "grid": self.grid,
            "grid_bound": self.grid_bound,
        }


@dataclass(frozen=True)
class FuzzReport:
    """Result of :func:`fuzz_exact`.

    Attributes:
        cases: one per model.
    """

    cases: tuple[FuzzCase, ...]

    @property
    def n_models(self) -> int:
        return len(self.cases)

    @property
    def disagreements(self) -> list[FuzzCase]:
        """The models on which some exact method disagrees with sampling."""
        return [case for case in self.cases if case.disagreeing]

    @property
    def max_abs_z(self) -> float:
        return max((abs(case.z(m)) for case in self.cases for m in case.exact), default=0.0)

    def count(self, **where) -> int:
        """Models with the given attributes, e.g. ``count(seq_len=3, family="integer")``."""
        return sum(
            all(getattr(case, key) == value for key, value in where.items())
            for case in self.cases
        )


def fuzz_exact(
    n_models: int,
    *,
    seed: int = 0,
    samples: int = SUITE_SAMPLES,
    start: int = 0,
    grid_points: int | None = None,
    progress: bool = False,
) -> FuzzReport:
    """Every exact method against float64 sampling on models ``start .. start + n_models - 1`` of the fuzz
    stream ``seed`` (:func:`fuzz_model`), each sampled on ``samples`` sequences; with ``grid_points``, the
    length-2 models also against an angle grid (:func:`angle_grid_accuracy`).

    Raises:
        InvalidInputError: for ``n_models < 1``, a negative seed or start, or a bad sample count.
    """
    import torch
    from tqdm import tqdm

    from tinymech.algzoo.architectures import ReLURNN
    from tinymech.algzoo.evaluation import sampled_accuracy

    for name, value, least in (
        ("n_models", n_models, 1),
        ("seed", seed, 0),
        ("start", start, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise InvalidInputError(f"{name} must be an integer >= {least}, got {value!r}")
    cases = []
    for index in tqdm(range(start, start + n_models), desc="fuzz exact", disable=not progress):
        family, weights = fuzz_model(index, seed)
        model = ReLURNN.from_weights(
            weights.W_hi, weights.W_hh, weights.W_oh, dtype=torch.float64
        )
        sampled = sampled_accuracy(
            model, samples, seed=int(seed) * 2**20 + index, dtype=torch.float64
        )
        grid = (
            angle_grid_accuracy(weights, grid_points)
            if grid_points and weights.output_size == 2
            else (None, None)
        )
        cases.append(
            FuzzCase(
                index,
                int(seed),
                family,
                weights.hidden_size,
                weights.output_size,
                exact_methods(weights),
                sampled.accuracy,
                int(samples),
                *grid,
            )
        )
    return FuzzReport(tuple(cases))
