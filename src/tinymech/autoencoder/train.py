"""Command line: recompute the chapter's committed results.

    python -m tinymech.autoencoder.train all
    python -m tinymech.autoencoder.train seed_sweep chaos_map

Runs on one core (``torch.set_num_threads(1)``); fixed seeds; overwrites the checkpoints under
``tinymech/checkpoints/autoencoder/``.  ``chaos_map`` and ``resampling`` read the committed
``seed_sweep``, so run that first.
"""

from __future__ import annotations

import argparse
import time

from .experiments import EXPERIMENTS, load_or_train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recompute the autoencoder chapter's results.")
    parser.add_argument("experiments", nargs="+", choices=EXPERIMENTS + ("all",))
    args = parser.parse_args(argv)
    names = EXPERIMENTS if "all" in args.experiments else tuple(args.experiments)
    for name in names:
        start = time.perf_counter()
        load_or_train(name, retrain=True, progress=True)
        print(f"{name}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
