"""The ``tinymech`` command line: one entry point for every chapter's models, studies and runs.

    tinymech list [--chapter C]                      every registered result, verified, and the named models
    tinymech run NAME (--output FILE | --overwrite)  recompute a registered result (see `tinymech list`)
    tinymech train MODEL --output FILE [--seed S]    train a named RNN (best of its seeds) to a new file
    tinymech merge MODEL FILE... --output FILE       keep the best of single-seed files trained apart
    tinymech evaluate MODEL|PATH --samples N         accuracy by sampling, with standard error and interval
    tinymech exact MODEL|PATH [--max-pieces N]       exact accuracy (sequence length 2 or 3), work bounded
    tinymech estimate MODEL|PATH --method NAME       an estimator of accuracy with its operation count
    tinymech fuzz-exact [--models N] [--seed S]      every exact method against sampling on random models
    tinymech miiii --task T --p P ... --output FILE  train a miiii transformer with any settings
    tinymech bench [--output FILE] [--overwrite] [--only NAME]  benchmarks for the Performance page

Every command that prints results takes ``--json``.  Bad input gets one line on stderr saying what was
expected and what was found, and exit status 2; outputs are checked before any work starts and nothing
is overwritten without ``--overwrite``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tinymech.errors import TinymechError

DEVICE_HELP = "cpu (default, the book's numbers) or cuda (same inputs, GPU arithmetic)"


def _positive_int(text: str) -> int:
    """A positive integer, also written as ``2**20`` (exponent 0 to 64) or ``1e6``."""
    try:
        if "**" in text:
            base, exponent = text.split("**")
            base, exponent = int(base), int(exponent)
            if not 0 <= exponent <= 64:
                raise ValueError
            value = base**exponent
        else:
            try:
                value = int(text)
            except ValueError:
                number = float(text)
                if not number.is_integer():
                    raise ValueError from None
                value = int(number)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _thread_count(text: str) -> int:
    value = _positive_int(text)
    if value > 1024:
        raise argparse.ArgumentTypeError(f"expected a thread count from 1 to 1024, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def _emit(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


def command_list(args) -> int:
    from tinymech.algzoo.zoo import MODELS
    from tinymech.catalog import CATALOG, load

    chapter = _chapter(args.chapter, {entry.chapter for entry in CATALOG.values()})
    rows = []
    for entry in CATALOG.values():
        if chapter and entry.chapter != chapter:
            continue
        row = {
            "name": entry.name,
            "chapter": entry.chapter,
            "description": entry.description,
            "compute_minutes": entry.minutes,
        }
        try:
            record = load(entry.name)[1]
            row["status"] = "ok"
            accuracy = record.get("validation_accuracy")
            if entry.name.startswith("rnn/") and isinstance(accuracy, float):
                row["validation_accuracy"] = accuracy
        except TinymechError as error:
            row["status"] = f"error: {error}"
        rows.append(row)
    models = [
        {
            "model": m.name,
            "hidden_size": m.hidden_size,
            "seq_len": m.seq_len,
            "source": "handcrafted" if m.handcrafted else m.result_name,
            "description": m.description,
        }
        for m in MODELS.values()
    ]
    if args.json:
        print(json.dumps({"results": rows, "models": models}, indent=2))
        return 0
    print("registered results (tinymech run NAME --overwrite recomputes one):")
    for row in rows:
        accuracy = (
            f" (validation accuracy {row['validation_accuracy']:.4f})"
            if "validation_accuracy" in row
            else ""
        )
        minutes = row["compute_minutes"]
        cost = (
            f"recompute: about {minutes:g} single-core minutes"
            if minutes is not None
            else "recompute: under a minute to a few minutes (not timed)"
        )
        print(
            f"  {row['name']:<44} {row['status']}{accuracy}\n      {row['description']}; {cost}"
        )
    print("named models (for evaluate, exact, estimate; or give a .pth path):")
    for m in models:
        print(
            f"  {m['model']:<15} d={m['hidden_size']:<3} n={m['seq_len']:<3} {m['description']}"
        )
    return 0


def _chapter(text: str | None, chapters: set[str]) -> str | None:
    """The chapter (notebook stem) that ``text`` names: the stem itself or the start of exactly one."""
    if text is None or text in chapters:
        return text
    matches = sorted(c for c in chapters if c.startswith(text))
    if len(matches) == 1:
        return matches[0]
    raise TinymechError(
        f"no chapter {text!r}"
        + (f" (several chapters start so: {', '.join(matches)})" if matches else "")
        + f"; choose one of: {', '.join(sorted(chapters))} (or the start of one, e.g. m2_2)"
    )


def command_run(args) -> int:
    from tinymech.catalog import load

    if args.output is None and not args.overwrite:
        raise TinymechError(
            "say where to write: --output FILE.pth for a new file, or --overwrite to replace the "
            "committed result"
        )
    load(args.name, recompute=True, output=args.output, overwrite=args.overwrite, progress=True)
    print(f"wrote {args.output or 'the committed result ' + args.name}")
    return 0


def command_train(args) -> int:
    from tinymech.algzoo.zoo import train_named_model

    seeds = None if args.seed is None else (args.seed,)
    path = train_named_model(
        args.model,
        seeds=seeds,
        n_train=args.n_train,
        output=args.output,
        overwrite=args.overwrite,
        device=args.device,
    )
    print(f"wrote {path}")
    return 0


def command_merge(args) -> int:
    from tinymech.algzoo.zoo import merge_seed_checkpoints

    if (args.output is None) == (not args.install):
        raise TinymechError(
            "say where to write: --output FILE.pth for a new file, or --install to replace the "
            f"committed rnn/{args.model}"
        )
    path = merge_seed_checkpoints(
        args.model,
        args.checkpoints,
        output=args.output,
        overwrite=args.overwrite,
        install=args.install,
    )
    print(f"wrote {path}")
    if args.install:
        from tinymech.catalog import CATALOG

        name = f"rnn/{args.model}"
        dependents = [e.name for e in CATALOG.values() if name in e.inputs]
        for dependent in dependents:
            print(f"recompute what was computed from it: tinymech run {dependent} --overwrite")
    return 0


def command_evaluate(args) -> int:
    from tinymech.algzoo.evaluation import sampled_accuracy
    from tinymech.algzoo.zoo import load_model

    model = load_model(args.model)
    start = time.perf_counter()
    result = sampled_accuracy(model, args.samples, seed=args.seed, device=args.device)
    low, high = result.interval
    _emit(
        {
            "model": args.model,
            "accuracy": result.accuracy,
            "standard_error": result.standard_error,
            "interval_95": [low, high],
            "samples": result.samples,
            "seed": args.seed,
            "seconds": time.perf_counter() - start,
        },
        args.json,
    )
    return 0


def command_exact(args) -> int:
    from tinymech.algzoo.exact import exact_accuracy
    from tinymech.algzoo.zoo import load_model

    model = load_model(args.model)
    start = time.perf_counter()
    accuracy = exact_accuracy(
        model, max_pieces=args.max_pieces, progress=None if not args.json else False
    )
    _emit(
        {
            "model": args.model,
            "seq_len": model.output_size,
            "accuracy": accuracy,
            "error_rate": 1 - accuracy,
            "seconds": time.perf_counter() - start,
        },
        args.json,
    )
    return 0


def command_estimate(args) -> int:
    from tinymech.algzoo.methods import estimate
    from tinymech.algzoo.zoo import load_model

    result = estimate(load_model(args.model), args.method, budget=args.budget, seed=args.seed)
    _emit(
        {
            "model": args.model,
            "method": result.method,
            "estimate": result.estimate,
            "operations": result.operations,
            "seconds": result.seconds,
            **result.details,
        },
        args.json,
    )
    return 0


def command_fuzz_exact(args) -> int:
    from tinymech.algzoo.exact.fuzz import GRID_POINTS, Z_LIMIT, fuzz_exact

    start = time.perf_counter()
    report = fuzz_exact(
        args.models,
        seed=args.seed,
        samples=args.samples,
        start=args.start,
        grid_points=GRID_POINTS,
        progress=not args.json,
    )
    result = {
        "models": report.n_models,
        "seed": args.seed,
        "start": args.start,
        "samples": args.samples,
        "length_2": report.count(seq_len=2),
        "length_3": report.count(seq_len=3),
        "disagreements": len(report.disagreements),
        "z_limit": Z_LIMIT,
        "grid_points": GRID_POINTS,
        "max_abs_z": report.max_abs_z,
        "seconds": time.perf_counter() - start,
    }
    if args.json:
        result["disagreeing_models"] = [case.as_dict() for case in report.disagreements]
        print(json.dumps(result, indent=2))
    else:
        _emit(result, False)
        for case in report.disagreements:
            print(
                f"disagrees: model {case.index} (seed {case.seed}, {case.family}, d={case.hidden_size}, "
                f"n={case.seq_len}): exact {case.exact}, sampled {case.sampled:.6f}, methods {case.disagreeing}"
            )
    return 1 if report.disagreements else 0


def command_miiii(args) -> int:
    import torch

    from tinymech.miiii.runs import run_metadata
    from tinymech.miiii.training import TrainingConfig, train
    from tinymech.store import check_output, save_result

    fields = {k: getattr(args, k) for k in TrainingConfig.__dataclass_fields__}
    config = TrainingConfig(**fields)
    output = check_output(args.output, overwrite=args.overwrite) if args.output else None
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise TinymechError(f"device {args.device!r} asked for, but torch sees no CUDA device")
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    result = train(
        config,
        device=args.device,
        time_limit_s=None if args.max_minutes is None else 60 * args.max_minutes,
    )
    seconds = time.perf_counter() - start
    summary = {
        "seconds": round(seconds, 1),
        "epochs": result.config.epochs,
        "final_valid_acc": {
            int(q): round(float(a), 4)
            for q, a in zip(result.moduli, result.log["valid_acc"][-1])
        },
    }
    print(json.dumps(summary))
    if output is not None:
        save_result(
            output,
            result.payload(),
            run_metadata(
                result,
                train_seconds=round(seconds, 1),
                device=args.device,
                threads=args.threads,
            ),
            overwrite=args.overwrite,
        )
        print(f"wrote {output}")
    return 0


def command_bench(args) -> int:
    from tinymech.benchmarks import run_benchmarks, run_single_benchmark

    if args.only:
        result = run_single_benchmark(
            args.only, output=Path(args.output) if args.output else None, write=args.overwrite
        )
        if args.only == "m4_3_exact_ensemble" and not args.json:
            print(
                f"exact M4,3 over {result['models']} models, {result['operations_per_model']:,.0f} "
                f"operations each: one model at a time {1e3 * result['one_model_seconds']:.2f} ms, "
                f"batched {1e3 * result['batched_seconds']:.2f} ms per model, "
                f"ratio {result['speed_up']:.1f} (CPU time {1e3 * result['one_model_cpu_seconds']:.2f} "
                f"and {1e3 * result['batched_cpu_seconds']:.2f} ms); largest difference "
                f"{result['max_difference']:.1e}; load average {result['load_average_1min_at_start']:.1f}"
            )
            return 0
        _emit(result, args.json)
        return 0
    results = run_benchmarks(
        output=Path(args.output) if args.output else None, overwrite=args.overwrite
    )
    _emit(results, args.json)
    return 0


def _methods_by_length() -> str:
    """The estimators grouped by the sequence lengths they apply to, for ``estimate --help``."""
    from tinymech.algzoo.methods import METHODS

    groups: dict = {}
    for name, method in METHODS.items():
        groups.setdefault(method.lengths, []).append(name)
    lines = ["methods by sequence length (the model's number of logits):"]
    for lengths, methods in sorted(
        groups.items(), key=lambda item: (item[0] is not None, item[0] or ())
    ):
        if lengths is None:
            where = "any length"
        elif len(lengths) == 1:
            where = f"length {lengths[0]}"
        elif len(lengths) > 2 and list(lengths) == list(range(lengths[0], lengths[-1] + 1)):
            where = f"lengths {lengths[0]} to {lengths[-1]}"
        else:
            where = "lengths " + ", ".join(map(str, lengths))
        lines.append(f"  {where}: {', '.join(methods)}")
    return "\n".join(lines)


def _add_miiii_arguments(parser: argparse.ArgumentParser) -> None:
    from tinymech.miiii.tasks import TASK_NAMES
    from tinymech.miiii.training import TrainingConfig

    defaults = TrainingConfig()
    parser.add_argument("--task", choices=TASK_NAMES, default=defaults.task)
    for name in (
        "p",
        "d",
        "heads",
        "epochs",
        "seed",
        "log_every",
        "n_snapshots",
        "snapshot_horizon",
    ):
        parser.add_argument(
            f"--{name.replace('_', '-')}", dest=name, type=int, default=getattr(defaults, name)
        )
    for name in (
        "lr",
        "weight_decay",
        "dropout",
        "grokfast_lambda",
        "grokfast_alpha",
        "train_fraction",
    ):
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=float,
            default=getattr(defaults, name),
        )
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--threads", type=_thread_count, default=1, help="torch threads, 1 to 1024"
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=None,
        help="stop at the first logged epoch after this wall time (the saved config records it)",
    )
    parser.add_argument(
        "--output", default=None, help="write the run here (.pth; its record beside it)"
    )
    parser.add_argument("--overwrite", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinymech", description="Tiny Mechanisms: models, results, estimates."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser(
        "list", help="every registered result (verified) and the named models"
    )
    listing.add_argument(
        "--chapter",
        default=None,
        help="only the results one chapter reads: its notebook stem or the start of one "
        "(m2_2, m4_3, m16_10, estimators, autoencoder, temporal, miiii)",
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=command_list)

    run = commands.add_parser(
        "run", help="recompute a registered result with its registered settings"
    )
    run.add_argument(
        "name",
        help="a registered name, e.g. temporal_superposition/ssm_k3 (see `tinymech list`)",
    )
    run.add_argument("--output", default=None, help="write to this new .pth file")
    run.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the committed result (or an existing --output)",
    )
    run.set_defaults(run=command_run)

    training = commands.add_parser(
        "train", help="train a named RNN (best of its seeds) and write it to a new file"
    )
    training.add_argument("model", help="a trained model's name: m2_2, m4_3 or m16_10")
    training.add_argument(
        "--seed", type=_non_negative_int, default=None, help="train this seed only"
    )
    training.add_argument(
        "--n-train", type=_positive_int, default=None, help="training sequences per seed"
    )
    training.add_argument(
        "--output",
        required=True,
        help=".pth file to write (replace a committed model with "
        "`tinymech run rnn/NAME --overwrite`)",
    )
    training.add_argument(
        "--overwrite", action="store_true", help="replace an existing --output"
    )
    training.add_argument("--device", default="cpu", help=DEVICE_HELP)
    training.set_defaults(run=command_train)

    merge = commands.add_parser(
        "merge", help="keep the best of single-seed files (seeds trained apart)"
    )
    merge.add_argument("model", help="a trained model's name")
    merge.add_argument(
        "checkpoints",
        nargs="+",
        help="single-seed .pth files written by `tinymech train --seed`",
    )
    merge.add_argument("--output", default=None, help=".pth file to write")
    merge.add_argument(
        "--install",
        action="store_true",
        help="replace the committed rnn/MODEL instead (keeps its record of earlier attempts)",
    )
    merge.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    merge.set_defaults(run=command_merge)

    evaluate = commands.add_parser("evaluate", help="accuracy by sampling Gaussian sequences")
    evaluate.add_argument("model", help="a model name or the path of an AlgZoo .pth file")
    evaluate.add_argument(
        "--samples",
        type=_positive_int,
        required=True,
        help="number of sequences (at most 2**36)",
    )
    evaluate.add_argument("--seed", type=_non_negative_int, default=0)
    evaluate.add_argument("--device", default="cpu", help=DEVICE_HELP)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=command_evaluate)

    exact = commands.add_parser("exact", help="exact accuracy for sequence length 2 or 3")
    exact.add_argument("model", help="a model name or the path of an AlgZoo .pth file")
    exact.add_argument(
        "--max-pieces",
        type=_positive_int,
        default=None,
        help="visit at most this many sectors (length 2) or linear regions (length 3); the "
        "default limit (2,000 and 20,000) refuses hidden sizes above 997 and 80",
    )
    exact.add_argument("--json", action="store_true")
    exact.set_defaults(run=command_exact)

    estimate = commands.add_parser(
        "estimate",
        help="estimate accuracy with one method, with its operation count",
        epilog=_methods_by_length(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    estimate.add_argument("model", help="a model name or the path of an AlgZoo .pth file")
    estimate.add_argument(
        "--method", required=True, help="an estimator's name (an unknown one lists the choices)"
    )
    estimate.add_argument(
        "--budget", type=_positive_int, default=None, help="operations (multiply-adds) allowed"
    )
    estimate.add_argument("--seed", type=_non_negative_int, default=0)
    estimate.add_argument("--json", action="store_true")
    estimate.set_defaults(run=command_estimate)

    from tinymech.algzoo.exact.fuzz import RELEASE_MODELS, SUITE_SAMPLES

    fuzz = commands.add_parser(
        "fuzz-exact",
        help="every exact method against float64 sampling on random models "
        "(exit status 1 if any disagrees beyond 5 standard errors)",
    )
    fuzz.add_argument(
        "--models",
        type=_positive_int,
        default=RELEASE_MODELS,
        help=f"random models to draw (default {RELEASE_MODELS})",
    )
    fuzz.add_argument(
        "--seed", type=_non_negative_int, default=0, help="seed of the stream of models"
    )
    fuzz.add_argument(
        "--start",
        type=_non_negative_int,
        default=0,
        help="index of the first model of the stream",
    )
    fuzz.add_argument(
        "--samples",
        type=_positive_int,
        default=SUITE_SAMPLES,
        help="float64 sequences per model",
    )
    fuzz.add_argument("--json", action="store_true")
    fuzz.set_defaults(run=command_fuzz_exact)

    miiii = commands.add_parser(
        "miiii", help="train a miiii transformer with any settings (defaults: the paper's)"
    )
    _add_miiii_arguments(miiii)
    miiii.set_defaults(run=command_miiii)

    bench = commands.add_parser(
        "bench", help="benchmarks, written where the book's Performance page reads them"
    )
    bench.add_argument(
        "--output",
        default=None,
        help="JSON file (default: book/benchmarks.json of the checkout)",
    )
    bench.add_argument("--overwrite", action="store_true", help="replace an existing file")
    bench.add_argument(
        "--only",
        default=None,
        help="run one benchmark (m4_3_exact_ensemble); with --overwrite, replace its entry only",
    )
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(run=command_bench)
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup (temporary files, locks) runs."""


def _terminate(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status.

    2 for bad input, with one line on stderr; 130 after Ctrl-C (143 after SIGTERM), with one line and no
    partial output file; a closed pipe (``tinymech list | head``) ends quietly with 141.
    """
    import signal
    import threading

    import warnings

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            status = args.run(args)
        sys.stdout.flush()
        return status
    except TinymechError as error:
        print(f"tinymech {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        terminated = isinstance(interrupt, _Terminated)
        print(
            f"tinymech {args.command}: {'terminated' if terminated else 'interrupted'}; "
            "no output file was written or changed",
            file=sys.stderr,
        )
        return 143 if terminated else 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning (e.g. weights converted to float32) as one line on stderr."""
    print(f"tinymech: warning: {_one_line(message)}", file=sys.stderr)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _silence_stdout() -> None:
    """After the reader of stdout went away: point it at /dev/null so that Python's final flush is quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def miiii_main(argv: list[str] | None = None) -> int:
    """Run ``tinymech miiii`` with ``argv`` (what ``python -m tinymech.miiii.train ARGS`` did, as the
    miiii exploration log records it)."""
    return main(["miiii", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
