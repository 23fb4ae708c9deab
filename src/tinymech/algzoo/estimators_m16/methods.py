"""The M16,10 estimators as entries of :data:`tinymech.algzoo.estimation.METHODS`.

Each row: name, description, sequence lengths it applies to (any hidden size), whether it is
mechanistic (reasons from the weights only), and its ``run(weights, budget, seed)`` as
``"module:function"``.  This module imports nothing of the package, so the harness can read it while
it is itself being imported.
"""

from __future__ import annotations

#: Sequence lengths the case estimators apply to (at least three inputs; 90 cases at n = 10).
CASE_LENGTHS = tuple(range(3, 17))

M16_10_METHODS = (
    (
        "moment_propagation",
        "covariance propagation per case (m, s) with a presumption of independence at the ReLUs and a Gaussian "
        "readout by Genz's algorithm (mechanistic; ARC's M16,10 challenge)",
        CASE_LENGTHS,
        True,
        "tinymech.algzoo.estimators_m16.moment_propagation:run_moment_propagation",
    ),
    (
        "fixed_masks",
        "one activation pattern per case (m, s) makes the network linear; the case accuracy is the Gaussian "
        "measure of a polyhedral cone by Genz's algorithm (mechanistic; ARC's M16,10 challenge)",
        CASE_LENGTHS,
        True,
        "tinymech.algzoo.estimators_m16.activation_masks:run_fixed_masks",
    ),
    (
        "stratified_sampling",
        "random sampling with equal sequences in each case (m, s) (a sampling baseline)",
        CASE_LENGTHS,
        False,
        "tinymech.algzoo.estimators_m16.sampling_baselines:run_stratified",
    ),
    (
        "control_variate_sampling",
        "random sampling with the fixed-mask surrogate as control variate (a sampling baseline)",
        CASE_LENGTHS,
        False,
        "tinymech.algzoo.estimators_m16.sampling_baselines:run_control_variate",
    ),
    (
        "rqmc_sampling",
        "randomized quasi-Monte Carlo: scrambled Sobol points mapped to Gaussians by the inverse normal, "
        "point generation and inverse normal counted (a sampling baseline; scipy.stats.qmc)",
        None,
        False,
        "tinymech.algzoo.estimators_m16.rqmc:run_rqmc",
    ),
)
