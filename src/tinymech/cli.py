"""The ``tinymech`` command line.

    tinymech list                                  named models and their recorded accuracy
    tinymech train MODEL [--seed S] [--n-train N]  train a named model (best of its seeds) and write its checkpoint
    tinymech merge MODEL FILE...                   keep the best of single-seed checkpoints trained apart
    tinymech evaluate MODEL|PATH --samples N       accuracy by sampling, with its standard error
    tinymech exact MODEL|PATH                      exact accuracy (sequence length 2 or 3)
    tinymech bench                                 benchmarks, written to book/benchmarks.json

Every command that prints results takes ``--json`` for machine-readable output.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tinymech.checkpoints import CheckpointError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _emit(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


def command_list(args) -> int:
    from tinymech.zoo import MODELS, model_metadata

    rows = []
    for entry in MODELS.values():
        row = {"name": entry.name, "hidden_size": entry.hidden_size, "seq_len": entry.seq_len,
               "description": entry.description}
        if entry.trained:
            try:
                meta = model_metadata(entry.name)
                row.update(validation_accuracy=meta["validation_accuracy"],
                           validation_standard_error=meta["validation_standard_error"], seed=meta["seed"],
                           n_train=meta["n_train"])
            except CheckpointError as error:
                row["checkpoint_error"] = str(error)
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        accuracy = (f"{100 * row['validation_accuracy']:.4f}% +- {100 * row['validation_standard_error']:.4f}%"
                    if "validation_accuracy" in row else row.get("checkpoint_error", "handcrafted"))
        print(f"{row['name']:<15} d={row['hidden_size']:<3} n={row['seq_len']:<3} {accuracy:<28} {row['description']}")
    return 0


def command_train(args) -> int:
    from tinymech.zoo import train_named_model

    seeds = None if args.seed is None else (args.seed,)
    path = train_named_model(args.model, seeds=seeds, n_train=args.n_train,
                             output=Path(args.output) if args.output else None, overwrite=args.overwrite)
    print(f"wrote {path}")
    return 0


def command_merge(args) -> int:
    from tinymech.zoo import merge_seed_checkpoints

    path = merge_seed_checkpoints(args.model, args.checkpoints, output=Path(args.output) if args.output else None,
                                  overwrite=args.overwrite)
    print(f"wrote {path}")
    return 0


def command_evaluate(args) -> int:
    from tinymech.evaluation import sampled_accuracy
    from tinymech.zoo import load_model

    model = load_model(args.model)
    start = time.perf_counter()
    result = sampled_accuracy(model, args.samples, seed=args.seed)
    _emit({"model": args.model, "accuracy": result.accuracy, "standard_error": result.standard_error,
           "samples": result.samples, "seed": args.seed, "seconds": time.perf_counter() - start}, args.json)
    return 0


def command_exact(args) -> int:
    from tinymech.linear_regions import exact_accuracy
    from tinymech.zoo import load_model

    model = load_model(args.model)
    start = time.perf_counter()
    accuracy = exact_accuracy(model)
    _emit({"model": args.model, "seq_len": model.output_size, "accuracy": accuracy, "error_rate": 1 - accuracy,
           "seconds": time.perf_counter() - start}, args.json)
    return 0


def command_bench(args) -> int:
    from tinymech.benchmarks import run_benchmarks

    results = run_benchmarks(output=Path(args.output))
    _emit(results, args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tinymech", description="Tiny Mechanisms: models, training, accuracy.")
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("list", help="named models and their recorded accuracy")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=command_list)

    training = commands.add_parser("train", help="train a named model and write its checkpoint")
    training.add_argument("model", help="a trained model's name (see `tinymech list`)")
    training.add_argument("--seed", type=int, default=None, help="train this seed only (default: the model's seeds)")
    training.add_argument("--n-train", type=_positive_int, default=None, help="training sequences per seed")
    training.add_argument("--output", default=None, help="checkpoint path (default: the committed location)")
    training.add_argument("--overwrite", action="store_true", help="replace an existing checkpoint")
    training.set_defaults(run=command_train)

    merge = commands.add_parser("merge", help="keep the best of single-seed checkpoints (seeds trained apart)")
    merge.add_argument("model", help="a trained model's name (see `tinymech list`)")
    merge.add_argument("checkpoints", nargs="+", help="single-seed .pth files written by `tinymech train --seed`")
    merge.add_argument("--output", default=None, help="checkpoint path (default: the committed location)")
    merge.add_argument("--overwrite", action="store_true", help="replace an existing checkpoint")
    merge.set_defaults(run=command_merge)

    evaluate = commands.add_parser("evaluate", help="accuracy by sampling Gaussian sequences")
    evaluate.add_argument("model", help="a model name or the path of an AlgZoo .pth file")
    evaluate.add_argument("--samples", type=_positive_int, required=True, help="number of sequences")
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=command_evaluate)

    exact = commands.add_parser("exact", help="exact accuracy for sequence length 2 or 3")
    exact.add_argument("model", help="a model name or the path of an AlgZoo .pth file")
    exact.add_argument("--json", action="store_true")
    exact.set_defaults(run=command_exact)

    bench = commands.add_parser("bench", help="benchmarks, written where the book's Performance page reads them")
    bench.add_argument("--output", default="book/benchmarks.json")
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(run=command_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, CheckpointError) as error:
        print(f"tinymech {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
