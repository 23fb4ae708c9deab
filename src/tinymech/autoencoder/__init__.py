"""Optimization failure in the toy ReLU autoencoder y = ReLU(W^T W x + b).

Chapter 5 of Tiny Mechanisms.  Source: the blog post on optimization failure in toy ReLU
autoencoders (``aeoptfailure2025``), which builds on Henighan et al. (2023), "Superposition,
Memorization, and Double Descent", and the "two circles" note in Anthropic's May 2023 circuits update.

Modules, one concept each:

- :mod:`.model`: the tied toy autoencoder on the n x n identity dataset, batched over seeds, with its
  loss and analytic gradient (the forward pass is the shared one of :mod:`tinymech.tms`);
- :mod:`.optimizer`: Adam / AdamW vectorised over seeds with a per-seed learning rate;
- :mod:`.training`: training many seeds at once, with a trajectory log and fine outcome checks;
- :mod:`.outcomes`: detectors for perfect runs, symmetric failure and asymmetric recovery;
- :mod:`.geometry`: latent zones, angular gaps and the tilt test;
- :mod:`.resampling`: Anthropic's dead-neuron resampling and the post's attractor/repulsor proposal;
- :mod:`.analysis`: the statistics the claims are judged on (gaps versus norms, radii, the order of
  outcomes, the roughness of the splay map);
- :mod:`.rates`: rates counted over runs and criteria judged by their 95% Wilson intervals;
- :mod:`.experiments`: the offline sweeps;
- :mod:`.studies`: their registered results (``RESULTS``; ``tinymech run autoencoder/NAME``).
"""
