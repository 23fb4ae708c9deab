"""Temporal superposition in RNNs (Sharma et al. 2026): the k-delay task, exact losses, feature geometry.

Modules, one concept each: :mod:`.task` (data), :mod:`.models` (linear RNN, SSM, ReLU RNN),
:mod:`.geometry` (feature directions, projections, swept angle, spectral radius, rotation basis,
feature dimensionality), :mod:`.exact_loss` (Eqs. 5 and 6, Monte Carlo), :mod:`.training` (Adam on
ensembles, L-BFGS on Eq. 5), :mod:`.toy_model` (Toy Models of Superposition, the k = 0 reference),
:mod:`.experiments` (the chapter's runs, registered in :mod:`tinymech.registry`), :mod:`.analysis`
(solution classes, the phase transition, interference-free share, recall), :mod:`.staircase` (plateaus,
drops and the order in which feature directions leave the readout), :mod:`.figures`.
Runs are recomputed with ``tinymech run temporal_superposition/NAME --overwrite``.
"""
