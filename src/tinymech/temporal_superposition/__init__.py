"""Temporal superposition in RNNs (Sharma et al. 2026): the k-delay task, exact losses, feature geometry.

Modules, one concept each: :mod:`.task` (data), :mod:`.models` (linear RNN, SSM, ReLU RNN),
:mod:`.geometry` (feature directions, projections, swept angle, spectral radius), :mod:`.exact_loss`
(Eqs. 5 and 6, Monte Carlo), :mod:`.training`, :mod:`.experiments` (the runs), :mod:`.loading`,
:mod:`.train` (command line).
"""
