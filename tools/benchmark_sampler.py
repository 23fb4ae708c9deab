"""Print the M16,10 sampler's throughput against a plain torch loop and one core's arithmetic bound.

Usage: OMP_NUM_THREADS=1 .venv/bin/python tools/benchmark_sampler.py [--samples N] [--training]
(see tinymech.algzoo.sampler_speed; measured, never asserted).
"""

from __future__ import annotations

import argparse

from tinymech.algzoo.architectures import ReLURNN
from tinymech.algzoo.sampler_speed import arithmetic_bound, sampler_comparison
from tinymech.catalog import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2**21)
    parser.add_argument("--training", action="store_true", help="also time training (M16,10)")
    args = parser.parse_args()
    state_dict, _ = load("rnn/m16_10")
    weights = ReLURNN.from_state_dict(state_dict).weights()
    r = sampler_comparison(weights, samples=args.samples)
    print(f"M16,10 on one thread, {args.samples:,} sequences")
    print(f"  sampler (sampled_accuracy)  {r['sampler'] / 1e6:6.2f} M sequences/s")
    print(f"  plain torch float32 loop    {r['plain_loop'] / 1e6:6.2f} M sequences/s")
    print(f"  arithmetic bound (one core) {r['bound'] / 1e6:6.2f} M sequences/s")
    print(
        f"  sampler / plain loop {r['sampler_over_plain']:.2f}; sampler / bound {r['sampler_over_bound']:.2f}"
    )
    print(
        f"  correct: sampler {r['sampler_correct']:,}, plain loop {r['plain_correct']:,} (tie rule)"
    )
    if args.training:
        from tinymech.benchmarks import training_throughput

        rate = training_throughput(16, 10)
        bound = (
            arithmetic_bound(16, 10) / 3
        )  # a training step: forward plus about twice for backward
        print(
            f"  training {rate / 1e6:6.3f} M sequences/s; bound {bound / 1e6:.2f}; ratio {rate / bound:.3f}"
        )


if __name__ == "__main__":
    main()
