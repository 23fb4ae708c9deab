"""Command line: train the chapter's runs and save them as checkpoints.

    python -m tinymech.temporal_superposition.train            # every run
    python -m tinymech.temporal_superposition.train ssm_k3     # one run
"""

from __future__ import annotations

import argparse

from .experiments import run_names
from .loading import load_or_train


def main(argv: list[str] | None = None) -> int:
    """Train the named runs (default all) and overwrite their checkpoints."""
    parser = argparse.ArgumentParser(description="Train the temporal superposition runs (settings are ours).")
    parser.add_argument("runs", nargs="*", default=run_names(), help=f"run names, from: {', '.join(run_names())}")
    parser.add_argument("--quiet", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    for name in args.runs:
        payload, _ = load_or_train(name, retrain=True, progress=not args.quiet)
        print(f"{name}: {len(payload['p'])} models, mean loss {payload['loss'].mean():.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
