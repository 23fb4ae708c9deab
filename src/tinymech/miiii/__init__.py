"""miiii: a PyTorch reproduction of the multi-task modular transformer of Syrkis & Søgaard (2024).

Modules, one concept each:

- :mod:`.tasks`: the miiii dataset (n mod q for every prime q < p, n written as two base-p digits), its
  controls T_basis (shuffled label rows) and T_masked (q in {2, 3, 5, 7} weighted 0), and Nanda et al.'s
  modular addition as the comparison task.
- :mod:`.model`: the one-block, bias-free, LayerNorm-free transformer with one unembedding per task
  (logits of classes >= q masked with -inf), with a cache of named activations.
- :mod:`.loss`: per-task cross-entropy divided by ln q, averaged over tasks.
- :mod:`.grokfast`: the Grokfast EMA gradient filter (Lee et al., 2024).
- :mod:`.training`: full-batch training with per-task accuracy logs and log-spaced snapshots;
  ``tinymech miiii`` is its command line (the exploration log's ``python -m tinymech.miiii.train ARGS``
  is ``tinymech miiii ARGS``).
- :mod:`.runs`: the named runs of the chapter and their registered results (``RESULTS``).
- :mod:`.masking`: accuracy under the ``-inf`` mask versus the paper-era code's 0 mask.
- :mod:`.fourier`: Fourier, per-modulus and singular-value analyses of embeddings and neurons.
- :mod:`.grokking`: when each task generalises (halfway from chance to perfect), in which order, and
  its progress from chance at a given epoch.
- :mod:`.neurons`: MLP activations on every input, neurons per modulus, active frequencies through
  training and the paper's "wall".
"""

from .fourier import (
    active_frequencies,
    embedding_spectrum,
    neuron_spectrum,
    periodic_variance_fraction,
    positional_correlation,
    singular_value_marks,
    singular_vector_purity,
)
from .grokfast import GrokfastEMA
from .loss import per_task_loss, weighted_task_loss
from .model import MiiiiTransformer
from .tasks import TaskData, make_task, primes_below

__all__ = [
    "GrokfastEMA",
    "MiiiiTransformer",
    "TaskData",
    "active_frequencies",
    "embedding_spectrum",
    "make_task",
    "neuron_spectrum",
    "per_task_loss",
    "periodic_variance_fraction",
    "positional_correlation",
    "primes_below",
    "singular_value_marks",
    "singular_vector_purity",
    "weighted_task_loss",
]
