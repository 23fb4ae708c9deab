"""Command line: ``python -m tinymech.miiii.train --task miiii --p 113 --d 256 --epochs 65536 --device cuda``.

Trains one run (one CPU thread unless ``--threads``), prints per-task final accuracies and, with
``--save NAME``, writes ``tinymech/checkpoints/miiii/NAME.pth``.  Defaults are the paper's Table 2.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict

import torch

from .runs import save_result
from .tasks import TASK_NAMES
from .training import TrainingConfig, train


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, train, report and optionally save."""
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--task", choices=TASK_NAMES, default=defaults.task)
    for name in ("p", "d", "heads", "epochs", "seed", "log_every", "n_snapshots", "snapshot_horizon"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int, default=getattr(defaults, name))
    for name in ("lr", "weight_decay", "dropout", "grokfast_lambda", "grokfast_alpha", "train_fraction"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=float, default=getattr(defaults, name))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop at the first logged epoch after this wall time (the saved config records it)")
    parser.add_argument("--save", default=None, help="run name to save under checkpoints/miiii/")
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    fields = {k: getattr(args, k) for k in TrainingConfig.__dataclass_fields__}
    config = TrainingConfig(**fields)
    start = time.perf_counter()
    result = train(config, device=args.device,
                   time_limit_s=None if args.max_minutes is None else 60 * args.max_minutes)
    seconds = time.perf_counter() - start
    summary = {"config": asdict(result.config), "seconds": round(seconds, 1),
               "final_train_acc": {int(q): round(float(a), 4) for q, a in zip(result.moduli, result.log["train_acc"][-1])},
               "final_valid_acc": {int(q): round(float(a), 4) for q, a in zip(result.moduli, result.log["valid_acc"][-1])}}
    print(json.dumps(summary))
    if args.save:
        save_result(args.save, result, extra_metadata={"train_seconds": round(seconds, 1),
                                                       "device": args.device, "threads": args.threads},
                    overwrite=args.overwrite)


if __name__ == "__main__":
    main()
