"""Estimates of M16,10's accuracy judged by mean squared error versus compute (ARC's open challenge).

ARC's AlgZoo post {cite}`arc2026algzoo` asks for a mechanistic estimate of M16,10's accuracy that matches
random sampling in mean squared error versus compute.  This package holds two mechanistic estimates, two
stronger sampling baselines and RQMC, the study that measures them and its error analysis:

- :mod:`.common`: what the case estimators share (lengths, per-case result, model check, Genz budget ladder);
- :mod:`.input_law`: the 90 cases ``(m, s)`` (positions of the two largest inputs) and their input law;
- :mod:`.gaussian_polyhedra`: Gaussian orthant and cone probabilities (Genz, via scipy) with operation counts;
- :mod:`.moment_propagation` (method ``moment_propagation``): covariance propagation per case with a Gaussian readout;
- :mod:`.activation_masks` (method ``fixed_masks``): fixed activation masks per case and a polyhedral cone measure;
- :mod:`.sampling_baselines`: stratified sampling over the cases and a control variate (both sample);
- :mod:`.analysis`: closed-form sampling curves, bias/variance/MSE summaries, factors to sampling;
- :mod:`.study`: noisy-weight and trained-seed ensembles, references and curves (the registered results
  are computed by :mod:`tinymech.algzoo.studies.estimators`);
- :mod:`.diagnostics`: which presumptions fail, measured by sampling (error analysis only).
- :mod:`.rqmc` (method ``rqmc_sampling``): randomized quasi-Monte Carlo, scrambled Sobol points mapped to
  Gaussians (a sampling baseline);
- :mod:`.mask_substitution`: true masks on some steps and fixed masks on the others, a predicted state at the
  later impulse (the go/no-go test), pattern variety and decision margins (error analysis);

:data:`tinymech.algzoo.methods.METHODS` imports the four estimators' ``run_*`` functions and lists them, so
``tinymech estimate MODEL --method NAME`` runs each.
"""
