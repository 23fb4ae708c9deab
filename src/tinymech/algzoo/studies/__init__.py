"""The AlgZoo chapters' studies: every registered result of the RNN chapters that is not a trained model.

- :mod:`.m4_3_symmetries`: the M4,3 chapter's sampled references, timings and noisy-model study;
- :mod:`.estimators`: the estimators chapter's M4,3 noisy-model study, exact timing and M16,10 ensembles,
  curves and diagnostics;
- :mod:`.estimators_m16_baselines`: the estimators chapter's M16,10 RQMC curve and mask-substitution study.

Each module's ``RESULTS`` lists its registered results beside the ``compute_*`` functions that
recompute them; the trained models are listed in :data:`tinymech.algzoo.zoo.RESULTS`.  :data:`RESULTS`
here is every registered result of the AlgZoo chapters, gathered by :mod:`tinymech.catalog`.
"""

from tinymech.algzoo.studies import estimators, estimators_m16_baselines, m4_3_symmetries
from tinymech.algzoo.zoo import RESULTS as MODEL_RESULTS
from tinymech.registry import table

RESULTS = table(
    *MODEL_RESULTS.values(),
    *m4_3_symmetries.RESULTS.values(),
    *estimators.RESULTS.values(),
    *estimators_m16_baselines.RESULTS.values(),
)
